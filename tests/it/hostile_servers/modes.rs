//! The hostile behaviours of the matrix, one row each: what the server does, and whether a
//! command must come through it (the server recovers) or may fail (with one sentence or a
//! per-item state).

use std::time::{Duration, SystemTime};

use fakeverse::wire::Wire;
use fakeverse::{Mode, Resp};

/// Five hours: a server clock far off, yet within the day a client may correct for.
const HOURS_OFF: i64 = 5 * 3600;

/// What the server does.
#[derive(Debug, Clone, Copy)]
pub enum Hostile {
    /// An HTTP-level misbehaviour, built for the world (redirect targets need its port).
    Http(fn(&Places) -> Mode),
    /// Three 5xx answers, then normal service.
    Burst,
    /// Two 429s without a reset header, then normal service, all from a clock this many
    /// seconds off (the 429s get a reset a second ahead on that clock).
    ClockOff(i64),
    /// A listener that fails below HTTP, in place of the host.
    Wire(Wire),
}

/// Whether a command must succeed despite the behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The server recovers: the command must finish as on a healthy server.
    Recover,
    /// The command may fail: one sentence, or a per-item state.
    Fail,
}

/// One row.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub name: &'static str,
    pub hostile: Hostile,
    pub expect: Expect,
}

/// Where redirects of a world may point.
#[derive(Debug, Clone)]
pub struct Places {
    /// The hostile host's own name (a redirect to it loops).
    pub hostile: String,
    /// The fake's listener port (`http://127.0.0.1:PORT` is loopback, served by the fake).
    pub port: u16,
}

fn fixed_429(headers: &[(&str, String)]) -> Mode {
    let mut resp = Resp::error(429, "Too many requests");
    for (name, value) in headers {
        resp = resp.header(name, value.clone());
    }
    Mode::Fixed(resp)
}

fn in_a_day() -> String {
    let at: chrono::DateTime<chrono::Utc> =
        (SystemTime::now() + Duration::from_secs(86_400)).into();
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

fn row(name: &'static str, hostile: Hostile, expect: Expect) -> Row {
    Row {
        name,
        hostile,
        expect,
    }
}

fn http(name: &'static str, mode: fn(&Places) -> Mode) -> Row {
    row(name, Hostile::Http(mode), Expect::Fail)
}

/// Every row; `whole_host` adds the ones that are a property of the whole host (a burst of
/// answers, its clock, its TLS), which commands meeting one hostile path only do not get.
pub fn rows(whole_host: bool) -> Vec<Row> {
    let mut rows = vec![
        http("hang", |_| Mode::Hang),
        http("close", |_| Mode::Close),
        http("reset", |_| Mode::Reset),
        http("500", |_| Mode::Status(500)),
        http("503", |_| Mode::Status(503)),
        http("401", |_| Mode::Status(401)),
        http("429-storm", |_| Mode::Status(429)),
        http("429-retry-after-day", |_| {
            fixed_429(&[("retry-after", "86400".into())])
        }),
        http("429-reset-in-a-day", |_| {
            fixed_429(&[
                ("x-ratelimit-limit", "300".into()),
                ("x-ratelimit-remaining", "0".into()),
                ("x-ratelimit-reset", in_a_day()),
            ])
        }),
        http("oversize", |_| Mode::Oversize(12 << 20)),
        http("endless-slow-body", |_| Mode::Trickle),
        http("invalid-json", |_| Mode::Malformed),
        http("html-content-type", |_| Mode::Html),
        http("truncated", |_| Mode::Truncated),
        http("redirect-loop", |p| {
            Mode::RedirectTo(format!("https://{}", p.hostile))
        }),
        http("redirect-private", |p| {
            Mode::RedirectTo(format!("http://127.0.0.1:{}", p.port))
        }),
        http("redirect-elsewhere", |_| {
            Mode::RedirectTo("https://evil.example".into())
        }),
    ];
    if whole_host {
        rows.extend([
            row("5xx-burst", Hostile::Burst, Expect::Recover),
            row(
                "clock-5h-ahead",
                Hostile::ClockOff(HOURS_OFF),
                Expect::Recover,
            ),
            row(
                "clock-5h-behind",
                Hostile::ClockOff(-HOURS_OFF),
                Expect::Recover,
            ),
            row("tls-reset", Hostile::Wire(Wire::Reset), Expect::Fail),
            row("tls-garbage", Hostile::Wire(Wire::Garbage), Expect::Fail),
            row(
                "tls-plain-http",
                Hostile::Wire(Wire::PlainHttp),
                Expect::Fail,
            ),
            row(
                "tls-wrong-name",
                Hostile::Wire(Wire::WrongName),
                Expect::Fail,
            ),
            row(
                "tls-self-signed",
                Hostile::Wire(Wire::SelfSigned),
                Expect::Fail,
            ),
            row("tls-expired", Hostile::Wire(Wire::Expired), Expect::Fail),
        ]);
    }
    rows
}
