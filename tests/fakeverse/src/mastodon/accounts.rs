//! Accounts: who am I, lookup, search with WebFinger resolution (simulated: a remote account
//! added as "unknown" becomes known when searched with `resolve=true`) and Mastodon's
//! matching of names and (with full-text search) bios, profiles (bio, fields), relationships, and
//! the actions: follow (locked accounts answer `requested`; blocks, moved accounts and the
//! follow cap refuse as Mastodon does), unfollow (also of a pending request), block, unblock,
//! mute (with `duration`) and unmute. The paged lists live in `listings`.

use serde_json::{Value, json};

use super::json;
use super::route::{Ctx, invalid, not_found};
use super::state::{AccountRec, BlockRec, FieldRec, FollowRec, MuteRec};
use super::{AccountSpec, FakeMastodon, Flavour};
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

/// `GET /api/v2/search?q=&type=accounts&resolve=`, as Mastodon's `AccountSearchService`:
/// the exact handle first (fetched with `resolve=true`), then known accounts that match: each
/// word of the query a prefix of a word of the username, display name or domain (the
/// database search), or, with [`FakeMastodon::set_full_text_search`], also every word in the
/// bio of a discoverable account (Elasticsearch). Moved accounts are left out of the
/// non-exact matches. Without a token, `resolve` is refused (401), queries shorter than 3
/// characters get the exact match only, and an instance with public search off
/// ([`FakeMastodon::set_public_search`]) refuses with 401.
pub(crate) fn search(ctx: &mut Ctx<'_>) -> Resp {
    let resolve = ctx
        .req
        .query_param("resolve")
        .is_some_and(|v| v == "true" || v == "1");
    let signed_in = ctx.maybe_user().is_some();
    if (resolve || !ctx.state.public_search)
        && let Err(resp) = ctx.user("read:search")
    {
        return resp;
    }
    let q = ctx.req.query_param("q").unwrap_or_default();
    let limit: usize = ctx
        .req
        .query_param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(20)
        .min(40);
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
    let others = signed_in || q.trim().chars().count() >= 3;
    let terms = words(q.trim().trim_start_matches('@'));
    let full_text = ctx.state.full_text_search;
    let mut ids: Vec<String> = ctx
        .state
        .accounts
        .iter()
        .filter(|a| others && a.known && Some(&a.id) != exact.as_ref() && a.moved_to.is_none())
        .filter(|a| matches_terms(a, &terms, full_text))
        .filter(|a| {
            domain.is_none()
                || same_domain(a.domain.as_deref(), domain.as_deref(), &ctx.state.domain)
        })
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
        .map(|rec| with_profile(json::account(ctx.state, rec, &ctx.base), rec))
        .collect();
    Resp::json(
        200,
        &json!({"accounts": accounts, "statuses": [], "hashtags": []}),
    )
}

/// True when every term is a prefix of a word of the account's names or domain, or, with
/// full-text search, a word of its bio (discoverable accounts only).
fn matches_terms(rec: &AccountRec, terms: &[String], full_text: bool) -> bool {
    if terms.is_empty() {
        return false;
    }
    let mut names = words(&rec.username);
    names.push(rec.username.to_lowercase());
    names.extend(words(&rec.display_name));
    names.extend(rec.domain.iter().flat_map(|d| words(d)));
    let by_name = terms
        .iter()
        .all(|t| names.iter().any(|w| w.starts_with(t.as_str())));
    let bio = || words(&strip_tags(&rec.note));
    let by_bio = full_text && rec.discoverable && {
        let bio = bio();
        terms.iter().all(|t| bio.contains(t))
    };
    by_name || by_bio
}

/// Lowercase words: runs of letters and digits (`_` separates, as in PostgreSQL's parser).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in html.chars() {
        match c {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            _ if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

/// An account's JSON with its bio and fields (the plain rendering leaves them empty).
fn with_profile(mut value: Value, rec: &AccountRec) -> Value {
    value["note"] = Value::String(rec.note.clone());
    value["discoverable"] = Value::Bool(rec.discoverable);
    value["fields"] = rec
        .fields
        .iter()
        .map(|f| json!({"name": f.name, "value": f.value, "verified_at": f.verified_at}))
        .collect();
    value
}

impl AccountSpec {
    /// Sets the display name.
    pub fn display_name(mut self, name: &str) -> Self {
        self.display_name = name.to_string();
        self
    }

    /// Sets the bio (HTML, as the server renders it).
    pub fn note(mut self, html: &str) -> Self {
        self.note = html.to_string();
        self
    }

    /// Adds a profile field (value as HTML).
    pub fn field(mut self, name: &str, value: &str) -> Self {
        self.fields.push(FieldRec {
            name: name.to_string(),
            value: value.to_string(),
            verified_at: None,
        });
        self
    }

    /// Adds a profile field whose link the server verified (`verified_at` set).
    pub fn verified_field(mut self, name: &str, value: &str) -> Self {
        self.fields.push(FieldRec {
            name: name.to_string(),
            value: value.to_string(),
            verified_at: Some("2024-03-01T12:00:00.000+00:00".to_string()),
        });
        self
    }

    /// Not opted into discovery: a full-text search does not read its bio.
    pub fn undiscoverable(mut self) -> Self {
        self.discoverable = false;
        self
    }
}

impl FakeMastodon {
    /// Account search also matches words of discoverable accounts' bios (Elasticsearch).
    pub fn set_full_text_search(&self, on: bool) {
        self.lock().full_text_search = on;
    }

    /// Answers searches without a token (stock Mastodon) or refuses them with 401.
    pub fn set_public_search(&self, on: bool) {
        self.lock().public_search = on;
    }
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
