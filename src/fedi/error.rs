//! What can go wrong talking to an instance, as one plain sentence each.
//!
//! [`ApiError`] is an error answer: it keeps the status, the method and path (never the query,
//! which may carry search terms), and what the server said (`error`, `error_description`),
//! cleaned of control characters and cut short, since a hostile server controls it. No variant
//! can hold a token: the client scrubs the token out of server text before it gets here.

use crate::net::NetError;

/// An error answer from an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The instance (`host` or `host:port`).
    pub host: String,
    pub status: u16,
    pub method: String,
    /// The URL path, without query.
    pub path: String,
    /// The server's `error` field.
    pub error: Option<String>,
    /// The server's `error_description` field (OAuth errors).
    pub description: Option<String>,
    /// The request carried no token (app registration, the code exchange): a 401 then refuses
    /// the request, not a token.
    pub anonymous: bool,
}

/// What a client call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The instance answered with an error status.
    #[error(transparent)]
    Api(Box<ApiError>),
    /// The request did not get an answer (after any retries).
    #[error(transparent)]
    Net(#[from] NetError),
    /// The answer could not be read.
    #[error("{host} sent {what} that fedimigrate cannot read ({reason})")]
    Decode {
        host: String,
        what: &'static str,
        reason: String,
    },
    /// Waiting for the rate limit would take longer than allowed.
    #[error("{host} allows no more {what} until {until}; run the command again after that")]
    RateLimited {
        host: String,
        what: &'static str,
        until: String,
        /// When the budget is back, on this machine's clock (for a caller that saves its state
        /// and says when to run again).
        at: std::time::SystemTime,
    },
    /// The server kept refusing (429/503) even after waiting.
    #[error(
        "{host} kept refusing requests ({status}) after waiting {attempts} time(s); try again later"
    )]
    Refused {
        host: String,
        status: u16,
        attempts: u32,
    },
    /// Media processing did not finish in time.
    #[error("{host} was still processing the uploaded media {id} after {secs} seconds")]
    MediaTimeout { host: String, id: String, secs: u64 },
    /// A `Link` header pointed away from the instance.
    #[error("{host} sent a next-page link to another site ({target}); not sending the token there")]
    ForeignLink { host: String, target: String },
    /// An idempotency key that cannot travel in a header.
    #[error("an idempotency key must be 1 to 256 printable ASCII characters")]
    BadIdempotencyKey,
    /// The token is not usable in a header (a damaged credentials or token file).
    #[error("the access token contains spaces or control characters; check the token file")]
    BadToken,
    /// Ctrl-C: the operation stopped before its next request.
    #[error("interrupted")]
    Interrupted,
}

impl From<ApiError> for Error {
    fn from(api: ApiError) -> Self {
        Error::Api(Box::new(api))
    }
}

impl Error {
    /// The instance refused the credentials: the user must log in (again).
    pub fn is_auth_failure(&self) -> bool {
        matches!(self, Error::Api(api) if api.is_auth_failure()) || matches!(self, Error::BadToken)
    }

    /// The thing asked for does not exist (404).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Error::Api(api) if api.status == 404)
    }

    /// The user pressed Ctrl-C.
    pub fn is_interrupted(&self) -> bool {
        matches!(self, Error::Interrupted)
    }

    /// A failure after which the server may still have done what was asked: no answer (a
    /// timeout, a dropped connection, Ctrl-C mid-request), an answer that could not be read,
    /// or a 5xx. A refusal (4xx), a rate-limit stop or a redirect (never followed for a
    /// change) certainly did nothing.
    pub fn may_have_taken_effect(&self) -> bool {
        match self {
            Error::Net(NetError::RedirectedChange { .. }) => false,
            Error::Net(_) | Error::Interrupted | Error::Decode { .. } => true,
            Error::Api(api) => api.status >= 500,
            _ => false,
        }
    }

    /// The API error, if this is one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }
}

/// Longest server message kept.
const MAX_MESSAGE: usize = 300;

impl ApiError {
    /// True when the server refused the credentials (401), refused a token without the needed
    /// scope, or refused an OAuth grant or client: the user must log in again.
    pub fn is_auth_failure(&self) -> bool {
        self.status == 401
            || self.is_scope_failure()
            || matches!(
                self.error.as_deref(),
                Some("invalid_grant" | "invalid_client" | "unauthorized_client" | "invalid_token")
            )
    }

    /// A 403 because the token lacks a scope (Mastodon: "This action is outside the authorized
    /// scopes").
    pub fn is_scope_failure(&self) -> bool {
        self.status == 403
            && self
                .error
                .as_deref()
                .is_some_and(|e| e.to_ascii_lowercase().contains("scope"))
    }

    /// The server's words: `error: description`, `error`, or `description`.
    pub fn server_message(&self) -> Option<String> {
        match (&self.error, &self.description) {
            (Some(e), Some(d)) => Some(format!("{e}: {d}")),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        }
    }

    /// `(401)` or `(401: what the server said)`.
    pub fn code(&self) -> String {
        match self.server_message() {
            Some(message) => format!("({}: {message})", self.status),
            None => format!("({})", self.status),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (host, code, path) = (&self.host, self.code(), &self.path);
        let method = &self.method;
        match self.status {
            401 if !self.anonymous => write!(
                f,
                "{host} refused the token {code}: run `fedimigrate login`"
            ),
            403 if self.is_scope_failure() => write!(
                f,
                "{host} did not give this login the permission for {method} {path} {code}: \
                 run `fedimigrate login` again"
            ),
            400 if self.is_auth_failure() => write!(
                f,
                "{host} refused the authorisation {code}: run `fedimigrate login` again"
            ),
            404 => write!(f, "{host} has no {path} {code}"),
            410 => write!(f, "{host} says {path} is gone {code}"),
            429 => write!(f, "{host} is limiting requests {code}"),
            s if s >= 500 => write!(f, "{host} failed with a server error on {path} {code}"),
            _ => write!(f, "{host} refused {method} {path} {code}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// Makes server text safe to show (see [`crate::sanitize`]): no escape sequences, control
/// characters or runs of spaces, at most [`MAX_MESSAGE`] characters.
pub fn clean_server_text(text: &str) -> Option<String> {
    crate::sanitize::clean_cut(text, MAX_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, error: Option<&str>, description: Option<&str>) -> ApiError {
        ApiError {
            host: "mastodon.example".into(),
            status,
            method: "POST".into(),
            path: "/api/v1/statuses".into(),
            error: error.map(String::from),
            description: description.map(String::from),
            anonymous: false,
        }
    }

    #[test]
    fn reads_as_one_sentence() {
        let cases = [
            (
                api(401, None, None),
                "mastodon.example refused the token (401): run `fedimigrate login`",
            ),
            (
                api(401, Some("The access token is invalid"), None),
                "mastodon.example refused the token (401: The access token is invalid): run `fedimigrate login`",
            ),
            (
                api(
                    403,
                    Some("This action is outside the authorized scopes"),
                    None,
                ),
                "mastodon.example did not give this login the permission for POST /api/v1/statuses (403: This action is outside the authorized scopes): run `fedimigrate login` again",
            ),
            (
                api(
                    400,
                    Some("invalid_grant"),
                    Some("The provided authorization grant is invalid"),
                ),
                "mastodon.example refused the authorisation (400: invalid_grant: The provided authorization grant is invalid): run `fedimigrate login` again",
            ),
            (
                api(
                    422,
                    Some("Validation failed: Text character limit of 500 exceeded"),
                    None,
                ),
                "mastodon.example refused POST /api/v1/statuses (422: Validation failed: Text character limit of 500 exceeded)",
            ),
            (
                api(404, Some("Record not found"), None),
                "mastodon.example has no /api/v1/statuses (404: Record not found)",
            ),
            (
                api(502, None, None),
                "mastodon.example failed with a server error on /api/v1/statuses (502)",
            ),
            (
                ApiError {
                    anonymous: true,
                    ..api(401, None, None)
                },
                "mastodon.example refused POST /api/v1/statuses (401)",
            ),
        ];
        for (error, text) in cases {
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn classifies_auth_failures() {
        assert!(api(401, None, None).is_auth_failure());
        assert!(
            api(
                403,
                Some("This action is outside the authorized scopes"),
                None
            )
            .is_auth_failure()
        );
        assert!(!api(403, Some("You are blocked"), None).is_auth_failure());
        assert!(api(400, Some("invalid_grant"), None).is_auth_failure());
        assert!(!api(422, None, None).is_auth_failure());
        assert!(Error::from(api(401, None, None)).is_auth_failure());
        assert!(!Error::Interrupted.is_auth_failure());
    }

    #[test]
    fn server_text_is_cleaned() {
        assert_eq!(
            clean_server_text("bad\n\u{1b}[31mred\t  thing"),
            Some("bad red thing".into())
        );
        assert_eq!(clean_server_text(" \n "), None);
        let long = "x".repeat(1000);
        assert_eq!(
            clean_server_text(&long).unwrap().chars().count(),
            MAX_MESSAGE + 1
        );
    }
}
