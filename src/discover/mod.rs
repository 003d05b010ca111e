//! Finding friends: fediverse handles (parse, normalise), extraction from profile text (pure),
//! profile sources, and verification (WebFinger, host-meta, NodeInfo).

pub mod cache;
pub mod verify;
pub mod xapi;
