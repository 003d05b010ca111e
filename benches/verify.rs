//! Verification benchmark (not a test): 5,000 candidates on 800 hosts of the fake fediverse,
//! 50 ms added latency per answer, 10% of hosts dead (they accept the connection and never
//! answer), through the real verifier with its default limits (`--concurrency 32`: 32
//! requests to hosts that answered plus up to 32 first contacts; 2 per host).
//!
//! Run: `cargo bench --bench verify`. Knobs (environment): `BENCH_TIMEOUT_MS` (default 2000),
//! `BENCH_CONCURRENCY` (32), `BENCH_PER_HOST` (2), `BENCH_ACTORS` (1: fetch actors).
//!
//! It prints the wall time against the ideal bound the issue asks for,
//! `live requests ÷ concurrency × latency + one timeout`, and against three more:
//! - the same formula for every request the verifier may have in flight, `2 × concurrency`
//!   (its main lane plus its first-contact lane, where dead hosts wait);
//! - the slot-time floor of any schedule with that many in flight,
//!   `(live requests × latency + dead hosts × timeout) ÷ (2 × concurrency)`;
//! - the floor the first-contact lane sets, `⌈dead hosts ÷ concurrency⌉ × timeout` (each of
//!   its slots holds a dead host for a whole timeout).
//!
//! It also prints when the last live candidate was done. The fake server runs in the same
//! process, on the same cores.

#[path = "support/timing.rs"]
mod timing;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fakeverse::wellknown::{FediHost, Software};
use fakeverse::{Fakeverse, Mode};
use fedimigrate::discover::cache::VerifyCache;
use fedimigrate::discover::verify::{Event, Progress, Settings, State, Target, Verifier};
use fedimigrate::net::Options;

const HOSTS: usize = 800;
const CANDIDATES: usize = 5000;
const DEAD_EVERY: usize = 10;
const LATENCY: Duration = Duration::from_millis(50);

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Builds the world: host `i` is dead when `i % 10 == 0`; candidate `n` lives on host
/// `(n × 7919) mod 800` (an even, shuffled spread: 6–7 candidates per host).
fn world(fv: &Fakeverse) -> Vec<Target> {
    let mut servers = Vec::new();
    for i in 0..HOSTS {
        let name = format!("h{i:03}.bench.example");
        if i % DEAD_EVERY == 0 {
            fv.host(&name).set_mode(Mode::Hang);
            servers.push(None);
        } else {
            let server = FediHost::mount(fv, &name, Software::mastodon());
            server.host().set_latency(LATENCY);
            servers.push(Some(server));
        }
    }
    (0..CANDIDATES)
        .map(|n| {
            let host = (n * 7919) % HOSTS;
            let user = format!("user{n}");
            if let Some(server) = &servers[host] {
                server.account(&user);
            }
            Target::new(&user, &format!("h{host:03}.bench.example"))
        })
        .collect()
}

fn main() {
    let timeout = Duration::from_millis(env_or("BENCH_TIMEOUT_MS", 2000));
    let concurrency = env_or("BENCH_CONCURRENCY", 32) as usize;
    let per_host = env_or("BENCH_PER_HOST", 2) as usize;
    let actors = env_or("BENCH_ACTORS", 1) == 1;
    let fv = Fakeverse::start_with_threads(2);
    let targets = world(&fv);
    let dir = tempfile::tempdir().expect("temp dir");
    let options = Options {
        ca_certs: vec![fv.write_ca(dir.path())],
        resolve: fv
            .host_names()
            .iter()
            .map(|h| fv.resolve_value(h).parse().expect("resolve"))
            .collect(),
        timeout,
        ..Options::default()
    };
    let settings = Settings {
        concurrency,
        per_host,
        fetch_actors: actors,
        ..Settings::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let verifier = Verifier::new(&options, settings).expect("verifier");
    let started = Instant::now();
    let live_done = Arc::new(Mutex::new(Duration::ZERO));
    let seen = live_done.clone();
    let progress: Progress = Arc::new(move |event: &Event<'_>| {
        if let Event::Checked { result, .. } = event
            && result.state != State::Timeout
        {
            *seen.lock().expect("live done") = started.elapsed();
        }
    });
    let report =
        runtime.block_on(verifier.verify(&targets, &mut VerifyCache::in_memory(), Some(progress)));
    let wall = started.elapsed();
    let live_done = *live_done.lock().expect("live done");

    let mut states: BTreeMap<State, usize> = BTreeMap::new();
    for result in &report.results {
        *states.entry(result.state).or_default() += 1;
    }
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut dead_requests = 0;
    for name in fv.host_names() {
        let host = fv.host(&name);
        for request in host.requests() {
            let kind = match request.path.as_str() {
                "/.well-known/webfinger" => "webfinger",
                "/.well-known/nodeinfo" => "nodeinfo discovery",
                "/.well-known/host-meta" => "host-meta",
                p if p.starts_with("/nodeinfo/") => "nodeinfo document",
                p if p.starts_with("/users/") => "actor",
                _ => "other",
            };
            *kinds.entry(kind.to_string()).or_default() += 1;
        }
    }
    for i in (0..HOSTS).step_by(DEAD_EVERY) {
        dead_requests += fv.host(&format!("h{i:03}.bench.example")).request_count();
    }
    let total = fv.request_count();
    let live = total - dead_requests;
    let dead_hosts = HOSTS / DEAD_EVERY;
    let (latency, wait, wall) = (
        LATENCY.as_secs_f64(),
        timeout.as_secs_f64(),
        wall.as_secs_f64(),
    );
    let ideal = live as f64 / concurrency as f64 * latency + wait;
    let sockets = 2 * concurrency;
    let ideal_sockets = live as f64 / sockets as f64 * latency + wait;
    let slot_floor = (live as f64 * latency + dead_hosts as f64 * wait) / sockets as f64;
    let rounds = dead_hosts.div_ceil(concurrency);
    let lane_floor = rounds as f64 * wait;
    println!(
        "verify benchmark: {CANDIDATES} candidates on {HOSTS} hosts ({dead_hosts} dead), latency {LATENCY:?}, timeout {timeout:?}"
    );
    println!(
        "limits: concurrency {concurrency} (+ {concurrency} first contacts), per host {per_host}, actors {actors}"
    );
    println!("states: {states:?}");
    println!(
        "requests: {total} in all = {live} to live hosts {kinds:?} + {dead_requests} to dead hosts"
    );
    println!("max in flight (server side): {}", fv.max_in_flight());
    println!(
        "wall time: {wall:.2} s (last live candidate done at {:.2} s)",
        live_done.as_secs_f64()
    );
    println!(
        "ideal bound (live requests / concurrency x latency + one timeout) = {live} / {concurrency} x {latency:.3} s + {wait:.1} s = {ideal:.2} s -> ratio {:.2}",
        wall / ideal
    );
    println!(
        "same bound for every request in flight (2 x concurrency) = {live} / {sockets} x {latency:.3} s + {wait:.1} s = {ideal_sockets:.2} s -> ratio {:.2}",
        wall / ideal_sockets
    );
    println!(
        "slot-time floor for 2 x concurrency in flight ((live x latency + dead x timeout) / {sockets}) = {slot_floor:.2} s -> ratio {:.2}",
        wall / slot_floor
    );
    println!(
        "first-contact lane floor (ceil(dead / concurrency) x timeout) = {rounds} x {wait:.1} s = {lane_floor:.2} s -> ratio {:.2}",
        wall / lane_floor
    );
    timing::table_row(
        &format!(
            "verification: {CANDIDATES} candidates on {HOSTS} hosts ({dead_hosts} dead), {} ms latency, timeout {wait:.0} s",
            LATENCY.as_millis()
        ),
        &format!(
            "{wall:.1} s vs the bound {ideal:.1} s (live ÷ {concurrency} × latency + one timeout) = **{:.2}×**; {total} requests",
            wall / ideal
        ),
        "≤ 1.5×",
        &format!(
            "`BENCH_TIMEOUT_MS={} cargo bench --bench verify`",
            timeout.as_millis()
        ),
    );
}
