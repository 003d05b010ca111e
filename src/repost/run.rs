//! Sending composed posts: per chunk, upload its media from the archive, resolve what it
//! answers and the quote link from the journal, then create the status with its idempotency
//! key, journaling an `attempt` before and a `posted` after. And the undo: delete what a run
//! made, newest first.
//!
//! Safety against posting twice:
//! - on a server that honours `Idempotency-Key` (Mastodon: for an hour) the client may
//!   resend a post whose answer was lost, and a rerun within the hour resends with the same
//!   key;
//! - elsewhere (GoToSocial ignores the key), and after the hour, a post whose answer was lost
//!   is looked for among the account's statuses ([`found`](super::found)) before it is sent
//!   again, both within a run and when a rerun meets the journal's unconfirmed attempt.
//!
//! A refusal (4xx) fails the chunk and the rest of its tweet, and the run goes on; a server
//! that cannot be reached twice in a row, a rate limit beyond `--max-wait`, a refused token or
//! Ctrl-C stop the run, which a rerun continues.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use chrono::Utc;

use super::backdate::{self, Backdate};
use super::compose::{Chunk, Post, QuoteTarget, ReplyTarget};
use super::found::{self, Sent};
use super::journal::{ChunkId, Journal, Made, Record, Uploaded};
use super::media::{self, UploadLimits};
use crate::archive::Archive;
use crate::fedi::{Capabilities, Client, Error, MediaUpload, NewStatus, Posted, Repeat, Status};
pub use crate::stop::Stop;
use crate::stop::is_fatal;

/// A key the server remembers for an hour (Mastodon); resend within this much of the attempt.
const KEY_FRESH: chrono::Duration = chrono::Duration::minutes(50);
/// An upload older than this may have been cleaned up by the server: upload again.
const UPLOAD_FRESH: chrono::Duration = chrono::Duration::hours(12);

/// What the sender reports as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// A status was made (or found made, after its answer was lost).
    Posted {
        tweet_id: &'a str,
        chunk: usize,
        total: usize,
        status: &'a Status,
        recovered: bool,
    },
    /// A chunk could not be posted; the run goes on.
    Failed {
        tweet_id: &'a str,
        chunk: usize,
        reason: &'a str,
    },
    /// A media file left out, and why.
    MediaSkipped { tweet_id: &'a str, why: String },
    /// A status deleted by an undo (or already gone).
    Deleted { status_id: &'a str },
}

/// The fixed facts of a run.
#[derive(Debug, Clone)]
pub struct Setup {
    pub run: u32,
    /// Our account's id on the instance (to list its statuses).
    pub account_id: String,
    pub capabilities: Capabilities,
    pub uploads: UploadLimits,
    pub backdate: Backdate,
}

/// Sends posts for one run, keeping what the journal knows at hand.
pub struct Sender<'a> {
    client: &'a Client,
    archive: &'a Archive,
    journal: &'a mut Journal,
    setup: Setup,
    made: HashMap<ChunkId, Made>,
    generations: HashMap<ChunkId, u32>,
    unattached: HashMap<(String, usize, String), Uploaded>,
    unconfirmed: HashMap<ChunkId, super::journal::Unconfirmed>,
    /// The latest status made, where a backdated post sent after it lands next.
    last_made: Option<String>,
}

/// An earlier run's split of a tweet that differs from today's: parts made, parts then.
struct EarlierSplit {
    made: usize,
    total: usize,
}

/// What became of a chunk.
enum ChunkResult {
    Made,
    /// Refused or impossible; the reason was journaled and reported.
    Failed,
}

impl<'a> Sender<'a> {
    pub fn new(
        client: &'a Client,
        archive: &'a Archive,
        journal: &'a mut Journal,
        setup: Setup,
    ) -> Self {
        let made = journal.made();
        let generations = journal.generations();
        let unattached = journal.unattached();
        let unconfirmed = journal
            .unconfirmed()
            .into_iter()
            .map(|u| ((u.tweet_id.clone(), u.chunk), u))
            .collect();
        let last_made = journal.records().iter().rev().find_map(|r| match r {
            Record::Posted { status_id, .. } => Some(status_id.clone()),
            _ => None,
        });
        Self {
            client,
            archive,
            journal,
            setup,
            made,
            generations,
            unattached,
            unconfirmed,
            last_made,
        }
    }

    /// The chunks still to make for `post`. A tweet an earlier run posted whole, split
    /// otherwise than now (an option that changes the length, such as `--content-warning` or
    /// `--date-footer`, changed between runs), has none: its parts now would repeat its text.
    pub fn pending<'p>(&self, post: &'p Post) -> Vec<&'p Chunk> {
        if let Some(split) = self.earlier_split(post) {
            if split.made >= split.total {
                return Vec::new();
            }
            // Never continued, but counted, so that `send` names it.
            return post.chunks.last().into_iter().collect();
        }
        post.chunks
            .iter()
            .filter(|c| !self.made.contains_key(&(post.tweet_id.clone(), c.index)))
            .collect()
    }

    /// How many statuses of `post` earlier runs made (in their split of it).
    pub fn made_count(&self, post: &Post) -> usize {
        match self.earlier_split(post) {
            Some(split) => split.made,
            None => post
                .chunks
                .iter()
                .filter(|c| self.made.contains_key(&(post.tweet_id.clone(), c.index)))
                .count(),
        }
    }

    /// How an earlier run split `post`, when that differs from its split now.
    fn earlier_split(&self, post: &Post) -> Option<EarlierSplit> {
        let first = self.made.get(&(post.tweet_id.clone(), 0))?;
        if first.total == post.chunks.len() {
            return None;
        }
        let made = (0..first.total)
            .filter(|i| self.made.contains_key(&(post.tweet_id.clone(), *i)))
            .count();
        Some(EarlierSplit {
            made,
            total: first.total,
        })
    }

    /// Unconfirmed attempts the journal holds (their tweets are checked when reached).
    pub fn unconfirmed_tweets(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.unconfirmed.keys().map(|(t, _)| t.clone()).collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Makes every chunk of `post` not made yet, in order. A chunk that fails leaves the
    /// rest of its tweet unmade (they would answer nothing).
    pub async fn send(&mut self, post: &Post, on: &mut dyn FnMut(Event<'_>)) -> Result<(), Stop> {
        if let Some(split) = self.earlier_split(post) {
            if split.made < split.total
                && let Some(first) = post.chunks.first()
            {
                // Named by the part the earlier run would have made next.
                let next = Chunk {
                    index: split.made,
                    ..first.clone()
                };
                let why = format!(
                    "an earlier run posted {} of its {} part(s), and with today's options it \
                     makes {}; rerun with the options of that run (such as --content-warning \
                     or --date-footer) to post the rest",
                    split.made,
                    split.total,
                    post.chunks.len()
                );
                self.fail(post, &next, why, on)?;
            }
            return Ok(());
        }
        for chunk in &post.chunks {
            let id = (post.tweet_id.clone(), chunk.index);
            if self.made.contains_key(&id) {
                continue;
            }
            if let ChunkResult::Failed = self.send_chunk(post, chunk, on).await? {
                break;
            }
        }
        Ok(())
    }

    async fn send_chunk(
        &mut self,
        post: &Post,
        chunk: &Chunk,
        on: &mut dyn FnMut(Event<'_>),
    ) -> Result<ChunkResult, Stop> {
        let reply = match self.reply_target(post, chunk) {
            Ok(reply) => reply,
            Err(why) => return self.fail(post, chunk, why, on),
        };
        let text = self.text_of(post, chunk);
        let media_ids = match self.media_for(post, chunk, on).await? {
            Some(ids) => ids,
            None => {
                let why = "its media could not be uploaded; a rerun tries again".to_string();
                return self.fail(post, chunk, why, on);
            }
        };
        if text.trim().is_empty() && media_ids.is_empty() {
            let why = "nothing is left to post once its media were left out".to_string();
            return self.fail(post, chunk, why, on);
        }
        let status = NewStatus {
            text,
            media_ids,
            in_reply_to_id: reply,
            sensitive: chunk.sensitive,
            spoiler_text: chunk.spoiler_text.clone(),
            visibility: Some(chunk.visibility),
            language: chunk.language.clone(),
            scheduled_at: backdate::scheduled_at(
                self.setup.backdate,
                self.setup.capabilities.can_backdate,
                post.created_at,
                Utc::now(),
            ),
        };
        let id = (post.tweet_id.clone(), chunk.index);
        let key = self.key_of(chunk, &id);
        if let Some(open) = self.unconfirmed.remove(&id) {
            let fresh = Utc::now() - open.at < KEY_FRESH && open.key == key;
            let resend_is_safe = self.setup.capabilities.honours_idempotency_key && fresh;
            if !resend_is_safe && let Some(found) = self.look_for(&status).await? {
                return self.made(post, chunk, &status, found, true, on);
            }
        }
        self.create(post, chunk, status, &key, on).await
    }

    /// Sends the status; after a failure that may have reached the server, looks for it, and
    /// sends once more when it is not there.
    async fn create(
        &mut self,
        post: &Post,
        chunk: &Chunk,
        status: NewStatus,
        key: &str,
        on: &mut dyn FnMut(Event<'_>),
    ) -> Result<ChunkResult, Stop> {
        let repeat = if self.setup.capabilities.honours_idempotency_key {
            Repeat::Safe
        } else {
            Repeat::Unsafe
        };
        let mut tries = 0;
        loop {
            tries += 1;
            self.journal.write(Record::Attempt {
                run: self.setup.run,
                tweet_id: post.tweet_id.clone(),
                chunk: chunk.index,
                key: key.to_string(),
                in_reply_to_id: status.in_reply_to_id.clone(),
                at: Utc::now(),
            })?;
            let err = match self.client.create_status(&status, key, repeat).await {
                Ok(Posted::Status(made)) => {
                    return self.made(post, chunk, &status, *made, false, on);
                }
                Ok(Posted::Scheduled(scheduled)) => {
                    let _ = self.client.cancel_scheduled(&scheduled.id).await;
                    let why = format!(
                        "the instance scheduled it for {} instead of posting it (is this \
                         machine's clock ahead of the server's?); the scheduled post was \
                         cancelled",
                        scheduled.scheduled_at
                    );
                    return self.fail(post, chunk, why, on);
                }
                Err(err) => err,
            };
            if !err.may_have_taken_effect() || err.is_interrupted() {
                if !err.is_interrupted() {
                    self.record_failure(post, chunk, &err.to_string(), is_fatal(&err))?;
                }
                if is_fatal(&err) {
                    return Err(err.into());
                }
                return self.fail(post, chunk, err.to_string(), on);
            }
            if let Some(found) = self.look_for(&status).await? {
                return self.made(post, chunk, &status, found, true, on);
            }
            self.record_failure(post, chunk, &err.to_string(), false)?;
            if tries >= 2 {
                return Err(err.into());
            }
        }
    }

    /// Journals and reports a made status.
    fn made(
        &mut self,
        post: &Post,
        chunk: &Chunk,
        sent: &NewStatus,
        status: Status,
        recovered: bool,
        on: &mut dyn FnMut(Event<'_>),
    ) -> Result<ChunkResult, Stop> {
        self.journal.write(Record::Posted {
            run: self.setup.run,
            tweet_id: post.tweet_id.clone(),
            chunk: chunk.index,
            total: chunk.total,
            status_id: status.id.clone(),
            url: status.url.clone().or_else(|| Some(status.uri.clone())),
            media_ids: sent.media_ids.clone(),
            at: Utc::now(),
            recovered,
        })?;
        let made = Made {
            run: self.setup.run,
            status_id: status.id.clone(),
            url: status.url.clone(),
            total: chunk.total,
        };
        self.made.insert((post.tweet_id.clone(), chunk.index), made);
        self.last_made = Some(status.id.clone());
        on(Event::Posted {
            tweet_id: &post.tweet_id,
            chunk: chunk.index,
            total: chunk.total,
            status: &status,
            recovered,
        });
        Ok(ChunkResult::Made)
    }

    /// Closes the chunk's attempt: refused, or (`stopped`) never sent because the whole run
    /// stops (a rate limit beyond `--max-wait`, a refused token), which is no failure of it.
    fn record_failure(
        &mut self,
        post: &Post,
        chunk: &Chunk,
        reason: &str,
        stopped: bool,
    ) -> Result<(), Stop> {
        self.journal.write(Record::Failed {
            run: self.setup.run,
            tweet_id: post.tweet_id.clone(),
            chunk: chunk.index,
            reason: reason.to_string(),
            maybe_done: false,
            stopped,
        })?;
        Ok(())
    }

    /// Reports a failed chunk (journaled when it was attempted).
    fn fail(
        &mut self,
        post: &Post,
        chunk: &Chunk,
        why: String,
        on: &mut dyn FnMut(Event<'_>),
    ) -> Result<ChunkResult, Stop> {
        let attempted = self.journal.records().last().is_some_and(|r| {
            matches!(r, Record::Failed { tweet_id, chunk: c, .. }
                if *tweet_id == post.tweet_id && *c == chunk.index)
        });
        if !attempted {
            self.record_failure(post, chunk, &why, false)?;
        }
        on(Event::Failed {
            tweet_id: &post.tweet_id,
            chunk: chunk.index,
            reason: &why,
        });
        Ok(ChunkResult::Failed)
    }

    /// The status this chunk answers: the previous chunk, or our copy of the tweet it
    /// answers (its last chunk), or none. An error when the previous chunk is not there.
    fn reply_target(&self, post: &Post, chunk: &Chunk) -> Result<Option<String>, String> {
        match &chunk.reply_to {
            None => Ok(None),
            Some(ReplyTarget::PreviousChunk) => {
                let previous = (post.tweet_id.clone(), chunk.index.saturating_sub(1));
                self.made
                    .get(&previous)
                    .map(|m| Some(m.status_id.clone()))
                    .ok_or_else(|| "the part before it was not posted".to_string())
            }
            Some(ReplyTarget::Tweet(parent)) => Ok(self.last_status_of(parent)),
        }
    }

    /// Our copy of a tweet's last chunk.
    fn last_status_of(&self, tweet_id: &str) -> Option<String> {
        let first = self.made.get(&(tweet_id.to_string(), 0))?;
        let last = (tweet_id.to_string(), first.total.saturating_sub(1));
        self.made.get(&last).map(|m| m.status_id.clone())
    }

    /// The chunk's text, with a link to one of our own tweets pointed at our copy.
    fn text_of(&self, post: &Post, chunk: &Chunk) -> String {
        let (Some(QuoteTarget::Own(quoted)), Some(placeholder)) =
            (&post.quote, &chunk.quote_placeholder)
        else {
            return chunk.text.clone();
        };
        match self
            .made
            .get(&(quoted.clone(), 0))
            .and_then(|m| m.url.as_deref())
        {
            Some(url) => chunk.text.replacen(placeholder.as_str(), url, 1),
            None => chunk.text.clone(),
        }
    }

    /// The chunk's idempotency key: a chunk posted again after an undo gets a new one.
    fn key_of(&self, chunk: &Chunk, id: &ChunkId) -> String {
        match self.generations.get(id) {
            Some(&n) if n > 0 => format!("{}-r{n}", chunk.idempotency_key),
            _ => chunk.idempotency_key.clone(),
        }
    }

    /// Uploads (or reuses) the chunk's media; files the instance cannot take are left out
    /// with a warning. `None` when an upload failed in a way a rerun may fix.
    async fn media_for(
        &mut self,
        post: &Post,
        chunk: &Chunk,
        on: &mut dyn FnMut(Event<'_>),
    ) -> Result<Option<Vec<String>>, Stop> {
        let mut ids = Vec::new();
        for item in &chunk.media {
            let slot = (post.tweet_id.clone(), chunk.index, item.file.clone());
            if let Some(reused) = self.reusable(&slot).await? {
                ids.push(reused);
                continue;
            }
            let upload = match self.read_media(item) {
                Ok(upload) => upload,
                Err(why) => {
                    let why = format!("{} is left out: {why}", item.file);
                    on(Event::MediaSkipped {
                        tweet_id: &post.tweet_id,
                        why,
                    });
                    continue;
                }
            };
            match self.client.upload_media(&upload).await {
                Ok(done) => {
                    self.journal.write(Record::Media {
                        tweet_id: post.tweet_id.clone(),
                        chunk: chunk.index,
                        file: item.file.clone(),
                        media_id: done.id.clone(),
                        at: Utc::now(),
                    })?;
                    ids.push(done.id);
                }
                Err(err) if is_fatal(&err) => return Err(err.into()),
                Err(Error::Api(api)) if (400..500).contains(&api.status) => {
                    let why = format!(
                        "{} is left out: the instance refused it ({})",
                        item.file,
                        api.server_message()
                            .unwrap_or_else(|| format!("HTTP {}", api.status))
                    );
                    on(Event::MediaSkipped {
                        tweet_id: &post.tweet_id,
                        why,
                    });
                }
                Err(Error::MediaTimeout { .. }) => return Ok(None),
                Err(err) => return Err(err.into()),
            }
        }
        Ok(Some(ids))
    }

    /// An upload of this file made earlier and still usable (recent, and the server still
    /// has it).
    async fn reusable(&mut self, slot: &(String, usize, String)) -> Result<Option<String>, Stop> {
        let Some(uploaded) = self.unattached.remove(slot) else {
            return Ok(None);
        };
        if Utc::now() - uploaded.at > UPLOAD_FRESH {
            return Ok(None);
        }
        match self.client.media(&uploaded.media_id).await {
            Ok(state) => {
                let done = self.client.wait_for_media(state).await?;
                Ok(Some(done.id))
            }
            Err(err) if is_fatal(&err) => Err(err.into()),
            Err(_) => Ok(None),
        }
    }

    /// Reads a media file from the archive, refusing what the instance cannot take.
    fn read_media(&self, item: &media::ChunkMedia) -> Result<MediaUpload, String> {
        let mime = media::mime_type(&item.file)
            .ok_or_else(|| "fedimigrate does not know this kind of file".to_string())?;
        let cap = self
            .setup
            .uploads
            .video_size_limit
            .max(self.setup.uploads.image_size_limit)
            .unwrap_or(200_000_000);
        let bytes = self
            .archive
            .read_file(&item.file, |r: &mut dyn Read| -> anyhow::Result<Vec<u8>> {
                let mut bytes = Vec::new();
                r.take(cap + 1).read_to_end(&mut bytes)?;
                Ok(bytes)
            })
            .map_err(|err| format!("it cannot be read from the archive ({err})"))?;
        if let Some(why) = media::refusal(&self.setup.uploads, mime, bytes.len() as u64) {
            return Err(why);
        }
        let file_name = item
            .file
            .rsplit('/')
            .next()
            .unwrap_or(&item.file)
            .to_string();
        Ok(MediaUpload {
            file_name,
            mime_type: mime.to_string(),
            bytes: bytes.into(),
            description: item.description.clone(),
            focus: None,
        })
    }

    /// Looks for a post we sent among the account's statuses: the latest, and those right
    /// after our latest status (where a backdated post lands).
    async fn look_for(&self, sent: &NewStatus) -> Result<Option<Status>, Stop> {
        let shape = Sent {
            text: &sent.text,
            spoiler_text: sent.spoiler_text.as_deref(),
            in_reply_to_id: sent.in_reply_to_id.as_deref(),
            media: sent.media_ids.len(),
            dated: sent.scheduled_at,
        };
        // A status the journal gives to another tweet is not this one, however alike (an
        // archive may say the same words twice).
        let known: HashSet<&str> = self.made.values().map(|m| m.status_id.as_str()).collect();
        let account = &self.setup.account_id;
        let mut pages = vec![self.client.account_statuses(account, None, 40).await?];
        if sent.scheduled_at.is_some() {
            let after = self.last_made.as_deref().unwrap_or("0");
            pages.push(
                self.client
                    .account_statuses(account, Some(after), 40)
                    .await?,
            );
        }
        Ok(pages
            .into_iter()
            .flatten()
            .filter(|status| !known.contains(status.id.as_str()))
            .find(|status| found::is_ours(status, &shape)))
    }
}

/// Deletes the statuses run `of` made, newest first, journaling each under `run` (the undo).
/// A status already gone counts as deleted.
pub async fn undo(
    client: &Client,
    journal: &mut Journal,
    run: u32,
    of: u32,
    on: &mut dyn FnMut(Event<'_>),
) -> Result<(), Stop> {
    for ((tweet_id, chunk), made) in journal.made_by(of) {
        match client.delete_status(&made.status_id).await {
            Ok(()) => {}
            Err(err) if err.is_not_found() => {}
            Err(err) => return Err(err.into()),
        }
        journal.write(Record::Deleted {
            run,
            tweet_id,
            chunk,
            status_id: made.status_id.clone(),
        })?;
        on(Event::Deleted {
            status_id: &made.status_id,
        });
    }
    Ok(())
}
