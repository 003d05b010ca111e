//! The words of a re-posted tweet before any splitting: reply prefix, mentions, the quoted
//! link; plus the pieces of text composing adds (date footer) and the post's language.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::{ComposeOptions, QuoteTarget};
use crate::archive::Tweet;
use crate::repost::mentions;

/// The text to split and what the quote in it points at.
pub(super) struct Body {
    pub text: String,
    pub quote: Option<QuoteTarget>,
    /// The Twitter link the executor swaps for our copy's URL (quotes of our own tweets).
    pub placeholder: Option<String>,
}

/// The tweet's text as it will be posted (before numbering and footer).
pub(super) fn body(tweet: &Tweet, opts: &ComposeOptions) -> Body {
    let raw = if tweet.is_reply() && !tweet.is_retweet {
        mentions::strip_reply_prefix(&tweet.text)
    } else {
        tweet.text.trim()
    };
    let mut text = mentions::render(raw, &opts.matches, opts.unmatched_mentions)
        .trim()
        .to_string();
    let quote = tweet.quoted_url.as_deref().map(|url| {
        if !text.contains(url) {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(url);
        }
        quote_target(url, &opts.owner_names)
    });
    let placeholder = match (&quote, &tweet.quoted_url) {
        (Some(QuoteTarget::Own(_)), Some(url)) => Some(url.clone()),
        _ => None,
    };
    Body {
        text,
        quote,
        placeholder,
    }
}

/// Whose tweet `url` is: ours (by the owner's usernames) or someone else's.
fn quote_target(url: &str, owner_names: &[String]) -> QuoteTarget {
    match status_link(url) {
        Some((user, id)) if owner_names.iter().any(|n| n.eq_ignore_ascii_case(user)) => {
            QuoteTarget::Own(id.to_string())
        }
        _ => QuoteTarget::Other(url.to_string()),
    }
}

/// (user, status id) of `http(s)://(www.|mobile.)twitter.com|x.com/<user>/status(es)/<id>`.
/// (The archive reader has the same test for the id alone, private to it.)
fn status_link(url: &str) -> Option<(&str, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host.to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .or_else(|| host.strip_prefix("mobile."))
        .unwrap_or(&host);
    if !matches!(host, "twitter.com" | "x.com") {
        return None;
    }
    let mut parts = path.split(['/', '?', '#']);
    let (user, status, id) = (parts.next()?, parts.next()?, parts.next()?);
    let is_id = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    (user != "i" && !user.is_empty() && matches!(status, "status" | "statuses") && is_id)
        .then_some((user, id))
}

/// A line saying when the tweet was first posted, from a `strftime` format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFooter {
    format: String,
}

/// A footer format chrono cannot render.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the date footer format `{0}` is not a valid strftime format; try \"First posted on %Y-%m-%d\""
)]
pub struct BadFooterFormat(pub String);

impl DateFooter {
    pub const DEFAULT_FORMAT: &'static str = "First posted on Twitter on %Y-%m-%d";

    /// A footer from `format` (`%Y-%m-%d`, `%B %Y`…; `%%` for a percent sign).
    pub fn new(format: &str) -> Result<Self, BadFooterFormat> {
        let mut probe = String::new();
        let sample = DateTime::<Utc>::UNIX_EPOCH;
        let ok = !format.trim().is_empty() && write!(probe, "{}", sample.format(format)).is_ok();
        if ok {
            Ok(Self {
                format: format.trim().to_string(),
            })
        } else {
            Err(BadFooterFormat(format.to_string()))
        }
    }

    /// The footer for a tweet posted `at` (UTC).
    pub fn render(&self, at: DateTime<Utc>) -> String {
        let mut out = String::new();
        if write!(out, "{}", at.format(&self.format)).is_err() {
            out = at.format("%Y-%m-%d").to_string();
        }
        out
    }
}

impl Default for DateFooter {
    fn default() -> Self {
        Self {
            format: Self::DEFAULT_FORMAT.to_string(),
        }
    }
}

/// The post's language from Twitter's code: the primary tag, lowercased, old codes
/// modernised (`in` → `id`, `iw` → `he`, `ji` → `yi`); Twitter's pseudo-codes (`und`, `zxx`,
/// and the private-use `qaa`–`qtz` range: `qme` media only, `qht` hashtags, `qst` short,
/// `qam` mentions, `qct` cashtags…) and anything not shaped like ISO 639 give none.
pub fn language(lang: Option<&str>) -> Option<String> {
    let primary = lang?.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let shaped =
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
    let private = primary.len() == 3 && primary.starts_with('q') && primary.as_bytes()[1] <= b't';
    if !shaped || private || matches!(primary.as_str(), "und" | "zxx" | "mis" | "mul") {
        return None;
    }
    Some(
        match primary.as_str() {
            "in" => "id",
            "iw" => "he",
            "ji" => "yi",
            other => other,
        }
        .to_string(),
    )
}
