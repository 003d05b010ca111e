//! Rate limits, retries and Ctrl-C against the fake: bulk work paced under a small advertised
//! limit never meets a 429; a 429 waits for the reset with one notice and goes on; failures
//! that may pass are retried only for requests that are safe to repeat.

use std::time::{Duration, Instant};

use fakeverse::Resp;
use fakeverse::mastodon::{AccountSpec, Family, Flavour};
use fedimigrate::exit::{Status as Exit, classify};
use fedimigrate::fedi::{
    Cancel, ClientOptions, Error, FollowOptions, ListOptions, NewStatus, Notice, Repeat,
};

use crate::fedi_support::{World, count, manual, notices};

/// Follows `n` fresh remote accounts one after another.
async fn follow_many(world: &World, client: &fedimigrate::fedi::Client, n: usize) {
    let ids: Vec<String> = (0..n)
        .map(|i| {
            world
                .fake
                .add_account(AccountSpec::remote(&format!("p{i}"), "r.example"))
        })
        .collect();
    for id in &ids {
        client.follow(id, &FollowOptions::default()).await.unwrap();
    }
}

#[tokio::test]
async fn sixty_follows_under_twenty_per_second_meet_no_429() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world
        .fake
        .set_rate_limit(Family::Follows, 20, Duration::from_secs(1));
    let (client, seen) = notices(world.client());
    let started = Instant::now();
    follow_many(&world, &client, 60).await;
    let state = world.fake.state();
    assert_eq!(state.refused, 0, "refusals: {:?}", state.refusals);
    assert_eq!(state.follows.len(), 60);
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "60 follows at 20 per second cross at least two resets"
    );
    let waits = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|n| matches!(n, Notice::Waiting { refused: true, .. }))
        .count();
    assert_eq!(waits, 0);
}

#[tokio::test]
async fn gotosocial_epoch_resets_are_paced_too() {
    let world = World::new("gts.example", Flavour::GoToSocial);
    world
        .fake
        .set_rate_limit(Family::Api, 15, Duration::from_secs(1));
    let client = world.client();
    follow_many(&world, &client, 40).await;
    let state = world.fake.state();
    assert_eq!(state.refused, 0, "refusals: {:?}", state.refusals);
    assert_eq!(state.follows.len(), 40);
}

#[tokio::test]
async fn a_429_waits_for_the_reset_with_one_line_then_succeeds() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.refuse_next(1, Duration::from_millis(800));
    let (client, seen) = notices(world.client());
    let started = Instant::now();
    let me = client.verify_credentials().await.unwrap();
    assert_eq!(me.username, "alice");
    assert!(
        started.elapsed() >= Duration::from_millis(800),
        "{:?}",
        started.elapsed()
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    let line = seen[0].to_string();
    assert!(
        line.starts_with("mastodon.example asked to slow down; waiting until "),
        "{line}"
    );
    assert!(!line.contains('\n'));
    assert_eq!(
        count(&world.fake, "GET", "/api/v1/accounts/verify_credentials"),
        2
    );
}

#[tokio::test]
async fn a_429_storm_is_waited_out() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.refuse_next(3, Duration::from_millis(300));
    let (client, seen) = notices(world.client());
    let started = Instant::now();
    client.verify_credentials().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        count(&world.fake, "GET", "/api/v1/accounts/verify_credentials"),
        4
    );
    // One line per wait at most; waits ending within two seconds of the last one announced
    // are not announced again (how many that leaves depends on timing).
    let seen = seen.lock().unwrap();
    assert!((1..=3).contains(&seen.len()), "{seen:?}");
    assert!(
        seen.iter()
            .all(|n| matches!(n, Notice::Waiting { refused: true, .. }))
    );
}

#[tokio::test]
async fn a_long_429_wait_is_taken_on_a_manual_clock() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.refuse_next(1, Duration::from_secs(20 * 60));
    let bulk = ClientOptions::bulk(Duration::from_secs(3600));
    let (client, clock) = manual(world.client().with_options(bulk));
    client.verify_credentials().await.unwrap();
    let sleeps = clock.sleeps();
    assert_eq!(sleeps.len(), 1, "{sleeps:?}");
    let minutes = sleeps[0].as_secs_f64() / 60.0;
    assert!((19.9..20.1).contains(&minutes), "{sleeps:?}");
}

#[tokio::test]
async fn a_429_with_only_a_reset_header_waits_for_that_reset() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let reset = chrono::Utc::now() + chrono::Duration::seconds(90);
    world
        .fake
        .host()
        .queue([Resp::error(429, "Too many requests")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", reset.to_rfc3339())]);
    let bulk = ClientOptions::bulk(Duration::from_secs(3600));
    let (client, clock) = manual(world.client().with_options(bulk));
    client.verify_credentials().await.unwrap();
    let sleeps = clock.sleeps();
    assert_eq!(
        sleeps.len(),
        1,
        "one wait, not a row of blind backoffs: {sleeps:?}"
    );
    assert!((85..=92).contains(&sleeps[0].as_secs()), "{sleeps:?}");
}

#[tokio::test]
async fn gotosocial_throttling_503_honours_retry_after() {
    let world = World::new("gts.example", Flavour::GoToSocial);
    world.fake.throttle_next(2, 7);
    let (client, clock) = manual(world.client());
    let list = client
        .create_list("x", &ListOptions::default())
        .await
        .unwrap();
    assert_eq!(list.title, "x");
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(7), Duration::from_secs(7)]
    );
    assert_eq!(
        world.fake.state().lists.len(),
        1,
        "the throttled POSTs were never applied"
    );
}

#[tokio::test]
async fn a_wait_longer_than_allowed_is_an_error_not_a_hang() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.refuse_next(1, Duration::from_secs(6 * 3600));
    let client = world.client();
    let mut options = client.options().clone();
    options.max_wait = Duration::from_secs(3600);
    let err = client
        .with_options(options)
        .verify_credentials()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert!(
        err.to_string().contains("run the command again after"),
        "{err}"
    );
}

#[tokio::test]
async fn an_interactive_request_gives_up_on_a_day_long_retry_after() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world
        .fake
        .host()
        .queue([Resp::error(429, "Too many requests").header("retry-after", "86400")]);
    let (client, clock) = manual(world.client());
    let err = client.verify_credentials().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert!(clock.sleeps().is_empty(), "{:?}", clock.sleeps());
    assert!(
        err.to_string()
            .starts_with("mastodon.example allows no more "),
        "{err}"
    );
}

#[tokio::test]
async fn an_interactive_request_gives_up_on_a_storm_of_bare_429s() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world
        .fake
        .host()
        .queue((0..20).map(|_| Resp::error(429, "Too many requests")));
    let (client, clock) = manual(world.client());
    let err = client.verify_credentials().await.unwrap_err();
    assert!(matches!(err, Error::Refused { status: 429, .. }), "{err}");
    let waited: Duration = clock.sleeps().iter().sum();
    assert!(
        waited <= ClientOptions::interactive().patience,
        "{waited:?}: {:?}",
        clock.sleeps()
    );
    assert!(err.to_string().contains("try again later"), "{err}");
    assert_eq!(classify(&err.into()), Exit::Error);
}

#[tokio::test]
async fn a_bulk_request_takes_waits_within_its_max_wait() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world
        .fake
        .host()
        .queue((0..5).map(|_| Resp::error(429, "Too many requests")));
    let bulk = ClientOptions::bulk(Duration::from_secs(3600));
    let (client, clock) = manual(world.client().with_options(bulk));
    client.verify_credentials().await.unwrap();
    assert_eq!(clock.sleeps().len(), 5, "{:?}", clock.sleeps());
}

#[tokio::test]
async fn server_errors_are_retried_for_gets_and_keyed_posts_only() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let host = world.fake.host();
    let (client, clock) = manual(world.client());

    host.queue([
        Resp::error(502, "Bad Gateway"),
        Resp::error(503, "Service Unavailable"),
    ]);
    client.verify_credentials().await.unwrap();
    assert_eq!(
        count(&world.fake, "GET", "/api/v1/accounts/verify_credentials"),
        3
    );
    assert_eq!(clock.sleeps().len(), 2, "two backoffs");

    host.queue([Resp::error(502, "Bad Gateway")]);
    let err = client
        .create_list("once", &ListOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.api().map(|a| a.status), Some(502), "{err}");
    assert_eq!(
        count(&world.fake, "POST", "/api/v1/lists"),
        1,
        "a plain POST is not resent"
    );

    host.queue([Resp::error(500, "oops")]);
    let status = NewStatus {
        text: "keyed".into(),
        ..NewStatus::default()
    };
    client
        .create_status(&status, "key-1", Repeat::Safe)
        .await
        .unwrap();
    assert_eq!(
        count(&world.fake, "POST", "/api/v1/statuses"),
        2,
        "a keyed POST is"
    );

    host.queue((0..4).map(|_| Resp::error(503, "down")));
    let err = client.verify_credentials().await.unwrap_err();
    assert_eq!(
        err.api().map(|a| a.status),
        Some(503),
        "gives up after four attempts"
    );
}

#[tokio::test]
async fn timeouts_are_retried_for_gets() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let mut net = world.net();
    net.timeout = Duration::from_millis(300);
    let instance = fedimigrate::fedi::InstanceUrl::parse(&world.name, false).unwrap();
    let client = fedimigrate::fedi::Client::new(
        instance,
        Some(fedimigrate::fedi::Secret::new(&world.token)),
        &net,
    )
    .unwrap();
    let (client, _clock) = manual(client);
    world.fake.host().set_latency(Duration::from_millis(600));
    let err = client.verify_credentials().await.unwrap_err();
    assert!(matches!(&err, Error::Net(net) if net.is_timeout()), "{err}");
    assert_eq!(
        count(&world.fake, "GET", "/api/v1/accounts/verify_credentials"),
        4
    );
}

#[tokio::test]
async fn ctrl_c_stops_a_wait_and_reads_as_exit_130() {
    let world = World::new("mastodon.example", Flavour::Mastodon);
    world.fake.refuse_next(1, Duration::from_secs(60));
    let cancel = Cancel::new();
    let bulk = ClientOptions::bulk(Duration::from_secs(3600));
    let client = world
        .client()
        .with_options(bulk)
        .with_cancel(cancel.clone());
    let raise = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
    });
    let started = Instant::now();
    let err = client.verify_credentials().await.unwrap_err();
    raise.await.unwrap();
    assert!(err.is_interrupted(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(classify(&anyhow::Error::new(err)), Exit::Interrupted);
    assert!(
        client
            .verify_credentials()
            .await
            .unwrap_err()
            .is_interrupted(),
        "stays stopped"
    );
}
