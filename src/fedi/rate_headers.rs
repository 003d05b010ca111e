//! Reading what a server says about its limits: `X-RateLimit-Limit/Remaining/Reset`, `Date`
//! and `Retry-After`. Pure functions over header values.
//!
//! Mastodon sends the reset as ISO 8601 with microseconds (`2026-08-01T13:50:00.239888Z`);
//! older GoToSocial versions send epoch seconds. Both are accepted, as are a few variants seen
//! elsewhere (a space instead of `T`, no zone = UTC, fractional epoch seconds, and small
//! numbers meaning "seconds from now").

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDateTime, Utc};
use reqwest::header::HeaderMap;

/// A response's `X-RateLimit-*` headers. Times are on the server's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateHeaders {
    pub limit: u32,
    pub remaining: u32,
    pub reset: SystemTime,
    /// True when the reset came with whole-second precision (epoch seconds), so it may be up
    /// to a second early.
    pub coarse: bool,
}

/// Numbers below this are a number of seconds from now, not an epoch time (2001-09-09).
const EPOCH_FLOOR: f64 = 1_000_000_000.0;

/// The longest wait a server can ask for; a reset further away is nonsense and ignored, a
/// longer `Retry-After` is cut to this (the client then gives up rather than wait).
pub const FARTHEST: Duration = Duration::from_secs(31 * 24 * 3600);

/// Reads the three headers; `None` unless all three are present and make sense.
/// `server_now` anchors relative resets (the response's `Date`, else the local clock).
pub fn rate_headers(headers: &HeaderMap, server_now: SystemTime) -> Option<RateHeaders> {
    let limit = count(header(headers, "x-ratelimit-limit")?)?;
    let remaining = count(header(headers, "x-ratelimit-remaining")?)?;
    let (reset, coarse) = parse_reset(header(headers, "x-ratelimit-reset")?, server_now)?;
    Some(RateHeaders {
        limit,
        remaining,
        reset,
        coarse,
    })
}

/// The `Date` header, if valid.
pub fn server_date(headers: &HeaderMap) -> Option<SystemTime> {
    parse_http_date(header(headers, "date")?)
}

/// How long until `X-RateLimit-Reset`, read alone: for a 429 from a server that sends the
/// reset without the other two headers.
pub fn reset_wait(headers: &HeaderMap, server_now: SystemTime) -> Option<Duration> {
    let (at, _) = parse_reset(header(headers, "x-ratelimit-reset")?, server_now)?;
    Some(at.duration_since(server_now).unwrap_or_default())
}

/// `Retry-After` as a duration: delta-seconds, or an HTTP date taken relative to `server_now`.
pub fn retry_after(headers: &HeaderMap, server_now: SystemTime) -> Option<Duration> {
    let text = header(headers, "retry-after")?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs).min(FARTHEST));
    }
    let at = parse_http_date(text)?;
    Some(
        at.duration_since(server_now)
            .unwrap_or_default()
            .min(FARTHEST),
    )
}

/// A reset value: RFC 3339 / ISO 8601, or epoch seconds, or seconds from `server_now`.
/// The flag is true for whole-second precision. Resets more than [`FARTHEST`] away are
/// rejected.
pub fn parse_reset(text: &str, server_now: SystemTime) -> Option<(SystemTime, bool)> {
    let (at, coarse) = parse_reset_any(text, server_now)?;
    let horizon = server_now.checked_add(FARTHEST)?;
    (at <= horizon).then_some((at, coarse))
}

fn parse_reset_any(text: &str, server_now: SystemTime) -> Option<(SystemTime, bool)> {
    let text = text.trim();
    if let Ok(number) = text.parse::<f64>() {
        if !number.is_finite() || number < 0.0 {
            return None;
        }
        let coarse = number.fract() == 0.0;
        let offset = Duration::try_from_secs_f64(number).ok()?;
        let at = if number < EPOCH_FLOOR {
            server_now.checked_add(offset)?
        } else {
            UNIX_EPOCH.checked_add(offset)?
        };
        return Some((at, coarse));
    }
    parse_iso(text).map(|at| (at, false))
}

/// RFC 3339, also with a space for `T` or without a zone (taken as UTC).
fn parse_iso(text: &str) -> Option<SystemTime> {
    let normal = text.replacen(' ', "T", 1);
    if let Ok(at) = DateTime::parse_from_rfc3339(&normal) {
        return Some(SystemTime::from(at.with_timezone(&Utc)));
    }
    NaiveDateTime::parse_from_str(&normal, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|naive| SystemTime::from(naive.and_utc()))
}

/// An HTTP date (`Sat, 11 Apr 2026 23:14:53 GMT`).
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    DateTime::parse_from_rfc2822(text.trim())
        .ok()
        .map(|at| SystemTime::from(at.with_timezone(&Utc)))
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name)?.to_str().ok()
}

/// A non-negative count, also written as a float (`299.0`).
fn count(text: &str) -> Option<u32> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let float = text.parse::<f64>().ok()?;
    (float.is_finite() && float >= 0.0 && float <= f64::from(u32::MAX)).then_some(float as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn at(secs: u64, micros: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_micros(micros)
    }

    fn map(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn a_reset_alone_gives_the_wait() {
        let now = at(1_785_592_000, 0);
        let headers = map(&[("x-ratelimit-reset", "2026-08-01T13:50:00Z")]);
        assert_eq!(rate_headers(&headers, now), None, "the limit is missing");
        assert_eq!(reset_wait(&headers, now), Some(Duration::from_secs(200)));
        let past = map(&[("x-ratelimit-reset", "2020-01-01T00:00:00Z")]);
        assert_eq!(reset_wait(&past, now), Some(Duration::ZERO));
        assert_eq!(reset_wait(&map(&[]), now), None);
    }

    #[test]
    fn parses_reset_forms() {
        let now = at(1_785_592_000, 0);
        // 2026-08-01T13:50:00Z = 1785592200
        let cases: [(&str, SystemTime, bool); 8] = [
            (
                "2026-08-01T13:50:00.239888Z",
                at(1_785_592_200, 239_888),
                false,
            ),
            ("2026-08-01T13:50:00Z", at(1_785_592_200, 0), false),
            ("2026-08-01T15:50:00+02:00", at(1_785_592_200, 0), false),
            ("2026-08-01 13:50:00.5", at(1_785_592_200, 500_000), false),
            ("2026-08-01T13:50:00", at(1_785_592_200, 0), false),
            ("1785592200", at(1_785_592_200, 0), true),
            ("1785592200.25", at(1_785_592_200, 250_000), false),
            ("60", at(1_785_592_060, 0), true),
        ];
        for (text, want, coarse) in cases {
            assert_eq!(parse_reset(text, now), Some((want, coarse)), "{text}");
        }
        for bad in [
            "",
            "soon",
            "-5",
            "NaN",
            "2026-13-01T00:00:00Z",
            "inf",
            "9000000000000000000",
            "2099-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_reset(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn reads_the_three_headers_together() {
        let now = at(1_785_592_000, 0);
        let headers = map(&[
            ("x-ratelimit-limit", "300"),
            ("x-ratelimit-remaining", "299"),
            ("x-ratelimit-reset", "2026-08-01T13:50:00.239888Z"),
        ]);
        let got = rate_headers(&headers, now).unwrap();
        assert_eq!(got.limit, 300);
        assert_eq!(got.remaining, 299);
        assert_eq!(got.reset, at(1_785_592_200, 239_888));
        assert!(!got.coarse);

        let partial = map(&[("x-ratelimit-limit", "300"), ("x-ratelimit-remaining", "2")]);
        assert_eq!(rate_headers(&partial, now), None);
        let junk = map(&[
            ("x-ratelimit-limit", "lots"),
            ("x-ratelimit-remaining", "2"),
            ("x-ratelimit-reset", "60"),
        ]);
        assert_eq!(rate_headers(&junk, now), None);
        let float = map(&[
            ("x-ratelimit-limit", "300.0"),
            ("x-ratelimit-remaining", "12.0"),
            ("x-ratelimit-reset", "1785592200"),
        ]);
        assert_eq!(rate_headers(&float, now).unwrap().remaining, 12);
    }

    #[test]
    fn reads_date_and_retry_after() {
        let headers = map(&[
            ("date", "Sat, 01 Aug 2026 13:46:40 GMT"),
            ("retry-after", "30"),
        ]);
        let date = server_date(&headers).unwrap();
        assert_eq!(date, at(1_785_592_000, 0));
        assert_eq!(retry_after(&headers, date), Some(Duration::from_secs(30)));
        let dated = map(&[("retry-after", "Sat, 01 Aug 2026 13:47:40 GMT")]);
        assert_eq!(retry_after(&dated, date), Some(Duration::from_secs(60)));
        let past = map(&[("retry-after", "Sat, 01 Aug 2026 13:00:00 GMT")]);
        assert_eq!(retry_after(&past, date), Some(Duration::ZERO));
        assert_eq!(retry_after(&map(&[("retry-after", "later")]), date), None);
        let huge = map(&[("retry-after", "18446744073709551615")]);
        assert_eq!(retry_after(&huge, date), Some(FARTHEST));
        assert_eq!(server_date(&map(&[("date", "yesterday")])), None);
    }
}
