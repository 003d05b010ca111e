//! `fedimigrate post ARCHIVE`: re-posting tweet history. This file holds the options and the
//! preview (`--dry-run`); `send` posts for real, resumes, lists runs and undoes them.
//!
//! The preview's flow: learn the limits (from `--max-chars`, with no network at all, or by asking the
//! instance, read only) → read the files flags name (`inputs`) → stream the archive, select
//! and compose one tweet at a time, spilling each rendered post to a temporary file
//! (`preview`) → print the posts in thread order, then the counts and the time the
//! instance's limits make it take (`render`). Memory holds one tweet and a few bytes per
//! selected tweet, whatever the archive's size.
//!
//! The preview never writes to the instance.

mod inputs;
mod preview;
mod render;
mod send;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::Env;
use crate::archive::Archive;
use crate::exit::{Outcome, UsageError};
use crate::fedi::session::connect;
use crate::fedi::{AccountChoice, Budgets, Visibility};
use crate::repost::backdate::Backdate;
use crate::repost::{
    ComposeOptions, DateFooter, PostLimits, Replies, RetweetMode, Selection, ServerKind,
    UnmatchedMentions,
};

/// Where the instance's limits come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limits {
    /// `--max-chars` and friends: offline.
    Given(PostLimits),
    /// Asked from the instance (`instance_info`).
    Instance,
}

/// How posts are printed on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Text,
    Jsonl,
}

/// Which run `--undo` deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoTarget {
    Last,
    Run(u32),
}

/// Validated options of `post`.
#[derive(Debug, Clone)]
pub struct Config {
    pub archive: PathBuf,
    pub choice: AccountChoice,
    pub dry_run: bool,
    pub output: Output,
    pub limits: Limits,
    pub since: Option<DateTime<Utc>>,
    /// Exclusive (a day given on the command line is already its next midnight).
    pub until: Option<DateTime<Utc>>,
    pub only_ids: Option<PathBuf>,
    pub skip_ids: Option<PathBuf>,
    pub replies: Replies,
    pub retweets: RetweetMode,
    pub with_media_only: bool,
    pub visibility: Visibility,
    pub date_footer: Option<DateFooter>,
    pub content_warning: Option<String>,
    pub matches: Option<PathBuf>,
    pub unmatched: UnmatchedMentions,
    pub alt_text: Option<PathBuf>,
    /// Go ahead without asking.
    pub yes: bool,
    /// The longest rate-limit wait before the run stops with exit 75.
    pub max_wait: Duration,
    pub undo: Option<UndoTarget>,
    /// List the runs and stop.
    pub runs: bool,
    pub backdate: Backdate,
}

/// What the preview is for: the account, its instance's limits and rate budgets.
struct Target {
    /// `user@domain`, part of every idempotency key; empty offline without `--account`.
    account: String,
    limits: PostLimits,
    budgets: Budgets,
    /// "mastodon.example (Mastodon 4.3.0)", or "offline: …".
    describe: String,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    if !config.dry_run {
        return send::run(&config, env).await;
    }
    let target = target(&config, env).await?;
    let (selection, mut options) = prepare(&config, &target, env)?;
    let ui = env.ui.clone();
    let output = config.output;
    let path = config.archive.clone();
    let budgets = target.budgets.clone();
    let describe = target.describe.clone();
    tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
        let archive = Archive::open(&path)?;
        options.owner_names = owner_names(&archive);
        let mut preview = preview::compose_all(&archive, &selection, &options, output, &ui)
            .with_context(|| format!("cannot preview {}", path.display()))?;
        for warning in archive.warnings() {
            ui.warn(warning);
        }
        let mut out = crate::stdout::lock();
        preview.write_in_order(&mut out)?;
        let summary = render::summary(&preview.counts, &budgets, &describe);
        match output {
            Output::Text => std::io::Write::write_all(&mut out, summary.as_bytes())?,
            Output::Jsonl => ui.info(summary.trim_end()),
        }
        std::io::Write::flush(&mut out)?;
        Ok(())
    })
    .await
    .context("the archive reader stopped unexpectedly")??;
    Ok(Outcome::Done)
}

/// The limits and budgets: given (no network) or the instance's (read only).
async fn target(config: &Config, env: &Env) -> anyhow::Result<Target> {
    if let Limits::Given(limits) = &config.limits {
        let software = match limits.software {
            ServerKind::GoToSocial => "gotosocial",
            _ => "mastodon",
        };
        let account = match &config.choice {
            AccountChoice::Stored(Some(name)) => name.trim().to_string(),
            _ => String::new(),
        };
        return Ok(Target {
            account,
            limits: *limits,
            budgets: Budgets::for_software(software),
            describe: format!(
                "offline, for a {} instance allowing {} characters",
                if software == "gotosocial" {
                    "GoToSocial"
                } else {
                    "Mastodon"
                },
                limits.max_characters
            ),
        });
    }
    if env.net.offline {
        return Err(UsageError(
            "`post --dry-run` asks the instance for its limits; give --max-chars N (and \
             --chars-per-url, --max-media, --software) to preview offline"
                .into(),
        )
        .into());
    }
    let session = connect(&config.choice, &env.net, &env.ui)?;
    let client = session.client;
    let account = client.verify_credentials().await?;
    let info = client.instance_info().await?;
    Ok(Target {
        account: format!("{}@{}", account.username, info.domain),
        limits: PostLimits::from_instance(&info),
        budgets: client.budgets(),
        describe: format!(
            "{} ({}{}), allowing {} characters",
            crate::sanitize::clean(&info.domain),
            crate::sanitize::clean(&info.software.name),
            info.software
                .version
                .as_ref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default(),
            info.limits.max_characters
        ),
    })
}

/// The selection and the composing options, with the files the flags name read.
fn prepare(
    config: &Config,
    target: &Target,
    env: &Env,
) -> anyhow::Result<(Selection, ComposeOptions)> {
    let selection = Selection {
        since: config.since,
        until: config.until,
        only_ids: match &config.only_ids {
            Some(path) => Some(inputs::read_ids(path, &env.ui)?),
            None => None,
        },
        skip_ids: match &config.skip_ids {
            Some(path) => inputs::read_ids(path, &env.ui)?,
            None => Default::default(),
        },
        replies: config.replies,
        retweets: config.retweets,
        with_media_only: config.with_media_only,
    };
    let mut options = ComposeOptions::new(&target.account, target.limits);
    options.visibility = config.visibility;
    options.spoiler_text = config.content_warning.clone();
    options.date_footer = config.date_footer.clone();
    options.unmatched_mentions = config.unmatched;
    if let Some(path) = &config.matches {
        options.matches = inputs::read_matches(path, &env.ui)?;
    }
    if let Some(path) = &config.alt_text {
        options.alt_texts = inputs::read_alt_texts(path)?;
    }
    Ok((selection, options))
}

/// The archive owner's current and past usernames (a link to their tweet is a quote of
/// their own).
fn owner_names(archive: &Archive) -> Vec<String> {
    match archive.account() {
        Ok(account) => std::iter::once(account.username)
            .chain(account.past_usernames)
            .filter(|n| !n.is_empty())
            .collect(),
        Err(_) => Vec::new(),
    }
}
