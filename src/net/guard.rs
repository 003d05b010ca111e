//! Which addresses a request may reach, and the DNS resolver that enforces it.
//!
//! Hosts named in other people's bios must never make us connect to this machine or the
//! user's private network (a bio saying `@x@router.local` must not probe the router). A client
//! built with [`Reach::PublicOnly`] resolves names itself and drops loopback, private,
//! link-local, shared and other special-purpose addresses; IP-literal URLs and redirect targets
//! are checked before any connection. An explicit `--resolve` entry is the user's own choice
//! and is always honoured, loopback included.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::ResolveOverride;

/// Where a client may connect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only public internet addresses (hosts we learned from third parties).
    PublicOnly,
    /// Anything the user pointed us at (their own instance, which may be on their LAN).
    Any,
}

/// A name whose every address is a private or special one (refused under `PublicOnly`).
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves only to private or local addresses, which fedimigrate does not contact")]
pub struct BlockedAddress {
    pub host: String,
}

/// A name that DNS could not resolve.
#[derive(Debug, thiserror::Error)]
#[error("{host} has no DNS address ({reason})")]
pub struct DnsFailure {
    pub host: String,
    pub reason: String,
}

/// The resolver behind every client: `--resolve` overrides first, then the system resolver,
/// filtered by the client's [`Reach`].
#[derive(Debug, Clone)]
pub struct GuardedResolver {
    overrides: Arc<HashMap<String, SocketAddr>>,
    reach: Reach,
}

impl GuardedResolver {
    pub fn new(overrides: &[ResolveOverride], reach: Reach) -> Self {
        let map = overrides
            .iter()
            .map(|o| (o.host.clone(), o.addr))
            .collect::<HashMap<_, _>>();
        Self {
            overrides: Arc::new(map),
            reach,
        }
    }

    /// The explicit override for `host`, if the user gave one.
    pub fn override_for(&self, host: &str) -> Option<SocketAddr> {
        self.overrides.get(&host.to_ascii_lowercase()).copied()
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_ascii_lowercase();
        if let Some(addr) = self.override_for(&host) {
            let addrs: Addrs = Box::new(std::iter::once(addr));
            return Box::pin(async move { Ok(addrs) });
        }
        let reach = self.reach;
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|err| DnsFailure {
                    host: host.clone(),
                    reason: err.to_string(),
                })?;
            let allowed = filter(found, reach);
            if allowed.is_empty() {
                return Err(BlockedAddress { host }.into());
            }
            let addrs: Addrs = Box::new(allowed.into_iter());
            Ok(addrs)
        })
    }
}

fn filter(found: impl Iterator<Item = SocketAddr>, reach: Reach) -> Vec<SocketAddr> {
    found
        .filter(|addr| reach == Reach::Any || is_public(addr.ip()))
        .collect()
}

/// True for addresses on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    let special = ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240; // reserved
    !special
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    let special = ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || (first & 0xffc0) == 0xfec0 // site-local (deprecated)
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || first == 0x0064 && ip.segments()[1] == 0xff9b; // NAT64 can reach private v4
    !special
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_addresses() {
        let public = ["1.1.1.1", "93.184.216.34", "2a01:4f8::1", "::ffff:8.8.8.8"];
        let private = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ];
        for ip in public {
            assert!(is_public(ip.parse().unwrap()), "{ip} should be public");
        }
        for ip in private {
            assert!(!is_public(ip.parse().unwrap()), "{ip} should be private");
        }
    }

    #[test]
    fn public_only_drops_private_answers() {
        let addrs: Vec<SocketAddr> =
            vec!["127.0.0.1:0".parse().unwrap(), "1.1.1.1:0".parse().unwrap()];
        assert_eq!(
            filter(addrs.clone().into_iter(), Reach::PublicOnly).len(),
            1
        );
        assert_eq!(filter(addrs.into_iter(), Reach::Any).len(), 2);
    }

    #[tokio::test]
    async fn localhost_is_refused_unless_overridden() {
        let resolver = GuardedResolver::new(&[], Reach::PublicOnly);
        let err = match resolver.resolve("localhost".parse().unwrap()).await {
            Ok(_) => panic!("localhost must be refused"),
            Err(err) => err,
        };
        assert!(err.is::<BlockedAddress>(), "{err}");

        let over: ResolveOverride = "localhost:443:127.0.0.1:9".parse().unwrap();
        let resolver = GuardedResolver::new(&[over], Reach::PublicOnly);
        let mut addrs = resolver
            .resolve("localhost".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(addrs.next(), Some("127.0.0.1:9".parse().unwrap()));
    }
}
