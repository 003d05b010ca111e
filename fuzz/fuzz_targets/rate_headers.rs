//! Response headers through the rate-limit reader: the input is `name: value` lines; each
//! header that `http` accepts goes into the map, then every reader runs on it. The reset and
//! date parsers also get each value as a string.
#![no_main]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fedimigrate::fedi::rate_headers::{
    parse_http_date, parse_reset, rate_headers, reset_wait, retry_after, server_date,
};
use libfuzzer_sys::fuzz_target;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

/// A fixed "now" (2026-08-01) so runs repeat.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_785_585_000)
}

fuzz_target!(|data: &[u8]| {
    let mut headers = HeaderMap::new();
    for line in data.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (name, value) = (&line[..colon], &line[colon + 1..]);
        if let Ok(text) = std::str::from_utf8(value) {
            let _ = parse_reset(text, now());
            let _ = parse_reset(text, UNIX_EPOCH);
            let _ = parse_http_date(text);
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name),
            HeaderValue::from_bytes(value.trim_ascii()),
        ) {
            headers.append(name, value);
        }
    }
    let server_now = server_date(&headers).unwrap_or_else(now);
    let _ = rate_headers(&headers, server_now);
    let _ = reset_wait(&headers, server_now);
    let _ = retry_after(&headers, server_now);
});
