//! OAuth as Doorkeeper does it in Mastodon: app registration, the out-of-band authorisation
//! page (showing the code to the person logged in "in the browser"), the code → token
//! exchange, and revocation.

use serde_json::json;

use super::route::{Ctx, covers_any};
use super::state::{AppRec, CodeRec, TokenRec};
use crate::Resp;

pub(crate) fn register(ctx: &mut Ctx<'_>) -> Resp {
    let (Some(name), Some(redirect)) = (ctx.field("client_name"), ctx.field("redirect_uris"))
    else {
        return Resp::error(
            422,
            "Validation failed: Name can't be blank, Redirect URI can't be blank",
        );
    };
    let scopes = ctx.field("scopes").unwrap_or_else(|| "read".into());
    let app = AppRec {
        id: ctx.state.id(),
        name,
        client_id: ctx.state.secret("fvcid"),
        client_secret: ctx.state.secret("fvsecret"),
        scopes: scopes.clone(),
        redirect_uri: redirect.clone(),
    };
    ctx.state.apps.push(app.clone());
    Resp::json(
        200,
        &json!({
            "id": app.id, "name": app.name, "website": ctx.field("website"),
            "scopes": scopes.split_whitespace().collect::<Vec<_>>(),
            "redirect_uris": [redirect], "redirect_uri": app.redirect_uri,
            "client_id": app.client_id, "client_secret": app.client_secret,
            "client_secret_expires_at": 0, "vapid_key": "BFake="
        }),
    )
}

/// `GET /oauth/authorize`: validates the query like Doorkeeper, then "approves" as the
/// browser user and shows the code the way Mastodon's OOB page does.
pub(crate) fn authorize(ctx: &mut Ctx<'_>) -> Resp {
    let q = |name: &str| ctx.req.query_param(name).unwrap_or_default();
    let (client_id, redirect, scope) = (q("client_id"), q("redirect_uri"), q("scope"));
    let Some(app) = ctx
        .state
        .apps
        .iter()
        .find(|a| a.client_id == client_id)
        .cloned()
    else {
        return page(400, "The client identifier provided is invalid.");
    };
    if q("response_type") != "code" {
        return page(
            400,
            "The authorization server does not support this response type.",
        );
    }
    if redirect != app.redirect_uri {
        return page(400, "The redirect uri included is not valid.");
    }
    let requested = if scope.is_empty() {
        app.scopes.clone()
    } else {
        scope
    };
    if !requested
        .split_whitespace()
        .all(|s| app.scopes.split_whitespace().any(|a| a == s))
    {
        return page(
            400,
            "The requested scope is invalid, unknown, or malformed.",
        );
    }
    let Some(user) = ctx.state.browser_user.clone() else {
        return page(200, "Log in to continue.");
    };
    let code = issue_code(ctx.state, &app.client_id, &user, &requested);
    let body = format!(
        "<html><body><p>Copy this authorization code and paste it to the application.</p>\
         <input class='oauth-code' readonly type='text' value='{code}'></body></html>"
    );
    Resp::bytes(200, "text/html; charset=utf-8", body.into_bytes())
}

pub(crate) fn issue_code(
    state: &mut super::state::State,
    client_id: &str,
    account_id: &str,
    scopes: &str,
) -> String {
    let code = state.secret("fvcode");
    state.codes.push(CodeRec {
        code: code.clone(),
        client_id: client_id.to_string(),
        account_id: account_id.to_string(),
        scopes: scopes.to_string(),
        used: false,
    });
    code
}

fn page(status: u16, text: &str) -> Resp {
    Resp::bytes(
        status,
        "text/html; charset=utf-8",
        format!("<html><body><p>{text}</p></body></html>").into_bytes(),
    )
}

fn oauth_error(status: u16, error: &str, description: &str) -> Resp {
    Resp::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

pub(crate) fn token(ctx: &mut Ctx<'_>) -> Resp {
    let field = |name: &str| ctx.field(name).unwrap_or_default();
    let app = ctx
        .state
        .apps
        .iter()
        .find(|a| a.client_id == field("client_id") && a.client_secret == field("client_secret"))
        .cloned();
    let Some(app) = app else {
        return oauth_error(
            401,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        );
    };
    if field("grant_type") != "authorization_code" {
        return oauth_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        );
    }
    let (code, redirect, asked) = (field("code"), field("redirect_uri"), field("scope"));
    let found = ctx
        .state
        .codes
        .iter_mut()
        .find(|c| c.code == code && c.client_id == app.client_id && !c.used);
    let Some(found) = found.filter(|_| redirect == app.redirect_uri) else {
        return oauth_error(
            400,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        );
    };
    found.used = true;
    let (account_id, granted) = (found.account_id.clone(), found.scopes.clone());
    if !asked.is_empty() && !asked.split_whitespace().all(|s| covers_any(&granted, s)) {
        return oauth_error(
            400,
            "invalid_scope",
            "The requested scope is invalid, unknown, or malformed.",
        );
    }
    let token = ctx.state.secret("fvtok");
    ctx.state.tokens.push(TokenRec {
        token: token.clone(),
        account_id,
        scopes: granted.clone(),
        client_id: Some(app.client_id),
        revoked: false,
    });
    Resp::json(
        200,
        &json!({"access_token": token, "token_type": "Bearer", "scope": granted, "created_at": 1_785_592_219}),
    )
}

/// `POST /oauth/revoke` (RFC 7009): the app's own tokens only; unknown tokens are fine.
pub(crate) fn revoke(ctx: &mut Ctx<'_>) -> Resp {
    let field = |name: &str| ctx.field(name).unwrap_or_default();
    let app_ok =
        ctx.state.apps.iter().any(|a| {
            a.client_id == field("client_id") && a.client_secret == field("client_secret")
        });
    if !app_ok {
        return oauth_error(
            403,
            "unauthorized_client",
            "You are not authorized to revoke this token",
        );
    }
    let token = field("token");
    let client_id = field("client_id");
    if let Some(rec) = ctx.state.tokens.iter_mut().find(|t| t.token == token) {
        if rec.client_id.as_deref() != Some(client_id.as_str()) {
            return oauth_error(
                403,
                "unauthorized_client",
                "You are not authorized to revoke this token",
            );
        }
        rec.revoked = true;
    }
    Resp::json(200, &json!({}))
}
