//! Rate limits as the servers apply them: fixed windows aligned to multiples of the window
//! length (like rack-attack), one counter per family and token, and the `X-RateLimit-*`
//! headers each flavour sends: Mastodon an ISO 8601 reset with microseconds and the numbers
//! of the bucket closest to running out, GoToSocial an epoch-seconds reset, Pleroma none.
//! Tests can also queue refusals (429 storms, GoToSocial's 503 + `Retry-After`).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};

use super::Flavour;
use super::state::{Forced, State};
use crate::{Req, Resp};

/// A group of endpoints sharing a budget (as in Mastodon's `rate_limiter.rb`/rack-attack).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Every API request, per token.
    Api,
    /// `POST /api/v1/accounts/:id/follow`.
    Follows,
    /// `POST /api/v1/statuses`.
    Statuses,
    /// `POST /api/v{1,2}/media`.
    Media,
    /// `DELETE /api/v1/statuses/:id` (Mastodon: 30 per 30 minutes).
    Deletes,
    /// `/api/v1/apps`, `/oauth/*`.
    Auth,
}

/// At most `limit` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: u32,
    pub window: Duration,
}

impl Window {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window }
    }
}

/// Which family a request belongs to.
pub(crate) fn family_of(method: &str, segments: &[&str]) -> Family {
    let post = method == "POST";
    match segments {
        ["api", "v1", "accounts", _, "follow"] if post => Family::Follows,
        ["api", "v1", "statuses"] if post => Family::Statuses,
        ["api", "v1" | "v2", "media"] if post => Family::Media,
        ["api", "v1", "statuses", _] if method == "DELETE" => Family::Deletes,
        ["api", "v1", "apps"] | ["oauth", ..] => Family::Auth,
        _ => Family::Api,
    }
}

fn buckets(family: Family) -> &'static [Family] {
    match family {
        Family::Api => &[Family::Api],
        Family::Follows => &[Family::Follows, Family::Api],
        Family::Statuses => &[Family::Statuses, Family::Api],
        Family::Media => &[Family::Media, Family::Api],
        Family::Deletes => &[Family::Deletes, Family::Api],
        Family::Auth => &[Family::Auth],
    }
}

/// Stock limits per flavour.
pub(crate) fn defaults(flavour: Flavour) -> BTreeMap<Family, Window> {
    let mut limits = BTreeMap::new();
    let min = |m: u64| Duration::from_secs(m * 60);
    match flavour {
        Flavour::Mastodon => {
            limits.insert(Family::Api, Window::new(300, min(5)));
            limits.insert(Family::Follows, Window::new(400, min(24 * 60)));
            limits.insert(Family::Statuses, Window::new(300, min(180)));
            limits.insert(Family::Media, Window::new(30, min(30)));
            limits.insert(Family::Deletes, Window::new(30, min(30)));
        }
        Flavour::GoToSocial => {
            limits.insert(Family::Api, Window::new(300, min(5)));
        }
        Flavour::Pleroma => {}
    }
    limits
}

/// The state of one bucket after a request: what the headers report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Report {
    pub limit: u32,
    pub remaining: u32,
    pub reset: SystemTime,
}

/// Counts the request, or refuses it. `Ok` carries the report for the headers.
pub(crate) fn admit(state: &mut State, req: &Req, now: SystemTime) -> Result<Option<Report>, Resp> {
    let segments = req.segments();
    let family = family_of(&req.method, &segments);
    if let Some(forced) = state.forced.pop_front() {
        return Err(refuse(
            state,
            req,
            forced_answer(state.flavour, forced, now),
        ));
    }
    let key = req.bearer().unwrap_or("anonymous").to_string();
    let mut reports = Vec::new();
    for &bucket in buckets(family) {
        let Some(window) = state.limits.get(&bucket).copied() else {
            continue;
        };
        let index = window_index(now, window.window);
        let count = state
            .counters
            .get(&(bucket, key.clone(), index))
            .copied()
            .unwrap_or(0);
        let reset = UNIX_EPOCH + window.window.mul_f64((index + 1) as f64);
        if count >= window.limit {
            let report = Report {
                limit: window.limit,
                remaining: 0,
                reset,
            };
            let resp = with_headers(
                Resp::error(429, "Too many requests"),
                state.flavour,
                Some(report),
            );
            return Err(refuse(state, req, resp));
        }
        reports.push((
            bucket,
            index,
            Report {
                limit: window.limit,
                remaining: window.limit - count - 1,
                reset,
            },
        ));
    }
    for (bucket, index, _) in &reports {
        *state
            .counters
            .entry((*bucket, key.clone(), *index))
            .or_default() += 1;
    }
    Ok(reports
        .into_iter()
        .map(|(_, _, r)| r)
        .min_by_key(|r| r.remaining))
}

fn refuse(state: &mut State, req: &Req, resp: Resp) -> Resp {
    state.refused += 1;
    state
        .refusals
        .push((req.method.clone(), req.path.clone(), resp.status));
    resp
}

fn forced_answer(flavour: Flavour, forced: Forced, now: SystemTime) -> Resp {
    match forced {
        Forced::TooMany(after) => {
            let report = Report {
                limit: 300,
                remaining: 0,
                reset: now + after,
            };
            with_headers(Resp::error(429, "Too many requests"), flavour, Some(report))
        }
        Forced::Busy(secs) => Resp::error(503, "server overloaded, please retry later")
            .header("retry-after", secs.to_string()),
    }
}

fn window_index(now: SystemTime, window: Duration) -> u64 {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    (since.as_nanos() / window.as_nanos().max(1)) as u64
}

/// Adds the flavour's rate-limit headers.
pub(crate) fn with_headers(mut resp: Resp, flavour: Flavour, report: Option<Report>) -> Resp {
    let Some(report) = report else { return resp };
    let reset = match flavour {
        Flavour::Mastodon => {
            let at: DateTime<Utc> = report.reset.into();
            at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
        }
        Flavour::GoToSocial => report
            .reset
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs()
            .to_string(),
        Flavour::Pleroma => return resp,
    };
    resp.set_header("x-ratelimit-limit", report.limit.to_string());
    resp.set_header("x-ratelimit-remaining", report.remaining.to_string());
    resp.set_header("x-ratelimit-reset", reset);
    resp
}
