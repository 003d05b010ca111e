//! `follow`, `block` and `mute` as a user runs them: the real binary against the fake instance
//! over HTTPS (`--resolve`, `--ca-cert`), with the token in a file (`--instance URL
//! --token-file FILE`) and a temporary data directory for the journal.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::time::Duration;

use fakeverse::Fakeverse;
use fakeverse::mastodon::{AccountSpec, FakeMastodon, Family, Flavour};

use crate::util::{command, stderr, stdout};

/// A user's machine and their instance, `mastodon.example`, where `alice` is logged in.
pub struct Scene {
    pub fv: Fakeverse,
    pub fake: FakeMastodon,
    pub home: tempfile::TempDir,
    pub ca: PathBuf,
    pub token_file: PathBuf,
    pub alice: String,
}

impl Scene {
    pub fn new() -> Self {
        Self::with(Flavour::Mastodon)
    }

    pub fn with(flavour: Flavour) -> Self {
        let fv = Fakeverse::start();
        let fake = FakeMastodon::mount(&fv, "mastodon.example", flavour);
        let alice = fake.add_user("alice");
        let token = fake.issue_token("alice", "read write follow");
        let home = tempfile::tempdir().unwrap();
        let ca = fv.write_ca(home.path());
        let token_file = home.path().join("token.txt");
        std::fs::write(&token_file, token).unwrap();
        Self {
            fv,
            fake,
            home,
            ca,
            token_file,
            alice,
        }
    }

    /// Adds remote accounts `name@remote.example` that the instance already knows.
    pub fn remotes(&self, names: &[&str]) -> Vec<String> {
        names
            .iter()
            .map(|n| {
                self.fake
                    .add_account(AccountSpec::remote(n, "remote.example"))
            })
            .collect()
    }

    /// Writes a file in the home folder.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.home.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }

    /// The command with the network and account flags that reach the fake.
    pub fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = command(self.home.path());
        cmd.args(args)
            .arg("--instance")
            .arg("mastodon.example")
            .arg("--token-file")
            .arg(&self.token_file)
            .arg("--ca-cert")
            .arg(&self.ca)
            .args(["--resolve", &self.fv.resolve_value("mastodon.example")])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    /// Runs the binary, feeding `stdin`.
    pub fn run_with(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = self.command(args);
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(text.as_bytes()).unwrap();
        }
        child.wait_with_output().unwrap()
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, None)
    }

    /// The accounts alice follows (or asked to follow), by username.
    pub fn followed(&self) -> Vec<String> {
        let state = self.fake.state();
        let mut names: Vec<String> = state
            .follows
            .iter()
            .filter(|f| f.follower == self.alice)
            .filter_map(|f| state.account(&f.target).map(|a| a.username.clone()))
            .collect();
        names.sort();
        names
    }

    /// How many follows the instance carried out, per target account id.
    pub fn follow_posts(&self) -> BTreeMap<String, u32> {
        self.fake.state().follow_calls
    }
}

fn jsonl_lines(out: &Output) -> Vec<serde_json::Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn results(out: &Output) -> BTreeMap<String, String> {
    jsonl_lines(out)
        .into_iter()
        .map(|v| {
            (
                v["handle"].as_str().unwrap().to_string(),
                v["result"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// find's JSONL for these (handle, state) pairs, one account each.
fn find_jsonl(candidates: &[(&str, &str)]) -> String {
    candidates
        .iter()
        .enumerate()
        .map(|(i, (handle, state))| {
            serde_json::json!({
                "id": i.to_string(),
                "username": format!("tw{i}"),
                "candidates": [{"handle": handle, "state": state}],
            })
            .to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn follows_verified_accounts_from_finds_jsonl_and_reports_each() {
    let s = Scene::new();
    s.remotes(&["ana", "ben", "cy"]);
    let file = s.file(
        "matches.jsonl",
        &find_jsonl(&[
            ("ana@remote.example", "verified"),
            ("ben@remote.example", "verified"),
            ("cy@remote.example", "timeout"),
            ("ghost@remote.example", "verified"),
        ]),
    );
    let out = s.run(&["follow", &file, "--yes", "--jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.followed(), ["ana", "ben"]);
    let got = results(&out);
    assert_eq!(got["ana@remote.example"], "followed");
    assert_eq!(
        got["cy@remote.example"], "skipped",
        "unverified needs the flag"
    );
    assert_eq!(got["ghost@remote.example"], "not_found");
    assert!(
        stderr(&out).contains("Run 1 (following): followed 2"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_input_format_and_standard_input() {
    let csv = "Account address,Show boosts,Notify on new posts,Languages\n\
               ana@remote.example,false,true,\"en,de\"\n";
    let plain = "# friends\n@ben@remote.example\nhttps://remote.example/@cy\n";
    let doc = serde_json::json!({"accounts": [{"candidates": [
        {"handle": "old@elsewhere.example", "state": "moved", "moved_to": "dee@remote.example"}]}]});
    let s = Scene::new();
    s.remotes(&["ana", "ben", "cy", "dee"]);
    let csv = s.file("following_accounts.csv", csv);
    let doc = s.file("matches.json", &doc.to_string());
    assert_eq!(s.run(&["follow", &csv, "--yes"]).status.code(), Some(0));
    let out = s.run_with(&["follow", "-", "--yes"], Some(plain));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = s.run(&["follow", &doc, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.followed(), ["ana", "ben", "cy", "dee"]);
    let state = s.fake.state();
    let ana = state
        .follows
        .iter()
        .find(|f| f.notify)
        .expect("ana's row options");
    assert!(!ana.reblogs);
    assert_eq!(
        ana.languages,
        Some(vec!["en".to_string(), "de".to_string()])
    );
}

#[test]
fn the_dry_run_plan_counts_every_case_and_changes_nothing() {
    let s = Scene::new();
    let ids = s.remotes(&["ana", "ben", "friend"]);
    s.fake
        .add_account(AccountSpec::remote("locked", "remote.example").locked());
    s.fake.seed_follows("alice", &ids[2..3]);
    let list = "ana@remote.example\nben@remote.example\nANA@remote.example\n\
                friend@remote.example\nlocked@remote.example\nnobody@remote.example\n\
                alice@mastodon.example\nnot a handle\n";
    let file = s.file("list.txt", list);
    let out = s.run(&["follow", &file, "--dry-run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let plan = stdout(&out);
    for (label, n) in [
        ("to follow", 3),
        ("of them locked", 1),
        ("already followed", 1),
        ("not found", 1),
        ("duplicates", 1),
        ("yourself", 1),
    ] {
        let line = plan
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in {plan}"));
        assert!(line.contains(&format!(" {n}")), "{label}: {line}");
    }
    assert!(plan.contains("400 follows per 24 h"), "{plan}");
    assert!(stderr(&out).contains("1 line(s)"), "{}", stderr(&out));
    assert_eq!(s.followed(), ["friend"], "a dry run follows nobody");
    let json = s.run(&["follow", &file, "--dry-run", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["counts"]["to_follow"], 3);
    assert_eq!(doc["counts"]["already_following"], 1);
    assert!(!s.home.path().join("data").exists(), "no journal written");
}

#[test]
fn without_a_terminal_it_needs_yes() {
    let s = Scene::new();
    s.remotes(&["ana"]);
    let file = s.file("list.txt", "ana@remote.example\n");
    let out = s.run(&["follow", &file]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    assert!(s.followed().is_empty());
}

#[test]
fn locked_accounts_are_requested_and_a_rerun_does_nothing_twice() {
    let s = Scene::new();
    s.remotes(&["ana"]);
    s.fake
        .add_account(AccountSpec::remote("lock", "remote.example").locked());
    let file = s.file("list.txt", "ana@remote.example\nlock@remote.example\n");
    let first = s.run(&["follow", &file, "--yes", "--jsonl"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let got = results(&first);
    assert_eq!(got["lock@remote.example"], "requested");
    let second = s.run(&["follow", &file, "--yes", "--jsonl"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("Nothing to do"),
        "{}",
        stderr(&second)
    );
    assert!(
        s.follow_posts().values().all(|n| *n == 1),
        "{:?}",
        s.follow_posts()
    );
}

#[test]
fn undo_unfollows_exactly_what_the_run_followed() {
    let s = Scene::new();
    let ids = s.remotes(&["ana", "ben", "old"]);
    s.fake.seed_follows("alice", &ids[2..3]);
    let file = s.file(
        "list.txt",
        "ana@remote.example\nben@remote.example\nold@remote.example\n",
    );
    assert_eq!(s.run(&["follow", &file, "--yes"]).status.code(), Some(0));
    assert_eq!(s.followed(), ["ana", "ben", "old"]);
    let runs = s.run(&["follow", "--runs"]);
    assert!(stdout(&runs).contains("followed 2"), "{}", stdout(&runs));
    let out = s.run(&["follow", "--undo", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.followed(), ["old"], "the follow from before stays");
    let again = s.run(&["follow", "--undo", "--yes"]);
    assert_eq!(again.status.code(), Some(2), "nothing left to undo");
    let refollow = s.run(&["follow", &file, "--yes"]);
    assert_eq!(refollow.status.code(), Some(0));
    assert_eq!(
        s.followed(),
        ["ana", "ben", "old"],
        "undone ones can be followed again"
    );
}

#[test]
fn a_moved_account_is_followed_at_its_new_home() {
    let s = Scene::new();
    let new = s
        .fake
        .add_account(AccountSpec::remote("ana", "new.example"));
    s.fake
        .add_account(AccountSpec::remote("ana", "old.example").moved_to(&new));
    let file = s.file("list.txt", "ana@old.example\n");
    let out = s.run(&["follow", &file, "--yes", "--jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = jsonl_lines(&out);
    assert_eq!(lines[0]["acct"], "ana@new.example");
    assert_eq!(lines[0]["reason"], "moved to ana@new.example");
    let state = s.fake.state();
    assert_eq!(state.follows.len(), 1);
    assert_eq!(state.follows[0].target, new);
}

#[test]
fn the_rate_limit_ends_a_run_with_75_and_the_rerun_goes_on() {
    let s = Scene::new();
    let names: Vec<String> = (0..8).map(|i| format!("u{i}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    s.remotes(&refs);
    s.fake
        .set_rate_limit(Family::Follows, 4, Duration::from_secs(3));
    let list: String = names
        .iter()
        .map(|n| format!("{n}@remote.example\n"))
        .collect();
    let file = s.file("list.txt", &list);
    let first = s.run(&["follow", &file, "--yes", "--max-wait", "0s"]);
    assert_eq!(first.status.code(), Some(75), "{}", stderr(&first));
    let err = stderr(&first);
    assert!(
        err.contains("run the same `fedimigrate follow` command again after"),
        "{err}"
    );
    let done = s.followed().len();
    assert!((1..8).contains(&done), "{done} followed before the stop");
    let waiting = s.run(&["follow", &file, "--yes", "--max-wait", "0s"]);
    let code = waiting.status.code();
    assert!(code == Some(75) || code == Some(0), "{}", stderr(&waiting));
    let mut rounds = 0;
    loop {
        let out = s.run(&["follow", &file, "--yes", "--max-wait", "10s"]);
        if out.status.code() == Some(0) {
            break;
        }
        rounds += 1;
        assert!(rounds < 4, "{}", stderr(&out));
        std::thread::sleep(Duration::from_secs(1));
    }
    assert_eq!(s.followed().len(), 8);
    assert_eq!(s.fake.state().refused, 0, "paced, never refused");
    assert!(s.follow_posts().values().all(|n| *n == 1));
}

#[test]
fn blocks_and_mutes_with_their_options_and_undo() {
    let s = Scene::new();
    let ids = s.remotes(&["troll", "noisy"]);
    let blocks = s.file("blocked.csv", "troll@remote.example\n");
    let mutes = s.file(
        "muted.csv",
        "Account address,Hide notifications\nnoisy@remote.example,false\n",
    );
    let out = s.run(&["block", &blocks, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = s.run(&["mute", &mutes, "--yes", "--duration", "7d"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let state = s.fake.state();
    assert!(state.blocking(&s.alice, &ids[0]));
    let mute = state.mutes.iter().find(|m| m.target == ids[1]).unwrap();
    assert!(!mute.notifications, "the CSV's column counts");
    assert_eq!(mute.expires_in, Some(604_800));
    let out = s.run(&["block", "--undo", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!s.fake.state().blocking(&s.alice, &ids[0]));
    assert!(
        !s.fake.state().mutes.is_empty(),
        "mutes have their own journal"
    );
}

#[test]
fn a_list_gets_every_account_followed() {
    let s = Scene::new();
    s.remotes(&["ana", "ben"]);
    let file = s.file("list.txt", "ana@remote.example\nben@remote.example\n");
    let out = s.run(&["follow", &file, "--yes", "--list", "From Twitter"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let state = s.fake.state();
    assert_eq!(state.lists.len(), 1);
    assert_eq!(state.lists[0].title, "From Twitter");
    assert_eq!(state.lists[0].accounts.len(), 2);
    let again = s.run(&["follow", &file, "--yes", "--list", "From Twitter"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(s.fake.state().lists.len(), 1, "the list is reused");
}

#[test]
fn a_second_run_on_the_same_journal_is_refused() {
    let s = Scene::new();
    s.remotes(&["ana"]);
    let file = s.file("list.txt", "ana@remote.example\n");
    s.fake.host().set_latency(Duration::from_millis(1500));
    let mut slow = s.command(&["follow", &file, "--yes"]);
    let mut child = slow.stdin(Stdio::null()).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(1200));
    let second = s.run(&["follow", &file, "--yes"]);
    let _ = child.wait();
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("another fedimigrate run"),
        "{}",
        stderr(&second)
    );
}

#[test]
fn finds_blocks_are_never_followed() {
    let s = Scene::new();
    s.remotes(&["troll"]);
    let line = r#"{"relation":"blocks","candidates":[{"handle":"troll@remote.example","state":"verified"}]}"#;
    let file = s.file("blocked.jsonl", &format!("{line}\n"));
    let out = s.run(&["follow", &file, "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("fedimigrate block"),
        "{}",
        stderr(&out)
    );
    assert!(s.followed().is_empty());
    let out = s.run(&["block", &file, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn three_hundred_follows_under_a_small_budget_wait_without_a_refusal() {
    let s = Scene::new();
    let names: Vec<String> = (0..300).map(|i| format!("p{i:03}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    s.remotes(&refs);
    s.fake
        .set_rate_limit(Family::Follows, 120, Duration::from_secs(2));
    s.fake
        .set_rate_limit(Family::Api, 10_000, Duration::from_secs(300));
    let list: String = names
        .iter()
        .map(|n| format!("{n}@remote.example\n"))
        .collect();
    let file = s.file("list.txt", &list);
    let started = std::time::Instant::now();
    let out = s.run(&["follow", &file, "--yes"]);
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(s.followed().len(), 300);
    assert_eq!(s.fake.state().refused, 0, "paced, never refused");
    assert!(
        took >= Duration::from_secs(2),
        "300 follows at 120 per 2 s need two more windows: {took:?}"
    );
    assert!(stderr(&out).contains("followed 300"), "{}", stderr(&out));
}

#[test]
fn an_address_that_could_not_be_checked_is_a_partial_run() {
    let s = Scene::new();
    s.remotes(&["ana"]);
    s.fake.drop_after_commit_rate("GET", "/api/v2/search", 1.0);
    let file = s.file("list.txt", "ana@remote.example\n");
    let out = s.run(&["follow", &file, "--yes"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("could not check"), "{}", stderr(&out));
    s.fake.host().clear_drops();
    let again = s.run(&["follow", &file, "--yes"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(s.followed(), ["ana"]);
}

#[test]
fn lost_answers_are_undone_too_and_a_bare_undo_stops_at_the_last_run() {
    let s = Scene::new();
    s.remotes(&["ana", "ben", "cy"]);
    let first = s.file("one.txt", "cy@remote.example\n");
    assert_eq!(s.run(&["follow", &first, "--yes"]).status.code(), Some(0));
    s.fake.drop_after_commit("POST", "/api/v1/accounts/", 100);
    let file = s.file("list.txt", "ana@remote.example\nben@remote.example\n");
    let out = s.run(&["follow", &file, "--yes"]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "every answer was lost: {}",
        stderr(&out)
    );
    assert_eq!(
        s.followed(),
        ["ana", "ben", "cy"],
        "the server did them all"
    );
    s.fake.host().clear_drops();
    let undo = s.run(&["follow", "--undo", "--yes"]);
    assert_eq!(undo.status.code(), Some(0), "{}", stderr(&undo));
    assert!(
        stderr(&undo).contains("ana@remote.example"),
        "names them: {}",
        stderr(&undo)
    );
    assert_eq!(s.followed(), ["cy"]);
    let again = s.run(&["follow", "--undo", "--yes"]);
    assert_eq!(again.status.code(), Some(2), "{}", stderr(&again));
    assert!(stderr(&again).contains("--undo RUN"), "{}", stderr(&again));
    assert_eq!(s.followed(), ["cy"], "run 1 is not taken back unasked");
}

#[test]
fn a_list_that_could_not_be_filled_is_filled_by_the_rerun() {
    let s = Scene::new();
    s.remotes(&["ana"]);
    s.fake.drop_after_commit("GET", "/api/v1/lists", 100);
    let file = s.file("list.txt", "ana@remote.example\n");
    let out = s.run(&["follow", &file, "--yes", "--list", "Friends"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    s.fake.host().clear_drops();
    let again = s.run(&["follow", &file, "--yes", "--list", "Friends"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let lists = s.fake.state().lists;
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].accounts.len(), 1);
}

#[test]
fn a_paused_run_goes_on_when_max_wait_covers_the_rest() {
    let s = Scene::new();
    s.remotes(&["a1", "a2", "a3"]);
    s.fake
        .set_rate_limit(Family::Follows, 1, Duration::from_secs(2));
    let file = s.file(
        "list.txt",
        "a1@remote.example\na2@remote.example\na3@remote.example\n",
    );
    let first = s.run(&["follow", &file, "--yes", "--max-wait", "0s"]);
    assert_eq!(first.status.code(), Some(75), "{}", stderr(&first));
    let too_soon = s.run(&["follow", &file, "--yes", "--max-wait", "0s"]);
    assert_eq!(too_soon.status.code(), Some(75));
    assert!(
        stderr(&too_soon).contains("nothing was sent"),
        "{}",
        stderr(&too_soon)
    );
    let patient = s.run(&["follow", &file, "--yes", "--max-wait", "1m"]);
    assert_eq!(patient.status.code(), Some(0), "{}", stderr(&patient));
    assert_eq!(s.followed().len(), 3);
}

#[test]
fn a_muted_accounts_csv_is_not_blocked() {
    let s = Scene::new();
    s.remotes(&["noisy"]);
    let file = s.file(
        "muted.csv",
        "Account address,Hide notifications\nnoisy@remote.example,true\n",
    );
    let out = s.run(&["block", &file, "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("fedimigrate mute"),
        "{}",
        stderr(&out)
    );
    assert!(s.fake.state().blocks.is_empty());
}

#[test]
fn undo_never_takes_back_a_follow_the_rate_limit_stopped() {
    let s = Scene::new();
    s.remotes(&["c0", "c1", "c2", "c3"]);
    s.fake
        .set_rate_limit(Family::Follows, 2, Duration::from_secs(60));
    let file = s.file(
        "list.txt",
        "c0@remote.example\nc1@remote.example\nc2@remote.example\nc3@remote.example\n",
    );
    let out = s.run(&["follow", &file, "--yes", "--max-wait", "1s", "--json"]);
    assert_eq!(out.status.code(), Some(75), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["paused_until"].is_string(), "{doc}");
    let followed = s.followed().len();
    assert!((1..4).contains(&followed), "{followed}");
    let plan = s.run(&["follow", "--undo", "--dry-run", "--json"]);
    let doc: serde_json::Value = serde_json::from_slice(&plan.stdout).unwrap();
    assert_eq!(doc["count"], followed, "only what the run followed: {doc}");
}
