//! The Mastodon-compatible client: login (OAuth out-of-band), stored credentials, instance
//! facts, accounts, follows, blocks, mutes, lists, media and statuses; rate limits, retries
//! and pagination. It decides nothing: callers plan, it does.
//!
//! Start from [`session::connect`] (the instance flags → a ready [`Client`]), or
//! [`Client::new`] with an [`InstanceUrl`] and a token. Every request goes through
//! [`Client::fetch`], which paces it ([`pacer`]), retries it when that is safe ([`retry`]) and
//! stops on Ctrl-C ([`Cancel`]).
//!
//! | file | holds |
//! |---|---|
//! | `client.rs` | the client and its request loop |
//! | `family.rs`, `rate_headers.rs`, `pacer.rs` | the rate-limit model (pure) |
//! | `retry.rs` | which failures are retried, and the backoff (pure) |
//! | `oauth.rs`, `credentials.rs`, `session.rs` | login and stored logins |
//! | `instance.rs`, `accounts.rs`, `lists.rs`, `media.rs`, `statuses.rs` | the endpoints |
//! | `types.rs`, `pagination.rs`, `instance_url.rs`, `secret.rs`, `error.rs` | values |
//! | `clock.rs`, `cancel.rs`, `notice.rs` | time, Ctrl-C and what the user is told |

pub mod accounts;
pub mod cancel;
pub mod client;
pub mod clock;
pub mod credentials;
pub mod error;
pub mod family;
pub mod instance;
pub mod instance_url;
pub mod lists;
pub mod media;
pub mod notice;
pub mod oauth;
pub mod pacer;
pub mod pagination;
pub mod rate_headers;
pub mod retry;
pub mod secret;
pub mod session;
pub mod statuses;
pub mod types;

pub use accounts::{FollowOptions, MuteOptions};
pub use cancel::Cancel;
pub use client::{Client, ClientOptions};
pub use error::{ApiError, Error};
pub use family::{Budget, Budgets, Family};
pub use instance::{Capabilities, InstanceInfo, Limits, Software, Version};
pub use instance_url::{InstanceUrl, InstanceUrlError};
pub use lists::ListOptions;
pub use media::{MediaState, MediaUpload};
pub use notice::Notice;
pub use pagination::Page;
pub use secret::{AccessToken, Secret};
pub use session::{AccountChoice, SecretSource, Session, SessionError};
pub use statuses::NewStatus;
pub use types::{Account, List, MediaAttachment, Posted, Relationship, Status, Visibility};

use crate::exit::Status as ExitStatus;

/// The exit status an error of this module calls for, if it is one of ours: 4 when logging
/// in would fix it, 130 for Ctrl-C, 2 for an unusable instance address.
pub fn exit_status(cause: &(dyn std::error::Error + 'static)) -> Option<ExitStatus> {
    if let Some(err) = cause.downcast_ref::<Error>() {
        return status_of(err);
    }
    if let Some(api) = cause.downcast_ref::<ApiError>() {
        return api.is_auth_failure().then_some(ExitStatus::AuthNeeded);
    }
    if let Some(session) = cause.downcast_ref::<SessionError>() {
        if session.is_auth_needed() {
            return Some(ExitStatus::AuthNeeded);
        }
        if session.is_usage() {
            return Some(ExitStatus::Usage);
        }
        if let SessionError::Client(err) = session {
            return status_of(err);
        }
    }
    if cause.is::<InstanceUrlError>() {
        return Some(ExitStatus::Usage);
    }
    None
}

fn status_of(err: &Error) -> Option<ExitStatus> {
    if err.is_interrupted() {
        Some(ExitStatus::Interrupted)
    } else if err.is_auth_failure() {
        Some(ExitStatus::AuthNeeded)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_pick_their_exit_status() {
        let api = |status: u16| ApiError {
            host: "m.example".into(),
            status,
            method: "GET".into(),
            path: "/".into(),
            error: None,
            description: None,
        };
        let status = |err: anyhow::Error| crate::exit::classify(&err);
        assert_eq!(status(Error::from(api(401)).into()), ExitStatus::AuthNeeded);
        assert_eq!(status(Error::from(api(422)).into()), ExitStatus::Error);
        assert_eq!(status(Error::Interrupted.into()), ExitStatus::Interrupted);
        assert_eq!(status(SessionError::NoLogin.into()), ExitStatus::AuthNeeded);
        let bad_url = InstanceUrl::parse("ftp://x", false).unwrap_err();
        assert_eq!(
            status(SessionError::from(bad_url.clone()).into()),
            ExitStatus::Usage
        );
        assert_eq!(
            status(anyhow::Error::new(bad_url).context("logging in")),
            ExitStatus::Usage
        );
        let interrupted = SessionError::Client(Error::Interrupted);
        assert_eq!(status(interrupted.into()), ExitStatus::Interrupted);
    }
}
