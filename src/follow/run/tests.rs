//! The executor against an in-memory instance: the journal around every action, failures per
//! address, and the errors that end a run.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use super::*;
use crate::fedi::ApiError;
use crate::follow::input::RowOptions;
use crate::follow::plan::Standing;

/// An instance in memory: accounts by handle, and answers queued per account id.
#[derive(Default)]
struct Memory {
    accounts: HashMap<String, Found>,
    fail: Mutex<HashMap<String, u16>>,
    acted: Mutex<Vec<String>>,
}

fn api(status: u16) -> Error {
    Error::from(ApiError {
        host: "m.example".into(),
        status,
        method: "POST".into(),
        path: "/x".into(),
        error: Some("nope".into()),
        description: None,
        anonymous: false,
    })
}

impl Remote for Memory {
    async fn find(&self, handle: &Handle) -> Result<Option<Found>, Error> {
        Ok(self.accounts.get(&handle.to_string()).cloned())
    }

    async fn standings(&self, ids: &[String]) -> Result<HashMap<String, Standing>, Error> {
        Ok(ids
            .iter()
            .map(|id| (id.clone(), Standing::default()))
            .collect())
    }

    async fn act(&self, _: Relation, id: &str, _: &ActOptions) -> Result<Standing, Error> {
        if let Some(status) = self.fail.lock().unwrap().get(id) {
            return Err(match status {
                0 => Error::Interrupted,
                s => api(*s),
            });
        }
        self.acted.lock().unwrap().push(id.to_string());
        Ok(Standing {
            following: true,
            ..Standing::default()
        })
    }

    async fn undo(&self, _: Relation, _: &str) -> Result<Standing, Error> {
        Ok(Standing::default())
    }

    async fn list(&self, _: &str) -> Result<String, Error> {
        Ok("L".into())
    }

    async fn list_members(&self, _: &str) -> Result<HashSet<String>, Error> {
        Ok(HashSet::new())
    }

    async fn add_to_list(&self, _: &str, _: &[String]) -> Result<(), Error> {
        Ok(())
    }
}

fn step(n: usize) -> Step {
    Step {
        handle: format!("u{n}@x.example").parse().unwrap(),
        line: n,
        account_id: n.to_string(),
        acct: format!("u{n}@x.example"),
        locked: false,
        options: RowOptions::default(),
        note: None,
    }
}

fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(
        &dir.path().join("following.jsonl"),
        crate::follow::journal::HINT,
    )
    .unwrap();
    (dir, journal)
}

#[tokio::test]
async fn every_action_is_journaled_and_failures_are_per_address() {
    let memory = Memory::default();
    memory.fail.lock().unwrap().extend([
        ("2".to_string(), 500),
        ("3".to_string(), 403),
        ("4".to_string(), 404),
    ]);
    let (_dir, mut journal) = journal();
    journal
        .write(Record::Resolved {
            handle: step(4).handle,
            account_id: "4".into(),
            acct: "u4@x.example".into(),
            locked: false,
            moved_id: None,
            moved_acct: None,
        })
        .unwrap();
    let steps: Vec<Step> = (1..=5).map(step).collect();
    let mut seen = Vec::new();
    let mut on = |event: Event<'_>| {
        if let Event::Done(item) = event {
            seen.push(item.result);
        }
    };
    execute(
        &memory,
        &steps,
        Relation::Follow,
        &ActOptions::default(),
        &mut journal,
        1,
        &mut on,
    )
    .await
    .unwrap();
    use Outcome::*;
    assert_eq!(seen, [Followed, Failed, Forbidden, NotFound, Followed]);
    let results = journal.results(1);
    assert_eq!(results.len(), 5);
    assert_eq!(
        journal.unanswered(1).len(),
        1,
        "only the 500 may have been done"
    );
    assert!(
        journal.resolved().is_empty(),
        "a 404 forgets the remembered account"
    );
}

#[tokio::test]
async fn an_interruption_stops_the_run_with_the_attempt_open() {
    let memory = Memory::default();
    memory.fail.lock().unwrap().insert("2".into(), 0);
    let (_dir, mut journal) = journal();
    let steps: Vec<Step> = (1..=3).map(step).collect();
    let stopped = execute(
        &memory,
        &steps,
        Relation::Follow,
        &ActOptions::default(),
        &mut journal,
        1,
        &mut |_| {},
    )
    .await;
    assert!(matches!(stopped, Err(Stop::Client(Error::Interrupted))));
    assert_eq!(
        *memory.acted.lock().unwrap(),
        ["1"],
        "nothing after the stop"
    );
    assert_eq!(journal.results(1).len(), 1);
    let open: Vec<String> = journal
        .unanswered(1)
        .iter()
        .map(|h| h.to_string())
        .collect();
    assert_eq!(open, ["u2@x.example"]);
}

#[tokio::test]
async fn check_remembers_ids_and_tells_found_from_missing() {
    let mut memory = Memory::default();
    let found = Found {
        id: "7".into(),
        acct: "a@x.example".into(),
        locked: false,
        standing: Standing::default(),
        moved_to: None,
    };
    memory.accounts.insert("a@x.example".into(), found);
    let entries: Vec<_> = ["a@x.example", "b@x.example"]
        .iter()
        .map(|t| crate::follow::input::Entry {
            handle: t.parse().unwrap(),
            trust: crate::follow::input::Trust::Listed,
            line: 1,
            options: RowOptions::default(),
            twitter: None,
        })
        .collect();
    let (_dir, mut journal) = journal();
    let facts = check(&memory, &entries, &mut journal, &mut |_| {})
        .await
        .unwrap();
    assert!(matches!(facts[&entries[0].handle], Fact::Found(_)));
    assert_eq!(facts[&entries[1].handle], Fact::NotFound);
    assert_eq!(
        journal.resolved().len(),
        1,
        "the id is remembered for reruns"
    );
}

#[test]
fn a_csv_rows_options_fill_what_the_command_line_left_open() {
    let mut s = step(1);
    s.options.reblogs = Some(false);
    s.options.languages = Some(vec!["de".into()]);
    let mut defaults = ActOptions::default();
    defaults.follow.notify = Some(true);
    let options = options_for(&s, &defaults);
    assert_eq!(options.follow.reblogs, Some(false));
    assert_eq!(options.follow.notify, Some(true));
    assert_eq!(options.follow.languages, ["de"]);
    defaults.follow.reblogs = Some(true);
    assert_eq!(
        options_for(&s, &defaults).follow.reblogs,
        Some(true),
        "the flag wins"
    );
}
