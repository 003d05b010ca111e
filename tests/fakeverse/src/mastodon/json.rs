//! The entities as Mastodon renders them (field names and shapes checked against the
//! recordings in Mastodon.py's cassettes and the OpenAPI description; values are made up).

use std::time::SystemTime;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::state::{AccountRec, FollowRec, ListRec, MediaRec, MuteRec, State, StatusRec};

/// `2026-08-01T13:53:13.203Z`
pub(crate) fn time(at: SystemTime) -> String {
    let at: DateTime<Utc> = at.into();
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// An account; a moved one carries `"moved"` with its new account (one level deep, as
/// Mastodon renders it).
pub(crate) fn account(state: &State, rec: &AccountRec, base: &str) -> Value {
    let mut value = plain_account(state, rec, base);
    if let Some(target) = rec.moved_to.as_deref().and_then(|id| state.account(id)) {
        value["moved"] = plain_account(state, target, base);
    }
    value
}

fn plain_account(state: &State, rec: &AccountRec, base: &str) -> Value {
    let (acct, url) = match &rec.domain {
        None => (rec.username.clone(), format!("{base}/@{}", rec.username)),
        Some(domain) => (
            format!("{}@{domain}", rec.username),
            format!("https://{domain}/@{}", rec.username),
        ),
    };
    let (following, followers) = state.counts(rec);
    let statuses = state
        .statuses
        .iter()
        .filter(|s| s.account_id == rec.id)
        .count();
    json!({
        "id": rec.id, "username": rec.username, "acct": acct,
        "display_name": rec.display_name, "locked": rec.locked, "bot": false,
        "discoverable": true, "group": false, "created_at": "2022-11-01T00:00:00.000Z",
        "note": "", "url": url, "uri": url,
        "avatar": format!("{base}/avatars/original/missing.png"),
        "avatar_static": format!("{base}/avatars/original/missing.png"),
        "header": format!("{base}/headers/original/missing.png"),
        "header_static": format!("{base}/headers/original/missing.png"),
        "followers_count": followers, "following_count": following,
        "statuses_count": statuses, "last_status_at": null, "emojis": [], "fields": []
    })
}

/// An entry of `GET /api/v1/mutes` (`MutedAccountSerializer`): the account and when the mute
/// ends.
pub(crate) fn muted_account(state: &State, rec: &AccountRec, mute: &MuteRec, base: &str) -> Value {
    let mut value = account(state, rec, base);
    value["mute_expires_at"] = mute.expires_at.map(time).into();
    value
}

/// The logged-in account, with `source`.
pub(crate) fn credential_account(state: &State, rec: &AccountRec, base: &str) -> Value {
    let mut value = account(state, rec, base);
    value["source"] = json!({"privacy": "public", "sensitive": false, "language": null,
        "note": "", "fields": [], "follow_requests_count": 0});
    value
}

pub(crate) fn relationship(state: &State, me: &str, target: &str, now: SystemTime) -> Value {
    let follow: Option<&FollowRec> = state.follow(me, target);
    let active = follow.filter(|f| !f.requested);
    let mute = state.mute(me, target, now);
    json!({
        "id": target,
        "following": active.is_some(),
        "showing_reblogs": active.is_some_and(|f| f.reblogs),
        "notifying": active.is_some_and(|f| f.notify),
        "languages": active.and_then(|f| f.languages.clone()),
        "followed_by": state.follow(target, me).is_some_and(|f| !f.requested),
        "blocking": state.blocking(me, target),
        "blocked_by": state.blocking(target, me),
        "muting": mute.is_some(),
        "muting_notifications": mute.is_some_and(|m| m.notifications),
        "muting_expires_at": mute.and_then(|m| m.expires_at).map(time),
        "requested": follow.is_some_and(|f| f.requested),
        "requested_by": false, "domain_blocking": false, "endorsed": false, "note": ""
    })
}

pub(crate) fn list(rec: &ListRec) -> Value {
    json!({"id": rec.id, "title": rec.title, "replies_policy": "list", "exclusive": false})
}

pub(crate) fn media(rec: &MediaRec, base: &str) -> Value {
    let ready = rec.polls_left == 0;
    let url = |size: &str| {
        format!(
            "{base}/system/media_attachments/files/{}/{size}/{}",
            rec.id, rec.file_name
        )
    };
    json!({
        "id": rec.id, "type": rec.kind,
        "url": if ready { Value::from(url("original")) } else { Value::Null },
        "preview_url": url("small"), "remote_url": null, "preview_remote_url": null,
        "text_url": null, "meta": {"focus": rec.focus.clone()},
        "description": rec.description, "blurhash": null
    })
}

pub(crate) fn status(state: &State, rec: &StatusRec, base: &str) -> Value {
    let account_rec = state.account(&rec.account_id);
    let reply_account = rec
        .in_reply_to_id
        .as_deref()
        .and_then(|id| state.status(id))
        .map(|parent| parent.account_id.clone());
    let media: Vec<Value> = rec
        .media_ids
        .iter()
        .filter_map(|id| state.media.iter().find(|m| m.id == *id))
        .map(|m| media(m, base))
        .collect();
    let uri = format!(
        "{base}/users/{}/statuses/{}",
        account_rec.map(|a| a.username.as_str()).unwrap_or("?"),
        rec.id
    );
    json!({
        "id": rec.id, "created_at": time(rec.created_at),
        "in_reply_to_id": rec.in_reply_to_id, "in_reply_to_account_id": reply_account,
        "sensitive": rec.sensitive, "spoiler_text": rec.spoiler_text,
        "visibility": rec.visibility, "language": rec.language,
        "uri": uri, "url": format!("{base}/@{}/{}", account_rec.map(|a| a.username.as_str()).unwrap_or("?"), rec.id),
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": null,
        "content": format!("<p>{}</p>", escape(&rec.text)),
        "reblog": null, "application": {"name": "fedimigrate", "website": null},
        "account": account_rec.map(|a| account(state, a, base)),
        "media_attachments": media, "mentions": [], "tags": [], "emojis": [],
        "card": null, "poll": null
    })
}

pub(crate) fn scheduled(rec: &StatusRec, at: SystemTime, state: &State, base: &str) -> Value {
    let media: Vec<Value> = rec
        .media_ids
        .iter()
        .filter_map(|id| state.media.iter().find(|m| m.id == *id))
        .map(|m| media(m, base))
        .collect();
    json!({
        "id": rec.id, "scheduled_at": time(at),
        "params": {"text": rec.text, "visibility": rec.visibility, "in_reply_to_id": rec.in_reply_to_id,
                   "media_ids": rec.media_ids, "sensitive": rec.sensitive,
                   "spoiler_text": rec.spoiler_text, "language": rec.language,
                   "application_id": 1, "scheduled_at": null, "idempotency": rec.idempotency_key,
                   "poll": null, "with_rate_limit": false},
        "media_attachments": media
    })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
