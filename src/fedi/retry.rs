//! When a failed request is tried again, and after how long. Pure policy; the client applies it.
//!
//! Only requests that are safe to repeat are retried after a timeout, a lost connection or a
//! 5xx: GETs, and POSTs that cannot take effect twice (a status carrying an `Idempotency-Key`,
//! a follow, which Mastodon documents as idempotent). A POST that may have been applied is
//! never sent twice; its caller sees the error. Refusals (429, throttling 503) are different:
//! the server did not act, so every request may wait and go again (see `pacer`).

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use crate::net::NetError;

/// Whether a request may be sent again after a failure whose effect is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    /// Sending it twice does no harm.
    Safe,
    /// It may have taken effect; never resend it automatically.
    Unsafe,
}

/// The retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all for a failure that may pass (timeouts, connection errors, 5xx).
    pub max_attempts: u32,
    /// The first backoff; it doubles on each attempt.
    pub base: Duration,
    /// The longest single backoff.
    pub cap: Duration,
    /// Refusals (429 or throttling 503) of one request before giving up.
    pub max_refusals: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base: Duration::from_millis(500),
            cap: Duration::from_secs(30),
            max_refusals: 8,
        }
    }
}

impl RetryPolicy {
    /// The wait before attempt `failures + 1`, with "equal jitter": half fixed, half random
    /// (`unit` in `[0, 1)`), so clients that failed together do not return together.
    pub fn backoff(&self, failures: u32, unit: f64) -> Duration {
        let exp = self
            .base
            .saturating_mul(1u32 << failures.saturating_sub(1).min(16))
            .min(self.cap);
        let half = exp / 2;
        half + half.mul_f64(unit.clamp(0.0, 1.0))
    }

    /// True when another attempt is allowed after `failures` failed ones.
    pub fn may_retry(&self, failures: u32, repeat: Repeat) -> bool {
        repeat == Repeat::Safe && failures < self.max_attempts
    }
}

/// Server errors that may pass (not 501 Not Implemented or 505, which will not).
pub fn is_transient_status(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504 | 507 | 520..=527 | 529)
}

/// Transport failures that may pass.
pub fn is_transient_net(err: &NetError) -> bool {
    matches!(
        err,
        NetError::Timeout { .. }
            | NetError::Refused { .. }
            | NetError::Connect { .. }
            | NetError::Dns(_)
            | NetError::Closed { .. }
            | NetError::Other { .. }
    )
}

/// A number in `[0, 1)` from the standard library's per-process random hash keys (jitter only;
/// nothing secret depends on it).
pub fn random_unit() -> f64 {
    (random_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// 64 random bits, good enough for jitter, multipart boundaries and temporary file names.
pub fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_and_a_cap() {
        let policy = RetryPolicy::default();
        let ms = |failures, unit| policy.backoff(failures, unit).as_millis();
        assert_eq!((ms(1, 0.0), ms(1, 0.999_999)), (250, 499));
        assert_eq!((ms(2, 0.0), ms(3, 0.0), ms(4, 0.0)), (500, 1_000, 2_000));
        assert_eq!(ms(40, 1.0), 30_000);
        assert_eq!(ms(40, 0.0), 15_000);
    }

    #[test]
    fn only_safe_requests_are_retried_and_only_so_often() {
        let policy = RetryPolicy::default();
        assert!(policy.may_retry(1, Repeat::Safe));
        assert!(policy.may_retry(3, Repeat::Safe));
        assert!(!policy.may_retry(4, Repeat::Safe));
        assert!(!policy.may_retry(1, Repeat::Unsafe));
    }

    #[test]
    fn classifies_failures() {
        for status in [500, 502, 503, 504, 522] {
            assert!(is_transient_status(status), "{status}");
        }
        for status in [400, 401, 404, 422, 429, 501, 505] {
            assert!(!is_transient_status(status), "{status}");
        }
        let timeout = NetError::Timeout {
            host: "h".into(),
            after: std::time::Duration::from_secs(1),
        };
        assert!(is_transient_net(&timeout));
        assert!(!is_transient_net(&NetError::Offline));
        let big = NetError::TooLarge {
            host: "h".into(),
            limit: 1,
        };
        assert!(!is_transient_net(&big));
    }

    #[test]
    fn random_units_stay_in_range_and_vary() {
        let draws: Vec<f64> = (0..100).map(|_| random_unit()).collect();
        assert!(draws.iter().all(|u| (0.0..1.0).contains(u)));
        assert!(draws.windows(2).any(|w| w[0] != w[1]));
    }
}
