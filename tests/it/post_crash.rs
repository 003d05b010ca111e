//! Crash loops for `post`: killed with -9 at random moments (20 times), then run until it
//! finishes; on the instance's side every post exists exactly once, threads are whole, and
//! nothing is missing. Then on GoToSocial (which ignores `Idempotency-Key`) while the fake
//! drops 30% of the answers after making the post, so the journal and the look-up on the
//! server are what prevent duplicates.

use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

use fakeverse::mastodon::Flavour;

use crate::archive::builder::{MediaSpec, Modern, Person, TweetSpec};
use crate::follow::Scene;
use crate::util::{Lcg, stderr};

const TWEETS: u64 = 36;
const KILLS: usize = 20;
const T0: i64 = 1_420_070_400; // 2015-01-01T00:00:00Z

/// 36 tweets: every third answers the one before (self-threads), every fifth has a photo,
/// every seventh is long enough to become two posts.
fn archive(s: &Scene) -> String {
    let owner = Person::new("42", "owner", "Owner");
    let tweets: Vec<TweetSpec> = (0..TWEETS)
        .rev()
        .map(|i| {
            let id = 3000 + i;
            let mut text = format!("Tweet number {i} about trains");
            if i % 7 == 6 {
                text.push_str(&" and a long story about the night train".repeat(14));
                text.push_str(&format!(" (the end of story {i})"));
            }
            TweetSpec {
                id,
                created: T0 + i as i64 * 3600,
                text,
                lang: "en".into(),
                reply_to: (i % 3 == 2).then(|| (id - 1, owner.clone())),
                media: if i % 5 == 4 {
                    vec![MediaSpec {
                        key: format!("K{i}"),
                        video: false,
                        present: true,
                    }]
                } else {
                    Vec::new()
                },
                ..TweetSpec::default()
            }
        })
        .collect();
    let m = Modern {
        owner: Some(owner.clone()),
        parts: 2,
        tweets,
        ..Modern::default()
    };
    let path = s.home.path().join("crash-archive.zip");
    m.build().write_zip(&path).expect("write the archive");
    path.display().to_string()
}

/// How many statuses the archive makes on this instance, and how many of them answer
/// another (from the preview).
fn expected_posts(s: &Scene, archive: &str) -> (usize, usize) {
    let out = s.run(&["post", archive, "--dry-run", "--jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let replies = lines.iter().filter(|l| !l["reply_to"].is_null()).count();
    (lines.len(), replies)
}

fn kill_loop(s: &Scene, archive: &str) {
    let mut rng = Lcg::from_clock();
    eprintln!("post crash loop seed {}", rng.0);
    let mut kills = 0;
    let deadline = Instant::now() + Duration::from_secs(150);
    while kills < KILLS {
        assert!(Instant::now() < deadline, "the crash loop took too long");
        let mut child = s
            .command(&["post", archive, "--yes", "--timeout", "2"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(100 + rng.below(600)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        let _ = child.wait();
    }
    for _ in 0..5 {
        let out = s.run(&["post", archive, "--yes", "--timeout", "2"]);
        match out.status.code() {
            Some(0) => return,
            Some(1 | 3) => continue,
            _ => panic!("{}", stderr(&out)),
        }
    }
    panic!("the run did not finish after the kills");
}

/// Every status once, every reply answering an existing status of the same thread.
fn check_exactly_once(s: &Scene, (want, replies): (usize, usize)) {
    let state = s.fake.state();
    let mine: Vec<_> = state
        .statuses
        .iter()
        .filter(|st| st.account_id == s.alice)
        .collect();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for st in &mine {
        *seen.entry(st.text.as_str()).or_default() += 1;
    }
    let twice: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "posted more than once: {twice:?}");
    assert_eq!(mine.len(), want, "statuses on the instance");
    for st in &mine {
        if let Some(parent) = &st.in_reply_to_id {
            assert!(
                mine.iter().any(|p| p.id == *parent),
                "{} answers a status that is not there",
                st.text
            );
        }
    }
    let threads = mine.iter().filter(|st| st.in_reply_to_id.is_some()).count();
    assert!(replies >= 12, "the archive has 12 self-replies");
    assert_eq!(threads, replies, "replies keep their threads");
}

#[test]
fn killed_at_random_moments_it_posts_everything_exactly_once() {
    let s = Scene::new();
    s.fake.host().set_latency(Duration::from_millis(40));
    let archive = archive(&s);
    let want = expected_posts(&s, &archive);
    kill_loop(&s, &archive);
    check_exactly_once(&s, want);
}

#[test]
fn gotosocial_losing_answers_after_posting_never_gets_a_post_twice() {
    let s = Scene::with(Flavour::GoToSocial);
    s.fake.host().set_latency(Duration::from_millis(40));
    s.fake
        .drop_after_commit_rate("POST", "/api/v1/statuses", 0.3);
    let archive = archive(&s);
    let want = expected_posts(&s, &archive);
    kill_loop(&s, &archive);
    assert!(s.fake.dropped_answers() > 0, "the fake dropped nothing");
    check_exactly_once(&s, want);
    let undo = s.run(&["post", "--undo", "--yes"]);
    assert_eq!(undo.status.code(), Some(0), "{}", stderr(&undo));
    let left = s.fake.state().statuses.len();
    assert_eq!(left, 0, "undo deletes every post, found ones included");
}
