//! Re-posting tweet history (issue 10, `fedimigrate post`): the pure half. What exists:
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
//! | `media.rs` | media grouped per post (count limit, no video mixed with other media on Mastodon), alt texts |
//!
//! Nothing here does I/O. The executor (still to build) must, per tweet in
//! [`select::thread_order`], after [`select::select`] and [`compose::compose`]:
//! - upload each chunk's media from the archive (`Archive::read_file`), poll until processed,
//!   skip with a warning what the instance's size and type limits refuse, reuse uploads the
//!   journal has but never attached;
//! - resolve `reply_to`: [`ReplyTarget::PreviousChunk`] is the status it just made;
//!   [`ReplyTarget::Tweet`] is the journal's status for that tweet's *last* chunk, or none;
//! - for [`QuoteTarget::Own`], replace `quote_placeholder` in the text with the URL of our
//!   copy of that tweet when the journal has one (the length already reserves
//!   `own_status_url_chars` for it), else leave the Twitter link;
//! - send with the chunk's `idempotency_key`, always with `visibility`; backdate with
//!   `created_at` only where `Capabilities::can_backdate` (never a past `scheduled_at`
//!   elsewhere, and not for replies to others on GoToSocial);
//! - journal (tweet id, chunk index) → status id after every post.

pub mod compose;
pub mod entities;
pub mod length;
pub mod media;
pub mod mentions;
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
