//! What the fake instance holds: accounts, apps, codes and tokens, follows, blocks, mutes,
//! lists, media and statuses. Plain data with public fields, so tests can assert on a
//! snapshot ([`FakeMastodon::state`](super::FakeMastodon::state)).

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use super::Flavour;
use super::limits::{Family, Window};

/// An account the instance knows (or can fetch, when `resolvable`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRec {
    pub id: String,
    pub username: String,
    /// `None` for local accounts.
    pub domain: Option<String>,
    pub display_name: String,
    pub locked: bool,
    /// The instance has seen this account (remote accounts start unknown and become known
    /// through a search with `resolve=true`).
    pub known: bool,
}

/// A registered app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppRec {
    pub id: String,
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    pub scopes: String,
    pub redirect_uri: String,
}

/// An authorisation code shown on the OOB page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeRec {
    pub code: String,
    pub client_id: String,
    pub account_id: String,
    pub scopes: String,
    pub used: bool,
}

/// An access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRec {
    pub token: String,
    pub account_id: String,
    pub scopes: String,
    /// `None` for tokens made in the web UI ("Development").
    pub client_id: Option<String>,
    pub revoked: bool,
}

/// A follow (or a follow request to a locked account).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowRec {
    /// The internal id Mastodon paginates following lists by (not an account id).
    pub follow_id: u64,
    pub follower: String,
    pub target: String,
    pub requested: bool,
    pub reblogs: bool,
    pub notify: bool,
    pub languages: Option<Vec<String>>,
}

/// A mute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuteRec {
    pub muter: String,
    pub target: String,
    pub notifications: bool,
}

/// A list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRec {
    pub id: String,
    pub owner: String,
    pub title: String,
    pub accounts: Vec<String>,
}

/// An upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRec {
    pub id: String,
    pub owner: String,
    pub kind: String,
    pub mime: String,
    pub file_name: String,
    pub size: usize,
    pub description: Option<String>,
    pub focus: Option<String>,
    /// Polls still answered "processing" (206).
    pub polls_left: u32,
    pub attached: bool,
}

/// A post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRec {
    pub id: String,
    pub account_id: String,
    pub text: String,
    pub spoiler_text: String,
    pub visibility: String,
    pub sensitive: bool,
    pub language: Option<String>,
    pub in_reply_to_id: Option<String>,
    pub media_ids: Vec<String>,
    pub created_at: SystemTime,
    /// Created with a past `scheduled_at` on a server that backdates (GoToSocial).
    pub backdated: bool,
    /// Waiting for a future `scheduled_at`.
    pub scheduled_for: Option<SystemTime>,
    pub idempotency_key: Option<String>,
}

/// A forced refusal queued by a test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Forced {
    /// 429 with rate-limit headers resetting after this long.
    TooMany(Duration),
    /// 503 with `Retry-After: secs` (GoToSocial's throttling).
    Busy(u64),
}

/// Everything the fake instance holds.
#[derive(Debug, Clone)]
pub struct State {
    pub flavour: Flavour,
    pub domain: String,
    pub version: String,
    pub accounts: Vec<AccountRec>,
    pub apps: Vec<AppRec>,
    pub codes: Vec<CodeRec>,
    pub tokens: Vec<TokenRec>,
    pub follows: Vec<FollowRec>,
    pub blocks: Vec<(String, String)>,
    pub mutes: Vec<MuteRec>,
    pub lists: Vec<ListRec>,
    pub media: Vec<MediaRec>,
    pub statuses: Vec<StatusRec>,
    /// Requests refused with 429 or a throttling 503.
    pub refused: u32,
    /// Every refusal: (method, path, status).
    pub refusals: Vec<(String, String, u16)>,
    /// The account logged in "in the browser" (who approves on `/oauth/authorize`).
    pub browser_user: Option<String>,
    /// How many polls of a video stay "processing".
    pub processing_polls: u32,
    pub max_characters: usize,
    pub max_media: usize,
    pub image_size_limit: usize,
    pub limits: BTreeMap<Family, Window>,
    pub(crate) counters: HashMap<(Family, String, u64), u32>,
    pub(crate) forced: VecDeque<Forced>,
    pub(crate) idempotency: HashMap<(String, String), String>,
    next_id: u64,
    next_follow_id: u64,
    serial: u64,
}

impl State {
    pub(crate) fn new(flavour: Flavour, domain: &str, version: &str) -> Self {
        Self {
            flavour,
            domain: domain.to_string(),
            version: version.to_string(),
            accounts: Vec::new(),
            apps: Vec::new(),
            codes: Vec::new(),
            tokens: Vec::new(),
            follows: Vec::new(),
            blocks: Vec::new(),
            mutes: Vec::new(),
            lists: Vec::new(),
            media: Vec::new(),
            statuses: Vec::new(),
            refused: 0,
            refusals: Vec::new(),
            browser_user: None,
            processing_polls: 2,
            max_characters: flavour.max_characters(),
            max_media: flavour.max_media(),
            image_size_limit: 16 * 1024 * 1024,
            limits: flavour.default_limits(),
            counters: HashMap::new(),
            forced: VecDeque::new(),
            idempotency: HashMap::new(),
            next_id: 109_000_000_000_000_000,
            next_follow_id: 500,
            serial: 0,
        }
    }

    /// A fresh snowflake-like id.
    pub(crate) fn id(&mut self) -> String {
        self.next_id += 1_000_003;
        self.next_id.to_string()
    }

    pub(crate) fn follow_id(&mut self) -> u64 {
        self.next_follow_id += 7;
        self.next_follow_id
    }

    /// A fresh unguessable-looking secret with a prefix (`fvtok_…`).
    pub(crate) fn secret(&mut self, prefix: &str) -> String {
        use std::hash::{BuildHasher, Hasher};
        self.serial += 1;
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(self.serial);
        format!("{prefix}_{:016x}{:04x}", hasher.finish(), self.serial)
    }

    pub fn account(&self, id: &str) -> Option<&AccountRec> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The account with `username` on `domain` (`None` = local), any case.
    pub fn account_by_name(&self, username: &str, domain: Option<&str>) -> Option<&AccountRec> {
        let local = domain.is_none_or(|d| d.eq_ignore_ascii_case(&self.domain));
        self.accounts.iter().find(|a| {
            a.username.eq_ignore_ascii_case(username)
                && match (&a.domain, local) {
                    (None, true) => true,
                    (Some(own), false) => domain.is_some_and(|d| own.eq_ignore_ascii_case(d)),
                    _ => false,
                }
        })
    }

    /// The live token record for a bearer token.
    pub fn token(&self, token: &str) -> Option<&TokenRec> {
        self.tokens.iter().find(|t| t.token == token && !t.revoked)
    }

    /// The follow of `target` by `follower`.
    pub fn follow(&self, follower: &str, target: &str) -> Option<&FollowRec> {
        self.follows
            .iter()
            .find(|f| f.follower == follower && f.target == target)
    }

    /// The status with this id.
    pub fn status(&self, id: &str) -> Option<&StatusRec> {
        self.statuses.iter().find(|s| s.id == id)
    }
}
