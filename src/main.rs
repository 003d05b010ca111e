//! The `fedimigrate` binary: parse the command line, run, print the one error line, exit.
//!
//! Everything else lives in the library (`fedimigrate::run`), so tests can drive it in-process.

use std::process::ExitCode;

use clap::Parser;
use fedimigrate::cli::Cli;
use fedimigrate::exit;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return exit::clap_error(err),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return exit::Status::Error.into();
        }
    };
    let result = runtime.block_on(fedimigrate::run(cli));
    // Do not wait for stray background tasks (a hung connection must not delay the exit).
    runtime.shutdown_timeout(std::time::Duration::from_millis(200));
    exit::finish(result)
}
