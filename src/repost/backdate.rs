//! Whether a post keeps its tweet's date, and which `scheduled_at` says so. Pure.
//!
//! Only a server that backdates (`Capabilities::can_backdate`: GoToSocial ≥ 0.18) is ever
//! sent a past `scheduled_at`; Mastodon would publish such a post now, at the top of every
//! timeline. GoToSocial's own rules (tried against the real server): the time must be full
//! RFC 3339 (the client always sends it so), dates at or before 1970 are refused (406), and a
//! future time schedules the post instead (or fails with 501 on 0.19). A tweet newer than
//! [`RECENT`] is posted undated: with the two clocks a little apart, its date could be the
//! server's future.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// `--backdate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backdate {
    /// Keep the original date where the server can.
    #[default]
    Auto,
    /// Always date posts when they are made.
    Never,
}

/// Tweets newer than this are posted without a date.
pub const RECENT: Duration = Duration::hours(6);

/// The `scheduled_at` to send for a tweet from `created_at`, or none.
pub fn scheduled_at(
    mode: Backdate,
    can_backdate: bool,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let epoch_or_before = created_at.timestamp() <= 0;
    let recent = created_at > now - RECENT;
    (mode == Backdate::Auto && can_backdate && !epoch_or_before && !recent).then_some(created_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().into()
    }

    #[test]
    fn only_a_server_that_backdates_gets_a_past_date() {
        let now = at("2026-12-07T12:00:00Z");
        let tweet = at("2014-03-01T09:00:00Z");
        assert_eq!(scheduled_at(Backdate::Auto, true, tweet, now), Some(tweet));
        assert_eq!(scheduled_at(Backdate::Auto, false, tweet, now), None);
        assert_eq!(scheduled_at(Backdate::Never, true, tweet, now), None);
    }

    #[test]
    fn refuses_dates_the_server_refuses_or_could_take_for_the_future() {
        let now = at("2026-12-07T12:00:00Z");
        let epoch = at("1970-01-01T00:00:00Z");
        assert_eq!(scheduled_at(Backdate::Auto, true, epoch, now), None);
        let recent = at("2026-12-07T11:00:00Z");
        assert_eq!(scheduled_at(Backdate::Auto, true, recent, now), None);
        let future = at("2026-12-08T11:00:00Z");
        assert_eq!(scheduled_at(Backdate::Auto, true, future, now), None);
        let old_enough = at("2026-12-07T05:59:59Z");
        assert_eq!(
            scheduled_at(Backdate::Auto, true, old_enough, now),
            Some(old_enough)
        );
    }
}
