//! One virtual host: its routes, its misbehaviour switches, and what it was asked.
//!
//! Routes are plain closures `Fn(&Req) -> Option<Resp>`, tried in the order they were
//! mounted; the first `Some` answers. Modules of this crate (and tests) mount the protocol
//! routes they need; the switches here apply to every route of the host. Two switches lose
//! answers *after* a route ran (its change is made): [`Mode::CloseAfterCommit`] for every
//! request, and [`Host::drop_after_commit`] / [`Host::drop_after_commit_rate`] for chosen
//! successful ones. The host never knows what a route does. A mode can also be set for one
//! path prefix only ([`Host::set_path_mode`]), so a command gets past its first requests and
//! meets the hostile answer where it matters (the follow itself, the NodeInfo document).

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use crate::drops::Drops;
use crate::exchange::{Req, Resp};

/// A route: answers the requests it recognises.
pub type Route = Arc<dyn Fn(&Req) -> Option<Resp> + Send + Sync>;

/// How the host misbehaves (applies before any route).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    /// Routes answer; unknown paths get 404.
    #[default]
    Normal,
    /// Accepts the connection and the request, then never answers (a dead host).
    Hang,
    /// Closes the connection without an answer, before any route runs (nothing changes).
    Close,
    /// Runs the route (its change is made), then closes the connection without an answer.
    CloseAfterCommit,
    /// Every request gets this status with an empty JSON object.
    Status(u16),
    /// Every answer is replaced by `size` bytes of JSON-ish junk (a body-cap test).
    Oversize(usize),
    /// Every answer's body is replaced by truncated, invalid JSON.
    Malformed,
    /// Every request is redirected (302) to this URL prefix + the original path and query.
    RedirectTo(String),
    /// Every request gets this answer.
    Fixed(Resp),
    /// The connection is reset (TCP RST) after the request arrived, before any route runs.
    Reset,
    /// A 200 JSON answer whose body never ends: one byte a second, forever.
    Trickle,
    /// The route runs (its change is made); its answer goes out with its full
    /// `Content-Length` but only half the body, then the connection closes.
    Truncated,
    /// The route runs; its answer keeps its status but becomes an HTML page (`text/html`), as
    /// a captive portal or a misconfigured proxy sends.
    Html,
    /// The route runs on a server whose clock is this many seconds off (negative: behind):
    /// `Date` and any `X-RateLimit-Reset` come from that clock, and a 429 without a reset
    /// (a queued one) gets a reset a second ahead on it.
    ClockOff(i64),
}

/// A logged request.
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: std::collections::BTreeMap<String, String>,
    pub body: bytes::Bytes,
    /// When the request arrived (the local clock).
    pub at: SystemTime,
}

/// A mode for the requests with one method (`*`: any) and path prefix.
#[derive(Debug, Clone)]
struct PathMode {
    method: String,
    prefix: String,
    mode: Mode,
}

/// A virtual host.
pub struct Host {
    pub name: String,
    routes: RwLock<Vec<Route>>,
    mode: Mutex<Mode>,
    path_modes: Mutex<Vec<PathMode>>,
    latency: Mutex<Duration>,
    /// Statuses to answer with before routes run, one per request (a burst of 5xx or 429).
    upcoming: Mutex<VecDeque<Resp>>,
    log: Mutex<Vec<Logged>>,
    drops: Mutex<Drops>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl std::fmt::Debug for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Host").field("name", &self.name).finish()
    }
}

impl Host {
    pub(crate) fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            routes: RwLock::new(Vec::new()),
            mode: Mutex::new(Mode::Normal),
            path_modes: Mutex::new(Vec::new()),
            latency: Mutex::new(Duration::ZERO),
            upcoming: Mutex::new(VecDeque::new()),
            log: Mutex::new(Vec::new()),
            drops: Mutex::new(Drops::default()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// Adds a route (tried after the ones mounted before it).
    pub fn mount(&self, route: impl Fn(&Req) -> Option<Resp> + Send + Sync + 'static) {
        self.routes.write().expect("routes").push(Arc::new(route));
    }

    /// Sets how the host misbehaves.
    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().expect("mode") = mode;
    }

    /// Sets how the host misbehaves for requests with `method` (any case; `*` for every
    /// method) whose path starts with `prefix`; the first matching rule wins over the host's
    /// mode.
    pub fn set_path_mode(&self, method: &str, prefix: &str, mode: Mode) {
        self.path_modes.lock().expect("path modes").push(PathMode {
            method: method.to_string(),
            prefix: prefix.to_string(),
            mode,
        });
    }

    /// Removes every path mode and queued answer and sets the host's mode back to
    /// [`Mode::Normal`].
    pub fn calm(&self) {
        self.path_modes.lock().expect("path modes").clear();
        self.upcoming.lock().expect("queue").clear();
        self.set_mode(Mode::Normal);
    }

    /// Adds a delay before every answer.
    pub fn set_latency(&self, latency: Duration) {
        *self.latency.lock().expect("latency") = latency;
    }

    /// Queues answers that the next requests get instead of their routes' (one each).
    pub fn queue(&self, responses: impl IntoIterator<Item = Resp>) {
        self.upcoming.lock().expect("queue").extend(responses);
    }

    /// Every request this host received, oldest first.
    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().expect("log").clone()
    }

    /// How many requests this host received.
    pub fn request_count(&self) -> usize {
        self.log.lock().expect("log").len()
    }

    /// Requests received per route: `"METHOD /path"` with every all-digit path segment
    /// (Mastodon's ids) written `:id`, the query left out.
    pub fn requests_by_route(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for logged in self.log.lock().expect("log").iter() {
            let key = format!("{} {}", logged.method, route_key(&logged.path));
            *counts.entry(key).or_insert(0) += 1;
        }
        counts
    }

    /// The next `n` requests with `method` (any case) whose path starts with `path_prefix`
    /// and whose route answers 2xx are carried out but answered by closing the connection.
    /// Other answers (errors, 429s, queued answers) go out and do not count.
    pub fn drop_after_commit(&self, method: &str, path_prefix: &str, n: usize) {
        self.drops().next(method, path_prefix, n);
    }

    /// Like [`Host::drop_after_commit`], dropping each such answer with `probability`, drawn
    /// from a seeded generator ([`Host::seed_drops`]; a fixed default otherwise).
    pub fn drop_after_commit_rate(&self, method: &str, path_prefix: &str, probability: f64) {
        self.drops().rate(method, path_prefix, probability);
    }

    /// Restarts the drop generator from `seed`.
    pub fn seed_drops(&self, seed: u64) {
        self.drops().seed(seed);
    }

    /// Removes every drop rule.
    pub fn clear_drops(&self) {
        self.drops().clear();
    }

    /// How many answers the drop rules swallowed.
    pub fn dropped_count(&self) -> usize {
        self.drops().dropped()
    }

    /// The most requests that were ever in progress at once on this host.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    /// The mode for this request: the first matching path mode, else the host's.
    pub(crate) fn mode_for(&self, method: &str, path: &str) -> Mode {
        let rules = self.path_modes.lock().expect("path modes");
        let matching = rules.iter().find(|r| {
            (r.method == "*" || r.method.eq_ignore_ascii_case(method))
                && path.starts_with(&r.prefix)
        });
        match matching {
            Some(rule) => rule.mode.clone(),
            None => self.mode.lock().expect("mode").clone(),
        }
    }

    pub(crate) fn latency(&self) -> Duration {
        *self.latency.lock().expect("latency")
    }

    pub(crate) fn record(&self, req: &Req) {
        self.log.lock().expect("log").push(Logged {
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: req.headers.clone(),
            body: req.body.clone(),
            at: SystemTime::now(),
        });
    }

    /// Marks a request as started; the guard marks it finished when dropped.
    pub(crate) fn enter(self: &Arc<Self>) -> InFlight {
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(self.clone())
    }

    /// Routes the request (after the queue), or 404; a successful answer a drop rule picks
    /// becomes [`Resp::unanswered`].
    pub(crate) fn answer(&self, req: &Req) -> Resp {
        if let Some(queued) = self.upcoming.lock().expect("queue").pop_front() {
            return queued;
        }
        let routes = self.routes.read().expect("routes").clone();
        let Some(resp) = routes.iter().find_map(|route| route(req)) else {
            return Resp::error(404, "Not Found");
        };
        if (200..300).contains(&resp.status) && self.drops().decide(&req.method, &req.path) {
            return Resp::unanswered();
        }
        resp
    }

    fn drops(&self) -> std::sync::MutexGuard<'_, Drops> {
        self.drops
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `/api/v1/accounts/123/follow` → `/api/v1/accounts/:id/follow`.
fn route_key(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let id = !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit());
            if id { ":id" } else { segment }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Decrements the in-flight count when a request ends (even if the client went away).
pub(crate) struct InFlight(Arc<Host>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::route_key;

    #[test]
    fn route_keys_hide_ids() {
        let cases = [
            ("/api/v1/accounts/lookup", "/api/v1/accounts/lookup"),
            (
                "/api/v1/accounts/109000000001000003/follow",
                "/api/v1/accounts/:id/follow",
            ),
            ("/api/v1/lists/12/accounts", "/api/v1/lists/:id/accounts"),
            ("/api/v2/search", "/api/v2/search"),
            ("/.well-known/nodeinfo", "/.well-known/nodeinfo"),
            ("/", "/"),
        ];
        for (path, key) in cases {
            assert_eq!(route_key(path), key, "{path}");
        }
    }
}
