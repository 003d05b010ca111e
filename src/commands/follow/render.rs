//! What `follow`, `block` and `mute` show: the plan, the question, `--jsonl` lines, `--json`
//! documents, the summary, the runs. Pure: values in, text or JSON out.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::{Value, json};

use super::Timing;
use crate::fedi::InstanceInfo;
use crate::fedi::error::clean_server_text;
use crate::fedi::notice::clock_time;
use crate::follow::eta::span;
use crate::follow::journal::{Journal, RunResult};
use crate::follow::plan::{Plan, Skip, UndoStep};
use crate::follow::relation::{Outcome, Relation};
use crate::follow::run::ItemResult;
use crate::ui::thousands;

/// What the plan's heading says.
#[derive(Debug, Clone)]
pub struct Context {
    pub relation: Relation,
    /// `user@domain`.
    pub me: String,
    /// `mastodon 4.3.2`.
    pub software: String,
    pub source: String,
    pub format: &'static str,
    pub run: u32,
    pub continued: bool,
    pub list: Option<String>,
}

/// `mastodon 4.3.2`, cleaned (the server names it).
pub fn software(info: &InstanceInfo) -> String {
    let name = clean_server_text(&info.software.name).unwrap_or_else(|| "unknown".into());
    match info.software.version {
        Some(version) => format!("{name} {version}"),
        None => name,
    }
}

/// `following`, `blocking`, `muting`.
pub fn progressive(relation: Relation) -> &'static str {
    match relation {
        Relation::Follow => "following",
        Relation::Block => "blocking",
        Relation::Mute => "muting",
    }
}

fn row(out: &mut String, label: &str, n: usize, note: &str) {
    if n == 0 && !label.starts_with("to ") {
        return;
    }
    out.push_str(&format!("  {label:<24}{:>7}", thousands(n as u64)));
    if !note.is_empty() {
        out.push_str(&format!("  ({note})"));
    }
    out.push('\n');
}

/// The plan, as a person reads it.
pub fn plan(ctx: &Context, plan: &Plan, timing: &Timing) -> String {
    let verb = ctx.relation.verb();
    let mut out = format!(
        "Plan for @{} ({}), {} from {} ({}){}:\n",
        ctx.me,
        ctx.software,
        progressive(ctx.relation),
        ctx.source,
        ctx.format,
        if ctx.continued {
            format!(", continuing run {}", ctx.run)
        } else {
            String::new()
        }
    );
    row(&mut out, &format!("to {verb}"), plan.steps.len(), "");
    let locked = plan.steps.iter().filter(|s| s.locked).count();
    if ctx.relation == Relation::Follow {
        row(
            &mut out,
            "  of them locked",
            locked,
            "a follow request each",
        );
    }
    let already = ctx.relation.already();
    row(&mut out, already.label(), plan.count(already), "");
    if ctx.relation == Relation::Follow {
        let n = plan.count(Outcome::AlreadyRequested);
        row(&mut out, "already requested", n, "locked accounts");
    }
    row(
        &mut out,
        "not found",
        plan.count(Outcome::NotFound),
        "no such account on the network",
    );
    row(
        &mut out,
        "could not check",
        plan.count(Outcome::Failed),
        "a rerun tries again",
    );
    let lost = plan.count(ctx.relation.done()) + plan.count(Outcome::Requested);
    row(
        &mut out,
        "done, answer was lost",
        lost,
        "found done on the instance",
    );
    let skip = |kind: fn(&Skip) -> bool| plan.skipped_for(kind);
    row(
        &mut out,
        "duplicates",
        skip(|s| matches!(s, Skip::Duplicate { .. })),
        "listed twice",
    );
    row(
        &mut out,
        "yourself",
        skip(|s| matches!(s, Skip::Yourself)),
        "skipped",
    );
    let unverified = skip(|s| matches!(s, Skip::Unverified { .. }));
    row(
        &mut out,
        "not verified",
        unverified,
        "--include-unverified takes them too",
    );
    let before = skip(|s| matches!(s, Skip::DoneBefore { .. }));
    row(
        &mut out,
        "done by earlier runs",
        before,
        "the journal remembers",
    );
    row(
        &mut out,
        "done earlier in this run",
        plan.earlier.len(),
        "not asked again",
    );
    row(
        &mut out,
        "over the follow cap",
        skip(|s| matches!(s, Skip::OverCap)),
        "Mastodon: 7,500, then 1.1 × your followers",
    );
    row(
        &mut out,
        "past --limit",
        skip(|s| matches!(s, Skip::Limit)),
        "left for another run",
    );
    if let Some(list) = &ctx.list {
        out.push_str(&format!(
            "  and put each account followed in the list \"{list}\"\n"
        ));
    }
    out.push_str(&budget_lines(ctx, plan, timing));
    out
}

fn budget_lines(ctx: &Context, plan: &Plan, timing: &Timing) -> String {
    let mut out = String::new();
    if plan.steps.is_empty() {
        return out;
    }
    let budgets: Vec<String> = timing
        .windows
        .iter()
        .map(|(w, what)| w.describe(what))
        .collect();
    let when = SystemTime::now() + timing.eta;
    let eta = if timing.eta.is_zero() {
        "fits in the current budget".to_string()
    } else {
        format!(
            "about {} (done around {})",
            span(timing.eta),
            clock_time(when)
        )
    };
    let guessed = timing.windows.iter().any(|(w, _)| w.remaining.is_none());
    let note = if guessed {
        " (the software's usual figures, until the instance states its own)"
    } else {
        ""
    };
    if budgets.is_empty() {
        out.push_str(&format!("Time: {eta}.\n"));
    } else {
        out.push_str(&format!(
            "Budget: {}{note}; time: {eta}.\n",
            budgets.join(", ")
        ));
    }
    if timing.over_a_day {
        out.push_str(&format!(
            "This is more than a day of the API's follow budget. Mastodon's own import \
             (Preferences → Import and export → Import, type \"Following list\") is not bound by \
             it: write the file with `fedimigrate find ARCHIVE --csv following.csv` and import \
             it there. Or let this run go on over days: it stops within --max-wait, and the same \
             command continues (run {} of the journal).\n",
            ctx.run
        ));
    }
    out
}

/// The confirmation question.
pub fn question(ctx: &Context, n: usize) -> String {
    format!(
        "{} {} account(s) as @{}?",
        capitalised(ctx.relation.verb()),
        thousands(n as u64),
        ctx.me
    )
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// One warning line for a failed action.
pub fn failure(item: &ItemResult) -> String {
    format!(
        "{}: {}",
        item.handle,
        item.reason.as_deref().unwrap_or("failed")
    )
}

/// One `--jsonl` line.
pub fn line(item: &ItemResult) -> Value {
    json!({
        "handle": item.handle.to_string(),
        "result": item.result.name(),
        "reason": item.reason,
        "account_id": item.account_id,
        "acct": item.acct,
        "line": item.line,
    })
}

/// `--jsonl` lines for what the plan settled or skipped.
pub fn plan_lines(plan: &Plan) -> impl Iterator<Item = Value> + '_ {
    let settled = plan.settled.iter().map(|s| {
        json!({
            "handle": s.handle.to_string(),
            "result": s.outcome.name(),
            "reason": s.reason,
            "account_id": s.account_id,
            "line": s.line,
        })
    });
    let skipped = plan.skipped.iter().map(|s| {
        json!({
            "handle": s.handle.to_string(),
            "result": "skipped",
            "reason": s.why.describe(),
            "line": s.line,
        })
    });
    settled.chain(skipped)
}

/// `--dry-run --jsonl` lines for the steps: `"result": "to_follow"` and so on.
pub fn step_lines(plan: &Plan) -> impl Iterator<Item = Value> + '_ {
    let result = format!("to_{}", plan.relation.verb());
    plan.steps.iter().map(move |s| {
        json!({
            "handle": s.handle.to_string(),
            "result": result,
            "reason": s.note,
            "account_id": s.account_id,
            "acct": s.acct,
            "locked": s.locked,
            "line": s.line,
        })
    })
}

/// The `--dry-run --json` document.
pub fn plan_json(ctx: &Context, plan: &Plan, timing: &Timing) -> Value {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    *counts
        .entry(format!("to_{}", ctx.relation.verb()))
        .or_default() += plan.steps.len();
    for s in &plan.settled {
        *counts.entry(s.outcome.name().to_string()).or_default() += 1;
    }
    for s in &plan.skipped {
        let kind = match &s.why {
            Skip::Duplicate { .. } => "duplicate",
            Skip::Yourself => "yourself",
            Skip::Unverified { .. } => "unverified",
            Skip::DoneBefore { .. } => "done_before",
            Skip::OverCap => "over_cap",
            Skip::Limit => "past_limit",
        };
        *counts.entry(kind.to_string()).or_default() += 1;
    }
    let items: Vec<Value> = step_lines(plan).chain(plan_lines(plan)).collect();
    json!({
        "relation": ctx.relation.journal_name(),
        "account": ctx.me,
        "software": ctx.software,
        "run": ctx.run,
        "continued": ctx.continued,
        "counts": counts,
        "budgets": timing.windows.iter().map(|(w, what)| json!({
            "what": what, "limit": w.limit, "period_secs": w.period.as_secs(),
        })).collect::<Vec<_>>(),
        "eta_secs": timing.eta.as_secs(),
        "more_than_a_day": timing.over_a_day,
        "items": items,
    })
}

fn tally(results: &[RunResult]) -> BTreeMap<Outcome, usize> {
    let mut counts = BTreeMap::new();
    for result in results {
        *counts.entry(result.outcome).or_default() += 1;
    }
    counts
}

/// The closing summary of a run (all of it, across reruns).
pub fn summary(
    relation: Relation,
    run: u32,
    undo_of: Option<u32>,
    plan: &Plan,
    results: &[RunResult],
) -> String {
    let counts = tally(results);
    let mut parts: Vec<String> = counts
        .iter()
        .map(|(outcome, n)| format!("{} {}", outcome.label(), thousands(*n as u64)))
        .collect();
    if !plan.skipped.is_empty() {
        parts.push(format!("skipped {}", thousands(plan.skipped.len() as u64)));
    }
    let failed = counts.get(&Outcome::Failed).copied().unwrap_or(0);
    let kind = match undo_of {
        Some(of) => format!("undo of run {of}"),
        None => progressive(relation).to_string(),
    };
    let mut text = format!(
        "Run {run} ({kind}): {}.",
        if parts.is_empty() {
            "nothing done".to_string()
        } else {
            parts.join(", ")
        }
    );
    if failed > 0 {
        text.push_str(&format!(
            " {failed} failed (see the warnings above); the same command retries only them."
        ));
    }
    let left = plan.skipped_for(|s| matches!(s, Skip::Limit));
    if left > 0 {
        text.push_str(&format!(
            " {} left past --limit: the same command goes on with them.",
            thousands(left as u64)
        ));
    }
    text
}

/// The `--json` document of a run.
pub fn summary_json(
    relation: Relation,
    run: u32,
    plan: &Plan,
    results: &[RunResult],
    paused_until: Option<chrono::DateTime<chrono::Utc>>,
) -> Value {
    let counts: BTreeMap<&str, usize> = tally(results)
        .into_iter()
        .map(|(o, n)| (o.name(), n))
        .collect();
    let items: Vec<Value> = results
        .iter()
        .map(|r| {
            json!({"handle": r.handle.to_string(), "result": r.outcome.name(),
                   "account_id": r.account_id, "reason": r.reason})
        })
        .chain(plan.skipped.iter().map(|s| {
            json!({"handle": s.handle.to_string(), "result": "skipped",
                   "reason": s.why.describe(), "line": s.line})
        }))
        .collect();
    json!({
        "relation": relation.journal_name(),
        "run": run,
        "counts": counts,
        "skipped": plan.skipped.len(),
        "paused_until": paused_until,
        "items": items,
    })
}

/// Said when the rate limit ends a run early (or a rerun comes too soon).
pub fn paused(relation: Relation, host: &str, what: &str, at: SystemTime) -> String {
    crate::commands::paused_message(host, what, at, relation.verb())
}

/// `--runs`: one line per run.
pub fn runs(journal: &Journal, relation: Relation) -> String {
    let runs = journal.runs();
    if runs.is_empty() {
        return format!(
            "No {} runs yet ({}).\n",
            relation.verb(),
            journal.path().display()
        );
    }
    let mut out = format!("Runs in {}:\n", journal.path().display());
    for info in runs {
        let counts = tally(&journal.results(info.run));
        let what: Vec<String> = counts
            .iter()
            .map(|(o, n)| format!("{} {n}", o.label()))
            .collect();
        let kind = match info.undo_of {
            Some(of) => format!("undo of run {of}"),
            None => info.input.clone().unwrap_or_default(),
        };
        let state = match (info.complete, info.paused_until) {
            (true, _) => "complete".to_string(),
            (false, Some(until)) => format!("paused until {}", clock_time(until.into())),
            (false, None) => "not finished".to_string(),
        };
        out.push_str(&format!(
            "  {:>3}  {}  {kind}  [{state}]  {}\n",
            info.run,
            info.started.format("%Y-%m-%d %H:%M"),
            what.join(", ")
        ));
    }
    out
}

/// The undo plan, naming the first accounts.
pub fn undo_plan(relation: Relation, of: u32, steps: &[UndoStep], me: &str) -> String {
    let mut text = format!(
        "Undo run {of} for @{me}: {} {} account(s) that run {}",
        relation.undo_verb(),
        thousands(steps.len() as u64),
        match relation {
            Relation::Follow => "followed (or asked to follow)",
            other => other.done().label(),
        }
    );
    const SHOWN: usize = 10;
    if !steps.is_empty() {
        let names: Vec<String> = steps
            .iter()
            .take(SHOWN)
            .map(|s| s.handle.to_string())
            .collect();
        text.push_str(&format!(": {}", names.join(", ")));
        if steps.len() > SHOWN {
            text.push_str(&format!(
                " and {} more",
                thousands((steps.len() - SHOWN) as u64)
            ));
        }
    }
    text.push_str(".\n");
    text
}

/// `--undo --dry-run --json`.
pub fn undo_json(relation: Relation, of: u32, steps: &[UndoStep]) -> Value {
    json!({
        "relation": relation.journal_name(),
        "undo_of": of,
        "count": steps.len(),
        "items": steps.iter().map(|s| json!({
            "handle": s.handle.to_string(),
            "account_id": s.account_id,
            "result": format!("to_{}", relation.undo_verb()),
        })).collect::<Vec<_>>(),
    })
}

/// `--runs --json`.
pub fn runs_json(journal: &Journal) -> Value {
    let runs: Vec<Value> = journal
        .runs()
        .into_iter()
        .map(|info| {
            let counts: BTreeMap<&str, usize> = tally(&journal.results(info.run))
                .into_iter()
                .map(|(o, n)| (o.name(), n))
                .collect();
            json!({
                "run": info.run,
                "undo_of": info.undo_of,
                "started_at": info.started,
                "input": info.input,
                "complete": info.complete,
                "paused_until": info.paused_until,
                "counts": counts,
            })
        })
        .collect();
    json!({"journal": journal.path(), "runs": runs})
}

/// The undo confirmation question.
pub fn undo_question(relation: Relation, n: usize) -> String {
    format!(
        "{} {} account(s)?",
        capitalised(relation.undo_verb()),
        thousands(n as u64)
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::fedi::Budget;
    use crate::follow::eta::Window;
    use crate::follow::input::RowOptions;
    use crate::follow::plan::Step;

    fn context() -> Context {
        Context {
            relation: Relation::Follow,
            me: "me@home.example".into(),
            software: "mastodon 4.3.2".into(),
            source: "matches.jsonl".into(),
            format: "find's JSON Lines",
            run: 3,
            continued: false,
            list: None,
        }
    }

    fn plan_of(n: usize) -> Plan {
        let steps = (0..n)
            .map(|i| Step {
                handle: format!("u{i}@x.example").parse().unwrap(),
                line: i + 1,
                account_id: i.to_string(),
                acct: format!("u{i}@x.example"),
                locked: i == 0,
                options: RowOptions::default(),
                note: None,
            })
            .collect();
        Plan {
            relation: Relation::Follow,
            steps,
            settled: Vec::new(),
            skipped: Vec::new(),
            earlier: Vec::new(),
        }
    }

    fn timing(n: u64) -> Timing {
        let window = Window::of(Budget::new(400, Duration::from_secs(86_400)));
        Timing {
            windows: vec![(window, "follows")],
            eta: crate::follow::eta::estimate(n, &[window]),
            over_a_day: n > window.per_day(),
        }
    }

    #[test]
    fn a_plan_over_a_days_budget_points_to_mastodons_import() {
        let text = plan(&context(), &plan_of(401), &timing(401));
        assert!(text.contains("to follow                   401"), "{text}");
        assert!(text.contains("of them locked              1"), "{text}");
        assert!(text.contains("about 1 day"), "{text}");
        assert!(text.contains("Preferences → Import and export"), "{text}");
        assert!(text.contains("--csv following.csv"), "{text}");
        let small = plan(&context(), &plan_of(10), &timing(10));
        assert!(!small.contains("Import and export"), "{small}");
        assert!(small.contains("fits in the current budget"), "{small}");
    }

    #[test]
    fn the_question_and_the_undo_plan_name_the_account_and_the_addresses() {
        assert_eq!(
            question(&context(), 1_204),
            "Follow 1,204 account(s) as @me@home.example?"
        );
        let steps: Vec<UndoStep> = (0..12)
            .map(|i| UndoStep {
                handle: format!("u{i}@x.example").parse().unwrap(),
                account_id: i.to_string(),
            })
            .collect();
        let text = undo_plan(Relation::Follow, 2, &steps, "me@home.example");
        assert!(
            text.starts_with("Undo run 2 for @me@home.example: unfollow 12"),
            "{text}"
        );
        assert!(text.contains("u0@x.example, u1@x.example"), "{text}");
        assert!(text.contains("and 2 more"), "{text}");
    }
}
