//! Inputs the fuzzers in `fuzz/` found to crash, hang or exhaust memory, each run through the
//! same entry point as its fuzz target, so `cargo test` keeps them fixed. Inputs that are files
//! live in `tests/data/fuzz/` (named `<target>-<what>`); small ones are inline. Each test also
//! checks what the reader made of the input, so a test that stops reaching the bug fails.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fedimigrate::archive::{ArchiveError, Tweet, tweets_of_file};

/// Generous for inputs of a few KB; a quadratic or exponential path takes far longer.
const LIMIT: Duration = Duration::from_secs(10);

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/fuzz")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

/// What the `tweets_file` target does: the tweets read, and the reader's error if it stopped.
fn tweets(bytes: &[u8]) -> (Vec<Tweet>, Option<ArchiveError>) {
    let started = Instant::now();
    let mut out = Vec::new();
    let mut reader = bytes;
    let result = tweets_of_file::<ArchiveError>(&mut reader, "fuzz.zip", |tweet| {
        out.push(tweet);
        Ok(ControlFlow::Continue(()))
    });
    assert!(started.elapsed() < LIMIT, "took {:?}", started.elapsed());
    (out, result.err())
}

#[test]
fn tweets_file_entity_window_inside_a_character() {
    // `&amp` then U+FEFF across byte 12 of the entity window: the window was cut mid-character.
    let (read, err) = tweets(&data("tweets_file-entity-window.js"));
    let texts: Vec<&str> = read.iter().map(|t| t.text.as_str()).collect();
    assert_eq!(texts, ["Old tweet 0 with 5 > 3 &amp\u{feff} < 4"]);
    // The second record is not JSON.
    let err = err.expect("the second record is broken");
    assert!(err.to_string().contains("data/tweets.js"), "{err}");
}

/// A tweet whose `urls` entities have wrong indices (so their urls are replaced as strings),
/// each replacing `a` with `aa`.
fn doubling_tweet(entities: usize) -> Vec<u8> {
    let url = r#"{"url": "a", "expanded_url": "aa", "indices": ["0", "0"]}"#;
    let urls = vec![url; entities].join(",");
    format!(
        r#"window.YTD.tweets.part0 = [{{"id_str": "1", "full_text": "a",
            "created_at": "Tue Feb 12 19:33:20 +0000 2019", "entities": {{"urls": [{urls}]}}}}]"#
    )
    .into_bytes()
}

#[test]
fn tweets_file_url_replacements_never_feed_on_each_other() {
    // Replacing each url in the text left by the one before doubled the text per entity:
    // 40 entities asked for a terabyte. Found reading `text.rs` after the fuzzer's crash there
    // (a 4 KB fuzz input needs ~30 entities; the fuzzer had not reached it yet).
    let (read, err) = tweets(&doubling_tweet(40));
    assert!(err.is_none(), "{err:?}");
    assert_eq!(read.len(), 1);
    assert!(read[0].text.len() <= 4, "{} bytes", read[0].text.len());
}
