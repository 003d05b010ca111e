//! The test certificate authority: one CA per fake world, and a leaf certificate minted on
//! demand for whatever name the client asks for (SNI), so any virtual host gets valid HTTPS.
//!
//! Clients trust the CA through fedimigrate's real `--ca-cert FILE` option.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use rustls::pki_types::CertificateDer;
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

/// The CA and a cache of leaf certificates per server name.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    ca_pem: String,
    ca_der: CertificateDer<'static>,
    leaves: Mutex<HashMap<String, Arc<CertifiedKey>>>,
}

impl std::fmt::Debug for TestCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TestCa")
    }
}

impl TestCa {
    /// A fresh CA ("fakeverse test CA").
    pub fn new() -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params
            .distinguished_name
            .push(DnType::CommonName, "fakeverse test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().expect("CA key");
        let cert = params.self_signed(&key).expect("CA certificate");
        Self {
            ca_pem: cert.pem(),
            ca_der: cert.der().clone(),
            issuer: Issuer::new(params, key),
            leaves: Mutex::new(HashMap::new()),
        }
    }

    /// The CA certificate, PEM-encoded (what `--ca-cert` reads).
    pub fn pem(&self) -> &str {
        &self.ca_pem
    }

    /// The CA certificate, DER-encoded.
    pub fn der(&self) -> &CertificateDer<'static> {
        &self.ca_der
    }

    /// The leaf certificate for `name`, minted on first use.
    pub fn leaf(&self, name: &str) -> Arc<CertifiedKey> {
        let mut leaves = self.leaves.lock().expect("leaf cache");
        if let Some(found) = leaves.get(name) {
            return found.clone();
        }
        let leaf = Arc::new(self.mint(name));
        leaves.insert(name.to_string(), leaf.clone());
        leaf
    }

    /// A leaf for `name` that expired in 2020 (not cached).
    pub fn mint_expired(&self, name: &str) -> CertifiedKey {
        self.mint_with(name, crate::wire::expired_params)
    }

    fn mint(&self, name: &str) -> CertifiedKey {
        self.mint_with(name, |_| {})
    }

    fn mint_with(&self, name: &str, edit: impl FnOnce(&mut CertificateParams)) -> CertifiedKey {
        let mut params = CertificateParams::new(vec![name.to_string()]).expect("leaf params");
        params.distinguished_name.push(DnType::CommonName, name);
        edit(&mut params);
        let key = KeyPair::generate().expect("leaf key");
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("leaf certificate");
        crate::wire::certified(cert.der().clone(), &key, Some(&self.ca_der))
    }
}

impl Default for TestCa {
    fn default() -> Self {
        Self::new()
    }
}

/// Picks the leaf by SNI; connections without SNI (IP literals) get a `127.0.0.1` certificate.
#[derive(Debug)]
pub struct SniResolver(pub Arc<TestCa>);

impl ResolvesServerCert for SniResolver {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let name = hello.server_name().unwrap_or("127.0.0.1");
        Some(self.0.leaf(name))
    }
}

/// The rustls server configuration for the shared listener.
pub fn server_config(ca: Arc<TestCa>) -> Arc<rustls::ServerConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_cert_resolver(Arc::new(SniResolver(ca)));
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Arc::new(config)
}
