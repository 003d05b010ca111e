//! The narrow interface between the follow machinery and an instance: find an account by
//! address, read how you stand with accounts, act and undo, and lists. The plan and the
//! journal never see HTTP; a second API family (Misskey's own API) is one more `impl Remote`.
//!
//! [`fedi::Client`](crate::fedi::Client) implements it for the Mastodon client API (also
//! GoToSocial, Pleroma and Akkoma).

use std::collections::{HashMap, HashSet};
use std::future::Future;

use super::plan::{Found, Standing};
use super::relation::Relation;
use crate::discover::Handle;
use crate::fedi::{self, Client, Error, FollowOptions, MuteOptions, Relationship};

/// Options of one action (the command's, overridden per row by a Mastodon CSV).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActOptions {
    pub follow: FollowOptions,
    pub mute: MuteOptions,
}

/// What the follow machinery needs from an instance.
pub trait Remote: Sync {
    /// The account behind an address (the instance may fetch it from its server), or `None`.
    fn find(&self, handle: &Handle) -> impl Future<Output = Result<Option<Found>, Error>> + Send;

    /// How you stand with each account, by id (asked in batches).
    fn standings(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<HashMap<String, Standing>, Error>> + Send;

    /// Puts the account into the relation; how you stand afterwards.
    fn act(
        &self,
        relation: Relation,
        id: &str,
        options: &ActOptions,
    ) -> impl Future<Output = Result<Standing, Error>> + Send;

    /// Takes the account out of the relation.
    fn undo(
        &self,
        relation: Relation,
        id: &str,
    ) -> impl Future<Output = Result<Standing, Error>> + Send;

    /// The id of your list titled `title` (any case), created if absent.
    fn list(&self, title: &str) -> impl Future<Output = Result<String, Error>> + Send;

    /// The ids of the accounts in a list.
    fn list_members(
        &self,
        list: &str,
    ) -> impl Future<Output = Result<HashSet<String>, Error>> + Send;

    /// Adds accounts to a list.
    fn add_to_list(
        &self,
        list: &str,
        ids: &[String],
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

fn standing(rel: &Relationship) -> Standing {
    Standing {
        following: rel.following,
        requested: rel.requested,
        blocking: rel.blocking,
        muting: rel.muting,
    }
}

fn found(account: &fedi::Account) -> Found {
    Found {
        id: account.id.clone(),
        acct: account.acct.clone(),
        locked: account.locked,
        standing: Standing::default(),
        moved_to: account.moved.as_deref().map(|new| Box::new(found(new))),
    }
}

impl Remote for Client {
    /// One search with `resolve=true` per address: the instance answers from what it knows,
    /// or fetches the account from its server (one request either way; `lookup` first would
    /// cost two for every account the instance has not seen yet, the common case on a new
    /// instance).
    async fn find(&self, handle: &Handle) -> Result<Option<Found>, Error> {
        Ok(self.resolve(handle).await?.as_ref().map(found))
    }

    async fn standings(&self, ids: &[String]) -> Result<HashMap<String, Standing>, Error> {
        let all = self.relationships(ids).await?;
        Ok(all.iter().map(|r| (r.id.clone(), standing(r))).collect())
    }

    async fn act(
        &self,
        relation: Relation,
        id: &str,
        options: &ActOptions,
    ) -> Result<Standing, Error> {
        let rel = match relation {
            Relation::Follow => self.follow(id, &options.follow).await?,
            Relation::Block => self.block(id).await?,
            Relation::Mute => self.mute(id, &options.mute).await?,
        };
        Ok(standing(&rel))
    }

    async fn undo(&self, relation: Relation, id: &str) -> Result<Standing, Error> {
        let rel = match relation {
            Relation::Follow => self.unfollow(id).await?,
            Relation::Block => self.unblock(id).await?,
            Relation::Mute => self.unmute(id).await?,
        };
        Ok(standing(&rel))
    }

    async fn list(&self, title: &str) -> Result<String, Error> {
        let lists = self.lists().await?;
        if let Some(list) = lists.iter().find(|l| l.title.eq_ignore_ascii_case(title)) {
            return Ok(list.id.clone());
        }
        let created = self
            .create_list(title, &fedi::ListOptions::default())
            .await?;
        Ok(created.id)
    }

    async fn list_members(&self, list: &str) -> Result<HashSet<String>, Error> {
        let accounts = self.list_accounts(list).await?;
        Ok(accounts.into_iter().map(|a| a.id).collect())
    }

    async fn add_to_list(&self, list: &str, ids: &[String]) -> Result<(), Error> {
        Client::add_to_list(self, list, ids).await
    }
}
