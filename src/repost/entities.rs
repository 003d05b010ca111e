//! Where a server sees links and mentions in a post's plain text: the spans that length
//! counting treats specially and that splitting never cuts.
//!
//! Mastodon finds links with twitter-text's extractor (`extract_urls_with_indices`, scheme
//! required) and mentions with `Account::MENTION_RE`
//! (`(?<![=/[:word:]])@(user(@domain)?)`, refused when followed by `@`, a Latin accent or
//! `://`). This is a close approximation written so that its mistakes err on the side of
//! counting *more*: a trailing character it is unsure of stays outside the link, and a link
//! whose host it cannot vouch for (non-ASCII, no plausible top-level label) is marked
//! `certain: false` so the counter charges it at least its real length. Pure; never touches
//! the network.

/// A link in the text: byte range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlSpan {
    pub start: usize,
    pub end: usize,
    /// True when Mastodon is sure to see it as a link (so it counts the reserved width).
    pub certain: bool,
}

/// A Mastodon mention: `@user` or `@user@domain`, byte range `[start, end)`; `user_end` ends
/// the `@user` part (equal to `end` without a domain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MentionSpan {
    pub start: usize,
    pub user_end: usize,
    pub end: usize,
}

/// Every link with a scheme (`http://`, `https://`), in order.
pub fn urls(text: &str) -> Vec<UrlSpan> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = find_scheme(text, from) {
        match url_at(text, found) {
            Some(span) => {
                from = span.end;
                out.push(span);
            }
            None => from = found + 4,
        }
    }
    out
}

/// Every mention Mastodon would link (and, for local names, notify), outside `urls`.
pub fn mentions(text: &str, urls: &[UrlSpan]) -> Vec<MentionSpan> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        if inside(urls, at) || out.iter().any(|m: &MentionSpan| at < m.end) {
            continue;
        }
        if let Some(span) = mention_at(text, at)
            && mention_may_start(text, at)
            && !mention_refused_after(&text[span.end..])
        {
            out.push(span);
        }
    }
    out
}

/// Parses `@user(@domain)?` at byte `at` (which holds `@` or `＠`), by Mastodon's
/// `USERNAME_RE` and domain rule, without looking at what comes before.
pub fn mention_at(text: &str, at: usize) -> Option<MentionSpan> {
    let sign = text[at..].chars().next()?;
    if sign != '@' && sign != '＠' {
        return None;
    }
    let user_start = at + sign.len_utf8();
    let user_end = dotted_run(text, user_start, |c| c.is_ascii_alphanumeric() || c == '_')?;
    let mut end = user_end;
    if text[user_end..].starts_with('@')
        && let Some(domain_end) = dotted_run(text, user_end + 1, is_word)
        && domain_end - user_end - 1 <= 253
    {
        end = domain_end;
    }
    Some(MentionSpan {
        start: at,
        user_end,
        end,
    })
}

/// True when Mastodon's look-behind lets a mention start at `at`: the previous character is
/// not a word character, `=` or `/`.
pub fn mention_may_start(text: &str, at: usize) -> bool {
    match text[..at].chars().next_back() {
        None => true,
        Some(c) => !(is_word(c) || c == '=' || c == '/'),
    }
}

/// Ruby's `[[:word:]]`: letters, marks, numbers and connector punctuation.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
}

/// True when `at` falls inside one of `spans`.
pub fn inside(spans: &[UrlSpan], at: usize) -> bool {
    spans.iter().any(|s| s.start <= at && at < s.end)
}

/// twitter-text's `end_mention_match`: `@`, a Latin accent, or `://` right after.
fn mention_refused_after(after: &str) -> bool {
    match after.chars().next() {
        Some('@' | '＠') => true,
        Some(c) if is_latin_accent(c) => true,
        _ => after.starts_with("://"),
    }
}

fn is_latin_accent(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}')
}

/// `part([.-]+part)*` from byte `from`, where `part` is a run of `ok` characters; the end.
fn dotted_run(text: &str, from: usize, ok: impl Fn(char) -> bool) -> Option<usize> {
    let run = |at: usize| {
        text[at..]
            .char_indices()
            .find(|&(_, c)| !ok(c))
            .map_or(text.len(), |(i, _)| at + i)
    };
    let mut end = run(from);
    if end == from {
        return None;
    }
    loop {
        let seps = text[end..]
            .char_indices()
            .find(|&(_, c)| c != '.' && c != '-')
            .map_or(text.len(), |(i, _)| end + i);
        if seps == end {
            return Some(end);
        }
        let next = run(seps);
        if next == seps {
            return Some(end);
        }
        end = next;
    }
}

/// The next `http://` or `https://` (any case) at or after byte `from`.
fn find_scheme(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i + 7 <= bytes.len() {
        let rest = &bytes[i..];
        let starts = |p: &[u8]| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p);
        if starts(b"http://") || starts(b"https://") {
            return Some(i);
        }
        i += 1;
    }
    None
}

/// The link starting at byte `start` (a scheme), if twitter-text would accept one there.
fn url_at(text: &str, start: usize) -> Option<UrlSpan> {
    let before = text[..start].chars().next_back();
    if before.is_some_and(|c| c.is_ascii_alphanumeric() || "@＠$#＃".contains(c))
        || before.is_some_and(|c| ('\u{202A}'..='\u{202E}').contains(&c))
    {
        return None;
    }
    let host_start = start + text[start..].find("://")? + 3;
    let (host_end, host_certain) = host(text, host_start)?;
    let mut end = host_end;
    if text[end..].starts_with(':') {
        let digits = text[end + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len() - end - 1);
        if digits > 0 {
            end += 1 + digits;
        }
    }
    if text[end..].starts_with(['/', '?', '#']) {
        end += text[end..]
            .find(|c: char| !is_path_char(c))
            .unwrap_or(text.len() - end);
        end = trim_url_end(text, host_end, end);
    }
    Some(UrlSpan {
        start,
        end,
        certain: host_certain,
    })
}

/// The host from byte `from`: its end and whether it is plainly a public DNS name.
fn host(text: &str, from: usize) -> Option<(usize, bool)> {
    let len = text[from..]
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.'))
        .unwrap_or(text.len() - from);
    let name = text[from..from + len].trim_end_matches(['.', '-']);
    let tld = name.rsplit('.').next().unwrap_or("");
    if !name.contains('.') || tld.is_empty() {
        return None;
    }
    let certain = name.is_ascii()
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !name.split('.').any(str::is_empty);
    if !certain && tld.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((from + name.len(), certain))
}

/// Characters twitter-text accepts in a path or query (ASCII set, plus Latin and Cyrillic
/// letters and the en dash).
fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!*';:=+,.$/%#[]-_~|&@?()".contains(c)
        || c == '\u{2013}'
        || is_latin_or_cyrillic(c)
}

fn is_latin_or_cyrillic(c: char) -> bool {
    c.is_alphabetic()
        && (('\u{C0}'..='\u{24F}').contains(&c) || ('\u{400}'..='\u{4FF}').contains(&c))
}

/// Drops trailing characters a link cannot end with (twitter-text: letters, digits,
/// `= _ # / + - &`, or a balanced `)`), never before `floor`.
fn trim_url_end(text: &str, floor: usize, mut end: usize) -> usize {
    while end > floor {
        let Some(last) = text[..end].chars().next_back() else {
            break;
        };
        let keep = match last {
            ')' => {
                let span = &text[floor..end];
                span.matches('(').count() >= span.matches(')').count()
            }
            c => c.is_ascii_alphanumeric() || "=_#/+-&".contains(c) || is_latin_or_cyrillic(c),
        };
        if keep {
            break;
        }
        end -= last.len_utf8();
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url_texts(text: &str) -> Vec<(&str, bool)> {
        urls(text)
            .iter()
            .map(|s| (&text[s.start..s.end], s.certain))
            .collect()
    }

    #[test]
    fn links_are_found_as_twitter_text_finds_them() {
        let table: &[(&str, &[(&str, bool)])] = &[
            (
                "see https://example.org/a.",
                &[("https://example.org/a", true)],
            ),
            (
                "(https://example.org/a_(b))",
                &[("https://example.org/a_(b)", true)],
            ),
            (
                "(https://example.org/a)",
                &[("https://example.org/a", true)],
            ),
            (
                "HTTP://EXAMPLE.ORG/?q=1&x=2!",
                &[("HTTP://EXAMPLE.ORG/?q=1&x=2", true)],
            ),
            ("a http://e.org:8080/p, b", &[("http://e.org:8080/p", true)]),
            (
                "x https://mastodon.social/@ann y",
                &[("https://mastodon.social/@ann", true)],
            ),
            (
                "見てhttps://example.jp/a見て",
                &[("https://example.jp/a", true)],
            ),
            ("https://bücher.de/x", &[("https://bücher.de/x", false)]),
            ("foohttps://example.org", &[]),
            ("https://localhost/x and https://1.2.3.4/", &[]),
            ("https://example.org", &[("https://example.org", true)]),
            ("«https://example.org/»", &[("https://example.org/", true)]),
        ];
        for (text, want) in table {
            assert_eq!(url_texts(text), *want, "{text}");
        }
    }

    #[test]
    fn mentions_follow_mastodons_rule() {
        let table: &[(&str, &[&str])] = &[
            (
                "hi @ann and @bob@example.social.",
                &["@ann", "@bob@example.social"],
            ),
            ("mail a@b.org or =@x or /@y", &[]),
            ("@ann.b-c_d end", &["@ann.b-c_d"]),
            ("@ann@ @bob://x @carolé", &[]),
            ("https://e.org/@ann @ann", &["@ann"]),
            ("(@ann) 「@bob」", &["@ann", "@bob"]),
            ("日本@ann", &[]),
        ];
        for (text, want) in table {
            let found: Vec<&str> = mentions(text, &urls(text))
                .iter()
                .map(|m| &text[m.start..m.end])
                .collect();
            assert_eq!(found, *want, "{text}");
        }
    }

    #[test]
    fn a_mention_knows_where_its_user_part_ends() {
        let text = "@bob@example.social";
        let m = mention_at(text, 0).unwrap();
        assert_eq!(&text[m.start..m.user_end], "@bob");
        assert_eq!(m.end, text.len());
        assert!(mention_at("＠ann", 0).is_some());
        assert!(mention_at("@ x", 0).is_none());
    }
}
