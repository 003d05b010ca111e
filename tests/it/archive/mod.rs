//! `inspect` and `export` end to end: the real binary on archives built in a temp dir (every
//! layout, every trap, every kind of damage) and on the committed fixtures.

pub mod builder;
mod export_edges;
pub mod scenes;
mod traps;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::util::{run, stderr, stdout};
use builder::Files;
use scenes::Expect;

/// Writes `files` as `name` (a zip) in `dir`.
fn zip(dir: &Path, name: &str, files: &Files) -> PathBuf {
    let path = dir.join(name);
    files.write_zip(&path).expect("write zip");
    path
}

/// `inspect --json` on `path`, which must succeed.
fn inspect(path: &Path) -> Value {
    let out = run(&["inspect", "--json", path.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("inspect --json prints JSON")
}

/// Asserts the counts `inspect` found are those the scene wrote.
fn assert_counts(doc: &Value, e: &Expect) {
    let c = &doc["counts"];
    let table = [
        ("tweets", e.tweets),
        ("replies", e.replies),
        ("self_replies", e.self_replies),
        ("retweets", e.retweets),
        ("quotes", e.quotes),
        ("note_tweets", e.note_tweets),
        ("circle_tweets", e.circle_tweets),
        ("deleted_tweets", e.deleted_tweets),
        ("following", e.following),
        ("followers", e.followers),
        ("media_files", e.media_files),
    ];
    for (key, want) in table {
        assert_eq!(c[key].as_u64(), Some(want), "counts.{key} in {doc:#}");
    }
}

fn warnings(doc: &Value) -> Vec<String> {
    doc["warnings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|w| w.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Exports `what` as `format` to stdout; must succeed.
fn export(path: &Path, what: &str, format: &str) -> String {
    let out = run(&[
        "export",
        path.to_str().expect("utf-8 path"),
        "--what",
        what,
        "--format",
        format,
    ]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    stdout(&out)
}

fn sample_zip(dir: &Path) -> (PathBuf, Expect) {
    let (modern, expect) = scenes::sample();
    (zip(dir, "sample.zip", &modern.build()), expect)
}

#[test]
fn the_sample_is_summarised_with_exact_keys_and_counts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, expect) = scenes::sample();
    let doc = inspect(&zip(dir.path(), "sample.zip", &modern.build()));
    let keys: Vec<&str> = doc
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "account",
            "counts",
            "first_tweet_at",
            "last_tweet_at",
            "layout",
            "profile",
            "warnings"
        ]
    );
    assert_eq!(
        doc["profile"],
        serde_json::json!({
            "bio": "Writing about trains, bread and open protocols.",
            "website": "https://t.co/abc",
            "location": "Leipzig",
            "avatar_url": "https://pbs.twimg.com/profile_images/1/avatar.png",
            "avatar_file": "data/profile_media/1180000000000000001-avatar.png",
            "header_url": null,
        })
    );
    let account_keys: Vec<&str> = doc["account"]
        .as_object()
        .expect("account")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        account_keys,
        ["display_name", "id", "past_usernames", "username"]
    );
    for key in [
        "tweets",
        "replies",
        "retweets",
        "note_tweets",
        "circle_tweets",
        "deleted_tweets",
        "following",
        "followers",
        "blocks",
        "mutes",
        "likes",
        "lists",
        "media_files",
    ] {
        assert!(doc["counts"][key].is_u64(), "counts.{key} missing");
    }
    assert_eq!(doc["layout"], "ytd-tweets");
    assert_eq!(doc["account"]["username"], "mara_liebt_bahn");
    assert_eq!(
        doc["account"]["past_usernames"],
        serde_json::json!(["mara_okafor"])
    );
    assert_counts(&doc, &expect);
    let c = &doc["counts"];
    assert_eq!(
        (
            c["blocks"].as_u64(),
            c["mutes"].as_u64(),
            c["likes"].as_u64(),
            c["lists"].as_u64()
        ),
        (Some(2), Some(1), Some(15), Some(3))
    );
    let rfc3339 = |secs: i64| {
        chrono::DateTime::from_timestamp(secs, 0)
            .expect("time")
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string()
    };
    let first = modern
        .tweets
        .iter()
        .map(|t| t.created)
        .min()
        .expect("tweets");
    let last = modern
        .tweets
        .iter()
        .map(|t| t.created)
        .max()
        .expect("tweets");
    assert_eq!(doc["first_tweet_at"], rfc3339(first));
    assert_eq!(doc["last_tweet_at"], rfc3339(last));
    let w = warnings(&doc);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with("1 media file referenced by a tweet is missing"),
        "{w:?}"
    );
}

#[test]
fn a_folder_and_its_data_child_read_like_the_zip() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, expect) = scenes::sample();
    let root = dir.path().join("unpacked");
    modern.build().write_dir(&root).expect("write folder");
    assert_counts(&inspect(&root), &expect);
    assert_counts(&inspect(&root.join("data")), &expect);
}

#[test]
fn a_zip_with_a_top_folder_reads_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, expect) = scenes::sample();
    let mut nested = Files::default();
    for (name, bytes) in modern.build().files {
        nested.add(&format!("twitter-2024-05-01-abc/{name}"), bytes);
    }
    assert_counts(&inspect(&zip(dir.path(), "nested.zip", &nested)), &expect);
}

#[test]
fn the_committed_fixtures_are_what_the_builder_makes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let (modern, _) = scenes::sample();
    let built = zip(dir.path(), "sample.zip", &modern.build());
    let pairs = [
        (built, "sample-archive.zip"),
        (
            zip(dir.path(), "ytd.zip", &scenes::ytd2019().0),
            "ytd-2019-archive.zip",
        ),
        (
            zip(dir.path(), "gb.zip", &scenes::grailbird().0),
            "grailbird-archive.zip",
        ),
        (
            zip(dir.path(), "gbcsv.zip", &scenes::grailbird_csv().0),
            "grailbird-csv-archive.zip",
        ),
    ];
    for (built, committed) in pairs {
        let want = std::fs::read(&built).expect("built");
        let have = std::fs::read(fixtures.join(committed)).expect("committed fixture");
        assert!(
            want == have,
            "fixtures/{committed} is stale: run `cargo run --example make-fixtures`"
        );
    }
    let csv = std::fs::read_to_string(fixtures.join("sample-profiles.csv")).expect("profiles");
    assert_eq!(
        csv,
        scenes::sample_profiles_csv(),
        "fixtures/sample-profiles.csv is stale"
    );
}

#[test]
fn the_committed_sample_inspects_in_human_form() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-archive.zip");
    let out = run(&["inspect", path.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let (_, e) = scenes::sample();
    assert!(
        text.contains("Owner       @mara_liebt_bahn (Mara Okafor), account id 1180000000000000001"),
        "{text}"
    );
    assert!(text.contains("            formerly @mara_okafor"), "{text}");
    assert!(
        text.contains(&format!("Tweets      {}, 2019-01-", e.tweets)),
        "{text}"
    );
    assert!(text.contains("Following   40\n"), "{text}");
    assert!(
        text.contains("Bio         Writing about trains, bread and open protocols.\nWebsite     https://t.co/abc\nLocation    Leipzig\nAvatar      data/profile_media/1180000000000000001-avatar.png\n"),
        "{text}"
    );
    assert!(text.contains("Warnings (1)"), "{text}");
}

#[test]
fn exported_tweets_are_normalised_and_filtered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, expect) = sample_zip(dir.path());
    let lines = export(&path, "tweets", "jsonl");
    let tweets: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(tweets.len() as u64, expect.tweets);
    let texts: Vec<&str> = tweets.iter().filter_map(|t| t["text"].as_str()).collect();
    assert!(
        !texts.iter().any(|t| t.contains("Close friends only")),
        "circle tweet leaked"
    );
    assert!(
        !texts.iter().any(|t| t.contains("frist")),
        "old edit version kept"
    );
    assert!(texts.contains(&"Typo fixed in the second version"));
    assert!(
        !texts.iter().any(|t| t.contains("Oops, wrong account")),
        "deleted tweet kept"
    );
    assert!(texts.iter().any(|t| t.contains("@mara@mastodon.example")));
    assert!(
        texts
            .iter()
            .any(|t| t.contains("Regional trains & bike racks")),
        "entities not decoded"
    );
    assert!(
        !texts
            .iter()
            .any(|t| t.contains("&amp;") || t.contains("t.co/")),
        "escaped text or t.co left"
    );
    let note = tweets
        .iter()
        .find(|t| t["is_note"] == true)
        .expect("the long post");
    assert!(
        note["text"]
            .as_str()
            .unwrap_or("")
            .ends_with("thoughts welcome!")
    );
    assert_eq!(
        note["urls"],
        serde_json::json!(["https://blog.example.org/night-trains"])
    );
    let video = tweets
        .iter()
        .find(|t| t["media"][0]["kind"] == "video")
        .expect("video tweet");
    assert!(
        video["media"][0]["file"]
            .as_str()
            .unwrap_or("")
            .ends_with("-V1.mp4")
    );
    let thread = tweets.iter().filter(|t| t["is_self_reply"] == true).count() as u64;
    assert_eq!(thread, expect.self_replies);
    let mention = tweets
        .iter()
        .find(|t| t["mentions"].as_array().is_some_and(|m| m.len() == 2))
        .expect("two mentions");
    assert!(mention["mentions"][0]["id"].is_string() && mention["mentions"][0]["name"].is_string());
}

#[test]
fn relations_export_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, _) = sample_zip(dir.path());
    let csv = export(&path, "following", "csv");
    assert_eq!(csv.lines().next(), Some("account_id"));
    assert_eq!(csv.lines().count(), 41);
    assert_eq!(csv.lines().nth(1), Some("2001"));
    let json: Value =
        serde_json::from_str(&export(&path, "followers", "json")).expect("a JSON array");
    assert_eq!(json.as_array().map(Vec::len), Some(25));
    assert_eq!(
        export(&path, "blocks", "jsonl"),
        "{\"account_id\":\"4001\"}\n{\"account_id\":\"4002\"}\n"
    );
    let lists: Value = serde_json::from_str(&export(&path, "lists", "json")).expect("lists");
    assert_eq!(lists[1]["role"], "member");
    let likes = export(&path, "likes", "csv");
    assert!(
        likes.starts_with("tweet_id,full_text,expanded_url\n"),
        "{likes}"
    );
    assert_eq!(likes.lines().count(), 16);
    let tweets_csv = export(&path, "tweets", "csv");
    assert!(
        tweets_csv.starts_with("id,created_at,text,in_reply_to_status_id"),
        "{tweets_csv}"
    );
    let mutes: Value = serde_json::from_str(&export(&path, "mutes", "json")).expect("json");
    assert_eq!(mutes, serde_json::json!([{"account_id": "4101"}]));
}

#[test]
fn export_to_a_file_is_atomic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, _) = sample_zip(dir.path());
    let out_file = dir.path().join("following.csv");
    let archive = path.to_str().expect("utf-8");
    let ok = run(&[
        "export",
        archive,
        "--what",
        "following",
        "--format",
        "csv",
        "-o",
        out_file.to_str().expect("utf-8"),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert_eq!(
        std::fs::read_to_string(&out_file)
            .expect("written")
            .lines()
            .count(),
        41
    );
    // A failing export leaves the earlier file alone and no temporary file behind.
    std::fs::write(dir.path().join("broken.zip"), b"not a zip").expect("write");
    let broken = dir.path().join("broken.zip");
    let bad = run(&[
        "export",
        broken.to_str().expect("utf-8"),
        "--what",
        "following",
        "-o",
        out_file.to_str().expect("utf-8"),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&out_file)
            .expect("kept")
            .lines()
            .count(),
        41
    );
    let leftovers = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn a_2019_export_with_its_traps_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expect) = scenes::ytd2019();
    let doc = inspect(&zip(dir.path(), "ytd2019.zip", &files));
    assert_eq!(doc["layout"], "ytd-tweet");
    assert_eq!(doc["account"]["username"], "simona");
    assert_counts(&doc, &expect);
    let w = warnings(&doc);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].starts_with(&format!("{} media file", expect.missing_media)),
        "{w:?}"
    );
    let lines = export(&zip(dir.path(), "again.zip", &files), "tweets", "jsonl");
    assert!(lines.contains("with 5 > 3 & 2 < 4"), "{lines}");
}

/// The 2019 scene with `tweet_media/` packed into `tweet_media/tweet_media.zip`, as archives
/// of mid-2019 had it; the inner zip's files sit under a folder of their own.
fn ytd2019_with_zipped_media() -> (Files, Expect) {
    let (files, expect) = scenes::ytd2019();
    let mut media = Files::default();
    let mut outer = Files::default();
    for (name, bytes) in files.files {
        match name.strip_prefix("tweet_media/") {
            Some(file) => media.add(&format!("tweet_media/{file}"), bytes),
            None => outer.add(&name, bytes),
        }
    }
    assert_eq!(media.files.len() as u64, expect.media_files);
    outer.add("tweet_media/tweet_media.zip", media.zip_bytes());
    (outer, expect)
}

#[test]
fn media_zipped_inside_the_archive_are_counted_and_found() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expect) = ytd2019_with_zipped_media();
    let stored = dir.path().join("stored.zip");
    files
        .write_zip_storing(&stored, |name| name.ends_with(".zip"))
        .expect("write");
    let unpacked = dir.path().join("unpacked");
    files.write_dir(&unpacked).expect("write dir");
    let archives = [zip(dir.path(), "deflated.zip", &files), stored, unpacked];
    for path in &archives {
        let doc = inspect(path);
        assert_counts(&doc, &expect);
        let w = warnings(&doc);
        assert_eq!(w.len(), 1, "only the one missing file: {w:?}");
        assert!(
            w[0].starts_with("1 media file referenced by a tweet"),
            "{w:?}"
        );
        let lines = export(path, "tweets", "jsonl");
        assert!(
            lines.contains("tweet_media/tweet_media.zip/1096855061918646276-Old4.png\""),
            "the file's name says it is in the inner zip: {lines}"
        );
    }
}

#[test]
fn a_damaged_media_zip_is_a_warning() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut files, mut expect) = ytd2019_with_zipped_media();
    let mut bytes = files
        .get("tweet_media/tweet_media.zip")
        .expect("zip")
        .to_vec();
    bytes.truncate(bytes.len() / 2);
    files.add("tweet_media/tweet_media.zip", bytes);
    expect.media_files = 0;
    let path = dir.path().join("stored.zip");
    files
        .write_zip_storing(&path, |name| name.ends_with(".zip"))
        .expect("write");
    for path in [path, zip(dir.path(), "deflated.zip", &files)] {
        let doc = inspect(&path);
        assert_counts(&doc, &expect);
        let w = warnings(&doc);
        assert!(
            w.iter().any(|w| w.contains("tweet_media/tweet_media.zip")
                && w.contains("its media files are not counted")),
            "{w:?}"
        );
    }
}

#[test]
fn a_grailbird_archive_keeps_its_big_ids() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expect) = scenes::grailbird();
    let path = zip(dir.path(), "gb.zip", &files);
    let doc = inspect(&path);
    assert_eq!(doc["layout"], "grailbird");
    assert_eq!(doc["account"]["id"], "3052317647");
    assert_counts(&doc, &expect);
    assert!(warnings(&doc).is_empty(), "{doc:#}");
    let lines = export(&path, "tweets", "jsonl");
    assert!(lines.contains("\"id\":\"553264218390417411\""), "{lines}");
    assert!(
        lines.contains("\"created_at\":\"2015-03-31T19:00:13Z\""),
        "{lines}"
    );
    assert!(lines.contains("Hello 2015 & all"), "{lines}");
}

#[test]
fn manifest_mismatches_and_missing_parts_are_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut modern, _) = scenes::sample();
    modern.parts = 3;
    let mut files = modern.build();
    files
        .files
        .retain(|(name, _)| name != "data/tweets-part2.js");
    let manifest = String::from_utf8(files.get("data/manifest.js").expect("manifest").to_vec())
        .expect("utf-8");
    files.add(
        "data/manifest.js",
        manifest.replacen("\"count\": \"40\"", "\"count\": \"41\"", 1),
    );
    let doc = inspect(&zip(dir.path(), "parts.zip", &files));
    let w = warnings(&doc).join("\n");
    assert!(w.contains("data/tweets-part2.js in "), "{w}");
    assert!(
        w.contains("is listed in manifest.js but missing from the archive"),
        "{w}"
    );
    assert!(
        w.contains("data/following.js in ")
            && w.contains("holds 40 records but manifest.js lists 41"),
        "{w}"
    );
}

#[test]
fn damaged_optional_files_are_warnings() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, expect) = scenes::sample();
    let mut files = modern.build();
    files.add(
        "data/like.js",
        "window.YTD.like.part0 = [ {\"like\": {\"tweetId\": \"1\"} }, {\"like\": ",
    );
    files.add("data/account.js", "window.YTD.account.part0 = [\n  {\n    account: {\n      username: \"mara_liebt_bahn\",\n      accountId: \"1180000000000000001\",\n    },\n  },\n];\n");
    let doc = inspect(&zip(dir.path(), "optional.zip", &files));
    assert_counts(&doc, &expect);
    let w = warnings(&doc).join("\n");
    assert!(
        w.contains("data/like.js in ") && w.contains("is cut off at byte"),
        "{w}"
    );
    assert!(
        w.contains("data/account.js in ") && w.contains("not valid JSON"),
        "{w}"
    );
    assert_eq!(doc["account"]["username"], "mara_liebt_bahn");
}

/// Runs `inspect` on a broken archive: exit 1, one line naming `names`, no panic.
fn assert_fails(path: &Path, names: &[&str]) {
    let out = run(&["inspect", path.to_str().expect("utf-8")]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("error: "), "{err}");
    for name in names {
        assert!(err.contains(name), "{err:?} should name {name:?}");
    }
    assert!(
        !err.contains("panicked") && !err.contains("backtrace"),
        "{err}"
    );
}

/// The sample with `data/tweets.js` replaced by `bytes`.
fn with_tweets(dir: &Path, name: &str, bytes: Vec<u8>) -> PathBuf {
    let (modern, _) = scenes::sample();
    let mut files = modern.build();
    files.add("data/tweets.js", bytes);
    zip(dir, name, &files)
}

fn sample_tweets_js() -> Vec<u8> {
    let (modern, _) = scenes::sample();
    modern
        .build()
        .get("data/tweets.js")
        .expect("tweets.js")
        .to_vec()
}

#[test]
fn bad_archives_end_with_one_sentence_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    assert_fails(&d.join("nope.zip"), &["nope.zip", "does not exist"]);
    std::fs::write(d.join("notes.txt"), "hello").expect("write");
    assert_fails(&d.join("notes.txt"), &["notes.txt", "not a zip file"]);
    let mut other = Files::default();
    other.add("holiday/photo.txt", "not twitter");
    assert_fails(
        &zip(d, "holiday.zip", &other),
        &["holiday.zip", "does not look like a Twitter archive"],
    );
    let (good, _) = sample_zip(d);
    let bytes = std::fs::read(&good).expect("read");
    std::fs::write(d.join("cut.zip"), &bytes[..bytes.len() / 2]).expect("write");
    assert_fails(&d.join("cut.zip"), &["cut.zip", "damaged zip file"]);
}

#[test]
fn bad_tweet_files_are_reported_with_entry_and_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let js = sample_tweets_js();
    let cut = with_tweets(d, "cut-js.zip", js[..js.len() / 2].to_vec());
    assert_fails(
        &cut,
        &[
            "data/tweets.js in ",
            "cut-js.zip",
            &format!("cut off at byte {}", thousands(js.len() / 2)),
        ],
    );
    let mut garbage = js.clone();
    let middle = garbage.len() / 2;
    garbage.splice(middle..middle, b"<<garbage>>".iter().copied());
    assert_fails(
        &with_tweets(d, "garbage.zip", garbage),
        &["data/tweets.js in ", "is not valid at byte"],
    );
    let mut latin1 = js.clone();
    latin1[middle] = 0xE9;
    assert_fails(
        &with_tweets(d, "latin1.zip", latin1),
        &["data/tweets.js in ", "not UTF-8 text"],
    );
    assert_fails(
        &with_tweets(d, "noprefix.zip", b"hello world".to_vec()),
        &["data/tweets.js in ", "does not start with"],
    );
}

#[test]
fn an_entry_larger_than_declared_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, _) = sample_zip(dir.path());
    let mut bytes = std::fs::read(&path).expect("read");
    let declared = sample_tweets_js().len() as u32;
    let patched = patch_sizes(&mut bytes, "data/tweets.js", declared, 1000);
    assert_eq!(patched, 2, "local and central headers patched");
    let lying = dir.path().join("lying.zip");
    std::fs::write(&lying, bytes).expect("write");
    assert_fails(
        &lying,
        &[
            "data/tweets.js in ",
            "holds more than the 1,000 bytes its zip entry declares",
        ],
    );
}

#[test]
fn corrupt_compressed_data_is_damage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (path, _) = sample_zip(dir.path());
    let mut bytes = std::fs::read(&path).expect("read");
    let at = find(&bytes, b"data/tweets.js").expect("entry") + 200;
    for b in &mut bytes[at..at + 64] {
        *b ^= 0x5A;
    }
    let broken = dir.path().join("flipped.zip");
    std::fs::write(&broken, bytes).expect("write");
    assert_fails(&broken, &["data/tweets.js in ", "flipped.zip", "damaged"]);
}

/// Rewrites the uncompressed size of `name` in the zip's local and central headers.
fn patch_sizes(zip: &mut [u8], name: &str, from: u32, to: u32) -> usize {
    let mut patched = 0;
    let mut at = 0;
    while let Some(i) = find(&zip[at..], name.as_bytes()).map(|i| i + at) {
        for (sig, size_at) in [(b"PK\x03\x04", 22usize), (b"PK\x01\x02", 24usize)] {
            let header = if sig == b"PK\x03\x04" { 30 } else { 46 };
            if i >= header && &zip[i - header..i - header + 4] == sig {
                let field = i - header + size_at;
                if zip[field..field + 4] == from.to_le_bytes() {
                    zip[field..field + 4].copy_from_slice(&to.to_le_bytes());
                    patched += 1;
                }
            }
        }
        at = i + 1;
    }
    patched
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The sample with its tweets copied until `data/tweets.js` passes 1 MB, the size from which
/// the reader inflates on a second thread.
fn big_sample() -> (Files, u64) {
    let (mut modern, expect) = scenes::sample();
    modern.parts = 1;
    let plain: Vec<_> = modern
        .tweets
        .iter()
        .filter(|t| t.edit_ids.is_empty() && !t.text.contains("Close friends"))
        .cloned()
        .collect();
    let mut added = 0;
    for k in 1..=6u64 {
        for t in &plain {
            let mut copy = t.clone();
            copy.id += k * 1_000_000;
            modern.tweets.push(copy);
            added += 1;
        }
    }
    (modern.build(), expect.tweets + added)
}

#[test]
fn a_big_part_streams_through_the_inflate_thread() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, tweets) = big_sample();
    let js = files.get("data/tweets.js").expect("tweets.js").to_vec();
    assert!(js.len() > 1 << 20, "tweets.js is only {} bytes", js.len());
    let doc = inspect(&zip(dir.path(), "big.zip", &files));
    assert_eq!(doc["counts"]["tweets"].as_u64(), Some(tweets));
    let cut = js.len() * 7 / 10;
    let mut broken = files.clone();
    broken.add("data/tweets.js", js[..cut].to_vec());
    assert_fails(
        &zip(dir.path(), "big-cut.zip", &broken),
        &[
            "data/tweets.js in ",
            &format!("cut off at byte {}", thousands(cut)),
        ],
    );
}

/// The ids of exported tweets, in order.
fn exported_ids(lines: &str) -> Vec<String> {
    lines
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|t| t["id"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn an_archive_with_only_tweets_csv_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expect) = scenes::grailbird_csv();
    let path = zip(dir.path(), "early.zip", &files);
    let doc = inspect(&path);
    assert_eq!(doc["layout"], "grailbird");
    assert_eq!(doc["account"]["username"], "early_bird");
    assert_counts(&doc, &expect);
    assert_eq!(doc["first_tweet_at"], "2012-12-03T17:25:48Z");
    assert_eq!(doc["last_tweet_at"], "2012-12-09T08:25:48Z");
    assert!(warnings(&doc).is_empty(), "{doc:#}");

    let lines = export(&path, "tweets", "jsonl");
    let tweets: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let by_id = |n: u64| {
        let id = (278_000_000_000_000_000u64 + n).to_string();
        tweets
            .iter()
            .find(|t| t["id"] == id.as_str())
            .unwrap_or_else(|| panic!("tweet {id} in {lines}"))
    };
    assert_eq!(tweets.len(), 6);
    assert_eq!(
        by_id(1)["text"],
        "First tweet in the archive,\nover two lines <3"
    );
    assert_eq!(by_id(1)["created_at"], "2012-12-03T17:25:48Z");
    assert_eq!(by_id(2)["in_reply_to_status_id"], "277000000000000003");
    assert_eq!(by_id(2)["in_reply_to_user_id"], "2001");
    assert_eq!(by_id(2)["mentions"][0]["screen_name"], "ann");
    assert_eq!(by_id(3)["is_self_reply"], true);
    assert_eq!(by_id(4)["is_retweet"], true);
    assert_eq!(
        by_id(4)["text"],
        "RT @ann: trains & \"bread\" https://example.org/t"
    );
    assert_eq!(
        by_id(5)["text"],
        "Bread 🍞 and a read https://example.org/rye"
    );
    assert_eq!(by_id(5)["media"][0]["kind"], "photo");
    assert_eq!(
        by_id(6)["quoted_url"],
        "https://twitter.com/ann/status/277000000000000001"
    );
}

#[test]
fn missing_or_damaged_month_files_are_read_from_tweets_csv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, expect) = scenes::grailbird();
    let mut missing = files.clone();
    missing
        .files
        .retain(|(name, _)| name != "data/js/tweets/2015_03.js");
    let doc = inspect(&zip(dir.path(), "missing.zip", &missing));
    assert_counts(&doc, &expect);
    let w = warnings(&doc);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains("data/js/tweets/2015_03.js in ")
            && w[0].ends_with(
                "missing from the archive, so its tweets were read from tweets.csv instead"
            ),
        "{w:?}"
    );

    let mut cut = files.clone();
    let month = cut
        .get("data/js/tweets/2015_01.js")
        .expect("month")
        .to_vec();
    cut.add("data/js/tweets/2015_01.js", &month[..month.len() - 40]);
    let path = zip(dir.path(), "cut.zip", &cut);
    let doc = inspect(&path);
    assert_counts(&doc, &expect);
    let w = warnings(&doc).join("\n");
    assert!(
        w.contains("data/js/tweets/2015_01.js in ")
            && w.contains("is cut off at byte")
            && w.contains("its tweets were read from tweets.csv instead"),
        "{w}"
    );
    let mut ids = exported_ids(&export(&path, "tweets", "jsonl"));
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "{ids:?}");

    // A header-only tweets.csv cannot stand in: the damage is the error.
    let mut hollow = cut.clone();
    hollow.add("tweets.csv", builder::tweets_csv(&[]));
    assert_fails(
        &zip(dir.path(), "hollow.zip", &hollow),
        &["data/js/tweets/2015_01.js", "cut off at byte"],
    );
}

#[test]
fn a_bad_tweets_csv_is_one_sentence_naming_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, _) = scenes::grailbird_csv();
    let csv = files.get("tweets.csv").expect("csv").to_vec();
    let mut cut = files.clone();
    cut.add("tweets.csv", &csv[..csv.len() - 30]);
    assert_fails(
        &zip(dir.path(), "cut.zip", &cut),
        &[
            "tweets.csv in ",
            "cut.zip",
            "is cut off in the row at line 7",
            "download the archive again",
        ],
    );
    let mut bad = files.clone();
    let text = String::from_utf8(csv).expect("utf-8");
    bad.add(
        "tweets.csv",
        text.replacen("\"278000000000000002\"", "\"27800000000000000x\"", 1),
    );
    assert_fails(
        &zip(dir.path(), "bad.zip", &bad),
        &[
            "tweets.csv in ",
            "not valid at line 6",
            "`27800000000000000x` is not a tweet id",
        ],
    );
}

#[test]
fn a_missing_or_damaged_profile_is_no_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (modern, expect) = scenes::sample();
    let mut files = modern.build();
    files.add(
        "data/profile.js",
        "window.YTD.profile.part0 = [ { \"profile\" : { \"descr",
    );
    let doc = inspect(&zip(dir.path(), "damaged.zip", &files));
    assert_counts(&doc, &expect);
    assert!(doc["profile"].is_null(), "{doc:#}");
    let w = warnings(&doc).join("\n");
    assert!(
        w.contains("data/profile.js in ") && w.contains("it was skipped"),
        "{w}"
    );
    files
        .files
        .retain(|(name, _)| !name.starts_with("data/profile"));
    let doc = inspect(&zip(dir.path(), "none.zip", &files));
    assert!(doc["profile"].is_null(), "{doc:#}");

    let (early, _) = scenes::grailbird_csv();
    let doc = inspect(&zip(dir.path(), "early.zip", &early));
    assert_eq!(doc["profile"]["bio"], "Up early, baking.");
    assert_eq!(doc["profile"]["location"], "Leeds");
    assert!(doc["profile"]["avatar_file"].is_null());
}
