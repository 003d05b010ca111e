//! The stored logins: `credentials.json` in the config directory, owner-only, written
//! atomically. Modelled on toot's layout: registered apps per instance, logins per
//! `user@instance`, the active login, and a login started with `--print-url` that waits for
//! its code.
//!
//! ```json
//! { "version": 1,
//!   "apps":  { "mastodon.example": { "base_url", "client_id", "client_secret", "scopes", "created_at" } },
//!   "users": { "alice@mastodon.example": { "instance", "base_url", "username", "account_id",
//!                                          "access_token", "scopes", "client_id", "created_at" } },
//!   "active_user": "alice@mastodon.example",
//!   "pending_login": "mastodon.example" }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::secret::{AccessToken, Secret};
use super::types::RegisteredApp;
use crate::atomic::{self, make_private};

/// The file's name inside the config directory.
pub const FILE_NAME: &str = "credentials.json";

/// The format version written.
pub const VERSION: u32 = 1;

/// An app fedimigrate registered on an instance (reused by later logins there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredApp {
    pub base_url: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub scopes: String,
    #[serde(default)]
    pub created_at: String,
}

impl StoredApp {
    /// The app as the OAuth calls take it.
    pub fn registered(&self) -> RegisteredApp {
        RegisteredApp {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        }
    }
}

/// One login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredUser {
    /// The instance key (`host` or `host:port`).
    pub instance: String,
    pub base_url: String,
    pub username: String,
    #[serde(default)]
    pub account_id: String,
    pub access_token: AccessToken,
    #[serde(default)]
    pub scopes: String,
    /// The app that issued the token (`None` for a token made in the web UI, which only the
    /// web UI can revoke).
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub created_at: String,
}

/// Everything in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    #[serde(default = "version")]
    pub version: u32,
    #[serde(default)]
    pub apps: BTreeMap<String, StoredApp>,
    #[serde(default)]
    pub users: BTreeMap<String, StoredUser>,
    #[serde(default)]
    pub active_user: Option<String>,
    /// The instance of a login waiting for its authorisation code (`login --print-url`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_login: Option<String>,
}

fn version() -> u32 {
    VERSION
}

impl Default for Credentials {
    fn default() -> Self {
        Self {
            version: VERSION,
            apps: BTreeMap::new(),
            users: BTreeMap::new(),
            active_user: None,
            pending_login: None,
        }
    }
}

impl Credentials {
    /// The stored login named `name` (`user@host`, any case, an optional leading `@`).
    pub fn user(&self, name: &str) -> Option<(&str, &StoredUser)> {
        let name = name.trim().trim_start_matches('@');
        self.users
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(key, user)| (key.as_str(), user))
    }

    /// The active login, if any.
    pub fn active(&self) -> Option<(&str, &StoredUser)> {
        self.user(self.active_user.as_deref()?)
    }

    /// Stores a login under `username@instance` (replacing one of the same name) and makes it
    /// the active one. Returns the name and the login it replaced.
    pub fn add_user(&mut self, user: StoredUser) -> (String, Option<StoredUser>) {
        let name = format!("{}@{}", user.username, user.instance);
        let existing = self.user(&name).map(|(key, _)| key.to_string());
        let replaced = existing.and_then(|key| self.users.remove(&key));
        self.users.insert(name.clone(), user);
        self.active_user = Some(name.clone());
        (name, replaced)
    }

    /// Forgets a login. If it was active and exactly one other remains, that one becomes
    /// active; otherwise none is.
    pub fn remove_user(&mut self, name: &str) -> Option<(String, StoredUser)> {
        let key = self.user(name)?.0.to_string();
        let user = self.users.remove(&key)?;
        let was_active = self
            .active_user
            .as_deref()
            .is_some_and(|active| active.eq_ignore_ascii_case(&key));
        if was_active {
            self.active_user = match self.users.keys().collect::<Vec<_>>().as_slice() {
                [only] => Some((*only).clone()),
                _ => None,
            };
        }
        Some((key, user))
    }
}

/// Why the credentials could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    NoHome(#[from] crate::paths::NoHome),
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is damaged ({reason}); move it away and log in again")]
    Damaged { path: String, reason: String },
    #[error("{path} was written by a newer fedimigrate (format {found}); update fedimigrate")]
    Newer { path: String, found: u32 },
    #[error("cannot save {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The credentials file.
#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
}

/// What loading found besides the credentials.
#[derive(Debug)]
pub struct Loaded {
    pub credentials: Credentials,
    /// The file could be read by others; it has been made owner-only.
    pub was_exposed: bool,
}

impl Store {
    /// The file in the user's config directory (`FEDIMIGRATE_CONFIG_DIR` overrides).
    pub fn open_default() -> Result<Self, StoreError> {
        Ok(Self::in_dir(&crate::paths::config_dir()?))
    }

    /// The file in `dir`.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            path: dir.join(FILE_NAME),
        }
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the file; a missing file is empty credentials. A file others could read is made
    /// owner-only on the spot.
    pub fn load(&self) -> Result<Loaded, StoreError> {
        let path = self.path.display().to_string();
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Loaded {
                    credentials: Credentials::default(),
                    was_exposed: false,
                });
            }
            Err(source) => return Err(StoreError::Read { path, source }),
        };
        let was_exposed = self.tighten().map_err(|source| StoreError::Write {
            path: path.clone(),
            source,
        })?;
        if !text.trim_start().starts_with('{') {
            return Err(StoreError::Damaged {
                path,
                reason: "it does not hold a JSON object".into(),
            });
        }
        // Only the position: serde's message can quote the file's text, which holds tokens.
        let credentials: Credentials =
            serde_json::from_str(&text).map_err(|err| StoreError::Damaged {
                path: path.clone(),
                reason: format!("line {}, column {}", err.line(), err.column()),
            })?;
        if credentials.version > VERSION {
            return Err(StoreError::Newer {
                path,
                found: credentials.version,
            });
        }
        Ok(Loaded {
            credentials,
            was_exposed,
        })
    }

    /// Makes the file owner-only (0600) and its directory owner-only (0700); true if either
    /// was not.
    fn tighten(&self) -> std::io::Result<bool> {
        let file = make_private(&self.path)?;
        let dir = match self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            Some(dir) if !atomic::is_private(dir) => {
                atomic::create_private_dir(dir)?;
                true
            }
            _ => false,
        };
        Ok(file || dir)
    }

    /// Writes the file atomically, owner-only, in a directory only the owner can list (the
    /// config directory is ours, so a looser one is tightened).
    pub fn save(&self, credentials: &Credentials) -> Result<(), StoreError> {
        let failed = |source| StoreError::Write {
            path: self.path.display().to_string(),
            source,
        };
        let mut text = serde_json::to_string_pretty(credentials)
            .map_err(|err| failed(std::io::Error::other(err)))?;
        text.push('\n');
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            atomic::create_private_dir(dir).map_err(failed)?;
        }
        atomic::write(&self.path, true, |out| out.write_all(text.as_bytes())).map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(name: &str, instance: &str) -> StoredUser {
        StoredUser {
            instance: instance.into(),
            base_url: format!("https://{instance}"),
            username: name.into(),
            account_id: "1".into(),
            access_token: Secret::new(format!("tok-{name}")),
            scopes: "read:accounts".into(),
            client_id: None,
            created_at: String::new(),
        }
    }

    #[test]
    fn adds_finds_and_removes_logins() {
        let mut creds = Credentials::default();
        let (name, replaced) = creds.add_user(user("Alice", "a.example"));
        assert_eq!(name, "Alice@a.example");
        assert!(replaced.is_none());
        creds.add_user(user("bob", "b.example"));
        assert_eq!(creds.active().unwrap().0, "bob@b.example");
        assert!(creds.user("@alice@A.EXAMPLE").is_some());
        let (_, replaced) = creds.add_user(user("alice", "a.example"));
        assert!(replaced.is_some(), "same login, other case");
        assert_eq!(creds.users.len(), 2);

        let (removed, _) = creds.remove_user("alice@a.example").unwrap();
        assert_eq!(removed, "alice@a.example");
        assert_eq!(
            creds.active_user.as_deref(),
            Some("bob@b.example"),
            "the only login left becomes active"
        );
        creds.remove_user("bob@b.example");
        assert_eq!(creds.active_user, None);
        assert!(creds.remove_user("nobody@x").is_none());
    }

    #[test]
    fn debug_output_holds_no_secret() {
        let mut creds = Credentials::default();
        creds.add_user(user("alice", "a.example"));
        creds.apps.insert(
            "a.example".into(),
            StoredApp {
                base_url: "https://a.example".into(),
                client_id: "cid".into(),
                client_secret: Secret::new("very-secret-client"),
                scopes: String::new(),
                created_at: String::new(),
            },
        );
        let shown = format!("{creds:?}");
        assert!(
            !shown.contains("tok-alice") && !shown.contains("very-secret-client"),
            "{shown}"
        );
    }

    #[test]
    fn round_trips_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::in_dir(&dir.path().join("cfg"));
        assert_eq!(store.load().unwrap().credentials, Credentials::default());
        let mut creds = Credentials::default();
        creds.add_user(user("alice", "a.example"));
        creds.pending_login = Some("a.example".into());
        store.save(&creds).unwrap();
        let loaded = store.load().unwrap();
        assert_eq!(loaded.credentials, creds);
        assert!(!loaded.was_exposed);
    }

    #[test]
    fn damaged_and_newer_files_are_clear_errors() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::in_dir(dir.path());
        std::fs::write(store.path(), "{not json").unwrap();
        let err = store.load().unwrap_err();
        assert!(err.to_string().contains("is damaged"), "{err}");
        std::fs::write(store.path(), r#"{"version": "tok-secret-value"}"#).unwrap();
        let err = store.load().unwrap_err();
        assert!(!err.to_string().contains("tok-secret"), "{err}");
        std::fs::write(store.path(), r#"{"version": 9}"#).unwrap();
        let err = store.load().unwrap_err();
        assert!(err.to_string().contains("newer fedimigrate"), "{err}");
    }
}
