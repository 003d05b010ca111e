//! The extraction benchmark (not a test): `cargo bench --bench extract [-- PROFILES]`.
//!
//! Runs the handle extractor (`discover::extract`, pure, one thread) over the name, bio and
//! website of PROFILES synthetic profiles (default 200,000): bios of every kind `find` meets,
//! from none at all to a handle, a profile link, a handle without its `@` after a marker, an
//! e-mail address that must stay one, a spelled-out address, full-width and decorated text,
//! CJK and long bios with hashtags and links. Prints profiles and handles per second (best of
//! three passes) and a `TABLE` line for `benches/table.sh`.

#[path = "support/timing.rs"]
mod timing;

use std::time::Instant;

use fedimigrate::discover::{ExtractOptions, Field, extract};

/// What a profile says, by kind (`{i}` is the profile's number, `{h}` a host).
const BIOS: [&str; 12] = [
    "Writer. Now at @u{i}@{h} 🐘",
    "https://{h}/@u{i}",
    "Photos & trams. Mastodon: u{i}@{h}",
    "mail me at u{i}@gmail.com",
    "A bio with #hashtags, #more #tags and https://example.com/blog/posts/{i}",
    "",
    "u{i} at {h} dot social (fedi)",
    "Ｆｅｄｉ：＠u{i}＠{h}",
    "東京在住。マストドン @u{i}@{h} もやってます",
    "he/him · software, bread, bicycles · opinions my own · no DMs please",
    "Moved! Find me on the fediverse: https://{h}/users/u{i} and on Bluesky u{i}.bsky.social",
    "Long bio: I write about public transport, timetables and the quiet joy of a train that \
     leaves on time. Previously at three startups, now freelance. Newsletter at \
     https://u{i}.substack.com and talks at https://speaking.example.org/u{i}.",
];

fn main() {
    let profiles: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200_000);
    let texts: Vec<(String, String, String)> = (0..profiles).map(profile).collect();
    let opts = ExtractOptions::default();
    let mut best = f64::MAX;
    let mut handles = 0;
    for _ in 0..3 {
        let started = Instant::now();
        handles = 0;
        for (name, bio, url) in &texts {
            handles += extract(name, Field::Name, &opts).len();
            handles += extract(bio, Field::Description, &opts).len();
            handles += extract(url, Field::Url, &opts).len();
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    let rate = profiles as f64 / best;
    println!("extract: {profiles} profiles (name, bio, website) in {best:.2} s, {handles} handles");
    println!(
        "profiles/s: {rate:.0}; handles/s: {:.0}",
        handles as f64 / best
    );
    timing::table_row(
        &format!("extraction ({profiles} profiles: name, bio, website; one thread)"),
        &format!(
            "**{}** profiles/s ({} handles/s)",
            timing::thousands(rate),
            timing::thousands(handles as f64 / best)
        ),
        "",
        &format!("`cargo bench --bench extract -- {profiles}`"),
    );
}

/// Profile `i`: a name, a bio of kind `i % 12` and, for one in four, a website.
fn profile(i: usize) -> (String, String, String) {
    let host = format!("h{}.social", i % 800);
    let fill = |s: &str| s.replace("{i}", &i.to_string()).replace("{h}", &host);
    let name = if i.is_multiple_of(7) {
        fill("Friend {i} (@u{i}@{h})")
    } else {
        fill("Friend {i}")
    };
    let url = if i.is_multiple_of(4) {
        fill("https://{h}/@u{i}")
    } else {
        String::new()
    };
    (name, fill(BIOS[i % BIOS.len()]), url)
}
