//! Acting on accounts in bulk: follow, block and mute (and undo), from a file of addresses.
//!
//! | file | holds |
//! |---|---|
//! | `input.rs` | reading the addresses: find's JSON/JSONL, Mastodon's CSVs, plain lists (pure) |
//! | `relation.rs` | follow, block, mute, and the outcome words every output shares |
//! | `plan.rs` | what to do and what not, and why (pure) |
//! | `eta.rs` | how long it takes under the instance's budgets (pure) |
//! | `journal.rs` | the crash-safe record of runs, attempts and results, on `store` |
//! | `remote.rs` | the narrow interface to an instance, and the Mastodon client behind it |
//! | `run.rs` | checking on the instance and acting, journaled |
//!
//! The flow: [`input`] → plan (pure) → check on the instance → confirm → execute, with every
//! completed action in the journal before the next starts.

pub mod eta;
pub mod input;
pub mod journal;
pub mod plan;
pub mod relation;
pub mod remote;
pub mod run;
