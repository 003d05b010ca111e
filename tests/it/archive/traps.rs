//! Archives built to trap the reader: long posts that a wrong tweet could take, damaged files
//! that hide private tweets, tweet files the manifest leaves out or that are not there at all.

use serde_json::Value;

use super::builder::{MediaSpec, Modern, TweetSpec, snowflake};
use super::scenes;
use super::{export, inspect, warnings, zip};
use crate::util::{run, stderr, stdout};

const LONG: &str = "A very long post about trains and bread and many other things that go on \
                    and on for a long while, far beyond what one tweet can hold";

/// The tweets `export --what tweets` writes, by id.
fn exported(path: &std::path::Path) -> Vec<Value> {
    export(path, "tweets", "jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn by_id(tweets: &[Value], id: u64) -> &Value {
    let id = id.to_string();
    tweets
        .iter()
        .find(|t| t["id"] == id.as_str())
        .unwrap_or_else(|| panic!("tweet {id} in {tweets:#?}"))
}

/// A thread posted in one second: a long post (shortened in tweets.js) and a photo reply whose
/// text is only its t.co link, the photo listed first; plus a short "Hi" posted in the second
/// of another long post whose tweet is not in the archive.
fn note_traps() -> Modern {
    let at = 1_704_110_400; // 2024-01-01 12:00:00
    let long_id = snowflake(at, 1);
    let photo_id = snowflake(at, 2);
    let hi_id = snowflake(at + 3600, 1);
    let web = "https://t.co/lng".to_string();
    let owner = scenes::owner();
    let cut: String = LONG.chars().take(70).collect();
    let long = TweetSpec {
        id: long_id,
        created: at,
        text: format!("{cut}… {web}"),
        urls: vec![(web, format!("https://twitter.com/i/web/status/{long_id}"))],
        lang: "en".into(),
        ..TweetSpec::default()
    };
    let photo = TweetSpec {
        id: photo_id,
        created: at,
        reply_to: Some((long_id, owner.clone())),
        media: vec![MediaSpec {
            key: "P1".into(),
            video: false,
            present: true,
        }],
        lang: "zxx".into(),
        ..TweetSpec::default()
    };
    let hi = TweetSpec {
        id: hi_id,
        created: at + 3600,
        text: "Hi".into(),
        lang: "en".into(),
        ..TweetSpec::default()
    };
    Modern {
        owner: Some(owner),
        tweets: vec![photo, long, hi],
        notes: vec![
            (at, LONG.into(), vec![]),
            (
                at + 3600,
                "Hi everyone, this is another long post whose tweet is not in the archive".into(),
                vec![],
            ),
        ],
        ..Modern::default()
    }
}

#[test]
fn a_long_post_goes_to_its_shortened_tweet_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let modern = note_traps();
    let ids: Vec<u64> = modern.tweets.iter().map(|t| t.id).collect();
    let path = zip(dir.path(), "notes.zip", &modern.build());
    let tweets = exported(&path);
    let (photo, long, hi) = (
        by_id(&tweets, ids[0]),
        by_id(&tweets, ids[1]),
        by_id(&tweets, ids[2]),
    );
    assert_eq!(long["is_note"], true, "{long:#}");
    assert_eq!(long["text"], LONG);
    assert_eq!(
        photo["is_note"], false,
        "the photo reply took the note: {photo:#}"
    );
    assert_eq!(photo["text"], "");
    assert_eq!(hi["is_note"], false, "the short tweet took a note: {hi:#}");
    assert_eq!(hi["text"], "Hi");
    let doc = inspect(&path);
    let w = warnings(&doc).join("\n");
    assert!(
        w.contains("1 long post in note-tweet.js matches no tweet"),
        "{w}"
    );
}

/// Runs the binary on `args`: it must fail with exit 1 and one line containing `parts`.
fn assert_one_line_error(args: &[&str], parts: &[&str]) {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(stdout(&out).is_empty(), "nothing written: {}", stdout(&out));
    for part in parts {
        assert!(err.contains(part), "{err:?} should say {part:?}");
    }
}

#[test]
fn an_unreadable_circle_or_deleted_file_stops_tweet_output_and_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, expect) = scenes::sample();
    let cases = [
        ("data/deleted-tweets.js", "deleted_tweets", "deleted"),
        (
            "data/twitter-circle-tweet.js",
            "twitter_circle_tweet",
            "Twitter Circle",
        ),
    ];
    for (file, global, what) in cases {
        let mut files = modern.build();
        let whole = String::from_utf8(files.get(file).expect(file).to_vec()).expect("utf-8");
        assert!(whole.starts_with(&format!("window.YTD.{global}.part0")));
        files.add(file, &whole[..whole.len() / 2]);
        let path = zip(dir.path(), &format!("{global}.zip"), &files);
        let path = path.to_str().expect("utf-8");
        let sentence = format!("so {what} tweets cannot be told apart from public ones");
        let parts = [file, "is cut off at byte", sentence.as_str()];
        assert_one_line_error(&["export", path, "--what", "tweets"], &parts);
        assert_one_line_error(&["inspect", path], &parts);
        assert_one_line_error(&["inspect", "--json", path], &parts);
        // Lists that do not depend on it still export.
        let ids = export(std::path::Path::new(path), "following", "csv");
        assert_eq!(ids.lines().count() as u64, expect.following + 1);
        // `find` only reads the owner's words for clues and publishes nothing: it goes on.
        let out = run(&["find", path, "--offline"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!("so {what} tweets are read like the others")),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_deleted_tweets_file_the_manifest_lists_but_the_archive_lacks_stops_tweet_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, _) = scenes::sample();
    let mut files = modern.build();
    files
        .files
        .retain(|(name, _)| name != "data/deleted-tweets.js");
    let path = zip(dir.path(), "no-deleted.zip", &files);
    let path = path.to_str().expect("utf-8");
    let parts = [
        "data/deleted-tweets.js in",
        "is listed in manifest.js but missing from the archive, so deleted tweets cannot be told",
    ];
    assert_one_line_error(&["export", path, "--what", "tweets"], &parts);
    assert_one_line_error(&["inspect", path], &parts);
}

#[test]
fn a_tweets_part_the_manifest_leaves_out_is_read_with_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut modern, expect) = scenes::sample();
    modern.parts = 2;
    let mut files = modern.build();
    let text = String::from_utf8(files.get("data/manifest.js").expect("manifest").to_vec())
        .expect("utf-8");
    let json = text.trim_start_matches("window.__THAR_CONFIG = ");
    let mut doc: Value = serde_json::from_str(json).expect("manifest JSON");
    let parts = doc["dataTypes"]["tweets"]["files"]
        .as_array_mut()
        .expect("tweet files");
    assert_eq!(parts.len(), 2);
    parts.retain(|f| f["fileName"] != "data/tweets-part1.js");
    files.add(
        "data/manifest.js",
        format!("window.__THAR_CONFIG = {doc:#}"),
    );
    let doc = inspect(&zip(dir.path(), "unlisted.zip", &files));
    assert_eq!(
        doc["counts"]["tweets"].as_u64(),
        Some(expect.tweets),
        "{doc:#}"
    );
    let w = warnings(&doc);
    assert!(
        w.iter().any(|w| w.starts_with("data/tweets-part1.js in ")
            && w.ends_with(
                "is in the archive but not listed in manifest.js, so it was read anyway"
            )),
        "{w:#?}"
    );
}

#[test]
fn an_archive_without_any_tweets_file_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = zip(
        dir.path(),
        "no-tweets.zip",
        &scenes::sample_without_tweets(),
    );
    let doc = inspect(&path);
    assert_eq!(doc["counts"]["tweets"].as_u64(), Some(0));
    let w = warnings(&doc);
    assert!(
        w.iter()
            .any(|w| w.contains("no-tweets.zip has no tweets file")
                && w.ends_with("so it shows no tweets")),
        "{w:#?}"
    );
}

#[test]
fn inspect_writes_singulars_for_one() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/grailbird-archive.zip");
    let out = run(&["inspect", path.to_str().expect("utf-8")]);
    let text = stdout(&out);
    assert!(
        text.contains("            1 reply (1 in own threads), 1 retweet, 0 quotes\n"),
        "{text}"
    );
    assert!(
        text.contains("            0 long posts; left out"),
        "{text}"
    );
}

/// A zip holding two entries named `data/tweets.js`: the zip writer refuses duplicates, so the
/// second is written as `data/tweetX.js` and renamed in the bytes (same length, CRCs intact).
fn zip_with_two_tweets_files(dir: &std::path::Path) -> std::path::PathBuf {
    let (modern, _) = scenes::sample();
    let mut files = modern.build();
    let tweets = files.get("data/tweets.js").expect("tweets.js").to_vec();
    files.add("data/tweetX.js", tweets);
    let path = dir.join("twice.zip");
    files.write_zip(&path).expect("zip");
    let mut bytes = std::fs::read(&path).expect("read zip");
    let (from, to) = (b"data/tweetX.js", b"data/tweets.js");
    let mut renamed = 0;
    for i in 0..bytes.len().saturating_sub(from.len()) {
        if &bytes[i..i + from.len()] == from {
            bytes[i..i + from.len()].copy_from_slice(to);
            renamed += 1;
        }
    }
    assert_eq!(renamed, 2, "local header and central directory");
    std::fs::write(&path, bytes).expect("write zip");
    path
}

#[test]
fn two_entries_of_the_same_name_stop_every_command_instead_of_losing_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = zip_with_two_tweets_files(dir.path());
    let path = path.to_str().expect("utf-8");
    let parts = ["twice.zip holds two files named data/tweets.js", "download"];
    assert_one_line_error(&["export", path, "--what", "tweets"], &parts);
    assert_one_line_error(&["inspect", path], &parts);
    assert_one_line_error(&["export", path, "--what", "following"], &parts);
    let out = run(&["find", path, "--offline"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("two files named data/tweets.js"));
}

#[test]
fn a_cut_off_following_block_or_mute_file_stops_every_command_that_reads_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, expect) = scenes::sample();
    for (file, what) in [
        ("data/following.js", "following"),
        ("data/block.js", "blocks"),
        ("data/mute.js", "mutes"),
    ] {
        let mut files = modern.build();
        let whole = files.get(file).expect(file).to_vec();
        files.add(file, &whole[..whole.len() / 2]);
        let name = format!("{what}.zip");
        let path = zip(dir.path(), &name, &files);
        let path = path.to_str().expect("utf-8");
        let parts = [file, "is cut off at byte", "download the archive again"];
        assert_one_line_error(&["inspect", path], &parts);
        assert_one_line_error(&["inspect", "--json", path], &parts);
        assert_one_line_error(&["export", path, "--what", what], &parts);
        let relation = ["find", path, "--offline", "--relation", what];
        let out = run(&relation);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
        assert!(stderr(&out).contains(file), "{}", stderr(&out));
        // Tweets do not depend on it.
        let tweets = export(std::path::Path::new(path), "tweets", "jsonl");
        assert_eq!(tweets.lines().count() as u64, expect.tweets);
    }
}
