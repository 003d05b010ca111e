//! The owner's relations and collections: following, followers, blocks, mutes, likes, lists.
//!
//! Each record names an account only by id (`{"following": {"accountId": "…", "userLink": …}}`;
//! 2019 archives have no `userLink`); resolving ids to handles is `discover`'s job.

use serde::{Deserialize, Serialize};

use super::de;
use super::files::Kind;

/// Lists of account ids in the archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Accounts the owner follows (`following.js`).
    Following,
    /// Accounts that follow the owner (`follower.js`).
    Followers,
    /// Accounts the owner blocked (`block.js`).
    Blocks,
    /// Accounts the owner muted (`mute.js`).
    Mutes,
}

impl Relation {
    /// The data type and the record's wrapper key.
    pub(crate) fn kind(self) -> (Kind, &'static str) {
        match self {
            Relation::Following => (Kind::Following, "following"),
            Relation::Followers => (Kind::Follower, "follower"),
            Relation::Blocks => (Kind::Block, "blocking"),
            Relation::Mutes => (Kind::Mute, "muting"),
        }
    }
}

/// One relation record.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountRef {
    #[serde(default, deserialize_with = "de::id")]
    pub account_id: Option<String>,
}

/// A liked tweet (`like.js`). The archive has no date for likes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(deserialize = "camelCase", serialize = "snake_case"))]
pub struct Like {
    /// The liked tweet's id.
    #[serde(default, deserialize_with = "de::id")]
    #[serde(serialize_with = "ser_id")]
    pub tweet_id: Option<String>,
    /// Its text (HTML entities decoded), in archives from mid-2019 on.
    #[serde(default)]
    pub full_text: Option<String>,
    /// Its URL, in archives from mid-2019 on.
    #[serde(default)]
    pub expanded_url: Option<String>,
}

fn ser_id<S: serde::Serializer>(id: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(id.as_deref().unwrap_or(""))
}

/// How the owner relates to a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListRole {
    /// The owner made it (`lists-created.js`).
    Created,
    /// The owner is on it (`lists-member.js`).
    Member,
    /// The owner subscribed to it (`lists-subscribed.js`).
    Subscribed,
}

impl ListRole {
    /// Every role, in the order lists are reported.
    pub const ALL: [ListRole; 3] = [ListRole::Created, ListRole::Member, ListRole::Subscribed];

    pub(crate) fn kind(self) -> Kind {
        match self {
            ListRole::Created => Kind::ListsCreated,
            ListRole::Member => Kind::ListsMember,
            ListRole::Subscribed => Kind::ListsSubscribed,
        }
    }
}

/// A list the owner made, is on, or follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListRef {
    pub role: ListRole,
    /// `https://twitter.com/<owner>/lists/<id>`.
    pub url: String,
}

/// `lists-*.js` record (`{"userListInfo": {"url": …}}`).
#[derive(Debug, Deserialize)]
pub(crate) struct ListInfo {
    #[serde(default)]
    pub url: Option<String>,
}
