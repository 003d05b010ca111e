//! The file on disk after each step: torn tails, damaged lines, rewrites, modes.

use std::fs;

use serde::{Deserialize, Serialize};

use super::*;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Rec {
    n: u32,
}

fn open(path: &Path) -> (JsonLines, Loaded<Rec>) {
    JsonLines::open(path, Options::default()).unwrap()
}

fn numbers(loaded: &Loaded<Rec>) -> Vec<u32> {
    loaded.records.iter().map(|r| r.n).collect()
}

#[test]
fn a_missing_file_is_empty_and_nothing_is_created_until_an_append() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a/b/log.jsonl");
    let (mut store, loaded) = open(&path);
    assert_eq!(
        loaded,
        Loaded {
            records: vec![],
            damaged: vec![],
            torn: false
        }
    );
    assert!(!dir.path().join("a").exists(), "open creates nothing");
    store.append(&Rec { n: 1 }).unwrap();
    store.append(&Rec { n: 2 }).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "{\"n\":1}\n{\"n\":2}\n");
    assert_eq!(store.path(), path);
}

#[test]
fn a_torn_tail_is_dropped_and_cut_off_before_the_next_append() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    fs::write(&path, "{\"n\":1}\n{\"n\":2}\n{\"n\":").unwrap();
    let (mut store, loaded) = open(&path);
    assert_eq!(numbers(&loaded), [1, 2]);
    assert!(loaded.torn);
    assert!(loaded.damaged.is_empty(), "a torn tail is not damage");
    assert!(
        fs::read_to_string(&path).unwrap().ends_with("{\"n\":"),
        "reading alone changes nothing"
    );
    store.append(&Rec { n: 3 }).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n"
    );
    let (_, again) = open(&path);
    assert_eq!(numbers(&again), [1, 2, 3]);
    assert!(!again.torn);
}

#[test]
fn a_whole_last_line_without_its_newline_is_kept_and_ended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    fs::write(&path, "{\"n\":1}").unwrap();
    let (mut store, loaded) = open(&path);
    assert_eq!(numbers(&loaded), [1]);
    assert!(!loaded.torn);
    store.append(&Rec { n: 2 }).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "{\"n\":1}\n{\"n\":2}\n");
}

#[test]
fn damaged_lines_are_reported_by_number_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let mut bytes = b"{\"n\":1}\ngarbage\n\n{\"m\":2}\n".to_vec();
    bytes.extend_from_slice(b"{\"n\":\xff}\n{\"n\":5}\r\n{\"n\":6}\n");
    fs::write(&path, &bytes).unwrap();
    let (_, loaded) = open(&path);
    assert_eq!(numbers(&loaded), [1, 5, 6]);
    assert_eq!(loaded.damaged, [2, 4, 5], "blank line 3 is not damage");
    assert!(!loaded.torn);
}

#[test]
fn a_file_changed_by_someone_else_since_open_is_not_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    fs::write(&path, "{\"n\":1}\n{\"n\"").unwrap();
    let (mut store, loaded) = open(&path);
    assert!(loaded.torn);
    // Another run mended and appended meanwhile: its lines stand.
    fs::write(&path, "{\"n\":1}\n{\"n\":7}\n{\"n\":8}\n").unwrap();
    store.append(&Rec { n: 2 }).unwrap();
    let (_, loaded) = open(&path);
    assert_eq!(numbers(&loaded), [1, 7, 8, 2]);
}

#[test]
fn a_record_that_cannot_be_written_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let (mut store, _) = open(&path);
    store.append(&Rec { n: 1 }).unwrap();
    // JSON objects need string keys: serialising this fails before anything is written.
    let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
    assert!(store.append(&bad).is_err());
    store.append(&Rec { n: 2 }).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "{\"n\":1}\n{\"n\":2}\n");
}

#[test]
fn rewrite_replaces_the_file_and_later_appends_go_to_the_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let (mut store, _) = open(&path);
    for n in 1..=4 {
        store.append(&Rec { n }).unwrap();
    }
    store.rewrite([Rec { n: 4 }, Rec { n: 3 }]).unwrap();
    store.append(&Rec { n: 9 }).unwrap();
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "{\"n\":4}\n{\"n\":3}\n{\"n\":9}\n"
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file");
}

#[test]
fn a_torn_tail_is_gone_after_a_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    fs::write(&path, "{\"n\":1}\n{\"n").unwrap();
    let (mut store, loaded) = open(&path);
    store.rewrite(loaded.records).unwrap();
    store.append(&Rec { n: 2 }).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "{\"n\":1}\n{\"n\":2}\n");
}

#[test]
fn disk_durability_appends_the_same_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let options = Options {
        private: false,
        durability: Durability::Disk,
    };
    let (mut store, _) = JsonLines::open::<Rec>(&path, options).unwrap();
    store.append(&Rec { n: 1 }).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "{\"n\":1}\n");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_private_store_is_0600_in_new_0700_dirs() {
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("a/b/journal.jsonl");
    let options = Options {
        private: true,
        durability: Durability::Os,
    };
    let (mut store, _) = JsonLines::open::<Rec>(&path, options).unwrap();
    store.append(&Rec { n: 1 }).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&home.path().join("a")), 0o700);
    assert_eq!(mode(&home.path().join("a/b")), 0o700);
    store.rewrite([Rec { n: 2 }]).unwrap();
    assert_eq!(mode(&path), 0o600, "a rewritten file stays private");

    let loose = home.path().join("loose.jsonl");
    fs::write(&loose, "").unwrap();
    let (mut store, _) = JsonLines::open::<Rec>(&loose, options).unwrap();
    store.append(&Rec { n: 1 }).unwrap();
    assert_eq!(mode(&loose), 0o600, "an existing file is tightened");
}

#[test]
fn a_path_under_a_file_reads_empty_and_fails_on_append() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    fs::write(&blocker, "x").unwrap();
    let (mut store, loaded) = open(&blocker.join("log.jsonl"));
    assert!(loaded.records.is_empty());
    assert!(store.append(&Rec { n: 1 }).is_err());
    assert!(store.append(&Rec { n: 2 }).is_err(), "and keeps failing");
}

#[test]
fn an_unreadable_path_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = JsonLines::open::<Rec>(dir.path(), Options::default()).unwrap_err();
    assert_ne!(err.kind(), io::ErrorKind::NotFound);
}

#[test]
fn the_remains_of_a_failed_append_are_cut_before_the_next_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("log.jsonl");
    let (mut store, _) = open(&path);
    store.append(&Rec { n: 1 }).unwrap();
    // What `append` leaves after a write that got half out (say, the disk filled up).
    let mut file = OpenOptions::new().append(true).open(&path).unwrap();
    file.write_all(b"{\"n\":2").unwrap();
    store.appender = None;
    store.mend = Some(Mend::Cut {
        keep: store.end,
        if_len: None,
    });
    store.append(&Rec { n: 3 }).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "{\"n\":1}\n{\"n\":3}\n");
}
