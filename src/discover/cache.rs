//! The verification cache: results of earlier runs, each with the time it was checked, so a
//! rerun asks only what is new or stale.
//!
//! One JSON Lines file, `verify.jsonl` in [`crate::paths::cache_dir`]: each line is a candidate
//! result (`{"kind":"target","key":…,"result":{…}}`) or what we know about a host
//! (`{"kind":"host","host":…,"info":{…}}`); the last line for a key wins. Results are appended
//! as they arrive (an interrupted run keeps what it learned); the file is rewritten atomically
//! (temporary file + rename) when it holds mostly superseded lines, or when it was damaged.
//! A damaged file never breaks a run: unreadable lines are skipped with a warning and the file
//! is rewritten; a torn last line (a crash mid-write) is dropped quietly. The file handling
//! itself is [`crate::store::JsonLines`]; this module never touches the file directly.
//!
//! How long a result stays valid depends on what it says ([`Policy`]): an account that exists
//! is stable (7 days); an absent account or a non-fediverse host may change (1 day); a timeout,
//! an unreachable host, a server error or a rate limit is transient (1 hour). Host records
//! (NodeInfo, host-meta's template) last 7 days, or 1 hour when the host was dead.
//! `unverified` is never cached.
//!
//! `find --reverse` keeps its account searches here too (`{"kind":"search","key":…,
//! "result":{…}}`: the accounts one search returned), for a day ([`Policy::search`]): people
//! change their profiles, and a rerun within the day (or after an interruption) repeats no
//! search.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::reverse::search::Searched;
use super::verify::{HostInfo, State, Verification};
use crate::store::{JsonLines, Loaded, Options};

/// The cache file's name inside the cache directory.
pub const FILE_NAME: &str = "verify.jsonl";

const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(24 * 3600);

/// How long results stay valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `verified`, `moved`.
    pub found: Duration,
    /// `not_found`, `gone`, `forbidden`, `not_fediverse`.
    pub absent: Duration,
    /// `timeout`, `unreachable`, `server_error`, `rate_limited`.
    pub transient: Duration,
    /// Host records of hosts that answered.
    pub host: Duration,
    /// Account searches of `find --reverse`.
    pub search: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            found: 7 * DAY,
            absent: DAY,
            transient: HOUR,
            host: 7 * DAY,
            search: DAY,
        }
    }
}

impl Policy {
    /// How long a result in this state stays valid.
    pub fn ttl(&self, state: State) -> Duration {
        match state {
            State::Verified | State::Moved => self.found,
            State::NotFound | State::Gone | State::Forbidden | State::NotFediverse => self.absent,
            State::Timeout | State::Unreachable | State::ServerError | State::RateLimited => {
                self.transient
            }
            State::Unverified | State::Possible => Duration::ZERO,
        }
    }

    fn host_ttl(&self, info: &HostInfo) -> Duration {
        if info.dead.is_some() {
            self.transient
        } else {
            self.host
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Line {
    Target { key: String, result: Verification },
    Host { host: String, info: HostInfo },
    Search { key: String, result: Searched },
}

/// The cache: in memory, backed by the file (or by nothing, see [`VerifyCache::in_memory`]).
#[derive(Debug)]
pub struct VerifyCache {
    file: Option<JsonLines>,
    policy: Policy,
    targets: HashMap<String, Verification>,
    hosts: HashMap<String, HostInfo>,
    searches: HashMap<String, Searched>,
    /// Lines in the file, superseded ones included (to tell when a rewrite pays).
    lines: usize,
    warnings: Vec<String>,
    write_failed: bool,
}

fn is_fresh(checked_at: DateTime<Utc>, ttl: Duration, now: DateTime<Utc>) -> bool {
    let age = (now - checked_at).to_std().unwrap_or(Duration::ZERO);
    age < ttl
}

impl VerifyCache {
    /// A cache that lives only for this process (tests, `--refresh` without saving).
    pub fn in_memory() -> Self {
        Self {
            file: None,
            policy: Policy::default(),
            targets: HashMap::new(),
            hosts: HashMap::new(),
            searches: HashMap::new(),
            lines: 0,
            warnings: Vec::new(),
            write_failed: false,
        }
    }

    /// Opens `verify.jsonl` in the user's cache directory.
    pub fn open_default() -> Result<Self, crate::paths::NoHome> {
        Ok(Self::open(&crate::paths::cache_dir()?.join(FILE_NAME)))
    }

    /// Opens (or starts) the cache at `path`. Never fails: problems become warnings
    /// ([`VerifyCache::take_warnings`]) and a damaged file is rewritten.
    pub fn open(path: &Path) -> Self {
        let mut cache = Self::in_memory();
        let (file, loaded) = match JsonLines::open::<Line>(path, Options::default()) {
            Ok(opened) => opened,
            Err(err) => {
                cache.warn(format!(
                    "cannot read the cache {}: {err}; this run will neither use nor update it",
                    path.display()
                ));
                return cache;
            }
        };
        cache.file = Some(file);
        let damaged = loaded.damaged.len();
        cache.load(loaded);
        let records = cache.targets.len() + cache.hosts.len() + cache.searches.len();
        let bloated = cache.lines > 2 * records + 100;
        if damaged > 0 {
            cache.warn(format!(
                "ignored {damaged} unreadable line(s) in the cache {}; it will be rewritten",
                path.display()
            ));
        }
        if damaged > 0 || bloated {
            cache.rewrite(Utc::now());
        }
        cache
    }

    /// Indexes the records read (the last line for a key wins).
    fn load(&mut self, loaded: Loaded<Line>) {
        self.lines = loaded.records.len() + loaded.damaged.len() + usize::from(loaded.torn);
        for line in loaded.records {
            match line {
                Line::Target { key, result } => drop(self.targets.insert(key, result)),
                Line::Host { host, info } => drop(self.hosts.insert(host, info)),
                Line::Search { key, result } => drop(self.searches.insert(key, result)),
            }
        }
    }

    /// Uses another validity policy.
    pub fn with_policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The file behind the cache, if any.
    pub fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(JsonLines::path)
    }

    /// A result that is still valid at `now`.
    pub fn lookup(&self, key: &str, now: DateTime<Utc>) -> Option<&Verification> {
        let found = self.targets.get(key)?;
        is_fresh(found.checked_at, self.policy.ttl(found.state), now).then_some(found)
    }

    /// A stored result, valid or not (its `checked_at` gives its age).
    pub fn get(&self, key: &str) -> Option<&Verification> {
        self.targets.get(key)
    }

    /// Host records still valid at `now`.
    pub fn fresh_hosts(&self, now: DateTime<Utc>) -> HashMap<String, HostInfo> {
        self.hosts
            .iter()
            .filter(|(_, info)| {
                info.checked_at
                    .is_some_and(|at| is_fresh(at, self.policy.host_ttl(info), now))
            })
            .map(|(host, info)| (host.clone(), info.clone()))
            .collect()
    }

    /// How many candidate results the cache holds (valid or not).
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    /// True when the cache holds no candidate result.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Stores a result (and appends it to the file). `unverified` and `possible` are not
    /// stored.
    pub fn store(&mut self, key: &str, result: &Verification) {
        if matches!(result.state, State::Unverified | State::Possible) {
            return;
        }
        self.targets.insert(key.to_string(), result.clone());
        self.append(&Line::Target {
            key: key.to_string(),
            result: result.clone(),
        });
    }

    /// Stores what we know about a host.
    pub fn store_host(&mut self, host: &str, info: &HostInfo) {
        if self.hosts.get(host) == Some(info) {
            return;
        }
        self.hosts.insert(host.to_string(), info.clone());
        self.append(&Line::Host {
            host: host.to_string(),
            info: info.clone(),
        });
    }

    /// A search's accounts, if asked within [`Policy::search`] of `now`.
    pub fn lookup_search(&self, key: &str, now: DateTime<Utc>) -> Option<&Searched> {
        let found = self.searches.get(key)?;
        is_fresh(found.checked_at, self.policy.search, now).then_some(found)
    }

    /// Stores a search's accounts (and appends them to the file).
    pub fn store_search(&mut self, key: &str, result: &Searched) {
        self.searches.insert(key.to_string(), result.clone());
        self.append(&Line::Search {
            key: key.to_string(),
            result: result.clone(),
        });
    }

    /// Warnings gathered so far (each at most once), emptied.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    fn warn(&mut self, message: String) {
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }

    fn append(&mut self, line: &Line) {
        if self.write_failed {
            return;
        }
        let Some(file) = self.file.as_mut() else {
            return;
        };
        match file.append(line) {
            Ok(()) => self.lines += 1,
            Err(err) => {
                let path = file.path().to_path_buf();
                self.write_error(&path, &err);
            }
        }
    }

    fn write_error(&mut self, path: &Path, err: &std::io::Error) {
        self.write_failed = true;
        self.warn(format!(
            "cannot write the cache {}: {err}; results of this run will not be reused",
            path.display()
        ));
    }

    /// Rewrites the file with the latest line per key, dropping entries too old to be used.
    pub fn rewrite(&mut self, now: DateTime<Utc>) {
        let keep = |v: &Verification| is_fresh(v.checked_at, self.policy.ttl(v.state), now);
        let targets = self.targets.iter().filter(|(_, v)| keep(v));
        let targets = targets.map(|(key, result)| Line::Target {
            key: key.clone(),
            result: result.clone(),
        });
        let hosts = self.hosts.iter().map(|(host, info)| Line::Host {
            host: host.clone(),
            info: info.clone(),
        });
        let search_ttl = self.policy.search;
        let searches = self
            .searches
            .iter()
            .filter(|(_, found)| is_fresh(found.checked_at, search_ttl, now))
            .map(|(key, result)| Line::Search {
                key: key.clone(),
                result: result.clone(),
            });
        let lines: Vec<Line> = targets.chain(hosts).chain(searches).collect();
        let count = lines.len();
        let Some(file) = self.file.as_mut() else {
            return;
        };
        match file.rewrite(lines) {
            Ok(()) => self.lines = count,
            Err(err) => {
                let path = file.path().to_path_buf();
                self.write_error(&path, &err);
            }
        }
    }
}

#[cfg(test)]
mod tests;
