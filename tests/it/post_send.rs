//! `post` for real, end to end: the binary re-posts the test archive of `post.rs` to the fake
//! instance, and the fake's statuses are checked exactly (text, reply chain, media,
//! visibility, dates where the flavour backdates). Then a rerun (nothing twice), `--undo`,
//! GoToSocial's quirks (no idempotency, backdating, its length rule), a lost answer, the
//! rate limit's stop and resume (exit 75), and slow media processing.

use std::collections::BTreeMap;
use std::time::Duration;

use fakeverse::mastodon::{Family, Flavour, StatusRec};
use serde_json::Value;

use crate::follow::Scene;
use crate::post::archive;
use crate::util::{stderr, stdout};

fn post(s: &Scene, args: &[&str]) -> std::process::Output {
    let archive = archive(s.home.path());
    let mut all = vec!["post", archive.to_str().unwrap()];
    all.extend_from_slice(args);
    s.run(&all)
}

/// The fake's statuses of alice, oldest first (by creation order).
pub fn statuses(s: &Scene) -> Vec<StatusRec> {
    s.fake
        .state()
        .statuses
        .into_iter()
        .filter(|st| st.account_id == s.alice)
        .collect()
}

fn first_words(rec: &StatusRec) -> String {
    rec.text
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_archive_becomes_statuses_on_the_instance_exactly_once() {
    let s = Scene::new();
    let out = post(&s, &["--yes", "--jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let made = statuses(&s);
    let texts: Vec<String> = made.iter().map(first_words).collect();
    assert_eq!(
        texts,
        [
            "Night trains are",
            "And they have",
            "Fresh bread",
            "Video and photo",
            "2/2",
            "Thanks ＠friend and",
            "So true https://twitter.com/friend/status/777",
            "Night trains are",
            "Night trains are",
            "Still true https://mastodon.example/@alice/",
        ]
        .map(|t| t.to_string())
        .iter()
        .zip(&texts)
        .map(|(want, got)| if got.starts_with(want.as_str()) {
            got.clone()
        } else {
            want.clone()
        })
        .collect::<Vec<_>>(),
        "{}",
        stderr(&out)
    );
    let by_text = |prefix: &str| -> &StatusRec {
        made.iter()
            .find(|r| r.text.starts_with(prefix))
            .unwrap_or_else(|| panic!("no status starting {prefix:?}"))
    };
    // The self-reply answers our copy of its parent; the note's second part its first.
    let root = by_text("Night trains are back");
    assert_eq!(
        by_text("And they have beds").in_reply_to_id,
        Some(root.id.clone())
    );
    let note_parts: Vec<&StatusRec> = made
        .iter()
        .filter(|r| r.text.starts_with("Night trains are the best"))
        .collect();
    assert_eq!(note_parts.len(), 2);
    assert_eq!(note_parts[1].in_reply_to_id, Some(note_parts[0].id.clone()));
    // A quote of one's own tweet links our copy of it.
    let quote = by_text("Still true");
    assert!(
        quote.text.contains(&format!("/@alice/{}", root.id)),
        "{}",
        quote.text
    );
    // Media: the photo (its missing sibling left out); the video alone, the photo after.
    assert_eq!(by_text("Fresh bread").media_ids.len(), 1);
    let video = by_text("Video and photo");
    assert_eq!(video.media_ids.len(), 1);
    let photo_after = made
        .iter()
        .find(|r| r.in_reply_to_id.as_deref() == Some(video.id.as_str()))
        .expect("the photo follows the video in a reply");
    assert_eq!(photo_after.media_ids.len(), 1);
    // Never: the retweet, the reply to someone else, circle and deleted tweets.
    for absent in ["RT @friend", "agreed", "Close friends", "Wrong account"] {
        assert!(
            !made.iter().any(|r| r.text.contains(absent)),
            "{absent} was posted"
        );
    }
    assert!(made.iter().all(|r| r.visibility == "unlisted"));
    assert!(made.iter().all(|r| r.language.as_deref() == Some("en")));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), made.len());
    assert!(lines.iter().all(|l| l["result"] == "posted"));

    let again = post(&s, &["--yes"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        statuses(&s).len(),
        made.len(),
        "a rerun posts nothing twice"
    );
    assert!(
        stderr(&again).contains("already made by earlier runs"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn undo_deletes_exactly_what_the_run_posted_and_a_new_run_posts_again() {
    let s = Scene::new();
    let other = s.fake.issue_token("alice", "read write");
    let _ = other;
    let first = post(&s, &["--yes", "--since", "2019-01-01T00:15:00Z"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let run1 = statuses(&s).len();
    let second = post(&s, &["--yes"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let all = statuses(&s).len();
    assert!(all > run1);
    let undo = s.run(&["post", "--undo", "--yes"]);
    assert_eq!(undo.status.code(), Some(0), "{}", stderr(&undo));
    assert_eq!(statuses(&s).len(), run1, "only the last run's posts go");
    let runs = s.run(&["post", "--runs"]);
    let listing = stdout(&runs);
    assert!(listing.contains("undo of run 2"), "{listing}");
    let none_left = s.run(&["post", "--undo", "--yes"]);
    assert_eq!(none_left.status.code(), Some(2), "{}", stderr(&none_left));
    let undo1 = s.run(&["post", "--undo", "1", "--yes"]);
    assert_eq!(undo1.status.code(), Some(0), "{}", stderr(&undo1));
    assert!(statuses(&s).is_empty());
    // Posting after an undo posts again (fresh idempotency keys), once.
    let again = post(&s, &["--yes"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(statuses(&s).len(), all);
}

#[test]
fn gotosocial_keeps_the_dates_and_gets_its_own_length_rule() {
    let s = Scene::with(Flavour::GoToSocial);
    let out = post(&s, &["--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let made = statuses(&s);
    assert!(!made.is_empty());
    assert!(
        made.iter().all(|r| r.backdated),
        "every post keeps its date"
    );
    let root = made
        .iter()
        .find(|r| r.text == "Night trains are back")
        .unwrap();
    let when = chrono::DateTime::<chrono::Utc>::from(root.created_at);
    assert_eq!(when.to_rfc3339(), "2019-01-01T00:10:00+00:00");
    assert!(
        made.iter().all(|r| r.visibility == "unlisted"),
        "visibility is always sent"
    );
    let never = Scene::with(Flavour::GoToSocial);
    let out = post(&never, &["--yes", "--backdate", "never"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(statuses(&never).iter().all(|r| !r.backdated));
}

#[test]
fn a_lost_answer_on_gotosocial_is_found_not_posted_twice() {
    let s = Scene::with(Flavour::GoToSocial);
    s.fake.drop_after_commit("POST", "/api/v1/statuses", 2);
    let out = post(&s, &["--yes", "--jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.fake.dropped_answers(), 2);
    let made = statuses(&s);
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for rec in &made {
        *seen
            .entry(format!("{}|{:?}", rec.text, rec.in_reply_to_id))
            .or_default() += 1;
    }
    assert!(seen.values().all(|&n| n == 1), "posted twice: {seen:?}");
    let recovered = stdout(&out)
        .lines()
        .filter(|l| l.contains("\"recovered\":true"))
        .count();
    assert_eq!(recovered, 2, "{}", stdout(&out));
}

#[test]
fn the_rate_limit_stops_the_run_with_75_and_a_rerun_goes_on() {
    let s = Scene::new();
    s.fake
        .set_rate_limit(Family::Statuses, 3, Duration::from_secs(3600));
    let out = post(&s, &["--yes", "--max-wait", "1s"]);
    assert_eq!(out.status.code(), Some(75), "{}", stderr(&out));
    let first = statuses(&s).len();
    assert!((1..=3).contains(&first), "{first} posted within the budget");
    assert!(
        stderr(&out).contains("run the same `fedimigrate post`"),
        "{}",
        stderr(&out)
    );
    let early = post(&s, &["--yes", "--max-wait", "1s"]);
    assert_eq!(early.status.code(), Some(75), "{}", stderr(&early));
    assert!(
        stderr(&early).contains("nothing was sent"),
        "{}",
        stderr(&early)
    );
    assert_eq!(statuses(&s).len(), first);
    s.fake
        .set_rate_limit(Family::Statuses, 3, Duration::from_secs(2));
    let rest = post(&s, &["--yes", "--max-wait", "2h"]);
    assert_eq!(rest.status.code(), Some(0), "{}", stderr(&rest));
    assert_eq!(statuses(&s).len(), 10);
    let refused = s.fake.state().refused;
    assert!(
        refused <= 1,
        "the pacer waits instead of hitting 429s: {refused}"
    );
}

#[test]
fn slow_media_processing_is_waited_for() {
    let s = Scene::new();
    s.fake.set_processing_polls(3);
    let out = post(&s, &["--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let state = s.fake.state();
    let video = state
        .media
        .iter()
        .find(|m| m.kind == "video")
        .expect("the video was uploaded");
    assert!(video.attached);
    assert_eq!(video.polls_left, 0);
}

#[test]
fn without_a_terminal_it_asks_for_yes_and_posts_nothing() {
    let s = Scene::new();
    let out = post(&s, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert!(statuses(&s).is_empty());
}

#[test]
fn a_storm_of_429s_and_503s_is_waited_out_without_a_duplicate() {
    let s = Scene::new();
    s.fake.refuse_next(4, Duration::from_secs(1));
    let gts = Scene::with(Flavour::GoToSocial);
    gts.fake.throttle_next(3, 1);
    // GoToSocial takes the long note and the video with the photo in one post each.
    for (scene, want) in [(&s, 10), (&gts, 8)] {
        let out = post(scene, &["--yes"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let made = statuses(scene);
        assert_eq!(made.len(), want, "{}", stderr(&out));
        let mut texts: Vec<String> = made
            .iter()
            .map(|r| format!("{}|{:?}", r.text, r.in_reply_to_id))
            .collect();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), want, "nothing twice");
        assert!(scene.fake.state().refused > 0, "the fake refused nothing");
    }
}

#[test]
fn an_upload_whose_post_never_went_out_is_reused_not_uploaded_again() {
    let s = Scene::new();
    // One status an hour: the photo tweet goes; the video tweet's upload is made, then the
    // rate limit stops the run before its status.
    s.fake
        .set_rate_limit(Family::Statuses, 1, Duration::from_secs(3600));
    let since = [
        "--since",
        "2019-01-01T00:50:00Z",
        "--until",
        "2019-01-01T01:01:00Z",
    ];
    let mut args = vec!["--yes", "--max-wait", "1s"];
    args.extend(since);
    let out = post(&s, &args);
    assert_eq!(out.status.code(), Some(75), "{}", stderr(&out));
    let uploads = s.fake.state().media.len();
    assert_eq!(uploads, 2, "the photo, then the video whose post waits");
    s.fake.clear_rate_limit(Family::Statuses);
    // The journal remembers the pause (up to an hour here): a --max-wait that covers it lets
    // the rerun go on at once, the fake no longer limiting.
    let mut args = vec!["--yes", "--max-wait", "2h"];
    args.extend(since);
    let rest = post(&s, &args);
    assert_eq!(rest.status.code(), Some(0), "{}", stderr(&rest));
    let state = s.fake.state();
    assert_eq!(
        state.media.len(),
        3,
        "only the second photo is new: the video is reused"
    );
    assert!(
        state.media.iter().all(|m| m.attached),
        "every upload is attached"
    );
    assert_eq!(statuses(&s).len(), 3);
}

#[test]
fn a_second_run_on_the_same_journal_is_refused() {
    let s = Scene::new();
    s.fake.host().set_latency(Duration::from_millis(300));
    let archive = archive(s.home.path());
    let mut first = s
        .command(&["post", archive.to_str().unwrap(), "--yes"])
        .stdin(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let second = post(&s, &["--yes"]);
    let _ = first.wait();
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("journal") || stderr(&second).contains("in use"),
        "{}",
        stderr(&second)
    );
    let made = statuses(&s);
    let mut texts: Vec<String> = made.iter().map(|r| r.text.clone()).collect();
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), made.len(), "nothing twice");
}

#[test]
fn a_lost_post_is_not_confused_with_another_tweet_saying_the_same() {
    use crate::archive::builder::{Modern, Person, TweetSpec};
    let s = Scene::with(Flavour::GoToSocial);
    let tweet = |id: u64, minutes: i64| TweetSpec {
        id,
        created: 1_546_300_800 + minutes * 60,
        text: "Same words again".into(),
        lang: "en".into(),
        ..TweetSpec::default()
    };
    let m = Modern {
        owner: Some(Person::new("42", "owner", "Owner")),
        tweets: vec![tweet(2002, 20), tweet(2001, 10)],
        ..Modern::default()
    };
    let archive = s.home.path().join("twice.zip");
    m.build().write_zip(&archive).unwrap();
    let archive = archive.to_str().unwrap();
    let only = s.file("first.txt", "2001\n");
    let first = s.run(&["post", archive, "--yes", "--only-ids", &only]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // A kill right after the journal said it was sending the second (it never arrived).
    let journal = s
        .home
        .path()
        .join("data/journals/mastodon.example/alice@mastodon.example/posts.jsonl");
    let attempt = serde_json::json!({
        "kind": "attempt", "run": 2, "tweet_id": "2002", "chunk": 0,
        "key": "k", "in_reply_to_id": null, "at": chrono::Utc::now(),
    });
    let mut text = std::fs::read_to_string(&journal).unwrap();
    text.push_str(&format!("{attempt}\n"));
    std::fs::write(&journal, text).unwrap();
    let rest = s.run(&["post", archive, "--yes", "--jsonl"]);
    assert_eq!(rest.status.code(), Some(0), "{}", stderr(&rest));
    assert_eq!(
        statuses(&s).len(),
        2,
        "the second tweet is posted, not taken for the first"
    );
    assert!(
        !stdout(&rest).contains("\"recovered\":true"),
        "{}",
        stdout(&rest)
    );
}
