//! OAuth, the out-of-band way a command-line tool logs in: register an app, send the person to
//! the authorisation page, exchange the code they paste for a token, and revoke it on logout.
//! (`POST /api/v1/apps`, `GET /oauth/authorize`, `POST /oauth/token`, `POST /oauth/revoke`.)

use reqwest::Method;
use url::Url;

use super::client::Client;
use super::error::Error;
use super::retry::Repeat;
use super::secret::{AccessToken, Secret};
use super::types::{RegisteredApp, TokenGrant};

/// "Show the code instead of redirecting": the redirect URI for apps without a web server.
pub const OOB: &str = "urn:ietf:wg:oauth:2.0:oob";

/// The narrowest scopes fedimigrate needs: look up and follow accounts, block and mute, manage
/// lists, post statuses with media.
pub const SCOPES: &str = "read:accounts read:follows write:follows read:search read:lists \
                          write:lists write:blocks write:mutes write:statuses write:media";

/// The app name shown to the user on the instance's authorisation page.
pub const CLIENT_NAME: &str = "fedimigrate";

/// The app's website, shown beside its name.
pub const WEBSITE: &str = "https://github.com/fedimigrate/fedimigrate";

impl Client {
    /// Registers fedimigrate as an app on the instance.
    pub async fn register_app(&self, scopes: &str) -> Result<RegisteredApp, Error> {
        let call = self
            .call(Method::POST, "/api/v1/apps")
            .anonymous()
            // Registering twice leaves an unused app behind and nothing else, so a proxy's
            // 502 or a lost answer is retried rather than ending the login.
            .repeat(Repeat::Safe)
            .form(pairs(&[
                ("client_name", CLIENT_NAME),
                ("redirect_uris", OOB),
                ("scopes", scopes),
                ("website", WEBSITE),
            ]));
        self.json(call, "an app registration").await
    }

    /// The page where the person approves the app and gets a code.
    pub fn authorize_url(&self, client_id: &str, scopes: &str) -> Url {
        let mut url = self.instance().join("/oauth/authorize");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", OOB)
            .append_pair("scope", scopes);
        url
    }

    /// Exchanges the code from the authorisation page for an access token.
    pub async fn exchange_code(
        &self,
        app: &RegisteredApp,
        code: &Secret,
        scopes: &str,
    ) -> Result<TokenGrant, Error> {
        let call = self
            .call(Method::POST, "/oauth/token")
            .anonymous()
            // A code buys one token: an exchange sent twice is refused the second time
            // (`invalid_grant`) or never reached the server, so a proxy's 502 is retried
            // rather than sending the person back to the browser for a new code.
            .repeat(Repeat::Safe)
            .form(pairs(&[
                ("grant_type", "authorization_code"),
                ("code", code.expose()),
                ("client_id", &app.client_id),
                ("client_secret", app.client_secret.expose()),
                ("redirect_uri", OOB),
                ("scope", scopes),
            ]));
        self.json(call, "a token").await
    }

    /// Revokes `token`, which `app` issued. Revoking twice is harmless.
    pub async fn revoke(&self, app: &RegisteredApp, token: &AccessToken) -> Result<(), Error> {
        let call = self
            .call(Method::POST, "/oauth/revoke")
            .anonymous()
            .repeat(Repeat::Safe)
            .form(pairs(&[
                ("client_id", &app.client_id),
                ("client_secret", app.client_secret.expose()),
                ("token", token.expose()),
            ]));
        self.fetch(call).await.map(|_| ())
    }
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

/// The requested scopes a grant lacks. A broader granted scope covers its narrower forms
/// (`write` covers `write:follows`), and the old `follow` scope covers follows, blocks and
/// mutes.
pub fn missing_scopes(requested: &str, granted: &str) -> Vec<String> {
    let granted: Vec<&str> = granted.split_ascii_whitespace().collect();
    requested
        .split_ascii_whitespace()
        .filter(|want| !granted.iter().any(|have| covers(have, want)))
        .map(String::from)
        .collect()
}

fn covers(have: &str, want: &str) -> bool {
    if have == want {
        return true;
    }
    if let Some((kind, _)) = want.split_once(':')
        && have == kind
    {
        return true;
    }
    have == "follow"
        && matches!(
            want,
            "read:follows"
                | "write:follows"
                | "read:blocks"
                | "write:blocks"
                | "read:mutes"
                | "write:mutes"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_missing_scopes() {
        assert!(missing_scopes(SCOPES, SCOPES).is_empty());
        assert!(missing_scopes(SCOPES, "read write").is_empty());
        assert_eq!(
            missing_scopes("read:accounts write:follows write:media", "read follow"),
            ["write:media"]
        );
        assert_eq!(
            missing_scopes("read:lists write:lists", "read:lists"),
            ["write:lists"]
        );
        assert_eq!(missing_scopes("read:search", ""), ["read:search"]);
    }

    #[test]
    fn scopes_are_the_narrow_set() {
        let scopes: Vec<&str> = SCOPES.split_ascii_whitespace().collect();
        assert_eq!(scopes.len(), 10);
        assert!(!scopes.contains(&"read") && !scopes.contains(&"write"));
    }
}
