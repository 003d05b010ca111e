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

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::plan::{Found, Previous, Standing};
use super::relation::{Outcome, Relation};
use crate::discover::Handle;
use crate::store;

pub use crate::store::journal::{JournalError, RunInfo};

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

/// One account's latest result in a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunResult {
    pub handle: Handle,
    pub account_id: Option<String>,
    pub outcome: Outcome,
    pub reason: Option<String>,
}

/// The journal of one (instance account, relation).
pub type Journal = store::Journal<Record>;

/// What a damaged journal's message says about starting over.
pub const HINT: &str =
    "accounts already followed are then found followed again and not counted twice";

crate::store::journal::run_records!(Record);

/// Where the journal of `account` (`user@domain`) on `instance` (`host` or `host:port`) for
/// `relation` lives, under `data_dir`.
pub fn path_for(data_dir: &Path, instance: &str, account: &str, relation: Relation) -> PathBuf {
    store::journal::path_for(data_dir, instance, account, relation.journal_name())
}

/// Identifies a job by the addresses it was given, in any order.
pub fn fingerprint<'a>(handles: impl IntoIterator<Item = &'a Handle>) -> String {
    store::journal::fingerprint(handles.into_iter().map(ToString::to_string))
}

impl store::Journal<Record> {
    /// The latest result per address across runs, as the plan reads it.
    pub fn previous(&self, current_run: u32) -> HashMap<Handle, Previous> {
        let mut out = HashMap::new();
        for record in self.records() {
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
        for record in self.records() {
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
        for record in self.records() {
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
        for record in self.records() {
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
        for record in self.records() {
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
        for record in self.records() {
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
