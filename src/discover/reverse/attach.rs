//! The reverse search's results joined to the followed accounts. Pure.
//!
//! The order of a run: verify what the Twitter side found; pick the accounts still without a
//! verified address ([`sought`]); search; judge every account found ([`judge_all`]); add the
//! proven and possible ones to the accounts' findings ([`attach`]), which says which new
//! handles need verifying; verify those; and [`merge`] the two verification reports into one
//! that lines up with the findings, as [`crate::discover::matches::Findings::build`] wants.
//! A `possible` match is never verified: its state says what it is.

use std::collections::HashSet;

use super::backlink::{self, How, Place, Proof, Verdict, Wanted};
use super::query::{Sought, texts};
use super::search::Results;
use super::{FediAccount, query::Query};
use crate::discover::extract::{Field, Rule};
use crate::discover::friends::{Friend, Friends, target_of};
use crate::discover::handle::Handle;
use crate::discover::profile::{Evidence, Finding, Source};
use crate::discover::verify::{Report, State, Target, Verification};

/// The most `possible` accounts kept for one followed account (a common name finds many).
pub const MAX_POSSIBLE: usize = 5;

/// One account a search found for a followed account, and the verdict on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub handle: Handle,
    pub account: FediAccount,
    pub verdict: Verdict,
}

/// The followed accounts to search for: a username known, no verified or moved address in
/// `first` (one result per finding, in order). `more_names` gives an account's past
/// usernames (from the archive's mentions).
pub fn sought(
    friends: &Friends,
    first: &Report,
    more_names: impl Fn(&Friend) -> Vec<String>,
) -> Vec<Sought> {
    let mut results = first.results.iter();
    let mut list = Vec::new();
    for (index, friend) in friends.list.iter().enumerate() {
        let found = results
            .by_ref()
            .take(friend.findings.len())
            .any(|r| r.state.exists());
        let Some(username) = friend.username() else {
            continue;
        };
        if found {
            continue;
        }
        let mut usernames = vec![username.to_string()];
        for name in more_names(friend) {
            if !usernames.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
                usernames.push(name);
            }
        }
        let display_name = friend.profile.as_ref().and_then(|p| p.display_name.clone());
        list.push(Sought {
            index,
            wanted: Wanted {
                usernames,
                display_name,
            },
        });
    }
    list
}

/// Judges every account the searches found for each sought account: the proven ones, or,
/// when none is, at most [`MAX_POSSIBLE`] possible ones. Unrelated accounts are dropped.
pub fn judge_all(sought: &[Sought], instances: &[String], results: &Results) -> Vec<Vec<Hit>> {
    sought
        .iter()
        .map(|one| {
            let mut seen = HashSet::new();
            let mut hits: Vec<Hit> = Vec::new();
            for account in accounts_for(one, instances, results) {
                let Ok(handle) = account.acct.parse::<Handle>() else {
                    continue;
                };
                if !seen.insert(handle.clone()) {
                    continue;
                }
                let verdict = backlink::judge(account, &one.wanted);
                if verdict != Verdict::Unrelated {
                    hits.push(Hit {
                        handle,
                        account: account.clone(),
                        verdict,
                    });
                }
            }
            keep_best(hits)
        })
        .collect()
}

fn accounts_for<'a>(
    one: &Sought,
    instances: &[String],
    results: &'a Results,
) -> impl Iterator<Item = &'a FediAccount> {
    let keys: Vec<String> = instances
        .iter()
        .flat_map(|instance| {
            texts(&one.wanted).into_iter().map(|text| {
                Query {
                    instance: instance.clone(),
                    text,
                }
                .key()
            })
        })
        .collect();
    keys.into_iter()
        .filter_map(|key| results.found.get(&key))
        .flatten()
}

/// Proven hits when there are any; else the first possible ones.
fn keep_best(hits: Vec<Hit>) -> Vec<Hit> {
    let proven = |h: &Hit| matches!(h.verdict, Verdict::Proven(_));
    if hits.iter().any(proven) {
        return hits.into_iter().filter(proven).collect();
    }
    hits.into_iter().take(MAX_POSSIBLE).collect()
}

/// A finding the reverse search added to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The account's index in the list.
    pub friend: usize,
    /// For a possible match: why it may be the person (it is not verified).
    pub possible: Option<String>,
    /// What to verify, for a proven one.
    pub target: Option<Target>,
}

/// Adds the hits to their accounts' findings (after the ones already there; a handle
/// already found gets the new evidence only). Returns the new findings in list order.
pub fn attach(friends: &mut Friends, sought: &[Sought], hits: Vec<Vec<Hit>>) -> Vec<Added> {
    let mut added = Vec::new();
    let mut order: Vec<(usize, Vec<Hit>)> = sought.iter().map(|s| s.index).zip(hits).collect();
    order.sort_by_key(|(index, _)| *index);
    for (index, hits) in order {
        let friend = &mut friends.list[index];
        for hit in hits {
            let evidence = evidence_of(&hit);
            if let Some(known) = friend.findings.iter_mut().find(|f| f.handle == hit.handle) {
                known.evidence.extend(evidence);
                continue;
            }
            let finding = Finding {
                handle: hit.handle,
                bridge: None,
                evidence,
            };
            let (possible, target) = match hit.verdict {
                Verdict::Possible(why) => (Some(why), None),
                _ => (None, Some(target_of(&finding))),
            };
            friend.findings.push(finding);
            added.push(Added {
                friend: index,
                possible,
                target,
            });
        }
    }
    added
}

/// The new handles to verify (the proven ones), in order.
pub fn targets(added: &[Added]) -> Vec<Target> {
    added.iter().filter_map(|a| a.target.clone()).collect()
}

/// One report for all findings: `first`'s results for the findings that were there, then per
/// account its new findings: `second`'s results for proven ones, `possible` for the others.
pub fn merge(friends: &Friends, first: Report, added: &[Added], second: Report) -> Report {
    let mut old = first.results.into_iter();
    let mut new = second.results.into_iter();
    let mut added = added.iter().peekable();
    let mut results = Vec::new();
    for (index, friend) in friends.list.iter().enumerate() {
        let mut mine = Vec::new();
        while let Some(a) = added.next_if(|a| a.friend == index) {
            mine.push(a);
        }
        let before = friend.findings.len() - mine.len();
        results.extend(old.by_ref().take(before));
        for (a, finding) in mine.iter().zip(&friend.findings[before..]) {
            let result = match &a.possible {
                Some(why) => Some(Verification::bare(
                    State::Possible,
                    finding.handle.host(),
                    Some(why.clone()),
                )),
                None => new.next(),
            };
            results.extend(result);
        }
    }
    let mut hosts = first.hosts;
    hosts.extend(second.hosts);
    let mut warnings = first.warnings;
    warnings.extend(second.warnings);
    Report {
        results,
        hosts,
        asked: first.asked + second.asked,
        from_cache: first.from_cache + second.from_cache,
        warnings,
    }
}

/// The evidence a hit brings: one item per proof, or the look-alike name.
fn evidence_of(hit: &Hit) -> Vec<Evidence> {
    match &hit.verdict {
        Verdict::Proven(proofs) => proofs.iter().map(proof_evidence).collect(),
        _ => {
            let name = hit.account.display_name.trim();
            let matched = match name.is_empty() {
                true => format!("@{}", hit.account.acct),
                false => format!("@{} ({name})", hit.account.acct),
            };
            vec![Evidence {
                source: Source::Reverse,
                field: Field::FediName,
                label: None,
                rule: Rule::SameName,
                matched,
            }]
        }
    }
}

fn proof_evidence(proof: &Proof) -> Evidence {
    let (field, label) = match &proof.place {
        Place::Field { name, .. } => (Field::FediField, Some(name.clone())),
        Place::Note => (Field::FediNote, None),
    };
    let rule = match proof.how {
        How::ProfileLink => Rule::TwitterLink,
        How::IntentLink => Rule::TwitterIntent,
        How::Marker => Rule::TwitterMention,
        How::FieldName => Rule::TwitterField,
    };
    Evidence {
        source: Source::Reverse,
        field,
        label,
        rule,
        matched: proof.text.clone(),
    }
}

#[cfg(test)]
mod tests;
