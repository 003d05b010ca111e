//! Finding fediverse handles in free text (bios, names, URLs, posts). Pure: no I/O, no
//! network; what it returns are *candidates*, for verification to confirm.
//!
//! # How it reads text
//! 1. **Clean-up** (`normalize`): NFKC per character (full-width `＠`, 𝚖𝚊𝚝𝚑 letters,
//!    full-width punctuation), zero-width characters, soft hyphens and bidi controls removed,
//!    🐘 🦣 ⓜ and ✉ 📧 kept as marker symbols, `…` made a separator. Every character remembers
//!    where it came from, so [`Candidate::matched`] quotes the original text.
//! 2. **Spelled-out forms** (`spelled`): "alice at example dot social", `alice(at)…`,
//!    `alice(a)…`, `[dot]`, `@ alice @ host`, defanged links (`host[.]social/@a`, `hxxps://`)
//!    are rewritten to the plain form, strictly (the plain word "at" needs an `@` before the
//!    name or a spelled-out host too); the rewritten address meets every rule and refusal
//!    below, so a spelled-out e-mail address stays one.
//! 3. **Tokens** (`tokens`): runs of the characters handles and URLs are made of. Spaces,
//!    quotes (“ ” ‘ ’ « »), brackets, `,` `;` `|` `!` `*`, CJK punctuation (・、。「」《》)
//!    and CJK script separate tokens, so handles glued to Japanese text still come out; a
//!    CJK run that is a host label (`love.日本語.life`, `@kana@日本語.jp`) stays in.
//! 4. **Rules**, per token, in order of appearance:
//!    - a link (`http(s)://…`, or `host.tld/…` without a scheme): `urls`;
//!    - every `@` with a username before it and a host after it: `acct`;
//!    - with the Bluesky bridge on, `name.bsky.social`: `bluesky`.
//! 5. **Deduplication**: one candidate per handle and text, first appearance kept.
//!
//! # Precision and recall
//! The input is tens of thousands of bios written by people, and a wrong candidate costs a
//! WebFinger request and, worse, a confusing line in the user's results. So:
//! - `@user@host` (with the leading `@`) is a handle on any valid public host that is not
//!   refused: people do not write e-mail addresses that way.
//! - A bare `user@host` is an e-mail address unless there is evidence: `acct:` before it,
//!   a fediverse marker
//!   that labels it ("Mastodon:", "fedi", "Toot:", "Misskey:", "Fediverse", マストドン, 🐘,
//!   🦣, ⓜ; glued or not): a whole word, at most three words before it in the same clause,
//!   not negated ("Left Mastodon", "ex-fedi") and with no other address or link in between
//!   (see `context`); or a host that *looks federated*: a
//!   label such as `social`, `mastodon`, `mstdn`, `misskey`, `lemmy`, `pixelfed`, `toot`,
//!   `fedi`, a label containing `todon`, `masto`, `fedi`…, a Bridgy Fed host, or one of
//!   ~140 well-known instances (a short list written for this project in `hosts`). Even
//!   then it is refused as a role mailbox (`press@`, `contact@`, `info@`…), after an e-mail
//!   or chat marker ("E-mail:", "contact", "Business inquiries", `mailto:`, "XMPP:", ✉), or
//!   on an e-mail provider's domain. Precision wins here because e-mail addresses in bios far
//!   outnumber handles written without their leading `@`.
//! - Links: `/@name`, `/web/@name`, `/deck/@name`, `/users/name`, Plume's `/@/name`,
//!   client links (`elk.zone/<server>/@name`) and remote views (`/u/@name@other`) count on
//!   any host that is not refused; the generic paths (`/u/`, `/c/`, `/profile/`…) only on
//!   fediverse-looking hosts or after a marker; a remote-follow link
//!   (`/authorize_interaction?uri=…`) names the account in its parameter; a feed
//!   (`/@name.rss`) names the profile's account; see `urls`.
//! - Hosts are refused when they are sites that do not federate but use `/@name`-style paths
//!   or appear in bios (Medium, YouTube, TikTok, Substack, pronouns.page, Instagram,
//!   linktr.ee, Twitter/X, counter.social, Bluesky outside the bridge…) and e-mail
//!   providers; see `hosts`.
//! - Not handles by shape: Matrix ids (`@u:server`, no second `@`), Twitter mentions
//!   (`@name`, no host), Discord tags, version strings (`pkg@1.2.3`: the top-level label must
//!   be letters), npm scopes (`@scope/pkg@1`), `git@host:repo`, `user@host:port`,
//!   `localhost`, IP addresses, hosts without a dot, `.onion`/`.i2p`/`.alt` hosts.
//! - Handles glued together or to markup (`@a@b.social/@c@d.social`, `_@a@b.social_`,
//!   `@a@b.social#tag`) still come out: `_ ~ # / + &` cannot be part of a host.

mod acct;
mod bluesky;
mod context;
mod hosts;
mod normalize;
mod spelled;
mod tokens;
mod urls;

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::handle::Handle;
use crate::lanes;
use normalize::Normalized;
use tokens::{char_before, is_host_char_in_token, scan_left};

pub use bluesky::BRIDGE_HOST as BLUESKY_BRIDGE_HOST;
pub(crate) use normalize::is_invisible;

/// Which profile field a text came from (kept as evidence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Field {
    Name,
    Description,
    Url,
    Location,
    PinnedPost,
    Tweet,
    Text,
    /// A field of a fediverse profile (`find --reverse`; its name is the evidence's `label`).
    FediField,
    /// A fediverse profile's bio.
    FediNote,
    /// A fediverse account's username or display name (evidence of a `possible` match).
    FediName,
}

/// Which rule found a candidate (kept as evidence; serialised kebab-case, e.g. `acct-at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// `@user@host`
    AcctAt,
    /// `user@host`, with a fediverse marker or a fediverse-looking host
    AcctBare,
    /// `host/@user`
    ProfileUrl,
    /// `host/web/@user`
    WebUrl,
    /// `host/users/user`
    UsersUrl,
    /// `host/@user/123`
    StatusUrl,
    /// `host/@user@other` → `user@other`
    RemoteViewUrl,
    /// `host/u/user`, `/user/`, `/profile/`, `/c/`, `/a/`… on a fediverse-looking host
    PathUrl,
    /// `host/authorize_interaction?uri=…` and other remote-follow links → the account in
    /// the parameter
    FollowUrl,
    /// another network's account, mapped to its bridge's fediverse address
    Bridge,
    /// a fediverse profile links the Twitter profile: `twitter.com/NAME`, `x.com/NAME`
    TwitterLink,
    /// a fediverse profile holds a Twitter follow link: `twitter.com/intent/user?screen_name=NAME`
    TwitterIntent,
    /// a fediverse profile says `@NAME` next to a Twitter/X marker ("Twitter: @name")
    TwitterMention,
    /// a fediverse profile field named Twitter or X holds the name
    TwitterField,
    /// a fediverse account with the same username or display name, without a backlink
    SameName,
}

/// Networks whose accounts a bridge makes followable from the fediverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bridge {
    /// Bluesky through Bridgy Fed: `name.bsky.social` → `name.bsky.social@bsky.brid.gy`.
    Bluesky,
}

impl std::fmt::Display for Field {
    /// The name used in JSON (`pinned-post`), for human reports too.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Field::Name => "name",
            Field::Description => "description",
            Field::Url => "url",
            Field::Location => "location",
            Field::PinnedPost => "pinned-post",
            Field::Tweet => "tweet",
            Field::Text => "text",
            Field::FediField => "fedi-field",
            Field::FediNote => "fedi-note",
            Field::FediName => "fedi-name",
        })
    }
}

impl std::fmt::Display for Bridge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Bridge::Bluesky => "bluesky",
        })
    }
}

/// What the caller allows beyond the fediverse proper.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtractOptions {
    /// Bridges to map through (opt-in: a bridged account is only followable if its owner
    /// opted in to the bridge).
    pub bridges: Vec<Bridge>,
}

impl ExtractOptions {
    /// True when Bluesky accounts should be mapped to Bridgy Fed addresses.
    pub fn bluesky(&self) -> bool {
        self.bridges.contains(&Bridge::Bluesky)
    }
}

/// One handle found in one text, with the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub handle: Handle,
    pub rule: Rule,
    /// The original text the rule matched (before clean-up), e.g. `＠erin＠mastodon.online`.
    pub matched: String,
    pub field: Field,
    /// Set when the handle is a bridge's address for another network's account.
    pub bridge: Option<Bridge>,
}

/// A match inside the cleaned-up text, before it becomes a [`Candidate`].
#[derive(Debug)]
struct Hit {
    handle: Handle,
    rule: Rule,
    range: Range<usize>,
    bridge: Option<Bridge>,
}

impl Hit {
    fn new(handle: Handle, rule: Rule, range: Range<usize>) -> Self {
        let bridge = (handle.host() == bluesky::BRIDGE_HOST).then_some(Bridge::Bluesky);
        Self {
            handle,
            rule,
            range,
            bridge,
        }
    }

    fn bridged(mut self, bridge: Bridge) -> Self {
        self.bridge = Some(bridge);
        self
    }
}

/// Finds the candidate handles in `text`, deduplicated, in order of appearance.
pub fn extract(text: &str, field: Field, opts: &ExtractOptions) -> Vec<Candidate> {
    let norm = Normalized::new(text);
    let edits = spelled::edits(norm.text());
    let norm = norm.rewritten(&edits);
    let text = norm.text();
    let mut hits = Vec::new();
    if opts.bluesky() {
        for token in tokens::tokens(text) {
            scan_token(text, token, opts, &mut hits);
        }
    } else {
        // Without the Bluesky rule only tokens with an `@` (an address) or a `/` (a link) can
        // hold anything, and most tokens are plain words: go straight to those, in order.
        let bytes = text.as_bytes();
        let mut done = 0;
        lanes::each_where(
            bytes,
            (0, 0),
            |b, at| {
                let v = lanes::load(b, at);
                lanes::bits(lanes::eq(v, b'@') | lanes::eq(v, b'/'))
            },
            |i| matches!(bytes[i], b'@' | b'/'),
            |at| {
                if at >= done {
                    let token = tokens::token_at(text, at);
                    done = token.end;
                    scan_token(text, token, opts, &mut hits);
                }
            },
        );
    }
    let mut seen = HashSet::new();
    hits.into_iter()
        .filter(|hit| seen.insert(hit.handle.clone()))
        .map(|hit| Candidate {
            matched: norm
                .original_span(hit.range.start, hit.range.end)
                .to_string(),
            handle: hit.handle,
            rule: hit.rule,
            field,
            bridge: hit.bridge,
        })
        .collect()
}

/// What the bridges that `opts` leaves off would have added: the candidates a caller may
/// mention in a hint ("1 Bluesky handle ignored"), each flagged with its bridge. Empty when
/// every bridge is on.
pub fn ignored_by_bridges(text: &str, field: Field, opts: &ExtractOptions) -> Vec<Candidate> {
    if opts.bluesky() {
        return Vec::new();
    }
    let found = extract(text, field, opts);
    let all = ExtractOptions {
        bridges: vec![Bridge::Bluesky],
    };
    extract(text, field, &all)
        .into_iter()
        .filter(|c| c.bridge.is_some() && !found.iter().any(|f| f.handle == c.handle))
        .collect()
}

/// Runs the rules over one token: the part before a link as text, the link as a link.
fn scan_token(text: &str, token: Range<usize>, opts: &ExtractOptions, out: &mut Vec<Hit>) {
    let link = link_start(text, &token);
    let prose = token.start..link.map_or(token.end, |(start, _)| start);
    if prose.start < prose.end {
        acct::find(text, prose.clone(), out);
        if opts.bluesky() {
            bluesky::find(text, prose, out);
        }
    }
    if let Some((start, has_scheme)) = link {
        urls::find(text, start..token.end, has_scheme, opts, out);
    }
}

/// Where a link starts in the token, if it holds one, and whether it has a scheme.
/// `http(s)://` anywhere counts ("Mastodon:https://…"); without a scheme, a host name right
/// before the first `/`, not glued to an `@` (`@a@host.social/` is an address).
fn link_start(text: &str, token: &Range<usize>) -> Option<(usize, bool)> {
    let part = &text[token.clone()];
    // A byte search: `str::find` with a string pattern builds a searcher per token.
    if let Some(sep) = part.as_bytes().windows(3).position(|w| w == b"://") {
        let scheme_end = token.start + sep;
        let start = scan_left(text, token.start, scheme_end, |c| c.is_ascii_alphabetic());
        let scheme = text[start..scheme_end].to_ascii_lowercase();
        return matches!(scheme.as_str(), "http" | "https").then_some((start, true));
    }
    let slash = token.start + part.bytes().position(|b| b == b'/')?;
    let start = scan_left(text, token.start, slash, is_host_char_in_token);
    let glued = start > token.start && !matches!(char_before(text, start), Some(':'));
    let dotted = text[start..slash].trim_matches('.').contains('.');
    (!glued && dotted).then_some((start, false))
}
