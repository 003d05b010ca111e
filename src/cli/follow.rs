//! Arguments of `follow`, `block` and `mute`: one machinery, three relations, each with its
//! own options, validated into [`commands::follow::Config`](crate::commands::follow::Config).

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::account::InstanceArgs;
use crate::commands::follow::{Config, Output, Source, UndoTarget};
use crate::exit::UsageError;
use crate::fedi::{AccountChoice, FollowOptions, MuteOptions, SecretSource};
use crate::follow::relation::Relation;
use crate::follow::remote::ActOptions;

/// What every bulk relation command accepts.
#[derive(Debug, Args)]
pub struct BulkArgs {
    /// find's --json/--jsonl output, a Mastodon CSV, or handles one a line (`-`: standard
    /// input). The format is recognised from the content
    #[arg(value_name = "FILE|-", required_unless_present_any = ["undo", "runs"])]
    pub input: Option<PathBuf>,

    #[command(flatten)]
    pub instance: InstanceArgs,

    /// Also act on addresses find could not verify (default: only verified and moved ones)
    #[arg(long)]
    pub include_unverified: bool,

    /// Show the plan and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Go ahead without asking (needed when there is no terminal)
    #[arg(short, long)]
    pub yes: bool,

    /// Print one JSON document (the plan with --dry-run, else the run's results)
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,

    /// Print one JSON object per address as it is done (JSON Lines)
    #[arg(long)]
    pub jsonl: bool,

    /// Act on at most N accounts in this run
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,

    /// When the instance's rate limit would make the run wait longer than this, stop, save,
    /// say when to run again, and exit 75 (e.g. 30s, 15m, 2h)
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = parse_duration)]
    pub max_wait: Duration,

    /// Take back what a run did (default: the latest); `--runs` lists them
    #[arg(long, value_name = "RUN", num_args = 0..=1, default_missing_value = "last",
          conflicts_with_all = ["input", "include_unverified", "limit"])]
    pub undo: Option<String>,

    /// List the runs in the journal and stop
    #[arg(long, conflicts_with_all = ["input", "undo", "dry_run"])]
    pub runs: bool,
}

/// `fedimigrate follow [FILE|-]`
#[derive(Debug, Args)]
#[command(after_help = FOLLOW_HELP)]
pub struct FollowArgs {
    #[command(flatten)]
    pub bulk: BulkArgs,

    /// Show their boosts in your home timeline (--no-reblogs: hide them)
    #[arg(long, overrides_with = "no_reblogs")]
    pub reblogs: bool,

    /// Hide their boosts from your home timeline
    #[arg(long)]
    pub no_reblogs: bool,

    /// Be notified of each of their posts
    #[arg(long)]
    pub notify: bool,

    /// Only show their posts in these languages (ISO 639-1, comma-separated: en,de)
    #[arg(long, value_name = "LANGS", value_delimiter = ',')]
    pub languages: Vec<String>,

    /// Also put every account followed into this list (created if absent)
    #[arg(long, value_name = "NAME")]
    pub list: Option<String>,
}

/// `fedimigrate block FILE|-`
#[derive(Debug, Args)]
#[command(after_help = BLOCK_HELP)]
pub struct BlockArgs {
    #[command(flatten)]
    pub bulk: BulkArgs,
}

/// `fedimigrate mute FILE|-`
#[derive(Debug, Args)]
#[command(after_help = MUTE_HELP)]
pub struct MuteArgs {
    #[command(flatten)]
    pub bulk: BulkArgs,

    /// Also hide their notifications (=false keeps them; default: the server's, which hides
    /// them, like a mute on X; a Mastodon muted-accounts CSV's own column counts too)
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub mute_notifications: Option<bool>,

    /// End the mutes after this long (e.g. 7d, 12h); default: forever
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub duration: Option<Duration>,
}

/// The exit codes every bulk relation command documents (a macro, so `concat!` can join it).
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0    done (or nothing to do)
  1    error (one line on stderr says what happened)
  2    usage error, or not confirmed (no terminal and no --yes)
  3    some accounts failed; they are in the journal and a rerun retries only them
  4    not logged in, or the instance refused the token
  75   not finished yet: the rate limit would wait longer than --max-wait; progress is saved,
       run the same command again at the time it names
  130  interrupted; progress is saved and the same command continues"
    };
}

const FOLLOW_HELP: &str = concat!(
    "Examples:
  fedimigrate find archive.zip --profiles p.csv --jsonl > matches.jsonl
  fedimigrate follow matches.jsonl --dry-run        # the plan: what would be followed, and how long
  fedimigrate follow matches.jsonl                  # asks, then follows (resumable)
  fedimigrate find archive.zip --jsonl | fedimigrate follow - --yes
  fedimigrate follow following_accounts.csv         # copy follows from another Mastodon account
  fedimigrate follow --undo                         # unfollow exactly what the last run followed

",
    exit_codes!()
);

const BLOCK_HELP: &str = concat!(
    "Examples:
  fedimigrate find archive.zip --relation blocks --jsonl > blocked.jsonl
  fedimigrate block blocked.jsonl --dry-run         # the plan
  fedimigrate block blocked.jsonl                   # asks, then blocks (resumable)
  fedimigrate block --undo                          # unblock exactly what the last run blocked

",
    exit_codes!()
);

const MUTE_HELP: &str = concat!(
    "Examples:
  fedimigrate find archive.zip --relation mutes --jsonl > muted.jsonl
  fedimigrate mute muted.jsonl --duration 30d       # asks, then mutes for 30 days
  fedimigrate mute --undo                           # unmute exactly what the last run muted

",
    exit_codes!()
);

/// `--undo [RUN]`: `None` without the flag, `Some(None)` for the latest run, or the run named
/// (`3` or `#3`).
pub fn undo_run(value: Option<&str>) -> Result<Option<Option<u32>>, UsageError> {
    match value {
        None => Ok(None),
        Some("last") => Ok(Some(None)),
        Some(run) => run
            .trim_start_matches('#')
            .parse()
            .map(|n| Some(Some(n)))
            .map_err(|_| {
                UsageError(format!(
                    "--undo takes a run number (see --runs), not `{run}`"
                ))
            }),
    }
}

/// `30s`, `15m`, `2h`, `7d`, or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 30s, 15m, 2h or 7d"))?;
    let unit = match unit.trim() {
        "" | "s" | "sec" | "secs" => 1,
        "m" | "min" | "mins" => 60,
        "h" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => {
            return Err(format!(
                "`{text}` is not a duration like 30s, 15m, 2h or 7d"
            ));
        }
    };
    Ok(Duration::from_secs(number.saturating_mul(unit)))
}

impl BulkArgs {
    fn into_config(self, relation: Relation, options: ActOptions) -> Result<Config, UsageError> {
        let source = self.input.map(|path| {
            if path.as_os_str() == "-" {
                Source::Stdin
            } else {
                Source::File(path)
            }
        });
        let choice = self.instance.into_choice();
        let token_on_stdin = matches!(
            &choice,
            AccountChoice::Adhoc {
                token: SecretSource::Stdin,
                ..
            }
        );
        if token_on_stdin && source == Some(Source::Stdin) {
            return Err(UsageError(
                "the list and the token cannot both come from standard input: give --token-file a file".into(),
            ));
        }
        if self.limit == Some(0) {
            return Err(UsageError("--limit must be at least 1".into()));
        }
        let undo = undo_run(self.undo.as_deref())?.map(|run| match run {
            Some(n) => UndoTarget::Run(n),
            None => UndoTarget::Last,
        });
        let output = match (self.json, self.jsonl) {
            (true, _) => Output::Json,
            (_, true) => Output::Jsonl,
            _ => Output::Human,
        };
        Ok(Config {
            relation,
            source,
            choice,
            include_unverified: self.include_unverified,
            dry_run: self.dry_run,
            yes: self.yes,
            output,
            limit: self.limit,
            options,
            list: None,
            max_wait: self.max_wait,
            undo,
            runs: self.runs,
        })
    }
}

impl FollowArgs {
    /// Validates into the command's config.
    pub fn into_config(self) -> Result<Config, UsageError> {
        let reblogs = match (self.reblogs, self.no_reblogs) {
            (_, true) => Some(false),
            (true, false) => Some(true),
            _ => None,
        };
        let follow = FollowOptions {
            reblogs,
            notify: self.notify.then_some(true),
            languages: self
                .languages
                .iter()
                .map(|l| l.trim().to_ascii_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
        };
        let options = ActOptions {
            follow,
            mute: MuteOptions::default(),
        };
        let list = self.list.filter(|l| !l.trim().is_empty());
        if list.is_some() && self.bulk.undo.is_some() {
            return Err(UsageError("--list does not go with --undo".into()));
        }
        let mut config = self.bulk.into_config(Relation::Follow, options)?;
        config.list = list;
        Ok(config)
    }
}

impl BlockArgs {
    /// Validates into the command's config.
    pub fn into_config(self) -> Result<Config, UsageError> {
        self.bulk
            .into_config(Relation::Block, ActOptions::default())
    }
}

impl MuteArgs {
    /// Validates into the command's config.
    pub fn into_config(self) -> Result<Config, UsageError> {
        let mute = MuteOptions {
            notifications: self.mute_notifications,
            duration: self.duration.map(|d| d.as_secs()).filter(|s| *s > 0),
        };
        let options = ActOptions {
            follow: FollowOptions::default(),
            mute,
        };
        self.bulk.into_config(Relation::Mute, options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        let secs = |t: &str| parse_duration(t).map(|d| d.as_secs());
        assert_eq!(secs("30s"), Ok(30));
        assert_eq!(secs("15m"), Ok(900));
        assert_eq!(secs("2h"), Ok(7200));
        assert_eq!(secs("7d"), Ok(604_800));
        assert_eq!(secs("45"), Ok(45));
        assert!(secs("soon").is_err());
        assert!(secs("5 weeks").is_err());
        assert!(secs("").is_err());
    }
}
