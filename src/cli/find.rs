//! Arguments of the discovery commands: `handles` and `find`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// `fedimigrate handles [FILE|-]`
#[derive(Debug, Args)]
pub struct HandlesArgs {
    /// Text to scan (`-` or nothing: standard input)
    pub input: Option<PathBuf>,

    /// Print JSONL: one object per handle with `handle`, `rule`, `matched` and `bridge`
    #[arg(long)]
    pub json: bool,

    /// Also map bridged networks to their fediverse handles (flagged as bridges)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub bridges: Vec<Bridge>,
}

/// Bridges that map another network's handles into the fediverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Bridge {
    /// Bluesky via Bridgy Fed: name.bsky.social → name.bsky.social@bsky.brid.gy
    Bluesky,
}

/// `fedimigrate find ARCHIVE`
#[derive(Debug, Args)]
pub struct FindArgs {
    /// The archive: the .zip X gave you, or the folder it unpacks to
    pub archive: PathBuf,

    /// Which accounts of the archive to look for: the ones you follow (following.js), blocked
    /// (block.js) or muted (mute.js)
    #[arg(long, value_enum, default_value_t = Relation::Following)]
    pub relation: Relation,

    /// Profiles of the accounts you follow, blocked or muted (CSV, JSON array or JSONL; repeatable). Columns
    /// or fields: id/user_id/rest_id/id_str, username/screen_name/handle, name/display_name,
    /// description/bio, url/website/expanded_url, location; X's own user objects (API v1.1,
    /// v2, GraphQL) are understood too
    #[arg(long, value_name = "FILE")]
    pub profiles: Vec<PathBuf>,

    /// Fetch missing profiles from the X API (paid per lookup; asks first)
    #[arg(long)]
    pub x_api: bool,

    /// File holding the X API bearer token (`-` reads standard input); else $X_BEARER_TOKEN
    #[arg(long, value_name = "FILE")]
    pub x_token_file: Option<PathBuf>,

    /// Base URL of the X API
    #[arg(long, value_name = "URL", default_value = "https://api.x.com")]
    pub x_api_url: String,

    /// Ignore the caches of verification results and X API profiles
    /// ($FEDIMIGRATE_CACHE_DIR, else $XDG_CACHE_HOME/fedimigrate or ~/.cache/fedimigrate) and
    /// ask again
    #[arg(long)]
    pub refresh: bool,

    /// Print one JSON document with every account of the list (--relation)
    #[arg(long, conflicts_with = "jsonl")]
    pub json: bool,

    /// Print one JSON object per account of the list (JSON Lines)
    #[arg(long)]
    pub jsonl: bool,

    /// Write the verified addresses in Mastodon's import format for the list: following,
    /// blocked or muted accounts (split every 20,000 rows; an existing file is never replaced
    /// by an empty list; not with --offline)
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Also map bridged networks to fediverse handles (flagged as bridges)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub bridges: Vec<Bridge>,

    /// How many verification requests may run at once to hosts that have answered. First
    /// contacts with new hosts get as many slots again, so dead hosts cannot hold up the rest
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub concurrency: usize,

    /// How many requests may run at once against one host
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub per_host: usize,

    /// Answer yes to questions (e.g. the X API cost)
    #[arg(short, long)]
    pub yes: bool,

    /// Also search the fediverse side: for each account without a verified address, search
    /// your instance by username and display name, and accept an account only if its profile
    /// links back to the Twitter account (needs a login: the active one, --account, or
    /// --instance URL --token-file FILE)
    #[arg(long)]
    pub reverse: bool,

    /// With --reverse: also search this instance without an account there (its public
    /// search; many refuse, which is reported and skipped; repeatable)
    #[arg(long, value_name = "HOST", requires = "reverse")]
    pub reverse_on: Vec<String>,

    #[command(flatten)]
    pub instance: super::account::InstanceArgs,
}

/// The archive's lists of accounts `find` can look for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Relation {
    /// The accounts you follow (following.js)
    Following,
    /// The accounts you blocked (block.js)
    Blocks,
    /// The accounts you muted (mute.js)
    Mutes,
}

impl From<Relation> for crate::discover::matches::Relation {
    fn from(relation: Relation) -> Self {
        use crate::discover::matches::Relation as R;
        match relation {
            Relation::Following => R::Following,
            Relation::Blocks => R::Blocks,
            Relation::Mutes => R::Mutes,
        }
    }
}

impl HandlesArgs {
    /// Converts into the command's config; `-` means standard input, like no file at all.
    pub fn into_config(self) -> crate::commands::handles::Config {
        crate::commands::handles::Config {
            input: self.input.filter(|path| path.as_os_str() != "-"),
            json: self.json,
            bridges: self.bridges.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<Bridge> for crate::discover::Bridge {
    fn from(bridge: Bridge) -> Self {
        match bridge {
            Bridge::Bluesky => crate::discover::Bridge::Bluesky,
        }
    }
}

impl FindArgs {
    /// Validates into the command's config.
    pub fn into_config(self) -> Result<crate::commands::find::Config, crate::exit::UsageError> {
        use crate::commands::find::{Config, Output, ReverseConfig, XApiConfig};
        use crate::exit::UsageError;
        if self.concurrency == 0 || self.per_host == 0 {
            return Err(UsageError(
                "--concurrency and --per-host must be at least 1".into(),
            ));
        }
        if self.per_host > self.concurrency {
            return Err(UsageError(format!(
                "--per-host ({}) cannot exceed --concurrency ({})",
                self.per_host, self.concurrency
            )));
        }
        if !self.x_api && self.x_token_file.is_some() {
            return Err(UsageError("--x-token-file needs --x-api".into()));
        }
        let names_account = self.instance.account.is_some() || self.instance.instance.is_some();
        if names_account && !self.reverse {
            return Err(UsageError(
                "--account and --instance are for --reverse (find searches no instance without it)"
                    .into(),
            ));
        }
        let output = match (self.json, self.jsonl) {
            (true, _) => Output::Json,
            (_, true) => Output::Jsonl,
            _ => Output::Human,
        };
        Ok(Config {
            archive: self.archive,
            relation: self.relation.into(),
            profiles: self.profiles,
            x_api: self.x_api.then_some(XApiConfig {
                token_file: self.x_token_file,
                base_url: self.x_api_url,
            }),
            refresh: self.refresh,
            output,
            csv: self.csv,
            bridges: self.bridges.into_iter().map(Into::into).collect(),
            concurrency: self.concurrency,
            per_host: self.per_host,
            yes: self.yes,
            reverse: self.reverse.then(|| ReverseConfig {
                choice: self.instance.into_choice(),
                on: self.reverse_on,
            }),
        })
    }
}
