//! A tweet record exactly as the archive stores it (YTD `tweets.js`/`tweet.js` and Grailbird
//! `data/js/tweets/*.js` alike), with only the fields the reader uses.
//!
//! Strings borrow from the read buffer where they can (`Cow`), numbers may be strings or
//! numbers, and every optional field may be absent. Nothing here interprets the record:
//! `tweet` turns it into the normalised [`Tweet`](super::Tweet).

use std::borrow::Cow;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::de;

/// `{"tweet": {…}}`, the YTD wrapper.
#[derive(Debug, Deserialize)]
pub(crate) struct Wrapped<'a> {
    #[serde(borrow)]
    pub tweet: RawTweet<'a>,
}

/// The fields of a tweet record the reader uses.
#[derive(Debug, Default, Deserialize, PartialEq)]
pub(crate) struct RawTweet<'a> {
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub created_at: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub full_text: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub text: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub in_reply_to_status_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub in_reply_to_status_id: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub in_reply_to_user_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub in_reply_to_user_id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub in_reply_to_screen_name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub entities: Option<Entities<'a>>,
    #[serde(default, borrow)]
    pub extended_entities: Option<ExtendedEntities<'a>>,
    #[serde(default, borrow)]
    pub lang: Option<Cow<'a, str>>,
    /// Present (Grailbird) when the tweet is a retweet.
    #[serde(default)]
    pub retweeted_status: Option<IgnoredAny>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub quoted_status_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub edit_info: Option<EditInfo<'a>>,
    /// Twitter's "may contain sensitive media" mark (a boolean, or its text in some files).
    #[serde(default, deserialize_with = "de::flag")]
    pub possibly_sensitive: bool,
}

impl RawTweet<'_> {
    /// The tweet id (`id_str` first: Grailbird's numeric `id` passes 2^53).
    pub fn id(&self) -> Option<&str> {
        self.id_str.as_deref().or(self.id.as_deref())
    }

    /// The text as stored (HTML-escaped, with t.co links).
    pub fn raw_text(&self) -> &str {
        self.full_text
            .as_deref()
            .or(self.text.as_deref())
            .unwrap_or("")
    }

    pub fn reply_to_status(&self) -> Option<&str> {
        self.in_reply_to_status_id_str
            .as_deref()
            .or(self.in_reply_to_status_id.as_deref())
    }

    pub fn reply_to_user(&self) -> Option<&str> {
        self.in_reply_to_user_id_str
            .as_deref()
            .or(self.in_reply_to_user_id.as_deref())
    }

    /// The media items: `extended_entities` has all of them, `entities` only the first.
    pub fn media(&self) -> &[RawMedia<'_>] {
        if let Some(ext) = &self.extended_entities
            && !ext.media.is_empty()
        {
            return &ext.media;
        }
        self.entities.as_ref().map_or(&[], |e| e.media.as_slice())
    }

    pub fn urls(&self) -> &[RawUrl<'_>] {
        self.entities.as_ref().map_or(&[], |e| e.urls.as_slice())
    }

    pub fn mentions(&self) -> &[RawMention<'_>] {
        self.entities
            .as_ref()
            .map_or(&[], |e| e.user_mentions.as_slice())
    }

    /// The ids of every version of an edited tweet, oldest first (empty when never edited).
    pub fn edit_ids(&self) -> &[Cow<'_, str>] {
        let Some(info) = &self.edit_info else {
            return &[];
        };
        let initial = info.initial.as_ref().map(|i| i.edit_tweet_ids.as_slice());
        let edit = info
            .edit
            .as_ref()
            .and_then(|e| e.edit_control_initial.as_ref())
            .map(|i| i.edit_tweet_ids.as_slice());
        initial.or(edit).unwrap_or(&[])
    }
}

#[derive(Debug, Default, Deserialize, PartialEq)]
pub(crate) struct Entities<'a> {
    #[serde(default, borrow)]
    pub user_mentions: Vec<RawMention<'a>>,
    #[serde(default, borrow)]
    pub urls: Vec<RawUrl<'a>>,
    #[serde(default, borrow)]
    pub media: Vec<RawMedia<'a>>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
pub(crate) struct ExtendedEntities<'a> {
    #[serde(default, borrow)]
    pub media: Vec<RawMedia<'a>>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct RawMention<'a> {
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub id: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub screen_name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub name: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct RawUrl<'a> {
    #[serde(default, borrow)]
    pub url: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub expanded_url: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "de::indices")]
    pub indices: Option<(usize, usize)>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct RawMedia<'a> {
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub media_url_https: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub media_url: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub url: Option<Cow<'a, str>>,
    #[serde(default, rename = "type", borrow)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "de::indices")]
    pub indices: Option<(usize, usize)>,
    #[serde(default, borrow, deserialize_with = "de::id_ref")]
    pub source_status_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub video_info: Option<VideoInfo<'a>>,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
pub(crate) struct VideoInfo<'a> {
    #[serde(default, borrow)]
    pub variants: Vec<Variant<'a>>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct Variant<'a> {
    #[serde(default, deserialize_with = "de::number")]
    pub bitrate: Option<u64>,
    #[serde(default, borrow)]
    pub content_type: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub url: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize, PartialEq)]
pub(crate) struct EditInfo<'a> {
    #[serde(default, borrow)]
    pub initial: Option<EditIds<'a>>,
    #[serde(default, borrow)]
    pub edit: Option<EditLater<'a>>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EditIds<'a> {
    #[serde(default, borrow)]
    pub edit_tweet_ids: Vec<Cow<'a, str>>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct EditLater<'a> {
    #[serde(default, borrow)]
    pub edit_control_initial: Option<EditIds<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ytd_record_parses_with_string_numbers() {
        let json = r#"{"tweet":{"edit_info":{"initial":{"editTweetIds":["1","2"],"editsRemaining":"4"}},
          "id_str":"2","id":"2","created_at":"Fri Sep 08 09:30:00 +0000 2023",
          "full_text":"@ann hi &amp; bye https://t.co/A","in_reply_to_user_id_str":"42",
          "entities":{"user_mentions":[{"name":"Ann","screen_name":"ann","indices":["0","4"],"id_str":"42","id":"42"}],
            "urls":[{"url":"https://t.co/A","expanded_url":"https://e.org","indices":["18","32"]}]},
          "lang":"en"}}"#;
        let w: Wrapped<'_> = serde_json::from_str(json).unwrap();
        let t = w.tweet;
        assert_eq!(t.id(), Some("2"));
        assert_eq!(t.edit_ids(), ["1", "2"]);
        assert_eq!(t.mentions()[0].screen_name.as_deref(), Some("ann"));
        assert_eq!(t.urls()[0].indices, Some((18, 32)));
        assert_eq!(t.reply_to_user(), Some("42"));
    }

    #[test]
    fn a_grailbird_record_parses_with_big_numeric_ids() {
        let json = r#"{"id_str":"582980738208894977","id":582980738208894977,"text":"x",
          "created_at":"2015-03-31 19:00:13 +0000","in_reply_to_status_id":null,
          "retweeted_status":{"id":1},"geo":{},"entities":{"media":[],"urls":[]}}"#;
        let t: RawTweet<'_> = serde_json::from_str(json).unwrap();
        assert_eq!(t.id(), Some("582980738208894977"));
        assert!(t.retweeted_status.is_some());
        assert_eq!(t.reply_to_status(), None);
    }
}
