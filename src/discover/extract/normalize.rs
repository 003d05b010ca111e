//! Text clean-up before matching: NFKC (full-width `＠`, "font" letters from the
//! Mathematical Alphanumeric block, ligatures), invisible characters removed, a few symbols
//! turned into marker sentinels — while remembering where every character came from, so a
//! candidate can quote the user's original text.
//!
//! Never decides what is a handle; [`super::tokens`] and the rules do that.

use unicode_normalization::UnicodeNormalization;

use super::spelled::Edit;

/// Stands for a fediverse marker symbol (🐘, 🦣, ⓜ, Ⓜ). A private-use character: it is no
/// letter, so it separates tokens, and NFKC leaves it alone (ⓜ itself would become `m`).
pub const FEDI_MARK: char = '\u{E000}';

/// Stands for an e-mail symbol (✉, 📧, 📩, 📨).
pub const MAIL_MARK: char = '\u{E001}';

/// Text after clean-up, with a map back to the original.
#[derive(Debug)]
pub struct Normalized<'a> {
    original: &'a str,
    text: String,
    /// One entry per character of `text`: its byte offset there, and the byte range of the
    /// original character it came from. Empty when `text` is the original (ASCII text, the
    /// common case, is left as it is).
    map: Vec<(usize, usize, usize)>,
}

impl<'a> Normalized<'a> {
    /// Cleans `original` up. Works per character, so NFKC does not compose across
    /// characters; that only matters for decomposed accents, which IDNA re-composes in hosts
    /// and which usernames cannot contain anyway.
    pub fn new(original: &'a str) -> Self {
        if original.is_ascii() {
            return Self {
                original,
                text: original.to_string(),
                map: Vec::new(),
            };
        }
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len());
        for (start, c) in original.char_indices() {
            let end = start + c.len_utf8();
            let mut push = |out: char| {
                map.push((text.len(), start, end));
                text.push(out);
            };
            if c.is_ascii() {
                push(c);
            } else if is_invisible(c) {
                continue;
            } else if let Some(sentinel) = sentinel(c) {
                push(sentinel);
            } else {
                std::iter::once(c).nfkc().for_each(push);
            }
        }
        Self {
            original,
            text,
            map,
        }
    }

    /// The text with `edits` applied (sorted, non-overlapping byte ranges of the cleaned-up
    /// text): each replacement character maps back to the whole original span it replaced.
    pub fn rewritten(mut self, edits: &[Edit]) -> Self {
        if edits.is_empty() {
            return self;
        }
        if self.is_identity() {
            self.map = (0..self.text.len()).map(|i| (i, i, i + 1)).collect();
        }
        let mut text = String::with_capacity(self.text.len());
        let mut map = Vec::with_capacity(self.map.len());
        let mut pending = edits.iter().peekable();
        let mut i = 0;
        while i < self.map.len() {
            let (at, from, to) = self.map[i];
            match pending.peek() {
                Some(edit) if edit.range.start == at => {
                    let last = self.map.partition_point(|&(a, _, _)| a < edit.range.end);
                    let end = last
                        .checked_sub(1)
                        .and_then(|j| self.map.get(j))
                        .map_or(to, |&(_, _, e)| e);
                    for c in edit.with.chars() {
                        map.push((text.len(), from, end));
                        text.push(c);
                    }
                    i = last.max(i + 1);
                    pending.next();
                }
                _ => {
                    let c = self.text[at..].chars().next().unwrap_or(' ');
                    map.push((text.len(), from, to));
                    text.push(c);
                    i += 1;
                }
            }
        }
        Self {
            original: self.original,
            text,
            map,
        }
    }

    /// True when the text is the original, unchanged (no map is kept).
    fn is_identity(&self) -> bool {
        self.map.is_empty() && !self.text.is_empty()
    }

    /// The cleaned-up text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The original text behind a byte range of the cleaned-up text (including any invisible
    /// characters that were dropped inside it).
    pub fn original_span(&self, start: usize, end: usize) -> &'a str {
        if self.is_identity() {
            let end = end.min(self.original.len());
            return self.original.get(start.min(end)..end).unwrap_or_default();
        }
        let first = self.map.partition_point(|&(at, _, _)| at < start);
        let last = self.map.partition_point(|&(at, _, _)| at < end);
        match (
            self.map.get(first),
            last.checked_sub(1).and_then(|i| self.map.get(i)),
        ) {
            (Some(&(_, from, _)), Some(&(_, _, to))) if from <= to => &self.original[from..to],
            _ => "",
        }
    }
}

/// Characters that render as nothing but split words: zero-width space/joiners, word joiner,
/// BOM, soft hyphen, invisible operators, bidirectional controls, variation selectors.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
        | '\u{E0100}'..='\u{E01EF}')
}

/// Symbols with a meaning for the rules, and characters that must become plain separators
/// rather than what NFKC makes of them (`…` would turn into `...` and glue words together).
fn sentinel(c: char) -> Option<char> {
    match c {
        '🐘' | '🦣' | 'ⓜ' | 'Ⓜ' => Some(FEDI_MARK),
        '✉' | '📧' | '📩' | '📨' => Some(MAIL_MARK),
        '…' | '‥' => Some(' '),
        '\u{E000}'..='\u{E0FF}' => Some(' '),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_and_fonts_and_drops_invisibles() {
        let norm = Normalized::new("＠erin\u{200B}＠𝚖𝚊𝚜𝚝𝚘𝚍𝚘𝚗.social\u{00AD}");
        assert_eq!(norm.text(), "@erin@mastodon.social");
    }

    #[test]
    fn maps_spans_back_to_the_original() {
        let original = "x ＠erin\u{200B}＠host.social y";
        let norm = Normalized::new(original);
        let start = norm.text().find('@').expect("at sign");
        let end = norm.text().find(" y").expect("tail");
        assert_eq!(
            norm.original_span(start, end),
            "＠erin\u{200B}＠host.social"
        );
    }

    #[test]
    fn rewritten_text_maps_back_to_the_spelled_out_original() {
        let original = "x ａlice [at] host(dot)social y";
        let norm = Normalized::new(original);
        let edits = super::super::spelled::edits(norm.text());
        let norm = norm.rewritten(&edits);
        assert_eq!(norm.text(), "x alice@host.social y");
        let start = norm.text().find('a').expect("name");
        let end = norm.text().find(" y").expect("tail");
        assert_eq!(
            norm.original_span(start, end),
            "ａlice [at] host(dot)social"
        );
    }

    #[test]
    fn markers_become_sentinels_and_ellipsis_a_space() {
        let norm = Normalized::new("🐘ⓜ✉ a…b");
        assert_eq!(norm.text(), "\u{E000}\u{E000}\u{E001} a b");
    }
}
