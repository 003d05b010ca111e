//! The normalised tweet every other part of fedimigrate works with, and how a raw archive
//! record becomes one.
//!
//! Normalising means: text with HTML entities decoded, t.co links expanded and media links
//! removed (or the full text of a long post from `note-tweet.js`); reply ids from whichever
//! field the generation used; self-replies recognised by account id (or, without one, by any
//! of the owner's usernames); retweets and quotes flagged; media matched to archive files.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::media::{MediaIndex, MediaRef};
use super::notes::Note;
use super::rawtweet::RawTweet;
use super::text::{self, Edit};

/// A tweet, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tweet {
    pub id: String,
    /// RFC 3339 in JSON.
    pub created_at: DateTime<Utc>,
    /// Plain text: entities decoded, links expanded, media links removed.
    pub text: String,
    pub in_reply_to_status_id: Option<String>,
    pub in_reply_to_user_id: Option<String>,
    pub in_reply_to_screen_name: Option<String>,
    /// A reply to one of the owner's own tweets (a thread).
    pub is_self_reply: bool,
    /// A retweet (`RT @user: …`; the archive keeps only truncated text).
    pub is_retweet: bool,
    /// A quote tweet; `quoted_url` is the quoted tweet's URL.
    pub is_quote: bool,
    pub quoted_url: Option<String>,
    /// The text came from `note-tweet.js` (a long post).
    pub is_note: bool,
    pub mentions: Vec<Mention>,
    /// Expanded link URLs (media links excluded), in order.
    pub urls: Vec<String>,
    pub media: Vec<MediaRef>,
    /// Twitter's language code (`en`, `und`, `qme`…), as given.
    pub lang: Option<String>,
    /// Twitter marked it "may contain sensitive media".
    pub possibly_sensitive: bool,
}

impl Tweet {
    /// True when the tweet answers another tweet (the owner's or someone else's).
    pub fn is_reply(&self) -> bool {
        self.in_reply_to_status_id.is_some()
    }
}

/// What a tweet says about people: its plain text and the accounts it names, as in
/// [`Tweet`]. `find` reads every tweet for these alone, and a whole [`Tweet`] (links, media,
/// language, ids) costs several allocations more each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TweetWords {
    /// As [`Tweet::text`].
    pub text: String,
    pub mentions: Vec<Mention>,
    pub in_reply_to_user_id: Option<String>,
    pub in_reply_to_screen_name: Option<String>,
    pub is_retweet: bool,
}

/// An account mentioned in a tweet (`@screen_name`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mention {
    /// The account id; absent for mentions known only from a long post's text.
    pub id: Option<String>,
    pub screen_name: String,
    /// The display name at the time of the tweet, when the archive has it.
    pub name: Option<String>,
}

/// Who owns the archive, for recognising self-replies.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner<'a> {
    pub id: Option<&'a str>,
    /// Current and past usernames.
    pub names: &'a [String],
}

impl Owner<'_> {
    /// True when a reply to (`user_id`, `screen_name`) answers the owner.
    pub fn is_self(&self, user_id: Option<&str>, screen_name: Option<&str>) -> bool {
        match (self.id, user_id) {
            (Some(owner), Some(user)) => owner == user,
            _ => screen_name.is_some_and(|s| self.names.iter().any(|n| n.eq_ignore_ascii_case(s))),
        }
    }
}

/// True for a retweet record.
pub(crate) fn is_retweet(raw: &RawTweet<'_>) -> bool {
    raw.retweeted_status.is_some() || raw.raw_text().starts_with("RT @")
}

/// The text with links expanded, media links removed and entities decoded.
pub(crate) fn plain_text(raw: &RawTweet<'_>) -> String {
    let mut edits: Vec<Edit<'_>> = Vec::new();
    for url in raw.urls() {
        if let Some(short) = url.url.as_deref() {
            edits.push(Edit {
                at: url.indices,
                short,
                replacement: url.expanded_url.as_deref().unwrap_or(short),
            });
        }
    }
    for media in raw.media() {
        if let Some(short) = media.url.as_deref() {
            edits.push(Edit {
                at: media.indices,
                short,
                replacement: "",
            });
        }
    }
    text::render(raw.raw_text(), &edits)
}

/// What the tweet says about people. `text` is [`plain_text`]; a long post's note replaces
/// it and adds the mentions only its text has.
pub(crate) fn words(raw: &RawTweet<'_>, text: String, note: Option<&Note>) -> TweetWords {
    let mut mentions = mentions(raw);
    let text = match note {
        Some(note) => {
            add_note_mentions(&mut mentions, note);
            note.text.clone()
        }
        None => text,
    };
    TweetWords {
        text,
        mentions,
        in_reply_to_user_id: reply_user(raw).map(str::to_string),
        in_reply_to_screen_name: raw.in_reply_to_screen_name.as_deref().map(str::to_string),
        is_retweet: is_retweet(raw),
    }
}

/// The account a reply answers (`-1`, Grailbird's "none", is none).
fn reply_user<'r>(raw: &'r RawTweet<'_>) -> Option<&'r str> {
    raw.reply_to_user().filter(|u| *u != "-1")
}

/// Builds the normalised tweet. `text` is [`plain_text`] (computed once by the caller, which
/// also used it to find the note).
pub(crate) fn normalise(
    raw: &RawTweet<'_>,
    id: &str,
    created_at: DateTime<Utc>,
    text: String,
    owner: Owner<'_>,
    media: &MediaIndex,
    note: Option<&Note>,
) -> Tweet {
    let urls: Vec<String> = match note {
        Some(note) => note.urls.clone(),
        None => raw
            .urls()
            .iter()
            .filter_map(|u| u.expanded_url.as_deref().or(u.url.as_deref()))
            .map(str::to_string)
            .collect(),
    };
    let is_note = note.is_some();
    let words = words(raw, text, note);
    let quoted_url = quoted_url(&urls, id);
    Tweet {
        id: id.to_string(),
        created_at,
        text: words.text,
        in_reply_to_status_id: raw.reply_to_status().map(str::to_string),
        is_self_reply: raw.reply_to_status().is_some()
            && owner.is_self(reply_user(raw), raw.in_reply_to_screen_name.as_deref()),
        in_reply_to_user_id: words.in_reply_to_user_id,
        in_reply_to_screen_name: words.in_reply_to_screen_name,
        is_retweet: words.is_retweet,
        is_quote: quoted_url.is_some() || raw.quoted_status_id_str.is_some(),
        quoted_url,
        is_note,
        mentions: words.mentions,
        urls,
        media: media.resolve(id, raw.media()),
        lang: raw.lang.as_deref().map(str::to_string),
        possibly_sensitive: raw.possibly_sensitive,
    }
}

fn mentions(raw: &RawTweet<'_>) -> Vec<Mention> {
    raw.mentions()
        .iter()
        .filter_map(|m| {
            Some(Mention {
                id: m.id_str.as_deref().or(m.id.as_deref()).map(str::to_string),
                screen_name: m.screen_name.as_deref()?.to_string(),
                name: m.name.as_deref().map(str::to_string),
            })
        })
        .collect()
}

fn add_note_mentions(mentions: &mut Vec<Mention>, note: &Note) {
    for name in &note.mentions {
        if !mentions
            .iter()
            .any(|m| m.screen_name.eq_ignore_ascii_case(name))
        {
            mentions.push(Mention {
                id: None,
                screen_name: name.clone(),
                name: None,
            });
        }
    }
}

/// The first link to another tweet (`twitter.com|x.com/<user>/status/<id>`), if any.
fn quoted_url(urls: &[String], own_id: &str) -> Option<String> {
    urls.iter()
        .find(|u| status_link(u).is_some_and(|id| id != own_id))
        .cloned()
}

/// The status id a tweet URL points at, for `https://(www.|mobile.)twitter.com|x.com/<user>/status/<id>`.
pub(crate) fn status_link(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("mobile."))
        .unwrap_or(host);
    if !matches!(host, "twitter.com" | "x.com") {
        return None;
    }
    let mut parts = path.split(['/', '?', '#']);
    let user = parts.next()?;
    let status = parts.next()?;
    let id = parts.next()?;
    let is_id = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    (user != "i" && !user.is_empty() && matches!(status, "status" | "statuses") && is_id)
        .then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::rawtweet::Wrapped;

    fn raw(json: &str) -> RawTweet<'_> {
        serde_json::from_str::<Wrapped<'_>>(json).unwrap().tweet
    }

    fn when() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    #[test]
    fn a_self_reply_with_a_link_and_a_photo_normalises() {
        let r = raw(
            r#"{"tweet":{"id_str":"9","full_text":"@me more &amp; more https://t.co/L https://t.co/P",
            "in_reply_to_status_id_str":"8","in_reply_to_user_id_str":"1","in_reply_to_screen_name":"me",
            "entities":{"user_mentions":[{"screen_name":"me","name":"Me","id_str":"1","indices":["0","3"]}],
              "urls":[{"url":"https://t.co/L","expanded_url":"https://example.org/a","indices":["19","33"]}],
              "media":[{"url":"https://t.co/P","indices":["34","48"],"type":"photo","media_url_https":"https://pbs.twimg.com/media/P1.jpg"}]},
            "possibly_sensitive":true,"lang":"en"}}"#,
        );
        let names = vec!["me".to_string()];
        let owner = Owner {
            id: Some("1"),
            names: &names,
        };
        let media = MediaIndex::new(
            &["data/tweets_media".into()],
            ["data/tweets_media/9-P1.jpg"].into_iter(),
        );
        let t = normalise(&r, "9", when(), plain_text(&r), owner, &media, None);
        assert_eq!(t.text, "@me more & more https://example.org/a");
        assert!(t.is_self_reply && t.is_reply() && !t.is_retweet && !t.is_quote);
        assert_eq!(t.urls, ["https://example.org/a"]);
        assert_eq!(
            t.media[0].file.as_deref(),
            Some("data/tweets_media/9-P1.jpg")
        );
        assert_eq!(t.mentions[0].id.as_deref(), Some("1"));
        assert!(t.possibly_sensitive, "Twitter's mark is kept");
    }

    #[test]
    fn quotes_and_retweets_are_flagged() {
        let q = raw(
            r#"{"tweet":{"id_str":"5","full_text":"yes https://t.co/Q","entities":{"urls":[
            {"url":"https://t.co/Q","expanded_url":"https://twitter.com/ann/status/4","indices":["4","18"]}]}}}"#,
        );
        let t = normalise(
            &q,
            "5",
            when(),
            plain_text(&q),
            Owner {
                id: None,
                names: &[],
            },
            &MediaIndex::default(),
            None,
        );
        assert!(t.is_quote);
        assert_eq!(
            t.quoted_url.as_deref(),
            Some("https://twitter.com/ann/status/4")
        );
        let rt = raw(r#"{"tweet":{"id_str":"6","full_text":"RT @ann: hello"}}"#);
        assert!(is_retweet(&rt));
    }

    #[test]
    fn status_links_are_recognised() {
        let table = [
            ("https://twitter.com/ann/status/4", Some("4")),
            ("https://x.com/ann/status/44?s=20", Some("44")),
            ("http://mobile.twitter.com/ann/statuses/7", Some("7")),
            ("https://twitter.com/i/web/status/9", None),
            ("https://twitter.com/ann", None),
            ("https://example.com/ann/status/4", None),
            ("https://twitter.com/ann/status/4/photo/1", Some("4")),
        ];
        for (url, want) in table {
            assert_eq!(status_link(url), want, "{url}");
        }
    }

    #[test]
    fn self_replies_fall_back_to_usernames_without_an_id() {
        let names = vec!["newname".to_string(), "OldName".to_string()];
        let owner = Owner {
            id: None,
            names: &names,
        };
        assert!(owner.is_self(Some("1"), Some("oldname")));
        assert!(!owner.is_self(Some("1"), Some("someone")));
        let owner = Owner {
            id: Some("1"),
            names: &names,
        };
        assert!(!owner.is_self(Some("2"), Some("oldname")));
    }
}
