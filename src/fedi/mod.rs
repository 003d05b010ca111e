//! The Mastodon-compatible client: auth, instance facts, accounts, follows, lists, media,
//! statuses; rate limits, retries and pagination. It decides nothing: callers plan, it does.

/// An error answer from an instance, keeping what the server said.
#[derive(Debug, thiserror::Error)]
#[error("{host} answered {status}: {message}")]
pub struct ApiError {
    pub host: String,
    pub status: u16,
    pub message: String,
}

impl ApiError {
    /// True when the server refused the credentials (the user must log in again).
    pub fn is_auth_failure(&self) -> bool {
        self.status == 401
    }
}
