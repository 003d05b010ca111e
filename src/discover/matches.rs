//! What `find` found: per account of one of the archive's lists ([`Relation`]: followed,
//! blocked or muted accounts), every candidate handle with its evidence and its verification
//! ([`Match`]); the totals; and "where your friends are", the instances ranked by how many of
//! those accounts live there. These are the records `--json`/`--jsonl` print (stable
//! snake_case field names, read by scripts and by later steps of the move).
//!
//! Pure: built from [`Friends`] and a verification [`Report`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use super::extract::Bridge;
use super::friends::{Friend, Friends};
use super::handle::Handle;
use super::profile::{Evidence, Finding, ProfileSource};
use super::verify::{Report, State, Verification};

/// Which of the archive's lists the accounts come from (`"relation"` in `--json`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// `following.js`: the accounts to follow.
    #[default]
    Following,
    /// `block.js`: the accounts to block.
    Blocks,
    /// `mute.js`: the accounts to mute.
    Mutes,
}

/// One followed account and its candidates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Account {
    pub id: Option<String>,
    pub username: Option<String>,
    pub display_name: Option<String>,
    /// Where the profile came from: `file`, `x-api`, `archive` (names from your tweets
    /// only), or `null` with no data at all.
    pub profile: Option<&'static str>,
    pub candidates: Vec<Match>,
}

/// One candidate handle of an account, verified (or not).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The handle as found (normalised).
    pub handle: String,
    pub bridge: Option<Bridge>,
    pub evidence: Vec<Evidence>,
    pub state: State,
    /// The address the server confirms (`verified`, `moved`).
    pub canonical: Option<String>,
    pub actor_url: Option<String>,
    /// Where a `moved` account went: its new address when confirmed, else its actor URL.
    pub moved_to: Option<String>,
    /// The host that serves the account (its actor's; for `moved`, the new account's): the
    /// server people sign up on, which on a split domain is not the address's domain
    /// (`erin@split-domain.net` on `social.split-domain.net`). `null` when no account was
    /// found.
    pub server: Option<String>,
    /// The server's software (NodeInfo), e.g. `mastodon`.
    pub software: Option<String>,
    /// Why, for states other than `verified`.
    pub detail: Option<String>,
}

/// An instance some followed accounts live on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Instance {
    /// The server that serves the accounts, the one to sign up on; usually the domain in
    /// their addresses.
    pub host: String,
    /// The domains in the addresses of the accounts there when they are not `host` (split
    /// domains: `split-domain.net` for `social.split-domain.net`); usually empty.
    pub address_domains: Vec<String>,
    /// Followed accounts with a verified address there (or that moved there).
    pub friends: usize,
    pub software: Option<String>,
    pub version: Option<String>,
    pub users: Option<u64>,
    pub open_registrations: Option<bool>,
}

/// The run in numbers. The field names speak of follows; with another [`Relation`] they
/// count the blocked or muted accounts in the same way.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Totals {
    /// Followed accounts scanned.
    pub followed: usize,
    /// Followed accounts described by a profiles file or the X API.
    pub with_profile_data: usize,
    /// Followed accounts with no profile data (`followed - with_profile_data`).
    pub without_profile_data: usize,
    /// Of those, the ones known by name from mentions and replies in your tweets.
    pub names_only: usize,
    /// Profile records with only a username that matched no followed account (listed on
    /// their own, since the file may still be of accounts you follow).
    pub by_username_only: usize,
    /// Accounts with at least one candidate handle.
    pub with_candidates: usize,
    /// Distinct candidate handles.
    pub candidates: usize,
    /// Accounts with at least one verified handle.
    pub verified: usize,
    /// Accounts whose only found account moved.
    pub moved: usize,
    /// Distinct candidates per state.
    pub states: BTreeMap<State, usize>,
    /// Hosts that timed out or could not be reached.
    pub dead_hosts: Vec<String>,
    /// Candidates answered from the cache / asked over the network.
    pub from_cache: usize,
    pub asked: usize,
    /// Profile records of accounts you do not follow (left out).
    pub not_followed: usize,
    /// `find --reverse` in numbers; absent without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reverse: Option<ReverseTotals>,
}

/// What `find --reverse` did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReverseTotals {
    /// Accounts searched for (a username known, no verified address from the Twitter side).
    pub accounts: usize,
    /// Distinct searches, and of those: made now, answered from the cache, not made (an
    /// instance refused or failed, or a rate limit ended the run).
    pub searches: usize,
    pub asked: usize,
    pub from_cache: usize,
    pub skipped: usize,
    /// Accounts with an address proven by a backlink (verified or moved).
    pub found: usize,
    /// Accounts with only `possible` ones.
    pub possible: usize,
}

/// Everything `find` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Findings {
    /// The list the accounts come from.
    pub relation: Relation,
    pub totals: Totals,
    /// Ranked: most friends first, then by name.
    pub instances: Vec<Instance>,
    pub accounts: Vec<Account>,
}

impl Findings {
    /// Joins the accounts of `relation` with the verification results. `report.results`
    /// holds one result per finding, in the order of `friends.list` and each friend's
    /// findings.
    pub fn build(relation: Relation, friends: &Friends, report: &Report) -> Self {
        let mut results = report.results.iter();
        let accounts: Vec<Account> = friends
            .list
            .iter()
            .map(|friend| account(friend, &mut results, report))
            .collect();
        let totals = totals(friends, &accounts, report);
        let instances = instances(&accounts, report);
        Self {
            relation,
            totals,
            instances,
            accounts,
        }
    }

    /// What Mastodon's import file lists: the confirmed address of every verified account,
    /// and the new address of every moved account whose new server confirms it.
    pub fn import_handles(&self) -> Vec<Handle> {
        let found: BTreeSet<Handle> = self
            .accounts
            .iter()
            .flat_map(|a| &a.candidates)
            .filter_map(Match::followable)
            .filter_map(|text| {
                let (user, host) = text.rsplit_once('@')?;
                Handle::new(user, host).ok()
            })
            .collect();
        found.into_iter().collect()
    }
}

impl Match {
    /// The address to follow, if any: the confirmed one, or where a moved account went.
    pub fn followable(&self) -> Option<&str> {
        match self.state {
            State::Verified => Some(self.canonical.as_deref().unwrap_or(&self.handle)),
            State::Moved => self.moved_to.as_deref().filter(|to| !to.contains('/')),
            _ => None,
        }
    }

    /// Where the account to follow lives: (the server that serves it, its address's domain).
    /// The server is the actor's host when known, else the domain.
    pub fn home(&self) -> Option<(String, String)> {
        let (_, domain) = self.followable()?.rsplit_once('@')?;
        let domain = domain.to_ascii_lowercase();
        let server = self.server.clone().unwrap_or_else(|| domain.clone());
        Some((server, domain))
    }
}

fn account<'a>(
    friend: &Friend,
    results: &mut impl Iterator<Item = &'a Verification>,
    report: &Report,
) -> Account {
    let profile = friend.profile.as_ref();
    let candidates = friend
        .findings
        .iter()
        .filter_map(|finding| Some(to_match(finding, results.next()?, report)))
        .collect();
    Account {
        id: friend.id.clone(),
        username: profile.and_then(|p| p.username.clone()),
        display_name: profile.and_then(|p| p.display_name.clone()),
        profile: profile.map(|p| source_name(&p.source)),
        candidates,
    }
}

/// One candidate with its verification, described by the server that serves it.
fn to_match(finding: &Finding, result: &Verification, report: &Report) -> Match {
    let server = result.serving_host();
    let software = server
        .iter()
        .chain(std::iter::once(&result.host))
        .find_map(|host| report.server_of(host)?.software.clone());
    Match {
        handle: finding.handle.to_string(),
        bridge: finding.bridge,
        evidence: finding.evidence.clone(),
        state: result.state,
        canonical: result.canonical.as_ref().map(ToString::to_string),
        actor_url: result.actor_url.as_ref().map(ToString::to_string),
        moved_to: result.moved_to.as_ref().map(|m| match &m.handle {
            Some(handle) => handle.to_string(),
            None => m.actor_url.to_string(),
        }),
        server,
        software,
        detail: result.detail.clone(),
    }
}

fn source_name(source: &ProfileSource) -> &'static str {
    match source {
        ProfileSource::File { .. } => "file",
        ProfileSource::XApi => "x-api",
        ProfileSource::Archive => "archive",
    }
}

fn totals(friends: &Friends, accounts: &[Account], report: &Report) -> Totals {
    let mut t = Totals {
        not_followed: friends.not_followed,
        from_cache: report.from_cache,
        asked: report.asked,
        ..Totals::default()
    };
    let mut distinct: HashMap<&str, State> = HashMap::new();
    let mut dead = BTreeSet::new();
    for (friend, account) in friends.list.iter().zip(accounts) {
        match (&friend.id, &account.profile) {
            (None, _) => t.by_username_only += 1,
            (Some(_), Some(_)) if friend.has_profile_data() => t.with_profile_data += 1,
            (Some(_), profile) => {
                t.without_profile_data += 1;
                t.names_only += usize::from(profile.is_some());
            }
        }
        let has = |state| account.candidates.iter().any(|m| m.state == state);
        t.with_candidates += usize::from(!account.candidates.is_empty());
        t.verified += usize::from(has(State::Verified));
        t.moved += usize::from(!has(State::Verified) && has(State::Moved));
        for m in &account.candidates {
            distinct.insert(&m.handle, m.state);
        }
    }
    for result in &report.results {
        if result.state.is_dead_host() {
            dead.insert(result.host.clone());
        }
    }
    t.followed = accounts.len() - t.by_username_only;
    t.candidates = distinct.len();
    for state in distinct.into_values() {
        *t.states.entry(state).or_default() += 1;
    }
    t.dead_hosts = dead.into_iter().collect();
    t
}

/// Instances ranked by the number of followed accounts that live there (verified, or moved
/// there), each under the server that serves them (see [`Match::home`]).
fn instances(accounts: &[Account], report: &Report) -> Vec<Instance> {
    rank_hosts(accounts, |m| m.home().map(|(server, _)| server))
        .into_iter()
        .map(|(host, friends)| {
            let info = report.server_of(&host).cloned().unwrap_or_default();
            Instance {
                address_domains: address_domains(accounts, &host),
                host,
                friends,
                software: info.software,
                version: info.version,
                users: info.users,
                open_registrations: info.open_registrations,
            }
        })
        .collect()
}

/// The address domains of the accounts served by `server`, other than `server` itself.
fn address_domains(accounts: &[Account], server: &str) -> Vec<String> {
    let domains: BTreeSet<String> = accounts
        .iter()
        .flat_map(|a| &a.candidates)
        .filter_map(Match::home)
        .filter(|(home, domain)| home == server && domain != server)
        .map(|(_, domain)| domain)
        .collect();
    domains.into_iter().collect()
}

/// The hosts the candidates point to, with how many accounts have one there, ranked like
/// [`Findings::instances`]: for `--offline`, where nothing is verified.
pub fn candidate_hosts(accounts: &[Account]) -> Vec<(String, usize)> {
    rank_hosts(accounts, |m| {
        let (_, host) = m.handle.rsplit_once('@')?;
        Some(host.to_ascii_lowercase())
    })
}

/// The hosts `host_of` picks from each account's matches, with the number of accounts at
/// each (an account counts once per host): most first, then by name.
fn rank_hosts(
    accounts: &[Account],
    host_of: impl Fn(&Match) -> Option<String>,
) -> Vec<(String, usize)> {
    let mut count: HashMap<String, BTreeSet<usize>> = HashMap::new();
    for (i, account) in accounts.iter().enumerate() {
        for host in account.candidates.iter().filter_map(&host_of) {
            count.entry(host).or_default().insert(i);
        }
    }
    let mut list: Vec<(String, usize)> = count
        .into_iter()
        .map(|(host, who)| (host, who.len()))
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::extract::{Field, Rule};
    use crate::discover::profile::{Finding, Profile};
    use crate::discover::verify::{Acct, HostInfo, MovedTo};

    fn finding(handle: &str) -> Finding {
        let (user, host) = handle.split_once('@').unwrap();
        Finding {
            handle: Handle::new(user, host).unwrap(),
            bridge: None,
            evidence: vec![Evidence::twitter(
                Field::Description,
                Rule::AcctAt,
                format!("@{handle}"),
            )],
        }
    }

    fn friend(id: &str, source: Option<ProfileSource>, handles: &[&str]) -> Friend {
        Friend {
            id: Some(id.into()),
            profile: source.map(|s| Profile {
                username: Some(format!("user{id}")),
                ..Profile::new(s)
            }),
            findings: handles.iter().map(|h| finding(h)).collect(),
        }
    }

    fn result(state: State, host: &str, canonical: Option<&str>) -> Verification {
        let mut v = Verification::bare(state, host, None);
        v.canonical = canonical.map(|c| Acct::parse(c).unwrap());
        v
    }

    fn sample() -> (Friends, Report) {
        let file = || Some(ProfileSource::XApi);
        let friends = Friends {
            list: vec![
                friend("1", file(), &["a@one.example", "a2@two.example"]),
                friend("2", file(), &["b@one.example"]),
                friend("3", Some(ProfileSource::Archive), &["c@dead.example"]),
                friend("4", None, &[]),
                friend("5", file(), &["e@two.example"]),
            ],
            not_followed: 2,
        };
        let mut report = Report {
            results: vec![
                result(State::Verified, "one.example", Some("A@one.example")),
                result(State::NotFound, "two.example", None),
                result(State::Verified, "one.example", Some("b@one.example")),
                result(State::Timeout, "dead.example", None),
                result(State::Verified, "two.example", Some("e@two.example")),
            ],
            asked: 5,
            ..Report::default()
        };
        report.hosts.insert(
            "one.example".into(),
            HostInfo {
                software: Some("mastodon".into()),
                users: Some(1200),
                open_registrations: Some(true),
                ..HostInfo::default()
            },
        );
        (friends, report)
    }

    #[test]
    fn totals_count_accounts_and_distinct_candidates() {
        let (friends, report) = sample();
        let f = Findings::build(Relation::Following, &friends, &report);
        let t = &f.totals;
        assert_eq!(
            (
                t.followed,
                t.with_profile_data,
                t.names_only,
                t.without_profile_data
            ),
            (5, 3, 1, 2)
        );
        assert_eq!((t.with_candidates, t.candidates, t.verified), (4, 5, 3));
        assert_eq!(t.dead_hosts, ["dead.example"]);
        assert_eq!(t.states[&State::Verified], 3);
        assert_eq!(t.not_followed, 2);
        assert_eq!(
            f.accounts[0].candidates[0].canonical.as_deref(),
            Some("A@one.example")
        );
        assert_eq!(
            f.accounts[0].candidates[0].software.as_deref(),
            Some("mastodon")
        );
        assert_eq!(f.accounts[3].profile, None);
        assert_eq!(f.accounts[2].profile, Some("archive"));
    }

    #[test]
    fn the_document_names_its_relation_first() {
        let (friends, report) = sample();
        let f = Findings::build(Relation::Mutes, &friends, &report);
        let text = serde_json::to_string(&f).unwrap();
        assert!(
            text.starts_with(r#"{"relation":"mutes","totals":{"#),
            "{text}"
        );
        let read: Vec<Relation> =
            serde_json::from_str(r#"["following","blocks","mutes"]"#).unwrap();
        assert_eq!(
            read,
            [Relation::Following, Relation::Blocks, Relation::Mutes]
        );
    }

    #[test]
    fn instances_rank_by_friends_then_name() {
        let (friends, report) = sample();
        let f = Findings::build(Relation::Following, &friends, &report);
        let ranked: Vec<(&str, usize)> = f
            .instances
            .iter()
            .map(|i| (i.host.as_str(), i.friends))
            .collect();
        assert_eq!(ranked, [("one.example", 2), ("two.example", 1)]);
        assert_eq!(f.instances[0].users, Some(1200));
        let hosts = candidate_hosts(&f.accounts);
        assert!(
            hosts.len() > ranked.len(),
            "unverified candidates count too: {hosts:?}"
        );
        assert!(hosts.windows(2).all(|w| w[0].1 >= w[1].1), "{hosts:?}");
        assert!(hosts.iter().any(|(h, _)| h == "dead.example"), "{hosts:?}");
    }

    #[test]
    fn split_domains_rank_under_the_server_that_serves_them() {
        let (mut friends, mut report) = sample();
        friends
            .list
            .push(friend("6", None, &["erin@split-domain.net"]));
        friends
            .list
            .push(friend("7", None, &["finn@split-domain.net"]));
        for user in ["erin", "finn"] {
            let mut found = result(
                State::Verified,
                "split-domain.net",
                Some(&format!("{user}@split-domain.net")),
            );
            let actor = format!("https://social.split-domain.net/users/{user}");
            found.actor_url = Some(actor.parse().unwrap());
            report.results.push(found);
        }
        report.hosts.insert(
            "split-domain.net".into(),
            HostInfo {
                detail: Some("no NodeInfo".into()),
                ..HostInfo::default()
            },
        );
        report.hosts.insert(
            "social.split-domain.net".into(),
            HostInfo {
                software: Some("mastodon".into()),
                users: Some(40),
                open_registrations: Some(false),
                ..HostInfo::default()
            },
        );
        let f = Findings::build(Relation::Following, &friends, &report);
        let split = f
            .instances
            .iter()
            .find(|i| i.host == "social.split-domain.net")
            .expect("ranked under the serving host");
        assert_eq!(split.friends, 2);
        assert_eq!(split.address_domains, ["split-domain.net"]);
        assert_eq!(split.software.as_deref(), Some("mastodon"));
        assert_eq!(
            (split.users, split.open_registrations),
            (Some(40), Some(false))
        );
        assert!(f.instances.iter().all(|i| i.host != "split-domain.net"));
        let erin = &f.accounts[5].candidates[0];
        assert_eq!(erin.server.as_deref(), Some("social.split-domain.net"));
        assert_eq!(erin.software.as_deref(), Some("mastodon"));
        assert!(f.instances[0].address_domains.is_empty());
        let handles: Vec<String> = f.import_handles().iter().map(ToString::to_string).collect();
        assert!(
            handles.contains(&"erin@split-domain.net".to_string()),
            "{handles:?}"
        );
    }

    #[test]
    fn the_import_list_holds_confirmed_addresses_once() {
        let (mut friends, mut report) = sample();
        let old = ["f@old.example", "g@old.example", "b@one.example"];
        friends.list.push(friend("6", None, &old));
        let mut moved = result(State::Moved, "old.example", Some("f@old.example"));
        moved.moved_to = Some(MovedTo {
            actor_url: "https://new.example/users/f".parse().unwrap(),
            handle: Acct::parse("F@new.example"),
        });
        let mut unconfirmed = result(State::Moved, "old.example", Some("g@old.example"));
        unconfirmed.moved_to = Some(MovedTo {
            actor_url: "https://new.example/users/g".parse().unwrap(),
            handle: None,
        });
        let again = result(State::Verified, "one.example", Some("b@one.example"));
        report.results.extend([moved, unconfirmed, again]);
        let f = Findings::build(Relation::Following, &friends, &report);
        let handles: Vec<String> = f.import_handles().iter().map(ToString::to_string).collect();
        let want = [
            "a@one.example",
            "b@one.example",
            "e@two.example",
            "f@new.example",
        ];
        assert_eq!(handles, want);
    }
}
