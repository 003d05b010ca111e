//! The checks for one candidate, in order: WebFinger by profile URL (for URL candidates: the
//! server answers with the canonical address), WebFinger by address, host-meta's template when
//! WebFinger is not where expected (split domains), confirmation of an address claimed on
//! another host, and the actor (moved? suspended?). Every request goes through
//! [`Ctx::fetch`], so limits, dead hosts and rate limits are handled there.

use std::sync::Arc;

use chrono::Utc;
use reqwest::Url;

use super::Target;
use super::actor;
use super::classify::{self, StatusClass};
use super::hosts::{Ctx, Failure, rate_limit_wait};
use super::jrd::{self, Canonical, Jrd};
use super::state::{Acct, MovedTo, State, Verification};
use crate::net::{NetError, host_of};

const JRD_ACCEPT: &str = "application/jrd+json, application/json;q=0.9, application/xrd+xml;q=0.5";
const ACTOR_ACCEPT: &str = "application/activity+json, application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

/// A WebFinger answer that is a document.
struct Found {
    jrd: Jrd,
    answered_by: String,
}

/// What asking WebFinger once gave.
enum Query {
    Doc(Found),
    /// A final answer about the account, or a dead host.
    Stop(State, String),
    /// Not here. `state` stands unless host-meta finds a better endpoint; `bad` marks an
    /// answer that was no WebFinger document; `host` is who answered.
    Miss {
        state: State,
        bad: bool,
        host: String,
        detail: String,
    },
}

/// Verifies one candidate.
pub(crate) async fn verify(ctx: &Arc<Ctx>, target: &Target) -> Verification {
    let asked = Acct::new(&target.user, &target.host);
    if let Some(url) = target.profile_url.as_ref() {
        let url_host = host_of(url);
        match resolve_url(ctx, url).await {
            Query::Doc(found) => {
                let trusted = vec![url_host, found.answered_by.clone()];
                return finish(ctx, target, found, trusted, None).await;
            }
            Query::Stop(state, why) if state.is_dead_host() && url_host == asked.host => {
                return Verification::bare(state, &target.host, Some(why));
            }
            _ => {}
        }
    }
    match resolve_acct(ctx, &asked).await {
        Query::Doc(found) => {
            let trusted = vec![asked.host.clone(), found.answered_by.clone()];
            finish(ctx, target, found, trusted, Some(&asked)).await
        }
        Query::Stop(state, why)
        | Query::Miss {
            state, detail: why, ..
        } => Verification::bare(state, &target.host, Some(why)),
    }
}

/// The WebFinger URL for a resource: host-meta's template when known, else the usual path.
fn endpoint(template: Option<&str>, host: &str, resource: &str) -> Option<Url> {
    if let Some(template) = template {
        return Url::parse(&jrd::fill_template(template, resource)).ok();
    }
    let mut url = Url::parse(&format!("https://{host}/.well-known/webfinger")).ok()?;
    if url.host_str() != Some(host) {
        return None; // the "host" carried a path, port or user part
    }
    url.query_pairs_mut().append_pair("resource", resource);
    Some(url)
}

fn bad_host(host: &str) -> Query {
    Query::Stop(
        State::Unreachable,
        format!("`{host}` is not a usable host name"),
    )
}

/// WebFinger for an address, with host-meta's template as the fallback; misses are settled
/// into `not_found` / `not_fediverse` / `server_error` with the answering host's NodeInfo.
async fn resolve_acct(ctx: &Arc<Ctx>, acct: &Acct) -> Query {
    let resource = acct.resource();
    let known = ctx.known_template(&acct.host);
    let Some(url) = endpoint(known.as_deref(), &acct.host, &resource) else {
        return bad_host(&acct.host);
    };
    ctx.spawn_facts(&host_of(&url));
    let mut result = query(ctx, url).await;
    if matches!(result, Query::Miss { .. }) && known.is_none() {
        let template = ctx.lrdd_template(&acct.host).await;
        if let Some(url) = template.and_then(|t| endpoint(Some(&t), &acct.host, &resource)) {
            ctx.spawn_facts(&host_of(&url));
            result = query(ctx, url).await;
        }
    }
    settle_miss(ctx, result).await
}

/// WebFinger with a profile URL as the resource (no fallback: the address path follows).
async fn resolve_url(ctx: &Arc<Ctx>, url: &Url) -> Query {
    let host = host_of(url);
    let known = ctx.known_template(&host);
    match endpoint(known.as_deref(), &host, url.as_str()) {
        Some(endpoint) => {
            ctx.spawn_facts(&host_of(&endpoint));
            query(ctx, endpoint).await
        }
        None => bad_host(&host),
    }
}

async fn settle_miss(ctx: &Arc<Ctx>, result: Query) -> Query {
    let Query::Miss {
        state,
        bad,
        host,
        detail,
    } = result
    else {
        return result;
    };
    let fediverse = ctx.facts(&host).await.fediverse;
    let state = classify::miss(state, bad, fediverse);
    let detail = if state == State::NotFediverse {
        format!(
            "{detail}; {host} has no NodeInfo either, so it does not look like a fediverse server"
        )
    } else {
        detail
    };
    Query::Stop(state, detail)
}

/// Asks WebFinger at one URL and reads the answer.
async fn query(ctx: &Ctx, url: Url) -> Query {
    let host = host_of(&url);
    let fetched = match ctx.fetch(url, JRD_ACCEPT).await {
        Ok(fetched) => fetched,
        Err(Failure::Dead(state, why)) => return Query::Stop(state, why),
        Err(Failure::Net(NetError::Offline)) => {
            return Query::Stop(State::Unverified, "--offline is set".into());
        }
        Err(Failure::Net(err)) => {
            return Query::Miss {
                state: State::ServerError,
                bad: true,
                host,
                detail: err.to_string(),
            };
        }
    };
    let status = fetched.status.as_u16();
    let answered = fetched.host();
    let said = format!("{answered} answered HTTP {status} to WebFinger");
    match classify::webfinger_status(status) {
        StatusClass::Answer => match jrd::parse(&fetched.body) {
            Ok(jrd) => Query::Doc(Found {
                jrd,
                answered_by: answered,
            }),
            Err(err) => Query::Miss {
                state: State::ServerError,
                bad: true,
                detail: format!("{answered}'s WebFinger answer is unusable: {err}"),
                host: answered,
            },
        },
        StatusClass::Final(state) => Query::Stop(state, said),
        StatusClass::RateLimited => {
            let wait = rate_limit_wait(&fetched)
                .map(|w| format!(" and asked to wait {} s", w.as_secs()))
                .unwrap_or_default();
            Query::Stop(State::RateLimited, format!("{said}{wait}"))
        }
        StatusClass::Miss(state) => Query::Miss {
            state,
            bad: false,
            host: answered,
            detail: said,
        },
    }
}

/// From a WebFinger document to the result: actor, canonical address, then the actor check.
async fn finish(
    ctx: &Arc<Ctx>,
    target: &Target,
    found: Found,
    trusted: Vec<String>,
    asked: Option<&Acct>,
) -> Verification {
    let Some(actor) = found.jrd.actor().and_then(|href| Url::parse(href).ok()) else {
        let why = format!(
            "{} knows this account but names no ActivityPub actor for it",
            found.answered_by
        );
        return Verification::bare(State::NotFediverse, &target.host, Some(why));
    };
    // The actor's host serves the account: on a split domain it is not the address's
    // domain, and its NodeInfo is the one that tells what the server is.
    ctx.spawn_facts(&host_of(&actor));
    let (canonical, note) = pick_canonical(ctx, &found, &trusted, asked, &actor).await;
    let canonical = canonical.unwrap_or_else(|| Acct::new(&target.user, &target.host));
    let mut result = Verification {
        state: State::Verified,
        host: canonical.host.clone(),
        canonical: Some(canonical),
        actor_url: Some(actor.clone()),
        moved_to: None,
        checked_at: Utc::now(),
        detail: note,
    };
    if ctx.settings.fetch_actors {
        check_actor(ctx, &mut result, actor).await;
    }
    result
}

/// The canonical address, confirming one claimed on a host that was not asked.
async fn pick_canonical(
    ctx: &Arc<Ctx>,
    found: &Found,
    trusted: &[String],
    asked: Option<&Acct>,
    actor: &Url,
) -> (Option<Acct>, Option<String>) {
    let trusted: Vec<&str> = trusted.iter().map(String::as_str).collect();
    match jrd::canonical(&found.jrd, &trusted, asked) {
        None => (None, None),
        Some(Canonical::Trusted(acct)) => (Some(acct), None),
        Some(Canonical::Unconfirmed { claimed, fallback }) => {
            let confirmed = match resolve_acct(ctx, &claimed).await {
                Query::Doc(other) => other.jrd.actor() == Some(actor.as_str()),
                _ => false,
            };
            if confirmed {
                return (Some(claimed), None);
            }
            let note = format!(
                "{} names {claimed}, but {} does not confirm it",
                found.answered_by, claimed.host
            );
            (fallback, Some(note))
        }
    }
}

/// Reads the actor: moved, suspended, gone, or readable only with signed requests. An actor
/// on a private or local address (one the guard refuses; a `--resolve` entry allows it) is
/// not verified: no one else can reach that account.
async fn check_actor(ctx: &Arc<Ctx>, result: &mut Verification, actor: Url) {
    let actor_host = host_of(&actor);
    let fetched = match ctx.fetch(actor, ACTOR_ACCEPT).await {
        Ok(fetched) => fetched,
        Err(Failure::Dead(_, _)) if ctx.is_private(&actor_host) => {
            result.state = State::Unreachable;
            result.detail = Some(format!(
                "WebFinger names an actor on {actor_host}, a private or local address that \
                 no one else can reach, so the account is not verified"
            ));
            return;
        }
        Err(Failure::Dead(_, why)) => {
            result.detail = Some(format!("the actor was not checked: {why}"));
            return;
        }
        Err(Failure::Net(err)) => {
            result.detail = Some(format!("the actor was not checked: {err}"));
            return;
        }
    };
    let status = fetched.status.as_u16();
    let note = |text: &str| Some(text.to_string());
    match status {
        200..=299 => read_actor(ctx, result, &fetched.body).await,
        401 | 403 => {
            result.detail = note(
                "the server reads actors only for signed requests (authorized fetch); WebFinger confirms the account",
            );
        }
        410 => {
            result.state = State::Gone;
            result.detail = note("WebFinger names an actor that answers 410 Gone");
        }
        404 => {
            result.state = State::NotFound;
            result.detail = note("WebFinger names an actor that answers 404");
        }
        _ => result.detail = Some(format!("the actor was not checked: HTTP {status}")),
    }
}

async fn read_actor(ctx: &Arc<Ctx>, result: &mut Verification, body: &[u8]) {
    let parsed = match actor::parse(body) {
        Ok(parsed) => parsed,
        Err(err) => {
            result.detail = Some(format!("the actor was not readable: {err}"));
            return;
        }
    };
    if parsed.suspended {
        result.state = State::Gone;
        result.detail = Some("the account is suspended".into());
        return;
    }
    let Some(to) = parsed.moved_to.and_then(|to| Url::parse(&to).ok()) else {
        return;
    };
    let handle = moved_handle(ctx, &to).await;
    let shown = handle
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| to.to_string());
    result.state = State::Moved;
    result.detail = Some(format!("the account moved to {shown}"));
    result.moved_to = Some(MovedTo {
        actor_url: to,
        handle,
    });
}

/// The address of the account a moved one points to, from its server's WebFinger.
async fn moved_handle(ctx: &Arc<Ctx>, to: &Url) -> Option<Acct> {
    let Query::Doc(found) = resolve_url(ctx, to).await else {
        return None;
    };
    let host = host_of(to);
    match jrd::canonical(&found.jrd, &[&host, &found.answered_by], None)? {
        Canonical::Trusted(acct) => Some(acct),
        Canonical::Unconfirmed { fallback, .. } => fallback,
    }
}
