//! Tweets for the repost tables: a plain tweet and small changes to it. Test-only.

use chrono::{DateTime, Utc};

use crate::archive::{MediaKind, MediaRef, Mention, Tweet};

/// A plain English tweet with `id` and `text`, tweeted at `1_500_000_000 + id` seconds.
pub fn tweet(id: &str, text: &str) -> Tweet {
    let secs = 1_500_000_000 + id.parse::<i64>().unwrap_or(0);
    Tweet {
        id: id.to_string(),
        created_at: DateTime::<Utc>::from_timestamp(secs, 0).unwrap(),
        text: text.to_string(),
        in_reply_to_status_id: None,
        in_reply_to_user_id: None,
        in_reply_to_screen_name: None,
        is_self_reply: false,
        is_retweet: false,
        is_quote: false,
        quoted_url: None,
        is_note: false,
        mentions: Vec::new(),
        urls: Vec::new(),
        media: Vec::new(),
        lang: Some("en".to_string()),
        possibly_sensitive: false,
    }
}

/// `t` as a reply to `parent`, by the owner (`own`) or by someone else.
pub fn reply(mut t: Tweet, parent: &str, own: bool) -> Tweet {
    t.in_reply_to_status_id = Some(parent.to_string());
    t.in_reply_to_screen_name = Some(if own { "me" } else { "ann" }.to_string());
    t.is_self_reply = own;
    t.mentions.push(Mention {
        id: None,
        screen_name: if own { "me" } else { "ann" }.to_string(),
        name: None,
    });
    t
}

/// A media item with a file in the archive (`Some`) or missing (`None`).
pub fn media(kind: MediaKind, file: Option<&str>) -> MediaRef {
    MediaRef {
        id: None,
        kind,
        file: file.map(str::to_string),
        url: None,
        foreign: false,
    }
}
