//! The handle extractor on any string, in every field, with and without the Bluesky bridge.
#![no_main]

use fedimigrate::discover::{Bridge, ExtractOptions, Field, extract, extract::ignored_by_bridges};
use libfuzzer_sys::fuzz_target;

const FIELDS: [Field; 7] = [
    Field::Name,
    Field::Description,
    Field::Url,
    Field::Location,
    Field::PinnedPost,
    Field::Tweet,
    Field::Text,
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let field = FIELDS[usize::from(first) % FIELDS.len()];
    let opts = if first & 0x80 != 0 {
        ExtractOptions {
            bridges: vec![Bridge::Bluesky],
        }
    } else {
        ExtractOptions::default()
    };
    for candidate in extract(text, field, &opts) {
        // Every match is a slice of the input, and every handle prints.
        let _ = candidate.handle.to_string();
        let _ = candidate.matched.len();
    }
    let _ = ignored_by_bridges(text, field, &opts);
});
