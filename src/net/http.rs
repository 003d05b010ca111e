//! [`Http`]: the configured client and the one way to send a request through it.
//!
//! Every request has a timeout, every body is read with a size cap, redirects are limited and
//! checked against the client's [`Reach`], and nothing is sent under `--offline`. Only reads
//! (GET, HEAD) follow redirects: a change is sent once, to the URL chosen, and a redirect in
//! answer to it is an error ([`NetError::RedirectedChange`]).

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder, StatusCode, Url, redirect};
use serde::de::DeserializeOwned;

use super::Options;
use super::error::{NetError, RedirectRefused};
use super::guard::{GuardedResolver, Reach, is_public};

/// How many redirects a request may follow.
pub const MAX_REDIRECTS: usize = 5;

/// A configured HTTP client. Cheap to clone (shares the connection pool).
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::Client,
    /// The same client without redirects, for requests that change something.
    changes: reqwest::Client,
    resolver: GuardedResolver,
    reach: Reach,
    timeout: Duration,
}

/// A complete answer: status, headers and the (size-capped) body.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The final URL, after redirects.
    pub url: Url,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Http {
    /// Builds a client from the user's options. Fails under `--offline` or when a CA file is
    /// unusable.
    pub fn new(options: &Options, reach: Reach) -> Result<Self, NetError> {
        Self::build(options, reach, Redirects::AnySite)
    }

    /// A client for requests that carry the user's credentials (a bearer token): any address
    /// may be reached (the user named it), but a redirect to another site is refused, so the
    /// token never travels to a server the user did not name, whatever the redirect chain.
    pub fn with_credentials(options: &Options) -> Result<Self, NetError> {
        Self::build(options, Reach::Any, Redirects::SameSite)
    }

    fn build(options: &Options, reach: Reach, redirects: Redirects) -> Result<Self, NetError> {
        if options.offline {
            return Err(NetError::Offline);
        }
        let resolver = GuardedResolver::new(&options.resolve, reach);
        let certs = options
            .ca_certs
            .iter()
            .map(|path| read_ca(path))
            .collect::<Result<Vec<_>, _>>()?;
        let policy = redirect_policy(reach, redirects, Arc::new(resolver.clone()));
        let client = build_client(options, &resolver, &certs, policy)?;
        let changes = build_client(options, &resolver, &certs, redirect::Policy::none())?;
        Ok(Self {
            client,
            changes,
            resolver,
            reach,
            timeout: options.timeout,
        })
    }

    /// Starts a request; send it with [`Http::send`].
    pub fn request(&self, method: Method, url: Url) -> RequestBuilder {
        self.client.request(method, url)
    }

    /// A GET with an `Accept` header.
    pub fn get(&self, url: Url, accept: &str) -> RequestBuilder {
        self.client.get(url).header(reqwest::header::ACCEPT, accept)
    }

    /// Sends a request and reads at most `limit` bytes of body.
    pub async fn send(&self, request: RequestBuilder, limit: usize) -> Result<Fetched, NetError> {
        let request = request.build().map_err(|err| NetError::BadUrl {
            url: "(request)".into(),
            reason: err.to_string(),
        })?;
        let host = host_of(request.url());
        self.check_target(request.url())?;
        let reads = matches!(*request.method(), Method::GET | Method::HEAD);
        let method = request.method().to_string();
        let client = if reads { &self.client } else { &self.changes };
        let response = client
            .execute(request)
            .await
            .map_err(|err| NetError::from_reqwest(&host, self.timeout, err))?;
        if !reads && response.status().is_redirection() {
            let to = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("another address");
            return Err(NetError::RedirectedChange {
                host,
                method,
                to: crate::sanitize::clean(to).chars().take(200).collect(),
            });
        }
        read_capped(response, limit, &host, self.timeout).await
    }

    /// Refuses IP-literal URLs that point at private addresses (names go through the resolver).
    fn check_target(&self, url: &Url) -> Result<(), NetError> {
        if self.reach == Reach::Any {
            return Ok(());
        }
        let host = host_of(url);
        if self.resolver.override_for(&host).is_some() {
            return Ok(());
        }
        match literal_ip(url) {
            Some(ip) if !is_public(ip) => Err(NetError::PrivateTarget { host }),
            _ => Ok(()),
        }
    }
}

impl Fetched {
    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, NetError> {
        serde_json::from_slice(&self.body).map_err(|err| NetError::Malformed {
            host: host_of(&self.url),
            what: "JSON",
            reason: err.to_string(),
        })
    }

    /// A header's value as text, if present and printable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The host that answered.
    pub fn host(&self) -> String {
        host_of(&self.url)
    }
}

/// The URL's host, lowercased (for messages and per-host bookkeeping).
pub fn host_of(url: &Url) -> String {
    url.host_str().unwrap_or("?").to_ascii_lowercase()
}

fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

/// Where redirects may lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Redirects {
    AnySite,
    /// Only to the scheme, host and port of the first request.
    SameSite,
}

fn redirect_policy(
    reach: Reach,
    redirects: Redirects,
    resolver: Arc<GuardedResolver>,
) -> redirect::Policy {
    redirect::Policy::custom(move |attempt| {
        let first = attempt.previous().first().cloned();
        let from = first.as_ref().map(host_of).unwrap_or_default();
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(RedirectRefused::TooMany(from));
        }
        let target = host_of(attempt.url());
        let leaves = first
            .as_ref()
            .is_some_and(|f| f.origin() != attempt.url().origin());
        if redirects == Redirects::SameSite && leaves {
            let url = attempt.url();
            let downgrade = first.as_ref().is_some_and(|f| {
                f.scheme() == "https" && url.scheme() == "http" && f.host() == url.host()
            });
            let to = url.to_string();
            if downgrade {
                return attempt.error(RedirectRefused::Downgrade { from, to });
            }
            return attempt.error(RedirectRefused::OtherSite { from, to: target });
        }
        let private_literal = literal_ip(attempt.url()).is_some_and(|ip| !is_public(ip));
        if reach == Reach::PublicOnly && private_literal && resolver.override_for(&target).is_none()
        {
            return attempt.error(RedirectRefused::Private(target));
        }
        attempt.follow()
    })
}

/// One reqwest client with the user's options and this redirect policy.
fn build_client(
    options: &Options,
    resolver: &GuardedResolver,
    certs: &[Vec<reqwest::Certificate>],
    policy: redirect::Policy,
) -> Result<reqwest::Client, NetError> {
    let mut builder = reqwest::Client::builder()
        .user_agent(options.user_agent.clone())
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .dns_resolver(Arc::new(resolver.clone()))
        .redirect(policy)
        .pool_max_idle_per_host(4);
    for cert in certs.iter().flatten() {
        builder = builder.add_root_certificate(cert.clone());
    }
    builder.build().map_err(|err| NetError::Other {
        host: "-".into(),
        reason: err.to_string(),
    })
}

/// Reads a PEM file of one or more certificates (a CA bundle is fine).
fn read_ca(path: &std::path::Path) -> Result<Vec<reqwest::Certificate>, NetError> {
    let fail = |reason: &str| NetError::CaCert {
        path: path.display().to_string(),
        reason: reason.to_string(),
    };
    let pem = std::fs::read(path).map_err(|err| fail(&err.to_string()))?;
    let not_pem = || fail("it holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
        return Err(not_pem());
    }
    match reqwest::Certificate::from_pem_bundle(&pem) {
        Ok(certs) if !certs.is_empty() => Ok(certs),
        _ => Err(not_pem()),
    }
}

async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
    host: &str,
    timeout: Duration,
) -> Result<Fetched, NetError> {
    let too_large = || NetError::TooLarge {
        host: host.to_string(),
        limit,
    };
    if response
        .content_length()
        .is_some_and(|len| len > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|err| NetError::from_reqwest(host, timeout, err))?
    {
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched {
        url: response.url().clone(),
        status: response.status(),
        headers: response.headers().clone(),
        body: Bytes::from(body),
    })
}
