//! `export` at its edges: no records, a folder that is not there, likes with HTML entities,
//! warnings about other records, and records the layout does not have.

use std::path::Path;

use super::{export, scenes, zip};
use crate::util::{run, stderr, stdout};

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

#[test]
fn an_empty_csv_export_still_has_its_header_row() {
    let grailbird = fixture("grailbird-archive.zip");
    let out = run(&[
        "export",
        &grailbird,
        "--what",
        "following",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "account_id\n");
    let out = run(&["export", &grailbird, "--what", "likes", "--format", "csv"]);
    assert_eq!(stdout(&out), "tweet_id,full_text,expanded_url\n");
    let out = run(&["export", &grailbird, "--what", "lists", "--format", "csv"]);
    assert_eq!(stdout(&out), "role,url\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = zip(
        dir.path(),
        "no-tweets.zip",
        &scenes::sample_without_tweets(),
    );
    let csv = export(&path, "tweets", "csv");
    assert!(csv.starts_with("id,created_at,text,"), "{csv}");
    assert_eq!(csv.lines().count(), 1, "{csv}");
}

#[test]
fn an_output_file_in_a_missing_folder_is_named_as_given() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("missing").join("x.csv");
    let target = target.to_str().expect("utf-8");
    let sample = fixture("sample-archive.zip");
    let out = run(&["export", &sample, "--what", "tweets", "-o", target]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.trim_end(),
        format!(
            "error: cannot write {target}: the folder {} does not exist",
            dir.path().join("missing").display()
        )
    );
    assert!(!err.contains(".x.csv."), "no temporary name: {err}");
}

#[test]
fn liked_tweets_have_their_entities_decoded() {
    let likes = export(Path::new(&fixture("sample-archive.zip")), "likes", "jsonl");
    assert!(likes.contains(" & more"), "{likes}");
    assert!(!likes.contains("&amp;"), "{likes}");
}

#[test]
fn export_shows_only_warnings_about_what_it_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut modern, _) = scenes::sample();
    modern.parts = 2;
    let mut files = modern.build();
    files
        .files
        .retain(|(name, _)| name != "data/tweets-part1.js" && name != "data/like.js");
    let path = zip(dir.path(), "gaps.zip", &files);
    let path = path.to_str().expect("utf-8");
    let out = run(&["export", path, "--what", "following"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no warning about tweets or likes");
    let out = run(&["export", path, "--what", "likes"]);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("data/like.js in ") && !err.contains("tweets-part1"),
        "{err}"
    );
    let out = run(&["export", path, "--what", "tweets"]);
    let err = stderr(&out);
    assert!(
        err.contains("data/tweets-part1.js in ") && !err.contains("like.js"),
        "{err}"
    );
}

#[test]
fn exporting_what_the_layout_lacks_says_so() {
    let grailbird = fixture("grailbird-archive.zip");
    for (what, name) in [
        ("following", "follows"),
        ("blocks", "blocks"),
        ("likes", "likes"),
    ] {
        let out = run(&["export", &grailbird, "--what", what]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), "");
        assert_eq!(
            stderr(&out).trim_end(),
            format!(
                "warning: a Grailbird archive (before 2019) holds only tweets, so it has no \
                 {name} to export"
            )
        );
    }
}

/// Issue 12: `-o` names a FIFO (or `/dev/null`, or a symlink); the export is written through
/// it and the path stays what it was.
#[cfg(unix)]
#[test]
fn an_output_fifo_or_symlink_is_written_through_and_kept() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let sample = fixture("sample-archive.zip");
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.expect("mkfifo").success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).expect("read fifo"))
    };
    let target = fifo.to_str().expect("utf-8");
    let out = run(&["export", &sample, "--what", "following", "-o", target]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let kind = std::fs::symlink_metadata(&fifo)
        .expect("still there")
        .file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced by {kind:?}");
    let expected = stdout(&run(&["export", &sample, "--what", "following"]));
    assert_eq!(reader.join().expect("reader"), expected);

    let real = dir.path().join("real.jsonl");
    std::fs::write(&real, "old").expect("write");
    let link = dir.path().join("link.jsonl");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let target = link.to_str().expect("utf-8");
    let out = run(&["export", &sample, "--what", "following", "-o", target]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).expect("link").is_symlink());
    assert_eq!(std::fs::read_to_string(&real).expect("real"), expected);
}
