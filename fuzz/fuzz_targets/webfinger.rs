//! A WebFinger answer (JRD or XRD) through the parser and what lookup reads from it: the
//! actor link, the claimed addresses and the canonical pick.
#![no_main]

use fedimigrate::discover::verify::Acct;
use fedimigrate::discover::verify::jrd::{canonical, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(jrd) = parse(data) else {
        return;
    };
    let _ = jrd.actor();
    for acct in jrd.claimed() {
        let _ = acct.resource();
    }
    let asked = Acct::new("alice", "example.social");
    let _ = canonical(&jrd, &["example.social"], Some(&asked));
    let _ = canonical(&jrd, &[], None);
});
