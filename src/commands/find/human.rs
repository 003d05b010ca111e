//! The human report of `find`: the summary, "where your friends are", and the accounts found,
//! worded for the list the accounts come from (followed, blocked, muted). Text only: never
//! prints. Every string a server, a profile or the archive supplied goes through [`clean`].
//!
//! Candidates on hosts that did not answer (`timeout`, `unreachable`) are one summary line
//! ("30 account(s) on 2 hosts that did not answer: …; a rerun after an hour tries them
//! again"), not one line each: the user can do nothing about them now. The per-account lines
//! are for what the user can act on. `--json` and `--jsonl` keep every candidate.

use std::fmt::Write;

use super::words::Words;

use crate::discover::matches::{
    Account, Findings, Instance, Match, ReverseTotals, Totals, candidate_hosts,
};
use crate::discover::verify::State;
use crate::discover::{Evidence, Field, Source};
use crate::sanitize::clean;
use crate::ui::thousands;

/// The whole report as text.
pub fn render(findings: &Findings, offline: bool) -> String {
    let words = Words::of(findings.relation);
    let mut text = summary(&findings.totals, offline, &words);
    text.push_str(&unanswered_line(&findings.accounts));
    if !findings.instances.is_empty() {
        text.push('\n');
        text.push_str(&instances(&findings.instances, &words));
    } else if offline {
        let hosts = candidate_hosts(&findings.accounts);
        if !hosts.is_empty() {
            text.push('\n');
            text.push_str(&unverified_instances(&hosts, &words));
        }
    }
    let found: Vec<&Account> = findings
        .accounts
        .iter()
        .filter(|a| a.candidates.iter().any(|m| !unanswered(m)))
        .collect();
    if !found.is_empty() {
        text.push('\n');
        text.push_str(if offline {
            "Candidates (not verified: --offline)\n"
        } else {
            "Accounts\n"
        });
        for account in found {
            text.push_str(&account_lines(account));
        }
    }
    text
}

fn summary(t: &Totals, offline: bool, words: &Words) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<19}{} scanned: {} with profile data",
        words.title(),
        n(t.followed),
        n(t.with_profile_data)
    );
    if t.without_profile_data > 0 {
        let by_name = match t.names_only {
            0 => String::new(),
            names => format!(" ({} of them known by name from your tweets)", n(names)),
        };
        let _ = writeln!(
            s,
            "                   no profile data for {} of {}{by_name}: add --profiles FILE or --x-api",
            n(t.without_profile_data),
            n(t.followed)
        );
    }
    if t.by_username_only > 0 {
        let _ = writeln!(
            s,
            "                   + {} profile record(s) with only a username that matched no follow, listed too",
            n(t.by_username_only)
        );
    }
    if t.not_followed > 0 {
        let _ = writeln!(
            s,
            "                   {} profile record(s) {}, left out",
            n(t.not_followed),
            words.not_listed
        );
    }
    let _ = writeln!(
        s,
        "Candidates         {} handle(s) for {} account(s)",
        n(t.candidates),
        n(t.with_candidates)
    );
    if offline {
        let _ = writeln!(s, "Verified           none checked (--offline)");
        return s;
    }
    let moved = match t.moved {
        0 => String::new(),
        m => format!(", {} more moved", n(m)),
    };
    let _ = writeln!(
        s,
        "Verified           {} account(s){moved} ({} checked now, {} from the cache)",
        n(t.verified),
        n(t.asked),
        n(t.from_cache)
    );
    let states: Vec<String> = State::ALL
        .iter()
        .filter_map(|state| Some(format!("{} {}", state, n(*t.states.get(state)?))))
        .collect();
    if !states.is_empty() {
        let _ = writeln!(s, "                   {}", states.join(" · "));
    }
    if let Some(reverse) = &t.reverse {
        s.push_str(&reverse_lines(reverse));
    }
    s
}

/// What `--reverse` did: "Reverse search     120 account(s) searched: 31 found with a
/// backlink, 4 possible (no backlink, not followed by default)", then the searches.
fn reverse_lines(r: &ReverseTotals) -> String {
    let mut s = format!(
        "Reverse search     {} account(s) searched: {} found with a backlink, {} possible (same name, no backlink: never in --csv, not followed by default)\n",
        n(r.accounts),
        n(r.found),
        n(r.possible)
    );
    let skipped = match r.skipped {
        0 => String::new(),
        k => format!(", {} not made (see above; a rerun makes them)", n(k)),
    };
    let _ = writeln!(
        s,
        "                   {} search(es): {} made now, {} from the cache{skipped}",
        n(r.searches),
        n(r.asked),
        n(r.from_cache)
    );
    s
}

/// True for a candidate whose host did not answer: nothing to act on before a rerun.
fn unanswered(m: &Match) -> bool {
    m.state.is_dead_host()
}

/// The one line for every candidate on a host that did not answer; empty when there is none.
fn unanswered_line(accounts: &[Account]) -> String {
    let mut hosts = std::collections::BTreeSet::new();
    let mut count = 0;
    for account in accounts {
        let dead: Vec<&Match> = account
            .candidates
            .iter()
            .filter(|m| unanswered(m))
            .collect();
        count += usize::from(!dead.is_empty());
        hosts.extend(
            dead.iter()
                .filter_map(|m| Some(m.handle.rsplit_once('@')?.1)),
        );
    }
    if count == 0 {
        return String::new();
    }
    let shown: Vec<std::borrow::Cow<'_, str>> = hosts.iter().take(8).map(|h| clean(h)).collect();
    let more = match hosts.len() - shown.len() {
        0 => String::new(),
        more => format!(" and {more} more"),
    };
    let (accounts_word, hosts_word) = (plural(count, "account"), plural(hosts.len(), "host"));
    format!(
        "Not checked        {} {accounts_word} on {} {hosts_word} that did not answer: {}{more}; a rerun after an hour (or with --refresh) tries them again\n",
        n(count),
        n(hosts.len()),
        shown.join(", ")
    )
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        word.to_string()
    } else {
        format!("{word}s")
    }
}

fn instances(list: &[Instance], words: &Words) -> String {
    let mut s = format!("Where {} are\n", words.whose);
    let _ = writeln!(
        s,
        "  {:>7}  {:<28} {:<22} {:>10}  registrations",
        words.column, "instance", "software", "users"
    );
    for i in list {
        let software = match (&i.software, &i.version) {
            (Some(name), Some(version)) => {
                format!("{} {}", clean(name), short_version(&clean(version)))
            }
            (Some(name), None) => clean(name).into_owned(),
            _ => "?".into(),
        };
        let users = i.users.map(thousands).unwrap_or_else(|| "?".into());
        let open = match i.open_registrations {
            Some(true) => "open",
            Some(false) => "closed",
            None => "?",
        };
        let domains = match i.address_domains.as_slice() {
            [] => String::new(),
            list => {
                let list: Vec<String> = list.iter().map(|d| format!("@{}", clean(d))).collect();
                format!("  (addresses {})", list.join(", "))
            }
        };
        let _ = writeln!(
            s,
            "  {:>7}  {:<28} {:<22} {:>10}  {open}{domains}",
            i.friends,
            clean(&i.host),
            software,
            users
        );
    }
    s
}

fn unverified_instances(hosts: &[(String, usize)], words: &Words) -> String {
    let mut s = format!(
        "Where {} may be (candidates, not verified: --offline)\n",
        words.whose
    );
    let _ = writeln!(s, "  {:>7}  instance", words.column);
    for (host, friends) in hosts {
        let _ = writeln!(s, "  {friends:>7}  {}", clean(host));
    }
    s
}

/// `4.3.0+glitch (compatible; …)` → `4.3.0+glitch`: versions can be long.
fn short_version(version: &str) -> &str {
    let end = version.find([' ', '(']).unwrap_or(version.len());
    let cut = &version[..end];
    match cut.char_indices().nth(16) {
        Some((at, _)) => &cut[..at],
        None => cut,
    }
}

fn account_lines(account: &Account) -> String {
    let id = clean(account.id.as_deref().unwrap_or("?"));
    let user = account.username.as_deref().map(clean);
    let name = account.display_name.as_deref().map(clean);
    let who = match (user, name) {
        (Some(user), Some(name)) => format!("@{user} ({name})"),
        (Some(user), None) => format!("@{user}"),
        (None, Some(name)) => format!("{name} (id {id})"),
        (None, None) => format!("id {id}"),
    };
    let mut s = format!("  {who}\n");
    for m in account.candidates.iter().filter(|m| !unanswered(m)) {
        let _ = writeln!(s, "    {}", match_line(m));
    }
    s
}

fn match_line(m: &Match) -> String {
    let address = clean(m.canonical.as_deref().unwrap_or(&m.handle));
    let mut line = format!("{address:<40} {}", m.state);
    if let Some(to) = &m.moved_to {
        let _ = write!(line, " → {}", clean(to));
    }
    if let Some(bridge) = m.bridge {
        let _ = write!(line, " (bridge: {bridge})");
    }
    if m.state == State::Possible
        && let Some(why) = &m.detail
    {
        let _ = write!(line, " ({})", clean(why));
    }
    if let Some(evidence) = m.evidence.first() {
        let _ = write!(line, "  [{}]", evidence_text(evidence));
    }
    line
}

/// `description: @a@b.social`, or for what `--reverse` read on the fediverse side, where:
/// `their profile, field "Twitter": https://twitter.com/a`.
fn evidence_text(evidence: &Evidence) -> String {
    let matched = clean(&evidence.matched);
    if evidence.source != Source::Reverse {
        return format!("{}: {matched}", evidence.field);
    }
    let place = match (&evidence.field, &evidence.label) {
        (Field::FediField, Some(label)) => format!("their profile, field \"{}\"", clean(label)),
        (Field::FediNote, _) => "their bio".to_string(),
        _ => "found by name".to_string(),
    };
    format!("{place}: {matched}")
}

/// A count with thousands separators: 1,204.
fn n(value: usize) -> String {
    thousands(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::matches::Relation;

    #[test]
    fn long_versions_are_cut() {
        assert_eq!(short_version("4.3.0"), "4.3.0");
        assert_eq!(short_version("2.7.2 (compatible; Pleroma 2.5.0)"), "2.7.2");
        assert_eq!(short_version("0123456789abcdefghij"), "0123456789abcdef");
    }

    #[test]
    fn the_summary_says_how_many_lack_profile_data() {
        let totals = Totals {
            followed: 1890,
            with_profile_data: 600,
            names_only: 86,
            without_profile_data: 1290,
            not_followed: 3,
            ..Totals::default()
        };
        let text = summary(&totals, true, &Words::of(Relation::Following));
        assert!(
            text.contains(
                "no profile data for 1,290 of 1,890 (86 of them known by name from your tweets)"
            ),
            "{text}"
        );
        assert!(
            text.contains("3 profile record(s) of accounts you do not follow, left out"),
            "{text}"
        );
        assert!(!text.contains("only a username"), "{text}");
        assert!(text.contains("none checked (--offline)"), "{text}");
    }

    #[test]
    fn where_friends_are_shows_server_text_clean() {
        let list = [Instance {
            host: "evil.example".into(),
            address_domains: vec!["evil.example".into(), "other\u{1b}[2J.example".into()],
            friends: 2,
            software: Some("mastodon\u{1b}]0;owned\u{7}\0".into()),
            version: Some("\u{1b}[2J4.3.0\u{202e}".into()),
            users: Some(10),
            open_registrations: Some(true),
        }];
        let text = instances(&list, &Words::of(Relation::Following));
        assert!(text.contains(" mastodon 4.3.0 "), "{text:?}");
        assert!(
            text.contains("open  (addresses @evil.example, @other.example)"),
            "{text:?}"
        );
        let controls = text.chars().filter(|c| c.is_control() && *c != '\n');
        assert_eq!(controls.count(), 0, "{text:?}");
        assert!(!text.contains('\u{202e}'), "{text:?}");
    }

    #[test]
    fn the_report_speaks_of_the_list_it_is_about() {
        let totals = Totals {
            followed: 2,
            without_profile_data: 2,
            not_followed: 5,
            ..Totals::default()
        };
        let findings = Findings {
            relation: Relation::Blocks,
            totals,
            instances: vec![Instance {
                host: "troll.example".into(),
                address_domains: Vec::new(),
                friends: 1,
                software: None,
                version: None,
                users: None,
                open_registrations: None,
            }],
            accounts: Vec::new(),
        };
        let text = render(&findings, false);
        assert!(
            text.starts_with("Blocked accounts   2 scanned: 0 with profile data\n"),
            "{text}"
        );
        assert!(
            text.contains("5 profile record(s) that match no account you blocked, left out"),
            "{text}"
        );
        assert!(
            text.contains("Where the accounts you blocked are\n  blocked  instance"),
            "{text}"
        );
        assert!(!text.contains("friend"), "{text}");
        assert!(!text.contains("follow"), "{text}");
    }

    fn candidate(handle: &str, state: State) -> Match {
        Match {
            handle: handle.into(),
            bridge: None,
            evidence: Vec::new(),
            state,
            canonical: None,
            actor_url: None,
            moved_to: None,
            server: None,
            software: None,
            detail: Some("the host did not answer".into()),
        }
    }

    fn followed(id: usize, candidates: Vec<Match>) -> Account {
        Account {
            id: Some(id.to_string()),
            username: Some(format!("friend{id}")),
            display_name: None,
            profile: Some("file"),
            candidates,
        }
    }

    #[test]
    fn accounts_on_hosts_that_did_not_answer_are_one_line() {
        let mut accounts: Vec<Account> = (0..30)
            .map(|i| {
                let (host, state) = if i % 2 == 0 {
                    ("dead-one.social", State::Timeout)
                } else {
                    ("dead-two.net", State::Unreachable)
                };
                followed(i, vec![candidate(&format!("f{i}@{host}"), state)])
            })
            .collect();
        accounts.push(followed(
            30,
            vec![
                candidate("both@dead-one.social", State::Timeout),
                candidate("both@alive.example", State::NotFound),
            ],
        ));
        let findings = Findings {
            relation: Relation::Following,
            totals: Totals::default(),
            instances: Vec::new(),
            accounts,
        };
        let text = render(&findings, false);
        assert!(
            text.contains(
                "Not checked        31 accounts on 2 hosts that did not answer: dead-one.social, dead-two.net; a rerun after an hour (or with --refresh) tries them again\n"
            ),
            "{text}"
        );
        assert!(!text.contains("timeout"), "{text}");
        assert!(!text.contains("unreachable"), "{text}");
        assert!(!text.contains("@friend0"), "{text}");
        assert!(
            text.contains("  @friend30\n    both@alive.example"),
            "{text}"
        );
        assert_eq!(text.matches("both@").count(), 1, "{text}");
    }

    #[test]
    fn one_account_on_one_dead_host_reads_in_the_singular() {
        let accounts = vec![followed(
            1,
            vec![candidate("a@gone.example", State::Timeout)],
        )];
        let line = unanswered_line(&accounts);
        assert!(
            line.starts_with(
                "Not checked        1 account on 1 host that did not answer: gone.example;"
            ),
            "{line}"
        );
        assert_eq!(unanswered_line(&[followed(2, Vec::new())]), "");
    }
}
