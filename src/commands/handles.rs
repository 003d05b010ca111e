//! `fedimigrate handles`: print the fediverse handles found in text.

use super::Env;
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub input: Option<std::path::PathBuf>,
    pub json: bool,
}

/// Runs the command.
pub async fn run(_config: Config, _env: &Env) -> anyhow::Result<Outcome> {
    anyhow::bail!("`handles` is not built yet")
}
