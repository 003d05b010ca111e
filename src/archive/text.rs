//! Tweet text: t.co links expanded, media links removed, HTML entities decoded.
//!
//! `full_text` is HTML-escaped (`&amp;`, `&lt;`, `&gt;`) and entity `indices` count code points
//! of the *escaped* text, so edits are made by index first and unescaping comes last. When the
//! indices do not point at the entity's `url` (hand-edited files, very old tweets), the reader
//! falls back to replacing the exact `url` strings.

/// One change to the escaped text: replace `[start, end)` (code points) holding `short`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit<'a> {
    pub at: Option<(usize, usize)>,
    pub short: &'a str,
    pub replacement: &'a str,
}

/// Applies `edits` to the escaped `text`, then decodes HTML entities.
pub fn render(text: &str, edits: &[Edit<'_>]) -> String {
    let edited = by_indices(text, edits).unwrap_or_else(|| by_strings(text, edits));
    let decoded = decode_html(&edited);
    decoded.trim_end().to_string()
}

/// Applies the edits by code-point indices; `None` when any index does not match its url.
fn by_indices(text: &str, edits: &[Edit<'_>]) -> Option<String> {
    let mut spans: Vec<(usize, usize, &str)> = Vec::with_capacity(edits.len());
    for edit in edits {
        let (start, end) = edit.at?;
        let (bs, be) = byte_span(text, start, end)?;
        if &text[bs..be] != edit.short {
            return None;
        }
        if !spans.iter().any(|&(s, _, _)| s == bs) {
            spans.push((bs, be, edit.replacement));
        }
    }
    spans.sort_by_key(|&(s, _, _)| s);
    let mut out = String::with_capacity(text.len() + 64);
    let mut last = 0;
    for (start, end, replacement) in spans {
        if start < last {
            return None;
        }
        out.push_str(&text[last..start]);
        out.push_str(replacement);
        last = end;
    }
    out.push_str(&text[last..]);
    Some(out)
}

/// The byte span of code points `[start, end)`.
fn byte_span(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    if start > end {
        return None;
    }
    if text.is_ascii() {
        return (end <= text.len()).then_some((start, end));
    }
    let mut offsets = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let bs = offsets.nth(start)?;
    let be = if end == start {
        bs
    } else {
        offsets.nth(end - start - 1)?
    };
    Some((bs, be))
}

/// Replaces every occurrence of each edit's `short` in one left-to-right pass over `text`, so
/// text put in is never searched again (replacing edit after edit let each feed on the one
/// before: a hostile tweet doubled per entity). The first edit listed wins a tie. The result
/// stays within twice the text plus the replacements; past that the rest is kept as it is.
fn by_strings(text: &str, edits: &[Edit<'_>]) -> String {
    let edits: Vec<&Edit<'_>> = edits.iter().filter(|e| !e.short.is_empty()).collect();
    let budget = 2 * (text.len() + edits.iter().map(|e| e.replacement.len()).sum::<usize>());
    // Where each edit's `short` next occurs, at or after `pos`.
    let mut next: Vec<Option<usize>> = edits.iter().map(|e| text.find(e.short)).collect();
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    while let Some((at, i)) = earliest(&next) {
        if out.len() + (at - pos) + edits[i].replacement.len() > budget {
            break;
        }
        out.push_str(&text[pos..at]);
        out.push_str(edits[i].replacement);
        pos = at + edits[i].short.len();
        for (slot, edit) in next.iter_mut().zip(&edits) {
            if slot.is_some_and(|at| at < pos) {
                *slot = text[pos..].find(edit.short).map(|found| pos + found);
            }
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// The earliest next occurrence and its edit's index (the lower index on a tie).
fn earliest(next: &[Option<usize>]) -> Option<(usize, usize)> {
    next.iter()
        .enumerate()
        .filter_map(|(i, at)| Some(((*at)?, i)))
        .min()
}

/// Decodes `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#39;` and numeric entities, once.
pub fn decode_html(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match entity(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character an entity at the start of `s` stands for, and the entity's length.
/// The `;` is looked for in the first 12 bytes, whatever characters they hold (a byte window
/// may end inside a character, so the search runs on bytes).
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let name = &s[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit<'a>(at: (usize, usize), short: &'a str, replacement: &'a str) -> Edit<'a> {
        Edit {
            at: Some(at),
            short,
            replacement,
        }
    }

    #[test]
    fn links_expand_and_media_links_go() {
        // Indices count code points of the escaped text: "&amp;" is 5 of them.
        let text = "a &amp; b https://t.co/A https://t.co/M";
        let edits = [
            edit((10, 24), "https://t.co/A", "https://example.org/p"),
            edit((25, 39), "https://t.co/M", ""),
        ];
        assert_eq!(render(text, &edits), "a & b https://example.org/p");
    }

    #[test]
    fn indices_count_code_points_not_bytes() {
        let text = "caf\u{e9} \u{1F418} https://t.co/A!";
        let edits = [edit((7, 21), "https://t.co/A", "https://x.example/")];
        assert_eq!(
            render(text, &edits),
            "caf\u{e9} \u{1F418} https://x.example/!"
        );
    }

    #[test]
    fn wrong_indices_fall_back_to_the_url_string() {
        let text = "see https://t.co/A and https://t.co/A";
        let edits = [edit((0, 3), "https://t.co/A", "https://e.org")];
        assert_eq!(render(text, &edits), "see https://e.org and https://e.org");
    }

    #[test]
    fn string_replacements_never_feed_on_each_other() {
        let edits = [edit((9, 9), "a", "aa"), edit((9, 9), "a", "aa")];
        assert_eq!(render("a", &edits), "aa");
        let edits = [
            edit((9, 9), "https://t.co/A", "https://t.co/B"),
            edit((9, 9), "https://t.co/B", "https://e.org"),
        ];
        let text = "https://t.co/A https://t.co/B";
        assert_eq!(render(text, &edits), "https://t.co/B https://e.org");
        // A replacement repeated past the budget: the rest stays as it was.
        let text = "a".repeat(100);
        let long = "b".repeat(1000);
        let out = render(&text, &[edit((999, 999), "a", &long)]);
        assert!(out.len() <= 2 * (100 + 1000), "{}", out.len());
        assert!(out.starts_with(&long) && out.ends_with('a'));
    }

    #[test]
    fn shared_media_indices_are_applied_once() {
        let text = "pics https://t.co/M";
        let edits = [
            edit((5, 19), "https://t.co/M", ""),
            edit((5, 19), "https://t.co/M", ""),
        ];
        assert_eq!(render(text, &edits), "pics");
    }

    #[test]
    fn entities_decode_once() {
        let table = [
            (
                "&lt;b&gt; &amp;amp; &quot;q&quot; &#39;s&#39; &#x1F418;",
                "<b> &amp; \"q\" 's' \u{1F418}",
            ),
            ("AT&T & co; &unknown; &", "AT&T & co; &unknown; &"),
            ("no entities", "no entities"),
            // Found by the fuzzer: a multi-byte character across the 12-byte window.
            ("&ampxxxxxxx\u{feff};", "&ampxxxxxxx\u{feff};"),
            (
                "&lt;\u{1F418}&#12345678\u{1F418};",
                "<\u{1F418}&#12345678\u{1F418};",
            ),
        ];
        for (text, want) in table {
            assert_eq!(decode_html(text), want, "{text}");
        }
    }
}
