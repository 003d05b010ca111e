//! What can go wrong on the wire, in words a user can act on.
//!
//! Every variant names the host (never a token or an `Authorization` header). Callers that
//! keep per-host state (a dead host costs one timeout, not one per handle) match on the kind.

use std::error::Error as StdError;
use std::time::Duration;

use super::guard::{BlockedAddress, DnsFailure};

/// A failed HTTP exchange.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("no network: --offline is set")]
    Offline,
    #[error("{host} did not answer within {}", seconds(*after))]
    Timeout { host: String, after: Duration },
    #[error("{host} refused the connection")]
    Refused { host: String },
    #[error(transparent)]
    Dns(#[from] DnsFailure),
    #[error(transparent)]
    Blocked(#[from] BlockedAddress),
    #[error("{host} is a private or local address, which fedimigrate does not contact")]
    PrivateTarget { host: String },
    #[error("could not connect to {host}: {reason}")]
    Connect { host: String, reason: String },
    #[error("the TLS certificate of {host} is not valid: {reason}")]
    Tls { host: String, reason: String },
    /// The TLS handshake failed for another reason than the certificate (garbage, a plain
    /// HTTP server on the https port, an alert).
    #[error(
        "the secure connection to {host} failed ({reason}); check that it serves https on that port"
    )]
    Handshake { host: String, reason: String },
    #[error("{host} sent too many redirects")]
    TooManyRedirects { host: String },
    #[error("{host} redirected to another site ({to}); fedimigrate does not send your token there")]
    RedirectElsewhere { host: String, to: String },
    #[error(
        "{host} redirected from https to plain http ({to}); fedimigrate does not send your token \
         unencrypted, so fix the instance's address or its redirect"
    )]
    Downgrade { host: String, to: String },
    /// A request that changes something (POST, PUT, DELETE…) was answered with a redirect.
    /// Following it would resend the change elsewhere, or turn it into a GET (301, 302, 303)
    /// whose answer says nothing about the change; the server did not carry it out.
    #[error(
        "{host} answered a change ({method}) with a redirect to {to} instead of carrying it out; \
         check the instance's address"
    )]
    RedirectedChange {
        host: String,
        method: String,
        to: String,
    },
    #[error("{host} sent an answer larger than {limit} bytes")]
    TooLarge { host: String, limit: usize },
    #[error("{host} sent an answer that is not valid {what}: {reason}")]
    Malformed {
        host: String,
        what: &'static str,
        reason: String,
    },
    #[error("cannot use the CA certificate {path}: {reason}")]
    CaCert { path: String, reason: String },
    #[error("{url} is not a usable URL: {reason}")]
    BadUrl { url: String, reason: String },
    /// The connection closed before a whole answer came (a server crash, a proxy, a drop).
    #[error("{host} closed the connection without a complete answer")]
    Closed { host: String },
    #[error("request to {host} failed: {reason}")]
    Other { host: String, reason: String },
}

impl NetError {
    /// True for failures that say the host is unreachable right now (timeouts, refused or
    /// failed connections, DNS failures): callers mark such a host dead for the run.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            NetError::Timeout { .. }
                | NetError::Refused { .. }
                | NetError::Dns(_)
                | NetError::Connect { .. }
                | NetError::Tls { .. }
                | NetError::Handshake { .. }
        )
    }

    /// True when the failure was a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, NetError::Timeout { .. })
    }

    /// Classifies a reqwest error for `host`.
    pub(super) fn from_reqwest(host: &str, after: Duration, err: reqwest::Error) -> Self {
        let host = host.to_string();
        if let Some(blocked) = find_cause::<BlockedAddress>(&err) {
            return NetError::Blocked(BlockedAddress {
                host: blocked.host.clone(),
            });
        }
        if let Some(dns) = find_cause::<DnsFailure>(&err) {
            return NetError::Dns(DnsFailure {
                host: dns.host.clone(),
                reason: dns.reason.clone(),
            });
        }
        if let Some(private) = find_cause::<RedirectRefused>(&err) {
            return private.to_net_error();
        }
        if err.is_timeout() {
            return NetError::Timeout { host, after };
        }
        if let Some(tls) = find_cause::<rustls::Error>(&err) {
            return tls_error(host, tls);
        }
        if let Some(io) = find_cause::<std::io::Error>(&err) {
            if io.kind() == std::io::ErrorKind::ConnectionRefused {
                return NetError::Refused { host };
            }
            if io.kind() == std::io::ErrorKind::TimedOut {
                return NetError::Timeout { host, after };
            }
            if matches!(
                io.kind(),
                std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
            ) {
                return NetError::Closed { host };
            }
        }
        let reason = innermost(&err);
        if err.is_connect() {
            NetError::Connect { host, reason }
        } else {
            NetError::Other { host, reason }
        }
    }
}

/// A certificate problem is [`NetError::Tls`]; any other failed handshake is
/// [`NetError::Handshake`] (a server answering TLS with garbage has no certificate to blame).
fn tls_error(host: String, err: &rustls::Error) -> NetError {
    let reason = err.to_string();
    match err {
        rustls::Error::InvalidCertificate(cert) => NetError::Tls {
            host,
            reason: certificate_reason(cert).unwrap_or(reason),
        },
        rustls::Error::NoCertificatesPresented
        | rustls::Error::UnsupportedNameType
        | rustls::Error::InvalidCertRevocationList(_) => NetError::Tls { host, reason },
        _ => NetError::Handshake { host, reason },
    }
}

/// What is wrong with a certificate, in words a user can act on (rustls says `UnknownIssuer`
/// and counts seconds since 1970); `None` leaves rustls' own words.
fn certificate_reason(err: &rustls::CertificateError) -> Option<String> {
    use rustls::CertificateError as E;
    let day = |t: &rustls::pki_types::UnixTime| {
        chrono::DateTime::from_timestamp(t.as_secs() as i64, 0)
            .map(|d| d.format(" on %Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    Some(match err {
        E::Expired => "it has expired".into(),
        E::ExpiredContext { not_after, .. } => format!("it expired{}", day(not_after)),
        E::NotValidYet => "it is not valid yet (check this computer's clock)".into(),
        E::NotValidYetContext { not_before, .. } => format!(
            "it is not valid before{} (check this computer's clock)",
            day(not_before).trim_start_matches(" on")
        ),
        E::NotValidForName => "it was issued for another name".into(),
        E::NotValidForNameContext { presented, .. } => format!(
            "it was issued for another name ({})",
            presented_names(presented)
        ),
        E::UnknownIssuer => "no authority this computer trusts signed it (a self-signed \
                             certificate?); for a server of your own, pass its CA with --ca-cert"
            .into(),
        E::Revoked => "it has been revoked".into(),
        _ => return None,
    })
}

/// The names a certificate was issued for, as rustls lists them (`DnsName("a.example")`),
/// cleaned for the terminal and cut short.
fn presented_names(presented: &[String]) -> String {
    let names: Vec<String> = presented
        .iter()
        .take(3)
        .map(|p| {
            let inner = p.split('"').nth(1).unwrap_or(p);
            crate::sanitize::clean(inner).chars().take(80).collect()
        })
        .collect();
    let more = if presented.len() > 3 { ", …" } else { "" };
    format!("{}{more}", names.join(", "))
}

/// A duration in words: `1 second`, `10 seconds`, `0.5 seconds`, `1.25 seconds` (to the
/// millisecond; a nonzero duration never reads as `0 seconds`).
pub fn seconds(duration: Duration) -> String {
    let mut millis = duration.as_millis();
    if millis == 0 && !duration.is_zero() {
        millis = 1;
    }
    let (whole, fraction) = (millis / 1000, millis % 1000);
    match (whole, fraction) {
        (1, 0) => "1 second".to_string(),
        (_, 0) => format!("{whole} seconds"),
        _ => {
            let fraction = format!("{fraction:03}");
            format!("{whole}.{} seconds", fraction.trim_end_matches('0'))
        }
    }
}

/// Raised by the redirect policy; turned back into a [`NetError`] by `from_reqwest`.
#[derive(Debug, thiserror::Error)]
pub(super) enum RedirectRefused {
    #[error("too many redirects from {0}")]
    TooMany(String),
    #[error("redirect to private address {0}")]
    Private(String),
    #[error("redirect from {from} to another site, {to}")]
    OtherSite { from: String, to: String },
    #[error("redirect from https://{from} to {to}")]
    Downgrade { from: String, to: String },
}

impl RedirectRefused {
    fn to_net_error(&self) -> NetError {
        match self {
            RedirectRefused::TooMany(host) => NetError::TooManyRedirects { host: host.clone() },
            RedirectRefused::Private(host) => NetError::PrivateTarget { host: host.clone() },
            RedirectRefused::OtherSite { from, to } => NetError::RedirectElsewhere {
                host: from.clone(),
                to: to.clone(),
            },
            RedirectRefused::Downgrade { from, to } => NetError::Downgrade {
                host: from.clone(),
                to: to.clone(),
            },
        }
    }
}

/// Finds a cause of type `T`, also looking inside `io::Error`s (whose `source()` skips the
/// error they wrap, which is where rustls and our resolver errors sit).
fn find_cause<'a, T: StdError + 'static>(err: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(cause) = current {
        if let Some(found) = cause.downcast_ref::<T>() {
            return Some(found);
        }
        let wrapped = cause
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .map(|inner| inner as &(dyn StdError + 'static));
        current = wrapped.or_else(|| cause.source());
    }
    None
}

/// The deepest message in the chain: reqwest's outer messages repeat the URL.
fn innermost(err: &(dyn StdError + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_seconds() {
        let cases = [
            (Duration::ZERO, "0 seconds"),
            (Duration::from_micros(10), "0.001 seconds"),
            (Duration::from_millis(250), "0.25 seconds"),
            (Duration::from_millis(500), "0.5 seconds"),
            (Duration::from_secs(1), "1 second"),
            (Duration::from_millis(1500), "1.5 seconds"),
            (Duration::from_millis(2001), "2.001 seconds"),
            (Duration::from_secs(10), "10 seconds"),
            (Duration::from_secs(120), "120 seconds"),
        ];
        for (duration, want) in cases {
            assert_eq!(seconds(duration), want, "{duration:?}");
        }
    }

    #[test]
    fn only_certificate_problems_blame_the_certificate() {
        let garbage = rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType);
        let err = tls_error("odd.example".into(), &garbage);
        assert!(matches!(err, NetError::Handshake { .. }), "{err:?}");
        assert!(!err.to_string().contains("certificate"), "{err}");
        assert!(err.is_unreachable());
        let unknown = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let err = tls_error("odd.example".into(), &unknown);
        assert!(matches!(err, NetError::Tls { .. }), "{err:?}");
        assert!(err.to_string().contains("self-signed"), "{err}");
    }

    #[test]
    fn a_sub_second_timeout_is_not_zero_seconds() {
        let err = NetError::Timeout {
            host: "slow.example".into(),
            after: Duration::from_millis(500),
        };
        assert_eq!(
            err.to_string(),
            "slow.example did not answer within 0.5 seconds"
        );
    }

    #[test]
    fn certificate_problems_read_in_words() {
        use rustls::CertificateError as E;
        use rustls::pki_types::{ServerName, UnixTime};
        let at = |secs| UnixTime::since_unix_epoch(Duration::from_secs(secs));
        let cases = [
            (
                E::ExpiredContext {
                    time: at(1_796_642_832),
                    not_after: at(1_577_836_800),
                },
                "the TLS certificate of a.example is not valid: it expired on 2020-01-01",
            ),
            (
                E::NotValidYetContext {
                    time: at(1_577_836_800),
                    not_before: at(1_796_642_832),
                },
                "the TLS certificate of a.example is not valid: it is not valid before \
                 2026-12-07 (check this computer's clock)",
            ),
            (
                E::NotValidForNameContext {
                    expected: ServerName::try_from("a.example").unwrap(),
                    presented: vec!["DnsName(\"other.example\")".into()],
                },
                "the TLS certificate of a.example is not valid: it was issued for another \
                 name (other.example)",
            ),
            (
                E::Revoked,
                "the TLS certificate of a.example is not valid: it has been revoked",
            ),
        ];
        for (cert, want) in cases {
            let err = tls_error("a.example".into(), &rustls::Error::InvalidCertificate(cert));
            assert_eq!(err.to_string(), want);
        }
    }
}
