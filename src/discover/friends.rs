//! The accounts the archive's owner follows (or blocked, or muted: [`assemble_listed`]), joined
//! with everything known about them:
//! profile records from any source, names from the owner's own tweets (mentions and replies),
//! and fediverse handles the owner wrote in tweets, attributed to the account they name.
//! Each followed account becomes a [`Friend`] with its [`Finding`]s; [`target_of`] turns a
//! finding into what the verifier checks.
//!
//! Pure: the archive is read by the caller, which feeds each tweet to [`ArchiveClues::add`].
//!
//! Attribution of handles from tweets is deliberately strict. Twitter does not mark `@alice`
//! in `@alice@host` as a mention, and a tweet often names several people, so a handle from a
//! tweet counts for a followed account only when
//! - the account's username equals the handle's user part (compared without case, `_`, `.`
//!   and `-`): "Alice moved: alice@example.social"; or
//! - the tweet mentions the account, and it is the only mentioned account whose username or
//!   display name contains the handle's user part (or is contained in it), at least three
//!   letters long: "Go follow @priya_bakes, she is @priya@bread.social".
//!
//! "Thanks @bob, I'm @me@example.social" does not make `me@example.social` Bob's.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use reqwest::Url;

use super::extract::{ExtractOptions, Field, Rule, extract};
use super::handle::Handle;
use super::profile::{Evidence, Finding, Profile, ProfileSource, candidates, merge_profiles};
use super::verify::Target;
use crate::archive::TweetWords;

/// The most handles kept from the owner's tweets (a bound on memory for huge archives; a
/// real archive holds a few dozen).
pub const MAX_TWEET_HANDLES: usize = 100_000;

/// Hashes account ids, short digit strings, with FNV-1a. They come from the owner's own
/// archive, so the protection of the default hasher (SipHash) against keys crafted to
/// collide buys nothing here, and it is slower on keys this short; `add` looks ids up for
/// every mention of every tweet.
#[derive(Debug, Clone, Copy)]
struct IdHasher(u64);

impl Default for IdHasher {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

type Ids = BuildHasherDefault<IdHasher>;

/// What the owner's own tweets tell about followed accounts.
#[derive(Debug, Clone, Default)]
pub struct ArchiveClues {
    following: HashSet<String, Ids>,
    /// id → (username, display name) from mentions and replies, followed accounts only.
    names: HashMap<String, (String, Option<String>), Ids>,
    /// id → the other usernames the account had in older tweets (renamed accounts).
    renamed: HashMap<String, Vec<String>, Ids>,
    /// Handles written in the owner's tweets, with their evidence and the followed account
    /// the tweet itself points them to (see the module docs), in order of appearance.
    handles: Vec<(Handle, Evidence, Option<String>)>,
    opts: ExtractOptions,
}

impl ArchiveClues {
    /// Clues about the accounts in `following` only.
    pub fn new(following: &[String], opts: ExtractOptions) -> Self {
        Self {
            following: following.iter().cloned().collect(),
            opts,
            ..Self::default()
        }
    }

    /// Learns from one of the owner's tweets. Retweets are skipped: their text is someone
    /// else's.
    pub fn add(&mut self, tweet: &TweetWords) {
        if tweet.is_retweet {
            return;
        }
        for mention in &tweet.mentions {
            if let Some(id) = &mention.id {
                self.name(id, &mention.screen_name, mention.name.as_deref());
            }
        }
        if let (Some(id), Some(name)) = (&tweet.in_reply_to_user_id, &tweet.in_reply_to_screen_name)
        {
            self.name(id, name, None);
        }
        if self.handles.len() >= MAX_TWEET_HANDLES {
            return;
        }
        for candidate in extract(&tweet.text, Field::Tweet, &self.opts) {
            let owner = self.mentioned_owner(tweet, candidate.handle.user());
            let evidence = Evidence::twitter(Field::Tweet, candidate.rule, candidate.matched);
            self.handles.push((candidate.handle, evidence, owner));
        }
    }

    /// The one followed account mentioned in `tweet` whose names resemble `user`.
    fn mentioned_owner(&self, tweet: &TweetWords, user: &str) -> Option<String> {
        let user = loose(user);
        if user.chars().count() < 3 {
            return None;
        }
        let resembles = |name: &str| {
            let name = loose(name);
            name.chars().count() >= 3 && (name.contains(&user) || user.contains(&name))
        };
        let mut owners = tweet
            .mentions
            .iter()
            .filter(|m| m.id.as_ref().is_some_and(|id| self.following.contains(id)))
            .filter(|m| resembles(&m.screen_name) || m.name.as_deref().is_some_and(resembles))
            .filter_map(|m| m.id.clone());
        let first = owners.next()?;
        owners.all(|other| other == first).then_some(first)
    }

    fn name(&mut self, id: &str, username: &str, display: Option<&str>) {
        if username.is_empty() {
            return;
        }
        let display = display.filter(|d| !d.trim().is_empty());
        // Only followed accounts are named, so a known name needs one lookup.
        let Some(entry) = self.names.get_mut(id) else {
            if self.following.contains(id) {
                let first = (username.to_string(), display.map(String::from));
                self.names.insert(id.to_string(), first);
            }
            return;
        };
        if !entry.0.eq_ignore_ascii_case(username) {
            let others = self.renamed.entry(id.to_string()).or_default();
            if !others.iter().any(|o| o.eq_ignore_ascii_case(username)) {
                others.push(username.to_string());
            }
        }
        if entry.1.is_none() {
            entry.1 = display.map(String::from);
        }
    }

    /// The names learnt, as profile records (source: the archive).
    pub fn profiles(&self) -> Vec<Profile> {
        let mut ids: Vec<&String> = self.names.keys().collect();
        ids.sort();
        ids.into_iter()
            .map(|id| {
                let (username, display) = &self.names[id];
                Profile {
                    id: Some(id.clone()),
                    username: Some(username.clone()),
                    display_name: display.clone(),
                    ..Profile::new(ProfileSource::Archive)
                }
            })
            .collect()
    }

    /// Every username the owner's tweets knew the account `id` by (an account renamed since
    /// was mentioned under its old name).
    pub fn usernames(&self, id: &str) -> Vec<String> {
        let first = self.names.get(id).map(|(name, _)| name.clone());
        let others = self.renamed.get(id).into_iter().flatten().cloned();
        first.into_iter().chain(others).collect()
    }

    /// How many handles the owner's tweets hold (attributed or not).
    pub fn tweet_handles(&self) -> usize {
        self.handles.len()
    }
}

/// One followed account and what was found about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Friend {
    /// The account id; `None` for a profile record that had only a username that matched no
    /// followed account's id.
    pub id: Option<String>,
    /// Everything known about the account, merged; `None` when nothing is.
    pub profile: Option<Profile>,
    /// Handles found, with their evidence.
    pub findings: Vec<Finding>,
}

impl Friend {
    /// True when a profiles file or the X API described this account (not only the archive).
    pub fn has_profile_data(&self) -> bool {
        self.profile
            .as_ref()
            .is_some_and(|p| p.source != ProfileSource::Archive)
    }

    /// The account's username, when known.
    pub fn username(&self) -> Option<&str> {
        self.profile.as_ref().and_then(|p| p.username.as_deref())
    }
}

/// The followed accounts, assembled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Friends {
    /// Followed accounts in the archive's order, then records known only by username.
    pub list: Vec<Friend>,
    /// Profile records of accounts the owner does not follow (left out).
    pub not_followed: usize,
}

/// Joins the following list with the profile records (any order of sources: earlier records
/// win where two have a field) and the archive's clues. An empty following list (Grailbird
/// archives have none) takes every profile record as a followed account. `profiles` should not include the
/// clues' own records: they are added last, so they only fill gaps.
pub fn assemble(
    following: &[String],
    profiles: Vec<Profile>,
    clues: &ArchiveClues,
    opts: &ExtractOptions,
) -> Friends {
    // Archives without a following list (Grailbird): the profile records are the follows.
    join(following, profiles, clues, opts, Scope::Open)
}

/// Like [`assemble`], for a list of accounts to act against (blocks, mutes): only accounts
/// whose id the list holds. An empty list stays empty, and a record with only a username
/// that joins none of them is left out (counted in `not_followed`): blocking whoever a
/// profile file names would be wrong.
pub fn assemble_listed(
    ids: &[String],
    profiles: Vec<Profile>,
    clues: &ArchiveClues,
    opts: &ExtractOptions,
) -> Friends {
    join(ids, profiles, clues, opts, Scope::Listed)
}

/// Which profile records may stand for an account the list does not name by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every record when the list is empty; records with only a username always.
    Open,
    /// None.
    Listed,
}

fn join(
    following: &[String],
    profiles: Vec<Profile>,
    clues: &ArchiveClues,
    opts: &ExtractOptions,
    scope: Scope,
) -> Friends {
    let merged = merge_profiles(profiles.into_iter().chain(clues.profiles()));
    let followed: HashSet<&str> = following.iter().map(String::as_str).collect();
    let mut by_id: HashMap<String, Profile> = HashMap::new();
    let mut friends = Friends::default();
    let mut by_name_only = Vec::new();
    let open = scope == Scope::Open && following.is_empty();
    let mut extra = Vec::new();
    for profile in merged {
        match profile.id.clone() {
            Some(id) if followed.contains(id.as_str()) => drop(by_id.insert(id, profile)),
            Some(id) if open => extra.push((id, profile)),
            None if scope == Scope::Open => by_name_only.push(profile),
            _ => friends.not_followed += 1,
        }
    }
    let mut seen = HashSet::new();
    for id in following.iter().filter(|id| seen.insert(id.as_str())) {
        let profile = by_id.remove(id);
        friends
            .list
            .push(friend(Some(id.clone()), profile, clues, opts));
    }
    for (id, profile) in extra {
        friends
            .list
            .push(friend(Some(id), Some(profile), clues, opts));
    }
    for profile in by_name_only {
        friends.list.push(friend(None, Some(profile), clues, opts));
    }
    friends
}

fn friend(
    id: Option<String>,
    profile: Option<Profile>,
    clues: &ArchiveClues,
    opts: &ExtractOptions,
) -> Friend {
    let mut findings = profile
        .as_ref()
        .map(|p| candidates(p, opts))
        .unwrap_or_default();
    let username = profile.as_ref().and_then(|p| p.username.as_deref());
    add_tweet_handles(&mut findings, id.as_deref(), username, clues);
    Friend {
        id,
        profile,
        findings,
    }
}

/// Adds the handles from the owner's tweets that belong to this account (module docs).
fn add_tweet_handles(
    findings: &mut Vec<Finding>,
    id: Option<&str>,
    username: Option<&str>,
    clues: &ArchiveClues,
) {
    let key = username.map(loose);
    for (handle, evidence, owner) in &clues.handles {
        let by_mention = id.is_some() && owner.as_deref() == id;
        let by_name = key.as_ref().is_some_and(|k| *k == loose(handle.user()));
        if !(by_mention || by_name) {
            continue;
        }
        match findings.iter_mut().find(|f| &f.handle == handle) {
            Some(f) if f.evidence.contains(evidence) => {}
            Some(f) => f.evidence.push(evidence.clone()),
            None => findings.push(Finding {
                handle: handle.clone(),
                bridge: None,
                evidence: vec![evidence.clone()],
            }),
        }
    }
}

/// A username compared loosely: lowercase, without `_`, `.` and `-`.
fn loose(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '.' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What the verifier checks for a finding: the handle, and the profile URL when the handle
/// was found as a link to the account on its own host (the URL then yields the canonical
/// address, which may differ from the one read off the path).
pub fn target_of(finding: &Finding) -> Target {
    let handle = &finding.handle;
    let url = finding
        .evidence
        .iter()
        .filter(|e| is_account_link(e.rule))
        .find_map(|e| link_on(&e.matched, handle.host()));
    match url {
        Some(url) => Target::with_url(handle.user(), handle.host(), url),
        None => Target::new(handle.user(), handle.host()),
    }
}

fn is_account_link(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::ProfileUrl | Rule::WebUrl | Rule::UsersUrl | Rule::StatusUrl | Rule::PathUrl
    )
}

/// The matched link as an `https` URL, if it points at `host`. A status link is cut back to
/// the account's path (`/@user/123` → `/@user`).
fn link_on(matched: &str, host: &str) -> Option<Url> {
    let text = matched.trim();
    let with_scheme = if text.contains("://") {
        text.to_string()
    } else {
        format!("https://{text}")
    };
    let mut url = Url::parse(&with_scheme).ok()?;
    if url.host_str()? != host {
        return None;
    }
    let _ = url.set_scheme("https");
    url.set_query(None);
    url.set_fragment(None);
    let path = url.path().to_string();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.len() == 2 && segments[0].starts_with('@') && segments[1].parse::<u64>().is_ok() {
        url.set_path(&format!("/{}", segments[0]));
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::Mention;

    fn tweet(text: &str, mentions: &[(&str, &str, &str)]) -> TweetWords {
        TweetWords {
            text: text.into(),
            mentions: mentions
                .iter()
                .map(|(id, sn, name)| Mention {
                    id: Some(id.to_string()),
                    screen_name: sn.to_string(),
                    name: Some(name.to_string()),
                })
                .collect(),
            ..TweetWords::default()
        }
    }

    fn file_profile(id: &str, username: &str, bio: &str) -> Profile {
        Profile {
            id: Some(id.into()),
            username: Some(username.into()),
            description: Some(bio.into()),
            ..Profile::new(ProfileSource::File {
                file: "p.csv".into(),
                record: 1,
            })
        }
    }

    fn handles(friend: &Friend) -> Vec<String> {
        friend
            .findings
            .iter()
            .map(|f| f.handle.to_string())
            .collect()
    }

    #[test]
    fn follows_keep_the_archive_order_and_profiles_join_by_id() {
        let following = ["3".to_string(), "1".into(), "2".into(), "1".into()];
        let profiles = vec![
            file_profile("1", "alice", "@alice@example.social"),
            file_profile("9", "stranger", "@s@example.social"),
        ];
        let clues = ArchiveClues::new(&following, ExtractOptions::default());
        let friends = assemble(&following, profiles, &clues, &ExtractOptions::default());
        let ids: Vec<_> = friends.list.iter().map(|f| f.id.clone().unwrap()).collect();
        assert_eq!(ids, ["3", "1", "2"]);
        assert_eq!(friends.not_followed, 1);
        assert_eq!(handles(&friends.list[1]), ["alice@example.social"]);
        assert!(friends.list[1].has_profile_data());
        assert!(friends.list[0].profile.is_none());
    }

    #[test]
    fn without_a_following_list_every_profile_is_a_follow() {
        let profiles = vec![
            file_profile("1", "alice", "@alice@example.social"),
            file_profile("2", "bob", ""),
        ];
        let clues = ArchiveClues::new(&[], ExtractOptions::default());
        let friends = assemble(&[], profiles, &clues, &ExtractOptions::default());
        assert_eq!(friends.list.len(), 2);
        assert_eq!(friends.not_followed, 0);
        assert_eq!(handles(&friends.list[0]), ["alice@example.social"]);
    }

    #[test]
    fn mentions_name_followed_accounts_and_fill_gaps_only() {
        let following = ["1".to_string(), "2".into()];
        let mut clues = ArchiveClues::new(&following, ExtractOptions::default());
        clues.add(&tweet(
            "hi @alice and @bob and @carol",
            &[
                ("1", "alice", "Alice 🐘 alice@example.social"),
                ("2", "bob", "Bob"),
                ("7", "carol", "Carol"),
            ],
        ));
        let profiles = vec![file_profile("2", "bob", "no handle")];
        let friends = assemble(&following, profiles, &clues, &ExtractOptions::default());
        let alice = &friends.list[0];
        assert_eq!(alice.username(), Some("alice"));
        assert!(
            !alice.has_profile_data(),
            "names from tweets are not profile data"
        );
        assert_eq!(handles(alice), ["alice@example.social"]);
        assert_eq!(
            friends.list[1]
                .profile
                .as_ref()
                .unwrap()
                .description
                .as_deref(),
            Some("no handle")
        );
        assert_eq!(
            friends.not_followed, 0,
            "carol is not followed and not kept"
        );
    }

    #[test]
    fn handles_from_tweets_go_to_the_account_whose_name_matches() {
        let following = ["1".to_string(), "2".into(), "3".into(), "4".into()];
        let mut clues = ArchiveClues::new(&following, ExtractOptions::default());
        clues.add(&tweet(
            "Follow @Alice_W, she is now @alicew@example.social. Thanks @bob! I'm @me@example.social",
            &[("1", "Alice_W", "Alice"), ("2", "bob", "Bob")],
        ));
        clues.add(&tweet(
            "Go follow @carol_bakes, she is @carol@bread.example; @dan too: @dd@x.example",
            &[("3", "carol_bakes", "Carol 🍞"), ("4", "dan", "Dan")],
        ));
        let mut retweet = tweet("RT @x: bob is @bob@elsewhere.social", &[]);
        retweet.is_retweet = true;
        clues.add(&retweet);
        let friends = assemble(&following, vec![], &clues, &ExtractOptions::default());
        assert_eq!(handles(&friends.list[0]), ["alicew@example.social"]);
        assert_eq!(friends.list[0].findings[0].evidence[0].field, Field::Tweet);
        assert!(friends.list[1].findings.is_empty(), "{:?}", friends.list[1]);
        assert_eq!(handles(&friends.list[2]), ["carol@bread.example"]);
        assert!(
            friends.list[3].findings.is_empty(),
            "dd is too short to resemble dan"
        );
        assert_eq!(clues.tweet_handles(), 4);
    }

    #[test]
    fn username_only_records_join_through_the_archive_or_stand_alone() {
        let following = ["1".to_string()];
        let mut clues = ArchiveClues::new(&following, ExtractOptions::default());
        clues.add(&tweet("@alice", &[("1", "alice", "Alice")]));
        let mut no_id = file_profile("x", "ALICE", "@alice@example.social");
        no_id.id = None;
        let mut other = file_profile("x", "dave", "@dave@example.social");
        other.id = None;
        let friends = assemble(
            &following,
            vec![no_id, other],
            &clues,
            &ExtractOptions::default(),
        );
        assert_eq!(friends.list.len(), 2);
        assert_eq!(handles(&friends.list[0]), ["alice@example.social"]);
        assert!(friends.list[0].has_profile_data());
        assert_eq!(friends.list[1].id, None);
        assert_eq!(handles(&friends.list[1]), ["dave@example.social"]);
    }

    #[test]
    fn a_listed_scope_keeps_only_the_accounts_the_list_names() {
        let blocked = ["1".to_string()];
        let mut clues = ArchiveClues::new(&blocked, ExtractOptions::default());
        clues.add(&tweet("@troll", &[("1", "troll", "Troll")]));
        let mut by_name = file_profile("x", "TROLL", "@troll@example.social");
        by_name.id = None;
        let mut stranger = file_profile("x", "dave", "@dave@example.social");
        stranger.id = None;
        let other = file_profile("9", "erin", "@erin@example.social");
        let profiles = vec![by_name, stranger, other];
        let friends = assemble_listed(&blocked, profiles, &clues, &ExtractOptions::default());
        assert_eq!(friends.list.len(), 1, "{:?}", friends.list);
        assert_eq!(handles(&friends.list[0]), ["troll@example.social"]);
        assert_eq!(friends.not_followed, 2, "dave and erin are left out");

        let none = assemble_listed(
            &[],
            vec![file_profile("1", "a", "@a@example.social")],
            &ArchiveClues::new(&[], ExtractOptions::default()),
            &ExtractOptions::default(),
        );
        assert!(none.list.is_empty(), "an empty list stays empty");
        assert_eq!(none.not_followed, 1);
    }

    #[test]
    fn link_findings_carry_their_profile_url() {
        let profile = file_profile(
            "1",
            "a",
            "https://example.social/@alice/1093 and @bob@b.example and mas.to/users/carol?x=1",
        );
        let found = candidates(&profile, &ExtractOptions::default());
        let targets: Vec<Target> = found.iter().map(target_of).collect();
        assert_eq!(
            targets[0].profile_url.as_ref().map(Url::as_str),
            Some("https://example.social/@alice")
        );
        assert_eq!(targets[1].profile_url, None);
        assert_eq!(
            targets[2].profile_url.as_ref().map(Url::as_str),
            Some("https://mas.to/users/carol")
        );
    }

    #[test]
    fn remote_view_links_are_checked_by_address() {
        let profile = file_profile("1", "a", "https://mas.to/@alice@example.social");
        let found = candidates(&profile, &ExtractOptions::default());
        let target = target_of(&found[0]);
        assert_eq!(
            (target.user.as_str(), target.host.as_str()),
            ("alice", "example.social")
        );
        assert_eq!(target.profile_url, None);
    }

    #[test]
    fn a_renamed_account_is_known_by_every_name_the_tweets_used() {
        let mut clues = ArchiveClues::new(&["7".to_string()], ExtractOptions::default());
        clues.add(&tweet("hi @old_name", &[("7", "old_name", "Pat")]));
        clues.add(&tweet("hi @New_Name", &[("7", "New_Name", "Pat")]));
        clues.add(&tweet("hi @new_name", &[("7", "new_name", "Pat")]));
        clues.add(&tweet("hi @x", &[("8", "not_followed", "X")]));
        assert_eq!(clues.usernames("7"), ["old_name", "New_Name"]);
        assert!(clues.usernames("8").is_empty());
    }
}
