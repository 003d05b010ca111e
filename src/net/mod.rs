//! The one HTTP client: timeouts, body-size caps, redirects, the private-address guard, and
//! the user's network options (extra CA certificates, host→address overrides, offline mode).
//!
//! It knows no API. `discover` (WebFinger, NodeInfo, the X API) and `fedi` (the Mastodon
//! client) build on it.

mod error;
mod guard;
mod http;
mod resolve;

use std::path::PathBuf;
use std::time::Duration;

pub use error::NetError;
pub use guard::{BlockedAddress, DnsFailure, Reach, is_public};
pub use http::{Fetched, Http, MAX_REDIRECTS, host_of};
pub use resolve::ResolveOverride;

/// Network options from the global flags.
#[derive(Debug, Clone)]
pub struct Options {
    /// Extra root certificates (PEM files) to trust besides the built-in roots.
    pub ca_certs: Vec<PathBuf>,
    /// `--resolve` overrides; an explicit override may point at loopback or private addresses.
    pub resolve: Vec<ResolveOverride>,
    /// No network at all: any attempt to build a client fails with a clear error.
    pub offline: bool,
    /// Per-request timeout (connect + response).
    pub timeout: Duration,
    /// Allow plain `http://` instance URLs that are not loopback.
    pub insecure_http: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            ca_certs: Vec::new(),
            resolve: Vec::new(),
            offline: false,
            timeout: Duration::from_secs(10),
            insecure_http: false,
            user_agent: format!(
                "fedimigrate/{} (+https://github.com/fedimigrate/fedimigrate)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}
