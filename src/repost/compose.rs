//! One tweet → the post(s) that re-publish it: text, content warning, media, visibility,
//! language, numbering, reply and quote targets and idempotency keys. Pure: a function of
//! the tweet and [`ComposeOptions`]; the executor uploads, sends and journals.
//!
//! The text is the archive's (entities decoded, links expanded, media links removed, the
//! note's full text for long posts), then: leading reply mentions dropped (replies only),
//! mentions rendered (`mentions`), a quoted tweet's link kept (appended when the text lacks
//! it), the optional date footer added to the first post. Over the instance's limit (as its
//! software counts, `length`) it becomes a numbered self-thread (`split`), `1/3` markers
//! counted; media spread over the thread (`media`), adding posts with only media when there
//! are more groups than pieces of text.

mod text;

#[cfg(test)]
mod tests;

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::length::{LengthRules, ServerKind};
use super::media::{self, AltTexts, ChunkMedia};
use super::mentions::{MentionMap, UnmatchedMentions};
use super::split::{self, SplitError};
use crate::archive::Tweet;
use crate::fedi::{InstanceInfo, Visibility};

pub use text::{BadFooterFormat, DateFooter, language};

/// What the instance accepts, as composing needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLimits {
    pub max_characters: usize,
    pub characters_reserved_per_url: usize,
    pub max_media_attachments: usize,
    pub software: ServerKind,
}

impl PostLimits {
    /// The instance's limits and counting rule.
    pub fn from_instance(info: &InstanceInfo) -> Self {
        Self {
            max_characters: info.limits.max_characters as usize,
            characters_reserved_per_url: info.limits.characters_reserved_per_url as usize,
            max_media_attachments: info.limits.max_media_attachments as usize,
            software: ServerKind::from_software(&info.software.name),
        }
    }

    /// The counting rule.
    pub fn rules(&self) -> LengthRules {
        LengthRules {
            software: self.software,
            characters_reserved_per_url: self.characters_reserved_per_url,
        }
    }
}

impl Default for PostLimits {
    /// Stock Mastodon's.
    fn default() -> Self {
        Self {
            max_characters: 500,
            characters_reserved_per_url: 23,
            max_media_attachments: 4,
            software: ServerKind::Mastodon,
        }
    }
}

/// Everything composing depends on besides the tweet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeOptions {
    /// The account posting (`user@host`); part of every idempotency key.
    pub account: String,
    pub limits: PostLimits,
    /// `Unlisted` by default: years of history must not flood local and federated timelines.
    pub visibility: Visibility,
    /// A content warning on every post (counted in the length).
    pub spoiler_text: Option<String>,
    /// "First posted on …", on the first post of each tweet (counted in the length).
    pub date_footer: Option<DateFooter>,
    /// Twitter username → fediverse handle, from `find`.
    pub matches: MentionMap,
    pub unmatched_mentions: UnmatchedMentions,
    /// The archive owner's usernames (current and past): a link to one of their tweets is a
    /// quote of our own, which the executor points at our re-posted copy.
    pub owner_names: Vec<String>,
    /// The longest URL our copy of a tweet can have on this instance, reserved where such a
    /// link replaces a Twitter one on servers that count links as written.
    pub own_status_url_chars: usize,
    pub alt_texts: AltTexts,
    /// More tweets whose media go out sensitive, besides those the archive marks
    /// `possibly_sensitive`.
    pub sensitive_tweets: HashSet<String>,
}

impl ComposeOptions {
    /// Defaults for `account` on an instance with `limits`.
    pub fn new(account: &str, limits: PostLimits) -> Self {
        Self {
            account: account.to_string(),
            limits,
            visibility: Visibility::Unlisted,
            spoiler_text: None,
            date_footer: None,
            matches: MentionMap::new(),
            unmatched_mentions: UnmatchedMentions::default(),
            owner_names: Vec::new(),
            own_status_url_chars: 100,
            alt_texts: AltTexts::new(),
            sensitive_tweets: HashSet::new(),
        }
    }
}

/// A tweet's posts, in order; chunk 0 first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub tweet_id: String,
    /// When it was tweeted (for backdating where the instance can, see `Capabilities`).
    pub created_at: DateTime<Utc>,
    pub quote: Option<QuoteTarget>,
    pub chunks: Vec<Chunk>,
    /// One sentence each: media left out, and why.
    pub warnings: Vec<String>,
}

/// One status to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chunk {
    /// 0-based position in the tweet's thread, and the thread's length.
    pub index: usize,
    pub total: usize,
    pub text: String,
    pub spoiler_text: Option<String>,
    pub media: Vec<ChunkMedia>,
    pub visibility: Visibility,
    /// ISO 639 code, or none (Twitter's `und`, `qme`, `zxx`… dropped).
    pub language: Option<String>,
    /// Mark the media sensitive.
    pub sensitive: bool,
    /// Derived from (account, tweet id, chunk index): the same post gets the same key.
    pub idempotency_key: String,
    pub reply_to: Option<ReplyTarget>,
    /// When set, this exact text (a Twitter link to one of our own tweets) is to be replaced
    /// by the URL of our copy of [`QuoteTarget::Own`], if we have one; else it stays.
    pub quote_placeholder: Option<String>,
    /// The length as the server counts it (placeholder as written).
    pub length: usize,
}

/// What a post answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "tweet_id")]
pub enum ReplyTarget {
    /// The post just before it in this tweet's thread.
    PreviousChunk,
    /// Our copy of this tweet: its *last* chunk, from the journal (this run or an earlier
    /// one). Without a copy (not selected, never posted) the post stands alone.
    Tweet(String),
}

/// The tweet a quote tweet quoted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "target")]
pub enum QuoteTarget {
    /// One of the owner's tweets (its id): link our copy instead of Twitter's.
    Own(String),
    /// Someone else's tweet (its URL), kept as a link.
    Other(String),
}

/// Why a tweet cannot become a post.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("tweet {tweet_id} has neither text nor media to post")]
    Empty { tweet_id: String },
    #[error(
        "tweet {tweet_id} cannot be posted within {max} characters once the content warning, \
         date footer and numbering are counted; use a shorter --content-warning or --date-footer"
    )]
    NoRoom { tweet_id: String, max: usize },
}

/// Composes the posts for `tweet`.
pub fn compose(tweet: &Tweet, opts: &ComposeOptions) -> Result<Post, ComposeError> {
    let body = text::body(tweet, opts);
    let (groups, warnings) = media::group(
        &tweet.id,
        &tweet.media,
        &opts.alt_texts,
        opts.limits.max_media_attachments,
        opts.limits.software,
    );
    if body.text.trim().is_empty() && groups.is_empty() {
        return Err(ComposeError::Empty {
            tweet_id: tweet.id.clone(),
        });
    }
    let footer = opts
        .date_footer
        .as_ref()
        .map(|f| f.render(tweet.created_at));
    let layout = Layout {
        opts,
        footer: footer.as_deref(),
        placeholder: body.placeholder.as_deref(),
    };
    let pieces = layout
        .split(&body.text, groups.len())
        .map_err(|_| ComposeError::NoRoom {
            tweet_id: tweet.id.clone(),
            max: opts.limits.max_characters,
        })?;
    let chunks = chunks(tweet, opts, &layout, &pieces, groups);
    if chunks.iter().any(|c| c.length > opts.limits.max_characters) {
        return Err(ComposeError::NoRoom {
            tweet_id: tweet.id.clone(),
            max: opts.limits.max_characters,
        });
    }
    Ok(Post {
        tweet_id: tweet.id.clone(),
        created_at: tweet.created_at,
        quote: body.quote,
        chunks,
        warnings,
    })
}

/// The stable idempotency key of chunk `index` of `tweet_id` posted by `account`: ASCII,
/// under 64 characters, the tweet id readable for anyone debugging.
pub fn idempotency_key(account: &str, tweet_id: &str, index: usize) -> String {
    let tweet = if !tweet_id.is_empty()
        && tweet_id.len() <= 24
        && tweet_id.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        tweet_id.to_string()
    } else {
        format!("h{:016x}", fnv1a(tweet_id.as_bytes()))
    };
    let account = fnv1a(account.trim().to_lowercase().as_bytes());
    format!("fm1-{account:016x}-{tweet}-{index}")
}

/// FNV-1a, 64 bits: stable across runs, builds and platforms (std's hasher is not).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// How a tweet's pieces become chunk texts, and what fits.
struct Layout<'a> {
    opts: &'a ComposeOptions,
    footer: Option<&'a str>,
    placeholder: Option<&'a str>,
}

impl Layout<'_> {
    /// The body split into pieces for a thread of at least `min_total` posts.
    fn split<'b>(&self, body: &'b str, min_total: usize) -> Result<Vec<&'b str>, SplitError> {
        // Numbering needs the total, which the split decides: guess, check, raise the guess.
        // A total at or under the guess has markers no wider than those checked.
        let mut guess = min_total.max(1);
        for _ in 0..32 {
            let pieces = split::split(body, |p, i| self.fits(p, i, guess))?;
            let total = pieces.len().max(min_total).max(1);
            if total <= guess {
                return Ok(pieces);
            }
            guess = total.max(guess + 1);
        }
        Err(SplitError::NoRoom { index: guess })
    }

    /// The text of chunk `index` of `total` holding `piece`.
    fn text(&self, piece: &str, index: usize, total: usize) -> String {
        let mut tail: Vec<String> = Vec::new();
        if let Some(footer) = self.footer.filter(|_| index == 0) {
            tail.push(footer.to_string());
        }
        if total > 1 {
            tail.push(format!("{}/{}", index + 1, total));
        }
        let tail = tail.join(" · ");
        match (piece.is_empty(), tail.is_empty()) {
            (_, true) => piece.to_string(),
            (true, false) => tail,
            (false, false) => format!("{piece}\n\n{tail}"),
        }
    }

    /// The length the server will count for chunk text `text`.
    fn count(&self, text: &str) -> usize {
        let spoiler = self.opts.spoiler_text.as_deref().unwrap_or("");
        let mut n = self.opts.limits.rules().count(text, spoiler);
        if let Some(p) = self.placeholder.filter(|p| text.contains(*p))
            && self.opts.limits.software != ServerKind::Mastodon
        {
            n += self
                .opts
                .own_status_url_chars
                .saturating_sub(p.chars().count());
        }
        n
    }

    fn fits(&self, piece: &str, index: usize, total: usize) -> bool {
        self.count(&self.text(piece, index, total)) <= self.opts.limits.max_characters
    }
}

/// The chunks for `pieces` and media `groups` (piece i and group i share chunk i).
fn chunks(
    tweet: &Tweet,
    opts: &ComposeOptions,
    layout: &Layout<'_>,
    pieces: &[&str],
    groups: Vec<Vec<ChunkMedia>>,
) -> Vec<Chunk> {
    let total = pieces.len().max(groups.len()).max(1);
    let mut groups = groups.into_iter();
    let language = language(tweet.lang.as_deref());
    let sensitive = tweet.possibly_sensitive || opts.sensitive_tweets.contains(&tweet.id);
    (0..total)
        .map(|index| {
            let text = layout.text(pieces.get(index).copied().unwrap_or(""), index, total);
            let reply_to = match index {
                0 => tweet
                    .in_reply_to_status_id
                    .clone()
                    .filter(|_| tweet.is_self_reply)
                    .map(ReplyTarget::Tweet),
                _ => Some(ReplyTarget::PreviousChunk),
            };
            let quote_placeholder = layout
                .placeholder
                .filter(|p| text.contains(*p))
                .map(str::to_string);
            Chunk {
                index,
                total,
                length: layout.count(&text),
                text,
                spoiler_text: opts.spoiler_text.clone(),
                media: groups.next().unwrap_or_default(),
                visibility: opts.visibility,
                language: language.clone(),
                sensitive,
                idempotency_key: idempotency_key(&opts.account, &tweet.id, index),
                reply_to,
                quote_placeholder,
            }
        })
        .collect()
}
