//! The tweet scan: every tweet part, streamed, with circle and deleted tweets left out, edits
//! collapsed to their last version, and long posts matched to their notes.
//!
//! The scan is generic over what is made of each record (`convert`) and what is done with it
//! (`accept`), so `inspect` can count with a few bytes per tweet while `for_each_tweet` builds
//! full [`Tweet`](super::Tweet)s, both through the same filtering rules. Only edited tweets
//! are held back (one item per edit chain, emitted at the end, once the last version is known).

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use serde::de::Error as _;

use super::csvtweets::{self, NAME};
use super::date;
use super::error::{ArchiveError, Place};
use super::fastraw::{self, Fast};
use super::files::Part;
use super::jsfile::{self, Fail, Parsed, Records, Step};
use super::notes::{self, Note, Notes};
use super::rawtweet::RawTweet;
use super::source::Source;
use super::text;

/// Tweets that must never be treated as public posts.
#[derive(Debug, Default)]
pub struct Hidden {
    /// Twitter Circle tweets (also present in `tweets.js`).
    pub circle: HashSet<String>,
    /// Deleted tweets.
    pub deleted: HashSet<String>,
}

/// What the scan saw, for checks against the manifest.
#[derive(Debug, Default)]
pub struct ScanStats {
    /// Records read per part: (root-relative name, records, count the manifest announced).
    pub parts: Vec<(String, u64, Option<u64>)>,
    /// Records skipped as circle tweets.
    pub circle_skipped: u64,
    /// Records skipped as deleted tweets.
    pub deleted_skipped: u64,
    /// Older versions of edited tweets that were dropped.
    pub edits_dropped: u64,
    /// True when `accept` asked to stop early.
    pub stopped: bool,
    /// Records read from every file (hidden ones included), for checks against totals.
    pub records: u64,
    /// Problems the scan recovered from, one sentence each.
    pub warnings: Vec<String>,
}

/// Everything the scan needs besides the callbacks.
pub struct ScanInput<'a> {
    pub source: &'a Source,
    pub parts: &'a [Part],
    pub hidden: &'a Hidden,
    pub notes: &'a mut Notes,
    /// Grailbird's `tweets.csv`: read when there are no month files, and for the tweets of
    /// month files that are missing or damaged (rows already read from a month file are
    /// skipped). Not read when every month file is there and whole.
    pub csv: Option<&'a Part>,
}

/// The scan's mutable state while it walks the records.
struct State<'n, I> {
    notes: &'n mut Notes,
    edits: HashMap<String, (usize, I)>,
    stats: ScanStats,
    /// Ids read from the month files, kept only when `tweets.csv` may have to fill gaps.
    seen: Option<HashSet<u64>>,
}

/// An error while reading one tweet file: the file's own (the csv may stand in), or the
/// caller's (always passed on).
enum PartError<E> {
    Archive(ArchiveError),
    Caller(E),
}

impl<E> From<ArchiveError> for PartError<E> {
    fn from(err: ArchiveError) -> Self {
        Self::Archive(err)
    }
}

/// The type of the callback that turns a kept record into the caller's item.
type Convert<'c, I> = dyn FnMut(&RawTweet<'_>, &str, DateTime<Utc>, Option<&Note>) -> I + 'c;

/// Scans every tweet, calling `convert` on each record kept and `accept` on each result.
pub fn scan<I, E>(
    input: ScanInput<'_>,
    mut convert: impl FnMut(&RawTweet<'_>, &str, DateTime<Utc>, Option<&Note>) -> I,
    mut accept: impl FnMut(I) -> Result<ControlFlow<()>, E>,
) -> Result<ScanStats, E>
where
    E: From<ArchiveError>,
{
    let present = input.parts.iter().filter(|p| p.present).count();
    let mut state = State {
        notes: input.notes,
        edits: HashMap::new(),
        stats: ScanStats::default(),
        seen: (input.csv.is_some() && present > 0).then(HashSet::new),
    };
    let mut gaps = present < input.parts.len() || present == 0;
    let mut damage = Vec::new();
    let mut accept_part = |item: I| accept(item).map_err(PartError::Caller);
    for part in input.parts.iter().filter(|p| p.present) {
        let Some(entry) = input.source.find(&part.name) else {
            continue;
        };
        let place = input.source.place(entry);
        let result = input.source.with_stream(entry, |reader| {
            let mut records = Records::open(reader, place.clone())?;
            records.drive(|slice| {
                step(
                    slice,
                    input.hidden,
                    &mut state,
                    &mut convert,
                    &mut accept_part,
                )
            })
        });
        match result {
            Ok(records) => state
                .stats
                .parts
                .push((part.name.clone(), records, part.expected)),
            Err(PartError::Archive(err)) if input.csv.is_some() => {
                damage.push(err);
                gaps = true;
            }
            Err(PartError::Archive(err)) => return Err(err.into()),
            Err(PartError::Caller(err)) => return Err(err),
        }
        if state.stats.stopped {
            return Ok(state.stats);
        }
    }
    if let Some(csv) = input.csv.filter(|_| gaps) {
        let rows = scan_csv(
            (input.source, input.hidden),
            csv,
            &mut state,
            &mut convert,
            &mut accept_part,
        );
        match rows {
            // A header-only csv cannot stand in for a damaged month file.
            Ok(0) if !damage.is_empty() => return Err(damage.swap_remove(0).into()),
            Ok(_) => {}
            Err(PartError::Archive(err)) => return Err(err.into()),
            Err(PartError::Caller(err)) => return Err(err),
        }
        state.stats.warnings.extend(
            damage
                .iter()
                .map(|err| err.warning(&format!("its tweets were read from {NAME} instead"))),
        );
        if state.stats.stopped {
            return Ok(state.stats);
        }
    }
    finish_edits(state, accept)
}

/// Scans the one tweet file `reader` holds with the rules of [`scan`] (filters, edits), without
/// the zip-or-folder shell and the csv stand-in: what the fuzz targets and tests feed bytes to.
pub fn scan_reader<I, E>(
    reader: &mut dyn Read,
    place: Place,
    hidden: &Hidden,
    notes: &mut Notes,
    mut convert: impl FnMut(&RawTweet<'_>, &str, DateTime<Utc>, Option<&Note>) -> I,
    mut accept: impl FnMut(I) -> Result<ControlFlow<()>, E>,
) -> Result<ScanStats, E>
where
    E: From<ArchiveError>,
{
    let mut state = State {
        notes,
        edits: HashMap::new(),
        stats: ScanStats::default(),
        seen: None,
    };
    let name = place.entry.clone();
    let mut records = Records::open(reader, place)?;
    let count =
        records.drive(|slice| step(slice, hidden, &mut state, &mut convert, &mut accept))?;
    state.stats.parts.push((name, count, None));
    if state.stats.stopped {
        return Ok(state.stats);
    }
    finish_edits(state, accept)
}

/// Reads `tweets.csv`, skipping rows already read from a month file; returns the rows read.
fn scan_csv<I, E>(
    (source, hidden): (&Source, &Hidden),
    csv: &Part,
    state: &mut State<'_, I>,
    convert: &mut Convert<'_, I>,
    accept: &mut dyn FnMut(I) -> Result<ControlFlow<()>, PartError<E>>,
) -> Result<u64, PartError<E>> {
    let Some(entry) = source.find(&csv.name) else {
        return Ok(0);
    };
    let place = source.place(entry);
    let before = state.stats.records;
    let rows = source.with_stream(entry, |reader| {
        csvtweets::each_row(reader, &place, |raw, line| {
            let seen = raw.id().and_then(|id| id.parse::<u64>().ok());
            if let (Some(ids), Some(id)) = (&state.seen, seen)
                && ids.contains(&id)
            {
                return Ok(ControlFlow::Continue(()));
            }
            handle(raw, hidden, state, convert, accept).map_err(|fail| match fail {
                Fail::Json(err) => PartError::Archive(ArchiveError::CsvInvalid {
                    place: place.clone(),
                    line,
                    detail: jsfile::json_detail(&err),
                }),
                Fail::Caller(err) => err,
            })
        })
    })?;
    let taken = state.stats.records - before;
    state.stats.parts.push((csv.name.clone(), taken, None));
    Ok(rows)
}

/// Handles the record at the front of `slice`.
fn step<I, E>(
    text: &str,
    hidden: &Hidden,
    state: &mut State<'_, I>,
    convert: &mut Convert<'_, I>,
    accept: &mut dyn FnMut(I) -> Result<ControlFlow<()>, E>,
) -> Result<Step, Fail<E>> {
    let slice = text.as_bytes();
    let wrapped = jsfile::is_wrapped(slice, "tweet");
    let parsed = match fastraw::record(text, wrapped) {
        Fast::Record(raw, n) => Parsed::Value(raw, n),
        Fast::NeedMore => Parsed::NeedMore,
        Fast::Unsure => fastraw::fallback(slice, wrapped),
    };
    let (raw, taken) = match parsed {
        Parsed::Value(raw, n) => (raw, n),
        Parsed::NeedMore => return Ok(Step::NeedMore),
        Parsed::Invalid(err) => return Err(Fail::Json(err)),
    };
    if let Some(seen) = &mut state.seen {
        seen.extend(raw.id().and_then(|id| id.parse::<u64>().ok()));
    }
    match handle(&raw, hidden, state, convert, accept)? {
        ControlFlow::Continue(()) => Ok(Step::Took(taken)),
        ControlFlow::Break(()) => Ok(Step::Stop(taken)),
    }
}

/// Filters, converts and hands out one record, whichever file it came from.
fn handle<I, E>(
    raw: &RawTweet<'_>,
    hidden: &Hidden,
    state: &mut State<'_, I>,
    convert: &mut Convert<'_, I>,
    accept: &mut dyn FnMut(I) -> Result<ControlFlow<()>, E>,
) -> Result<ControlFlow<()>, Fail<E>> {
    state.stats.records += 1;
    let Some(item) = keep(raw, hidden, state, convert)? else {
        return Ok(ControlFlow::Continue(()));
    };
    let flow = accept(item).map_err(Fail::Caller)?;
    if flow.is_break() {
        state.stats.stopped = true;
    }
    Ok(flow)
}

/// Filters one record and converts it; `None` when it is hidden or held back as an edit.
fn keep<I, E>(
    raw: &RawTweet<'_>,
    hidden: &Hidden,
    state: &mut State<'_, I>,
    convert: &mut Convert<'_, I>,
) -> Result<Option<I>, Fail<E>> {
    let id = raw
        .id()
        .ok_or_else(|| Fail::Json(serde_json::Error::custom("a tweet without `id_str`")))?;
    if hidden.circle.contains(id) {
        state.stats.circle_skipped += 1;
        return Ok(None);
    }
    if hidden.deleted.contains(id) {
        state.stats.deleted_skipped += 1;
        return Ok(None);
    }
    let created = raw
        .created_at
        .as_deref()
        .and_then(date::parse)
        .or_else(|| date::from_snowflake(id))
        .ok_or_else(|| {
            Fail::Json(serde_json::Error::custom(
                "a tweet with an unreadable `created_at`",
            ))
        })?;
    let note = if state.notes.is_empty() || super::tweet::is_retweet(raw) {
        None
    } else {
        let links_to_itself = raw.urls().iter().any(|u| {
            u.expanded_url
                .as_deref()
                .is_some_and(|url| notes::is_own_web_link(url, id))
        });
        let text = text::decode_html(raw.raw_text());
        state
            .notes
            .claim(created.timestamp(), &text, links_to_itself)
    };
    let item = convert(raw, id, created, note);
    let versions = raw.edit_ids();
    if versions.len() < 2 {
        return Ok(Some(item));
    }
    let rank = versions
        .iter()
        .position(|v| v == id)
        .unwrap_or(versions.len());
    let group = versions[0].to_string();
    match state.edits.get(&group) {
        Some((best, _)) if *best >= rank => state.stats.edits_dropped += 1,
        Some(_) => {
            state.stats.edits_dropped += 1;
            state.edits.insert(group, (rank, item));
        }
        None => {
            state.edits.insert(group, (rank, item));
        }
    }
    Ok(None)
}

/// Emits the last version of each edited tweet, in id order of the chains.
fn finish_edits<I, E>(
    state: State<'_, I>,
    mut accept: impl FnMut(I) -> Result<ControlFlow<()>, E>,
) -> Result<ScanStats, E> {
    let mut stats = state.stats;
    let mut chains: Vec<(String, I)> = state
        .edits
        .into_iter()
        .map(|(group, (_, item))| (group, item))
        .collect();
    chains.sort_by(|a, b| (a.0.len(), &a.0).cmp(&(b.0.len(), &b.0)));
    for (_, item) in chains {
        if accept(item)?.is_break() {
            stats.stopped = true;
            break;
        }
    }
    Ok(stats)
}
