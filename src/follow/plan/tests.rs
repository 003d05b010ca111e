//! Plan correctness: duplicates, yourself, trust, the journal, the instance's answers, moved
//! accounts, the follow cap and `--limit`.

use super::*;

fn h(text: &str) -> Handle {
    text.parse().unwrap()
}

fn entry(handle: &str, line: usize, trust: Trust) -> Entry {
    Entry {
        handle: h(handle),
        trust,
        line,
        options: RowOptions::default(),
        twitter: None,
    }
}

fn listed(handle: &str, line: usize) -> Entry {
    entry(handle, line, Trust::Listed)
}

fn found(id: &str, acct: &str) -> Found {
    Found {
        id: id.into(),
        acct: acct.into(),
        locked: false,
        standing: Standing::default(),
        moved_to: None,
    }
}

fn me() -> Handle {
    h("me@home.example")
}

fn shape(relation: Relation) -> Shape {
    Shape {
        me_id: None,
        relation,
        limit: None,
        cap_room: None,
    }
}

fn reasons(plan: &Plan) -> Vec<(String, String)> {
    plan.skipped
        .iter()
        .map(|s| (s.handle.to_string(), s.why.describe()))
        .collect()
}

#[test]
fn duplicates_keep_the_first_line_and_the_strongest_trust() {
    let entries = [
        entry(
            "a@x.example",
            1,
            Trust::Unverified {
                state: "timeout".into(),
            },
        ),
        entry("A@X.example", 2, Trust::Verified),
        listed("b@x.example", 3),
    ];
    let prepared = prepare(&entries, Some(&me()), &HashMap::new(), false);
    let pending: Vec<_> = prepared
        .pending
        .iter()
        .map(|e| (e.line, e.trust.clone()))
        .collect();
    assert_eq!(pending, [(1, Trust::Verified), (3, Trust::Listed)]);
    assert_eq!(
        prepared.skipped,
        [Skipped {
            handle: h("a@x.example"),
            line: 2,
            why: Skip::Duplicate { first_line: 1 }
        }]
    );
}

#[test]
fn yourself_and_unverified_are_skipped_unless_asked() {
    let entries = [
        listed("me@home.example", 1),
        entry(
            "u@x.example",
            2,
            Trust::Unverified {
                state: "not_found".into(),
            },
        ),
        entry("m@x.example", 3, Trust::Moved),
    ];
    let strict = prepare(&entries, Some(&me()), &HashMap::new(), false);
    assert_eq!(strict.pending.len(), 1);
    assert_eq!(
        strict
            .skipped
            .iter()
            .map(|s| s.why.clone())
            .collect::<Vec<_>>(),
        [
            Skip::Yourself,
            Skip::Unverified {
                state: "not_found".into()
            }
        ]
    );
    let loose = prepare(&entries, Some(&me()), &HashMap::new(), true);
    assert_eq!(
        loose.pending.len(),
        2,
        "unverified included, yourself never"
    );
}

#[test]
fn the_journal_skips_what_earlier_runs_did_and_settles_this_runs_results() {
    let entries = [
        listed("done@x.example", 1),
        listed("failed@x.example", 2),
        listed("earlier@x.example", 3),
        listed("notfound@x.example", 4),
        listed("undone@x.example", 5),
    ];
    let prev = |run, outcome, this_run| Previous {
        run,
        outcome,
        this_run,
    };
    let journal = HashMap::from([
        (h("done@x.example"), prev(2, Outcome::Followed, true)),
        (h("failed@x.example"), prev(2, Outcome::Failed, true)),
        (h("earlier@x.example"), prev(1, Outcome::Requested, false)),
        (h("notfound@x.example"), prev(1, Outcome::NotFound, false)),
        (h("undone@x.example"), prev(1, Outcome::Unfollowed, false)),
    ]);
    let prepared = prepare(&entries, Some(&me()), &journal, false);
    assert_eq!(prepared.settled, [(h("done@x.example"), Outcome::Followed)]);
    let pending: Vec<_> = prepared.pending.iter().map(|e| e.line).collect();
    assert_eq!(
        pending,
        [2, 4, 5],
        "failures, old misses and undone ones are tried again"
    );
    assert_eq!(
        prepared.skipped[0].why,
        Skip::DoneBefore {
            run: 1,
            outcome: Outcome::Requested
        }
    );
}

#[test]
fn the_instance_decides_found_already_and_not_found() {
    let entries = [
        listed("new@x.example", 1),
        listed("friend@x.example", 2),
        listed("locked@x.example", 3),
        listed("ghost@x.example", 4),
        listed("broken@x.example", 5),
    ];
    let prepared = prepare(&entries, Some(&me()), &HashMap::new(), false);
    let mut friend = found("2", "friend@x.example");
    friend.standing.following = true;
    let mut locked = found("3", "locked@x.example");
    locked.standing.requested = true;
    let facts = HashMap::from([
        (h("new@x.example"), Fact::Found(found("1", "new@x.example"))),
        (h("friend@x.example"), Fact::Found(friend)),
        (h("locked@x.example"), Fact::Found(locked)),
        (h("ghost@x.example"), Fact::NotFound),
        (
            h("broken@x.example"),
            Fact::Unchecked("x.example answered 502".into()),
        ),
    ]);
    let plan = decide(prepared, &facts, &HashSet::new(), shape(Relation::Follow));
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].account_id, "1");
    assert_eq!(plan.count(Outcome::AlreadyFollowing), 1);
    assert_eq!(plan.count(Outcome::AlreadyRequested), 1);
    assert_eq!(plan.count(Outcome::NotFound), 1);
    assert_eq!(plan.count(Outcome::Failed), 1);
}

#[test]
fn already_depends_on_the_relation() {
    let entries = [listed("a@x.example", 1)];
    let mut account = found("1", "a@x.example");
    account.standing.following = true;
    let facts = HashMap::from([(h("a@x.example"), Fact::Found(account))]);
    for (relation, steps) in [
        (Relation::Follow, 0),
        (Relation::Block, 1),
        (Relation::Mute, 1),
    ] {
        let prepared = prepare(&entries, Some(&me()), &HashMap::new(), false);
        assert_eq!(
            decide(prepared, &facts, &HashSet::new(), shape(relation))
                .steps
                .len(),
            steps
        );
    }
}

#[test]
fn a_moved_account_is_followed_at_its_new_address_once() {
    let entries = [listed("old@x.example", 1), listed("new@y.example", 2)];
    let mut old = found("1", "old@x.example");
    old.moved_to = Some(Box::new(found("2", "new@y.example")));
    let facts = HashMap::from([
        (h("old@x.example"), Fact::Found(old)),
        (h("new@y.example"), Fact::Found(found("2", "new@y.example"))),
    ]);
    let prepared = prepare(&entries, Some(&me()), &HashMap::new(), false);
    let plan = decide(prepared, &facts, &HashSet::new(), shape(Relation::Follow));
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(plan.steps[0].account_id, "2");
    assert_eq!(
        plan.steps[0].handle,
        h("old@x.example"),
        "the journal key is the input's"
    );
    assert_eq!(
        plan.steps[0].note.as_deref(),
        Some("moved to new@y.example")
    );
    assert_eq!(
        reasons(&plan),
        [(
            "new@y.example".to_string(),
            "duplicate of line 1".to_string()
        )]
    );
}

fn many(n: usize) -> (Vec<Entry>, HashMap<Handle, Fact>) {
    let entries: Vec<_> = (0..n)
        .map(|i| listed(&format!("u{i}@x.example"), i + 1))
        .collect();
    let facts = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let fact = Fact::Found(found(&i.to_string(), &e.handle.to_string()));
            (e.handle.clone(), fact)
        })
        .collect();
    (entries, facts)
}

#[test]
fn limit_and_cap_cut_the_steps_and_say_which() {
    let (entries, facts) = many(10);
    let run = |limit, cap_room, relation| {
        let prepared = prepare(&entries, Some(&me()), &HashMap::new(), false);
        let plan = decide(
            prepared,
            &facts,
            &HashSet::new(),
            Shape {
                me_id: None,
                relation,
                limit,
                cap_room,
            },
        );
        let over = plan.skipped_for(|s| matches!(s, Skip::OverCap));
        let past = plan.skipped_for(|s| matches!(s, Skip::Limit));
        (plan.steps.len(), over, past)
    };
    assert_eq!(run(Some(4), None, Relation::Follow), (4, 0, 6));
    assert_eq!(run(None, Some(3), Relation::Follow), (3, 7, 0));
    assert_eq!(run(Some(2), Some(3), Relation::Follow), (2, 0, 8));
    assert_eq!(run(Some(5), Some(3), Relation::Follow), (3, 7, 0));
    assert_eq!(
        run(None, Some(0), Relation::Block),
        (10, 0, 0),
        "no cap on blocks"
    );
}

#[test]
fn mastodons_follow_cap() {
    assert_eq!(follow_cap("mastodon", 100), Some(7_500));
    assert_eq!(follow_cap("Mastodon", 10_000), Some(11_000));
    assert_eq!(follow_cap("gotosocial", 10), None);
}

#[test]
fn undo_takes_back_only_what_the_run_did() {
    let done = vec![
        (h("a@x.example"), "1".to_string(), Outcome::Followed),
        (h("b@x.example"), "2".to_string(), Outcome::AlreadyFollowing),
        (h("c@x.example"), "3".to_string(), Outcome::Requested),
        (h("d@x.example"), "4".to_string(), Outcome::Followed),
    ];
    let undone = HashSet::from([h("d@x.example")]);
    let steps = undo_steps(&done, &undone);
    let ids: Vec<_> = steps.iter().map(|s| s.account_id.as_str()).collect();
    assert_eq!(ids, ["1", "3"]);
}

#[test]
fn a_lost_answer_of_ours_counts_as_done_not_already() {
    let entries = [listed("a@x.example", 1), listed("b@x.example", 2)];
    let mut a = found("1", "a@x.example");
    a.standing.following = true;
    let mut b = found("2", "b@x.example");
    b.standing.requested = true;
    let facts = HashMap::from([
        (h("a@x.example"), Fact::Found(a)),
        (h("b@x.example"), Fact::Found(b)),
    ]);
    let attempted = HashSet::from([h("a@x.example"), h("b@x.example")]);
    let prepared = prepare(&entries, Some(&me()), &HashMap::new(), false);
    let plan = decide(prepared, &facts, &attempted, shape(Relation::Follow));
    assert_eq!(plan.count(Outcome::Followed), 1);
    assert_eq!(plan.count(Outcome::Requested), 1);
    assert!(plan.steps.is_empty());
}

#[test]
fn an_address_that_turns_out_to_be_you_is_skipped() {
    let entries = [listed("alias@home.example", 1)];
    let facts = HashMap::from([(h("alias@home.example"), Fact::Found(found("42", "me")))]);
    let prepared = prepare(&entries, None, &HashMap::new(), false);
    let mut shape = shape(Relation::Follow);
    shape.me_id = Some("42".into());
    let plan = decide(prepared, &facts, &HashSet::new(), shape);
    assert!(plan.steps.is_empty());
    assert_eq!(plan.skipped[0].why, Skip::Yourself);
}
