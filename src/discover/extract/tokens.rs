//! Character classes and the tokenizer: splits cleaned-up text into runs that could hold a
//! handle or a URL. Everything else — spaces, quotes, brackets, `,` `;` `|` `!` `*`, CJK
//! punctuation and CJK script, emoji — separates tokens. One exception: a run of CJK script
//! that is a label of a host name (`love.日本語.life`, `@kana@日本語.jp`: followed by `.` and
//! more of the host, and not glued to other letters before it) stays in its token.
//!
//! Never judges a token; the rules in [`super::acct`], [`super::urls`] and
//! [`super::bluesky`] do.

use std::ops::Range;

use crate::lanes;

/// True for characters a token may contain: what handles and URLs are made of.
#[inline]
pub fn is_token_char(c: char) -> bool {
    if c.is_ascii() {
        ASCII_TOKEN[c as usize]
    } else {
        is_foreign_letter(c)
    }
}

/// [`is_token_char`] for the ASCII characters (`false` above 127).
const ASCII_TOKEN: [bool; 256] = {
    let mut table = lanes::byte_set(b"@._-/:?#=&%+~");
    let mut b = 0;
    while b < 128 {
        table[b] |= (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// True for characters of a username: Mastodon's `[a-z0-9_.-]` (case-insensitive).
#[inline]
pub fn is_user_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')
}

/// True for characters of a host name, IDN letters included.
#[inline]
pub fn is_host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-') || is_foreign_letter(c)
}

/// True for characters of a host name *inside a token*: there, CJK script can only be a
/// host label, since [`tokens`] keeps no other CJK run.
#[inline]
pub fn is_host_char_in_token(c: char) -> bool {
    is_host_char(c) || is_cjk(c)
}

/// A non-ASCII letter or digit that may be part of an IDN host. Chinese, Japanese and Korean
/// scripts are excluded on purpose: in bios they are glued to handles without spaces
/// ("連絡は@kana@pawoo.netまで"), while CJK domain names are rare on the fediverse and still
/// work in their punycode form.
#[inline]
fn is_foreign_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric() && !is_cjk(c)
}

/// Han, kana, Hangul and their compatibility blocks.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{9FFF}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FF66}'..='\u{FFDC}'
        | '\u{20000}'..='\u{3FFFF}')
}

/// Byte ranges of the tokens of `text`, in order.
pub fn tokens(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = None;
    let mut at = 0;
    std::iter::from_fn(move || {
        while at <= text.len() {
            let (inside, next) = match text.as_bytes().get(at) {
                Some(&b) if b.is_ascii() => (ASCII_TOKEN[usize::from(b)], at + 1),
                _ => match char_at(text, at) {
                    None => (false, text.len() + 1),
                    Some(c) if is_cjk(c) => {
                        let end = scan_right(text, text.len(), at, is_cjk);
                        (is_cjk_label(text, at, end), end)
                    }
                    Some(c) => (is_token_char(c), at + c.len_utf8()),
                },
            };
            let here = at;
            at = next;
            match (start, inside) {
                (None, true) => start = Some(here),
                (Some(from), false) => {
                    start = None;
                    return Some(from..here);
                }
                _ => {}
            }
        }
        None
    })
}

/// The token holding byte `at`, an ASCII token character: the same range [`tokens`] yields
/// for it, found by scanning out from `at` instead of from the start of the text.
pub fn token_at(text: &str, at: usize) -> Range<usize> {
    token_start(text, at)..token_end(text, at + 1)
}

/// Moves left from `at` over what [`tokens`] counts as inside a token.
fn token_start(text: &str, mut at: usize) -> usize {
    loop {
        match char_before(text, at) {
            Some(c) if c.is_ascii() && ASCII_TOKEN[c as usize] => at -= 1,
            // A CJK run is in or out as a whole; `at` is its end (it is maximal).
            Some(c) if is_cjk(c) => {
                let start = scan_left(text, 0, at, is_cjk);
                if !is_cjk_label(text, start, at) {
                    return at;
                }
                at = start;
            }
            Some(c) if !c.is_ascii() && is_token_char(c) => at -= c.len_utf8(),
            _ => return at,
        }
    }
}

/// Moves right from `at` over what [`tokens`] counts as inside a token.
fn token_end(text: &str, mut at: usize) -> usize {
    loop {
        match char_at(text, at) {
            Some(c) if c.is_ascii() && ASCII_TOKEN[c as usize] => at += 1,
            Some(c) if is_cjk(c) => {
                let end = scan_right(text, text.len(), at, is_cjk);
                if !is_cjk_label(text, at, end) {
                    return at;
                }
                at = end;
            }
            Some(c) if !c.is_ascii() && is_token_char(c) => at += c.len_utf8(),
            _ => return at,
        }
    }
}

/// True when the CJK run `start..end` is a label of a host name: `.` and another host
/// character follow it, and what precedes it is no letter (`.`, `@`, `/`, a space, an arrow,
/// the start of the text). A run glued to other letters ("サブ垢は日本語.jp") is left out:
/// there is no telling where the host starts.
fn is_cjk_label(text: &str, start: usize, end: usize) -> bool {
    let mut after = text[end..].chars();
    let dotted = after.next() == Some('.') && after.next().is_some_and(is_host_char);
    dotted && !char_before(text, start).is_some_and(char::is_alphanumeric)
}

/// The character just before byte `at` in `text`, if any.
#[inline]
pub fn char_before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

/// The character starting at byte `at` in `text`, if any.
#[inline]
pub fn char_at(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Moves `at` left while the character before it satisfies `keep`, stopping at `floor`.
#[inline]
pub fn scan_left(text: &str, floor: usize, mut at: usize, keep: impl Fn(char) -> bool) -> usize {
    while at > floor {
        match char_before(text, at) {
            Some(c) if keep(c) => at -= c.len_utf8(),
            _ => break,
        }
    }
    at
}

/// Moves `at` right while the character at it satisfies `keep`, stopping at `ceiling`.
#[inline]
pub fn scan_right(text: &str, ceiling: usize, mut at: usize, keep: impl Fn(char) -> bool) -> usize {
    while at < ceiling {
        match char_at(text, at) {
            Some(c) if keep(c) => at += c.len_utf8(),
            _ => break,
        }
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokens(text).map(|r| &text[r]).collect()
    }

    /// `token_at` finds, for every ASCII token character, the token `tokens` puts it in.
    #[test]
    fn token_at_agrees_with_the_tokenizer() {
        let pieces = [
            "a",
            "@",
            "/",
            ".",
            " ",
            "日本語",
            "サブ",
            "é",
            "ü",
            "(",
            ")",
            "#",
            "🐘",
            "、",
            "x.y",
            "ＡＢ",
            "-",
            "\u{FF66}",
            "\u{20000}",
            "'",
        ];
        let mut state = 7u32;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..(state % 9) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            let spans: Vec<_> = tokens(&text).collect();
            for (at, b) in text.bytes().enumerate() {
                if b.is_ascii() && ASCII_TOKEN[usize::from(b)] {
                    let want = spans.iter().find(|t| t.contains(&at)).cloned();
                    assert_eq!(Some(token_at(&text, at)), want, "{text:?} at {at}");
                }
            }
        }
    }

    #[test]
    fn splits_on_punctuation_quotes_and_cjk() {
        assert_eq!(
            words("(“@bob@infosec.exchange”);x|y 絵描き・@kana@pawoo.netまで"),
            ["@bob@infosec.exchange", "x", "y", "@kana@pawoo.net"]
        );
    }

    #[test]
    fn keeps_cjk_host_labels_in_their_token() {
        assert_eq!(
            words("サブ垢はlove.日本語.life/@kana まで、@kana@日本語.jpです"),
            ["love.日本語.life/@kana", "@kana@日本語.jp"]
        );
        assert_eq!(words("日本語です。net"), ["net"]);
    }

    #[test]
    fn keeps_urls_and_idn_hosts_whole() {
        assert_eq!(
            words("see https://bücher.example/@a?x=1#top, ok"),
            ["see", "https://bücher.example/@a?x=1#top", "ok"]
        );
    }
}
