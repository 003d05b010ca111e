//! The switches and seeds the follow, block, mute and crash tests set on a [`FakeMastodon`]:
//! moved accounts, seeded counts, blocks and mutes, the follow cap, the idempotency TTL,
//! answers dropped after the change was made, and request counts per route. Never answers a
//! request itself.

use std::collections::BTreeMap;
use std::time::Duration;

use super::FakeMastodon;
use super::accounts::split_acct;
use super::state::{BlockRec, FollowLimit, MuteRec, State};

impl FakeMastodon {
    /// Caps follows as Mastodon's `FollowLimitValidator` does: once the user follows `limit`
    /// or more, at most `max(round(followers × ratio), limit)`; a follow past it answers 422.
    /// The Mastodon flavour starts with 7,500 / 1.1, the others without a cap.
    pub fn set_follow_limit(&self, limit: usize, ratio: f64) {
        self.lock().follow_limit = Some(FollowLimit {
            limit: limit as u64,
            ratio,
        });
    }

    /// Removes the follow cap.
    pub fn clear_follow_limit(&self) {
        self.lock().follow_limit = None;
    }

    /// Makes the account (`user` local, or `user@domain`) report `n` followers now; follows
    /// made later count on top.
    pub fn set_followers_count(&self, acct: &str, n: u64) {
        self.with_account(acct, |state, index| {
            let (_, real) = counts_without_extras(state, index);
            state.accounts[index].extra_followers = n.saturating_sub(real);
        });
    }

    /// Makes the account report `n` follows now (the follow cap counts them); follows made
    /// later count on top.
    pub fn set_following_count(&self, acct: &str, n: u64) {
        self.with_account(acct, |state, index| {
            let (real, _) = counts_without_extras(state, index);
            state.accounts[index].extra_following = n.saturating_sub(real);
        });
    }

    /// Moves the account `id` to `target_id` (or back, with `None`).
    pub fn set_moved(&self, id: &str, target_id: Option<&str>) {
        let mut state = self.lock();
        if let Some(rec) = state.accounts.iter_mut().find(|a| a.id == id) {
            rec.moved_to = target_id.map(str::to_string);
        }
    }

    /// Makes the local user `blocker` block the accounts `targets` (ids), oldest first.
    pub fn seed_blocks(&self, blocker: &str, targets: &[String]) {
        let mut state = self.lock();
        let me = local_id(&state, blocker);
        for target in targets {
            let block_id = state.record_id();
            state.blocks.push(BlockRec {
                block_id,
                blocker: me.clone(),
                target: target.clone(),
            });
        }
    }

    /// Makes the local user `muter` mute the accounts `targets` (ids), oldest first,
    /// indefinitely and with notifications muted.
    pub fn seed_mutes(&self, muter: &str, targets: &[String]) {
        let mut state = self.lock();
        let me = local_id(&state, muter);
        for target in targets {
            let mute_id = state.record_id();
            state.mutes.push(MuteRec {
                mute_id,
                muter: me.clone(),
                target: target.clone(),
                notifications: true,
                expires_in: None,
                expires_at: None,
            });
        }
    }

    /// How long an `Idempotency-Key` replays its post (Mastodon: one hour).
    pub fn set_idempotency_ttl(&self, ttl: Duration) {
        self.lock().idempotency_ttl = ttl;
    }

    /// The next `n` requests with `method` whose path starts with `path_prefix` are carried
    /// out (state changed) but answered by closing the connection, as if the answer was lost.
    /// Only successful (2xx) answers are dropped and counted; see [`crate::Host`].
    pub fn drop_after_commit(&self, method: &str, path_prefix: &str, n: usize) {
        self.host.drop_after_commit(method, path_prefix, n);
    }

    /// Like [`FakeMastodon::drop_after_commit`], for each such request with `probability`,
    /// drawn from the host's seeded generator (the same seed drops the same requests).
    pub fn drop_after_commit_rate(&self, method: &str, path_prefix: &str, probability: f64) {
        self.host
            .drop_after_commit_rate(method, path_prefix, probability);
    }

    /// How many answers were dropped after their change was made.
    pub fn dropped_answers(&self) -> usize {
        self.host.dropped_count()
    }

    /// Requests received per route, keyed like `"POST /api/v1/accounts/:id/follow"` (numeric
    /// path segments become `:id`; the query is left out).
    pub fn requests_by_route(&self) -> BTreeMap<String, usize> {
        self.host.requests_by_route()
    }

    /// Runs `change` on the account named `acct`; panics (a test's mistake) if there is none.
    fn with_account(&self, acct: &str, change: impl FnOnce(&mut State, usize)) {
        let mut state = self.lock();
        let (user, domain) = split_acct(acct);
        let id = state
            .account_by_name(&user, domain.as_deref())
            .map(|a| a.id.clone())
            .unwrap_or_else(|| panic!("fakeverse: no account {acct}"));
        let index = state
            .accounts
            .iter()
            .position(|a| a.id == id)
            .unwrap_or_default();
        change(&mut state, index);
    }
}

fn counts_without_extras(state: &State, index: usize) -> (u64, u64) {
    let rec = &state.accounts[index];
    let (following, followers) = state.counts(rec);
    (
        following - rec.extra_following,
        followers - rec.extra_followers,
    )
}

fn local_id(state: &State, username: &str) -> String {
    state
        .account_by_name(username, None)
        .map(|a| a.id.clone())
        .unwrap_or_else(|| panic!("fakeverse: no local user {username}"))
}
