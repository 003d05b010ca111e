//! Recognising, among an account's statuses, a post we sent whose answer was lost (a crash, a
//! dropped connection, a timeout): on a server that ignores `Idempotency-Key` (GoToSocial)
//! the post is looked for before it is sent again. Pure.
//!
//! A status is ours when it answers the same post (`in_reply_to_id`), carries as many media
//! and the same content warning, bears the date it was sent with (when backdated), and says
//! the same words. The caller leaves out statuses it already knows to be other posts. The words come from the status's
//! `text` when the server sends it (GoToSocial does for one's own posts), else from its HTML
//! `content` with the tags taken out; mentions and links are left out of the comparison on
//! both sides, since servers render them (`@name@host` becomes `@name`, long links are
//! shortened for display).

use chrono::{DateTime, Utc};

use crate::fedi::Status;

/// What was sent, as far as a server's copy can be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent<'a> {
    pub text: &'a str,
    pub spoiler_text: Option<&'a str>,
    pub in_reply_to_id: Option<&'a str>,
    pub media: usize,
    /// The `scheduled_at` it was sent with: a backdated status bears that date.
    pub dated: Option<DateTime<Utc>>,
}

/// True when `status` is the post `sent` describes.
pub fn is_ours(status: &Status, sent: &Sent<'_>) -> bool {
    let same_parent = status.in_reply_to_id.as_deref() == sent.in_reply_to_id;
    let same_media = status.media_attachments.len() == sent.media;
    let same_warning = status.spoiler_text.trim() == sent.spoiler_text.unwrap_or("").trim();
    let same_date = sent.dated.is_none_or(|at| {
        DateTime::parse_from_rfc3339(&status.created_at)
            .map_or(true, |created| created.timestamp() == at.timestamp())
    });
    if !(same_parent && same_media && same_warning && same_date) {
        return false;
    }
    let ours = words(sent.text);
    match status.text.as_deref().filter(|t| !t.is_empty()) {
        Some(text) => words(text) == ours,
        None => words(&plain_text(&status.content)) == ours,
    }
}

/// The words that survive any server's rendering: no mentions, no links.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|w| !w.starts_with('@') && !w.contains("://"))
        .filter(|w| !looks_like_bare_link(w))
        .collect()
}

/// `example.com/path` as written without a scheme (servers link and shorten it too).
fn looks_like_bare_link(word: &str) -> bool {
    let host = word.split('/').next().unwrap_or("");
    word.contains('/') && host.contains('.') && !host.ends_with('.')
}

/// The text of status HTML: tags removed (a line or paragraph break becomes a space),
/// the entities servers use decoded.
pub fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].to_ascii_lowercase();
        if tag.starts_with("br") || tag.starts_with("/p") || tag.starts_with("p") {
            out.push(' ');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(text: &str) -> String {
    const NAMED: [(&str, &str); 6] = [
        ("&amp;", "&"),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        if let Some((entity, plain)) = NAMED.iter().find(|(e, _)| rest.starts_with(e)) {
            out.push_str(plain);
            rest = &rest[entity.len()..];
        } else if let Some((ch, len)) = numeric_entity(rest) {
            out.push(ch);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `&#123;` or `&#x7b;` at the start of `text`: the character and the entity's length.
fn numeric_entity(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix("&#")?;
    let end = body.find(';').filter(|&e| e > 0 && e <= 8)?;
    let digits = &body[..end];
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    Some((char::from_u32(code)?, 2 + end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(content: &str, text: Option<&str>, reply: Option<&str>, media: usize) -> Status {
        let value = serde_json::json!({
            "id": "1",
            "content": content,
            "text": text,
            "in_reply_to_id": reply,
            "spoiler_text": "",
            "media_attachments": (0..media)
                .map(|i| serde_json::json!({"id": i.to_string(), "type": "image"}))
                .collect::<Vec<_>>(),
        });
        serde_json::from_value(value).unwrap()
    }

    fn sent<'a>(text: &'a str, reply: Option<&'a str>, media: usize) -> Sent<'a> {
        Sent {
            text,
            spoiler_text: None,
            in_reply_to_id: reply,
            media,
            dated: None,
        }
    }

    #[test]
    fn a_backdated_post_bears_its_date() {
        let mut theirs = status("<p>same words</p>", None, None, 0);
        theirs.created_at = "2019-03-12T09:00:00.000Z".into();
        let at = |t: &str| Some(DateTime::parse_from_rfc3339(t).unwrap().to_utc());
        let dated = |when| Sent {
            dated: when,
            ..sent("same words", None, 0)
        };
        assert!(is_ours(&theirs, &dated(at("2019-03-12T09:00:00Z"))));
        assert!(!is_ours(&theirs, &dated(at("2019-03-13T09:00:00Z"))));
    }

    #[test]
    fn recognises_mastodons_rendering_of_what_was_sent() {
        let html = "<p>Tea &amp; cake with <span class=\"h-card\"><a href=\"https://b.example/@bo\" \
                    class=\"u-url mention\">@<span>bo</span></a></span>, see \
                    <a href=\"https://example.com/a/long/path\"><span class=\"invisible\">https://\
                    </span><span class=\"ellipsis\">example.com/a/lo</span><span class=\"invisible\">\
                    ng/path</span></a></p><p>1/2</p>";
        let ours = "Tea & cake with @bo@b.example, see https://example.com/a/long/path\n\n1/2";
        assert!(is_ours(&status(html, None, None, 0), &sent(ours, None, 0)));
    }

    #[test]
    fn uses_gotosocials_source_text_when_sent() {
        let ours = "It's <b>not</b> HTML: 5 < 6";
        let theirs = status("<p>It&#39;s &lt;b&gt;not...</p>", Some(ours), Some("9"), 1);
        assert!(is_ours(&theirs, &sent(ours, Some("9"), 1)));
    }

    #[test]
    fn another_post_is_not_ours() {
        let theirs = status("<p>hello world</p>", None, Some("9"), 0);
        assert!(is_ours(&theirs, &sent("hello world", Some("9"), 0)));
        assert!(!is_ours(&theirs, &sent("hello world", Some("8"), 0)));
        assert!(!is_ours(&theirs, &sent("hello world", None, 0)));
        assert!(!is_ours(&theirs, &sent("hello world", Some("9"), 1)));
        assert!(!is_ours(&theirs, &sent("hello there world", Some("9"), 0)));
        let warned = Sent {
            spoiler_text: Some("cw"),
            ..sent("hello world", Some("9"), 0)
        };
        assert!(!is_ours(&theirs, &warned));
    }

    #[test]
    fn decodes_the_entities_servers_write() {
        assert_eq!(
            plain_text("a&#x27;b&#8217;c &nbsp;<br>d"),
            "a'b\u{2019}c &nbsp; d"
        );
        assert_eq!(plain_text("<p>x</p><p>y"), " x  y");
        assert_eq!(plain_text("a < b"), "a ");
    }
}
