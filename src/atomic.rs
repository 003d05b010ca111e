//! Files that appear whole or not at all: written to a temporary file in the same directory,
//! flushed to disk, then renamed over the target, and the directory flushed. A crash or an
//! error mid-way leaves the old file (or no file), never half a file.
//!
//! Only regular files (or missing paths) are replaced. A path that is a device, a FIFO or a
//! terminal (`/dev/null`, `/dev/stdout` on a pipe, a symlink to such) is written straight
//! through, since renaming over it would replace the device with a plain file. A symlink to a
//! regular file is followed: its target is replaced, and the link survives.
//!
//! Also the owner-only side of secrets: a private file is created with mode 0600 from the
//! start, so it is never readable by others even briefly, and its missing directories are made
//! 0700. [`create_private_dir`] and [`make_private`] tighten what already exists, for callers
//! that own the directory. On systems without Unix modes only the atomicity holds.
//!
//! Never decides what goes into a file or what a failure means to the user.

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
    write_with(path, private, fill).map_err(|failure| match failure {
        Failure::Fill(err) | Failure::Io(err) => err,
    })
}

/// What failed in [`write_with`]: the caller's own step, or the file handling around it.
#[derive(Debug)]
pub enum Failure<E> {
    /// `fill` returned this error (the old file, if any, is untouched).
    Fill(E),
    /// Resolving, creating, flushing or renaming the file failed.
    Io(io::Error),
}

/// [`write`] for a `fill` with its own error type, which comes back apart from file-system
/// errors so the caller can word each (say, which path could not be written).
pub fn write_with<E>(
    path: &Path,
    private: bool,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failure<E>> {
    match destination(path).map_err(Failure::Io)? {
        Destination::Stream => write_through(path, fill),
        Destination::Replace(real) => replace(&real, private, fill),
    }
}

/// Where the bytes go.
#[derive(Debug, PartialEq, Eq)]
enum Destination {
    /// Something that is not a regular file: written straight to, never replaced.
    Stream,
    /// A regular file or nothing yet, at this path (symlinks followed): replaced by rename.
    Replace(PathBuf),
}

fn destination(path: &Path) -> io::Result<Destination> {
    match fs::metadata(path) {
        Ok(meta) if !meta.is_file() => Ok(Destination::Stream),
        Ok(_) => Ok(Destination::Replace(follow_links(path)?)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            Ok(Destination::Replace(follow_links(path)?))
        }
        Err(err) => Err(err),
    }
}

/// The path a chain of symlinks ends at (existing or not), so a rename replaces the target
/// and not the link.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&path)?;
                path = parent(&path).join(target);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other(format!(
        "too many levels of symbolic links at {}",
        path.display()
    )))
}

/// Writes into an existing non-regular file (a device, a FIFO) as it is.
fn write_through<E>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failure<E>> {
    let file = OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(Failure::Io)?;
    let mut out = BufWriter::new(file);
    fill(&mut out).map_err(Failure::Fill)?;
    out.flush().map_err(Failure::Io)
}

/// Writes a temporary file beside `path` and renames it over `path`.
fn replace<E>(
    path: &Path,
    private: bool,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failure<E>> {
    let dir = parent(path);
    create_dirs(&dir, private).map_err(Failure::Io)?;
    let temp = temp_path(path);
    let result = write_temp(&temp, private, fill)
        .and_then(|()| fs::rename(&temp, path).map_err(Failure::Io));
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

/// Creates `dir` and its missing parents, 0700 when `private`; existing ones are left alone.
pub fn create_dirs(dir: &Path, private: bool) -> io::Result<()> {
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

fn write_temp<E>(
    temp: &Path,
    private: bool,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), Failure<E>> {
    let file = open_new(temp, private).map_err(Failure::Io)?;
    let mut out = BufWriter::new(file);
    fill(&mut out).map_err(Failure::Fill)?;
    let file = out
        .into_inner()
        .map_err(|err| Failure::Io(err.into_error()))?;
    file.sync_all().map_err(Failure::Io)
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

/// Makes a rename or a new file in `dir` durable (best effort: not every platform can open a
/// directory).
pub fn sync_dir(dir: &Path) {
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
    fn a_directory_in_the_way_is_an_error_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("target");
        fs::create_dir(&path).unwrap(); // a directory cannot be replaced by a file
        assert!(write(&path, true, |w| w.write_all(b"x")).is_err());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["target"], "no temporary file is left");
    }

    #[test]
    fn a_fill_error_comes_back_apart_from_file_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let failed = write_with(&path, false, |_| Err("archive cut off"));
        assert!(matches!(failed, Err(Failure::Fill("archive cut off"))));
        let blocker = dir.path().join("file");
        fs::write(&blocker, "x").unwrap();
        let failed = write_with(&blocker.join("out.txt"), false, |_| Ok::<(), ()>(()));
        assert!(matches!(failed, Err(Failure::Io(_))), "{failed:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_a_file_survives_and_its_target_is_replaced() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        fs::write(dir.path().join("real/data.csv"), "old").unwrap();
        let link = dir.path().join("link.csv");
        symlink("real/data.csv", &link).unwrap();
        write(&link, false, |w| w.write_all(b"new")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("real/data.csv")).unwrap(),
            "new"
        );
        assert_eq!(fs::read_dir(dir.path().join("real")).unwrap().count(), 1);

        let dangling = dir.path().join("dangling.csv");
        symlink("real/later.csv", &dangling).unwrap();
        write(&dangling, false, |w| w.write_all(b"made")).unwrap();
        assert!(
            fs::symlink_metadata(&dangling)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("real/later.csv")).unwrap(),
            "made"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_through_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success(), "mkfifo failed");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write(&fifo, false, |w| w.write_all(b"through the pipe")).unwrap();
        // Checked before joining: had the FIFO been replaced, the reader would wait forever.
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file");
    }

    /// Issue 12: `export -o /dev/null` as root replaced the device with a regular file. The
    /// decision is checked before the write, so a regression fails here and harms nothing.
    #[cfg(unix)]
    #[test]
    fn dev_null_stays_a_device() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        let is_device = |p: &Path| fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device());
        if !is_device(null) {
            eprintln!("skipped: /dev/null is not a character device here");
            return;
        }
        assert_eq!(destination(null).unwrap(), Destination::Stream);
        write(null, false, |w| w.write_all(b"discarded")).unwrap();
        assert!(is_device(null), "/dev/null is still a device");
        let temps = fs::read_dir("/dev")
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".null.tmp-"))
            .count();
        assert_eq!(temps, 0, "no temporary file in /dev");
    }
}
