//! Finding friends: fediverse handles (parse, normalise), extraction from profile text (pure),
//! profile sources, and verification (WebFinger, host-meta, NodeInfo).

pub mod extract;
pub mod handle;

pub use extract::{Bridge, Candidate, ExtractOptions, Field, Rule, extract};
pub use handle::{Handle, HandleError};
