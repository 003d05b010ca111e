//! `fedimigrate inspect`: summarise an archive (owner, layout, counts, dates, warnings).

use super::Env;
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub archive: std::path::PathBuf,
    pub json: bool,
}

/// Runs the command.
pub async fn run(_config: Config, _env: &Env) -> anyhow::Result<Outcome> {
    anyhow::bail!("`inspect` is not built yet")
}
