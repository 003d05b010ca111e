//! From what came back (an HTTP status, a transport error, rate-limit headers) to what it
//! means for a candidate. Pure: no I/O, so every rule has a unit test.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::state::State;
use crate::net::NetError;

/// What one WebFinger status means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// 2xx: read the body.
    Answer,
    /// A final word about the account (410 Gone, 401/403 Forbidden): no fallback helps.
    Final(State),
    /// 429: wait and retry, or report `rate_limited`.
    RateLimited,
    /// The account is not here *or* WebFinger is not here (404, 400, 5xx…): host-meta may
    /// know a better endpoint, NodeInfo tells "no such account" from "not a fediverse host".
    Miss(State),
}

/// Classifies a WebFinger response status.
pub fn webfinger_status(status: u16) -> StatusClass {
    match status {
        200..=299 => StatusClass::Answer,
        410 => StatusClass::Final(State::Gone),
        401 | 403 => StatusClass::Final(State::Forbidden),
        429 => StatusClass::RateLimited,
        500..=599 => StatusClass::Miss(State::ServerError),
        _ => StatusClass::Miss(State::NotFound),
    }
}

/// What a transport error means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorClass {
    /// The host cannot be talked to; every candidate on it gets this state, no more requests.
    Dead(State),
    /// The host answered, but with something unusable (too large, malformed, a redirect loop).
    BadAnswer,
    /// `--offline`.
    Offline,
}

/// Classifies a failed exchange.
pub fn net_error(err: &NetError) -> ErrorClass {
    match err {
        NetError::Offline => ErrorClass::Offline,
        NetError::Timeout { .. } => ErrorClass::Dead(State::Timeout),
        NetError::Refused { .. }
        | NetError::Dns(_)
        | NetError::Blocked(_)
        | NetError::PrivateTarget { .. }
        | NetError::Connect { .. }
        | NetError::Tls { .. }
        | NetError::Handshake { .. }
        | NetError::Closed { .. }
        | NetError::Other { .. } => ErrorClass::Dead(State::Unreachable),
        NetError::TooManyRedirects { .. }
        | NetError::RedirectElsewhere { .. }
        | NetError::Downgrade { .. }
        | NetError::RedirectedChange { .. }
        | NetError::TooLarge { .. }
        | NetError::Malformed { .. }
        | NetError::BadUrl { .. }
        | NetError::CaCert { .. } => ErrorClass::BadAnswer,
    }
}

/// The final state of a miss (WebFinger failed everywhere we looked), given whether the
/// answering host runs fediverse software (NodeInfo found: `Some(true)`; NodeInfo absent:
/// `Some(false)`; unknown: `None`). `bad_answer` marks a 2xx that was not a WebFinger document.
pub fn miss(state: State, bad_answer: bool, fediverse: Option<bool>) -> State {
    match (fediverse, bad_answer) {
        (Some(false), _) => State::NotFediverse,
        (_, true) => State::ServerError,
        _ => state,
    }
}

/// How long a 429 (or an exhausted quota) asks us to wait: `Retry-After` (seconds or an HTTP
/// date), else `X-RateLimit-Reset` (epoch seconds or an ISO 8601 time, as Mastodon sends).
/// Absolute times are measured against the server's `Date` when it sent one (clock skew).
pub fn wait_time(
    retry_after: Option<&str>,
    reset: Option<&str>,
    date: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    let server_now = date.and_then(http_date).unwrap_or(now);
    let until = |at: DateTime<Utc>| (at - server_now).to_std().unwrap_or(Duration::ZERO);
    if let Some(value) = retry_after.map(str::trim) {
        if let Ok(secs) = value.parse::<u64>() {
            return Some(Duration::from_secs(secs));
        }
        if let Some(at) = http_date(value) {
            return Some(until(at));
        }
    }
    let value = reset?.trim();
    if let Ok(epoch) = value.parse::<i64>() {
        return DateTime::from_timestamp(epoch, 0).map(until);
    }
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|at| until(at.with_timezone(&Utc)))
}

/// An HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(text.trim())
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        let cases = [
            (200, StatusClass::Answer),
            (404, StatusClass::Miss(State::NotFound)),
            (400, StatusClass::Miss(State::NotFound)),
            (410, StatusClass::Final(State::Gone)),
            (401, StatusClass::Final(State::Forbidden)),
            (403, StatusClass::Final(State::Forbidden)),
            (429, StatusClass::RateLimited),
            (500, StatusClass::Miss(State::ServerError)),
            (503, StatusClass::Miss(State::ServerError)),
        ];
        for (status, want) in cases {
            assert_eq!(webfinger_status(status), want, "{status}");
        }
    }

    #[test]
    fn misses_depend_on_nodeinfo() {
        assert_eq!(miss(State::NotFound, false, Some(true)), State::NotFound);
        assert_eq!(miss(State::NotFound, false, None), State::NotFound);
        assert_eq!(
            miss(State::NotFound, false, Some(false)),
            State::NotFediverse
        );
        assert_eq!(
            miss(State::NotFound, true, Some(false)),
            State::NotFediverse
        );
        assert_eq!(miss(State::NotFound, true, Some(true)), State::ServerError);
        assert_eq!(
            miss(State::ServerError, false, Some(true)),
            State::ServerError
        );
    }

    #[test]
    fn transport_errors() {
        let host = || "h.example".to_string();
        let cases = [
            (
                NetError::Timeout {
                    host: host(),
                    after: std::time::Duration::from_secs(1),
                },
                ErrorClass::Dead(State::Timeout),
            ),
            (
                NetError::Refused { host: host() },
                ErrorClass::Dead(State::Unreachable),
            ),
            (
                NetError::PrivateTarget { host: host() },
                ErrorClass::Dead(State::Unreachable),
            ),
            (
                NetError::TooLarge {
                    host: host(),
                    limit: 1,
                },
                ErrorClass::BadAnswer,
            ),
            (NetError::Offline, ErrorClass::Offline),
        ];
        for (err, want) in cases {
            assert_eq!(net_error(&err), want, "{err}");
        }
    }

    #[test]
    fn wait_times() {
        let now = DateTime::parse_from_rfc3339("2026-08-01T13:50:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let secs = |d: Option<Duration>| d.map(|d| d.as_secs());
        assert_eq!(secs(wait_time(Some("7"), None, None, now)), Some(7));
        assert_eq!(
            secs(wait_time(
                Some("Sat, 01 Aug 2026 13:50:30 GMT"),
                None,
                None,
                now
            )),
            Some(30)
        );
        let epoch = (now.timestamp() + 12).to_string();
        assert_eq!(secs(wait_time(None, Some(&epoch), None, now)), Some(12));
        assert_eq!(
            secs(wait_time(
                None,
                Some("2026-08-01T13:51:00.239888Z"),
                None,
                now
            )),
            Some(60)
        );
        // The server's clock is 100 s behind ours: its reset is 5 s after its own now.
        let server_date = "Sat, 01 Aug 2026 13:48:20 GMT";
        assert_eq!(
            secs(wait_time(
                None,
                Some("2026-08-01T13:48:25Z"),
                Some(server_date),
                now
            )),
            Some(5)
        );
        assert_eq!(
            secs(wait_time(None, Some("2020-01-01T00:00:00Z"), None, now)),
            Some(0)
        );
        assert_eq!(secs(wait_time(Some("soon"), None, None, now)), None);
        assert_eq!(secs(wait_time(None, None, None, now)), None);
    }
}
