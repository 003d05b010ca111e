//! Long posts ("note tweets"): `note-tweet.js` holds their full text, `tweets.js` only the
//! first 280 characters plus `…` and a `twitter.com/i/web/status/…` link.
//!
//! A note's id is not its tweet's id, so notes are matched to tweets by creation time (same
//! second, or one apart) and text, each note at most once. Only a tweet that looks shortened
//! (its text ends in `…`, or it links to its own `i/web/status` page) takes a note by the
//! start of its text, and only when that start says something (a tweet that is only a link, a
//! photo reply in a thread, says nothing); a tweet that is whole takes a note only with the
//! same text. Note text is not HTML-escaped (unlike `full_text`).

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
    /// Each note's text as [`comparable`] makes it, computed once.
    comparable: Vec<String>,
    by_second: HashMap<i64, Vec<usize>>,
    used: Vec<bool>,
}

/// How a tweet shows (part of) a long post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// Cut short: the text ends in `…` or links to the tweet's own `i/web/status` page.
    Truncated,
    /// Whole: only a note with the very same text can be the tweet's (posted with the long
    /// composer, or with bold or italic text).
    Whole,
}

/// A tweet must show at least this many characters (links aside) to take a note: a tweet
/// that is only a link, or a word or two, could be the start of anything.
const MIN_PREFIX: usize = 12;

/// A truncated tweet matches a note when this many characters agree (or its whole text, if
/// shorter): enough to tell posts of the same second apart without depending on how the end
/// was cut.
const PREFIX_CHARS: usize = 60;

impl Notes {
    /// Indexes `notes`.
    pub fn new(notes: Vec<Note>) -> Self {
        let mut by_second: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, note) in notes.iter().enumerate() {
            by_second.entry(note.created).or_default().push(i);
        }
        let comparable = notes.iter().map(|n| comparable(&n.text)).collect();
        let used = vec![false; notes.len()];
        Self {
            notes,
            comparable,
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

    /// Claims the note of a tweet created at `created` whose decoded text is `tweet_text`;
    /// `links_to_itself` is true when the tweet links to its own `i/web/status/<id>` page (how
    /// X marks a shortened long post).
    ///
    /// Only a tweet that looks shortened takes a note by its prefix; a whole tweet takes one
    /// only with the same text. Of the notes created within a second of the tweet, the one
    /// agreeing on the most characters wins, then the one closest in time. A note is given out
    /// once.
    pub fn claim(
        &mut self,
        created: i64,
        tweet_text: &str,
        links_to_itself: bool,
    ) -> Option<&Note> {
        if self.notes.is_empty() {
            return None;
        }
        let (shown, body) = shown(tweet_text, links_to_itself);
        let body = comparable(body);
        let body_chars = body.chars().count();
        if body_chars < MIN_PREFIX {
            return None;
        }
        let needed = body_chars.min(PREFIX_CHARS);
        let mut best: Option<(usize, usize)> = None;
        // Closest seconds first: a note further away only wins by agreeing on more.
        for second in [created, created - 1, created + 1] {
            for &i in self.by_second.get(&second).into_iter().flatten() {
                if self.used[i] {
                    continue;
                }
                let agree = match shown {
                    Shown::Whole if self.comparable[i] == body => body_chars,
                    Shown::Whole => continue,
                    Shown::Truncated => common_chars(&body, &self.comparable[i]),
                };
                let better = best.is_none_or(|(_, score)| agree > score);
                if agree >= needed && better {
                    best = Some((i, agree));
                }
            }
        }
        let (found, _) = best?;
        self.used[found] = true;
        Some(&self.notes[found])
    }
}

/// Whether a tweet looks shortened, and the text it shows of its post (trailing links and the
/// `…` removed).
fn shown(text: &str, links_to_itself: bool) -> (Shown, &str) {
    let mut body = text.trim_end();
    while let Some((before, last)) = body.rsplit_once(char::is_whitespace) {
        if !is_link(last) {
            break;
        }
        body = before.trim_end();
    }
    if is_link(body) {
        body = "";
    }
    match body.strip_suffix('…') {
        Some(cut) => (Shown::Truncated, cut),
        None if links_to_itself => (Shown::Truncated, body),
        None => (Shown::Whole, text),
    }
}

fn is_link(word: &str) -> bool {
    word.starts_with("https://") || word.starts_with("http://")
}

/// Text as a tweet and its note both show it: links removed (a tweet has t.co links, its
/// note the expanded ones), whitespace runs collapsed.
fn comparable(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| !is_link(word))
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many leading characters `a` and `b` share.
fn common_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// True when `url` is the `twitter.com/i/web/status/<id>` link of tweet `id`, which X puts at
/// the end of a shortened long post.
pub fn is_own_web_link(url: &str, id: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let Some(rest) = path.strip_suffix(id) else {
        return false;
    };
    let host_path = rest
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("www.")
        .trim_start_matches("mobile.");
    host_path == "twitter.com/i/web/status/" || host_path == "x.com/i/web/status/"
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
            note(200, "Other long post that nobody claims"),
        ]);
        let t = "Second long post, also… https://t.co/x";
        assert_eq!(
            notes.claim(100, t, false).unwrap().text,
            "Second long post, also long"
        );
        assert!(
            notes.claim(100, t, false).is_none(),
            "a note is claimed once"
        );
        let first = notes.claim(101, "First long post…", false).unwrap();
        assert_eq!(first.created, 100);
        assert!(notes.claim(150, "Other long post…", false).is_none());
        assert_eq!(notes.unmatched(), 1);
    }

    #[test]
    fn only_tweets_that_look_shortened_take_a_note_by_prefix() {
        let long = "A very long post about trains and bread and many other things that go on";
        let table: [(&str, bool, bool); 9] = [
            // (tweet text, links to its own i/web page, takes the note)
            ("https://t.co/pic", false, false),
            ("https://t.co/pic", true, false),
            ("A very long post about trains…", false, true),
            (
                "A very long post about trains… https://t.co/lng",
                false,
                true,
            ),
            ("A very long post about trains https://t.co/lng", true, true),
            ("A very long post", false, false),
            ("A very…", false, false),
            ("A very long post about trains and bread", false, false),
            (long, false, true),
        ];
        for (text, own_link, takes) in table {
            let mut notes = Notes::new(vec![note(100, long)]);
            let got = notes.claim(100, text, own_link).is_some();
            assert_eq!(got, takes, "{text:?} (own link: {own_link})");
        }
    }

    #[test]
    fn the_note_agreeing_most_wins_then_the_closest() {
        let a = "Thread, part one: the night train to Vienna was late again and the bakery closed";
        let b =
            "Thread, part one: the night train to Vienna was late again but the coffee was fine";
        let mut notes = Notes::new(vec![note(100, a), note(100, b), note(99, b)]);
        let tweet = "Thread, part one: the night train to Vienna was late again but the cof…";
        assert_eq!(notes.claim(100, tweet, false).unwrap().created, 100);
        assert_eq!(notes.claim(100, tweet, false).unwrap().created, 99);
        assert!(
            notes.claim(100, tweet, false).is_none(),
            "a is a worse match"
        );
        assert_eq!(notes.unmatched(), 1);
    }

    #[test]
    fn own_web_links_are_recognised() {
        let table = [
            ("https://twitter.com/i/web/status/42", true),
            ("https://x.com/i/web/status/42", true),
            ("https://mobile.twitter.com/i/web/status/42?s=1", true),
            ("https://twitter.com/i/web/status/421", false),
            ("https://twitter.com/ann/status/42", false),
            ("https://example.org/i/web/status/42", false),
        ];
        for (url, want) in table {
            assert_eq!(is_own_web_link(url, "42"), want, "{url}");
        }
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
