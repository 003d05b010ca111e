//! Defects found using `post` as a user would, each held by a test against the fake instance:
//! a rerun whose options split a tweet otherwise than the run that posted it; Ctrl-C at the
//! question (on a terminal, which `script` gives the run); a rate-limit stop counted as a failed
//! post.

use std::path::PathBuf;
use std::process::Output;
use std::time::Duration;

use serde_json::Value;

use crate::follow::Scene;
use crate::post::archive;
use crate::post_send::statuses;
use crate::util::{stderr, stdout};

/// `post ARCHIVE --yes --only-ids <1001> ARGS`: the thread's first tweet only.
fn post_1001(s: &Scene, args: &[&str]) -> Output {
    let archive = archive(s.home.path());
    let only = s.file("only.txt", "1001\n");
    let mut all = vec!["post", archive.to_str().unwrap(), "--only-ids", &only];
    all.extend_from_slice(args);
    s.run(&all)
}

fn journal(s: &Scene) -> PathBuf {
    s.home
        .path()
        .join("data/journals/mastodon.example/alice@mastodon.example/posts.jsonl")
}

/// A content warning that leaves too little room for tweet 1001 ("Night trains are back")
/// in one post of 500 characters.
fn long_warning() -> String {
    "a warning that is long ".repeat(21).trim().to_string()
}

/// How many posts tweet 1001 makes with `args` (from `--dry-run --jsonl` on the instance).
fn parts(s: &Scene, args: &[&str]) -> usize {
    let mut all = vec!["--dry-run", "--jsonl"];
    all.extend_from_slice(args);
    let out = post_1001(s, &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out).lines().count()
}

#[test]
fn a_tweet_posted_whole_is_not_continued_when_a_new_option_splits_it() {
    let s = Scene::new();
    let warning = long_warning();
    assert!(parts(&s, &["--content-warning", &warning]) > 1);
    let out = post_1001(&s, &["--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(statuses(&s).len(), 1);
    // The same tweets with a content warning: the tweet is already posted, whole.
    let out = post_1001(&s, &["--yes", "--jsonl", "--content-warning", &warning]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "{}", stderr(&out));
    assert_eq!(statuses(&s).len(), 1, "part of the tweet was posted again");
    assert!(
        stderr(&out).contains("1 post(s) already made by earlier runs are skipped"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_tweet_half_posted_under_other_options_is_named_not_continued() {
    let s = Scene::new();
    let warning = long_warning();
    let out = post_1001(&s, &["--yes", "--content-warning", &warning]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let made = statuses(&s).len();
    assert!(made > 1);
    // As if the run had stopped after the first part: only its `posted` line stays.
    let path = journal(&s);
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|line| {
            let record: Value = serde_json::from_str(line).unwrap();
            record["kind"] != "posted" || record["chunk"] == 0
        })
        .collect();
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    // Without the warning the tweet is one post: its first part exists, so nothing is sent,
    // and the tweet is named with what to do.
    let out = post_1001(&s, &["--yes", "--jsonl"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(statuses(&s).len(), made);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "tweet 1001 (post 2) was not posted: an earlier run posted 1 of its {made} part(s), \
             and with today's options it makes 1; rerun with the options of that run"
        )),
        "{err}"
    );
    // With the first run's options, the rest of the tweet follows its first part.
    let out = post_1001(&s, &["--yes", "--jsonl", "--content-warning", &warning]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), made - 1, "{}", stderr(&out));
    assert_eq!(
        statuses(&s).len(),
        made,
        "the server's idempotency keys hold"
    );
}

/// Runs `post ARCHIVE` under `script`, which gives it a terminal, and presses Ctrl-C when
/// the question is asked. Returns the exit status (None when it was still waiting after
/// 10 seconds) and everything the terminal showed.
fn ctrl_c_at_the_question(s: &Scene) -> (Option<i32>, String) {
    use std::io::{Read, Write};
    let archive = archive(s.home.path());
    let line = format!(
        "{} post {} --instance mastodon.example --token-file {} --ca-cert {} --resolve {}",
        crate::util::bin().display(),
        archive.display(),
        s.token_file.display(),
        s.ca.display(),
        s.fv.resolve_value("mastodon.example")
    );
    let mut child = script(s.home.path())
        .args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run `script` (util-linux), which gives the run a terminal");
    let shown = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let mut out = child.stdout.take().unwrap();
    let reader = {
        let shown = shown.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                shown.lock().unwrap().push_str(&text);
            }
        })
    };
    let asked = || shown.lock().unwrap().contains("Publish");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !asked() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if !asked() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("no question: {}", shown.lock().unwrap());
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(b"\x03").unwrap();
    stdin.flush().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut code = None;
    while std::time::Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            code = Some(status.code().unwrap_or(-1));
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Ended, or ended now: the child is reaped either way.
    let _ = child.kill();
    let _ = child.wait();
    drop(stdin);
    let _ = reader.join();
    let text = shown.lock().unwrap().clone();
    (code, text)
}

/// `script` with the clean environment `util::command` gives the binary.
fn script(home: &std::path::Path) -> std::process::Command {
    let mut script = std::process::Command::new("script");
    script.env_clear().env("TERM", "dumb");
    for (key, value) in crate::util::command(home).get_envs() {
        if let Some(value) = value {
            script.env(key, value);
        }
    }
    script
}

#[test]
fn ctrl_c_at_the_question_ends_the_run_at_once_and_posts_nothing() {
    let s = Scene::new();
    let (code, shown) = ctrl_c_at_the_question(&s);
    assert!(code.is_some(), "Ctrl-C did not end the question: {shown}");
    assert_eq!(code, Some(130), "{shown}");
    assert!(statuses(&s).is_empty());
    // Nothing was journaled: the next run asks afresh, with nothing lost to look for.
    let journal = std::fs::read_to_string(journal(&s)).unwrap_or_default();
    assert_eq!(journal, "", "{shown}");
}

#[test]
fn a_rate_limit_stop_counts_no_post_as_failed() {
    let s = Scene::new();
    s.fake.set_rate_limit(
        fakeverse::mastodon::Family::Statuses,
        3,
        Duration::from_secs(3600),
    );
    let archive = archive(s.home.path());
    let out = s.run(&[
        "post",
        archive.to_str().unwrap(),
        "--yes",
        "--max-wait",
        "1s",
    ]);
    assert_eq!(out.status.code(), Some(75), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("allows no more posts until"), "{err}");
    assert!(!err.contains("could not be posted"), "{err}");
    let runs = s.run(&["post", "--runs"]);
    assert!(stdout(&runs).contains(", failed 0"), "{}", stdout(&runs));
}
