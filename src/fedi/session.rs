//! From the instance flags to a ready [`Client`]: `--account user@host` (or the active stored
//! login), or `--instance URL --token-file FILE|-` for scripts, which stores nothing. Every
//! command that talks to the user's instance starts here.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use super::client::Client;
use super::credentials::{Store, StoreError};
use super::error::Error;
use super::instance_url::{InstanceUrl, InstanceUrlError};
use super::secret::{AccessToken, Secret};
use crate::net;
use crate::ui::Ui;

/// Where a secret (token or authorisation code) comes from: never the command line itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    File(PathBuf),
    Stdin,
}

impl SecretSource {
    /// `-` is standard input; anything else a file.
    pub fn from_arg(path: &Path) -> Self {
        if path.as_os_str() == "-" {
            SecretSource::Stdin
        } else {
            SecretSource::File(path.to_path_buf())
        }
    }

    /// True when this is standard input and a person types there (read one line, not to EOF).
    pub fn is_terminal(&self) -> bool {
        use std::io::IsTerminal;
        *self == SecretSource::Stdin && std::io::stdin().is_terminal()
    }

    /// Reads the secret (at most 64 KiB, surrounding whitespace removed); from a terminal, one
    /// line.
    pub fn read(&self) -> Result<Secret, SessionError> {
        let mut text = String::new();
        let read = match self {
            SecretSource::Stdin if self.is_terminal() => std::io::stdin()
                .lock()
                .take(MAX_SECRET)
                .read_line(&mut text),
            SecretSource::Stdin => std::io::stdin()
                .lock()
                .take(MAX_SECRET)
                .read_to_string(&mut text),
            SecretSource::File(path) => std::fs::File::open(path)
                .and_then(|file| file.take(MAX_SECRET).read_to_string(&mut text)),
        };
        read.map_err(|source| SessionError::SecretFile {
            what: self.describe(),
            source,
        })?;
        let secret = Secret::new(text);
        if secret.is_empty() {
            return Err(SessionError::EmptySecret(self.describe()));
        }
        if !secret.is_header_safe() {
            return Err(SessionError::NotOneWord(self.describe()));
        }
        Ok(secret)
    }

    /// `standard input` or the path, for messages.
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Stdin => "standard input".into(),
            SecretSource::File(path) => path.display().to_string(),
        }
    }
}

const MAX_SECRET: u64 = 64 * 1024;

/// Which account a command acts as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChoice {
    /// A stored login by name (`user@host`), or the active one.
    Stored(Option<String>),
    /// This instance with this token, nothing stored.
    Adhoc {
        instance: String,
        token: SecretSource,
    },
}

impl Default for AccountChoice {
    fn default() -> Self {
        AccountChoice::Stored(None)
    }
}

/// A client ready for the chosen account.
#[derive(Debug, Clone)]
pub struct Session {
    pub client: Client,
    /// The stored login's name (`user@host`); `None` for `--instance`.
    pub account: Option<String>,
    /// Things the user should know (e.g. the credentials file was readable by others).
    pub warnings: Vec<String>,
}

/// Why no client could be made.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(
        "no login is stored: run `fedimigrate login INSTANCE` (or pass --instance URL --token-file FILE)"
    )]
    NoLogin,
    #[error("no active login among {0}: pass --account USER@HOST or run `fedimigrate login`")]
    NoActive(String),
    #[error("no stored login `{name}`; stored: {stored} (`fedimigrate whoami` lists them)")]
    UnknownAccount { name: String, stored: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Instance(#[from] InstanceUrlError),
    #[error("cannot read the token from {what}: {source}")]
    SecretFile {
        what: String,
        source: std::io::Error,
    },
    #[error("{0} is empty")]
    EmptySecret(String),
    #[error(
        "{0} holds more than a token or code: spaces, line breaks or other characters \
         a token never has; it should hold the token (or code) alone"
    )]
    NotOneWord(String),
    #[error(transparent)]
    Client(#[from] Error),
}

impl SessionError {
    /// Logging in would fix it (exit 4).
    pub fn is_auth_needed(&self) -> bool {
        match self {
            SessionError::NoLogin
            | SessionError::NoActive(_)
            | SessionError::UnknownAccount { .. } => true,
            SessionError::Client(err) => err.is_auth_failure(),
            _ => false,
        }
    }

    /// The command line asked for something unusable (exit 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, SessionError::Instance(_))
    }
}

/// Builds the client for `choice`, without notices or cancellation (see [`connect`]).
pub fn open(choice: &AccountChoice, net: &net::Options) -> Result<Session, SessionError> {
    match choice {
        AccountChoice::Adhoc { instance, token } => {
            let instance = InstanceUrl::parse(instance, net.insecure_http)?;
            let token: AccessToken = token.read()?;
            let client = Client::new(instance, Some(token), net)?;
            Ok(Session {
                client,
                account: None,
                warnings: Vec::new(),
            })
        }
        AccountChoice::Stored(name) => open_stored(name.as_deref(), &Store::open_default()?, net),
    }
}

/// Builds the client for a stored login from `store`.
pub fn open_stored(
    name: Option<&str>,
    store: &Store,
    net: &net::Options,
) -> Result<Session, SessionError> {
    let loaded = store.load()?;
    let creds = loaded.credentials;
    let mut warnings = Vec::new();
    if loaded.was_exposed {
        warnings.push(exposed_warning(store.path()));
    }
    if creds.users.is_empty() {
        return Err(SessionError::NoLogin);
    }
    let stored = || creds.users.keys().cloned().collect::<Vec<_>>().join(", ");
    let found = match name {
        Some(name) => creds
            .user(name)
            .ok_or_else(|| SessionError::UnknownAccount {
                name: name.to_string(),
                stored: stored(),
            })?,
        None => creds
            .active()
            .ok_or_else(|| SessionError::NoActive(stored()))?,
    };
    let (key, user) = found;
    let instance = InstanceUrl::from_stored(&user.base_url)?;
    let client = Client::new(instance, Some(user.access_token.clone()), net)?;
    Ok(Session {
        client,
        account: Some(key.to_string()),
        warnings,
    })
}

/// The warning for a credentials file others could read.
pub fn exposed_warning(path: &Path) -> String {
    format!(
        "{} or its folder could be read by other users of this machine; both are now \
         owner-only (0600 and 0700). If others had access, log out and in again to replace \
         the tokens",
        path.display()
    )
}

/// [`open`], with the client's notices (rate-limit waits, retries) going to `ui`.
pub fn connect(
    choice: &AccountChoice,
    net: &net::Options,
    ui: &Ui,
) -> Result<Session, SessionError> {
    let mut session = open(choice, net)?;
    for warning in &session.warnings {
        ui.warn(warning);
    }
    let ui = ui.clone();
    session.client = session.client.on_notice(move |notice| ui.info(notice));
    Ok(session)
}
