//! What the words just before a candidate say about it: "Mastodon:", "fedi", 🐘 make a bare
//! `user@host` a handle; "E-mail:", "contact", "XMPP:", ✉ make it someone's mailbox or chat
//! address.
//!
//! A marker *labels* an address; it does not colour a whole sentence. So, reading back from
//! the address, nearest word first:
//! - **Whole words only**: `mastodon`, `fedi`, `fediverse`, `toot`… but not "mastodons",
//!   "Fedir" or "fedi-curious". A hyphenated compound counts only with an account noun
//!   ("Mastodon-Account", "Fediverse-Adresse"); "E-Mail" is read as `email`.
//! - **A tight window**: at most [`WINDOW_WORDS`] plain words between marker and address
//!   ("on Mastodon now as alice@…"). A parenthetical aside costs nothing ("Mastodon (new
//!   account, mostly birds): alice@…"), and a marker inside one counts when a `:` follows
//!   it ("(Mastodon, since 2017): alice@…").
//! - **Clauses**: a line break, `|`, `·`, `•`, `;` or a sentence end (". ") stops the search.
//!   A comma or a dash (`–`, `—`, ` - `) stops it too, unless the marker is the word right
//!   before it ("Find me on Mastodon, alice@…", "Mastodon – alice@…"; but not "Mastodon &
//!   Bluesky refugee, jane@…").
//! - **Negation**: "left", "deleted", "no", "not", "never", "ex", "former", "quit"… between
//!   marker and address, or up to [`NEGATION_REACH`] words before the marker in the same
//!   clause, void it ("Left Mastodon, write to jane@…", "ex-Mastodon").
//! - **Nearest address only**: words that are part of a host (`mastodon` in
//!   `mastodon.social`) are not markers, and a link or another address between a marker and
//!   the candidate takes the marker for itself ("Mastodon: https://m.example/users/a
//!   jane@corp.com").
//!
//! The nearest marker wins, so "Mastodon: @a@b.social · Mail: jane@company.com" reads both
//! right. Verb forms ("Tooting at …") are not markers: Tooting is also a part of London.

use std::ops::Range;

use super::normalize::{FEDI_MARK, MAIL_MARK};
use super::tokens::{char_at, char_before, is_token_char, scan_left, scan_right};

/// How many plain words may stand between a marker and its address ("Mastodon now as").
const WINDOW_WORDS: usize = 3;

/// How many words before a marker a negation still voids it ("Deleted my Mastodon").
const NEGATION_REACH: usize = 3;

/// How many bytes back the search may go at most, whatever the text: keeps a long line full
/// of addresses linear.
const WINDOW_BYTES: usize = 160;

/// Words that announce a fediverse address, compared lowercase and whole.
#[rustfmt::skip]
const FEDI_WORDS: &[&str] = &[
    "mastodon", "fedi", "fediverse", "fediverso", "fedivers", "fediversum", "fédivers",
    "fédiverse", "федиверс", "федиверсе", "fediwelt",
    "masto", "mstdn", "toot", "toots", "tröt", "tröte", "troet",
    "misskey", "pleroma", "akkoma", "gotosocial", "firefish", "sharkey", "calckey",
    "iceshrimp", "friendica", "hubzilla", "pixelfed", "peertube", "lemmy", "kbin", "mbin",
    "bookwyrm", "activitypub",
];

/// Japanese names of the same (written in katakana, often glued to other words).
const FEDI_WORDS_CJK: &[&str] = &["マストドン", "ミスキー", "フェディバース", "フェディ"];

/// What a marker may be compounded with and still be one ("Mastodon-Account").
#[rustfmt::skip]
const ACCOUNT_NOUNS: &[&str] = &[
    "account", "acct", "handle", "address", "adresse", "profile", "profil", "konto",
    "compte", "cuenta", "id", "user", "instance", "instanz", "server",
];

/// Words that say the marker is about an account the person no longer has, or never had.
#[rustfmt::skip]
const NEGATIONS: &[&str] = &[
    "no", "not", "non", "never", "ex", "former", "formerly", "left", "leaving", "leave",
    "quit", "quitting", "deleted", "delete", "deleting", "abandoned", "without", "nor",
    "anti", "kein", "keine", "nicht", "nie", "ni", "pas", "sans",
];

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

/// What one word is, for this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Fedi,
    Other,
    Negation,
    Plain,
}

/// One step back through the text.
#[derive(Debug)]
enum Step<'a> {
    /// A word (letters, a hyphenated compound, or one marker symbol).
    Word(&'a str),
    /// A comma or a dash: the clause goes on, but only a marker right before it still counts.
    Pause,
    /// A colon: what comes before labels what comes after.
    Colon,
    /// `)`: an aside, read back to its `(`.
    Close,
    /// `(`.
    Open,
}

/// What has been passed so far, reading back from the candidate.
#[derive(Debug, Default)]
struct Walk {
    floor: usize,
    /// Plain words passed outside asides.
    words: usize,
    /// A comma or dash was passed outside asides.
    paused: bool,
    /// A colon was passed outside asides.
    labelled: bool,
    /// How many asides the walk is inside.
    depth: usize,
}

/// Reads the words before byte `at` of `text`, nearest first, and returns what they announce.
pub fn before(text: &str, at: usize) -> Context {
    let mut walk = Walk {
        floor: window_floor(text, at),
        ..Walk::default()
    };
    let mut end = at;
    while let Some((start, step)) = step_back(text, walk.floor, end) {
        end = start;
        let outside = walk.depth == 0;
        match step {
            Step::Word(word) => {
                if let Some(found) = walk.word(text, at, start, word) {
                    return found;
                }
            }
            Step::Pause => walk.paused |= outside,
            Step::Colon => walk.labelled |= outside,
            Step::Close => walk.depth += 1,
            Step::Open => walk.depth = walk.depth.saturating_sub(1),
        }
    }
    Context::Nothing
}

/// The lowest byte the search may reach, on a character boundary.
fn window_floor(text: &str, at: usize) -> usize {
    let mut floor = at.saturating_sub(WINDOW_BYTES);
    while !text.is_char_boundary(floor) {
        floor += 1;
    }
    floor
}

impl Walk {
    /// Takes in the word at `start`; returns the answer once the word settles it.
    fn word(&mut self, text: &str, at: usize, start: usize, word: &str) -> Option<Context> {
        let end = start + word.len();
        if next_to_at_sign(text, start, end) {
            return Some(Context::Nothing); // another address stands between: its marker
        }
        match embedding(text, self.floor..at, start, end) {
            Embedding::Link => return Some(Context::Nothing), // a link took the marker
            Embedding::Host => return None,
            Embedding::Free => {}
        }
        let class = classify(word);
        if self.depth > 0 {
            return self.in_aside(text, start, class);
        }
        match class {
            Class::Fedi => Some(self.fedi_unless_negated(text, start)),
            Class::Other => Some(Context::Other),
            Class::Negation => Some(Context::Nothing),
            Class::Plain if self.paused => Some(Context::Nothing),
            Class::Plain => {
                self.words += 1;
                (self.words > WINDOW_WORDS).then_some(Context::Nothing)
            }
        }
    }

    /// Inside an aside only a labelled marker counts ("(Mastodon, since 2017): …"); the
    /// other words are the aside's own business.
    fn in_aside(&self, text: &str, start: usize, class: Class) -> Option<Context> {
        match class {
            Class::Fedi if self.labelled => Some(self.fedi_unless_negated(text, start)),
            Class::Other if self.labelled => Some(Context::Other),
            _ => None,
        }
    }

    fn fedi_unless_negated(&self, text: &str, marker: usize) -> Context {
        if negated(text, self.floor, marker) {
            Context::Nothing
        } else {
            Context::Fediverse
        }
    }
}

/// True when one of the few words before the marker at `marker` negates it ("Left
/// Mastodon", "no fedi", "Deleted my Mastodon"). Stops at any punctuation that matters.
fn negated(text: &str, floor: usize, marker: usize) -> bool {
    let mut end = marker;
    for _ in 0..NEGATION_REACH {
        match step_back(text, floor, end) {
            Some((start, Step::Word(word))) => {
                if classify(word) == Class::Negation {
                    return true;
                }
                end = start;
            }
            _ => return false,
        }
    }
    false
}

/// The nearest step that ends at or before `end`, and where it starts; `None` at a clause
/// end or at the floor. Other punctuation, digits and symbols are skipped.
fn step_back(text: &str, floor: usize, mut end: usize) -> Option<(usize, Step<'_>)> {
    loop {
        let c = char_before(text, end).filter(|_| end > floor)?;
        let start = end - c.len_utf8();
        if c == FEDI_MARK || c == MAIL_MARK {
            return Some((start, Step::Word(&text[start..end])));
        }
        if c.is_alphabetic() {
            let start = word_start(text, floor, end);
            return Some((start, Step::Word(&text[start..end])));
        }
        if ends_clause(c, char_at(text, end)) {
            return None;
        }
        let step = match c {
            ',' | '、' | '–' | '—' | '―' => Some(Step::Pause),
            '-' if spaced(text, start, end) => Some(Step::Pause),
            ':' => Some(Step::Colon),
            ')' => Some(Step::Close),
            '(' => Some(Step::Open),
            _ => None,
        };
        if let Some(step) = step {
            return Some((start, step));
        }
        end = start;
    }
}

/// Where the word ending at `end` starts: a run of letters, with hyphens between letters
/// (so "fedi-curious" and "E-Mail" are one word each).
fn word_start(text: &str, floor: usize, end: usize) -> usize {
    let mut start = scan_left(text, floor, end, char::is_alphabetic);
    while start > floor + 1
        && char_before(text, start) == Some('-')
        && char_before(text, start - 1).is_some_and(char::is_alphabetic)
    {
        start = scan_left(text, floor, start - 1, char::is_alphabetic);
    }
    start
}

/// True when the character at `start..end` has white space on both sides (a dash).
fn spaced(text: &str, start: usize, end: usize) -> bool {
    char_before(text, start).is_some_and(char::is_whitespace)
        && char_at(text, end).is_some_and(char::is_whitespace)
}

/// True when `c` (followed by `next`) ends a clause: a line break, a list separator, a
/// semicolon, or sentence punctuation followed by a space.
fn ends_clause(c: char, next: Option<char>) -> bool {
    matches!(c, '\n' | '|' | '·' | '•' | ';' | '。' | '！' | '？')
        || (matches!(c, '.' | '!' | '?') && next.is_some_and(char::is_whitespace))
}

/// True when the word is part of an address or a link to one (`alice`, `social` in
/// `@alice@det.social`, `mas.to/@alice`).
fn next_to_at_sign(text: &str, start: usize, end: usize) -> bool {
    char_before(text, start) == Some('@') || char_at(text, end) == Some('@')
}

/// How a word sits in the text around it.
#[derive(Debug, PartialEq, Eq)]
enum Embedding {
    /// A path segment of a link (`users` in `https://m.example/users/a`).
    Link,
    /// Part of a host name (`mastodon` in `mastodon.social`).
    Host,
    /// A word of its own. A slash between plain words ("Mastodon/Fediverse:") does not glue.
    Free,
}

fn embedding(text: &str, window: Range<usize>, start: usize, end: usize) -> Embedding {
    let before = char_before(text, start);
    let after = char_at(text, end);
    let in_link = (before == Some('/') || after == Some('/')) && {
        let from = scan_left(text, window.start, start, is_token_char);
        let to = scan_right(text, window.end, end, is_token_char);
        text[from..to].contains('.')
    };
    let dotted_before =
        before == Some('.') && char_before(text, start - 1).is_some_and(char::is_alphanumeric);
    let dotted_after =
        after == Some('.') && char_at(text, end + 1).is_some_and(char::is_alphanumeric);
    if in_link {
        Embedding::Link
    } else if dotted_before || dotted_after {
        Embedding::Host
    } else {
        Embedding::Free
    }
}

/// What one word is: a marker, a word for another kind of address, a negation, or plain.
fn classify(word: &str) -> Class {
    if word.starts_with(FEDI_MARK) {
        return Class::Fedi;
    }
    if word.starts_with(MAIL_MARK) {
        return Class::Other;
    }
    let lower = word.to_lowercase();
    if FEDI_WORDS_CJK.iter().any(|w| lower.contains(w)) {
        return Class::Fedi;
    }
    if OTHER_WORDS_CJK.iter().any(|w| lower.contains(w)) {
        return Class::Other;
    }
    let parts: Vec<&str> = lower.split('-').filter(|p| !p.is_empty()).collect();
    let is_fedi = |p: &&str| FEDI_WORDS.contains(p);
    if parts.iter().any(is_fedi) {
        return if parts.iter().any(|p| NEGATIONS.contains(p)) {
            Class::Negation
        } else if parts
            .iter()
            .all(|p| is_fedi(p) || ACCOUNT_NOUNS.contains(p))
        {
            Class::Fedi
        } else {
            Class::Plain
        };
    }
    if OTHER_WORDS.contains(&parts.concat().as_str())
        || parts.iter().any(|p| OTHER_WORDS.contains(p))
    {
        return Class::Other;
    }
    match parts.as_slice() {
        [single] if NEGATIONS.contains(single) => Class::Negation,
        _ => Class::Plain,
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
    fn negations_pauses_and_asides() {
        assert_eq!(ctx("Left Mastodon, write to ^"), Context::Nothing);
        assert_eq!(ctx("Deleted my Mastodon: ^"), Context::Nothing);
        assert_eq!(ctx("Find me on Mastodon, ^"), Context::Fediverse);
        assert_eq!(ctx("Mastodon fans, ^"), Context::Nothing);
        assert_eq!(ctx("Mastodon; ^"), Context::Nothing);
        assert_eq!(ctx("Mastodon fan – ^"), Context::Nothing);
        assert_eq!(ctx("Mastodon – ^"), Context::Fediverse);
        assert_eq!(ctx("(Mastodon) ^"), Context::Nothing);
        assert_eq!(ctx("(Mastodon): ^"), Context::Fediverse);
        assert_eq!(ctx("mastodons ^"), Context::Nothing);
        assert_eq!(ctx("fedi-curious ^"), Context::Nothing);
        assert_eq!(ctx("Mastodon-Account: ^"), Context::Fediverse);
        assert_eq!(ctx("E-Mail: ^"), Context::Other);
        assert_eq!(
            ctx("Mastodon: https://m.example/users/a ^"),
            Context::Nothing
        );
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
