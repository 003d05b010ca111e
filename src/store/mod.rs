//! Files of records that grow one line at a time: [`JsonLines`] (read back, append, rewrite
//! atomically), the [`Lock`] that keeps a second run away from a file while one works on it,
//! and the [`Journal`] of numbered runs that `follow` and `post` keep on both.
//!
//! The verification cache, the X API page cache and the follow/post journals all sit on this
//! one mechanism. It knows nothing of what the records mean, never warns or prints, and never
//! decides whether a damaged file is worth a rewrite: callers get the facts ([`Loaded`]) and
//! choose.

pub mod journal;
mod jsonl;
mod lock;

pub use journal::{Entry, Journal, JournalError, RunEvent, RunInfo};
pub use jsonl::{Durability, JsonLines, Loaded, Options};
pub use lock::{Lock, LockError};
