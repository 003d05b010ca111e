//! The post preview benchmark (not a test): `cargo bench --bench post [-- TWEETS]`.
//!
//! Builds a synthetic archive shaped for re-posting (default 200,000 tweets over 4 parts:
//! self-threads, replies to others, retweets, quotes, links, mentions, one tweet in ten with
//! media, one in twenty long enough to split at 500 characters) under
//! `target/bench-archive/`, then runs `fedimigrate post ARCHIVE --dry-run --jsonl
//! --max-chars 500 > /dev/null` (release build, offline) three times with `/usr/bin/time`
//! and reports the best wall time as tweets per second and the highest peak memory, against
//! the goal: at least 50,000 tweets/s and under 64 MB.
//!
//! Needs `/usr/bin/time` (`apt-get install time`).

#[path = "../tests/it/archive/builder.rs"]
mod builder;

#[path = "support/timing.rs"]
mod timing;
use timing::best_of;

#[path = "support/history.rs"]
mod history;
use history::build;

use std::path::{Path, PathBuf};

const GOAL_RATE: f64 = 50_000.0;
const GOAL_MB: u64 = 64;

fn main() {
    let tweets: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-archive");
    if let Err(err) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {err}", dir.display());
        std::process::exit(1);
    }
    let archive = dir.join(format!("post-{tweets}.zip"));
    if !archive.exists() {
        eprintln!("building {} ...", archive.display());
        if let Err(err) = build(tweets).build().write_zip(&archive) {
            eprintln!("cannot write {}: {err}", archive.display());
            std::process::exit(1);
        }
    }
    report(&archive, tweets);
}

/// Runs the preview and prints the numbers.
fn report(archive: &Path, tweets: usize) {
    let size = std::fs::metadata(archive).map(|m| m.len()).unwrap_or(0);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_fedimigrate"));
    let quoted = archive.display().to_string().replace('\'', "'\\''");
    let preview = format!(
        "'{}' post '{quoted}' --dry-run --jsonl --max-chars 500 > /dev/null",
        bin.display()
    );
    println!(
        "archive: {} ({tweets} tweets, {} MB zip)",
        archive.display(),
        size / 1_000_000
    );
    let (wall, peak_kib) = best_of(3, &preview);
    let rate = tweets as f64 / wall.max(0.001);
    let peak_mb = peak_kib / 1024;
    println!("post --dry-run --jsonl --max-chars 500 : {wall:.2} s, peak {peak_mb} MB");
    println!(
        "tweets/s: {rate:.0} (goal >= {GOAL_RATE:.0}: {}); peak memory: {peak_mb} MB (goal < {GOAL_MB} MB: {})",
        verdict(rate >= GOAL_RATE),
        verdict(peak_mb < GOAL_MB)
    );
    timing::table_row(
        &format!("post composition: `post --dry-run --jsonl` ({tweets} tweets, offline)"),
        &format!(
            "**{}** tweets/s ({wall:.2} s); peak {peak_mb} MB",
            timing::thousands(rate)
        ),
        &format!(
            "≥ {} tweets/s; < {GOAL_MB} MB",
            timing::thousands(GOAL_RATE)
        ),
        "`cargo bench --bench post`",
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}
