//! `fedimigrate find` end to end: the real binary on the committed sample archive and profile
//! file, against the fake fediverse reached through `--resolve` and `--ca-cert` (the options
//! a real user has), and against a fake X API. Every host the sample names is served by the
//! fake, so nothing ever leaves the machine.

use std::path::{Path, PathBuf};
use std::process::Output;

use fakeverse::wellknown::{FediHost, Software, Split, html_site};
use fakeverse::xapi::FakeX;
use fakeverse::{Fakeverse, Mode};
use serde_json::Value;

use crate::util::{command, stderr, stdout};

const ARCHIVE: &str = "fixtures/sample-archive.zip";
const PROFILES: &str = "fixtures/sample-profiles.csv";
const X_TOKEN: &str = "AAAAAAAAAAAAAAAAAAAAAFindTestBearer%2Fsecret";

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(name)
        .display()
        .to_string()
}

/// The sample's hosts, served as: accounts that exist, one missing, a dead host, a closed
/// one, a web site that is no fediverse server, and several server flavours.
fn sample_world() -> Fakeverse {
    let fv = Fakeverse::start();
    let mastodon = FediHost::mount(&fv, "mastodon.example", Software::mastodon());
    mastodon
        .account("jonas")
        .account("Eero")
        .account("pieter")
        .users(52_000);
    FediHost::mount(&fv, "bread.social", Software::gotosocial()).account("priya");
    FediHost::mount(&fv, "social.example", Software::mastodon())
        .account("tomasz")
        .account("felix")
        .open_registrations(false);
    FediHost::mount(&fv, "mastodon.social", Software::mastodon()).account("lena_rails");
    fv.host("hachyderm.io").set_mode(Mode::Hang);
    FediHost::mount(&fv, "fosstodon.org", Software::mastodon())
        .account("ola")
        .account("chenli");
    html_site(&fv, "birds.town");
    FediHost::mount(&fv, "cooking.example", Software::pleroma()).account("luca");
    fv.host("mastodon.online").set_mode(Mode::Close);
    FediHost::mount(&fv, "climbing.example", Software::misskey()).account("zoe");
    FediHost::mount(&fv, "fietsen.example", Software::akkoma())
        .moved("pieter", "https://mastodon.example/users/pieter");
    fv
}

/// Runs `find` with the fake's CA and `--resolve` for every host, in `home`.
fn find(fv: &Fakeverse, home: &Path, args: &[&str]) -> Output {
    let ca = fv.write_ca(home);
    let mut cmd = command(home);
    cmd.arg("find")
        .arg(fixture(ARCHIVE))
        .arg("--ca-cert")
        .arg(&ca)
        .args(fv.resolve_args())
        .args(["--timeout", "1"])
        .args(args);
    cmd.output().expect("run fedimigrate")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

fn account<'a>(doc: &'a Value, username: &str) -> &'a Value {
    doc["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["username"] == username)
        .unwrap_or_else(|| panic!("no account {username}"))
}

#[test]
fn the_readme_command_runs_offline_on_the_sample() {
    let home = tempfile::tempdir().unwrap();
    let out = command(home.path())
        .args(["find", &fixture(ARCHIVE), "--profiles", &fixture(PROFILES)])
        .arg("--offline")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("40 scanned: 34 with profile data"), "{text}");
    assert!(
        text.contains("no profile data for 6 of 40 (5 of them known by name from your tweets)"),
        "{text}"
    );
    assert!(text.contains("none checked (--offline)"), "{text}");
    assert!(
        text.contains("Where your friends may be (candidates, not verified: --offline)\n  friends  instance\n        2  fosstodon.org\n"),
        "{text}"
    );
    assert!(text.contains("jonas@mastodon.example"), "{text}");
    assert!(
        text.contains("priya@bread.social"),
        "from the display name and the tweet: {text}"
    );
    assert!(
        !text.contains("mara@mastodon.example"),
        "the owner's own handle is no friend's"
    );
    assert!(
        !text.contains("felix@social.example"),
        "felix is nobody we follow"
    );
    assert!(!home.path().join("cache").join("verify.jsonl").exists());
}

#[test]
fn find_verifies_ranks_instances_and_writes_the_import_file() {
    let fv = sample_world();
    let home = tempfile::tempdir().unwrap();
    let csv = home.path().join("follows.csv");
    let out = find(
        &fv,
        home.path(),
        &[
            "--profiles",
            &fixture(PROFILES),
            "--json",
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let totals = &doc["totals"];
    assert_eq!(totals["followed"], 40);
    assert_eq!(totals["with_candidates"], 14);
    assert_eq!(totals["verified"], 9, "{totals}");
    assert_eq!(totals["moved"], 1, "{totals}");
    assert_eq!(totals["states"]["timeout"], 1);
    assert_eq!(totals["states"]["unreachable"], 1);
    assert_eq!(totals["states"]["not_fediverse"], 1);
    assert_eq!(totals["states"]["not_found"], 1);
    assert_eq!(
        totals["dead_hosts"],
        serde_json::json!(["hachyderm.io", "mastodon.online"])
    );

    let eero = &account(&doc, "eero_m")["candidates"][0];
    assert_eq!(eero["state"], "verified");
    assert_eq!(eero["canonical"], "Eero@mastodon.example");
    assert_eq!(eero["software"], "mastodon");
    assert_eq!(eero["actor_url"], "https://mastodon.example/users/Eero");
    assert_eq!(eero["evidence"][0]["field"], "description");
    let lena = &account(&doc, "lena_rails")["candidates"][0];
    assert_eq!(lena["evidence"][0]["rule"], "profile-url");
    assert_eq!(lena["state"], "verified");
    assert_eq!(
        account(&doc, "marta_g")["candidates"][0]["state"],
        "not_found"
    );
    assert_eq!(
        account(&doc, "kenji_t")["candidates"][0]["state"],
        "timeout"
    );
    assert_eq!(
        account(&doc, "hanna_birds")["candidates"][0]["state"],
        "not_fediverse"
    );

    let ranked: Vec<(String, u64)> = doc["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["host"].as_str().unwrap().to_string(),
                i["friends"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        ranked[0],
        ("mastodon.example".into(), 3),
        "pieter moved there"
    );
    assert_eq!(ranked[1], ("fosstodon.org".into(), 2));
    assert_eq!(ranked.len(), 7, "{ranked:?}");
    for instance in doc["instances"].as_array().unwrap() {
        assert!(
            instance["software"].is_string(),
            "NodeInfo missing: {instance}"
        );
    }
    let bread = &account(&doc, "priya_bakes")["candidates"][0];
    assert_eq!(
        bread["software"], "gotosocial",
        "found as a profile URL too"
    );
    let fields: Vec<&str> = bread["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "url", "tweet"]);
    let mastodon = &doc["instances"][0];
    assert_eq!(mastodon["users"], 52_000);
    assert_eq!(mastodon["open_registrations"], true);

    let written = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(
        lines[0],
        "Account address,Show boosts,Notify on new posts,Languages"
    );
    assert_eq!(lines.len(), 11, "{written}");
    assert_eq!(lines[1], "chenli@fosstodon.org,true,false,");
    let mut sorted = lines[1..].to_vec();
    sorted.sort();
    assert_eq!(sorted, lines[1..]);
    assert!(!written.contains("marta@"), "only verified accounts");
    assert!(
        written.contains("\npieter@mastodon.example,"),
        "moved: the new address"
    );
    assert!(!written.contains("fietsen"), "moved: not the old address");
    let pieter = &account(&doc, "pieter_vd")["candidates"][0];
    assert_eq!(pieter["state"], "moved");
    assert_eq!(pieter["moved_to"], "pieter@mastodon.example");

    assert_eq!(
        fv.host("hachyderm.io").request_count(),
        1,
        "a dead host costs one request"
    );
}

#[test]
fn the_human_report_shows_where_friends_are() {
    let fv = sample_world();
    let home = tempfile::tempdir().unwrap();
    let out = find(&fv, home.path(), &["--profiles", &fixture(PROFILES)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("Verified           9 account(s), 1 more moved"),
        "{text}"
    );
    assert!(text.contains("moved → pieter@mastodon.example"), "{text}");
    assert!(text.contains("Where your friends are"), "{text}");
    assert!(
        text.contains(
            "Not checked        2 accounts on 2 hosts that did not answer: hachyderm.io, mastodon.online; a rerun after an hour (or with --refresh) tries them again\n"
        ),
        "{text}"
    );
    assert!(!text.contains("kenji@hachyderm.io"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("social.example ") && !l.contains('@'))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row.contains("mastodon 4.3.2") && row.ends_with("closed"),
        "{row}"
    );
}

#[test]
fn a_rerun_asks_nothing_new() {
    let fv = sample_world();
    let home = tempfile::tempdir().unwrap();
    let first = find(
        &fv,
        home.path(),
        &["--profiles", &fixture(PROFILES), "--json"],
    );
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let asked = fv.request_count();
    let second = find(
        &fv,
        home.path(),
        &["--profiles", &fixture(PROFILES), "--json"],
    );
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(fv.request_count(), asked, "the rerun made requests");
    let (a, b) = (json(&first), json(&second));
    assert_eq!(a["accounts"], b["accounts"]);
    assert_eq!(b["totals"]["from_cache"], 14);
    assert_eq!(b["totals"]["asked"], 0);
}

#[test]
fn jsonl_prints_one_line_per_followed_account() {
    let fv = sample_world();
    let home = tempfile::tempdir().unwrap();
    let out = find(
        &fv,
        home.path(),
        &["--profiles", &fixture(PROFILES), "--jsonl"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 40);
    assert_eq!(lines[0]["id"], "2001");
    assert_eq!(lines[0]["profile"], "file");
    let keys = ["id", "username", "display_name", "profile", "candidates"];
    for key in keys {
        assert!(lines[0].get(key).is_some(), "{key} missing");
    }
    let none = lines.iter().filter(|l| l["profile"].is_null()).count();
    assert_eq!(none, 1);
}

fn x_world() -> (Fakeverse, FakeX) {
    let fv = sample_world();
    let x = FakeX::mount(&fv, "api.x.example", X_TOKEN);
    for (id, user, bio) in [
        ("2035", "felix_trains", "Trains. @felix@social.example"),
        ("2036", "old_friend", "nothing here"),
        ("2040", "someone", "🐘 someone@mastodon.example"),
    ] {
        x.user(id, user, bio);
    }
    (fv, x)
}

fn token_file(home: &Path) -> PathBuf {
    let path = home.join("x-token");
    std::fs::write(&path, format!("{X_TOKEN}\n")).unwrap();
    path
}

#[test]
fn the_x_api_fills_missing_profiles_once_after_saying_what_it_costs() {
    let (fv, x) = x_world();
    let home = tempfile::tempdir().unwrap();
    let token = token_file(home.path());
    let base = x.base_url();
    let args = [
        "--profiles",
        &fixture(PROFILES),
        "--x-api",
        "--x-api-url",
        &base,
        "--x-token-file",
        token.to_str().unwrap(),
        "--json",
    ];
    let refused = find(&fv, home.path(), &args);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--yes"), "{}", stderr(&refused));
    assert_eq!(
        x.host().request_count(),
        0,
        "nothing is fetched before the yes"
    );

    let mut yes = args.to_vec();
    yes.push("--yes");
    let out = find(&fv, home.path(), &yes);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("this will make 1 lookup (~6 users"), "{err}");
    assert!(!err.contains(X_TOKEN) && !stdout(&out).contains(X_TOKEN));
    assert_eq!(x.host().request_count(), 1);
    let doc = json(&out);
    let felix = account(&doc, "felix_trains");
    assert_eq!(felix["profile"], "x-api");
    assert_eq!(felix["candidates"][0]["canonical"], "felix@social.example");
    assert_eq!(doc["totals"]["with_profile_data"], 37);

    let again = find(&fv, home.path(), &yes);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        x.host().request_count(),
        1,
        "cached X API pages cost nothing"
    );
    assert!(!stderr(&again).contains("this will make"));
}

#[test]
fn bad_input_is_one_sentence_and_a_failure() {
    let home = tempfile::tempdir().unwrap();
    let missing = command(home.path())
        .args(["find", "no-such-archive.zip", "--offline"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let err = stderr(&missing);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("no-such-archive.zip"), "{err}");

    let bad = home.path().join("profiles.json");
    std::fs::write(&bad, "[{\"id\": \"1\", \"bio\": ").unwrap();
    let out = command(home.path())
        .args(["find", &fixture(ARCHIVE), "--offline", "--profiles"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("profiles.json"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let usage = command(home.path())
        .args([
            "find",
            &fixture(ARCHIVE),
            "--per-host",
            "9",
            "--concurrency",
            "4",
        ])
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn a_profiles_file_of_other_accounts_is_questioned() {
    let home = tempfile::tempdir().unwrap();
    let strangers = home.path().join("strangers.csv");
    std::fs::write(
        &strangers,
        "id,username,bio\n9001,a,@a@x.social\n9002,b,@b@x.social\n1.2E+18,c,\n",
    )
    .unwrap();
    let out = command(home.path())
        .args(["find", &fixture(ARCHIVE), "--offline", "--profiles"])
        .arg(&strangers)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "no record in the profile file(s) is an account you follow (2 are of other accounts)"
        ),
        "{err}"
    );
    assert!(err.contains("`1.2E+18`"), "{err}");
    let text = stdout(&out);
    assert!(text.contains("40 scanned: 0 with profile data"), "{text}");
    assert!(
        text.contains("2 profile record(s) of accounts you do not follow"),
        "{text}"
    );
    assert!(
        text.contains("+ 1 profile record(s) with only a username"),
        "{text}"
    );
}

#[test]
fn an_import_file_is_never_lost() {
    let home = tempfile::tempdir().unwrap();
    let previous = home.path().join("follows.csv");
    let earlier = "Account address,Show boosts,Notify on new posts,Languages\nann@mastodon.example,true,false,\n";
    std::fs::write(&previous, earlier).unwrap();
    let csv = previous.to_str().unwrap();
    let run = |args: &[&str]| {
        command(home.path())
            .arg("find")
            .arg(fixture(ARCHIVE))
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["--offline", "--csv", csv]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--offline verifies nothing"),
        "{}",
        stderr(&out)
    );
    let out = run(&["--offline", "--csv", "-"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let typo = home.path().join("no-such-folder/follows.csv");
    let out = run(&["--csv", typo.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not exist"), "{}", stderr(&out));
    assert!(
        !home.path().join("no-such-folder").exists(),
        "no folder made"
    );

    // Online, with every host refusing connections: nothing verifies, the old file stays.
    let fv = Fakeverse::start();
    for host in ["bread.social", "down.example"] {
        fv.host(host).set_mode(Mode::Close);
    }
    let profiles = home.path().join("p.csv");
    std::fs::write(
        &profiles,
        "id,username,bio\n2001,ann,Now @ann@down.example\n",
    )
    .unwrap();
    let out = find(
        &fv,
        home.path(),
        &["--profiles", profiles.to_str().unwrap(), "--csv", csv],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("left as it was"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&previous).unwrap(), earlier);
}

/// A world of 20 slow hosts and a profiles file giving each of the sample's 40 follows a
/// handle there, so a run takes long enough to be interrupted.
fn slow_world(home: &Path) -> (Fakeverse, PathBuf) {
    let fv = Fakeverse::start();
    let servers: Vec<FediHost> = (0..20)
        .map(|h| FediHost::mount(&fv, &format!("h{h}.example"), Software::mastodon()))
        .collect();
    // The sample's tweets name priya@bread.social: serve it too, so nothing asks real DNS.
    FediHost::mount(&fv, "bread.social", Software::gotosocial()).account("priya");
    let mut csv = String::from("id,username,description\n");
    for i in 0..40 {
        let server = &servers[i % 20];
        server.account(&format!("u{i}"));
        server
            .host()
            .set_latency(std::time::Duration::from_millis(150));
        csv.push_str(&format!("{},user{i},Now @u{i}@{}\n", 2001 + i, server.name));
    }
    let profiles = home.join("slow-profiles.csv");
    std::fs::write(&profiles, csv).unwrap();
    (fv, profiles)
}

fn cached_results(home: &Path) -> usize {
    let path = home.join("cache").join("verify.jsonl");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("\"kind\":\"target\""))
        .count()
}

fn cached_keys(home: &Path) -> Vec<String> {
    let path = home.join("cache").join("verify.jsonl");
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["kind"] == "target")
        .map(|v| v["key"].as_str().unwrap().to_string())
        .collect()
}

/// Starts `find` in the background and returns once `results` results are on disk.
fn start_and_wait(
    fv: &Fakeverse,
    home: &Path,
    profiles: &Path,
    results: usize,
) -> std::process::Child {
    let ca = fv.write_ca(home);
    let mut child = command(home)
        .arg("find")
        .arg(fixture(ARCHIVE))
        .arg("--profiles")
        .arg(profiles)
        .arg("--ca-cert")
        .arg(&ca)
        .args(fv.resolve_args())
        .args(["--concurrency", "2", "--per-host", "1", "--json"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while cached_results(home) < results {
        assert!(std::time::Instant::now() < deadline, "no progress");
        assert!(child.try_wait().unwrap().is_none(), "finished too early");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child
}

/// WebFinger requests per account across all hosts.
fn webfinger_asks(fv: &Fakeverse) -> std::collections::HashMap<String, usize> {
    let mut asks = std::collections::HashMap::new();
    for name in fv.host_names() {
        for request in fv.host(&name).requests() {
            if request.path == "/.well-known/webfinger" {
                *asks.entry(request.query.clone()).or_default() += 1;
            }
        }
    }
    asks
}

#[test]
fn a_killed_run_resumes_without_asking_twice() {
    let home = tempfile::tempdir().unwrap();
    let (fv, profiles) = slow_world(home.path());
    let mut child = start_and_wait(&fv, home.path(), &profiles, 6);
    child.kill().unwrap(); // SIGKILL: no chance to clean up
    child.wait().unwrap();
    let saved = cached_results(home.path());
    let saved_keys = cached_keys(home.path());
    assert!(saved < 41, "the run was not interrupted");

    let out = find(
        &fv,
        home.path(),
        &["--profiles", profiles.to_str().unwrap(), "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["totals"]["verified"], 40, "{}", doc["totals"]);
    assert_eq!(doc["totals"]["states"]["verified"], 41, "{}", doc["totals"]);
    let from_cache = doc["totals"]["from_cache"].as_u64().unwrap() as usize;
    assert!(from_cache >= saved, "{from_cache} < {saved}");
    assert_eq!(
        doc["totals"]["asked"].as_u64().unwrap() as usize,
        41 - from_cache
    );
    let asks = webfinger_asks(&fv);
    for key in saved_keys {
        let user = key.trim_start_matches("acct:").replace('@', "%40");
        let asked: usize = asks
            .iter()
            .filter(|(query, _)| query.contains(&format!("acct%3A{user}")))
            .map(|(_, n)| n)
            .sum();
        assert_eq!(asked, 1, "{key} was saved, then asked again");
    }
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_with_130_and_keeps_the_results() {
    let home = tempfile::tempdir().unwrap();
    let (fv, profiles) = slow_world(home.path());
    let child = start_and_wait(&fv, home.path(), &profiles, 4);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("interrupted"), "{err}");
    assert!(cached_results(home.path()) >= 4);
}

#[test]
fn an_archive_without_a_following_list_takes_the_profile_files_as_follows() {
    let home = tempfile::tempdir().unwrap();
    let out = command(home.path())
        .args([
            "find",
            &fixture("fixtures/grailbird-archive.zip"),
            "--offline",
        ])
        .args(["--profiles", &fixture(PROFILES), "--jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 34);
    assert!(
        stderr(&out).contains("no following list"),
        "{}",
        stderr(&out)
    );
}

/// Thirty followed accounts on two hosts that do not answer, two on a split domain
/// (`split-domain.net`, served by `social.split-domain.net`) and one ordinary account: the
/// profiles file is the list of follows (the archive has none).
fn split_and_dead_world(home: &Path) -> (Fakeverse, PathBuf) {
    let fv = Fakeverse::start();
    FediHost::mount(&fv, "social.split-domain.net", Software::mastodon())
        .account("erin")
        .account("finn")
        .users(4_321)
        .open_registrations(true)
        .split_domain(&fv, "split-domain.net", Split::Redirect);
    FediHost::mount(&fv, "plain.example", Software::gotosocial()).account("gus");
    fv.host("dead-one.social").set_mode(Mode::Hang);
    fv.host("dead-two.net").set_mode(Mode::Close);
    let mut csv = String::from("id,username,name,description,url,location\n");
    for i in 0..30 {
        let host = if i % 2 == 0 {
            "dead-one.social"
        } else {
            "dead-two.net"
        };
        csv.push_str(&format!(
            "{},friend{i},Friend {i},Fedi: @f{i}@{host},,\n",
            5000 + i
        ));
    }
    csv.push_str("6001,erin_s,Erin,Mastodon: @erin@split-domain.net,,\n");
    csv.push_str("6002,finn_s,Finn,\"alt: @finn@split-domain.net, old: @finn@dead-two.net\",,\n");
    csv.push_str("6003,gus_p,Gus,@gus@plain.example,,\n");
    let path = home.join("profiles.csv");
    std::fs::write(&path, csv).unwrap();
    (fv, path)
}

fn find_follows_in(fv: &Fakeverse, home: &Path, profiles: &Path, args: &[&str]) -> Output {
    let ca = fv.write_ca(home);
    command(home)
        .arg("find")
        .arg(fixture("fixtures/grailbird-archive.zip"))
        .arg("--profiles")
        .arg(profiles)
        .arg("--ca-cert")
        .arg(&ca)
        .args(fv.resolve_args())
        .args(["--timeout", "1"])
        .args(args)
        .output()
        .expect("run fedimigrate")
}

#[test]
fn split_domains_rank_under_their_server_and_dead_hosts_are_one_line() {
    let home = tempfile::tempdir().unwrap();
    let (fv, profiles) = split_and_dead_world(home.path());
    let out = find_follows_in(&fv, home.path(), &profiles, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains(
            "Not checked        31 accounts on 2 hosts that did not answer: dead-one.social, dead-two.net; a rerun after an hour (or with --refresh) tries them again\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("verified 3 · timeout 15 · unreachable 16"),
        "{text}"
    );
    assert!(!text.contains("@dead-one.social"), "{text}");
    assert!(!text.contains("@dead-two.net"), "{text}");
    assert!(
        !text.contains("@friend"),
        "no line for an account with nothing to act on: {text}"
    );
    let row = text
        .lines()
        .find(|l| l.contains("social.split-domain.net ") && !l.contains("erin"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row.trim_start().starts_with("2  social.split-domain.net"),
        "{row}"
    );
    assert!(row.contains("mastodon 4.3.2"), "{row}");
    assert!(row.contains("4,321"), "{row}");
    assert!(
        row.ends_with("open  (addresses @split-domain.net)"),
        "{row}"
    );
    assert!(
        !text.lines().any(|l| l.contains("  split-domain.net ")),
        "the address's domain is no instance of its own: {text}"
    );
    assert!(
        text.contains("  @finn_s (Finn)\n    finn@split-domain.net"),
        "{text}"
    );

    let out = find_follows_in(&fv, home.path(), &profiles, &["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    let dead: Vec<&Value> = doc["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["candidates"].as_array().unwrap())
        .filter(|m| m["state"] == "timeout" || m["state"] == "unreachable")
        .collect();
    assert_eq!(dead.len(), 31, "--json keeps every account as it is");
    assert_eq!(
        doc["totals"]["dead_hosts"],
        serde_json::json!(["dead-one.social", "dead-two.net"])
    );
    let erin = &account(&doc, "erin_s")["candidates"][0];
    assert_eq!(erin["canonical"], "erin@split-domain.net");
    assert_eq!(erin["server"], "social.split-domain.net");
    assert_eq!(erin["software"], "mastodon");
    let split = &doc["instances"][0];
    assert_eq!(split["host"], "social.split-domain.net");
    assert_eq!(split["friends"], 2);
    assert_eq!(split["users"], 4_321);
    assert_eq!(
        split["address_domains"],
        serde_json::json!(["split-domain.net"])
    );
}
