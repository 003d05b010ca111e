//! The Bluesky bridge (opt-in): Bridgy Fed makes every Bluesky account followable from the
//! fediverse as `<bluesky handle>@bsky.brid.gy`. Maps `name.bsky.social` mentions and
//! `bsky.app/profile/<handle>` links to that address, flagged as a bridge.
//!
//! Only runs when the caller asked for the bridge; otherwise Bluesky hosts are refused like
//! any other non-federating site. Custom-domain Bluesky handles are recognised only in
//! `bsky.app` links (in plain text they look like any domain), and DIDs not at all.

use std::ops::Range;

use super::tokens::{char_at, char_before, is_host_char, is_user_char};
use super::{Bridge, Hit, Rule};
use crate::discover::handle::Handle;

/// Bridgy Fed's host for Bluesky accounts.
pub const BRIDGE_HOST: &str = "bsky.brid.gy";

/// The suffix of Bluesky's own handles.
const BSKY_SUFFIX: &str = ".bsky.social";

/// `bsky.app/profile/<handle>` → `<handle>@bsky.brid.gy`.
pub fn profile_url(host: &str, segments: &[String]) -> Option<Handle> {
    match segments {
        [profile, name, ..] if host == "bsky.app" && profile == "profile" => {
            Handle::new(name, BRIDGE_HOST).ok()
        }
        _ => None,
    }
}

/// Finds `name.bsky.social` (with or without a leading `@`) in `span` of `text`.
pub fn find(text: &str, span: Range<usize>, out: &mut Vec<Hit>) {
    let mut at = span.start;
    while at < span.end {
        let end = super::tokens::scan_right(text, span.end, at, is_host_char);
        if end > at {
            if let Some(hit) = mention(text, &span, at, end) {
                out.push(hit);
            }
            at = end;
        } else {
            at += char_at(text, at).map_or(1, char::len_utf8);
        }
    }
}

/// Checks one run of host characters for a Bluesky handle.
fn mention(text: &str, span: &Range<usize>, start: usize, end: usize) -> Option<Hit> {
    let name = text[start..end].trim_end_matches(['.', '-']);
    let lower = name.to_ascii_lowercase();
    let before = Some(start)
        .filter(|&s| s > span.start)
        .and_then(|s| char_before(text, s));
    let after = char_at(text, start + name.len()).filter(|_| start + name.len() < span.end);
    let at_mention = before == Some('@')
        && !(start - 1 > span.start && char_before(text, start - 1).is_some_and(is_user_char));
    let free = matches!(before, None | Some(':')) || at_mention;
    if !lower.ends_with(BSKY_SUFFIX) || lower.len() == BSKY_SUFFIX.len() || !free {
        return None;
    }
    if matches!(after, Some('@' | '/')) {
        return None;
    }
    let handle = Handle::new(&lower, BRIDGE_HOST).ok()?;
    let from = if at_mention { start - 1 } else { start };
    Some(Hit::new(handle, Rule::Bridge, from..start + name.len()).bridged(Bridge::Bluesky))
}
