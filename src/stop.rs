//! Why a run that acts on an instance (`follow`, `block`, `mute`, `post`, their undos) ends
//! before its end, and which client errors end the whole run rather than one item.

use crate::fedi::Error;
use crate::store::JournalError;

/// Why a run stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum Stop {
    /// The instance's rate limit ends the run (a wait longer than `--max-wait`).
    #[error(transparent)]
    RateLimited(Error),
    #[error(transparent)]
    Client(Error),
    #[error(transparent)]
    Journal(#[from] JournalError),
}

impl From<Error> for Stop {
    fn from(err: Error) -> Self {
        match err {
            Error::RateLimited { .. } => Stop::RateLimited(err),
            other => Stop::Client(other),
        }
    }
}

/// True for an error that ends the whole run, not just one item: Ctrl-C, a refused token,
/// a rate limit beyond `--max-wait`, an instance that keeps refusing.
pub fn is_fatal(err: &Error) -> bool {
    err.is_interrupted()
        || err.is_auth_failure()
        || matches!(
            err,
            Error::RateLimited { .. } | Error::Refused { .. } | Error::BadToken
        )
}
