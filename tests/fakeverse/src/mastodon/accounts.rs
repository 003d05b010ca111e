//! Accounts: who am I, lookup, search with WebFinger resolution (simulated: a remote account
//! added as "unknown" becomes known when searched with `resolve=true`), relationships,
//! follow (locked accounts answer `requested`), unfollow, block, mute, and the following list
//! paged by `Link` headers over internal follow ids, as Mastodon does.

use serde_json::{Value, json};

use super::json;
use super::route::{Ctx, not_found};
use super::state::{FollowRec, MuteRec};
use crate::Resp;

pub(crate) fn verify_credentials(ctx: &mut Ctx<'_>) -> Resp {
    let me = match ctx.user("read:accounts") {
        Ok(me) => me,
        Err(resp) => return resp,
    };
    match ctx.state.account(&me) {
        Some(rec) => Resp::json(200, &json::credential_account(ctx.state, rec, &ctx.base)),
        None => not_found(),
    }
}

pub(crate) fn account(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    match ctx.state.account(id).filter(|a| a.known) {
        Some(rec) => Resp::json(200, &json::account(ctx.state, rec, &ctx.base)),
        None => not_found(),
    }
}

/// `GET /api/v1/accounts/lookup?acct=`: known accounts only (no WebFinger).
pub(crate) fn lookup(ctx: &mut Ctx<'_>) -> Resp {
    let acct = ctx.req.query_param("acct").unwrap_or_default();
    let (user, domain) = split_acct(&acct);
    match ctx
        .state
        .account_by_name(&user, domain.as_deref())
        .filter(|a| a.known)
    {
        Some(rec) => Resp::json(200, &json::account(ctx.state, rec, &ctx.base)),
        None => not_found(),
    }
}

/// `GET /api/v2/search?q=&type=accounts&resolve=`: exact handle matches, plus known accounts
/// whose name merely starts with the query (listed first, so clients must match `acct`).
pub(crate) fn search(ctx: &mut Ctx<'_>) -> Resp {
    let resolve = ctx
        .req
        .query_param("resolve")
        .is_some_and(|v| v == "true" || v == "1");
    if resolve && let Err(resp) = ctx.user("read:search") {
        return resp;
    }
    let q = ctx.req.query_param("q").unwrap_or_default();
    let limit: usize = ctx
        .req
        .query_param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20);
    let (user, domain) = split_acct(&q);
    let exact = ctx
        .state
        .account_by_name(&user, domain.as_deref())
        .filter(|a| a.known || resolve)
        .map(|a| a.id.clone());
    if let Some(id) = &exact
        && let Some(rec) = ctx.state.accounts.iter_mut().find(|a| a.id == *id)
    {
        rec.known = true;
    }
    let mut ids: Vec<String> = ctx
        .state
        .accounts
        .iter()
        .filter(|a| a.known && Some(&a.id) != exact.as_ref())
        .filter(|a| a.username.to_lowercase().starts_with(&user.to_lowercase()))
        .filter(|a| same_domain(a.domain.as_deref(), domain.as_deref(), &ctx.state.domain))
        .map(|a| a.id.clone())
        .collect();
    ids.extend(exact);
    ids.truncate(limit.max(1));
    let accounts: Vec<Value> = ids
        .iter()
        .filter_map(|id| ctx.state.account(id))
        .map(|rec| json::account(ctx.state, rec, &ctx.base))
        .collect();
    Resp::json(
        200,
        &json!({"accounts": accounts, "statuses": [], "hashtags": []}),
    )
}

fn same_domain(account: Option<&str>, wanted: Option<&str>, own: &str) -> bool {
    let wanted = wanted.filter(|w| !w.eq_ignore_ascii_case(own));
    match (account, wanted) {
        (None, None) => true,
        (Some(a), Some(w)) => a.eq_ignore_ascii_case(w),
        _ => false,
    }
}

/// `user@domain`, `@user@domain` or `user` → parts.
pub(crate) fn split_acct(text: &str) -> (String, Option<String>) {
    let text = text.trim().trim_start_matches('@');
    match text.split_once('@') {
        Some((user, domain)) => (user.to_string(), Some(domain.to_string())),
        None => (text.to_string(), None),
    }
}

pub(crate) fn relationships(ctx: &mut Ctx<'_>) -> Resp {
    let me = match ctx.user("read:follows") {
        Ok(me) => me,
        Err(resp) => return resp,
    };
    let found: Vec<Value> = ctx
        .req
        .query_params("id")
        .iter()
        .filter(|id| ctx.state.account(id).is_some())
        .map(|id| json::relationship(ctx.state, &me, id))
        .collect();
    Resp::json(200, &Value::Array(found))
}

pub(crate) fn action(ctx: &mut Ctx<'_>, id: &str, action: &str) -> Resp {
    let scope = match action {
        "follow" | "unfollow" => "write:follows",
        "block" | "unblock" => "write:blocks",
        "mute" | "unmute" => "write:mutes",
        _ => return not_found(),
    };
    let me = match ctx.user(scope) {
        Ok(me) => me,
        Err(resp) => return resp,
    };
    if ctx.state.account(id).is_none_or(|a| !a.known) {
        return not_found();
    }
    let pair = (me.clone(), id.to_string());
    match action {
        "follow" => {
            if let Err(resp) = follow(ctx, &me, id) {
                return resp;
            }
        }
        "unfollow" => ctx
            .state
            .follows
            .retain(|f| !(f.follower == me && f.target == id)),
        "block" => {
            ctx.state.follows.retain(|f| {
                !(f.follower == me && f.target == id || f.follower == id && f.target == me)
            });
            if !ctx.state.blocks.contains(&pair) {
                ctx.state.blocks.push(pair);
            }
        }
        "unblock" => ctx.state.blocks.retain(|b| *b != pair),
        "mute" => {
            let notifications = ctx.flag("notifications").unwrap_or(true);
            ctx.state
                .mutes
                .retain(|m| !(m.muter == me && m.target == id));
            ctx.state.mutes.push(MuteRec {
                muter: me.clone(),
                target: id.to_string(),
                notifications,
            });
        }
        _ => ctx
            .state
            .mutes
            .retain(|m| !(m.muter == me && m.target == id)),
    }
    Resp::json(200, &json::relationship(ctx.state, &me, id))
}

/// Follows (idempotent: a repeated follow updates the options).
fn follow(ctx: &mut Ctx<'_>, me: &str, id: &str) -> Result<(), Resp> {
    let blocked = ctx
        .state
        .blocks
        .iter()
        .any(|(a, b)| (a == me && b == id) || (a == id && b == me));
    if blocked || me == id {
        return Err(Resp::error(403, "This action is not allowed"));
    }
    let reblogs = ctx.flag("reblogs").unwrap_or(true);
    let notify = ctx.flag("notify").unwrap_or(false);
    let languages = ctx.req.fields("languages");
    let languages = (!languages.is_empty()).then_some(languages);
    if let Some(existing) = ctx
        .state
        .follows
        .iter_mut()
        .find(|f| f.follower == me && f.target == id)
    {
        existing.reblogs = reblogs;
        existing.notify = notify;
        existing.languages = languages;
        return Ok(());
    }
    let requested = ctx.state.account(id).is_some_and(|a| a.locked);
    let follow_id = ctx.state.follow_id();
    ctx.state.follows.push(FollowRec {
        follow_id,
        follower: me.to_string(),
        target: id.to_string(),
        requested,
        reblogs,
        notify,
        languages,
    });
    Ok(())
}

/// `GET /api/v1/accounts/:id/following?limit=&max_id=&since_id=`, newest follow first.
pub(crate) fn following(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    if let Err(resp) = ctx.user("read:accounts") {
        return resp;
    }
    let param = |name: &str| {
        ctx.req
            .query_param(name)
            .and_then(|v| v.parse::<u64>().ok())
    };
    let limit = param("limit").unwrap_or(40).clamp(1, 80) as usize;
    let (max_id, since_id) = (param("max_id"), param("since_id").or(param("min_id")));
    let mut follows: Vec<&FollowRec> = ctx
        .state
        .follows
        .iter()
        .filter(|f| f.follower == id && !f.requested)
        .filter(|f| {
            max_id.is_none_or(|m| f.follow_id < m) && since_id.is_none_or(|s| f.follow_id > s)
        })
        .collect();
    follows.sort_by_key(|f| std::cmp::Reverse(f.follow_id));
    follows.truncate(limit);
    // Like Mastodon: a full page always links on, even when the next page is empty.
    let more = follows.len() == limit;
    let accounts: Vec<Value> = follows
        .iter()
        .filter_map(|f| ctx.state.account(&f.target))
        .map(|rec| json::account(ctx.state, rec, &ctx.base))
        .collect();
    let mut resp = Resp::json(200, &Value::Array(accounts));
    if let (Some(first), Some(last)) = (follows.first(), follows.last()) {
        let page = format!("{}/api/v1/accounts/{id}/following?limit={limit}", ctx.base);
        let mut links = vec![format!(
            "<{page}&since_id={}>; rel=\"prev\"",
            first.follow_id
        )];
        if more {
            links.insert(
                0,
                format!("<{page}&max_id={}>; rel=\"next\"", last.follow_id),
            );
        }
        resp = resp.header("link", links.join(", "));
    }
    resp
}
