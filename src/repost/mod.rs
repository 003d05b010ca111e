//! Re-posting tweet history (issue 10, `fedimigrate post`).
//!
//! | file | holds |
//! |---|---|
//! | `select.rs` | which tweets go (`--since/--until`, ids, replies, retweets, media) and the thread order |
//! | `compose.rs` | one tweet → its posts ([`Post`] of [`Chunk`]s): text, content warning, media, visibility, language, numbering, reply and quote targets, idempotency keys |
//! | `compose/text.rs` | reply prefixes, the quoted link, the date footer, the language |
//! | `mentions.rs` | `@name` → matched handle, or `＠name` so no unrelated local account is pinged |
//! | `length.rs` | length as the server's software counts it (Mastodon graphemes with link and mention rules; GoToSocial code points) |
//! | `split.rs` | cutting an over-long text at paragraphs, sentences, words or CJK characters, never inside links, mentions or graphemes |
//! | `entities.rs` | where servers see links and mentions |
//! | `media.rs` | media grouped per post (count limit, no video mixed with other media on Mastodon), alt texts, what the instance's upload limits refuse |
//! | `backdate.rs` | whether a post keeps its tweet's date (`scheduled_at` only where the server backdates) |
//! | `found.rs` | recognising our post among the account's statuses after its answer was lost |
//! | `journal.rs` | the post journal: tweet chunk → status, uploads, attempts, undo |
//! | `run.rs` | the sender: upload, resolve replies and quotes, create with the idempotency key, journal; the undo |
//!
//! Everything but `journal.rs` and `run.rs` is pure; those two do the I/O, and the command
//! (`commands/post`) does what the person sees.

pub mod backdate;
pub mod compose;
pub mod entities;
pub mod found;
pub mod journal;
pub mod length;
pub mod media;
pub mod mentions;
pub mod run;
pub mod select;
pub mod split;

#[cfg(test)]
mod test_tweets;

pub use compose::{
    Chunk, ComposeError, ComposeOptions, DateFooter, Post, PostLimits, QuoteTarget, ReplyTarget,
    compose, idempotency_key,
};
pub use length::{LengthRules, ServerKind};
pub use media::{AltTexts, ChunkMedia};
pub use mentions::{MentionMap, UnmatchedMentions};
pub use select::{
    OrderKey, Replies, RetweetMode, Selection, SkipReason, compact_id, order_keys, select,
    thread_order,
};
