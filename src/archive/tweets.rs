//! The tweet scan: every tweet part, streamed, with circle and deleted tweets left out, edits
//! collapsed to their last version, and long posts matched to their notes.
//!
//! The scan is generic over what is made of each record (`convert`) and what is done with it
//! (`accept`), so `inspect` can count with a few bytes per tweet while `for_each_tweet` builds
//! full [`Tweet`](super::Tweet)s, both through the same filtering rules. Only edited tweets
//! are held back (one item per edit chain, emitted at the end, once the last version is known).

use std::collections::{HashMap, HashSet};
use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use serde::de::Error as _;

use super::date;
use super::error::ArchiveError;
use super::files::Part;
use super::jsfile::{self, Fail, Parsed, Records, Step};
use super::notes::{Note, Notes};
use super::rawtweet::{RawTweet, Wrapped};
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
}

/// Everything the scan needs besides the callbacks.
pub struct ScanInput<'a> {
    pub source: &'a Source,
    pub parts: &'a [Part],
    pub hidden: &'a Hidden,
    pub notes: &'a mut Notes,
}

/// The scan's mutable state while it walks the records.
struct State<'n, I> {
    notes: &'n mut Notes,
    edits: HashMap<String, (usize, I)>,
    stats: ScanStats,
}

/// Scans every tweet, calling `convert` on each record kept and `accept` on each result.
pub fn scan<I, E>(
    input: ScanInput<'_>,
    mut convert: impl FnMut(&RawTweet<'_>, &str, DateTime<Utc>, Option<&Note>) -> I,
    mut accept: impl FnMut(I) -> Result<ControlFlow<()>, E>,
) -> Result<ScanStats, E>
where
    E: From<ArchiveError>,
{
    let mut state = State {
        notes: input.notes,
        edits: HashMap::new(),
        stats: ScanStats::default(),
    };
    for part in input.parts.iter().filter(|p| p.present) {
        let Some(entry) = input.source.find(&part.name) else {
            continue;
        };
        let place = input.source.place(entry);
        let records = input.source.with_stream(entry, |reader| {
            let mut records = Records::open(reader, place.clone())?;
            records.drive(|slice| step(slice, input.hidden, &mut state, &mut convert, &mut accept))
        })?;
        state
            .stats
            .parts
            .push((part.name.clone(), records, part.expected));
        if state.stats.stopped {
            return Ok(state.stats);
        }
    }
    finish_edits(state, accept)
}

/// Handles the record at the front of `slice`.
fn step<I, E>(
    slice: &[u8],
    hidden: &Hidden,
    state: &mut State<'_, I>,
    convert: &mut impl FnMut(&RawTweet<'_>, &str, DateTime<Utc>, Option<&Note>) -> I,
    accept: &mut impl FnMut(I) -> Result<ControlFlow<()>, E>,
) -> Result<Step, Fail<E>> {
    let parsed = if jsfile::is_wrapped(slice, "tweet") {
        match jsfile::parse_one::<Wrapped<'_>>(slice) {
            Parsed::Value(w, n) => Parsed::Value(w.tweet, n),
            Parsed::NeedMore => Parsed::NeedMore,
            Parsed::Invalid(err) => Parsed::Invalid(err),
        }
    } else {
        jsfile::parse_one::<RawTweet<'_>>(slice)
    };
    let (raw, taken) = match parsed {
        Parsed::Value(raw, n) => (raw, n),
        Parsed::NeedMore => return Ok(Step::NeedMore),
        Parsed::Invalid(err) => return Err(Fail::Json(err)),
    };
    match keep(&raw, hidden, state, convert)? {
        Some(item) => match accept(item).map_err(Fail::Caller)? {
            ControlFlow::Continue(()) => Ok(Step::Took(taken)),
            ControlFlow::Break(()) => {
                state.stats.stopped = true;
                Ok(Step::Stop(taken))
            }
        },
        None => Ok(Step::Took(taken)),
    }
}

/// Filters one record and converts it; `None` when it is hidden or held back as an edit.
fn keep<I, E>(
    raw: &RawTweet<'_>,
    hidden: &Hidden,
    state: &mut State<'_, I>,
    convert: &mut impl FnMut(&RawTweet<'_>, &str, DateTime<Utc>, Option<&Note>) -> I,
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
    let note = if state.notes.is_empty() {
        None
    } else {
        state
            .notes
            .claim(created.timestamp(), &text::decode_html(raw.raw_text()))
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
    let group = versions[0].clone();
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
