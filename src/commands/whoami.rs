//! `fedimigrate whoami`: the stored logins and the active one, from the credentials file
//! alone (no network). Exits 4 when nothing is stored, so scripts can ask "am I logged in?":
//! 4 is the documented "authentication needed: run `fedimigrate login`" status, which is
//! exactly the answer (gh's `auth status` says the same with a plain 1).

use std::io::Write;

use serde::Serialize;

use super::Env;
use crate::exit::{AuthNeeded, Outcome};
use crate::fedi::credentials::Store;
use crate::fedi::session::exposed_warning;
use crate::sanitize::clean;

/// The whole message when nothing is stored (exit 4).
pub const NOT_LOGGED_IN: &str = "not logged in; run `fedimigrate login INSTANCE`";

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub json: bool,
}

/// One login, as shown (never the token).
#[derive(Debug, Serialize)]
struct Shown {
    account: String,
    instance: String,
    username: String,
    active: bool,
    /// Granted scopes; empty when unknown (a token made in the web UI).
    scopes: Vec<String>,
    /// The token came from `--token-file` (only the web UI can revoke it).
    web_ui_token: bool,
}

#[derive(Debug, Serialize)]
struct Report {
    credentials_file: String,
    active: Option<String>,
    accounts: Vec<Shown>,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    let store = Store::open_default()?;
    let loaded = store.load()?;
    if loaded.was_exposed {
        env.ui.warn(exposed_warning(store.path()));
    }
    let creds = loaded.credentials;
    let active = creds.active().map(|(name, _)| name.to_string());
    let accounts: Vec<Shown> = creds
        .users
        .iter()
        .map(|(name, user)| Shown {
            account: name.clone(),
            instance: user.base_url.clone(),
            username: user.username.clone(),
            active: active.as_deref() == Some(name.as_str()),
            scopes: user.scopes.split_whitespace().map(String::from).collect(),
            web_ui_token: user.client_id.is_none(),
        })
        .collect();
    let report = Report {
        credentials_file: store.path().display().to_string(),
        active,
        accounts,
    };
    let mut out = crate::stdout::lock();
    if config.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        for shown in &report.accounts {
            let marker = if shown.active { "*" } else { " " };
            let (account, instance) = (clean(&shown.account), clean(&shown.instance));
            writeln!(out, "{marker} {account}  ({instance})")?;
        }
    }
    if let Some(pending) = &creds.pending_login {
        env.ui.info(format!(
            "a login to {pending} waits for its code: fedimigrate login --code-file FILE"
        ));
    }
    if report.accounts.is_empty() {
        return Err(AuthNeeded(NOT_LOGGED_IN.into()).into());
    }
    env.ui
        .info(format!("credentials: {}", report.credentials_file));
    Ok(Outcome::Done)
}
