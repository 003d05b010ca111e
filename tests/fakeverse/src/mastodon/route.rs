//! Which endpoint a request is for, and the context handlers work in: the state, the request,
//! the base URL the client used, and the authenticated account.

use std::time::SystemTime;

use super::Flavour;
use super::state::State;
use crate::{Req, Resp};

/// The endpoints the fake serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    Apps,
    Authorize,
    Token,
    Revoke,
    VerifyCredentials,
    Relationships,
    Lookup,
    Account(String),
    AccountAction(String, String),
    Following(String),
    Blocks,
    Mutes,
    Search,
    Lists,
    ListAccounts(String),
    UploadMedia,
    Media(String),
    Statuses,
    Status(String),
    DeleteStatus(String),
    AccountStatuses(String),
    CancelScheduled(String),
    Instance(u8),
}

impl Route {
    /// The route for a request, or `None` when this is not a path the fake serves (another
    /// module's route may answer, or the host's 404).
    pub(crate) fn recognise(flavour: Flavour, method: &str, segments: &[&str]) -> Option<Self> {
        let pleroma = flavour == Flavour::Pleroma;
        let route = match (method, segments) {
            ("POST", ["api", "v1", "apps"]) => Route::Apps,
            ("GET", ["oauth", "authorize"]) => Route::Authorize,
            ("POST", ["oauth", "token"]) => Route::Token,
            ("POST", ["oauth", "revoke"]) => Route::Revoke,
            ("GET", ["api", "v1", "accounts", "verify_credentials"]) => Route::VerifyCredentials,
            ("GET", ["api", "v1", "accounts", "relationships"]) => Route::Relationships,
            ("GET", ["api", "v1", "accounts", "lookup"]) => Route::Lookup,
            ("GET", ["api", "v1", "accounts", id]) => Route::Account(id.to_string()),
            ("GET", ["api", "v1", "accounts", id, "following"]) => Route::Following(id.to_string()),
            ("POST", ["api", "v1", "accounts", id, action]) => {
                Route::AccountAction(id.to_string(), action.to_string())
            }
            ("GET", ["api", "v1", "blocks"]) => Route::Blocks,
            ("GET", ["api", "v1", "mutes"]) => Route::Mutes,
            ("GET", ["api", "v2", "search"]) => Route::Search,
            ("GET" | "POST", ["api", "v1", "lists"]) => Route::Lists,
            ("GET" | "POST", ["api", "v1", "lists", id, "accounts"]) => {
                Route::ListAccounts(id.to_string())
            }
            ("POST", ["api", "v2", "media"]) if !pleroma => Route::UploadMedia,
            ("POST", ["api", "v1", "media"]) => Route::UploadMedia,
            ("GET", ["api", "v1", "media", id]) => Route::Media(id.to_string()),
            ("POST", ["api", "v1", "statuses"]) => Route::Statuses,
            ("GET", ["api", "v1", "statuses", id]) => Route::Status(id.to_string()),
            ("DELETE", ["api", "v1", "statuses", id]) => Route::DeleteStatus(id.to_string()),
            ("GET", ["api", "v1", "accounts", id, "statuses"]) => {
                Route::AccountStatuses(id.to_string())
            }
            ("DELETE", ["api", "v1", "scheduled_statuses", id]) => {
                Route::CancelScheduled(id.to_string())
            }
            ("GET", ["api", "v2", "instance"]) if !pleroma => Route::Instance(2),
            ("GET", ["api", "v1", "instance"]) => Route::Instance(1),
            _ => return None,
        };
        Some(route)
    }
}

/// What a handler works with.
pub(crate) struct Ctx<'a> {
    pub state: &'a mut State,
    pub req: &'a Req,
    /// `https://host` or `http://127.0.0.1:PORT`, as the client addressed us.
    pub base: String,
    pub now: SystemTime,
}

impl Ctx<'_> {
    /// The authenticated account's id, if the token is valid and carries `scope`.
    pub(crate) fn user(&self, scope: &str) -> Result<String, Resp> {
        let invalid = || Resp::error(401, "The access token is invalid");
        let token = self.req.bearer().ok_or_else(invalid)?;
        let rec = self.state.token(token).ok_or_else(invalid)?;
        if !scope.is_empty() && !covers_any(&rec.scopes, scope) {
            return Err(Resp::error(
                403,
                "This action is outside the authorized scopes",
            ));
        }
        Ok(rec.account_id.clone())
    }

    /// The authenticated account if a valid token came, else `None` (public endpoints).
    pub(crate) fn maybe_user(&self) -> Option<String> {
        let token = self.req.bearer()?;
        self.state.token(token).map(|t| t.account_id.clone())
    }

    /// A body field (form, JSON or multipart-less).
    pub(crate) fn field(&self, name: &str) -> Option<String> {
        self.req.field(name)
    }

    /// A boolean body field (`true`/`1`), `None` when absent.
    pub(crate) fn flag(&self, name: &str) -> Option<bool> {
        self.field(name)
            .map(|v| matches!(v.as_str(), "true" | "1" | "on"))
    }
}

/// True when the space-separated `granted` scopes cover `wanted`.
pub(crate) fn covers_any(granted: &str, wanted: &str) -> bool {
    granted.split_ascii_whitespace().any(|have| {
        have == wanted
            || wanted.split_once(':').is_some_and(|(kind, _)| kind == have)
            || (have == "follow"
                && matches!(
                    wanted,
                    "read:follows"
                        | "write:follows"
                        | "read:blocks"
                        | "write:blocks"
                        | "read:mutes"
                        | "write:mutes"
                ))
    })
}

/// `https://host` (or `http://host:port`) from the request.
pub(crate) fn base_url(req: &Req) -> String {
    let scheme = if req.tls { "https" } else { "http" };
    let host = req.header("host").unwrap_or(&req.host);
    format!("{scheme}://{host}")
}

/// Mastodon's 404.
pub(crate) fn not_found() -> Resp {
    Resp::error(404, "Record not found")
}

/// A 422 in Mastodon's words.
pub(crate) fn invalid(message: &str) -> Resp {
    Resp::error(422, &format!("Validation failed: {message}"))
}
