//! Rate-limit families: groups of endpoints that share one server-side budget, and the budgets
//! known from the servers' source.
//!
//! Mastodon counts every authenticated `/api/` request against a per-token budget (300 per
//! 5 minutes), and some requests also against a family of their own: follows 400 per 24 hours,
//! status creation 300 per 3 hours, media uploads 30 per 30 minutes, status deletions 30 per
//! 30 minutes (`app/lib/rate_limiter.rb`,
//! `config/initializers/rack_attack.rb`). Instances may change these, so the numbers are only
//! a starting point: the `X-RateLimit-*` headers refine them as soon as the server sends any.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::Method;

/// A group of endpoints sharing a budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Every other API request (the per-token budget).
    Api,
    /// `POST /api/v1/accounts/:id/follow`.
    Follows,
    /// `POST /api/v1/statuses` and edits.
    Statuses,
    /// `POST /api/v1/media`, `POST /api/v2/media`.
    Media,
    /// `DELETE /api/v1/statuses/:id` (Mastodon: 30 per 30 minutes, `throttle_api_delete`).
    Deletes,
    /// App registration and OAuth (`/api/v1/apps`, `/oauth/*`).
    Auth,
}

impl Family {
    /// The family of a request, from its method and path.
    pub fn of(method: &Method, path: &str) -> Family {
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let post = *method == Method::POST;
        match segments.as_slice() {
            ["api", "v1", "accounts", _, "follow"] if post => Family::Follows,
            ["api", "v1", "statuses"] if post => Family::Statuses,
            ["api", "v1", "statuses", _] if *method == Method::PUT => Family::Statuses,
            ["api", "v1", "statuses", _] if *method == Method::DELETE => Family::Deletes,
            ["api", "v1" | "v2", "media"] if post => Family::Media,
            ["api", "v1", "apps"] | ["oauth", ..] => Family::Auth,
            _ => Family::Api,
        }
    }

    /// The buckets a request of this family draws from: its own and, for API families, the
    /// per-token one.
    pub fn buckets(self) -> &'static [Family] {
        match self {
            Family::Api => &[Family::Api],
            Family::Follows => &[Family::Follows, Family::Api],
            Family::Statuses => &[Family::Statuses, Family::Api],
            Family::Media => &[Family::Media, Family::Api],
            Family::Deletes => &[Family::Deletes, Family::Api],
            Family::Auth => &[Family::Auth],
        }
    }

    /// A short name for messages.
    pub fn label(self) -> &'static str {
        match self {
            Family::Api => "requests",
            Family::Follows => "follows",
            Family::Statuses => "posts",
            Family::Media => "media uploads",
            Family::Deletes => "deletions",
            Family::Auth => "login requests",
        }
    }
}

/// At most `limit` requests per `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub limit: u32,
    pub window: Duration,
}

impl Budget {
    pub const fn new(limit: u32, window: Duration) -> Self {
        Self { limit, window }
    }
}

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;

/// The budgets the pacer enforces from its own count before (and besides) any header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Budgets {
    known: BTreeMap<Family, Budget>,
}

impl Budgets {
    /// Stock Mastodon's numbers (also the safe guess for unknown servers).
    pub fn mastodon() -> Self {
        let mut budgets = Self::none();
        budgets.set(Family::Api, Budget::new(300, secs(5 * MINUTE)));
        budgets.set(Family::Follows, Budget::new(400, secs(24 * HOUR)));
        budgets.set(Family::Statuses, Budget::new(300, secs(3 * HOUR)));
        budgets.set(Family::Media, Budget::new(30, secs(30 * MINUTE)));
        budgets.set(Family::Deletes, Budget::new(30, secs(30 * MINUTE)));
        budgets
    }

    /// GoToSocial: 300 requests per 5 minutes per route group, no per-family budgets.
    pub fn gotosocial() -> Self {
        let mut budgets = Self::none();
        budgets.set(Family::Api, Budget::new(300, secs(5 * MINUTE)));
        budgets
    }

    /// The budgets for a server software (NodeInfo name); unknown software gets Mastodon's.
    pub fn for_software(name: &str) -> Self {
        match name.to_ascii_lowercase().as_str() {
            "gotosocial" => Self::gotosocial(),
            "pleroma" | "akkoma" => Self::gotosocial(),
            _ => Self::mastodon(),
        }
    }

    /// No known budget: pace by headers alone.
    pub fn none() -> Self {
        Self::default()
    }

    /// Sets (or replaces) a family's budget.
    pub fn set(&mut self, family: Family, budget: Budget) {
        self.known.insert(family, budget);
    }

    /// Removes a family's budget.
    pub fn clear(&mut self, family: Family) {
        self.known.remove(&family);
    }

    /// A family's budget, if known.
    pub fn get(&self, family: Family) -> Option<Budget> {
        self.known.get(&family).copied()
    }
}

const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_requests_into_families() {
        let cases = [
            (Method::POST, "/api/v1/accounts/12/follow", Family::Follows),
            (Method::POST, "/api/v1/accounts/12/unfollow", Family::Api),
            (Method::GET, "/api/v1/accounts/12/follow", Family::Api),
            (Method::POST, "/api/v1/statuses", Family::Statuses),
            (Method::PUT, "/api/v1/statuses/9", Family::Statuses),
            (Method::GET, "/api/v1/statuses/9", Family::Api),
            (Method::DELETE, "/api/v1/statuses/9", Family::Deletes),
            (Method::POST, "/api/v2/media", Family::Media),
            (Method::POST, "/api/v1/media", Family::Media),
            (Method::GET, "/api/v1/media/5", Family::Api),
            (Method::POST, "/api/v1/apps", Family::Auth),
            (Method::POST, "/oauth/token", Family::Auth),
            (Method::POST, "/oauth/revoke", Family::Auth),
            (Method::GET, "/api/v2/search", Family::Api),
        ];
        for (method, path, family) in cases {
            assert_eq!(Family::of(&method, path), family, "{method} {path}");
        }
    }

    #[test]
    fn api_families_also_draw_from_the_token_budget() {
        assert_eq!(Family::Follows.buckets(), &[Family::Follows, Family::Api]);
        assert_eq!(Family::Api.buckets(), &[Family::Api]);
        assert_eq!(Family::Auth.buckets(), &[Family::Auth]);
    }

    #[test]
    fn budgets_follow_the_software() {
        let mastodon = Budgets::for_software("mastodon");
        assert_eq!(
            mastodon.get(Family::Follows),
            Some(Budget::new(400, secs(24 * HOUR)))
        );
        assert_eq!(
            mastodon.get(Family::Media),
            Some(Budget::new(30, secs(30 * MINUTE)))
        );
        let gts = Budgets::for_software("GoToSocial");
        assert_eq!(gts.get(Family::Follows), None);
        assert!(gts.get(Family::Api).is_some());
        assert_eq!(Budgets::for_software("hometown"), Budgets::mastodon());
    }
}
