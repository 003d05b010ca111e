//! Profiles from the X API v2 users lookup (`GET /2/users?ids=…`, 100 ids a call), for
//! followings the archive names only by id. Each lookup costs the user money, so:
//! [`plan`] says how many lookups a run will make *before* it makes them; every answer page is
//! kept on disk ([`XCache`]) so a rerun asks only ids never fetched; the rate-limit headers
//! (`x-rate-limit-limit/-remaining/-reset`) are honoured, waiting for the reset (announced
//! through a callback) rather than failing.
//!
//! The bearer token comes from a file, standard input or `X_BEARER_TOKEN` ([`Token`]); it is
//! never taken from a flag value, and never printed, logged or put in an error message.
//!
//! The raw user objects are exposed unchanged ([`XCache::document`]: `{data, includes:
//! {tweets}, errors}`); turning them into profiles is the profile parser's job.

mod store;
mod token;

use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Url;
use serde_json::Value;

pub use store::{FILE_NAME, XCache};
pub use token::Token;

use crate::net::{self, Fetched, Http, NetError};

/// Ids per lookup (the API's maximum).
pub const BATCH: usize = 100;
/// X's price for one user read, in US dollars ("User: Read $0.010 per resource").
pub const USD_PER_USER: f64 = 0.01;
/// The default base URL (`--x-api-url`).
pub const DEFAULT_BASE: &str = "https://api.x.com";

const USER_FIELDS: &str = "description,entities,location,name,pinned_tweet_id,url,username";
const BODY_LIMIT: usize = 8 * 1024 * 1024;
const MAX_TRIES: usize = 4;

/// What went wrong, in words for the user. No variant ever holds the token.
#[derive(Debug, thiserror::Error)]
pub enum XApiError {
    #[error(
        "no X API token: put it in a file and pass --x-token-file FILE (- reads standard input), or set X_BEARER_TOKEN"
    )]
    NoToken,
    #[error("cannot read the X API token from {from}: {reason}")]
    TokenSource { from: String, reason: String },
    #[error("the X API token from {from} is empty")]
    EmptyToken { from: String },
    #[error(
        "the X API refused the bearer token (HTTP {status}{detail}): check the token given with --x-token-file or X_BEARER_TOKEN, and that its app may use the users lookup"
    )]
    Refused { status: u16, detail: String },
    #[error(
        "the X API rate limit is spent until {reset}; run the same command after that (profiles fetched so far are kept)"
    )]
    RateLimited { reset: DateTime<Utc> },
    #[error("the X API answered HTTP {status}{detail}")]
    Api { status: u16, detail: String },
    #[error("the X API sent an answer that is not JSON: {0}")]
    Malformed(String),
    #[error("`{0}` is not a usable X API base URL (--x-api-url)")]
    BadBase(String),
    #[error(transparent)]
    Net(#[from] NetError),
}

/// What a run would cost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Lookups (requests) needed.
    pub lookups: usize,
    /// Ids to fetch.
    pub users: usize,
    /// Ids already fetched (or known missing) in the cache.
    pub cached: usize,
    /// Ids that are not numeric X ids (never sent).
    pub invalid: Vec<String>,
}

impl Plan {
    /// The price estimate in US dollars (pinned tweets may be billed on top).
    pub fn estimated_usd(&self) -> f64 {
        self.users as f64 * USD_PER_USER
    }

    /// One sentence for the user, e.g. "this will make 19 lookups (~1,890 users, about $18.90
    /// at $0.01 per user)".
    pub fn describe(&self) -> String {
        let s = if self.lookups == 1 { "" } else { "s" };
        format!(
            "this will make {} lookup{s} (~{} users, about ${:.2} at ${USD_PER_USER:.2} per user)",
            self.lookups,
            crate::ui::thousands(self.users as u64),
            self.estimated_usd()
        )
    }
}

fn is_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 20 && id.bytes().all(|b| b.is_ascii_digit())
}

/// The ids a run must ask for, in order, without duplicates (all of them with `refresh`).
pub fn pending(ids: &[String], cache: &XCache, refresh: bool) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    ids.iter()
        .filter(|id| is_id(id) && seen.insert(id.as_str()))
        .filter(|id| refresh || !cache.knows(id))
        .cloned()
        .collect()
}

/// How many lookups fetching `ids` needs, given the cache. Pure: no request.
pub fn plan(ids: &[String], cache: &XCache, refresh: bool) -> Plan {
    let todo = pending(ids, cache, refresh);
    let mut valid = std::collections::HashSet::new();
    let mut invalid = Vec::new();
    for id in ids {
        if is_id(id) {
            valid.insert(id.as_str());
        } else if !invalid.contains(id) {
            invalid.push(id.clone());
        }
    }
    Plan {
        lookups: todo.len().div_ceil(BATCH),
        users: todo.len(),
        cached: valid.len() - todo.len(),
        invalid,
    }
}

/// What a fetch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub lookups: usize,
    /// Users returned.
    pub found: usize,
    /// Ids returned in `errors` (not found, suspended).
    pub missing: usize,
}

/// The client for one base URL and token.
#[derive(Debug)]
pub struct XApi {
    http: Http,
    base: Url,
    token: Token,
    /// The longest rate-limit wait sat out before giving up with [`XApiError::RateLimited`].
    pub max_wait: Duration,
}

impl XApi {
    /// A client for `base` (the user's own choice: `--x-api-url`, so any address is allowed).
    pub fn new(net: &net::Options, base: &str, token: Token) -> Result<Self, XApiError> {
        let base = Url::parse(base.trim_end_matches('/'))
            .ok()
            .filter(|u| matches!(u.scheme(), "https" | "http") && u.host_str().is_some())
            .ok_or_else(|| XApiError::BadBase(base.to_string()))?;
        Ok(Self {
            http: Http::with_credentials(net)?,
            base,
            token,
            max_wait: Duration::from_secs(16 * 60),
        })
    }

    /// Fetches every id the cache does not know yet (all with `refresh`), 100 per lookup,
    /// storing each page as it arrives. `on_wait` is told before each rate-limit wait.
    pub async fn fetch(
        &self,
        ids: &[String],
        cache: &mut XCache,
        refresh: bool,
        on_wait: &(dyn Fn(Duration) + Send + Sync),
    ) -> Result<Summary, XApiError> {
        let todo = pending(ids, cache, refresh);
        let mut summary = Summary::default();
        let mut spent: Option<Fetched> = None;
        for chunk in todo.chunks(BATCH) {
            // The last answer said the window is used up: wait for its reset first.
            if let Some(last) = spent.take() {
                self.wait(&last, on_wait).await?;
            }
            let (page, answer) = self.lookup(chunk, on_wait).await?;
            if answer.header("x-rate-limit-remaining") == Some("0") {
                spent = Some(answer);
            }
            summary.lookups += 1;
            summary.found += count(&page, "data");
            summary.missing += count(&page, "errors");
            cache.record(chunk, page);
        }
        Ok(summary)
    }

    fn url(&self, ids: &[String]) -> Url {
        let mut url = self.base.clone();
        url.set_path(&format!(
            "{}/2/users",
            self.base.path().trim_end_matches('/')
        ));
        url.query_pairs_mut()
            .append_pair("ids", &ids.join(","))
            .append_pair("user.fields", USER_FIELDS)
            .append_pair("expansions", "pinned_tweet_id")
            .append_pair("tweet.fields", "text,entities");
        url
    }

    /// One lookup, waiting out rate limits.
    async fn lookup(
        &self,
        ids: &[String],
        on_wait: &(dyn Fn(Duration) + Send + Sync),
    ) -> Result<(Value, Fetched), XApiError> {
        let mut reset = None;
        for _ in 0..MAX_TRIES {
            let request = self
                .http
                .get(self.url(ids), "application/json")
                .bearer_auth(self.token.secret());
            let fetched = self.http.send(request, BODY_LIMIT).await?;
            match fetched.status.as_u16() {
                200..=299 => return Ok((self.page(&fetched)?, fetched)),
                429 => reset = Some(self.wait(&fetched, on_wait).await?),
                _ => return Err(self.failure(&fetched)),
            }
        }
        let reset = reset.unwrap_or_else(|| Utc::now() + chrono::Duration::minutes(15));
        Err(XApiError::RateLimited { reset })
    }

    fn page(&self, fetched: &Fetched) -> Result<Value, XApiError> {
        let page: Value = serde_json::from_slice(&fetched.body)
            .map_err(|err| XApiError::Malformed(self.token.redact(&err.to_string())))?;
        if !page.is_object() {
            return Err(XApiError::Malformed("not a JSON object".into()));
        }
        Ok(page)
    }

    /// Sleeps until the window resets (returning when that was), or fails when that is too
    /// far away.
    async fn wait(
        &self,
        fetched: &Fetched,
        on_wait: &(dyn Fn(Duration) + Send + Sync),
    ) -> Result<DateTime<Utc>, XApiError> {
        let wait = crate::discover::verify::wait_time(
            fetched.header("retry-after"),
            fetched.header("x-rate-limit-reset"),
            fetched.header("date"),
            Utc::now(),
        )
        .unwrap_or(Duration::from_secs(60));
        let reset = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
        if wait > self.max_wait {
            return Err(XApiError::RateLimited { reset });
        }
        // Reset times are whole seconds: wait a little past them.
        let wait = wait + Duration::from_millis(250);
        on_wait(wait);
        tokio::time::sleep(wait).await;
        Ok(reset)
    }

    /// A refused or failed lookup, with X's `title`/`detail` (scrubbed of the token).
    fn failure(&self, fetched: &Fetched) -> XApiError {
        let status = fetched.status.as_u16();
        let body: Value = serde_json::from_slice(&fetched.body).unwrap_or(Value::Null);
        let text = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or("");
        let said = [text("title"), text("detail")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(": ");
        let detail = if said.is_empty() {
            String::new()
        } else {
            format!(", {}", self.token.redact(&said))
        };
        match status {
            401 | 403 => XApiError::Refused { status, detail },
            _ => XApiError::Api { status, detail },
        }
    }
}

fn count(page: &Value, key: &str) -> usize {
    page.get(key).and_then(Value::as_array).map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (1..=n).map(|i| (1000 + i).to_string()).collect()
    }

    #[test]
    fn plans_count_lookups_of_100_and_skip_what_is_known() {
        let mut cache = XCache::in_memory();
        let all = ids(250);
        let plan = plan(&all, &cache, false);
        assert_eq!((plan.lookups, plan.users, plan.cached), (3, 250, 0));
        cache.record(&all[..100], serde_json::json!({"data": []}));
        let again = super::plan(&all, &cache, false);
        assert_eq!((again.lookups, again.users, again.cached), (2, 150, 100));
        let refresh = super::plan(&all, &cache, true);
        assert_eq!(refresh.lookups, 3);
    }

    #[test]
    fn plans_drop_duplicates_and_non_ids() {
        let given: Vec<String> = ["12", "12", "abc", "", "13"].map(String::from).to_vec();
        let plan = plan(&given, &XCache::in_memory(), false);
        assert_eq!((plan.lookups, plan.users), (1, 2));
        assert_eq!(plan.invalid, ["abc", ""]);
    }

    #[test]
    fn the_plan_reads_like_a_price() {
        let plan = Plan {
            lookups: 19,
            users: 1890,
            cached: 0,
            invalid: vec![],
        };
        assert_eq!(
            plan.describe(),
            "this will make 19 lookups (~1,890 users, about $18.90 at $0.01 per user)"
        );
    }
}
