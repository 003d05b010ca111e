//! Listeners that fail below HTTP, for the TLS and connection cases of the hostile-server tests:
//! a connection reset at once, a TLS handshake answered with garbage or with plain HTTP (a
//! server speaking http on the https port), and certificates a client must not trust (another
//! name, self-signed, expired). A client reaches one through `--resolve NAME:443:ADDR`.
//!
//! Should a client accept a certificate it must not, the listener reads the request, counts it
//! and answers `{}`, so tests can check on the server's side that nothing (no token) was sent.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rcgen::{CertificateParams, DnType, KeyPair, date_time_ymd};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::tls::TestCa;

/// How the listener fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// Reads what the client sends first, then resets the connection (RST).
    Reset,
    /// Answers the TLS handshake with bytes that are no TLS record.
    Garbage,
    /// Answers the TLS handshake as a plain-HTTP server does (nginx's 400 page).
    PlainHttp,
    /// A certificate from the test CA for another name.
    WrongName,
    /// A self-signed certificate for the right name.
    SelfSigned,
    /// A certificate from the test CA for the right name that expired in 2020.
    Expired,
}

/// A running listener; it stops with the [`crate::Fakeverse`] that started it.
#[derive(Debug, Clone)]
pub struct WireListener {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl WireListener {
    pub(crate) fn start(
        runtime: &tokio::runtime::Handle,
        ca: &TestCa,
        wire: Wire,
        name: &str,
    ) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local addr");
        let me = Self {
            addr,
            connections: Arc::new(AtomicUsize::new(0)),
            requests: Arc::new(AtomicUsize::new(0)),
        };
        let tls = certificate(ca, wire, name).map(|key| {
            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let mut config = rustls::ServerConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .expect("TLS versions")
                .with_no_client_auth()
                .with_cert_resolver(Arc::new(Fixed(key)));
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            tokio_rustls::TlsAcceptor::from(Arc::new(config))
        });
        let served = me.clone();
        runtime.spawn(async move {
            let listener = TcpListener::from_std(listener).expect("tokio listener");
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                served.connections.fetch_add(1, Ordering::SeqCst);
                let served = served.clone();
                let tls = tls.clone();
                tokio::spawn(async move { served.serve(stream, wire, tls).await });
            }
        });
        me
    }

    /// The listener's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `--resolve` value that sends `name` (https, port 443) here.
    pub fn resolve_value(&self, name: &str) -> String {
        format!("{}:443:{}", name.to_ascii_lowercase(), self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// HTTP requests received over a completed TLS handshake: a client that trusted a
    /// certificate it should not have.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    async fn serve(
        &self,
        mut stream: TcpStream,
        wire: Wire,
        tls: Option<tokio_rustls::TlsAcceptor>,
    ) {
        let mut first = [0u8; 1024];
        match (wire, tls) {
            (Wire::Reset, _) => {
                let _ = stream.read(&mut first).await;
                // A zero linger sends a reset on close (and never blocks).
                let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
            }
            (Wire::Garbage, _) => {
                let _ = stream.read(&mut first).await;
                let garbage: Vec<u8> = (0..512u32).map(|i| (i * 37 % 251) as u8 | 0x80).collect();
                let _ = stream.write_all(&garbage).await;
            }
            (Wire::PlainHttp, _) => {
                let _ = stream.read(&mut first).await;
                let page = "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n\
                            Content-Length: 48\r\nConnection: close\r\n\r\n\
                            The plain HTTP request was sent to HTTPS port\r\n\r\n";
                let _ = stream.write_all(page.as_bytes()).await;
            }
            (_, Some(tls)) => {
                let Ok(mut stream) = tls.accept(stream).await else {
                    return;
                };
                if stream.read(&mut first).await.unwrap_or(0) > 0 {
                    self.requests.fetch_add(1, Ordering::SeqCst);
                    let answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                                  Content-Length: 2\r\nConnection: close\r\n\r\n{}";
                    let _ = stream.write_all(answer.as_bytes()).await;
                }
            }
            (_, None) => {}
        }
    }
}

/// The certificate a TLS case presents (none for the cases that never reach TLS).
fn certificate(ca: &TestCa, wire: Wire, name: &str) -> Option<Arc<CertifiedKey>> {
    match wire {
        Wire::Reset | Wire::Garbage | Wire::PlainHttp => None,
        Wire::WrongName => Some(ca.leaf("wrong-name.example")),
        Wire::SelfSigned => Some(Arc::new(self_signed(name))),
        Wire::Expired => Some(Arc::new(ca.mint_expired(name))),
    }
}

fn self_signed(name: &str) -> CertifiedKey {
    let mut params = CertificateParams::new(vec![name.to_string()]).expect("leaf params");
    params.distinguished_name.push(DnType::CommonName, name);
    let key = KeyPair::generate().expect("key");
    let cert = params.self_signed(&key).expect("self-signed certificate");
    certified(cert.der().clone(), &key, None)
}

/// A certified key for rustls from a leaf, its key and the CA (if any) to send along.
pub(crate) fn certified(
    leaf: rustls::pki_types::CertificateDer<'static>,
    key: &KeyPair,
    ca: Option<&rustls::pki_types::CertificateDer<'static>>,
) -> CertifiedKey {
    let key_der = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let signing = rustls::crypto::ring::sign::any_supported_type(&key_der).expect("signing key");
    let mut chain = vec![leaf];
    chain.extend(ca.cloned());
    CertifiedKey::new(chain, signing)
}

/// The validity of [`Wire::Expired`]'s certificate: all of 2019.
pub(crate) fn expired_params(params: &mut CertificateParams) {
    params.not_before = date_time_ymd(2019, 1, 1);
    params.not_after = date_time_ymd(2020, 1, 1);
}

/// One certificate whatever the client asks for.
#[derive(Debug)]
struct Fixed(Arc<CertifiedKey>);

impl ResolvesServerCert for Fixed {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.0.clone())
    }
}
