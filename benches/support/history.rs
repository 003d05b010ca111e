//! A heavy user's synthetic history for the post benchmarks: self-threads, replies to
//! others, retweets, quotes, links, mentions, one tweet in ten with media (one in twenty of
//! those missing from the archive), one in twenty long enough to split at 500 characters.

use super::builder::{MediaSpec, Modern, Person, Rng, TweetSpec, snowflake};

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

/// A heavy user's history: `n` tweets over four parts.
pub fn build(n: usize) -> Modern {
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
