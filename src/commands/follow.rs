//! `fedimigrate follow|block|mute FILE|-`: act on many accounts at once, safely.
//!
//! The flow: read the addresses (`follow::input`) → log in and learn the instance's limits →
//! open the journal (locked) → plan what the input and the journal decide (`follow::plan`)
//! → check the rest on the instance (`follow::run::check`) → the plan, and a confirmation →
//! act, journaling every action (`follow::run::execute`) → the list → a summary. A wait for
//! the rate limit longer than `--max-wait` ends the run early with exit 75 and says when to
//! run the same command again. `--undo` takes back what a run did; `--runs` lists the runs.

mod render;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::{Env, progress_bar, with_bar_notices};
use crate::discover::Handle;
use crate::exit::{Outcome, UsageError};
use crate::fedi::session::connect;
use crate::fedi::{Account, AccountChoice, Cancel, Client, ClientOptions, Family, InstanceInfo};
use crate::follow::eta::{self, Window};
use crate::follow::input::{self, Input};
use crate::follow::journal::{self, Journal, Record};
use crate::follow::plan::{self, Plan, Shape, UndoStep};
use crate::follow::relation::{Outcome as Result_, Relation};
use crate::follow::remote::ActOptions;
use crate::follow::run::{self, Event, ItemResult, Stop};

/// Where the addresses come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Stdin,
}

impl Source {
    fn describe(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Stdin => "standard input".into(),
        }
    }
}

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Human,
    Json,
    Jsonl,
}

/// Which run `--undo` takes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoTarget {
    Last,
    Run(u32),
}

/// Validated options of `follow`, `block` and `mute`.
#[derive(Debug, Clone)]
pub struct Config {
    pub relation: Relation,
    pub source: Option<Source>,
    pub choice: AccountChoice,
    pub include_unverified: bool,
    pub dry_run: bool,
    pub yes: bool,
    pub output: Output,
    pub limit: Option<usize>,
    pub options: ActOptions,
    pub list: Option<String>,
    pub max_wait: Duration,
    pub undo: Option<UndoTarget>,
    pub runs: bool,
}

/// The largest input read (find's JSON for 100,000 follows is far below this).
const MAX_INPUT: u64 = 512 << 20;

/// Who we are on which instance, and what it allows.
struct Me {
    client: Client,
    account: Account,
    /// `user@domain`; `None` when the instance's domain is not a public name (a test server
    /// on an address), then only the account id tells you apart.
    handle: Option<Handle>,
    /// `user@domain` as shown and as the journal's folder.
    acct: String,
    info: InstanceInfo,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    if env.net.offline {
        return Err(UsageError(format!(
            "`{}` acts on your instance; it cannot run with --offline",
            config.relation.verb()
        ))
        .into());
    }
    let input = match &config.source {
        Some(source) => Some(read_input(source, env)?),
        None => None,
    };
    if let Some(input) = &input {
        check_relation(config.relation, input, config.source.as_ref())?;
    }
    let me = log_in(&config, env).await?;
    let path = journal_path(&me, config.relation)?;
    let read_only = config.dry_run || config.runs;
    let mut journal = if read_only {
        Journal::read_only(&path, journal::HINT)
    } else {
        Journal::open(&path, journal::HINT)
    }?;
    if config.runs {
        match config.output {
            Output::Json => print_json(&render::runs_json(&journal))?,
            _ => print_runs(&journal, config.relation)?,
        }
        return Ok(Outcome::Done);
    }
    match (config.undo, input) {
        (Some(target), _) => undo(&config, env, &me, &mut journal, target).await,
        (None, Some(input)) => act(&config, env, &me, &mut journal, input).await,
        (None, None) => Err(UsageError("give a FILE (or - for standard input)".into()).into()),
    }
}

/// Reads and parses the addresses; unreadable lines are warned about.
fn read_input(source: &Source, env: &Env) -> anyhow::Result<Input> {
    let mut bytes = Vec::new();
    let read = match source {
        Source::Stdin => std::io::stdin()
            .lock()
            .take(MAX_INPUT)
            .read_to_end(&mut bytes),
        Source::File(path) => {
            std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT).read_to_end(&mut bytes))
        }
    };
    read.with_context(|| format!("cannot read {}", source.describe()))?;
    let input = input::parse(&bytes)
        .with_context(|| format!("cannot use {} as a list of accounts", source.describe()))?;
    if let Some(first) = input.unreadable.first() {
        env.ui.warn(format_args!(
            "{} line(s) of {} name no account and are skipped (line {}: {})",
            input.unreadable.len(),
            source.describe(),
            first.line,
            crate::fedi::error::clean_server_text(&first.why).unwrap_or_default()
        ));
    }
    Ok(input)
}

/// Refuses find's output about another list: following the accounts you blocked is the
/// one mistake this command must not make.
fn check_relation(
    relation: Relation,
    input: &Input,
    source: Option<&Source>,
) -> anyhow::Result<()> {
    let Some(listed) = input.relation.as_deref() else {
        return Ok(());
    };
    if listed == relation.journal_name() {
        return Ok(());
    }
    let command = match listed {
        "blocks" => "block",
        "mutes" => "mute",
        _ => "follow",
    };
    Err(UsageError(format!(
        "{} lists the accounts of your archive's {listed} (find --relation {listed}); \
         use `fedimigrate {command}` for them, not `fedimigrate {}`",
        source.map(Source::describe).unwrap_or_default(),
        relation.verb()
    ))
    .into())
}

/// Connects as the chosen account and learns who it is and what the instance allows.
async fn log_in(config: &Config, env: &Env) -> anyhow::Result<Me> {
    let session = connect(&config.choice, &env.net, &env.ui)?;
    let options = ClientOptions::bulk(config.max_wait);
    let client = session
        .client
        .with_options(options)
        .with_cancel(Cancel::on_ctrl_c(crate::exit::quit_interrupted));
    let account = client.verify_credentials().await?;
    let info = client.instance_info().await?;
    let handle = Handle::new(&account.username, &info.domain).ok();
    let acct = match &handle {
        Some(handle) => handle.to_string(),
        None => format!("{}@{}", account.username, info.domain),
    };
    Ok(Me {
        client,
        account,
        handle,
        acct,
        info,
    })
}

fn journal_path(me: &Me, relation: Relation) -> anyhow::Result<PathBuf> {
    let data = crate::paths::data_dir()?;
    Ok(journal::path_for(
        &data,
        me.client.host(),
        &me.acct,
        relation,
    ))
}

/// A run's plan and what the person is shown about it.
struct Planned {
    plan: Plan,
    context: render::Context,
    timing: Timing,
    /// The run number (an unfinished one continued, or the next).
    run: u32,
    continued: bool,
    fingerprint: String,
}

/// Plans, confirms and runs follows, blocks or mutes.
async fn act(
    config: &Config,
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    input: Input,
) -> anyhow::Result<Outcome> {
    if input.entries.is_empty() && !input.unreadable.is_empty() {
        return Err(anyhow::anyhow!(
            "{} names no account on any line; expected find's output, a Mastodon CSV or \
             user@host addresses, one a line",
            config
                .source
                .as_ref()
                .map(Source::describe)
                .unwrap_or_default()
        ));
    }
    let fingerprint = journal::fingerprint(input.entries.iter().map(|e| &e.handle));
    let continued = journal.unfinished(None, &fingerprint);
    if let Some(until) = continued.as_ref().and_then(|r| r.paused_until)
        && !config.dry_run
        && let Ok(wait) = (until - Utc::now()).to_std()
        && wait > config.max_wait
    {
        return still_paused(config, me, until, env);
    }
    let planned = plan_run(config, env, me, journal, &input, continued, fingerprint).await?;
    if config.dry_run {
        return print_plan(config, &planned);
    }
    env.ui.info(render::plan(
        &planned.context,
        &planned.plan,
        &planned.timing,
    ));
    let list_pending = planned.continued && config.list.is_some();
    if planned.plan.steps.is_empty() && !list_pending {
        return nothing_to_do(config, env, journal, &planned);
    }
    let Planned { plan, run, .. } = &planned;
    if !plan.steps.is_empty() {
        let question = render::question(&planned.context, plan.steps.len());
        confirm(config, env, &question, me.client.cancel()).await?;
    }
    start_run(
        journal,
        *run,
        !planned.continued,
        &planned.fingerprint,
        config,
    )?;
    record_settled(journal, *run, plan)?;
    emit_plan_lines(config, plan)?;
    let stopped = execute(config, env, me, journal, *run, plan).await;
    finish(config, env, me, journal, *run, plan, stopped).await
}

/// Checks the pending addresses on the instance and decides the plan.
async fn plan_run(
    config: &Config,
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    input: &Input,
    continued: Option<journal::RunInfo>,
    fingerprint: String,
) -> anyhow::Result<Planned> {
    let run = continued
        .as_ref()
        .map_or_else(|| journal.next_run(), |r| r.run);
    let previous = journal.previous(run);
    let prepared = plan::prepare(
        &input.entries,
        me.handle.as_ref(),
        &previous,
        config.include_unverified,
    );
    let facts = check(env, me, journal, &prepared.pending).await?;
    let attempted = match &continued {
        Some(r) => journal.unanswered(r.run),
        None => HashSet::new(),
    };
    let shape = Shape {
        me_id: Some(me.account.id.clone()),
        relation: config.relation,
        limit: config.limit,
        cap_room: cap_room(me),
    };
    let plan = plan::decide(prepared, &facts, &attempted, shape);
    let timing = timing(&plan, me, config.relation);
    let context = render::Context {
        relation: config.relation,
        me: me.acct.clone(),
        software: render::software(&me.info),
        source: config
            .source
            .as_ref()
            .map(Source::describe)
            .unwrap_or_default(),
        format: input.format.describe(),
        run,
        continued: continued.is_some(),
        list: config.list.clone(),
    };
    Ok(Planned {
        plan,
        context,
        timing,
        run,
        continued: continued.is_some(),
        fingerprint,
    })
}

/// Asks the instance about the pending addresses, saying first how many requests that takes.
async fn check(
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    pending: &[crate::follow::input::Entry],
) -> anyhow::Result<std::collections::HashMap<Handle, plan::Fact>> {
    let known = journal.resolved();
    let asks = pending
        .iter()
        .filter(|e| !known.contains_key(&e.handle))
        .count();
    if asks > 0 {
        let api = window_of(&me.client, Family::Api);
        let took = api.map_or(Duration::ZERO, |w| eta::time_for(asks as u64 + 1, &w));
        let when = if took.is_zero() {
            String::new()
        } else {
            format!(", about {} under its request budget", eta::span(took))
        };
        env.ui.info(format_args!(
            "Looking up {} address(es) on {} before the plan{when}…",
            crate::ui::thousands(asks as u64),
            me.client.host()
        ));
    }
    let bar = env.ui.progress(
        Some(pending.len() as u64),
        &format!("checking on {}", me.client.host()),
    );
    let client = with_bar_notices(&me.client, &bar, env);
    let checked = run::check(&client, pending, journal, &mut |_| bar.inc(1)).await;
    bar.finish_and_clear();
    checked.map_err(stop_error)
}

/// No action is left: close a continued run, and exit 3 when checks failed.
fn nothing_to_do(
    config: &Config,
    env: &Env,
    journal: &mut Journal,
    planned: &Planned,
) -> anyhow::Result<Outcome> {
    let plan = &planned.plan;
    let failed = plan.settled.iter().any(|s| s.outcome == Result_::Failed);
    if planned.continued {
        record_settled(journal, planned.run, plan)?;
        journal.write(Record::End {
            run: planned.run,
            complete: !failed,
            at: Utc::now(),
        })?;
    }
    match config.output {
        Output::Json => print_json(&render::plan_json(&planned.context, plan, &planned.timing))?,
        _ => emit_plan_lines(config, plan)?,
    }
    if failed {
        env.ui.warn(
            "some addresses could not be checked on the instance (see the plan); the same command tries them again",
        );
        return Ok(Outcome::Partial);
    }
    env.ui.info("Nothing to do.");
    Ok(Outcome::Done)
}

/// The room left under the account's follow cap, on software that has one.
fn cap_room(me: &Me) -> Option<u64> {
    let cap = plan::follow_cap(&me.info.software.name, me.account.followers_count)?;
    Some(cap.saturating_sub(me.account.following_count))
}

/// The instance's budgets for this relation, and how long the plan takes under them.
pub(crate) struct Timing {
    pub windows: Vec<(Window, &'static str)>,
    pub eta: Duration,
    /// More than one day's budget (Mastodon's own import is then the better road).
    pub over_a_day: bool,
}

fn timing(plan: &Plan, me: &Me, relation: Relation) -> Timing {
    let n = plan.steps.len() as u64;
    let mut windows = Vec::new();
    let family = match relation {
        Relation::Follow => Family::Follows,
        _ => Family::Api,
    };
    for (family, what) in [(family, family.label()), (Family::Api, Family::Api.label())] {
        if windows.iter().any(|(_, w)| *w == what) {
            continue;
        }
        if let Some(window) = window_of(&me.client, family) {
            windows.push((window, what));
        }
    }
    let bare: Vec<Window> = windows.iter().map(|(w, _)| *w).collect();
    let over_a_day = relation == Relation::Follow
        && windows
            .first()
            .is_some_and(|(w, what)| *what == "follows" && n > w.per_day());
    Timing {
        eta: eta::estimate(n, &bare),
        windows,
        over_a_day,
    }
}

/// What the client knows of a family's budget: the server's last word, else the software's.
fn window_of(client: &Client, family: Family) -> Option<Window> {
    let budget = client.budgets().get(family);
    let seen = client.rate_limit(family);
    match (budget, seen) {
        (Some(budget), Some(seen)) => Some(Window {
            limit: seen.limit,
            period: budget.window,
            remaining: Some(seen.remaining),
            resets_in: seen.reset.duration_since(SystemTime::now()).ok(),
        }),
        (Some(budget), None) => Some(Window::of(budget)),
        (None, _) => None,
    }
}

/// Asks the question while Ctrl-C stays Ctrl-C: the client's handler (set at login, so the
/// checks before the plan stop cleanly) would otherwise swallow it while the question
/// waits. Nothing is half-written at a question, so Ctrl-C there ends the process (130).
async fn ask(env: &Env, question: &str, cancel: &Cancel) -> anyhow::Result<bool> {
    let ui = env.ui.clone();
    let question = question.to_string();
    let answer = tokio::task::spawn_blocking(move || ui.confirm(&question, false));
    tokio::select! {
        answer = answer => Ok(answer.context("the question could not be asked")??),
        () = cancel.cancelled() => {
            crate::exit::quit_interrupted();
            Err(crate::exit::Interrupted.into())
        }
    }
}

/// Asks on a terminal; without one, `--yes` is needed.
async fn confirm(
    config: &Config,
    env: &Env,
    question: &str,
    cancel: &Cancel,
) -> anyhow::Result<()> {
    if config.yes {
        return Ok(());
    }
    let why = if config.source == Some(Source::Stdin) {
        "the list came on standard input, so there is no way to ask"
    } else if !env.ui.can_prompt() {
        "there is no terminal to ask on"
    } else {
        ""
    };
    if !why.is_empty() {
        return Err(UsageError(format!(
            "not confirmed: {why}; pass --yes to {} (or --dry-run to only see the plan)",
            config.relation.verb()
        ))
        .into());
    }
    if ask(env, question, cancel).await? {
        Ok(())
    } else {
        Err(UsageError("not confirmed; nothing was done".into()).into())
    }
}

fn start_run(
    journal: &mut Journal,
    run: u32,
    new: bool,
    fingerprint: &str,
    config: &Config,
) -> anyhow::Result<()> {
    if !new {
        return Ok(());
    }
    journal.write(Record::Run {
        run,
        undo_of: None,
        at: Utc::now(),
        input: config.source.as_ref().map(Source::describe),
        fingerprint: fingerprint.to_string(),
    })?;
    Ok(())
}

/// Journals what the check settled (already followed, not found…), so a continued run counts
/// it without asking again.
fn record_settled(journal: &mut Journal, run: u32, plan: &Plan) -> anyhow::Result<()> {
    for settled in &plan.settled {
        let item = ItemResult {
            handle: settled.handle.clone(),
            result: settled.outcome,
            line: Some(settled.line),
            account_id: settled.account_id.clone(),
            acct: None,
            reason: settled.reason.clone(),
        };
        journal.write(run::result_record(run, &item))?;
    }
    Ok(())
}

/// Acts on the plan's steps, with a progress bar and `--jsonl` lines.
async fn execute(
    config: &Config,
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    run: u32,
    plan: &Plan,
) -> Result<(), Stop> {
    let bar = progress_bar(
        env,
        plan.steps.len() as u64,
        render::progressive(config.relation),
    );
    let client = with_bar_notices(&me.client, &bar, env);
    let output = config.output;
    let mut on = |event: Event<'_>| {
        if let Event::Done(item) = event {
            bar.inc(1);
            if item.result == Result_::Failed {
                bar.suspend(|| env.ui.warn(render::failure(item)));
            }
            if output == Output::Jsonl {
                let _ = print_line(&render::line(item));
            }
        }
    };
    let result = run::execute(
        &client,
        &plan.steps,
        config.relation,
        &config.options,
        journal,
        run,
        &mut on,
    )
    .await;
    bar.finish_and_clear();
    result
}

/// The list, the end record, the summary and the exit status.
async fn finish(
    config: &Config,
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    run: u32,
    plan: &Plan,
    stopped: Result<(), Stop>,
) -> anyhow::Result<Outcome> {
    if let Err(stop) = stopped {
        return stop_run(config, env, journal, run, plan, stop);
    }
    let mut partial = false;
    if let Some(title) = &config.list {
        partial |= !fill_list(env, me, journal, run, title).await?;
    }
    let results = journal.results(run);
    let failed = results.iter().any(|r| r.outcome == Result_::Failed);
    let left = plan
        .skipped
        .iter()
        .any(|s| matches!(s.why, plan::Skip::Limit));
    // A run with failures, a list not filled, or addresses past --limit goes on next time.
    journal.write(Record::End {
        run,
        complete: !failed && !partial && !left,
        at: Utc::now(),
    })?;
    print_summary(config, env, plan, &results, run, journal)?;
    Ok(if failed || partial {
        Outcome::Partial
    } else {
        Outcome::Done
    })
}

/// Puts this run's follows into the list; false when that failed (a warning says why).
async fn fill_list(
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    run: u32,
    title: &str,
) -> anyhow::Result<bool> {
    let followed: Vec<String> = journal
        .results(run)
        .into_iter()
        .filter(|r| r.outcome == Result_::Followed)
        .filter_map(|r| r.account_id)
        .collect();
    match run::fill_list(&me.client, title, &followed, journal).await {
        Ok(added) => {
            env.ui.info(format_args!(
                "added {added} account(s) to the list \"{title}\""
            ));
            Ok(true)
        }
        Err(Stop::Client(err)) if !err.is_interrupted() && !err.is_auth_failure() => {
            env.ui.warn(format_args!(
                "could not fill the list \"{title}\": {err}; a rerun tries again"
            ));
            Ok(false)
        }
        Err(stop) => Err(stop_error(stop)),
    }
}

/// A run that stopped early: saved, and the user is told what next.
fn stop_run(
    config: &Config,
    env: &Env,
    journal: &mut Journal,
    run: u32,
    plan: &Plan,
    stop: Stop,
) -> anyhow::Result<Outcome> {
    if matches!(&stop, Stop::Client(err) if err.is_interrupted()) {
        let results = journal.results(run);
        print_summary(config, env, plan, &results, run, journal)?;
        return Err(crate::exit::Interrupted.into());
    }
    let Stop::RateLimited(crate::fedi::Error::RateLimited { host, what, at, .. }) = &stop else {
        return Err(stop_error(stop));
    };
    let until: DateTime<Utc> = (*at).into();
    journal.write(Record::Paused { run, until })?;
    let results = journal.results(run);
    print_summary(config, env, plan, &results, run, journal)?;
    env.ui
        .warn(render::paused(config.relation, host, what, *at));
    Ok(Outcome::Unfinished)
}

/// A run continued while the journal says the budget is not back within `--max-wait`.
fn still_paused(
    config: &Config,
    me: &Me,
    until: DateTime<Utc>,
    env: &Env,
) -> anyhow::Result<Outcome> {
    let what = match config.relation {
        Relation::Follow => "follows",
        _ => "requests",
    };
    if config.output == Output::Json {
        print_json(&serde_json::json!({
            "relation": config.relation.journal_name(),
            "paused_until": until,
        }))?;
    }
    env.ui.warn(format_args!(
        "nothing was sent: {}",
        render::paused(config.relation, me.client.host(), what, until.into())
    ));
    Ok(Outcome::Unfinished)
}

/// Turns a stop into the error the user sees.
fn stop_error(stop: Stop) -> anyhow::Error {
    match stop {
        Stop::Client(err) if err.is_interrupted() => crate::exit::Interrupted.into(),
        Stop::RateLimited(err) | Stop::Client(err) => anyhow::Error::new(err),
        Stop::Journal(err) => anyhow::Error::new(err),
    }
}

fn print_line(value: &serde_json::Value) -> std::io::Result<()> {
    let mut out = crate::stdout::lock();
    serde_json::to_writer(&mut out, value)?;
    writeln!(out)?;
    out.flush()
}

/// `--jsonl` lines for what the plan settled or skipped (actions print as they happen).
fn emit_plan_lines(config: &Config, plan: &Plan) -> anyhow::Result<()> {
    if config.output != Output::Jsonl {
        return Ok(());
    }
    for value in render::plan_lines(plan) {
        print_line(&value)?;
    }
    Ok(())
}

fn print_plan(config: &Config, planned: &Planned) -> anyhow::Result<Outcome> {
    let Planned {
        plan,
        context,
        timing,
        ..
    } = planned;
    let mut out = crate::stdout::lock();
    match config.output {
        Output::Human => out.write_all(render::plan(context, plan, timing).as_bytes())?,
        Output::Json => {
            serde_json::to_writer_pretty(&mut out, &render::plan_json(context, plan, timing))?;
            writeln!(out)?;
        }
        Output::Jsonl => {
            for value in render::step_lines(plan).chain(render::plan_lines(plan)) {
                serde_json::to_writer(&mut out, &value)?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(Outcome::Done)
}

fn print_json(value: &serde_json::Value) -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn print_summary(
    config: &Config,
    env: &Env,
    plan: &Plan,
    results: &[journal::RunResult],
    run: u32,
    journal: &Journal,
) -> anyhow::Result<()> {
    let info = journal.runs().into_iter().find(|r| r.run == run);
    let undo_of = info.as_ref().and_then(|r| r.undo_of);
    let paused_until = info.as_ref().and_then(|r| r.paused_until);
    match config.output {
        Output::Json => {
            let mut out = crate::stdout::lock();
            let doc = render::summary_json(config.relation, run, plan, results, paused_until);
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        _ => env.ui.info(render::summary(
            config.relation,
            run,
            undo_of,
            plan,
            results,
        )),
    }
    Ok(())
}

/// Lists the runs of this journal.
fn print_runs(journal: &Journal, relation: Relation) -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    out.write_all(render::runs(journal, relation).as_bytes())?;
    Ok(())
}

/// `--undo`: takes back exactly what a run did.
async fn undo(
    config: &Config,
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    target: UndoTarget,
) -> anyhow::Result<Outcome> {
    let of = undo_target(journal, target, config.relation)?;
    let fingerprint = format!("undo-{of}");
    let continued = journal.unfinished(Some(of), &fingerprint);
    let run = continued
        .as_ref()
        .map_or_else(|| journal.next_run(), |r| r.run);
    let steps = undo_left(journal, of, config.relation);
    let text = render::undo_plan(config.relation, of, &steps, &me.acct);
    if config.dry_run {
        match config.output {
            Output::Json => print_json(&render::undo_json(config.relation, of, &steps))?,
            _ => crate::stdout::lock().write_all(text.as_bytes())?,
        }
        return Ok(Outcome::Done);
    }
    env.ui.info(text.trim_end());
    if steps.is_empty() {
        return Ok(Outcome::Done);
    }
    confirm(
        config,
        env,
        &render::undo_question(config.relation, steps.len()),
        me.client.cancel(),
    )
    .await?;
    if continued.is_none() {
        journal.write(Record::Run {
            run,
            undo_of: Some(of),
            at: Utc::now(),
            input: None,
            fingerprint,
        })?;
    }
    let output = config.output;
    let mut on = |event: Event<'_>| {
        if let (Event::Done(item), Output::Jsonl) = (event, output) {
            let _ = print_line(&render::line(item));
        }
    };
    let result = run::undo(&me.client, &steps, config.relation, journal, run, &mut on).await;
    let empty = Plan {
        relation: config.relation,
        steps: Vec::new(),
        settled: Vec::new(),
        skipped: Vec::new(),
        earlier: Vec::new(),
    };
    finish(config, env, me, journal, run, &empty, result).await
}

/// What is left to take back of `run`: what it did, and actions whose answer was lost (they
/// may have been done), less what an undo already took back.
fn undo_left(journal: &Journal, run: u32, relation: Relation) -> Vec<UndoStep> {
    let mut done: Vec<(Handle, String, Result_)> = journal
        .results(run)
        .into_iter()
        .filter_map(|r| Some((r.handle, r.account_id?, r.outcome)))
        .collect();
    let lost = journal.open_attempts(run);
    done.extend(lost.into_iter().map(|(h, id)| (h, id, relation.done())));
    plan::undo_steps(&done, &journal.undone(run))
}

/// The run `--undo` means: the one named, or the latest that acted and is not fully undone.
fn undo_target(journal: &Journal, target: UndoTarget, relation: Relation) -> anyhow::Result<u32> {
    let runs = journal.runs();
    let acted = |run: u32| {
        journal
            .results(run)
            .iter()
            .any(|r| r.outcome.is_our_doing())
            || !journal.open_attempts(run).is_empty()
    };
    match target {
        UndoTarget::Run(n) => match runs.iter().find(|r| r.run == n) {
            Some(r) if r.undo_of.is_none() => Ok(n),
            Some(_) => Err(UsageError(format!(
                "run {n} is itself an undo; to take back what it undid, run the original \
                 command again (see `fedimigrate {} --runs`)",
                relation.verb()
            ))
            .into()),
            None => Err(UsageError(format!(
                "there is no run {n} in the {} journal (see `fedimigrate {} --runs`)",
                relation.verb(),
                relation.verb()
            ))
            .into()),
        },
        UndoTarget::Last => {
            let last = runs
                .iter()
                .rev()
                .find(|r| r.undo_of.is_none() && acted(r.run))
                .ok_or_else(|| {
                    UsageError(format!("no run has {} anyone yet", relation.done().label()))
                })?;
            if !undo_left(journal, last.run, relation).is_empty() {
                return Ok(last.run);
            }
            // Never reach further back on its own: an earlier run is named, not guessed.
            Err(UsageError(format!(
                "run {} is already taken back; to take back an earlier run, name it with \
                 --undo RUN (see `fedimigrate {} --runs`)",
                last.run,
                relation.verb()
            ))
            .into())
        }
    }
}
