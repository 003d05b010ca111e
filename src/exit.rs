//! Exit codes: the one place that turns a command's result into a process status.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | error (one plain sentence on stderr) |
//! | 2 | usage error (bad flags or arguments) |
//! | 3 | partial: some items failed; the state is saved and a rerun resumes |
//! | 4 | authentication needed: run `fedimigrate login` |
//! | 75 | not finished yet: the instance's rate limit asks for a longer wait than the command may make; the state is saved and the same command continues later (sysexits' `EX_TEMPFAIL`) |
//! | 130 | interrupted (Ctrl-C) after the state was flushed |
//!
//! Errors are classified by downcasting the error chain to the marker types below and to the
//! typed errors of the parts (`fedi`), never by matching message strings. The parts know
//! nothing of exit codes: this file maps their errors.

use std::process::ExitCode;

/// The documented exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Done = 0,
    Error = 1,
    Usage = 2,
    Partial = 3,
    AuthNeeded = 4,
    Unfinished = 75,
    Interrupted = 130,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(status as u8)
    }
}

/// What a command that finished without a fatal error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything asked for was done.
    Done,
    /// Some items failed; the command already told the user which, and a rerun resumes.
    Partial,
    /// The run stopped early to respect a rate limit (within `--max-wait`); the command told
    /// the user when to run it again, and the rerun continues.
    Unfinished,
}

/// The user asked for something the command line cannot express validly (exit 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// The command needs credentials it does not have, or the server refused them (exit 4).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AuthNeeded(pub String);

/// The user pressed Ctrl-C; the state was flushed before this error was returned (exit 130).
#[derive(Debug, thiserror::Error)]
#[error("interrupted; progress is saved, run the same command again to continue")]
pub struct Interrupted;

/// Ends the process at once with 130 (a second Ctrl-C: the person does not want to wait for
/// the state to be flushed; what was journaled stays).
pub fn quit_interrupted() {
    std::process::exit(Status::Interrupted as i32);
}

/// Picks the exit status for an error by looking for the marker types in its chain.
pub fn classify(err: &anyhow::Error) -> Status {
    for cause in err.chain() {
        if cause.is::<Interrupted>() {
            return Status::Interrupted;
        }
        if cause.is::<AuthNeeded>() {
            return Status::AuthNeeded;
        }
        if cause.is::<UsageError>() {
            return Status::Usage;
        }
        if let Some(status) = fedi_status(cause) {
            return status;
        }
    }
    Status::Error
}

/// The status a client error calls for: 4 when logging in would fix it, 130 for Ctrl-C, 2
/// for an unusable instance address, 75 when the instance's rate limit asks for a longer wait
/// than the command may make (wherever it comes: a bulk run's first request too).
fn fedi_status(cause: &(dyn std::error::Error + 'static)) -> Option<Status> {
    use crate::fedi::{ApiError, Error, InstanceUrlError, SessionError};
    let client = |err: &Error| {
        if err.is_interrupted() {
            Some(Status::Interrupted)
        } else if err.is_auth_failure() {
            Some(Status::AuthNeeded)
        } else if matches!(err, Error::RateLimited { .. }) {
            Some(Status::Unfinished)
        } else {
            None
        }
    };
    if let Some(err) = cause.downcast_ref::<Error>() {
        return client(err);
    }
    if let Some(api) = cause.downcast_ref::<ApiError>() {
        return api.is_auth_failure().then_some(Status::AuthNeeded);
    }
    if let Some(session) = cause.downcast_ref::<SessionError>() {
        if session.is_auth_needed() {
            return Some(Status::AuthNeeded);
        }
        if session.is_usage() {
            return Some(Status::Usage);
        }
        if let SessionError::Client(err) = session {
            return client(err);
        }
    }
    cause.is::<InstanceUrlError>().then_some(Status::Usage)
}

/// True when the error is only a closed stdout (`fedimigrate export … | head`): not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        let io = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind);
        // serde_json's writer errors hide the io::Error from the chain; ask them for its kind.
        let json = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io == Some(BrokenPipe) || json == Some(BrokenPipe)
    })
}

/// Prints the error (if any) as one line on stderr and returns the process status.
pub fn finish(result: anyhow::Result<Outcome>) -> ExitCode {
    match result {
        Ok(Outcome::Done) => Status::Done.into(),
        Ok(Outcome::Partial) => Status::Partial.into(),
        Ok(Outcome::Unfinished) => Status::Unfinished.into(),
        Err(err) if is_broken_pipe(&err) => Status::Done.into(),
        Err(err) => {
            eprintln!("error: {}", one_line(&err));
            classify(&err).into()
        }
    }
}

/// The whole context chain on one line, without repeating a cause that the outer message
/// already quotes, cleaned for the terminal (causes quote file, entry and host names that an
/// archive or a server controls).
pub fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    crate::sanitize::clean(&line).into_owned()
}

/// Prints a clap error and maps it: `--help`/`--version` exit 0, everything else is usage (2).
pub fn clap_error(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    let _ = err.print();
    match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Status::Done.into(),
        _ => Status::Usage.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn markers_pick_their_status_through_context() {
        let auth = Err::<(), _>(AuthNeeded("x".into())).context("following");
        assert_eq!(classify(&auth.unwrap_err()), Status::AuthNeeded);
        let int = Err::<(), _>(Interrupted).context("posting");
        assert_eq!(classify(&int.unwrap_err()), Status::Interrupted);
        let usage = anyhow::Error::new(UsageError("bad --resolve".into()));
        assert_eq!(classify(&usage), Status::Usage);
        assert_eq!(classify(&anyhow::anyhow!("plain")), Status::Error);
    }

    #[test]
    fn client_errors_pick_their_exit_status() {
        use crate::fedi::{ApiError, Error, InstanceUrl, SessionError};
        let api = |status: u16| ApiError {
            host: "m.example".into(),
            status,
            method: "GET".into(),
            path: "/".into(),
            error: None,
            description: None,
            anonymous: false,
        };
        let status = |err: anyhow::Error| classify(&err);
        assert_eq!(status(Error::from(api(401)).into()), Status::AuthNeeded);
        assert_eq!(status(Error::from(api(422)).into()), Status::Error);
        assert_eq!(status(Error::Interrupted.into()), Status::Interrupted);
        let limited = Error::RateLimited {
            host: "h".into(),
            what: "requests",
            until: "12:00".into(),
            at: std::time::SystemTime::UNIX_EPOCH,
        };
        assert_eq!(status(limited.into()), Status::Unfinished);
        assert_eq!(status(SessionError::NoLogin.into()), Status::AuthNeeded);
        let bad_url = InstanceUrl::parse("ftp://x", false).unwrap_err();
        assert_eq!(
            status(SessionError::from(bad_url.clone()).into()),
            Status::Usage
        );
        assert_eq!(
            status(anyhow::Error::new(bad_url).context("logging in")),
            Status::Usage
        );
        let interrupted = SessionError::Client(Error::Interrupted);
        assert_eq!(status(interrupted.into()), Status::Interrupted);
    }

    #[test]
    fn one_line_joins_the_chain_without_repeats() {
        let err = Err::<(), _>(std::io::Error::other("disk full"))
            .context("writing out.csv")
            .unwrap_err();
        assert_eq!(one_line(&err), "writing out.csv: disk full");
    }

    #[test]
    fn broken_pipe_is_not_a_failure() {
        let err = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert!(is_broken_pipe(&err));
        let pipe = std::io::Error::from(std::io::ErrorKind::BrokenPipe);
        let json = anyhow::Error::new(serde_json::Error::io(pipe));
        assert!(is_broken_pipe(&json), "a JSON writer's closed pipe");
    }

    #[test]
    fn codes_are_the_documented_numbers() {
        let pairs = [
            (Status::Done, 0),
            (Status::Error, 1),
            (Status::Usage, 2),
            (Status::Partial, 3),
            (Status::AuthNeeded, 4),
            (Status::Unfinished, 75),
            (Status::Interrupted, 130),
        ];
        for (status, code) in pairs {
            assert_eq!(status as u8, code);
        }
    }
}
