//! Fediverse handles as values: `user@host`, validated and normalised once, so every part that
//! holds a [`Handle`] can compare, hash, sort and print it without thinking about case, IDNA or
//! a leading `@`.
//!
//! This module checks syntax only. Whether a host federates (or is an e-mail provider, or
//! Twitter) is a question for the extractor's rules and for verification, never for this type.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Longest username accepted. Mastodon caps local names at 30 characters, but Bridgy Fed
/// uses whole domain names (`example.com@example.com`) and other servers allow more.
const MAX_USER_LEN: usize = 128;

/// Longest DNS name (RFC 1035).
const MAX_HOST_LEN: usize = 253;

/// Top-level labels that never name a public server: a handle there cannot be followed
/// (`.onion`, `.i2p` and `.alt` hosts exist, but not for an ordinary resolver).
/// `.example` and `.test` stay allowed: documentation and test servers use them.
const PRIVATE_TLDS: &[&str] = &[
    "localhost",
    "localdomain",
    "local",
    "internal",
    "intranet",
    "invalid",
    "lan",
    "home",
    "corp",
    "arpa",
    // overlay networks: not reachable through public DNS
    "onion",
    "i2p",
    "alt",
];

/// A fediverse account address: `user@host`.
///
/// Both parts are stored lowercase, because fediverse servers treat usernames
/// case-insensitively (Mastodon, Misskey, GoToSocial) and DNS names always are. The original
/// spelling of a found handle stays available in the extractor's evidence (`matched`).
/// The host is the ASCII (punycode) form of an IDN.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Handle {
    user: String,
    host: String,
}

/// Why a string is not a handle.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandleError {
    #[error("`{0}` is not a handle: expected user@host")]
    Shape(String),
    #[error("`{0}` is not a valid fediverse username")]
    User(String),
    #[error("`{0}` is not a public domain name")]
    Host(String),
    #[error("`{0}` is an IP address; handles live on domain names")]
    IpAddress(String),
}

impl Handle {
    /// Builds a handle from its parts, validating and normalising both.
    pub fn new(user: &str, host: &str) -> Result<Self, HandleError> {
        let user = normalize_user(user)?;
        let host = normalize_host(host)?;
        Ok(Self { user, host })
    }

    /// The username, lowercase.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The host, lowercase ASCII (IDNs in punycode).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The WebFinger resource for this handle: `acct:user@host`.
    pub fn acct_uri(&self) -> String {
        format!("acct:{self}")
    }
}

/// Checks a username against Mastodon's `USERNAME_RE` generalised to the fediverse: ASCII
/// letters, digits and `_`, with `.` and `-` allowed inside (which also admits Bridgy Fed's
/// domain-name usernames). Returns it lowercase.
pub fn normalize_user(user: &str) -> Result<String, HandleError> {
    let bad = || HandleError::User(user.to_string());
    if user.is_empty() || user.len() > MAX_USER_LEN {
        return Err(bad());
    }
    let edge_ok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let inner_ok = |c: char| edge_ok(c) || c == '.' || c == '-';
    let first = user.chars().next().is_some_and(edge_ok);
    let last = user.chars().next_back().is_some_and(edge_ok);
    if !(first && last && user.chars().all(inner_ok)) || user.contains("..") {
        return Err(bad());
    }
    Ok(user.to_ascii_lowercase())
}

/// Normalises a host name: IDNA (UTS 46) to lowercase ASCII, punycode kept as it is; then
/// requires a public-looking DNS name: at least two labels, a top-level label of letters (or
/// an IDN top-level label), no IP literal, no `localhost` or private-use suffix.
pub fn normalize_host(host: &str) -> Result<String, HandleError> {
    let bad = || HandleError::Host(host.to_string());
    if host.is_empty() || host.starts_with('[') {
        return Err(if host.starts_with('[') {
            HandleError::IpAddress(host.to_string())
        } else {
            bad()
        });
    }
    let ascii = match url::Host::parse(host) {
        Ok(url::Host::Domain(domain)) => domain,
        Ok(_) => return Err(HandleError::IpAddress(host.to_string())),
        Err(_) => return Err(bad()),
    };
    if ascii.len() > MAX_HOST_LEN || !ascii.contains('.') {
        return Err(bad());
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    if !labels.iter().all(|label| valid_label(label)) {
        return Err(bad());
    }
    let tld = labels.last().copied().unwrap_or_default();
    if !valid_tld(tld) || PRIVATE_TLDS.contains(&tld) {
        return Err(bad());
    }
    Ok(ascii)
}

/// A DNS label after IDNA: letters, digits and inner hyphens, 1 to 63 characters.
fn valid_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// A top-level label: at least two letters, or the punycode of an IDN top-level domain.
/// Digits are never allowed, which also keeps version numbers (`pkg@1.2.3`) out.
fn valid_tld(tld: &str) -> bool {
    tld.starts_with("xn--") || (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_lowercase()))
}

impl FromStr for Handle {
    type Err = HandleError;

    /// Accepts `@user@host`, `user@host` and the WebFinger form `acct:user@host`, with
    /// surrounding whitespace.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let bare = trimmed
            .strip_prefix("acct:")
            .or_else(|| trimmed.strip_prefix('@'))
            .unwrap_or(trimmed);
        match bare.split_once('@') {
            Some((user, host)) if !host.contains('@') => Handle::new(user, host),
            _ => Err(HandleError::Shape(text.to_string())),
        }
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.user, self.host)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Handle({self})")
    }
}

impl Serialize for Handle {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Handle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<String, HandleError> {
        text.parse::<Handle>().map(|h| h.to_string())
    }

    #[test]
    fn accepts_the_usual_spellings() {
        let ok = [
            ("@alice@mastodon.social", "alice@mastodon.social"),
            ("alice@mastodon.social", "alice@mastodon.social"),
            ("acct:alice@mastodon.social", "alice@mastodon.social"),
            ("  @Alice@Mastodon.Social\n", "alice@mastodon.social"),
            ("@jean-luc@example.social", "jean-luc@example.social"),
            (
                "@first.last@my-instance.example",
                "first.last@my-instance.example",
            ),
            ("@_under_@host.test", "_under_@host.test"),
            ("@example.com@example.com", "example.com@example.com"),
            ("@a@xn--80ak6aa92e.com", "a@xn--80ak6aa92e.com"),
            ("@a@bücher.example", "a@xn--bcher-kva.example"),
            ("@a@почта.рф", "a@xn--80a1acny.xn--p1ai"),
            ("@u@sub.domain.co.uk", "u@sub.domain.co.uk"),
            ("@u@example.photography", "u@example.photography"),
            ("@123@numbers.social", "123@numbers.social"),
        ];
        for (input, want) in ok {
            assert_eq!(parse(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn rejects_what_cannot_be_followed() {
        let bad = [
            "",
            "alice",
            "@alice",
            "alice@",
            "@alice@localhost",
            "@alice@mastodon",
            "@alice@1.2.3.4",
            "@alice@[::1]",
            "@alice@host.local",
            "@alice@router.lan",
            "pkg@1.2.3",
            "@alice@host.c",
            "@alice@host.123",
            "@.alice@host.social",
            "@alice.@host.social",
            "@al..ice@host.social",
            "@al ice@host.social",
            "@al!ce@host.social",
            "@ålice@host.social",
            "@alice@-host.social",
            "@alice@host-.social",
            "@alice@host..social",
            "@alice@bad_host.social",
            "@a@b@c.social",
            "@alice@host.social/",
        ];
        for input in bad {
            assert!(parse(input).is_err(), "{input:?} should be rejected");
        }
    }

    #[test]
    fn compares_case_insensitively() {
        let a: Handle = "@Alice@Mastodon.Social".parse().expect("valid");
        let b: Handle = "alice@mastodon.social".parse().expect("valid");
        assert_eq!(a, b);
        assert_eq!(a.user(), "alice");
        assert_eq!(a.host(), "mastodon.social");
        assert_eq!(a.acct_uri(), "acct:alice@mastodon.social");
    }

    #[test]
    fn serde_uses_the_string_form() {
        let handle: Handle = "@Bob@Example.Social".parse().expect("valid");
        let json = serde_json::to_string(&handle).expect("serialise");
        assert_eq!(json, "\"bob@example.social\"");
        let back: Handle = serde_json::from_str("\"@bob@example.social\"").expect("deserialise");
        assert_eq!(back, handle);
        assert!(serde_json::from_str::<Handle>("\"not a handle\"").is_err());
    }

    #[test]
    fn a_long_fqdn_username_is_fine_but_not_an_endless_one() {
        let long = format!("@{}@brid.gy", "a".repeat(MAX_USER_LEN));
        assert!(parse(&long).is_ok());
        let too_long = format!("@{}@brid.gy", "a".repeat(MAX_USER_LEN + 1));
        assert!(parse(&too_long).is_err());
    }
}
