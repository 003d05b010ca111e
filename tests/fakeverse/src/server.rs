//! The shared listener: one 127.0.0.1 port that speaks plain HTTP and HTTPS (told apart by the
//! first byte of the connection), routing each request to its virtual host by `Host`.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use crate::exchange::{Req, Resp};
use crate::host::{Host, Mode};

/// Request bodies above this size are refused (media uploads in tests stay far below).
const MAX_BODY: usize = 64 * 1024 * 1024;

pub(crate) type Hosts = Arc<RwLock<HashMap<String, Arc<Host>>>>;

/// Requests in progress across every host, and the most ever at once.
#[derive(Debug, Default)]
pub(crate) struct Gauge {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Gauge {
    fn enter(self: &Arc<Self>) -> GaugeGuard {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        GaugeGuard(self.clone())
    }

    pub(crate) fn max(&self) -> usize {
        self.max.load(Ordering::SeqCst)
    }

    pub(crate) fn reset(&self) {
        self.max
            .store(self.now.load(Ordering::SeqCst), Ordering::SeqCst);
    }
}

struct GaugeGuard(Arc<Gauge>);

impl Drop for GaugeGuard {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Accepts connections forever.
pub(crate) async fn serve(
    listener: TcpListener,
    hosts: Hosts,
    tls: TlsAcceptor,
    gauge: Arc<Gauge>,
) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let hosts = hosts.clone();
        let tls = tls.clone();
        let gauge = gauge.clone();
        tokio::spawn(async move { connection(stream, hosts, tls, gauge).await });
    }
}

async fn connection(stream: TcpStream, hosts: Hosts, tls: TlsAcceptor, gauge: Arc<Gauge>) {
    let mut first = [0u8; 1];
    if stream.peek(&mut first).await.unwrap_or(0) == 0 {
        return;
    }
    if first[0] == 0x16 {
        let Ok(stream) = tls.accept(stream).await else {
            return;
        };
        http(TokioIo::new(stream), hosts, true, gauge).await;
    } else {
        http(TokioIo::new(stream), hosts, false, gauge).await;
    }
}

async fn http<I>(io: I, hosts: Hosts, tls: bool, gauge: Arc<Gauge>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |request| {
        let hosts = hosts.clone();
        let gauge = gauge.clone();
        async move {
            let _in_flight = gauge.enter();
            let resp = handle(request, hosts, tls).await;
            if resp.status == 0 {
                // `Resp::unanswered`: an error from the service makes hyper drop the
                // connection unanswered.
                return Err(std::io::Error::other(
                    "fakeverse: closing without an answer",
                ));
            }
            Ok::<_, std::io::Error>(into_response(resp))
        }
    });
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service)
        .await;
}

async fn handle(request: hyper::Request<Incoming>, hosts: Hosts, tls: bool) -> Resp {
    let req = match into_req(request, tls).await {
        Ok(req) => req,
        Err(resp) => return resp,
    };
    let host = hosts.read().expect("hosts").get(&req.host).cloned();
    let Some(host) = host else {
        return Resp::error(421, "fakeverse: unknown virtual host");
    };
    let _guard = host.enter();
    host.record(&req);
    let latency = host.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    apply_mode(&host, &req).await
}

async fn apply_mode(host: &Host, req: &Req) -> Resp {
    match host.mode() {
        Mode::Normal => host.answer(req),
        Mode::Hang => std::future::pending().await,
        Mode::Close => Resp::unanswered(),
        Mode::CloseAfterCommit => {
            host.answer(req);
            Resp::unanswered()
        }
        Mode::Status(status) => Resp::json(status, &serde_json::json!({})),
        Mode::Oversize(size) => Resp::bytes(200, "application/json", vec![b' '; size]),
        Mode::Malformed => Resp::bytes(200, "application/json", b"{\"subject\": \"acct:".to_vec()),
        Mode::RedirectTo(prefix) => {
            let query = if req.query.is_empty() {
                String::new()
            } else {
                format!("?{}", req.query)
            };
            Resp::status(302).header("location", format!("{prefix}{}{query}", req.path))
        }
    }
}

async fn into_req(request: hyper::Request<Incoming>, tls: bool) -> Result<Req, Resp> {
    let (parts, body) = request.into_parts();
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| Resp::error(413, "body too large"))?
        .to_bytes();
    let mut headers = BTreeMap::new();
    for (name, value) in &parts.headers {
        let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
        headers
            .entry(name.as_str().to_string())
            .and_modify(|v: &mut String| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert(value);
    }
    let host = headers
        .get("host")
        .map(|h| strip_port(h).to_ascii_lowercase())
        .unwrap_or_default();
    Ok(Req {
        host,
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().unwrap_or("").to_string(),
        headers,
        body,
        tls,
    })
}

fn strip_port(host: &str) -> &str {
    if host.starts_with('[') {
        return host.split(']').next().map(|h| &h[1..]).unwrap_or(host);
    }
    host.rsplit_once(':').map(|(h, _)| h).unwrap_or(host)
}

fn into_response(resp: Resp) -> hyper::Response<Full<Bytes>> {
    let mut builder = hyper::Response::builder().status(resp.status.max(100));
    for (name, value) in &resp.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|_| hyper::Response::new(Full::new(Bytes::new())))
}
