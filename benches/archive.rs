//! The archive benchmark (not a test): `cargo bench --bench archive [-- TWEETS]`.
//!
//! Builds a large synthetic archive (default 200,000 tweets over 4 parts, 5,000 following,
//! records of 1–2 KB with entities like real ones, media on one tweet in ten) under
//! `target/bench-archive/`, then measures, with `/usr/bin/time`, the wall time and peak
//! memory of `fedimigrate inspect` (release build) against the decompression floor: inflating
//! the same tweet entries with the same inflater (the `zip` crate with zlib-rs, as fedimigrate
//! reads them), in one thread, parsing nothing. Up to 1,000,000 tweets it also times the
//! library reading the tweet records of `data/tweets.js` from memory on one thread, the rate
//! `inspect`'s parsing thread has to match. `unzip -p ARCHIVE 'data/tweets*.js'` is shown
//! too, for reference (its zlib is slower, so it is no bar). Then, up to 1,000,000 tweets,
//! `fedimigrate find --offline` with a profiles file for the 5,000 follows (every tweet is
//! scanned for names and handles, every profile for handles) against `inspect`. Each command
//! runs three times; the best wall time and the highest peak memory are reported, and
//! `TABLE` lines for `benches/table.sh`.
//!
//! Needs `unzip` and `/usr/bin/time` (`apt-get install unzip time`).

#[path = "../tests/it/archive/builder.rs"]
mod builder;

#[path = "support/timing.rs"]
mod timing;
use timing::{best_of, table_row};

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use builder::{MediaSpec, Modern, Person, Rng, TweetSpec, snowflake};

const WORDS: [&str; 24] = [
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
    "evening",
    "loaf",
    "signal",
    "journey",
    "window",
    "crumb",
    "sleeper",
    "bridge",
];

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
    let archive = dir.join(format!("bench-{tweets}.zip"));
    if !archive.exists() {
        eprintln!("building {} ...", archive.display());
        if let Err(err) = build(tweets).build().write_zip(&archive) {
            eprintln!("cannot write {}: {err}", archive.display());
            std::process::exit(1);
        }
    }
    report(&archive, tweets);
}

/// A synthetic heavy user: `n` tweets over four parts, 5,000 following.
fn build(n: usize) -> Modern {
    let owner = Person::new("1180000000000000001", "bench_owner", "Bench Owner");
    let friends: Vec<Person> = (0..5000)
        .map(|i| {
            Person::new(
                &(10_000 + i).to_string(),
                &format!("friend_{i}"),
                &format!("Friend Number {i}"),
            )
        })
        .collect();
    let mut rng = Rng::new(42);
    let mut created = 1_300_000_000i64;
    let tweets = (0..n as u64)
        .map(|i| {
            created += 60 + rng.below(7200) as i64;
            tweet(&mut rng, snowflake(created, i), created, &friends, &owner)
        })
        .collect();
    Modern {
        owner: Some(owner),
        tweets,
        parts: 4,
        following: friends.iter().map(|f| f.id.clone()).collect(),
        followers: (0..2000).map(|i| (50_000 + i).to_string()).collect(),
        ..Modern::default()
    }
}

fn tweet(rng: &mut Rng, id: u64, created: i64, friends: &[Person], owner: &Person) -> TweetSpec {
    let mut t = TweetSpec {
        id,
        created,
        lang: "en".into(),
        ..TweetSpec::default()
    };
    let mut text = String::new();
    for _ in 0..rng.below(2) + 1 {
        let f = rng.pick(friends).clone();
        text.push_str(&format!("@{} ", f.username));
        t.mentions.push(f);
    }
    let words = 12 + rng.below(30);
    for _ in 0..words {
        let word = WORDS[rng.below(WORDS.len() as u64) as usize];
        text.push_str(word);
        text.push(' ');
    }
    text.push_str("& more");
    if rng.below(2) == 0 {
        let short = format!("https://t.co/{id:x}");
        text.push(' ');
        text.push_str(&short);
        t.urls.push((
            short,
            format!("https://blog.example.org/posts/{id}/a-long-readable-slug"),
        ));
    }
    if rng.below(10) == 0 {
        t.media.push(MediaSpec {
            key: format!("M{id:x}"),
            video: false,
            present: true,
        });
    }
    if rng.below(4) == 0 {
        t.reply_to = Some((id - 1000, owner.clone()));
    }
    t.text = text;
    t
}

/// Times both commands and prints the comparison.
fn report(archive: &Path, tweets: usize) {
    let size = std::fs::metadata(archive).map(|m| m.len()).unwrap_or(0);
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_fedimigrate"));
    let quoted = archive.display().to_string().replace('\'', "'\\''");
    let unzip = format!("unzip -p '{quoted}' 'data/tweets*.js' > /dev/null");
    let inspect = format!("'{}' inspect '{quoted}' > /dev/null", bin.display());
    let tweet_bytes = uncompressed_tweet_bytes(archive);
    println!(
        "archive: {} ({tweets} tweets, {} MB zip, {} MB of tweet files)",
        archive.display(),
        size / 1_000_000,
        tweet_bytes / 1_000_000
    );
    let floor = inflate_floor(archive);
    // The whole file is held in memory for this: only for the smaller archives.
    let parse = (tweets <= 1_000_000)
        .then(|| parse_in_memory(archive))
        .flatten();
    let base = best_of(3, &unzip);
    let ours = best_of(3, &inspect);
    println!("inflate tweets*.js (zip + zlib-rs, one thread, no parsing) : {floor:.2} s");
    println!(
        "unzip -p tweets*.js > /dev/null : {:.2} s, peak {} MB",
        base.0,
        base.1 / 1024
    );
    println!(
        "fedimigrate inspect             : {:.2} s, peak {} MB",
        ours.0,
        ours.1 / 1024
    );
    if let Some((bytes, secs)) = parse {
        let inflate_rate = tweet_bytes as f64 / floor.max(0.001) / 1e9;
        let parse_rate = bytes as f64 / secs.max(0.001) / 1e9;
        println!(
            "tweet records read in memory (data/tweets.js, one thread) : {parse_rate:.2} GB/s vs inflating {inflate_rate:.2} GB/s"
        );
        table_row(
            &format!(
                "reading tweet records from memory (`data/tweets.js`, {} MB, one thread: parse, normalise) vs inflating",
                bytes / 1_000_000
            ),
            &format!(
                "**{parse_rate:.2} GB/s** vs {inflate_rate:.2} GB/s = {:.2}×",
                inflate_rate / parse_rate.max(0.001)
            ),
            "as fast as inflating (so that `inspect` can be within 1.1×)",
            &format!("`cargo bench --bench archive -- {tweets}`"),
        );
    }
    let ratio = ours.0 / floor.max(0.001);
    println!("ratio inspect / inflate floor   : {ratio:.2}");
    println!(
        "ratio inspect / unzip           : {:.2}",
        ours.0 / base.0.max(0.001)
    );
    table_row(
        &format!(
            "`inspect`, {} tweets ({} MB zip, {} MB of tweet files) vs inflating them (one thread, no parsing)",
            timing::thousands(tweets as f64),
            size / 1_000_000,
            tweet_bytes / 1_000_000
        ),
        &format!(
            "{:.2} s vs {floor:.2} s = **{ratio:.2}×**; peak {} MB",
            ours.0,
            ours.1 / 1024
        ),
        "≤ 1.1×; < 64 MB",
        &format!("`cargo bench --bench archive -- {tweets}`"),
    );
    if tweets > 1_000_000 {
        return;
    }
    let Some(profiles) = write_profiles(archive) else {
        return;
    };
    let find = format!(
        "'{}' find '{quoted}' --offline --profiles '{}' > /dev/null",
        bin.display(),
        profiles.display()
    );
    let found = best_of(3, &find);
    println!(
        "fedimigrate find --offline      : {:.2} s, peak {} MB (5,000 profiles, every tweet scanned)",
        found.0,
        found.1 / 1024
    );
    table_row(
        &format!(
            "`find --offline` (5,000 profiles, every tweet scanned) vs `inspect`, {} tweets",
            timing::thousands(tweets as f64)
        ),
        &format!(
            "{:.2} s vs {:.2} s = **{:.2}×**; peak {} MB",
            found.0,
            ours.0,
            found.0 / ours.0.max(0.001),
            found.1 / 1024
        ),
        "≤ 1.5×",
        &format!("`cargo bench --bench archive -- {tweets}`"),
    );
}

/// The decompression floor: the best of three passes inflating every tweet file of the
/// archive with the `zip` crate (fedimigrate's inflater), in one thread, into a 256 KB buffer
/// that nothing reads, as `inspect`'s inflating thread does.
fn inflate_floor(archive: &Path) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let bytes = inflate_tweets(archive).unwrap_or_else(|err| {
            eprintln!("cannot inflate {}: {err}", archive.display());
            std::process::exit(1);
        });
        best = best.min(started.elapsed().as_secs_f64());
        if bytes != uncompressed_tweet_bytes(archive) {
            eprintln!("inflated {bytes} bytes, not the tweet files' size");
            std::process::exit(1);
        }
    }
    best
}

/// Reads `data/tweets.js` into memory, then times reading its tweets from there (the
/// library's own reader: records parsed and normalised, one thread), best of three.
/// Returns the file's size and the time.
fn parse_in_memory(archive: &Path) -> Option<(u64, f64)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).ok()?).ok()?;
    let mut text = Vec::new();
    zip.by_name("data/tweets.js")
        .ok()?
        .read_to_end(&mut text)
        .ok()?;
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let mut reader = text.as_slice();
        let read = fedimigrate::archive::tweets_of_file::<fedimigrate::archive::ArchiveError>(
            &mut reader,
            "bench.zip",
            |tweet| {
                std::hint::black_box(tweet);
                Ok(std::ops::ControlFlow::Continue(()))
            },
        );
        if let Err(err) = read {
            eprintln!("cannot read data/tweets.js: {err}");
            return None;
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    Some((text.len() as u64, best))
}

fn inflate_tweets(archive: &Path) -> std::io::Result<u64> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive)?)?;
    let mut buf = vec![0u8; 256 * 1024];
    let mut total = 0u64;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        if !(name.starts_with("data/tweets") && name.ends_with(".js")) {
            continue;
        }
        loop {
            let n = entry.read(&mut buf)?;
            if n == 0 {
                break;
            }
            total += n as u64;
        }
    }
    Ok(total)
}

/// A profiles file for the 5,000 follows: three bios in five name a handle (on 800 hosts).
fn write_profiles(archive: &Path) -> Option<PathBuf> {
    let path = archive.with_extension("profiles.csv");
    let mut csv = String::from("id,username,name,description\n");
    for i in 0..5000 {
        let host = format!("h{}.example", i % 800);
        let bio = match i % 5 {
            0 => format!("Writer. Now at @u{i}@{host} 🐘"),
            1 => format!("https://{host}/@u{i}"),
            2 => format!("Photos & trams. Mastodon: u{i}@{host}"),
            3 => format!("mail me at u{i}@gmail.com"),
            _ => "A bio with #hashtags and https://example.com/blog".to_string(),
        };
        csv.push_str(&format!("{},friend_{i},Friend {i},\"{bio}\"\n", 10_000 + i));
    }
    match std::fs::write(&path, csv) {
        Ok(()) => Some(path),
        Err(err) => {
            eprintln!("cannot write {}: {err}", path.display());
            None
        }
    }
}

fn uncompressed_tweet_bytes(archive: &Path) -> u64 {
    let Ok(file) = std::fs::File::open(archive) else {
        return 0;
    };
    let Ok(mut zip) = zip::ZipArchive::new(file) else {
        return 0;
    };
    (0..zip.len())
        .filter_map(|i| {
            zip.by_index(i)
                .ok()
                .map(|f| (String::from_utf8_lossy(f.name_raw()).into_owned(), f.size()))
        })
        .filter(|(name, _)| name.starts_with("data/tweets") && name.ends_with(".js"))
        .map(|(_, size)| size)
        .sum()
}
