//! `fedimigrate whoami`: list stored logins and the active one.

use super::Env;
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub json: bool,
}

/// Runs the command.
pub async fn run(_config: Config, _env: &Env) -> anyhow::Result<Outcome> {
    anyhow::bail!("`whoami` is not built yet")
}
