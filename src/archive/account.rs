//! The archive's owner: id, current username, display name and past usernames.
//!
//! Sources, most authoritative first: `manifest.js` `userInfo` (written at export time),
//! `account.js`, `screen-name-change.js` (every rename, so self-replies and mentions of the
//! owner's old names can be recognised), and Grailbird's `data/js/user_details.js`.

use serde::{Deserialize, Serialize};

use super::de;
use super::manifest::UserInfo;

/// The owner of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The numeric account id, as text.
    pub id: String,
    /// The username (screen name) at export time, without `@`.
    pub username: String,
    /// The display name at export time.
    pub display_name: String,
    /// Earlier usernames, oldest first, without the current one.
    pub past_usernames: Vec<String>,
}

/// `account.js` record (`{"account": {…}}`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AccountRecord {
    #[serde(default, deserialize_with = "de::id")]
    pub account_id: Option<String>,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub account_display_name: Option<String>,
}

/// `screen-name-change.js` record (`{"screenNameChange": {…}}`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NameChangeRecord {
    pub screen_name_change: NameChange,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NameChange {
    #[serde(default)]
    pub changed_at: Option<String>,
    #[serde(default)]
    pub changed_from: Option<String>,
    #[serde(default)]
    pub changed_to: Option<String>,
}

/// Grailbird `user_details.js`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct UserDetails {
    #[serde(default, deserialize_with = "de::id")]
    pub id: Option<String>,
    #[serde(default)]
    pub screen_name: Option<String>,
    #[serde(default)]
    pub full_name: Option<String>,
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    /// The website, expanded (`url` is its t.co form).
    #[serde(default)]
    pub expanded_url: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

/// Everything found about the owner, before merging.
#[derive(Debug, Default)]
pub(crate) struct Evidence {
    pub manifest: Option<UserInfo>,
    pub account: Option<AccountRecord>,
    pub changes: Vec<NameChange>,
    pub details: Option<UserDetails>,
}

impl Evidence {
    /// Merges the evidence; `None` when neither an id nor a username is known.
    pub fn merge(mut self) -> Option<Account> {
        let m = self.manifest.take().unwrap_or_default();
        let a = self.account.take().unwrap_or_default();
        let d = self.details.take().unwrap_or_default();
        self.changes.sort_by(|x, y| x.changed_at.cmp(&y.changed_at));
        let last_rename = self.changes.last().and_then(|c| c.changed_to.clone());
        let id = m.account_id.or(a.account_id).or(d.id);
        let username = m
            .user_name
            .or_else(|| a.username.clone())
            .or(last_rename)
            .or(d.screen_name)?;
        let display_name = m
            .display_name
            .or(a.account_display_name)
            .or(d.full_name)
            .unwrap_or_else(|| username.clone());
        let mut names: Vec<String> = Vec::new();
        for change in &self.changes {
            names.extend(change.changed_from.iter().cloned());
            names.extend(change.changed_to.iter().cloned());
        }
        names.extend(a.username);
        let past_usernames = past(names, &username);
        Some(Account {
            id: id.unwrap_or_default(),
            username,
            display_name,
            past_usernames,
        })
    }
}

/// Distinct names other than `current`, in first-seen order, compared without case.
fn past(names: Vec<String>, current: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let name = name.trim().trim_start_matches('@').to_string();
        if name.is_empty() || name.eq_ignore_ascii_case(current) {
            continue;
        }
        if !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(at: &str, from: &str, to: &str) -> NameChange {
        NameChange {
            changed_at: Some(at.into()),
            changed_from: Some(from.into()),
            changed_to: Some(to.into()),
        }
    }

    #[test]
    fn the_manifest_wins_and_renames_become_past_usernames() {
        let evidence = Evidence {
            manifest: Some(UserInfo {
                account_id: Some("759252279862104064".into()),
                user_name: Some("Ergo_Platform".into()),
                display_name: Some("Ergo".into()),
            }),
            account: Some(AccountRecord {
                account_id: Some("759252279862104064".into()),
                username: Some("eth_classic".into()),
                account_display_name: Some("Ethereum Classic".into()),
            }),
            changes: vec![
                change("2022-10-06T14:23:16.000Z", "eth_classic", "Ergo_Platform"),
                change("2016-07-30T05:02:18.000Z", "ChucksrqClassic", "eth_classic"),
            ],
            details: None,
        };
        let account = evidence.merge().unwrap();
        assert_eq!(account.username, "Ergo_Platform");
        assert_eq!(account.display_name, "Ergo");
        assert_eq!(account.past_usernames, ["ChucksrqClassic", "eth_classic"]);
    }

    #[test]
    fn grailbird_details_are_enough() {
        let evidence = Evidence {
            details: Some(UserDetails {
                id: Some("3052317647".into()),
                screen_name: Some("sixworderbot".into()),
                full_name: Some("Six-Worder Bot".into()),
                ..UserDetails::default()
            }),
            ..Evidence::default()
        };
        let account = evidence.merge().unwrap();
        assert_eq!(account.id, "3052317647");
        assert!(account.past_usernames.is_empty());
    }

    #[test]
    fn no_evidence_no_account() {
        assert!(Evidence::default().merge().is_none());
    }
}
