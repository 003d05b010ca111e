//! A NodeInfo discovery answer and a NodeInfo 2.x document, each through its parser.
#![no_main]

use fedimigrate::discover::verify::nodeinfo::{document_url, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = document_url(data);
    let _ = parse(data);
});
