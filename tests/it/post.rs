//! `post --dry-run` end to end: the real binary on an archive built here (a thread across
//! tweet parts, a long note tweet, media with one file missing, a video beside a photo,
//! replies to others, a retweet, quotes of others and of one's own, a matched mention,
//! circle and deleted tweets), offline with `--max-chars`, and once against the fake
//! instance for its limits. `--jsonl` output is checked exactly.

use std::path::{Path, PathBuf};

use fakeverse::mastodon::Flavour;
use serde_json::{Value, json};

use crate::archive::builder::{MediaSpec, Modern, Person, TweetSpec};
use crate::follow::Scene;
use crate::util::{command, stderr, stdout};

const NOTE_SENTENCE: &str = "Night trains are the best way to cross a continent. ";

const T0: i64 = 1_546_300_800; // 2019-01-01T00:00:00Z

fn owner() -> Person {
    Person::new("42", "owner", "Owner")
}

fn friend() -> Person {
    Person::new("7", "friend", "Friend")
}

fn tweet(id: u64, minutes: i64, text: &str) -> TweetSpec {
    TweetSpec {
        id,
        created: T0 + minutes * 60,
        text: text.into(),
        lang: "en".into(),
        ..TweetSpec::default()
    }
}

fn media(key: &str, video: bool, present: bool) -> MediaSpec {
    MediaSpec {
        key: key.into(),
        video,
        present,
    }
}

/// The archive every offline test reads. Tweets are listed newest first, as X writes them,
/// in two parts: the thread's reply (id 1002) lands in the part before its parent (1001).
pub fn archive(dir: &Path) -> PathBuf {
    let mut m = Modern {
        owner: Some(owner()),
        parts: 2,
        ..Modern::default()
    };
    let long = format!(
        "{} The end of a long post, with a link: https://t.co/n1",
        NOTE_SENTENCE.repeat(12)
    );
    let cut: String = long.chars().take(200).collect();
    let mut note = tweet(1009, 90, &format!("{cut}… https://t.co/w1"));
    note.urls = vec![(
        "https://t.co/w1".into(),
        "https://twitter.com/i/web/status/1009".into(),
    )];
    m.notes.push((
        note.created,
        long,
        vec![(
            "https://t.co/n1".into(),
            "https://blog.example.org/trains".into(),
        )],
    ));
    let mut photos = tweet(1005, 50, "Fresh bread");
    photos.media = vec![media("AAA", false, true), media("BBB", false, false)];
    let mut mixed = tweet(1006, 60, "Video and photo");
    mixed.media = vec![media("CCC", true, true), media("DDD", false, true)];
    let mut thanks = tweet(1007, 70, "Thanks @friend and @stranger");
    thanks.mentions = vec![friend(), Person::new("8", "stranger", "Stranger")];
    let mut answer_other = tweet(1003, 30, "@friend agreed");
    answer_other.mentions = vec![friend()];
    answer_other.reply_to = Some((555, friend()));
    let mut quote_other = tweet(1008, 80, "So true https://t.co/q1");
    quote_other.urls = vec![(
        "https://t.co/q1".into(),
        "https://twitter.com/friend/status/777".into(),
    )];
    let mut quote_own = tweet(1010, 100, "Still true https://t.co/q2");
    quote_own.urls = vec![(
        "https://t.co/q2".into(),
        "https://twitter.com/owner/status/1001".into(),
    )];
    let mut reply = tweet(1002, 20, "And they have beds");
    reply.reply_to = Some((1001, owner()));
    let circle = tweet(1011, 110, "Close friends only");
    m.tweets = vec![
        circle.clone(),
        quote_own,
        note,
        quote_other,
        thanks,
        mixed,
        reply,
        photos,
        tweet(1004, 40, "RT @friend: trains!"),
        answer_other,
        tweet(1001, 10, "Night trains are back"),
    ];
    m.circle.push(circle);
    m.deleted.push(tweet(1012, 120, "Wrong account"));
    let path = dir.join("archive.zip");
    m.build().write_zip(&path).expect("write the archive");
    path
}

/// Runs `post` offline with `args` after the archive; returns the output.
fn post(dir: &Path, args: &[&str]) -> std::process::Output {
    let archive = archive(dir);
    command(dir)
        .arg("post")
        .arg(&archive)
        .args(args)
        .output()
        .expect("run fedimigrate")
}

fn lines(out: &std::process::Output) -> Vec<Value> {
    stdout(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A `--jsonl` line with the fields every line of these tests shares filled in.
fn expected(tweet: u64, minutes: i64, chunk: usize, total: usize, fields: Value) -> Value {
    let created = chrono::DateTime::from_timestamp(T0 + minutes * 60, 0).unwrap();
    let mut line = json!({
        "tweet_id": tweet.to_string(),
        "created_at": created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "chunk": chunk, "total": total,
        "spoiler_text": null, "media": [], "visibility": "unlisted", "language": "en",
        "sensitive": false, "reply_to": null, "quote": null, "quote_placeholder": null,
        "idempotency_key": format!("fm1-cbf29ce484222325-{tweet}-{chunk}"),
    });
    for (k, v) in fields.as_object().unwrap() {
        line[k] = v.clone();
    }
    line
}

#[test]
fn the_preview_shows_every_post_in_thread_order_and_nothing_it_must_not() {
    let dir = tempfile::tempdir().unwrap();
    let matches = dir.path().join("matches.jsonl");
    std::fs::write(
        &matches,
        r#"{"username":"friend","candidates":[{"handle":"friend@remote.example","state":"verified"}]}"#,
    )
    .unwrap();
    let alt = dir.path().join("alt.csv");
    std::fs::write(
        &alt,
        "tweet_id,media,description\n1005,1005-AAA.png,A loaf on a board\n",
    )
    .unwrap();
    let out = post(
        dir.path(),
        &[
            "--dry-run",
            "--jsonl",
            "--max-chars",
            "500",
            "--matches",
            matches.to_str().unwrap(),
            "--alt-text",
            alt.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let media = |file: &str, kind: &str, description: Value| json!({"file": format!("data/tweets_media/{file}"), "kind": kind, "description": description});
    let want = vec![
        expected(
            1001,
            10,
            0,
            1,
            json!({"text": "Night trains are back", "length": 21}),
        ),
        expected(
            1002,
            20,
            0,
            1,
            json!({"text": "And they have beds", "length": 18,
                   "reply_to": {"kind": "tweet", "tweet_id": "1001"}}),
        ),
        expected(
            1005,
            50,
            0,
            1,
            json!({"text": "Fresh bread", "length": 11,
                   "media": [media("1005-AAA.png", "photo", json!("A loaf on a board"))],
                   "warnings": ["tweet 1005 has a photo the archive does not hold; it is posted without it"]}),
        ),
        expected(
            1006,
            60,
            0,
            2,
            json!({"text": "Video and photo\n\n1/2", "length": 20,
                   "media": [media("1006-CCC.mp4", "video", Value::Null)]}),
        ),
        expected(
            1006,
            60,
            1,
            2,
            json!({"text": "2/2", "length": 3, "reply_to": {"kind": "previous_chunk"},
                   "media": [media("1006-DDD.png", "photo", Value::Null)]}),
        ),
        expected(
            1007,
            70,
            0,
            1,
            json!({"text": "Thanks @friend@remote.example and ＠stranger", "length": 28}),
        ),
        expected(
            1008,
            80,
            0,
            1,
            json!({"text": "So true https://twitter.com/friend/status/777", "length": 31,
                   "quote": {"kind": "other", "target": "https://twitter.com/friend/status/777"}}),
        ),
        expected(
            1010,
            100,
            0,
            1,
            json!({"text": "Still true https://twitter.com/owner/status/1001", "length": 34,
                   "quote": {"kind": "own", "target": "1001"},
                   "quote_placeholder": "https://twitter.com/owner/status/1001"}),
        ),
    ];
    let (note, got): (Vec<Value>, Vec<Value>) = lines(&out)
        .into_iter()
        .partition(|l| l["tweet_id"] == "1009");
    assert_note_split(&note, 500);
    assert_eq!(got, want, "stdout:\n{}", stdout(&out));
    let err = stderr(&out);
    for fact in [
        "Tweets      10 read, 8 selected",
        "Skipped     2: 1 retweets (--retweets skip), 1 replies to others (--replies self)",
        "Posts       10 (2 tweet(s) split into several posts; 1 thread(s))",
        "Media       3 to upload, 1 left out",
        "300 posts per 3 h, 30 media uploads per 30 min",
    ] {
        assert!(err.contains(fact), "{fact} not in:\n{err}");
    }
    let all = stdout(&out) + &err;
    for secret in ["Close friends", "Wrong account", "1011", "1012"] {
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
    }
}

/// The long post (from the note, not the truncated tweet) became a numbered thread of two
/// posts within `max`, holding its whole text with the link expanded. Where the cut falls
/// is the composer's business, tested there.
fn assert_note_split(lines: &[Value], max: u64) {
    assert_eq!(lines.len(), 2, "{lines:?}");
    let squeeze = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut whole = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["chunk"], i);
        assert_eq!(line["total"], 2);
        assert!(line["length"].as_u64().unwrap() <= max, "{line}");
        let text = line["text"].as_str().unwrap();
        let marker = format!("\n\n{}/2", i + 1);
        whole.push(
            text.strip_suffix(&marker)
                .unwrap_or_else(|| panic!("{text}"))
                .to_string(),
        );
        let reply = if i == 0 {
            json!(null)
        } else {
            json!({"kind": "previous_chunk"})
        };
        assert_eq!(line["reply_to"], reply);
    }
    let want = format!(
        "{} The end of a long post, with a link: https://blog.example.org/trains",
        NOTE_SENTENCE.repeat(12)
    );
    assert_eq!(squeeze(&whole.join(" ")), squeeze(&want));
}

#[test]
fn options_choose_what_goes_and_how_it_reads() {
    let dir = tempfile::tempdir().unwrap();
    let skip = dir.path().join("skip.txt");
    std::fs::write(&skip, "https://x.com/owner/status/1008\n1009\n").unwrap();
    let out = post(
        dir.path(),
        &[
            "--dry-run",
            "--jsonl",
            "--max-chars",
            "500",
            "--replies",
            "all",
            "--retweets",
            "link",
            "--since",
            "2019-01-01T00:25:00Z",
            "--until",
            "2018-12-31",
            "--skip-ids",
            skip.to_str().unwrap(),
            "--visibility",
            "private",
            "--date-footer",
            "%Y",
            "--with-media-only",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "--since after --until");
    let out = post(
        dir.path(),
        &[
            "--dry-run",
            "--jsonl",
            "--max-chars",
            "500",
            "--replies",
            "all",
            "--retweets",
            "link",
            "--since",
            "2019-01-01T00:25:00Z",
            "--until",
            "2019-01-01T01:25:00Z",
            "--skip-ids",
            skip.to_str().unwrap(),
            "--visibility",
            "private",
            "--date-footer",
            "%Y",
            "--content-warning",
            "old tweets",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got: Vec<(String, String, String)> = lines(&out)
        .iter()
        .map(|l| {
            assert_eq!(l["visibility"], "private");
            assert_eq!(l["spoiler_text"], "old tweets");
            (
                l["tweet_id"].as_str().unwrap().to_string(),
                l["text"].as_str().unwrap().to_string(),
                l["reply_to"].to_string(),
            )
        })
        .collect();
    let t =
        |id: &str, text: &str, reply: &str| (id.to_string(), text.to_string(), reply.to_string());
    assert_eq!(
        got,
        [
            t("1003", "agreed\n\n2019", "null"),
            t("1004", "RT ＠friend: trains!\n\n2019", "null"),
            t("1005", "Fresh bread\n\n2019", "null"),
            t("1006", "Video and photo\n\n2019 · 1/2", "null"),
            t("1006", "2/2", r#"{"kind":"previous_chunk"}"#),
            t("1007", "Thanks ＠friend and ＠stranger\n\n2019", "null"),
        ]
    );
    let err = stderr(&out);
    assert!(err.contains("Tweets      10 read, 5 selected"), "{err}");
    assert!(
        err.contains("Skipped     5: 2 in --skip-ids, 2 before --since, 1 not before --until\n"),
        "{err}"
    );
}

#[test]
fn text_output_reads_like_the_posts() {
    let dir = tempfile::tempdir().unwrap();
    let out = post(dir.path(), &["--dry-run", "--max-chars", "500"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let want = "── tweet 1002 · 2019-01-01 00:20 UTC · 1 post\n   replies to our copy of tweet 1001 (in this preview)\n[1/1] · unlisted · en · 18 characters\n    | And they have beds\n\n";
    assert!(text.contains(want), "{text}");
    assert!(
        text.contains("    media: data/tweets_media/1005-AAA.png (photo), no description\n"),
        "{text}"
    );
    assert!(text.contains("   warning: tweet 1005 has a photo the archive does not hold; it is posted without it\n"), "{text}");
    assert!(
        text.contains("Preview     offline, for a Mastodon instance allowing 500 characters\n")
    );
    // A thread's reply whose start is not selected says it stands alone.
    let out = post(
        dir.path(),
        &[
            "--dry-run",
            "--max-chars",
            "500",
            "--since",
            "2019-01-01T00:15:00Z",
        ],
    );
    assert!(
        stdout(&out).contains("   replies to our copy of tweet 1001 (not in this preview: "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn offline_limits_are_for_the_preview_only() {
    let dir = tempfile::tempdir().unwrap();
    let out = post(dir.path(), &["--max-chars", "500"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: --max-chars and its companions are for an offline --dry-run; posting uses the instance's own limits\n"
    );
    assert!(stdout(&out).is_empty());
    let out = post(dir.path(), &["--offline"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot run with --offline"),
        "{}",
        stderr(&out)
    );
    let out = post(dir.path(), &["--dry-run", "--offline"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("give --max-chars N"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_instance_gives_the_limits_and_is_never_written_to() {
    let scene = Scene::with(Flavour::Mastodon);
    scene.fake.set_max_characters(30);
    let dir = tempfile::tempdir().unwrap();
    let archive = archive(dir.path());
    let out = scene.run(&["post", archive.to_str().unwrap(), "--dry-run", "--jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let got = lines(&out);
    assert!(got.iter().all(|l| l["length"].as_u64().unwrap() <= 30));
    let thread: Vec<&str> = got
        .iter()
        .filter(|l| l["tweet_id"] == "1008")
        .map(|l| l["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        thread,
        [
            "So true\n\n1/2",
            "https://twitter.com/friend/status/777\n\n2/2"
        ]
    );
    let key = got[0]["idempotency_key"].as_str().unwrap();
    assert!(key.starts_with("fm1-") && key.ends_with("-1001-0"), "{key}");
    assert_ne!(
        key, "fm1-cbf29ce484222325-1001-0",
        "the account is in the key"
    );
    let err = stderr(&out);
    assert!(err.contains("allowing 30 characters"), "{err}");
    assert!(err.contains("300 posts per 3 h"), "{err}");
    let routes = scene.fake.requests_by_route();
    assert!(
        routes.keys().all(|r| r.starts_with("GET ")),
        "only reads: {routes:?}"
    );
}
