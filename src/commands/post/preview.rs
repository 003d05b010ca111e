//! Streams the archive once: each tweet is selected, composed and rendered as it arrives,
//! and its rendering goes to a temporary file (unlinked at once where the system allows);
//! only its [`OrderKey`] and where its bytes lie stay in memory. The thread order is then
//! computed over the keys and the renderings copied out in that order. Nothing here knows
//! the network; it never writes anywhere but that file and the writer it is given.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::ControlFlow;

use anyhow::Context;

use super::Output;
use super::render;
use crate::archive::{Archive, ArchiveError, Tweet};
use crate::repost::{
    ComposeOptions, OrderKey, Post, Selection, SkipReason, compact_id, compose, order_keys, select,
};
use crate::ui::Ui;

/// At most this many composing failures are told one by one; the rest are counted.
const TOLD_FAILURES: usize = 20;

/// What the preview counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Public tweets the archive holds (circle and deleted tweets never reach this).
    pub read: u64,
    pub selected: u64,
    pub skipped: HashMap<SkipReason, u64>,
    /// Selected but impossible to post (no text or media, no room within the limit).
    pub unpostable: u64,
    /// Statuses to create.
    pub posts: u64,
    /// Tweets that needed more than one post.
    pub split: u64,
    /// Self-threads: a selected tweet, not itself answering a selected one, that a selected
    /// tweet answers.
    pub threads: u64,
    /// Media files to upload.
    pub media: u64,
    /// Media left out (missing from the archive, over the count…).
    pub media_left_out: u64,
}

/// One selected tweet's place in the order and in the spill file.
#[derive(Debug, Clone, Copy)]
struct Item {
    key: OrderKey<u64>,
    offset: u64,
    len: u32,
    /// Text output: the bytes before the reply clause's ending (see `render::text`); 0 when
    /// the post answers nothing.
    head: u32,
}

/// The composed posts, spilled, ready to be written in order.
pub struct Preview {
    pub counts: Counts,
    items: Vec<Item>,
    spill: File,
    output: Output,
}

/// How a composed post is kept: its bytes, appended to the buffer, and the length of the
/// text rendering's head (see `render::post`), or 0.
pub type Renderer<'a> = dyn FnMut(&Post, &mut Vec<u8>) -> Result<u32, serde_json::Error> + 'a;

/// Selects, composes and spills every tweet of `archive`, printable as `output`.
pub fn compose_all(
    archive: &Archive,
    selection: &Selection,
    options: &ComposeOptions,
    output: Output,
    ui: &Ui,
) -> anyhow::Result<Preview> {
    let mut render = |post: &Post, buf: &mut Vec<u8>| render::post(post, output, buf);
    compose_with(archive, selection, options, output, ui, &mut render)
}

/// Selects, composes and spills every tweet of `archive` as the executor reads them back:
/// each [`Post`] as JSON ([`Preview::post`]).
pub fn compose_for_sending(
    archive: &Archive,
    selection: &Selection,
    options: &ComposeOptions,
    ui: &Ui,
) -> anyhow::Result<Preview> {
    let mut render = |post: &Post, buf: &mut Vec<u8>| serde_json::to_writer(buf, post).map(|()| 0);
    compose_with(archive, selection, options, Output::Jsonl, ui, &mut render)
}

fn compose_with(
    archive: &Archive,
    selection: &Selection,
    options: &ComposeOptions,
    output: Output,
    ui: &Ui,
    render: &mut Renderer<'_>,
) -> anyhow::Result<Preview> {
    let file = spill_file().context("cannot create a temporary file for the preview")?;
    let mut spill = Spill {
        out: BufWriter::with_capacity(256 << 10, file),
        at: 0,
        buf: Vec::with_capacity(4096),
    };
    let mut counts = Counts::default();
    let mut items = Vec::new();
    let mut told = 0;
    archive.for_each_tweet(|tweet: Tweet| -> Result<ControlFlow<()>, PreviewError> {
        counts.read += 1;
        if let Err(reason) = select(&tweet, selection) {
            *counts.skipped.entry(reason).or_default() += 1;
            return Ok(ControlFlow::Continue(()));
        }
        counts.selected += 1;
        match compose(&tweet, options) {
            Ok(post) => {
                let chunks = post.chunks.len() as u64;
                counts.posts += chunks;
                counts.split += u64::from(chunks > 1);
                counts.media += post
                    .chunks
                    .iter()
                    .map(|c| c.media.len() as u64)
                    .sum::<u64>();
                counts.media_left_out += post.warnings.len() as u64;
                spill.buf.clear();
                let head = render(&post, &mut spill.buf).map_err(|source| PreviewError::Json {
                    tweet_id: post.tweet_id.clone(),
                    source,
                })?;
                let (offset, len) = spill.push()?;
                items.push(Item {
                    key: key(&tweet),
                    offset,
                    len,
                    head,
                });
            }
            Err(err) => {
                counts.unpostable += 1;
                told += 1;
                if told <= TOLD_FAILURES {
                    ui.warn(format_args!("{err}; it is left out"));
                }
            }
        }
        Ok(ControlFlow::Continue(()))
    })?;
    if told > TOLD_FAILURES {
        ui.warn(format_args!(
            "{} more tweet(s) cannot be posted and are left out",
            told - TOLD_FAILURES
        ));
    }
    let spill_file = spill.out.into_inner().map_err(|e| e.into_error())?;
    counts.threads = threads(&items);
    Ok(Preview {
        counts,
        items,
        spill: spill_file,
        output,
    })
}

/// Why streaming stopped.
#[derive(Debug, thiserror::Error)]
enum PreviewError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("cannot write the preview's temporary file: {0}")]
    Spill(#[from] io::Error),
    #[error("cannot render tweet {tweet_id} as JSON: {source}")]
    Json {
        tweet_id: String,
        source: serde_json::Error,
    },
}

fn key(tweet: &Tweet) -> OrderKey<u64> {
    OrderKey {
        created_at: tweet.created_at,
        id: compact_id(&tweet.id),
        parent: tweet.in_reply_to_status_id.as_deref().map(compact_id),
    }
}

/// The spill file being written.
struct Spill {
    out: BufWriter<File>,
    at: u64,
    /// The rendering of the current tweet.
    buf: Vec<u8>,
}

impl Spill {
    /// Appends `buf`; where it went.
    fn push(&mut self) -> io::Result<(u64, u32)> {
        let len = u32::try_from(self.buf.len()).map_err(io::Error::other)?;
        self.out.write_all(&self.buf)?;
        let offset = self.at;
        self.at += u64::from(len);
        Ok((offset, len))
    }
}

impl Preview {
    /// The posts' positions in thread order (for [`Preview::post`]).
    pub fn order(&self) -> Vec<usize> {
        let keys: Vec<OrderKey<u64>> = self.items.iter().map(|i| i.key).collect();
        order_keys(&keys)
    }

    /// The `i`th post spilled by [`compose_for_sending`].
    pub fn post(&mut self, i: usize) -> anyhow::Result<Post> {
        let item = self.items[i];
        let mut buf = vec![0; item.len as usize];
        read_at(&mut self.spill, item.offset, &mut buf)
            .context("cannot read back the composed posts' temporary file")?;
        serde_json::from_slice(&buf).context("cannot read back a composed post")
    }

    /// Copies every post out, in thread order.
    pub fn write_in_order(&mut self, out: &mut impl Write) -> anyhow::Result<()> {
        let keys: Vec<OrderKey<u64>> = self.items.iter().map(|i| i.key).collect();
        let order = order_keys(&keys);
        let selected: HashSet<u64> = keys.iter().map(|k| k.id).collect();
        drop(keys);
        let mut buf = Vec::new();
        for i in order {
            let item = self.items[i];
            buf.resize(item.len as usize, 0);
            read_at(&mut self.spill, item.offset, &mut buf)
                .context("cannot read back the preview's temporary file")?;
            if self.output == Output::Text && item.head > 0 {
                let head = item.head as usize;
                out.write_all(&buf[..head])?;
                let here = item.key.parent.is_some_and(|p| selected.contains(&p));
                out.write_all(render::reply_clause(here).as_bytes())?;
                out.write_all(&buf[head..])?;
            } else {
                out.write_all(&buf)?;
            }
        }
        Ok(())
    }
}

/// Self-threads among the selected tweets.
fn threads(items: &[Item]) -> u64 {
    let selected: HashSet<u64> = items.iter().map(|i| i.key.id).collect();
    let answered: HashSet<u64> = items
        .iter()
        .filter_map(|i| i.key.parent)
        .filter(|p| selected.contains(p))
        .collect();
    items
        .iter()
        .filter(|i| answered.contains(&i.key.id))
        .filter(|i| !i.key.parent.is_some_and(|p| selected.contains(&p)))
        .count() as u64
}

/// A new temporary file, read-write; on Unix it has no name from the start, so nothing is
/// left behind whatever happens to the process.
fn spill_file() -> io::Result<File> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!(
        "fedimigrate-post-{}-{nanos}.tmp",
        std::process::id()
    ));
    let file = File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)?;
    // Elsewhere the file cannot be removed while open: it is then left in the temp folder.
    let _ = std::fs::remove_file(&path);
    Ok(file)
}

#[cfg(unix)]
fn read_at(file: &mut File, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &mut File, offset: u64, buf: &mut [u8]) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buf)
}
