//! fedimigrate: move from Twitter/X to the fediverse, from the archive.
//!
//! The library holds every part; `main.rs` only parses, runs and exits. Data flows
//! `archive` → `discover` (extract, verify) → outputs and `fedi` (the instance client).
//! Pure parts (parsing, extraction, planning) never touch the network; `net` is the one HTTP
//! client; `store` is the one JSON Lines file (append, rewrite, lock) behind caches and
//! journals, and `atomic` the one whole-file writer. See `DESIGN.md` in the team's shared
//! folder for the whole plan.

pub mod archive;
pub mod atomic;
pub mod cli;
pub mod commands;
pub mod discover;
pub mod exit;
pub mod fedi;
pub mod follow;
pub mod lanes;
pub mod net;
pub mod paths;
pub mod repost;
pub mod sanitize;
pub mod stdout;
pub mod stop;
pub mod store;
pub mod ui;

pub use cli::Cli;
pub use exit::Outcome;

/// Runs one command line to completion. Tests call this in-process with `Cli::parse_from`.
pub async fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let env = cli.global.into_env()?;
    let request = cli.command.into_request()?;
    commands::dispatch(request, &env).await
}
