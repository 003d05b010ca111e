//! `fedimigrate login`: OAuth out-of-band login and credential storage.

use super::Env;
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub instance: Option<String>,
}

/// Runs the command.
pub async fn run(_config: Config, _env: &Env) -> anyhow::Result<Outcome> {
    anyhow::bail!("`login` is not built yet")
}
