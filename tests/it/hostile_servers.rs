//! A matrix of hostile instances for the commands that act on one (`instance`, `follow`,
//! `block`, `follow --dry-run`, `post --dry-run`): the instance hangs, closes connections, answers every request
//! with an error, a huge or broken body, a redirect elsewhere or to a private address, or a
//! storm of 429s. Every run must end within its timeouts with a documented exit code, one
//! `error:` line (no panic), no token in any output, and a journal that is still readable.

use std::time::{Duration, Instant};

use fakeverse::Mode;

use crate::follow::Scene;
use crate::util::{stderr, stdout};

fn modes() -> Vec<(&'static str, Mode)> {
    vec![
        ("hang", Mode::Hang),
        ("close", Mode::Close),
        ("500", Mode::Status(500)),
        ("503", Mode::Status(503)),
        ("401", Mode::Status(401)),
        ("429", Mode::Status(429)),
        ("oversize", Mode::Oversize(40 << 20)),
        ("malformed", Mode::Malformed),
        (
            "redirect-private",
            Mode::RedirectTo("http://10.0.0.1".into()),
        ),
        (
            "redirect-elsewhere",
            Mode::RedirectTo("https://evil.example".into()),
        ),
        (
            "redirect-loop",
            Mode::RedirectTo("https://mastodon.example".into()),
        ),
    ]
}

const COMMANDS: [&[&str]; 5] = [
    &["instance"],
    &["follow", "LIST", "--dry-run"],
    &["follow", "LIST", "--yes"],
    &["block", "LIST", "--yes"],
    &["post", "ARCHIVE", "--dry-run"],
];

fn sample_archive() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-archive.zip");
    path.display().to_string()
}

#[test]
fn hostile_instances_end_in_one_sentence_within_the_timeouts() {
    // Each mode has its own fake instance; they run side by side (mostly waiting on timeouts).
    let results: Vec<(usize, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = modes()
            .into_iter()
            .map(|(name, mode)| scope.spawn(move || one_mode(name, mode)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let cases: usize = results.iter().map(|(n, _)| n).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|(_, f)| f).collect();
    eprintln!(
        "hostile instances: {cases} cases, {} passed",
        cases - failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs every command against one hostile mode; returns the case count and the failures.
fn one_mode(name: &'static str, mode: Mode) -> (usize, Vec<String>) {
    let s = Scene::new();
    s.remotes(&["ana"]);
    let list = s.file("list.txt", "ana@remote.example\n");
    let archive = sample_archive();
    let token = std::fs::read_to_string(&s.token_file).unwrap();
    s.fake.host().set_mode(mode);
    let mut failures = Vec::new();
    for command in COMMANDS {
        let mut args: Vec<&str> = command
            .iter()
            .map(|a| match *a {
                "LIST" => list.as_str(),
                "ARCHIVE" => archive.as_str(),
                other => other,
            })
            .chain(["--timeout", "1"])
            .collect();
        if matches!(command[0], "follow" | "block") {
            args.extend(["--max-wait", "2s"]);
        }
        let started = Instant::now();
        let out = s.run(&args);
        let took = started.elapsed();
        let last = stderr(&out).lines().last().unwrap_or_default().to_string();
        eprintln!(
            "{name:>18} {:<10} {:?} {took:.1?}: {last}",
            command[0],
            out.status.code()
        );
        if let Some(why) = judge(&out, token.trim(), took) {
            let err = stderr(&out);
            let code = out.status.code();
            failures.push(format!(
                "{name} {command:?}: {why} ({code:?}, {took:?}): {err}"
            ));
        }
    }
    check_journals(name, &s.home.path().join("data"));
    (COMMANDS.len(), failures)
}

/// Why a run is not acceptable, if it is not.
fn judge(out: &std::process::Output, token: &str, took: Duration) -> Option<&'static str> {
    let (err, text) = (stderr(out), stdout(out));
    let code = out.status.code();
    let errors = err.lines().filter(|l| l.starts_with("error:")).count();
    if err.contains("panicked") {
        Some("panicked")
    } else if !matches!(code, Some(1) | Some(3) | Some(4) | Some(75)) {
        Some("exit code")
    } else if code == Some(1) && errors != 1 {
        Some("not one error line")
    } else if err.contains(token) || text.contains(token) {
        Some("token shown")
    } else if took > Duration::from_secs(60) {
        Some("too slow")
    } else {
        None
    }
}

/// Every journal line left behind is still a whole JSON record.
fn check_journals(name: &str, data: &std::path::Path) {
    for entry in walk(data) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        for line in text.lines() {
            assert!(
                serde_json::from_str::<serde_json::Value>(line).is_ok(),
                "{name}: damaged journal line in {}: {line}",
                entry.display()
            );
        }
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "jsonl") {
            out.push(path);
        }
    }
    out
}
