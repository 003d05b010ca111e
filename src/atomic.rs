//! Files that appear whole or not at all: written to a temporary file in the same directory,
//! flushed to disk, then renamed over the target, and the directory flushed. A crash or an
//! error mid-way leaves the old file (or no file), never half a file.
//!
//! Also the owner-only side of secrets: a private file is created with mode 0600 from the
//! start, so it is never readable by others even briefly, and its missing directories are made
//! 0700. [`create_private_dir`] and [`make_private`] tighten what already exists, for callers
//! that own the directory. On systems without Unix modes only the atomicity holds.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `path` atomically with the bytes `fill` produces. `private` creates the file with
/// mode 0600 (and missing directories with 0700); existing directories are left as they are.
pub fn write(
    path: &Path,
    private: bool,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = parent(path);
    create_dirs(&dir, private)?;
    let temp = temp_path(path);
    let result = write_temp(&temp, private, fill).and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_dir(&dir);
    Ok(())
}

/// Creates `dir` (and parents) with mode 0700, or tightens an existing one to 0700.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    create_dirs(dir, true)?;
    if !is_private(dir) {
        restrict(dir, 0o700)?;
    }
    Ok(())
}

/// Makes an existing file owner-only (0600); returns true if it was not.
pub fn make_private(path: &Path) -> io::Result<bool> {
    if is_private(path) {
        return Ok(false);
    }
    restrict(path, 0o600)?;
    Ok(true)
}

/// True when neither group nor others have any access (always true without Unix modes).
pub fn is_private(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 == 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        true
    }
}

fn create_dirs(dir: &Path, private: bool) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(if private { 0o700 } else { 0o777 });
    }
    #[cfg(not(unix))]
    let _ = private;
    builder.create(dir)
}

fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(mode))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(())
    }
}

fn write_temp(
    temp: &Path,
    private: bool,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let file = open_new(temp, private)?;
    let mut out = BufWriter::new(file);
    fill(&mut out)?;
    let file = out.into_inner().map_err(|err| err.into_error())?;
    file.sync_all()
}

fn open_new(path: &Path, private: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path)
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A unique sibling name: `.NAME.tmp-PID-N`.
fn temp_path(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into());
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    parent(path).join(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Makes the rename durable (best effort: not every platform can open a directory).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_and_replaces_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write(&path, false, |w| w.write_all(b"one")).unwrap();
        write(&path, false, |w| w.write_all(b"two")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn a_failing_writer_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        write(&path, false, |w| w.write_all(b"old")).unwrap();
        let err = write(&path, false, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_in_new_0700_dirs() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("a/b");
        let path = dir.join("secret.json");
        write(&path, true, |w| w.write_all(b"{}")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&home.path().join("a")), 0o700);
    }

    #[cfg(unix)]
    #[test]
    fn a_private_write_replaces_a_loose_file_by_rename() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let before = fs::metadata(&path).unwrap().ino();
        write(&path, true, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_ne!(
            fs::metadata(&path).unwrap().ino(),
            before,
            "a new file was renamed in"
        );
        assert_eq!(mode(&path), 0o600);
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[cfg(unix)]
    #[test]
    fn tightens_a_loose_directory_and_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(dir.path()).unwrap();
        assert_eq!(mode(dir.path()), 0o700);
        let path = dir.path().join("f");
        fs::write(&path, "x").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(make_private(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
        assert!(!make_private(&path).unwrap());
    }

    #[test]
    fn a_failed_rename_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("target");
        fs::create_dir(&path).unwrap(); // a directory cannot be replaced by a file
        assert!(write(&path, true, |w| w.write_all(b"x")).is_err());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["target"], "the temporary file is removed");
    }
}
