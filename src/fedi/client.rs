//! [`Client`]: one instance, one (optional) token, and the one way requests go out: paced by
//! the rate-limit model, retried when that is safe, stopped by Ctrl-C, and turned into typed
//! answers or typed errors.
//!
//! The endpoint methods live beside this file (`accounts.rs`, `statuses.rs`, …); they build a
//! [`Call`] and hand it to [`Client::json`] or [`Client::fetch`].
//!
//! How long a request may wait is one rule, set by the command through [`ClientOptions`]:
//! - [`ClientOptions::interactive`] (the default; `login`, `logout`, `instance` and any other
//!   command a person sits in front of for a few requests): one wait for a rate limit may last
//!   [`INTERACTIVE_WAIT`], and all the waits of one request together (refusals and backoffs)
//!   as long again. A server that asks for more (`Retry-After: 86400`, a storm of 429s) ends
//!   the request with one sentence ([`Error::RateLimited`] or [`Error::Refused`]).
//! - [`ClientOptions::bulk`] (`follow`, `post`): the command passes the user's `--max-wait`;
//!   a longer single wait fails with [`Error::RateLimited`] so the command can save its state
//!   and say when to run again, and one request's waits together stay within it too.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use url::Url;

use super::cancel::Cancel;
use super::clock::{Clock, SystemClock};
use super::error::{ApiError, Error, clean_server_text};
use super::family::{Budgets, Family};
use super::instance_url::InstanceUrl;
use super::notice::Notice;
use super::pacer::{Hold, Observed, Pacer};
use super::rate_headers::{rate_headers, reset_wait, retry_after, server_date};
use super::retry::{Repeat, RetryPolicy, is_transient_net, is_transient_status, random_unit};
use super::secret::AccessToken;
use crate::net::{self, Fetched, Http};

/// The longest wait a command a person waits on accepts (see the module docs).
pub const INTERACTIVE_WAIT: Duration = Duration::from_secs(30);

/// How a client behaves; the defaults ([`ClientOptions::interactive`]) suit an interactive run.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Budgets enforced before any header is seen (stock Mastodon's by default).
    pub budgets: Budgets,
    pub retry: RetryPolicy,
    /// The longest single wait for a rate limit; a longer one fails with
    /// [`Error::RateLimited`] so the caller can save its state and stop.
    pub max_wait: Duration,
    /// The longest one request spends in all its waits after refusals and failures; the wait
    /// that would pass it is not taken and the request fails ([`Error::Refused`]).
    pub patience: Duration,
    /// Pacing waits shorter than this are not announced.
    pub notice_after: Duration,
    /// How long an upload may stay "processing" before giving up.
    pub media_deadline: Duration,
    /// The largest API answer read.
    pub body_limit: usize,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self::interactive()
    }
}

impl ClientOptions {
    /// For commands a person waits on: short waits, then one sentence.
    pub fn interactive() -> Self {
        Self {
            budgets: Budgets::mastodon(),
            retry: RetryPolicy::default(),
            max_wait: INTERACTIVE_WAIT,
            patience: INTERACTIVE_WAIT,
            notice_after: Duration::from_secs(3),
            media_deadline: Duration::from_secs(10 * 60),
            body_limit: 8 << 20,
        }
    }

    /// For bulk commands (`follow`, `post`): waits up to the user's `--max-wait`.
    pub fn bulk(max_wait: Duration) -> Self {
        Self {
            max_wait,
            patience: max_wait,
            ..Self::interactive()
        }
    }
}

type NoticeFn = Arc<dyn Fn(&Notice) + Send + Sync>;

/// A wait ending this soon after the last one announced is not announced again.
const REPEAT_NOTICE: Duration = Duration::from_secs(2);

/// A client for one instance. Cheap to clone; clones share the pacing state.
#[derive(Clone)]
pub struct Client {
    instance: InstanceUrl,
    token: Option<AccessToken>,
    http: Http,
    pacer: Arc<Mutex<Pacer>>,
    clock: Arc<dyn Clock>,
    cancel: Cancel,
    notice: NoticeFn,
    announced: Arc<Mutex<Option<SystemTime>>>,
    options: ClientOptions,
    /// The user's per-request timeout (`--timeout`).
    timeout: Duration,
    /// The instance's own domain, once asked (see `instance.rs`).
    pub(super) local_domain: Arc<tokio::sync::OnceCell<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("instance", &self.instance.origin())
            .field("token", &self.token.as_ref().map(|_| "redacted"))
            .finish_non_exhaustive()
    }
}

/// The body of a request. Its `Debug` shows field names only: OAuth forms carry secrets.
#[derive(Clone, Default)]
pub enum Body {
    #[default]
    None,
    /// `application/x-www-form-urlencoded` pairs (`name[]` for arrays).
    Form(Vec<(String, String)>),
    /// A prepared body with its content type (multipart uploads).
    Raw { content_type: String, bytes: Bytes },
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::None => f.write_str("None"),
            Body::Form(pairs) => f
                .debug_tuple("Form")
                .field(&pairs.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>())
                .finish(),
            Body::Raw {
                content_type,
                bytes,
            } => write!(f, "Raw({content_type}, {} bytes)", bytes.len()),
        }
    }
}

/// One API request, rebuildable for retries.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub url: Url,
    pub query: Vec<(String, String)>,
    pub body: Body,
    pub repeat: Repeat,
    pub auth: bool,
    pub idempotency_key: Option<String>,
    /// Overrides the per-request timeout (large uploads need longer).
    pub timeout: Option<Duration>,
}

impl Call {
    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.push((name.to_string(), value.into()));
        self
    }

    /// Sets a form body.
    pub fn form(mut self, pairs: Vec<(String, String)>) -> Self {
        self.body = Body::Form(pairs);
        self
    }

    /// Marks the request as safe (or not) to send twice.
    pub fn repeat(mut self, repeat: Repeat) -> Self {
        self.repeat = repeat;
        self
    }

    /// Sends no token (OAuth token exchange, public endpoints).
    pub fn anonymous(mut self) -> Self {
        self.auth = false;
        self
    }
}

impl Client {
    /// A client for `instance`, with `token` if logged in. Builds its own HTTP client from the
    /// user's network options (the user's own instance may be on their LAN or this machine).
    pub fn new(
        instance: InstanceUrl,
        token: Option<AccessToken>,
        net: &net::Options,
    ) -> Result<Self, Error> {
        if token.as_ref().is_some_and(|t| !t.is_header_safe()) {
            return Err(Error::BadToken);
        }
        let http = Http::with_credentials(net)?;
        let options = ClientOptions::default();
        Ok(Self {
            instance,
            token,
            http,
            pacer: Arc::new(Mutex::new(Pacer::new(options.budgets.clone()))),
            clock: Arc::new(SystemClock),
            cancel: Cancel::new(),
            notice: Arc::new(|_| {}),
            announced: Arc::new(Mutex::new(None)),
            options,
            timeout: net.timeout,
            local_domain: Arc::new(tokio::sync::OnceCell::new()),
        })
    }

    /// Replaces the options (and the pacer's budgets with theirs).
    pub fn with_options(mut self, options: ClientOptions) -> Self {
        self.set_budgets(options.budgets.clone());
        self.options = options;
        self
    }

    /// Uses another clock (tests, simulations).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Stops at the next request or wait once `cancel` is raised.
    pub fn with_cancel(mut self, cancel: Cancel) -> Self {
        self.cancel = cancel;
        self
    }

    /// Sends notices (waits, retries) to `notice`.
    pub fn on_notice(mut self, notice: impl Fn(&Notice) + Send + Sync + 'static) -> Self {
        self.notice = Arc::new(notice);
        self
    }

    /// The instance this client talks to.
    pub fn instance(&self) -> &InstanceUrl {
        &self.instance
    }

    /// The instance's key (`host` or `host:port`), for messages.
    pub fn host(&self) -> &str {
        self.instance.key()
    }

    /// The token, if any (for revoking it).
    pub fn token(&self) -> Option<&AccessToken> {
        self.token.as_ref()
    }

    /// The cancellation flag this client obeys.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    /// The options in force.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The user's per-request timeout.
    pub fn request_timeout(&self) -> Duration {
        self.timeout
    }

    /// Replaces the known budgets (e.g. once the server software is known).
    pub fn set_budgets(&self, budgets: Budgets) {
        self.pacer().set_budgets(budgets);
    }

    /// The budgets the pacer enforces now (the software's, once `instance_info` learned it).
    pub fn budgets(&self) -> Budgets {
        self.pacer().budgets().clone()
    }

    /// What the pacer believes about a family's window (for ETAs).
    pub fn rate_limit(&self, family: Family) -> Option<Observed> {
        self.pacer().observed(family)
    }

    /// A request to an API path on this instance (authenticated; GETs safe to repeat).
    pub fn call(&self, method: Method, path: &str) -> Call {
        let repeat = if method == Method::GET {
            Repeat::Safe
        } else {
            Repeat::Unsafe
        };
        self.call_url(method, self.instance.join(path), repeat)
    }

    /// A request to a full URL, which must be on this instance.
    pub fn call_url(&self, method: Method, url: Url, repeat: Repeat) -> Call {
        Call {
            method,
            url,
            query: Vec::new(),
            body: Body::None,
            repeat,
            auth: true,
            idempotency_key: None,
            timeout: None,
        }
    }

    /// Sends a call and decodes its JSON answer.
    pub async fn json<T: DeserializeOwned>(
        &self,
        call: Call,
        what: &'static str,
    ) -> Result<T, Error> {
        let fetched = self.fetch(call).await?;
        self.decode(&fetched, what)
    }

    /// Decodes a JSON answer. A web page in its place (a login portal, a proxy's page, a web
    /// site at the address given) is said to be one, not quoted as a JSON syntax error.
    pub fn decode<T: DeserializeOwned>(
        &self,
        fetched: &Fetched,
        what: &'static str,
    ) -> Result<T, Error> {
        serde_json::from_slice(&fetched.body).map_err(|err| {
            let html = fetched.header("content-type").is_some_and(|ct| {
                ct.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("text/html")
            });
            let reason = if html {
                "a web page came instead of the API's JSON; check the instance's address".into()
            } else {
                short(&err.to_string())
            };
            Error::Decode {
                host: self.host().to_string(),
                what,
                reason,
            }
        })
    }

    /// Sends a call: paced, retried where safe, until it succeeds or fails for good. Error
    /// statuses become [`Error::Api`].
    pub async fn fetch(&self, call: Call) -> Result<Fetched, Error> {
        if !self.instance.same_origin(&call.url) {
            return Err(Error::ForeignLink {
                host: self.host().to_string(),
                target: origin_of(&call.url),
            });
        }
        let family = Family::of(&call.method, call.url.path());
        let mut failures = 0u32;
        let mut refusals = 0u32;
        let mut waited = Duration::ZERO;
        loop {
            self.wait_for_slot(family).await?;
            let sent = self.send_once(&call).await;
            let now = self.clock.now();
            let fetched = match sent {
                Ok(fetched) => fetched,
                Err(err) => {
                    self.release(family, now);
                    let Error::Net(net) = &err else {
                        return Err(err);
                    };
                    if is_transient_net(net)
                        && self.options.retry.may_retry(failures + 1, call.repeat)
                    {
                        failures += 1;
                        waited += self.back_off(failures, &net.to_string()).await?;
                        continue;
                    }
                    return Err(err);
                }
            };
            match self.judge(&call, family, &fetched, now, failures, refusals) {
                Verdict::Done => return Ok(fetched),
                Verdict::Failed(err) => return Err(err),
                Verdict::Refused { until, status } => {
                    refusals += 1;
                    let left = self.options.patience.saturating_sub(waited);
                    waited += self
                        .wait_refused(family, until, left)
                        .await
                        .map_err(|over| match over {
                            Some(err) => err,
                            None => self.refused(status, refusals - 1),
                        })?;
                }
                Verdict::Retry(what) => {
                    failures += 1;
                    waited += self.back_off(failures, &what).await?;
                }
            }
        }
    }

    /// Decides what an answer means: done, failed, refused (wait and resend) or worth a retry.
    fn judge(
        &self,
        call: &Call,
        family: Family,
        fetched: &Fetched,
        now: SystemTime,
        failures: u32,
        refusals: u32,
    ) -> Verdict {
        let status = fetched.status.as_u16();
        let date = server_date(&fetched.headers);
        let server_now = date.unwrap_or(now);
        let rate = rate_headers(&fetched.headers, server_now);
        let mut after = retry_after(&fetched.headers, server_now);
        if status == 429 && rate.is_none() && after.is_none() {
            after = reset_wait(&fetched.headers, server_now);
        }
        let mut pacer = self.pacer();
        if status == 429 || (status == 503 && after.is_some()) {
            if refusals >= self.options.retry.max_refusals {
                pacer.observe(family, rate.as_ref(), date, now);
                return Verdict::Failed(self.refused(status, refusals));
            }
            let until = pacer.refused(family, rate.as_ref(), after, date, now);
            return Verdict::Refused { until, status };
        }
        pacer.observe(family, rate.as_ref(), date, now);
        drop(pacer);
        if is_transient_status(status) && self.options.retry.may_retry(failures + 1, call.repeat) {
            return Verdict::Retry(format!("{} answered {status}", self.host()));
        }
        if status >= 400 {
            return Verdict::Failed(self.api_error(call, fetched));
        }
        self.pacer().accepted(family);
        Verdict::Done
    }

    /// Waits for the pacer's slot for one request of `family`.
    async fn wait_for_slot(&self, family: Family) -> Result<(), Error> {
        if self.cancel.is_cancelled() {
            return Err(Error::Interrupted);
        }
        let now = self.clock.now();
        let slot = self.pacer().schedule(family, now);
        let wait = slot.at.duration_since(now).unwrap_or_default();
        if wait.is_zero() {
            return Ok(());
        }
        if wait > self.options.max_wait {
            self.release(family, now);
            return Err(self.rate_limited(family, slot.at));
        }
        let announce = matches!(
            slot.hold,
            Some(Hold::Exhausted { .. } | Hold::Budget { .. })
        ) && wait >= self.options.notice_after;
        if announce {
            self.announce_wait(family, slot.at, wait, false);
        }
        let slept = self.sleep(wait).await;
        if slept.is_err() {
            self.release(family, self.clock.now());
        }
        slept
    }

    /// Waits after a refusal, announcing it once; returns how long. A wait longer than
    /// `max_wait` is [`Error::RateLimited`]; one longer than the `patience` left is `Err(None)`
    /// (the caller says how often the server refused).
    async fn wait_refused(
        &self,
        family: Family,
        until: SystemTime,
        patience_left: Duration,
    ) -> Result<Duration, Option<Error>> {
        let now = self.clock.now();
        let wait = until.duration_since(now).unwrap_or_default();
        if wait > self.options.max_wait {
            return Err(Some(self.rate_limited(family, until)));
        }
        if wait > patience_left {
            return Err(None);
        }
        self.announce_wait(family, until, wait, true);
        self.sleep(wait).await.map_err(Some)?;
        Ok(wait)
    }

    /// Sleeps before retrying after a failure that may pass; returns how long.
    async fn back_off(&self, failures: u32, what: &str) -> Result<Duration, Error> {
        let wait = self.options.retry.backoff(failures, random_unit());
        (self.notice)(&Notice::Retrying {
            what: what.to_string(),
            wait,
            attempt: failures,
        });
        self.sleep(wait).await?;
        Ok(wait)
    }

    fn refused(&self, status: u16, attempts: u32) -> Error {
        Error::Refused {
            host: self.host().to_string(),
            status,
            attempts,
        }
    }

    /// One line per wait, except a wait ending within [`REPEAT_NOTICE`] of the last one
    /// announced (a burst of refusals is one event to the user).
    fn announce_wait(&self, family: Family, until: SystemTime, wait: Duration, refused: bool) {
        let mut last = self
            .announced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|previous| until <= previous + REPEAT_NOTICE) {
            return;
        }
        *last = Some(until);
        drop(last);
        (self.notice)(&Notice::Waiting {
            host: self.host().to_string(),
            family,
            until,
            wait,
            refused,
        });
    }

    /// Sleeps on the client's clock unless cancelled first.
    pub async fn sleep(&self, wait: Duration) -> Result<(), Error> {
        tokio::select! {
            () = self.clock.sleep(wait) => Ok(()),
            () = self.cancel.cancelled() => Err(Error::Interrupted),
        }
    }

    /// Tells the pacer a scheduled request will not get an answer.
    fn release(&self, family: Family, now: SystemTime) {
        self.pacer().observe(family, None, None, now);
    }

    /// The pacing state (a panic elsewhere cannot leave it unusable).
    fn pacer(&self) -> std::sync::MutexGuard<'_, Pacer> {
        self.pacer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn rate_limited(&self, family: Family, until: SystemTime) -> Error {
        Error::RateLimited {
            host: self.host().to_string(),
            what: family.label(),
            until: super::notice::clock_time(until),
            at: until,
        }
    }

    /// Sends one attempt. A request that is safe to repeat is abandoned at once on Ctrl-C;
    /// another is let finish, so its effect is known.
    async fn send_once(&self, call: &Call) -> Result<Fetched, Error> {
        let request = self.build(call);
        let send = self.http.send(request, self.options.body_limit);
        if call.repeat == Repeat::Unsafe {
            return send.await.map_err(Error::from);
        }
        tokio::select! {
            result = send => result.map_err(Error::from),
            () = self.cancel.cancelled() => Err(Error::Interrupted),
        }
    }

    fn build(&self, call: &Call) -> RequestBuilder {
        let mut request = self
            .http
            .request(call.method.clone(), call.url.clone())
            .header(reqwest::header::ACCEPT, "application/json");
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if call.auth
            && let Some(token) = &self.token
        {
            request = request.bearer_auth(token.expose());
        }
        if let Some(timeout) = call.timeout {
            request = request.timeout(timeout);
        }
        if let Some(key) = &call.idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        match &call.body {
            Body::None => request,
            Body::Form(pairs) => request.form(pairs),
            Body::Raw {
                content_type,
                bytes,
            } => request
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes.clone()),
        }
    }

    /// An [`Error::Api`] from an error answer, with the server's words cleaned and any echo of
    /// the token removed.
    pub fn api_error(&self, call: &Call, fetched: &Fetched) -> Error {
        #[derive(serde::Deserialize)]
        struct Said {
            error: Option<serde_json::Value>,
            error_description: Option<String>,
        }
        let said: Option<Said> = serde_json::from_slice(&fetched.body).ok();
        let clean = |text: Option<String>| {
            let text = text?;
            let text = match &self.token {
                Some(token) => token.scrub(&text),
                None => text,
            };
            clean_server_text(&text)
        };
        let (error, description) = match said {
            Some(said) => (
                said.error.map(|e| match e {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                }),
                said.error_description,
            ),
            None => (None, None),
        };
        Error::from(ApiError {
            host: self.host().to_string(),
            status: fetched.status.as_u16(),
            method: call.method.to_string(),
            path: call.url.path().to_string(),
            error: clean(error),
            description: clean(description),
            anonymous: !call.auth,
        })
    }
}

/// What an answer means for the request loop.
enum Verdict {
    Done,
    Failed(Error),
    Refused { until: SystemTime, status: u16 },
    Retry(String),
}

fn origin_of(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// Error text from serde, cut short.
fn short(text: &str) -> String {
    text.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calls_debug_output_shows_no_form_values() {
        let call = Call {
            method: Method::POST,
            url: "https://m.example/oauth/token".parse().unwrap(),
            query: Vec::new(),
            body: Body::Form(vec![("code".into(), "secret-code-123".into())]),
            repeat: Repeat::Unsafe,
            auth: false,
            idempotency_key: None,
            timeout: None,
        };
        let shown = format!("{call:?}");
        assert!(
            shown.contains("\"code\"") && !shown.contains("secret-code-123"),
            "{shown}"
        );
    }
}
