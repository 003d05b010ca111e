//! The Mastodon client API subset fedimigrate uses, on a virtual host, in three flavours
//! (Mastodon, GoToSocial, Pleroma). It never talks to a real server.
//!
//! | area | routes and behaviour |
//! |---|---|
//! | OAuth | apps, the out-of-band authorisation page, code exchange, revoke |
//! | accounts | verify (real `following_count`/`followers_count`, plus seeded extras), lookup, search with resolve (matching like Mastodon's, bios with full-text search on; public search on or off), relationships; moved accounts carry `"moved"` |
//! | actions | follow (locked → `requested`; 403 if blocked either way or, on Mastodon, moved; 422 past the follow cap), unfollow (also withdraws a request), block, unblock, mute (`duration` recorded), unmute |
//! | lists of accounts | following, `GET /api/v1/blocks`, `GET /api/v1/mutes`, list members: newest first, `Link` paging by internal ids |
//! | lists | create, list, add members (followed accounts only) |
//! | media | v1/v2 upload, 202 + polling for video |
//! | statuses | threads, `Idempotency-Key` per account with a TTL (1 h), length limit, scheduling, an account's statuses (`min_id`), delete; GoToSocial's quirks (below) |
//! | instance | v1/v2, NodeInfo |
//! | limits | each flavour's headers, per-family buckets, queued 429/503, the follow cap |
//! | crashes | [`FakeMastodon::drop_after_commit`]: the change is made, the answer never sent |
//!
//! ```ignore
//! let fv = Fakeverse::start();
//! let m = FakeMastodon::mount(&fv, "mastodon.example", Flavour::Mastodon);
//! let alice = m.add_user("alice");
//! let bob = m.add_account(AccountSpec::remote("bob", "remote.example").locked());
//! let token = m.issue_token("alice", "read write");
//! m.set_rate_limit(Family::Follows, 20, Duration::from_secs(1));
//! // … run the client …
//! assert_eq!(m.state().follows.len(), 1);
//! ```
//!
//! The GoToSocial flavour behaves as the real server does where `post` meets it (0.19.2, tried
//! against it): it ignores `Idempotency-Key`; it counts length as characters of text plus
//! content warning, links as written; `POST /api/v2/media` answers 200 at once; a past
//! `scheduled_at` backdates the post (a bare date is a 400, 1970 or before a 406, a backdated
//! reply to someone else's post a 403) and a future one is a 501 (a scheduled status from
//! 0.20 on); a post without `visibility` takes the account's default (`private` here); a
//! status's id sorts by its date, so a backdated post sits among old ones; and it sends the
//! source `text` of one's own posts.
//!
//! Answers follow the shapes of real recordings (Mastodon.py's cassettes) and the OpenAPI
//! description; the values are invented.

mod accounts;
mod content;
mod instance;
mod json;
mod limits;
mod listings;
mod multipart;
mod oauth;
mod paging;
mod route;
mod scenario;
mod state;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

pub use instance::mount_nodeinfo;
pub use limits::{Family, Window};
pub use state::{
    AccountRec, AppRec, BlockRec, CodeRec, FieldRec, FollowLimit, FollowRec, ListRec, MediaRec,
    MuteRec, State, StatusRec, TokenRec,
};

use crate::{Fakeverse, Host, Req, Resp};
use route::{Ctx, Route};
use state::Forced;

/// Which server the fake imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// Mastodon 4.x: ISO 8601 rate-limit resets with microseconds, per-family budgets.
    Mastodon,
    /// GoToSocial: epoch-second resets, one budget, 503 + `Retry-After` throttling,
    /// backdating with a past `scheduled_at`.
    GoToSocial,
    /// Pleroma: no `/api/v2/instance`, no v2 media, `max_toot_chars`, no rate-limit headers.
    Pleroma,
}

impl Flavour {
    fn software(self) -> &'static str {
        match self {
            Flavour::Mastodon => "mastodon",
            Flavour::GoToSocial => "gotosocial",
            Flavour::Pleroma => "pleroma",
        }
    }

    fn default_version(self) -> &'static str {
        match self {
            Flavour::Mastodon => "4.3.2",
            Flavour::GoToSocial => "0.18.1",
            Flavour::Pleroma => "2.6.1",
        }
    }

    pub(crate) fn max_characters(self) -> usize {
        match self {
            Flavour::Mastodon => 500,
            Flavour::GoToSocial | Flavour::Pleroma => 5000,
        }
    }

    pub(crate) fn max_media(self) -> usize {
        match self {
            Flavour::GoToSocial => 6,
            _ => 4,
        }
    }

    pub(crate) fn default_limits(self) -> std::collections::BTreeMap<Family, Window> {
        limits::defaults(self)
    }
}

/// An account to add.
#[derive(Debug, Clone)]
pub struct AccountSpec {
    pub username: String,
    /// `None`: local to the instance.
    pub domain: Option<String>,
    pub display_name: String,
    pub locked: bool,
    /// Known to the instance already (remote accounts that are not need `resolve=true`).
    pub known: bool,
    /// The id of the account this one moved to.
    pub moved_to: Option<String>,
    /// The bio (HTML), profile fields and discoverability (see `accounts.rs` for builders).
    pub note: String,
    pub fields: Vec<FieldRec>,
    pub discoverable: bool,
}

impl AccountSpec {
    /// A local account.
    pub fn local(username: &str) -> Self {
        Self {
            username: username.to_string(),
            domain: None,
            display_name: username.to_string(),
            locked: false,
            known: true,
            moved_to: None,
            note: String::new(),
            fields: Vec::new(),
            discoverable: true,
        }
    }

    /// A remote account the instance already knows.
    pub fn remote(username: &str, domain: &str) -> Self {
        Self {
            domain: Some(domain.to_ascii_lowercase()),
            ..Self::local(username)
        }
    }

    /// Requires approval of followers.
    pub fn locked(mut self) -> Self {
        self.locked = true;
        self
    }

    /// Not yet known to the instance: only a search with `resolve=true` finds it.
    pub fn unknown(mut self) -> Self {
        self.known = false;
        self
    }

    /// Has moved to the account `target_id` (its JSON carries `"moved"`; on Mastodon a
    /// follow of it answers 403).
    pub fn moved_to(mut self, target_id: &str) -> Self {
        self.moved_to = Some(target_id.to_string());
        self
    }
}

/// A fake Mastodon-API instance mounted on a virtual host.
#[derive(Clone)]
pub struct FakeMastodon {
    host: Arc<Host>,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for FakeMastodon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeMastodon")
            .field("host", &self.host.name)
            .finish()
    }
}

impl FakeMastodon {
    /// Mounts the API and NodeInfo (the flavour's usual version) on the host `name`.
    pub fn mount(fv: &Fakeverse, name: &str, flavour: Flavour) -> Self {
        Self::mount_version(fv, name, flavour, flavour.default_version())
    }

    /// Like [`FakeMastodon::mount`], reporting `version` (e.g. GoToSocial "0.17.3").
    pub fn mount_version(fv: &Fakeverse, name: &str, flavour: Flavour, version: &str) -> Self {
        let host = fv.host(name);
        let state = Arc::new(Mutex::new(State::new(flavour, &host.name, version)));
        let shared = state.clone();
        host.mount(move |req| handle(&shared, req));
        mount_nodeinfo(&host, flavour.software(), version);
        Self { host, state }
    }

    /// The virtual host (latency, modes, queued answers, request log).
    pub fn host(&self) -> Arc<Host> {
        self.host.clone()
    }

    /// A copy of everything the instance holds.
    pub fn state(&self) -> State {
        self.lock().clone()
    }

    /// Adds an account; returns its id.
    pub fn add_account(&self, spec: AccountSpec) -> String {
        let mut state = self.lock();
        let id = state.id();
        state.accounts.push(AccountRec {
            id: id.clone(),
            username: spec.username,
            domain: spec.domain,
            display_name: spec.display_name,
            locked: spec.locked,
            known: spec.known,
            moved_to: spec.moved_to,
            extra_followers: 0,
            extra_following: 0,
            note: spec.note,
            fields: spec.fields,
            discoverable: spec.discoverable,
        });
        id
    }

    /// Adds a local account; returns its id.
    pub fn add_user(&self, username: &str) -> String {
        self.add_account(AccountSpec::local(username))
    }

    /// A token for a local user, as made in the web UI ("Development"); no app issued it.
    pub fn issue_token(&self, username: &str, scopes: &str) -> String {
        let mut state = self.lock();
        let account_id = state
            .account_by_name(username, None)
            .map(|a| a.id.clone())
            .unwrap_or_else(|| panic!("fakeverse: no local user {username}"));
        let token = state.secret("fvtok");
        state.tokens.push(TokenRec {
            token: token.clone(),
            account_id,
            scopes: scopes.to_string(),
            client_id: None,
            revoked: false,
        });
        token
    }

    /// The local user who is logged in "in the browser" and approves authorisations.
    pub fn set_browser_user(&self, username: &str) {
        let mut state = self.lock();
        let id = state.account_by_name(username, None).map(|a| a.id.clone());
        state.browser_user = id;
    }

    /// Approves an app for a local user without the page; returns the code it would show.
    pub fn approve(&self, client_id: &str, username: &str, scopes: &str) -> String {
        let mut state = self.lock();
        let account = state
            .account_by_name(username, None)
            .map(|a| a.id.clone())
            .unwrap_or_default();
        oauth::issue_code(&mut state, client_id, &account, scopes)
    }

    /// Sets a family's budget: `limit` requests per `window` (per token).
    pub fn set_rate_limit(&self, family: Family, limit: u32, window: Duration) {
        self.lock()
            .limits
            .insert(family, Window::new(limit, window));
    }

    /// Removes a family's budget.
    pub fn clear_rate_limit(&self, family: Family) {
        self.lock().limits.remove(&family);
    }

    /// The next `n` API requests get 429 with a reset `reset_after` from then.
    pub fn refuse_next(&self, n: usize, reset_after: Duration) {
        let mut state = self.lock();
        state
            .forced
            .extend(std::iter::repeat_n(Forced::TooMany(reset_after), n));
    }

    /// The next `n` API requests get 503 with `Retry-After: secs` (GoToSocial throttling).
    pub fn throttle_next(&self, n: usize, secs: u64) {
        let mut state = self.lock();
        state
            .forced
            .extend(std::iter::repeat_n(Forced::Busy(secs), n));
    }

    /// How many polls of a video or audio upload answer "processing".
    pub fn set_processing_polls(&self, polls: u32) {
        self.lock().processing_polls = polls;
    }

    /// The status length limit.
    pub fn set_max_characters(&self, max: usize) {
        self.lock().max_characters = max;
    }

    /// Makes `follower` (a username) follow the accounts `targets` (ids), oldest first.
    pub fn seed_follows(&self, follower: &str, targets: &[String]) {
        let mut state = self.lock();
        let me = state
            .account_by_name(follower, None)
            .map(|a| a.id.clone())
            .unwrap_or_default();
        for target in targets {
            let follow_id = state.record_id();
            state.follows.push(FollowRec {
                follow_id,
                follower: me.clone(),
                target: target.clone(),
                requested: false,
                reblogs: true,
                notify: false,
                languages: None,
            });
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The authorisation code on an OOB page (`<input class='oauth-code' … value='CODE'>`).
pub fn oauth_code(html: &str) -> Option<String> {
    let at = html.find("oauth-code")?;
    let rest = &html[at..];
    let start = rest.find("value='")? + "value='".len();
    let end = rest[start..].find('\'')?;
    Some(rest[start..start + end].to_string())
}

fn handle(shared: &Mutex<State>, req: &Req) -> Option<Resp> {
    let mut state = shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let route = Route::recognise(state.flavour, &req.method, &req.segments())?;
    let now = SystemTime::now();
    let report = match limits::admit(&mut state, req, now) {
        Ok(report) => report,
        Err(refused) => return Some(refused),
    };
    let flavour = state.flavour;
    let mut ctx = Ctx {
        state: &mut state,
        req,
        base: route::base_url(req),
        now,
    };
    let resp = answer(&mut ctx, route);
    Some(limits::with_headers(resp, flavour, report))
}

fn answer(ctx: &mut Ctx<'_>, route: Route) -> Resp {
    match route {
        Route::Apps => oauth::register(ctx),
        Route::Authorize => oauth::authorize(ctx),
        Route::Token => oauth::token(ctx),
        Route::Revoke => oauth::revoke(ctx),
        Route::VerifyCredentials => accounts::verify_credentials(ctx),
        Route::Relationships => accounts::relationships(ctx),
        Route::Lookup => accounts::lookup(ctx),
        Route::Account(id) => accounts::account(ctx, &id),
        Route::AccountAction(id, action) => accounts::action(ctx, &id, &action),
        Route::Following(id) => listings::following(ctx, &id),
        Route::Blocks => listings::blocks(ctx),
        Route::Mutes => listings::mutes(ctx),
        Route::Search => accounts::search(ctx),
        Route::Lists => content::lists(ctx),
        Route::ListAccounts(id) => content::list_accounts(ctx, &id),
        Route::UploadMedia => content::upload(ctx),
        Route::Media(id) => content::media(ctx, &id),
        Route::Statuses => content::create_status(ctx),
        Route::Status(id) => content::status(ctx, &id),
        Route::DeleteStatus(id) => content::delete_status(ctx, &id),
        Route::AccountStatuses(id) => content::account_statuses(ctx, &id),
        Route::CancelScheduled(id) => content::cancel_scheduled(ctx, &id),
        Route::Instance(version) => instance::instance(ctx, version),
    }
}
