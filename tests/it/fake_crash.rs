//! The fake instance's crash-test switches: answers lost after the change was made (counted,
//! random and per host), idempotency keys that expire, and request counts per route.

use std::time::Duration;

use fakeverse::Mode;
use fakeverse::mastodon::{AccountSpec, Flavour};
use fedimigrate::fedi::{FollowOptions, NewStatus, Posted, Repeat};
use reqwest::Method;

use crate::fedi_support::{World, count, manual};

fn post(text: &str) -> NewStatus {
    NewStatus {
        text: text.into(),
        ..NewStatus::default()
    }
}

fn id_of(posted: Posted) -> String {
    posted.id().to_string()
}

#[tokio::test]
async fn a_dropped_answer_still_made_the_change() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let target = world
        .fake
        .add_account(AccountSpec::remote("t", "r.example"));
    world.fake.drop_after_commit("POST", "/api/v1/accounts/", 1);
    let client = world.client();
    // Sent once and never again (not safe to repeat): the client sees no answer …
    let path = format!("/api/v1/accounts/{target}/follow");
    let lost = client.fetch(client.call(Method::POST, &path)).await;
    assert!(lost.is_err(), "{lost:?}");
    // … yet the follow was made.
    assert!(
        world
            .fake
            .state()
            .follows
            .iter()
            .any(|f| f.target == target)
    );
    assert_eq!(world.fake.dropped_answers(), 1);
    // The rule is used up: the next answer arrives.
    assert!(
        client
            .follow(&target, &FollowOptions::default())
            .await
            .unwrap()
            .following
    );
    assert_eq!(world.fake.state().follows.len(), 1);
}

#[tokio::test]
async fn a_retried_follow_after_a_lost_answer_follows_once() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let target = world
        .fake
        .add_account(AccountSpec::remote("t", "r.example"));
    world.fake.drop_after_commit("post", "/api/v1/accounts/", 2);
    let (client, _clock) = manual(world.client());
    let rel = client
        .follow(&target, &FollowOptions::default())
        .await
        .unwrap();
    assert!(rel.following);
    assert_eq!(count(&world.fake, "POST", "/api/v1/accounts/"), 3);
    assert_eq!(world.fake.dropped_answers(), 2);
    assert_eq!(world.fake.state().follows.len(), 1);
}

#[tokio::test]
async fn only_successful_answers_are_dropped() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.drop_after_commit("POST", "/api/v1/accounts/", 1);
    let client = world.client();
    let err = client
        .follow("999", &FollowOptions::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "a 404 goes out: {err}");
    assert_eq!(
        world.fake.dropped_answers(),
        0,
        "and does not use the rule up"
    );
}

#[tokio::test]
async fn a_drop_rate_is_seeded_and_repeatable() {
    let mut runs = Vec::new();
    for _ in 0..2 {
        let world = World::new("mastodon.example", Flavour::Mastodon);
        let targets: Vec<String> = (0..40)
            .map(|i| {
                world
                    .fake
                    .add_account(AccountSpec::remote(&format!("t{i}"), "r.example"))
            })
            .collect();
        world.fake.host().seed_drops(42);
        world
            .fake
            .drop_after_commit_rate("POST", "/api/v1/accounts/", 0.3);
        let client = world.client();
        let mut lost = Vec::new();
        for target in &targets {
            let path = format!("/api/v1/accounts/{target}/follow");
            lost.push(
                client
                    .fetch(client.call(Method::POST, &path))
                    .await
                    .is_err(),
            );
        }
        let dropped = lost.iter().filter(|l| **l).count();
        assert_eq!(dropped, world.fake.dropped_answers());
        assert!((3..=25).contains(&dropped), "{dropped} of 40 at 0.3");
        assert_eq!(
            world.fake.state().follows.len(),
            40,
            "every follow was made"
        );
        runs.push(lost);
    }
    assert_eq!(runs[0], runs[1], "the same seed loses the same answers");
}

#[tokio::test]
async fn close_after_commit_runs_the_route_and_close_does_not() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let target = world
        .fake
        .add_account(AccountSpec::remote("t", "r.example"));
    let client = world.client();
    let path = format!("/api/v1/accounts/{target}/follow");
    world.fake.host().set_mode(Mode::Close);
    assert!(
        client
            .fetch(client.call(Method::POST, &path))
            .await
            .is_err()
    );
    assert!(
        world.fake.state().follows.is_empty(),
        "closed before the route"
    );
    world.fake.host().set_mode(Mode::CloseAfterCommit);
    assert!(
        client
            .fetch(client.call(Method::POST, &path))
            .await
            .is_err()
    );
    assert_eq!(
        world.fake.state().follows.len(),
        1,
        "closed after the route"
    );
}

#[tokio::test]
async fn a_lost_post_is_replayed_by_its_key() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.drop_after_commit("POST", "/api/v1/statuses", 1);
    let (client, _clock) = manual(world.client());
    let posted = client
        .create_status(&post("hello"), "tweet-1", Repeat::Safe)
        .await
        .unwrap();
    let state = world.fake.state();
    assert_eq!(state.statuses.len(), 1, "the retry got the first post back");
    assert_eq!(id_of(posted), state.statuses[0].id);
    assert_eq!(world.fake.dropped_answers(), 1);
}

#[tokio::test]
async fn idempotency_keys_expire_and_belong_to_the_account() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.set_idempotency_ttl(Duration::from_millis(400));
    let client = world.client();
    let first = id_of(
        client
            .create_status(&post("a"), "k", Repeat::Safe)
            .await
            .unwrap(),
    );
    // Another token of the same user (Mastodon keys by account).
    let token = world.fake.issue_token("alice", "write");
    let other = world.client_with(Some(&token));
    let again = id_of(
        other
            .create_status(&post("a"), "k", Repeat::Safe)
            .await
            .unwrap(),
    );
    assert_eq!(first, again, "within the TTL the key replays");
    world.fake.add_user("bob");
    let bobs = world.fake.issue_token("bob", "write");
    let bob = id_of(
        world
            .client_with(Some(&bobs))
            .create_status(&post("a"), "k", Repeat::Safe)
            .await
            .unwrap(),
    );
    assert_ne!(first, bob, "another account's key is its own");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let later = id_of(
        client
            .create_status(&post("a"), "k", Repeat::Safe)
            .await
            .unwrap(),
    );
    assert_ne!(first, later, "after the TTL the key makes a new post");
    assert_eq!(world.fake.state().statuses.len(), 3);
}

#[tokio::test]
async fn requests_are_counted_per_route_with_ids_hidden() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let a = world
        .fake
        .add_account(AccountSpec::remote("a", "r.example"));
    let b = world
        .fake
        .add_account(AccountSpec::remote("b", "r.example"));
    let client = world.client();
    client.lookup("a@r.example").await.unwrap();
    client.follow(&a, &FollowOptions::default()).await.unwrap();
    client.follow(&b, &FollowOptions::default()).await.unwrap();
    client.relationships(&[a, b]).await.unwrap();
    let counts = world.fake.requests_by_route();
    let get = |key: &str| counts.get(key).copied().unwrap_or(0);
    assert_eq!(get("GET /api/v1/accounts/lookup"), 1, "{counts:?}");
    assert_eq!(get("POST /api/v1/accounts/:id/follow"), 2, "{counts:?}");
    assert_eq!(get("GET /api/v1/accounts/relationships"), 1, "{counts:?}");
    assert_eq!(
        counts.values().sum::<usize>(),
        world.fake.host().request_count()
    );
}
