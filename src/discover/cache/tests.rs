//! The cache file: round trips, validity by state, and damaged files.

use super::*;
use crate::discover::verify::Acct;

fn result(state: State, age: chrono::Duration) -> Verification {
    let mut v = Verification::bare(state, "social.example", None);
    v.checked_at = Utc::now() - age;
    if state.exists() {
        v.canonical = Some(Acct::new("alice", "social.example"));
    }
    v
}

#[test]
fn results_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join(FILE_NAME);
    let mut cache = VerifyCache::open(&path);
    assert!(cache.take_warnings().is_empty());
    cache.store(
        "acct:alice@social.example",
        &result(State::Verified, chrono::Duration::zero()),
    );
    let info = HostInfo {
        software: Some("mastodon".into()),
        nodeinfo: true,
        checked_at: Some(Utc::now()),
        ..HostInfo::default()
    };
    cache.store_host("social.example", &info);
    drop(cache);

    let cache = VerifyCache::open(&path);
    let hit = cache
        .lookup("acct:alice@social.example", Utc::now())
        .unwrap();
    assert_eq!(hit.state, State::Verified);
    assert_eq!(cache.fresh_hosts(Utc::now())["social.example"], info);
    assert!(
        cache
            .lookup("acct:bob@social.example", Utc::now())
            .is_none()
    );
}

#[test]
fn validity_depends_on_the_state() {
    let policy = Policy::default();
    let hours = chrono::Duration::hours;
    let cases = [
        (State::Verified, hours(24 * 6), true),
        (State::Verified, hours(24 * 8), false),
        (State::Moved, hours(24 * 6), true),
        (State::NotFound, hours(20), true),
        (State::NotFound, hours(30), false),
        (State::NotFediverse, hours(30), false),
        (State::Timeout, chrono::Duration::minutes(30), true),
        (State::Timeout, hours(2), false),
        (State::ServerError, hours(2), false),
        (State::RateLimited, hours(2), false),
    ];
    let mut cache = VerifyCache::in_memory().with_policy(policy);
    for (index, (state, age, fresh)) in cases.into_iter().enumerate() {
        let key = format!("k{index}");
        cache.store(&key, &result(state, age));
        assert_eq!(
            cache.lookup(&key, Utc::now()).is_some(),
            fresh,
            "{state} aged {age}"
        );
    }
    cache.store("u", &result(State::Unverified, chrono::Duration::zero()));
    assert!(cache.get("u").is_none(), "unverified is never cached");
}

#[test]
fn dead_host_records_are_short_lived() {
    let mut cache = VerifyCache::in_memory();
    let dead = HostInfo {
        dead: Some(State::Timeout),
        checked_at: Some(Utc::now() - chrono::Duration::hours(2)),
        ..HostInfo::default()
    };
    let alive = HostInfo {
        nodeinfo: true,
        checked_at: Some(Utc::now() - chrono::Duration::hours(2)),
        ..HostInfo::default()
    };
    cache.store_host("dead.example", &dead);
    cache.store_host("alive.example", &alive);
    let fresh = cache.fresh_hosts(Utc::now());
    assert!(!fresh.contains_key("dead.example"));
    assert!(fresh.contains_key("alive.example"));
}

#[test]
fn a_damaged_line_is_skipped_with_a_warning_and_the_file_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut cache = VerifyCache::open(&path);
    cache.store("a", &result(State::Verified, chrono::Duration::zero()));
    cache.store("b", &result(State::NotFound, chrono::Duration::zero()));
    drop(cache);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(
        1,
        "{\"kind\":\"target\",\"key\":\"x\",\"result\":{\"state\":\"bogus\"}}",
    );
    lines.insert(1, "\u{0}\u{1}garbage");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let mut cache = VerifyCache::open(&path);
    let warnings = cache.take_warnings();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("2 unreadable"), "{warnings:?}");
    assert!(cache.lookup("a", Utc::now()).is_some());
    assert!(cache.lookup("b", Utc::now()).is_some());
    let rewritten = std::fs::read_to_string(&path).unwrap();
    assert_eq!(rewritten.lines().count(), 2, "{rewritten}");
    assert!(!rewritten.contains("garbage"));
    drop(cache);
    assert!(VerifyCache::open(&path).take_warnings().is_empty());
}

#[test]
fn a_torn_last_line_is_dropped_quietly_and_appends_start_on_a_new_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let mut cache = VerifyCache::open(&path);
    cache.store("a", &result(State::Verified, chrono::Duration::zero()));
    drop(cache);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("{\"kind\":\"target\",\"key\":\"b\",\"res");
    std::fs::write(&path, &text).unwrap();

    let mut cache = VerifyCache::open(&path);
    assert!(cache.take_warnings().is_empty());
    cache.store("c", &result(State::Gone, chrono::Duration::zero()));
    drop(cache);
    let cache = VerifyCache::open(&path);
    assert!(cache.lookup("a", Utc::now()).is_some());
    assert!(cache.lookup("c", Utc::now()).is_some());
    assert!(cache.get("b").is_none());
}

#[test]
fn a_file_of_junk_is_a_warning_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, b"\x89PNG\r\n\x1a\n\x00\x00binary\n").unwrap();
    let mut cache = VerifyCache::open(&path);
    assert!(cache.is_empty());
    assert_eq!(cache.take_warnings().len(), 1);
    cache.store("a", &result(State::Verified, chrono::Duration::zero()));
    drop(cache);
    let mut cache = VerifyCache::open(&path);
    assert!(cache.take_warnings().is_empty());
    assert_eq!(cache.len(), 1);
}

#[test]
fn a_cache_in_an_unwritable_place_warns_once() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "x").unwrap();
    let mut cache = VerifyCache::open(&blocker.join(FILE_NAME));
    cache.store("a", &result(State::Verified, chrono::Duration::zero()));
    cache.store("b", &result(State::Verified, chrono::Duration::zero()));
    let warnings = cache.take_warnings();
    let writes = warnings
        .iter()
        .filter(|w| w.contains("cannot write"))
        .count();
    assert_eq!(writes, 1, "{warnings:?}");
    assert!(
        cache.lookup("a", Utc::now()).is_some(),
        "still usable in memory"
    );
}

#[test]
fn searches_are_kept_for_a_day_and_survive_a_reopen_and_a_rewrite() {
    use crate::discover::reverse::FediAccount;
    use crate::discover::reverse::search::Searched;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(FILE_NAME);
    let account = FediAccount {
        acct: "alice@fedi.example".into(),
        username: "alice".into(),
        display_name: "Alice".into(),
        note: "<p>Twitter: @alice</p>".into(),
        fields: Vec::new(),
        url: None,
    };
    let fresh = Searched {
        checked_at: Utc::now() - chrono::Duration::hours(23),
        accounts: vec![account],
    };
    let stale = Searched {
        checked_at: Utc::now() - chrono::Duration::hours(25),
        accounts: Vec::new(),
    };
    let mut cache = VerifyCache::open(&path);
    cache.store_search("search home.example alice", &fresh);
    cache.store_search("search home.example bob", &stale);
    drop(cache);
    let mut cache = VerifyCache::open(&path);
    assert!(
        cache.take_warnings().is_empty(),
        "search lines are no damage"
    );
    let now = Utc::now();
    assert_eq!(
        cache.lookup_search("search home.example alice", now),
        Some(&fresh)
    );
    assert_eq!(
        cache.lookup_search("search home.example bob", now),
        None,
        "older than a day"
    );
    cache.rewrite(now);
    drop(cache);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.lines().count(),
        1,
        "the stale search is dropped: {text}"
    );
    assert!(text.contains(r#""kind":"search""#), "{text}");
}
