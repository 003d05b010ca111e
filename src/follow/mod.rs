//! Acting on accounts in bulk: follow, block and mute (and undo), from a file of addresses.
//!
//! | file | holds |
//! |---|---|
//! | `input.rs` | reading the addresses: find's JSON/JSONL, Mastodon's CSVs, plain lists (pure) |
//!
//! The flow: [`input`] → plan (pure) → check on the instance → confirm → execute, with every
//! completed action in the journal before the next starts.

pub mod eta;
pub mod input;
pub mod plan;
pub mod relation;
