//! What the fake instance holds: accounts, apps, codes and tokens, follows, blocks, mutes,
//! lists, media, statuses, idempotency keys and the follow cap. Plain data with public fields,
//! so tests can assert on a snapshot ([`FakeMastodon::state`](super::FakeMastodon::state)).
//! Never answers requests (the handlers in the sibling modules do).

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
    /// The id of the account this one moved to (rendered as `"moved": {…}`).
    pub moved_to: Option<String>,
    /// Added to the followers the instance holds (a test's stand-in for many followers).
    pub extra_followers: u64,
    /// Added to the follows the instance holds.
    pub extra_following: u64,
    /// The bio, as HTML (`note`).
    pub note: String,
    /// Profile fields: name, value (HTML), and when the link was verified.
    pub fields: Vec<FieldRec>,
    /// Opted into discovery: a full-text search reads its bio (Mastodon's `searchable_text`).
    pub discoverable: bool,
}

/// A profile field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRec {
    pub name: String,
    pub value: String,
    pub verified_at: Option<String>,
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

/// A block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockRec {
    /// The internal id Mastodon pages `GET /api/v1/blocks` by (not an account id).
    pub block_id: u64,
    pub blocker: String,
    pub target: String,
}

/// A mute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MuteRec {
    /// The internal id Mastodon pages `GET /api/v1/mutes` by (not an account id).
    pub mute_id: u64,
    pub muter: String,
    pub target: String,
    pub notifications: bool,
    /// The `duration` asked for, in seconds (`None`: absent or 0, i.e. indefinite).
    pub expires_in: Option<u64>,
    pub expires_at: Option<SystemTime>,
}

impl MuteRec {
    /// Still in force at `now` (Mastodon treats an expired mute as none).
    pub fn active(&self, now: SystemTime) -> bool {
        self.expires_at.is_none_or(|at| at > now)
    }
}

/// Mastodon's `FollowLimitValidator`: whoever follows `limit` or more accounts may follow at
/// most `max(round(followers × ratio), limit)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FollowLimit {
    pub limit: u64,
    pub ratio: f64,
}

impl FollowLimit {
    /// Mastodon's defaults (`MAX_FOLLOWS_THRESHOLD`, `MAX_FOLLOWS_RATIO`).
    pub const MASTODON: FollowLimit = FollowLimit {
        limit: 7_500,
        ratio: 1.1,
    };

    /// The most accounts someone with these counts may follow (`limit_for_account`).
    pub fn allowed(&self, following: u64, followers: u64) -> u64 {
        if following < self.limit {
            return self.limit;
        }
        ((followers as f64 * self.ratio).round() as u64).max(self.limit)
    }

    /// True when one more follow would break the cap (`limit_reached?`).
    pub fn reached(&self, following: u64, followers: u64) -> bool {
        following >= self.allowed(following, followers)
    }
}

/// A remembered `Idempotency-Key`: the status it created, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyRec {
    pub status_id: String,
    pub at: SystemTime,
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
    pub blocks: Vec<BlockRec>,
    pub mutes: Vec<MuteRec>,
    pub lists: Vec<ListRec>,
    pub media: Vec<MediaRec>,
    pub statuses: Vec<StatusRec>,
    /// Statuses deleted through the API, in order.
    pub deleted_statuses: Vec<StatusRec>,
    /// Requests refused with 429 or a throttling 503.
    pub refused: u32,
    /// Follow requests carried out (the answer may have been lost), per target account id:
    /// more than one means a client followed twice.
    pub follow_calls: BTreeMap<String, u32>,
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
    /// The follow cap (`None`: no cap, as on GoToSocial and Pleroma here).
    pub follow_limit: Option<FollowLimit>,
    /// How long an `Idempotency-Key` is remembered (Mastodon: one hour from the post).
    pub idempotency_ttl: Duration,
    pub(crate) counters: HashMap<(Family, String, u64), u32>,
    pub(crate) forced: VecDeque<Forced>,
    /// `(account id, key)` → the post it made. Keyed by account as Mastodon does, so a new
    /// token of the same user replays too.
    pub(crate) idempotency: HashMap<(String, String), KeyRec>,
    next_id: u64,
    next_record_id: u64,
    serial: u64,
    /// Account search also reads discoverable accounts' bios (Mastodon with Elasticsearch);
    /// without it, usernames and display names only (Mastodon's database search).
    pub full_text_search: bool,
    /// Searches without a token are answered (stock Mastodon); `false` refuses them with 401
    /// (GoToSocial, and instances that close their public search).
    pub public_search: bool,
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
            deleted_statuses: Vec::new(),
            refused: 0,
            follow_calls: BTreeMap::new(),
            refusals: Vec::new(),
            browser_user: None,
            processing_polls: 2,
            max_characters: flavour.max_characters(),
            max_media: flavour.max_media(),
            image_size_limit: 16 * 1024 * 1024,
            limits: flavour.default_limits(),
            follow_limit: (flavour == Flavour::Mastodon).then_some(FollowLimit::MASTODON),
            idempotency_ttl: Duration::from_secs(3600),
            counters: HashMap::new(),
            forced: VecDeque::new(),
            idempotency: HashMap::new(),
            next_id: 109_000_000_000_000_000,
            next_record_id: 500,
            serial: 0,
            full_text_search: false,
            public_search: flavour == Flavour::Mastodon,
        }
    }

    /// A fresh snowflake-like id.
    pub(crate) fn id(&mut self) -> String {
        self.next_id += 1_000_003;
        self.next_id.to_string()
    }

    /// A fresh status id. GoToSocial's sort by the post's date (ULIDs made from it), so a
    /// backdated post gets an old id; elsewhere ids grow with time.
    pub(crate) fn status_id(&mut self, created_at: SystemTime) -> String {
        if self.flavour != Flavour::GoToSocial {
            return self.id();
        }
        self.serial += 1;
        let millis = created_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        format!("{millis:013}{:06}", self.serial % 1_000_000)
    }

    /// A fresh internal id for a follow, block or mute (what their lists page by).
    pub(crate) fn record_id(&mut self) -> u64 {
        self.next_record_id += 7;
        self.next_record_id
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

    /// True when `blocker` blocks `target`.
    pub fn blocking(&self, blocker: &str, target: &str) -> bool {
        self.blocks
            .iter()
            .any(|b| b.blocker == blocker && b.target == target)
    }

    /// The mute of `target` by `muter` in force at `now`.
    pub fn mute(&self, muter: &str, target: &str, now: SystemTime) -> Option<&MuteRec> {
        self.mutes
            .iter()
            .find(|m| m.muter == muter && m.target == target && m.active(now))
    }

    /// `(following, followers)` as the account's JSON reports them: accepted follows the
    /// instance holds plus any seeded extra.
    pub fn counts(&self, account: &AccountRec) -> (u64, u64) {
        let active = self.follows.iter().filter(|f| !f.requested);
        let (mut following, mut followers) = (0, 0);
        for f in active {
            following += u64::from(f.follower == account.id);
            followers += u64::from(f.target == account.id);
        }
        (
            following + account.extra_following,
            followers + account.extra_followers,
        )
    }

    /// The status with this id.
    pub fn status(&self, id: &str) -> Option<&StatusRec> {
        self.statuses.iter().find(|s| s.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::FollowLimit;

    #[test]
    fn the_follow_cap_is_mastodons() {
        let cap = FollowLimit::MASTODON;
        // (following, followers, allowed, reached)
        let cases = [
            (0, 0, 7_500, false),
            (7_499, 0, 7_500, false),
            (7_500, 0, 7_500, true),
            (7_500, 7_000, 7_700, false),
            (7_699, 7_000, 7_700, false),
            (7_700, 7_000, 7_700, true),
            (9_000, 8_000, 8_800, true),
            (8_000, 7_273, 8_000, true),
        ];
        for (following, followers, allowed, reached) in cases {
            assert_eq!(
                cap.allowed(following, followers),
                allowed,
                "{following}/{followers}"
            );
            assert_eq!(
                cap.reached(following, followers),
                reached,
                "{following}/{followers}"
            );
        }
        let small = FollowLimit {
            limit: 3,
            ratio: 1.5,
        };
        assert!(!small.reached(2, 0));
        assert!(small.reached(3, 2), "max(round(3.0), 3) = 3");
        assert!(!small.reached(3, 3), "round(4.5) = 5");
    }
}
