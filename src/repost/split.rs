//! Splitting a text that is too long for one post into pieces that each fit. Pure.
//!
//! The caller says what fits (`fits(piece, index)`: it knows the server's counting, the
//! numbering it adds and the content warning); this module says where to cut:
//! - only at a break: a paragraph, a line, the end of a sentence (`. ! ? … 。 ！ ？ ؟ ۔`),
//!   a space, or between two CJK characters (which have no spaces; never before closing or
//!   after opening punctuation);
//! - never inside a link, a mention or a hashtag, nor inside a grapheme cluster (an emoji
//!   ZWJ sequence, a letter and its combining marks, a flag);
//! - of the breaks that fit, the strongest kind whose piece is at least a third as long as
//!   the longest piece that fits, else the longest;
//! - only when not even one whole word fits is a word (or a link) cut, at the last grapheme
//!   boundary that fits: the text is never truncated.
//!
//! Whitespace at a cut is dropped; everything else is kept, in order.

use unicode_segmentation::UnicodeSegmentation;

use super::entities;

/// The kinds of break, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Paragraph,
    Line,
    Sentence,
    Word,
}

/// A place to cut: the piece ends at `end`, the next starts at `next`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Break {
    end: usize,
    next: usize,
    class: Class,
}

/// Why a text cannot be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("not even one character fits in post {index}")]
    NoRoom { index: usize },
}

/// Splits `text` into pieces with `fits(piece, index)` true for each. A text that fits whole
/// comes back as one piece; an empty text as none.
pub fn split(text: &str, fits: impl Fn(&str, usize) -> bool) -> Result<Vec<&str>, SplitError> {
    let text = text.trim();
    let mut pieces = Vec::new();
    if text.is_empty() {
        return Ok(pieces);
    }
    if fits(text, 0) {
        pieces.push(text);
        return Ok(pieces);
    }
    let breaks = breaks(text);
    let mut start = 0;
    while start < text.len() {
        let index = pieces.len();
        let rest = &text[start..];
        if fits(rest, index) {
            pieces.push(rest);
            break;
        }
        let from = breaks.partition_point(|b| b.end <= start);
        let (end, next) = match best_break(text, start, &breaks[from..], |p| fits(p, index)) {
            Some(b) => (b.end, b.next),
            None => {
                let end = hard_cut(text, start, |p| fits(p, index))
                    .ok_or(SplitError::NoRoom { index })?;
                (end, skip_space(text, end))
            }
        };
        pieces.push(&text[start..end]);
        start = next;
    }
    Ok(pieces)
}

/// The break to cut at, among `breaks` (all ending after `start`).
fn best_break(
    text: &str,
    start: usize,
    breaks: &[Break],
    fits: impl Fn(&str) -> bool,
) -> Option<Break> {
    let piece = |b: &Break| &text[start..b.end];
    let last = last_fitting(breaks, |b| fits(piece(b)))?;
    let longest = piece(&breaks[last]).chars().count();
    for class in [Class::Paragraph, Class::Line, Class::Sentence] {
        let found = breaks[..=last]
            .iter()
            .rev()
            .take_while(|b| piece(b).chars().count() * 3 >= longest)
            .find(|b| b.class <= class);
        if let Some(b) = found {
            return Some(*b);
        }
    }
    Some(breaks[last])
}

/// The index of the last item that fits, assuming fitting is monotone (a binary search),
/// checked: when the assumption fails, the nearest fitting item before the answer.
fn last_fitting<T>(items: &[T], fits: impl Fn(&T) -> bool) -> Option<usize> {
    let (mut lo, mut hi) = (0, items.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if fits(&items[mid]) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    (0..lo).rev().find(|&i| fits(&items[i]))
}

/// The last grapheme boundary after `start` whose piece fits (a word or link cut as a last
/// resort).
fn hard_cut(text: &str, start: usize, fits: impl Fn(&str) -> bool) -> Option<usize> {
    let ends: Vec<usize> = text[start..]
        .grapheme_indices(true)
        .map(|(i, g)| start + i + g.len())
        .collect();
    let last = last_fitting(&ends, |&end| fits(text[start..end].trim_end()))?;
    let end = ends[last];
    let trimmed = start + text[start..end].trim_end().len();
    Some(if trimmed > start { trimmed } else { end })
}

fn skip_space(text: &str, from: usize) -> usize {
    from + (text[from..].len() - text[from..].trim_start().len())
}

/// Every allowed break in `text`, in order.
fn breaks(text: &str) -> Vec<Break> {
    let protected = protected_spans(text);
    let is_protected = |at: usize| protected.iter().any(|&(s, e)| s < at && at < e);
    let mut out = Vec::new();
    let mut prev: Option<(usize, &str)> = None;
    let mut space_from: Option<usize> = None;
    for (i, g) in text.grapheme_indices(true) {
        let space = g.chars().all(char::is_whitespace);
        match (space, space_from) {
            (true, None) => space_from = Some(i),
            (false, Some(from)) => {
                out.push(Break {
                    end: from,
                    next: i,
                    class: space_class(text, from, i),
                });
                space_from = None;
            }
            (false, None) => {
                if let Some((_, p)) = prev
                    && !is_protected(i)
                    && let Some(class) = glued_class(p, g)
                {
                    out.push(Break {
                        end: i,
                        next: i,
                        class,
                    });
                }
            }
            (true, Some(_)) => {}
        }
        prev = Some((i, g));
    }
    out
}

/// The kind of a break at the whitespace `text[from..to]`.
fn space_class(text: &str, from: usize, to: usize) -> Class {
    let space = &text[from..to];
    let newlines = space.matches('\n').count();
    if newlines >= 2 {
        Class::Paragraph
    } else if newlines == 1 {
        Class::Line
    } else if ends_sentence(&text[..from]) {
        Class::Sentence
    } else {
        Class::Word
    }
}

/// A break between two graphemes with no space between them: after a CJK sentence end, or
/// between CJK characters (not before closing or after opening punctuation).
fn glued_class(prev: &str, next: &str) -> Option<Class> {
    let (Some(p), Some(n)) = (prev.chars().next_back(), next.chars().next()) else {
        return None;
    };
    if is_closing(n) || is_opening(p) {
        return None;
    }
    if "。！？".contains(p) || (is_closing(p) && ends_sentence(prev)) {
        return Some(Class::Sentence);
    }
    (is_cjk(p) || is_cjk(n)).then_some(Class::Word)
}

/// True when `before` ends a sentence (closing quotes and brackets skipped).
fn ends_sentence(before: &str) -> bool {
    let trimmed = before.trim_end_matches(|c: char| is_closing(c) || "\"'”’»".contains(c));
    trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？', '؟', '۔'])
}

fn is_closing(c: char) -> bool {
    "、。，．！？）」』】〉》〕｝］…ー々ゝゞぁぃぅぇぉっゃゅょァィゥェォッャュョ".contains(c)
}

fn is_opening(c: char) -> bool {
    "（「『【〈《〔｛［".contains(c)
}

/// Han, kana and CJK punctuation: scripts written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{303F}' | '\u{3040}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}'
        | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FF01}'..='\u{FF1F}' | '\u{FF3B}'..='\u{FF60}' | '\u{20000}'..='\u{2FA1F}')
}

/// Links, mentions (`@`/`＠`) and hashtags (`#`/`＃`): byte ranges never cut.
fn protected_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = entities::urls(text)
        .iter()
        .map(|u| (u.start, u.end))
        .collect();
    for (at, c) in text.char_indices() {
        if matches!(c, '@' | '＠' | '#' | '＃') {
            let body = at + c.len_utf8();
            let len = text[body..]
                .find(|c: char| !(entities::is_word(c) || matches!(c, '.' | '-' | '@')))
                .unwrap_or(text.len() - body);
            spans.push((at, body + len));
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars_fit(max: usize) -> impl Fn(&str, usize) -> bool {
        move |p: &str, _| p.chars().count() <= max
    }

    fn graphemes_fit(max: usize) -> impl Fn(&str, usize) -> bool {
        move |p: &str, _| p.graphemes(true).count() <= max
    }

    #[test]
    fn splits_prefer_sentences_then_words() {
        let table: &[(&str, usize, &[&str])] = &[
            ("short", 10, &["short"]),
            ("", 10, &[]),
            ("exactly10!", 10, &["exactly10!"]),
            ("exactly11!!", 10, &["exactly11!", "!"]),
            (
                "One two. Three four five.",
                20,
                &["One two.", "Three four five."],
            ),
            ("aaa bbb ccc ddd", 8, &["aaa bbb", "ccc ddd"]),
            (
                "para one\n\npara two is here",
                20,
                &["para one", "para two is here"],
            ),
            ("line one\nline two", 12, &["line one", "line two"]),
            ("Hi. aaaa bbbb cccc", 15, &["Hi. aaaa bbbb", "cccc"]),
            (
                "«Quoted.» Next one here",
                12,
                &["«Quoted.»", "Next one", "here"],
            ),
            ("abcdefghij", 4, &["abcd", "efgh", "ij"]),
        ];
        for (text, max, want) in table {
            assert_eq!(
                split(text, chars_fit(*max)).unwrap(),
                *want,
                "{text:?} at {max}"
            );
        }
    }

    #[test]
    fn links_mentions_and_tags_stay_whole() {
        let text = "see https://example.org/abc and @ann@example.social #日本語タグ ok";
        let pieces = split(text, chars_fit(30)).unwrap();
        assert_eq!(
            pieces,
            [
                "see https://example.org/abc",
                "and @ann@example.social #日本語タグ",
                "ok"
            ]
        );
        // A link longer than the limit is cut, as a last resort.
        let pieces = split("https://example.org/abcdefgh", chars_fit(12)).unwrap();
        assert_eq!(pieces.concat(), "https://example.org/abcdefgh");
        assert!(pieces.iter().all(|p| p.chars().count() <= 12));
    }

    #[test]
    fn cjk_splits_between_characters_and_after_sentences() {
        let text = "今日は良い天気です。明日も晴れるでしょう。";
        assert_eq!(
            split(text, chars_fit(12)).unwrap(),
            ["今日は良い天気です。", "明日も晴れるでしょう。"]
        );
        // No break before closing punctuation: 「。」 stays with what it closes.
        let pieces = split("あいうえお。かきくけこ", chars_fit(5)).unwrap();
        assert_eq!(pieces, ["あいうえ", "お。", "かきくけこ"]);
    }

    #[test]
    fn graphemes_are_never_cut() {
        let family = "👩\u{200d}👩\u{200d}👧";
        let text = format!("{family}{family}{family}");
        let pieces = split(&text, graphemes_fit(2)).unwrap();
        assert_eq!(pieces, [format!("{family}{family}"), family.to_string()]);
        let accents = "e\u{301}e\u{301}e\u{301}";
        let pieces = split(accents, graphemes_fit(2)).unwrap();
        assert_eq!(pieces, ["e\u{301}e\u{301}", "e\u{301}"]);
    }

    #[test]
    fn rtl_text_splits_at_its_spaces_and_question_marks() {
        let text = "هل أنت هنا؟ نعم أنا هنا";
        assert_eq!(
            split(text, chars_fit(14)).unwrap(),
            ["هل أنت هنا؟", "نعم أنا هنا"]
        );
        let hebrew = "שלום עולם ומלואו";
        assert_eq!(
            split(hebrew, chars_fit(10)).unwrap(),
            ["שלום עולם", "ומלואו"]
        );
    }

    #[test]
    fn the_index_reaches_the_caller() {
        // The first piece has less room (a footer); later ones more.
        let fits = |p: &str, i: usize| p.chars().count() <= if i == 0 { 5 } else { 11 };
        assert_eq!(
            split("aaa bbb ccc ddd", fits).unwrap(),
            ["aaa", "bbb ccc ddd"]
        );
    }

    #[test]
    fn nothing_fits_is_an_error() {
        assert_eq!(
            split("abc", |_: &str, _| false),
            Err(SplitError::NoRoom { index: 0 })
        );
    }

    #[test]
    fn nothing_is_lost() {
        let text = "Lorem ipsum dolor sit amet, consectetur. Adipiscing elit!\n\nSed do eiusmod \
                    tempor https://example.org/x incididunt ut labore 日本語の文章も少し。";
        for max in [8, 13, 21, 40, 80] {
            let pieces = split(text, chars_fit(max)).unwrap();
            let squash = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squash(&pieces.concat()), squash(text), "at {max}");
            assert!(
                pieces
                    .iter()
                    .all(|p| p.chars().count() <= max && !p.is_empty())
            );
        }
    }
}
