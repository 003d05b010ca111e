//! The journal: what was done, per (instance account, relation), so a rerun resumes without
//! doing anything twice and `--undo` takes back exactly what a run did.
//!
//! One JSON Lines file (`store::JsonLines`, fsynced after each line) under the data directory:
//! `journals/<instance>/<account>/<following|blocks|mutes>.jsonl`. Records, in order:
//! a `run` opens a run (or an undo of one); `resolved` remembers which account an address is;
//! an `attempt` is written before each action and a `result` after it, so an action whose
//! answer was lost (kill -9, a dropped connection) is recognised on resume as ours; `paused`
//! says when the rate limit lets the run go on; `end` closes a run. A lock beside the file
//! refuses a second run on the same journal. Business rules live in `plan`; this file only
//! records and folds.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::plan::{Found, Previous, Standing};
use super::relation::{Outcome, Relation};
use crate::discover::Handle;
use crate::store::{Durability, JsonLines, Lock, LockError, Options};

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    Run {
        run: u32,
        /// Set for an undo: the run it takes back.
        undo_of: Option<u32>,
        at: DateTime<Utc>,
        /// The input file, for `--runs` (`-` for standard input).
        input: Option<String>,
        /// Tells whether a rerun is the same job (see [`fingerprint`]).
        fingerprint: String,
    },
    Resolved {
        handle: Handle,
        account_id: String,
        acct: String,
        #[serde(default)]
        locked: bool,
        /// Where the account moved, if it did (its new account on this instance).
        #[serde(default)]
        moved_id: Option<String>,
        #[serde(default)]
        moved_acct: Option<String>,
    },
    Attempt {
        run: u32,
        handle: Handle,
        account_id: String,
    },
    Result {
        run: u32,
        handle: Handle,
        account_id: Option<String>,
        outcome: Outcome,
        reason: Option<String>,
        at: DateTime<Utc>,
        /// A failure after which the server may still have done it (no answer, a 5xx).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        maybe_done: bool,
    },
    /// An attempt that certainly did nothing (refused before or when sent): closes it.
    Abandoned {
        run: u32,
        handle: Handle,
    },
    /// The remembered account of an address is gone (the instance answered 404): look the
    /// address up again next time.
    Forget {
        handle: Handle,
    },
    Listed {
        list_id: String,
        account_ids: Vec<String>,
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

/// One account's latest result in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunResult {
    pub handle: Handle,
    pub account_id: Option<String>,
    pub outcome: Outcome,
    pub reason: Option<String>,
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
         done: move the file aside to start over (accounts already followed are then found \
         followed again and not counted twice)"
    )]
    Damaged { path: PathBuf, lines: String },
}

/// The journal of one (instance account, relation).
#[derive(Debug)]
pub struct Journal {
    store: Option<JsonLines>,
    path: PathBuf,
    _lock: Option<Lock>,
    records: Vec<Record>,
}

/// Where the journal of `account` (`user@domain`) on `instance` (`host` or `host:port`) for
/// `relation` lives, under `data_dir`.
pub fn path_for(data_dir: &Path, instance: &str, account: &str, relation: Relation) -> PathBuf {
    data_dir
        .join("journals")
        .join(safe_name(instance))
        .join(safe_name(account))
        .join(format!("{}.jsonl", relation.journal_name()))
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

/// Identifies a job by the addresses it was given, in any order.
pub fn fingerprint<'a>(handles: impl IntoIterator<Item = &'a Handle>) -> String {
    use std::hash::{Hash, Hasher};
    let sorted: std::collections::BTreeSet<&Handle> = handles.into_iter().collect();
    // FNV-1a: stable across builds and platforms, unlike std's DefaultHasher seed choice.
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    for handle in &sorted {
        handle.to_string().hash(&mut hasher);
    }
    format!("{:016x}-{}", hasher.finish(), sorted.len())
}

struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl Journal {
    /// Opens the journal for a run that acts: takes the lock, reads every record. A torn last
    /// line (a crash mid-write) is dropped; any other damage stops the run.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        let lock = Lock::acquire(path)?;
        let (store, records) = Self::load(path)?;
        Ok(Self {
            store: Some(store),
            path: path.to_path_buf(),
            _lock: Some(lock),
            records,
        })
    }

    /// Opens the journal to read only (`--dry-run`, `--runs`): no lock, and nothing is ever
    /// written (appends are kept in memory).
    pub fn read_only(path: &Path) -> Result<Self, JournalError> {
        let (_, records) = Self::load(path)?;
        Ok(Self {
            store: None,
            path: path.to_path_buf(),
            _lock: None,
            records,
        })
    }

    fn load(path: &Path) -> Result<(JsonLines, Vec<Record>), JournalError> {
        let options = Options {
            private: true,
            durability: Durability::Disk,
        };
        let (store, loaded) =
            JsonLines::open::<Record>(path, options).map_err(|source| JournalError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        if !loaded.damaged.is_empty() {
            let lines: Vec<String> = loaded.damaged.iter().map(ToString::to_string).collect();
            return Err(JournalError::Damaged {
                path: path.to_path_buf(),
                lines: lines.join(", "),
            });
        }
        Ok((store, loaded.records))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends a record; it is on disk when this returns.
    pub fn write(&mut self, record: Record) -> Result<(), JournalError> {
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
        for record in &self.records {
            match record {
                Record::Run {
                    run,
                    undo_of,
                    at,
                    input,
                    fingerprint,
                } => {
                    runs.insert(
                        *run,
                        RunInfo {
                            run: *run,
                            undo_of: *undo_of,
                            started: *at,
                            input: input.clone(),
                            fingerprint: fingerprint.clone(),
                            complete: false,
                            paused_until: None,
                        },
                    );
                }
                Record::Paused { run, until } => {
                    if let Some(info) = runs.get_mut(run) {
                        info.paused_until = Some(*until);
                    }
                }
                Record::End { run, complete, .. } => {
                    if let Some(info) = runs.get_mut(run) {
                        info.complete = *complete;
                        info.paused_until = None;
                    }
                }
                _ => {}
            }
        }
        runs.into_values().collect()
    }

    /// The next free run number.
    pub fn next_run(&self) -> u32 {
        self.runs().last().map_or(1, |r| r.run + 1)
    }

    /// The run to continue: the latest run, when it is of the same kind (`undo_of`), did not
    /// complete, and was given the same addresses.
    pub fn unfinished(&self, undo_of: Option<u32>, fingerprint: &str) -> Option<RunInfo> {
        let last = self.runs().pop()?;
        (!last.complete && last.undo_of == undo_of && last.fingerprint == fingerprint)
            .then_some(last)
    }

    /// The latest result per address across runs, as the plan reads it.
    pub fn previous(&self, current_run: u32) -> HashMap<Handle, Previous> {
        let mut out = HashMap::new();
        for record in &self.records {
            if let Record::Result {
                run,
                handle,
                outcome,
                ..
            } = record
            {
                let previous = Previous {
                    run: *run,
                    outcome: *outcome,
                    this_run: *run == current_run,
                };
                out.insert(handle.clone(), previous);
            }
        }
        out
    }

    /// Addresses of `run` that were attempted without a known outcome: the answer was lost
    /// (kill -9) or the action failed in a way that leaves it open (no answer, a 5xx). A
    /// refusal (4xx, a rate limit) closes the attempt. Found in the relation later, they count
    /// as ours.
    pub fn unanswered(&self, run: u32) -> HashSet<Handle> {
        let mut open = HashSet::new();
        for record in &self.records {
            match record {
                Record::Attempt { run: r, handle, .. } if *r == run => {
                    open.insert(handle.clone());
                }
                Record::Result {
                    run: r,
                    handle,
                    outcome,
                    maybe_done,
                    ..
                } if *r == run && (outcome.is_settled() || !maybe_done) => {
                    open.remove(handle);
                }
                Record::Abandoned { run: r, handle } if *r == run => {
                    open.remove(handle);
                }
                _ => {}
            }
        }
        open
    }

    /// The accounts of `run`'s attempts without a known success (see [`Journal::unanswered`]),
    /// with the ids they were sent to: an undo takes these back too.
    pub fn open_attempts(&self, run: u32) -> Vec<(Handle, String)> {
        let open = self.unanswered(run);
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for record in &self.records {
            if let Record::Attempt {
                run: r,
                handle,
                account_id,
            } = record
                && *r == run
                && open.contains(handle)
                && seen.insert(handle.clone())
            {
                out.push((handle.clone(), account_id.clone()));
            }
        }
        out
    }

    /// Remembered accounts by address (how you stand with them is asked afresh).
    pub fn resolved(&self) -> HashMap<Handle, Found> {
        let mut out = HashMap::new();
        for record in &self.records {
            if let Record::Resolved {
                handle,
                account_id,
                acct,
                locked,
                moved_id,
                moved_acct,
            } = record
            {
                let moved_to = match (moved_id, moved_acct) {
                    (Some(id), Some(acct)) => Some(Box::new(account(id, acct, false))),
                    _ => None,
                };
                let mut found = account(account_id, acct, *locked);
                found.moved_to = moved_to;
                out.insert(handle.clone(), found);
            } else if let Record::Forget { handle } = record {
                out.remove(handle);
            }
        }
        out
    }

    /// The latest result per address of one run, in the order first seen.
    pub fn results(&self, run: u32) -> Vec<RunResult> {
        let mut order: Vec<Handle> = Vec::new();
        let mut latest: HashMap<Handle, RunResult> = HashMap::new();
        for record in &self.records {
            if let Record::Result {
                run: r,
                handle,
                account_id,
                outcome,
                reason,
                ..
            } = record
                && *r == run
            {
                if !latest.contains_key(handle) {
                    order.push(handle.clone());
                }
                let result = RunResult {
                    handle: handle.clone(),
                    account_id: account_id.clone(),
                    outcome: *outcome,
                    reason: reason.clone(),
                };
                latest.insert(handle.clone(), result);
            }
        }
        order
            .into_iter()
            .filter_map(|h| latest.remove(&h))
            .collect()
    }

    /// Addresses taken back by any undo of `run`.
    pub fn undone(&self, run: u32) -> HashSet<Handle> {
        let undos: HashSet<u32> = self
            .runs()
            .iter()
            .filter(|r| r.undo_of == Some(run))
            .map(|r| r.run)
            .collect();
        let mut out = HashSet::new();
        for undo in undos {
            for result in self.results(undo) {
                if matches!(
                    result.outcome,
                    Outcome::Unfollowed | Outcome::Unblocked | Outcome::Unmuted | Outcome::NotFound
                ) {
                    out.insert(result.handle);
                }
            }
        }
        out
    }

    /// Account ids already put in the list `list_id`.
    pub fn listed(&self, list_id: &str) -> HashSet<String> {
        let mut out = HashSet::new();
        for record in &self.records {
            if let Record::Listed {
                list_id: id,
                account_ids,
            } = record
                && id == list_id
            {
                out.extend(account_ids.iter().cloned());
            }
        }
        out
    }
}

fn account(id: &str, acct: &str, locked: bool) -> Found {
    Found {
        id: id.to_string(),
        acct: acct.to_string(),
        locked,
        standing: Standing::default(),
        moved_to: None,
    }
}

#[cfg(test)]
mod tests;
