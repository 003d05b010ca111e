//! Verification against the fake fediverse: every state, split domains, URL resources, dead
//! hosts, limits, the private-address guard, body caps, and the cache across runs. Hosts are
//! reached through the real `--resolve` and `--ca-cert` options, with a 300 ms timeout.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fakeverse::wellknown::{FediHost, HostMeta, Software, Split, html_site};
use fakeverse::{Fakeverse, Mode, Resp};
use fedimigrate::discover::cache::{Policy, VerifyCache};
use fedimigrate::discover::verify::{
    Event, Progress, Report, Settings, State, Target, Verification, Verifier,
};
use fedimigrate::net::{NetError, Options};

const TIMEOUT: Duration = Duration::from_millis(300);

/// Network options that reach every current virtual host by name (call after mounting them).
fn options(fv: &Fakeverse, dir: &std::path::Path) -> Options {
    options_for(&[fv], dir, TIMEOUT)
}

/// Like [`options`], for the hosts of several fake fediverses, with this timeout.
fn options_for(fvs: &[&Fakeverse], dir: &std::path::Path, timeout: Duration) -> Options {
    let mut options = Options {
        timeout,
        ..Options::default()
    };
    for (i, fv) in fvs.iter().enumerate() {
        let ca_dir = dir.join(i.to_string());
        std::fs::create_dir_all(&ca_dir).unwrap();
        options.ca_certs.push(fv.write_ca(&ca_dir));
        options.resolve.extend(
            fv.host_names()
                .iter()
                .filter(|h| h.parse::<std::net::IpAddr>().is_err())
                .map(|h| fv.resolve_value(h).parse().unwrap()),
        );
    }
    options
}

fn settings() -> Settings {
    Settings {
        max_wait: Duration::from_secs(2),
        ..Settings::default()
    }
}

async fn run_with(
    fv: &Fakeverse,
    targets: &[Target],
    settings: Settings,
    cache: &mut VerifyCache,
    progress: Option<Progress>,
) -> Report {
    let dir = tempfile::tempdir().unwrap();
    let verifier = Verifier::new(&options(fv, dir.path()), settings).unwrap();
    verifier.verify(targets, cache, progress).await
}

async fn run(fv: &Fakeverse, targets: &[Target]) -> Report {
    run_with(fv, targets, settings(), &mut VerifyCache::in_memory(), None).await
}

async fn one(fv: &Fakeverse, target: Target) -> Verification {
    run(fv, &[target]).await.results.remove(0)
}

fn t(user: &str, host: &str) -> Target {
    Target::new(user, host)
}

fn canonical(v: &Verification) -> String {
    v.canonical
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

#[tokio::test]
async fn a_mastodon_account_is_verified_with_its_canonical_address_and_server_facts() {
    let fv = Fakeverse::start();
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social
        .account("Alice")
        .users(4321)
        .open_registrations(false);
    let report = run(&fv, &[t("alice", "Social.Example")]).await;
    let v = &report.results[0];
    assert_eq!(v.state, State::Verified, "{v:?}");
    assert_eq!(canonical(v), "Alice@social.example");
    assert_eq!(
        v.actor_url.as_ref().unwrap().as_str(),
        "https://social.example/users/Alice"
    );
    let info = report.server_of("social.example").unwrap();
    assert_eq!(info.software.as_deref(), Some("mastodon"));
    assert_eq!(info.version.as_deref(), Some("4.3.2"));
    assert_eq!(
        (info.users, info.open_registrations),
        (Some(4321), Some(false))
    );
    let log = social.host().requests();
    let webfinger = log
        .iter()
        .find(|r| r.path == "/.well-known/webfinger")
        .unwrap();
    assert!(
        webfinger
            .query
            .contains("resource=acct%3Aalice%40social.example")
    );
    assert!(webfinger.headers["accept"].starts_with("application/jrd+json"));
    let actor = log.iter().find(|r| r.path == "/users/Alice").unwrap();
    assert!(actor.headers["accept"].starts_with("application/activity+json"));
}

#[tokio::test]
async fn every_server_flavour_verifies_and_reports_its_software() {
    let fv = Fakeverse::start();
    let flavours = [
        ("gts.example", Software::gotosocial(), "gotosocial"),
        ("pl.example", Software::pleroma(), "pleroma"),
        ("ak.example", Software::akkoma(), "akkoma"),
        ("mk.example", Software::misskey(), "misskey"),
    ];
    for (host, software, _) in &flavours {
        FediHost::mount(&fv, host, software.clone()).account("kim");
    }
    let xml = FediHost::mount(&fv, "xrd.example", Software::mastodon());
    xml.account("kim").webfinger_xrd();
    let mut targets: Vec<Target> = flavours.iter().map(|(h, _, _)| t("kim", h)).collect();
    targets.push(t("kim", "xrd.example"));
    let report = run(&fv, &targets).await;
    for (result, target) in report.results.iter().zip(&targets) {
        assert_eq!(result.state, State::Verified, "{target:?}: {result:?}");
        assert_eq!(canonical(result), format!("kim@{}", target.host));
    }
    for (host, _, name) in &flavours {
        assert_eq!(
            report.hosts[*host].software.as_deref(),
            Some(*name),
            "{host}"
        );
    }
    let misskey_actor = report.results[3].actor_url.as_ref().unwrap();
    assert!(
        misskey_actor.path().starts_with("/users/9"),
        "{misskey_actor}"
    );
}

#[tokio::test]
async fn webfinger_statuses_map_to_distinct_states() {
    let fv = Fakeverse::start();
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social
        .account_status("gone", 410)
        .account_status("private", 403)
        .account_status("broken", 500)
        .account_status("busy", 429)
        .account_status("missing", 404);
    let cases = [
        ("gone", State::Gone),
        ("private", State::Forbidden),
        ("broken", State::ServerError),
        ("busy", State::RateLimited),
        ("missing", State::NotFound),
        ("nobody", State::NotFound),
    ];
    let targets: Vec<Target> = cases.iter().map(|(u, _)| t(u, "social.example")).collect();
    let report = run(&fv, &targets).await;
    for ((user, want), got) in cases.iter().zip(&report.results) {
        assert_eq!(got.state, *want, "{user}: {got:?}");
        assert!(got.detail.is_some(), "{user} has no detail");
    }
    assert!(
        report.results[3]
            .detail
            .as_deref()
            .unwrap()
            .contains("3600")
    );
}

#[tokio::test]
async fn a_short_rate_limit_is_waited_out_and_retried() {
    let fv = Fakeverse::start();
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social.account("alice");
    social
        .host()
        .queue([Resp::error(429, "Too many requests").header("retry-after", "1")]);
    let waits = Arc::new(Mutex::new(Vec::new()));
    let seen = waits.clone();
    let progress: Progress = Arc::new(move |event: &Event<'_>| {
        if let Event::Waiting { host, wait } = event {
            seen.lock().unwrap().push((host.to_string(), *wait));
        }
    });
    let started = Instant::now();
    let mut cache = VerifyCache::in_memory();
    let report = run_with(
        &fv,
        &[t("alice", "social.example")],
        settings(),
        &mut cache,
        Some(progress),
    )
    .await;
    assert_eq!(
        report.results[0].state,
        State::Verified,
        "{:?}",
        report.results[0]
    );
    assert_eq!(
        *waits.lock().unwrap(),
        vec![("social.example".to_string(), Duration::from_secs(1))]
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn moved_suspended_gone_and_authorized_fetch_actors() {
    let fv = Fakeverse::start();
    let old = FediHost::mount(&fv, "old.example", Software::mastodon());
    let new = FediHost::mount(&fv, "new.example", Software::gotosocial());
    new.account("Alice2");
    old.moved("alice", &new.actor_url("Alice2"))
        .suspended("sus")
        .account("deleted")
        .actor_status("deleted", 410);
    let locked = FediHost::mount(&fv, "locked.example", Software::mastodon());
    locked.account("carol").authorized_fetch();
    let targets = [
        t("alice", "old.example"),
        t("sus", "old.example"),
        t("deleted", "old.example"),
        t("carol", "locked.example"),
    ];
    let report = run(&fv, &targets).await;
    let [moved, sus, deleted, carol] = &report.results[..] else {
        panic!("four results");
    };
    assert_eq!(moved.state, State::Moved, "{moved:?}");
    let to = moved.moved_to.as_ref().unwrap();
    assert_eq!(to.actor_url.as_str(), "https://new.example/users/Alice2");
    assert_eq!(
        to.handle.as_ref().unwrap().to_string(),
        "Alice2@new.example"
    );
    assert_eq!(canonical(moved), "alice@old.example");
    assert_eq!(sus.state, State::Gone, "{sus:?}");
    assert_eq!(deleted.state, State::Gone, "{deleted:?}");
    assert_eq!(carol.state, State::Verified, "{carol:?}");
    assert!(
        carol.detail.as_deref().unwrap().contains("signed"),
        "{carol:?}"
    );
}

#[tokio::test]
async fn split_domains_through_host_meta_xml_jrd_and_redirects() {
    let fv = Fakeverse::start();
    let cases = [
        ("xml.example", Split::HostMetaXml),
        ("jrd.example", Split::HostMetaJrd),
        ("redir.example", Split::Redirect),
    ];
    for (domain, how) in cases {
        let server = FediHost::mount(&fv, &format!("social.{domain}"), Software::mastodon());
        server.account("dos").split_domain(&fv, domain, how);
    }
    let mut targets: Vec<Target> = cases.iter().map(|(d, _)| t("dos", d)).collect();
    targets.push(t("dos", "social.xml.example"));
    let report = run(&fv, &targets).await;
    for (result, target) in report.results.iter().zip(&targets) {
        assert_eq!(result.state, State::Verified, "{target:?}: {result:?}");
        let domain = target.host.trim_start_matches("social.");
        assert_eq!(canonical(result), format!("dos@{domain}"), "{target:?}");
        assert_eq!(
            result.actor_url.as_ref().unwrap().host_str(),
            Some(&*format!("social.{domain}"))
        );
        assert!(result.detail.is_none(), "{result:?}");
    }
    let split = &report.hosts["xml.example"];
    assert_eq!(split.webfinger_host.as_deref(), Some("social.xml.example"));
    assert_eq!(
        report.server_of("xml.example").unwrap().software.as_deref(),
        Some("mastodon")
    );
    let host_meta = fv.host("xml.example").requests();
    let asked = host_meta
        .iter()
        .filter(|r| r.path == "/.well-known/host-meta")
        .count();
    assert_eq!(asked, 1, "host-meta is asked once per host");
}

#[tokio::test]
async fn split_domains_are_described_by_the_host_that_serves_them() {
    let fv = Fakeverse::start();
    let cases = [
        ("split-domain.net", Split::Redirect),
        ("meta-split.example", Split::HostMetaJrd),
    ];
    for (domain, how) in cases {
        FediHost::mount(&fv, &format!("social.{domain}"), Software::mastodon())
            .account("erin")
            .account("finn")
            .users(1_234)
            .open_registrations(false)
            .split_domain(&fv, domain, how);
    }
    let targets: Vec<Target> = cases
        .iter()
        .flat_map(|(d, _)| [t("erin", d), t("finn", d)])
        .collect();
    let report = run(&fv, &targets).await;
    for (result, target) in report.results.iter().zip(&targets) {
        assert_eq!(result.state, State::Verified, "{target:?}: {result:?}");
        let server = format!("social.{}", target.host);
        assert_eq!(result.serving_host().as_deref(), Some(&*server));
        let info = report.server_of(&server).unwrap();
        assert_eq!(info.software.as_deref(), Some("mastodon"), "{server}");
        assert_eq!(info.users, Some(1_234), "{server}");
        assert_eq!(info.open_registrations, Some(false), "{server}");
    }
    for (domain, _) in cases {
        let server = format!("social.{domain}");
        let nodeinfo = fv
            .host(&server)
            .requests()
            .iter()
            .filter(|r| r.path == "/.well-known/nodeinfo")
            .count();
        assert_eq!(nodeinfo, 1, "NodeInfo is asked once of {server}");
    }
    let mut cache = VerifyCache::in_memory();
    let first = run_with(&fv, &targets, settings(), &mut cache, None).await;
    let asked = fv.request_count();
    let again = run_with(&fv, &targets, settings(), &mut cache, None).await;
    assert_eq!(
        fv.request_count(),
        asked,
        "the rerun is answered by the cache"
    );
    let software = |r: &Report| {
        r.server_of("social.split-domain.net")
            .and_then(|i| i.software.clone())
    };
    assert_eq!(software(&again), software(&first));
    assert_eq!(software(&again).as_deref(), Some("mastodon"));
}

#[tokio::test]
async fn profile_urls_are_asked_as_resources_for_the_canonical_address() {
    let fv = Fakeverse::start();
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social.account("Bob");
    let other = FediHost::mount(&fv, "other.example", Software::mastodon());
    other.account("alice");
    let split = FediHost::mount(&fv, "social.web.example", Software::mastodon());
    split
        .account("erin")
        .split_domain(&fv, "web.example", Split::HostMetaXml);
    let url = |u: &str| u.parse().unwrap();
    let targets = [
        Target::with_url(
            "bob",
            "social.example",
            url("https://social.example/users/bob"),
        ),
        Target::with_url(
            "alice",
            "other.example",
            url("https://social.example/@alice@other.example"),
        ),
        Target::with_url(
            "erin",
            "social.web.example",
            url("https://social.web.example/@erin"),
        ),
    ];
    let report = run(&fv, &targets).await;
    let got: Vec<(State, String)> = report
        .results
        .iter()
        .map(|v| (v.state, canonical(v)))
        .collect();
    assert_eq!(
        got,
        [
            (State::Verified, "Bob@social.example".to_string()),
            (State::Verified, "alice@other.example".to_string()),
            (State::Verified, "erin@web.example".to_string()),
        ]
    );
    let asked = social.host().requests();
    assert!(asked.iter().any(|r| {
        r.query
            .contains("resource=https%3A%2F%2Fsocial.example%2F%40alice%40other.example")
    }));
}

#[tokio::test]
async fn hosts_that_are_not_fediverse_servers() {
    let fv = Fakeverse::start();
    html_site(&fv, "blog.example");
    fv.host("empty.example");
    fv.host("ostatus.example").mount(|req| {
        (req.path == "/.well-known/webfinger").then(|| {
            Resp::json(200, &serde_json::json!({"subject": "acct:gs@ostatus.example", "links": [
                {"rel": "http://schemas.google.com/g/2010#updates-from", "type": "application/atom+xml", "href": "https://ostatus.example/feed"}]}))
        })
    });
    let report = run(
        &fv,
        &[
            t("me", "blog.example"),
            t("me", "empty.example"),
            t("gs", "ostatus.example"),
        ],
    )
    .await;
    for v in &report.results {
        assert_eq!(v.state, State::NotFediverse, "{v:?}");
    }
    assert!(
        report.results[2]
            .detail
            .as_deref()
            .unwrap()
            .contains("no ActivityPub actor")
    );
}

#[tokio::test]
async fn a_dead_host_costs_one_request_and_one_timeout() {
    let fv = Fakeverse::start();
    fv.host("dead.example").set_mode(Mode::Hang);
    fv.host("closed.example").set_mode(Mode::Close);
    FediHost::mount(&fv, "live.example", Software::mastodon()).account("ok");
    let mut targets: Vec<Target> = (0..10)
        .map(|i| t(&format!("u{i}"), "dead.example"))
        .collect();
    targets.extend((0..5).map(|i| t(&format!("u{i}"), "closed.example")));
    targets.push(t("ok", "live.example"));
    let dead_events = Arc::new(Mutex::new(Vec::new()));
    let seen = dead_events.clone();
    let progress: Progress = Arc::new(move |event: &Event<'_>| {
        if let Event::HostDead { host, state } = event {
            seen.lock().unwrap().push((host.to_string(), *state));
        }
    });
    let started = Instant::now();
    let mut cache = VerifyCache::in_memory();
    let report = run_with(&fv, &targets, settings(), &mut cache, Some(progress)).await;
    let elapsed = started.elapsed();
    assert!(
        report.results[..10]
            .iter()
            .all(|v| v.state == State::Timeout)
    );
    assert!(
        report.results[10..15]
            .iter()
            .all(|v| v.state == State::Unreachable),
        "{:?}",
        report.results[10]
    );
    assert_eq!(report.results[15].state, State::Verified);
    assert_eq!(fv.host("dead.example").request_count(), 1);
    assert_eq!(fv.host("closed.example").request_count(), 1);
    assert!(elapsed < TIMEOUT * 3, "took {elapsed:?}");
    assert_eq!(report.hosts["dead.example"].dead, Some(State::Timeout));
    assert_eq!(dead_events.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn per_host_and_global_limits_hold_and_are_used() {
    let fv = Fakeverse::start();
    let mut targets = Vec::new();
    for h in 0..12 {
        let name = format!("h{h}.example");
        let server = FediHost::mount(&fv, &name, Software::mastodon());
        server.host().set_latency(Duration::from_millis(40));
        for u in 0..6 {
            server.account(&format!("u{u}"));
            targets.push(t(&format!("u{u}"), &name));
        }
    }
    let limits = Settings {
        concurrency: 6,
        per_host: 2,
        ..settings()
    };
    let report = run_with(&fv, &targets, limits, &mut VerifyCache::in_memory(), None).await;
    assert!(report.results.iter().all(|v| v.state == State::Verified));
    // 6 to hosts that answered + 6 first contacts (see the next test for the split).
    let global = fv.max_in_flight();
    assert!(global <= 2 * 6, "in flight in all: {global}");
    assert!(global >= 4, "the limits were barely used: {global}");
    for h in 0..12 {
        let per_host = fv.host(&format!("h{h}.example")).max_in_flight();
        assert!(per_host <= 2, "h{h}: {per_host}");
    }
}

/// Hosts that never answer wait in the first-contact lane, one request each: the work on hosts
/// that answered goes on beside them and is all done before the first of them times out.
/// (Dead hosts live on a fake fediverse of their own, so its gauge shows that lane alone.)
#[tokio::test]
async fn dead_hosts_do_not_hold_back_hosts_that_answer() {
    let live = Fakeverse::start();
    let dead = Fakeverse::start();
    let mut targets = Vec::new();
    let mut live_hosts = Vec::new();
    for h in 0..4 {
        let name = format!("live{h}.example");
        let server = FediHost::mount(&live, &name, Software::mastodon());
        server.host().set_latency(Duration::from_millis(10));
        for u in 0..5 {
            server.account(&format!("u{u}"));
            targets.push(t(&format!("u{u}"), &name));
        }
        live_hosts.push(server.host());
    }
    for h in 0..3 {
        let name = format!("dead{h}.example");
        dead.host(&name).set_mode(Mode::Hang);
        targets.extend((0..3).map(|u| t(&format!("u{u}"), &name)));
    }
    // At the first `HostDead`: requests the live hosts had received, live candidates done.
    let at_first_death = Arc::new(Mutex::new(None));
    let checked_live = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (seen, checked) = (at_first_death.clone(), checked_live.clone());
    let progress: Progress = Arc::new(move |event: &Event<'_>| match event {
        Event::Checked { target, .. } if target.host.starts_with("live") => {
            checked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        Event::HostDead { .. } => {
            let asked: usize = live_hosts.iter().map(|h| h.request_count()).sum();
            let done = checked.load(std::sync::atomic::Ordering::SeqCst);
            seen.lock().unwrap().get_or_insert((asked, done));
        }
        _ => {}
    });
    let limits = Settings {
        concurrency: 3,
        per_host: 2,
        ..settings()
    };
    let dir = tempfile::tempdir().unwrap();
    // Long enough that the live work (48 requests of 10 ms, 3 at a time) fits many times over.
    let options = options_for(&[&live, &dead], dir.path(), Duration::from_secs(2));
    let verifier = Verifier::new(&options, limits).unwrap();
    let report = verifier
        .verify(&targets, &mut VerifyCache::in_memory(), Some(progress))
        .await;

    let (live_results, dead_results) = report.results.split_at(20);
    assert!(live_results.iter().all(|v| v.state == State::Verified));
    assert!(dead_results.iter().all(|v| v.state == State::Timeout));
    let live_requests = live.request_count();
    assert_eq!(
        live_requests,
        20 * 2 + 4 * 2,
        "WebFinger + actor each, NodeInfo per host"
    );
    assert_eq!(
        at_first_death.lock().unwrap().take(),
        Some((live_requests, 20)),
        "every live request was sent, and every live candidate done, before a dead host timed out"
    );
    assert_eq!(dead.request_count(), 3, "one request per dead host");
    assert_eq!(
        dead.max_in_flight(),
        3,
        "the dead hosts waited together, in the first-contact lane (3 slots)"
    );
    assert!(live.max_in_flight() <= 2 * 3, "{}", live.max_in_flight());
    for host in ["live0", "live1", "live2", "live3"] {
        let per_host = live.host(&format!("{host}.example")).max_in_flight();
        assert!(per_host <= 2, "{host}: {per_host}");
    }
}

#[tokio::test]
async fn an_actor_on_a_private_address_is_not_verified() {
    let fv = Fakeverse::start();
    for (name, actor) in [
        ("loop.example", "https://127.0.0.1:9/users/x".to_string()),
        ("lan.example", "https://[::1]/users/x".to_string()),
        ("ten.example", "http://10.0.0.7/users/x".to_string()),
    ] {
        fv.host(name).mount(move |req| {
            (req.path == "/.well-known/webfinger").then(|| {
                Resp::json(200, &serde_json::json!({
                    "subject": format!("acct:x@{}", req.host),
                    "links": [{"rel": "self", "type": "application/activity+json", "href": actor}]}))
            })
        });
    }
    let targets = [
        t("x", "loop.example"),
        t("x", "lan.example"),
        t("x", "ten.example"),
    ];
    for v in run(&fv, &targets).await.results {
        assert_eq!(v.state, State::Unreachable, "{v:?}");
        let detail = v.detail.as_deref().unwrap_or_default();
        assert!(
            detail.contains("private or local address") && detail.contains("not verified"),
            "{v:?}"
        );
    }
}

#[tokio::test]
async fn private_and_local_addresses_are_never_contacted() {
    let fv = Fakeverse::start();
    let local = fv.host("127.0.0.1");
    local.mount(|_| Some(Resp::json(200, &serde_json::json!({}))));
    fv.host("evil.example")
        .set_mode(Mode::RedirectTo(format!("http://{}", fv.addr())));
    let report = run(
        &fv,
        &[
            t("x", "localhost"),
            t("x", "127.0.0.1"),
            t("x", "evil.example"),
        ],
    )
    .await;
    for v in &report.results {
        assert_eq!(v.state, State::Unreachable, "{v:?}");
        assert!(v.detail.as_deref().unwrap().contains("private"), "{v:?}");
    }
    assert_eq!(local.request_count(), 0);
}

#[tokio::test]
async fn oversize_and_malformed_answers_are_not_trusted() {
    let fv = Fakeverse::start();
    fv.host("big.example").set_mode(Mode::Oversize(1 << 20));
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social.account("alice");
    let junk = Resp::bytes(
        200,
        "application/jrd+json",
        b"{\"subject\": \"acct:".to_vec(),
    );
    social.host().queue([junk]);
    let report = run(&fv, &[t("x", "big.example"), t("alice", "social.example")]).await;
    let big = &report.results[0];
    assert_ne!(big.state, State::Verified);
    assert!(
        big.detail.as_deref().unwrap().contains("larger than"),
        "{big:?}"
    );
    let malformed = &report.results[1];
    assert_eq!(malformed.state, State::ServerError, "{malformed:?}");
}

#[tokio::test]
async fn a_claim_on_another_host_must_be_confirmed_there() {
    let fv = Fakeverse::start();
    FediHost::mount(&fv, "victim.example", Software::mastodon()).account("famous");
    fv.host("imposter.example").mount(|req| match req.path.as_str() {
        "/.well-known/webfinger" => Some(Resp::json(200, &serde_json::json!({
            "subject": "acct:famous@victim.example",
            "links": [{"rel": "self", "type": "application/activity+json", "href": "https://imposter.example/users/x"}]}))),
        "/users/x" => Some(Resp::json(200, &serde_json::json!({"id": "https://imposter.example/users/x", "type": "Person"}))),
        _ => None,
    });
    let v = one(&fv, t("x", "imposter.example")).await;
    assert_eq!(v.state, State::Verified);
    assert_eq!(canonical(&v), "x@imposter.example");
    assert!(
        v.detail.as_deref().unwrap().contains("does not confirm"),
        "{v:?}"
    );
}

#[tokio::test]
async fn duplicates_are_checked_once() {
    let fv = Fakeverse::start();
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social.account("alice");
    let report = run(
        &fv,
        &[t("alice", "social.example"), t("ALICE", "social.example")],
    )
    .await;
    assert_eq!(report.asked, 1);
    assert_eq!(report.results.len(), 2);
    let webfingers = social
        .host()
        .requests()
        .iter()
        .filter(|r| r.path == "/.well-known/webfinger")
        .count();
    assert_eq!(webfingers, 1);
}

#[tokio::test]
async fn a_second_run_is_answered_from_the_cache() {
    let fv = Fakeverse::start();
    FediHost::mount(&fv, "social.example", Software::mastodon()).account("alice");
    fv.host("dead.example").set_mode(Mode::Hang);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("verify.jsonl");
    let targets = [t("alice", "social.example"), t("bob", "dead.example")];
    run_with(
        &fv,
        &targets,
        settings(),
        &mut VerifyCache::open(&path),
        None,
    )
    .await;
    let before = fv.request_count();

    let more = [
        targets[0].clone(),
        targets[1].clone(),
        t("carol", "dead.example"),
    ];
    let report = run_with(&fv, &more, settings(), &mut VerifyCache::open(&path), None).await;
    assert_eq!(
        fv.request_count(),
        before,
        "no request on a rerun, even for a new handle on a dead host"
    );
    assert_eq!(report.from_cache, 2);
    assert_eq!(report.results[0].state, State::Verified);
    assert_eq!(report.results[2].state, State::Timeout);
    assert_eq!(
        report
            .server_of("social.example")
            .unwrap()
            .software
            .as_deref(),
        Some("mastodon")
    );

    let refresh = Settings {
        refresh: true,
        ..settings()
    };
    let report = run_with(
        &fv,
        &targets[..1],
        refresh,
        &mut VerifyCache::open(&path),
        None,
    )
    .await;
    assert_eq!(report.asked, 1);
    assert!(fv.request_count() > before, "--refresh asks again");
}

#[tokio::test]
async fn stale_results_are_asked_again() {
    let fv = Fakeverse::start();
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social.account("alice");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("verify.jsonl");
    let target = [t("alice", "social.example")];
    run_with(
        &fv,
        &target,
        settings(),
        &mut VerifyCache::open(&path),
        None,
    )
    .await;
    let expired = Policy {
        found: Duration::ZERO,
        ..Policy::default()
    };
    let mut cache = VerifyCache::open(&path).with_policy(expired);
    let report = run_with(&fv, &target, settings(), &mut cache, None).await;
    assert_eq!((report.asked, report.from_cache), (1, 0));
    let webfingers = social
        .host()
        .requests()
        .iter()
        .filter(|r| r.path == "/.well-known/webfinger")
        .count();
    assert_eq!(webfingers, 2);
}

#[tokio::test]
async fn a_corrupt_cache_file_is_a_warning_not_a_failure() {
    let fv = Fakeverse::start();
    FediHost::mount(&fv, "social.example", Software::mastodon()).account("alice");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("verify.jsonl");
    std::fs::write(&path, "this is not json\n{\"kind\":\n").unwrap();
    let mut cache = VerifyCache::open(&path);
    let report = run_with(
        &fv,
        &[t("alice", "social.example")],
        settings(),
        &mut cache,
        None,
    )
    .await;
    assert_eq!(report.results[0].state, State::Verified);
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    drop(cache);
    let mut reopened = VerifyCache::open(&path);
    assert!(reopened.take_warnings().is_empty());
    assert_eq!(reopened.len(), 1);
}

#[test]
fn offline_builds_no_verifier_and_reports_unverified() {
    let opts = Options {
        offline: true,
        ..Options::default()
    };
    let err = Verifier::new(&opts, Settings::default()).unwrap_err();
    assert!(matches!(err, NetError::Offline));
    let report = Report::unverified(&[t("a", "b.example")]);
    assert_eq!(report.results[0].state, State::Unverified);
}

#[tokio::test]
async fn a_host_with_host_meta_pointing_to_itself_gives_not_found() {
    let fv = Fakeverse::start();
    let social = FediHost::mount(&fv, "social.example", Software::mastodon());
    social.host_meta(HostMeta::Jrd);
    let v = one(&fv, t("nobody", "social.example")).await;
    assert_eq!(v.state, State::NotFound);
    let log = social.host().requests();
    let webfingers = log
        .iter()
        .filter(|r| r.path == "/.well-known/webfinger")
        .count();
    assert_eq!(webfingers, 1, "no second WebFinger to the same endpoint");
}

#[tokio::test]
async fn a_host_that_dies_mid_run_stops_getting_requests() {
    let fv = Fakeverse::start();
    let host = fv.host("dying.example");
    let answered = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let dying = host.clone();
    host.mount(move |_| {
        if answered.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 1 {
            dying.set_mode(Mode::Hang); // answers this one, hangs from the next on
        }
        Some(Resp::error(404, "Record not found"))
    });
    let targets: Vec<Target> = (0..12)
        .map(|i| t(&format!("n{i}"), "dying.example"))
        .collect();
    let report = run(&fv, &targets).await;
    let sent = host.request_count();
    assert!(
        sent <= 2 + 2,
        "{sent} requests to a host that stopped answering"
    );
    let timeouts = report
        .results
        .iter()
        .filter(|v| v.state == State::Timeout)
        .count();
    assert!(timeouts >= 10, "{:?}", report.results);
}
