//! Doing the plan: checking the pending addresses on the instance, then acting on each step
//! with the journal written around every action (an `attempt` before, a `result` after), then
//! the list. Thin on purpose: what to do is `plan`'s, how to talk is `Remote`'s, and what the
//! person sees is the command's (through [`Event`]s).

use std::collections::HashMap;

use chrono::Utc;

use super::input::Entry;
use super::journal::{Journal, Record};
use super::plan::{Fact, Found, Step, UndoStep};
use super::relation::{Outcome, Relation};
use super::remote::{ActOptions, Remote};
use crate::discover::Handle;
use crate::fedi::Error;
pub use crate::stop::Stop;
use crate::stop::is_fatal;

/// This many network failures in a row mean the instance itself is in trouble: stop.
const MAX_FAILURES_IN_A_ROW: usize = 5;

/// What happened to one address.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ItemResult {
    pub handle: Handle,
    pub result: Outcome,
    /// The line of the input.
    pub line: Option<usize>,
    pub account_id: Option<String>,
    /// The account acted on, as the instance names it (a moved account's new address).
    pub acct: Option<String>,
    pub reason: Option<String>,
}

/// What the executor reports as it goes.
#[derive(Debug)]
pub enum Event<'a> {
    /// One address checked on the instance.
    Checked,
    /// One action done (or failed).
    Done(&'a ItemResult),
}

/// Counts network failures in a row.
#[derive(Default)]
struct Streak(usize);

impl Streak {
    fn record(&mut self, err: Option<&Error>) -> Result<(), ()> {
        match err {
            Some(Error::Net(_)) => self.0 += 1,
            _ => self.0 = 0,
        }
        if self.0 >= MAX_FAILURES_IN_A_ROW {
            Err(())
        } else {
            Ok(())
        }
    }
}

/// Asks the instance about every pending address: who it is (the journal remembers ids from
/// earlier runs) and how you stand with it. New ids are journaled.
pub async fn check<R: Remote>(
    remote: &R,
    pending: &[Entry],
    journal: &mut Journal,
    on: &mut dyn FnMut(Event<'_>),
) -> Result<HashMap<Handle, Fact>, Stop> {
    let known = journal.resolved();
    let mut facts: HashMap<Handle, Fact> = HashMap::new();
    let mut streak = Streak::default();
    for entry in pending {
        let fact = match known.get(&entry.handle) {
            Some(found) => Fact::Found(found.clone()),
            None => {
                let asked = remote.find(&entry.handle).await;
                let fact = match asked {
                    Ok(Some(found)) => {
                        journal.write(resolved_record(&entry.handle, &found))?;
                        Fact::Found(found)
                    }
                    Ok(None) => Fact::NotFound,
                    Err(err) if is_fatal(&err) => return Err(err.into()),
                    Err(err) if err.is_not_found() => Fact::NotFound,
                    Err(err) => {
                        if streak.record(Some(&err)).is_err() {
                            return Err(err.into());
                        }
                        Fact::Unchecked(err.to_string())
                    }
                };
                if matches!(fact, Fact::Found(_) | Fact::NotFound) {
                    let _ = streak.record(None);
                }
                fact
            }
        };
        facts.insert(entry.handle.clone(), fact);
        on(Event::Checked);
    }
    fill_standings(remote, &mut facts).await?;
    Ok(facts)
}

fn resolved_record(handle: &Handle, found: &Found) -> Record {
    Record::Resolved {
        handle: handle.clone(),
        account_id: found.id.clone(),
        acct: found.acct.clone(),
        locked: found.locked,
        moved_id: found.moved_to.as_ref().map(|m| m.id.clone()),
        moved_acct: found.moved_to.as_ref().map(|m| m.acct.clone()),
    }
}

/// Asks how you stand with every found account (and where moved ones went), 40 at a time.
async fn fill_standings<R: Remote>(
    remote: &R,
    facts: &mut HashMap<Handle, Fact>,
) -> Result<(), Stop> {
    let mut ids: Vec<String> = Vec::new();
    for fact in facts.values() {
        if let Fact::Found(found) = fact {
            ids.push(found.moved_to.as_ref().map_or(&found.id, |m| &m.id).clone());
        }
    }
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let standings = remote.standings(&ids).await?;
    for fact in facts.values_mut() {
        if let Fact::Found(found) = fact {
            let target = match &mut found.moved_to {
                Some(moved) => moved.as_mut(),
                None => found,
            };
            target.standing = standings.get(&target.id).copied().unwrap_or_default();
        }
    }
    Ok(())
}

/// The result record of one address.
pub fn result_record(run: u32, item: &ItemResult) -> Record {
    Record::Result {
        run,
        handle: item.handle.clone(),
        account_id: item.account_id.clone(),
        outcome: item.result,
        reason: item.reason.clone(),
        at: Utc::now(),
        maybe_done: false,
    }
}

/// Acts on every step, journaling each before the next. Stops at the first fatal error (the
/// steps not reached stay for the rerun).
pub async fn execute<R: Remote>(
    remote: &R,
    steps: &[Step],
    relation: Relation,
    defaults: &ActOptions,
    journal: &mut Journal,
    run: u32,
    on: &mut dyn FnMut(Event<'_>),
) -> Result<(), Stop> {
    let mut streak = Streak::default();
    for step in steps {
        journal.write(Record::Attempt {
            run,
            handle: step.handle.clone(),
            account_id: step.account_id.clone(),
        })?;
        let options = options_for(step, defaults);
        let acted = remote.act(relation, &step.account_id, &options).await;
        let (result, reason, maybe) = match acted {
            Ok(standing) => (
                outcome_of(relation, standing.following, standing.requested),
                None,
                false,
            ),
            Err(err) if is_fatal(&err) => {
                if !maybe_done(&err) {
                    let handle = step.handle.clone();
                    journal.write(Record::Abandoned { run, handle })?;
                }
                return Err(err.into());
            }
            Err(err) => {
                if streak.record(Some(&err)).is_err() {
                    return Err(err.into());
                }
                let outcome = failure_outcome(&err);
                if outcome == Outcome::NotFound {
                    let handle = step.handle.clone();
                    journal.write(Record::Forget { handle })?;
                    let gone = "the account no longer exists on the instance".to_string();
                    (outcome, Some(gone), false)
                } else {
                    (outcome, Some(err.to_string()), maybe_done(&err))
                }
            }
        };
        if reason.is_none() {
            let _ = streak.record(None);
        }
        let item = ItemResult {
            handle: step.handle.clone(),
            result,
            line: Some(step.line),
            account_id: Some(step.account_id.clone()),
            acct: Some(step.acct.clone()),
            reason: reason.or_else(|| step.note.clone()),
        };
        let mut record = result_record(run, &item);
        if let Record::Result { maybe_done, .. } = &mut record {
            *maybe_done = maybe;
        }
        journal.write(record)?;
        on(Event::Done(&item));
    }
    Ok(())
}

/// True when the server may have carried out the action despite the error: no answer came
/// (a timeout, a dropped connection, Ctrl-C mid-request), or it failed inside (5xx), or it
/// answered 2xx with something unreadable. A refusal (4xx, a rate-limit stop) or a redirect
/// did nothing.
fn maybe_done(err: &Error) -> bool {
    err.may_have_taken_effect()
}

/// The outcome of a successful action: a follow of a locked account is a request.
fn outcome_of(relation: Relation, following: bool, requested: bool) -> Outcome {
    match relation {
        Relation::Follow if requested && !following => Outcome::Requested,
        other => other.done(),
    }
}

/// How a failed action is recorded.
fn failure_outcome(err: &Error) -> Outcome {
    match err.api() {
        Some(api) if api.status == 404 => Outcome::NotFound,
        Some(api) if api.status == 403 && !api.is_scope_failure() => Outcome::Forbidden,
        _ => Outcome::Failed,
    }
}

/// The command's options with a Mastodon CSV row's own values on top, unless the command
/// line set them.
fn options_for(step: &Step, defaults: &ActOptions) -> ActOptions {
    let mut options = defaults.clone();
    let row = &step.options;
    options.follow.reblogs = options.follow.reblogs.or(row.reblogs);
    options.follow.notify = options.follow.notify.or(row.notify);
    if options.follow.languages.is_empty() {
        options.follow.languages = row.languages.clone().unwrap_or_default();
    }
    options.mute.notifications = options.mute.notifications.or(row.hide_notifications);
    options
}

/// Takes back what a run did, journaling each undo.
pub async fn undo<R: Remote>(
    remote: &R,
    steps: &[UndoStep],
    relation: Relation,
    journal: &mut Journal,
    run: u32,
    on: &mut dyn FnMut(Event<'_>),
) -> Result<(), Stop> {
    let mut streak = Streak::default();
    for step in steps {
        let undone = remote.undo(relation, &step.account_id).await;
        let (result, reason) = match undone {
            Ok(_) => (relation.undone(), None),
            Err(err) if is_fatal(&err) => return Err(err.into()),
            Err(err) => {
                if streak.record(Some(&err)).is_err() {
                    return Err(err.into());
                }
                (failure_outcome(&err), Some(err.to_string()))
            }
        };
        let item = ItemResult {
            handle: step.handle.clone(),
            result,
            line: None,
            account_id: Some(step.account_id.clone()),
            acct: None,
            reason,
        };
        journal.write(result_record(run, &item))?;
        on(Event::Done(&item));
    }
    Ok(())
}

/// Puts this run's new follows into the list `title`, skipping members; returns how many were
/// added.
pub async fn fill_list<R: Remote>(
    remote: &R,
    title: &str,
    followed: &[String],
    journal: &mut Journal,
) -> Result<usize, Stop> {
    let list = remote.list(title).await?;
    let mut members = remote.list_members(&list).await?;
    members.extend(journal.listed(&list));
    let missing: Vec<String> = followed
        .iter()
        .filter(|id| !members.contains(*id))
        .cloned()
        .collect();
    for batch in missing.chunks(crate::fedi::accounts::RELATIONSHIPS_BATCH) {
        remote.add_to_list(&list, batch).await?;
        journal.write(Record::Listed {
            list_id: list.clone(),
            account_ids: batch.to_vec(),
        })?;
    }
    Ok(missing.len())
}

#[cfg(test)]
mod tests;
