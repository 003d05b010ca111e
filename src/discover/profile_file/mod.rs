//! Profile files (`find --profiles FILE`): profiles of followed accounts exported by another
//! tool, a browser extension, or captured from X itself. Accepts CSV (also TSV and
//! semicolon-separated), a JSON document or JSONL; the format is read from the content, not
//! the file name. See `columns` for the accepted column names and `json` for the X
//! object shapes.
//!
//! Parsing works on a reader; [`read`] only opens the file. Never fetches anything and never
//! merges: the caller merges records from all sources with
//! [`merge_profiles`](super::profile::merge_profiles).

mod columns;
mod csv;
mod json;

#[cfg(test)]
mod tests;

use std::io::Read;
use std::path::Path;

use super::profile::Profile;

/// The formats a profile file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    Jsonl,
}

/// What a profile file held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFile {
    pub format: Format,
    /// Records in file order; a record without an id has `id: None` and can be matched by
    /// username.
    pub profiles: Vec<Profile>,
    /// Records that could not be used, to report (not fatal).
    pub skipped: Vec<Skipped>,
    /// Other things the user should know about the file, one sentence each.
    pub notes: Vec<String>,
}

/// A record left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The line (CSV) of the record.
    pub record: usize,
    pub reason: String,
}

impl Skipped {
    fn new(record: usize, reason: &str) -> Self {
        Self {
            record,
            reason: reason.to_string(),
        }
    }
}

/// Why a profile file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ProfileFileError {
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file} is not UTF-8 text; save it as UTF-8 and try again")]
    NotUtf8 { file: String },
    #[error("{file}, line {line}, column {column}: not valid JSON ({message})")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{file}, line {line}: not valid CSV ({message})")]
    Csv {
        file: String,
        line: usize,
        message: String,
    },
    #[error(
        "{file}: the CSV header has no account id or username column (it has: {found}); \
         name one `id` or `username`"
    )]
    NoKeyColumn { file: String, found: String },
    #[error(
        "{file} is empty: expected CSV with a header row, a JSON array, JSONL, or X user objects"
    )]
    Empty { file: String },
    #[error(
        "{file} holds no profiles: expected CSV with a header row, a JSON array, JSONL, or \
         X user objects"
    )]
    NoProfiles { file: String },
}

/// Opens and parses a profile file.
pub fn read(path: &Path) -> Result<ProfileFile, ProfileFileError> {
    let file = path.display().to_string();
    let handle = std::fs::File::open(path).map_err(|source| ProfileFileError::Io {
        file: file.clone(),
        source,
    })?;
    parse(handle, &file)
}

/// Parses a profile file from a reader; `file` names it in errors and in each profile's
/// source.
pub fn parse(mut reader: impl Read, file: &str) -> Result<ProfileFile, ProfileFileError> {
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|source| ProfileFileError::Io {
            file: file.to_string(),
            source,
        })?;
    let text = String::from_utf8(bytes).map_err(|_| ProfileFileError::NotUtf8 {
        file: file.to_string(),
    })?;
    let body = strip_js_prefix(text.trim_start_matches('\u{FEFF}'));
    if body.trim().is_empty() {
        return Err(ProfileFileError::Empty {
            file: file.to_string(),
        });
    }
    let parsed = if body.trim_start().starts_with(['[', '{']) {
        parse_json(body, file)?
    } else {
        csv::parse(body, file)?
    };
    if parsed.profiles.is_empty() {
        return Err(ProfileFileError::NoProfiles {
            file: file.to_string(),
        });
    }
    Ok(parsed)
}

/// Files saved from X's archive viewer start `window.YTD.name.part0 = [`; the JSON follows.
fn strip_js_prefix(text: &str) -> &str {
    let trimmed = text.trim_start();
    match trimmed.find('=') {
        Some(eq) if trimmed.starts_with("window.") => &trimmed[eq + 1..],
        _ => text,
    }
}

fn parse_json(text: &str, file: &str) -> Result<ProfileFile, ProfileFileError> {
    let values = json::values(text, file)?;
    let jsonl = values.len() > 1;
    let mut walker = json::Walker::new(file);
    for (line, value) in &values {
        walker.walk(value, jsonl.then_some(*line));
    }
    let (profiles, skipped) = walker.finish();
    Ok(ProfileFile {
        format: if jsonl { Format::Jsonl } else { Format::Json },
        profiles,
        skipped,
        notes: Vec::new(),
    })
}
