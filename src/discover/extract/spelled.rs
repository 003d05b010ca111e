//! Handles spelled out to dodge scrapers, turned back into the plain form before the rules
//! run: `alice at example dot social`, `alice(at)example(dot)social`, `alice(a)example.social`,
//! `alice [at] example [dot] social`, `@ alice @ example.social`, and defanged links
//! (`example[.]social/@alice`, `hxxps://…`). Each edit keeps its place in the original text,
//! so a candidate still quotes what the person wrote.
//!
//! Never judges the result: `alice@example.social` made from a spelled-out form meets the same
//! rules as one written plainly, so "jane at gmail dot com" (an e-mail provider), "contact:
//! jane at example dot com" (an e-mail marker) and "press at example dot social" (a role
//! mailbox) stay refused. What this module does decide is which words are a spelled-out
//! address at all, and it is strict about the plain word "at", the one prose uses:
//! - `[at]`, `(at)`, `{at}`, `<at>`, `(@)` and a glued `(a)` always separate name and host;
//! - the word `at` does only with an `@` before the name ("@alice at example.social") or a
//!   host spelled out too ("alice at example dot social"), and never after a pronoun or a
//!   verb ("find me at example dot social", "I'm at …", "working at example.social");
//! - a spaced `@` ("@ alice @ example.social") only with an `@` before the name: "dev @
//!   example.social" is a job title.
//!
//! The host needs at least two labels and a top-level label of letters ("lunch at 12 dot 30"
//! is no address).

use std::ops::Range;

use super::tokens::{
    char_at, char_before, is_cjk, is_host_char, is_user_char, scan_left, scan_right,
};
use crate::lanes;

/// One replacement in the cleaned-up text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub with: &'static str,
}

impl Edit {
    fn new(range: Range<usize>, with: &'static str) -> Self {
        Self { range, with }
    }
}

/// Words that stand for `@` inside brackets, and the one that counts only glued (`(a)`).
const AT_WORDS: &[&str] = &["at", "@"];
const AT_GLUED: &[&str] = &["a"];

/// Words that stand for `.` inside brackets (`punkt`: German; `point`: French).
const DOT_WORDS: &[&str] = &[".", "dot", "punkt", "point"];

/// Words that are never the name before a plain "at": "find me at …", "based at …", and
/// the job titles of "Engineer at example dot social".
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "i", "me", "we", "us", "you", "he", "him", "she", "her", "they", "them", "it", "one",
    "is", "am", "are", "was", "were", "be", "been", "and", "or", "but", "also", "now", "here",
    "there", "find", "reach", "see", "meet", "join", "follow", "work", "works", "working",
    "worked", "live", "lives", "living", "based", "located", "posting", "tooting", "online",
    "home", "account", "handle", "profile", "currently", "mostly", "mainly", "active",
    // roles
    "engineer", "developer", "dev", "founder", "cofounder", "co-founder", "ceo", "cto", "cfo",
    "coo", "vp", "director", "manager", "designer", "researcher", "professor", "prof",
    "student", "scientist", "editor", "writer", "journalist", "reporter", "intern", "lead",
    "head", "staff", "volunteer", "member", "fellow", "phd", "postdoc", "lecturer", "teacher",
    "artist", "organizer", "organiser", "admin", "moderator", "mod", "maintainer",
    "contributor", "author", "host", "producer", "analyst", "consultant", "architect",
    "president", "chair", "partner", "principal", "owner", "advisor", "adviser", "sre",
    "ops", "coach", "mentor", "speaker", "creator", "photographer", "librarian", "nurse",
    "doctor", "lawyer", "officer", "executive", "employee", "worker",
];

/// How a name and a host are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    /// `[at]`, `(at)`, `(a)`…
    Bracketed,
    /// the word `at`
    Word,
    /// `@` with a space after it
    Spaced,
    /// a plain `@` (only a spaced `@` before the name makes this a spelled-out form)
    Plain,
}

/// The edits that turn the spelled-out forms in `text` into plain ones, sorted and
/// non-overlapping.
pub fn edits(text: &str) -> Vec<Edit> {
    let mut found = Vec::new();
    defang(text, &mut found);
    // A spelled-out address is a name, then a joiner; every joiner starts with one of the
    // bytes `joiner` looks for, so only those are visited (they are ASCII, so never inside
    // a longer character). The name ends where the spaces before the joiner start.
    let bytes = text.as_bytes();
    let starts = |i: usize| joiner_starts(bytes, i);
    lanes::each_where(bytes, (1, 2), joiner_filter, starts, |from| {
        let end = scan_left(text, 0, from, is_space);
        if char_before(text, end).is_some_and(is_user_char) {
            phrase(text, end, &mut found);
        }
    });
    found.sort_by_key(|e| (e.range.start, e.range.end));
    let mut kept: Vec<Edit> = Vec::new();
    for edit in found {
        if kept.last().is_none_or(|k| k.range.end <= edit.range.start) {
            kept.push(edit);
        }
    }
    kept
}

/// True when a joiner may start at byte `i`: one of [`JOINER_START`], and a joiner starting
/// with a letter is the word `at`, with spaces on both sides (a letter before it is part of
/// the name).
fn joiner_starts(bytes: &[u8], i: usize) -> bool {
    JOINER_START[usize::from(bytes[i])] && (!matches!(bytes[i], b'a' | b'A') || spaced_at(bytes, i))
}

/// True when a defanged form may start at byte `i`: a bracket, or `hx` in any case.
fn defang_starts(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'[' | b'(' | b'{' => true,
        b'h' | b'H' => matches!(bytes.get(i + 1), Some(b'x' | b'X')),
        _ => false,
    }
}

/// True when the `a` at byte `from` starts the word `at` with a space or tab on both sides.
fn spaced_at(bytes: &[u8], from: usize) -> bool {
    let space = |i: usize| matches!(bytes.get(i), Some(b' ' | b'\t'));
    from > 0
        && space(from - 1)
        && matches!(bytes.get(from + 1), Some(b't' | b'T'))
        && space(from + 2)
}

/// The bytes a joiner can start with (see [`joiner`]).
const JOINER_START: [bool; 256] = lanes::byte_set(b"([{<aA@");

/// Defanged links: `host[.]tld`, `host(dot)tld` between letters, `hxxp(s)://`, `[:]//`.
/// Each starts with `[`, `(`, `{`, `h` or `H`, so only those bytes are visited.
fn defang(text: &str, out: &mut Vec<Edit>) {
    let bytes = text.as_bytes();
    let starts = |i: usize| defang_starts(bytes, i);
    lanes::each_where(bytes, (0, 1), defang_filter, starts, |at| {
        let glued_before = char_before(text, at).is_some_and(char::is_alphanumeric);
        match bytes[at] {
            b'[' | b'(' | b'{' if glued_before => {
                if let Some(end) = bracketed(text, at, &[".", "dot"])
                    && char_at(text, end).is_some_and(char::is_alphanumeric)
                {
                    out.push(Edit::new(at..end, "."));
                }
                if text[at..].starts_with("[:]//") {
                    out.push(Edit::new(at..at + 3, ":"));
                }
            }
            b'h' | b'H' if !glued_before => {
                let head = text.get(at..at + 4).unwrap_or_default();
                let rest = &text[at + head.len()..];
                if head.eq_ignore_ascii_case("hxxp")
                    && (rest.starts_with("://") || rest.starts_with("s://"))
                {
                    out.push(Edit::new(at..at + 4, "http"));
                }
            }
            _ => {}
        }
    });
}

/// The lanes at `at` where a joiner may start (see [`edits`]): a bracket or `@`, or an `at`
/// between spaces. Reads one byte before and two after the sixteen.
#[inline(always)]
fn joiner_filter(bytes: &[u8], at: usize) -> u32 {
    let v = lanes::load(bytes, at);
    let space = |v| lanes::eq(v, b' ') | lanes::eq(v, b'\t');
    let word = space(lanes::load(bytes, at - 1))
        & lanes::eq_nocase(v, b'a')
        & lanes::eq_nocase(lanes::load(bytes, at + 1), b't')
        & space(lanes::load(bytes, at + 2));
    let marks = lanes::eq(v, b'(')
        | lanes::eq(v, b'[')
        | lanes::eq(v, b'{')
        | lanes::eq(v, b'<')
        | lanes::eq(v, b'@');
    lanes::bits(word | marks)
}

/// The lanes at `at` where a defanged form may start: `[`, `(`, `{`, or `hx` in any case.
/// Reads one byte after the sixteen.
#[inline(always)]
fn defang_filter(bytes: &[u8], at: usize) -> u32 {
    let v = lanes::load(bytes, at);
    let hx = lanes::eq_nocase(v, b'h') & lanes::eq_nocase(lanes::load(bytes, at + 1), b'x');
    lanes::bits(lanes::eq(v, b'[') | lanes::eq(v, b'(') | lanes::eq(v, b'{') | hx)
}

/// Tries to read a spelled-out address whose name ends at byte `end`.
fn phrase(text: &str, end: usize, out: &mut Vec<Edit>) {
    let Some((join, join_end)) = joiner(text, end) else {
        return;
    };
    let start = scan_left(text, 0, end, is_user_char);
    let start =
        start + text[start..end].len() - text[start..end].trim_start_matches(['.', '-']).len();
    let name = &text[start..end];
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        return;
    }
    let Some(lead) = lead(text, start) else {
        return;
    };
    let Some((host_edits, spelled_host)) = host(text, join_end) else {
        return;
    };
    let led = lead != Lead::None;
    let accepted = match join {
        Join::Bracketed => true,
        Join::Word => led || (spelled_host && !NOT_NAMES.contains(&&*name.to_lowercase())),
        Join::Spaced => led,
        Join::Plain => matches!(lead, Lead::Spaced(_)),
    };
    if !accepted {
        return;
    }
    if let Lead::Spaced(gap) = lead {
        out.push(Edit::new(gap, ""));
    }
    if join != Join::Plain {
        out.push(Edit::new(end..join_end, "@"));
    }
    out.extend(host_edits);
}

/// What stands before a name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lead {
    /// Nothing that makes it a mention: a space, punctuation, the start of the text.
    None,
    /// `@name`
    Glued,
    /// `@ name`: the gap to close.
    Spaced(Range<usize>),
}

/// What precedes the name starting at `start`; `None` when the name is glued to something
/// that makes it no name (`I'm`, a letter, a path).
fn lead(text: &str, start: usize) -> Option<Lead> {
    match char_before(text, start) {
        None => Some(Lead::None),
        Some('@') => Some(Lead::Glued),
        Some(c) if is_space(c) => {
            let gap = scan_left(text, 0, start, is_space);
            let spaced_at = char_before(text, gap) == Some('@')
                && !char_before(text, gap - 1).is_some_and(|c| c.is_alphanumeric());
            Some(if spaced_at {
                Lead::Spaced(gap..start)
            } else {
                Lead::None
            })
        }
        Some('\'' | '’' | '/' | '\\' | '#' | '+' | '&' | '=' | '%' | '~') => None,
        // CJK script separates words ("フォローはkim(at)…"), as in the tokenizer.
        Some(c) if c.is_alphanumeric() && !is_cjk(c) => None,
        Some(_) => Some(Lead::None),
    }
}

/// The joiner starting at byte `at` (right after a name), and where the host starts.
fn joiner(text: &str, at: usize) -> Option<(Join, usize)> {
    let from = scan_right(text, text.len(), at, is_space);
    // Every joiner below starts with one of these (most words are followed by none).
    if !matches!(
        char_at(text, from),
        Some('(' | '[' | '{' | '<' | 'a' | 'A' | '@')
    ) {
        return None;
    }
    let spaced_before = from > at;
    if let Some(end) = bracketed(text, from, AT_WORDS) {
        return Some((Join::Bracketed, scan_right(text, text.len(), end, is_space)));
    }
    if !spaced_before && let Some(end) = bracketed(text, from, AT_GLUED) {
        return Some((Join::Bracketed, end));
    }
    if spaced_before && let Some(end) = word(text, from, "at") {
        return Some((Join::Word, end));
    }
    if char_at(text, from) == Some('@') {
        let after = scan_right(text, text.len(), from + 1, is_space);
        return match (after > from + 1, spaced_before) {
            (true, _) => Some((Join::Spaced, after)),
            (false, false) => Some((Join::Plain, after)),
            (false, true) => None,
        };
    }
    None
}

/// Reads a host starting at byte `at`: labels joined by `.` or a spelled-out dot. Returns
/// the edits for the spelled dots and whether there was one; `None` unless there are two
/// labels or more and the last is letters only.
fn host(text: &str, mut at: usize) -> Option<(Vec<Edit>, bool)> {
    let mut edits = Vec::new();
    let mut labels = 0;
    let mut last = at..at;
    loop {
        let end = scan_right(text, text.len(), at, is_label_char);
        if end == at {
            break;
        }
        labels += 1;
        last = at..end;
        at = end;
        if char_at(text, at) == Some('.') && char_at(text, at + 1).is_some_and(is_label_char) {
            at += 1;
        } else if let Some(next) = spelled_dot(text, at) {
            edits.push(Edit::new(at..next, "."));
            at = next;
        } else {
            break;
        }
    }
    let tld = &text[last];
    let tld_ok = tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic);
    (labels >= 2 && tld_ok).then(|| {
        let spelled = !edits.is_empty();
        (edits, spelled)
    })
}

/// A spelled-out dot at byte `at` followed by a label: `[dot]`, `(.)`, ` dot `…
fn spelled_dot(text: &str, at: usize) -> Option<usize> {
    let from = scan_right(text, text.len(), at, is_space);
    let end = match bracketed(text, from, DOT_WORDS) {
        Some(end) => scan_right(text, text.len(), end, is_space),
        None if from > at => word(text, from, "dot")?,
        None => return None,
    };
    char_at(text, end).is_some_and(is_label_char).then_some(end)
}

/// `(word)`, `[word]`, `{word}` or `<word>` at byte `at` (case-insensitive): where it ends.
fn bracketed(text: &str, at: usize, words: &[&str]) -> Option<usize> {
    let close = match char_at(text, at)? {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        _ => return None,
    };
    let inner = at + 1;
    words.iter().find_map(|w| {
        let end = inner + w.len();
        let matches = text.get(inner..end)?.eq_ignore_ascii_case(w);
        (matches && char_at(text, end) == Some(close)).then_some(end + 1)
    })
}

/// The word `w` at byte `at` (case-insensitive) with spaces after it: where the next word
/// starts.
fn word(text: &str, at: usize, w: &str) -> Option<usize> {
    let end = at + w.len();
    if !text.get(at..end)?.eq_ignore_ascii_case(w) {
        return None;
    }
    let next = scan_right(text, text.len(), end, is_space);
    (next > end).then_some(next)
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_label_char(c: char) -> bool {
    c != '.' && is_host_char(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str) -> String {
        let mut out = String::new();
        let mut at = 0;
        for edit in edits(text) {
            out.push_str(&text[at..edit.range.start]);
            out.push_str(edit.with);
            at = edit.range.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// The vector filters let through every byte the exact tests accept (each_where checks
    /// only those), at every lane, on text dense with the bytes they look for.
    #[test]
    fn filters_let_every_start_through() {
        let alphabet = b"([{<@aAtT \thHxX.z\xC3";
        let mut state = 1u32;
        for _ in 0..20_000 {
            let bytes: Vec<u8> = (0..40)
                .map(|_| {
                    state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    alphabet[(state >> 16) as usize % alphabet.len()]
                })
                .collect();
            for at in 1..=bytes.len() - lanes::WIDTH - 2 {
                let (joiners, defangs) = (joiner_filter(&bytes, at), defang_filter(&bytes, at));
                for lane in 0..lanes::WIDTH {
                    let i = at + lane;
                    let bit = 1 << lane;
                    assert!(
                        !joiner_starts(&bytes, i) || joiners & bit != 0,
                        "{bytes:?} {i}"
                    );
                    assert!(
                        !defang_starts(&bytes, i) || defangs & bit != 0,
                        "{bytes:?} {i}"
                    );
                }
            }
        }
    }

    #[test]
    fn spelled_forms_become_plain() {
        let cases = [
            ("alice at example dot social", "alice@example.social"),
            (
                "alice [at] example [dot] co [dot] uk",
                "alice@example.co.uk",
            ),
            ("x alice(a)example.social y", "x alice@example.social y"),
            ("@ alice @ example.social", "@alice@example.social"),
            ("@alice at example.social", "@alice@example.social"),
            ("hxxps://example[.]social/@a", "https://example.social/@a"),
            ("see example(dot)social/@a", "see example.social/@a"),
        ];
        for (text, want) in cases {
            assert_eq!(apply(text), want, "{text}");
        }
    }

    #[test]
    fn prose_stays_as_it_is() {
        for text in [
            "Find me at example dot social",
            "I'm at example dot social",
            "working at example.social",
            "Engineer at Google. Dot enthusiast.",
            "Senior dev @ example.social",
            "lunch at 12 dot 30",
            "plan (a) example.social",
            "@alice @bob@example.social",
        ] {
            assert_eq!(apply(text), text, "{text}");
        }
    }
}
