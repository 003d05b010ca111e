//! `find --reverse`: wires the reverse search (`discover::reverse`) into `find`. After the
//! Twitter side is verified: connect as the chosen account (and anonymously to each
//! `--reverse-on` instance), say what the searches cost, make them (paced, cached, Ctrl-C
//! saves), judge what they found, verify the proven accounts, and hand back one report that
//! lines up with the accounts' findings.

use std::time::Duration;

use anyhow::Context;

use super::{Config, Env, ReverseConfig};
use crate::discover::cache::VerifyCache;
use crate::discover::friends::{ArchiveClues, Friends};
use crate::discover::matches::{Findings, ReverseTotals};
use crate::discover::profile::Source;
use crate::discover::reverse::search::{self, Instance, Results};
use crate::discover::reverse::{Plan, attach, query};
use crate::discover::verify::{Report, State};
use crate::exit::Interrupted;
use crate::fedi::retry::RetryPolicy;
use crate::fedi::{Cancel, Client, ClientOptions, InstanceUrl, session};

/// The longest wait for a search rate limit within a run: Mastodon's windows are 5 minutes;
/// a longer wait ends the run (the searches made are saved).
const MAX_WAIT: Duration = Duration::from_secs(10 * 60);

/// What the reverse step gives back.
pub struct Done {
    /// One result per finding, the new ones included.
    pub report: Report,
    pub searches: Searches,
}

/// The searches in numbers, for the totals.
pub struct Searches {
    accounts: usize,
    plan: Plan,
    results: Results,
}

/// Runs the reverse step on the accounts still without a verified address in `first`.
pub async fn run(
    reverse: &ReverseConfig,
    friends: &mut Friends,
    clues: &ArchiveClues,
    first: Report,
    config: &Config,
    env: &Env,
) -> anyhow::Result<Done> {
    let sought = attach::sought(friends, &first, |f| {
        f.id.as_deref()
            .map(|id| clues.usernames(id))
            .unwrap_or_default()
    });
    let instances = connect(reverse, env)?;
    let keys: Vec<String> = instances.iter().map(|i| i.key().to_string()).collect();
    let mut cache = open_cache(env);
    let now = chrono::Utc::now();
    let plan = query::plan(&sought, &keys, |q| {
        !config.refresh && cache.lookup_search(&q.key(), now).is_some()
    });
    env.ui.info(format_args!(
        "--reverse: {}{}",
        plan.describe(),
        pace(&plan, &instances)
    ));
    let bar = env
        .ui
        .progress(Some(plan.queries.len() as u64), "searching");
    let tick_bar = bar.clone();
    let tick = move || tick_bar.inc(1);
    let made = search::run(&plan, &instances, &mut cache, config.refresh, &tick).await;
    bar.finish_and_clear();
    for warning in cache.take_warnings() {
        env.ui.warn(warning);
    }
    let results = made.map_err(|err| {
        if err.is_interrupted() {
            anyhow::Error::new(Interrupted).context(
                "interrupted; the searches made so far are saved and a rerun continues from there",
            )
        } else {
            anyhow::Error::new(err).context("the reverse search stopped")
        }
    })?;
    for note in &results.notes {
        env.ui.warn(note);
    }
    let hits = attach::judge_all(&sought, &keys, &results);
    let added = attach::attach(friends, &sought, hits);
    let second = super::verify(&attach::targets(&added), config, env).await?;
    let report = attach::merge(friends, first, &added, second);
    Ok(Done {
        report,
        searches: Searches {
            accounts: sought.len(),
            plan,
            results,
        },
    })
}

/// The client for the user's instance, then one without a token per `--reverse-on` host.
/// Another instance gets one attempt per search: one that does not answer costs one
/// `--timeout` and one line, not a retry notice per attempt.
fn connect(reverse: &ReverseConfig, env: &Env) -> anyhow::Result<Vec<Instance>> {
    let cancel = Cancel::on_ctrl_c(crate::exit::quit_interrupted);
    let options = ClientOptions::bulk(MAX_WAIT);
    let other = ClientOptions {
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        ..options.clone()
    };
    let ui = env.ui.clone();
    let own = session::connect(&reverse.choice, &env.net, &env.ui)?
        .client
        .with_options(options.clone())
        .with_cancel(cancel.clone());
    let mut instances = vec![Instance {
        client: own,
        anonymous: false,
    }];
    for host in &reverse.on {
        let url = InstanceUrl::parse(host, env.net.insecure_http)
            .with_context(|| format!("--reverse-on {host}"))?;
        let ui = ui.clone();
        let client = Client::new(url, None, &env.net)?
            .with_options(other.clone())
            .with_cancel(cancel.clone())
            .on_notice(move |notice| ui.info(notice));
        if instances.iter().all(|i| i.key() != client.host()) {
            instances.push(Instance {
                client,
                anonymous: true,
            });
        }
    }
    Ok(instances)
}

/// The cache `find` keeps its verifications in (in memory when it cannot be opened).
fn open_cache(env: &Env) -> VerifyCache {
    match VerifyCache::open_default() {
        Ok(cache) => cache,
        Err(err) => {
            env.ui.warn(format_args!(
                "{err}; searches will not be kept for the next run"
            ));
            VerifyCache::in_memory()
        }
    }
}

/// How the searches are paced, and how long that takes at least: "; at most 300 per 5 min
/// per instance, about 10 min".
fn pace(plan: &Plan, instances: &[Instance]) -> String {
    let Some(budget) = instances
        .first()
        .and_then(|i| i.client.budgets().get(crate::fedi::Family::Api))
    else {
        return String::new();
    };
    let busiest = instances
        .iter()
        .map(|i| {
            plan.queries
                .iter()
                .filter(|q| q.instance == i.key())
                .count()
        })
        .max()
        .unwrap_or(0);
    let windows = busiest.saturating_sub(1) / budget.limit.max(1) as usize;
    let minutes = budget.window.as_secs() / 60;
    let took = match windows {
        0 => String::new(),
        n => format!(", about {} min", n as u64 * minutes),
    };
    format!(
        "; at most {} per {minutes} min per instance{took}",
        budget.limit
    )
}

/// The totals of the reverse step, counted on the findings.
pub fn totals(findings: &Findings, searches: Searches) -> ReverseTotals {
    let by_reverse = |m: &&crate::discover::matches::Match| {
        m.evidence.iter().any(|e| e.source == Source::Reverse)
    };
    let mut found = 0;
    let mut possible = 0;
    for account in &findings.accounts {
        let mine: Vec<_> = account.candidates.iter().filter(by_reverse).collect();
        if mine.iter().any(|m| m.state.exists()) {
            found += 1;
        } else if mine.iter().any(|m| m.state == State::Possible) {
            possible += 1;
        }
    }
    ReverseTotals {
        accounts: searches.accounts,
        searches: searches.plan.queries.len(),
        asked: searches.results.asked,
        from_cache: searches.results.from_cache,
        skipped: searches.results.skipped,
        found,
        possible,
    }
}
