//! `fedimigrate find`: which followed (or, with `--relation`, blocked or muted) accounts are on
//! the fediverse, under which handle, with proof, and where they live.
//!
//! The flow: read the archive (the list: following, block or mute; names and handles from your
//! own tweets) →
//! profile records from `--profiles` files and, with `--x-api`, the X API → handles per
//! account (`discover::friends`) → verification (`discover::verify`, skipped with
//! `--offline`) → `discover::matches` → human summary, `--json`/`--jsonl`, `--csv`.
//! Messages and progress go to stderr, results to stdout.

mod human;
mod reverse;
mod words;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use super::Env;
use crate::archive::{Archive, Topic};
use crate::discover::cache::VerifyCache;
use crate::discover::friends::{self, ArchiveClues};
use crate::discover::import_csv::ImportKind;
use crate::discover::matches::{Findings, Relation};
use crate::discover::verify::{Event, Progress, Report, Settings, Target, Verifier};
use crate::discover::xapi::{self, Token, XApi, XCache};
use crate::discover::{Bridge, ExtractOptions, Profile, ProfileSource, import_csv, profile_file};
use crate::exit::{Interrupted, Outcome, UsageError};

/// How results are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Human,
    /// One JSON document.
    Json,
    /// One JSON object per account of the list.
    Jsonl,
}

/// Where the X API is and how to authenticate (`--x-api`).
#[derive(Debug, Clone)]
pub struct XApiConfig {
    pub token_file: Option<PathBuf>,
    pub base_url: String,
}

/// `--reverse`: the account whose instance is searched, and other instances searched
/// without one (`--reverse-on`).
#[derive(Debug, Clone)]
pub struct ReverseConfig {
    pub choice: crate::fedi::AccountChoice,
    pub on: Vec<String>,
}

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub archive: PathBuf,
    /// The archive's list whose accounts are looked for.
    pub relation: Relation,
    pub profiles: Vec<PathBuf>,
    pub x_api: Option<XApiConfig>,
    pub refresh: bool,
    pub output: Output,
    pub csv: Option<PathBuf>,
    pub bridges: Vec<Bridge>,
    pub concurrency: usize,
    pub per_host: usize,
    pub yes: bool,
    pub reverse: Option<ReverseConfig>,
}

/// What the archive told us.
struct FromArchive {
    /// The account ids of the list (`--relation`), in archive order.
    ids: Vec<String>,
    /// False when the archive has no file for the list at all.
    has_list: bool,
    clues: ArchiveClues,
    warnings: Vec<String>,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    if let Some(path) = &config.csv {
        check_csv_target(path, env.net.offline)?;
    }
    if config.reverse.is_some() && env.net.offline {
        return Err(UsageError(
            "--reverse searches your instance and --offline uses no network: drop one of them"
                .into(),
        )
        .into());
    }
    let opts = ExtractOptions {
        bridges: config.bridges.clone(),
    };
    let archive = read_archive(config.archive.clone(), config.relation, opts.clone()).await?;
    for warning in &archive.warnings {
        env.ui.warn(warning);
    }
    let mut profiles = read_profile_files(&config.profiles, env)?;
    if archive.ids.is_empty() {
        env.ui.warn(empty_list_warning(
            config.relation,
            archive.has_list,
            !config.profiles.is_empty(),
        ));
    }
    if let Some(x) = &config.x_api {
        let missing = ids_without_profiles(&archive.ids, &profiles);
        profiles.extend(x_api_profiles(x, &missing, &config, env).await?);
    }
    let mut friends = match config.relation {
        Relation::Following => friends::assemble(&archive.ids, profiles, &archive.clues, &opts),
        Relation::Blocks | Relation::Mutes => {
            friends::assemble_listed(&archive.ids, profiles, &archive.clues, &opts)
        }
    };
    if !config.profiles.is_empty() && !archive.ids.is_empty() {
        warn_if_no_record_matched(&friends, config.relation, env);
    }
    let targets: Vec<Target> = friends
        .list
        .iter()
        .flat_map(|f| &f.findings)
        .map(friends::target_of)
        .collect();
    let mut report = verify(&targets, &config, env).await?;
    let mut searched = None;
    if let Some(reverse) = &config.reverse {
        let done =
            reverse::run(reverse, &mut friends, &archive.clues, report, &config, env).await?;
        report = done.report;
        searched = Some(done.searches);
    }
    for warning in &report.warnings {
        env.ui.warn(warning);
    }
    let mut findings = Findings::build(config.relation, &friends, &report);
    if let Some(searches) = searched {
        findings.totals.reverse = Some(reverse::totals(&findings, searches));
    }
    print(&findings, &config, env)?;
    if let Some(path) = &config.csv {
        write_csv(path, &findings, env)?;
    }
    Ok(Outcome::Done)
}

/// Reads the list and scans the owner's tweets, on a blocking thread. A list file that is
/// there but cannot be read is an error, whichever the list.
async fn read_archive(
    path: PathBuf,
    relation: Relation,
    opts: ExtractOptions,
) -> anyhow::Result<FromArchive> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<FromArchive> {
        let archive = Archive::open(&path)?;
        let (ids, topic) = match relation {
            Relation::Following => (archive.following_ids()?, Topic::Following),
            Relation::Blocks => (archive.blocks()?, Topic::Blocks),
            Relation::Mutes => (archive.mutes()?, Topic::Mutes),
        };
        let clues = learn_from_tweets(&archive, ArchiveClues::new(&ids, opts))?;
        Ok(FromArchive {
            ids,
            has_list: archive.holds(topic),
            clues,
            warnings: archive.warnings_about(&[topic, Topic::Tweets, Topic::Owner]),
        })
    })
    .await
    .context("the archive reader stopped unexpectedly")?
}

/// Feeds the owner's tweets to `clues`. The handle extraction runs on a thread of its own,
/// in tweet order, while this one reads the archive (and a third inflates it).
fn learn_from_tweets(archive: &Archive, mut clues: ArchiveClues) -> anyhow::Result<ArchiveClues> {
    const BATCH: usize = 256;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<crate::archive::TweetWords>>(8);
    // Batches come back to be dropped where they were allocated: freeing memory another
    // thread allocated takes the allocator's slow path.
    let (done, back) = std::sync::mpsc::channel::<Vec<crate::archive::TweetWords>>();
    std::thread::scope(|scope| {
        let learner = scope.spawn(move || {
            for batch in rx {
                for tweet in &batch {
                    clues.add(tweet);
                }
                // The reader may be gone (it stopped on an error); the batch is dropped here.
                let _ = done.send(batch);
            }
            clues
        });
        let mut batch = Vec::with_capacity(BATCH);
        let read = archive.for_each_own_tweet(|tweet| -> Result<_, crate::archive::ArchiveError> {
            batch.push(tweet);
            if batch.len() == BATCH {
                let spare = back.try_recv().map_or_else(
                    |_| Vec::with_capacity(BATCH),
                    |mut used| {
                        used.clear();
                        used
                    },
                );
                let full = std::mem::replace(&mut batch, spare);
                // The learner only hangs up by panicking, which the join below reports.
                if tx.send(full).is_err() {
                    return Ok(std::ops::ControlFlow::Break(()));
                }
            }
            Ok(std::ops::ControlFlow::Continue(()))
        });
        let _ = tx.send(batch);
        drop(tx);
        let clues = learner
            .join()
            .map_err(|_| anyhow::anyhow!("the handle finder stopped unexpectedly"))?;
        read?;
        Ok(clues)
    })
}

/// What to say when the list is empty. Without a following list the profile files stand for
/// the follows; blocks and mutes are never guessed (`friends::assemble_listed`).
fn empty_list_warning(relation: Relation, has_list: bool, with_profiles: bool) -> String {
    let words = words::Words::of(relation);
    let past = words.past;
    match (relation, has_list) {
        (Relation::Following, _) => {
            let next = if with_profiles {
                "taking every account in the profile files as one you follow"
            } else {
                "pass --profiles FILE with the accounts you follow"
            };
            format!(
                "the archive lists no followed accounts (archives from before 2019 have no following list): {next}"
            )
        }
        (_, false) => format!(
            "the archive has no {} (archives from before 2019 have none), so there are no {past} accounts to look for",
            words.file
        ),
        (_, true) => format!(
            "the archive's {} lists no accounts, so there are no {past} accounts to look for",
            words.file
        ),
    }
}

/// Reads every `--profiles` file; records it could not use are reported, not fatal.
fn read_profile_files(paths: &[PathBuf], env: &Env) -> anyhow::Result<Vec<Profile>> {
    let mut profiles = Vec::new();
    for path in paths {
        let file = profile_file::read(path)?;
        if !file.skipped.is_empty() {
            let first = &file.skipped[0];
            env.ui.warn(format_args!(
                "{}: skipped {} record(s) that name no account (first: record {}, {})",
                path.display(),
                file.skipped.len(),
                first.record,
                first.reason
            ));
        }
        for note in &file.notes {
            env.ui.warn(note);
        }
        profiles.extend(file.profiles);
    }
    Ok(profiles)
}

/// Warns when the profile files describe none of the list's accounts: probably the wrong
/// file (followers instead of following, another account's list).
fn warn_if_no_record_matched(friends: &friends::Friends, relation: Relation, env: &Env) {
    let matched = friends
        .list
        .iter()
        .any(|f| f.id.is_some() && f.has_profile_data());
    if !matched {
        let others = match friends.not_followed {
            0 => String::new(),
            n => format!(
                " ({} are of other accounts)",
                crate::ui::thousands(n as u64)
            ),
        };
        let you = words::Words::of(relation).you;
        env.ui.warn(format_args!(
            "no record in the profile file(s) is an account {you}{others}: \
             is it the list of the accounts {you}?"
        ));
    }
}

/// Ids of the list that no profile record describes (the ones worth paying the X API for).
fn ids_without_profiles(ids: &[String], profiles: &[Profile]) -> Vec<String> {
    let known: std::collections::HashSet<&str> =
        profiles.iter().filter_map(|p| p.id.as_deref()).collect();
    ids.iter()
        .filter(|id| !known.contains(id.as_str()))
        .cloned()
        .collect()
}

/// Profiles from the X API: cached pages, plus a fetch of the rest after saying what it
/// costs (and asking, unless `--yes`). With `--offline`, cached pages only.
async fn x_api_profiles(
    x: &XApiConfig,
    ids: &[String],
    config: &Config,
    env: &Env,
) -> anyhow::Result<Vec<Profile>> {
    let mut cache = XCache::open_default()?;
    let plan = xapi::plan(ids, &cache, config.refresh);
    if plan.lookups > 0 && env.net.offline {
        env.ui.warn(format_args!(
            "--offline: using cached X API profiles only ({} of {} accounts are not cached)",
            plan.users,
            ids.len()
        ));
    } else if plan.lookups > 0 {
        env.ui.info(format_args!("X API: {}", plan.describe()));
        let token = Token::load(x.token_file.as_deref())?;
        confirm_cost(config.yes, env)?;
        let client = XApi::new(&env.net, &x.base_url, token)?;
        let ui = env.ui.clone();
        let on_wait = move |wait: std::time::Duration| {
            ui.warn(format_args!(
                "X API rate limit reached: waiting {} s for the next window",
                wait.as_secs()
            ));
        };
        let fetched = client
            .fetch(ids, &mut cache, config.refresh, &on_wait)
            .await;
        for warning in cache.take_warnings() {
            env.ui.warn(warning);
        }
        let summary = fetched?;
        env.ui.info(format_args!(
            "X API: {} lookup(s), {} profiles, {} accounts not found or suspended",
            summary.lookups, summary.found, summary.missing
        ));
    }
    profiles_from_document(&cache.document(ids))
}

fn confirm_cost(yes: bool, env: &Env) -> anyhow::Result<()> {
    if yes {
        return Ok(());
    }
    if !env.ui.can_prompt() {
        return Err(UsageError(
            "the X API lookups cost money: rerun with --yes to accept, or without --x-api".into(),
        )
        .into());
    }
    if env.ui.confirm("Go ahead?", false)? {
        Ok(())
    } else {
        Err(UsageError("stopped: the X API lookups were not confirmed".into()).into())
    }
}

/// Reads cached X API users with the profile-file parser (it knows X's user shapes).
fn profiles_from_document(document: &serde_json::Value) -> anyhow::Result<Vec<Profile>> {
    let has_users = document["data"].as_array().is_some_and(|d| !d.is_empty());
    if !has_users {
        return Ok(Vec::new());
    }
    let bytes = serde_json::to_vec(document)?;
    let file = profile_file::parse(bytes.as_slice(), "the X API cache")?;
    Ok(file
        .profiles
        .into_iter()
        .map(|p| Profile {
            source: ProfileSource::XApi,
            ..p
        })
        .collect())
}

/// Verifies every candidate (or marks them unverified with `--offline`), with a progress bar
/// and Ctrl-C: results are saved as they arrive, so an interrupted run resumes.
async fn verify(targets: &[Target], config: &Config, env: &Env) -> anyhow::Result<Report> {
    if env.net.offline || targets.is_empty() {
        return Ok(Report::unverified(targets));
    }
    let settings = Settings {
        concurrency: config.concurrency,
        per_host: config.per_host,
        refresh: config.refresh,
        ..Settings::default()
    };
    let verifier = Verifier::new(&env.net, settings)?;
    let mut cache = match VerifyCache::open_default() {
        Ok(cache) => cache,
        Err(err) => {
            env.ui.warn(format_args!(
                "{err}; results will not be kept for the next run"
            ));
            VerifyCache::in_memory()
        }
    };
    let bar = env.ui.progress(Some(targets.len() as u64), "verifying");
    let progress = progress_of(bar.clone());
    let report = tokio::select! {
        report = verifier.verify(targets, &mut cache, Some(progress)) => report,
        _ = tokio::signal::ctrl_c() => {
            bar.finish_and_clear();
            return Err(anyhow::Error::new(Interrupted).context(
                "interrupted; the results so far are saved and a rerun continues from there",
            ));
        }
    };
    bar.finish_and_clear();
    Ok(report)
}

fn progress_of(bar: indicatif::ProgressBar) -> Progress {
    Arc::new(move |event: &Event<'_>| match event {
        Event::Started { total, .. } => bar.set_length(*total as u64),
        Event::Checked { .. } => bar.inc(1),
        Event::HostDead { host, .. } => bar.set_message(format!("verifying ({host} is down)")),
        Event::Waiting { host, wait } => bar.set_message(format!(
            "verifying ({host} asked to wait {} s)",
            wait.as_secs()
        )),
    })
}

/// One `--jsonl` line: the account, and the list it comes from.
#[derive(serde::Serialize)]
struct Line<'a> {
    relation: crate::discover::matches::Relation,
    #[serde(flatten)]
    account: &'a crate::discover::matches::Account,
}

fn print(findings: &Findings, config: &Config, env: &Env) -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    match config.output {
        Output::Json => {
            serde_json::to_writer_pretty(&mut out, findings)?;
            writeln!(out)?;
        }
        Output::Jsonl => {
            for account in &findings.accounts {
                // Each line says which list it is about, so `follow` never takes blocks.
                let line = Line {
                    relation: findings.relation,
                    account,
                };
                serde_json::to_writer(&mut out, &line)?;
                writeln!(out)?;
            }
        }
        Output::Human => {
            let text = human::render(findings, env.net.offline);
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Refuses a `--csv` destination that cannot work, before any time is spent.
fn check_csv_target(path: &Path, offline: bool) -> Result<(), UsageError> {
    if path.as_os_str() == "-" {
        return Err(UsageError(
            "--csv needs a file name (a long list is split into several files)".into(),
        ));
    }
    if offline {
        return Err(UsageError(
            "--csv lists verified accounts only and --offline verifies nothing: drop one of them"
                .into(),
        ));
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir.filter(|d| !d.is_dir()) {
        return Err(UsageError(format!(
            "the folder {} for --csv does not exist",
            dir.display()
        )));
    }
    Ok(())
}

/// Writes the import file(s) for the list; an existing file is never replaced by an empty
/// list.
fn write_csv(path: &Path, findings: &Findings, env: &Env) -> anyhow::Result<()> {
    let kind = import_kind(findings.relation);
    let handles = findings.import_handles();
    if handles.is_empty() {
        if path.exists() {
            env.ui.warn(format_args!(
                "no verified accounts to import; {} is left as it was",
                path.display()
            ));
            return Ok(());
        }
        let holds = match kind {
            ImportKind::Blocking => "is empty (Mastodon refuses an empty file: nothing to import)",
            ImportKind::Following | ImportKind::Muting => "holds only the header",
        };
        env.ui.warn(format_args!(
            "no verified accounts to import; {} {holds}",
            path.display()
        ));
    }
    let written = import_csv::write_files(kind, path, handles)
        .with_context(|| format!("could not write {}", path.display()))?;
    for (file, rows) in written {
        env.ui.info(format_args!(
            "wrote {rows} address(es) to {} (Mastodon: Preferences → Import and export → Import, type \"{}\")",
            file.display(),
            kind.type_name()
        ));
    }
    Ok(())
}

/// Mastodon's import for each list.
fn import_kind(relation: Relation) -> ImportKind {
    match relation {
        Relation::Following => ImportKind::Following,
        Relation::Blocks => ImportKind::Blocking,
        Relation::Mutes => ImportKind::Muting,
    }
}
