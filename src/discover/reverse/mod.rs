//! `find --reverse`: the other direction. Many people never put their fediverse address in
//! their Twitter bio, but did put their Twitter account in their fediverse profile. For each
//! followed account with a known username and no verified address yet, search the user's
//! instance (and, with `--reverse-on HOST`, other instances' public search) for accounts by
//! that username and display name, and accept an account only when its own profile names the
//! Twitter account ([`backlink`]).
//!
//! | file | holds |
//! |---|---|
//! | `backlink.rs` | the proof rule (pure) |
//! | `html.rs` | bio and field HTML → text and links (pure) |
//! | `query.rs` | which searches to make for whom, and what they cost (pure) |
//! | `search.rs` | making them: paced, cached, resumable (I/O) |
//! | `attach.rs` | the results joined to the accounts and their verification (pure) |
//!
//! What account search matches decides the query shapes. Mastodon's `AccountSearchService`
//! (`/api/v2/search?type=accounts`): without Elasticsearch, a prefix match of the query's
//! words against username, display name and domain (PostgreSQL `to_tsquery(... ':*')`); with
//! Elasticsearch, username and display name, plus the plain text of the bio of accounts that
//! opted into discovery (`searchable_text`: the note only, not the fields). Both search only
//! accounts the instance already knows (local ones, and remote ones it has seen), and only
//! `resolve=true` (never used here) fetches new ones. So: one search by username (it finds
//! the account named alike on any server, and on a full-text server every discoverable bio
//! with that word: "Twitter: @name"), one per past username, one by display name when it
//! differs. A query shaped like a link (`twitter.com/name`) finds nothing more: without
//! Elasticsearch it matches no name, with it the username search already matched the word.

pub mod attach;
pub mod backlink;
mod html;
pub mod query;
pub mod search;

use serde::{Deserialize, Serialize};

pub use backlink::{Verdict, Wanted};
pub use query::Plan;

/// A fediverse account as a search returned it, with the parts the proof rule reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FediAccount {
    /// `user@domain`, always with the domain (local accounts get their instance's).
    pub acct: String,
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    /// The bio, as HTML.
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub fields: Vec<ProfileField>,
    /// The profile page.
    #[serde(default)]
    pub url: Option<String>,
}

/// A profile field: a name, a value (HTML), and whether the server verified its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileField {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub verified_at: Option<String>,
}

impl FediAccount {
    /// From the API's account; `domain` completes a local account's bare `acct`.
    pub fn from_api(account: &crate::fedi::Account, domain: &str) -> Self {
        let acct = if account.acct.contains('@') {
            account.acct.clone()
        } else {
            format!("{}@{domain}", account.acct)
        };
        Self {
            acct,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            note: account.note.clone(),
            fields: account
                .fields
                .iter()
                .map(|f| ProfileField {
                    name: f.name.clone(),
                    value: f.value.clone(),
                    verified_at: f.verified_at.clone(),
                })
                .collect(),
            url: account.url.clone(),
        }
    }
}
