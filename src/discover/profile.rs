//! Profiles of followed accounts, from whatever source had them (a profile file, the X API,
//! the archive), merged per account; and the handles found in them, with the evidence for
//! each.
//!
//! Pure: reading files is [`super::profile_file`]'s job, fetching is the X API client's.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::extract::{Bridge, ExtractOptions, Field, Rule, extract};
use super::handle::Handle;

/// What we know about one Twitter/X account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The numeric account id, as in `following.js`. `None` for a record that only had a
    /// username: it can still be matched by username.
    pub id: Option<String>,
    /// The @-name without the `@`.
    pub username: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// The profile's website field (often a `t.co` link; see `expanded_urls`).
    pub url: Option<String>,
    pub location: Option<String>,
    pub pinned_text: Option<String>,
    /// Links behind the `t.co` link of the website field (and link lists of unknown origin).
    pub expanded_urls: Vec<String>,
    /// More texts to scan, each with the field it belongs to: links behind the bio's and the
    /// pinned post's `t.co` links, and fields another source had different from the ones kept
    /// (a second profile file's bio is scanned too, not dropped).
    #[serde(default)]
    pub more: Vec<(Field, String)>,
    /// Where this record came from (for a merged record: the first one).
    pub source: ProfileSource,
}

/// Where a profile record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ProfileSource {
    /// A `--profiles` file; `record` counts from 1 (the line, for CSV and JSONL).
    File { file: String, record: usize },
    /// The X API.
    XApi,
    /// The user's own archive (mentions and replies).
    Archive,
}

/// One piece of evidence for a handle: where it was found and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Which side said it: the Twitter account's profile or tweets, or the fediverse
    /// account's own profile (`find --reverse`).
    pub source: Source,
    pub field: Field,
    /// The name of the fediverse profile field that holds the proof (`"Twitter"`), for
    /// `fedi-field` evidence only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub rule: Rule,
    /// The original text the rule matched.
    pub matched: String,
}

/// Where a piece of evidence was read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The Twitter side: a profile record or the owner's tweets.
    #[default]
    Twitter,
    /// The fediverse side: an account found by searching (`find --reverse`) whose profile
    /// names the Twitter account (or, for a `possible` one, only looks like it).
    Reverse,
}

impl Evidence {
    /// Evidence read on the Twitter side.
    pub fn twitter(field: Field, rule: Rule, matched: String) -> Self {
        Self {
            source: Source::Twitter,
            field,
            label: None,
            rule,
            matched,
        }
    }
}

/// A handle found in a profile, with every piece of evidence for it across fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub handle: Handle,
    /// Set when the handle is a bridge's address for another network's account.
    pub bridge: Option<Bridge>,
    pub evidence: Vec<Evidence>,
}

impl Profile {
    /// An empty record from `source`.
    pub fn new(source: ProfileSource) -> Self {
        Self {
            id: None,
            username: None,
            display_name: None,
            description: None,
            url: None,
            location: None,
            pinned_text: None,
            expanded_urls: Vec::new(),
            more: Vec::new(),
            source,
        }
    }

    /// Adds a text to scan for `field`, unless the record already has it.
    pub fn add_more(&mut self, field: Field, text: String) {
        let known = self.texts().any(|(f, t)| f == field && same_text(t, &text));
        if !known {
            self.more.push((field, text));
        }
    }

    /// True when the record has nothing to scan.
    pub fn is_empty(&self) -> bool {
        self.texts().next().is_none()
    }

    /// The texts to scan, in the order evidence is reported: name, bio, location, website,
    /// expanded links, pinned post, then the further texts of [`Profile::more`].
    pub fn texts(&self) -> impl Iterator<Item = (Field, &str)> {
        let singles = [
            (Field::Name, &self.display_name),
            (Field::Description, &self.description),
            (Field::Location, &self.location),
            (Field::Url, &self.url),
        ];
        singles
            .into_iter()
            .filter_map(|(field, text)| text.as_deref().map(|t| (field, t)))
            .chain(self.expanded_urls.iter().map(|u| (Field::Url, u.as_str())))
            .chain(self.pinned_text.as_deref().map(|t| (Field::PinnedPost, t)))
            .chain(self.more.iter().map(|(field, t)| (*field, t.as_str())))
    }

    /// Fills this record's missing fields from `other` (same account, another source); where
    /// both have a field and the texts differ, `other`'s is kept as one more text to scan.
    pub fn merge(&mut self, other: Profile) {
        fill(&mut self.id, other.id);
        fill(&mut self.username, other.username);
        let scanned = [
            (Field::Name, other.display_name),
            (Field::Description, other.description),
            (Field::Url, other.url),
            (Field::Location, other.location),
            (Field::PinnedPost, other.pinned_text),
        ];
        for (field, theirs) in scanned {
            let Some(theirs) = theirs else { continue };
            match self.single_mut(field) {
                Some(mine @ None) => *mine = Some(theirs),
                _ => self.add_more(field, theirs),
            }
        }
        for url in other.expanded_urls {
            if !self.expanded_urls.contains(&url) {
                self.expanded_urls.push(url);
            }
        }
        for (field, text) in other.more {
            self.add_more(field, text);
        }
    }

    /// The one-text field for `field`, if it is one.
    fn single_mut(&mut self, field: Field) -> Option<&mut Option<String>> {
        match field {
            Field::Name => Some(&mut self.display_name),
            Field::Description => Some(&mut self.description),
            Field::Url => Some(&mut self.url),
            Field::Location => Some(&mut self.location),
            Field::PinnedPost => Some(&mut self.pinned_text),
            Field::Tweet | Field::Text | Field::FediField | Field::FediNote | Field::FediName => {
                None
            }
        }
    }

    /// The username, lowercase: how X compares them.
    fn username_key(&self) -> Option<String> {
        self.username.as_deref().map(str::to_ascii_lowercase)
    }
}

fn fill(mine: &mut Option<String>, theirs: Option<String>) {
    if mine.is_none() {
        *mine = theirs;
    }
}

/// The same text but for case and spacing (a second source copying the first).
fn same_text(a: &str, b: &str) -> bool {
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    squash(a) == squash(b)
}

/// Merges records of the same account: same id, or the same username (case-insensitive)
/// when one of the two has no id. Keeps the order of first appearance; earlier records win
/// where both have a field.
pub fn merge_profiles(profiles: impl IntoIterator<Item = Profile>) -> Vec<Profile> {
    let mut merged: Vec<Profile> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for profile in profiles {
        let slot = match (&profile.id, profile.username_key()) {
            (Some(id), name) => by_id.get(id).copied().or_else(|| {
                name.and_then(|n| by_name.get(&n).copied())
                    .filter(|&i| merged[i].id.is_none())
            }),
            (None, Some(name)) => by_name.get(&name).copied(),
            (None, None) => None,
        };
        let index = match slot {
            Some(index) => {
                merged[index].merge(profile);
                index
            }
            None => {
                merged.push(profile);
                merged.len() - 1
            }
        };
        if let Some(id) = merged[index].id.clone() {
            by_id.entry(id).or_insert(index);
        }
        if let Some(name) = merged[index].username_key() {
            by_name.entry(name).or_insert(index);
        }
    }
    merged
}

/// The handles found anywhere in a profile, deduplicated across fields, each with all its
/// evidence, in order of first appearance (see [`Profile::texts`] for the field order).
pub fn candidates(profile: &Profile, opts: &ExtractOptions) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    for (field, text) in profile.texts() {
        for candidate in extract(text, field, opts) {
            let evidence = Evidence::twitter(field, candidate.rule, candidate.matched);
            match findings.iter_mut().find(|f| f.handle == candidate.handle) {
                Some(finding) if finding.evidence.contains(&evidence) => {}
                Some(finding) => {
                    finding.evidence.push(evidence);
                    finding.bridge = finding.bridge.or(candidate.bridge);
                }
                None => findings.push(Finding {
                    handle: candidate.handle,
                    bridge: candidate.bridge,
                    evidence: vec![evidence],
                }),
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(id: Option<&str>, username: Option<&str>) -> Profile {
        Profile {
            id: id.map(String::from),
            username: username.map(String::from),
            ..Profile::new(ProfileSource::XApi)
        }
    }

    #[test]
    fn candidates_keep_every_piece_of_evidence() {
        let p = Profile {
            display_name: Some("Alice 🐘 @alice@mastodon.social".into()),
            description: Some("Moved: https://mastodon.social/@alice · also @bob@mas.to".into()),
            url: Some("https://t.co/abc".into()),
            expanded_urls: vec!["https://mastodon.social/@alice".into()],
            pinned_text: Some("I'm @alice@mastodon.social now".into()),
            ..profile(Some("1"), Some("alice"))
        };
        let found = candidates(&p, &ExtractOptions::default());
        let handles: Vec<String> = found.iter().map(|f| f.handle.to_string()).collect();
        assert_eq!(handles, ["alice@mastodon.social", "bob@mas.to"]);
        let fields: Vec<(Field, Rule)> = found[0]
            .evidence
            .iter()
            .map(|e| (e.field, e.rule))
            .collect();
        assert_eq!(
            fields,
            [
                (Field::Name, Rule::AcctAt),
                (Field::Description, Rule::ProfileUrl),
                (Field::Url, Rule::ProfileUrl),
                (Field::PinnedPost, Rule::AcctAt),
            ]
        );
        assert_eq!(found[1].evidence.len(), 1);
    }

    #[test]
    fn the_same_evidence_twice_is_kept_once() {
        let p = Profile {
            expanded_urls: vec![
                "https://mastodon.social/@alice".into(),
                "https://mastodon.social/@alice".into(),
            ],
            ..profile(Some("1"), None)
        };
        let found = candidates(&p, &ExtractOptions::default());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.len(), 1);
    }

    #[test]
    fn bridged_findings_are_flagged() {
        let p = Profile {
            description: Some("bsky: alice.bsky.social".into()),
            ..profile(Some("1"), None)
        };
        let opts = ExtractOptions {
            bridges: vec![Bridge::Bluesky],
        };
        let found = candidates(&p, &opts);
        assert_eq!(
            found[0].handle.to_string(),
            "alice.bsky.social@bsky.brid.gy"
        );
        assert_eq!(found[0].bridge, Some(Bridge::Bluesky));
        assert!(candidates(&p, &ExtractOptions::default()).is_empty());
    }

    #[test]
    fn merge_fills_missing_fields_only() {
        let mut a = Profile {
            description: Some("first".into()),
            expanded_urls: vec!["https://a.example".into()],
            ..profile(Some("1"), None)
        };
        let b = Profile {
            username: Some("alice".into()),
            description: Some("second".into()),
            location: Some("Berlin".into()),
            expanded_urls: vec!["https://a.example".into(), "https://b.example".into()],
            ..profile(Some("1"), Some("alice"))
        };
        a.merge(b);
        assert_eq!(a.username.as_deref(), Some("alice"));
        assert_eq!(a.description.as_deref(), Some("first"));
        assert_eq!(a.location.as_deref(), Some("Berlin"));
        assert_eq!(a.expanded_urls, ["https://a.example", "https://b.example"]);
        assert_eq!(a.source, ProfileSource::XApi);
    }

    #[test]
    fn a_second_sources_different_bio_is_still_scanned() {
        let mut a = Profile {
            description: Some("Baker in Leeds".into()),
            location: Some("Leeds".into()),
            ..profile(Some("1"), Some("ann"))
        };
        let b = Profile {
            description: Some("Baker. Now @ann@bread.social".into()),
            location: Some("  leeds ".into()),
            ..profile(Some("1"), Some("ann"))
        };
        a.merge(b);
        assert_eq!(
            a.description.as_deref(),
            Some("Baker in Leeds"),
            "first wins"
        );
        assert_eq!(
            a.more,
            [(
                Field::Description,
                "Baker. Now @ann@bread.social".to_string()
            )],
            "the same location in other spacing is not kept twice"
        );
        let found = candidates(&a, &ExtractOptions::default());
        assert_eq!(found[0].handle.to_string(), "ann@bread.social");
        assert_eq!(found[0].evidence[0].field, Field::Description);
    }

    #[test]
    fn merge_profiles_groups_by_id_then_by_username() {
        let records = vec![
            profile(Some("1"), Some("Alice")),
            profile(None, Some("bob")),
            profile(Some("1"), None),
            profile(Some("2"), Some("BOB")),
            profile(None, Some("alice")),
            profile(Some("3"), Some("bob")),
            profile(None, None),
        ];
        let merged = merge_profiles(records);
        let keys: Vec<(Option<&str>, Option<&str>)> = merged
            .iter()
            .map(|p| (p.id.as_deref(), p.username.as_deref()))
            .collect();
        assert_eq!(
            keys,
            [
                (Some("1"), Some("Alice")),
                (Some("2"), Some("bob")),
                (Some("3"), Some("bob")),
                (None, None),
            ]
        );
    }
}
