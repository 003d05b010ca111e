//! Arguments of the account commands: `login`, `logout`, `whoami`, `instance`, and the
//! instance selection shared by every command that talks to an instance ([`InstanceArgs`]).
//!
//! Secrets never come as flag values: tokens and codes are read from a file or standard input.

use std::path::PathBuf;

use clap::Args;

use crate::commands::login::{Config as LoginConfig, Mode};
use crate::exit::UsageError;
use crate::fedi::{AccountChoice, SecretSource};

/// Which instance account a command acts as. Without these, the active stored login is used.
/// Flatten it into any command that talks to the user's instance; turn it into a client with
/// `fedi::session::connect(&args.into_choice(), &env.net, &env.ui)`.
#[derive(Debug, Clone, Default, Args)]
pub struct InstanceArgs {
    /// Act as this stored login (see `fedimigrate whoami`)
    #[arg(long, value_name = "USER@HOST", conflicts_with = "instance")]
    pub account: Option<String>,

    /// Talk to this instance with the token from --token-file, storing nothing (for scripts)
    #[arg(long, value_name = "URL", requires = "token_file")]
    pub instance: Option<String>,

    /// File holding an access token for --instance (`-` reads standard input)
    #[arg(long, value_name = "FILE", requires = "instance")]
    pub token_file: Option<PathBuf>,
}

impl InstanceArgs {
    /// The account to act as.
    pub fn into_choice(self) -> AccountChoice {
        match (self.instance, self.token_file) {
            (Some(instance), Some(file)) => AccountChoice::Adhoc {
                instance,
                token: SecretSource::from_arg(&file),
            },
            _ => AccountChoice::Stored(self.account),
        }
    }
}

/// `fedimigrate login [INSTANCE]`
#[derive(Debug, Args)]
#[command(after_help = LOGIN_HELP)]
pub struct LoginArgs {
    /// Your instance: mastodon.social, https://example.social, or http://127.0.0.1:3000 for a
    /// server on this machine
    pub instance: Option<String>,

    /// Register the app, print the authorisation URL on standard output and stop; finish with
    /// `login --code-file FILE`
    #[arg(long, conflicts_with_all = ["code_file", "token_file"])]
    pub print_url: bool,

    /// File holding the authorisation code the instance showed (`-` reads standard input)
    #[arg(long, value_name = "FILE", conflicts_with = "token_file")]
    pub code_file: Option<PathBuf>,

    /// Store an access token made in the instance's web UI instead (`-` reads standard input)
    #[arg(long, value_name = "FILE", requires = "instance")]
    pub token_file: Option<PathBuf>,

    /// Do not offer to open a browser
    #[arg(long)]
    pub no_browser: bool,
}

const LOGIN_HELP: &str = "\
Examples:
  fedimigrate login mastodon.social                  # interactive: open the page, paste the code
  fedimigrate login mastodon.social --print-url      # scripts: print the page's URL …
  fedimigrate login --code-file code.txt             # … then finish with the code it showed
  fedimigrate login example.social --token-file -    # store a token made in the web UI

Exit codes:
  0    logged in (or, with --print-url, the URL printed)
  1    the instance could not be reached or answered with an error
  2    usage error (conflicting options, not an instance address, plain http)
  4    the instance refused the code or the token: nothing was stored
  75   the instance's rate limit asks for a wait over 30 s: run it again at the time named
  130  interrupted: nothing was stored";

const WHOAMI_HELP: &str = "\
Exit codes:
  0    at least one login is stored (the active one is marked *)
  4    not logged in: run `fedimigrate login INSTANCE`
  1    the credentials file cannot be read
(`fedimigrate --help` lists every exit code.)";

/// `fedimigrate logout [ACCOUNT]`
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The stored login to forget (user@host); default: the active one
    pub account: Option<String>,

    /// Forget the token here without revoking it on the instance
    #[arg(long)]
    pub keep_remote: bool,
}

/// `fedimigrate instance`
#[derive(Debug, Args)]
#[command(after_help = INSTANCE_HELP)]
pub struct InstanceCmdArgs {
    #[command(flatten)]
    pub instance: InstanceArgs,

    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

const INSTANCE_HELP: &str = "\
Examples:
  fedimigrate instance                               # the active login
  fedimigrate instance --account you@example.social --json
  fedimigrate instance --instance example.social --token-file token.txt   # nothing stored

Exit codes:
  0    the token works; the report is printed
  1    the instance could not be reached or answered with an error
  2    usage error (also with --offline)
  4    not logged in, or the instance refused the token: run `fedimigrate login`
  75   the instance's rate limit asks for a wait over 30 s: run it again at the time named
  130  interrupted";

/// `fedimigrate whoami`
#[derive(Debug, Args)]
#[command(after_help = WHOAMI_HELP)]
pub struct WhoamiArgs {
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

impl LoginArgs {
    /// Validates into the command's config.
    pub fn into_config(self) -> Result<LoginConfig, UsageError> {
        let mode = match (self.print_url, self.code_file, self.token_file) {
            (true, None, None) => Mode::PrintUrl,
            (false, Some(code), None) => Mode::Code(SecretSource::from_arg(&code)),
            (false, None, Some(token)) => Mode::Token(SecretSource::from_arg(&token)),
            (false, None, None) => Mode::Interactive,
            _ => {
                return Err(UsageError(
                    "choose one of --print-url, --code-file and --token-file".into(),
                ));
            }
        };
        Ok(LoginConfig {
            instance: self.instance,
            mode,
            offer_browser: !self.no_browser,
        })
    }
}

impl LogoutArgs {
    /// Converts into the command's config.
    pub fn into_config(self) -> crate::commands::logout::Config {
        crate::commands::logout::Config {
            account: self.account,
            keep_remote: self.keep_remote,
        }
    }
}

impl InstanceCmdArgs {
    /// Converts into the command's config.
    pub fn into_config(self) -> crate::commands::instance::Config {
        crate::commands::instance::Config {
            choice: self.instance.into_choice(),
            json: self.json,
        }
    }
}

impl WhoamiArgs {
    /// Converts into the command's config.
    pub fn into_config(self) -> crate::commands::whoami::Config {
        crate::commands::whoami::Config { json: self.json }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Probe {
        #[command(flatten)]
        instance: InstanceArgs,
    }

    #[test]
    fn instance_flags_choose_the_account() {
        let parse = |args: &[&str]| {
            Probe::try_parse_from(std::iter::once("probe").chain(args.iter().copied()))
                .map(|p| p.instance.into_choice())
        };
        assert_eq!(parse(&[]).unwrap(), AccountChoice::Stored(None));
        assert_eq!(
            parse(&["--account", "a@b.example"]).unwrap(),
            AccountChoice::Stored(Some("a@b.example".into()))
        );
        assert_eq!(
            parse(&["--instance", "b.example", "--token-file", "-"]).unwrap(),
            AccountChoice::Adhoc {
                instance: "b.example".into(),
                token: SecretSource::Stdin
            }
        );
        assert!(
            parse(&["--instance", "b.example"]).is_err(),
            "needs a token file"
        );
        assert!(parse(&["--token-file", "t"]).is_err(), "needs an instance");
        assert!(
            parse(&["--account", "a@b", "--instance", "b", "--token-file", "t"]).is_err(),
            "one or the other"
        );
    }
}
