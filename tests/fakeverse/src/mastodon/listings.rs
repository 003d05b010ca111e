//! The account lists Mastodon pages by internal record ids: whom an account follows
//! (`GET /api/v1/accounts/:id/following`), whom the user blocks (`GET /api/v1/blocks`) and
//! mutes (`GET /api/v1/mutes`, with `mute_expires_at`). Paging and `Link` headers come from
//! [`Paging`]; this module only picks the records. Never changes state.

use serde_json::Value;

use super::json;
use super::paging::Paging;
use super::route::Ctx;
use crate::Resp;

/// `GET /api/v1/accounts/:id/following`: accepted follows, newest first.
pub(crate) fn following(ctx: &mut Ctx<'_>, id: &str) -> Resp {
    if let Err(resp) = ctx.user("read:accounts") {
        return resp;
    }
    let entries = ctx
        .state
        .follows
        .iter()
        .filter(|f| f.follower == id && !f.requested)
        .map(|f| (f.follow_id, f.target.clone()))
        .collect();
    let url = format!("{}/api/v1/accounts/{id}/following", ctx.base);
    accounts_page(ctx, &url, entries)
}

/// `GET /api/v1/blocks` (scope `read:blocks`, `read` or `follow`).
pub(crate) fn blocks(ctx: &mut Ctx<'_>) -> Resp {
    let me = match ctx.user("read:blocks") {
        Ok(me) => me,
        Err(resp) => return resp,
    };
    let entries = ctx
        .state
        .blocks
        .iter()
        .filter(|b| b.blocker == me)
        .map(|b| (b.block_id, b.target.clone()))
        .collect();
    let url = format!("{}/api/v1/blocks", ctx.base);
    accounts_page(ctx, &url, entries)
}

/// `GET /api/v1/mutes` (scope `read:mutes`, `read` or `follow`): mutes still in force, each
/// account with `mute_expires_at`.
pub(crate) fn mutes(ctx: &mut Ctx<'_>) -> Resp {
    let me = match ctx.user("read:mutes") {
        Ok(me) => me,
        Err(resp) => return resp,
    };
    let now = ctx.now;
    let paging = Paging::from_req(ctx.req, false);
    let entries = ctx
        .state
        .mutes
        .iter()
        .filter(|m| m.muter == me && m.active(now))
        .map(|m| (m.mute_id, m))
        .collect();
    let page = paging.select(entries);
    let accounts: Vec<Value> = page
        .iter()
        .filter_map(|(_, mute)| {
            let rec = ctx.state.account(&mute.target)?;
            Some(json::muted_account(ctx.state, rec, mute, &ctx.base))
        })
        .collect();
    let url = format!("{}/api/v1/mutes", ctx.base);
    with_link(
        Resp::json(200, &Value::Array(accounts)),
        paging.link(&url, &page),
    )
}

/// One page of `(cursor, account id)` entries as account JSON with its `Link` header.
pub(crate) fn accounts_page(ctx: &Ctx<'_>, url: &str, entries: Vec<(u64, String)>) -> Resp {
    accounts_page_with(ctx, url, entries, Paging::from_req(ctx.req, false))
}

/// Like [`accounts_page`] with the paging already read (list members accept `limit=0`).
pub(crate) fn accounts_page_with(
    ctx: &Ctx<'_>,
    url: &str,
    entries: Vec<(u64, String)>,
    paging: Paging,
) -> Resp {
    let page = paging.select(entries);
    let accounts: Vec<Value> = page
        .iter()
        .filter_map(|(_, id)| ctx.state.account(id))
        .map(|rec| json::account(ctx.state, rec, &ctx.base))
        .collect();
    with_link(
        Resp::json(200, &Value::Array(accounts)),
        paging.link(url, &page),
    )
}

fn with_link(resp: Resp, link: Option<String>) -> Resp {
    match link {
        Some(link) => resp.header("link", link),
        None => resp,
    }
}
