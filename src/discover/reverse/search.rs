//! Making the searches of a [`Plan`]: one at a time per instance, through the instance's
//! [`Client`] (so its pacer keeps them under the instance's limits and a 429 waits for the
//! reset), each answer stored in the [`VerifyCache`] as it arrives. A run cut short (Ctrl-C,
//! `kill -9`, a rate limit longer than the client waits) keeps every search made, and the
//! rerun makes only the others.
//!
//! The user's own instance is searched with their token. Other instances (`--reverse-on`)
//! are searched without one; many refuse that (401, 403, 422): the refusal is one line in
//! [`Results::notes`] and the instance is skipped, not a failure.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::FediAccount;
use super::query::{Plan, Query};
use crate::discover::cache::VerifyCache;
use crate::fedi::{Client, Error};

/// Accounts asked for per search (Mastodon's most).
pub const LIMIT: u32 = 40;

/// What one search returned, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Searched {
    pub checked_at: DateTime<Utc>,
    pub accounts: Vec<FediAccount>,
}

/// An instance to search.
#[derive(Debug, Clone)]
pub struct Instance {
    pub client: Client,
    /// Search without the token (another instance's public search).
    pub anonymous: bool,
}

impl Instance {
    /// The key queries name it by (`host` or `host:port`).
    pub fn key(&self) -> &str {
        self.client.host()
    }
}

/// What the searches gave.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// The accounts each search returned, by [`Query::key`].
    pub found: HashMap<String, Vec<FediAccount>>,
    /// Searches made over the network / answered from the cache.
    pub asked: usize,
    pub from_cache: usize,
    /// Searches not made: their instance refused or failed, or the run stopped.
    pub skipped: usize,
    /// One line per instance that refused or failed.
    pub notes: Vec<String>,
}

/// How a failed search ends its instance's part of the run.
enum Stop {
    /// Say this and go on with the other instances.
    Note(String),
    /// End the run (Ctrl-C, a token the instance refuses).
    Fail(Error),
}

/// Makes the searches of `plan` (see the module docs). `refresh` ignores cached answers;
/// `tick` is called once per search done.
pub async fn run(
    plan: &Plan,
    instances: &[Instance],
    cache: &mut VerifyCache,
    refresh: bool,
    tick: &(dyn Fn() + Sync),
) -> Result<Results, Error> {
    let mut results = Results::default();
    for instance in instances {
        let queries: Vec<&Query> = plan
            .queries
            .iter()
            .filter(|q| q.instance == instance.key())
            .collect();
        let mut domain = None;
        for (done, query) in queries.iter().enumerate() {
            let key = query.key();
            if !refresh && let Some(hit) = cache.lookup_search(&key, Utc::now()) {
                results.found.insert(key, hit.accounts.clone());
                results.from_cache += 1;
                tick();
                continue;
            }
            match search(instance, query, &mut domain).await {
                Ok(accounts) => {
                    let searched = Searched {
                        checked_at: Utc::now(),
                        accounts,
                    };
                    cache.store_search(&key, &searched);
                    results.found.insert(key, searched.accounts);
                    results.asked += 1;
                    tick();
                }
                Err(Stop::Fail(err)) => return Err(err),
                Err(Stop::Note(note)) => {
                    results.notes.push(note);
                    results.skipped += queries[done..]
                        .iter()
                        .filter(|q| cache.lookup_search(&q.key(), Utc::now()).is_none())
                        .count();
                    break;
                }
            }
        }
    }
    Ok(results)
}

/// One search, its accounts with full addresses (`domain` caches the instance's own domain,
/// asked the first time a local account turns up).
async fn search(
    instance: &Instance,
    query: &Query,
    domain: &mut Option<String>,
) -> Result<Vec<FediAccount>, Stop> {
    let client = &instance.client;
    let found = client
        .search_accounts(&query.text, LIMIT, instance.anonymous)
        .await
        .map_err(|err| stop(instance, err))?;
    if domain.is_none() && found.iter().any(|a| !a.acct.contains('@')) {
        let own = match client.local_domain().await {
            Ok(own) => own,
            Err(Error::Interrupted) => return Err(Stop::Fail(Error::Interrupted)),
            Err(_) => client.instance().host().to_string(),
        };
        *domain = Some(own);
    }
    let domain = domain.as_deref().unwrap_or(client.instance().host());
    Ok(found
        .iter()
        .map(|a| FediAccount::from_api(a, domain))
        .collect())
}

/// What a failed search means for the run.
fn stop(instance: &Instance, err: Error) -> Stop {
    let host = instance.key();
    let status = err.api().map(|a| a.status);
    match (&err, status) {
        (Error::Interrupted, _) => Stop::Fail(err),
        (_, Some(status)) if instance.anonymous && (400..500).contains(&status) => Stop::Note(
            format!("{host} does not allow searching without an account there ({status}): skipped"),
        ),
        _ if !instance.anonymous && err.is_auth_failure() => Stop::Fail(err),
        (Error::RateLimited { until, .. }, _) => Stop::Note(format!(
            "{host} allows no more searches before {until}: the searches made are saved, and \
             the same command then goes on with the rest"
        )),
        _ => Stop::Note(format!(
            "searching {host} failed ({err}); the searches made are saved, a rerun goes on \
             with the rest"
        )),
    }
}
