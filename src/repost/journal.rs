//! The journal of `post`: which tweet became which status, per instance account, so a rerun
//! resumes without posting twice, threads continue across runs, and `--undo` deletes exactly
//! what a run made.
//!
//! One JSON Lines file on the same store as `follow`'s journals
//! (`journals/<instance>/<account>/posts.jsonl`, fsynced per line, locked while a run works).
//! Records, in order: `run` opens a run (or an undo of one); `media` remembers an upload (so a
//! crash before the post reuses it); `attempt` is written before a status is sent and
//! `posted` after, so a post whose answer was lost is known on resume and looked for before
//! anything else is sent; `failed` closes an attempt the server refused; `deleted` is an
//! undo's; `paused` and `end` as in `follow`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::store;

pub use crate::store::journal::{JournalError, RunInfo};

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Run {
        run: u32,
        undo_of: Option<u32>,
        at: DateTime<Utc>,
        /// The archive, for `--runs`.
        input: Option<String>,
        fingerprint: String,
    },
    /// A file uploaded for chunk `chunk` of `tweet_id`, not yet known to be attached.
    Media {
        tweet_id: String,
        chunk: usize,
        file: String,
        media_id: String,
        at: DateTime<Utc>,
    },
    Attempt {
        run: u32,
        tweet_id: String,
        chunk: usize,
        key: String,
        in_reply_to_id: Option<String>,
        at: DateTime<Utc>,
    },
    Posted {
        run: u32,
        tweet_id: String,
        chunk: usize,
        total: usize,
        status_id: String,
        url: Option<String>,
        #[serde(default)]
        media_ids: Vec<String>,
        at: DateTime<Utc>,
        /// Found on the server after its answer was lost, not answered.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        recovered: bool,
    },
    Failed {
        run: u32,
        tweet_id: String,
        chunk: usize,
        reason: String,
        /// The server may still have made the post (no answer, a 5xx).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        maybe_done: bool,
        /// Not sent because the run stopped (a rate limit, a refused token): not counted as
        /// failed.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        stopped: bool,
    },
    /// An undo deleted (or found gone) the status of a tweet's chunk.
    Deleted {
        run: u32,
        tweet_id: String,
        chunk: usize,
        status_id: String,
    },
    Paused {
        run: u32,
        until: DateTime<Utc>,
    },
    End {
        run: u32,
        complete: bool,
        at: DateTime<Utc>,
    },
}

crate::store::journal::run_records!(Record);

/// The post journal of one instance account.
pub type Journal = store::Journal<Record>;

/// What a damaged journal's message says about starting over.
pub const HINT: &str = "posts already made would then be made again";

/// Where the journal of `account` on `instance` lives, under `data_dir`.
pub fn path_for(data_dir: &Path, instance: &str, account: &str) -> PathBuf {
    store::journal::path_for(data_dir, instance, account, "posts")
}

/// A chunk of a tweet: (tweet id, chunk index).
pub type ChunkId = (String, usize);

/// A status we made and have not deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Made {
    pub run: u32,
    pub status_id: String,
    pub url: Option<String>,
    pub total: usize,
}

/// A status sent whose answer never came (see [`store::Journal::<Record>::unconfirmed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unconfirmed {
    pub run: u32,
    pub tweet_id: String,
    pub chunk: usize,
    pub key: String,
    pub in_reply_to_id: Option<String>,
    pub at: DateTime<Utc>,
}

/// An upload not yet attached to any post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    pub media_id: String,
    pub at: DateTime<Utc>,
}

impl store::Journal<Record> {
    /// Every chunk's live status (made by any run, not deleted since).
    pub fn made(&self) -> HashMap<ChunkId, Made> {
        let mut out = HashMap::new();
        for record in self.records() {
            match record {
                Record::Posted {
                    run,
                    tweet_id,
                    chunk,
                    total,
                    status_id,
                    url,
                    ..
                } => {
                    let made = Made {
                        run: *run,
                        status_id: status_id.clone(),
                        url: url.clone(),
                        total: *total,
                    };
                    out.insert((tweet_id.clone(), *chunk), made);
                }
                Record::Deleted {
                    tweet_id,
                    chunk,
                    status_id,
                    ..
                } => {
                    let key = (tweet_id.clone(), *chunk);
                    if out.get(&key).is_some_and(|m| m.status_id == *status_id) {
                        out.remove(&key);
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Statuses sent without an answer: an `attempt` with no `posted` and no certain `failed`
    /// after it, oldest first.
    pub fn unconfirmed(&self) -> Vec<Unconfirmed> {
        let mut open: Vec<Unconfirmed> = Vec::new();
        for record in self.records() {
            match record {
                Record::Attempt {
                    run,
                    tweet_id,
                    chunk,
                    key,
                    in_reply_to_id,
                    at,
                } => {
                    open.retain(|u| !(u.tweet_id == *tweet_id && u.chunk == *chunk));
                    open.push(Unconfirmed {
                        run: *run,
                        tweet_id: tweet_id.clone(),
                        chunk: *chunk,
                        key: key.clone(),
                        in_reply_to_id: in_reply_to_id.clone(),
                        at: *at,
                    });
                }
                Record::Posted {
                    tweet_id, chunk, ..
                }
                | Record::Failed {
                    tweet_id,
                    chunk,
                    maybe_done: false,
                    ..
                } => open.retain(|u| !(u.tweet_id == *tweet_id && u.chunk == *chunk)),
                _ => {}
            }
        }
        open
    }

    /// Uploads for (tweet, chunk, file) that no post carries yet.
    pub fn unattached(&self) -> HashMap<(String, usize, String), Uploaded> {
        let mut out = HashMap::new();
        let mut attached: HashSet<&str> = HashSet::new();
        for record in self.records() {
            if let Record::Posted { media_ids, .. } = record {
                attached.extend(media_ids.iter().map(String::as_str));
            }
        }
        for record in self.records() {
            if let Record::Media {
                tweet_id,
                chunk,
                file,
                media_id,
                at,
            } = record
                && !attached.contains(media_id.as_str())
            {
                let uploaded = Uploaded {
                    media_id: media_id.clone(),
                    at: *at,
                };
                out.insert((tweet_id.clone(), *chunk, file.clone()), uploaded);
            }
        }
        out
    }

    /// How many times each chunk's status was deleted by an undo: a chunk posted again
    /// after an undo needs a fresh idempotency key.
    pub fn generations(&self) -> HashMap<ChunkId, u32> {
        let mut out = HashMap::new();
        for record in self.records() {
            if let Record::Deleted {
                tweet_id, chunk, ..
            } = record
            {
                *out.entry((tweet_id.clone(), *chunk)).or_insert(0) += 1;
            }
        }
        out
    }

    /// The statuses `run` made that are still there, newest first (the order an undo deletes
    /// them in, replies before what they answer).
    pub fn made_by(&self, run: u32) -> Vec<(ChunkId, Made)> {
        let made = self.made();
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        for record in self.records().iter().rev() {
            if let Record::Posted {
                run: r,
                tweet_id,
                chunk,
                status_id,
                ..
            } = record
                && *r == run
            {
                let key = (tweet_id.clone(), *chunk);
                if let Some(m) = made.get(&key).filter(|m| m.status_id == *status_id)
                    && seen.insert(key.clone())
                {
                    out.push((key, m.clone()));
                }
            }
        }
        out
    }

    /// What `run` did: statuses made, found after a lost answer, failed (latest per chunk).
    pub fn tally(&self, run: u32) -> Tally {
        let mut tally = Tally::default();
        let mut failed: HashMap<ChunkId, String> = HashMap::new();
        for record in self.records() {
            match record {
                Record::Posted {
                    run: r,
                    tweet_id,
                    chunk,
                    recovered,
                    ..
                } if *r == run => {
                    tally.posted += 1;
                    tally.recovered += u64::from(*recovered);
                    failed.remove(&(tweet_id.clone(), *chunk));
                }
                Record::Failed {
                    run: r,
                    tweet_id,
                    chunk,
                    reason,
                    stopped,
                    ..
                } if *r == run => {
                    let key = (tweet_id.clone(), *chunk);
                    if *stopped {
                        failed.remove(&key);
                    } else {
                        failed.insert(key, reason.clone());
                    }
                }
                Record::Deleted { run: r, .. } if *r == run => tally.deleted += 1,
                _ => {}
            }
        }
        let mut failed: Vec<(ChunkId, String)> = failed.into_iter().collect();
        failed.sort();
        tally.failed = failed;
        tally
    }
}

/// A run's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub posted: u64,
    /// Of `posted`: found on the server after the answer was lost.
    pub recovered: u64,
    pub deleted: u64,
    /// Chunks whose latest attempt in the run failed, and why.
    pub failed: Vec<(ChunkId, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-07T10:00:00Z")
            .unwrap()
            .into()
    }

    fn attempt(run: u32, tweet: &str, chunk: usize) -> Record {
        Record::Attempt {
            run,
            tweet_id: tweet.into(),
            chunk,
            key: format!("k-{tweet}-{chunk}"),
            in_reply_to_id: None,
            at: at(),
        }
    }

    fn posted(run: u32, tweet: &str, chunk: usize, status: &str, media: &[&str]) -> Record {
        Record::Posted {
            run,
            tweet_id: tweet.into(),
            chunk,
            total: 2,
            status_id: status.into(),
            url: Some(format!("https://i.example/@me/{status}")),
            media_ids: media.iter().map(|m| m.to_string()).collect(),
            at: at(),
            recovered: false,
        }
    }

    fn journal(records: Vec<Record>) -> (tempfile::TempDir, Journal) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("posts.jsonl");
        let mut journal = Journal::open(&path, HINT).unwrap();
        for record in records {
            journal.write(record).unwrap();
        }
        (dir, journal)
    }

    #[test]
    fn folds_made_unconfirmed_and_unattached() {
        let media = Record::Media {
            tweet_id: "2".into(),
            chunk: 0,
            file: "data/tweets_media/2-a.jpg".into(),
            media_id: "m1".into(),
            at: at(),
        };
        let failed = Record::Failed {
            run: 1,
            tweet_id: "3".into(),
            chunk: 0,
            reason: "422".into(),
            maybe_done: false,
            stopped: false,
        };
        let lost = Record::Failed {
            run: 1,
            tweet_id: "4".into(),
            chunk: 0,
            reason: "timeout".into(),
            maybe_done: true,
            stopped: false,
        };
        let (_dir, journal) = journal(vec![
            attempt(1, "1", 0),
            posted(1, "1", 0, "s1", &[]),
            media,
            attempt(1, "2", 0),
            attempt(1, "3", 0),
            failed,
            attempt(1, "4", 0),
            lost,
        ]);
        assert_eq!(journal.made().len(), 1);
        let open: Vec<String> = journal
            .unconfirmed()
            .iter()
            .map(|u| u.tweet_id.clone())
            .collect();
        assert_eq!(open, ["2", "4"]);
        assert_eq!(journal.unattached().len(), 1);
        let tally = journal.tally(1);
        assert_eq!((tally.posted, tally.failed.len()), (1, 2));
    }

    #[test]
    fn a_post_the_run_stopped_before_is_closed_and_not_failed() {
        let stopped = Record::Failed {
            run: 1,
            tweet_id: "2".into(),
            chunk: 0,
            reason: "rate limited".into(),
            maybe_done: false,
            stopped: true,
        };
        let (_dir, journal) = journal(vec![
            attempt(1, "1", 0),
            posted(1, "1", 0, "s1", &[]),
            attempt(1, "2", 0),
            stopped,
        ]);
        assert!(journal.unconfirmed().is_empty());
        let tally = journal.tally(1);
        assert_eq!((tally.posted, tally.failed.len()), (1, 0));
    }

    #[test]
    fn a_post_consumes_its_uploads_and_an_undo_its_status() {
        let media = Record::Media {
            tweet_id: "2".into(),
            chunk: 0,
            file: "f".into(),
            media_id: "m1".into(),
            at: at(),
        };
        let deleted = Record::Deleted {
            run: 2,
            tweet_id: "1".into(),
            chunk: 0,
            status_id: "s1".into(),
        };
        let (_dir, journal) = journal(vec![
            posted(1, "1", 0, "s1", &[]),
            posted(1, "1", 1, "s2", &[]),
            media,
            posted(1, "2", 0, "s3", &["m1"]),
            deleted,
        ]);
        assert!(journal.unattached().is_empty());
        let left: Vec<String> = journal
            .made_by(1)
            .into_iter()
            .map(|(_, m)| m.status_id)
            .collect();
        assert_eq!(left, ["s3", "s2"]);
        assert_eq!(journal.generations().get(&("1".to_string(), 0)), Some(&1));
        assert_eq!(journal.tally(2).deleted, 1);
    }
}
