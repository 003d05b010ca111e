//! A tweets file's bytes (`window.YTD.tweets.part0 = [...]`) through the streaming record
//! parser and the tweet normaliser. Never touches a zip or the disk.
#![no_main]

use std::ops::ControlFlow;

use fedimigrate::archive::{ArchiveError, tweets_of_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = data;
    let mut seen = 0u64;
    let read = tweets_of_file::<ArchiveError>(&mut reader, "fuzz.zip", |tweet| {
        seen += 1;
        // Render what a user would see, as `export` does.
        let _ = tweet.text.len() + tweet.urls.len() + tweet.mentions.len();
        Ok(ControlFlow::Continue(()))
    });
    if let Err(err) = read {
        let _ = err.to_string();
    }
});
