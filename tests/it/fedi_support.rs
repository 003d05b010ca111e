//! Shared setup for the instance-client tests: a fake instance reached over HTTPS through the
//! real `--resolve` and `--ca-cert` options, and a client logged in to it.

#![allow(dead_code)] // each test module uses a different subset

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use fakeverse::Fakeverse;
use fakeverse::mastodon::{FakeMastodon, Flavour};
use fedimigrate::fedi::clock::ManualClock;
use fedimigrate::fedi::{Client, InstanceUrl, Notice, Secret};
use fedimigrate::net::Options;

/// A running fake instance with a user `alice` and her token.
pub struct World {
    pub fv: Fakeverse,
    pub fake: FakeMastodon,
    pub name: String,
    pub token: String,
    pub dir: tempfile::TempDir,
}

impl World {
    /// `mastodon.example` (or another name) in the given flavour.
    pub fn new(name: &str, flavour: Flavour) -> Self {
        Self::with_version(name, flavour, None)
    }

    pub fn with_version(name: &str, flavour: Flavour, version: Option<&str>) -> Self {
        let fv = Fakeverse::start();
        let fake = match version {
            Some(v) => FakeMastodon::mount_version(&fv, name, flavour, v),
            None => FakeMastodon::mount(&fv, name, flavour),
        };
        fake.add_user("alice");
        let token = fake.issue_token("alice", "read write follow");
        let dir = tempfile::tempdir().expect("temp dir");
        Self {
            fv,
            fake,
            name: name.to_string(),
            token,
            dir,
        }
    }

    /// The network options a user would give: `--ca-cert` and `--resolve`.
    pub fn net(&self) -> Options {
        Options {
            ca_certs: vec![self.fv.write_ca(self.dir.path())],
            resolve: vec![self.fv.resolve_value(&self.name).parse().expect("resolve")],
            timeout: Duration::from_secs(5),
            ..Options::default()
        }
    }

    /// A client with alice's token.
    pub fn client(&self) -> Client {
        self.client_with(Some(&self.token))
    }

    pub fn client_with(&self, token: Option<&str>) -> Client {
        let instance = InstanceUrl::parse(&self.name, false).expect("instance");
        Client::new(instance, token.map(Secret::new), &self.net()).expect("client")
    }
}

/// Collects the client's notices.
pub fn notices(client: Client) -> (Client, Arc<Mutex<Vec<Notice>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let client = client.on_notice(move |n| sink.lock().unwrap().push(n.clone()));
    (client, seen)
}

/// A client on a manual clock (sleeps return at once and are recorded).
pub fn manual(client: Client) -> (Client, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(SystemTime::now()));
    (client.with_clock(clock.clone()), clock)
}

/// Requests the fake received for `path` (method and path prefix).
pub fn count(fake: &FakeMastodon, method: &str, path_prefix: &str) -> usize {
    fake.host()
        .requests()
        .iter()
        .filter(|r| r.method == method && r.path.starts_with(path_prefix))
        .count()
}
