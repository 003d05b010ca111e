//! `fedimigrate export`: write parsed archive records for scripts.

use super::Env;
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub archive: std::path::PathBuf,
}

/// Runs the command.
pub async fn run(_config: Config, _env: &Env) -> anyhow::Result<Outcome> {
    anyhow::bail!("`export` is not built yet")
}
