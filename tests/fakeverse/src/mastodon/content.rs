//! Lists, media and statuses: list membership (followed accounts only, members paged by
//! account id), uploads (images are ready at once, video and audio answer 202 and stay
//! "processing" for a few polls), and statuses with threads, `Idempotency-Key` replay per
//! account within a TTL (not on GoToSocial, which ignores the key), the length limit (as each
//! software counts) and scheduling (past `scheduled_at`: Mastodon publishes now, GoToSocial
//! backdates, with its refusals), an account's statuses and deleting them.

use std::time::{Duration, SystemTime};

use chrono::DateTime;
use serde_json::{Value, json};

use super::Flavour;
use super::json;
use super::listings;
use super::multipart;
use super::paging::Paging;
use super::route::{Ctx, invalid, not_found};
use super::state::{KeyRec, ListRec, MediaRec, StatusRec};
use crate::Resp;

macro_rules! user {
    ($ctx:expr, $scope:expr) => {
        match $ctx.user($scope) {
            Ok(me) => me,
            Err(resp) => return resp,
        }
    };
}

pub(crate) fn lists(ctx: &mut Ctx<'_>) -> Resp {
    if ctx.req.method == "GET" {
        let me = user!(ctx, "read:lists");
        let all: Vec<Value> = ctx
            .state
            .lists
            .iter()
            .filter(|l| l.owner == me)
            .map(json::list)
            .collect();
        return Resp::json(200, &Value::Array(all));
    }
    let me = user!(ctx, "write:lists");
    let Some(title) = ctx.field("title").filter(|t| !t.trim().is_empty()) else {
        return invalid("Title can't be blank");
    };
    let list = ListRec {
        id: ctx.state.id(),
        owner: me,
        title,
        accounts: Vec::new(),
    };
    ctx.state.lists.push(list.clone());
    Resp::json(200, &json::list(&list))
}

pub(crate) fn list_accounts(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    let scope = if ctx.req.method == "GET" {
        "read:lists"
    } else {
        "write:lists"
    };
    let me = user!(ctx, scope);
    let Some(index) = ctx
        .state
        .lists
        .iter()
        .position(|l| l.id == id && l.owner == me)
    else {
        return not_found();
    };
    if ctx.req.method == "GET" {
        // Mastodon pages list members by account id (`limit=0`: all of them, no links).
        let entries = ctx.state.lists[index]
            .accounts
            .iter()
            .map(|a| (a.parse::<u64>().unwrap_or(0), a.clone()))
            .collect();
        let url = format!("{}/api/v1/lists/{id}/accounts", ctx.base);
        let paging = Paging::from_req(ctx.req, true);
        return listings::accounts_page_with(ctx, &url, entries, paging);
    }
    let ids = ctx.req.fields("account_ids");
    for account in &ids {
        if ctx.state.follow(&me, account).is_none_or(|f| f.requested) {
            return not_found();
        }
        if ctx.state.lists[index].accounts.contains(account) {
            return invalid("Account has already been taken");
        }
    }
    ctx.state.lists[index].accounts.extend(ids);
    Resp::json(200, &json!({}))
}

pub(crate) fn upload(ctx: &mut Ctx<'_>) -> Resp {
    let me = user!(ctx, "write:media");
    let content_type = ctx.req.header("content-type").unwrap_or_default();
    let Some(parts) = multipart::parse(content_type, &ctx.req.body) else {
        return invalid("File can't be blank");
    };
    let text = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| String::from_utf8_lossy(&p.data).into_owned())
    };
    let Some(file) = parts
        .iter()
        .find(|p| p.name == "file" && p.file_name.is_some())
    else {
        return invalid("File can't be blank");
    };
    let mime = file.content_type.clone().unwrap_or_default();
    let kind = match mime.split('/').next().unwrap_or_default() {
        "image" if mime == "image/gif" => "gifv",
        "image" => "image",
        "video" => "video",
        "audio" => "audio",
        _ => return invalid("File content type is invalid, File is invalid"),
    };
    if kind == "image" && file.data.len() > ctx.state.image_size_limit {
        return invalid("File file size must be less than 16 MB");
    }
    let polls_left = if kind == "image" || ctx.state.flavour == Flavour::GoToSocial {
        0
    } else {
        ctx.state.processing_polls
    };
    let rec = MediaRec {
        id: ctx.state.id(),
        owner: me,
        kind: kind.to_string(),
        mime,
        file_name: file.file_name.clone().unwrap_or_default(),
        size: file.data.len(),
        description: text("description"),
        focus: text("focus"),
        polls_left,
        attached: false,
    };
    ctx.state.media.push(rec.clone());
    let status = if polls_left == 0 || ctx.req.path.starts_with("/api/v1/") {
        200
    } else {
        202
    };
    Resp::json(status, &json::media(&rec, &ctx.base))
}

/// `GET /api/v1/media/:id`: 206 while processing, then 200.
pub(crate) fn media(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    let me = user!(ctx, "write:media");
    let Some(rec) = ctx
        .state
        .media
        .iter_mut()
        .find(|m| m.id == id && m.owner == me)
    else {
        return not_found();
    };
    if rec.polls_left > 0 {
        rec.polls_left -= 1;
        let mut still = rec.clone();
        still.polls_left = still.polls_left.max(1);
        return Resp::json(206, &json::media(&still, &ctx.base));
    }
    Resp::json(200, &json::media(rec, &ctx.base))
}

pub(crate) fn status(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    let viewer = ctx.maybe_user();
    match ctx.state.status(id).filter(|s| s.scheduled_for.is_none()) {
        Some(rec)
            if rec.visibility == "public"
                || rec.visibility == "unlisted"
                || viewer.as_deref() == Some(rec.account_id.as_str()) =>
        {
            Resp::json(200, &json::status(ctx.state, rec, &ctx.base))
        }
        _ => not_found(),
    }
}

/// `POST /api/v1/statuses`. An `Idempotency-Key` the same account used within the TTL
/// (Mastodon: one hour from the first post) replays that post; after it, the key is new.
pub(crate) fn create_status(ctx: &mut Ctx<'_>) -> Resp {
    let me = user!(ctx, "write:statuses");
    let key = ctx
        .req
        .header("idempotency-key")
        .filter(|_| ctx.state.flavour != Flavour::GoToSocial)
        .map(|k| (me.clone(), k.to_string()));
    if let Some(rec) = key.as_ref().and_then(|k| replayed(ctx, k)) {
        return posted(ctx, rec);
    }
    let rec = match new_status(ctx, &me, key.as_ref().map(|(_, k)| k.clone())) {
        Ok(rec) => rec,
        Err(resp) => return resp,
    };
    for id in &rec.media_ids {
        if let Some(media) = ctx.state.media.iter_mut().find(|m| m.id == *id) {
            media.attached = true;
        }
    }
    if let Some(key) = key {
        let remembered = KeyRec {
            status_id: rec.id.clone(),
            at: ctx.now,
        };
        ctx.state.idempotency.insert(key, remembered);
    }
    ctx.state.statuses.push(rec.clone());
    posted(ctx, rec)
}

/// The post an idempotency key made, if the key is still remembered.
fn replayed(ctx: &Ctx<'_>, key: &(String, String)) -> Option<StatusRec> {
    let seen = ctx.state.idempotency.get(key)?;
    let age = ctx.now.duration_since(seen.at).unwrap_or_default();
    if age >= ctx.state.idempotency_ttl {
        return None;
    }
    ctx.state.status(&seen.status_id).cloned()
}

fn posted(ctx: &Ctx<'_>, rec: StatusRec) -> Resp {
    match rec.scheduled_for {
        Some(at) => Resp::json(200, &json::scheduled(&rec, at, ctx.state, &ctx.base)),
        None => {
            let mut body = json::status(ctx.state, &rec, &ctx.base);
            if ctx.state.flavour == Flavour::GoToSocial {
                body["text"] = json!(rec.text);
            }
            Resp::json(200, &body)
        }
    }
}

/// Validates the fields into a status (not yet stored).
fn new_status(ctx: &mut Ctx<'_>, me: &str, key: Option<String>) -> Result<StatusRec, Resp> {
    let text = ctx.field("status").unwrap_or_default();
    let spoiler_text = ctx.field("spoiler_text").unwrap_or_default();
    let media_ids = ctx.req.fields("media_ids");
    check_media(ctx, me, &media_ids)?;
    if text.trim().is_empty() && media_ids.is_empty() {
        return Err(invalid("Text can't be blank"));
    }
    let max = ctx.state.max_characters;
    let length = match ctx.state.flavour {
        Flavour::GoToSocial => text.chars().count(),
        _ => countable_length(&text),
    };
    if length + spoiler_text.chars().count() > max {
        return Err(invalid(&format!("Text character limit of {max} exceeded")));
    }
    let in_reply_to_id = ctx.field("in_reply_to_id").filter(|v| !v.is_empty());
    if let Some(parent) = &in_reply_to_id
        && ctx.state.status(parent).is_none()
    {
        return Err(not_found());
    }
    let default_visibility = match ctx.state.flavour {
        Flavour::GoToSocial => "private",
        _ => "public",
    };
    let visibility = ctx
        .field("visibility")
        .unwrap_or_else(|| default_visibility.into());
    if !["public", "unlisted", "private", "direct"].contains(&visibility.as_str()) {
        return Err(invalid("Visibility is not included in the list"));
    }
    let (created_at, backdated, scheduled_for) = timing(ctx)?;
    if backdated
        && let Some(parent) = in_reply_to_id.as_deref().and_then(|p| ctx.state.status(p))
        && parent.account_id != me
    {
        return Err(Resp::error(403, "replies to others can't be backfilled"));
    }
    Ok(StatusRec {
        id: ctx.state.status_id(created_at),
        account_id: me.to_string(),
        text,
        spoiler_text,
        visibility,
        sensitive: ctx.flag("sensitive").unwrap_or(false),
        language: ctx.field("language"),
        in_reply_to_id,
        media_ids,
        created_at,
        backdated,
        scheduled_for,
        idempotency_key: key,
    })
}

fn check_media(ctx: &Ctx<'_>, me: &str, ids: &[String]) -> Result<(), Resp> {
    if ids.len() > ctx.state.max_media {
        return Err(invalid(&format!(
            "Cannot attach more than {} files",
            ctx.state.max_media
        )));
    }
    for id in ids {
        let Some(media) = ctx
            .state
            .media
            .iter()
            .find(|m| m.id == *id && m.owner == me && !m.attached)
        else {
            return Err(invalid(&format!(
                "Media ({id}) not found or already attached to a post"
            )));
        };
        if media.polls_left > 0 {
            return Err(invalid(
                "Cannot attach files that have not finished processing. Try again in a moment!",
            ));
        }
    }
    Ok(())
}

/// `(created_at, backdated, scheduled_for)` from `scheduled_at`.
fn timing(ctx: &Ctx<'_>) -> Result<(SystemTime, bool, Option<SystemTime>), Resp> {
    let now = ctx.now;
    let Some(text) = ctx.field("scheduled_at").filter(|t| !t.is_empty()) else {
        return Ok((now, false, None));
    };
    let gts = ctx.state.flavour == Flavour::GoToSocial;
    let at: SystemTime = match DateTime::parse_from_rfc3339(&text) {
        Ok(at) => at.into(),
        Err(_) if gts => return Err(Resp::error(400, "Bad Request: invalid scheduled_at")),
        Err(_) => return Err(invalid("Scheduled at is invalid")),
    };
    if gts && at <= SystemTime::UNIX_EPOCH {
        return Err(Resp::error(
            406,
            "Not Acceptable: scheduled_at must be after 1970",
        ));
    }
    if at <= now {
        return Ok(match ctx.state.flavour {
            Flavour::GoToSocial => (at, true, None),
            _ => (now, false, None),
        });
    }
    if gts && !ctx.state.version.starts_with("0.2") {
        return Err(Resp::error(501, "Not Implemented: scheduled statuses"));
    }
    if at < now + Duration::from_secs(300) {
        return Err(invalid(
            "Scheduled at The scheduled date must be in the future",
        ));
    }
    Ok((now, false, Some(at)))
}

/// `DELETE /api/v1/statuses/:id`: one's own post, answered with it (and its `text`).
pub(crate) fn delete_status(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    let me = user!(ctx, "write:statuses");
    let Some(index) = ctx
        .state
        .statuses
        .iter()
        .position(|s| s.id == id && s.account_id == me && s.scheduled_for.is_none())
    else {
        return not_found();
    };
    let rec = ctx.state.statuses.remove(index);
    let mut body = json::status(ctx.state, &rec, &ctx.base);
    body["text"] = json!(rec.text);
    ctx.state.deleted_statuses.push(rec);
    Resp::json(200, &body)
}

/// `DELETE /api/v1/scheduled_statuses/:id`.
pub(crate) fn cancel_scheduled(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    let me = user!(ctx, "write:statuses");
    let before = ctx.state.statuses.len();
    ctx.state
        .statuses
        .retain(|s| !(s.id == id && s.account_id == me && s.scheduled_for.is_some()));
    if ctx.state.statuses.len() == before {
        return not_found();
    }
    Resp::json(200, &json!({}))
}

/// `GET /api/v1/accounts/:id/statuses`: newest first, `limit` (≤ 40); `max_id` gives older
/// ones, `min_id` the ones right after it (by id, as Mastodon and GoToSocial page).
pub(crate) fn account_statuses(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    let viewer = ctx.maybe_user();
    let limit: usize = ctx
        .req
        .query_param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20)
        .clamp(1, 40);
    let order = |id: &str| (id.len(), id.to_string());
    let max = ctx.req.query_param("max_id").map(|m| order(&m));
    let min = ctx.req.query_param("min_id").map(|m| order(&m));
    let mut mine: Vec<&StatusRec> = ctx
        .state
        .statuses
        .iter()
        .filter(|s| s.account_id == id && s.scheduled_for.is_none())
        .filter(|s| {
            viewer.as_deref() == Some(id) || s.visibility == "public" || s.visibility == "unlisted"
        })
        .filter(|s| max.as_ref().is_none_or(|m| order(&s.id) < *m))
        .filter(|s| min.as_ref().is_none_or(|m| order(&s.id) > *m))
        .collect();
    mine.sort_by_key(|s| order(&s.id));
    let page: Vec<&StatusRec> = if min.is_some() {
        mine.into_iter().take(limit).rev().collect()
    } else {
        mine.into_iter().rev().take(limit).collect()
    };
    let gts = ctx.state.flavour == Flavour::GoToSocial;
    let body: Vec<Value> = page
        .into_iter()
        .map(|rec| {
            let mut value = json::status(ctx.state, rec, &ctx.base);
            if gts && viewer.as_deref() == Some(id) {
                value["text"] = json!(rec.text);
            }
            value
        })
        .collect();
    Resp::json(200, &Value::Array(body))
}

/// Mastodon's counting, simplified: characters, with every URL counting 23.
pub(crate) fn countable_length(text: &str) -> usize {
    text.split_inclusive(char::is_whitespace)
        .map(|word| {
            let bare = word.trim_end();
            let url = bare.starts_with("http://") || bare.starts_with("https://");
            if url {
                23 + (word.len() - bare.len())
            } else {
                word.chars().count()
            }
        })
        .sum()
}
