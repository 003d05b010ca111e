//! Real recorded answers read with the client's types, and the fake's entities held against
//! them. The recordings are Mastodon.py's VCR cassettes (MIT) in the team's shared folder
//! (`shared/public-fixtures/fediverse/mastodon-py-cassettes`); nothing of them is copied here.
//! Ignored by default; `.ci/public-fixtures` runs them with `-- --ignored` when the folder is
//! there (or set `FEDIMIGRATE_PUBLIC_FIXTURES` to the `public-fixtures` folder).

use std::collections::BTreeMap;
use std::path::PathBuf;

use fakeverse::mastodon::{AccountSpec, Flavour};
use fedimigrate::fedi::instance::{RawInstance, describe, software_from_instance};
use fedimigrate::fedi::types::{RegisteredApp, SearchResults, TokenGrant};
use fedimigrate::fedi::{Account, MediaAttachment, Relationship, Status};
use serde_json::Value;

use crate::fedi_support::World;

/// One recorded request and its answer.
#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    path: String,
    status: u16,
    body: String,
}

fn cassettes() -> Vec<Exchange> {
    let root = std::env::var_os("FEDIMIGRATE_PUBLIC_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/public-fixtures")
        });
    let dir = root.join("fediverse/mastodon-py-cassettes/tests");
    assert!(dir.is_dir(), "no cassettes at {}", dir.display());
    let mut all = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                all.extend(read_cassette(&std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    all
}

/// Reads the few YAML shapes VCR writes: `method:`, `uri:`, a single-quoted `string:` body
/// (folded over lines) and `code:`.
fn read_cassette(text: &str) -> Vec<Exchange> {
    let mut found = Vec::new();
    let (mut method, mut path, mut body) = (String::new(), String::new(), None::<String>);
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(m) = line.strip_prefix("    method: ") {
            method = m.trim().to_string();
        } else if let Some(u) = line.strip_prefix("    uri: ") {
            path = url::Url::parse(u.trim())
                .map(|u| u.path().to_string())
                .unwrap_or_default();
        } else if let Some(start) = line.strip_prefix("      string: '") {
            body = Some(single_quoted(start, &mut lines));
        } else if let Some(code) = line.strip_prefix("      code: ")
            && let Some(body) = body.take()
        {
            let status = code.trim().parse().unwrap_or(0);
            found.push(Exchange {
                method: method.clone(),
                path: path.clone(),
                status,
                body,
            });
        }
    }
    found
}

fn single_quoted<'a>(first: &str, lines: &mut impl Iterator<Item = &'a str>) -> String {
    let mut raw = String::new();
    let mut current = first.to_string();
    loop {
        let unescaped_end = current.replace("''", "\u{0}").find('\'');
        match unescaped_end {
            Some(end) => {
                raw.push_str(&current.replace("''", "\u{0}")[..end]);
                return raw.replace('\u{0}', "'");
            }
            None => {
                raw.push_str(&current.replace("''", "\u{0}"));
                raw.push(' ');
                match lines.next() {
                    Some(next) => current = next.trim_start().to_string(),
                    None => return raw.replace('\u{0}', "'"),
                }
            }
        }
    }
}

fn matching<'a>(
    all: &'a [Exchange],
    method: &str,
    path: impl Fn(&str) -> bool,
) -> Vec<&'a Exchange> {
    all.iter()
        .filter(|e| e.method == method && e.status == 200 && path(&e.path))
        .collect()
}

fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

#[test]
#[ignore = "needs the shared public fixtures; run by .ci/public-fixtures"]
fn real_answers_read_with_the_client_types() {
    let all = cassettes();
    let checks: [Check; 9] = [
        (
            "GET",
            "verify_credentials",
            |p| p.ends_with("/verify_credentials") && p.contains("accounts"),
            |b| parse::<Account>(b),
        ),
        (
            "GET",
            "search v2",
            |p| p == "/api/v2/search",
            |b| parse::<SearchResults>(b),
        ),
        (
            "GET",
            "relationships",
            |p| p == "/api/v1/accounts/relationships",
            |b| parse::<Vec<Relationship>>(b),
        ),
        (
            "POST",
            "follow",
            |p| {
                matches!(
                    segments(p).as_slice(),
                    ["api", "v1", "accounts", _, "follow"]
                )
            },
            |b| parse::<Relationship>(b),
        ),
        (
            "GET",
            "following",
            |p| p.ends_with("/following"),
            |b| parse::<Vec<Account>>(b),
        ),
        (
            "POST",
            "statuses",
            |p| p == "/api/v1/statuses",
            |b| parse::<Status>(b),
        ),
        (
            "POST",
            "media v2",
            |p| p == "/api/v2/media",
            |b| parse::<MediaAttachment>(b),
        ),
        (
            "POST",
            "apps",
            |p| p == "/api/v1/apps",
            |b| parse::<RegisteredApp>(b),
        ),
        (
            "POST",
            "oauth token",
            |p| p == "/oauth/token",
            |b| parse::<TokenGrant>(b),
        ),
    ];
    for (method, what, path, check) in checks {
        let found = matching(&all, method, path);
        assert!(!found.is_empty(), "no recorded {what}");
        assert!(
            found.iter().all(|e| !e.body.is_empty()),
            "{what}: empty body read"
        );
        for exchange in found {
            check(&exchange.body).unwrap_or_else(|e| panic!("{what} {}: {e}", exchange.path));
        }
    }
    for exchange in matching(&all, "GET", |p| p.starts_with("/api/v2/instance")) {
        let raw: RawInstance = serde_json::from_str(&exchange.body).unwrap();
        let software = software_from_instance(&raw);
        let info = describe(raw, software, "x");
        assert_eq!(info.software.name, "mastodon");
        assert!(info.limits.max_characters >= 500);
        assert!(!info.limits.supported_mime_types.is_empty());
    }
}

/// (method, what, which paths, how to read the body)
type Check = (
    &'static str,
    &'static str,
    fn(&str) -> bool,
    fn(&str) -> Result<(), String>,
);

fn parse<T: serde::de::DeserializeOwned>(body: &str) -> Result<(), String> {
    serde_json::from_str::<T>(body)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Field name → JSON type name, for an object.
fn shape(value: &Value) -> BTreeMap<String, &'static str> {
    let kind = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    value
        .as_object()
        .map(|o| o.iter().map(|(k, v)| (k.clone(), kind(v))).collect())
        .unwrap_or_default()
}

/// Every field the fake sends, some real answer sends too, with the same type (or null).
fn assert_honest(what: &str, fake: &Value, real: &[Value]) {
    let mut real_fields: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    for value in real {
        for (k, t) in shape(value) {
            real_fields.entry(k).or_default().push(t);
        }
    }
    for (field, kind) in shape(fake) {
        let Some(kinds) = real_fields.get(&field) else {
            panic!("the fake's {what} has `{field}`, which no recording has");
        };
        assert!(
            kind == "null" || kinds.contains(&kind) || kinds.contains(&"null"),
            "the fake's {what}.{field} is {kind}; recordings have {kinds:?}"
        );
    }
}

#[tokio::test]
#[ignore = "needs the shared public fixtures; run by .ci/public-fixtures"]
async fn the_fakes_entities_have_the_recorded_shape() {
    let all = cassettes();
    let bodies = |method: &str, path: fn(&str) -> bool| -> Vec<Value> {
        matching(&all, method, path)
            .iter()
            .filter_map(|e| serde_json::from_str(&e.body).ok())
            .collect()
    };
    let world = World::new("mastodon.example", Flavour::Mastodon);
    let bob = world
        .fake
        .add_account(AccountSpec::remote("bob", "r.example"));
    let client = world.client();
    let get = |path: &str| {
        let client = client.clone();
        let path = path.to_string();
        async move {
            let fetched = client
                .fetch(client.call(reqwest::Method::GET, &path))
                .await
                .unwrap();
            serde_json::from_slice::<Value>(&fetched.body).unwrap()
        }
    };
    let me = get("/api/v1/accounts/verify_credentials").await;
    let real_accounts = bodies("GET", |p| {
        p.ends_with("/verify_credentials") && p.contains("accounts")
    });
    assert_honest("account", &me, &real_accounts);
    let follow = client.call(
        reqwest::Method::POST,
        &format!("/api/v1/accounts/{bob}/follow"),
    );
    let rel: Value = serde_json::from_slice(&client.fetch(follow).await.unwrap().body).unwrap();
    let real_rels = bodies("POST", |p| p.ends_with("/follow"));
    assert_honest("relationship", &rel, &real_rels);
    let instance = get("/api/v2/instance").await;
    assert_honest(
        "instance",
        &instance,
        &bodies("GET", |p| p.starts_with("/api/v2/instance")),
    );
    let config = &instance["configuration"];
    let real_configs: Vec<Value> = bodies("GET", |p| p.starts_with("/api/v2/instance"))
        .into_iter()
        .map(|v| v["configuration"]["media_attachments"].clone())
        .collect();
    assert_honest(
        "media configuration",
        &config["media_attachments"],
        &real_configs,
    );
    let status = client
        .create_status(
            &fedimigrate::fedi::NewStatus {
                text: "hi".into(),
                ..Default::default()
            },
            "k",
            fedimigrate::fedi::Repeat::Safe,
        )
        .await
        .unwrap();
    let upload = fedimigrate::fedi::MediaUpload {
        file_name: "a.png".into(),
        mime_type: "image/png".into(),
        bytes: bytes::Bytes::from_static(b"png"),
        description: Some("alt".into()),
        focus: None,
    };
    let media = client.upload_media(&upload).await.unwrap();
    let raw_media = get(&format!("/api/v1/media/{}", media.id)).await;
    assert_honest(
        "media",
        &raw_media,
        &bodies("POST", |p| p == "/api/v2/media"),
    );
    let fetched = get(&format!("/api/v1/statuses/{}", status.id())).await;
    assert_honest(
        "status",
        &fetched,
        &bodies("POST", |p| p == "/api/v1/statuses"),
    );
}
