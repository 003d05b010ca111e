//! The commands of the matrix and the worlds they run in. Two worlds: a user's instance
//! (`mastodon.example`, where alice is logged in, knowing `ana` and `bo` of
//! `remote.example`), and the fediverse `find` verifies (`@ana@hostile.example` and
//! `@bo@good.example` in two followed accounts' bios). Both hold `evil.example`, which answers
//! anything, and the loopback host `127.0.0.1`, so redirects there are seen on the fake's side.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use fakeverse::mastodon::{AccountSpec, FakeMastodon, Flavour};
use fakeverse::wellknown::{FediHost, Software};
use fakeverse::wire::WireListener;
use fakeverse::{Fakeverse, Logged, Resp};

use super::modes::{Hostile, Places};
use crate::util::command;

/// Which world a command runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The user's instance, reached with `--instance` and `--token-file`.
    Instance,
    /// `login`: the instance is named on the command line; the token, if any, is read.
    Login,
    /// `find`'s verification of handles on other people's hosts.
    Find,
}

/// Where on the hostile host the behaviour applies.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    Host,
    /// Only these (method, path prefix) pairs (`*`: any method); the rest is healthy.
    Paths(&'static [(&'static str, &'static str)]),
}

/// One command of the matrix.
#[derive(Debug, Clone, Copy)]
pub struct Cmd {
    pub name: &'static str,
    pub kind: Kind,
    /// `LIST`, `ARCHIVE`, `PROFILES` and `TOKEN` stand for the world's files.
    pub args: &'static [&'static str],
    pub target: Target,
    /// Runs `login --print-url` on the healthy server first and feeds the code on stdin.
    pub pending_login: bool,
    /// A follow run: afterwards, on a healthy server, a rerun must follow everyone.
    pub rerun_follow: bool,
    /// A post run: afterwards, on a healthy server, a rerun must post everything, once.
    pub rerun_post: bool,
}

const fn cmd(name: &'static str, kind: Kind, args: &'static [&'static str]) -> Cmd {
    Cmd {
        name,
        kind,
        args,
        target: Target::Host,
        pending_login: false,
        rerun_follow: false,
        rerun_post: false,
    }
}

const fn scoped(mut c: Cmd, paths: &'static [(&'static str, &'static str)]) -> Cmd {
    c.target = Target::Paths(paths);
    c
}

const fn rerun(mut c: Cmd) -> Cmd {
    c.rerun_follow = true;
    c
}

const fn rerun_post(mut c: Cmd) -> Cmd {
    c.rerun_post = true;
    c
}

/// `--max-wait 5s`: a storm ends soon, two waits of a second or two for a reset fit.
const FOLLOW: &[&str] = &["follow", "LIST", "--yes", "--max-wait", "5s"];

/// Nine days of the archive (9 posts: a self-reply and a photo among them), posted.
pub const POST: &[&str] = &[
    "post",
    "ARCHIVE",
    "--since",
    "2019-01-12",
    "--until",
    "2019-01-20",
    "--yes",
    "--max-wait",
    "5s",
];

/// Every command.
pub const COMMANDS: [Cmd; 15] = [
    cmd("instance", Kind::Instance, &["instance"]),
    cmd(
        "follow --dry-run",
        Kind::Instance,
        &["follow", "LIST", "--dry-run", "--max-wait", "5s"],
    ),
    rerun(cmd("follow", Kind::Instance, FOLLOW)),
    rerun(scoped(
        cmd("follow@follow", Kind::Instance, FOLLOW),
        &[("POST", "/api/v1/accounts/")],
    )),
    rerun(scoped(
        cmd("follow@search", Kind::Instance, FOLLOW),
        &[
            ("GET", "/api/v2/search"),
            ("GET", "/api/v1/accounts/lookup"),
        ],
    )),
    cmd(
        "block",
        Kind::Instance,
        &["block", "LIST", "--yes", "--max-wait", "5s"],
    ),
    cmd(
        "post --dry-run",
        Kind::Instance,
        &["post", "ARCHIVE", "--dry-run"],
    ),
    rerun_post(cmd("post", Kind::Instance, POST)),
    rerun_post(scoped(
        cmd("post@statuses", Kind::Instance, POST),
        &[("POST", "/api/v1/statuses"), ("POST", "/api/v2/media")],
    )),
    cmd(
        "login --token-file",
        Kind::Login,
        &["login", "mastodon.example", "--token-file", "TOKEN"],
    ),
    cmd(
        "login --print-url",
        Kind::Login,
        &["login", "mastodon.example", "--print-url"],
    ),
    Cmd {
        pending_login: true,
        ..cmd(
            "login --code-file",
            Kind::Login,
            &["login", "--code-file", "-"],
        )
    },
    cmd(
        "find",
        Kind::Find,
        &["find", "ARCHIVE", "--profiles", "PROFILES", "--json"],
    ),
    scoped(
        cmd(
            "find@nodeinfo",
            Kind::Find,
            &["find", "ARCHIVE", "--profiles", "PROFILES", "--json"],
        ),
        &[("*", "/.well-known/nodeinfo"), ("*", "/nodeinfo/")],
    ),
    scoped(
        cmd(
            "find@actor",
            Kind::Find,
            &["find", "ARCHIVE", "--profiles", "PROFILES", "--json"],
        ),
        &[("*", "/users/")],
    ),
];

/// A world with one hostile host.
pub struct World {
    pub fv: Fakeverse,
    pub fake: Option<FakeMastodon>,
    pub home: tempfile::TempDir,
    pub ca: PathBuf,
    /// The host that misbehaves.
    pub hostile: String,
    /// The user's token (the instance world), never to be seen elsewhere.
    pub token: Option<String>,
    /// Set when the hostile host is replaced by a listener failing below HTTP.
    pub wire: Option<WireListener>,
    /// Requests the hostile host had received when the command started.
    pub before: usize,
    stdin: Option<String>,
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(name)
        .display()
        .to_string()
}

impl World {
    pub fn new(kind: Kind) -> Self {
        let fv = Fakeverse::start();
        fv.host("evil.example")
            .mount(|_| Some(Resp::json(200, &serde_json::json!({}))));
        fv.host("127.0.0.1")
            .mount(|_| Some(Resp::json(200, &serde_json::json!({}))));
        let home = tempfile::tempdir().unwrap();
        let ca = fv.write_ca(home.path());
        let mut world = Self {
            fv,
            fake: None,
            home,
            ca,
            hostile: String::new(),
            token: None,
            wire: None,
            before: 0,
            stdin: None,
        };
        match kind {
            Kind::Instance | Kind::Login => world.instance(),
            Kind::Find => world.fediverse(),
        }
        world
    }

    fn instance(&mut self) {
        let fake = FakeMastodon::mount(&self.fv, "mastodon.example", Flavour::Mastodon);
        fake.add_user("alice");
        for name in ["ana", "bo"] {
            fake.add_account(AccountSpec::remote(name, "remote.example"));
        }
        let token = fake.issue_token("alice", "read write follow");
        self.write("token.txt", &token);
        self.write("list.txt", "ana@remote.example\nbo@remote.example\n");
        self.token = Some(token);
        self.fake = Some(fake);
        self.hostile = "mastodon.example".into();
    }

    fn fediverse(&mut self) {
        FediHost::mount(&self.fv, "hostile.example", Software::mastodon()).account("ana");
        FediHost::mount(&self.fv, "good.example", Software::gotosocial()).account("bo");
        self.write(
            "profiles.csv",
            "id,username,name,description,url,location\n\
             7001,ana_t,Ana,Now at @ana@hostile.example,,\n\
             7002,bo_t,Bo,Fedi: @bo@good.example,,\n",
        );
        self.hostile = "hostile.example".into();
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.home.path().join(name), text).unwrap();
    }

    fn path(&self, name: &str) -> String {
        self.home.path().join(name).display().to_string()
    }

    /// Where redirects may point in this world.
    pub fn places(&self) -> Places {
        Places {
            hostile: self.hostile.clone(),
            port: self.fv.port(),
        }
    }

    /// Switches the behaviour on (after any preparation on the healthy server).
    pub fn prepare(&mut self, cmd: &Cmd, hostile: Hostile) {
        if cmd.pending_login {
            self.pending_login();
        }
        let host = self.fv.host(&self.hostile);
        self.before = host.request_count();
        let mode = match hostile {
            Hostile::Http(make) => make(&self.places()),
            Hostile::Burst => {
                host.queue([502, 503, 504].map(|s| Resp::error(s, "upstream trouble")));
                return;
            }
            Hostile::ClockOff(offset) => {
                host.queue([429, 429].map(|s| Resp::error(s, "Too many requests")));
                fakeverse::Mode::ClockOff(offset)
            }
            Hostile::Wire(wire) => {
                self.wire = Some(self.fv.wire(wire, &self.hostile));
                return;
            }
        };
        match cmd.target {
            Target::Host => host.set_mode(mode),
            Target::Paths(paths) => {
                for (method, prefix) in paths {
                    host.set_path_mode(method, prefix, mode.clone());
                }
            }
        }
    }

    /// `login --print-url` on the healthy server, and the code the user would paste.
    fn pending_login(&mut self) {
        let out = self
            .command(&["login", "mastodon.example", "--print-url"], false)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let fake = self.fake.as_ref().expect("an instance");
        let client_id = fake.state().apps.last().expect("an app").client_id.clone();
        let code = fake.approve(&client_id, "alice", fedimigrate::fedi::oauth::SCOPES);
        self.stdin = Some(format!("{code}\n"));
    }

    /// The command line for `args`, reaching the hostile host (or its wire listener).
    pub fn command(&self, args: &[&str], instance_flags: bool) -> Command {
        let mut cmd = command(self.home.path());
        for arg in args {
            cmd.arg(match *arg {
                "LIST" => self.path("list.txt"),
                "TOKEN" => self.path("token.txt"),
                "PROFILES" => self.path("profiles.csv"),
                "ARCHIVE" if args[0] == "find" => fixture("fixtures/grailbird-archive.zip"),
                "ARCHIVE" => fixture("fixtures/sample-archive.zip"),
                other => other.to_string(),
            });
        }
        if instance_flags {
            cmd.args(["--instance", "mastodon.example", "--token-file"])
                .arg(self.path("token.txt"));
        }
        cmd.arg("--ca-cert").arg(&self.ca).args(["--timeout", "1"]);
        // Loopback is reached by address, never through `--resolve` (which would allow it).
        for name in self
            .fv
            .host_names()
            .into_iter()
            .filter(|n| n != "127.0.0.1")
        {
            let value = match &self.wire {
                Some(wire) if name == self.hostile => wire.resolve_value(&name),
                _ => self.fv.resolve_value(&name),
            };
            cmd.args(["--resolve", &value]);
        }
        cmd.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        cmd
    }

    /// What the command reads on stdin.
    pub fn stdin(&self) -> Option<&str> {
        self.stdin.as_deref()
    }

    /// The requests the hostile host received during the command.
    pub fn hostile_requests(&self) -> Vec<Logged> {
        let all = self.fv.host(&self.hostile).requests();
        all.into_iter().skip(self.before).collect()
    }

    /// The accounts alice follows, by username.
    pub fn followed(&self) -> Vec<String> {
        let fake = self.fake.as_ref().expect("an instance");
        let state = fake.state();
        let alice = state
            .account_by_name("alice", None)
            .map(|a| a.id.clone())
            .unwrap_or_default();
        let mut names: Vec<String> = state
            .follows
            .iter()
            .filter(|f| f.follower == alice)
            .filter_map(|f| state.account(&f.target).map(|a| a.username.clone()))
            .collect();
        names.sort();
        names
    }

    /// Status ids on the instance (alice's).
    pub fn statuses(&self) -> Vec<String> {
        let fake = self.fake.as_ref().expect("an instance");
        fake.state().statuses.into_iter().map(|s| s.id).collect()
    }

    /// The data folder (journals).
    pub fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }
}
