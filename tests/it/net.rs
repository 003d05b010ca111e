//! The HTTP client against the fake fediverse: TLS with a user CA, `--resolve`, timeouts,
//! body caps, redirects and the private-address guard.

use std::time::Duration;

use fakeverse::{Fakeverse, Mode, Resp};
use fedimigrate::net::{Http, NetError, Options, Reach};

fn options(fv: &Fakeverse, dir: &std::path::Path, hosts: &[&str]) -> Options {
    Options {
        ca_certs: vec![fv.write_ca(dir)],
        resolve: hosts
            .iter()
            .map(|h| fv.resolve_value(h).parse().unwrap())
            .collect(),
        timeout: Duration::from_secs(2),
        ..Options::default()
    }
}

fn url(text: &str) -> reqwest::Url {
    text.parse().unwrap()
}

async fn get(http: &Http, target: &str) -> Result<fedimigrate::net::Fetched, NetError> {
    http.send(http.get(url(target), "application/json"), 1 << 20)
        .await
}

#[tokio::test]
async fn https_to_a_virtual_host_through_resolve_and_ca_cert() {
    let fv = Fakeverse::start();
    fv.host("social.example").mount(|req| {
        (req.path == "/hello").then(|| Resp::json(200, &serde_json::json!({"hi": req.host})))
    });
    let dir = tempfile::tempdir().unwrap();
    let http = Http::new(
        &options(&fv, dir.path(), &["social.example"]),
        Reach::PublicOnly,
    )
    .unwrap();
    let got = get(&http, "https://social.example/hello").await.unwrap();
    assert_eq!(got.status, 200);
    let body: serde_json::Value = got.json().unwrap();
    assert_eq!(body["hi"], "social.example");
}

#[tokio::test]
async fn without_the_ca_the_certificate_is_refused() {
    let fv = Fakeverse::start();
    fv.host("social.example");
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(&fv, dir.path(), &["social.example"]);
    opts.ca_certs.clear();
    let http = Http::new(&opts, Reach::PublicOnly).unwrap();
    let err = get(&http, "https://social.example/").await.unwrap_err();
    assert!(matches!(err, NetError::Tls { .. }), "{err:?}");
}

#[tokio::test]
async fn a_hanging_host_times_out() {
    let fv = Fakeverse::start();
    fv.host("dead.example").set_mode(Mode::Hang);
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options(&fv, dir.path(), &["dead.example"]);
    opts.timeout = Duration::from_millis(300);
    let http = Http::new(&opts, Reach::PublicOnly).unwrap();
    let err = get(&http, "https://dead.example/").await.unwrap_err();
    assert!(err.is_timeout() && err.is_unreachable(), "{err:?}");
    assert_eq!(
        err.to_string(),
        "dead.example did not answer within 0.3 seconds"
    );
}

#[tokio::test]
async fn oversize_bodies_are_cut_off() {
    let fv = Fakeverse::start();
    fv.host("big.example").set_mode(Mode::Oversize(3 << 20));
    let dir = tempfile::tempdir().unwrap();
    let http = Http::new(
        &options(&fv, dir.path(), &["big.example"]),
        Reach::PublicOnly,
    )
    .unwrap();
    let err = get(&http, "https://big.example/").await.unwrap_err();
    assert!(matches!(err, NetError::TooLarge { .. }), "{err:?}");
}

#[tokio::test]
async fn redirect_loops_stop() {
    let fv = Fakeverse::start();
    fv.host("loop.example")
        .set_mode(Mode::RedirectTo("https://loop.example/again".into()));
    let dir = tempfile::tempdir().unwrap();
    let http = Http::new(
        &options(&fv, dir.path(), &["loop.example"]),
        Reach::PublicOnly,
    )
    .unwrap();
    let err = get(&http, "https://loop.example/").await.unwrap_err();
    assert!(matches!(err, NetError::TooManyRedirects { .. }), "{err:?}");
    assert_eq!(
        fv.host("loop.example").request_count(),
        fedimigrate::net::MAX_REDIRECTS + 1
    );
}

#[tokio::test]
async fn public_only_never_connects_to_private_addresses() {
    let fv = Fakeverse::start();
    fv.host("evil.example")
        .set_mode(Mode::RedirectTo("http://127.0.0.1:9/metadata".into()));
    let dir = tempfile::tempdir().unwrap();
    let http = Http::new(
        &options(&fv, dir.path(), &["evil.example"]),
        Reach::PublicOnly,
    )
    .unwrap();

    let err = get(&http, "https://evil.example/").await.unwrap_err();
    assert!(matches!(err, NetError::PrivateTarget { .. }), "{err:?}");

    let err = get(&http, &format!("http://{}/", fv.addr()))
        .await
        .unwrap_err();
    assert!(matches!(err, NetError::PrivateTarget { .. }), "{err:?}");

    let err = get(&http, "http://localhost:9/").await.unwrap_err();
    assert!(matches!(err, NetError::Blocked(_)), "{err:?}");
}

#[tokio::test]
async fn reach_any_allows_the_users_own_loopback_server() {
    let fv = Fakeverse::start();
    fv.host("127.0.0.1")
        .mount(|_| Some(Resp::json(200, &serde_json::json!({"ok": true}))));
    let http = Http::new(&Options::default(), Reach::Any).unwrap();
    let got = get(&http, &format!("{}/x", fv.loopback_url()))
        .await
        .unwrap();
    assert_eq!(got.status, 200);
}

#[test]
fn offline_builds_no_client() {
    let opts = Options {
        offline: true,
        ..Options::default()
    };
    assert!(matches!(
        Http::new(&opts, Reach::Any),
        Err(NetError::Offline)
    ));
}

#[test]
fn a_bad_ca_file_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ca.pem");
    std::fs::write(&path, "not a certificate").unwrap();
    let opts = Options {
        ca_certs: vec![path],
        ..Options::default()
    };
    let err = Http::new(&opts, Reach::Any).unwrap_err();
    assert!(err.to_string().contains("ca.pem"), "{err}");
}

/// A TCP server on 127.0.0.1 that answers every connection with plain-text garbage.
fn garbage_server() -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 512];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\nthis is not TLS at all\n");
        }
    });
    addr
}

#[tokio::test]
async fn a_handshake_answered_with_garbage_is_not_called_a_certificate_problem() {
    let addr = garbage_server();
    let opts = Options {
        resolve: vec![format!("odd.example:443:{addr}").parse().unwrap()],
        timeout: Duration::from_secs(2),
        ..Options::default()
    };
    let http = Http::new(&opts, Reach::PublicOnly).unwrap();
    let err = get(&http, "https://odd.example/").await.unwrap_err();
    assert!(matches!(err, NetError::Handshake { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("the secure connection to odd.example failed") && !text.contains("certif"),
        "{text}"
    );
}

#[tokio::test]
async fn an_https_to_http_redirect_on_the_same_host_is_called_a_downgrade() {
    let fv = Fakeverse::start();
    fv.host("social.example")
        .set_mode(Mode::RedirectTo("http://social.example/api".into()));
    let dir = tempfile::tempdir().unwrap();
    let http = Http::with_credentials(&options(&fv, dir.path(), &["social.example"])).unwrap();
    let err = get(&http, "https://social.example/").await.unwrap_err();
    assert!(matches!(err, NetError::Downgrade { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("from https to plain http") && !text.contains("another site"),
        "{text}"
    );
    fv.host("social.example")
        .set_mode(Mode::RedirectTo("https://elsewhere.example/".into()));
    let err = get(&http, "https://social.example/").await.unwrap_err();
    assert!(matches!(err, NetError::RedirectElsewhere { .. }), "{err:?}");
}

#[tokio::test]
async fn a_change_answered_with_a_redirect_is_not_followed() {
    let fv = Fakeverse::start();
    // A 302 turns a POST into a GET; a 307 would resend it: neither may happen to a change.
    fv.host("social.example").set_path_mode(
        "POST",
        "/api/v1/accounts/",
        Mode::RedirectTo("https://social.example/moved".into()),
    );
    fv.host("social.example").mount(|req| {
        Some(match req.path.as_str() {
            "/old" => Resp::status(302).header("location", "/api/v1/accounts/1"),
            _ => Resp::json(404, &serde_json::json!({"error": "Record not found"})),
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let http = Http::with_credentials(&options(&fv, dir.path(), &["social.example"])).unwrap();
    let post = http.request(
        reqwest::Method::POST,
        url("https://social.example/api/v1/accounts/1/follow"),
    );
    let err = http.send(post, 1 << 20).await.unwrap_err();
    assert!(matches!(err, NetError::RedirectedChange { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "social.example answered a change (POST) with a redirect to \
         https://social.example/moved/api/v1/accounts/1/follow instead of carrying it out; \
         check the instance's address"
    );
    let asked: Vec<String> = fv
        .host("social.example")
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        asked,
        ["POST /api/v1/accounts/1/follow"],
        "nothing followed the redirect"
    );
    // Reads still follow redirects.
    let got = get(&http, "https://social.example/old").await.unwrap();
    assert_eq!(got.url.path(), "/api/v1/accounts/1");
}
