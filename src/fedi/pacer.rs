//! The pacer: when may the next request of a family go out, so that bulk work never meets a
//! 429 under the limits a server advertises? A pure state machine over (headers, now, our
//! own history); the client feeds it and sleeps where it says.
//!
//! Model (after Mastodon.py's "pace" mode, made stricter):
//! - Each [`Family`] has a bucket. A request draws from its family's bucket and, for API
//!   families, from the per-token bucket too.
//! - *Known budgets* ([`Budgets`]) are enforced from our own history: never more than `limit`
//!   requests in any `window`, which also keeps within the server's fixed windows. They are
//!   a guess: once the server states a bucket's limit in headers, its numbers decide.
//! - *Observed state*: the `X-RateLimit-*` headers of the latest response in a family give
//!   (limit, remaining, reset). Reset times are moved onto the local clock with the skew seen
//!   in `Date` headers (the smallest `local - server` difference seen, which is never below the
//!   true skew because `Date` is truncated to the second). The first half of a window's budget
//!   goes out at once (a small job should not crawl); the rest is spread evenly over the time
//!   left, the last request landing before the reset; with nothing left the
//!   bucket waits for the reset plus a margin. Our own requests count down `remaining` until
//!   the next response says otherwise, so concurrent callers cannot overshoot.
//! - A refusal (429, or 503 with `Retry-After`) gates the family until the server's reset or
//!   `Retry-After`, or, when the server says neither, for an exponential backoff.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, SystemTime};

use super::family::{Budget, Budgets, Family};
use super::rate_headers::RateHeaders;

/// Tunables of the pacing model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PacerConfig {
    /// The share of a window's limit that may go out without spreading.
    pub burst: f64,
    /// Added to a reset given with sub-second precision.
    pub margin: Duration,
    /// Added to a reset given in whole seconds.
    pub coarse_margin: Duration,
}

impl Default for PacerConfig {
    fn default() -> Self {
        Self {
            burst: 0.5,
            margin: Duration::from_millis(100),
            coarse_margin: Duration::from_secs(1),
        }
    }
}

/// Why a request has to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hold {
    /// The server's window has no requests left; it resets at the slot's time.
    Exhausted { family: Family, limit: u32 },
    /// The last part of the window's budget is spread over the time left.
    Spread { family: Family },
    /// Our own count reached a known budget.
    Budget { family: Family, budget: Budget },
    /// The server refused a request (429 or 503) and said, or we guessed, when to return.
    Refused { family: Family },
}

/// When a request may be sent, and why not earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub at: SystemTime,
    pub hold: Option<Hold>,
}

/// What the pacer believes about a family's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Observed {
    pub limit: u32,
    pub remaining: u32,
    /// On the local clock.
    pub reset: SystemTime,
    /// When requests may go out again once `remaining` is 0 (reset + margin).
    pub opens: SystemTime,
}

#[derive(Debug, Clone, Default)]
struct Bucket {
    observed: Option<Observed>,
    /// Send times of our requests (sorted), kept for as long as the known budget's window.
    history: VecDeque<SystemTime>,
    last_sent: Option<SystemTime>,
    in_flight: u32,
    gate: Option<SystemTime>,
    /// Refusals in a row (for the backoff when the server gives no time).
    refusals: u32,
}

/// A `Date` further than this from the local clock is a broken server clock, not skew to
/// correct (correcting it could stall pacing for years or disable it).
const MAX_SKEW: Duration = Duration::from_secs(24 * 3600);

/// Headers of one window differ by less than this (Mastodon adds the request's fraction of a
/// second to the reset).
const SAME_WINDOW: Duration = Duration::from_millis(500);

/// The pacing state of one client.
#[derive(Debug, Clone)]
pub struct Pacer {
    budgets: Budgets,
    config: PacerConfig,
    buckets: BTreeMap<Family, Bucket>,
    /// `local - server` in nanoseconds: the smallest difference seen.
    skew: Option<i128>,
}

impl Pacer {
    pub fn new(budgets: Budgets) -> Self {
        Self::with_config(budgets, PacerConfig::default())
    }

    pub fn with_config(budgets: Budgets, config: PacerConfig) -> Self {
        Self {
            budgets,
            config,
            buckets: BTreeMap::new(),
            skew: None,
        }
    }

    /// Replaces the known budgets (e.g. once the server software is known).
    pub fn set_budgets(&mut self, budgets: Budgets) {
        self.budgets = budgets;
    }

    /// The known budgets.
    pub fn budgets(&self) -> &Budgets {
        &self.budgets
    }

    /// Reserves the earliest slot at or after `now` for a request of `family`.
    pub fn schedule(&mut self, family: Family, now: SystemTime) -> Slot {
        let mut slot = Slot {
            at: now,
            hold: None,
        };
        for &bucket_family in family.buckets() {
            let budget = self.budgets.get(bucket_family);
            let bucket = self.buckets.entry(bucket_family).or_default();
            bucket.prune(now, budget);
            if let Some((at, hold)) = bucket.earliest(bucket_family, now, budget, self.config.burst)
                && at > slot.at
            {
                slot = Slot {
                    at,
                    hold: Some(hold),
                };
            }
        }
        for &bucket_family in family.buckets() {
            let tracked = self.budgets.get(bucket_family).is_some();
            if let Some(bucket) = self.buckets.get_mut(&bucket_family) {
                bucket.reserve(slot.at, tracked);
            }
        }
        slot
    }

    /// Records the end of a request scheduled for `family`: its headers (if any), the server's
    /// `Date` (if any), and the local time the answer arrived. Call once per scheduled
    /// request, also when it failed or was abandoned.
    pub fn observe(
        &mut self,
        family: Family,
        headers: Option<&RateHeaders>,
        server_date: Option<SystemTime>,
        now: SystemTime,
    ) {
        if let Some(date) = server_date {
            let sample = signed_nanos(now, date);
            if sample.unsigned_abs() <= MAX_SKEW.as_nanos() {
                self.skew = Some(self.skew.map_or(sample, |old| old.min(sample)));
            }
        }
        for bucket_family in family.buckets() {
            if let Some(bucket) = self.buckets.get_mut(bucket_family) {
                bucket.in_flight = bucket.in_flight.saturating_sub(1);
            }
        }
        if let Some(headers) = headers {
            let observed = self.localise(headers);
            let bucket = self.buckets.entry(family).or_default();
            bucket.merge(observed);
        }
    }

    /// Records a refusal (429, or a 503 with `Retry-After`) of a request of `family` and
    /// returns when to try again. `attempt` counts refusals of this request, from 1.
    pub fn refused(
        &mut self,
        family: Family,
        headers: Option<&RateHeaders>,
        retry_after: Option<Duration>,
        server_date: Option<SystemTime>,
        now: SystemTime,
    ) -> SystemTime {
        self.observe(family, headers, server_date, now);
        let bucket = self.buckets.entry(family).or_default();
        let from_server = match retry_after {
            Some(wait) => now.checked_add(wait),
            None => headers.and(bucket.observed).map(|obs| obs.opens),
        };
        if let Some(obs) = bucket.observed.as_mut() {
            obs.remaining = 0;
        }
        let until = match from_server {
            Some(at) if at > now => at,
            _ => now + refusal_backoff(bucket.refusals),
        };
        bucket.refusals = bucket.refusals.saturating_add(1);
        bucket.gate = Some(bucket.gate.map_or(until, |gate| gate.max(until)));
        until
    }

    /// Forgets the refusal count of `family` after a request went through.
    pub fn accepted(&mut self, family: Family) {
        if let Some(bucket) = self.buckets.get_mut(&family) {
            bucket.refusals = 0;
        }
    }

    /// What the pacer believes about a family's current window.
    pub fn observed(&self, family: Family) -> Option<Observed> {
        self.buckets.get(&family).and_then(|b| b.observed)
    }

    /// Converts headers to the local clock.
    fn localise(&self, headers: &RateHeaders) -> Observed {
        let reset = shift(headers.reset, self.skew.unwrap_or(0));
        let margin = if headers.coarse {
            self.config.coarse_margin
        } else {
            self.config.margin
        };
        Observed {
            limit: headers.limit,
            remaining: headers.remaining,
            reset,
            opens: reset + margin,
        }
    }
}

impl Bucket {
    /// Drops history that can no longer matter.
    fn prune(&mut self, now: SystemTime, budget: Option<Budget>) {
        let keep = budget.map_or(Duration::ZERO, |b| b.window);
        while self.history.front().is_some_and(|&t| t + keep <= now) {
            self.history.pop_front();
        }
    }

    /// The earliest time after `now` this bucket allows, if later than `now`.
    fn earliest(
        &self,
        family: Family,
        now: SystemTime,
        budget: Option<Budget>,
        burst: f64,
    ) -> Option<(SystemTime, Hold)> {
        let mut best: Option<(SystemTime, Hold)> = None;
        let mut consider = |at: SystemTime, hold: Hold| {
            if at > now && best.is_none_or(|(b, _)| at > b) {
                best = Some((at, hold));
            }
        };
        if let Some(gate) = self.gate {
            consider(gate, Hold::Refused { family });
        }
        // A known budget is our guess until the server states its own limit for this
        // bucket; from then on the server's numbers (instances configure them) decide.
        if let Some(budget) = budget.filter(|_| self.observed.is_none())
            && let Some(index) = self.history.len().checked_sub(budget.limit as usize)
            && let Some(&oldest) = self.history.get(index)
        {
            consider(oldest + budget.window, Hold::Budget { family, budget });
        }
        if let Some(obs) = self.observed.filter(|obs| now < obs.opens) {
            if obs.remaining == 0 {
                let limit = obs.limit;
                consider(obs.opens, Hold::Exhausted { family, limit });
            } else if f64::from(obs.remaining) <= f64::from(obs.limit) * burst
                && let Some(last) = self.last_sent
            {
                // `remaining` requests evenly in the time left, the last one before the reset.
                let left = obs.reset.duration_since(last.max(now)).unwrap_or_default();
                consider(
                    last + left / obs.remaining.saturating_add(1),
                    Hold::Spread { family },
                );
            }
        }
        best
    }

    /// Counts a request going out at `at`.
    fn reserve(&mut self, at: SystemTime, tracked: bool) {
        if tracked {
            let index = self.history.partition_point(|&t| t <= at);
            self.history.insert(index, at);
        }
        self.last_sent = Some(self.last_sent.map_or(at, |last| last.max(at)));
        self.in_flight += 1;
        if let Some(obs) = self.observed.as_mut()
            && at < obs.opens
        {
            obs.remaining = obs.remaining.saturating_sub(1);
        }
    }

    /// Takes in what a response said, keeping the stricter view within one window and
    /// ignoring answers about a window that is already over.
    fn merge(&mut self, mut new: Observed) {
        new.remaining = new.remaining.saturating_sub(self.in_flight);
        self.observed = Some(match self.observed {
            None => new,
            Some(old) if new.reset > old.reset + SAME_WINDOW => new,
            Some(old) if new.reset + SAME_WINDOW >= old.reset => Observed {
                limit: new.limit,
                remaining: old.remaining.min(new.remaining),
                reset: old.reset.max(new.reset),
                opens: old.opens.max(new.opens),
            },
            Some(old) => old,
        });
    }
}

/// How long to stay away after a refusal that said nothing about when to return.
pub fn refusal_backoff(earlier_refusals: u32) -> Duration {
    let secs = 1u64 << earlier_refusals.min(6);
    Duration::from_secs(secs.min(60))
}

/// `a - b` in nanoseconds, signed.
fn signed_nanos(a: SystemTime, b: SystemTime) -> i128 {
    match a.duration_since(b) {
        Ok(ahead) => ahead.as_nanos() as i128,
        Err(behind) => -(behind.duration().as_nanos() as i128),
    }
}

/// `t + nanos` (nanos may be negative).
fn shift(t: SystemTime, nanos: i128) -> SystemTime {
    let magnitude = Duration::from_nanos(nanos.unsigned_abs().min(u64::MAX as u128) as u64);
    if nanos >= 0 {
        t + magnitude
    } else {
        t.checked_sub(magnitude).unwrap_or(t)
    }
}

#[cfg(test)]
mod tests;
