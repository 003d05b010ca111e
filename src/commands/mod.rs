//! One module per subcommand: each wires its validated config to the parts below and prints
//! the results. Protocol and format details live in `archive`, `discover`, `fedi` and `net`.

pub mod export;
pub mod find;
pub mod follow;
pub mod handles;
pub mod inspect;
pub mod instance;
pub mod login;
pub mod logout;
pub mod post;
pub mod whoami;

use crate::exit::Outcome;
use crate::net;
use crate::ui::Ui;

/// What every command runs in: the terminal and the network options from the global flags.
#[derive(Debug, Clone)]
pub struct Env {
    pub ui: Ui,
    pub net: net::Options,
}

/// A validated command, ready to run (built by `cli`).
#[derive(Debug)]
pub enum Request {
    Inspect(inspect::Config),
    Export(export::Config),
    Handles(handles::Config),
    Find(find::Config),
    Login(login::Config),
    Logout(logout::Config),
    Whoami(whoami::Config),
    Instance(instance::Config),
    Follow(follow::Config),
    Post(post::Config),
}

/// Runs one validated command.
pub async fn dispatch(request: Request, env: &Env) -> anyhow::Result<Outcome> {
    match request {
        Request::Inspect(config) => inspect::run(config, env).await,
        Request::Export(config) => export::run(config, env).await,
        Request::Handles(config) => handles::run(config, env).await,
        Request::Find(config) => find::run(config, env).await,
        Request::Login(config) => login::run(config, env).await,
        Request::Logout(config) => logout::run(config, env).await,
        Request::Whoami(config) => whoami::run(config, env).await,
        Request::Instance(config) => instance::run(config, env).await,
        Request::Follow(config) => follow::run(config, env).await,
        Request::Post(config) => post::run(config, env).await,
    }
}

/// What a run paused by the rate limit says: when to run `fedimigrate COMMAND` again.
pub(crate) fn paused_message(
    host: &str,
    what: &str,
    at: std::time::SystemTime,
    command: &str,
) -> String {
    format!(
        "{} allows no more {what} until {}. Progress is saved: run the same `fedimigrate \
         {command}` command again after then (or give --max-wait a longer time)",
        crate::sanitize::clean(host),
        crate::fedi::notice::clock_time(at)
    )
}

/// A progress bar for a run that acts item by item ("following [===>  ] 12/40, 3/s, 9s left").
pub(crate) fn progress_bar(env: &Env, len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = env.ui.progress(Some(len), what);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}, {rate}, {eta} left")
    {
        let style = style.progress_chars("=> ").with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{}", rate(state.per_sec()));
            },
        );
        bar.set_style(style);
    }
    bar
}

/// "12/s", "1.5/s", or "4.2/min" for slow runs (a run paced over hours).
fn rate(per_sec: f64) -> String {
    match per_sec {
        r if r >= 10.0 => format!("{r:.0}/s"),
        r if r >= 1.0 => format!("{r:.1}/s"),
        r if r * 60.0 >= 1.0 => format!("{:.1}/min", r * 60.0),
        r if r * 3600.0 >= 10.0 => format!("{:.0}/h", r * 3600.0),
        r => format!("{:.1}/h", r * 3600.0),
    }
}

/// A client whose notices (waits, retries) print above the progress bar.
pub(crate) fn with_bar_notices(
    client: &crate::fedi::Client,
    bar: &indicatif::ProgressBar,
    env: &Env,
) -> crate::fedi::Client {
    let bar = bar.clone();
    let ui = env.ui.clone();
    client
        .clone()
        .on_notice(move |notice| bar.suspend(|| ui.info(notice)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn rates_read_at_the_scale_of_the_run() {
        assert_eq!(super::rate(28.6057), "29/s");
        assert_eq!(super::rate(4.8755), "4.9/s");
        assert_eq!(super::rate(0.02), "1.2/min");
        assert_eq!(super::rate(0.0125), "45/h");
        assert_eq!(super::rate(0.0001), "0.4/h");
    }
}
