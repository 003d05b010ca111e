//! The link rules: profile, status and remote-view URLs of fediverse software, with or
//! without `http(s)://`.
//!
//! | path | rule | software |
//! |---|---|---|
//! | `/@u`, `/@u/…` | [`Rule::ProfileUrl`] | Mastodon, Misskey, Pleroma, GoToSocial, Threads… |
//! | `/@u/123` | [`Rule::StatusUrl`] | a post of `u` |
//! | `/web/@u`, `/deck/@u` | [`Rule::WebUrl`] | Mastodon's web app (simple and advanced UI) |
//! | `/@u@other`, `/web/@u@other` | [`Rule::RemoteViewUrl`] | an account of `other` seen from this server → `u@other` |
//! | `/<server>/@u`, `/<server>/@u@other` | [`Rule::RemoteViewUrl`] | a client (Elk, Phanpy…) showing an account of `<server>` → `u@<server>`, or of `other` seen from `<server>` → `u@other` |
//! | `/users/u` | [`Rule::UsersUrl`] | ActivityPub actor ids (Mastodon, Pleroma, GoToSocial) |
//! | `/u/u`, `/user/u`, `/profile/u`, `/c/u`, `/a/u`, `/m/u`, `/accounts/u`, `/video-channels/u`, `/channel/u` | [`Rule::PathUrl`] | Lemmy, Kbin/Mbin, BookWyrm, Friendica, PeerTube, Hubzilla, diaspora* |
//! | `/u` on a host named `pixelfed` | [`Rule::PathUrl`] | Pixelfed |
//! | `/@/u`, `/@/u@other`; `/~/Blog` | [`Rule::ProfileUrl`], [`Rule::RemoteViewUrl`]; [`Rule::PathUrl`] | Plume (an author; a blog) |
//! | `/u/@u@other`, `/u/u@other`, `/m/g@other`, `/c/g@other` | [`Rule::RemoteViewUrl`] | Kbin/Mbin, Lemmy showing an account or group of `other` |
//! | `/authorize_interaction?uri=…`, `/authorize_follow?acct=…`, `/authorize-follow`, `/ostatus_subscribe`, `/interact` | [`Rule::FollowUrl`] | a remote-follow link: the account is the parameter's (a profile link or an address) |
//!
//! A feed or document of a profile (`/@u.rss`, `/@u.atom`, `/@u.json`, `/users/u.atom`) names
//! `u`.
//!
//! Many non-fediverse sites use such paths too. `/@u` and `/users/u` are taken on any host
//! except refused ones (and `/users/<digits>` never: numeric ids belong to pixiv, Stack
//! Overflow and the like). The generic paths of the last row are taken only on a host that
//! looks federated or after a fediverse marker (and so do Lemmy's remote views `/u/u@other`
//! and Plume's blogs), because `reddit.com/u/…`,
//! `youtube.com/c/…` and `quora.com/profile/…` would otherwise flood the results.
//! Sites without `/@` paths (micro.blog, write.as: `host/name`) are not recognised: that
//! shape is every web page's.
//! Query strings and `#fragments` are ignored; a leading `www.` is dropped, and Threads'
//! web hosts map to its fediverse host `threads.net`.

use std::ops::Range;

use url::Url;

use super::context::{self, Context};
use super::{ExtractOptions, Hit, Rule, bluesky, hosts};
use crate::discover::handle::Handle;

/// First path segments of the generic profile paths (the last row of the table above).
const PROFILE_PREFIXES: &[&str] = &[
    "u",
    "user",
    "profile",
    "c",
    "a",
    "m",
    "accounts",
    "video-channels",
    "channel",
];

/// Pages that hand an account to the visitor's own server ("remote follow", "interact"),
/// and the query parameters that carry it (a profile URL, `acct:u@h`, `@u@h` or `u@h`).
const FOLLOW_PAGES: &[&str] = &[
    "authorize_interaction",
    "authorize_follow",
    "authorize-follow",
    "ostatus_subscribe",
    "interact",
];
const FOLLOW_PARAMS: &[&str] = &["uri", "acct"];

/// Feed and document forms of a profile page (`/@u.rss`): the account is `u`.
const FEED_SUFFIXES: &[&str] = &[".rss", ".atom", ".json"];

/// Pixelfed serves profiles at `host/name`; these first segments are its own pages.
#[rustfmt::skip]
const PIXELFED_PAGES: &[&str] = &[
    "about", "discover", "explore", "home", "i", "login", "notifications", "privacy",
    "register", "search", "settings", "site", "terms", "timeline", "web",
];

/// Characters a sentence may put right after a link.
const TRAILING: &[char] = &['.', ':', '?', '-'];

/// A link taken apart: the web host (normalised), the decoded non-empty path segments, and
/// the query parameters.
struct Link {
    host: String,
    segments: Vec<String>,
    query: Vec<(String, String)>,
}

/// What a link names.
struct Found {
    rule: Rule,
    handle: Handle,
    /// Generic paths (`/u/name`) count only on fediverse-looking hosts or after a marker.
    gated: bool,
}

impl Found {
    fn new(rule: Rule, handle: Handle) -> Self {
        Self {
            rule,
            handle,
            gated: false,
        }
    }

    fn gated(rule: Rule, handle: Handle) -> Self {
        Self {
            rule,
            handle,
            gated: true,
        }
    }
}

/// Finds the handle in the link that occupies `span` of `text`. `has_scheme` tells whether
/// the link starts with `http(s)://`; without it `https://` is assumed.
pub fn find(
    text: &str,
    span: Range<usize>,
    has_scheme: bool,
    opts: &ExtractOptions,
    out: &mut Vec<Hit>,
) {
    let link = text[span.clone()].trim_end_matches(TRAILING);
    let Some(parsed) = parse(link, has_scheme) else {
        return;
    };
    let range = span.start..span.start + link.len();
    if opts.bluesky()
        && let Some(handle) = bluesky::profile_url(&parsed.host, &parsed.segments)
    {
        out.push(Hit::new(handle, Rule::Bridge, range).bridged(super::Bridge::Bluesky));
        return;
    }
    let Some(found) = follow_link(&parsed).or_else(|| account_link(&parsed)) else {
        return;
    };
    if found.gated
        && !hosts::looks_federated(&parsed.host)
        && context::before(text, span.start) != Context::Fediverse
    {
        return;
    }
    out.push(Hit::new(found.handle, found.rule, range));
}

/// What a profile link names, unless its host or the account's is refused.
fn account_link(link: &Link) -> Option<Found> {
    // The path first: most links name no account, and the host lists cost more to search.
    let found = classify(&link.host, &link.segments)?;
    let refused = hosts::is_refused(&link.host) || hosts::is_refused(found.handle.host());
    (!refused).then_some(found)
}

/// The account a follow or interact page carries in its query, as an address or as a
/// profile link (a post's link names its author). The page's own host may be anyone's
/// server, so it is not judged; the account's host and link are, as everywhere.
fn follow_link(link: &Link) -> Option<Found> {
    let [page] = link.segments.as_slice() else {
        return None;
    };
    if !FOLLOW_PAGES.contains(&page.as_str()) {
        return None;
    }
    let value = link
        .query
        .iter()
        .find(|(key, _)| FOLLOW_PARAMS.contains(&key.as_str()))
        .map(|(_, value)| value.trim())?;
    let handle = if value.starts_with("http://") || value.starts_with("https://") {
        let inner = account_link(&parse(value, true)?)?;
        if inner.gated && !hosts::looks_federated(inner.handle.host()) {
            return None;
        }
        inner.handle
    } else {
        let address = value.strip_prefix("acct:").unwrap_or(value);
        let (user, host) = address.trim_start_matches('@').split_once('@')?;
        Handle::new(user, host).ok()?
    };
    if hosts::is_refused(handle.host()) {
        return None;
    }
    Some(Found::new(Rule::FollowUrl, handle))
}

/// Takes a link apart; `None` for anything but an http(s) link to a host name.
fn parse(link: &str, has_scheme: bool) -> Option<Link> {
    let url = if has_scheme {
        Url::parse(link).ok()?
    } else {
        Url::parse(&format!("https://{link}")).ok()?
    };
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let Some(url::Host::Domain(host)) = url.host() else {
        return None;
    };
    let segments = url
        .path_segments()?
        .filter(|s| !s.is_empty())
        .map(decode_at)
        .collect();
    let query = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Some(Link {
        host: web_host(host),
        segments,
        query,
    })
}

/// Decodes the one escape that matters here: `%40` is `@`.
fn decode_at(segment: &str) -> String {
    segment.replace("%40", "@")
}

/// The host whose accounts a web host shows: without `www.`, and Threads' web hosts as
/// `threads.net`, the domain of its fediverse handles.
fn web_host(host: &str) -> String {
    let host = host.strip_prefix("www.").unwrap_or(host);
    match host {
        "threads.com" => "threads.net".to_string(),
        other => other.to_string(),
    }
}

/// Which rule the path matches, and the handle it names.
fn classify(host: &str, segments: &[String]) -> Option<Found> {
    let (first, rest) = segments.split_first()?;
    if let Some(name) = first.strip_prefix('@').filter(|n| !n.is_empty()) {
        let rule = match rest.first() {
            Some(next) if next.bytes().all(|b| b.is_ascii_digit()) => Rule::StatusUrl,
            _ => Rule::ProfileUrl,
        };
        return at_path(host, name, rule);
    }
    if rest.is_empty() && is_pixelfed(host) && !PIXELFED_PAGES.contains(&first.as_str()) {
        return Some(Found::new(Rule::PathUrl, Handle::new(first, host).ok()?));
    }
    let (second, _) = rest.split_first()?;
    if let Some(name) = second.strip_prefix('@')
        && is_domain(first)
    {
        return at_path(first, name, Rule::RemoteViewUrl);
    }
    match first.as_str() {
        // Plume: `/@/u` (and `/@/u@other` for a remote account).
        "@" => at_path(host, second, Rule::ProfileUrl),
        "web" | "deck" => at_path(host, second.strip_prefix('@')?, Rule::WebUrl),
        "users" if !second.bytes().all(|b| b.is_ascii_digit()) => {
            let name = without_feed(second);
            Some(Found::new(Rule::UsersUrl, Handle::new(name, host).ok()?))
        }
        // Plume's blogs, `/~/Blog`: not `/~user` (sourcehut, tilde servers).
        "~" => Some(Found::gated(Rule::PathUrl, Handle::new(second, host).ok()?)),
        prefix if PROFILE_PREFIXES.contains(&prefix) => generic_path(host, second),
        _ => None,
    }
}

/// `/u/name` and the like; `/u/@name@other` (Kbin/Mbin showing a remote account) counts on
/// any host, `/u/name@other` (Lemmy) like the generic paths.
fn generic_path(host: &str, second: &str) -> Option<Found> {
    if let Some(remote) = second.strip_prefix('@') {
        let (user, other) = remote.split_once('@')?;
        return Some(Found::new(
            Rule::RemoteViewUrl,
            Handle::new(user, other).ok()?,
        ));
    }
    match second.split_once('@') {
        Some((user, other)) => Some(Found::gated(
            Rule::RemoteViewUrl,
            Handle::new(user, other).ok()?,
        )),
        None => Some(Found::gated(Rule::PathUrl, Handle::new(second, host).ok()?)),
    }
}

/// `@u` on `host`, or `@u@other` (an account of `other` seen through `host`).
fn at_path(host: &str, name: &str, rule: Rule) -> Option<Found> {
    match name.split_once('@') {
        Some((user, other)) => Some(Found::new(
            Rule::RemoteViewUrl,
            Handle::new(user, other).ok()?,
        )),
        None => Some(Found::new(
            rule,
            Handle::new(without_feed(name), host).ok()?,
        )),
    }
}

/// `alice.rss` → `alice`: a profile's feed names the profile's account.
fn without_feed(name: &str) -> &str {
    FEED_SUFFIXES
        .iter()
        .find_map(|suffix| {
            let cut = name.len().checked_sub(suffix.len())?;
            name.get(cut..)
                .filter(|tail| tail.eq_ignore_ascii_case(suffix))
                .map(|_| &name[..cut])
        })
        .filter(|stem| !stem.is_empty())
        .unwrap_or(name)
}

/// A path segment that is a domain name (`mas.to` in `elk.zone/mas.to/@ari`): a client
/// showing an account of that server.
fn is_domain(segment: &str) -> bool {
    segment.contains('.') && crate::discover::handle::normalize_host(segment).is_ok()
}

/// A host named for Pixelfed (`pixelfed.social`, `pixelfed.de`, `mypixelfed.example`).
fn is_pixelfed(host: &str) -> bool {
    host.split('.').any(|label| label.contains("pixelfed"))
}
