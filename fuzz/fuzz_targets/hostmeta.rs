//! A host-meta answer (XRD or JSON) through the parser, the `lrdd` template pick and its fill.
#![no_main]

use fedimigrate::discover::verify::jrd::{fill_template, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(jrd) = parse(data) else {
        return;
    };
    if let Some(template) = jrd.lrdd_template() {
        let _ = fill_template(template, "acct:alice@example.social");
    }
});
