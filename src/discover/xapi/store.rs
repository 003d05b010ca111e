//! The X API page cache: every answer page exactly as X sent it, one JSON line each
//! (`{"fetched_at":…,"ids":[…],"page":{…}}`) in `x-users.jsonl` under
//! [`crate::paths::cache_dir`], indexed in memory by user id. Lookups cost money, so pages
//! never expire on their own; `--refresh` asks again. Appended as pages arrive; damaged lines
//! are skipped with a warning and the file rewritten, a torn last line dropped quietly.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::discover::cache::write_atomically;

/// The cache file's name inside the cache directory.
pub const FILE_NAME: &str = "x-users.jsonl";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Line {
    fetched_at: DateTime<Utc>,
    ids: Vec<String>,
    page: Value,
}

/// Fetched pages and their index.
#[derive(Debug, Default)]
pub struct XCache {
    path: Option<PathBuf>,
    lines: Vec<Line>,
    users: HashMap<String, Value>,
    errors: HashMap<String, Value>,
    tweets: HashMap<String, Value>,
    asked: HashSet<String>,
    warnings: Vec<String>,
}

impl XCache {
    /// A cache that lives only in memory.
    pub fn in_memory() -> Self {
        Self::default()
    }

    /// Opens `x-users.jsonl` in the user's cache directory.
    pub fn open_default() -> Result<Self, crate::paths::NoHome> {
        Ok(Self::open(&crate::paths::cache_dir()?.join(FILE_NAME)))
    }

    /// Opens (or starts) the cache at `path`; never fails (see the module docs).
    pub fn open(path: &Path) -> Self {
        let mut cache = Self {
            path: Some(path.to_path_buf()),
            ..Self::default()
        };
        let text = match std::fs::read(path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return cache,
            Err(err) => {
                cache
                    .warnings
                    .push(format!("cannot read {}: {err}", path.display()));
                return cache;
            }
        };
        let rows: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let mut damaged = 0;
        for (index, row) in rows.iter().enumerate() {
            match serde_json::from_str::<Line>(row) {
                Ok(line) => cache.index(line),
                Err(_) if index + 1 == rows.len() && !text.ends_with('\n') => {}
                Err(_) => damaged += 1,
            }
        }
        if damaged > 0 {
            cache.warnings.push(format!(
                "ignored {damaged} unreadable line(s) in {}; it will be rewritten",
                path.display()
            ));
        }
        if damaged > 0 || (!text.is_empty() && !text.ends_with('\n')) {
            cache.rewrite();
        }
        cache
    }

    fn index(&mut self, line: Line) {
        self.asked.extend(line.ids.iter().cloned());
        let items = |key: &str| -> Vec<Value> {
            line.page
                .get(key)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        for user in items("data") {
            if let Some(id) = user.get("id").and_then(Value::as_str) {
                self.errors.remove(id);
                self.users.insert(id.to_string(), user.clone());
            }
        }
        for error in items("errors") {
            let id = error.get("resource_id").or_else(|| error.get("value"));
            if let Some(id) = id.and_then(Value::as_str) {
                self.users.remove(id);
                self.errors.insert(id.to_string(), error.clone());
            }
        }
        let tweets = line
            .page
            .pointer("/includes/tweets")
            .and_then(Value::as_array);
        for tweet in tweets.cloned().unwrap_or_default() {
            if let Some(id) = tweet.get("id").and_then(Value::as_str) {
                self.tweets.insert(id.to_string(), tweet.clone());
            }
        }
        self.lines.push(line);
    }

    /// True when `id` was asked before (found or not).
    pub fn knows(&self, id: &str) -> bool {
        self.asked.contains(id) || self.users.contains_key(id) || self.errors.contains_key(id)
    }

    /// Stores one answer page for the ids it was asked for.
    pub fn record(&mut self, ids: &[String], page: Value) {
        let line = Line {
            fetched_at: Utc::now(),
            ids: ids.to_vec(),
            page,
        };
        if let Err(err) = self.append(&line) {
            let path = self
                .path
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default();
            let message = format!(
                "cannot write {path}: {err}; fetched profiles will be asked again next time"
            );
            if !self.warnings.contains(&message) {
                self.warnings.push(message);
            }
        }
        self.index(line);
    }

    fn append(&self, line: &Line) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut text = serde_json::to_string(line).map_err(std::io::Error::other)?;
        text.push('\n');
        let mut file: File = OpenOptions::new().create(true).append(true).open(path)?;
        file.write_all(text.as_bytes())
    }

    fn rewrite(&mut self) {
        let Some(path) = self.path.clone() else {
            return;
        };
        let mut text = String::new();
        for line in &self.lines {
            text.push_str(&serde_json::to_string(line).unwrap_or_default());
            text.push('\n');
        }
        if let Err(err) = write_atomically(&path, text.as_bytes()) {
            self.warnings
                .push(format!("cannot rewrite {}: {err}", path.display()));
        }
    }

    /// The raw pages, oldest first.
    pub fn pages(&self) -> impl Iterator<Item = &Value> {
        self.lines.iter().map(|line| &line.page)
    }

    /// The user object of `id`, as X sent it.
    pub fn user(&self, id: &str) -> Option<&Value> {
        self.users.get(id)
    }

    /// One document in X's own shape for `ids`: `data` (users, in the order asked),
    /// `includes.tweets` (their pinned tweets) and `errors` (ids X did not return).
    pub fn document(&self, ids: &[String]) -> Value {
        let mut seen = HashSet::new();
        let ids: Vec<&String> = ids.iter().filter(|id| seen.insert(id.as_str())).collect();
        let data: Vec<&Value> = ids.iter().filter_map(|id| self.users.get(*id)).collect();
        let tweets: Vec<&Value> = data
            .iter()
            .filter_map(|user| user.get("pinned_tweet_id")?.as_str())
            .filter_map(|tweet| self.tweets.get(tweet))
            .collect();
        let errors: Vec<&Value> = ids.iter().filter_map(|id| self.errors.get(*id)).collect();
        json!({"data": data, "includes": {"tweets": tweets}, "errors": errors})
    }

    /// Warnings gathered so far, emptied.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }
}
