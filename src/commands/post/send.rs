//! `fedimigrate post ARCHIVE` without `--dry-run`: re-posting for real, resumable, and its
//! `--undo` and `--runs`.
//!
//! The flow: log in and learn the instance (limits, backdating, whether it honours
//! `Idempotency-Key`) → open the journal (locked) → compose every selected tweet, spilled to
//! a temporary file (`preview::compose_for_sending`) → count what is left after earlier runs
//! → the plan and a confirmation → send in thread order with a progress bar
//! (`repost::run::Sender`), journaling every post → the summary. A rate-limit wait beyond
//! `--max-wait` ends the run with exit 75 and says when to rerun.

use std::io::Write;
use std::time::SystemTime;

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::preview::{self, Preview};
use super::render;
use super::{Config, Limits, UndoTarget};
use crate::archive::Archive;
use crate::commands::{Env, progress_bar, with_bar_notices};
use crate::exit::{Outcome, UsageError};
use crate::fedi::session::connect;
use crate::fedi::{Account, Cancel, Client, ClientOptions, InstanceInfo};
use crate::repost::journal::{self, Journal, Record};
use crate::repost::media::UploadLimits;
use crate::repost::run::{Event, Sender, Setup, Stop};
use crate::repost::{ComposeOptions, PostLimits, Selection};
use crate::sanitize::clean;
use crate::ui::thousands;

/// The logged-in account and its instance.
struct Me {
    client: Client,
    account: Account,
    acct: String,
    info: InstanceInfo,
}

/// Runs `post` for real (or `--runs`, `--undo`).
pub async fn run(config: &Config, env: &Env) -> anyhow::Result<Outcome> {
    if env.net.offline {
        return Err(UsageError(
            "`post` without --dry-run publishes on your instance; it cannot run with --offline"
                .into(),
        )
        .into());
    }
    if matches!(config.limits, Limits::Given(_)) {
        return Err(UsageError(
            "--max-chars and its companions are for an offline --dry-run; posting uses the \
             instance's own limits"
                .into(),
        )
        .into());
    }
    let me = log_in(config, env).await?;
    let data = crate::paths::data_dir()?;
    let path = journal::path_for(&data, me.client.host(), &me.acct);
    if config.runs {
        let journal = Journal::read_only(&path, journal::HINT)?;
        crate::stdout::lock().write_all(runs(&journal).as_bytes())?;
        return Ok(Outcome::Done);
    }
    let mut journal = Journal::open(&path, journal::HINT)?;
    match config.undo {
        Some(target) => undo(config, env, &me, &mut journal, target).await,
        None => post(config, env, &me, &mut journal).await,
    }
}

async fn log_in(config: &Config, env: &Env) -> anyhow::Result<Me> {
    let session = connect(&config.choice, &env.net, &env.ui)?;
    let client = session
        .client
        .with_options(ClientOptions::bulk(config.max_wait));
    let account = client.verify_credentials().await?;
    let info = client.instance_info().await?;
    let acct = format!("{}@{}", account.username, info.domain);
    Ok(Me {
        client,
        account,
        acct,
        info,
    })
}

/// Identifies the job: the archive and what was selected from it.
fn fingerprint(config: &Config) -> String {
    let archive = std::fs::canonicalize(&config.archive).unwrap_or(config.archive.clone());
    let parts = [
        archive.display().to_string(),
        format!("since={:?}", config.since),
        format!("until={:?}", config.until),
        format!("only={:?}", config.only_ids),
        format!("skip={:?}", config.skip_ids),
        format!("replies={:?}", config.replies),
        format!("retweets={:?}", config.retweets),
        format!("media-only={}", config.with_media_only),
    ];
    crate::store::journal::fingerprint(parts)
}

/// What is left to send, counted before asking.
struct Left {
    /// Positions in the spill, in thread order, of the posts with chunks to make.
    order: Vec<usize>,
    tweets: u64,
    statuses: u64,
    media: u64,
    /// Statuses made by earlier runs.
    done: u64,
    /// What composing left out of the posts still to make (media), one sentence each.
    warnings: Vec<String>,
}

/// At most this many composing warnings are told one by one.
const TOLD_WARNINGS: usize = 20;

async fn post(
    config: &Config,
    env: &Env,
    me: &Me,
    journal: &mut Journal,
) -> anyhow::Result<Outcome> {
    let fingerprint = fingerprint(config);
    let continued = journal.unfinished(None, &fingerprint);
    if let Some(until) = continued.as_ref().and_then(|r| r.paused_until)
        && let Ok(wait) = (until - Utc::now()).to_std()
        && wait > config.max_wait
    {
        env.ui.warn(format_args!(
            "nothing was sent: {}",
            paused(me.client.host(), "posts", until.into())
        ));
        return Ok(Outcome::Unfinished);
    }
    let (archive, mut spill, counts) = compose(config, env, me).await?;
    let run = continued
        .as_ref()
        .map_or_else(|| journal.next_run(), |r| r.run);
    let sender = Sender::new(&me.client, &archive, journal, setup(config, me, run));
    let left = left(&mut spill, &sender)?;
    for warning in left.warnings.iter().take(TOLD_WARNINGS) {
        env.ui.warn(clean(warning));
    }
    if left.warnings.len() > TOLD_WARNINGS {
        env.ui.warn(format_args!(
            "{} more media file(s) are left out (see `--dry-run`)",
            left.warnings.len() - TOLD_WARNINGS
        ));
    }
    let (took, limits) = render::eta(left.statuses, left.media, &me.client.budgets());
    env.ui
        .info(plan_text(config, me, &counts, &left, took, &limits));
    if left.order.is_empty() {
        return Ok(Outcome::Done);
    }
    let question = format!(
        "Publish {} post(s) on your instance?",
        thousands(left.statuses)
    );
    confirm(
        config,
        env,
        &question,
        "post (or --dry-run to see every post first)",
        "nothing was posted",
    )?;
    drop(sender);
    if continued.is_none() {
        journal.write(Record::Run {
            run,
            undo_of: None,
            at: Utc::now(),
            input: Some(config.archive.display().to_string()),
            fingerprint,
        })?;
    }
    let bar = progress_bar(env, left.statuses, "posting");
    let client = sending_client(&me.client, &bar, env);
    let stopped = {
        let mut sender = Sender::new(&client, &archive, journal, setup(config, me, run));
        send_all(config, env, &mut sender, &mut spill, &left, &bar).await
    };
    bar.finish_and_clear();
    finish(env, journal, run, stopped, "posted")
}

fn setup(config: &Config, me: &Me, run: u32) -> Setup {
    Setup {
        run,
        account_id: me.account.id.clone(),
        capabilities: me.info.capabilities,
        uploads: UploadLimits {
            image_size_limit: me.info.limits.image_size_limit,
            video_size_limit: me.info.limits.video_size_limit,
            supported_mime_types: me.info.limits.supported_mime_types.clone(),
        },
        backdate: config.backdate,
    }
}

/// The client that sends, once the user said yes: its notices (waits, retries) print above
/// the progress bar, and Ctrl-C stops it between requests (exit 130, the journal flushed).
/// Until then Ctrl-C keeps its plain meaning, so it ends the question or the composing at
/// once: nothing is written before the answer.
fn sending_client(client: &Client, bar: &indicatif::ProgressBar, env: &Env) -> Client {
    with_bar_notices(client, bar, env).with_cancel(Cancel::on_ctrl_c(crate::exit::quit_interrupted))
}

/// Opens the archive and composes every selected tweet (on a blocking thread).
async fn compose(
    config: &Config,
    env: &Env,
    me: &Me,
) -> anyhow::Result<(Archive, Preview, preview::Counts)> {
    let limits = PostLimits::from_instance(&me.info);
    let target = super::Target {
        account: me.acct.clone(),
        limits,
        budgets: me.client.budgets(),
        describe: String::new(),
    };
    let (selection, mut options): (Selection, ComposeOptions) =
        super::prepare(config, &target, env)?;
    let ui = env.ui.clone();
    let path = config.archive.clone();
    tokio::task::spawn_blocking(
        move || -> anyhow::Result<(Archive, Preview, preview::Counts)> {
            let archive = Archive::open(&path)?;
            options.owner_names = super::owner_names(&archive);
            let spill = preview::compose_for_sending(&archive, &selection, &options, &ui)
                .with_context(|| format!("cannot compose the posts of {}", path.display()))?;
            for warning in archive.warnings() {
                ui.warn(warning);
            }
            let counts = spill.counts.clone();
            Ok((archive, spill, counts))
        },
    )
    .await
    .context("the archive reader stopped unexpectedly")?
}

/// Reads every composed post back once to count what earlier runs have not made.
fn left(spill: &mut Preview, sender: &Sender<'_>) -> anyhow::Result<Left> {
    let mut left = Left {
        order: Vec::new(),
        tweets: 0,
        statuses: 0,
        media: 0,
        done: 0,
        warnings: Vec::new(),
    };
    for i in spill.order() {
        let post = spill.post(i)?;
        let pending = sender.pending(&post);
        left.done += sender.made_count(&post) as u64;
        if pending.is_empty() {
            continue;
        }
        if pending.iter().any(|c| c.index == 0) {
            left.warnings.extend(post.warnings.iter().cloned());
        }
        left.order.push(i);
        left.tweets += 1;
        left.statuses += pending.len() as u64;
        left.media += pending.iter().map(|c| c.media.len() as u64).sum::<u64>();
    }
    Ok(left)
}

fn plan_text(
    config: &Config,
    me: &Me,
    counts: &preview::Counts,
    left: &Left,
    took: std::time::Duration,
    limits: &str,
) -> String {
    let software = match &me.info.software.version {
        Some(v) => format!("{} {v}", clean(&me.info.software.name)),
        None => clean(&me.info.software.name).to_string(),
    };
    let mut out = format!(
        "Re-posting {} as {} on {} ({software}).\n",
        config.archive.display(),
        clean(&me.acct),
        clean(me.client.host()),
    );
    out.push_str(&format!(
        "  {} of {} tweets selected; {} post(s) to make for {} tweet(s), with {} media file(s)\n",
        thousands(counts.selected),
        thousands(counts.read),
        thousands(left.statuses),
        thousands(left.tweets),
        thousands(left.media),
    ));
    if left.done > 0 {
        out.push_str(&format!(
            "  {} post(s) already made by earlier runs are skipped\n",
            thousands(left.done)
        ));
    }
    if counts.unpostable > 0 || counts.media_left_out > 0 {
        out.push_str(&format!(
            "  left out: {} tweet(s) that cannot be posted, {} media file(s) (see the warnings above)\n",
            thousands(counts.unpostable),
            thousands(counts.media_left_out)
        ));
    }
    let dates = match (me.info.capabilities.can_backdate, config.backdate) {
        (true, crate::repost::backdate::Backdate::Auto) => {
            "posts keep their tweets' dates (the instance backdates)"
        }
        (true, _) => "posts are dated now (--backdate never)",
        (false, _) => {
            "posts are dated now (the instance cannot backdate; --date-footer says when they were first posted)"
        }
    };
    out.push_str(&format!("  {dates}\n"));
    out.push_str(&format!(
        "  visibility: {}; time: {} ({limits})\n",
        config.visibility.as_str(),
        render::time_text(took)
    ));
    out
}

/// Asks `question` on a terminal; without one, `--yes` is needed (`to` says for what).
/// `refused` is what a "no" leaves done.
fn confirm(
    config: &Config,
    env: &Env,
    question: &str,
    to: &str,
    refused: &str,
) -> anyhow::Result<()> {
    if config.yes {
        return Ok(());
    }
    if !env.ui.can_prompt() {
        let why = format!("not confirmed: there is no terminal to ask on; pass --yes to {to}");
        return Err(UsageError(why).into());
    }
    if env.ui.confirm(question, false)? {
        Ok(())
    } else {
        Err(UsageError(format!("not confirmed; {refused}")).into())
    }
}

/// Sends every post left, in order, with a progress bar and `--jsonl` lines.
async fn send_all(
    config: &Config,
    env: &Env,
    sender: &mut Sender<'_>,
    spill: &mut Preview,
    left: &Left,
    bar: &indicatif::ProgressBar,
) -> Result<(), Stop> {
    for tweet in sender.unconfirmed_tweets() {
        bar.suspend(|| {
            env.ui.info(format_args!(
                "the answer to a post of tweet {tweet} was lost last time: it is looked for \
                 on the instance before it is sent again"
            ))
        });
    }
    let jsonl = config.output == super::Output::Jsonl;
    let mut on = |event: Event<'_>| on_event(event, bar, env, jsonl);
    let mut result = Ok(());
    for &i in &left.order {
        let post = match spill.post(i) {
            Ok(post) => post,
            Err(err) => {
                bar.suspend(|| env.ui.warn(format_args!("{err:#}")));
                continue;
            }
        };
        if let Err(stop) = sender.send(&post, &mut on).await {
            result = Err(stop);
            break;
        }
    }
    result
}

fn on_event(event: Event<'_>, bar: &indicatif::ProgressBar, env: &Env, jsonl: bool) {
    let line = match event {
        Event::Posted {
            tweet_id,
            chunk,
            total,
            status,
            recovered,
        } => {
            bar.inc(1);
            serde_json::json!({
                "tweet_id": tweet_id, "chunk": chunk, "total": total, "result": "posted",
                "status_id": status.id, "url": status.url, "recovered": recovered,
            })
        }
        Event::Failed {
            tweet_id,
            chunk,
            reason,
        } => {
            bar.inc(1);
            bar.suspend(|| {
                env.ui.warn(format_args!(
                    "tweet {tweet_id} (post {}) was not posted: {}",
                    chunk + 1,
                    clean(reason)
                ))
            });
            serde_json::json!({
                "tweet_id": tweet_id, "chunk": chunk, "result": "failed", "reason": reason,
            })
        }
        Event::MediaSkipped { tweet_id, why } => {
            bar.suspend(|| {
                env.ui
                    .warn(format_args!("tweet {tweet_id}: {}", clean(&why)))
            });
            return;
        }
        Event::Deleted { status_id } => {
            bar.inc(1);
            serde_json::json!({"status_id": status_id, "result": "deleted"})
        }
    };
    if jsonl {
        let mut out = crate::stdout::lock();
        let _ = serde_json::to_writer(&mut out, &line);
        let _ = out.write_all(b"\n");
    }
}

/// A run that stopped on a client error: the error first, then what it means. The error
/// stays in the chain, so the exit status is still the client error's (4, 130…).
#[derive(Debug, thiserror::Error)]
#[error("{0}; what was posted is saved, and the same command continues it")]
struct Stopped(#[source] crate::fedi::Error);

/// The end record, the summary and the exit status, or what a stop means.
fn finish(
    env: &Env,
    journal: &mut Journal,
    run: u32,
    stopped: Result<(), Stop>,
    verb: &str,
) -> anyhow::Result<Outcome> {
    let tally = journal.tally(run);
    let summary = summary(&tally, verb);
    match stopped {
        Ok(()) => {
            let failed = !tally.failed.is_empty();
            journal.write(Record::End {
                run,
                complete: !failed,
                at: Utc::now(),
            })?;
            env.ui.info(summary);
            Ok(if failed {
                Outcome::Partial
            } else {
                Outcome::Done
            })
        }
        Err(Stop::Client(err)) if err.is_interrupted() => {
            env.ui.info(summary);
            Err(crate::exit::Interrupted.into())
        }
        Err(Stop::RateLimited(crate::fedi::Error::RateLimited { host, what, at, .. })) => {
            let until: DateTime<Utc> = at.into();
            journal.write(Record::Paused { run, until })?;
            env.ui.info(summary);
            env.ui.warn(paused(&host, what, at));
            Ok(Outcome::Unfinished)
        }
        Err(Stop::RateLimited(err) | Stop::Client(err)) => {
            env.ui.info(summary);
            Err(Stopped(err).into())
        }
        Err(Stop::Journal(err)) => Err(err.into()),
    }
}

fn summary(tally: &journal::Tally, verb: &str) -> String {
    let mut out = match verb {
        "deleted" => format!("Deleted {} post(s)", thousands(tally.deleted)),
        _ => format!("Posted {} status(es)", thousands(tally.posted)),
    };
    if tally.recovered > 0 {
        out.push_str(&format!(
            " ({} found on the instance after their answer was lost)",
            thousands(tally.recovered)
        ));
    }
    if !tally.failed.is_empty() {
        out.push_str(&format!(
            "; {} could not be posted (a rerun tries them again)",
            thousands(tally.failed.len() as u64)
        ));
    }
    out.push('.');
    out
}

fn paused(host: &str, what: &str, at: SystemTime) -> String {
    crate::commands::paused_message(host, what, at, "post")
}

/// `--runs`: one line per run.
fn runs(journal: &Journal) -> String {
    let runs = journal.runs();
    if runs.is_empty() {
        return format!("No post runs yet ({}).\n", journal.path().display());
    }
    let mut out = format!("Runs in {}:\n", journal.path().display());
    for info in runs {
        let tally = journal.tally(info.run);
        let kind = match info.undo_of {
            Some(of) => format!("undo of run {of}"),
            None => info.input.clone().unwrap_or_default(),
        };
        let state = match (info.complete, info.paused_until) {
            (true, _) => "complete".to_string(),
            (false, Some(until)) => format!(
                "paused until {}",
                crate::fedi::notice::clock_time(until.into())
            ),
            (false, None) => "not finished".to_string(),
        };
        let what = match info.undo_of {
            Some(_) => format!("deleted {}", tally.deleted),
            None => format!("posted {}, failed {}", tally.posted, tally.failed.len()),
        };
        out.push_str(&format!(
            "  {:>3}  {}  {kind}  [{state}]  {what}\n",
            info.run,
            info.started.format("%Y-%m-%d %H:%M"),
        ));
    }
    out
}

/// `--undo`: deletes exactly the posts a run made.
async fn undo(
    config: &Config,
    env: &Env,
    me: &Me,
    journal: &mut Journal,
    target: UndoTarget,
) -> anyhow::Result<Outcome> {
    let of = undo_target(journal, target)?;
    let fingerprint = format!("undo-{of}");
    let continued = journal.unfinished(Some(of), &fingerprint);
    let run = continued
        .as_ref()
        .map_or_else(|| journal.next_run(), |r| r.run);
    let left = journal.made_by(of).len();
    let lost = journal
        .unconfirmed()
        .into_iter()
        .filter(|u| u.run == of)
        .count();
    env.ui.info(format_args!(
        "Undo of run {of}: {} post(s) by {} to delete, newest first{}.",
        thousands(left as u64),
        clean(&me.acct),
        if lost > 0 {
            format!(
                "; {lost} post(s) whose answer was lost are not known to the journal: check \
                 the account's latest posts"
            )
        } else {
            String::new()
        }
    ));
    if left == 0 {
        return Ok(Outcome::Done);
    }
    let question = format!("Delete {} post(s)?", thousands(left as u64));
    confirm(config, env, &question, "delete", "nothing was deleted")?;
    if continued.is_none() {
        journal.write(Record::Run {
            run,
            undo_of: Some(of),
            at: Utc::now(),
            input: None,
            fingerprint,
        })?;
    }
    let bar = progress_bar(env, left as u64, "deleting");
    let client = sending_client(&me.client, &bar, env);
    let jsonl = config.output == super::Output::Jsonl;
    let stopped = {
        let mut on = |event: Event<'_>| on_event(event, &bar, env, jsonl);
        crate::repost::run::undo(&client, journal, run, of, &mut on).await
    };
    bar.finish_and_clear();
    finish(env, journal, run, stopped, "deleted")
}

/// The run `--undo` means: the one named, or the latest that posted and has posts left.
fn undo_target(journal: &Journal, target: UndoTarget) -> anyhow::Result<u32> {
    let runs = journal.runs();
    match target {
        UndoTarget::Run(n) => match runs.iter().find(|r| r.run == n) {
            Some(r) if r.undo_of.is_none() => Ok(n),
            Some(_) => Err(UsageError(format!(
                "run {n} is itself an undo; to post again, run `fedimigrate post ARCHIVE` \
                 (see `fedimigrate post --runs`)"
            ))
            .into()),
            None => Err(UsageError(format!(
                "there is no run {n} in the post journal (see `fedimigrate post --runs`)"
            ))
            .into()),
        },
        UndoTarget::Last => {
            let last = runs
                .iter()
                .rev()
                .find(|r| r.undo_of.is_none() && journal.tally(r.run).posted > 0)
                .ok_or_else(|| UsageError("no run has posted anything yet".into()))?;
            if !journal.made_by(last.run).is_empty() {
                return Ok(last.run);
            }
            Err(UsageError(format!(
                "run {} is already deleted; to delete an earlier run, name it with --undo RUN \
                 (see `fedimigrate post --runs`)",
                last.run
            ))
            .into())
        }
    }
}
