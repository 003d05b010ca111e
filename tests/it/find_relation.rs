//! `fedimigrate find --relation blocks|mutes` end to end: archives built in a temp dir from
//! the sample scene with blocked and muted accounts, a profiles file describing them, and the
//! fake fediverse reached through `--resolve` and `--ca-cert`, as in `find.rs`. What is
//! checked: only the listed accounts are looked for, the `--json` document names its list,
//! the import files are Mastodon's block and mute shapes byte for byte, and old or damaged
//! archives end in one sentence.

use std::path::{Path, PathBuf};
use std::process::Output;

use fakeverse::Fakeverse;
use fakeverse::wellknown::{FediHost, Software};
use serde_json::Value;

use crate::archive::builder::Files;
use crate::archive::scenes;
use crate::util::{command, stderr, stdout};

/// The sample archive with three blocked and two muted accounts.
fn archive_files() -> Files {
    let (mut scene, _) = scenes::sample();
    scene.blocks = vec!["4001".into(), "4002".into(), "4003".into()];
    scene.mutes = vec!["4101".into(), "4102".into()];
    scene.build()
}

fn write_zip(home: &Path, files: &Files) -> PathBuf {
    let path = home.join("archive.zip");
    files.write_zip(&path).expect("write zip");
    path
}

/// Profiles of blocked, muted and followed accounts, and one record with only a username.
fn profiles(home: &Path) -> PathBuf {
    let path = home.join("profiles.csv");
    let rows = "id,username,bio\n\
        4001,troll_a,Now at @troll@bad.example\n\
        4002,spammer,Deals at @spam@bad.example\n\
        4101,loud_one,🐘 loud@noisy.example\n\
        4102,quiet_one,nothing here\n\
        2001,jonas_codes,@jonas@mastodon.example\n\
        ,stranger,@stranger@bad.example\n";
    std::fs::write(&path, rows).unwrap();
    path
}

/// The hosts the profiles name: two blocked accounts exist, spam does not.
fn world() -> Fakeverse {
    let fv = Fakeverse::start();
    FediHost::mount(&fv, "bad.example", Software::mastodon())
        .account("troll")
        .account("stranger");
    FediHost::mount(&fv, "noisy.example", Software::pleroma()).account("loud");
    FediHost::mount(&fv, "mastodon.example", Software::mastodon()).account("jonas");
    FediHost::mount(&fv, "bread.social", Software::gotosocial()).account("priya");
    fv
}

/// Runs `find ARCHIVE` with the fake's CA and `--resolve` for every host, in `home`.
fn find(fv: &Fakeverse, home: &Path, archive: &Path, args: &[&str]) -> Output {
    let ca = fv.write_ca(home);
    command(home)
        .arg("find")
        .arg(archive)
        .arg("--ca-cert")
        .arg(&ca)
        .args(fv.resolve_args())
        .args(["--timeout", "1"])
        .args(args)
        .output()
        .expect("run fedimigrate")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

fn ids(doc: &Value) -> Vec<&str> {
    doc["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap_or("?"))
        .collect()
}

#[test]
fn blocks_are_found_verified_and_written_as_mastodons_block_list() {
    let home = tempfile::tempdir().unwrap();
    let archive = write_zip(home.path(), &archive_files());
    let profiles = profiles(home.path());
    let csv = home.path().join("blocked.csv");
    let fv = world();
    let args = ["--relation", "blocks", "--json", "--profiles"];
    let out = find(
        &fv,
        home.path(),
        &archive,
        &[
            &args[..],
            &[profiles.to_str().unwrap(), "--csv", csv.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc = json(&out);
    assert_eq!(doc["relation"], "blocks");
    assert_eq!(
        ids(&doc),
        ["4001", "4002", "4003"],
        "only block.js's accounts"
    );
    assert_eq!(doc["totals"]["followed"], 3);
    assert_eq!(doc["totals"]["verified"], 1);
    assert_eq!(
        doc["totals"]["not_followed"], 4,
        "jonas, the two muted accounts and the stranger without an id"
    );
    assert_eq!(doc["accounts"][1]["candidates"][0]["state"], "not_found");
    assert_eq!(doc["instances"][0]["host"], "bad.example");
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "troll@bad.example\n",
        "Mastodon's block list: bare addresses, no header"
    );
    let err = stderr(&out);
    assert!(err.contains("type \"Blocking list\""), "{err}");
    assert_eq!(
        fv.host("mastodon.example").request_count(),
        0,
        "a followed account is not looked up for blocks"
    );
}

#[test]
fn mutes_read_as_muted_accounts_and_write_mastodons_mute_list() {
    let home = tempfile::tempdir().unwrap();
    let archive = write_zip(home.path(), &archive_files());
    let profiles = profiles(home.path());
    let csv = home.path().join("muted.csv");
    let fv = world();
    let out = find(
        &fv,
        home.path(),
        &archive,
        &[
            "--relation",
            "mutes",
            "--profiles",
            profiles.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Muted accounts     2 scanned: 2 with profile data\n"),
        "{text}"
    );
    assert!(
        text.contains("4 profile record(s) that match no account you muted, left out"),
        "{text}"
    );
    assert!(
        text.contains("Where the accounts you muted are\n"),
        "{text}"
    );
    assert!(!text.contains("friends"), "{text}");
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "Account address,Hide notifications\nloud@noisy.example,true\n"
    );
    let err = stderr(&out);
    assert!(err.contains("type \"Muting list\""), "{err}");

    let lines = find(
        &fv,
        home.path(),
        &archive,
        &[
            "--relation",
            "mutes",
            "--jsonl",
            "--profiles",
            profiles.to_str().unwrap(),
        ],
    );
    assert_eq!(lines.status.code(), Some(0), "{}", stderr(&lines));
    let ids: Vec<String> = stdout(&lines)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"4101\"", "\"4102\""], "one account per line");
}

#[test]
fn an_archive_without_block_js_warns_and_blocks_nobody() {
    let home = tempfile::tempdir().unwrap();
    let grailbird = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/grailbird-archive.zip");
    let profiles = profiles(home.path());
    let out = command(home.path())
        .arg("find")
        .arg(&grailbird)
        .args(["--relation", "blocks", "--offline", "--json", "--profiles"])
        .arg(&profiles)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("the archive has no block.js (archives from before 2019 have none)"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let doc = json(&out);
    assert_eq!(doc["relation"], "blocks");
    assert_eq!(
        doc["accounts"],
        serde_json::json!([]),
        "profile records are never taken as blocks"
    );
}

#[test]
fn an_empty_mute_list_says_so() {
    let home = tempfile::tempdir().unwrap();
    let (mut scene, _) = scenes::sample();
    scene.mutes = Vec::new();
    let archive = write_zip(home.path(), &scene.build());
    let out = command(home.path())
        .arg("find")
        .arg(&archive)
        .args(["--relation", "mutes", "--offline"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(
            "the archive's mute.js lists no accounts, so there are no muted accounts to look for"
        ),
        "{err}"
    );
    assert!(
        stdout(&out).starts_with("Muted accounts     0 scanned"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_damaged_block_js_fails_like_a_damaged_following_js() {
    let home = tempfile::tempdir().unwrap();
    let damaged =
        "window.YTD.block.part0 = [ {\n  \"blocking\" : {\n    \"accountId\" : \"4001\",\n";
    for (file, relation) in [
        ("data/block.js", "blocks"),
        ("data/following.js", "following"),
    ] {
        let mut files = archive_files();
        let global = if relation == "blocks" {
            "block"
        } else {
            "following"
        };
        files.add(
            file,
            damaged.replace("block.part0", &format!("{global}.part0")),
        );
        let archive = write_zip(home.path(), &files);
        let out = command(home.path())
            .arg("find")
            .arg(&archive)
            .args(["--relation", relation, "--offline"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{relation}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(file.trim_start_matches("data/")), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}
