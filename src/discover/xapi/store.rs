//! The X API page cache: every answer page exactly as X sent it, one JSON line each
//! (`{"fetched_at":…,"ids":[…],"page":{…}}`) in `x-users.jsonl` under
//! [`crate::paths::cache_dir`], indexed in memory by user id. Lookups cost money, so pages
//! never expire on their own; `--refresh` asks again. Appended as pages arrive; damaged lines
//! are skipped with a warning and the file rewritten, a torn last line dropped quietly. The
//! file handling is [`crate::store::JsonLines`]; this module never touches the file directly.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::store::{JsonLines, Options};

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
    file: Option<JsonLines>,
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
        let mut cache = Self::default();
        let (file, loaded) = match JsonLines::open::<Line>(path, Options::default()) {
            Ok(opened) => opened,
            Err(err) => {
                cache.warnings.push(format!(
                    "cannot read {}: {err}; this run will neither use nor update it",
                    path.display()
                ));
                return cache;
            }
        };
        cache.file = Some(file);
        for line in loaded.records {
            cache.index(line);
        }
        let damaged = loaded.damaged.len();
        if damaged > 0 {
            cache.warnings.push(format!(
                "ignored {damaged} unreadable line(s) in {}; it will be rewritten",
                path.display()
            ));
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
                .path()
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

    fn path(&self) -> Option<&Path> {
        self.file.as_ref().map(JsonLines::path)
    }

    fn append(&mut self, line: &Line) -> std::io::Result<()> {
        match self.file.as_mut() {
            Some(file) => file.append(line),
            None => Ok(()),
        }
    }

    fn rewrite(&mut self) {
        let Some(file) = self.file.as_mut() else {
            return;
        };
        if let Err(err) = file.rewrite(&self.lines) {
            let path = file.path().display().to_string();
            self.warnings.push(format!("cannot rewrite {path}: {err}"));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn page(id: &str) -> Value {
        json!({"data": [{"id": id, "username": format!("user{id}")}]})
    }

    #[test]
    fn pages_survive_a_reopen_and_a_torn_tail_is_dropped_quietly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache").join(FILE_NAME);
        let mut cache = XCache::open(&path);
        cache.record(&["1".into()], page("1"));
        drop(cache);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"fetched_at\":\"2024-");
        std::fs::write(&path, text).unwrap();

        let mut cache = XCache::open(&path);
        assert!(cache.take_warnings().is_empty());
        assert!(cache.knows("1"));
        cache.record(&["2".into()], page("2"));
        drop(cache);
        let mut cache = XCache::open(&path);
        assert!(
            cache.take_warnings().is_empty(),
            "the next page began a line"
        );
        assert_eq!(cache.pages().count(), 2);
        assert!(cache.user("2").is_some());
    }

    #[test]
    fn a_damaged_line_is_skipped_with_a_warning_and_the_file_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut cache = XCache::open(&path);
        cache.record(&["1".into()], page("1"));
        drop(cache);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("not json\n{text}")).unwrap();

        let mut cache = XCache::open(&path);
        let warnings = cache.take_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("1 unreadable line(s)"), "{warnings:?}");
        assert!(cache.knows("1"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}
