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
