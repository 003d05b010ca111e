//! The X API profile fetcher against a fake X API: batching by 100, the page cache, partial
//! errors, rate-limit waits, and a wrong token that never shows in an error.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use fakeverse::Fakeverse;
use fakeverse::xapi::FakeX;
use fedimigrate::discover::xapi::{self, Token, XApi, XApiError, XCache};
use fedimigrate::net::Options;

const TOKEN: &str = "AAAAAAAAAAAAAAAAAAAAAFakeBearerToken%2Fvalue";

fn client(fv: &Fakeverse, x: &FakeX, dir: &std::path::Path, token: &str) -> XApi {
    let options = Options {
        ca_certs: vec![fv.write_ca(dir)],
        resolve: vec![fv.resolve_value(&x.name).parse().unwrap()],
        timeout: Duration::from_secs(2),
        ..Options::default()
    };
    let token = Token::parse(token, "test").unwrap();
    let mut api = XApi::new(&options, &x.base_url(), token).unwrap();
    api.max_wait = Duration::from_secs(3);
    api
}

fn world(users: usize) -> (Fakeverse, FakeX, Vec<String>) {
    let fv = Fakeverse::start();
    let x = FakeX::mount(&fv, "api.x.example", TOKEN);
    let ids: Vec<String> = (1..=users).map(|i| (10_000 + i).to_string()).collect();
    for id in &ids {
        x.user(
            id,
            &format!("user{id}"),
            &format!("bio of {id}: @user{id}@social.example"),
        );
    }
    (fv, x, ids)
}

fn no_wait(_: Duration) {}

#[tokio::test]
async fn lookups_go_by_100_with_the_documented_fields_and_are_cached() {
    let (fv, x, ids) = world(250);
    x.pinned(&ids[0], "777", "find me at @first@social.example");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(xapi::FILE_NAME);
    let api = client(&fv, &x, dir.path(), TOKEN);
    let mut cache = XCache::open(&path);
    assert_eq!(xapi::plan(&ids, &cache, false).lookups, 3);
    let summary = api.fetch(&ids, &mut cache, false, &no_wait).await.unwrap();
    assert_eq!(
        (summary.lookups, summary.found, summary.missing),
        (3, 250, 0)
    );
    let log = x.host().requests();
    assert_eq!(log.len(), 3);
    let sizes: Vec<usize> = log
        .iter()
        .map(|r| url_param(&r.query, "ids").split(',').count())
        .collect();
    assert_eq!(sizes, [100, 100, 50]);
    let first = &log[0];
    assert_eq!(
        url_param(&first.query, "user.fields"),
        "description,entities,location,name,pinned_tweet_id,url,username"
    );
    assert_eq!(url_param(&first.query, "expansions"), "pinned_tweet_id");
    assert_eq!(url_param(&first.query, "tweet.fields"), "text,entities");
    assert_eq!(first.headers["authorization"], format!("Bearer {TOKEN}"));

    let doc = cache.document(&ids[..2]);
    assert_eq!(doc["data"].as_array().unwrap().len(), 2);
    assert_eq!(
        doc["includes"]["tweets"][0]["text"],
        "find me at @first@social.example"
    );
    drop(cache);

    // A rerun costs nothing; new ids cost one lookup with only the new ids.
    let mut cache = XCache::open(&path);
    assert_eq!(xapi::plan(&ids, &cache, false).lookups, 0);
    api.fetch(&ids, &mut cache, false, &no_wait).await.unwrap();
    assert_eq!(x.host().request_count(), 3);
    let mut more = ids.clone();
    more.push("99999".into());
    x.user("99999", "late", "new");
    let summary = api.fetch(&more, &mut cache, false, &no_wait).await.unwrap();
    assert_eq!(summary.lookups, 1);
    let last = x.host().requests().pop().unwrap();
    assert_eq!(url_param(&last.query, "ids"), "99999");
}

fn url_param(query: &str, name: &str) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn missing_and_suspended_ids_come_back_as_errors_and_are_not_asked_again() {
    let (fv, x, mut ids) = world(3);
    x.suspended(&ids[1]);
    ids.push("424242".into());
    let dir = tempfile::tempdir().unwrap();
    let api = client(&fv, &x, dir.path(), TOKEN);
    let mut cache = XCache::in_memory();
    let summary = api.fetch(&ids, &mut cache, false, &no_wait).await.unwrap();
    assert_eq!((summary.found, summary.missing), (2, 2));
    let doc = cache.document(&ids);
    let errors: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["Forbidden", "Not Found Error"]);
    assert_eq!(xapi::plan(&ids, &cache, false).lookups, 0);
}

#[tokio::test]
async fn a_spent_rate_limit_window_is_waited_out() {
    let (fv, x, ids) = world(150);
    x.rate_limit(1, Duration::from_secs(1));
    let dir = tempfile::tempdir().unwrap();
    let api = client(&fv, &x, dir.path(), TOKEN);
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    let on_wait = move |wait: Duration| seen.lock().unwrap().push(wait);
    let mut cache = XCache::in_memory();
    let summary = api.fetch(&ids, &mut cache, false, &on_wait).await.unwrap();
    assert_eq!(summary.found, 150);
    let waits = waits.lock().unwrap();
    assert!(!waits.is_empty(), "no wait was announced");
    assert!(
        waits.iter().all(|w| *w <= Duration::from_secs(3)),
        "{waits:?}"
    );
}

#[tokio::test]
async fn a_rate_limit_too_far_away_is_an_error_that_keeps_fetched_pages() {
    let (fv, x, ids) = world(150);
    x.rate_limit(1, Duration::from_secs(600));
    let dir = tempfile::tempdir().unwrap();
    let api = client(&fv, &x, dir.path(), TOKEN);
    let mut cache = XCache::in_memory();
    let err = api
        .fetch(&ids, &mut cache, false, &no_wait)
        .await
        .unwrap_err();
    assert!(matches!(err, XApiError::RateLimited { .. }), "{err}");
    assert_eq!(
        xapi::plan(&ids, &cache, false).users,
        50,
        "the first page was kept"
    );
}

#[tokio::test]
async fn a_wrong_token_is_a_clear_error_that_never_shows_the_token() {
    let (fv, x, ids) = world(2);
    let dir = tempfile::tempdir().unwrap();
    let wrong = "WRONGtokenValue123";
    let api = client(&fv, &x, dir.path(), wrong);
    let err = api
        .fetch(&ids, &mut XCache::in_memory(), false, &no_wait)
        .await
        .unwrap_err();
    assert!(
        matches!(err, XApiError::Refused { status: 401, .. }),
        "{err:?}"
    );
    let shown = format!("{err} {err:?} {api:?}");
    assert!(!shown.contains(wrong), "{shown}");
    assert!(!shown.contains(TOKEN));
    assert!(err.to_string().contains("X_BEARER_TOKEN"), "{err}");
}

#[test]
fn a_token_file_is_read_and_never_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
    let token = Token::load(Some(&path)).unwrap();
    assert!(!format!("{token:?}").contains(TOKEN));
    std::fs::write(&path, "\n").unwrap();
    let err = Token::load(Some(&path)).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
}
