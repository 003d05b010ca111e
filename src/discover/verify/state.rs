//! The values verification produces: the state of one candidate, its canonical handle, and
//! what we learned about each host. Plain data with stable snake_case serialisation (they are
//! written to the cache and, through `find --json`, read by scripts).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use reqwest::Url;
use serde::{Deserialize, Serialize};

/// What verification found out about one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// WebFinger knows the account and names its ActivityPub actor.
    Verified,
    /// The account exists but its actor says it moved (see `moved_to`).
    Moved,
    /// The server answered 404 (or another "no such account" answer) for this account.
    NotFound,
    /// The server answered 410 Gone, or the actor is suspended or deleted.
    Gone,
    /// The server refused to say (401/403 on WebFinger): not proof of absence.
    Forbidden,
    /// The server failed (5xx, or a broken answer from a server that runs fediverse software).
    ServerError,
    /// The host accepted no answer within the timeout (the host is then dead for this run).
    Timeout,
    /// The server answered 429 and asked us to wait longer than we wait within one run.
    RateLimited,
    /// The host answers, but not as a fediverse server: no WebFinger, host-meta or NodeInfo,
    /// or WebFinger without an ActivityPub actor (OStatus-only or diaspora-only accounts).
    NotFediverse,
    /// The host cannot be contacted at all: no DNS address, connection refused or reset, TLS
    /// failure, or a name that points at a private or local address (which we never contact).
    Unreachable,
    /// Not checked: `--offline`, or the run stopped before this candidate.
    Unverified,
    /// Found by `find --reverse` with the Twitter account's name but no link back to it: maybe
    /// the person, maybe a namesake. Never in `--csv`; `follow` takes it only with
    /// `--include-unverified`, like `unverified`.
    Possible,
}

impl State {
    /// Every state, in the order reports list them.
    pub const ALL: [State; 12] = [
        State::Verified,
        State::Moved,
        State::NotFound,
        State::Gone,
        State::Forbidden,
        State::ServerError,
        State::Timeout,
        State::RateLimited,
        State::NotFediverse,
        State::Unreachable,
        State::Unverified,
        State::Possible,
    ];

    /// The snake_case name used in JSON and the cache.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Verified => "verified",
            State::Moved => "moved",
            State::NotFound => "not_found",
            State::Gone => "gone",
            State::Forbidden => "forbidden",
            State::ServerError => "server_error",
            State::Timeout => "timeout",
            State::RateLimited => "rate_limited",
            State::NotFediverse => "not_fediverse",
            State::Unreachable => "unreachable",
            State::Unverified => "unverified",
            State::Possible => "possible",
        }
    }

    /// True when the account was found (verified or moved): the handle is real.
    pub fn exists(self) -> bool {
        matches!(self, State::Verified | State::Moved)
    }

    /// True for states that say the host could not be talked to (it is dead for the run).
    pub fn is_dead_host(self) -> bool {
        matches!(self, State::Timeout | State::Unreachable)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fediverse account address, `user@host`. The host is lowercased; the user keeps the case
/// the server gave it (servers compare it case-insensitively). Serialised as `"user@host"`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Acct {
    pub user: String,
    pub host: String,
}

impl Acct {
    /// Builds an address, lowercasing the host.
    pub fn new(user: &str, host: &str) -> Self {
        Self {
            user: user.to_string(),
            host: host.to_ascii_lowercase(),
        }
    }

    /// Reads `acct:user@host`, `user@host` or `@user@host`; `None` for anything else (URLs,
    /// a bare `acct:user`, spaces, slashes).
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let text = text.strip_prefix("acct:").unwrap_or(text);
        let text = text.strip_prefix('@').unwrap_or(text);
        let (user, host) = text.rsplit_once('@')?;
        let valid = |part: &str| {
            !part.is_empty()
                && !part
                    .chars()
                    .any(|c| c.is_whitespace() || matches!(c, '/' | '@' | '?' | '#' | ':'))
        };
        (valid(user) && valid(host) && host.contains('.')).then(|| Acct::new(user, host))
    }

    /// Compares as servers do: user and host case-insensitively.
    pub fn same_as(&self, other: &Acct) -> bool {
        self.user.eq_ignore_ascii_case(&other.user) && self.host == other.host
    }

    /// The WebFinger resource, `acct:user@host`.
    pub fn resource(&self) -> String {
        format!("acct:{}@{}", self.user, self.host)
    }
}

impl fmt::Display for Acct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.user, self.host)
    }
}

impl FromStr for Acct {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Acct::parse(text).ok_or_else(|| format!("`{text}` is not a user@host address"))
    }
}

impl Serialize for Acct {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Acct {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a moved account went, as its old actor says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedTo {
    /// The new actor (the `movedTo` URL).
    pub actor_url: Url,
    /// The new address, when the new server's WebFinger confirms one.
    pub handle: Option<Acct>,
}

/// The result for one candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub state: State,
    /// The address the server confirms (may differ from the candidate: case, split domains,
    /// profile URLs). Set for `verified` and `moved`.
    pub canonical: Option<Acct>,
    /// The ActivityPub actor (WebFinger's `rel=self` link).
    pub actor_url: Option<Url>,
    pub moved_to: Option<MovedTo>,
    /// The host whose [`HostInfo`] describes the server: the canonical address's host when
    /// known, else the candidate's host.
    pub host: String,
    pub checked_at: DateTime<Utc>,
    /// One sentence on why, for states other than `verified` (and notes such as "the actor
    /// needs a signed fetch").
    pub detail: Option<String>,
}

impl Verification {
    /// The host that serves the account found: its actor's host, or for a `moved` account
    /// the new actor's. On a split domain (`erin@example.net` served by
    /// `social.example.net`) this is the server people sign up on, not the address's domain.
    /// `None` when no account was found.
    pub fn serving_host(&self) -> Option<String> {
        let actor = match (&self.state, &self.moved_to) {
            (State::Moved, Some(moved)) => Some(&moved.actor_url),
            (State::Verified | State::Moved, _) => self.actor_url.as_ref(),
            _ => None,
        };
        actor
            .and_then(Url::host_str)
            .map(|host| host.trim_end_matches('.').to_ascii_lowercase())
    }

    /// A result with only a state, a host and a reason.
    pub fn bare(state: State, host: &str, detail: Option<String>) -> Self {
        Self {
            state,
            canonical: None,
            actor_url: None,
            moved_to: None,
            host: host.to_string(),
            checked_at: Utc::now(),
            detail,
        }
    }
}

/// What we know about one server, for the "where your friends are" report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostInfo {
    /// NodeInfo `software.name` (lowercase, e.g. `mastodon`, `gotosocial`).
    pub software: Option<String>,
    pub version: Option<String>,
    /// NodeInfo `usage.users.total`.
    pub users: Option<u64>,
    pub open_registrations: Option<bool>,
    /// `timeout` or `unreachable` when the host did not answer in the run that checked it.
    pub dead: Option<State>,
    /// Why it is dead, or why NodeInfo is missing.
    pub detail: Option<String>,
    /// Where this host's WebFinger lives when host-meta sends it elsewhere (split domains:
    /// `librem.one` → `social.librem.one`). The server's NodeInfo is then that host's.
    pub webfinger_host: Option<String>,
    /// The host-meta `lrdd` template, when it differs from the default WebFinger URL.
    pub lrdd_template: Option<String>,
    /// True when NodeInfo was found (the host runs fediverse software).
    pub nodeinfo: bool,
    pub checked_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acct_forms() {
        let cases = [
            (
                "acct:Alice@Social.Example",
                Some(("Alice", "social.example")),
            ),
            ("@bob@host.example", Some(("bob", "host.example"))),
            ("carol@h.example", Some(("carol", "h.example"))),
            ("acct:kaniini", None),
            ("https://h.example/@x", None),
            ("a b@h.example", None),
            ("x@localhost", None),
            ("@x@", None),
        ];
        for (text, want) in cases {
            let got = Acct::parse(text);
            let got = got.as_ref().map(|a| (a.user.as_str(), a.host.as_str()));
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn states_serialise_as_snake_case() {
        for state in State::ALL {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
            let back: State = serde_json::from_str(&json).unwrap();
            assert_eq!(back, state);
        }
    }

    #[test]
    fn acct_round_trips_as_a_string() {
        let acct = Acct::new("Alice", "Social.Example");
        let json = serde_json::to_string(&acct).unwrap();
        assert_eq!(json, "\"Alice@social.example\"");
        let back: Acct = serde_json::from_str(&json).unwrap();
        assert!(back.same_as(&Acct::new("alice", "social.example")));
    }
}
