//! Per-host bookkeeping and the one way verification sends a request.
//!
//! Every request goes through [`Ctx::fetch`], which enforces, in this order: a dead host gets
//! no request at all; the first request to a host goes alone (so a host that never answers
//! costs one request and one timeout, whatever the number of candidates on it); at most
//! `per_host` requests per host; then one of two lanes of `concurrency` slots each; a host
//! that answered 429 with a short enough wait is paused and the request retried. It also runs
//! the once-per-host lookups: host-meta (where WebFinger really lives) and NodeInfo (what the
//! server runs).
//!
//! The lanes: a first contact (the lone request to a host not yet known to answer) takes a
//! slot of the first-contact lane; every other request takes a slot of the main lane. A dead
//! host holds its first-contact slot for a whole timeout, and without the split it would hold
//! a slot that requests to live hosts wait for. So at most `2 × concurrency` requests are in
//! flight: `concurrency` to hosts that answered and `concurrency` first contacts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::Utc;
use reqwest::Url;
use tokio::sync::{OnceCell, Semaphore};
use tokio::task::JoinSet;

use super::classify::{self, ErrorClass};
use super::state::{HostInfo, State};
use super::{Event, Progress, Settings, jrd, nodeinfo};
use crate::net::{Fetched, Http, NetError, host_of};

/// How many times one request is retried after a 429 we chose to wait out.
const MAX_RATE_RETRIES: usize = 2;

/// A request that did not produce an HTTP answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The host is dead (now or earlier in the run): this state, this sentence.
    Dead(State, String),
    /// The host answered with something unusable, or we are offline.
    Net(NetError),
}

/// Whether a host has answered yet.
#[derive(Debug, Clone)]
enum Life {
    Unknown,
    Alive,
    Dead(State, String),
}

/// What NodeInfo told about a host.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts {
    /// `Some(true)`: NodeInfo found; `Some(false)`: the host answered without NodeInfo;
    /// `None`: could not tell.
    pub fediverse: Option<bool>,
}

/// One host's state for the run.
pub(crate) struct HostState {
    name: String,
    slots: Semaphore,
    probe: tokio::sync::Mutex<()>,
    life: Mutex<Life>,
    paused_until: Mutex<Option<Instant>>,
    template: OnceCell<Option<String>>,
    facts: OnceCell<Facts>,
    /// The guard refused the host: it resolves only to private or local addresses (or is
    /// one), and the user gave it no `--resolve` entry.
    private: AtomicBool,
    pub(crate) info: Mutex<HostInfo>,
}

impl HostState {
    fn new(name: &str, per_host: usize, seed: Option<&HostInfo>) -> Self {
        let mut state = Self {
            name: name.to_string(),
            slots: Semaphore::new(per_host.max(1)),
            probe: tokio::sync::Mutex::new(()),
            life: Mutex::new(Life::Unknown),
            paused_until: Mutex::new(None),
            template: OnceCell::new(),
            facts: OnceCell::new(),
            private: AtomicBool::new(false),
            info: Mutex::new(HostInfo::default()),
        };
        if let Some(seed) = seed {
            state.seed(seed);
        }
        state
    }

    /// Starts from a fresh cached record: a known dead host, template and NodeInfo.
    fn seed(&mut self, seed: &HostInfo) {
        if let Some(state) = seed.dead {
            let reason = seed.detail.clone().unwrap_or_default();
            *self.life.get_mut().expect("life") = Life::Dead(state, reason);
        }
        if let Some(template) = &seed.lrdd_template {
            self.template = OnceCell::new_with(Some(Some(template.clone())));
        }
        if seed.nodeinfo {
            let facts = Facts {
                fediverse: Some(true),
            };
            self.facts = OnceCell::new_with(Some(facts));
        }
        *self.info.get_mut().expect("info") = seed.clone();
    }

    fn dead(&self) -> Option<(State, String)> {
        match &*self.life.lock().expect("life") {
            Life::Dead(state, why) => Some((*state, why.clone())),
            _ => None,
        }
    }

    fn is_unknown(&self) -> bool {
        matches!(*self.life.lock().expect("life"), Life::Unknown)
    }

    fn mark(&self, life: Life) {
        let mut current = self.life.lock().expect("life");
        if !matches!(*current, Life::Dead(..)) {
            *current = life;
        }
    }

    async fn wait_if_paused(&self) {
        let until = *self.paused_until.lock().expect("pause");
        if let Some(until) = until {
            tokio::time::sleep_until(until.into()).await;
        }
    }

    fn pause(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut paused = self.paused_until.lock().expect("pause");
        if paused.is_none_or(|current| current < until) {
            *paused = Some(until);
        }
    }
}

/// Everything the tasks of one run share.
pub(crate) struct Ctx {
    pub(crate) http: Http,
    pub(crate) settings: Settings,
    /// Requests to hosts that have answered (or answered badly) in this run.
    main_lane: Semaphore,
    /// First contacts: the one request in flight to a host not yet known to answer.
    first_contacts: Semaphore,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    seeds: HashMap<String, HostInfo>,
    progress: Option<Progress>,
    pub(crate) background: Mutex<JoinSet<()>>,
}

impl Ctx {
    pub(crate) fn new(
        http: Http,
        settings: Settings,
        seeds: HashMap<String, HostInfo>,
        progress: Option<Progress>,
    ) -> Self {
        let lane = settings.concurrency.max(1);
        Self {
            main_lane: Semaphore::new(lane),
            first_contacts: Semaphore::new(lane),
            http,
            settings,
            hosts: Mutex::new(HashMap::new()),
            seeds,
            progress,
            background: Mutex::new(JoinSet::new()),
        }
    }

    /// The state of `name` (created on first use, from the cache when it has a record).
    pub(crate) fn host(&self, name: &str) -> Arc<HostState> {
        let name = name.to_ascii_lowercase();
        let mut hosts = self.hosts.lock().expect("hosts");
        hosts
            .entry(name.clone())
            .or_insert_with(|| {
                let seed = self.seeds.get(&name);
                Arc::new(HostState::new(&name, self.settings.per_host, seed))
            })
            .clone()
    }

    /// True when the guard refused `name` in this run as a private or local address.
    pub(crate) fn is_private(&self, name: &str) -> bool {
        self.host(name).private.load(Ordering::Relaxed)
    }

    /// Every host touched in this run, with what we learned.
    pub(crate) fn host_infos(&self) -> Vec<(String, HostInfo)> {
        let hosts = self.hosts.lock().expect("hosts");
        hosts
            .values()
            .map(|h| (h.name.clone(), h.info.lock().expect("info").clone()))
            .collect()
    }

    pub(crate) fn emit(&self, event: &Event<'_>) {
        if let Some(progress) = &self.progress {
            progress(event);
        }
    }

    /// GETs `url` under every limit (see the module docs), reading at most the body limit.
    pub(crate) async fn fetch(&self, url: Url, accept: &str) -> Result<Fetched, Failure> {
        let host = self.host(&host_of(&url));
        let mut retries = 0;
        loop {
            let fetched = self.fetch_once(&host, &url, accept).await?;
            if fetched.status.as_u16() != 429 || retries >= MAX_RATE_RETRIES {
                return Ok(fetched);
            }
            let wait = rate_limit_wait(&fetched);
            match wait {
                Some(wait) if wait <= self.settings.max_wait => {
                    self.emit(&Event::Waiting {
                        host: &host.name,
                        wait,
                    });
                    host.pause(wait.max(Duration::from_millis(10)));
                    retries += 1;
                }
                _ => return Ok(fetched),
            }
        }
    }

    async fn fetch_once(
        &self,
        host: &HostState,
        url: &Url,
        accept: &str,
    ) -> Result<Fetched, Failure> {
        if let Some((state, why)) = host.dead() {
            return Err(Failure::Dead(state, why));
        }
        // The first request to a host goes alone: later ones wait to learn if it is alive.
        let probe = if host.is_unknown() {
            let guard = host.probe.lock().await;
            if let Some((state, why)) = host.dead() {
                return Err(Failure::Dead(state, why));
            }
            host.is_unknown().then_some(guard)
        } else {
            None
        };
        let _slot = host.slots.acquire().await.map_err(closed)?;
        host.wait_if_paused().await;
        let lane = if probe.is_some() {
            &self.first_contacts
        } else {
            &self.main_lane
        };
        let _lane = lane.acquire().await.map_err(closed)?;
        // The host may have died while this request waited for its turn.
        if let Some((state, why)) = host.dead() {
            return Err(Failure::Dead(state, why));
        }
        let request = self.http.get(url.clone(), accept);
        let result = self.http.send(request, self.settings.body_limit).await;
        self.settle(host, result)
    }

    /// Records what a request taught about its host.
    fn settle(
        &self,
        host: &HostState,
        result: Result<Fetched, NetError>,
    ) -> Result<Fetched, Failure> {
        match result {
            Ok(fetched) => {
                host.mark(Life::Alive);
                Ok(fetched)
            }
            Err(err) => match classify::net_error(&err) {
                ErrorClass::Dead(state) => {
                    if matches!(err, NetError::Blocked(_) | NetError::PrivateTarget { .. }) {
                        host.private.store(true, Ordering::Relaxed);
                    }
                    let why = err.to_string();
                    host.mark(Life::Dead(state, why.clone()));
                    let mut info = host.info.lock().expect("info");
                    info.dead = Some(state);
                    info.detail = Some(why.clone());
                    info.checked_at = Some(Utc::now());
                    drop(info);
                    self.emit(&Event::HostDead {
                        host: &host.name,
                        state,
                    });
                    Err(Failure::Dead(state, why))
                }
                ErrorClass::BadAnswer => {
                    host.mark(Life::Alive);
                    Err(Failure::Net(err))
                }
                ErrorClass::Offline => Err(Failure::Net(err)),
            },
        }
    }

    /// Where WebFinger lives for `host` when host-meta sends it elsewhere (asked once per
    /// host; `None` when host-meta is missing or names the usual URL).
    pub(crate) async fn lrdd_template(&self, host: &str) -> Option<String> {
        let state = self.host(host);
        state
            .template
            .get_or_init(|| self.fetch_host_meta(host))
            .await
            .clone()
    }

    /// The template learned so far (from the cache or an earlier candidate), without asking.
    pub(crate) fn known_template(&self, host: &str) -> Option<String> {
        self.host(host).template.get().cloned().flatten()
    }

    async fn fetch_host_meta(&self, host: &str) -> Option<String> {
        let url = Url::parse(&format!("https://{host}/.well-known/host-meta")).ok()?;
        let accept = "application/xrd+xml, application/jrd+json;q=0.9, application/json;q=0.8";
        let fetched = self.fetch(url, accept).await.ok()?;
        if !fetched.status.is_success() {
            return None;
        }
        let doc = jrd::parse(&fetched.body).ok()?;
        let template = doc.lrdd_template()?.to_string();
        let probe = Url::parse(&jrd::fill_template(&template, "acct:x@y")).ok()?;
        let usual = host_of(&probe) == host && probe.path() == "/.well-known/webfinger";
        if usual {
            return None;
        }
        let state = self.host(host);
        let mut info = state.info.lock().expect("info");
        info.webfinger_host = Some(host_of(&probe));
        info.lrdd_template = Some(template.clone());
        Some(template)
    }

    /// Whether `host` runs fediverse software (NodeInfo), fetched once per host.
    pub(crate) async fn facts(&self, host: &str) -> Facts {
        let state = self.host(host);
        *state
            .facts
            .get_or_init(|| async {
                let (facts, found) = self.fetch_nodeinfo(host).await;
                self.record_nodeinfo(&state, facts, found);
                facts
            })
            .await
    }

    /// Starts the NodeInfo lookup of `host` in the background (once), if enabled.
    pub(crate) fn spawn_facts(self: &Arc<Self>, host: &str) {
        let state = self.host(host);
        if !self.settings.nodeinfo || state.facts.initialized() {
            return;
        }
        let ctx = self.clone();
        let host = host.to_string();
        self.background
            .lock()
            .expect("background")
            .spawn(async move {
                ctx.facts(&host).await;
            });
    }

    fn record_nodeinfo(&self, state: &HostState, facts: Facts, found: Option<nodeinfo::NodeInfo>) {
        let mut info = state.info.lock().expect("info");
        info.checked_at = Some(Utc::now());
        info.nodeinfo = facts.fediverse == Some(true);
        if let Some(found) = found {
            info.software = Some(found.software);
            info.version = found.version;
            info.users = found.users;
            info.open_registrations = found.open_registrations;
        }
    }

    async fn fetch_nodeinfo(&self, host: &str) -> (Facts, Option<nodeinfo::NodeInfo>) {
        let unknown = Facts { fediverse: None };
        let no = Facts {
            fediverse: Some(false),
        };
        let Ok(url) = Url::parse(&format!("https://{host}{}", nodeinfo::DISCOVERY_PATH)) else {
            return (unknown, None);
        };
        let discovery = match self.fetch(url, "application/json").await {
            Ok(fetched) => fetched,
            Err(Failure::Net(_)) => return (no, None),
            Err(Failure::Dead(..)) => return (unknown, None),
        };
        match discovery.status.as_u16() {
            200..=299 => {}
            429 | 500..=599 => return (unknown, None),
            _ => return (no, None),
        }
        let Some(doc_url) = nodeinfo::document_url(&discovery.body)
            .ok()
            .and_then(|href| discovery.url.join(&href).ok())
        else {
            return (no, None);
        };
        match self.fetch(doc_url, "application/json").await {
            Ok(doc) if doc.status.is_success() => match nodeinfo::parse(&doc.body) {
                Ok(found) => (
                    Facts {
                        fediverse: Some(true),
                    },
                    Some(found),
                ),
                Err(_) => (no, None),
            },
            _ => (unknown, None),
        }
    }
}

fn closed(_: tokio::sync::AcquireError) -> Failure {
    Failure::Net(NetError::Other {
        host: "-".into(),
        reason: "the verifier was shut down".into(),
    })
}

/// How long a 429 asks us to wait (see [`classify::wait_time`]).
pub(crate) fn rate_limit_wait(fetched: &Fetched) -> Option<Duration> {
    let reset = fetched
        .header("x-ratelimit-reset")
        .or_else(|| fetched.header("x-rate-limit-reset"));
    classify::wait_time(
        fetched.header("retry-after"),
        reset,
        fetched.header("date"),
        Utc::now(),
    )
}
