//! A post's length as the server will count it, by server software. Pure.
//!
//! - **Mastodon** (`StatusLengthValidator`, 4.x): `[spoiler_text, countable_text(text)].join`
//!   counted in *grapheme clusters* (`each_grapheme_cluster.size`: what a reader sees as one
//!   character, so 👩‍👩‍👧 or `e` + combining accent count 1), where `countable_text` replaces
//!   every link the extractor finds with `characters_reserved_per_url` x's (shorter links
//!   count that much too) and `@user@domain` with `@user`. The content warning counts.
//! - **GoToSocial** (`validateStatusContent`): `len([]rune(status)) + len([]rune(spoiler))`,
//!   code points of text and content warning, links and mentions as written. It advertises
//!   `characters_reserved_per_url` (25) but does not apply it.
//! - **Other** software (Pleroma, Akkoma, Misskey, forks we cannot see): the larger of both,
//!   code points with every link counted at least the reserved width. Never fewer than the
//!   server counts, so a post we think fits does.
//!
//! Never decides anything about splitting; `split` and `compose` ask it.

use serde::{Deserialize, Serialize};
use unicode_segmentation::UnicodeSegmentation;

use super::entities;

/// Which counting rule a server follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerKind {
    Mastodon,
    GoToSocial,
    Other,
}

impl ServerKind {
    /// From NodeInfo's software name (`mastodon`, `hometown`, `glitch`… count as Mastodon).
    pub fn from_software(name: &str) -> Self {
        match name.trim().to_ascii_lowercase().as_str() {
            "mastodon" | "hometown" | "glitch" | "glitchsoc" | "glitch-soc" | "chuckya" => {
                ServerKind::Mastodon
            }
            "gotosocial" => ServerKind::GoToSocial,
            _ => ServerKind::Other,
        }
    }
}

/// How to count: the software's rule and the width it reserves for a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LengthRules {
    pub software: ServerKind,
    pub characters_reserved_per_url: usize,
}

impl LengthRules {
    /// The length of a post with this `text` and content warning (`""` for none).
    pub fn count(&self, text: &str, spoiler: &str) -> usize {
        match self.software {
            ServerKind::Mastodon => mastodon(text, spoiler, self.characters_reserved_per_url),
            ServerKind::GoToSocial => text.chars().count() + spoiler.chars().count(),
            ServerKind::Other => other(text, spoiler, self.characters_reserved_per_url),
        }
    }
}

/// Mastodon's count: graphemes of the content warning joined with the countable text.
pub fn mastodon(text: &str, spoiler: &str, per_url: usize) -> usize {
    let mut joined = String::with_capacity(spoiler.len() + text.len());
    joined.push_str(spoiler);
    joined.push_str(&countable_text(text, per_url));
    graphemes(&joined)
}

/// The number of graphemes (extended grapheme clusters) in `text`. ASCII text, most of
/// what an archive holds, is counted without segmenting: there, only CR LF joins two
/// characters into one grapheme (UAX #29, rule GB3).
pub fn graphemes(text: &str) -> usize {
    if text.is_ascii() {
        let bytes = text.as_bytes();
        let crlf = if bytes.contains(&b'\r') {
            bytes.windows(2).filter(|w| w == b"\r\n").count()
        } else {
            0
        };
        bytes.len() - crlf
    } else {
        text.graphemes(true).count()
    }
}

/// Mastodon's `countable_text`: links become `per_url` x's, `@user@domain` becomes `@user`.
/// A link we are not sure Mastodon sees keeps its text when that is longer.
pub fn countable_text(text: &str, per_url: usize) -> String {
    let urls = entities::urls(text);
    let mentions = entities::mentions(text, &urls);
    if urls.is_empty() && mentions.iter().all(|m| m.user_end == m.end) {
        return text.to_string();
    }
    let mut edits: Vec<(usize, usize, String)> = Vec::with_capacity(urls.len() + mentions.len());
    for url in &urls {
        let raw = &text[url.start..url.end];
        let keep = !url.certain && graphemes(raw) > per_url;
        let with = if keep {
            raw.to_string()
        } else {
            "x".repeat(per_url)
        };
        edits.push((url.start, url.end, with));
    }
    for m in mentions.iter().filter(|m| m.user_end < m.end) {
        edits.push((m.user_end, m.end, String::new()));
    }
    edits.sort_by_key(|e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end, with) in edits {
        out.push_str(&text[last..start]);
        out.push_str(&with);
        last = end;
    }
    out.push_str(&text[last..]);
    out
}

/// The conservative count for software whose rule we do not know.
fn other(text: &str, spoiler: &str, per_url: usize) -> usize {
    let mut n = spoiler.chars().count() + text.chars().count();
    for url in entities::urls(text) {
        let raw = text[url.start..url.end].chars().count();
        n += per_url.saturating_sub(raw);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcut_counts_like_segmentation() {
        let cases = [
            "",
            "a",
            "plain words.",
            "\r\n",
            "a\r\nb\rc\nd",
            "\r\r\n\n",
            "\t\u{7}x ",
            "https://example.org/a?b=c#d",
            "é",
            "👍🏽 ok",
            "e\u{301}",
            "\r\n\u{301}",
        ];
        for text in cases {
            assert_eq!(graphemes(text), text.graphemes(true).count(), "{text:?}");
        }
        let all_ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(graphemes(&all_ascii), all_ascii.graphemes(true).count());
    }

    const MASTODON: LengthRules = LengthRules {
        software: ServerKind::Mastodon,
        characters_reserved_per_url: 23,
    };
    const GTS: LengthRules = LengthRules {
        software: ServerKind::GoToSocial,
        characters_reserved_per_url: 25,
    };
    const OTHER: LengthRules = LengthRules {
        software: ServerKind::Other,
        characters_reserved_per_url: 23,
    };

    #[test]
    fn each_software_counts_its_own_way() {
        let long_url = "https://example.org/a/very/long/path/that/goes/on/and/on"; // 56
        let table: &[(&str, &str, usize, usize, usize)] = &[
            // (text, spoiler, mastodon, gotosocial, other)
            ("hello", "", 5, 5, 5),
            ("hello", "cw", 7, 7, 7),
            ("", "", 0, 0, 0),
            (long_url, "", 23, 56, 56),
            ("https://e.org", "", 23, 13, 23),
            ("a https://e.org b", "", 27, 17, 27),
            ("@ann@example.social hi", "", 7, 22, 22),
            ("@ann hi", "", 7, 7, 7),
            ("mail ann@example.social", "", 23, 23, 23),
            // Emoji: one grapheme, several code points.
            ("👩\u{200d}👩\u{200d}👧", "", 1, 5, 5),
            ("👍🏽", "", 1, 2, 2),
            ("🇯🇵", "", 1, 2, 2),
            // Combining marks: "é" as e + U+0301.
            ("e\u{301}", "", 1, 2, 2),
            ("日本語", "", 3, 3, 3),
            ("שלום עולם", "", 9, 9, 9),
            ("\r\n", "", 1, 2, 2),
            // A link in the content warning is not shortened.
            ("x", "https://e.org", 14, 14, 14),
            // A link Mastodon may not see keeps its length when that is longer.
            ("https://bücher-und-mehr.de/x/y/z/w", "", 34, 34, 34),
        ];
        for &(text, spoiler, m, g, o) in table {
            assert_eq!(MASTODON.count(text, spoiler), m, "mastodon {text:?}");
            assert_eq!(GTS.count(text, spoiler), g, "gotosocial {text:?}");
            assert_eq!(OTHER.count(text, spoiler), o, "other {text:?}");
        }
    }

    #[test]
    fn the_reserved_width_is_the_instances() {
        let rules = LengthRules {
            software: ServerKind::Mastodon,
            characters_reserved_per_url: 30,
        };
        assert_eq!(rules.count("https://e.org", ""), 30);
    }

    #[test]
    fn software_names_map_to_rules() {
        let table = [
            ("mastodon", ServerKind::Mastodon),
            ("Hometown", ServerKind::Mastodon),
            ("gotosocial", ServerKind::GoToSocial),
            ("pleroma", ServerKind::Other),
            ("", ServerKind::Other),
        ];
        for (name, want) in table {
            assert_eq!(ServerKind::from_software(name), want, "{name}");
        }
    }
}
