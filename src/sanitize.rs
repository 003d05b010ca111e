//! Makes text that a server or an archive controls safe to put on a terminal: the one
//! sanitiser every such string goes through before human output (instance titles, display
//! names, software names and versions, bios, entry names, servers' error texts).
//!
//! [`clean`] removes terminal escape sequences (CSI, OSC, DCS and the other string controls,
//! in their 7-bit `ESC` and 8-bit C1 forms), every other C0 and C1 control character (NUL and
//! DEL included), and the bidirectional overrides, embeddings and isolates that can make text
//! read in another order than it is stored; line breaks and runs of white space become one
//! space, so a value stays on its line. It never touches data written to stdout as data
//! (`--json`, CSV, exports): those keep what the source said, escaped by their format.

use std::borrow::Cow;

/// `text` with escape sequences, control characters and bidi controls removed and white space
/// collapsed to single spaces (trimmed at both ends).
pub fn clean(text: &str) -> Cow<'_, str> {
    if is_plain(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            skip_escape(&mut chars);
            continue;
        }
        if let Some(kind) = c1_string(c) {
            skip_sequence(kind, &mut chars);
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() || is_bidi_control(c) {
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// [`clean`], then at most `max` characters (an ellipsis marks a cut); `None` when nothing is
/// left.
pub fn clean_cut(text: &str, max: usize) -> Option<String> {
    let cleaned = clean(text);
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.chars().count() > max {
        return Some(cleaned.chars().take(max).collect::<String>() + "…");
    }
    Some(cleaned.into_owned())
}

/// True when [`clean`] would return `text` unchanged.
fn is_plain(text: &str) -> bool {
    let mut previous_space = true;
    for c in text.chars() {
        if c == ' ' {
            if previous_space {
                return false;
            }
            previous_space = true;
            continue;
        }
        if c.is_whitespace() || c.is_control() || is_bidi_control(c) {
            return false;
        }
        previous_space = false;
    }
    !previous_space || text.is_empty()
}

/// Characters that reorder the text around them (Unicode's explicit directional formatting
/// characters, and the marks).
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// How a sequence after its introducer ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sequence {
    /// Parameters and intermediates, then one final byte (`@`..`~`).
    Csi,
    /// A string ended by BEL or the string terminator (`ESC \` or U+009C).
    Text,
}

/// The 8-bit forms of CSI and the string controls (DCS, SOS, OSC, PM, APC).
fn c1_string(c: char) -> Option<Sequence> {
    match c {
        '\u{9b}' => Some(Sequence::Csi),
        '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => Some(Sequence::Text),
        _ => None,
    }
}

/// Skips what follows an `ESC`: a CSI (`ESC [`), a string (`ESC ] P X ^ _`), or a short
/// sequence (intermediates `0x20..=0x2F`, then one final character).
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek().copied() {
        Some('[') => {
            chars.next();
            skip_sequence(Sequence::Csi, chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_sequence(Sequence::Text, chars);
        }
        _ => {
            while chars
                .next_if(|c| ('\u{20}'..='\u{2f}').contains(c))
                .is_some()
            {}
            chars.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
        }
    }
}

/// Skips the body of a CSI or a string control. A CSI stops early at anything that cannot be
/// part of one (that character is kept); an unterminated string runs to the end of the text.
fn skip_sequence(kind: Sequence, chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match kind {
        Sequence::Csi => {
            while chars
                .next_if(|c| ('\u{20}'..='\u{3f}').contains(c))
                .is_some()
            {}
            chars.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
        }
        Sequence::Text => {
            while let Some(c) = chars.next() {
                match c {
                    '\u{07}' | '\u{9c}' => return,
                    '\u{1b}' if chars.peek() == Some(&'\\') => {
                        chars.next();
                        return;
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escapes_controls_and_bidi_overrides() {
        let cases = [
            ("Social Example", "Social Example"),
            ("", ""),
            ("red\u{1b}[31;1mALERT\u{1b}[0m", "redALERT"),
            ("title\u{1b}]0;pwned\u{07}!", "title!"),
            (
                "link\u{1b}]8;;https://evil.example\u{1b}\\here\u{1b}]8;;\u{1b}\\",
                "linkhere",
            ),
            ("clear\u{1b}c screen", "clear screen"),
            ("charset\u{1b}(B ok", "charset ok"),
            ("nul\0byte", "nulbyte"),
            ("c1\u{9b}2Jcsi \u{9d}osc\u{9c}end", "c1csi end"),
            ("del\u{7f}ete \u{85}next", "delete next"),
            ("evil\u{202e}gnp.exe", "evilgnp.exe"),
            ("iso\u{2067}late\u{2069}d", "isolated"),
            ("  many\n\tlines \r\n here  ", "many lines here"),
            ("emoji 👩‍💻 and 日本語", "emoji 👩‍💻 and 日本語"),
            ("unterminated\u{1b}]0;forever", "unterminated"),
            ("bare escape at end\u{1b}", "bare escape at end"),
            ("csi cut \u{1b}[12é", "csi cut é"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "{input:?}");
        }
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("plain text"), Cow::Borrowed(_)));
        assert!(matches!(clean("two  spaces"), Cow::Owned(_)));
        assert!(matches!(clean(" lead"), Cow::Owned(_)));
        assert!(matches!(clean("trail "), Cow::Owned(_)));
    }

    #[test]
    fn cut_marks_the_cut_and_empties_are_none() {
        assert_eq!(clean_cut(" \n\u{1b}[0m ", 10), None);
        assert_eq!(clean_cut("abcdef", 3).as_deref(), Some("abc…"));
        assert_eq!(clean_cut("abc", 3).as_deref(), Some("abc"));
    }
}
