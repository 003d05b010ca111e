//! Re-posting benchmark (not a test): `fedimigrate post ARCHIVE --yes` of a synthetic history
//! (`BENCH_TWEETS`, default 1,000 tweets; see `support/history.rs`) to the in-process fake
//! instance advertising `BENCH_POSTS` (200) statuses per `BENCH_WINDOW_S` (10) seconds, media
//! uploads at the same pace, and a per-token budget that does not bind.
//!
//! Run: `cargo bench --bench post_send`. It prints the statuses made, the requests per status,
//! the 429s, and the wall time against the floor the advertised budget sets (the first
//! window's posts go at once, then one window per further `limit` posts): the issue's goal is
//! a throughput equal to the advertised status budget.

#[path = "../tests/it/archive/builder.rs"]
mod builder;

#[path = "support/history.rs"]
mod history;

#[path = "support/timing.rs"]
mod timing;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fakeverse::Fakeverse;
use fakeverse::mastodon::{FakeMastodon, Family, Flavour};

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let tweets = env_or("BENCH_TWEETS", 1_000) as usize;
    let limit = env_or("BENCH_POSTS", 200) as u32;
    let window = Duration::from_secs(env_or("BENCH_WINDOW_S", 10));
    let fv = Fakeverse::start();
    let fake = FakeMastodon::mount(&fv, "mastodon.example", Flavour::Mastodon);
    fake.add_user("alice");
    let token = fake.issue_token("alice", "read write");
    fake.set_rate_limit(Family::Statuses, limit, window);
    fake.set_rate_limit(Family::Media, limit, window);
    fake.set_rate_limit(Family::Api, 100_000, Duration::from_secs(300));
    let home = tempfile::tempdir().expect("temp dir");
    let archive = home.path().join("history.zip");
    history::build(tweets)
        .build()
        .write_zip(&archive)
        .expect("write the archive");
    let ca = fv.write_ca(home.path());
    let token_file = home.path().join("token");
    std::fs::write(&token_file, token).expect("token");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_fedimigrate"))
        .env("FEDIMIGRATE_DATA_DIR", home.path().join("data"))
        .env("FEDIMIGRATE_CONFIG_DIR", home.path().join("config"))
        .args([
            "post",
            "--yes",
            "--max-wait",
            "1h",
            "--instance",
            "mastodon.example",
        ])
        .arg(&archive)
        .arg("--token-file")
        .arg(&token_file)
        .arg("--ca-cert")
        .arg(&ca)
        .args(["--resolve", &fv.resolve_value("mastodon.example")])
        .stdin(Stdio::null())
        .output()
        .expect("run fedimigrate");
    let wall = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    report(&fake, limit, window, wall);
}

fn report(fake: &FakeMastodon, limit: u32, window: Duration, wall: Duration) {
    let state = fake.state();
    let posts = state.statuses.len();
    let media = state.media.len();
    let requests: usize = fake.requests_by_route().values().sum();
    let windows_after_first = posts.saturating_sub(1) / limit as usize;
    let floor = window * windows_after_first as u32;
    let advertised = f64::from(limit) / window.as_secs_f64();
    let rate = posts as f64 / wall.as_secs_f64();
    println!("statuses made            {posts} (with {media} media uploads)");
    println!(
        "requests per status      {:.3} ({requests} in all)",
        requests as f64 / posts.max(1) as f64
    );
    println!("429 answers              {}", state.refused);
    println!("wall time                {:.1} s", wall.as_secs_f64());
    println!(
        "floor of the budget      {:.1} s ({limit} per {} s: the first window at once, then {windows_after_first} more)",
        floor.as_secs_f64(),
        window.as_secs()
    );
    println!(
        "ratio                    {:.2}",
        wall.as_secs_f64() / floor.as_secs_f64().max(0.001)
    );
    println!("throughput               {rate:.1} statuses/s (advertised: {advertised:.1}/s)");
    timing::table_row(
        &format!(
            "post: re-posting {posts} statuses to the fake instance ({limit} per {} s advertised)",
            window.as_secs()
        ),
        &format!(
            "**{rate:.1}** statuses/s vs {advertised:.1}/s advertised ({:.2}× the budget's floor); {} 429s; {:.3} requests/status",
            wall.as_secs_f64() / floor.as_secs_f64().max(0.001),
            state.refused,
            requests as f64 / posts.max(1) as f64
        ),
        "throughput = the advertised status budget",
        "`cargo bench --bench post_send`",
    );
}
