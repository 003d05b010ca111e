//! Accounts and relationships: who the user is, finding an account by handle, how the user
//! relates to accounts, and acting on them (follow, unfollow, block, mute), plus the user's
//! own following list, page by page.

use reqwest::Method;
use url::Url;

use super::client::Client;
use super::error::Error;
use super::pagination::{Page, parse_link};
use super::retry::Repeat;
use super::types::{Account, Relationship, SearchResults};
use crate::discover::Handle;

/// Options of a follow; `None` keeps the server's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FollowOptions {
    /// Show their boosts in the home timeline (server default: yes).
    pub reblogs: Option<bool>,
    /// Notify on each of their posts (server default: no).
    pub notify: Option<bool>,
    /// Only show posts in these languages (ISO 639-1); empty: all.
    pub languages: Vec<String>,
}

/// Options of a mute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MuteOptions {
    /// Also mute their notifications (server default: yes).
    pub notifications: Option<bool>,
    /// Seconds until the mute ends; `None`: forever.
    pub duration: Option<u64>,
}

/// How many ids go in one relationships request.
pub const RELATIONSHIPS_BATCH: usize = 40;

/// Accounts per page of the following list (Mastodon's maximum).
pub const FOLLOWING_PAGE: u32 = 80;

/// True when an account's `acct` names `handle`: `user@host` as the same [`Handle`] (so case
/// and IDN spelling do not matter), or a bare `user` (a local account) when the handle's host
/// is one of the instance's own domains.
fn acct_names(handle: &Handle, acct: &str, local_domains: &[&str]) -> bool {
    if acct.contains('@') {
        return acct.parse::<Handle>().is_ok_and(|other| other == *handle);
    }
    acct.eq_ignore_ascii_case(handle.user())
        && local_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(handle.host()))
}

impl Client {
    /// The logged-in account (`GET /api/v1/accounts/verify_credentials`).
    pub async fn verify_credentials(&self) -> Result<Account, Error> {
        let call = self.call(Method::GET, "/api/v1/accounts/verify_credentials");
        self.json(call, "an account").await
    }

    /// An account by id.
    pub async fn account(&self, id: &str) -> Result<Account, Error> {
        let call = self.call(Method::GET, &format!("/api/v1/accounts/{}", segment(id)));
        self.json(call, "an account").await
    }

    /// An account the instance already knows, by `user@host` (no WebFinger; `None` if unknown).
    pub async fn lookup(&self, acct: &str) -> Result<Option<Account>, Error> {
        let call = self
            .call(Method::GET, "/api/v1/accounts/lookup")
            .query("acct", acct.trim_start_matches('@'));
        match self.json(call, "an account").await {
            Err(err) if err.is_not_found() => Ok(None),
            other => other.map(Some),
        }
    }

    /// Finds the account with handle `user@host`, letting the instance fetch it from its
    /// server if it does not know it yet (`GET /api/v2/search?resolve=true`). `None` when the
    /// instance finds no account with exactly that handle.
    pub async fn resolve(&self, handle: &Handle) -> Result<Option<Account>, Error> {
        let call = self
            .call(Method::GET, "/api/v2/search")
            .query("q", format!("@{handle}"))
            .query("type", "accounts")
            .query("resolve", "true")
            .query("limit", "5");
        let found: SearchResults = self.json(call, "search results").await?;
        let own_host = self.instance().host().to_string();
        if let Some(hit) = found
            .accounts
            .iter()
            .find(|a| acct_names(handle, &a.acct, &[&own_host]))
        {
            return Ok(Some(hit.clone()));
        }
        let local_candidate = found.accounts.iter().any(|a| !a.acct.contains('@'));
        if !local_candidate {
            return Ok(None);
        }
        let domain = self.local_domain().await?;
        Ok(found
            .accounts
            .into_iter()
            .find(|a| acct_names(handle, &a.acct, &[&own_host, &domain])))
    }

    /// Accounts the instance knows that match `query` (`GET /api/v2/search?type=accounts`,
    /// no remote lookup): what `find --reverse` reads. `anonymous` sends no token (the public
    /// search of an instance the user has no login on).
    pub async fn search_accounts(
        &self,
        query: &str,
        limit: u32,
        anonymous: bool,
    ) -> Result<Vec<Account>, Error> {
        let mut call = self
            .call(Method::GET, "/api/v2/search")
            .query("q", query)
            .query("type", "accounts")
            .query("resolve", "false")
            .query("limit", limit.to_string());
        if anonymous {
            call = call.anonymous();
        }
        let found: SearchResults = self.json(call, "search results").await?;
        Ok(found.accounts)
    }

    /// Relationships with the accounts `ids`, asked in batches.
    pub async fn relationships(&self, ids: &[String]) -> Result<Vec<Relationship>, Error> {
        let mut all = Vec::with_capacity(ids.len());
        for batch in ids.chunks(RELATIONSHIPS_BATCH) {
            let mut call = self.call(Method::GET, "/api/v1/accounts/relationships");
            for id in batch {
                call = call.query("id[]", id.clone());
            }
            let some: Vec<Relationship> = self.json(call, "relationships").await?;
            all.extend(some);
        }
        Ok(all)
    }

    /// Follows an account. A locked account answers with `requested: true`. Following twice
    /// is harmless, so this is retried after failures that may pass.
    pub async fn follow(&self, id: &str, options: &FollowOptions) -> Result<Relationship, Error> {
        let mut form = Vec::new();
        if let Some(reblogs) = options.reblogs {
            form.push(("reblogs".to_string(), reblogs.to_string()));
        }
        if let Some(notify) = options.notify {
            form.push(("notify".to_string(), notify.to_string()));
        }
        for language in &options.languages {
            form.push(("languages[]".to_string(), language.clone()));
        }
        self.account_action(id, "follow", form).await
    }

    /// Stops following (or cancels a follow request).
    pub async fn unfollow(&self, id: &str) -> Result<Relationship, Error> {
        self.account_action(id, "unfollow", Vec::new()).await
    }

    /// Blocks an account.
    pub async fn block(&self, id: &str) -> Result<Relationship, Error> {
        self.account_action(id, "block", Vec::new()).await
    }

    /// Stops blocking an account.
    pub async fn unblock(&self, id: &str) -> Result<Relationship, Error> {
        self.account_action(id, "unblock", Vec::new()).await
    }

    /// Stops muting an account.
    pub async fn unmute(&self, id: &str) -> Result<Relationship, Error> {
        self.account_action(id, "unmute", Vec::new()).await
    }

    /// Mutes an account.
    pub async fn mute(&self, id: &str, options: &MuteOptions) -> Result<Relationship, Error> {
        let mut form = Vec::new();
        if let Some(notifications) = options.notifications {
            form.push(("notifications".to_string(), notifications.to_string()));
        }
        if let Some(duration) = options.duration {
            form.push(("duration".to_string(), duration.to_string()));
        }
        self.account_action(id, "mute", form).await
    }

    /// `POST /api/v1/accounts/:id/:action`; these actions are idempotent.
    async fn account_action(
        &self,
        id: &str,
        action: &str,
        form: Vec<(String, String)>,
    ) -> Result<Relationship, Error> {
        let path = format!("/api/v1/accounts/{}/{action}", segment(id));
        let call = self
            .call(Method::POST, &path)
            .repeat(Repeat::Safe)
            .form(form);
        self.json(call, "a relationship").await
    }

    /// The first page of the accounts `account_id` follows.
    pub async fn following(&self, account_id: &str) -> Result<Page<Account>, Error> {
        let path = format!("/api/v1/accounts/{}/following", segment(account_id));
        let call = self
            .call(Method::GET, &path)
            .query("limit", FOLLOWING_PAGE.to_string());
        self.page(call).await
    }

    /// The page a `Link` header pointed to, followed verbatim (it must stay on the instance).
    pub async fn next_page(&self, url: &Url) -> Result<Page<Account>, Error> {
        let call = self.call_url(Method::GET, url.clone(), Repeat::Safe);
        self.page(call).await
    }

    /// Every account `account_id` follows, following `Link` headers to the end.
    pub async fn all_following(&self, account_id: &str) -> Result<Vec<Account>, Error> {
        let path = format!("/api/v1/accounts/{}/following", segment(account_id));
        let call = self
            .call(Method::GET, &path)
            .query("limit", FOLLOWING_PAGE.to_string());
        self.all_pages(call).await
    }

    /// Every account of a paged list (`Link` headers followed to the end), from its first
    /// page's call.
    pub(super) async fn all_pages(&self, call: super::client::Call) -> Result<Vec<Account>, Error> {
        let mut page = self.page(call).await?;
        let mut all = std::mem::take(&mut page.items);
        while let Some(next) = page.next.take() {
            page = self.next_page(&next).await?;
            if page.items.is_empty() {
                break;
            }
            all.append(&mut page.items);
        }
        Ok(all)
    }

    async fn page(&self, call: super::client::Call) -> Result<Page<Account>, Error> {
        let url = call.url.clone();
        let fetched = self.fetch(call).await?;
        let items: Vec<Account> = self.decode(&fetched, "a list of accounts")?;
        let links = fetched
            .header("link")
            .map(|header| parse_link(header, &url))
            .unwrap_or_default();
        for target in links.next.iter().chain(links.prev.iter()) {
            if !self.instance().same_origin(target) {
                return Err(Error::ForeignLink {
                    host: self.host().to_string(),
                    target: target.origin().ascii_serialization(),
                });
            }
        }
        Ok(Page {
            items,
            next: links.next,
            prev: links.prev,
        })
    }
}

/// An id as one path segment (ids are digits on Mastodon, but a hostile answer could hold `/`).
pub(crate) fn segment(id: &str) -> String {
    url::form_urlencoded::byte_serialize(id.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_acct_forms() {
        let handle: Handle = "@Alice@Mastodon.Example".parse().unwrap();
        let local = ["mastodon.example"];
        assert!(acct_names(&handle, "alice@mastodon.example", &local));
        assert!(acct_names(&handle, "ALICE@Mastodon.Example", &[]));
        assert!(
            acct_names(&handle, "Alice", &local),
            "local accounts have a bare acct"
        );
        assert!(!acct_names(&handle, "alice", &["other.example"]));
        assert!(!acct_names(&handle, "alice2@mastodon.example", &local));
        assert!(!acct_names(&handle, "alice@mastodon.example.evil", &local));
        assert!(!acct_names(&handle, "not a handle@x", &local));
    }

    #[test]
    fn an_idn_host_matches_in_either_spelling() {
        let handle: Handle = "a@bücher.example".parse().unwrap();
        assert!(acct_names(&handle, "a@xn--bcher-kva.example", &[]));
        assert!(acct_names(&handle, "A@Bücher.example", &[]));
    }

    #[test]
    fn ids_stay_one_segment() {
        assert_eq!(segment("117020457624302809"), "117020457624302809");
        assert_eq!(segment("../x"), "..%2Fx");
    }
}
