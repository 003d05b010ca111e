//! One run at a time per data file: an exclusive advisory lock on `<path>.lock`, a file beside
//! the data that holds the holder's process id (for the message a second run gets).
//!
//! The lock is the OS's (`File::try_lock`: flock on Unix, LockFileEx on Windows), tied to the
//! open file, so the OS drops it when the process ends however it ends: `kill -9` leaves no
//! stale lock, and a lock file left behind is just a file, reused by the next run. The file is
//! never deleted (deleting it would let two runs lock two different files of the same name).
//! Never waits, never retries, never decides what a held lock means for the command.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

/// An exclusive lock on a file beside the data (`<path>.lock`, holding our pid for messages),
/// taken with the OS's advisory lock (std's `File::try_lock`), so a run killed with -9 leaves
/// no stale lock: the OS drops it with the process. Released on drop. (A lock file that
/// outlives its process is just a file; it is reused.)
#[derive(Debug)]
pub struct Lock {
    file: File,
    path: PathBuf,
}

/// Why [`Lock::acquire`] did not get the lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another process (or another handle in this one) holds it.
    #[error(
        "another fedimigrate run{} is using {}; wait for it to finish, or stop it and run the \
         same command again",
        holder(*pid),
        path.display()
    )]
    Held { path: PathBuf, pid: Option<u32> },
    /// The lock file could not be created, read or locked.
    #[error("cannot lock {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

fn holder(pid: Option<u32>) -> String {
    pid.map(|pid| format!(" (process {pid})"))
        .unwrap_or_default()
}

impl Lock {
    /// Takes the lock for `data_path` without waiting; the lock file's missing directories are
    /// created 0700, the file 0600.
    pub fn acquire(data_path: &Path) -> Result<Lock, LockError> {
        let path = lock_path(data_path);
        let failed = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        let mut file = open_lock_file(&path).map_err(failed)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(LockError::Held {
                    path: data_path.to_path_buf(),
                    pid: read_pid(&mut file),
                });
            }
            Err(TryLockError::Error(err)) => return Err(failed(err)),
        }
        write_pid(&mut file).map_err(failed)?;
        Ok(Lock { file, path })
    }

    /// The lock file (`<data path>.lock`).
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first says so.
        let _ = self.file.unlock();
    }
}

/// `<data path>.lock`.
fn lock_path(data_path: &Path) -> PathBuf {
    let mut name = data_path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::atomic::create_dirs(dir, true)?;
    }
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// The holder's pid, if it has written it yet (and the OS lets us read a locked file).
fn read_pid(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.rewind().ok()?;
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

fn write_pid(file: &mut File) -> io::Result<()> {
    file.set_len(0)?;
    file.rewind()?;
    writeln!(file, "{}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_acquire_is_refused_with_the_holders_pid() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("journal.jsonl");
        let lock = Lock::acquire(&data).unwrap();
        assert_eq!(lock.path(), dir.path().join("journal.jsonl.lock"));
        match Lock::acquire(&data) {
            Err(LockError::Held { path, pid }) => {
                assert_eq!(path, data);
                if cfg!(unix) {
                    // Windows does not let others read a locked range; the pid is then None.
                    assert_eq!(pid, Some(std::process::id()));
                }
            }
            other => panic!("expected Held, got {other:?}"),
        }
        assert!(!data.exists(), "the data file is not touched");
    }

    #[test]
    fn the_lock_is_released_on_drop() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("x.jsonl");
        drop(Lock::acquire(&data).unwrap());
        let again = Lock::acquire(&data);
        assert!(again.is_ok(), "{again:?}");
    }

    #[test]
    fn a_lock_file_left_by_a_dead_process_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("new/dir/x.jsonl");
        std::fs::create_dir_all(data.parent().unwrap()).unwrap();
        let left = lock_path(&data);
        std::fs::write(&left, "4000000000\n").unwrap(); // no such pid: its lock died with it
        let _lock = Lock::acquire(&data).unwrap();
        let pid = std::fs::read_to_string(&left).unwrap();
        assert_eq!(pid, format!("{}\n", std::process::id()));
    }

    #[test]
    fn the_message_names_the_file_the_process_and_what_to_do() {
        let held = LockError::Held {
            path: PathBuf::from("/x/y.jsonl"),
            pid: Some(1234),
        };
        assert_eq!(
            held.to_string(),
            "another fedimigrate run (process 1234) is using /x/y.jsonl; wait for it to \
             finish, or stop it and run the same command again"
        );
        let unknown = LockError::Held {
            path: PathBuf::from("/x/y.jsonl"),
            pid: None,
        };
        assert!(
            unknown
                .to_string()
                .starts_with("another fedimigrate run is using /x/y")
        );
    }

    /// Run by [`a_process_killed_with_9_leaves_no_stale_lock`] in a child process: takes the
    /// lock named by the variable, says so, and waits to be killed.
    #[test]
    #[ignore = "a helper process for another test"]
    fn helper_hold_the_lock_until_killed() {
        let Some(path) = std::env::var_os(HELPER_VAR) else {
            return;
        };
        let _lock = Lock::acquire(Path::new(&path)).unwrap();
        println!("{LOCKED}");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }

    const HELPER_VAR: &str = "FEDIMIGRATE_TEST_LOCK_HOLDER";
    const LOCKED: &str = "lock taken";

    #[test]
    fn a_process_killed_with_9_leaves_no_stale_lock() {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("journal.jsonl");
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "store::lock::tests::helper_hold_the_lock_until_killed",
            ])
            .args(["--ignored", "--nocapture", "--test-threads=1"])
            .env(HELPER_VAR, &data)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let locked = std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.ends_with(LOCKED));
        let held = Lock::acquire(&data);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        assert!(locked, "the helper process did not take the lock");
        match held {
            Err(LockError::Held { pid, .. }) if cfg!(unix) => assert_eq!(pid, Some(child.id())),
            Err(LockError::Held { .. }) => {}
            other => panic!("expected Held by the child, got {other:?}"),
        }
        let after = Lock::acquire(&data);
        assert!(after.is_ok(), "{after:?}");
    }
}
