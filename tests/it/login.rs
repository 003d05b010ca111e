//! `login`, `logout`, `whoami` and `instance` as a user runs them: the real binary against the fake
//! instance over HTTPS (through `--resolve` and `--ca-cert`) or loopback http, with a
//! temporary config directory. Every test also checks that no token, client secret or
//! authorisation code appears in anything the binary printed.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use fakeverse::Fakeverse;
use fakeverse::mastodon::{FakeMastodon, Flavour, oauth_code};
use fedimigrate::net::{Http, Options, Reach};

use crate::util::{command, stderr, stdout};

/// A user's machine (a temporary home) and a fake instance.
struct Machine {
    fv: Fakeverse,
    fake: FakeMastodon,
    name: String,
    home: tempfile::TempDir,
    ca: PathBuf,
    outputs: Vec<Output>,
}

impl Machine {
    /// `mastodon.example` with a user `alice`, logged in "in the browser".
    fn new() -> Self {
        Self::named("mastodon.example")
    }

    fn named(name: &str) -> Self {
        Self::serving(name, Flavour::Mastodon)
    }

    fn serving(name: &str, flavour: Flavour) -> Self {
        let fv = Fakeverse::start();
        let fake = FakeMastodon::mount(&fv, name, flavour);
        fake.add_user("alice");
        fake.set_browser_user("alice");
        let home = tempfile::tempdir().unwrap();
        let ca = fv.write_ca(home.path());
        Self {
            fv,
            fake,
            name: name.into(),
            home,
            ca,
            outputs: Vec::new(),
        }
    }

    /// Runs the binary with the network flags that reach the fake, feeding `stdin`.
    fn run(&mut self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = command(self.home.path());
        cmd.args(args)
            .arg("--ca-cert")
            .arg(&self.ca)
            .args(["--resolve", &self.fv.resolve_value(&self.name)])
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let output = child.wait_with_output().unwrap();
        self.outputs.push(output.clone());
        output
    }

    fn config(&self) -> PathBuf {
        self.home.path().join("config")
    }

    fn credentials(&self) -> serde_json::Value {
        let text = std::fs::read_to_string(self.config().join("credentials.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn file(&self, name: &str, text: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    /// Follows the printed authorisation URL the way a browser would and reads the code.
    async fn approve(&self, url: &str) -> String {
        let options = Options {
            ca_certs: vec![self.ca.clone()],
            resolve: vec![self.fv.resolve_value(&self.name).parse().unwrap()],
            ..Options::default()
        };
        let http = Http::new(&options, Reach::Any).unwrap();
        let page = http
            .send(http.get(url.parse().unwrap(), "text/html"), 1 << 20)
            .await
            .unwrap();
        assert_eq!(page.status, 200);
        oauth_code(&String::from_utf8_lossy(&page.body)).expect("a code on the page")
    }

    /// The whole two-step login; returns the stored token.
    async fn log_in(&mut self) -> String {
        let out = self.run(&["login", &self.name.clone(), "--print-url"], None);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let code = self.approve(stdout(&out).trim()).await;
        let out = self.run(&["login", "--code-file", "-"], Some(&format!("{code}\n")));
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        self.credentials()["users"]["alice@mastodon.example"]["access_token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// No secret the instance ever issued appears in any output.
    fn assert_no_secrets(&self) {
        let state = self.fake.state();
        let mut secrets: Vec<String> = state.tokens.iter().map(|t| t.token.clone()).collect();
        secrets.extend(state.apps.iter().map(|a| a.client_secret.clone()));
        secrets.extend(state.codes.iter().map(|c| c.code.clone()));
        for output in &self.outputs {
            let text = format!("{}{}", stdout(output), stderr(output));
            for secret in &secrets {
                assert!(
                    !text.contains(secret.as_str()),
                    "a secret was printed: {text}"
                );
            }
        }
    }
}

impl Drop for Machine {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            self.assert_no_secrets();
        }
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn print_url_then_code_file_logs_in_over_https() {
    let mut m = Machine::new();
    let out = m.run(&["login", "mastodon.example", "--print-url"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let url: url::Url = stdout(&out).trim().parse().unwrap();
    assert_eq!(url.path(), "/oauth/authorize");
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(query["response_type"], "code");
    assert_eq!(query["redirect_uri"], "urn:ietf:wg:oauth:2.0:oob");
    assert_eq!(query["scope"], fedimigrate::fedi::oauth::SCOPES);
    assert!(stderr(&out).contains("--code-file"), "{}", stderr(&out));
    assert_eq!(m.credentials()["pending_login"], "mastodon.example");

    let code = m.approve(url.as_str()).await;
    let code_file = m.file("code.txt", &format!("{code}\n"));
    let out = m.run(&["login", "--code-file", &code_file], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Logged in as alice@mastodon.example"),
        "{}",
        stderr(&out)
    );

    let creds = m.credentials();
    let token = creds["users"]["alice@mastodon.example"]["access_token"]
        .as_str()
        .unwrap();
    assert!(
        m.fake.state().token(token).is_some(),
        "the stored token is the issued one"
    );
    assert_eq!(creds["active_user"], "alice@mastodon.example");
    assert!(creds.get("pending_login").is_none());
    assert_eq!(mode(&m.config().join("credentials.json")), 0o600);
    assert_eq!(mode(&m.config()), 0o700);

    let out = m.run(&["whoami"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "* alice@mastodon.example  (https://mastodon.example)\n"
    );
}

#[tokio::test]
async fn the_app_is_registered_once_per_instance() {
    let mut m = Machine::new();
    m.log_in().await;
    m.run(&["login", "mastodon.example", "--print-url"], None);
    assert_eq!(m.fake.state().apps.len(), 1);
    let scopes = &m.fake.state().apps[0].scopes;
    assert_eq!(scopes, fedimigrate::fedi::oauth::SCOPES);
}

#[tokio::test]
async fn a_second_login_replaces_and_revokes_the_old_token() {
    let mut m = Machine::new();
    let first = m.log_in().await;
    let second = m.log_in().await;
    assert_ne!(first, second);
    let state = m.fake.state();
    assert!(
        state.token(&first).is_none(),
        "the replaced token was revoked"
    );
    assert!(state.token(&second).is_some());
    assert_eq!(m.credentials()["users"].as_object().unwrap().len(), 1);
}

#[test]
fn a_wrong_code_is_refused_with_exit_4_and_nothing_stored() {
    let mut m = Machine::new();
    assert_eq!(
        m.run(&["login", "mastodon.example", "--print-url"], None)
            .status
            .code(),
        Some(0)
    );
    let out = m.run(&["login", "--code-file", "-"], Some("not-the-code"));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid_grant"), "{}", stderr(&out));
    assert!(m.credentials()["users"].as_object().unwrap().is_empty());
}

#[test]
fn without_a_terminal_a_plain_login_prints_the_url() {
    let mut m = Machine::new();
    let out = m.run(&["login", "mastodon.example"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("https://mastodon.example/oauth/authorize?"));
    assert!(stderr(&out).contains("No terminal"), "{}", stderr(&out));
}

#[test]
fn a_web_ui_token_from_a_file_or_stdin() {
    let mut m = Machine::new();
    let token = m.fake.issue_token("alice", "read write follow");
    let file = m.file("token.txt", &format!("  {token}\n"));
    let out = m.run(&["login", "mastodon.example", "--token-file", &file], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        m.credentials()["users"]["alice@mastodon.example"]["access_token"],
        token
    );

    let other = m.fake.issue_token("alice", "read");
    let out = m.run(
        &["login", "https://mastodon.example/", "--token-file", "-"],
        Some(&other),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        m.credentials()["users"]["alice@mastodon.example"]["access_token"],
        other
    );
}

#[test]
fn a_loopback_http_instance_is_real_use() {
    let mut m = Machine::named("127.0.0.1");
    let token = m.fake.issue_token("alice", "read write");
    let url = m.fv.loopback_url();
    let out = m.run(&["login", &url, "--token-file", "-"], Some(&token));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let name = format!("alice@127.0.0.1:{}", m.fv.port());
    let out = m.run(&["whoami", "--json"], None);
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["active"], name.as_str());
    assert_eq!(shown["accounts"][0]["instance"], url.as_str());
    assert_eq!(shown["accounts"][0]["web_ui_token"], true);
}

#[test]
fn plain_http_elsewhere_is_refused_before_any_request() {
    let mut m = Machine::new();
    let file = m.file("token.txt", "whatever-token");
    let out = m.run(
        &["login", "http://mastodon.example", "--token-file", &file],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--insecure-http"), "{}", stderr(&out));
    assert_eq!(m.fake.host().request_count(), 0);
}

#[test]
fn a_refused_token_exits_4_and_is_not_stored() {
    let mut m = Machine::new();
    let file = m.file("token.txt", "fvtok_made_up_0123456789");
    let out = m.run(&["login", "mastodon.example", "--token-file", &file], None);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "error: mastodon.example refused this token (401: The access token is invalid); \
         nothing was stored\n"
    );
    assert!(!stderr(&out).contains("fvtok_made_up"));
    assert!(!m.config().join("credentials.json").exists());
}

#[test]
fn an_unreachable_instance_exits_1() {
    let mut m = Machine::new();
    let file = m.file("token.txt", "some-token");
    let out = m.run(
        &[
            "login",
            "down.example",
            "--token-file",
            &file,
            "--resolve",
            "down.example:443:127.0.0.1:1",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("down.example"), "{}", stderr(&out));
}

#[test]
fn conflicting_login_flags_exit_2() {
    let mut m = Machine::new();
    assert_eq!(
        m.run(
            &["login", "x.example", "--print-url", "--code-file", "c"],
            None
        )
        .status
        .code(),
        Some(2)
    );
    assert_eq!(
        m.run(&["login", "--token-file", "t"], None).status.code(),
        Some(2),
        "needs an instance"
    );
    let out = m.run(&["login", "--code-file", "c"], None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "no login waits for a code: {}",
        stderr(&out)
    );
}

#[test]
fn whoami_without_a_login_exits_4() {
    let mut m = Machine::new();
    let out = m.run(&["whoami"], None);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        stderr(&out),
        "error: not logged in; run `fedimigrate login INSTANCE`\n"
    );
    assert!(out.stdout.is_empty(), "nothing to list");
    let out = m.run(&["whoami", "--json"], None);
    assert_eq!(out.status.code(), Some(4));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["accounts"], serde_json::json!([]));
}

#[test]
fn whoami_help_documents_its_exit_codes() {
    let mut m = Machine::new();
    let out = m.run(&["whoami", "--help"], None);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("Exit codes:") && help.contains("4    not logged in"),
        "{help}"
    );
}

#[tokio::test]
async fn logout_revokes_and_forgets() {
    let mut m = Machine::new();
    let token = m.log_in().await;
    let out = m.run(&["logout"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        m.fake.state().token(&token).is_none(),
        "revoked on the instance"
    );
    assert!(m.credentials()["users"].as_object().unwrap().is_empty());
    assert_eq!(m.run(&["whoami"], None).status.code(), Some(4));
    let revokes = m
        .fake
        .host()
        .requests()
        .iter()
        .filter(|r| r.path == "/oauth/revoke")
        .count();
    assert_eq!(revokes, 1);
}

#[tokio::test]
async fn logout_keep_remote_only_forgets() {
    let mut m = Machine::new();
    let token = m.log_in().await;
    let out = m.run(&["logout", "alice@mastodon.example", "--keep-remote"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(m.fake.state().token(&token).is_some());
    assert!(m.credentials()["users"].as_object().unwrap().is_empty());
    let out = m.run(&["logout", "nobody@mastodon.example"], None);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn logging_out_a_web_ui_token_says_where_to_revoke_it() {
    let mut m = Machine::new();
    let token = m.fake.issue_token("alice", "read");
    m.run(
        &["login", "mastodon.example", "--token-file", "-"],
        Some(&token),
    );
    let out = m.run(&["logout"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("Development"), "{}", stderr(&out));
}

#[test]
fn a_credentials_file_others_could_read_is_fixed_and_reported() {
    let mut m = Machine::new();
    let token = m.fake.issue_token("alice", "read");
    m.run(
        &["login", "mastodon.example", "--token-file", "-"],
        Some(&token),
    );
    let path = m.config().join("credentials.json");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = m.run(&["whoami"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("could be read by other users"),
        "{}",
        stderr(&out)
    );
    assert_eq!(mode(&path), 0o600);

    std::fs::set_permissions(m.config(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = m.run(&["whoami"], None);
    assert!(
        stderr(&out).contains("or its folder could be read"),
        "{}",
        stderr(&out)
    );
    assert_eq!(mode(&m.config()), 0o700, "the folder is tightened too");
    let out = m.run(&["whoami"], None);
    assert!(
        !stderr(&out).contains("could be read"),
        "said once: {}",
        stderr(&out)
    );

    std::fs::write(&path, "[]").unwrap();
    let out = m.run(&["whoami"], None);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is damaged (it does not hold a JSON object)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn ctrl_c_during_a_slow_login_exits_130_and_stores_nothing() {
    let m = Machine::new();
    m.fake.host().set_latency(Duration::from_secs(20));
    let token = m.fake.issue_token("alice", "read");
    let mut cmd = command(m.home.path());
    cmd.args([
        "login",
        "mastodon.example",
        "--token-file",
        "-",
        "--timeout",
        "30",
    ])
    .arg("--ca-cert")
    .arg(&m.ca)
    .args(["--resolve", &m.fv.resolve_value("mastodon.example")])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(token.as_bytes())
        .unwrap();
    // Wait until the request is in flight, then press Ctrl-C.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while m.fake.host().request_count() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = std::time::Instant::now();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "stopped without waiting for the answer"
    );
    assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
    assert!(!m.config().join("credentials.json").exists());
}

#[tokio::test]
async fn instance_checks_the_login_and_shows_the_limits() {
    let mut m = Machine::new();
    m.log_in().await;
    let out = m.run(&["instance"], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "Account     @alice@mastodon.example",
        "Software    mastodon 4.",
        "Posts       up to 500 characters, every link counts as 23; up to 4 attachments",
        "Backdating  no: ",
        "Rate limit  ",
    ] {
        assert!(text.contains(line), "{line}\n---\n{text}");
    }
    let out = m.run(
        &["instance", "--account", "alice@mastodon.example", "--json"],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["login"], "alice@mastodon.example");
    assert_eq!(shown["account"]["acct"], "alice@mastodon.example");
    assert_eq!(shown["instance"]["software"]["name"], "mastodon");
    assert_eq!(shown["instance"]["capabilities"]["can_backdate"], false);
    assert_eq!(shown["instance"]["limits"]["description_limit"], 1500);
    let budget = &shown["rate_limit"];
    assert!(
        budget["remaining"].as_u64() < budget["limit"].as_u64(),
        "{budget}"
    );
    assert!(
        budget["reset"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .is_ok()
    );
}

#[test]
fn instance_with_a_token_file_stores_nothing_and_sees_gotosocial_backdating() {
    let mut m = Machine::serving("gts.example", Flavour::GoToSocial);
    let token = m.fake.issue_token("alice", "read");
    let out = m.run(
        &[
            "instance",
            "--instance",
            "gts.example",
            "--token-file",
            "-",
            "--json",
        ],
        Some(&token),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(shown["login"], serde_json::Value::Null);
    assert_eq!(shown["instance"]["software"]["name"], "gotosocial");
    assert_eq!(shown["instance"]["capabilities"]["can_backdate"], true);
    assert!(
        !m.config().join("credentials.json").exists(),
        "nothing stored"
    );
}

#[test]
fn instance_refusals_and_misuse_have_their_exit_codes() {
    let mut m = Machine::new();
    let out = m.run(&["instance"], None);
    assert_eq!(out.status.code(), Some(4), "no login: {}", stderr(&out));
    assert!(
        stderr(&out).contains("fedimigrate login"),
        "{}",
        stderr(&out)
    );

    let adhoc = [
        "instance",
        "--instance",
        "mastodon.example",
        "--token-file",
        "-",
    ];
    let out = m.run(&adhoc, Some("not-a-token-the-server-knows"));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("mastodon.example") && err.contains("401"),
        "{err}"
    );
    assert!(!err.contains("not-a-token-the-server-knows"), "{err}");

    let out = m.run(&adhoc, Some("first-line\nsecond-line\n"));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("standard input holds more than a token or code"),
        "{}",
        stderr(&out)
    );

    let out = m.run(&["instance", "--offline"], None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = m.run(&["instance", "--instance", "mastodon.example"], None);
    assert_eq!(
        out.status.code(),
        Some(2),
        "needs --token-file: {}",
        stderr(&out)
    );
}
