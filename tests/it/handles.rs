//! `fedimigrate handles`: the real binary on stdin and files.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};

use crate::util;

/// Runs `fedimigrate handles ARGS` with `stdin` piped in.
fn handles(args: &[&str], stdin: &[u8]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    let mut child = util::command(home.path())
        .arg("handles")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start fedimigrate");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("wait for fedimigrate")
}

const BIO: &str = "Mastodon: @Alice@Mastodon.Social (old: https://mas.to/@alice/1093)\n\
                   press@nytimes.com · 🦋 alice.bsky.social · again @alice@mastodon.social\n";

#[test]
fn prints_one_normalised_handle_per_line_from_stdin() {
    let out = handles(&[], BIO.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", util::stderr(&out));
    assert_eq!(util::stdout(&out), "alice@mastodon.social\nalice@mas.to\n");
}

#[test]
fn a_dash_and_a_file_read_the_same_text() {
    let dash = handles(&["-"], BIO.as_bytes());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bio.txt");
    std::fs::write(&path, BIO).expect("write input");
    let file = handles(&[path.to_str().expect("utf-8 path")], b"");
    assert_eq!(util::stdout(&dash), "alice@mastodon.social\nalice@mas.to\n");
    assert_eq!(util::stdout(&file), util::stdout(&dash));
}

#[test]
fn json_prints_one_object_per_line_with_stable_fields() {
    let out = handles(&["--json"], BIO.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = util::stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(
        lines,
        [
            serde_json::json!({"handle": "alice@mastodon.social", "rule": "acct-at",
                "matched": "@Alice@Mastodon.Social", "bridge": null}),
            serde_json::json!({"handle": "alice@mas.to", "rule": "status-url",
                "matched": "https://mas.to/@alice/1093", "bridge": null}),
        ]
    );
}

#[test]
fn the_bluesky_bridge_is_opt_in_and_flagged() {
    let out = handles(&["--bridges", "bluesky", "--json"], BIO.as_bytes());
    let text = util::stdout(&out);
    let bridged: serde_json::Value =
        serde_json::from_str(text.lines().nth(2).expect("a third line")).expect("JSON");
    assert_eq!(
        bridged,
        serde_json::json!({"handle": "alice.bsky.social@bsky.brid.gy", "rule": "bridge",
            "matched": "alice.bsky.social", "bridge": "bluesky"})
    );
    let plain = handles(&["--bridges", "bluesky"], BIO.as_bytes());
    assert_eq!(
        util::stdout(&plain),
        "alice@mastodon.social\nalice@mas.to\nalice.bsky.social@bsky.brid.gy\n"
    );
}

#[test]
fn nothing_found_is_not_an_error() {
    let out = handles(&[], b"press@nytimes.com and @acme, Matrix: @a:matrix.org\n");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(util::stdout(&out), "");
    assert_eq!(util::stderr(&out), "no fediverse handles found\n");
    let quiet = handles(&["--quiet"], b"nothing\n");
    assert_eq!(util::stderr(&quiet), "");
}

#[test]
fn ignored_bluesky_handles_get_a_hint_on_stderr_only() {
    let out = handles(&[], "🦋 alice.bsky.social\n".as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(util::stdout(&out), "");
    assert_eq!(
        util::stderr(&out),
        "no fediverse handles found\n\
         1 Bluesky handle ignored; add --bridges bluesky to map it to its Bridgy Fed address\n"
    );
    let bridged = handles(
        &["--bridges", "bluesky"],
        "🦋 alice.bsky.social\n".as_bytes(),
    );
    assert_eq!(util::stdout(&bridged), "alice.bsky.social@bsky.brid.gy\n");
    assert_eq!(util::stderr(&bridged), "");
}

#[test]
fn non_utf8_input_is_one_plain_error_line() {
    let out = handles(&[], b"@alice@mastodon.social \xff\xfe\n");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(util::stdout(&out), "");
    assert_eq!(
        util::stderr(&out),
        "error: standard input is not UTF-8 text\n"
    );
}

#[test]
fn an_unreadable_file_is_one_plain_error_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.txt");
    let out = handles(&[missing.to_str().expect("utf-8 path")], b"");
    assert_eq!(out.status.code(), Some(1));
    let err = util::stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: cannot read ") && err.contains("missing.txt"),
        "{err}"
    );
}

#[test]
fn the_shared_cases_pass_through_the_binary() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/handle-cases.jsonl");
    let body = std::fs::read_to_string(path).expect("read the cases");
    let mut texts = String::new();
    let mut want: Vec<String> = Vec::new();
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON case");
        texts.push_str(case["text"].as_str().expect("text"));
        texts.push('\n');
        for handle in case["expect"].as_array().expect("expect") {
            let handle = handle.as_str().expect("a string").to_string();
            if !want.contains(&handle) {
                want.push(handle);
            }
        }
    }
    let out = handles(&[], texts.as_bytes());
    let got: Vec<String> = util::stdout(&out).lines().map(String::from).collect();
    assert_eq!(got, want);
}
