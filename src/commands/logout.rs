//! `fedimigrate logout`: revoke and forget a stored login.

use super::Env;
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub account: Option<String>,
}

/// Runs the command.
pub async fn run(_config: Config, _env: &Env) -> anyhow::Result<Outcome> {
    anyhow::bail!("`logout` is not built yet")
}
