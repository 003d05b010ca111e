//! The plain text and the link targets of the small HTML a Mastodon-compatible server sends
//! for a bio (`note`) or a profile field's value: `<p>`, `<br>`, `<a href>`, `<span>`.
//!
//! Pure and forgiving: it is no HTML parser, only enough to read what servers write. Tags are
//! dropped (block ends and `<br>` become line breaks, so clauses stay apart), the entities
//! servers use are decoded, and every `href` is kept. Mastodon splits long links into
//! `invisible` and `ellipsis` spans; dropping the tags joins them back into the whole URL.
//! Text and links are then cleaned up like the extractor's input: NFKC per character ("font"
//! letters, full-width `＠`), invisible characters dropped, `…` a space.

/// A bio or field value as text, with the targets of its links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Html {
    pub text: String,
    pub links: Vec<String>,
}

/// Reads `html`.
pub fn read(html: &str) -> Html {
    let mut out = Html::default();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.text.push_str(&decode(&rest[..open]));
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            // A lone `<` is text.
            out.text.push_str(&decode(&rest[open..]));
            rest = "";
            break;
        };
        tag(&after[..close], &mut out);
        rest = &after[close + 1..];
    }
    out.text.push_str(&decode(rest));
    out.text = clean(&out.text);
    for link in &mut out.links {
        *link = clean(link);
    }
    out
}

/// NFKC per character, without invisible characters; `…` and `‥` become a space (NFKC would
/// glue them to the words around as dots).
fn clean(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else if matches!(c, '…' | '‥') {
            out.push(' ');
        } else if !crate::discover::extract::is_invisible(c) {
            out.extend(std::iter::once(c).nfkc());
        }
    }
    out
}

/// Handles one tag's inside (`a href="…"`, `/p`, `br /`).
fn tag(inside: &str, out: &mut Html) {
    let name: String = inside
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "br" | "p" | "div" | "li" if inside.starts_with('/') || name == "br" => out.text.push('\n'),
        "a" if !inside.starts_with('/') => {
            if let Some(href) = attribute(inside, "href") {
                out.links.push(decode(&href));
            }
        }
        _ => {}
    }
}

/// The value of attribute `name` in a tag's inside, quoted with `"` or `'` or not at all.
fn attribute(inside: &str, name: &str) -> Option<String> {
    let lower = inside.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name) {
        let start = from + at;
        from = start + name.len();
        let before_ok = lower[..start].ends_with(|c: char| c.is_ascii_whitespace());
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_at = inside.len() - after.len() + 1;
        let value = inside[value_at..].trim_start();
        return Some(match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or("").to_string(),
            _ => value
                .split(|c: char| c.is_ascii_whitespace())
                .next()
                .unwrap_or("")
                .to_string(),
        });
    }
    None
}

/// Decodes the entities servers write (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&apos;`,
/// `&nbsp;`, numeric ones); anything else stays as written.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        match tail.find(';').filter(|&end| end <= 10) {
            Some(end) => match entity(&tail[1..end]) {
                Some(c) => {
                    out.push(c);
                    rest = &tail[end + 1..];
                }
                None => {
                    out.push('&');
                    rest = &tail[1..];
                }
            },
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodons_split_links_join_back() {
        let html = r#"<p>Twitter: <a href="https://twitter.com/alice" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="">twitter.com/alice</span><span class="invisible"></span></a></p><p>cats &amp; code</p>"#;
        let read = read(html);
        assert_eq!(
            read.text,
            "Twitter: https://twitter.com/alice\ncats & code\n"
        );
        assert_eq!(read.links, ["https://twitter.com/alice"]);
    }

    #[test]
    fn entities_and_odd_markup() {
        assert_eq!(
            read("a&#64;b &#x40;c &bogus; & <br/>x").text,
            "a@b @c &bogus; & \nx"
        );
        assert_eq!(read("1 < 2").text, "1 < 2");
        let single = read("<a class=x href='https://x.com/a?b=1&amp;c=2'>x</a>");
        assert_eq!(single.links, ["https://x.com/a?b=1&c=2"]);
        let bare = read("<A HREF=https://x.com/bob>bob</A>");
        assert_eq!(bare.links, ["https://x.com/bob"]);
        assert!(read("<a data-href=\"https://x.com/eve\">").links.is_empty());
    }
}
