//! `fedimigrate logout [ACCOUNT]`: revoke the token on the instance (`POST /oauth/revoke`)
//! and forget it here. `--keep-remote` only forgets it.

use anyhow::{Context, bail};

use super::Env;
use crate::exit::Outcome;
use crate::fedi::credentials::{Credentials, Store, StoredUser};
use crate::fedi::{Client, InstanceUrl};

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub account: Option<String>,
    pub keep_remote: bool,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    let store = Store::open_default()?;
    let mut creds = store.load()?.credentials;
    let name = match (&config.account, &creds.active_user) {
        (Some(name), _) => name.clone(),
        (None, Some(active)) => active.clone(),
        (None, None) if creds.users.is_empty() => {
            env.ui.info("No login is stored; nothing to log out.");
            return Ok(Outcome::Done);
        }
        (None, None) => bail!(
            "no active login; name the one to log out: {}",
            creds.users.keys().cloned().collect::<Vec<_>>().join(", ")
        ),
    };
    let Some((key, user)) = creds.user(&name).map(|(k, u)| (k.to_string(), u.clone())) else {
        bail!("no stored login `{name}` (`fedimigrate whoami` lists them)");
    };
    if !config.keep_remote {
        revoke(&creds, &user, env).await?;
    }
    creds.remove_user(&key);
    store.save(&creds)?;
    env.ui.info(format!("Logged out {key}."));
    if let Some(active) = &creds.active_user {
        env.ui.info(format!("The active login is now {active}."));
    }
    Ok(Outcome::Done)
}

/// Revokes the login's token. A refusal by the instance is a warning (the token may be gone
/// already); a failure to reach it stops the logout so the user can retry.
async fn revoke(creds: &Credentials, user: &StoredUser, env: &Env) -> anyhow::Result<()> {
    let app = user
        .client_id
        .as_deref()
        .and_then(|id| creds.apps.values().find(|a| a.client_id == id));
    let Some(app) = app else {
        env.ui.warn(format!(
            "this token was not made by fedimigrate's login (it came from the web UI); \
             revoke it there: {} → Preferences → Development",
            user.instance
        ));
        return Ok(());
    };
    let instance = InstanceUrl::from_stored(&user.base_url)?;
    let client = Client::new(instance, None, &env.net)?;
    match client.revoke(&app.registered(), &user.access_token).await {
        Ok(()) => {
            env.ui
                .info(format!("Revoked the token on {}.", user.instance));
            Ok(())
        }
        Err(err) if err.api().is_some_and(|a| (400..500).contains(&a.status)) => {
            env.ui.warn(format!(
                "{err}; the token may still work: revoke it in the web UI \
                 (Preferences → Account → Authorized apps)"
            ));
            Ok(())
        }
        Err(err) => Err(err).with_context(|| {
            format!(
                "revoking the token on {}; nothing was forgotten: try again, or pass \
                 --keep-remote to forget it here only",
                user.instance
            )
        }),
    }
}
