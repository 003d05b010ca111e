//! `--resolve HOST:PORT:ADDR`: connect a host name to a chosen address instead of asking DNS.
//!
//! The syntax is curl's. ADDR may be an IPv4 address, a bracketed IPv6 address, and either may
//! carry its own port (`127.0.0.1:8443`, `[::1]:8443`) to reach a server listening elsewhere,
//! which is what curl's `--connect-to` does.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;

/// One `--resolve` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveOverride {
    /// Lowercased host name, as it appears in URLs.
    pub host: String,
    /// The URL port the override is meant for (443 for https URLs without a port).
    pub port: u16,
    /// Where to connect instead.
    pub addr: SocketAddr,
}

impl FromStr for ResolveOverride {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not HOST:PORT:ADDR (e.g. example.social:443:127.0.0.1)");
        let (host, rest) = text.split_once(':').ok_or_else(bad)?;
        let (port, addr) = rest.split_once(':').ok_or_else(bad)?;
        let host = host.trim().to_ascii_lowercase();
        if host.is_empty() || host.contains('/') {
            return Err(bad());
        }
        let port: u16 = port.parse().map_err(|_| bad())?;
        let addr = parse_addr(addr, port).ok_or_else(bad)?;
        Ok(Self { host, port, addr })
    }
}

/// `IP`, `[IPv6]`, `IP:PORT` or `[IPv6]:PORT`; without a port the URL's port is kept.
fn parse_addr(text: &str, default_port: u16) -> Option<SocketAddr> {
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(socket);
    }
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, default_port))
}

impl fmt::Display for ResolveOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.host, self.port, self.addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_curl_forms_and_a_port_on_the_address() {
        let cases = [
            (
                "Example.Social:443:127.0.0.1",
                "example.social",
                443,
                "127.0.0.1:443",
            ),
            (
                "a.example:443:127.0.0.1:8443",
                "a.example",
                443,
                "127.0.0.1:8443",
            ),
            ("a.example:80:[::1]", "a.example", 80, "[::1]:80"),
            ("a.example:443:[::1]:9000", "a.example", 443, "[::1]:9000"),
            ("a.example:443:::1", "a.example", 443, "[::1]:443"),
        ];
        for (text, host, port, addr) in cases {
            let parsed: ResolveOverride = text.parse().unwrap();
            assert_eq!(parsed.host, host, "{text}");
            assert_eq!(parsed.port, port, "{text}");
            assert_eq!(parsed.addr, addr.parse::<SocketAddr>().unwrap(), "{text}");
        }
    }

    #[test]
    fn rejects_malformed_entries() {
        for text in [
            "",
            "host",
            "host:443",
            "host:x:127.0.0.1",
            ":443:127.0.0.1",
            "h:443:nope",
        ] {
            assert!(text.parse::<ResolveOverride>().is_err(), "{text}");
        }
    }
}
