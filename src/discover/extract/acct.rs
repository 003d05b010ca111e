//! The address rules: `@user@host` ([`Rule::AcctAt`]) and bare `user@host`
//! ([`Rule::AcctBare`]), found around each `@` of a token.
//!
//! A bare `user@host` looks exactly like an e-mail address, so it is taken only with evidence:
//! a fediverse marker just before it, the `acct:` scheme, or a host that looks like a
//! fediverse server; never for a role mailbox, an e-mail provider, or after
//! "E-mail:"/`mailto:`.

use std::ops::Range;

use super::context::{self, Context};
use super::tokens::{char_before, is_host_char_in_token, is_user_char, scan_left, scan_right};
use super::{Hit, Rule, hosts};
use crate::discover::handle::Handle;

/// What may follow a handle inside its token: sentence punctuation and a trailing slash.
/// Anything else (`:22`, `:org/repo`, `/path`, `@more`) means this is not a handle, except
/// what [`ends_handle`] allows.
const TAIL: &[char] = &['.', ':', '?', '/', '-'];

/// Markup that may close around a handle (`_@a@b.social_`, `~@a@b.social~`).
const MARKUP: &[char] = &['_', '~'];

/// What may join two handles in one token (`@a@mas.to/@b@mas.to`, `+`, `&`).
const JOINERS: &[char] = &['/', '+', '&'];

/// Finds every handle written as an address in `span` of `text`.
pub fn find(text: &str, span: Range<usize>, out: &mut Vec<Hit>) {
    for (offset, _) in text[span.clone()].match_indices('@') {
        if let Some(hit) = around(text, &span, span.start + offset) {
            out.push(hit);
        }
    }
}

/// Reads the username before and the host after the `@` at byte `at`.
fn around(text: &str, span: &Range<usize>, at: usize) -> Option<Hit> {
    let raw_start = scan_left(text, span.start, at, is_user_char);
    let user_start = trim_start(text, raw_start, at);
    let host_end = trim_end(
        text,
        at + 1,
        scan_right(text, span.end, at + 1, is_host_char_in_token),
    );
    if user_start >= at || host_end <= at + 1 || !ends_handle(&text[host_end..span.end]) {
        return None;
    }
    // `@.bob@host`: a stray dot after the `@` does not hide the address (a hyphen does:
    // `@-x` reads as an option or a diff marker, not a mention).
    let dots_only = text[raw_start..user_start].bytes().all(|b| b == b'.');
    let before = Some(raw_start)
        .filter(|&s| s > span.start)
        .and_then(|s| char_before(text, s));
    let (rule, start) = match before {
        Some('@') if dots_only => (Rule::AcctAt, raw_start - 1),
        None | Some(':') => (Rule::AcctBare, user_start),
        Some(_) => return None,
    };
    let handle = Handle::new(&text[user_start..at], &text[at + 1..host_end]).ok()?;
    if hosts::is_refused(handle.host()) {
        return None;
    }
    if rule == Rule::AcctBare && !bare_is_handle(text, user_start, &handle) {
        return None;
    }
    Some(Hit::new(handle, rule, start..host_end))
}

/// True when `tail`, the rest of the token after a host, leaves the host whole: sentence
/// punctuation, closing markup (`_`, `~`), a hashtag or fragment (`#art`), or the next
/// handle glued on by `/`, `+` or `&`. None of these characters can be part of a host.
fn ends_handle(tail: &str) -> bool {
    let mut chars = tail.chars();
    match (chars.next(), chars.next()) {
        (None, _) | (Some('#'), _) => true,
        (Some(c), Some('@')) if JOINERS.contains(&c) => true,
        _ => tail
            .chars()
            .all(|c| TAIL.contains(&c) || MARKUP.contains(&c)),
    }
}

/// The evidence a bare `user@host` needs to count as a handle rather than an e-mail address.
fn bare_is_handle(text: &str, start: usize, handle: &Handle) -> bool {
    if hosts::is_role_mailbox(handle.user()) {
        return false;
    }
    if is_acct_uri(text, start) {
        return true;
    }
    match context::before(text, start) {
        Context::Other => false,
        Context::Fediverse => true,
        Context::Nothing => hosts::looks_federated(handle.host()),
    }
}

/// True when the address at `start` is written as a WebFinger URI, `acct:user@host`: only
/// the fediverse names accounts that way.
fn is_acct_uri(text: &str, start: usize) -> bool {
    let Some(head) = text[..start].strip_suffix(':') else {
        return false;
    };
    let scheme = head.len().checked_sub(4).and_then(|at| head.get(at..));
    scheme.is_some_and(|s| s.eq_ignore_ascii_case("acct"))
        && !head[..head.len() - 4]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
}

/// Skips dots and hyphens that cannot start a username (`...alice@host`).
fn trim_start(text: &str, mut start: usize, end: usize) -> usize {
    while start < end && matches!(text.as_bytes()[start], b'.' | b'-') {
        start += 1;
    }
    start
}

/// Drops the sentence's dots and hyphens after a host (`@alice@host.social.`).
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    while end > start && matches!(text.as_bytes()[end - 1], b'.' | b'-') {
        end -= 1;
    }
    end
}
