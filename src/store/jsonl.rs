//! One JSON Lines file: each record is one line of compact JSON ending in `\n`.
//!
//! The model: a record reaches the file in a single write of its line and newline, so a crash
//! (or `kill -9`) can leave at most one partial line, at the very end. Reading drops such a
//! torn tail and reports it; the file is mended (the tail cut off) just before the next append,
//! so that append starts on a line of its own. Lines in the middle that are not records are
//! reported by number and skipped. A last line that is whole but lacks its newline (a file
//! edited by hand) is a record; the newline is added before the next append. A failed append
//! is cut off again before the next one, so it never glues itself to a good line.
//!
//! Opening creates nothing; the first append makes the directories and the file. [`rewrite`]
//! replaces the whole file through [`crate::atomic`]. This module never interprets records,
//! never warns, and never takes a lock (see [`super::Lock`]).
//!
//! [`rewrite`]: JsonLines::rewrite

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// How an append reaches the disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Durability {
    /// write(2) and return: survives the process being killed (kill -9), not a power cut.
    #[default]
    Os,
    /// also fdatasync after each append: survives a power cut (journals of real actions).
    Disk,
}

/// How the file is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The file is created 0600 (an existing one is tightened to 0600 when first appended
    /// to), and missing directories 0700.
    pub private: bool,
    pub durability: Durability,
}

/// What [`JsonLines::open`] read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded<T> {
    pub records: Vec<T>,
    /// 1-based line numbers of lines that are not valid records (a torn last line not counted).
    pub damaged: Vec<usize>,
    /// The file ended in a partial line (a crash mid-append); it was dropped.
    pub torn: bool,
}

/// What the file's end needs before the next append, so that append starts a line of its own.
/// Each applies only while the file still has the length `if_len` (when known): a file that
/// changed since belongs to someone else's writes, which stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mend {
    /// Cut the file to `keep` bytes (a torn line, or the remains of a failed append).
    Cut { keep: u64, if_len: Option<u64> },
    /// The last line is whole but has no newline.
    Newline { if_len: u64 },
}

/// A JSON Lines file, read once and then appended to (or rewritten).
#[derive(Debug)]
pub struct JsonLines {
    path: PathBuf,
    options: Options,
    /// Opened by the first append.
    appender: Option<File>,
    /// The file's length after our last write through `appender`.
    end: u64,
    mend: Option<Mend>,
}

impl JsonLines {
    /// Reads every record (missing file = empty; bytes that are not UTF-8 read lossily). A torn
    /// last line is cut off the file on disk before any append, so the next append starts on
    /// a line of its own. Creates nothing until the first append (then dirs + file).
    pub fn open<T: DeserializeOwned>(
        path: &Path,
        options: Options,
    ) -> io::Result<(Self, Loaded<T>)> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            // A path under a regular file cannot exist either; the first append says why.
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                Vec::new()
            }
            Err(err) => return Err(err),
        };
        let (loaded, mend) = parse(&bytes);
        let store = Self {
            path: path.to_path_buf(),
            options,
            appender: None,
            end: 0,
            mend,
        };
        Ok((store, loaded))
    }

    /// Appends one record as one line, with a single write of line + '\n' (then fdatasync with
    /// Durability::Disk).
    pub fn append<T: Serialize>(&mut self, record: &T) -> io::Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        let disk = self.options.durability == Durability::Disk;
        let file = self.appender()?;
        let written = file
            .write_all(&line)
            .and_then(|()| if disk { file.sync_data() } else { Ok(()) });
        match written {
            Ok(()) => self.end += line.len() as u64,
            Err(err) => {
                // Whatever part of the line got out is cut off before the next append.
                self.appender = None;
                self.mend = Some(Mend::Cut {
                    keep: self.end,
                    if_len: None,
                });
                return Err(err);
            }
        }
        Ok(())
    }

    /// Replaces the whole file atomically with these records (through crate::atomic::write);
    /// later appends go to the new file.
    pub fn rewrite<T: Serialize>(
        &mut self,
        records: impl IntoIterator<Item = T>,
    ) -> io::Result<()> {
        self.appender = None;
        crate::atomic::write(&self.path, self.options.private, |out| {
            for record in records {
                serde_json::to_writer(&mut *out, &record)?;
                out.write_all(b"\n")?;
            }
            Ok(())
        })?;
        self.mend = None;
        Ok(())
    }

    /// The file's path, as given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The append handle, opened (and the file's end mended) on first use.
    fn appender(&mut self) -> io::Result<&mut File> {
        let file = match self.appender.take() {
            Some(file) => file,
            None => self.open_appender()?,
        };
        Ok(self.appender.insert(file))
    }

    fn open_appender(&mut self) -> io::Result<File> {
        let private = self.options.private;
        let dir = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        crate::atomic::create_dirs(&dir, private)?;
        let mut file = open_for_append(&self.path, private)?;
        if private {
            crate::atomic::make_private(&self.path)?;
        }
        self.apply_mend(&mut file)?;
        self.end = file.metadata()?.len();
        if self.options.durability == Durability::Disk {
            // A file created just now lives only once its directory entry is on disk too.
            crate::atomic::sync_dir(&dir);
        }
        Ok(file)
    }

    fn apply_mend(&mut self, file: &mut File) -> io::Result<()> {
        let Some(mend) = self.mend else {
            return Ok(());
        };
        let len = file.metadata()?.len();
        match mend {
            Mend::Cut { keep, if_len } if if_len.is_none_or(|l| l == len) && len > keep => {
                file.set_len(keep)?;
            }
            Mend::Newline { if_len } if if_len == len => file.write_all(b"\n")?,
            _ => {}
        }
        self.mend = None;
        Ok(())
    }
}

fn open_for_append(path: &Path, private: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    #[cfg(not(unix))]
    let _ = private;
    options.open(path)
}

/// Reads the records out of the file's bytes, and says how its end must be mended.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> (Loaded<T>, Option<Mend>) {
    let mut loaded = Loaded {
        records: Vec::new(),
        damaged: Vec::new(),
        torn: false,
    };
    let if_len = bytes.len() as u64;
    let mut mend = None;
    let mut start = 0u64;
    for (index, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        let whole = line.ends_with(b"\n");
        let text = String::from_utf8_lossy(line);
        let text = text.trim();
        let parsed = (!text.is_empty()).then(|| serde_json::from_str::<T>(text));
        match (parsed, whole) {
            (Some(Ok(record)), _) => loaded.records.push(record),
            (Some(Err(_)), true) => loaded.damaged.push(index + 1),
            (Some(Err(_)), false) => loaded.torn = true,
            (None, _) => {}
        }
        if !whole {
            let keep = if loaded.torn || text.is_empty() {
                Mend::Cut {
                    keep: start,
                    if_len: Some(if_len),
                }
            } else {
                Mend::Newline { if_len }
            };
            mend = Some(keep);
        }
        start += line.len() as u64;
    }
    (loaded, mend)
}

#[cfg(test)]
mod tests;
