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
//!
//! Many non-fediverse sites use such paths too. `/@u` and `/users/u` are taken on any host
//! except refused ones (and `/users/<digits>` never: numeric ids belong to pixiv, Stack
//! Overflow and the like). The generic paths of the last row are taken only on a host that
//! looks federated or after a fediverse marker, because `reddit.com/u/…`,
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

/// Pixelfed serves profiles at `host/name`; these first segments are its own pages.
#[rustfmt::skip]
const PIXELFED_PAGES: &[&str] = &[
    "about", "discover", "explore", "home", "i", "login", "notifications", "privacy",
    "register", "search", "settings", "site", "terms", "timeline", "web",
];

/// Characters a sentence may put right after a link.
const TRAILING: &[char] = &['.', ':', '?', '-'];

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
    let Some((host, segments)) = parse(link, has_scheme) else {
        return;
    };
    let range = span.start..span.start + link.len();
    if opts.bluesky()
        && let Some(handle) = bluesky::profile_url(&host, &segments)
    {
        out.push(Hit::new(handle, Rule::Bridge, range).bridged(super::Bridge::Bluesky));
        return;
    }
    if hosts::is_refused(&host) {
        return;
    }
    let Some((rule, handle)) = classify(&host, &segments) else {
        return;
    };
    if hosts::is_refused(handle.host()) {
        return;
    }
    if rule == Rule::PathUrl
        && !hosts::looks_federated(&host)
        && context::before(text, span.start) != Context::Fediverse
    {
        return;
    }
    out.push(Hit::new(handle, rule, range));
}

/// The web host (normalised) and the decoded, non-empty path segments of a link.
fn parse(link: &str, has_scheme: bool) -> Option<(String, Vec<String>)> {
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
    Some((web_host(host), segments))
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
fn classify(host: &str, segments: &[String]) -> Option<(Rule, Handle)> {
    let (first, rest) = segments.split_first()?;
    if let Some(name) = first.strip_prefix('@') {
        let rule = match rest.first() {
            Some(next) if next.bytes().all(|b| b.is_ascii_digit()) => Rule::StatusUrl,
            _ => Rule::ProfileUrl,
        };
        return at_path(host, name, rule);
    }
    if rest.is_empty() && is_pixelfed(host) && !PIXELFED_PAGES.contains(&first.as_str()) {
        return Some((Rule::PathUrl, Handle::new(first, host).ok()?));
    }
    let (second, _) = rest.split_first()?;
    if let Some(name) = second.strip_prefix('@')
        && is_domain(first)
    {
        return at_path(first, name, Rule::RemoteViewUrl);
    }
    match first.as_str() {
        "web" | "deck" => at_path(host, second.strip_prefix('@')?, Rule::WebUrl),
        "users" if !second.bytes().all(|b| b.is_ascii_digit()) => {
            Some((Rule::UsersUrl, Handle::new(second, host).ok()?))
        }
        prefix if PROFILE_PREFIXES.contains(&prefix) => {
            Some((Rule::PathUrl, Handle::new(second, host).ok()?))
        }
        _ => None,
    }
}

/// `@u` on `host`, or `@u@other` (an account of `other` seen through `host`).
fn at_path(host: &str, name: &str, rule: Rule) -> Option<(Rule, Handle)> {
    match name.split_once('@') {
        Some((user, other)) => Some((Rule::RemoteViewUrl, Handle::new(user, other).ok()?)),
        None => Some((rule, Handle::new(name, host).ok()?)),
    }
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
