use chrono::{DateTime, Utc};

use super::*;
use crate::archive::MediaKind;
use crate::repost::test_tweets::{media, reply, tweet};

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_500_000_000 + secs, 0).unwrap()
}

fn retweet(id: &str) -> Tweet {
    let mut t = tweet(id, "RT @ann: hello");
    t.is_retweet = true;
    t
}

#[test]
fn the_first_rule_that_applies_decides() {
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<HashSet<String>>();
    let with_photo = {
        let mut t = tweet("5", "pic");
        t.media.push(media(MediaKind::Photo, Some("f.jpg")));
        t
    };
    let missing_photo = {
        let mut t = tweet("5", "pic");
        t.media.push(media(MediaKind::Photo, None));
        t
    };
    let plain = Selection::default();
    let table: Vec<(Tweet, Selection, Result<(), SkipReason>)> = vec![
        (tweet("5", "a"), plain.clone(), Ok(())),
        (
            tweet("5", "a"),
            Selection {
                only_ids: Some(ids(&["6"])),
                ..plain.clone()
            },
            Err(SkipReason::NotInOnlyIds),
        ),
        (
            tweet("5", "a"),
            Selection {
                only_ids: Some(ids(&["5"])),
                skip_ids: ids(&["5"]),
                ..plain.clone()
            },
            Err(SkipReason::InSkipIds),
        ),
        (
            tweet("5", "a"),
            Selection {
                since: Some(at(5)),
                ..plain.clone()
            },
            Ok(()),
        ),
        (
            tweet("5", "a"),
            Selection {
                since: Some(at(6)),
                ..plain.clone()
            },
            Err(SkipReason::BeforeSince),
        ),
        (
            tweet("5", "a"),
            Selection {
                until: Some(at(5)),
                ..plain.clone()
            },
            Err(SkipReason::NotBeforeUntil),
        ),
        (
            tweet("5", "a"),
            Selection {
                until: Some(at(6)),
                ..plain.clone()
            },
            Ok(()),
        ),
        (retweet("5"), plain.clone(), Err(SkipReason::Retweet)),
        (
            retweet("5"),
            Selection {
                retweets: RetweetMode::Link,
                ..plain.clone()
            },
            Ok(()),
        ),
        (reply(tweet("5", "a"), "4", true), plain.clone(), Ok(())),
        (
            reply(tweet("5", "a"), "4", false),
            plain.clone(),
            Err(SkipReason::ReplyToOthers),
        ),
        (
            reply(tweet("5", "a"), "4", false),
            Selection {
                replies: Replies::All,
                ..plain.clone()
            },
            Ok(()),
        ),
        (
            reply(tweet("5", "a"), "4", true),
            Selection {
                replies: Replies::None,
                ..plain.clone()
            },
            Err(SkipReason::Reply),
        ),
        (
            tweet("5", "a"),
            Selection {
                with_media_only: true,
                ..plain.clone()
            },
            Err(SkipReason::NoMedia),
        ),
        (
            with_photo,
            Selection {
                with_media_only: true,
                ..plain.clone()
            },
            Ok(()),
        ),
        (
            missing_photo,
            Selection {
                with_media_only: true,
                ..plain.clone()
            },
            Err(SkipReason::NoMedia),
        ),
    ];
    for (i, (t, sel, want)) in table.into_iter().enumerate() {
        assert_eq!(select(&t, &sel), want, "row {i}");
    }
}

fn ids_in(order: &[usize], tweets: &[Tweet]) -> Vec<String> {
    order.iter().map(|&i| tweets[i].id.clone()).collect()
}

#[test]
fn oldest_first_with_parents_before_replies() {
    // Files list tweets newest first; 30 answers 31, which is dated later (clock trouble).
    let mut early_reply = reply(tweet("30", "answer"), "31", true);
    early_reply.created_at = at(10);
    let tweets = vec![
        tweet("40", "d"),
        reply(tweet("21", "b2"), "20", true),
        tweet("20", "b1"),
        tweet("31", "c"),
        early_reply,
        tweet("9", "a"),
        reply(tweet("22", "b3"), "21", true),
    ];
    let order = thread_order(&tweets);
    assert_eq!(
        ids_in(&order, &tweets),
        ["9", "20", "21", "22", "31", "30", "40"]
    );
}

#[test]
fn same_second_tweets_order_by_numeric_id() {
    let mut a = tweet("100", "a");
    let mut b = tweet("99", "b");
    let mut c = tweet("1000", "c");
    a.created_at = at(0);
    b.created_at = at(0);
    c.created_at = at(0);
    let tweets = vec![c, a, b];
    assert_eq!(
        ids_in(&thread_order(&tweets), &tweets),
        ["99", "100", "1000"]
    );
}

#[test]
fn a_reply_cycle_still_posts_everything_once() {
    let tweets = vec![
        reply(tweet("2", "b"), "1", true),
        reply(tweet("1", "a"), "2", true),
        reply(tweet("3", "self"), "3", true),
    ];
    let order = thread_order(&tweets);
    let mut sorted = order.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, [0, 1, 2]);
}

#[test]
fn compact_keys_order_like_the_tweets() {
    let mut early_reply = reply(tweet("30", "answer"), "31", true);
    early_reply.created_at = at(10);
    let mut same_second = [tweet("100", "x"), tweet("99", "y")];
    for t in &mut same_second {
        t.created_at = at(0);
    }
    let mut tweets = vec![
        tweet("40", "d"),
        reply(tweet("21", "b2"), "20", true),
        tweet("20", "b1"),
        tweet("31", "c"),
        early_reply,
        reply(tweet("22", "b3"), "21", true),
    ];
    tweets.extend(same_second);
    let keys: Vec<OrderKey<u64>> = tweets
        .iter()
        .map(|t| OrderKey {
            created_at: t.created_at,
            id: compact_id(&t.id),
            parent: t.in_reply_to_status_id.as_deref().map(compact_id),
        })
        .collect();
    assert_eq!(order_keys(&keys), thread_order(&tweets));
}

#[test]
fn compact_ids_are_numbers_where_ids_are() {
    assert_eq!(compact_id("1180000000000000001"), 1_180_000_000_000_000_001);
    assert_eq!(compact_id("0"), 0);
    for odd in ["007", "abc", "", "99999999999999999999"] {
        assert!(compact_id(odd) >= 1 << 63, "{odd}");
        assert_eq!(compact_id(odd), compact_id(odd));
    }
    assert_ne!(compact_id("abc"), compact_id("abd"));
}
