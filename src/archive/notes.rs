//! Long posts ("note tweets"): `note-tweet.js` holds their full text, `tweets.js` only the
//! first 280 characters plus `…` and a `twitter.com/i/web/status/…` link.
//!
//! A note's id is not its tweet's id, so notes are matched to tweets by creation time (same
//! second, or one apart) and text prefix, each note at most once. Note text is not
//! HTML-escaped (unlike `full_text`).

use std::collections::HashMap;

use serde::Deserialize;

use super::date;
use super::de;

/// A note as the reader keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Creation time, in whole seconds since the epoch.
    pub created: i64,
    /// The full text with t.co links expanded.
    pub text: String,
    /// Expanded URLs, in order.
    pub urls: Vec<String>,
    /// Mentioned usernames.
    pub mentions: Vec<String>,
}

/// `note-tweet.js` record (`{"noteTweet": {…}}`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NoteRecord {
    #[serde(default, deserialize_with = "de::id")]
    pub note_tweet_id: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub core: Option<Core>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Core {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub urls: Vec<NoteUrl>,
    #[serde(default)]
    pub mentions: Vec<NoteMention>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NoteUrl {
    #[serde(default)]
    pub short_url: Option<String>,
    #[serde(default)]
    pub expanded_url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NoteMention {
    #[serde(default)]
    pub screen_name: Option<String>,
}

impl NoteRecord {
    /// The note, or `None` when it has no usable time or text.
    pub fn into_note(self) -> Option<Note> {
        let created = self
            .created_at
            .as_deref()
            .and_then(date::parse)
            .or_else(|| self.note_tweet_id.as_deref().and_then(date::from_snowflake))?
            .timestamp();
        let core = self.core?;
        let mut text = core.text;
        let mut urls = Vec::new();
        for url in core.urls {
            if let (Some(short), Some(long)) = (url.short_url, url.expanded_url) {
                text = text.replace(&short, &long);
                urls.push(long);
            }
        }
        let mentions = core
            .mentions
            .into_iter()
            .filter_map(|m| m.screen_name)
            .collect();
        Some(Note {
            created,
            text,
            urls,
            mentions,
        })
    }
}

/// All notes, indexed by second, each usable once.
#[derive(Debug, Default)]
pub struct Notes {
    notes: Vec<Note>,
    by_second: HashMap<i64, Vec<usize>>,
    used: Vec<bool>,
}

impl Notes {
    /// Indexes `notes`.
    pub fn new(notes: Vec<Note>) -> Self {
        let mut by_second: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, note) in notes.iter().enumerate() {
            by_second.entry(note.created).or_default().push(i);
        }
        let used = vec![false; notes.len()];
        Self {
            notes,
            by_second,
            used,
        }
    }

    /// The number of notes.
    pub fn len(&self) -> usize {
        self.notes.len()
    }

    /// True when there are no notes.
    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// Notes no tweet claimed.
    pub fn unmatched(&self) -> usize {
        self.used.iter().filter(|u| !**u).count()
    }

    /// Claims the note of a tweet created at `created` whose decoded text is `tweet_text`.
    pub fn claim(&mut self, created: i64, tweet_text: &str) -> Option<&Note> {
        if self.notes.is_empty() {
            return None;
        }
        let prefix = comparable_prefix(tweet_text);
        let found = [created, created - 1, created + 1]
            .iter()
            .find_map(|second| {
                self.by_second.get(second)?.iter().copied().find(|&i| {
                    !self.used[i] && (prefix.is_empty() || self.notes[i].text.starts_with(prefix))
                })
            })?;
        self.used[found] = true;
        Some(&self.notes[found])
    }
}

/// The start of a tweet's text that its note repeats: up to the first link or `…`, at most 60
/// bytes (cut on a character boundary).
fn comparable_prefix(text: &str) -> &str {
    let cut = ["…", "https://t.co/", "http://t.co/"]
        .iter()
        .filter_map(|m| text.find(m))
        .min()
        .unwrap_or(text.len());
    let mut end = cut.min(60);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(created: i64, text: &str) -> Note {
        Note {
            created,
            text: text.into(),
            urls: vec![],
            mentions: vec![],
        }
    }

    #[test]
    fn notes_match_by_second_and_prefix_once() {
        let mut notes = Notes::new(vec![
            note(100, "First long post, which goes on and on"),
            note(100, "Second long post, also long"),
            note(200, "Other"),
        ]);
        let t = "Second long post, also… https://t.co/x";
        assert_eq!(
            notes.claim(100, t).unwrap().text,
            "Second long post, also long"
        );
        assert!(notes.claim(100, t).is_none(), "a note is claimed once");
        assert_eq!(notes.claim(101, "First long post…").unwrap().created, 100);
        assert!(notes.claim(150, "Other").is_none());
        assert_eq!(notes.unmatched(), 1);
    }

    #[test]
    fn a_real_note_record_becomes_a_note() {
        let json = r#"{"noteTweetId":"1775197948340547584","createdAt":"2024-04-02T16:25:47.000Z",
          "core":{"urls":[{"expandedUrl":"https://github.com/x/pull/77","shortUrl":"https://t.co/or6","fromIndex":"3","toIndex":"20"}],
          "text":"See https://t.co/or6 >> here","mentions":[{"screenName":"ann"}]}}"#;
        let rec: NoteRecord = serde_json::from_str(json).unwrap();
        let n = rec.into_note().unwrap();
        assert_eq!(n.text, "See https://github.com/x/pull/77 >> here");
        assert_eq!(n.mentions, ["ann"]);
        assert_eq!(n.created, 1_712_075_147);
    }
}
