//! Lists: the user's lists, creating one, and putting accounts in it. (Mastodon only lets
//! accounts the user follows into a list; the server's 422 says so when that is not the case.)

use reqwest::Method;

use super::accounts::{RELATIONSHIPS_BATCH, segment};
use super::client::Client;
use super::error::Error;
use super::types::{Account, List};

/// Options of a new list; `None` keeps the server's default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListOptions {
    /// `followed`, `list` or `none`: whose replies show in the list.
    pub replies_policy: Option<String>,
    /// Hide the list's members' posts from the home timeline (Mastodon 4.2+).
    pub exclusive: Option<bool>,
}

impl Client {
    /// The user's lists.
    pub async fn lists(&self) -> Result<Vec<List>, Error> {
        let call = self.call(Method::GET, "/api/v1/lists");
        self.json(call, "lists").await
    }

    /// Creates a list. Not retried after an unclear failure (it could create two).
    pub async fn create_list(&self, title: &str, options: &ListOptions) -> Result<List, Error> {
        let mut form = vec![("title".to_string(), title.to_string())];
        if let Some(policy) = &options.replies_policy {
            form.push(("replies_policy".to_string(), policy.clone()));
        }
        if let Some(exclusive) = options.exclusive {
            form.push(("exclusive".to_string(), exclusive.to_string()));
        }
        let call = self.call(Method::POST, "/api/v1/lists").form(form);
        self.json(call, "a list").await
    }

    /// Every account in a list.
    pub async fn list_accounts(&self, list_id: &str) -> Result<Vec<Account>, Error> {
        let path = format!("/api/v1/lists/{}/accounts", segment(list_id));
        let call = self.call(Method::GET, &path).query("limit", "80");
        self.all_pages(call).await
    }

    /// Adds accounts to a list, in batches.
    pub async fn add_to_list(&self, list_id: &str, account_ids: &[String]) -> Result<(), Error> {
        let path = format!("/api/v1/lists/{}/accounts", segment(list_id));
        for batch in account_ids.chunks(RELATIONSHIPS_BATCH) {
            let form = batch
                .iter()
                .map(|id| ("account_ids[]".to_string(), id.clone()))
                .collect();
            let call = self.call(Method::POST, &path).form(form);
            self.fetch(call).await?;
        }
        Ok(())
    }
}
