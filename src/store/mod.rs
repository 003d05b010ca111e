//! Files of records that grow one line at a time: [`JsonLines`] (read back, append, rewrite
//! atomically) and the [`Lock`] that keeps a second run away from a file while one works on it.
//!
//! The verification cache, the X API page cache and the follow/post journals all sit on this
//! one mechanism. It knows nothing of what the records mean, never warns or prints, and never
//! decides whether a damaged file is worth a rewrite: callers get the facts ([`Loaded`]) and
//! choose.

mod jsonl;
mod lock;

pub use jsonl::{Durability, JsonLines, Loaded, Options};
pub use lock::{Lock, LockError};
