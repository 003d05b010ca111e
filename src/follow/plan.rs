//! The plan: which accounts to act on, which not and why. Pure, in two steps around the one
//! thing only the instance knows (who each address is, and how you already relate to them):
//!
//! 1. [`prepare`] (input + journal, no network): duplicates, yourself, unverified addresses,
//!    and what the journal says was already done.
//! 2. [`decide`] (with the instance's [`Fact`]s): not found, already in the relation, already
//!    requested, moved accounts (their new address is acted on), the follow cap, `--limit`.
//!
//! Undo plans come from the journal alone ([`undo_steps`]).

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::input::{Entry, RowOptions, Trust};
use super::relation::{Outcome, Relation};
use crate::discover::Handle;

/// What the journal says about an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Previous {
    pub run: u32,
    pub outcome: Outcome,
    /// True when it is the run being continued (its results count in this run's summary).
    pub this_run: bool,
}

/// Why an address is left alone before anything is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Skip {
    /// Listed again (the first mention is at `first_line`).
    Duplicate {
        first_line: usize,
    },
    Yourself,
    /// Not confirmed by `find` (needs `--include-unverified`).
    Unverified {
        state: String,
    },
    /// An earlier run already did it (the journal remembers; `--undo` takes it back).
    DoneBefore {
        run: u32,
        outcome: Outcome,
    },
    /// Over the account's follow cap.
    OverCap,
    /// Past `--limit`.
    Limit,
}

impl Skip {
    /// A short reason for `--jsonl` and the plan.
    pub fn describe(&self) -> String {
        match self {
            Skip::Duplicate { first_line } => format!("duplicate of line {first_line}"),
            Skip::Yourself => "that is you".into(),
            Skip::Unverified { state } => {
                format!("not verified ({state}); see --include-unverified")
            }
            Skip::DoneBefore { run, outcome } => format!("{} by run {run}", outcome.label()),
            Skip::OverCap => "over your account's follow cap".into(),
            Skip::Limit => "past --limit".into(),
        }
    }
}

/// An address left alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub handle: Handle,
    pub line: usize,
    pub why: Skip,
}

/// The result of [`prepare`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prepared {
    /// To check on the instance, in input order, one per address.
    pub pending: Vec<Entry>,
    pub skipped: Vec<Skipped>,
    /// Settled earlier in the run being continued: (address, outcome).
    pub settled: Vec<(Handle, Outcome)>,
}

/// Step 1: everything the input and the journal decide on their own.
pub fn prepare(
    entries: &[Entry],
    me: Option<&Handle>,
    journal: &HashMap<Handle, Previous>,
    include_unverified: bool,
) -> Prepared {
    let mut out = Prepared::default();
    for entry in merge_duplicates(entries, &mut out.skipped) {
        let skip = |why| Skipped {
            handle: entry.handle.clone(),
            line: entry.line,
            why,
        };
        if me == Some(&entry.handle) {
            out.skipped.push(skip(Skip::Yourself));
        } else if !include_unverified && !entry.trust.is_trusted() {
            let Trust::Unverified { state } = &entry.trust else {
                continue;
            };
            let state = state.clone();
            out.skipped.push(skip(Skip::Unverified { state }));
        } else if let Some(previous) = journal.get(&entry.handle) {
            match previous {
                p if p.this_run && p.outcome.is_settled() => {
                    out.settled.push((entry.handle.clone(), p.outcome));
                }
                p if !p.this_run && p.outcome.is_our_doing() => {
                    let why = Skip::DoneBefore {
                        run: p.run,
                        outcome: p.outcome,
                    };
                    out.skipped.push(skip(why));
                }
                _ => out.pending.push(entry),
            }
        } else {
            out.pending.push(entry);
        }
    }
    out
}

/// One entry per address, at its first line, with the strongest trust any mention had; the
/// other mentions are reported as duplicates.
fn merge_duplicates(entries: &[Entry], skipped: &mut Vec<Skipped>) -> Vec<Entry> {
    let mut first: HashMap<&Handle, usize> = HashMap::new();
    let mut kept: Vec<Entry> = Vec::new();
    for entry in entries {
        match first.get(&entry.handle) {
            Some(&at) => {
                let kept_entry = &mut kept[at];
                if entry.trust > kept_entry.trust {
                    kept_entry.trust = entry.trust.clone();
                }
                skipped.push(Skipped {
                    handle: entry.handle.clone(),
                    line: entry.line,
                    why: Skip::Duplicate {
                        first_line: kept_entry.line,
                    },
                });
            }
            None => {
                first.insert(&entry.handle, kept.len());
                kept.push(entry.clone());
            }
        }
    }
    kept
}

/// How you stand with an account, as the instance says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub following: bool,
    pub requested: bool,
    pub blocking: bool,
    pub muting: bool,
}

/// An account the instance found for an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub id: String,
    /// `user@host` as the instance names it (`user` alone for local accounts).
    pub acct: String,
    pub locked: bool,
    pub standing: Standing,
    /// The account it moved to, when it did (and the instance knows the new one).
    pub moved_to: Option<Box<Found>>,
}

/// What the instance said about an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Found(Found),
    NotFound,
    /// Could not be checked (the reason, one sentence); counted as failed, retried next run.
    Unchecked(String),
}

/// One action to take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The address as the input gave it (the journal's key).
    pub handle: Handle,
    pub line: usize,
    pub account_id: String,
    pub acct: String,
    pub locked: bool,
    pub options: RowOptions,
    /// E.g. "moved to new@host".
    pub note: Option<String>,
}

/// An address the instance's answer settles without an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    pub handle: Handle,
    pub line: usize,
    pub outcome: Outcome,
    pub account_id: Option<String>,
    pub reason: Option<String>,
}

/// Limits that shape a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Your own account's id (an address that turns out to be you is skipped).
    pub me_id: Option<String>,
    pub relation: Relation,
    /// At most this many actions (`--limit`).
    pub limit: Option<usize>,
    /// How many more accounts may be followed before the account's cap (follows only).
    pub cap_room: Option<u64>,
}

/// The whole plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub relation: Relation,
    pub steps: Vec<Step>,
    /// Already in the relation, not found, could not be checked.
    pub settled: Vec<Settled>,
    pub skipped: Vec<Skipped>,
    /// Settled earlier in the run being continued.
    pub earlier: Vec<(Handle, Outcome)>,
}

impl Plan {
    /// How many addresses ended in `outcome` without an action.
    pub fn count(&self, outcome: Outcome) -> usize {
        self.settled.iter().filter(|s| s.outcome == outcome).count()
    }

    /// How many were skipped for a reason like `why` (compared by kind).
    pub fn skipped_for(&self, kind: fn(&Skip) -> bool) -> usize {
        self.skipped.iter().filter(|s| kind(&s.why)).count()
    }
}

/// Step 2: the instance's facts turn the pending addresses into steps. `attempted` are the
/// addresses whose action was sent but whose answer was lost (the journal's open attempts):
/// if the instance now shows the relation, it was our doing, not "already".
pub fn decide(
    prepared: Prepared,
    facts: &HashMap<Handle, Fact>,
    attempted: &HashSet<Handle>,
    shape: Shape,
) -> Plan {
    let mut plan = Plan {
        relation: shape.relation,
        steps: Vec::new(),
        settled: Vec::new(),
        skipped: prepared.skipped,
        earlier: prepared.settled,
    };
    let mut seen_ids: HashMap<String, usize> = HashMap::new();
    for entry in prepared.pending {
        let fact = facts
            .get(&entry.handle)
            .cloned()
            .unwrap_or_else(|| Fact::Unchecked("not checked".into()));
        match fact {
            Fact::NotFound => plan.settle(&entry, Outcome::NotFound, None, None),
            Fact::Unchecked(why) => plan.settle(&entry, Outcome::Failed, None, Some(why)),
            Fact::Found(found) => {
                let ours = attempted.contains(&entry.handle);
                if shape.me_id.as_deref() == Some(found.id.as_str()) {
                    plan.skipped.push(Skipped {
                        handle: entry.handle,
                        line: entry.line,
                        why: Skip::Yourself,
                    });
                    continue;
                }
                plan.place(entry, found, ours, &mut seen_ids);
            }
        }
    }
    plan.cut(&shape);
    plan
}

impl Plan {
    fn settle(&mut self, entry: &Entry, outcome: Outcome, id: Option<String>, why: Option<String>) {
        self.settled.push(Settled {
            handle: entry.handle.clone(),
            line: entry.line,
            outcome,
            account_id: id,
            reason: why,
        });
    }

    /// A found account: act on it (or on where it moved), unless already done.
    fn place(&mut self, entry: Entry, found: Found, ours: bool, seen: &mut HashMap<String, usize>) {
        let (target, note) = match found.moved_to {
            Some(new) => {
                let note = format!("moved to {}", new.acct);
                (*new, Some(note))
            }
            None => (found, None),
        };
        if let Some(&first_line) = seen.get(&target.id) {
            self.skipped.push(Skipped {
                handle: entry.handle,
                line: entry.line,
                why: Skip::Duplicate { first_line },
            });
            return;
        }
        seen.insert(target.id.clone(), entry.line);
        if let Some(outcome) = already(self.relation, target.standing) {
            let outcome = if ours { done_by_us(outcome) } else { outcome };
            self.settle(&entry, outcome, Some(target.id), note);
            return;
        }
        self.steps.push(Step {
            handle: entry.handle,
            line: entry.line,
            account_id: target.id,
            acct: target.acct,
            locked: target.locked,
            options: entry.options,
            note,
        });
    }

    /// Applies `--limit`, then the follow cap.
    fn cut(&mut self, shape: &Shape) {
        let limit = shape.limit.unwrap_or(usize::MAX);
        let room = match (shape.relation, shape.cap_room) {
            (Relation::Follow, Some(room)) => usize::try_from(room).unwrap_or(usize::MAX),
            _ => usize::MAX,
        };
        let keep = limit.min(room);
        if self.steps.len() <= keep {
            return;
        }
        // The tighter bound names the reason for everything past it.
        let why = if room < limit {
            Skip::OverCap
        } else {
            Skip::Limit
        };
        for step in self.steps.drain(keep..) {
            self.skipped.push(Skipped {
                handle: step.handle,
                line: step.line,
                why: why.clone(),
            });
        }
    }
}

/// The outcome when the account is already where the relation would put it.
fn already(relation: Relation, standing: Standing) -> Option<Outcome> {
    match relation {
        Relation::Follow if standing.following => Some(Outcome::AlreadyFollowing),
        Relation::Follow if standing.requested => Some(Outcome::AlreadyRequested),
        Relation::Block if standing.blocking => Some(Outcome::AlreadyBlocking),
        Relation::Mute if standing.muting => Some(Outcome::AlreadyMuting),
        _ => None,
    }
}

/// What an "already" outcome was when our own lost action caused it.
fn done_by_us(already: Outcome) -> Outcome {
    match already {
        Outcome::AlreadyFollowing => Outcome::Followed,
        Outcome::AlreadyRequested => Outcome::Requested,
        Outcome::AlreadyBlocking => Outcome::Blocked,
        Outcome::AlreadyMuting => Outcome::Muted,
        other => other,
    }
}

/// Mastodon's follow cap (`FollowLimitValidator`): anyone may follow 7,500 accounts; beyond
/// that, at most 1.1 × their followers. `None` for software without such a cap.
pub fn follow_cap(software: &str, followers: u64) -> Option<u64> {
    const LIMIT: u64 = 7_500;
    let mastodon_like = matches!(
        software.to_ascii_lowercase().as_str(),
        "mastodon" | "hometown" | "glitchsoc" | "glitch-soc"
    );
    if !mastodon_like {
        return None;
    }
    let ratio = (followers as f64 * 1.1).round() as u64;
    Some(LIMIT.max(ratio))
}

/// One undo action: an account a run put into the relation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoStep {
    pub handle: Handle,
    pub account_id: String,
}

/// What undoing a run means: the accounts it acted on (`done`: address → (account id,
/// outcome) of that run), less those already undone.
pub fn undo_steps(
    done: &[(Handle, String, Outcome)],
    already_undone: &HashSet<Handle>,
) -> Vec<UndoStep> {
    let mut seen = HashSet::new();
    done.iter()
        .filter(|(_, _, outcome)| outcome.is_our_doing())
        .filter(|(handle, _, _)| !already_undone.contains(handle))
        .filter(|(handle, _, _)| seen.insert(handle.clone()))
        .map(|(handle, id, _)| UndoStep {
            handle: handle.clone(),
            account_id: id.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests;
