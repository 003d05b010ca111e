//! An ActivityPub actor document through the parser (`movedTo`, `suspended`).
#![no_main]

use fedimigrate::discover::verify::actor::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(data);
});
