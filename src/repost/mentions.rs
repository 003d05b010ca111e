//! Twitter `@name`s in a re-posted tweet: dropped when they only say whom a reply answers,
//! turned into fediverse handles when `find` matched the person, and made harmless otherwise.
//!
//! Why unmatched names must change: Mastodon resolves a bare `@name` against its *local*
//! accounts (`ProcessMentionsService`), so `@alice` from 2014 would notify whoever holds
//! `alice` on the user's instance today, someone unrelated. The default rendering swaps the
//! ASCII `@` for the full-width `＠` (U+FF20): the text reads the same, counts the same one
//! character, and no server's mention pattern (Mastodon, GoToSocial, Pleroma, Misskey: all
//! ASCII `@`) takes it for a mention. Appending `@twitter.com` was rejected: Mastodon would
//! try to WebFinger it. The alternative rendering is a link to the Twitter profile, which
//! costs a link's width but leads somewhere.
//!
//! An `@user@domain` the tweet itself wrote (people posted their new handles) names an
//! exact fediverse account and is kept. Links are never touched. Pure.

use std::collections::HashMap;

use serde::Serialize;

use super::entities::{self, UrlSpan};
use crate::discover::Handle;

/// How a mention of someone `find` did not match is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmatchedMentions {
    /// `＠name`: reads as before, links and notifies no one.
    #[default]
    Fullwidth,
    /// `https://twitter.com/name`: a link to the old profile.
    ProfileLink,
}

/// Twitter username (any case) → the person's fediverse handle, from `find`'s results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MentionMap {
    by_name: HashMap<String, Handle>,
}

impl MentionMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that Twitter's `@name` is now `handle`.
    pub fn insert(&mut self, twitter_name: &str, handle: Handle) {
        let name = twitter_name.trim().trim_start_matches(['@', '＠']);
        self.by_name.insert(name.to_ascii_lowercase(), handle);
    }

    pub fn get(&self, twitter_name: &str) -> Option<&Handle> {
        self.by_name.get(&twitter_name.to_ascii_lowercase())
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

/// The text without the `@name`s a reply starts with (Twitter puts the people answered
/// there; the fediverse post replies to our own thread or to nothing).
pub fn strip_reply_prefix(text: &str) -> &str {
    let mut rest = text.trim_start();
    loop {
        let Some(sign) = rest.chars().next().filter(|c| *c == '@' || *c == '＠') else {
            return rest;
        };
        let name_len = twitter_name_len(&rest[sign.len_utf8()..]);
        let after = &rest[sign.len_utf8() + name_len..];
        let ends = after.chars().next().is_none_or(char::is_whitespace);
        if name_len == 0 || !ends {
            return rest;
        }
        rest = after.trim_start();
    }
}

/// Rewrites every `@name` outside links: matched → `@user@host`, unmatched → harmless.
pub fn render(text: &str, map: &MentionMap, unmatched: UnmatchedMentions) -> String {
    let urls = entities::urls(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut last = 0;
    let mut i = 0;
    while let Some(found) = text[i..].find(['@', '＠']).map(|k| i + k) {
        i = found + text[found..].chars().next().map_or(1, char::len_utf8);
        if found < last || entities::inside(&urls, found) {
            continue;
        }
        if let Some((end, with)) = rewrite_at(text, found, &urls, map, unmatched) {
            out.push_str(&text[last..found]);
            out.push_str(&with);
            last = end;
            i = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// The replacement for the sign at `at` and the byte where it ends, or `None` to keep it.
fn rewrite_at(
    text: &str,
    at: usize,
    urls: &[UrlSpan],
    map: &MentionMap,
    unmatched: UnmatchedMentions,
) -> Option<(usize, String)> {
    let sign = text[at..].chars().next()?;
    let name_start = at + sign.len_utf8();
    let name_end = name_start + twitter_name_len(&text[name_start..]);
    if name_end == name_start {
        return None;
    }
    let mastodon = entities::mention_at(text, at);
    if sign == '@' && mastodon.is_some_and(|m| is_handle(&text[m.user_end..m.end])) {
        return mastodon.map(|m| (m.end, text[at..m.end].to_string()));
    }
    let name = &text[name_start..name_end];
    let clean_end = !continues_username(&text[name_end..]);
    if twitter_may_start(text, at) && clean_end && !entities::inside(urls, name_end) {
        if let Some(handle) = map.get(name) {
            return Some((name_end, format!("@{handle}")));
        }
        if sign == '@'
            && unmatched == UnmatchedMentions::ProfileLink
            && entities::mention_may_start(text, at)
        {
            return Some((name_end, format!("https://twitter.com/{name}")));
        }
    }
    (sign == '@' && entities::mention_may_start(text, at)).then(|| (name_start, "＠".to_string()))
}

/// True for `@domain` with a dot: a handle written out in full.
fn is_handle(domain_part: &str) -> bool {
    domain_part.len() > 1 && domain_part[1..].contains('.')
}

/// True when what follows a Twitter name would extend it into a longer Mastodon username or
/// a handle (`.x`, `-x`, `@`).
fn continues_username(after: &str) -> bool {
    let mut chars = after.chars();
    match chars.next() {
        Some('@') => true,
        Some('.' | '-') => chars
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_'),
        _ => false,
    }
}

/// Twitter's rule for where a mention may start: not after a letter, digit or `_ ! # $ % & *
/// @ ＠`.
fn twitter_may_start(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || "_!#$%&*@＠".contains(c)))
}

/// The length of the Twitter username (`[A-Za-z0-9_]+`) at the start of `s`.
fn twitter_name_len(s: &str) -> usize {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> MentionMap {
        let mut m = MentionMap::new();
        m.insert("Alice", Handle::new("alice", "example.social").unwrap());
        m.insert("@bob_b", Handle::new("bob", "other.example").unwrap());
        m
    }

    #[test]
    fn mentions_render_by_match() {
        let table = [
            ("hi @alice!", "hi @alice@example.social!"),
            (
                "hi @ALICE and @Bob_B",
                "hi @alice@example.social and @bob@other.example",
            ),
            ("hi @carol", "hi ＠carol"),
            ("@carol: yes", "＠carol: yes"),
            ("RT @carol: hello", "RT ＠carol: hello"),
            ("mail carol@example.org", "mail carol@example.org"),
            ("see https://x.com/@alice ok", "see https://x.com/@alice ok"),
            (
                "new home: @dan@mastodon.social",
                "new home: @dan@mastodon.social",
            ),
            ("@alice.smith", "＠alice.smith"),
            ("@carol@home", "＠carol@home"),
            ("@ alone, a@ b", "@ alone, a@ b"),
            ("＠alice full-width", "@alice@example.social full-width"),
            ("＠carol stays", "＠carol stays"),
            ("日本@carol", "日本@carol"),
            ("(@carol)", "(＠carol)"),
            ("x=@carol /@carol", "x=@carol /@carol"),
        ];
        for (text, want) in table {
            assert_eq!(
                render(text, &map(), UnmatchedMentions::Fullwidth),
                want,
                "{text}"
            );
        }
    }

    #[test]
    fn unmatched_names_can_become_profile_links() {
        let got = render(
            "hi @carol and @alice",
            &map(),
            UnmatchedMentions::ProfileLink,
        );
        assert_eq!(
            got,
            "hi https://twitter.com/carol and @alice@example.social"
        );
    }

    #[test]
    fn rendered_text_mentions_only_matched_people() {
        for text in [
            "@carol",
            "a @carol.b",
            "@carol-x y",
            "(@carol)",
            "RT @carol:",
        ] {
            let out = render(text, &map(), UnmatchedMentions::Fullwidth);
            let found = entities::mentions(&out, &entities::urls(&out));
            assert!(found.is_empty(), "{text} -> {out} still mentions {found:?}");
        }
    }

    #[test]
    fn reply_prefixes_are_dropped() {
        let table = [
            ("@ann @bob thanks", "thanks"),
            ("@ann", ""),
            ("  @ann\n@bob  yes @carol", "yes @carol"),
            ("@ann's idea", "@ann's idea"),
            ("hello @ann", "hello @ann"),
            ("＠ann hi", "hi"),
        ];
        for (text, want) in table {
            assert_eq!(strip_reply_prefix(text), want, "{text}");
        }
    }
}
