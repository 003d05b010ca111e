//! Errors of the archive reader, each one plain sentence written for the archive's owner.
//!
//! Every error that concerns one file inside the archive carries a [`Place`], so the message
//! names the file (and the zip it sits in) and, where it helps, the byte where things went
//! wrong. Nothing here decides exit codes or prints: `commands` and `main` do that.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub(crate) use crate::ui::thousands;

/// One file inside an archive: what error messages and warnings point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The archive as the user named it (a `.zip` file or a folder).
    pub archive: PathBuf,
    /// The file's path inside the archive, with `/` separators.
    pub entry: String,
    /// True when `archive` is a zip file (the message then says "… in archive.zip").
    pub zipped: bool,
}

impl Place {
    /// The place of `entry` inside `archive`.
    pub fn new(archive: &Path, entry: &str, zipped: bool) -> Self {
        Self {
            archive: archive.to_path_buf(),
            entry: entry.to_string(),
            zipped,
        }
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.zipped {
            write!(f, "{} in {}", self.entry, self.archive.display())
        } else {
            write!(f, "{}", self.archive.join(&self.entry).display())
        }
    }
}

/// Everything that can stop the archive reader. Each message is one sentence naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{} does not exist", path.display())]
    Missing { path: PathBuf },

    #[error("cannot read {}: {source}", path.display())]
    Unreadable { path: PathBuf, source: io::Error },

    #[error(
        "{} is not a zip file; point at the .zip X gave you or at the folder it unpacks to",
        path.display()
    )]
    NotAZip { path: PathBuf },

    #[error("{} is a damaged zip file ({detail}): download the archive again", path.display())]
    CorruptZip { path: PathBuf, detail: String },

    #[error(
        "{} holds two files named {name}, so one of them would be lost: fedimigrate reads \
         neither; download the archive again (or unpack it and keep the right one)",
        path.display()
    )]
    DuplicateEntry { path: PathBuf, name: String },

    #[error(
        "{} does not look like a Twitter archive: it has no manifest.js, tweets.js, tweet.js, \
         account.js or Grailbird tweet files",
        path.display()
    )]
    NotTwitter { path: PathBuf },

    #[error("{} has no account information (no manifest.js, account.js or user_details.js)", path.display())]
    NoAccount { path: PathBuf },

    #[error("{place} is cut off at byte {}: download the archive again", thousands(*at))]
    Truncated { place: Place, at: u64 },

    #[error("{place} is empty (0 bytes): download the archive again")]
    Empty { place: Place },

    #[error("{place} is not valid at byte {} (record {}): {detail}", thousands(*at), thousands(*record))]
    Invalid {
        place: Place,
        at: u64,
        record: u64,
        detail: String,
    },

    #[error("{place} is not valid: {detail}")]
    Malformed { place: Place, detail: String },

    #[error("{place} is not UTF-8 text (bad byte at {}): was it re-saved in another encoding?", thousands(*at))]
    NotUtf8 { place: Place, at: u64 },

    #[error("{place} does not start with an assignment like `window.YTD.tweets.part0 = [`")]
    NoPrefix { place: Place },

    #[error(
        "{place} holds more than the {} bytes its zip entry declares: the archive is damaged",
        thousands(*declared)
    )]
    Oversize { place: Place, declared: u64 },

    #[error("{place} has a record of more than {} MB at byte {}, far more than any real archive holds", limit / 1_000_000, thousands(*at))]
    RecordTooLarge { place: Place, at: u64, limit: u64 },

    #[error("{place} is damaged ({detail}): download the archive again")]
    Damaged { place: Place, detail: String },

    #[error("{place} is cut off in the row at line {}: download the archive again", thousands(*line))]
    CsvTruncated { place: Place, line: u64 },

    #[error("{place} is not valid at line {}: {detail}", thousands(*line))]
    CsvInvalid {
        place: Place,
        line: u64,
        detail: String,
    },

    #[error("cannot read {place}: {source}")]
    ReadEntry { place: Place, source: io::Error },

    /// A circle or deleted tweets file that cannot be read: no tweet may be handed out then.
    #[error(
        "{problem}, so {what} tweets cannot be told apart from public ones: download the archive again"
    )]
    Unsafe { problem: String, what: &'static str },
}

impl ArchiveError {
    /// Turns an I/O error met while reading `place` into the error the user should see.
    ///
    /// A reader may carry an `ArchiveError` inside an `io::Error` (the inflate thread does):
    /// that one comes back unchanged.
    pub(crate) fn from_read(place: &Place, err: io::Error) -> Self {
        let kind = err.kind();
        let carries_ours = err
            .get_ref()
            .is_some_and(|inner| inner.is::<ArchiveError>());
        let err = if carries_ours {
            match err
                .into_inner()
                .map(|inner| inner.downcast::<ArchiveError>())
            {
                Some(Ok(ours)) => return *ours,
                Some(Err(other)) => io::Error::new(kind, other),
                None => io::Error::from(kind),
            }
        } else {
            err
        };
        match kind {
            // The zip reader reports bad checksums, broken deflate streams and entries
            // that end early this way.
            io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof | io::ErrorKind::Other => {
                let detail = match err.to_string().to_lowercase() {
                    text if text.is_empty() => "its compressed data is corrupt".into(),
                    text => text,
                };
                Self::Damaged {
                    place: place.clone(),
                    detail,
                }
            }
            _ => Self::ReadEntry {
                place: place.clone(),
                source: err,
            },
        }
    }

    /// The problem without the advice some messages end with: what a warning starts with.
    pub(crate) fn problem(&self) -> String {
        match self {
            Self::CorruptZip { path, detail } => {
                format!("{} is a damaged zip file ({detail})", path.display())
            }
            Self::Truncated { place, at } => {
                format!("{place} is cut off at byte {}", thousands(*at))
            }
            Self::Empty { place } => format!("{place} is empty (0 bytes)"),
            Self::NotUtf8 { place, at } => {
                format!("{place} is not UTF-8 text (bad byte at {})", thousands(*at))
            }
            Self::Damaged { place, detail } => format!("{place} is damaged ({detail})"),
            Self::CsvTruncated { place, line } => {
                format!("{place} is cut off in the row at line {}", thousands(*line))
            }
            other => other.to_string(),
        }
    }

    /// A warning in one sentence: the problem, then what the reader did about it
    /// (`consequence`, e.g. "it was skipped").
    pub(crate) fn warning(&self, consequence: &str) -> String {
        format!("{}, so {consequence}", self.problem())
    }

    /// The file inside the archive this error is about, if it is about one.
    pub fn place(&self) -> Option<&Place> {
        match self {
            Self::Truncated { place, .. }
            | Self::Empty { place }
            | Self::Invalid { place, .. }
            | Self::Malformed { place, .. }
            | Self::NotUtf8 { place, .. }
            | Self::NoPrefix { place }
            | Self::Oversize { place, .. }
            | Self::RecordTooLarge { place, .. }
            | Self::Damaged { place, .. }
            | Self::CsvTruncated { place, .. }
            | Self::CsvInvalid { place, .. }
            | Self::ReadEntry { place, .. } => Some(place),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zipped_place_names_entry_and_zip() {
        let place = Place::new(Path::new("x/archive.zip"), "data/tweets.js", true);
        let err = ArchiveError::Truncated {
            place,
            at: 1_048_576,
        };
        assert_eq!(
            err.to_string(),
            "data/tweets.js in x/archive.zip is cut off at byte 1,048,576: download the \
             archive again"
        );
        assert_eq!(
            err.warning("it was skipped"),
            "data/tweets.js in x/archive.zip is cut off at byte 1,048,576, so it was skipped"
        );
    }

    #[test]
    fn a_folder_place_is_a_path() {
        let place = Place::new(Path::new("arch"), "data/like.js", false);
        assert_eq!(
            place.to_string(),
            Path::new("arch/data/like.js").display().to_string()
        );
    }

    #[test]
    fn an_archive_error_survives_a_trip_through_io_error() {
        let place = Place::new(Path::new("a.zip"), "data/tweets.js", true);
        let inner = ArchiveError::Oversize {
            place: place.clone(),
            declared: 10,
        };
        let back = ArchiveError::from_read(&place, io::Error::other(inner));
        assert!(matches!(back, ArchiveError::Oversize { declared: 10, .. }));
    }
}
