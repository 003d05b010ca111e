//! What the words just before a candidate say about it: "Mastodon:", "fedi", 🐘 make a bare
//! `user@host` a handle; "E-mail:", "contact", ✉ make it a mailbox.
//!
//! Looks back at most [`WINDOW_WORDS`] words and never past the start of the line; the
//! nearest marker wins, so "Mastodon: @a@b.social · Mail: jane@company.com" reads both right.
//! Words that are part of a host, URL or handle (`mastodon` in `mastodon.social`) are not
//! markers.

use super::normalize::{FEDI_MARK, MAIL_MARK};
use super::tokens::char_before;

/// How many words back a marker still counts ("Mastodon (new account): alice@…").
const WINDOW_WORDS: usize = 6;

/// Words that announce a fediverse address, compared lowercase. Words starting with `fedi`
/// or `mastodon` count too (fediverse, fediverso, Mastodonian).
#[rustfmt::skip]
const FEDI_WORDS: &[&str] = &[
    "masto", "mstdn", "toot", "toots", "tröt", "tröte", "troet", "fédivers", "fédiverse",
    "misskey", "pleroma", "akkoma", "gotosocial", "firefish", "sharkey", "calckey",
    "iceshrimp", "friendica", "hubzilla", "pixelfed", "peertube", "lemmy", "kbin", "mbin",
    "bookwyrm", "activitypub",
];

/// Japanese names of the same (written in katakana, often glued to other words).
const FEDI_WORDS_CJK: &[&str] = &["マストドン", "ミスキー", "フェディバース", "フェディ"];

/// Words that announce an e-mail address, compared lowercase.
#[rustfmt::skip]
const MAIL_WORDS: &[&str] = &[
    "email", "mail", "mailto", "contact", "contacts", "kontakt", "contacto", "contato",
    "courriel", "mél", "business", "inquiries", "inquiry", "enquiries", "enquiry", "booking",
    "bookings", "press", "presse",
];

const MAIL_WORDS_CJK: &[&str] = &["メール", "連絡"];

/// What the text before a candidate announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Fediverse,
    Mail,
    Nothing,
}

/// Reads the words before byte `at` of `text`, nearest first, and returns the first marker.
pub fn before(text: &str, at: usize) -> Context {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let mut end = at;
    let mut seen = 0;
    while seen < WINDOW_WORDS {
        let Some((start, word)) = previous_word(text, line_start, end) else {
            return Context::Nothing;
        };
        end = start;
        if is_embedded(text, start, start + word.len()) {
            continue;
        }
        seen += 1;
        match classify(word) {
            Context::Nothing => {}
            found => return found,
        }
    }
    Context::Nothing
}

/// The word (a run of letters, or one marker sentinel) that ends at or before `end`.
fn previous_word(text: &str, floor: usize, mut end: usize) -> Option<(usize, &str)> {
    let is_word = |c: char| c.is_alphabetic();
    let is_mark = |c: char| c == FEDI_MARK || c == MAIL_MARK;
    loop {
        let c = char_before(text, end).filter(|_| end > floor)?;
        if is_mark(c) {
            let start = end - c.len_utf8();
            return Some((start, &text[start..end]));
        }
        if is_word(c) {
            break;
        }
        end -= c.len_utf8();
    }
    let start = super::tokens::scan_left(text, floor, end, is_word);
    Some((start, &text[start..end]))
}

/// True when the word is glued into a host, URL or handle by `@`, `/` or a dot between
/// letters (`mastodon` in `mastodon.social`, `social` in `@a@det.social`).
fn is_embedded(text: &str, start: usize, end: usize) -> bool {
    let before = char_before(text, start);
    let after = text[end..].chars().next();
    let joins = |c: Option<char>| matches!(c, Some('@' | '/'));
    let dotted_before =
        before == Some('.') && char_before(text, start - 1).is_some_and(|c| c.is_alphanumeric());
    let dotted_after = after == Some('.')
        && text[end + 1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric());
    joins(before) || joins(after) || dotted_before || dotted_after
}

/// What one word announces.
fn classify(word: &str) -> Context {
    if word.starts_with(FEDI_MARK) {
        return Context::Fediverse;
    }
    if word.starts_with(MAIL_MARK) {
        return Context::Mail;
    }
    let lower = word.to_lowercase();
    let fedi = FEDI_WORDS.contains(&lower.as_str())
        || lower.starts_with("fedi")
        || lower.starts_with("mastodon")
        || FEDI_WORDS_CJK.iter().any(|w| lower.contains(w));
    let mail =
        MAIL_WORDS.contains(&lower.as_str()) || MAIL_WORDS_CJK.iter().any(|w| lower.contains(w));
    match (fedi, mail) {
        (true, _) => Context::Fediverse,
        (false, true) => Context::Mail,
        (false, false) => Context::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str) -> Context {
        let at = text.find('|').expect("marker position");
        before(&text.replace('|', " "), at)
    }

    #[test]
    fn nearest_marker_wins() {
        assert_eq!(ctx("Mastodon: |"), Context::Fediverse);
        assert_eq!(ctx("(Mastodon at |"), Context::Fediverse);
        assert_eq!(ctx("fedi:|"), Context::Fediverse);
        assert_eq!(ctx("\u{E000} |"), Context::Fediverse);
        assert_eq!(ctx("Mastodon: x · E-Mail: |"), Context::Mail);
        assert_eq!(ctx("Business inquiries: |"), Context::Mail);
        assert_eq!(ctx("マストドンはこちら→|"), Context::Fediverse);
    }

    #[test]
    fn markers_do_not_reach_across_lines_or_far_back() {
        assert_eq!(ctx("Mastodon\n|"), Context::Nothing);
        assert_eq!(
            ctx("Mastodon one two three four five six seven |"),
            Context::Nothing
        );
    }

    #[test]
    fn words_inside_hosts_are_not_markers() {
        assert_eq!(ctx("@a@mastodon.social |"), Context::Nothing);
        assert_eq!(ctx("https://mastodon.social/@a |"), Context::Nothing);
        assert_eq!(ctx("I love Mastodon. |"), Context::Fediverse);
    }
}
