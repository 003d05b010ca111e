//! The command line: clap types, and their conversion into plain, validated values.
//!
//! Parsing stops here. Nothing outside `cli` sees a clap type: each command gets a config
//! struct of its own (defined beside the command), and the global flags become a
//! [`commands::Env`](crate::commands::Env).

mod account;
mod archive;
mod find;
mod follow;
mod post;

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

pub use account::{InstanceArgs, InstanceCmdArgs, LoginArgs, LogoutArgs, WhoamiArgs};
pub use archive::{ExportArgs, InspectArgs};
pub use find::{FindArgs, HandlesArgs};
pub use follow::{BlockArgs, FollowArgs, MuteArgs, parse_duration};
pub use post::PostArgs;

use crate::commands::{Env, Request};
use crate::exit::UsageError;
use crate::net::{self, ResolveOverride};
use crate::ui::Ui;

const EXIT_CODES: &str = "\
Exit codes:
  0    done
  1    error (one line on stderr says what happened)
  2    usage error
  3    partial: some items failed; the state is saved and a rerun resumes
  4    authentication needed: run `fedimigrate login`
  75   not finished yet: the rate limit ends the run early; run the same command again later
  130  interrupted (Ctrl-C) after the state was saved";

const ARCHIVE_EXIT_CODES: &str = "\
Exit codes:
  0    done (warnings about damaged optional files do not change this)
  1    the archive or the output file cannot be read or written
  2    usage error";

const HANDLES_EXIT_CODES: &str = "\
Exit codes:
  0    done, also when no handle is found
  1    the input cannot be read (or is not UTF-8)
  2    usage error";

const FIND_EXIT_CODES: &str = "\
Exit codes:
  0    done
  1    error (the archive, a profiles file or the output cannot be used)
  2    usage error, or the X API cost was not confirmed
  4    --reverse: not logged in, or the instance refused the token: run `fedimigrate login`
  130  interrupted; the results so far are saved and a rerun continues";

const LOGOUT_EXIT_CODES: &str = "\
Exit codes:
  0    logged out (or nothing was stored)
  1    the instance could not be reached: nothing was forgotten (or pass --keep-remote)
  2    usage error";

/// Move from Twitter/X to the fediverse: read your archive, find your friends, follow them.
#[derive(Debug, Parser)]
#[command(name = "fedimigrate", version, about, after_help = EXIT_CODES, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// One subcommand per step of the move.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Summarise a Twitter archive: owner, layout, counts, dates, warnings
    #[command(after_help = ARCHIVE_EXIT_CODES)]
    Inspect(InspectArgs),
    /// Write parsed archive records (follows, tweets, likes…) as CSV, JSON or JSONL
    #[command(after_help = ARCHIVE_EXIT_CODES)]
    Export(ExportArgs),
    /// Print the fediverse handles found in any text (bios, names, URLs)
    #[command(after_help = HANDLES_EXIT_CODES)]
    Handles(HandlesArgs),
    /// Find which of the accounts you follow are on the fediverse, and verify them
    #[command(after_help = FIND_EXIT_CODES)]
    Find(FindArgs),
    /// Log in to your fediverse instance (OAuth) and store the token safely
    Login(LoginArgs),
    /// Revoke and forget a stored login
    #[command(after_help = LOGOUT_EXIT_CODES)]
    Logout(LogoutArgs),
    /// List stored logins and the active one
    Whoami(WhoamiArgs),
    /// Check your login and show what your instance allows (limits, backdating, rate limit)
    Instance(InstanceCmdArgs),
    /// Follow the accounts in find's output, a Mastodon CSV or a list (plan, confirm, resume)
    Follow(FollowArgs),
    /// Block the accounts in a file (the archive's blocks, via `find --relation blocks`)
    Block(BlockArgs),
    /// Mute the accounts in a file (the archive's mutes, via `find --relation mutes`)
    Mute(MuteArgs),
    /// Re-post your tweets on your instance (--dry-run previews; resumable; --undo deletes a run)
    Post(PostArgs),
}

/// Flags that every command accepts.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Trust this extra root certificate (PEM), e.g. a company proxy's or a private CA
    #[arg(long, global = true, value_name = "FILE")]
    pub ca_cert: Vec<PathBuf>,

    /// Connect to HOST on PORT at ADDR instead of asking DNS (curl's syntax; repeatable).
    /// ADDR may carry its own port (127.0.0.1:8443) to reach a server on another port.
    #[arg(long, global = true, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<ResolveOverride>,

    /// Use no network at all (find: report candidates without verifying them)
    #[arg(long, global = true)]
    pub offline: bool,

    /// Give up on a single request after this many seconds
    #[arg(long, global = true, value_name = "SECS", default_value_t = 10)]
    pub timeout: u64,

    /// Allow a plain http:// instance URL that is not on this machine (unsafe: the token
    /// travels unencrypted)
    #[arg(long, global = true)]
    pub insecure_http: bool,

    /// Print only warnings and errors on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Never ask a question; fail instead where an answer is needed
    #[arg(long, global = true)]
    pub no_input: bool,
}

impl Command {
    /// Validates the chosen subcommand's arguments.
    pub fn into_request(self) -> Result<Request, UsageError> {
        Ok(match self {
            Command::Inspect(args) => Request::Inspect(args.into_config()),
            Command::Export(args) => Request::Export(args.into_config()),
            Command::Handles(args) => Request::Handles(args.into_config()),
            Command::Find(args) => Request::Find(args.into_config()?),
            Command::Login(args) => Request::Login(args.into_config()?),
            Command::Logout(args) => Request::Logout(args.into_config()),
            Command::Whoami(args) => Request::Whoami(args.into_config()),
            Command::Instance(args) => Request::Instance(args.into_config()),
            Command::Follow(args) => Request::Follow(args.into_config()?),
            Command::Block(args) => Request::Follow(args.into_config()?),
            Command::Mute(args) => Request::Follow(args.into_config()?),
            Command::Post(args) => Request::Post(args.into_config()?),
        })
    }
}

impl GlobalArgs {
    /// Validates the global flags into the environment every command runs in.
    pub fn into_env(self) -> Result<Env, UsageError> {
        if self.timeout == 0 {
            return Err(UsageError("--timeout must be at least 1 second".into()));
        }
        let net = net::Options {
            ca_certs: self.ca_cert,
            resolve: self.resolve,
            offline: self.offline,
            timeout: Duration::from_secs(self.timeout),
            insecure_http: self.insecure_http,
            ..net::Options::default()
        };
        Ok(Env {
            ui: Ui::new(self.quiet, self.no_input),
            net,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_documents_exit_codes() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("130  interrupted"));
        assert!(help.contains("4    authentication needed"));
        for sub in Cli::command().get_subcommands_mut() {
            let name = sub.get_name().to_string();
            let help = sub.render_long_help().to_string();
            assert!(help.contains("Exit codes:\n  0 "), "{name} --help: {help}");
        }
    }
}
