//! Which tweets are re-posted, and in what order. Pure.
//!
//! A tweet goes unless a rule says otherwise, checked in this order (the first reason
//! wins, so a summary can count them): `--only-ids`, `--skip-ids`, `--since` (inclusive),
//! `--until` (exclusive: the command turns a day into the next midnight), retweets
//! (`skip` by default; `link` posts the archived "RT @name: …" text), replies (`self` by
//! default: threads of one's own go, answers to others do not; `all`; `none`),
//! `--with-media-only` (at least one media file the archive holds).
//!
//! Twitter Circle and deleted tweets never reach this module: the archive reader withholds
//! them whatever the flags (`Archive::for_each_tweet`), so no option here can let them out.
//!
//! Order: oldest first, and a reply never before the tweet it answers (clocks and
//! same-second tweets can disagree with the thread), so a thread's copy is built top down.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::archive::Tweet;

/// Which replies go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Replies {
    /// Replies to one's own tweets (threads); not answers to others.
    #[default]
    #[serde(rename = "self")]
    Own,
    All,
    None,
}

/// What happens to retweets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RetweetMode {
    #[default]
    Skip,
    /// A short post with the archived `RT @name: …` text (the archive keeps no more).
    Link,
}

/// The user's selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Tweets at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Tweets before this time.
    pub until: Option<DateTime<Utc>>,
    /// When set, only these tweet ids.
    pub only_ids: Option<HashSet<String>>,
    pub skip_ids: HashSet<String>,
    pub replies: Replies,
    pub retweets: RetweetMode,
    pub with_media_only: bool,
}

/// Why a tweet stays behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    NotInOnlyIds,
    InSkipIds,
    BeforeSince,
    NotBeforeUntil,
    Retweet,
    ReplyToOthers,
    Reply,
    NoMedia,
}

impl SkipReason {
    /// A few words for summaries: "3 tweets skipped: …".
    pub fn describe(self) -> &'static str {
        match self {
            SkipReason::NotInOnlyIds => "not in --only-ids",
            SkipReason::InSkipIds => "in --skip-ids",
            SkipReason::BeforeSince => "before --since",
            SkipReason::NotBeforeUntil => "not before --until",
            SkipReason::Retweet => "retweets (--retweets skip)",
            SkipReason::ReplyToOthers => "replies to others (--replies self)",
            SkipReason::Reply => "replies (--replies none)",
            SkipReason::NoMedia => "without media (--with-media-only)",
        }
    }
}

/// `Ok(())` when `tweet` goes, else why not.
pub fn select(tweet: &Tweet, sel: &Selection) -> Result<(), SkipReason> {
    if sel
        .only_ids
        .as_ref()
        .is_some_and(|ids| !ids.contains(&tweet.id))
    {
        return Err(SkipReason::NotInOnlyIds);
    }
    if sel.skip_ids.contains(&tweet.id) {
        return Err(SkipReason::InSkipIds);
    }
    if sel.since.is_some_and(|since| tweet.created_at < since) {
        return Err(SkipReason::BeforeSince);
    }
    if sel.until.is_some_and(|until| tweet.created_at >= until) {
        return Err(SkipReason::NotBeforeUntil);
    }
    if tweet.is_retweet && sel.retweets == RetweetMode::Skip {
        return Err(SkipReason::Retweet);
    }
    if tweet.is_reply() && !tweet.is_retweet {
        match sel.replies {
            Replies::None => return Err(SkipReason::Reply),
            Replies::Own if !tweet.is_self_reply => return Err(SkipReason::ReplyToOthers),
            _ => {}
        }
    }
    if sel.with_media_only && !tweet.media.iter().any(|m| m.file.is_some()) {
        return Err(SkipReason::NoMedia);
    }
    Ok(())
}

/// What ordering needs of a tweet, and no more: a command that streams a large archive
/// keeps one of these per selected tweet instead of the tweet (see [`compact_id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderKey<K> {
    pub created_at: DateTime<Utc>,
    /// Sorts like the tweet id (ties on the date go by id).
    pub id: K,
    /// The tweet it answers, if any.
    pub parent: Option<K>,
}

/// A tweet id as a number, for [`OrderKey`]: its value where it is one (every archive's ids
/// are), else a stable hash with the top bit set (sorted after the numbers; never equal to
/// one).
pub fn compact_id(id: &str) -> u64 {
    match id.parse::<u64>() {
        Ok(n) if n < 1 << 63 && (id == "0" || !id.starts_with('0')) => n,
        _ => {
            let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            hash | 1 << 63
        }
    }
}

/// The order to post `tweets` in, as indices: oldest first (ties by id, numerically),
/// each reply after the tweet it answers when both are here. Replies whose parent is not
/// here keep their place by date.
pub fn thread_order(tweets: &[Tweet]) -> Vec<usize> {
    let keys: Vec<OrderKey<(usize, &str)>> = tweets
        .iter()
        .map(|t| OrderKey {
            created_at: t.created_at,
            id: (t.id.len(), t.id.as_str()),
            parent: t.in_reply_to_status_id.as_deref().map(|p| (p.len(), p)),
        })
        .collect();
    order_keys(&keys)
}

/// [`thread_order`] over [`OrderKey`]s.
pub fn order_keys<K: Copy + Ord + Hash>(keys: &[OrderKey<K>]) -> Vec<usize> {
    let mut by_date: Vec<usize> = (0..keys.len()).collect();
    by_date.sort_by(|&a, &b| {
        let (x, y) = (&keys[a], &keys[b]);
        (x.created_at, x.id).cmp(&(y.created_at, y.id))
    });
    let index: HashMap<K, usize> = keys.iter().enumerate().map(|(i, k)| (k.id, i)).collect();
    let parent = |i: usize| {
        keys[i]
            .parent
            .and_then(|p| index.get(&p).copied())
            .filter(|&p| p != i)
    };
    let mut done = vec![false; keys.len()];
    let mut waiting: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut out = Vec::with_capacity(keys.len());
    for &i in &by_date {
        match parent(i) {
            Some(p) if !done[p] => waiting.entry(p).or_default().push(i),
            _ => emit(i, &mut done, &mut waiting, &mut out),
        }
    }
    // A cycle of replies (a damaged archive) leaves tweets waiting: post them by date.
    for &i in &by_date {
        if !done[i] {
            emit(i, &mut done, &mut waiting, &mut out);
        }
    }
    out
}

/// Emits `first` and then, depth first, every reply that was waiting for it.
fn emit(
    first: usize,
    done: &mut [bool],
    waiting: &mut HashMap<usize, Vec<usize>>,
    out: &mut Vec<usize>,
) {
    let mut stack = vec![first];
    while let Some(i) = stack.pop() {
        if done[i] {
            continue;
        }
        done[i] = true;
        out.push(i);
        if let Some(children) = waiting.remove(&i) {
            stack.extend(children.into_iter().rev());
        }
    }
}

#[cfg(test)]
mod tests;
