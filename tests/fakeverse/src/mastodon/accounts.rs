//! Accounts: who am I, lookup, search with WebFinger resolution (simulated: a remote account
//! added as "unknown" becomes known when searched with `resolve=true`), relationships, and
//! the actions: follow (locked accounts answer `requested`; blocks, moved accounts and the
//! follow cap refuse as Mastodon does), unfollow (also of a pending request), block, unblock,
//! mute (with `duration`) and unmute. The paged lists live in `listings`.

use serde_json::{Value, json};

use super::Flavour;
use super::json;
use super::route::{Ctx, invalid, not_found};
use super::state::{BlockRec, FollowRec, MuteRec};
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
/// whose name merely starts with the query, after it (clients must still match `acct`).
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
    // Mastodon ranks an exact match first.
    if let Some(id) = exact {
        ids.insert(0, id);
    }
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
        .map(|id| json::relationship(ctx.state, &me, id, ctx.now))
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
    let done = match action {
        "follow" => follow(ctx, &me, id),
        "unfollow" => {
            // Also withdraws a pending request.
            ctx.state
                .follows
                .retain(|f| !(f.follower == me && f.target == id));
            Ok(())
        }
        "block" => {
            block(ctx, &me, id);
            Ok(())
        }
        "unblock" => {
            ctx.state
                .blocks
                .retain(|b| !(b.blocker == me && b.target == id));
            Ok(())
        }
        "mute" => {
            mute(ctx, &me, id);
            Ok(())
        }
        _ => {
            ctx.state
                .mutes
                .retain(|m| !(m.muter == me && m.target == id));
            Ok(())
        }
    };
    match done {
        Ok(()) => Resp::json(200, &json::relationship(ctx.state, &me, id, ctx.now)),
        Err(resp) => resp,
    }
}

/// Blocks (idempotent): ends follows both ways, as Mastodon does.
fn block(ctx: &mut Ctx<'_>, me: &str, id: &str) {
    ctx.state
        .follows
        .retain(|f| !(f.follower == me && f.target == id || f.follower == id && f.target == me));
    if !ctx.state.blocking(me, id) {
        let block_id = ctx.state.record_id();
        ctx.state.blocks.push(BlockRec {
            block_id,
            blocker: me.to_string(),
            target: id.to_string(),
        });
    }
}

/// Mutes (a repeated mute replaces the options, and the record, like Mastodon's `mute!`).
/// `duration` in seconds; 0 or absent means until unmuted.
fn mute(ctx: &mut Ctx<'_>, me: &str, id: &str) {
    let notifications = ctx.flag("notifications").unwrap_or(true);
    let expires_in = ctx
        .field("duration")
        .and_then(|d| d.parse::<u64>().ok())
        .filter(|d| *d > 0);
    let expires_at = expires_in.map(|secs| ctx.now + std::time::Duration::from_secs(secs));
    ctx.state
        .mutes
        .retain(|m| !(m.muter == me && m.target == id));
    let mute_id = ctx.state.record_id();
    ctx.state.mutes.push(MuteRec {
        mute_id,
        muter: me.to_string(),
        target: id.to_string(),
        notifications,
        expires_in,
        expires_at,
    });
}

/// Follows (idempotent: a repeated follow updates the options). Refused like Mastodon's
/// `FollowService`: 403 when either side blocks the other, for oneself, and (Mastodon) for a
/// moved account; 422 past the follow cap, checked only when a new follow or request is made.
fn follow(ctx: &mut Ctx<'_>, me: &str, id: &str) -> Result<(), Resp> {
    let blocked = ctx.state.blocking(me, id) || ctx.state.blocking(id, me);
    let moved = ctx.state.flavour == Flavour::Mastodon
        && ctx.state.account(id).is_some_and(|a| a.moved_to.is_some());
    if blocked || moved || me == id {
        return Err(Resp::error(403, "This action is not allowed"));
    }
    *ctx.state.follow_calls.entry(id.to_string()).or_default() += 1;
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
    check_follow_limit(ctx, me)?;
    let requested = ctx.state.account(id).is_some_and(|a| a.locked);
    let follow_id = ctx.state.record_id();
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

/// 422 in `FollowLimitValidator`'s words when `me` may follow no one more.
fn check_follow_limit(ctx: &Ctx<'_>, me: &str) -> Result<(), Resp> {
    let (Some(cap), Some(account)) = (ctx.state.follow_limit, ctx.state.account(me)) else {
        return Ok(());
    };
    let (following, followers) = ctx.state.counts(account);
    if cap.reached(following, followers) {
        let allowed = cap.allowed(following, followers);
        return Err(invalid(&format!(
            "You cannot follow more than {allowed} people"
        )));
    }
    Ok(())
}
