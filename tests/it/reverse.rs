//! `fedimigrate find --reverse` end to end: the real binary, an archive built in a temp dir, a
//! profiles file, the user's instance (`home.example`, the fake Mastodon API, logged in with
//! `--instance URL --token-file FILE`) holding local and remote accounts with bios and
//! profile fields, and the remote servers (WebFinger) those accounts live on, all reached
//! through `--resolve` and `--ca-cert`. What is checked: only backlinks make an account
//! found, look-alikes are `possible` (never in `--csv`), full-text search finds bios that name
//! the account, 429s are waited out, a closed public search is one line, an interrupted run
//! resumes from the cache, and, on a scene of 300 follows, recall and false accepts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use fakeverse::mastodon::{AccountSpec, FakeMastodon, Family, Flavour};
use fakeverse::wellknown::{FediHost, Software};
use fakeverse::{Fakeverse, Mode};
use serde_json::Value;

use crate::archive::builder::Modern;
use crate::util::{command, stderr, stdout};

/// Mastodon's rendering of a link in a bio or a field value.
fn link(url: &str) -> String {
    let rest = url.trim_start_matches("https://");
    format!(
        r#"<a href="https://{rest}" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="">{rest}</span><span class="invisible"></span></a>"#
    )
}

/// A user's machine, their instance and the remote servers.
struct World {
    fv: Fakeverse,
    home: FakeMastodon,
    dir: tempfile::TempDir,
    token_file: PathBuf,
}

impl World {
    fn new() -> Self {
        let fv = Fakeverse::start();
        let home = FakeMastodon::mount(&fv, "home.example", Flavour::Mastodon);
        home.add_user("me");
        let token = home.issue_token("me", "read");
        let dir = tempfile::tempdir().unwrap();
        let token_file = dir.path().join("token.txt");
        std::fs::write(&token_file, token).unwrap();
        Self {
            fv,
            home,
            dir,
            token_file,
        }
    }

    /// Writes the archive (following `ids`) and the profiles file (`id,username,name,bio`).
    fn inputs(&self, rows: &[(&str, &str, &str, &str)]) -> (PathBuf, PathBuf) {
        let archive = self.dir.path().join("archive.zip");
        let scene = Modern {
            following: rows.iter().map(|r| r.0.to_string()).collect(),
            ..Modern::default()
        };
        scene.build().write_zip(&archive).unwrap();
        let mut csv = String::from("id,username,name,bio\n");
        for (id, user, name, bio) in rows {
            csv.push_str(&format!("{id},{user},{name},{bio}\n"));
        }
        let profiles = self.dir.path().join("profiles.csv");
        std::fs::write(&profiles, csv).unwrap();
        (archive, profiles)
    }

    fn command(&self, archive: &Path, profiles: &Path, args: &[&str]) -> Command {
        let ca = self.fv.write_ca(self.dir.path());
        let mut cmd = command(self.dir.path());
        cmd.arg("find")
            .arg(archive)
            .arg("--profiles")
            .arg(profiles)
            .args(["--reverse", "--instance", "home.example", "--token-file"])
            .arg(&self.token_file)
            .arg("--ca-cert")
            .arg(&ca)
            .args(self.fv.resolve_args())
            .args(["--timeout", "2"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn run(&self, archive: &Path, profiles: &Path, args: &[&str]) -> Output {
        self.command(archive, profiles, args).output().unwrap()
    }

    /// Searches the home instance answered so far.
    fn searches(&self) -> usize {
        self.home
            .host()
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/api/v2/search"))
            .count()
    }
}

fn json(output: &Output) -> Value {
    assert_eq!(output.status.code(), Some(0), "{}", stderr(output));
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

/// (handle, state) of an account's candidates.
fn candidates(doc: &Value, username: &str) -> Vec<(String, String)> {
    account(doc, username)["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let handle = c["handle"].as_str().unwrap().to_string();
            (handle, c["state"].as_str().unwrap().to_string())
        })
        .collect()
}

fn pair(handle: &str, state: &str) -> (String, String) {
    (handle.to_string(), state.to_string())
}

/// The small scene: several accounts named like alice_w, one found on the Twitter side, a
/// local account, one only a full-text search finds.
fn small_scene(world: &World) -> (PathBuf, PathBuf) {
    let fedi = FediHost::mount(&world.fv, "fedi.example", Software::mastodon());
    fedi.account("alice_w")
        .account("alice_wb")
        .account("fan")
        .account("ee");
    FediHost::mount(&world.fv, "other.example", Software::gotosocial()).account("alice_w");
    FediHost::mount(&world.fv, "elsewhere.example", Software::mastodon()).account("bob");
    FediHost::mount(&world.fv, "home.example", Software::mastodon()).account("carol");
    let home = &world.home;
    home.add_account(
        AccountSpec::remote("alice_w", "fedi.example")
            .display_name("Alice Wonder 🧶")
            .field("Twitter", &link("https://twitter.com/alice_w"))
            .note("<p>Knitting and maps.</p>"),
    );
    home.add_account(AccountSpec::remote("alice_w", "other.example").display_name("aw"));
    home.add_account(
        AccountSpec::remote("alice_wb", "fedi.example")
            .display_name("Alice Wonder B")
            .field("X", &link("https://x.com/alice_wb")),
    );
    home.add_account(
        AccountSpec::remote("fan", "fedi.example")
            .display_name("Alice Wonder fan")
            .note(&format!(
                "<p>best thread ever: {}</p>",
                link("https://twitter.com/alice_w/status/12345")
            )),
    );
    home.add_account(
        AccountSpec::local("carol")
            .display_name("Carol C")
            .note("<p>formerly @carol_c on Twitter</p>"),
    );
    home.add_account(
        AccountSpec::remote("ee", "fedi.example")
            .display_name("E.")
            .note("<p>Twitter: @erin_x (not any more)</p>"),
    );
    world.inputs(&[
        ("101", "alice_w", "Alice Wonder", "knitting"),
        ("102", "bob_b", "Bob", "@bob@elsewhere.example"),
        ("103", "carol_c", "Carol C", "nothing here"),
        ("104", "dave", "Dave", "no fedi"),
        ("105", "erin_x", "Erin", "hi"),
    ])
}

#[test]
fn only_backlinks_are_found_and_look_alikes_are_possible() {
    let world = World::new();
    let (archive, profiles) = small_scene(&world);
    let csv = world.dir.path().join("follows.csv");
    let out = world.run(
        &archive,
        &profiles,
        &["--json", "--csv", csv.to_str().unwrap()],
    );
    let doc = json(&out);
    let err = stderr(&out);
    assert!(
        err.contains("--reverse: 6 search(es) for 4 account(s) on 1 instance(s): 6 to make"),
        "the budget is said first: {err}"
    );
    assert_eq!(
        candidates(&doc, "alice_w"),
        [pair("alice_w@fedi.example", "verified"),],
        "a proven account leaves the look-alikes out"
    );
    let alice = &account(&doc, "alice_w")["candidates"][0];
    let evidence = &alice["evidence"][0];
    assert_eq!(evidence["source"], "reverse");
    assert_eq!(evidence["field"], "fedi-field");
    assert_eq!(evidence["label"], "Twitter");
    assert_eq!(evidence["rule"], "twitter-link");
    assert_eq!(evidence["matched"], "https://twitter.com/alice_w");
    assert_eq!(
        candidates(&doc, "carol_c"),
        [pair("carol@home.example", "verified")],
        "a local account, by display name"
    );
    assert_eq!(
        account(&doc, "carol_c")["candidates"][0]["evidence"][0]["rule"],
        "twitter-mention"
    );
    assert_eq!(
        candidates(&doc, "bob_b"),
        [pair("bob@elsewhere.example", "verified")],
        "found on the Twitter side: not searched"
    );
    assert!(candidates(&doc, "dave").is_empty());
    assert!(
        candidates(&doc, "erin_x").is_empty(),
        "a bio is only searched with full-text search"
    );
    let reverse = &doc["totals"]["reverse"];
    assert_eq!(reverse["accounts"], 4, "{reverse}");
    assert_eq!(
        (reverse["found"].as_u64(), reverse["possible"].as_u64()),
        (Some(2), Some(0))
    );
    let ranked: Vec<&str> = doc["instances"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["host"].as_str().unwrap())
        .collect();
    assert!(
        ranked.contains(&"fedi.example") && ranked.contains(&"home.example"),
        "{ranked:?}"
    );
    let written = std::fs::read_to_string(&csv).unwrap();
    assert!(written.contains("alice_w@fedi.example"), "{written}");
    assert!(written.contains("carol@home.example"), "{written}");
    assert!(!written.contains("other.example"), "{written}");
    assert!(
        !written.contains("alice_wb") && !written.contains("fan@"),
        "{written}"
    );
}

#[test]
fn without_a_backlink_the_same_name_is_possible_and_never_imported() {
    let world = World::new();
    FediHost::mount(&world.fv, "other.example", Software::gotosocial()).account("zed");
    world
        .home
        .add_account(AccountSpec::remote("zed", "other.example").display_name("Zed Q"));
    world.home.add_account(
        AccountSpec::remote("zedd", "other.example")
            .display_name("Zedd")
            .note("<p>Twitter: @zedd</p>"),
    );
    let (archive, profiles) = world.inputs(&[("201", "zed", "Zed Q", "")]);
    let csv = world.dir.path().join("follows.csv");
    let out = world.run(
        &archive,
        &profiles,
        &["--jsonl", "--csv", csv.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let line: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    let found = &line["candidates"];
    assert_eq!(found.as_array().unwrap().len(), 1, "{line}");
    assert_eq!(found[0]["handle"], "zed@other.example");
    assert_eq!(found[0]["state"], "possible");
    assert_eq!(found[0]["evidence"][0]["rule"], "same-name");
    let why = found[0]["detail"].as_str().unwrap();
    assert!(why.contains("same username as @zed"), "{why}");
    assert!(
        !std::fs::read_to_string(&csv)
            .unwrap_or_default()
            .contains("zed@")
    );
    let human = world.run(&archive, &profiles, &[]);
    let text = stdout(&human);
    assert!(
        text.contains("zed@other.example") && text.contains("possible (same username as @zed"),
        "{text}"
    );
    assert!(
        text.contains(
            "Reverse search     1 account(s) searched: 0 found with a backlink, 1 possible"
        ),
        "{text}"
    );
    assert!(text.contains("from the cache"), "{text}");
}

#[test]
fn full_text_search_finds_bios_that_name_the_account() {
    let world = World::new();
    let (archive, profiles) = small_scene(&world);
    world.home.set_full_text_search(true);
    let doc = json(&world.run(&archive, &profiles, &["--json"]));
    assert_eq!(
        candidates(&doc, "erin_x"),
        [pair("ee@fedi.example", "verified")]
    );
    let proof = &account(&doc, "erin_x")["candidates"][0]["evidence"][0];
    assert_eq!(proof["field"], "fedi-note");
    assert_eq!(proof["matched"], "Twitter: @erin_x (not any more)");
}

#[test]
fn rate_limited_searches_wait_and_go_on() {
    let world = World::new();
    let (archive, profiles) = small_scene(&world);
    world.home.refuse_next(3, Duration::from_secs(1));
    let started = Instant::now();
    let doc = json(&world.run(&archive, &profiles, &["--json"]));
    assert_eq!(world.home.state().refused, 3);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "it waited for the reset"
    );
    assert_eq!(
        candidates(&doc, "alice_w"),
        [pair("alice_w@fedi.example", "verified")]
    );
    assert_eq!(doc["totals"]["reverse"]["asked"], 6);
}

#[test]
fn an_instance_that_refuses_public_search_is_one_line() {
    let world = World::new();
    let (archive, profiles) = small_scene(&world);
    let closed = FakeMastodon::mount(&world.fv, "closed.example", Flavour::GoToSocial);
    closed.set_public_search(false);
    let open = FakeMastodon::mount(&world.fv, "open.example", Flavour::Mastodon);
    FediHost::mount(&world.fv, "far.example", Software::mastodon()).account("dave");
    open.add_account(AccountSpec::remote("dave", "far.example").field("🐦", "@dave"));
    let out = world.run(
        &archive,
        &profiles,
        &[
            "--json",
            "--reverse-on",
            "closed.example",
            "--reverse-on",
            "open.example",
        ],
    );
    let doc = json(&out);
    let err = stderr(&out);
    assert!(
        err.contains(
            "closed.example does not allow searching without an account there (401): skipped"
        ),
        "{err}"
    );
    assert_eq!(err.matches("closed.example").count(), 1, "{err}");
    assert_eq!(
        candidates(&doc, "dave"),
        [pair("dave@far.example", "verified")],
        "found on the other instance's public search"
    );
    assert!(
        open.host()
            .requests()
            .iter()
            .all(|r| !r.headers.contains_key("authorization")),
        "no token goes to other instances"
    );
    assert_eq!(doc["totals"]["reverse"]["skipped"], 6, "{}", doc["totals"]);
}

#[test]
fn an_interrupted_run_resumes_without_repeating_searches() {
    let world = World::new();
    let (archive, profiles) = small_scene(&world);
    world.home.host().set_latency(Duration::from_millis(250));
    let mut child = world
        .command(&archive, &profiles, &["--json"])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while world.searches() < 3 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no chance to flush anything
    child.wait().unwrap();
    let before = world.searches();
    assert!(
        (3..6).contains(&before),
        "killed mid-run after {before} searches"
    );
    world.home.host().set_latency(Duration::ZERO);
    let out = world.run(&archive, &profiles, &["--json"]);
    let doc = json(&out);
    let again = world.searches() - before;
    assert!(
        before + again <= 7,
        "at most the search in flight is made twice: {before} + {again}"
    );
    let cached = doc["totals"]["reverse"]["from_cache"].as_u64().unwrap() as usize;
    assert!(
        cached + 1 >= before,
        "{cached} from the cache after {before}"
    );
    assert_eq!(
        candidates(&doc, "alice_w"),
        [pair("alice_w@fedi.example", "verified")]
    );
    let third = world.run(&archive, &profiles, &["--json"]);
    assert_eq!(
        json(&third)["totals"]["reverse"]["asked"],
        0,
        "all cached now"
    );
}

#[test]
fn reverse_needs_a_login_and_the_network() {
    let world = World::new();
    let (archive, profiles) = world.inputs(&[("301", "pat", "Pat", "")]);
    let out = command(world.dir.path())
        .args(["find", archive.to_str().unwrap(), "--profiles"])
        .arg(&profiles)
        .arg("--reverse")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("fedimigrate login"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    let offline = world.run(&archive, &profiles, &["--offline"]);
    assert_eq!(offline.status.code(), Some(2), "{}", stderr(&offline));
    assert!(stderr(&offline).contains("--offline"));
    let stray = command(world.dir.path())
        .args([
            "find",
            archive.to_str().unwrap(),
            "--account",
            "me@home.example",
        ])
        .output()
        .unwrap();
    assert_eq!(stray.status.code(), Some(2), "{}", stderr(&stray));
}

/// The measure: 300 followed accounts; 120 have a fediverse account whose profile links back
/// (in a dozen shapes), 60 have a namesake with the same username and no backlink, 30 a
/// namesake whose backlink names another Twitter account, 30 a prefix look-alike, the rest
/// nobody. Goal: every backlinked account found, no other accepted.
#[test]
fn a_scene_of_300_follows_recall_and_false_accepts() {
    let world = World::new();
    world
        .home
        .set_rate_limit(Family::Api, 100_000, Duration::from_secs(300));
    let far = FediHost::mount(&world.fv, "far.example", Software::mastodon());
    let near = FediHost::mount(&world.fv, "near.example", Software::gotosocial());
    let shapes: [fn(&str) -> AccountSpec; 6] = [
        |n| {
            AccountSpec::remote(n, "far.example")
                .field("Twitter", &link(&format!("https://twitter.com/{n}")))
        },
        |n| {
            AccountSpec::remote(n, "far.example")
                .verified_field("X", &link(&format!("https://x.com/{}", n.to_uppercase())))
        },
        |n| AccountSpec::remote(n, "far.example").note(&format!("<p>Maps.<br>Twitter: @{n}</p>")),
        |n| {
            AccountSpec::remote(n, "far.example")
                .note(&format!("<p>formerly @{n} on the bird site</p>"))
        },
        |n| {
            AccountSpec::remote(n, "far.example").field(
                "links",
                &link(&format!(
                    "https://mobile.twitter.com/intent/user?screen_name={n}"
                )),
            )
        },
        |n| AccountSpec::remote(n, "far.example").field("🐦", n),
    ];
    let mut rows = Vec::new();
    let mut backlinked = Vec::new();
    for i in 0..300 {
        let name = format!("user{i:03}");
        let display = format!("Person {i:03}");
        let spec = match i {
            0..120 => {
                backlinked.push(name.clone());
                far.account(&name);
                // Half of them under another username: only the display name finds them.
                let fedi_name = if i % 2 == 0 {
                    name.clone()
                } else {
                    format!("p{i:03}")
                };
                let spec = shapes[i % shapes.len()](&name);
                Some(
                    AccountSpec {
                        username: fedi_name,
                        ..spec
                    }
                    .display_name(&display),
                )
            }
            120..180 => {
                near.account(&name);
                Some(AccountSpec::remote(&name, "near.example").display_name(&display))
            }
            180..210 => Some(
                AccountSpec::remote(&name, "near.example")
                    .display_name(&display)
                    .field(
                        "Twitter",
                        &link(&format!("https://twitter.com/{name}_real")),
                    ),
            ),
            210..240 => Some(
                AccountSpec::remote(&format!("{name}_b"), "near.example")
                    .note(&format!("<p>Twitter: @{name}_b</p>")),
            ),
            _ => None,
        };
        if let Some(spec) = spec {
            world.home.add_account(spec);
        }
        rows.push((format!("{}", 9000 + i), name, display));
    }
    // Followed accounts the far server holds under another username: WebFinger knows them.
    for i in (1..120).step_by(2) {
        far.account(&format!("p{i:03}"));
    }
    let rows_ref: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|(id, name, display)| (id.as_str(), name.as_str(), display.as_str(), ""))
        .collect();
    let (archive, profiles) = world.inputs(&rows_ref);
    let started = Instant::now();
    let doc = json(&world.run(&archive, &profiles, &["--json"]));
    let took = started.elapsed();
    let mut found = 0;
    let mut false_accepts = Vec::new();
    let mut possible = 0;
    for (i, (_, name, _)) in rows.iter().enumerate() {
        for (handle, state) in candidates(&doc, name) {
            let accepted = state == "verified" || state == "moved";
            possible += usize::from(state == "possible");
            if accepted && i < 120 {
                found += 1;
            } else if accepted {
                false_accepts.push(format!("{name}: {handle}"));
            }
        }
    }
    let searches = world.searches();
    println!(
        "reverse scene: {} follows, {} backlinked, found {found} (recall {:.1}%), {} false accepts, {possible} possible, {searches} searches ({:.2} per account), {:.1} s",
        rows.len(),
        backlinked.len(),
        100.0 * found as f64 / backlinked.len() as f64,
        false_accepts.len(),
        searches as f64 / rows.len() as f64,
        took.as_secs_f64()
    );
    assert_eq!(found, backlinked.len(), "recall");
    assert!(false_accepts.is_empty(), "false accepts: {false_accepts:?}");
    assert_eq!(possible, 60, "the same-username namesakes, and only those");
    assert_eq!(doc["totals"]["reverse"]["found"], 120);
}

#[test]
fn a_reverse_on_host_that_hangs_or_does_not_exist_is_one_line() {
    let world = World::new();
    let (archive, profiles) = small_scene(&world);
    world.fv.host("dead.example").set_mode(Mode::Hang);
    let started = Instant::now();
    let out = world.run(
        &archive,
        &profiles,
        &[
            "--json",
            "--reverse-on",
            "dead.example",
            "--reverse-on",
            "gone.example",
            "--resolve",
            "gone.example:443:127.0.0.1:1",
        ],
    );
    let took = started.elapsed();
    let doc = json(&out);
    let err = stderr(&out);
    for host in ["dead.example", "gone.example"] {
        let lines: Vec<&str> = err.lines().filter(|l| l.contains(host)).collect();
        assert_eq!(lines.len(), 1, "one line for {host}: {err}");
    }
    assert!(
        took < Duration::from_secs(6),
        "one --timeout (2 s) for the host that hangs, no retries: {took:?}\n{err}"
    );
    assert_eq!(
        candidates(&doc, "alice_w"),
        [pair("alice_w@fedi.example", "verified")],
        "the own instance's searches still count"
    );
    assert_eq!(doc["totals"]["reverse"]["skipped"], 12, "{}", doc["totals"]);
}
