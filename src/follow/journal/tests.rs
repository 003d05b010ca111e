//! The journal folds its records into runs, results, open attempts and undos, survives a torn
//! last line, refuses a damaged one, and refuses a second writer.

use super::*;

fn h(text: &str) -> Handle {
    text.parse().unwrap()
}

fn run_record(run: u32, undo_of: Option<u32>, fingerprint: &str) -> Record {
    Record::Run {
        run,
        undo_of,
        at: Utc::now(),
        input: Some("list.txt".into()),
        fingerprint: fingerprint.into(),
    }
}

fn result(run: u32, handle: &str, outcome: Outcome) -> Record {
    Record::Result {
        run,
        handle: h(handle),
        account_id: Some(format!("id-{handle}")),
        outcome,
        reason: None,
        at: Utc::now(),
        maybe_done: outcome == Outcome::Failed,
    }
}

fn attempt(run: u32, handle: &str) -> Record {
    Record::Attempt {
        run,
        handle: h(handle),
        account_id: format!("id-{handle}"),
    }
}

fn journal_with(records: Vec<Record>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j/following.jsonl");
    let mut journal = Journal::open(&path, HINT).unwrap();
    for record in records {
        journal.write(record).unwrap();
    }
    (dir, path)
}

#[test]
fn folds_runs_results_and_open_attempts() {
    let (_dir, path) = journal_with(vec![
        run_record(1, None, "fp"),
        attempt(1, "a@x.example"),
        result(1, "a@x.example", Outcome::Followed),
        attempt(1, "b@x.example"),
        attempt(1, "c@x.example"),
        result(1, "c@x.example", Outcome::Failed),
    ]);
    let journal = Journal::read_only(&path, HINT).unwrap();
    assert_eq!(journal.next_run(), 2);
    let open = journal.unanswered(1);
    assert!(
        open.contains(&h("b@x.example")),
        "no result: the answer was lost"
    );
    assert!(
        open.contains(&h("c@x.example")),
        "failed: the server may have done it"
    );
    assert!(!open.contains(&h("a@x.example")));
    assert_eq!(journal.unfinished(None, "fp").map(|r| r.run), Some(1));
    assert_eq!(
        journal.unfinished(None, "other"),
        None,
        "another input is another job"
    );
    let previous = journal.previous(1);
    assert!(previous[&h("a@x.example")].this_run);
    assert!(!journal.previous(2)[&h("a@x.example")].this_run);
}

#[test]
fn an_ended_run_is_not_continued_and_undos_are_their_own_runs() {
    let (_dir, path) = journal_with(vec![
        run_record(1, None, "fp"),
        result(1, "a@x.example", Outcome::Followed),
        result(1, "b@x.example", Outcome::AlreadyFollowing),
        Record::End {
            run: 1,
            complete: true,
            at: Utc::now(),
        },
        run_record(2, Some(1), "undo-1"),
        result(2, "a@x.example", Outcome::Unfollowed),
    ]);
    let journal = Journal::read_only(&path, HINT).unwrap();
    assert_eq!(journal.unfinished(None, "fp"), None);
    assert_eq!(
        journal.unfinished(Some(1), "undo-1").map(|r| r.run),
        Some(2)
    );
    assert_eq!(journal.undone(1), HashSet::from([h("a@x.example")]));
    let latest = journal.previous(3);
    assert_eq!(latest[&h("a@x.example")].outcome, Outcome::Unfollowed);
}

#[test]
fn a_torn_last_line_is_dropped_and_a_damaged_one_stops() {
    let (_dir, path) = journal_with(vec![run_record(1, None, "fp")]);
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    std::io::Write::write_all(&mut file, b"{\"kind\":\"result\",\"run\":1,\"han").unwrap();
    drop(file);
    let mut journal = Journal::open(&path, HINT).unwrap();
    assert_eq!(journal.runs().len(), 1);
    journal
        .write(result(1, "a@x.example", Outcome::Followed))
        .unwrap();
    drop(journal);
    assert_eq!(Journal::read_only(&path, HINT).unwrap().results(1).len(), 1);

    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("garbage\n{text}")).unwrap();
    let err = Journal::read_only(&path, HINT).unwrap_err();
    assert!(matches!(err, JournalError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("line(s) 1"), "{err}");
}

#[test]
fn a_second_writer_is_refused_a_reader_is_not() {
    let (_dir, path) = journal_with(vec![run_record(1, None, "fp")]);
    let first = Journal::open(&path, HINT).unwrap();
    let err = Journal::open(&path, HINT).unwrap_err();
    assert!(err.to_string().contains("another fedimigrate run"), "{err}");
    assert!(Journal::read_only(&path, HINT).is_ok());
    drop(first);
    assert!(Journal::open(&path, HINT).is_ok());
}

#[test]
fn a_read_only_journal_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("following.jsonl");
    let mut journal = Journal::read_only(&path, HINT).unwrap();
    journal.write(run_record(1, None, "fp")).unwrap();
    assert_eq!(journal.runs().len(), 1, "kept in memory");
    assert!(!path.exists());
}

#[test]
fn paths_are_safe_and_fingerprints_ignore_order() {
    let path = path_for(
        Path::new("/d"),
        "127.0.0.1:8443",
        "../alice@x.example",
        Relation::Mute,
    );
    assert_eq!(
        path,
        Path::new("/d/journals/127.0.0.1_8443/_alice@x.example/mutes.jsonl")
    );
    let (a, b) = (h("a@x.example"), h("b@x.example"));
    assert_eq!(fingerprint([&a, &b]), fingerprint([&b, &a, &a]));
    assert_ne!(fingerprint([&a]), fingerprint([&b]));
}

#[test]
fn refusals_close_attempts_and_forgotten_accounts_are_looked_up_again() {
    let (_dir, path) = journal_with(vec![
        run_record(1, None, "fp"),
        Record::Resolved {
            handle: h("gone@x.example"),
            account_id: "9".into(),
            acct: "gone@x.example".into(),
            locked: false,
            moved_id: None,
            moved_acct: None,
        },
        attempt(1, "a@x.example"),
        Record::Abandoned {
            run: 1,
            handle: h("a@x.example"),
        },
        attempt(1, "b@x.example"),
        Record::Result {
            run: 1,
            handle: h("b@x.example"),
            account_id: None,
            outcome: Outcome::Failed,
            reason: Some("422".into()),
            at: Utc::now(),
            maybe_done: false,
        },
        Record::Forget {
            handle: h("gone@x.example"),
        },
    ]);
    let journal = Journal::read_only(&path, HINT).unwrap();
    assert!(
        journal.unanswered(1).is_empty(),
        "refused and abandoned attempts are closed"
    );
    assert!(journal.resolved().is_empty());
}
