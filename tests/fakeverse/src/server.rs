//! The shared listener: one 127.0.0.1 port that speaks plain HTTP and HTTPS (told apart by the
//! first byte of the connection), routing each request to its virtual host by `Host`. An answer
//! goes on the wire whole, or in one of the broken shapes the host's [`Mode`] asks for: a body
//! that trickles forever, a body cut short of its `Content-Length`, a reset connection.

use std::collections::{BTreeMap, HashMap};
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use http_body_util::{BodyExt, Limited};
use hyper::body::Frame;
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
    let fd = stream.as_raw_fd();
    if first[0] == 0x16 {
        let Ok(stream) = tls.accept(stream).await else {
            return;
        };
        http(TokioIo::new(stream), fd, hosts, true, gauge).await;
    } else {
        http(TokioIo::new(stream), fd, hosts, false, gauge).await;
    }
}

/// How an answer goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Whole,
    /// A byte a second, forever.
    Trickle,
    /// The first this many bytes of the body, then the connection breaks.
    CutAfter(usize),
    /// No answer: the connection is reset (RST).
    Reset,
}

/// An answer and its shape on the wire.
struct Reply {
    resp: Resp,
    shape: Shape,
}

impl From<Resp> for Reply {
    fn from(resp: Resp) -> Self {
        Self {
            resp,
            shape: Shape::Whole,
        }
    }
}

/// `fd` is the connection's socket (under TLS too), kept to reset it.
async fn http<I>(io: I, fd: RawFd, hosts: Hosts, tls: bool, gauge: Arc<Gauge>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let service = service_fn(move |request| {
        let hosts = hosts.clone();
        let gauge = gauge.clone();
        async move {
            let _in_flight = gauge.enter();
            let reply = handle(request, hosts, tls).await;
            if reply.shape == Shape::Reset {
                reset_on_close(fd);
            }
            if reply.resp.status == 0 || reply.shape == Shape::Reset {
                // `Resp::unanswered`: an error from the service makes hyper drop the
                // connection unanswered.
                return Err(std::io::Error::other(
                    "fakeverse: closing without an answer",
                ));
            }
            Ok::<_, std::io::Error>(into_response(reply))
        }
    });
    let _ = http1::Builder::new()
        .keep_alive(true)
        .serve_connection(io, service)
        .await;
}

/// Makes the socket's close send a reset (SO_LINGER 0) instead of an orderly shutdown.
fn reset_on_close(fd: RawFd) {
    // SAFETY: `fd` belongs to the connection whose request is being served, so it stays open
    // for as long as this service call runs; it is only borrowed to set an option.
    let socket = unsafe { BorrowedFd::borrow_raw(fd) };
    let _ = socket2::SockRef::from(&socket).set_linger(Some(Duration::ZERO));
}

async fn handle(request: hyper::Request<Incoming>, hosts: Hosts, tls: bool) -> Reply {
    let req = match into_req(request, tls).await {
        Ok(req) => req,
        Err(resp) => return resp.into(),
    };
    let host = hosts.read().expect("hosts").get(&req.host).cloned();
    let Some(host) = host else {
        return Resp::error(421, "fakeverse: unknown virtual host").into();
    };
    let _guard = host.enter();
    host.record(&req);
    let latency = host.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    apply_mode(&host, &req).await
}

async fn apply_mode(host: &Host, req: &Req) -> Reply {
    let resp = match host.mode_for(&req.method, &req.path) {
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
        Mode::Fixed(resp) => resp,
        Mode::Reset => return shaped(Resp::unanswered(), Shape::Reset),
        Mode::Trickle => {
            let resp = Resp::bytes(200, "application/json", Vec::new());
            return shaped(resp, Shape::Trickle);
        }
        Mode::Truncated => return truncated(host.answer(req)),
        Mode::Html => as_html(host.answer(req)),
        Mode::ClockOff(offset) => clock_off(host.answer(req), offset, SystemTime::now()),
    };
    resp.into()
}

fn shaped(resp: Resp, shape: Shape) -> Reply {
    Reply { resp, shape }
}

/// The answer with its full `Content-Length` and half its body (at least one byte short).
fn truncated(mut resp: Resp) -> Reply {
    if resp.status == 0 {
        return resp.into();
    }
    if resp.body.is_empty() {
        resp.body = b"{\"error\": \"cut\"}".to_vec();
    }
    let full = resp.body.len();
    resp.set_header("content-length", full.to_string());
    shaped(resp, Shape::CutAfter(full / 2))
}

/// The same status as an HTML page.
fn as_html(resp: Resp) -> Resp {
    if resp.status == 0 {
        return resp;
    }
    let mut page = Resp::bytes(
        resp.status,
        "text/html; charset=utf-8",
        b"<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>Please sign in to continue.</p></body></html>".to_vec(),
    );
    for (name, value) in resp.headers {
        if name != "content-type" {
            page.headers.push((name, value));
        }
    }
    page
}

/// The answer as a server whose clock is `offset` seconds off would send it at `now`.
fn clock_off(mut resp: Resp, offset: i64, now: SystemTime) -> Resp {
    if resp.status == 0 {
        return resp;
    }
    let server_now = shift(now, offset);
    let reset = resp
        .headers
        .iter()
        .find(|(name, _)| name == "x-ratelimit-reset")
        .map(|(_, value)| value.clone());
    match reset.and_then(|r| reset_time(&r)) {
        Some(at) => resp.set_header("x-ratelimit-reset", iso(shift(at, offset))),
        None if resp.status == 429 => {
            resp.set_header("x-ratelimit-limit", "300");
            resp.set_header("x-ratelimit-remaining", "0");
            resp.set_header(
                "x-ratelimit-reset",
                iso(server_now + Duration::from_secs(1)),
            );
        }
        None => {}
    }
    let date: DateTime<Utc> = server_now.into();
    resp.set_header("date", date.format("%a, %d %b %Y %H:%M:%S GMT").to_string());
    resp
}

fn shift(at: SystemTime, secs: i64) -> SystemTime {
    let by = Duration::from_secs(secs.unsigned_abs());
    if secs < 0 { at - by } else { at + by }
}

/// A reset as Mastodon (RFC 3339) or GoToSocial (epoch seconds) writes it.
fn reset_time(text: &str) -> Option<SystemTime> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc).into());
    }
    let secs: u64 = text.trim().parse().ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

fn iso(at: SystemTime) -> String {
    let at: DateTime<Utc> = at.into();
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
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

fn into_response(reply: Reply) -> hyper::Response<WireBody> {
    let Reply { resp, shape } = reply;
    let mut builder = hyper::Response::builder().status(resp.status.max(100));
    for (name, value) in &resp.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let body = match shape {
        Shape::Whole | Shape::Reset => WireBody::Whole(Some(Bytes::from(resp.body))),
        Shape::Trickle => WireBody::Trickle {
            sleep: Box::pin(tokio::time::sleep(Duration::ZERO)),
            started: false,
        },
        Shape::CutAfter(n) => {
            let mut body = resp.body;
            body.truncate(n);
            WireBody::Cut(Some(Bytes::from(body)))
        }
    };
    builder
        .body(body)
        .unwrap_or_else(|_| hyper::Response::new(WireBody::Whole(None)))
}

/// A response body in one of the wire shapes.
enum WireBody {
    Whole(Option<Bytes>),
    /// One space a second after an opening `[`, forever.
    Trickle {
        sleep: Pin<Box<tokio::time::Sleep>>,
        started: bool,
    },
    /// These bytes, then an error (hyper breaks the connection).
    Cut(Option<Bytes>),
}

impl hyper::body::Body for WireBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            WireBody::Whole(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            WireBody::Trickle { sleep, started } => {
                if sleep.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                let next = tokio::time::Instant::now() + Duration::from_secs(1);
                sleep.as_mut().reset(next);
                let byte: &'static [u8] = if *started { b" " } else { b"[" };
                *started = true;
                Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(byte)))))
            }
            WireBody::Cut(bytes) => Poll::Ready(Some(match bytes.take() {
                Some(b) => Ok(Frame::data(b)),
                None => Err(std::io::Error::other("fakeverse: answer cut short")),
            })),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, WireBody::Whole(None))
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            WireBody::Whole(bytes) => {
                hyper::body::SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            _ => hyper::body::SizeHint::default(),
        }
    }
}
