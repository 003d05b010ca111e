//! fakeverse: an in-process fake fediverse for fedimigrate's tests and benchmarks.
//!
//! One listener on 127.0.0.1 serves any number of virtual hosts, chosen by the `Host` header,
//! over plain HTTP and HTTPS (certificates minted per name by a test CA). Clients reach a
//! virtual host through fedimigrate's real options: `--resolve NAME:443:127.0.0.1:PORT` and
//! `--ca-cert CA.pem`. Each host carries switches for latency, hangs, closed connections,
//! fixed statuses, oversize or malformed bodies, redirects, queued answers (bursts of 5xx or
//! 429) and answers lost after the change was made (crash tests), and records every request it
//! got (also counted per route). [`Fakeverse::wire`] starts listeners that fail below HTTP
//! (resets, broken handshakes, untrusted certificates). Protocol routes (WebFinger, NodeInfo, the Mastodon
//! API, the X API) are mounted by the modules that model them.
//!
//! The server runs on its own runtime thread, so synchronous tests (which run the binary) and
//! async tests use it the same way. Dropping the [`Fakeverse`] stops it.

mod drops;
mod exchange;
mod host;
pub mod mastodon;
mod server;
pub mod tls;
pub mod wellknown;
pub mod wire;
pub mod xapi;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

pub use exchange::{Req, Resp};
pub use host::{Host, Logged, Mode, Route};

use server::{Gauge, Hosts};
use tls::TestCa;

/// A running fake fediverse.
pub struct Fakeverse {
    addr: SocketAddr,
    ca: Arc<TestCa>,
    hosts: Hosts,
    gauge: Arc<Gauge>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl std::fmt::Debug for Fakeverse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fakeverse")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Fakeverse {
    /// Starts a server on 127.0.0.1 (a free port) with no hosts yet.
    pub fn start() -> Self {
        Self::start_with_threads(2)
    }

    /// Like [`Fakeverse::start`], with this many server worker threads (benchmarks use more).
    pub fn start_with_threads(threads: usize) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads.max(1))
            .thread_name("fakeverse")
            .enable_all()
            .build()
            .expect("fakeverse runtime");
        let ca = Arc::new(TestCa::new());
        let hosts: Hosts = Arc::new(RwLock::new(HashMap::new()));
        let acceptor = tokio_rustls::TlsAcceptor::from(tls::server_config(ca.clone()));
        // Bound here (not on the runtime) so `start` also works inside an async test.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local addr");
        let served = hosts.clone();
        let gauge = Arc::new(Gauge::default());
        let counted = gauge.clone();
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
            server::serve(listener, served, acceptor, counted).await;
        });
        Self {
            addr,
            ca,
            hosts,
            gauge,
            runtime: Some(runtime),
        }
    }

    /// A listener of its own that fails below HTTP for `name` (see [`wire::Wire`]).
    pub fn wire(&self, wire: wire::Wire, name: &str) -> wire::WireListener {
        let runtime = self.runtime.as_ref().expect("running").handle();
        wire::WireListener::start(runtime, &self.ca, wire, name)
    }

    /// The listener's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The listener's port.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The virtual host `name` (lowercased), created empty on first use.
    pub fn host(&self, name: &str) -> Arc<Host> {
        let name = name.to_ascii_lowercase();
        let mut hosts = self.hosts.write().expect("hosts");
        hosts
            .entry(name.clone())
            .or_insert_with(|| Arc::new(Host::new(&name)))
            .clone()
    }

    /// The most requests that were ever in progress at once, across every host (a client's
    /// global concurrency limit shows here).
    pub fn max_in_flight(&self) -> usize {
        self.gauge.max()
    }

    /// Starts [`Fakeverse::max_in_flight`] afresh.
    pub fn reset_max_in_flight(&self) {
        self.gauge.reset();
    }

    /// How many requests every host received, in all.
    pub fn request_count(&self) -> usize {
        let hosts = self.hosts.read().expect("hosts");
        hosts.values().map(|h| h.request_count()).sum()
    }

    /// The names of every virtual host, sorted.
    pub fn host_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.hosts.read().expect("hosts").keys().cloned().collect();
        names.sort();
        names
    }

    /// The test CA certificate, PEM.
    pub fn ca_pem(&self) -> &str {
        self.ca.pem()
    }

    /// Writes the CA certificate to `dir/fakeverse-ca.pem` (for `--ca-cert`) and returns the path.
    pub fn write_ca(&self, dir: &Path) -> PathBuf {
        let path = dir.join("fakeverse-ca.pem");
        std::fs::write(&path, self.ca.pem()).expect("write CA file");
        path
    }

    /// The `--resolve` value that sends `name` (https, port 443) to this server.
    pub fn resolve_value(&self, name: &str) -> String {
        format!("{}:443:{}", name.to_ascii_lowercase(), self.addr)
    }

    /// `--resolve` arguments for every current host (https), ready to append to a command line.
    pub fn resolve_args(&self) -> Vec<String> {
        self.host_names()
            .iter()
            .flat_map(|name| ["--resolve".to_string(), self.resolve_value(name)])
            .collect()
    }

    /// A plain-HTTP base URL for `name` through the literal address (loopback `http://` is
    /// what a user with a local test server would pass as `--instance`). The `Host` header
    /// then is `127.0.0.1:PORT`, so this only reaches the host registered as `127.0.0.1`.
    pub fn loopback_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Fakeverse {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}
