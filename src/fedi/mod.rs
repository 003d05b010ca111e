//! The Mastodon-compatible client: login (OAuth out-of-band), stored credentials, instance
//! facts, accounts, follows, blocks, mutes, lists, media and statuses; rate limits, retries
//! and pagination. It decides nothing: callers plan, it does.
//!
//! Start from [`session::connect`] (the instance flags → a ready [`Client`]), or
//! [`Client::new`] with an [`InstanceUrl`] and a token. Every request goes through
//! [`Client::fetch`], which paces it ([`pacer`]), retries it when that is safe ([`retry`]) and
//! stops on Ctrl-C ([`Cancel`]).
//!
//! | file | holds |
//! |---|---|
//! | `client.rs` | the client and its request loop |
//! | `family.rs`, `rate_headers.rs`, `pacer.rs` | the rate-limit model (pure) |
//! | `retry.rs` | which failures are retried, and the backoff (pure) |
//! | `oauth.rs`, `credentials.rs`, `session.rs` | login and stored logins |
//! | `instance.rs`, `accounts.rs`, `lists.rs`, `media.rs`, `statuses.rs` | the endpoints |
//! | `types.rs`, `pagination.rs`, `instance_url.rs`, `secret.rs`, `error.rs` | values |
//! | `clock.rs`, `cancel.rs`, `notice.rs` | time, Ctrl-C and what the user is told |

pub mod accounts;
pub mod cancel;
pub mod client;
pub mod clock;
pub mod credentials;
pub mod error;
pub mod family;
pub mod instance;
pub mod instance_url;
pub mod lists;
pub mod media;
pub mod notice;
pub mod oauth;
pub mod pacer;
pub mod pagination;
pub mod rate_headers;
pub mod retry;
pub mod secret;
pub mod session;
pub mod statuses;
pub mod types;

pub use accounts::{FollowOptions, MuteOptions};
pub use cancel::Cancel;
pub use client::{Client, ClientOptions};
pub use error::{ApiError, Error};
pub use family::{Budget, Budgets, Family};
pub use instance::{Capabilities, InstanceInfo, Limits, Software, Version};
pub use instance_url::{InstanceUrl, InstanceUrlError};
pub use lists::ListOptions;
pub use media::{MediaState, MediaUpload};
pub use notice::Notice;
pub use pagination::Page;
pub use retry::Repeat;
pub use secret::{AccessToken, Secret};
pub use session::{AccountChoice, SecretSource, Session, SessionError};
pub use statuses::NewStatus;
pub use types::{
    Account, List, MediaAttachment, Posted, ProfileField, Relationship, Status, Visibility,
};
