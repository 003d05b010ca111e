//! A fake X API v2 users lookup: `GET /2/users?ids=…` with the bearer token checked, the
//! `x-rate-limit-*` headers of a fixed window, 429 when the window is spent, `errors` entries
//! for unknown and suspended ids, and pinned tweets in `includes.tweets` when asked for.
//! Shapes follow X's documentation; the data is made up.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::{Fakeverse, Host, Req, Resp};

#[derive(Debug)]
struct Model {
    token: String,
    users: HashMap<String, Value>,
    tweets: HashMap<String, Value>,
    suspended: HashSet<String>,
    limit: u32,
    remaining: u32,
    window: Duration,
    reset_at: u64,
}

/// The fake API on one virtual host.
#[derive(Clone)]
pub struct FakeX {
    pub name: String,
    host: Arc<Host>,
    model: Arc<Mutex<Model>>,
}

impl std::fmt::Debug for FakeX {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeX").field("name", &self.name).finish()
    }
}

fn epoch_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl FakeX {
    /// Mounts the API on `name`, accepting only `token`. The rate limit starts at 900
    /// requests per 15 minutes, X's per-user figure.
    pub fn mount(fv: &Fakeverse, name: &str, token: &str) -> FakeX {
        let model = Arc::new(Mutex::new(Model {
            token: token.to_string(),
            users: HashMap::new(),
            tweets: HashMap::new(),
            suspended: HashSet::new(),
            limit: 900,
            remaining: 900,
            window: Duration::from_secs(900),
            reset_at: epoch_now() + 900,
        }));
        let host = fv.host(name);
        let routes = model.clone();
        host.mount(move |req| route(&mut routes.lock().expect("x model"), req));
        FakeX {
            name: name.to_ascii_lowercase(),
            host,
            model,
        }
    }

    /// The base URL to pass as `--x-api-url`.
    pub fn base_url(&self) -> String {
        format!("https://{}", self.name)
    }

    /// The virtual host (request log, switches).
    pub fn host(&self) -> Arc<Host> {
        self.host.clone()
    }

    /// Adds a user.
    pub fn user(&self, id: &str, username: &str, description: &str) -> &Self {
        let user = json!({
            "id": id,
            "username": username,
            "name": format!("{username} (display)"),
            "description": description,
            "location": "",
            "url": "",
            "entities": {"description": {"urls": []}},
        });
        self.model
            .lock()
            .expect("x model")
            .users
            .insert(id.into(), user);
        self
    }

    /// Gives a user a pinned tweet.
    pub fn pinned(&self, id: &str, tweet_id: &str, text: &str) -> &Self {
        let mut model = self.model.lock().expect("x model");
        if let Some(user) = model.users.get_mut(id) {
            user["pinned_tweet_id"] = json!(tweet_id);
        }
        let tweet = json!({"id": tweet_id, "text": text, "edit_history_tweet_ids": [tweet_id]});
        model.tweets.insert(tweet_id.into(), tweet);
        drop(model);
        self
    }

    /// Marks an id as suspended (it comes back in `errors`).
    pub fn suspended(&self, id: &str) -> &Self {
        self.model
            .lock()
            .expect("x model")
            .suspended
            .insert(id.into());
        self
    }

    /// Sets the rate-limit window: `limit` requests per `window`, starting now.
    pub fn rate_limit(&self, limit: u32, window: Duration) -> &Self {
        let mut model = self.model.lock().expect("x model");
        model.limit = limit;
        model.remaining = limit;
        model.window = window;
        model.reset_at = epoch_now() + window.as_secs().max(1);
        drop(model);
        self
    }
}

fn limit_headers(model: &Model, resp: Resp) -> Resp {
    resp.header("x-rate-limit-limit", model.limit.to_string())
        .header("x-rate-limit-remaining", model.remaining.to_string())
        .header("x-rate-limit-reset", model.reset_at.to_string())
}

fn problem(status: u16, title: &str, detail: &str) -> Resp {
    Resp::json(
        status,
        &json!({"title": title, "detail": detail, "type": "about:blank", "status": status}),
    )
}

fn route(model: &mut Model, req: &Req) -> Option<Resp> {
    if req.path != "/2/users" {
        return None;
    }
    if req.bearer() != Some(model.token.as_str()) {
        return Some(problem(401, "Unauthorized", "Unauthorized"));
    }
    let now = epoch_now();
    if now >= model.reset_at {
        model.remaining = model.limit;
        model.reset_at = now + model.window.as_secs().max(1);
    }
    if model.remaining == 0 {
        let resp = problem(429, "Too Many Requests", "Too Many Requests");
        return Some(limit_headers(model, resp));
    }
    model.remaining -= 1;
    let ids: Vec<String> = req
        .query_param("ids")
        .unwrap_or_default()
        .split(',')
        .filter(|id| !id.is_empty())
        .map(str::to_string)
        .collect();
    if ids.is_empty() || ids.len() > 100 {
        let detail = "The `ids` query parameter value must be between 1 and 100 ids";
        return Some(limit_headers(
            model,
            problem(400, "Invalid Request", detail),
        ));
    }
    let body = lookup(model, &ids, req);
    Some(limit_headers(model, Resp::json(200, &body)))
}

fn lookup(model: &Model, ids: &[String], req: &Req) -> Value {
    let mut data = Vec::new();
    let mut tweets = Vec::new();
    let mut errors = Vec::new();
    let expand = req.query_param("expansions").unwrap_or_default();
    for id in ids {
        match model.users.get(id) {
            Some(user) if !model.suspended.contains(id) => {
                data.push(user.clone());
                let pinned = user.get("pinned_tweet_id").and_then(Value::as_str);
                if let Some(tweet) = pinned
                    .filter(|_| expand.contains("pinned_tweet_id"))
                    .and_then(|t| model.tweets.get(t))
                {
                    tweets.push(tweet.clone());
                }
            }
            Some(_) => errors.push(json!({"value": id, "detail": format!("User has been suspended: [{id}]."), "title": "Forbidden", "resource_type": "user", "parameter": "ids", "resource_id": id, "type": "https://api.twitter.com/2/problems/resource-not-found"})),
            None => errors.push(json!({"value": id, "detail": format!("Could not find user with ids: [{id}]."), "title": "Not Found Error", "resource_type": "user", "parameter": "ids", "resource_id": id, "type": "https://api.twitter.com/2/problems/resource-not-found"})),
        }
    }
    let mut body = json!({});
    if !data.is_empty() {
        body["data"] = json!(data);
    }
    if !tweets.is_empty() {
        body["includes"] = json!({ "tweets": tweets });
    }
    if !errors.is_empty() {
        body["errors"] = json!(errors);
    }
    body
}
