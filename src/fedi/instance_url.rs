//! What the user types for an instance (`example.social`, `https://example.social`,
//! `http://127.0.0.1:3000`, even `@me@example.social`) turned into one base URL and one key.
//!
//! Pure: no I/O. Plain `http://` is refused unless the host is this machine (a local test
//! server is real use) or the user passed `--insecure-http`, because the token would travel
//! unencrypted.

use std::net::IpAddr;

use url::Url;

/// A validated instance: its base URL (scheme, host, port; no path) and the key under which
/// apps and logins are stored (`host` or `host:port`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceUrl {
    base: Url,
    key: String,
}

/// Why a text is not a usable instance address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceUrlError {
    #[error("no instance given")]
    Empty,
    #[error("`{0}` is not an instance address (e.g. mastodon.social or https://mastodon.social)")]
    Invalid(String),
    #[error("`{0}` uses {1}:, but an instance speaks https (or http on this machine)")]
    Scheme(String, String),
    #[error("`{0}` is a page on the instance, not the instance; give just the address, e.g. {1}")]
    HasPath(String, String),
    #[error(
        "refusing `{0}`: plain http would send your token unencrypted; use https, or pass \
         --insecure-http if this is really what you want"
    )]
    InsecureHttp(String),
}

impl InstanceUrl {
    /// Parses what the user typed. `allow_insecure_http` is the `--insecure-http` flag.
    pub fn parse(text: &str, allow_insecure_http: bool) -> Result<Self, InstanceUrlError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(InstanceUrlError::Empty);
        }
        let invalid = || InstanceUrlError::Invalid(trimmed.to_string());
        if trimmed.trim_start_matches('@').matches('@').count() > 1 {
            return Err(invalid());
        }
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_string()
        } else {
            format!("https://{}", strip_handle(trimmed))
        };
        let url = Url::parse(&with_scheme).map_err(|_| invalid())?;
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(invalid)?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid());
        }
        match url.scheme() {
            "https" => {}
            "http" if allow_insecure_http || is_loopback(host) => {}
            "http" => return Err(InstanceUrlError::InsecureHttp(trimmed.to_string())),
            other => return Err(InstanceUrlError::Scheme(trimmed.to_string(), other.into())),
        }
        let mut base = url.clone();
        base.set_path("/");
        base.set_query(None);
        base.set_fragment(None);
        if url.path() != "/" || url.query().is_some() {
            let origin = base.as_str().trim_end_matches('/').to_string();
            return Err(InstanceUrlError::HasPath(trimmed.to_string(), origin));
        }
        let key = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        Ok(Self { base, key })
    }

    /// Rebuilds an instance from a stored base URL (already validated when it was stored).
    pub fn from_stored(base_url: &str) -> Result<Self, InstanceUrlError> {
        Self::parse(base_url, true)
    }

    /// The base URL, ending in `/`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// `host` or `host:port`, lowercased: the storage key and the `@host` part of logins.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The host name alone.
    pub fn host(&self) -> &str {
        self.base.host_str().unwrap_or_default()
    }

    /// The base URL without the trailing slash, for messages and storage.
    pub fn origin(&self) -> String {
        self.base.as_str().trim_end_matches('/').to_string()
    }

    /// An absolute URL for an API path such as `/api/v1/apps`.
    pub fn join(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_path(path);
        url
    }

    /// True when `url` points at this instance (same scheme, host and port): the only place
    /// the token may be sent.
    pub fn same_origin(&self, url: &Url) -> bool {
        url.origin() == self.base.origin()
    }
}

/// `@user@host` and `user@host` name an account; the instance is what follows the last `@`.
fn strip_handle(text: &str) -> &str {
    match text.rsplit_once('@') {
        Some((_, host)) if !text.contains('/') => host,
        _ => text,
    }
}

/// `localhost`, 127.0.0.0/8 and `::1`: this machine.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") || bare.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_forms_people_type() {
        let cases = [
            (
                "example.social",
                "https://example.social/",
                "example.social",
            ),
            (
                "Example.Social",
                "https://example.social/",
                "example.social",
            ),
            (
                "https://example.social",
                "https://example.social/",
                "example.social",
            ),
            (
                "https://example.social/",
                "https://example.social/",
                "example.social",
            ),
            (
                "  example.social\n",
                "https://example.social/",
                "example.social",
            ),
            (
                "https://example.social:8443",
                "https://example.social:8443/",
                "example.social:8443",
            ),
            (
                "@me@example.social",
                "https://example.social/",
                "example.social",
            ),
            (
                "me@example.social",
                "https://example.social/",
                "example.social",
            ),
            (
                "http://127.0.0.1:3000",
                "http://127.0.0.1:3000/",
                "127.0.0.1:3000",
            ),
            (
                "http://localhost:3000",
                "http://localhost:3000/",
                "localhost:3000",
            ),
            ("http://[::1]:3000", "http://[::1]:3000/", "[::1]:3000"),
        ];
        for (text, base, key) in cases {
            let parsed = InstanceUrl::parse(text, false).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(parsed.base().as_str(), base, "{text}");
            assert_eq!(parsed.key(), key, "{text}");
        }
    }

    #[test]
    fn refuses_plain_http_elsewhere_unless_asked() {
        let err = InstanceUrl::parse("http://example.social", false).unwrap_err();
        assert!(matches!(err, InstanceUrlError::InsecureHttp(_)), "{err}");
        assert!(err.to_string().contains("--insecure-http"));
        let ok = InstanceUrl::parse("http://example.social", true).unwrap();
        assert_eq!(ok.base().as_str(), "http://example.social/");
        assert!(InstanceUrl::parse("http://10.0.0.5", false).is_err());
    }

    #[test]
    fn rejects_what_is_not_an_instance() {
        for text in [
            "",
            "   ",
            "ftp://example.social",
            "https://",
            "https://u:p@example.social",
            "a@b@example.social",
            "@a@b@example.social",
        ] {
            assert!(InstanceUrl::parse(text, false).is_err(), "{text:?}");
        }
        let err = InstanceUrl::parse("https://example.social/@alice", false).unwrap_err();
        assert_eq!(
            err,
            InstanceUrlError::HasPath(
                "https://example.social/@alice".into(),
                "https://example.social".into()
            )
        );
    }

    #[test]
    fn joins_paths_and_checks_origins() {
        let inst = InstanceUrl::parse("example.social", false).unwrap();
        assert_eq!(
            inst.join("/api/v1/apps").as_str(),
            "https://example.social/api/v1/apps"
        );
        assert!(inst.same_origin(&"https://example.social/x?y=1".parse().unwrap()));
        assert!(!inst.same_origin(&"https://evil.example/x".parse().unwrap()));
        assert!(!inst.same_origin(&"http://example.social/x".parse().unwrap()));
        assert!(!inst.same_origin(&"https://example.social:444/x".parse().unwrap()));
    }

    #[test]
    fn loopback_names() {
        for host in [
            "localhost",
            "LOCALHOST",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "app.localhost",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in ["example.social", "10.0.0.1", "localhost.example", "[::2]"] {
            assert!(!is_loopback(host), "{host}");
        }
    }
}
