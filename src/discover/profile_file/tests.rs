//! Profile-file parsing, one test per shape; the samples live in `tests/data/profiles/`.

use std::path::PathBuf;

use super::*;
use crate::discover::extract::Field;
use crate::discover::profile::ProfileSource;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/profiles")
        .join(name)
}

fn parse_str(text: &str) -> Result<ProfileFile, ProfileFileError> {
    parse(text.as_bytes(), "test.txt")
}

/// (id, username, display name) of each profile.
fn keys(file: &ProfileFile) -> Vec<(Option<&str>, Option<&str>, Option<&str>)> {
    file.profiles
        .iter()
        .map(|p| {
            (
                p.id.as_deref(),
                p.username.as_deref(),
                p.display_name.as_deref(),
            )
        })
        .collect()
}

fn record(profile: &Profile) -> usize {
    match &profile.source {
        ProfileSource::File { record, .. } => *record,
        other => panic!("unexpected source {other:?}"),
    }
}

#[test]
fn csv_with_spreadsheet_headers() {
    let file = read(&sample("profiles.csv")).expect("parse");
    assert_eq!(file.format, Format::Csv);
    assert_eq!(
        keys(&file),
        [
            (Some("1001"), Some("alice"), Some("Alice")),
            (Some("1002"), Some("bob"), Some("Bob, the builder")),
            (None, Some("carol"), Some("Carol")),
        ]
    );
    let bob = &file.profiles[1];
    assert_eq!(
        bob.description.as_deref(),
        Some("Two lines:\nhttps://fosstodon.org/@bob")
    );
    assert_eq!(bob.url.as_deref(), Some("https://bob.example"));
    assert_eq!(file.profiles[0].location.as_deref(), Some("Berlin"));
    assert_eq!(file.profiles[0].url, None);
    assert_eq!(record(&file.profiles[2]), 5);
    assert_eq!(
        file.skipped,
        [Skipped::new(6, "no account id and no username")]
    );
}

#[test]
fn csv_separators_bom_and_column_priority() {
    let text = "\u{FEFF}id;screen_name;description;url;expanded_url\n7;@dee;bio;https://t.co/x;https://mas.to/@dee\n";
    let file = parse_str(text).expect("parse");
    let dee = &file.profiles[0];
    assert_eq!(
        (dee.id.as_deref(), dee.username.as_deref()),
        (Some("7"), Some("dee"))
    );
    assert_eq!(dee.url.as_deref(), Some("https://t.co/x"));
    assert_eq!(dee.expanded_urls, ["https://mas.to/@dee"]);

    let tsv = "rest_id\tusername\tpinned_tweet\n8\teve\tI moved to @eve@mas.to\n";
    let file = parse_str(tsv).expect("parse");
    assert_eq!(
        file.profiles[0].pinned_text.as_deref(),
        Some("I moved to @eve@mas.to")
    );
}

#[test]
fn csv_without_a_key_column_is_an_error_naming_the_columns() {
    let err = parse_str("name,bio\nAlice,hi\n").expect_err("no key column");
    let msg = err.to_string();
    assert!(
        matches!(err, ProfileFileError::NoKeyColumn { .. }),
        "{err:?}"
    );
    assert!(
        msg.contains("test.txt") && msg.contains("name, bio"),
        "{msg}"
    );
}

#[test]
fn broken_csv_names_the_line() {
    let err = parse_str("id,username\n1,a\n2,b,extra\n").expect_err("a cell too many");
    let msg = err.to_string();
    assert!(msg.starts_with("test.txt, line 3"), "{msg}");
}

#[test]
fn json_array_and_jsonl() {
    let file = read(&sample("profiles.jsonl")).expect("parse");
    assert_eq!(file.format, Format::Jsonl);
    assert_eq!(
        keys(&file),
        [
            (Some("1"), Some("alice"), None),
            (Some("2"), None, Some("Bob")),
            (Some("3"), Some("carol"), None),
        ]
    );
    assert_eq!(
        file.profiles.iter().map(record).collect::<Vec<_>>(),
        [1, 3, 4]
    );
    assert_eq!(
        file.profiles[2].url.as_deref(),
        Some("https://social.example.org/@carol#hi")
    );

    let array = r#"[{"twitter_id":"5","display_name":"Five","bio":"x"},{"username":"six"}]"#;
    let file = parse_str(array).expect("parse");
    assert_eq!(file.format, Format::Json);
    assert_eq!(
        keys(&file),
        [(Some("5"), None, Some("Five")), (None, Some("six"), None)]
    );
}

#[test]
fn x_api_v2_response_with_pinned_posts() {
    let file = read(&sample("v2-users.json")).expect("parse");
    assert_eq!(
        keys(&file),
        [
            (Some("2244994945"), Some("alice_dev"), Some("Alice 🐘")),
            (Some("783214"), Some("bob"), Some("Bob")),
        ]
    );
    let alice = &file.profiles[0];
    assert_eq!(alice.location.as_deref(), Some("Berlin"));
    assert_eq!(
        alice.pinned_text.as_deref(),
        Some("Moving! Find me at https://t.co/Pin456")
    );
    assert_eq!(alice.expanded_urls, ["https://alice.example.net"]);
    assert_eq!(
        alice.more,
        [
            (
                Field::Description,
                "https://hachyderm.io/@alice".to_string()
            ),
            (
                Field::PinnedPost,
                "https://mastodon.social/@alice_dev/109318412345678901".to_string()
            ),
        ],
        "links behind the bio and the pinned post count as those fields"
    );
}

#[test]
fn x_api_v1_user_objects() {
    let file = read(&sample("v1-users.json")).expect("parse");
    assert_eq!(keys(&file), [(Some("12"), Some("jack"), Some("Jack"))]);
    let jack = &file.profiles[0];
    assert_eq!(jack.location, None);
    assert_eq!(jack.expanded_urls, ["https://jack.example"]);
}

#[test]
fn graphql_users_nested_anywhere_old_and_new_shapes() {
    let file = read(&sample("graphql-following.json")).expect("parse");
    assert_eq!(
        keys(&file),
        [
            (Some("1111"), Some("kana_draws"), Some("かな")),
            (Some("2222"), Some("erin"), Some("Erin")),
        ]
    );
    assert_eq!(file.profiles[0].expanded_urls, ["https://misskey.io/@kana"]);
    assert_eq!(file.profiles[1].location.as_deref(), Some("Lyon"));
    assert_eq!(file.profiles.iter().map(record).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn a_browser_har_capture_is_searched_inside() {
    let body = r#"{"data":{"user":{"result":{"__typename":"User","rest_id":"9","legacy":{"screen_name":"nine","name":"Nine","description":"@nine@mas.to"}}}}}"#;
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"url": "https://x.com/i/api/graphql/abc/Following"},
        "response": {"content": {"mimeType": "application/json", "text": body}}
    }]}});
    let file = parse_str(&har.to_string()).expect("parse");
    assert_eq!(keys(&file), [(Some("9"), Some("nine"), Some("Nine"))]);
}

#[test]
fn the_archive_viewer_prefix_is_skipped() {
    let text = "window.YTD.profiles.part0 = [{\"id\":\"4\",\"username\":\"four\"}]";
    assert_eq!(
        keys(&parse_str(text).expect("parse")),
        [(Some("4"), Some("four"), None)]
    );
}

#[test]
fn tweets_and_mentions_are_not_profiles() {
    let text = r#"{"data":[{"id":"1","text":"hi @a","entities":{"mentions":[{"start":3,"end":5,"username":"a","id":"2"}]}}]}"#;
    let err = parse_str(text).expect_err("no profiles");
    assert!(
        matches!(err, ProfileFileError::NoProfiles { .. }),
        "{err:?}"
    );
}

#[test]
fn bad_input_is_a_typed_error_naming_the_place() {
    let err =
        parse_str("{\"id\": \"1\", \"username\": \"a\"}\n{\"id\": 2,,}\n").expect_err("bad json");
    assert!(
        matches!(err, ProfileFileError::Json { line: 2, .. }),
        "{err:?}"
    );
    assert!(err.to_string().starts_with("test.txt, line 2"), "{err}");

    let err = parse(&b"id,username\n1,\xff\n"[..], "bin.csv").expect_err("not utf-8");
    assert!(matches!(err, ProfileFileError::NotUtf8 { .. }), "{err:?}");

    for empty in ["", "  \n", "\u{FEFF}"] {
        let err = parse_str(empty).expect_err("empty");
        assert!(
            matches!(err, ProfileFileError::Empty { .. }),
            "{empty:?}: {err:?}"
        );
        assert!(err.to_string().starts_with("test.txt is empty"), "{err}");
    }
    for nothing in ["[]", "{}"] {
        let err = parse_str(nothing).expect_err("no profiles");
        assert!(
            matches!(err, ProfileFileError::NoProfiles { .. }),
            "{nothing:?}: {err:?}"
        );
    }

    let err = parse_str("id,username\n\"2035,ann\n").expect_err("unclosed quote");
    assert_eq!(
        err.to_string(),
        "test.txt, line 2: not valid CSV (the row has 1 cell(s) but the header has 2; \
         an unclosed quote (\") can cause this)"
    );

    let err = read(&sample("does-not-exist.csv")).expect_err("missing");
    assert!(matches!(err, ProfileFileError::Io { .. }), "{err:?}");
}

#[test]
fn records_naming_no_account_and_rounded_ids_are_reported() {
    let file =
        parse_str("[{\"id\": \"1\", \"bio\": \"a\"}, {\"name\": \"Nobody\", \"bio\": \"b\"}]")
            .expect("parse");
    assert_eq!(file.profiles.len(), 1);
    assert_eq!(file.skipped.len(), 1, "{:?}", file.skipped);
    assert_eq!(file.skipped[0].record, 2);

    let file =
        parse_str("{\"name\": \"Nobody\"}\n{\"id\": \"7\", \"name\": \"Ann\"}\n").expect("jsonl");
    assert_eq!(file.skipped.len(), 1);
    assert_eq!(file.skipped[0].record, 1, "the JSONL line");

    let file =
        parse_str("id,username,bio\n1.23457E+18,ann,x\n2.5E+17,,y\n42,bob,z\n").expect("csv");
    assert_eq!(file.profiles.len(), 2, "ann by username, bob by id");
    assert_eq!(file.skipped.len(), 1);
    assert_eq!(
        file.notes,
        [
            "test.txt: 2 id cell(s) are not account ids (first: line 2, `1.23457E+18`); \
          a spreadsheet may have rounded them: save the ids as text"
        ]
    );
}

#[test]
fn parsed_profiles_feed_the_extractor() {
    use crate::discover::{ExtractOptions, candidates};
    let file = read(&sample("v2-users.json")).expect("parse");
    let found: Vec<String> = candidates(&file.profiles[0], &ExtractOptions::default())
        .iter()
        .map(|f| f.handle.to_string())
        .collect();
    assert_eq!(found, ["alice@hachyderm.io", "alice_dev@mastodon.social"]);
}
