//! The request and response values routes see and build: plain data, no hyper types.

use std::collections::BTreeMap;

use bytes::Bytes;

/// A request as a route sees it.
#[derive(Debug, Clone)]
pub struct Req {
    /// The virtual host (from `Host`, port removed, lowercased).
    pub host: String,
    pub method: String,
    /// The path without the query.
    pub path: String,
    /// The raw query string (without `?`), empty when absent.
    pub query: String,
    /// Header names lowercased; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    pub body: Bytes,
    /// True when the request came over TLS.
    pub tls: bool,
}

impl Req {
    /// The first value of a query parameter, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        self.query_params(name).into_iter().next()
    }

    /// Every value of a query parameter (also `name[]` forms), percent-decoded.
    pub fn query_params(&self, name: &str) -> Vec<String> {
        pairs(&self.query, name)
    }

    /// A header's value (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The bearer token of an `Authorization: Bearer …` header.
    pub fn bearer(&self) -> Option<&str> {
        self.header("authorization")?.strip_prefix("Bearer ")
    }

    /// A form or JSON body field (first value), whichever the request used.
    pub fn field(&self, name: &str) -> Option<String> {
        self.fields(name).into_iter().next()
    }

    /// Every value of a body field: urlencoded (`name` or `name[]`) or JSON (string, number,
    /// bool or array).
    pub fn fields(&self, name: &str) -> Vec<String> {
        let is_json = self
            .header("content-type")
            .is_some_and(|ct| ct.starts_with("application/json"));
        if !is_json {
            return pairs(&String::from_utf8_lossy(&self.body), name);
        }
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&self.body) else {
            return Vec::new();
        };
        match value.get(name) {
            Some(serde_json::Value::Array(items)) => items.iter().map(scalar).collect(),
            Some(other) => vec![scalar(other)],
            None => Vec::new(),
        }
    }

    /// The path split into non-empty segments.
    pub fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }
}

fn scalar(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn pairs(encoded: &str, name: &str) -> Vec<String> {
    let bracketed = format!("{name}[]");
    url::form_urlencoded::parse(encoded.as_bytes())
        .filter(|(key, _)| key == name || *key == bracketed)
        .map(|(_, value)| value.into_owned())
        .collect()
}

/// A response a route returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    /// An empty response with this status.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// No answer at all: the server closes the connection instead (status 0 never goes out).
    pub(crate) fn unanswered() -> Self {
        Self::status(0)
    }

    /// A JSON response.
    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Self::bytes(
            status,
            "application/json; charset=utf-8",
            value.to_string().into_bytes(),
        )
    }

    /// A response with a content type and body.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
        }
    }

    /// Mastodon's error shape: `{"error": "…"}`.
    pub fn error(status: u16, message: &str) -> Self {
        Self::json(status, &serde_json::json!({ "error": message }))
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets or replaces a header.
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        let name = name.to_ascii_lowercase();
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
    }
}
