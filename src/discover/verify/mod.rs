//! Verification: does a candidate handle belong to a real fediverse account, under which
//! canonical address, and what runs on its server?
//!
//! Per candidate: WebFinger (`acct:user@host`, and the profile URL as resource for URL
//! candidates, which yields the canonical address); on a miss, host-meta's `lrdd` template
//! (servers whose handles live on another domain); then the ActivityPub actor (moved,
//! suspended, authorized fetch). Per host, once: NodeInfo (software, version, users, open
//! registrations), from the hosts WebFinger was asked on and from the host of each account's
//! actor, the server that really serves it (on a split domain, `social.example` for
//! `erin@example`). Each candidate ends in one [`State`]; see its docs for the meaning of each.
//!
//! Limits: at most [`Settings::per_host`] requests at once per host, and the first request to
//! a host goes alone; a host that times out or cannot be reached is dead for the run, so it
//! costs one request and one timeout, not one per handle. At most [`Settings::concurrency`]
//! requests at once go to hosts that have answered, and as many first contacts (one per host
//! not yet known to answer) in a lane of their own, so hosts that never answer do not hold
//! back the work on hosts that do: at most `2 × concurrency` requests in flight in all.
//! Every request goes through [`crate::net::Http`] with [`Reach::PublicOnly`]: hosts named in
//! other people's bios never make us connect to loopback, private or link-local addresses
//! (an explicit `--resolve` is the user's own exception). Bodies are capped
//! ([`Settings::body_limit`]); redirects are limited by the client.
//!
//! Results go to a [`VerifyCache`] as they arrive, so a rerun asks only what is new or stale.
//! The library prints nothing: progress goes to an optional [`Progress`] callback.
//!
//! Module map: `jrd`, `nodeinfo`, `actor` and `classify` are pure (bytes or statuses in,
//! values out); `hosts` holds per-host state and the one request path; `lookup` is the flow
//! for one candidate; this file orders the work and collects the results.

pub mod actor;
mod classify;
mod hosts;
pub mod jrd;
mod lookup;
pub mod nodeinfo;
mod state;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use reqwest::Url;
use tokio::task::JoinSet;

pub use classify::wait_time;
pub use state::{Acct, HostInfo, MovedTo, State, Verification};

use super::cache::VerifyCache;
use crate::net::{self, Http, NetError, Reach};

/// One candidate to verify. `host` is lowercased by [`Target::new`]; `profile_url` is set for
/// candidates found as URLs (`https://host/@user`, `/users/user`, `host/@user@other`…).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub user: String,
    pub host: String,
    pub profile_url: Option<Url>,
}

impl Target {
    /// A candidate found as `user@host`.
    pub fn new(user: &str, host: &str) -> Self {
        Self {
            user: user.to_string(),
            host: host.to_ascii_lowercase(),
            profile_url: None,
        }
    }

    /// A candidate found as a profile URL.
    pub fn with_url(user: &str, host: &str, profile_url: Url) -> Self {
        Self {
            profile_url: Some(profile_url),
            ..Self::new(user, host)
        }
    }

    /// The cache key: the address (user compared case-insensitively) and the URL, if any.
    pub fn key(&self) -> String {
        let acct = format!(
            "acct:{}@{}",
            self.user.to_lowercase(),
            self.host.to_ascii_lowercase()
        );
        match &self.profile_url {
            Some(url) => format!("{acct} {url}"),
            None => acct,
        }
    }
}

/// How verification behaves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Requests in flight at once to hosts that have answered (`--concurrency`); as many
    /// first contacts to hosts not yet known to answer may be in flight besides, one per host.
    pub concurrency: usize,
    /// Requests in flight at once against one host (`--per-host`).
    pub per_host: usize,
    /// Fetch each verified account's actor to detect moves and suspensions (one more
    /// request per account).
    pub fetch_actors: bool,
    /// Fetch NodeInfo once per host for the report (it is also fetched, when needed, to tell
    /// `not_found` from `not_fediverse`).
    pub nodeinfo: bool,
    /// The longest `Retry-After` we sit out within a run before reporting `rate_limited`.
    pub max_wait: Duration,
    /// Largest body read from a WebFinger, host-meta, NodeInfo or actor answer.
    pub body_limit: usize,
    /// Ignore cached results (`--refresh`); new results are still written.
    pub refresh: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            concurrency: 32,
            per_host: 2,
            fetch_actors: true,
            nodeinfo: true,
            max_wait: Duration::from_secs(20),
            body_limit: 256 * 1024,
            refresh: false,
        }
    }
}

/// What happened, for a progress bar or a log line. Sent from worker tasks: keep it cheap.
#[derive(Debug)]
pub enum Event<'a> {
    /// Work begins: `total` distinct candidates, `cached` of them answered from the cache.
    Started { total: usize, cached: usize },
    /// One distinct candidate is done.
    Checked {
        target: &'a Target,
        result: &'a Verification,
        cached: bool,
    },
    /// A host did not answer; its other candidates get the same state without a request.
    HostDead { host: &'a str, state: State },
    /// A host answered 429; its requests pause for `wait`.
    Waiting { host: &'a str, wait: Duration },
}

/// The progress callback.
pub type Progress = Arc<dyn Fn(&Event<'_>) + Send + Sync>;

/// Everything a run found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One result per input target, in input order.
    pub results: Vec<Verification>,
    /// What we know about each host involved (candidates' hosts, WebFinger hosts).
    pub hosts: BTreeMap<String, HostInfo>,
    /// Distinct candidates checked over the network in this run.
    pub asked: usize,
    /// Distinct candidates answered from the cache.
    pub from_cache: usize,
    /// Things the user should know (an unreadable cache file, a cache that could not be written).
    pub warnings: Vec<String>,
}

impl Report {
    /// Every target `unverified` (for `--offline`): candidates only, no network.
    pub fn unverified(targets: &[Target]) -> Self {
        let results = targets
            .iter()
            .map(|t| {
                let why = Some("not checked: --offline is set".to_string());
                Verification::bare(State::Unverified, &t.host, why)
            })
            .collect();
        Self {
            results,
            ..Self::default()
        }
    }

    /// The server behind `host`: its own NodeInfo, else that of the host its WebFinger is
    /// delegated to (split domains).
    pub fn server_of(&self, host: &str) -> Option<&HostInfo> {
        let info = self.hosts.get(host)?;
        if info.software.is_some() {
            return Some(info);
        }
        let delegated = info
            .webfinger_host
            .as_deref()
            .and_then(|h| self.hosts.get(h));
        Some(delegated.filter(|d| d.software.is_some()).unwrap_or(info))
    }
}

/// The verifier: a client built for public hosts, and the settings.
#[derive(Debug, Clone)]
pub struct Verifier {
    http: Http,
    settings: Settings,
}

impl Verifier {
    /// Builds the client (`Reach::PublicOnly`). Fails under `--offline` (use
    /// [`Report::unverified`]) or when a `--ca-cert` file is unusable.
    pub fn new(net: &net::Options, settings: Settings) -> Result<Self, NetError> {
        Ok(Self {
            http: Http::new(net, Reach::PublicOnly)?,
            settings,
        })
    }

    /// Verifies `targets` (duplicates are checked once), using and updating `cache`.
    pub async fn verify(
        &self,
        targets: &[Target],
        cache: &mut VerifyCache,
        progress: Option<Progress>,
    ) -> Report {
        let now = Utc::now();
        let use_cache = !self.settings.refresh;
        let (mut done, pending) = split_cached(targets, cache, now, use_cache);
        let from_cache = done.len();
        announce_cached(&progress, targets, &done, pending.len());
        let seeds = if use_cache {
            cache.fresh_hosts(now)
        } else {
            HashMap::new()
        };
        let ctx = Arc::new(hosts::Ctx::new(
            self.http.clone(),
            self.settings.clone(),
            seeds.clone(),
            progress.clone(),
        ));
        let asked = pending.len();
        run(&ctx, interleave(pending), cache, &mut done).await;
        let mut report = Report {
            asked,
            from_cache,
            ..Report::default()
        };
        collect_hosts(&ctx, &seeds, cache, &mut report, &done);
        report.results = targets
            .iter()
            .map(|t| {
                done.get(&t.key())
                    .cloned()
                    .unwrap_or_else(|| not_checked(t))
            })
            .collect();
        report.warnings = cache.take_warnings();
        report
    }
}

/// Distinct candidates, split into those the cache answers and those to ask.
fn split_cached(
    targets: &[Target],
    cache: &VerifyCache,
    now: chrono::DateTime<Utc>,
    use_cache: bool,
) -> (HashMap<String, Verification>, Vec<(String, Target)>) {
    let mut done = HashMap::new();
    let mut pending = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for target in targets {
        let key = target.key();
        if !seen.insert(key.clone()) {
            continue;
        }
        match cache.lookup(&key, now).filter(|_| use_cache) {
            Some(hit) => drop(done.insert(key, hit.clone())),
            None => pending.push((key, target.clone())),
        }
    }
    (done, pending)
}

/// Tells the progress callback the totals and each cached result (once per candidate).
fn announce_cached(
    progress: &Option<Progress>,
    targets: &[Target],
    done: &HashMap<String, Verification>,
    pending: usize,
) {
    let cached = done.len();
    let total = cached + pending;
    emit(progress, &Event::Started { total, cached });
    let mut shown = std::collections::HashSet::new();
    for target in targets {
        let key = target.key();
        if let Some(hit) = done.get(&key).filter(|_| shown.insert(key.clone())) {
            let event = Event::Checked {
                target,
                result: hit,
                cached: true,
            };
            emit(progress, &event);
        }
    }
}

fn emit(progress: &Option<Progress>, event: &Event<'_>) {
    if let Some(progress) = progress {
        progress(event);
    }
}

fn not_checked(target: &Target) -> Verification {
    let why = Some("not checked: the run stopped before this candidate".to_string());
    Verification::bare(State::Unverified, &target.host, why)
}

/// Orders the work so that every host's first candidate comes before any host's second:
/// first contacts (and so the dead hosts' single timeouts) start early, and the main lane
/// stays fed from many hosts while each host's own limit holds.
fn interleave(pending: Vec<(String, Target)>) -> Vec<(String, Target)> {
    let mut order: Vec<String> = Vec::new();
    let mut by_host: HashMap<String, std::collections::VecDeque<(String, Target)>> = HashMap::new();
    for item in pending {
        let host = item.1.host.clone();
        if !by_host.contains_key(&host) {
            order.push(host.clone());
        }
        by_host.entry(host).or_default().push_back(item);
    }
    let mut out = Vec::new();
    while !by_host.is_empty() {
        for host in &order {
            if let Some(queue) = by_host.get_mut(host) {
                out.extend(queue.pop_front());
                if queue.is_empty() {
                    by_host.remove(host);
                }
            }
        }
    }
    out
}

/// Runs every pending lookup, storing each result in the cache as it arrives.
async fn run(
    ctx: &Arc<hosts::Ctx>,
    pending: Vec<(String, Target)>,
    cache: &mut VerifyCache,
    done: &mut HashMap<String, Verification>,
) {
    let mut tasks = JoinSet::new();
    for (key, target) in pending {
        let ctx = ctx.clone();
        tasks.spawn(async move {
            let result = lookup::verify(&ctx, &target).await;
            (key, target, result)
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let Ok((key, target, result)) = joined else {
            continue; // a panicked lookup stays `unverified`
        };
        cache.store(&key, &result);
        ctx.emit(&Event::Checked {
            target: &target,
            result: &result,
            cached: false,
        });
        done.insert(key, result);
    }
    let mut background = std::mem::take(&mut *ctx.background.lock().expect("background"));
    while background.join_next().await.is_some() {}
}

/// Fills `report.hosts` from this run (and the cache for hosts not touched), and stores what
/// this run learned about hosts.
fn collect_hosts(
    ctx: &hosts::Ctx,
    seeds: &HashMap<String, HostInfo>,
    cache: &mut VerifyCache,
    report: &mut Report,
    done: &HashMap<String, Verification>,
) {
    for result in done.values() {
        for host in std::iter::once(result.host.clone()).chain(result.serving_host()) {
            if let Some(seed) = seeds.get(&host) {
                report.hosts.insert(host, seed.clone());
            }
        }
    }
    for (host, info) in ctx.host_infos() {
        if info != HostInfo::default() {
            cache.store_host(&host, &info);
        }
        report.hosts.insert(host, info);
    }
}
