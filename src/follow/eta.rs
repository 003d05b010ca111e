//! How long a bulk run takes under an instance's rate limits (pure).
//!
//! A budget is `limit` requests per `period`, fixed windows as Mastodon counts them. The
//! estimate follows what the pacer does (`fedi::pacer`): in each window the part above the
//! burst share (half the limit) goes at once, and the rest is spread evenly until the window
//! resets, so a window's last request goes out near its end. The run's time is that of its
//! slowest budget (the family's, e.g. follows, and the per-token one).

use std::time::Duration;

use crate::fedi::Budget;

/// A budget as last seen (or as the software's defaults say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub limit: u32,
    pub period: Duration,
    /// What is left in the current window, when the server said.
    pub remaining: Option<u32>,
    /// When the current window ends, when the server said.
    pub resets_in: Option<Duration>,
}

impl Window {
    /// A window known only from a budget (nothing used yet).
    pub fn of(budget: Budget) -> Self {
        Self {
            limit: budget.limit,
            period: budget.window,
            remaining: None,
            resets_in: None,
        }
    }

    /// How many fit in one day.
    pub fn per_day(&self) -> u64 {
        let day = Duration::from_secs(24 * 3600);
        let windows = (day.as_secs_f64() / self.period.as_secs_f64().max(1.0)).max(1.0);
        (f64::from(self.limit) * windows) as u64
    }

    /// "400 follows per 24 h".
    pub fn describe(&self, what: &str) -> String {
        format!(
            "{} {what} per {}",
            crate::ui::thousands(u64::from(self.limit)),
            period(self.period)
        )
    }
}

/// A window's length: "24 h", "5 min", "30 s".
fn period(duration: Duration) -> String {
    match duration.as_secs() {
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The pacer's default burst share: below this share of the limit, requests are spread.
const BURST: f64 = 0.5;

/// The time `n` requests need under `window`, paced as the pacer paces them.
pub fn time_for(n: u64, window: &Window) -> Duration {
    let limit = u64::from(window.limit.max(1));
    let spread = (limit as f64 * BURST) as u64;
    let free = limit - spread;
    let remaining = window.remaining.map_or(limit, u64::from).min(limit);
    let first_span = window.resets_in.unwrap_or(window.period);
    let first_spread = remaining.min(spread);
    let first_free = remaining - first_spread;
    if n <= first_free {
        return Duration::ZERO;
    }
    if n <= remaining {
        return spread_time(n - first_free, first_spread, first_span);
    }
    let rest = n - remaining;
    let full = (rest - 1) / limit;
    let last = rest - full * limit;
    let start = first_span.saturating_add(
        window
            .period
            .saturating_mul(u32::try_from(full).unwrap_or(u32::MAX)),
    );
    if last <= free {
        return start;
    }
    start.saturating_add(spread_time(last - free, spread, window.period))
}

/// When the `k`th of `r` requests spread evenly over `span` goes out.
fn spread_time(k: u64, r: u64, span: Duration) -> Duration {
    span.mul_f64(k as f64 / (r + 1) as f64)
}

/// The time `n` requests need under all of `windows` (the slowest decides).
pub fn estimate(n: u64, windows: &[Window]) -> Duration {
    windows
        .iter()
        .map(|w| time_for(n, w))
        .max()
        .unwrap_or_default()
}

/// A span as people say it: "24 h", "5 min", "2 days 3 h", "under a minute".
pub fn span(duration: Duration) -> String {
    let secs = duration.as_secs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) if secs == 0 => "no time".into(),
        (0, 0, 0) => "under a minute".into(),
        (0, 0, m) => format!("{m} min"),
        (0, h, 0) => format!("{h} h"),
        (0, h, m) => format!("{h} h {m} min"),
        (1, 0, _) => "1 day".into(),
        (1, h, _) => format!("1 day {h} h"),
        (d, 0, _) => format!("{d} days"),
        (d, h, _) => format!("{d} days {h} h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn window(limit: u32, period: Duration) -> Window {
        Window::of(Budget::new(limit, period))
    }

    #[test]
    fn half_a_window_goes_now_and_the_rest_is_spread_to_its_end() {
        let w = window(400, 24 * HOUR);
        assert_eq!(time_for(0, &w), Duration::ZERO);
        assert_eq!(time_for(200, &w), Duration::ZERO);
        // The 200 spread ones go every 24 h / 201; the last just before the reset.
        assert_eq!(time_for(201, &w), (24 * HOUR).mul_f64(1.0 / 201.0));
        assert_eq!(time_for(400, &w), (24 * HOUR).mul_f64(200.0 / 201.0));
    }

    #[test]
    fn every_further_window_adds_a_period() {
        let w = window(400, 24 * HOUR);
        assert_eq!(time_for(401, &w), 24 * HOUR);
        assert_eq!(time_for(600, &w), 24 * HOUR);
        assert_eq!(time_for(1_000, &w), 48 * HOUR);
        assert_eq!(time_for(1_201, &w), 72 * HOUR);
    }

    #[test]
    fn a_window_in_use_counts_what_is_left_and_when_it_resets() {
        let w = Window {
            remaining: Some(10),
            resets_in: Some(2 * HOUR),
            ..window(400, 24 * HOUR)
        };
        // Below the burst share already: the 10 are spread over the 2 h left.
        assert_eq!(time_for(10, &w), (2 * HOUR).mul_f64(10.0 / 11.0));
        assert_eq!(time_for(11, &w), 2 * HOUR);
        assert_eq!(
            time_for(410, &w),
            2 * HOUR + (24 * HOUR).mul_f64(200.0 / 201.0)
        );
        assert_eq!(time_for(411, &w), 26 * HOUR);
    }

    #[test]
    fn the_slowest_budget_decides() {
        let follows = window(400, 24 * HOUR);
        let api = window(300, Duration::from_secs(300));
        assert_eq!(estimate(150, &[follows, api]), Duration::ZERO);
        assert_eq!(estimate(500, &[follows, api]), 24 * HOUR);
        assert_eq!(follows.per_day(), 400);
        assert_eq!(api.per_day(), 86_400);
    }

    #[test]
    fn spans_read_naturally() {
        assert_eq!(span(24 * HOUR), "1 day");
        assert_eq!(span(Duration::from_secs(300)), "5 min");
        assert_eq!(span(51 * HOUR), "2 days 3 h");
        assert_eq!(span(Duration::from_secs(20)), "under a minute");
        assert_eq!(
            window(400, 24 * HOUR).describe("follows"),
            "400 follows per 24 h"
        );
    }
}
