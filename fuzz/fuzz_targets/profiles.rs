//! A profiles file's bytes (CSV, JSON, JSON Lines or a `window.YTD` file) through the reader.
#![no_main]

use fedimigrate::discover::profile_file::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse(data, "profiles.csv") {
        Ok(file) => {
            let _ = file.profiles.len();
        }
        Err(err) => {
            let _ = err.to_string();
        }
    }
});
