//! `fedimigrate login`: OAuth out-of-band login, or a token made in the web UI, stored safely.
//!
//! Interactive: register the app (once per instance), show the authorisation page's URL
//! (offering to open a browser), read the code, exchange it, check it with
//! `verify_credentials`, store it. For scripts the same in two steps (`--print-url`, then
//! `--code-file`), or `--token-file`. Nothing here prints a token.

use anyhow::{Context, bail};

use super::Env;
use crate::exit::{AuthNeeded, Outcome, UsageError};
use crate::fedi::credentials::{Credentials, Store, StoredApp, StoredUser};
use crate::fedi::oauth::{self, SCOPES};
use crate::fedi::session::exposed_warning;
use crate::fedi::types::TokenGrant;
use crate::fedi::{AccessToken, Cancel, Client, InstanceUrl, Secret, SecretSource};

/// How the login gets its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Show the URL, read the code at the terminal (or behave like `PrintUrl` without one).
    Interactive,
    /// Register, print the URL, remember the instance, stop.
    PrintUrl,
    /// Finish a `PrintUrl` login with the code from here.
    Code(SecretSource),
    /// Store a token made in the web UI.
    Token(SecretSource),
}

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub instance: Option<String>,
    pub mode: Mode,
    pub offer_browser: bool,
}

/// The stored state a login works on.
struct Ctx<'a> {
    env: &'a Env,
    store: Store,
    creds: Credentials,
    cancel: Cancel,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    let store = Store::open_default()?;
    let loaded = store.load()?;
    if loaded.was_exposed {
        env.ui.warn(exposed_warning(store.path()));
    }
    let mut ctx = Ctx {
        env,
        store,
        creds: loaded.credentials,
        cancel: Cancel::on_ctrl_c(crate::exit::quit_interrupted),
    };
    let instance = pick_instance(&config, &ctx).await?;
    match config.mode {
        Mode::Token(source) => with_token(&mut ctx, &instance, &source).await?,
        Mode::PrintUrl => print_url(&mut ctx, &instance).await?,
        Mode::Code(source) => {
            if source.is_terminal() {
                env.ui.info("Paste the authorisation code and press Enter:");
            }
            let code = source.read().context("reading the authorisation code")?;
            with_code(&mut ctx, &instance, &code).await?;
        }
        Mode::Interactive if !env.ui.can_prompt() => {
            print_url(&mut ctx, &instance).await?;
            env.ui.info("No terminal to read the code from: finish with `fedimigrate login --code-file FILE` (or `-` for standard input).");
        }
        Mode::Interactive => interactive(&mut ctx, &instance, config.offer_browser).await?,
    }
    Ok(Outcome::Done)
}

/// The instance from the argument, the pending `--print-url` login, or a question.
async fn pick_instance(config: &Config, ctx: &Ctx<'_>) -> anyhow::Result<InstanceUrl> {
    let insecure = ctx.env.net.insecure_http;
    if let Some(text) = &config.instance {
        return Ok(InstanceUrl::parse(text, insecure)?);
    }
    if let (Mode::Code(_), Some(pending)) = (&config.mode, &ctx.creds.pending_login)
        && let Some(app) = ctx.creds.apps.get(pending)
    {
        return Ok(InstanceUrl::from_stored(&app.base_url)?);
    }
    if matches!(config.mode, Mode::Code(_)) {
        bail!(UsageError(
            "no login is waiting for a code: start with `fedimigrate login INSTANCE --print-url`"
                .into()
        ));
    }
    if !ctx.env.ui.can_prompt() {
        bail!(UsageError(
            "name your instance, e.g. `fedimigrate login mastodon.social`".into()
        ));
    }
    let answer = ask(ctx, "Your instance (e.g. mastodon.social): ").await?;
    Ok(InstanceUrl::parse(&answer, insecure)?)
}

/// A client for the instance, its notices on stderr.
fn client(
    ctx: &Ctx<'_>,
    instance: &InstanceUrl,
    token: Option<AccessToken>,
) -> anyhow::Result<Client> {
    let ui = ctx.env.ui.clone();
    Ok(Client::new(instance.clone(), token, &ctx.env.net)?
        .with_cancel(ctx.cancel.clone())
        .on_notice(move |notice| ui.info(notice)))
}

/// `--token-file`: check the token and store it.
async fn with_token(
    ctx: &mut Ctx<'_>,
    instance: &InstanceUrl,
    source: &SecretSource,
) -> anyhow::Result<()> {
    if source.is_terminal() {
        ctx.env.ui.info(
            "Paste the access token and press Enter (it shows on screen; a file keeps it off):",
        );
    }
    let token = source.read().context("reading the access token")?;
    let grant = TokenGrant {
        access_token: token,
        scope: None,
    };
    store_login(ctx, instance, grant, None).await
}

/// `--print-url` (and interactive logins without a terminal).
async fn print_url(ctx: &mut Ctx<'_>, instance: &InstanceUrl) -> anyhow::Result<()> {
    let app = ensure_app(ctx, instance).await?;
    let url = client(ctx, instance, None)?.authorize_url(&app.client_id, SCOPES);
    ctx.creds.pending_login = Some(instance.key().to_string());
    ctx.store.save(&ctx.creds)?;
    println!("{url}");
    ctx.env.ui.info(format!(
        "Open this address, approve fedimigrate, then run: fedimigrate login --code-file FILE \
         (the file holding the code {} shows; `-` reads it from standard input)",
        instance.key()
    ));
    Ok(())
}

/// Show the URL, maybe open a browser, ask for the code, finish.
async fn interactive(
    ctx: &mut Ctx<'_>,
    instance: &InstanceUrl,
    offer_browser: bool,
) -> anyhow::Result<()> {
    let app = ensure_app(ctx, instance).await?;
    let url = client(ctx, instance, None)?.authorize_url(&app.client_id, SCOPES);
    let ui = &ctx.env.ui;
    ui.info(format!(
        "Open this address to let fedimigrate use your account on {}:\n\n  {url}\n",
        instance.key()
    ));
    if offer_browser
        && ui
            .confirm("Open it in your browser?", true)
            .unwrap_or(false)
        && !open_browser(url.as_str())
    {
        ui.warn("could not start a browser; open the address above yourself");
    }
    let code = ask(ctx, "Paste the authorisation code: ").await?;
    if code.is_empty() {
        bail!("no authorisation code given; run `fedimigrate login` again");
    }
    with_code(ctx, instance, &Secret::new(code)).await
}

/// Exchange the code for a token and store it.
async fn with_code(ctx: &mut Ctx<'_>, instance: &InstanceUrl, code: &Secret) -> anyhow::Result<()> {
    let Some(app) = ctx.creds.apps.get(instance.key()).cloned() else {
        bail!(UsageError(format!(
            "fedimigrate is not registered on {} yet: start with `fedimigrate login {} --print-url`",
            instance.key(),
            instance.key()
        )));
    };
    let exchanged = client(ctx, instance, None)?
        .exchange_code(&app.registered(), code, &app.scopes)
        .await;
    let grant = match exchanged {
        Err(err)
            if err
                .api()
                .is_some_and(|a| a.error.as_deref() == Some("invalid_client")) =>
        {
            ctx.creds.apps.remove(instance.key());
            ctx.store.save(&ctx.creds)?;
            return Err(AuthNeeded(format!(
                "{} no longer knows fedimigrate's app: run `fedimigrate login {}` again",
                instance.key(),
                instance.key()
            ))
            .into());
        }
        other => other.context("exchanging the authorisation code")?,
    };
    let missing = oauth::missing_scopes(SCOPES, grant.scope.as_deref().unwrap_or(SCOPES));
    if !missing.is_empty() {
        ctx.env.ui.warn(format!(
            "{} granted fewer permissions than asked (missing: {}); some commands will fail",
            instance.key(),
            missing.join(" ")
        ));
    }
    store_login(ctx, instance, grant, Some(app.client_id.clone())).await
}

/// The app registered on this instance, registering it (and saving it at once) if needed.
async fn ensure_app(ctx: &mut Ctx<'_>, instance: &InstanceUrl) -> anyhow::Result<StoredApp> {
    if let Some(app) = ctx.creds.apps.get(instance.key())
        && app.base_url == instance.origin()
        && oauth::missing_scopes(SCOPES, &app.scopes).is_empty()
    {
        return Ok(app.clone());
    }
    let registered = client(ctx, instance, None)?
        .register_app(SCOPES)
        .await
        .with_context(|| format!("registering fedimigrate on {}", instance.key()))?;
    let app = StoredApp {
        base_url: instance.origin(),
        client_id: registered.client_id,
        client_secret: registered.client_secret,
        scopes: SCOPES.to_string(),
        created_at: now(),
    };
    ctx.creds
        .apps
        .insert(instance.key().to_string(), app.clone());
    ctx.store.save(&ctx.creds)?;
    Ok(app)
}

/// Checks the token with the instance and stores the login as the active one.
async fn store_login(
    ctx: &mut Ctx<'_>,
    instance: &InstanceUrl,
    grant: TokenGrant,
    client_id: Option<String>,
) -> anyhow::Result<()> {
    let me = client(ctx, instance, Some(grant.access_token.clone()))?
        .verify_credentials()
        .await
        .map_err(|err| match err.api().filter(|api| api.status == 401) {
            Some(api) => anyhow::Error::new(AuthNeeded(format!(
                "{} refused this token {}; nothing was stored",
                api.host,
                api.code()
            ))),
            None => anyhow::Error::new(err)
                .context(format!("checking the login with {}", instance.key())),
        })?;
    let user = StoredUser {
        instance: instance.key().to_string(),
        base_url: instance.origin(),
        username: me.username.clone(),
        account_id: me.id,
        access_token: grant.access_token,
        scopes: grant.scope.unwrap_or_default(),
        client_id,
        created_at: now(),
    };
    let (name, replaced) = ctx.creds.add_user(user);
    if ctx.creds.pending_login.as_deref() == Some(instance.key()) {
        ctx.creds.pending_login = None;
    }
    ctx.store.save(&ctx.creds)?;
    ctx.env.ui.info(format!(
        "Logged in as {}; stored in {}",
        crate::sanitize::clean(&name),
        ctx.store.path().display()
    ));
    if let Some(old) = replaced {
        revoke_replaced(ctx, instance, &name, old).await;
    }
    Ok(())
}

/// Revokes the token a new login replaced (best effort: the new login is already stored).
async fn revoke_replaced(ctx: &Ctx<'_>, instance: &InstanceUrl, name: &str, old: StoredUser) {
    let new_token = ctx.creds.user(name).map(|(_, u)| u.access_token.clone());
    if new_token.as_ref() == Some(&old.access_token) {
        return;
    }
    let app = old
        .client_id
        .as_deref()
        .and_then(|id| ctx.creds.apps.values().find(|a| a.client_id == id));
    let revoked = match (app, client(ctx, instance, None)) {
        (Some(app), Ok(client)) => client
            .revoke(&app.registered(), &old.access_token)
            .await
            .is_ok(),
        _ => false,
    };
    if !revoked {
        ctx.env.ui.warn(format!(
            "the previous token of {name} is still valid on {}; revoke it in the web UI \
             (Preferences → Account → Authorized apps) if you no longer use it",
            instance.key()
        ));
    }
}

/// Asks a question at the terminal without blocking the runtime; Ctrl-C interrupts it.
async fn ask(ctx: &Ctx<'_>, prompt: &'static str) -> anyhow::Result<String> {
    let ui = ctx.env.ui.clone();
    let answer = tokio::task::spawn_blocking(move || ui.prompt_line(prompt));
    tokio::select! {
        joined = answer => Ok(joined.context("reading the terminal")??),
        () = ctx.cancel.cancelled() => Err(crate::fedi::Error::Interrupted.into()),
    }
}

/// Starts the system's browser on `url`; false if none could be started.
fn open_browser(url: &str) -> bool {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
