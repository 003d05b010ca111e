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

use std::path::{Path, PathBuf};

use builder::{MediaSpec, Modern, Person, Rng, TweetSpec, snowflake};

const WORDS: [&str; 16] = [
    "train",
    "bread",
    "protocol",
    "station",
    "morning",
    "coffee",
    "timetable",
    "delay",
    "rye",
    "server",
    "federation",
    "garden",
    "platform",
    "ticket",
    "bicycle",
    "river",
];

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

/// A heavy user's history: `n` tweets over four parts.
fn build(n: usize) -> Modern {
    let owner = Person::new("1180000000000000001", "bench_owner", "Bench Owner");
    let friends: Vec<Person> = (0..500)
        .map(|i| Person::new(&(10_000 + i).to_string(), &format!("friend_{i}"), "Friend"))
        .collect();
    let mut rng = Rng::new(7);
    let mut created = 1_300_000_000i64;
    let mut previous = 0;
    let tweets = (0..n as u64)
        .map(|i| {
            created += 60 + rng.below(7200) as i64;
            let id = snowflake(created, i);
            let t = tweet(&mut rng, id, created, previous, &friends, &owner);
            previous = id;
            t
        })
        .collect();
    Modern {
        owner: Some(owner),
        tweets,
        parts: 4,
        ..Modern::default()
    }
}

fn tweet(
    rng: &mut Rng,
    id: u64,
    created: i64,
    previous: u64,
    friends: &[Person],
    owner: &Person,
) -> TweetSpec {
    let mut t = TweetSpec {
        id,
        created,
        lang: "en".into(),
        ..TweetSpec::default()
    };
    let mut text = String::new();
    match rng.below(10) {
        0 => text.push_str("RT "),
        1 => t.reply_to = Some((id - 1000, rng.pick(friends).clone())),
        2 | 3 if previous > 0 => t.reply_to = Some((previous, owner.clone())),
        _ => {}
    }
    if rng.below(3) == 0 || text.starts_with("RT") {
        let f = rng.pick(friends).clone();
        text.push_str(&format!("@{} ", f.username));
        t.mentions.push(f);
    }
    let words = if rng.below(20) == 0 {
        90
    } else {
        8 + rng.below(30)
    };
    for _ in 0..words {
        text.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
        text.push_str(if rng.below(9) == 0 { ". " } else { " " });
    }
    text.push_str("& more");
    if rng.below(2) == 0 {
        let short = format!("https://t.co/{id:x}");
        let long = if rng.below(8) == 0 {
            format!(
                "https://twitter.com/{}/status/{}",
                owner.username,
                id - 5000
            )
        } else {
            format!("https://blog.example.org/posts/{id}/a-long-readable-slug")
        };
        text.push(' ');
        text.push_str(&short);
        t.urls.push((short, long));
    }
    if rng.below(10) == 0 {
        t.media.push(MediaSpec {
            key: format!("M{id:x}"),
            video: false,
            present: rng.below(20) != 0,
        });
    }
    t.text = text;
    t
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
