//! Crash loops: `follow` killed with -9 at random moments, then run again until it finishes;
//! on the instance's side every account is followed exactly once and none is missed, and the
//! run's final counts are right. Then the same while the instance drops answers after doing
//! the work.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::follow::Scene;
use crate::util::{Lcg, stderr};

const ACCOUNTS: usize = 40;
const KILLS: usize = 20;

fn scene() -> (Scene, String) {
    let s = Scene::new();
    let names: Vec<String> = (0..ACCOUNTS).map(|i| format!("c{i:02}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    s.remotes(&refs);
    let list: String = names
        .iter()
        .map(|n| format!("{n}@remote.example\n"))
        .collect();
    let file = s.file("list.txt", &list);
    s.fake.host().set_latency(Duration::from_millis(8));
    (s, file)
}

/// Kills `follow` at random moments `KILLS` times, then lets it finish; returns the final
/// output.
fn kill_loop(s: &Scene, file: &str) -> std::process::Output {
    let mut rng = Lcg::from_clock();
    eprintln!("crash loop seed {}", rng.0);
    let mut kills = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    while kills < KILLS {
        assert!(Instant::now() < deadline, "the crash loop took too long");
        let mut child = s
            .command(&["follow", file, "--yes"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(30 + rng.below(600)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        let _ = child.wait();
    }
    for _ in 0..5 {
        let out = s.run(&["follow", file, "--yes", "--json"]);
        match out.status.code() {
            Some(0) => return out,
            Some(3) => continue,
            _ => panic!("{}", stderr(&out)),
        }
    }
    panic!("the run did not finish after the kills");
}

/// The run's counts from its `--json` summary, or from `--runs` when the last rerun had
/// nothing left to do.
fn followed_in_run(s: &Scene) -> String {
    let out = s.run(&["follow", "--runs"]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn killed_at_random_moments_it_follows_everyone_exactly_once() {
    let (s, file) = scene();
    kill_loop(&s, &file);
    let followed = s.followed();
    assert_eq!(followed.len(), ACCOUNTS, "{followed:?}");
    let calls = s.fake.state().follow_calls;
    assert_eq!(calls.len(), ACCOUNTS);
    let twice: Vec<_> = calls.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "followed more than once: {twice:?}");
    let runs = followed_in_run(&s);
    assert!(
        runs.contains(&format!("followed {ACCOUNTS}")) && !runs.contains("already"),
        "the run's counts: {runs}"
    );
}

#[test]
fn answers_lost_after_the_work_never_count_twice() {
    let (s, file) = scene();
    s.fake
        .drop_after_commit_rate("POST", "/api/v1/accounts/", 0.3);
    kill_loop(&s, &file);
    assert_eq!(s.followed().len(), ACCOUNTS);
    assert!(s.fake.dropped_answers() > 0, "the fake dropped nothing");
    let runs = followed_in_run(&s);
    assert!(
        runs.contains(&format!("followed {ACCOUNTS}")) && !runs.contains("already"),
        "lost answers still count as ours: {runs}"
    );
    let undo = s.run(&["follow", "--undo", "--yes"]);
    assert_eq!(undo.status.code(), Some(0), "{}", stderr(&undo));
    assert!(s.followed().is_empty(), "undo takes back every one of them");
}
