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
