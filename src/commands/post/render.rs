//! How the preview looks: a post as text or as JSON Lines (one object per status to
//! create), the counts, and the time the instance's rate limits make the posting take.
//! Pure: writes into buffers and returns strings.
//!
//! Text output is for reading: each line of a post goes through the terminal sanitiser.
//! JSON Lines keep the exact text that would be sent.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Output;
use super::preview::Counts;
use crate::fedi::{Budgets, Family, Visibility};
use crate::follow::eta::{self, Window};
use crate::repost::{Chunk, ChunkMedia, Post, QuoteTarget, ReplyTarget, SkipReason};
use crate::sanitize::clean;
use crate::ui::thousands;

/// One `--jsonl` line: a status to create.
#[derive(Debug, Serialize)]
struct Line<'a> {
    tweet_id: &'a str,
    created_at: DateTime<Utc>,
    /// 0-based, and the number of posts the tweet became.
    chunk: usize,
    total: usize,
    text: &'a str,
    spoiler_text: Option<&'a str>,
    media: &'a [ChunkMedia],
    visibility: Visibility,
    language: Option<&'a str>,
    sensitive: bool,
    reply_to: Option<&'a ReplyTarget>,
    quote: Option<&'a QuoteTarget>,
    quote_placeholder: Option<&'a str>,
    length: usize,
    idempotency_key: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    warnings: &'a [String],
}

/// Renders `post` into `buf`. For text, returns where the reply clause is to be ended (see
/// [`reply_clause`]), or 0.
pub fn post(post: &Post, output: Output, buf: &mut Vec<u8>) -> Result<u32, serde_json::Error> {
    match output {
        Output::Jsonl => {
            for chunk in &post.chunks {
                serde_json::to_writer(&mut *buf, &line(post, chunk))?;
                buf.push(b'\n');
            }
            Ok(0)
        }
        Output::Text => Ok(text(post, buf)),
    }
}

fn line<'a>(post: &'a Post, chunk: &'a Chunk) -> Line<'a> {
    Line {
        tweet_id: &post.tweet_id,
        created_at: post.created_at,
        chunk: chunk.index,
        total: chunk.total,
        text: &chunk.text,
        spoiler_text: chunk.spoiler_text.as_deref(),
        media: &chunk.media,
        visibility: chunk.visibility,
        language: chunk.language.as_deref(),
        sensitive: chunk.sensitive,
        reply_to: chunk.reply_to.as_ref(),
        quote: post.quote.as_ref(),
        quote_placeholder: chunk.quote_placeholder.as_deref(),
        length: chunk.length,
        idempotency_key: &chunk.idempotency_key,
        warnings: if chunk.index == 0 {
            &post.warnings
        } else {
            &[]
        },
    }
}

/// The ending of the "replies to our copy of tweet N" line, once the order is known.
pub fn reply_clause(in_preview: bool) -> &'static str {
    if in_preview {
        " (in this preview)\n"
    } else {
        " (not in this preview: it stands alone unless an earlier run posted that tweet)\n"
    }
}

/// The text rendering; returns the length of the head before the reply clause's ending.
fn text(post: &Post, buf: &mut Vec<u8>) -> u32 {
    let n = post.chunks.len();
    let mut out = format!(
        "── tweet {} · {} · {}\n",
        clean(&post.tweet_id),
        post.created_at.format("%Y-%m-%d %H:%M UTC"),
        if n == 1 {
            "1 post".to_string()
        } else {
            format!("{n} posts")
        }
    );
    let mut head = 0;
    if let Some(ReplyTarget::Tweet(parent)) = post.chunks.first().and_then(|c| c.reply_to.as_ref())
    {
        out.push_str(&format!(
            "   replies to our copy of tweet {}",
            clean(parent)
        ));
        head = out.len();
    }
    for chunk in &post.chunks {
        chunk_text(chunk, post.quote.as_ref(), &mut out);
    }
    for warning in &post.warnings {
        out.push_str(&format!("   warning: {}\n", clean(warning)));
    }
    out.push('\n');
    buf.extend_from_slice(out.as_bytes());
    u32::try_from(head).unwrap_or(0)
}

fn chunk_text(chunk: &Chunk, quote: Option<&QuoteTarget>, out: &mut String) {
    let mut facts = vec![format!("[{}/{}]", chunk.index + 1, chunk.total)];
    if chunk.reply_to == Some(ReplyTarget::PreviousChunk) {
        facts.push("answers the post above".into());
    }
    facts.push(chunk.visibility.as_str().into());
    if let Some(lang) = &chunk.language {
        facts.push(clean(lang).into_owned());
    }
    facts.push(format!("{} characters", chunk.length));
    if chunk.sensitive {
        facts.push("sensitive media".into());
    }
    out.push_str(&facts.join(" · "));
    out.push('\n');
    if let Some(cw) = &chunk.spoiler_text {
        out.push_str(&format!("    content warning: {}\n", clean(cw)));
    }
    for line in chunk.text.lines() {
        let line = clean(line);
        if line.is_empty() {
            out.push_str("    |\n");
        } else {
            out.push_str(&format!("    | {line}\n"));
        }
    }
    for media in &chunk.media {
        let kind = serde_json::to_value(media.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let description = media.description.as_deref().map_or_else(
            || "no description".to_string(),
            |d| format!("description: \"{}\"", clean(d)),
        );
        out.push_str(&format!(
            "    media: {} ({kind}), {description}\n",
            clean(&media.file)
        ));
    }
    if let (Some(QuoteTarget::Own(id)), Some(link)) = (quote, &chunk.quote_placeholder) {
        out.push_str(&format!(
            "    quote: {} becomes the link to our copy of tweet {} when there is one\n",
            clean(link),
            clean(id)
        ));
    }
}

/// The order skip reasons are listed in (the order `select` checks them).
const REASONS: [SkipReason; 8] = [
    SkipReason::NotInOnlyIds,
    SkipReason::InSkipIds,
    SkipReason::BeforeSince,
    SkipReason::NotBeforeUntil,
    SkipReason::Retweet,
    SkipReason::ReplyToOthers,
    SkipReason::Reply,
    SkipReason::NoMedia,
];

/// The counts and the time, as lines.
pub fn summary(counts: &Counts, budgets: &Budgets, target: &str) -> String {
    let n = |v: u64| thousands(v);
    let skipped: u64 = counts.skipped.values().sum();
    let mut text = format!("Preview     {target}\n");
    text.push_str(&format!(
        "Tweets      {} read, {} selected\n",
        n(counts.read),
        n(counts.selected)
    ));
    text.push_str(&format!(
        "Skipped     {}{}\n",
        n(skipped),
        reasons(&counts.skipped)
    ));
    if counts.unpostable > 0 {
        text.push_str(&format!(
            "Left out    {} that cannot be posted (see the warnings)\n",
            n(counts.unpostable)
        ));
    }
    text.push_str(&format!(
        "Posts       {} ({} tweet(s) split into several posts; {} thread(s))\n",
        n(counts.posts),
        n(counts.split),
        n(counts.threads)
    ));
    text.push_str(&format!("Media       {} to upload", n(counts.media)));
    if counts.media_left_out > 0 {
        text.push_str(&format!(
            ", {} left out (see the posts' warnings)",
            n(counts.media_left_out)
        ));
    }
    text.push('\n');
    let (took, limits) = eta(counts.posts, counts.media, budgets);
    text.push_str(&format!("Time        {} ({limits})\n", time_text(took)));
    text
}

/// How long the rate limits make the posting take, as a phrase.
pub fn time_text(took: Duration) -> String {
    if took.is_zero() {
        "no waiting: it all fits in the rate limits' first window".to_string()
    } else {
        format!("about {} under the rate limits", eta::span(took))
    }
}

fn reasons(skipped: &HashMap<SkipReason, u64>) -> String {
    let parts: Vec<String> = REASONS
        .iter()
        .filter_map(|r| {
            skipped
                .get(r)
                .map(|count| format!("{} {}", thousands(*count), r.describe()))
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    }
}

/// How long `posts` statuses and `media` uploads take under `budgets`, and the limits
/// that decide it, described. Mastodon counts statuses and uploads apart; software without
/// those budgets (GoToSocial) counts every request against one.
pub fn eta(posts: u64, media: u64, budgets: &Budgets) -> (Duration, String) {
    let statuses = budgets.get(Family::Statuses).map(Window::of);
    let uploads = budgets.get(Family::Media).map(Window::of);
    let api = budgets.get(Family::Api).map(Window::of);
    // Every post and upload also counts against the per-token budget, and so does the poll
    // of an upload that is still processing: one more request per file, at worst.
    let by_token = api.map_or(Duration::ZERO, |a| eta::time_for(posts + 2 * media, &a));
    let token = api.map(|a| format!(", {}", a.describe("requests")));
    match (statuses, uploads, api) {
        (Some(s), Some(m), _) => (
            eta::time_for(posts, &s)
                .max(eta::time_for(media, &m))
                .max(by_token),
            format!(
                "{}, {}{}",
                s.describe("posts"),
                m.describe("media uploads"),
                token.unwrap_or_default()
            ),
        ),
        (Some(s), None, _) => (
            eta::time_for(posts, &s).max(by_token),
            format!("{}{}", s.describe("posts"), token.unwrap_or_default()),
        ),
        (None, _, Some(a)) => (eta::time_for(posts + media, &a), a.describe("requests")),
        (None, _, None) => (Duration::ZERO, "the instance states no rate limit".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    #[test]
    fn stock_mastodon_posts_300_per_3_hours_and_30_uploads_per_30_minutes() {
        let budgets = Budgets::mastodon();
        let (took, limits) = eta(100, 10, &budgets);
        assert_eq!(took, Duration::ZERO, "half of every budget goes at once");
        assert_eq!(
            limits,
            "300 posts per 3 h, 30 media uploads per 30 min, 300 requests per 5 min"
        );
        // The second half of the 300 posts is spread to the end of the 3 h window.
        assert_eq!(eta(300, 0, &budgets).0, (3 * HOUR).mul_f64(150.0 / 151.0));
        assert_eq!(eta(301, 0, &budgets).0, 3 * HOUR);
        assert_eq!(eta(1_000, 0, &budgets).0, 9 * HOUR);
        // 200 uploads: 6 windows of 30 min, and 5 of the last window's spread 15.
        assert_eq!(
            eta(100, 200, &budgets).0,
            3 * HOUR + Duration::from_secs_f64(1800.0 * 5.0 / 16.0)
        );
        assert_eq!(
            eta(100, 211, &budgets).0,
            Duration::from_secs(3 * 3600 + 1800)
        );
    }

    #[test]
    fn gotosocial_counts_every_request_against_one_budget() {
        let (took, limits) = eta(400, 200, &Budgets::gotosocial());
        assert_eq!(limits, "300 requests per 5 min");
        let five = Duration::from_secs(300);
        assert_eq!(took, five + five.mul_f64(150.0 / 151.0));
    }
}
