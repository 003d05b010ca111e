//! Joining the reverse search to the accounts: who is searched for, what is kept, and one
//! report that lines up with the findings.

use super::*;
use crate::discover::profile::{Profile, ProfileSource};
use crate::discover::reverse::ProfileField;
use crate::discover::verify::Acct;

fn friend(id: &str, username: Option<&str>, handles: &[&str]) -> Friend {
    Friend {
        id: Some(id.into()),
        profile: username.map(|u| Profile {
            username: Some(u.into()),
            display_name: Some(format!("{u} Example")),
            ..Profile::new(ProfileSource::XApi)
        }),
        findings: handles
            .iter()
            .map(|h| Finding {
                handle: h.parse().unwrap(),
                bridge: None,
                evidence: vec![Evidence::twitter(
                    Field::Description,
                    Rule::AcctAt,
                    format!("@{h}"),
                )],
            })
            .collect(),
    }
}

fn verified(host: &str, acct: &str) -> Verification {
    let mut v = Verification::bare(State::Verified, host, None);
    v.canonical = Acct::parse(acct);
    v
}

fn fedi(acct: &str, field: Option<(&str, &str)>) -> FediAccount {
    FediAccount {
        acct: acct.into(),
        username: acct.split('@').next().unwrap().into(),
        display_name: String::new(),
        note: String::new(),
        fields: field
            .map(|(name, value)| ProfileField {
                name: name.into(),
                value: value.into(),
                verified_at: None,
            })
            .into_iter()
            .collect(),
        url: None,
    }
}

/// Four accounts: one verified already, one not found, one without a username, one with
/// no candidate.
fn scene() -> (Friends, Report) {
    let friends = Friends {
        list: vec![
            friend("1", Some("ann"), &["ann@a.example"]),
            friend("2", Some("bo"), &["bo@gone.example"]),
            friend("3", None, &[]),
            friend("4", Some("cy"), &[]),
        ],
        not_followed: 0,
    };
    let first = Report {
        results: vec![
            verified("a.example", "ann@a.example"),
            Verification::bare(State::NotFound, "gone.example", None),
        ],
        asked: 2,
        ..Report::default()
    };
    (friends, first)
}

#[test]
fn only_accounts_with_a_username_and_no_verified_address_are_sought() {
    let (friends, first) = scene();
    let sought = sought(&friends, &first, |f| match f.id.as_deref() {
        Some("4") => vec!["CY".into(), "cy_old".into()],
        _ => Vec::new(),
    });
    let who: Vec<(usize, Vec<String>)> = sought
        .iter()
        .map(|s| (s.index, s.wanted.usernames.clone()))
        .collect();
    assert_eq!(
        who,
        [
            (1, vec!["bo".to_string()]),
            (3, vec!["cy".to_string(), "cy_old".to_string()])
        ]
    );
    assert_eq!(sought[0].wanted.display_name.as_deref(), Some("bo Example"));
}

#[test]
fn proven_accounts_are_verified_possible_ones_are_not_and_the_report_lines_up() {
    let (mut friends, first) = scene();
    let sought = sought(&friends, &first, |_| Vec::new());
    let instances = ["home.example".to_string()];
    let mut results = Results::default();
    let key = |text: &str| {
        Query {
            instance: "home.example".into(),
            text: text.into(),
        }
        .key()
    };
    results.found.insert(
        key("bo"),
        vec![
            fedi("bo@new.example", Some(("Twitter", "twitter.com/bo"))),
            fedi("bo@namesake.example", None),
            fedi("bo@new.example", Some(("Twitter", "twitter.com/bo"))),
        ],
    );
    results.found.insert(
        key("cy"),
        vec![fedi("cy@x.example", None), fedi("cyd@x.example", None)],
    );
    let hits = judge_all(&sought, &instances, &results);
    assert_eq!(hits[0].len(), 1, "the proven one only, once: {:?}", hits[0]);
    assert!(matches!(hits[1][0].verdict, Verdict::Possible(_)));
    assert_eq!(hits[1].len(), 1, "cyd is not cy");

    let added = attach(&mut friends, &sought, hits);
    let targets = targets(&added);
    assert_eq!(targets.len(), 1);
    assert_eq!(
        (targets[0].user.as_str(), targets[0].host.as_str()),
        ("bo", "new.example")
    );
    let second = Report {
        results: vec![verified("new.example", "bo@new.example")],
        asked: 1,
        ..Report::default()
    };
    let report = merge(&friends, first, &added, second);
    let states: Vec<State> = report.results.iter().map(|r| r.state).collect();
    assert_eq!(
        states,
        [
            State::Verified,
            State::NotFound,
            State::Verified,
            State::Possible
        ]
    );
    assert_eq!(report.asked, 3);
    let bo = &friends.list[1].findings[1];
    assert_eq!(bo.evidence[0].source, Source::Reverse);
    assert_eq!(bo.evidence[0].field, Field::FediField);
    assert_eq!(bo.evidence[0].label.as_deref(), Some("Twitter"));
    assert_eq!(bo.evidence[0].rule, Rule::TwitterLink);
    let cy = &friends.list[3].findings[0];
    assert_eq!(cy.evidence[0].rule, Rule::SameName);
    assert!(
        report.results[3]
            .detail
            .as_deref()
            .unwrap()
            .contains("same username")
    );
}

#[test]
fn a_handle_already_found_gets_the_evidence_not_a_second_finding() {
    let (mut friends, first) = scene();
    let sought = sought(&friends, &first, |_| Vec::new());
    let hits = vec![
        vec![Hit {
            handle: "bo@gone.example".parse().unwrap(),
            account: fedi("bo@gone.example", Some(("X", "x.com/bo"))),
            verdict: Verdict::Proven(Vec::new()),
        }],
        Vec::new(),
    ];
    let added = attach(&mut friends, &sought, hits);
    assert!(added.is_empty());
    assert_eq!(friends.list[1].findings.len(), 1);
    let report = merge(&friends, first, &added, Report::default());
    assert_eq!(report.results.len(), 2);
}

#[test]
fn at_most_a_few_possible_ones_are_kept() {
    let wanted = Wanted {
        usernames: vec!["pat".into()],
        display_name: None,
    };
    let sought = [Sought { index: 0, wanted }];
    let mut results = Results::default();
    let many: Vec<FediAccount> = (0..9)
        .map(|i| fedi(&format!("pat@host{i}.example"), None))
        .collect();
    results.found.insert(
        Query {
            instance: "h".into(),
            text: "pat".into(),
        }
        .key(),
        many,
    );
    let hits = judge_all(&sought, &["h".to_string()], &results);
    assert_eq!(hits[0].len(), MAX_POSSIBLE);
}
