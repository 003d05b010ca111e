//! `fedimigrate export`: write parsed archive records (follows, tweets, likes, lists) for
//! scripts, as CSV, one JSON array, or JSON Lines.
//!
//! Records stream from the archive to the output one at a time, so memory stays flat whatever
//! the archive's size. With `-o FILE` the output goes to a temporary file beside FILE that is
//! renamed over it only when everything was written: a failure never leaves half a file (a
//! device or a FIFO, such as `/dev/null`, is written straight to instead). A CSV
//! always starts with its header row, even without records. Only the archive's warnings about
//! what is exported are shown, plus a note when the archive has no such records at all.

use std::io::{self, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use super::Env;
use crate::archive::{Archive, ListRef, ListRole, Relation, Topic, Tweet};
use crate::atomic::Failure;
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub archive: PathBuf,
    pub what: What,
    pub format: Format,
    /// `None` (or `-`) is standard output.
    pub output: Option<PathBuf>,
}

/// The record kinds `export` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Following,
    Followers,
    Blocks,
    Mutes,
    Tweets,
    Likes,
    Lists,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Jsonl,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    let warnings = tokio::task::spawn_blocking(move || export(&config))
        .await
        .context("the archive reader stopped unexpectedly")??;
    for warning in warnings {
        env.ui.warn(warning);
    }
    Ok(Outcome::Done)
}

/// Opens the archive and writes the records; returns the warnings about them.
fn export(config: &Config) -> anyhow::Result<Vec<String>> {
    let archive = Archive::open(&config.archive)?;
    match config.output.as_deref() {
        Some(path) if path != Path::new("-") => {
            write_file(path, |out| write(&archive, config, out))?
        }
        _ => write(&archive, config, &mut crate::stdout::lock())?,
    }
    let topic = config.what.topic();
    let mut warnings = archive.warnings_about(&config.what.topics());
    if !archive.holds(topic) {
        warnings.push(lacking(&archive, config.what));
    }
    Ok(warnings)
}

/// The note for an archive without any file of what is exported.
fn lacking(archive: &Archive, what: What) -> String {
    let name = what.name();
    if archive.layout() == crate::archive::Layout::Grailbird {
        format!(
            "a Grailbird archive (before 2019) holds only tweets, so it has no {name} to export"
        )
    } else {
        format!(
            "{} has no file of {name}, so there are none to export",
            archive.path().display()
        )
    }
}

impl What {
    /// What the archive's warnings about these records are about.
    fn topic(self) -> Topic {
        match self {
            What::Following => Topic::Following,
            What::Followers => Topic::Followers,
            What::Blocks => Topic::Blocks,
            What::Mutes => Topic::Mutes,
            What::Tweets => Topic::Tweets,
            What::Likes => Topic::Likes,
            What::Lists => Topic::Lists,
        }
    }

    /// The warning topics that concern these records: tweets also depend on the owner (whose
    /// own threads are told by the account id and past usernames).
    fn topics(self) -> Vec<Topic> {
        match self {
            What::Tweets => vec![Topic::Tweets, Topic::Owner],
            other => vec![other.topic()],
        }
    }

    /// The records in a sentence: "follows", "likes".
    fn name(self) -> &'static str {
        match self {
            What::Following => "follows",
            What::Followers => "followers",
            What::Blocks => "blocks",
            What::Mutes => "mutes",
            What::Tweets => "tweets",
            What::Likes => "likes",
            What::Lists => "lists",
        }
    }
}

/// Writes the chosen records in the chosen format.
fn write(archive: &Archive, config: &Config, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut sink = Sink::new(config.format, out);
    match config.what {
        What::Following => ids(archive, Relation::Following, &mut sink)?,
        What::Followers => ids(archive, Relation::Followers, &mut sink)?,
        What::Blocks => ids(archive, Relation::Blocks, &mut sink)?,
        What::Mutes => ids(archive, Relation::Mutes, &mut sink)?,
        What::Tweets => {
            archive.for_each_tweet::<anyhow::Error>(|tweet| {
                sink.record(&tweet, || TweetRow::from(&tweet))?;
                Ok(ControlFlow::Continue(()))
            })?;
            return sink.finish(&TweetRow::default());
        }
        What::Likes => {
            archive.for_each_like::<anyhow::Error>(|like| {
                sink.record(&like, || like.clone())?;
                Ok(ControlFlow::Continue(()))
            })?;
            return sink.finish(&crate::archive::Like::default());
        }
        What::Lists => {
            for list in archive.lists()? {
                sink.record(&list, || list.clone())?;
            }
            let example = ListRef {
                role: ListRole::Created,
                url: String::new(),
            };
            return sink.finish(&example);
        }
    }
    sink.finish(&IdRow::default())
}

#[derive(Serialize, Clone, Default)]
struct IdRow {
    account_id: String,
}

fn ids(archive: &Archive, relation: Relation, sink: &mut Sink<'_>) -> anyhow::Result<()> {
    archive.for_each_account_id::<anyhow::Error>(relation, |account_id| {
        let row = IdRow { account_id };
        sink.record(&row, || row.clone())?;
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(())
}

/// A tweet flattened for CSV: lists become space-separated cells.
#[derive(Serialize, Default)]
struct TweetRow<'a> {
    id: &'a str,
    created_at: String,
    text: &'a str,
    in_reply_to_status_id: Option<&'a str>,
    in_reply_to_user_id: Option<&'a str>,
    in_reply_to_screen_name: Option<&'a str>,
    is_self_reply: bool,
    is_retweet: bool,
    is_quote: bool,
    quoted_url: Option<&'a str>,
    is_note: bool,
    lang: Option<&'a str>,
    mentions: String,
    urls: String,
    media_files: String,
}

impl<'a> From<&'a Tweet> for TweetRow<'a> {
    fn from(t: &'a Tweet) -> Self {
        let mentions: Vec<&str> = t.mentions.iter().map(|m| m.screen_name.as_str()).collect();
        let media: Vec<&str> = t.media.iter().filter_map(|m| m.file.as_deref()).collect();
        Self {
            id: &t.id,
            created_at: t
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            text: &t.text,
            in_reply_to_status_id: t.in_reply_to_status_id.as_deref(),
            in_reply_to_user_id: t.in_reply_to_user_id.as_deref(),
            in_reply_to_screen_name: t.in_reply_to_screen_name.as_deref(),
            is_self_reply: t.is_self_reply,
            is_retweet: t.is_retweet,
            is_quote: t.is_quote,
            quoted_url: t.quoted_url.as_deref(),
            is_note: t.is_note,
            lang: t.lang.as_deref(),
            mentions: mentions.join(" "),
            urls: t.urls.join(" "),
            media_files: media.join(" "),
        }
    }
}

/// Where records go, in one of the three formats.
enum Sink<'w> {
    Json {
        out: io::BufWriter<&'w mut dyn Write>,
        first: bool,
    },
    Jsonl(io::BufWriter<&'w mut dyn Write>),
    Csv {
        out: Box<csv::Writer<&'w mut dyn Write>>,
        empty: bool,
    },
}

impl<'w> Sink<'w> {
    fn new(format: Format, out: &'w mut dyn Write) -> Self {
        match format {
            Format::Json => Sink::Json {
                out: io::BufWriter::new(out),
                first: true,
            },
            Format::Jsonl => Sink::Jsonl(io::BufWriter::new(out)),
            Format::Csv => Sink::Csv {
                out: Box::new(csv::Writer::from_writer(out)),
                empty: true,
            },
        }
    }

    /// Writes one record: `full` for JSON, `flat()` for CSV.
    fn record<T: Serialize, F: Serialize>(
        &mut self,
        full: &T,
        flat: impl FnOnce() -> F,
    ) -> anyhow::Result<()> {
        match self {
            Sink::Json { out, first } => {
                out.write_all(if *first { b"[\n" } else { b",\n" })?;
                *first = false;
                serde_json::to_writer(&mut *out, full).map_err(io::Error::from)?;
            }
            Sink::Jsonl(out) => {
                serde_json::to_writer(&mut *out, full).map_err(io::Error::from)?;
                out.write_all(b"\n")?;
            }
            Sink::Csv { out, empty } => {
                out.serialize(flat()).map_err(csv_error)?;
                *empty = false;
            }
        }
        Ok(())
    }

    /// Ends the output. A CSV without records still gets the header row, taken from
    /// `example` (a flat record of the kind written).
    fn finish<F: Serialize>(self, example: &F) -> anyhow::Result<()> {
        match self {
            Sink::Json { mut out, first } => {
                out.write_all(if first { b"[]\n" } else { b"\n]\n" })?;
                out.flush()?;
            }
            Sink::Jsonl(mut out) => out.flush()?,
            Sink::Csv { mut out, empty } => {
                if empty {
                    out.write_record(&csv_header(example)?).map_err(csv_error)?;
                }
                out.flush()?;
            }
        }
        Ok(())
    }
}

/// The header row the CSV writer makes for records like `example`.
fn csv_header<F: Serialize>(example: &F) -> anyhow::Result<csv::StringRecord> {
    let mut probe = csv::Writer::from_writer(Vec::new());
    probe.serialize(example).map_err(csv_error)?;
    let bytes = probe
        .into_inner()
        .map_err(|e| csv_error(e.into_error().into()))?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    Ok(reader.headers().map_err(csv_error)?.clone())
}

/// Keeps a CSV write failure an `io::Error` (a closed pipe is then recognised as such).
fn csv_error(err: csv::Error) -> anyhow::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => anyhow::anyhow!("cannot write CSV: {other:?}"),
    }
}

/// Writes `path` whole or not at all through [`crate::atomic`] (a device or a FIFO such as
/// `/dev/null` is written straight to). A missing folder is an error naming the file as
/// given, not a folder to create.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        anyhow::bail!(
            "cannot write {}: the folder {} does not exist",
            path.display(),
            dir.display()
        );
    }
    crate::atomic::write_with(path, false, write).map_err(|failure| match failure {
        Failure::Fill(err) => err,
        Failure::Io(err) => {
            anyhow::Error::new(err).context(format!("cannot write {}", path.display()))
        }
    })
}
