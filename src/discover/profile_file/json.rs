//! Profile files as JSON: one document (an array of records, an X API response, a captured
//! GraphQL response, a browser HAR capture) or JSONL (one value per line).
//!
//! Searches the whole object tree for user objects, so it does not depend on where a tool or
//! X put them (`data`, `users`, `result`, `user_results`, `core`, timeline instructions…):
//! - GraphQL users: `rest_id` + `legacy { screen_name, name, description, location, url,
//!   entities }` (newer responses move `screen_name`/`name` to `core` and the location to
//!   `location.location`);
//! - v1.1 users (`id_str`, `screen_name`, `entities`), v2 users (`id`, `username`,
//!   `entities`, `pinned_tweet_id`), and flat records with the column names of
//!   [`super::columns`].
//!
//! Pinned posts are joined by id from tweets found anywhere in the same file (v2's
//! `includes.tweets`, GraphQL tweets).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::columns::{self, Column};
use super::{ProfileFileError, Skipped};
use crate::discover::extract::Field;
use crate::discover::profile::{Profile, ProfileSource};

/// Deeper than any real response; a guard against hostile nesting.
const MAX_DEPTH: usize = 100;

/// The values of a JSON text, each with the line it starts on.
pub fn values(text: &str, file: &str) -> Result<Vec<(usize, Value)>, ProfileFileError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<Value>();
    let mut values = Vec::new();
    let (mut line, mut counted) = (1, 0);
    loop {
        let end_of_last = stream.byte_offset();
        let start = text[end_of_last..]
            .find(|c: char| !c.is_whitespace())
            .map_or(text.len(), |i| end_of_last + i);
        match stream.next() {
            None => break,
            Some(Ok(value)) => {
                line += text[counted..start].matches('\n').count();
                counted = start;
                values.push((line, value));
            }
            Some(Err(err)) => {
                return Err(ProfileFileError::Json {
                    file: file.to_string(),
                    line: err.line(),
                    column: err.column(),
                    message: err.to_string(),
                });
            }
        }
    }
    Ok(values)
}

/// A post, for pinned-post lookups.
#[derive(Debug, Default)]
struct Post {
    text: String,
    urls: Vec<String>,
}

/// Collects user objects and posts while walking values.
pub struct Walker<'a> {
    file: &'a str,
    found: Vec<(Profile, Option<String>)>,
    posts: HashMap<String, Post>,
    /// Top-level records (array items, JSONL lines) shaped like profiles but naming no account.
    skipped: Vec<Skipped>,
}

impl<'a> Walker<'a> {
    pub fn new(file: &'a str) -> Self {
        Self {
            file,
            found: Vec::new(),
            posts: HashMap::new(),
            skipped: Vec::new(),
        }
    }

    /// Walks one top-level value; `line` is its line for JSONL, `None` for a single document
    /// (then records are numbered in order of appearance).
    pub fn walk(&mut self, value: &Value, line: Option<usize>) {
        self.visit(value, line, 0);
    }

    /// The profiles found, with their pinned posts joined in, and the records left out.
    pub fn finish(mut self) -> (Vec<Profile>, Vec<Skipped>) {
        let posts = std::mem::take(&mut self.posts);
        let profiles = self
            .found
            .into_iter()
            .map(|(mut profile, pinned)| {
                if let Some(post) = pinned.and_then(|id| posts.get(&id)) {
                    profile.pinned_text.get_or_insert_with(|| post.text.clone());
                    for url in &post.urls {
                        profile.add_more(Field::PinnedPost, url.clone());
                    }
                }
                profile
            })
            .collect();
        (profiles, self.skipped)
    }

    fn visit(&mut self, value: &Value, line: Option<usize>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            Value::Array(items) => items.iter().for_each(|v| self.visit(v, line, depth + 1)),
            Value::Object(map) => self.visit_object(map, line, depth),
            _ => {}
        }
    }

    fn visit_object(&mut self, map: &Map<String, Value>, line: Option<usize>, depth: usize) {
        let record = line.unwrap_or(self.found.len() + self.skipped.len() + 1);
        let source = ProfileSource::File {
            file: self.file.to_string(),
            record,
        };
        if let Some(found) = graphql_user(map, &source).or_else(|| flat_user(map, &source)) {
            self.found.push(found);
            return;
        }
        if depth <= 1 && names_no_account(map) {
            self.skipped
                .push(Skipped::new(record, "no account id and no username"));
            return;
        }
        if let Some((id, post)) = post(map) {
            self.posts.insert(id, post);
        }
        if let Some(inner) = har_content(map) {
            self.visit(&inner, line, depth + 1);
        }
        for (key, child) in map {
            if key != "entities" {
                self.visit(child, line, depth + 1);
            }
        }
    }
}

/// A flat record with profile fields (bio, name…) but no id or username to tie it to.
fn names_no_account(map: &Map<String, Value>) -> bool {
    let columns: Vec<Column> = map
        .keys()
        .filter_map(|key| columns::column_of(key).map(|(column, _)| column))
        .collect();
    !columns.is_empty()
        && !columns
            .iter()
            .any(|c| matches!(c, Column::Id | Column::Username))
        && !map.contains_key("legacy")
}

fn get_str<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    map.get(key).and_then(Value::as_str)
}

fn get_obj<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Map<String, Value>> {
    map.get(key).and_then(Value::as_object)
}

/// A scalar as text (ids arrive as strings or numbers).
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A GraphQL user result: `rest_id` + `legacy`, maybe `core` and `location`.
fn graphql_user(
    map: &Map<String, Value>,
    source: &ProfileSource,
) -> Option<(Profile, Option<String>)> {
    let legacy = get_obj(map, "legacy")?;
    let core = get_obj(map, "core");
    let from_either =
        |key: &str| get_str(legacy, key).or_else(|| core.and_then(|c| get_str(c, key)));
    let screen_name = from_either("screen_name");
    match get_str(map, "__typename") {
        Some("User") => {}
        Some(_) => return None,
        None if screen_name.is_none() => return None,
        None => {}
    }
    let mut profile = Profile::new(source.clone());
    profile.id = map
        .get("rest_id")
        .and_then(scalar)
        .and_then(|s| columns::account_id(&s));
    profile.username = screen_name.and_then(columns::username);
    profile.display_name = from_either("name").and_then(columns::text);
    profile.description = get_str(legacy, "description").and_then(columns::text);
    profile.url = get_str(legacy, "url").and_then(columns::text);
    profile.location = get_str(legacy, "location")
        .or_else(|| get_obj(map, "location").and_then(|l| get_str(l, "location")))
        .and_then(columns::text);
    add_entity_urls(&mut profile, legacy);
    let pinned = legacy
        .get("pinned_tweet_ids_str")
        .and_then(Value::as_array)
        .and_then(|ids| ids.first())
        .and_then(scalar);
    Some((profile, pinned))
}

/// A v1.1 or v2 user object, or a flat record from another tool.
fn flat_user(
    map: &Map<String, Value>,
    source: &ProfileSource,
) -> Option<(Profile, Option<String>)> {
    if ["indices", "start"].iter().any(|k| map.contains_key(*k)) {
        return None; // an entity (a mention inside a text), not a user
    }
    let mut cells: Vec<(usize, Column, String)> = map
        .iter()
        .filter_map(|(key, value)| {
            let (column, rank) = columns::column_of(key)?;
            Some((rank, column, scalar(value)?))
        })
        .collect();
    cells.sort_by_key(|(rank, _, _)| *rank);
    let mut profile = Profile::new(source.clone());
    for (_, column, cell) in &cells {
        super::csv::fill(&mut profile, *column, cell);
    }
    let described = profile.display_name.is_some()
        || profile.description.is_some()
        || profile.url.is_some()
        || profile.location.is_some();
    if profile.username.is_none() && !(profile.id.is_some() && described) {
        return None;
    }
    add_entity_urls(&mut profile, map);
    let pinned = map.get("pinned_tweet_id").and_then(scalar);
    Some((profile, pinned))
}

/// `entities.url.urls[].expanded_url` (the website) and `entities.description.urls[]`
/// (links in the bio, scanned as part of the bio).
fn add_entity_urls(profile: &mut Profile, holder: &Map<String, Value>) {
    let Some(entities) = get_obj(holder, "entities") else {
        return;
    };
    if let Some(url) = get_obj(entities, "url") {
        profile.expanded_urls.extend(expanded_urls(url));
    }
    if let Some(bio) = get_obj(entities, "description") {
        for url in expanded_urls(bio) {
            profile.add_more(Field::Description, url);
        }
    }
}

/// `urls[].expanded_url` of one entities object.
fn expanded_urls(entities: &Map<String, Value>) -> Vec<String> {
    entities
        .get("urls")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|u| u.get("expanded_url").and_then(Value::as_str))
        .map(String::from)
        .collect()
}

/// A post (v1.1, v2 or GraphQL): its id, text and expanded links.
fn post(map: &Map<String, Value>) -> Option<(String, Post)> {
    let holder = get_obj(map, "legacy").unwrap_or(map);
    let text = get_str(holder, "full_text").or_else(|| get_str(holder, "text"))?;
    let id = ["rest_id", "id_str", "id"]
        .iter()
        .find_map(|k| map.get(*k).or_else(|| holder.get(*k)).and_then(scalar))?;
    let urls = get_obj(holder, "entities")
        .map(expanded_urls)
        .unwrap_or_default();
    let post = Post {
        text: text.to_string(),
        urls,
    };
    Some((id, post))
}

/// The JSON body inside a HAR entry's `response.content`, when it is text.
fn har_content(map: &Map<String, Value>) -> Option<Value> {
    let mime = get_str(map, "mimeType")?;
    if !mime.contains("json") || get_str(map, "encoding").is_some() {
        return None;
    }
    serde_json::from_str(get_str(map, "text")?).ok()
}
