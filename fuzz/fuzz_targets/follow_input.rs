//! A file handed to `follow` (find's JSON/JSONL, a Mastodon CSV, a list of handles) through
//! its reader.
#![no_main]

use fedimigrate::follow::input::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse(data) {
        Ok(input) => {
            let _ = format!("{input:?}");
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
});
