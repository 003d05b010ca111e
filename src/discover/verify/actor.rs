//! The few facts we read from an ActivityPub actor: whether it moved (`movedTo`) and whether it
//! is suspended. Pure parsing; fetching is in `lookup.rs`.

use serde_json::Value;

use super::jrd::{DocError, Sniffed, sniff, without_bom};

/// What the actor document says about the account's standing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<String>,
    /// The new actor's URL, when the account moved.
    pub moved_to: Option<String>,
    /// Mastodon's `suspended: true`.
    pub suspended: bool,
}

fn invalid(reason: impl ToString) -> DocError {
    DocError::Invalid {
        what: "ActivityPub actor",
        reason: reason.to_string(),
    }
}

/// `movedTo` as a URL string or as an object with an `id`.
fn link(value: &Value) -> Option<String> {
    match value {
        Value::String(url) if !url.is_empty() => Some(url.clone()),
        Value::Object(object) => object.get("id").and_then(link),
        _ => None,
    }
}

/// Reads an actor document.
pub fn parse(body: &[u8]) -> Result<Actor, DocError> {
    let value: Value = match sniff(body) {
        Sniffed::Empty => return Err(DocError::Empty),
        Sniffed::Html => return Err(DocError::Html),
        _ => serde_json::from_slice(without_bom(body)).map_err(invalid)?,
    };
    let object = value.as_object().ok_or_else(|| invalid("not an object"))?;
    Ok(Actor {
        id: object.get("id").and_then(link),
        moved_to: object.get("movedTo").and_then(link),
        suspended: object.get("suspended").and_then(Value::as_bool) == Some(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moved_suspended_and_plain_actors() {
        let cases = [
            (
                r#"{"@context":["https://www.w3.org/ns/activitystreams"],"id":"https://old.example/users/a","type":"Person","movedTo":"https://new.example/users/a"}"#,
                (Some("https://new.example/users/a"), false),
            ),
            (
                r#"{"id":"https://old.example/users/b","type":"Person","movedTo":{"id":"https://new.example/users/b","type":"Person"}}"#,
                (Some("https://new.example/users/b"), false),
            ),
            (
                r#"{"id":"https://s.example/users/c","type":"Person","suspended":true}"#,
                (None, true),
            ),
            (
                r#"{"id":"https://s.example/users/d","type":"Service"}"#,
                (None, false),
            ),
        ];
        for (body, (moved, suspended)) in cases {
            let actor = parse(body.as_bytes()).unwrap();
            assert_eq!(actor.moved_to.as_deref(), moved, "{body}");
            assert_eq!(actor.suspended, suspended, "{body}");
            assert!(actor.id.is_some());
        }
        assert!(parse(b"[1,2]").is_err());
        assert!(parse(b"<!doctype html>").is_err());
    }
}
