//! Where fedimigrate keeps its files, following the XDG base directories on every OS.
//!
//! | what | directory | override |
//! |---|---|---|
//! | credentials, settings | `$XDG_CONFIG_HOME/fedimigrate` (`~/.config/fedimigrate`) | `FEDIMIGRATE_CONFIG_DIR` |
//! | caches (verification results, fetched profiles) | `$XDG_CACHE_HOME/fedimigrate` (`~/.cache/fedimigrate`) | `FEDIMIGRATE_CACHE_DIR` |
//! | state of long jobs (journals) | `$XDG_DATA_HOME/fedimigrate` (`~/.local/share/fedimigrate`) | `FEDIMIGRATE_DATA_DIR` |
//!
//! Nothing here creates directories; writers create what they need.

use std::path::PathBuf;

/// The directory for credentials and settings.
pub fn config_dir() -> Result<PathBuf, NoHome> {
    pick("FEDIMIGRATE_CONFIG_DIR", "XDG_CONFIG_HOME", ".config")
}

/// The directory for caches that can be deleted at any time.
pub fn cache_dir() -> Result<PathBuf, NoHome> {
    pick("FEDIMIGRATE_CACHE_DIR", "XDG_CACHE_HOME", ".cache")
}

/// The directory for the state of long jobs (what was already followed or posted).
pub fn data_dir() -> Result<PathBuf, NoHome> {
    pick("FEDIMIGRATE_DATA_DIR", "XDG_DATA_HOME", ".local/share")
}

/// Neither the override, the XDG variable nor `HOME` is set.
#[derive(Debug, thiserror::Error)]
#[error("cannot tell where to keep files: set HOME, {xdg} or {own}")]
pub struct NoHome {
    own: &'static str,
    xdg: &'static str,
}

fn pick(own: &'static str, xdg: &'static str, home_rel: &str) -> Result<PathBuf, NoHome> {
    if let Some(dir) = non_empty(own) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(base) = non_empty(xdg) {
        return Ok(PathBuf::from(base).join("fedimigrate"));
    }
    match non_empty("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(home_rel).join("fedimigrate")),
        None => Err(NoHome { own, xdg }),
    }
}

fn non_empty(var: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(var).filter(|v| !v.is_empty())
}
