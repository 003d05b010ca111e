//! A fake instance to try the commands that act on one by hand, in a real terminal:
//! `cargo run --example fake-instance -- DIR [ACCOUNTS] [FOLLOWS_PER_MIN]` starts the test
//! suite's fake fediverse with `mastodon.example` (user `alice`, her token in `DIR/token`),
//! `ACCOUNTS` remote accounts `fNNNN@remote.example` (every tenth locked) listed in
//! `DIR/list.txt`, and prints the flags that reach it. It serves until killed.

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
    let fake = FakeMastodon::mount(&fv, "mastodon.example", Flavour::Mastodon);
    fake.add_user("alice");
    let token = fake.issue_token("alice", "read write follow");
    fake.set_rate_limit(Family::Follows, per_min, Duration::from_secs(60));
    fake.host().set_latency(Duration::from_millis(30));
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
