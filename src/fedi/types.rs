//! The API's values, as typed structs. Tolerant on purpose: unknown fields are ignored, optional
//! ones may be missing (GoToSocial, Pleroma and old Mastodons leave out different fields), and
//! ids are accepted as strings or numbers.

use serde::{Deserialize, Deserializer, Serialize};

use super::secret::Secret;

/// An account (`Account` entity).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Account {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub username: String,
    /// `user` for local accounts, `user@host` for remote ones.
    pub acct: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub locked: bool,
    #[serde(default)]
    pub bot: bool,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub followers_count: u64,
    #[serde(default)]
    pub following_count: u64,
    #[serde(default)]
    pub statuses_count: u64,
    /// Set when the account moved elsewhere.
    #[serde(default)]
    pub moved: Option<Box<Account>>,
    /// The bio, as HTML.
    #[serde(default, deserialize_with = "null_as_default")]
    pub note: String,
    /// The profile's name–value fields (values as HTML).
    #[serde(default, deserialize_with = "null_as_default")]
    pub fields: Vec<ProfileField>,
}

/// A profile field (`Field` entity): a name, a value (HTML) and, when the server checked
/// that the linked page links back (`rel="me"`), when it did.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ProfileField {
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub value: String,
    #[serde(default)]
    pub verified_at: Option<String>,
}

/// `null` read as the type's default (servers send `"note": null` now and then).
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// How the user relates to an account (`Relationship` entity).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct Relationship {
    #[serde(deserialize_with = "id")]
    pub id: String,
    pub following: bool,
    /// A follow request is pending (the account is locked).
    pub requested: bool,
    pub showing_reblogs: bool,
    pub notifying: bool,
    pub languages: Option<Vec<String>>,
    pub followed_by: bool,
    pub blocking: bool,
    pub blocked_by: bool,
    pub muting: bool,
    pub muting_notifications: bool,
    pub domain_blocking: bool,
}

/// A list of accounts (`List` entity).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct List {
    #[serde(deserialize_with = "id")]
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub replies_policy: Option<String>,
    #[serde(default)]
    pub exclusive: Option<bool>,
}

/// An uploaded file (`MediaAttachment` entity). `url` is empty while the server processes it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct MediaAttachment {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub preview_url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// A post (`Status` entity), with the fields the tool uses.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Status {
    #[serde(deserialize_with = "id")]
    pub id: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default, deserialize_with = "opt_id")]
    pub in_reply_to_id: Option<String>,
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub spoiler_text: String,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub media_attachments: Vec<MediaAttachment>,
    /// The text as written (GoToSocial sends it for one's own posts; Mastodon only after a
    /// delete).
    #[serde(default)]
    pub text: Option<String>,
}

/// A post waiting for its time (`ScheduledStatus` entity).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct ScheduledStatus {
    #[serde(deserialize_with = "id")]
    pub id: String,
    pub scheduled_at: String,
    #[serde(default)]
    pub media_attachments: Vec<MediaAttachment>,
}

/// What creating a status returned: the post, or a scheduled post when `scheduled_at` was in
/// the future.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Posted {
    Status(Box<Status>),
    Scheduled(ScheduledStatus),
}

impl Posted {
    /// The id of the status or scheduled status.
    pub fn id(&self) -> &str {
        match self {
            Posted::Status(status) => &status.id,
            Posted::Scheduled(scheduled) => &scheduled.id,
        }
    }
}

/// Who may see a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }
}

/// `GET /api/v2/search` results; only accounts are used.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchResults {
    #[serde(default)]
    pub accounts: Vec<Account>,
}

/// An app registered with `POST /api/v1/apps`.
#[derive(Debug, Clone, Deserialize)]
pub struct RegisteredApp {
    pub client_id: String,
    pub client_secret: Secret,
}

/// The answer of `POST /oauth/token`.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenGrant {
    pub access_token: Secret,
    /// The scopes granted, space-separated (may be narrower than asked).
    #[serde(default)]
    pub scope: Option<String>,
}

/// Accepts `"123"` or `123`.
fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(match Id::deserialize(deserializer)? {
        Id::Text(text) => text,
        Id::Number(number) => number.to_string(),
    })
}

/// Like [`id`], also `null`.
fn opt_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(Option::<Id>::deserialize(deserializer)?.map(|id| match id {
        Id::Text(text) => text,
        Id::Number(number) => number.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_minimal_account_and_numeric_ids() {
        let account: Account =
            serde_json::from_str(r#"{"id": 42, "acct": "bob@remote.example", "extra": [1]}"#)
                .unwrap();
        assert_eq!(account.id, "42");
        assert_eq!(account.acct, "bob@remote.example");
        assert!(!account.locked);
    }

    #[test]
    fn reads_a_mastodon_relationship() {
        let text = r#"{"id":"117","following":true,"showing_reblogs":true,"notifying":false,
            "languages":null,"followed_by":false,"blocking":false,"blocked_by":false,
            "muting":false,"muting_notifications":false,"muting_expires_at":null,
            "requested":false,"requested_by":false,"domain_blocking":false,"endorsed":false,
            "note":""}"#;
        let rel: Relationship = serde_json::from_str(text).unwrap();
        assert!(rel.following && rel.showing_reblogs && !rel.requested);
        assert_eq!(rel.languages, None);
    }

    #[test]
    fn reads_a_status_with_nulls() {
        let text = r#"{"id":"9","created_at":"2026-08-01T13:53:13.203Z","in_reply_to_id":null,
            "visibility":"unlisted","uri":"u","url":null,"content":"<p>hi</p>",
            "media_attachments":[{"id":"5","type":"image","url":null}]}"#;
        let status: Status = serde_json::from_str(text).unwrap();
        assert_eq!(status.in_reply_to_id, None);
        assert_eq!(status.media_attachments[0].url, None);
        let reply: Status = serde_json::from_str(r#"{"id":"10","in_reply_to_id":9}"#).unwrap();
        assert_eq!(reply.in_reply_to_id.as_deref(), Some("9"));
    }
}
