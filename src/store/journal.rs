//! A journal: the records of a command that acts on an instance (`follow`, `post`), one JSON
//! line each, fsynced as it is written, behind a [`Lock`], grouped into numbered runs.
//!
//! What the records mean belongs to each command (its own record type, implementing
//! [`Entry`]); the parts every journal shares live here: opening (locked to act, unlocked to
//! read), refusing a damaged file, appending, and folding the runs (started, paused, ended)
//! so a rerun knows whether to continue the last one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Durability, JsonLines, Lock, LockError, Options};

/// What a record says about runs, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEvent<'a> {
    Started {
        run: u32,
        undo_of: Option<u32>,
        at: DateTime<Utc>,
        input: Option<&'a str>,
        fingerprint: &'a str,
    },
    Paused {
        run: u32,
        until: DateTime<Utc>,
    },
    Ended {
        run: u32,
        complete: bool,
    },
}

/// A journal's record type.
pub trait Entry: Serialize + DeserializeOwned {
    /// The run bookkeeping this record carries.
    fn run_event(&self) -> Option<RunEvent<'_>>;
}

/// Implements [`Entry`] for a record enum whose `Run { run, undo_of, at, input,
/// fingerprint }`, `Paused { run, until }` and `End { run, complete, .. }` variants carry the
/// run bookkeeping every journal shares.
macro_rules! run_records {
    ($record:ty) => {
        impl $crate::store::Entry for $record {
            fn run_event(&self) -> Option<$crate::store::RunEvent<'_>> {
                use $crate::store::RunEvent;
                Some(match self {
                    Self::Run {
                        run,
                        undo_of,
                        at,
                        input,
                        fingerprint,
                    } => RunEvent::Started {
                        run: *run,
                        undo_of: *undo_of,
                        at: *at,
                        input: input.as_deref(),
                        fingerprint,
                    },
                    Self::Paused { run, until } => RunEvent::Paused {
                        run: *run,
                        until: *until,
                    },
                    Self::End { run, complete, .. } => RunEvent::Ended {
                        run: *run,
                        complete: *complete,
                    },
                    _ => return None,
                })
            }
        }
    };
}
pub(crate) use run_records;

/// A run, folded from its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunInfo {
    pub run: u32,
    pub undo_of: Option<u32>,
    pub started: DateTime<Utc>,
    pub input: Option<String>,
    pub fingerprint: String,
    /// Ended with nothing left to do.
    pub complete: bool,
    pub paused_until: Option<DateTime<Utc>>,
}

/// Why the journal cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error(transparent)]
    Locked(#[from] LockError),
    #[error("cannot read or write the journal {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the journal {path} is damaged at line(s) {lines}; fedimigrate will not guess what was \
         done: move the file aside to start over ({hint})"
    )]
    Damaged {
        path: PathBuf,
        lines: String,
        hint: &'static str,
    },
}

/// The records of one journal file.
#[derive(Debug)]
pub struct Journal<R> {
    store: Option<JsonLines>,
    path: PathBuf,
    _lock: Option<Lock>,
    records: Vec<R>,
    /// Said when the file is damaged: what starting over means for this journal.
    hint: &'static str,
}

impl<R: Entry> Journal<R> {
    /// Opens the journal for a run that acts: takes the lock, reads every record. A torn last
    /// line (a crash mid-write) is dropped; any other damage is an error, whose message ends
    /// with `hint` (what starting over means).
    pub fn open(path: &Path, hint: &'static str) -> Result<Self, JournalError> {
        let lock = Lock::acquire(path)?;
        let (store, records) = load(path, hint)?;
        Ok(Self {
            store: Some(store),
            path: path.to_path_buf(),
            _lock: Some(lock),
            records,
            hint,
        })
    }

    /// Opens the journal to read only (`--dry-run`, `--runs`): no lock, and nothing is ever
    /// written (appends are kept in memory).
    pub fn read_only(path: &Path, hint: &'static str) -> Result<Self, JournalError> {
        let (_, records) = load::<R>(path, hint)?;
        Ok(Self {
            store: None,
            path: path.to_path_buf(),
            _lock: None,
            records,
            hint,
        })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every record, oldest first.
    pub fn records(&self) -> &[R] {
        &self.records
    }

    /// What a damaged file's message says about starting over.
    pub fn hint(&self) -> &'static str {
        self.hint
    }

    /// Appends a record; it is on disk when this returns.
    pub fn write(&mut self, record: R) -> Result<(), JournalError> {
        if let Some(store) = &mut self.store {
            store.append(&record).map_err(|source| JournalError::Io {
                path: self.path.clone(),
                source,
            })?;
        }
        self.records.push(record);
        Ok(())
    }

    /// Every run, oldest first.
    pub fn runs(&self) -> Vec<RunInfo> {
        let mut runs: BTreeMap<u32, RunInfo> = BTreeMap::new();
        for event in self.records.iter().filter_map(Entry::run_event) {
            match event {
                RunEvent::Started {
                    run,
                    undo_of,
                    at,
                    input,
                    fingerprint,
                } => {
                    let info = RunInfo {
                        run,
                        undo_of,
                        started: at,
                        input: input.map(str::to_string),
                        fingerprint: fingerprint.to_string(),
                        complete: false,
                        paused_until: None,
                    };
                    runs.insert(run, info);
                }
                RunEvent::Paused { run, until } => {
                    if let Some(info) = runs.get_mut(&run) {
                        info.paused_until = Some(until);
                    }
                }
                RunEvent::Ended { run, complete } => {
                    if let Some(info) = runs.get_mut(&run) {
                        info.complete = complete;
                        info.paused_until = None;
                    }
                }
            }
        }
        runs.into_values().collect()
    }

    /// The next free run number.
    pub fn next_run(&self) -> u32 {
        self.runs().last().map_or(1, |r| r.run + 1)
    }

    /// The run to continue: the latest run, when it is of the same kind (`undo_of`), did not
    /// complete, and was given the same job (`fingerprint`).
    pub fn unfinished(&self, undo_of: Option<u32>, fingerprint: &str) -> Option<RunInfo> {
        let last = self.runs().pop()?;
        (!last.complete && last.undo_of == undo_of && last.fingerprint == fingerprint)
            .then_some(last)
    }
}

fn load<R: Entry>(path: &Path, hint: &'static str) -> Result<(JsonLines, Vec<R>), JournalError> {
    let options = Options {
        private: true,
        durability: Durability::Disk,
    };
    let (store, loaded) =
        JsonLines::open::<R>(path, options).map_err(|source| JournalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if !loaded.damaged.is_empty() {
        let lines: Vec<String> = loaded.damaged.iter().map(ToString::to_string).collect();
        return Err(JournalError::Damaged {
            path: path.to_path_buf(),
            lines: lines.join(", "),
            hint,
        });
    }
    Ok((store, loaded.records))
}

/// Identifies a job by its items, in any order: FNV-1a over the sorted, distinct items
/// (stable across builds and platforms, unlike std's hasher), and their count.
pub fn fingerprint<I, T>(items: I) -> String
where
    I: IntoIterator<Item = T>,
    T: Ord + std::fmt::Display,
{
    let sorted: std::collections::BTreeSet<T> = items.into_iter().collect();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for item in &sorted {
        for byte in item.to_string().bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}-{}", sorted.len())
}

/// Where a journal lives under `data_dir`: `journals/<instance>/<account>/<name>.jsonl`.
pub fn path_for(data_dir: &Path, instance: &str, account: &str, name: &str) -> PathBuf {
    data_dir
        .join("journals")
        .join(safe_name(instance))
        .join(safe_name(account))
        .join(format!("{name}.jsonl"))
}

/// A name safe as one path segment on every OS: letters, digits, `.-_@` stay, others `_`.
fn safe_name(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@') {
                c
            } else {
                '_'
            }
        })
        .collect();
    match name.trim_start_matches('.') {
        "" => "_".into(),
        rest => rest.to_string(),
    }
}
