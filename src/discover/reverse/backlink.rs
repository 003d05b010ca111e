//! The proof rule of `find --reverse`: does a fediverse account name the Twitter account it
//! was found for? Pure: a [`FediAccount`] and the Twitter account's names in, a [`Verdict`]
//! out.
//!
//! A **backlink** is one of these, in a profile field (verified fields first) or the bio:
//! - a link to the Twitter profile: `twitter.com/NAME`, `x.com/NAME`, with `www.`,
//!   `mobile.` or `m.`, with or without a scheme, `twitter.com/#!/NAME`, the tabs of a
//!   profile (`/NAME/media`), and follow links (`twitter.com/intent/user?screen_name=NAME`,
//!   `/intent/follow?…`); the same profile on a read-only mirror (`xcancel.com/NAME`, a
//!   Nitter instance `nitter.HOST/NAME`): it shows exactly one Twitter account, like the
//!   link it stands for;
//! - `@NAME@twitter.com` or `@NAME@x.com` (a Twitter account written as an address);
//! - `@NAME` next to a Twitter/X marker in the same clause: "Twitter: @name", "@name on
//!   Twitter", "formerly @name on the bird site", "𝕏: @name" (see [`MARKERS`]);
//! - in a field *named* like a marker ("Twitter", "X", "🐦"): the bare `NAME` or `@NAME`.
//!
//! NAME is compared without case against every name the account is known by (its current
//! and past usernames), and whole: `@alice` is not `@alice_b`, `twitter.com/alice-b` is no
//! profile link. Never proof: a link to a tweet (`twitter.com/NAME/status/…`: anyone may
//! link anyone's tweet), `@NAME` with no marker (a fediverse mention), `@NAME@host` (a
//! fediverse address), `@NAME.bsky.social`, and names that only look alike (a name ends
//! only where letters end: `@alicе` with a Cyrillic `е` is not `@alic`). A link or `@NAME`
//! right after a word that says it is someone else ([`NOT_SELF`]: "not @name on Twitter",
//! "avatar by twitter.com/name") is neither proof nor another account.
//!
//! Without a backlink, an account whose username or display name is the Twitter account's
//! is [`Verdict::Possible`], with the reason; an account whose backlinks all name *another*
//! Twitter account is [`Verdict::Unrelated`] whatever its name. A profile that names several
//! Twitter accounts proves the one in its best place (a verified field, a field, the bio);
//! when another one stands in a better place it is [`Verdict::Unrelated`], and when another
//! one stands in as good a place, only an account with the same name as the Twitter
//! account is proven, any other is [`Verdict::Possible`].

use super::FediAccount;
use super::html::{self, Html};

/// Words that say "this is about Twitter", compared lowercase after trimming punctuation.
#[rustfmt::skip]
pub const MARKERS: &[&str] = &[
    "twitter", "twitter.com", "x.com", "birdsite", "birdapp", "bird-site", "bird-app",
    "𝕏", "🐦", "🐤", "twttr",
];

/// The second word of two-word markers: "bird site", "bird app", "blue bird".
const BIRD_WORDS: &[&str] = &["site", "app", "place"];

/// How many words may stand between a marker and `@NAME` ("Twitter (mostly dormant): @a").
const WINDOW: usize = 4;

/// Words that, right before a link or `@NAME`, say it is not the profile's own account:
/// credits ("avatar by"), company ("with", "for"), denial ("not", "not the").
#[rustfmt::skip]
pub const NOT_SELF: &[&str] = &[
    "not", "by", "via", "cc", "ft", "feat", "with", "for", "credit", "credits",
    "pfp", "avatar", "icon", "header", "banner", "art", "artist", "photo", "drawn",
];

/// Words in a field's name that say its value is someone else: the artist of the avatar or
/// header, a partner, an employer or a project ("Avatar: twitter.com/bob" credits bob).
#[rustfmt::skip]
const OTHER_LABELS: &[&str] = &[
    "avatar", "pfp", "icon", "header", "banner", "art", "artist", "artwork", "photo",
    "picture", "illustration", "credit", "credits", "by", "partner", "spouse", "wife",
    "husband", "boyfriend", "girlfriend", "employer", "company", "work", "team", "band",
    "podcast", "project", "org", "organisation", "organization", "shop", "store",
];

/// Read-only mirrors of Twitter profiles (besides any `nitter.*` host).
const MIRRORS: &[&str] = &["xcancel.com", "nitter.net"];

/// Paths on twitter.com that are not accounts.
#[rustfmt::skip]
const RESERVED: &[&str] = &[
    "i", "home", "search", "share", "hashtag", "explore", "settings", "messages",
    "notifications", "login", "signup", "tos", "privacy", "about",
];

/// Where a proof was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A profile field, by its name; `verified` when the server checked its link (`verified_at`).
    Field { name: String, verified: bool },
    /// The bio.
    Note,
}

/// How a proof names the Twitter account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// A link to the profile (`twitter.com/NAME`, `x.com/NAME`, mobile links).
    ProfileLink,
    /// A follow link (`twitter.com/intent/user?screen_name=NAME`).
    IntentLink,
    /// `@NAME` next to a Twitter/X marker.
    Marker,
    /// The name alone in a field named Twitter or X.
    FieldName,
}

/// One backlink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proof {
    pub place: Place,
    pub how: How,
    /// The text that names the account (the link, or the words around `@NAME`).
    pub text: String,
}

/// What the matcher concludes about one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The account names the Twitter account; proofs best first (verified fields, fields,
    /// the bio).
    Proven(Vec<Proof>),
    /// Looks like the same person but does not say so: why.
    Possible(String),
    /// Not this person.
    Unrelated,
}

/// The Twitter account looked for: its usernames (current first, then past ones) and its
/// display name, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub usernames: Vec<String>,
    pub display_name: Option<String>,
}

impl Wanted {
    fn is_ours(&self, name: &str) -> bool {
        self.usernames.iter().any(|u| u.eq_ignore_ascii_case(name))
    }
}

/// A Twitter account a text names, with the proof text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Named {
    name: String,
    how: How,
    text: String,
}

/// Judges `account` for `wanted` (see the module docs).
pub fn judge(account: &FediAccount, wanted: &Wanted) -> Verdict {
    let mut proofs = Vec::new();
    let mut others: Vec<(u8, String)> = Vec::new();
    for (place, named) in backlinks(account) {
        if wanted.is_ours(&named.name) {
            let proof = Proof {
                place: place.clone(),
                how: named.how,
                text: named.text,
            };
            if !proofs.contains(&proof) {
                proofs.push(proof);
            }
        } else {
            others.push((rank(&place), named.name));
        }
    }
    let best_other = others.iter().map(|(rank, _)| *rank).min();
    if !proofs.is_empty() {
        proofs.sort_by_key(|p| rank(&p.place));
        let ours = rank(&proofs[0].place);
        return match best_other {
            Some(other) if other < ours => Verdict::Unrelated,
            Some(other) if other == ours && look_alike(account, wanted).is_none() => {
                let names: Vec<String> = others.iter().map(|(_, n)| format!("@{n}")).collect();
                Verdict::Possible(format!(
                    "the profile names @{} on Twitter, but also {}, and its name is not @{}'s",
                    wanted.usernames[0],
                    names.join(", "),
                    wanted.usernames[0]
                ))
            }
            _ => Verdict::Proven(proofs),
        };
    }
    if best_other.is_some() {
        return Verdict::Unrelated;
    }
    match look_alike(account, wanted) {
        Some(why) => Verdict::Possible(why),
        None => Verdict::Unrelated,
    }
}

/// How good a place for a proof is: verified fields, fields, the bio.
fn rank(place: &Place) -> u8 {
    match place {
        Place::Field { verified: true, .. } => 0,
        Place::Field { .. } => 1,
        Place::Note => 2,
    }
}

/// Every Twitter account the profile names, with where: fields first, then the bio.
fn backlinks(account: &FediAccount) -> Vec<(Place, Named)> {
    let mut found = Vec::new();
    for field in &account.fields {
        if is_other_label(&field.name) {
            continue;
        }
        let place = Place::Field {
            name: field.name.trim().to_string(),
            verified: field.verified_at.is_some(),
        };
        let value = html::read(&field.value);
        let labelled = is_marker_label(&field.name);
        for named in in_text(&value, labelled) {
            found.push((place.clone(), named));
        }
    }
    let note = html::read(&account.note);
    for named in in_text(&note, false) {
        found.push((Place::Note, named));
    }
    found
}

/// The Twitter accounts a text names: its links, `@NAME` by a marker, and (in a field named
/// like a marker, `labelled`) the bare name.
fn in_text(html: &Html, labelled: bool) -> Vec<Named> {
    let mut found: Vec<Named> = Vec::new();
    let words: Vec<&str> = html.text.split(is_token_break).collect();
    let not_self: Vec<String> = (1..words.len())
        .filter(|&i| follows_not_self(&words, i))
        .filter_map(|i| link_target(words[i]).or_else(|| address_target(words[i])))
        .map(|named| named.name)
        .collect();
    let tokens = html.links.iter().map(String::as_str).chain(words);
    for token in tokens {
        if let Some(named) = link_target(token).or_else(|| address_target(token))
            && !not_self.iter().any(|n| n.eq_ignore_ascii_case(&named.name))
            && !found
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(&named.name))
        {
            found.push(named);
        }
    }
    found.extend(marked_mentions(&html.text, labelled));
    let bare = bare_name(&html.text).filter(|_| labelled);
    if let Some(name) = bare.filter(|n| !found.iter().any(|f| f.name.eq_ignore_ascii_case(n))) {
        found.push(Named {
            name: name.to_string(),
            how: How::FieldName,
            text: html.text.trim().to_string(),
        });
    }
    found
}

/// True when `words[i]` comes right after a [`NOT_SELF`] word, "the" or "a" between them
/// allowed ("not the @name", "by twitter.com/name").
fn follows_not_self(words: &[&str], i: usize) -> bool {
    let before = words[..i]
        .iter()
        .rev()
        .map(|w| trim_word(w))
        .filter(|w| !w.is_empty())
        .find(|w| !matches!(w.as_str(), "the" | "a"));
    before.is_some_and(|w| NOT_SELF.contains(&w.trim_end_matches(':')))
}

/// The account of `@NAME@twitter.com` or `@NAME@x.com` (a leading `@`: without it, it is an
/// e-mail address).
fn address_target(token: &str) -> Option<Named> {
    let token = token.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    let (name, host) = token.strip_prefix('@')?.split_once('@')?;
    let host = host.to_ascii_lowercase();
    (is_username(name) && (host == "twitter.com" || host == "x.com")).then(|| Named {
        name: name.to_string(),
        how: How::Marker,
        text: token.to_string(),
    })
}

fn is_token_break(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '<' | '>' | '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}'
        )
}

/// The account a Twitter link points at, if it is a profile or follow link.
fn link_target(token: &str) -> Option<Named> {
    let token = token.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    let lower = token.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let host = &rest[..end];
    let host = ["www.", "mobile.", "m."]
        .iter()
        .find_map(|p| host.strip_prefix(p))
        .unwrap_or(host);
    let mirror = MIRRORS.contains(&host) || host.starts_with("nitter.");
    if host != "twitter.com" && host != "x.com" && !mirror {
        return None;
    }
    let offset = token.len() - rest.len() + end;
    let path = &token[offset..];
    let path = path
        .strip_prefix("/#!")
        .or(path.strip_prefix("#!"))
        .unwrap_or(path);
    let (name, how) = profile_path(path)?;
    Some(Named {
        name,
        how,
        text: token.to_string(),
    })
}

/// The account of a profile path (`/NAME`, `/NAME/`, `/NAME/media`, `/NAME?s=20`) or a
/// follow link (`/intent/user?screen_name=NAME`).
fn profile_path(path: &str) -> Option<(String, How)> {
    let path = path.strip_prefix('/')?;
    let name_len = path.find(|c: char| !is_name_char(c)).unwrap_or(path.len());
    let (name, after) = path.split_at(name_len);
    if name.is_empty() {
        return None;
    }
    if name.eq_ignore_ascii_case("intent") {
        let query = after.split_once('?')?.1;
        let kind = after.split('?').next().unwrap_or("");
        if !matches!(kind.to_ascii_lowercase().as_str(), "/user" | "/follow") {
            return None;
        }
        let value = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("screen_name="))?;
        return is_username(value).then(|| (value.to_string(), How::IntentLink));
    }
    if RESERVED.contains(&name.to_ascii_lowercase().as_str()) || name.len() > 15 {
        return None;
    }
    let tail = after.split(['?', '#']).next().unwrap_or("");
    let tab = tail.trim_matches('/').to_ascii_lowercase();
    let profile = matches!(
        tab.as_str(),
        "" | "with_replies" | "media" | "likes" | "highlights"
    );
    profile.then(|| (name.to_string(), How::ProfileLink))
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// A Twitter username: 1 to 15 letters, digits or `_`.
fn is_username(text: &str) -> bool {
    (1..=15).contains(&text.len()) && text.chars().all(is_name_char)
}

/// The text of a field named Twitter/X when it is a name alone (`alice`, `@alice`).
fn bare_name(text: &str) -> Option<&str> {
    let name = text.trim();
    let name = name.strip_prefix('@').unwrap_or(name);
    is_username(name).then_some(name)
}

/// True for a field name that says its value is someone else's (see [`OTHER_LABELS`]).
fn is_other_label(name: &str) -> bool {
    words_of(name)
        .iter()
        .any(|w| OTHER_LABELS.contains(&w.as_str()))
}

/// True for a field name that says Twitter or X ("Twitter", "X", "𝕏", "Twitter/X", "Old
/// Twitter", "🐦").
fn is_marker_label(name: &str) -> bool {
    let name = name.trim();
    if name.eq_ignore_ascii_case("x") || name == "X:" {
        return true;
    }
    let words = words_of(name);
    words.iter().any(|w| is_marker(w)) || words.windows(2).any(|w| is_bird_pair(&w[0], &w[1]))
}

/// The words of a text, lowercased and trimmed of punctuation, split at `/` too.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '/')
        .map(trim_word)
        .filter(|w| !w.is_empty())
        .collect()
}

fn trim_word(word: &str) -> String {
    word.trim_matches(|c: char| {
        c.is_ascii_punctuation() && c != '@' && c != '_' || matches!(c, '–' | '—' | '“' | '”')
    })
    .to_lowercase()
}

fn is_marker(word: &str) -> bool {
    MARKERS.contains(&word)
}

fn is_bird_pair(first: &str, second: &str) -> bool {
    first == "bird" && BIRD_WORDS.contains(&second)
}

/// `@NAME` in a clause with a marker at most [`WINDOW`] words away (or anywhere in a field
/// named like one, `labelled`), with no other address or link in between.
fn marked_mentions(text: &str, labelled: bool) -> Vec<Named> {
    let mut found = Vec::new();
    for clause in clauses(text) {
        let raw: Vec<&str> = clause.split_whitespace().collect();
        for (i, word) in raw.iter().enumerate() {
            let Some(name) = mention(word) else { continue };
            if follows_not_self(&raw, i) {
                continue;
            }
            if labelled || marker_near(&raw, i) {
                found.push(Named {
                    name: name.to_string(),
                    how: How::Marker,
                    text: clause.trim().to_string(),
                });
            }
        }
    }
    found
}

/// The clauses of a text: split at line breaks, `|`, `·`, `•`, `;` and sentence ends.
fn clauses(text: &str) -> Vec<&str> {
    text.split(['\n', '|', '·', '•', ';'])
        .flat_map(|part| part.split(". "))
        .filter(|c| !c.trim().is_empty())
        .collect()
}

/// The Twitter name in a word that is `@NAME` (with punctuation around it), not a fediverse
/// address (`@a@host`), a domain (`@a.bsky.social`) or an e-mail address.
fn mention(word: &str) -> Option<&str> {
    let at = word.find('@')?;
    let before = &word[..at];
    if before
        .chars()
        .any(|c| c.is_alphanumeric() || c == '_' || c == '.')
    {
        return None;
    }
    let rest = &word[at + 1..];
    let len = rest.find(|c: char| !is_name_char(c)).unwrap_or(rest.len());
    let (name, after) = rest.split_at(len);
    let glued = after.starts_with(|c: char| c == '@' || c.is_alphanumeric())
        || after
            .strip_prefix(['.', '-'])
            .is_some_and(|a| a.starts_with(|c: char| c.is_alphanumeric()));
    (is_username(name) && !glued).then_some(name)
}

/// True when a marker stands within [`WINDOW`] words of `raw[i]`, with no other mention or
/// link between them.
fn marker_near(raw: &[&str], i: usize) -> bool {
    let blocks = |w: &str| mention(w).is_some() || w.contains("://") || w.contains('@');
    let hit = |j: usize| {
        let word = trim_word(raw[j]);
        is_marker(&word)
            || (raw[j] == "X" || raw[j] == "X:" || raw[j] == "(X)")
            || (j + 1 < raw.len() && is_bird_pair(&word, &trim_word(raw[j + 1])))
    };
    let before = (i.saturating_sub(WINDOW + 1)..i).rev();
    for j in before {
        if hit(j) {
            return true;
        }
        if blocks(raw[j]) {
            break;
        }
    }
    for j in (i + 1..raw.len()).take(WINDOW + 1) {
        if blocks(raw[j]) {
            break;
        }
        if hit(j) {
            return true;
        }
    }
    false
}

/// Why an account without a backlink may still be the person: the same username (compared
/// without case, `_`, `.` and `-`) or the same display name.
fn look_alike(account: &FediAccount, wanted: &Wanted) -> Option<String> {
    let username = loose(&account.username);
    if let Some(name) = wanted.usernames.iter().find(|u| loose(u) == username) {
        return Some(format!(
            "same username as @{name} on Twitter, but the profile does not link back to it"
        ));
    }
    let theirs = letters(&account.display_name);
    let ours = wanted.display_name.as_deref().map(letters);
    if theirs.chars().count() >= 3 && ours.as_deref() == Some(theirs.as_str()) {
        return Some(format!(
            "same display name as on Twitter (\"{}\"), but the profile does not link back to it",
            account.display_name.trim()
        ));
    }
    None
}

/// A username compared loosely: lowercase, without `_`, `.` and `-`.
fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '.' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A display name's letters and digits, lowercase (emoji, spaces and punctuation dropped).
fn letters(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests;
