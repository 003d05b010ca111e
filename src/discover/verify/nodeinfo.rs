//! NodeInfo (`/.well-known/nodeinfo` → a 2.x document): which software a host runs, how many
//! users it has and whether it is open for sign-ups. Pure parsing; the fetching is in
//! `hosts.rs`.

use serde_json::Value;

use super::jrd::{DocError, Sniffed, sniff, without_bom};

/// The well-known discovery path.
pub const DISCOVERY_PATH: &str = "/.well-known/nodeinfo";

/// What the report uses from a NodeInfo document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeInfo {
    pub software: String,
    pub version: Option<String>,
    pub users: Option<u64>,
    pub open_registrations: Option<bool>,
}

fn invalid(reason: impl ToString) -> DocError {
    DocError::Invalid {
        what: "NodeInfo",
        reason: reason.to_string(),
    }
}

fn json(body: &[u8]) -> Result<Value, DocError> {
    match sniff(body) {
        Sniffed::Empty => Err(DocError::Empty),
        Sniffed::Html => Err(DocError::Html),
        _ => serde_json::from_slice(without_bom(body)).map_err(invalid),
    }
}

/// The schema version a discovery link points at (`…/ns/schema/2.1` → (2, 1)); either URL
/// scheme is accepted, as servers use both.
fn schema_version(rel: &str) -> Option<(u32, u32)> {
    let rest = rel
        .strip_prefix("http://nodeinfo.diaspora.software/ns/schema/")
        .or_else(|| rel.strip_prefix("https://nodeinfo.diaspora.software/ns/schema/"))?;
    let (major, minor) = rest.trim_end_matches('/').split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// The URL of the newest 2.x document a discovery answer offers (1.x has another shape).
pub fn document_url(body: &[u8]) -> Result<String, DocError> {
    let value = json(body)?;
    let links = value
        .get("links")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("no `links` list"))?;
    links
        .iter()
        .filter_map(|link| {
            let version = schema_version(link.get("rel")?.as_str()?)?;
            let href = link.get("href")?.as_str()?;
            (version.0 == 2).then(|| (version, href.to_string()))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, href)| href)
        .ok_or_else(|| invalid("no NodeInfo 2.x link"))
}

/// Reads a NodeInfo 2.x document. `software.name` is required; the rest is optional, since
/// servers leave out usage figures on purpose.
pub fn parse(body: &[u8]) -> Result<NodeInfo, DocError> {
    let value = json(body)?;
    let software = value
        .pointer("/software/name")
        .and_then(Value::as_str)
        .filter(|name| !name.trim().is_empty())
        .ok_or_else(|| invalid("no software.name"))?;
    Ok(NodeInfo {
        software: software.trim().to_ascii_lowercase(),
        version: value
            .pointer("/software/version")
            .and_then(Value::as_str)
            .map(str::to_string),
        users: value.pointer("/usage/users/total").and_then(Value::as_u64),
        open_registrations: value.get("openRegistrations").and_then(Value::as_bool),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_picks_the_newest_2x_link() {
        let cases = [
            (
                r#"{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://m.example/nodeinfo/2.0"}]}"#,
                Ok("https://m.example/nodeinfo/2.0"),
            ),
            (
                r#"{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://p.example/nodeinfo/2.0.json"},{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://p.example/nodeinfo/2.1.json"}]}"#,
                Ok("https://p.example/nodeinfo/2.1.json"),
            ),
            (
                r#"{"links":[{"rel":"https://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://k.example/nodeinfo/2.1"},{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.0","href":"https://k.example/nodeinfo/1.0"}]}"#,
                Ok("https://k.example/nodeinfo/2.1"),
            ),
            (
                r#"{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.0","href":"https://o.example/1.0"}]}"#,
                Err(()),
            ),
            (r#"{"error":"nope"}"#, Err(())),
            ("<html><body>hello</body></html>", Err(())),
        ];
        for (body, want) in cases {
            let got = document_url(body.as_bytes());
            assert_eq!(got.as_deref().map_err(|_| ()), want, "{body}");
        }
    }

    #[test]
    fn documents_of_several_servers() {
        let cases = [
            (
                r#"{"version":"2.0","software":{"name":"mastodon","version":"4.3.2"},"protocols":["activitypub"],"services":{"outbound":[],"inbound":[]},"usage":{"users":{"total":1234,"activeMonth":10,"activeHalfyear":20},"localPosts":5},"openRegistrations":true,"metadata":{"nodeName":"M"}}"#,
                ("mastodon", Some("4.3.2"), Some(1234), Some(true)),
            ),
            (
                r#"{"version":"2.0","software":{"name":"gotosocial","version":"0.17.3 git-abc"},"protocols":["activitypub"],"usage":{"users":{"total":3},"localPosts":7},"openRegistrations":false,"metadata":{}}"#,
                ("gotosocial", Some("0.17.3 git-abc"), Some(3), Some(false)),
            ),
            (
                r#"{"version":"2.1","software":{"name":"Akkoma","version":"3.13.2","repository":"https://akkoma.dev/AkkomaGang/akkoma"},"protocols":["activitypub"],"usage":{"users":{"total":50}},"openRegistrations":false,"metadata":{"features":[]}}"#,
                ("akkoma", Some("3.13.2"), Some(50), Some(false)),
            ),
            (
                r#"{"version":"2.1","software":{"name":"misskey","version":"2024.11.0","homepage":"https://misskey-hub.net/"},"protocols":["activitypub"],"usage":{"localPosts":9},"openRegistrations":true,"metadata":{"nodeName":"K"}}"#,
                ("misskey", Some("2024.11.0"), None, Some(true)),
            ),
        ];
        for (body, (name, version, users, open)) in cases {
            let info = parse(body.as_bytes()).unwrap();
            assert_eq!(info.software, name);
            assert_eq!(info.version.as_deref(), version);
            assert_eq!(info.users, users);
            assert_eq!(info.open_registrations, open);
        }
        assert!(parse(br#"{"version":"2.0","software":{}}"#).is_err());
        assert!(parse(b"").is_err());
    }
}
