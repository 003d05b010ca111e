//! Follow benchmark (not a test): `fedimigrate follow` of 1,000 accounts on the fake instance,
//! half of them unknown to it (found through search with `resolve=true`), with the fake's
//! advertised limits: follows `BENCH_FOLLOWS` (200) per `BENCH_WINDOW_S` (10) seconds, and a
//! per-token budget large enough not to bind (20,000 per 5 min).
//!
//! Run: `cargo bench --bench follow`. It prints the requests per followed account (the issue's
//! goal: at most 2.1, counting lookups/resolves, follows and the relationship checks, 40 at a
//! time) and the wall time against the floor the advertised budget sets: the first window's
//! follows go at once, then one window per further `limit` follows.

#[path = "support/timing.rs"]
mod timing;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use fakeverse::Fakeverse;
use fakeverse::mastodon::{AccountSpec, FakeMastodon, Family, Flavour};

const ACCOUNTS: usize = 1_000;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let limit = env_or("BENCH_FOLLOWS", 200) as u32;
    let window = Duration::from_secs(env_or("BENCH_WINDOW_S", 10));
    let fv = Fakeverse::start();
    let fake = FakeMastodon::mount(&fv, "mastodon.example", Flavour::Mastodon);
    fake.add_user("alice");
    let token = fake.issue_token("alice", "read write follow");
    fake.set_rate_limit(Family::Follows, limit, window);
    fake.set_rate_limit(Family::Api, 20_000, Duration::from_secs(300));
    let mut list = String::new();
    for i in 0..ACCOUNTS {
        let spec = AccountSpec::remote(&format!("f{i:04}"), "remote.example");
        let spec = if i % 2 == 0 { spec.unknown() } else { spec };
        fake.add_account(spec);
        list.push_str(&format!("f{i:04}@remote.example\n"));
    }
    let home = tempfile::tempdir().expect("temp dir");
    let ca = fv.write_ca(home.path());
    let token_file = home.path().join("token");
    std::fs::write(&token_file, token).expect("token");
    let list_file = home.path().join("list.txt");
    std::fs::write(&list_file, list).expect("list");
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_fedimigrate"))
        .env("FEDIMIGRATE_DATA_DIR", home.path().join("data"))
        .env("FEDIMIGRATE_CONFIG_DIR", home.path().join("config"))
        .args([
            "follow",
            "--yes",
            "--max-wait",
            "1h",
            "--instance",
            "mastodon.example",
        ])
        .arg(&list_file)
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
    let followed = state.follows.len();
    let routes = fake.requests_by_route();
    let total: usize = routes.values().sum();
    println!("followed {followed} of {ACCOUNTS}; 429s: {}", state.refused);
    for (route, n) in &routes {
        println!("  {n:>6}  {route}");
    }
    println!(
        "requests per followed account: {:.3} (all {total} requests, setup included)",
        total as f64 / followed as f64
    );
    let windows = (ACCOUNTS as u32).saturating_sub(limit).div_ceil(limit);
    let floor = window * windows;
    let ratio = wall.as_secs_f64() / floor.as_secs_f64().max(0.001);
    println!(
        "wall time {:.1} s; floor under {limit} follows per {} s: {:.1} s; ratio {ratio:.2}",
        wall.as_secs_f64(),
        window.as_secs(),
        floor.as_secs_f64(),
    );
    timing::table_row(
        &format!(
            "follow: requests per account ({ACCOUNTS} accounts, half unknown to the instance)"
        ),
        &format!(
            "**{:.3}** requests/account; {} 429s; {:.1} s vs the advertised budget's floor {:.1} s = {ratio:.2}×",
            total as f64 / followed as f64,
            state.refused,
            wall.as_secs_f64(),
            floor.as_secs_f64()
        ),
        "",
        "`cargo bench --bench follow`",
    );
}
