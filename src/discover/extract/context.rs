//! What the words just before a candidate say about it: "Mastodon:", "fedi", 🐘 make a bare
//! `user@host` a handle; "E-mail:", "contact", "XMPP:", ✉ make it someone's mailbox or chat
//! address.
//!
//! Looks back at most [`WINDOW_WORDS`] words and never past the start of the clause (a line
//! break, `|`, `·`, `•`, or a sentence end such as ". "); the nearest marker wins, so
//! "Mastodon: @a@b.social · Mail: jane@company.com" reads both right. Words that are part of
//! a host, URL or handle (`mastodon` in `mastodon.social`) are not markers, and a marker
//! followed by another address belongs to that one ("Mastodon: @a@b.social, jane@corp.com").

use std::ops::Range;

use super::normalize::{FEDI_MARK, MAIL_MARK};
use super::tokens::{char_at, char_before, is_token_char, scan_left, scan_right};

/// How many words back a marker still counts ("Mastodon (new account, mostly birds): alice@…").
const WINDOW_WORDS: usize = 8;

/// How many bytes back the search may go at most, whatever the text: keeps a long line full
/// of addresses linear.
const WINDOW_BYTES: usize = 160;

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

/// Words that announce an e-mail address or another network's `user@host`-shaped address
/// (XMPP, SIP, Matrix bridges…), compared lowercase.
#[rustfmt::skip]
const OTHER_WORDS: &[&str] = &[
    "email", "mail", "mailto", "contact", "contacts", "kontakt", "contacto", "contato",
    "courriel", "mél", "business", "inquiries", "inquiry", "enquiries", "enquiry", "booking",
    "bookings", "press", "presse", "xmpp", "jabber", "sip", "matrix", "signal", "skype",
    "threema", "telegram", "whatsapp", "discord", "paypal", "venmo", "pgp", "gpg", "keybase",
    "irc", "wechat", "kakao",
];

const OTHER_WORDS_CJK: &[&str] = &["メール", "連絡"];

/// What the text before a candidate announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Fediverse,
    /// An e-mail address or another network's address.
    Other,
    Nothing,
}

/// Reads the words before byte `at` of `text`, nearest first, and returns the first marker.
pub fn before(text: &str, at: usize) -> Context {
    let mut floor = at.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    let mut end = at;
    let mut seen = 0;
    while seen < WINDOW_WORDS {
        let Some((start, word)) = previous_word(text, floor, end) else {
            return Context::Nothing;
        };
        end = start;
        if next_to_at_sign(text, start, start + word.len()) {
            return Context::Nothing; // another address stands between: its marker, not ours
        }
        if is_embedded(text, floor..at, start, start + word.len()) {
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

/// The word (a run of letters, or one marker symbol) that ends at or before `end`, unless a
/// clause boundary comes first.
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
        if ends_clause(c, char_at(text, end)) {
            return None;
        }
        end -= c.len_utf8();
    }
    let start = scan_left(text, floor, end, is_word);
    Some((start, &text[start..end]))
}

/// True when `c` (followed by `next`) ends a clause: a line break, a list separator, or
/// sentence punctuation followed by a space.
fn ends_clause(c: char, next: Option<char>) -> bool {
    matches!(c, '\n' | '|' | '·' | '•' | '。' | '！' | '？')
        || (matches!(c, '.' | '!' | '?') && next.is_some_and(char::is_whitespace))
}

/// True when the word is part of an address or a link to one (`alice`, `social` in
/// `@alice@det.social`, `mas.to/@alice`).
fn next_to_at_sign(text: &str, start: usize, end: usize) -> bool {
    char_before(text, start) == Some('@') || char_at(text, end) == Some('@')
}

/// True when the word is glued into a host, URL or handle: next to `@`, between letters and
/// a dot (`mastodon` in `mastodon.social`), or a path segment of a link. A slash between
/// plain words ("Mastodon/Fediverse:") does not glue.
fn is_embedded(text: &str, window: Range<usize>, start: usize, end: usize) -> bool {
    let before = char_before(text, start);
    let after = char_at(text, end);
    let dotted_before =
        before == Some('.') && char_before(text, start - 1).is_some_and(char::is_alphanumeric);
    let dotted_after =
        after == Some('.') && char_at(text, end + 1).is_some_and(char::is_alphanumeric);
    let in_link = (before == Some('/') || after == Some('/')) && {
        let from = scan_left(text, window.start, start, is_token_char);
        let to = scan_right(text, window.end, end, is_token_char);
        text[from..to].contains('.')
    };
    before == Some('@') || after == Some('@') || dotted_before || dotted_after || in_link
}

/// What one word announces.
fn classify(word: &str) -> Context {
    if word.starts_with(FEDI_MARK) {
        return Context::Fediverse;
    }
    if word.starts_with(MAIL_MARK) {
        return Context::Other;
    }
    let lower = word.to_lowercase();
    let fedi = FEDI_WORDS.contains(&lower.as_str())
        || lower.starts_with("fedi")
        || lower.starts_with("mastodon")
        || FEDI_WORDS_CJK.iter().any(|w| lower.contains(w));
    let mail =
        OTHER_WORDS.contains(&lower.as_str()) || OTHER_WORDS_CJK.iter().any(|w| lower.contains(w));
    match (fedi, mail) {
        (true, _) => Context::Fediverse,
        (false, true) => Context::Other,
        (false, false) => Context::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(text: &str) -> Context {
        let at = text.find('^').expect("marker position");
        before(&text.replace('^', " "), at)
    }

    #[test]
    fn nearest_marker_wins() {
        assert_eq!(ctx("Mastodon: ^"), Context::Fediverse);
        assert_eq!(ctx("(Mastodon at ^"), Context::Fediverse);
        assert_eq!(ctx("fedi:^"), Context::Fediverse);
        assert_eq!(ctx("\u{E000} ^"), Context::Fediverse);
        assert_eq!(ctx("Mastodon: x · E-Mail: ^"), Context::Other);
        assert_eq!(ctx("Business inquiries: ^"), Context::Other);
        assert_eq!(ctx("マストドンはこちら→^"), Context::Fediverse);
    }

    #[test]
    fn markers_do_not_reach_across_lines_or_far_back() {
        assert_eq!(ctx("Mastodon\n^"), Context::Nothing);
        let far = "Mastodon one two three four five six seven eight nine ^";
        assert_eq!(ctx(far), Context::Nothing);
        assert_eq!(ctx("Mastodon fan. Reach me at ^"), Context::Nothing);
        assert_eq!(ctx("Mastodon | ^"), Context::Nothing);
        assert_eq!(ctx("Mastodon · ^"), Context::Nothing);
        assert_eq!(ctx("XMPP: ^"), Context::Other);
    }

    #[test]
    fn words_inside_hosts_are_not_markers() {
        assert_eq!(ctx("@a@mastodon.social ^"), Context::Nothing);
        assert_eq!(ctx("https://mastodon.social/@a ^"), Context::Nothing);
        assert_eq!(ctx("https://example.com/mastodon ^"), Context::Nothing);
        assert_eq!(ctx("fedi/mastodon: ^"), Context::Fediverse);
        assert_eq!(
            ctx("(Mastodon, since 2017, mostly birds): ^"),
            Context::Fediverse
        );
    }
}
