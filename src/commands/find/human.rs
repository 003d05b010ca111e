//! The human report of `find`: the summary, "where your friends are", and the accounts found,
//! worded for the list the accounts come from (followed, blocked, muted). Text only: never
//! prints. Every string a server, a profile or the archive supplied goes through [`clean`].

use std::fmt::Write;

use super::words::Words;

use crate::discover::matches::{Account, Findings, Instance, Match, Totals, candidate_hosts};
use crate::discover::verify::State;
use crate::sanitize::clean;
use crate::ui::thousands;

/// The whole report as text.
pub fn render(findings: &Findings, offline: bool) -> String {
    let words = Words::of(findings.relation);
    let mut text = summary(&findings.totals, offline, &words);
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
        .filter(|a| !a.candidates.is_empty())
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
    if !t.dead_hosts.is_empty() {
        let shown: Vec<std::borrow::Cow<'_, str>> =
            t.dead_hosts.iter().take(8).map(|h| clean(h)).collect();
        let more = t.dead_hosts.len().saturating_sub(shown.len());
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "Dead hosts         {}: {}{more}",
            t.dead_hosts.len(),
            shown.join(", ")
        );
    }
    s
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
        let _ = writeln!(
            s,
            "  {:>7}  {:<28} {:<22} {:>10}  {open}",
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
    for m in &account.candidates {
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
    if let Some(evidence) = m.evidence.first() {
        let _ = write!(line, "  [{}: {}]", evidence.field, clean(&evidence.matched));
    }
    line
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
            friends: 2,
            software: Some("mastodon\u{1b}]0;owned\u{7}\0".into()),
            version: Some("\u{1b}[2J4.3.0\u{202e}".into()),
            users: Some(10),
            open_registrations: Some(true),
        }];
        let text = instances(&list, &Words::of(Relation::Following));
        assert!(text.contains(" mastodon 4.3.0 "), "{text:?}");
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
}
