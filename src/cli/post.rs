//! Arguments of `post`, validated into [`commands::post::Config`](crate::commands::post::Config).
//! Dates and numbers are checked here; files named by flags are read by the command.

use std::path::PathBuf;

use chrono::{DateTime, Days, NaiveDate, Utc};
use clap::{Args, ValueEnum};

use super::account::InstanceArgs;
use crate::commands::post::{Config, Limits, Output, UndoTarget};
use crate::exit::UsageError;
use crate::fedi::Visibility;
use crate::repost::backdate::Backdate;
use crate::repost::{DateFooter, PostLimits, Replies, RetweetMode, ServerKind, UnmatchedMentions};

/// `fedimigrate post ARCHIVE`
#[derive(Debug, Args)]
#[command(after_help = POST_HELP)]
pub struct PostArgs {
    /// The archive: the .zip X gave you, or the folder it unpacks to
    #[arg(required_unless_present_any = ["undo", "runs"])]
    pub archive: Option<PathBuf>,

    #[command(flatten)]
    pub instance: InstanceArgs,

    /// Show every post exactly as it would be sent, with counts and the time it takes, and
    /// send nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Print one JSON object per post (JSON Lines): with --dry-run each post to make, else
    /// each post made (tweet, status id, URL); the counts go to stderr
    #[arg(long)]
    pub jsonl: bool,

    /// Go ahead without asking (needed when there is no terminal)
    #[arg(short, long)]
    pub yes: bool,

    /// When the instance's rate limit would make the run wait longer than this, stop, save,
    /// say when to run again, and exit 75 (e.g. 30s, 15m, 2h)
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = super::follow::parse_duration)]
    pub max_wait: std::time::Duration,

    /// Delete exactly the posts a run made (default: the latest); `--runs` lists them
    #[arg(long, value_name = "RUN", num_args = 0..=1, default_missing_value = "last",
          conflicts_with_all = ["archive", "dry_run"])]
    pub undo: Option<String>,

    /// List the post runs in the journal and stop
    #[arg(long, conflicts_with_all = ["archive", "undo", "dry_run"])]
    pub runs: bool,

    /// Keep the tweets' dates where the instance can backdate posts (auto), or date every
    /// post when it is made (never)
    #[arg(long, value_enum, default_value_t = BackdateArg::Auto)]
    pub backdate: BackdateArg,

    /// Preview offline for an instance that allows N characters per post (no network at all)
    #[arg(long, value_name = "N")]
    pub max_chars: Option<usize>,

    /// With --max-chars: what every link counts for (default: 23, Mastodon's)
    #[arg(long, value_name = "N", requires = "max_chars")]
    pub chars_per_url: Option<usize>,

    /// With --max-chars: media per post (default: 4)
    #[arg(long, value_name = "N", requires = "max_chars")]
    pub max_media: Option<usize>,

    /// With --max-chars: the instance's software, which decides how length is counted
    #[arg(long, value_enum, requires = "max_chars", default_value_t = Software::Mastodon)]
    pub software: Software,

    /// Only tweets from this day (YYYY-MM-DD, UTC) or time (RFC 3339) on
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// Only tweets before the end of this day (YYYY-MM-DD, UTC) or before this time (RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,

    /// Only the tweets whose ids this file lists (one a line, or tweet URLs)
    #[arg(long, value_name = "FILE")]
    pub only_ids: Option<PathBuf>,

    /// Leave out the tweets whose ids this file lists (one a line, or tweet URLs)
    #[arg(long, value_name = "FILE")]
    pub skip_ids: Option<PathBuf>,

    /// Which replies go: your own threads (self), every reply (all) or none
    #[arg(long, value_enum, default_value_t = RepliesArg::Own)]
    pub replies: RepliesArg,

    /// Retweets: left out (skip) or a short post with the archived "RT @name: …" text (link)
    #[arg(long, value_enum, default_value_t = RetweetsArg::Skip)]
    pub retweets: RetweetsArg,

    /// Only tweets with at least one media file in the archive
    #[arg(long)]
    pub with_media_only: bool,

    /// Who sees the posts (unlisted keeps years of history off the public timelines)
    #[arg(long, value_enum, default_value_t = VisibilityArg::Unlisted)]
    pub visibility: VisibilityArg,

    /// Add when it was first posted to each tweet's first post (a strftime format; default:
    /// "First posted on Twitter on %Y-%m-%d")
    #[arg(long, value_name = "FORMAT", num_args = 0..=1,
          default_missing_value = DateFooter::DEFAULT_FORMAT)]
    pub date_footer: Option<String>,

    /// A content warning on every post
    #[arg(long, value_name = "TEXT")]
    pub content_warning: Option<String>,

    /// find's --json/--jsonl output: an @name matched there becomes that person's handle
    #[arg(long, value_name = "FILE")]
    pub matches: Option<PathBuf>,

    /// How other @names are written so they ping no one: ＠name (fullwidth) or a link to the
    /// old profile (profile-link)
    #[arg(long, value_enum, default_value_t = UnmatchedArg::Fullwidth)]
    pub unmatched_mentions: UnmatchedArg,

    /// Media descriptions: a CSV with the header `tweet_id,media,description` (media: the
    /// media id, or the file name in the archive)
    #[arg(long, value_name = "FILE")]
    pub alt_text: Option<PathBuf>,
}

/// Server software, for offline previews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Software {
    Mastodon,
    Gotosocial,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RepliesArg {
    #[value(name = "self")]
    Own,
    All,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RetweetsArg {
    Skip,
    Link,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VisibilityArg {
    Public,
    Unlisted,
    Private,
    Direct,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BackdateArg {
    Auto,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnmatchedArg {
    Fullwidth,
    ProfileLink,
}

const POST_HELP: &str = "\
Posting is resumable: every post is journaled, a rerun of the same command continues where it
stopped without posting twice, and threads continue across runs.

Examples:
  fedimigrate post archive.zip --dry-run                    # every post, as your instance takes it
  fedimigrate post archive.zip --dry-run --max-chars 500    # offline, for a stock Mastodon
  fedimigrate post archive.zip --dry-run --jsonl --since 2019-01-01 --matches matches.jsonl
  fedimigrate post archive.zip --since 2019-01-01           # the plan, a question, then posting
  fedimigrate post --runs                                   # what each run posted
  fedimigrate post --undo                                   # delete what the last run posted

Exit codes:
  0    done
  1    error (the archive, a file named by a flag or the instance cannot be used; or the
       instance could not be reached: the same command continues)
  2    usage error, or not confirmed (no terminal and no --yes)
  3    some tweets could not be posted (each was named; a rerun tries them again)
  4    not logged in, or the instance refused the token (without --max-chars)
  75   not finished: the rate limit needs a longer wait than --max-wait; run it again later
  130  interrupted";

impl PostArgs {
    /// Validates into the command's config.
    pub fn into_config(self) -> Result<Config, UsageError> {
        let since = self
            .since
            .as_deref()
            .map(|d| parse_date(d, "--since", false));
        let until = self
            .until
            .as_deref()
            .map(|d| parse_date(d, "--until", true));
        let (since, until) = (since.transpose()?, until.transpose()?);
        if let (Some(since), Some(until)) = (since, until)
            && since >= until
        {
            return Err(UsageError(
                "--since must come before --until; no tweet would be left".into(),
            ));
        }
        let date_footer = match self.date_footer.as_deref() {
            Some(format) => Some(DateFooter::new(format).map_err(|e| UsageError(e.to_string()))?),
            None => None,
        };
        let limits = self.limits()?;
        let undo = super::follow::undo_run(self.undo.as_deref())?.map(|run| match run {
            Some(n) => UndoTarget::Run(n),
            None => UndoTarget::Last,
        });
        Ok(Config {
            archive: self.archive.unwrap_or_default(),
            yes: self.yes,
            max_wait: self.max_wait,
            undo,
            runs: self.runs,
            backdate: match self.backdate {
                BackdateArg::Auto => Backdate::Auto,
                BackdateArg::Never => Backdate::Never,
            },
            choice: self.instance.into_choice(),
            dry_run: self.dry_run,
            output: if self.jsonl {
                Output::Jsonl
            } else {
                Output::Text
            },
            limits,
            since,
            until,
            only_ids: self.only_ids,
            skip_ids: self.skip_ids,
            replies: match self.replies {
                RepliesArg::Own => Replies::Own,
                RepliesArg::All => Replies::All,
                RepliesArg::None => Replies::None,
            },
            retweets: match self.retweets {
                RetweetsArg::Skip => RetweetMode::Skip,
                RetweetsArg::Link => RetweetMode::Link,
            },
            with_media_only: self.with_media_only,
            visibility: self.visibility.into(),
            date_footer,
            content_warning: self
                .content_warning
                .map(|cw| cw.trim().to_string())
                .filter(|cw| !cw.is_empty()),
            matches: self.matches,
            unmatched: match self.unmatched_mentions {
                UnmatchedArg::Fullwidth => UnmatchedMentions::Fullwidth,
                UnmatchedArg::ProfileLink => UnmatchedMentions::ProfileLink,
            },
            alt_text: self.alt_text,
        })
    }

    /// The limits given on the command line, or the instance's.
    fn limits(&self) -> Result<Limits, UsageError> {
        let Some(max) = self.max_chars else {
            return Ok(Limits::Instance);
        };
        let stock = PostLimits::default();
        let limits = PostLimits {
            max_characters: max,
            characters_reserved_per_url: self
                .chars_per_url
                .unwrap_or(stock.characters_reserved_per_url),
            max_media_attachments: self.max_media.unwrap_or(stock.max_media_attachments),
            software: match self.software {
                Software::Mastodon => ServerKind::Mastodon,
                Software::Gotosocial => ServerKind::GoToSocial,
            },
        };
        if limits.max_characters < 20 || limits.max_media_attachments == 0 {
            return Err(UsageError(
                "--max-chars must be at least 20 and --max-media at least 1".into(),
            ));
        }
        Ok(Limits::Given(limits))
    }
}

impl From<VisibilityArg> for Visibility {
    fn from(v: VisibilityArg) -> Self {
        match v {
            VisibilityArg::Public => Visibility::Public,
            VisibilityArg::Unlisted => Visibility::Unlisted,
            VisibilityArg::Private => Visibility::Private,
            VisibilityArg::Direct => Visibility::Direct,
        }
    }
}

/// A day (`2020-03-01`, UTC; with `end`, the midnight after it) or an RFC 3339 time.
fn parse_date(text: &str, flag: &str, end: bool) -> Result<DateTime<Utc>, UsageError> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|day| if end { day.checked_add_days(Days::new(1)) } else { Some(day) })
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
        .ok_or_else(|| {
            UsageError(format!(
                "{flag} takes a day such as 2020-03-01 or a time such as 2020-03-01T12:00:00Z, not `{text}`"
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_or_times() {
        let day = |t, end| parse_date(t, "--since", end).map(|d| d.to_rfc3339());
        assert_eq!(
            day("2020-03-01", false).unwrap(),
            "2020-03-01T00:00:00+00:00"
        );
        assert_eq!(
            day("2020-03-01", true).unwrap(),
            "2020-03-02T00:00:00+00:00"
        );
        assert_eq!(
            day("2020-12-31", true).unwrap(),
            "2021-01-01T00:00:00+00:00"
        );
        assert_eq!(
            day("2020-03-01T12:00:00+02:00", true).unwrap(),
            "2020-03-01T10:00:00+00:00"
        );
        assert!(day("yesterday", false).is_err());
        assert!(day("2020-02-30", false).is_err());
    }
}
