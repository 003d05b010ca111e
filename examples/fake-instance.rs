//! A fake instance to try the commands that act on one by hand, in a real terminal:
//! `cargo run --example fake-instance -- DIR [ACCOUNTS] [FOLLOWS_PER_MIN]` starts the test
//! suite's fake fediverse with `mastodon.example` (user `alice`, her token in `DIR/token`),
//! `ACCOUNTS` remote accounts `fNNNN@remote.example` (every tenth locked) listed in
//! `DIR/list.txt`, and prints the flags that reach it. It serves until killed.
//!
//! To try `post` by hand, a few environment variables shape the instance:
//! `FAKE_FLAVOUR=gotosocial` (default: mastodon), `FAKE_SCOPES` (the token's scopes, default
//! "read write follow"), `FAKE_STATUSES=N/SECS` (a status budget), `FAKE_MEDIA_POLLS=N`
//! (polls a video stays "processing"), `FAKE_DROP_POSTS=N` (the next N statuses are made and
//! their answers dropped), `FAKE_LATENCY_MS` (default 30).

use std::time::Duration;

use fakeverse::Fakeverse;
use fakeverse::mastodon::{AccountSpec, FakeMastodon, Family, Flavour};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir =
        std::path::PathBuf::from(args.next().expect("usage: fake-instance DIR [N] [PER_MIN]"));
    let accounts: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let per_min: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(60);
    std::fs::create_dir_all(&dir).expect("create DIR");
    let fv = Fakeverse::start();
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let flavour = match env("FAKE_FLAVOUR").as_deref() {
        Some("gotosocial") => Flavour::GoToSocial,
        _ => Flavour::Mastodon,
    };
    let fake = FakeMastodon::mount(&fv, "mastodon.example", flavour);
    fake.add_user("alice");
    let scopes = env("FAKE_SCOPES").unwrap_or_else(|| "read write follow".into());
    let token = fake.issue_token("alice", &scopes);
    fake.set_rate_limit(Family::Follows, per_min, Duration::from_secs(60));
    if let Some((n, secs)) = env("FAKE_STATUSES")
        .as_deref()
        .and_then(|v| v.split_once('/'))
    {
        let (n, secs) = (
            n.parse().expect("FAKE_STATUSES N"),
            secs.parse().expect("SECS"),
        );
        fake.set_rate_limit(Family::Statuses, n, Duration::from_secs(secs));
    }
    if let Some(polls) = env("FAKE_MEDIA_POLLS").and_then(|v| v.parse().ok()) {
        fake.set_processing_polls(polls);
    }
    if let Some(n) = env("FAKE_DROP_POSTS").and_then(|v| v.parse().ok()) {
        fake.drop_after_commit("POST", "/api/v1/statuses", n);
    }
    let latency = env("FAKE_LATENCY_MS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    fake.host().set_latency(Duration::from_millis(latency));
    let mut list = String::new();
    for i in 0..accounts {
        let spec = AccountSpec::remote(&format!("f{i:04}"), "remote.example");
        fake.add_account(if i % 10 == 9 { spec.locked() } else { spec });
        list.push_str(&format!("f{i:04}@remote.example\n"));
    }
    std::fs::write(dir.join("token"), token).expect("token");
    std::fs::write(dir.join("list.txt"), list).expect("list");
    let ca = fv.write_ca(&dir);
    println!(
        "--instance mastodon.example --token-file {} --ca-cert {} --resolve {}",
        dir.join("token").display(),
        ca.display(),
        fv.resolve_value("mastodon.example")
    );
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}
