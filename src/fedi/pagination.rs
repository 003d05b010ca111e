//! Pages of results and the `Link` header that chains them.
//!
//! Mastodon pages follow lists by an internal id the response does not show, so the only
//! correct way on is the `rel="next"` URL, followed verbatim ("the client app should always
//! paginate based on the Link header"). Parsing is pure; the client checks that the URL stays
//! on the instance before sending the token there.

use url::Url;

/// One page of a list, with the links to its neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Url>,
    pub prev: Option<Url>,
}

/// The `next` and `prev` targets of a `Link` header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub next: Option<Url>,
    pub prev: Option<Url>,
}

/// Parses a `Link` header (RFC 8288), resolving relative targets against `base`. Unknown
/// relations and malformed entries are skipped.
pub fn parse_link(header: &str, base: &Url) -> Links {
    let mut links = Links::default();
    for (target, rels) in entries(header) {
        let Ok(url) = base.join(target) else { continue };
        for rel in rels.split_ascii_whitespace() {
            let slot = match rel.to_ascii_lowercase().as_str() {
                "next" => &mut links.next,
                "prev" | "previous" => &mut links.prev,
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(url.clone());
            }
        }
    }
    links
}

/// `(target, rel)` pairs.
fn entries(header: &str) -> Vec<(&str, String)> {
    let mut found = Vec::new();
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let target = &rest[open + 1..open + close];
        let after = &rest[open + close + 1..];
        let end = param_end(after);
        found.push((target.trim(), rel_of(&after[..end])));
        rest = &after[end..];
    }
    found
}

/// Where the parameters of one entry end: the first comma outside quotes.
fn param_end(text: &str) -> usize {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => return i,
            _ => {}
        }
    }
    text.len()
}

/// The `rel` parameter's value (quotes removed), or empty.
fn rel_of(params: &str) -> String {
    params
        .split(';')
        .filter_map(|param| param.split_once('='))
        .find(|(key, _)| key.trim().eq_ignore_ascii_case("rel"))
        .map(|(_, value)| value.trim().trim_matches('"').to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        "https://mastodon.example/api/v1/accounts/1/following?limit=2"
            .parse()
            .unwrap()
    }

    #[test]
    fn reads_mastodons_header() {
        let header = "<https://mastodon.example/api/v1/accounts/1/following?limit=2&max_id=117>; \
                      rel=\"next\", <https://mastodon.example/api/v1/accounts/1/following?limit=2&since_id=120>; \
                      rel=\"prev\"";
        let links = parse_link(header, &base());
        assert_eq!(
            links.next.unwrap().as_str(),
            "https://mastodon.example/api/v1/accounts/1/following?limit=2&max_id=117"
        );
        assert_eq!(
            links.prev.unwrap().as_str(),
            "https://mastodon.example/api/v1/accounts/1/following?limit=2&since_id=120"
        );
    }

    #[test]
    fn tolerates_variants() {
        let cases = [
            (
                "</next?max_id=5>; rel=next",
                Some("https://mastodon.example/next?max_id=5"),
                None,
            ),
            (
                "<https://m.example/a?x=1,2>; title=\"a, b\"; rel=\"next\"",
                Some("https://m.example/a?x=1,2"),
                None,
            ),
            (
                "<https://m.example/p>; rel=\"prev next\"",
                Some("https://m.example/p"),
                Some("https://m.example/p"),
            ),
            (
                "<https://m.example/p>; REL=\"Previous\"",
                None,
                Some("https://m.example/p"),
            ),
            ("<https://m.example/x>; rel=\"last\"", None, None),
            ("", None, None),
            ("garbage, <unterminated; rel=next", None, None),
            ("<https://m.example/p>", None, None),
        ];
        for (header, next, prev) in cases {
            let links = parse_link(header, &base());
            assert_eq!(links.next.as_ref().map(Url::as_str), next, "{header}");
            assert_eq!(links.prev.as_ref().map(Url::as_str), prev, "{header}");
        }
    }
}
