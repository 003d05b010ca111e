//! A whole archive's bytes, written to a temporary `.zip`, through `Archive::open`, the
//! summary `inspect` prints, the owner's account and lists, and every tweet.
#![no_main]

use std::ops::ControlFlow;
use std::path::PathBuf;

use fedimigrate::archive::{Archive, ArchiveError, Relation};
use libfuzzer_sys::fuzz_target;

/// One file per fuzzing process, in memory when `/dev/shm` exists.
fn scratch() -> PathBuf {
    let dir = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    dir.join(format!("fedimigrate-fuzz-{}.zip", std::process::id()))
}

fn read_all(archive: &Archive) {
    if let Err(err) = archive.summary() {
        let _ = err.to_string();
    }
    let _ = archive.account();
    let _ = archive.following_ids();
    let _ = archive.lists();
    let _ = archive.for_each_account_id::<ArchiveError>(Relation::Followers, |_| {
        Ok(ControlFlow::Continue(()))
    });
    let _ = archive.for_each_like::<ArchiveError>(|_| Ok(ControlFlow::Continue(())));
    let _ = archive.for_each_tweet::<ArchiveError>(|tweet| {
        let _ = tweet.text.len();
        Ok(ControlFlow::Continue(()))
    });
    let _ = archive.warnings();
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(&path, data).is_err() {
        return;
    }
    match Archive::open(&path) {
        Ok(archive) => read_all(&archive),
        Err(err) => {
            let _ = err.to_string();
        }
    }
});
