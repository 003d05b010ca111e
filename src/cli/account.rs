//! Arguments of the account commands: `login`, `logout`, `whoami`, and the instance selection
//! shared by every command that talks to an instance.

use std::path::PathBuf;

use clap::Args;

/// Which instance account a command acts as. Without these, the active stored login is used.
#[derive(Debug, Args)]
pub struct InstanceArgs {
    /// Act as this stored login (user@host)
    #[arg(long, value_name = "USER@HOST")]
    pub account: Option<String>,

    /// Talk to this instance with a token from --token-file, storing nothing (for scripts)
    #[arg(long, value_name = "URL", requires = "token_file")]
    pub instance: Option<String>,

    /// File holding an access token (`-` reads standard input)
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
}

/// `fedimigrate login [INSTANCE]`
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Your instance, e.g. mastodon.social or https://example.social
    pub instance: Option<String>,

    /// Register the app, print the authorisation URL and stop (finish with --code-file)
    #[arg(long, conflicts_with_all = ["code_file", "token_file"])]
    pub print_url: bool,

    /// File holding the authorisation code shown by the instance (`-` reads standard input)
    #[arg(long, value_name = "FILE", conflicts_with = "token_file")]
    pub code_file: Option<PathBuf>,

    /// Store an access token made in the instance's web UI instead (`-` reads standard input)
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Do not offer to open a browser
    #[arg(long)]
    pub no_browser: bool,
}

/// `fedimigrate logout [ACCOUNT]`
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The stored login to forget (user@host); default: the active one
    pub account: Option<String>,

    /// Forget the token here without revoking it on the instance
    #[arg(long)]
    pub keep_remote: bool,
}

/// `fedimigrate whoami`
#[derive(Debug, Args)]
pub struct WhoamiArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

impl LoginArgs {
    /// Validates into the command's config.
    pub fn into_config(self) -> Result<crate::commands::login::Config, crate::exit::UsageError> {
        Ok(crate::commands::login::Config {
            instance: self.instance,
        })
    }
}

impl LogoutArgs {
    /// Converts into the command's config.
    pub fn into_config(self) -> crate::commands::logout::Config {
        crate::commands::logout::Config {
            account: self.account,
        }
    }
}

impl WhoamiArgs {
    /// Converts into the command's config.
    pub fn into_config(self) -> crate::commands::whoami::Config {
        crate::commands::whoami::Config { json: self.json }
    }
}
