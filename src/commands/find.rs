//! `fedimigrate find`: which followed accounts are on the fediverse, under which handle, with
//! proof, and where they live.
//!
//! The flow: read the archive (following list; names and handles from your own tweets) →
//! profile records from `--profiles` files and, with `--x-api`, the X API → handles per
//! account (`discover::friends`) → verification (`discover::verify`, skipped with
//! `--offline`) → `discover::matches` → human summary, `--json`/`--jsonl`, `--csv`.
//! Messages and progress go to stderr, results to stdout.

mod human;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;

use super::Env;
use crate::archive::Archive;
use crate::discover::cache::VerifyCache;
use crate::discover::friends::{self, ArchiveClues};
use crate::discover::matches::Findings;
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
    /// One JSON object per followed account.
    Jsonl,
}

/// Where the X API is and how to authenticate (`--x-api`).
#[derive(Debug, Clone)]
pub struct XApiConfig {
    pub token_file: Option<PathBuf>,
    pub base_url: String,
}

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub archive: PathBuf,
    pub profiles: Vec<PathBuf>,
    pub x_api: Option<XApiConfig>,
    pub refresh: bool,
    pub output: Output,
    pub csv: Option<PathBuf>,
    pub bridges: Vec<Bridge>,
    pub concurrency: usize,
    pub per_host: usize,
    pub yes: bool,
}

/// What the archive told us.
struct FromArchive {
    following: Vec<String>,
    clues: ArchiveClues,
    warnings: Vec<String>,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    if let Some(path) = &config.csv {
        check_csv_target(path, env.net.offline)?;
    }
    let opts = ExtractOptions {
        bridges: config.bridges.clone(),
    };
    let archive = read_archive(config.archive.clone(), opts.clone()).await?;
    for warning in &archive.warnings {
        env.ui.warn(warning);
    }
    let mut profiles = read_profile_files(&config.profiles, env)?;
    if archive.following.is_empty() {
        env.ui.warn(if config.profiles.is_empty() {
            "the archive lists no followed accounts (archives from before 2019 have no following list): pass --profiles FILE with the accounts you follow"
        } else {
            "the archive lists no followed accounts (archives from before 2019 have no following list): taking every account in the profile files as one you follow"
        });
    }
    if let Some(x) = &config.x_api {
        let missing = ids_without_profiles(&archive.following, &profiles);
        profiles.extend(x_api_profiles(x, &missing, &config, env).await?);
    }
    let friends = friends::assemble(&archive.following, profiles, &archive.clues, &opts);
    if !config.profiles.is_empty() && !archive.following.is_empty() {
        warn_if_no_record_matched(&friends, env);
    }
    let targets: Vec<Target> = friends
        .list
        .iter()
        .flat_map(|f| &f.findings)
        .map(friends::target_of)
        .collect();
    let report = verify(&targets, &config, env).await?;
    for warning in &report.warnings {
        env.ui.warn(warning);
    }
    let findings = Findings::build(&friends, &report);
    print(&findings, &config, env)?;
    if let Some(path) = &config.csv {
        write_csv(path, &findings, env)?;
    }
    Ok(Outcome::Done)
}

/// Reads the following list and scans the owner's tweets, on a blocking thread.
async fn read_archive(path: PathBuf, opts: ExtractOptions) -> anyhow::Result<FromArchive> {
    tokio::task::spawn_blocking(move || -> anyhow::Result<FromArchive> {
        let archive = Archive::open(&path)?;
        let following = archive.following_ids()?;
        let mut clues = ArchiveClues::new(&following, opts);
        archive.for_each_own_tweet(|tweet| -> Result<_, crate::archive::ArchiveError> {
            clues.add(&tweet);
            Ok(std::ops::ControlFlow::Continue(()))
        })?;
        Ok(FromArchive {
            following,
            clues,
            warnings: archive.warnings(),
        })
    })
    .await
    .context("the archive reader stopped unexpectedly")?
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

/// Warns when the profile files describe none of the followed accounts: probably the wrong
/// file (followers instead of following, another account's list).
fn warn_if_no_record_matched(friends: &friends::Friends, env: &Env) {
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
        env.ui.warn(format_args!(
            "no record in the profile file(s) is an account you follow{others}: \
             is it the list of the accounts you follow?"
        ));
    }
}

/// Followed ids that no profile record describes (the ones worth paying the X API for).
fn ids_without_profiles(following: &[String], profiles: &[Profile]) -> Vec<String> {
    let known: std::collections::HashSet<&str> =
        profiles.iter().filter_map(|p| p.id.as_deref()).collect();
    following
        .iter()
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

fn print(findings: &Findings, config: &Config, env: &Env) -> anyhow::Result<()> {
    let mut out = crate::stdout::lock();
    match config.output {
        Output::Json => {
            serde_json::to_writer_pretty(&mut out, findings)?;
            writeln!(out)?;
        }
        Output::Jsonl => {
            for account in &findings.accounts {
                serde_json::to_writer(&mut out, account)?;
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

/// Writes the import file(s); an existing file is never replaced by an empty list.
fn write_csv(path: &Path, findings: &Findings, env: &Env) -> anyhow::Result<()> {
    let handles = findings.import_handles();
    if handles.is_empty() {
        if path.exists() {
            env.ui.warn(format_args!(
                "no verified accounts to import; {} is left as it was",
                path.display()
            ));
            return Ok(());
        }
        env.ui.warn(format_args!(
            "no verified accounts to import; {} holds only the header",
            path.display()
        ));
    }
    let written = import_csv::write_files(path, handles)
        .with_context(|| format!("could not write {}", path.display()))?;
    for (file, rows) in written {
        env.ui.info(format_args!(
            "wrote {rows} address(es) to {} (Mastodon: Preferences → Import and export → Import, type \"Following list\")",
            file.display()
        ));
    }
    Ok(())
}
