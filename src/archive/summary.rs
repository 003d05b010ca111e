//! What `inspect` reports: layout, owner, counts, first and last tweet, warnings.
//!
//! The tweet scan feeds a [`Brief`] per kept tweet into [`Tally`], a few bytes each, so a
//! summary of any archive runs in constant memory.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::account::Account;
use super::files::Layout;

/// The summary of an archive (the `inspect --json` document).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub layout: Layout,
    /// `null` when the archive names no owner.
    pub account: Option<Account>,
    /// The owner's profile; `null` when the archive has none.
    pub profile: Option<super::OwnerProfile>,
    pub counts: Counts,
    /// RFC 3339; `null` without tweets.
    pub first_tweet_at: Option<DateTime<Utc>>,
    pub last_tweet_at: Option<DateTime<Utc>>,
    /// Problems that did not stop the reading, one sentence each.
    pub warnings: Vec<String>,
}

/// Record counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Posts a re-post would consider: unique after edits, without circle and deleted tweets.
    pub tweets: u64,
    /// Of `tweets`: replies (to anyone, the owner included).
    pub replies: u64,
    /// Of `replies`: replies to the owner's own tweets (threads).
    pub self_replies: u64,
    /// Of `tweets`: retweets.
    pub retweets: u64,
    /// Of `tweets`: quote tweets.
    pub quotes: u64,
    /// Records in `note-tweet.js` (long posts).
    pub note_tweets: u64,
    /// Records in `twitter-circle-tweet.js`.
    pub circle_tweets: u64,
    /// Records in `deleted-tweets.js`.
    pub deleted_tweets: u64,
    pub following: u64,
    pub followers: u64,
    pub blocks: u64,
    pub mutes: u64,
    pub likes: u64,
    /// All lists: created + member + subscribed.
    pub lists: u64,
    pub lists_created: u64,
    pub lists_member: u64,
    pub lists_subscribed: u64,
    /// Files in the tweet media folder(s).
    pub media_files: u64,
}

/// What the summary keeps of one tweet.
#[derive(Debug, Clone)]
pub(crate) struct Brief {
    pub created: DateTime<Utc>,
    pub reply: bool,
    pub self_reply: bool,
    pub retweet: bool,
    pub quote: bool,
    /// Media items the tweet references that the archive lacks (file names as expected).
    pub missing_media: Vec<String>,
}

/// Running totals over the tweets.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub tweets: u64,
    pub replies: u64,
    pub self_replies: u64,
    pub retweets: u64,
    pub quotes: u64,
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    pub missing_media: u64,
    /// The first few missing media, to name in the warning.
    pub missing_examples: Vec<String>,
}

impl Tally {
    /// Adds one tweet.
    pub fn add(&mut self, brief: Brief) {
        self.tweets += 1;
        self.replies += u64::from(brief.reply);
        self.self_replies += u64::from(brief.self_reply);
        self.retweets += u64::from(brief.retweet);
        self.quotes += u64::from(brief.quote);
        self.first = Some(self.first.map_or(brief.created, |f| f.min(brief.created)));
        self.last = Some(self.last.map_or(brief.created, |l| l.max(brief.created)));
        self.missing_media += brief.missing_media.len() as u64;
        for name in brief.missing_media {
            if self.missing_examples.len() < 3 {
                self.missing_examples.push(name);
            }
        }
    }

    /// The warning about missing media, if any is missing.
    pub fn missing_media_warning(&self) -> Option<String> {
        (self.missing_media > 0).then(|| {
            let (n, examples) = (self.missing_media, self.missing_examples.join(", "));
            match n {
                1 => format!("1 media file referenced by a tweet is missing from the archive ({examples})"),
                n => format!("{n} media files referenced by tweets are missing from the archive (e.g. {examples})"),
            }
        })
    }
}

impl super::Archive {
    /// Reads the whole archive once and summarises it. Damaged optional files become
    /// warnings; a damaged tweet file, or a circle or deleted tweets file that cannot be read,
    /// is an error.
    pub fn summary(&self) -> Result<Summary, super::ArchiveError> {
        let hidden = self.hidden()?;
        let mut notes = self.notes();
        let note_tweets = notes.len() as u64;
        let tally = self.tally_tweets(&hidden, &mut notes)?;
        if notes.unmatched() > 0 {
            self.warn(
                super::Topic::Tweets,
                match notes.unmatched() {
                    1 => "1 long post in note-tweet.js matches no tweet, so it is not used".into(),
                    n => {
                        format!(
                            "{n} long posts in note-tweet.js match no tweet, so they are not used"
                        )
                    }
                },
            );
        }
        if let Some(warning) = tally.missing_media_warning() {
            self.warn(super::Topic::Tweets, warning);
        }
        let counts = Counts {
            tweets: tally.tweets,
            replies: tally.replies,
            self_replies: tally.self_replies,
            retweets: tally.retweets,
            quotes: tally.quotes,
            note_tweets,
            circle_tweets: hidden.circle.len() as u64,
            deleted_tweets: hidden.deleted.len() as u64,
            media_files: self.media_files() as u64,
            ..self.other_counts()?
        };
        Ok(Summary {
            layout: self.layout(),
            account: self.account.clone(),
            profile: self.profile.clone(),
            counts,
            first_tweet_at: tally.first,
            last_tweet_at: tally.last,
            warnings: self.warnings(),
        })
    }

    /// Scans the tweets into a [`Tally`] and checks part counts.
    fn tally_tweets(
        &self,
        hidden: &super::tweets::Hidden,
        notes: &mut super::notes::Notes,
    ) -> Result<Tally, super::ArchiveError> {
        let names = self.owner_names();
        let owner = super::tweet::Owner {
            id: self
                .account
                .as_ref()
                .map(|a| a.id.as_str())
                .filter(|id| !id.is_empty()),
            names: &names,
        };
        let check_media = self.media.has_folder();
        let media = &self.media;
        let convert = |raw: &super::rawtweet::RawTweet<'_>,
                       id: &str,
                       created,
                       _note: Option<&super::notes::Note>| {
            brief(raw, id, created, owner, check_media.then_some(media))
        };
        let mut tally = Tally::default();
        let input = super::tweets::ScanInput {
            source: &self.source,
            parts: &self.tweet_parts,
            hidden,
            notes,
            csv: self.tweets_csv.as_ref(),
        };
        let stats = super::tweets::scan::<_, super::ArchiveError>(input, convert, |b| {
            tally.add(b);
            Ok(std::ops::ControlFlow::Continue(()))
        })?;
        let counts: Vec<_> = stats
            .parts
            .iter()
            .filter_map(|(name, n, _)| {
                let part = self.tweet_parts.iter().find(|p| &p.name == name)?;
                Some((part.clone(), *n))
            })
            .collect();
        self.check_counts(super::Topic::Tweets, &counts);
        self.check_total(stats.records);
        stats
            .warnings
            .into_iter()
            .for_each(|w| self.warn(super::Topic::Tweets, w));
        Ok(tally)
    }

    /// Grailbird: the records read against `payload_details.js`'s total.
    fn check_total(&self, read: u64) {
        if let Some(expected) = self.expected_total
            && expected != read
        {
            self.warn(super::Topic::Tweets, format!(
                "the archive holds {read} tweets but data/js/payload_details.js lists {expected}"
            ));
        }
    }

    /// Relations, likes and lists. A damaged following, block or mute file is an error.
    fn other_counts(&self) -> Result<Counts, super::ArchiveError> {
        use super::files::Kind;
        let lists_created = self.count_optional(Kind::ListsCreated, "userListInfo");
        let lists_member = self.count_optional(Kind::ListsMember, "userListInfo");
        let lists_subscribed = self.count_optional(Kind::ListsSubscribed, "userListInfo");
        Ok(Counts {
            following: self.count_required(Kind::Following, "following")?,
            followers: self.count_optional(Kind::Follower, "follower"),
            blocks: self.count_required(Kind::Block, "blocking")?,
            mutes: self.count_required(Kind::Mute, "muting")?,
            likes: self.count_optional(Kind::Like, "like"),
            lists: lists_created + lists_member + lists_subscribed,
            lists_created,
            lists_member,
            lists_subscribed,
            ..Counts::default()
        })
    }
}

/// What the summary keeps of one tweet.
fn brief(
    raw: &super::rawtweet::RawTweet<'_>,
    id: &str,
    created: DateTime<Utc>,
    owner: super::tweet::Owner<'_>,
    media: Option<&super::media::MediaIndex>,
) -> Brief {
    let reply_user = raw.reply_to_user();
    let reply = raw.reply_to_status().is_some();
    let retweet = super::tweet::is_retweet(raw);
    let missing_media = match media {
        Some(index) if !retweet && !raw.media().is_empty() => index
            .resolve(id, raw.media())
            .into_iter()
            .filter(|m| m.file.is_none() && !m.foreign)
            .map(|m| expected_name(id, &m))
            .collect(),
        _ => Vec::new(),
    };
    Brief {
        created,
        reply,
        self_reply: reply && owner.is_self(reply_user, raw.in_reply_to_screen_name.as_deref()),
        retweet,
        quote: raw.quoted_status_id_str.is_some()
            || raw.urls().iter().any(|u| {
                u.expanded_url
                    .as_deref()
                    .and_then(super::tweet::status_link)
                    .is_some_and(|s| s != id)
            }),
        missing_media,
    }
}

/// The file name a missing media item would have had.
fn expected_name(tweet_id: &str, media: &super::media::MediaRef) -> String {
    let url = media.url.as_deref().unwrap_or("");
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let base = path.rsplit('/').next().unwrap_or(path);
    format!("{tweet_id}-{base}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brief(secs: i64, reply: bool) -> Brief {
        Brief {
            created: DateTime::from_timestamp(secs, 0).unwrap(),
            reply,
            self_reply: false,
            retweet: false,
            quote: false,
            missing_media: vec![format!("{secs}-x.jpg")],
        }
    }

    #[test]
    fn the_tally_keeps_extremes_and_examples() {
        let mut t = Tally::default();
        for (secs, reply) in [(50, true), (10, false), (90, false), (20, true)] {
            t.add(brief(secs, reply));
        }
        assert_eq!(t.tweets, 4);
        assert_eq!(t.replies, 2);
        assert_eq!(t.first.unwrap().timestamp(), 10);
        assert_eq!(t.last.unwrap().timestamp(), 90);
        assert_eq!(t.missing_media, 4);
        let w = t.missing_media_warning().unwrap();
        assert!(
            w.starts_with("4 media files referenced") && w.contains("50-x.jpg, 10-x.jpg, 90-x.jpg"),
            "{w}"
        );
    }
}
