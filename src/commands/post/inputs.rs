//! The files `post`'s flags name: tweet id lists (`--only-ids`, `--skip-ids`), find's
//! matches (`--matches`) and media descriptions (`--alt-text`). Parsers take text and are
//! pure; the readers around them only open files and say which one failed.
//!
//! Formats:
//! - ids: one a line; a tweet URL (`…/status/123`) counts as its id; the first field of a
//!   CSV line is taken; empty lines and `#` comments are skipped.
//! - alt texts: CSV with the header `tweet_id,media,description` (any column order, more
//!   columns ignored); `media` is the media id or the file's name in the archive
//!   (`123-abc.jpg` or `abc.jpg`); `tweet_id` may be a tweet URL.
//! - matches: find's `--json`/`--jsonl` output; only verified (or moved) handles are used.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use anyhow::Context;

use crate::follow::input::{self, Trust};
use crate::repost::{AltTexts, MentionMap};
use crate::ui::Ui;

/// The largest file read (a list of every tweet id of a heavy user is far below this).
const MAX_FILE: u64 = 256 << 20;

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(bytes)
}

fn read_text(path: &Path) -> anyhow::Result<String> {
    String::from_utf8(read(path)?)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text; save it as UTF-8", path.display()))
}

/// The tweet ids a file lists; lines naming none are warned about.
pub fn read_ids(path: &Path, ui: &Ui) -> anyhow::Result<HashSet<String>> {
    let (ids, bad) = parse_ids(&read_text(path)?);
    if let Some(first) = bad.first() {
        ui.warn(format_args!(
            "{} line(s) of {} name no tweet id and are ignored (line {first})",
            bad.len(),
            path.display()
        ));
    }
    Ok(ids)
}

/// The ids, and the line numbers (1-based) that name none.
pub fn parse_ids(text: &str) -> (HashSet<String>, Vec<usize>) {
    let mut ids = HashSet::new();
    let mut bad = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let field = line.split([',', ';', '\t', ' ']).next().unwrap_or("");
        match tweet_id(field.trim_matches('"')) {
            Some(id) => {
                ids.insert(id);
            }
            None if n == 0 => {} // a CSV header
            None => bad.push(n + 1),
        }
    }
    (ids, bad)
}

/// `123` or `https://x.com/name/status/123?s=20` → `123`.
fn tweet_id(field: &str) -> Option<String> {
    let tail = field.rsplit_once("/status/").map_or(field, |(_, t)| t);
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    let whole = digits.len() == tail.len() || field.contains("/status/");
    (!digits.is_empty() && whole).then_some(digits)
}

/// find's matches as Twitter username → handle.
pub fn read_matches(path: &Path, ui: &Ui) -> anyhow::Result<MentionMap> {
    let parsed = input::parse(&read(path)?)
        .with_context(|| format!("cannot use {} as find's matches", path.display()))?;
    let mut map = MentionMap::new();
    for entry in parsed.entries {
        let trusted = matches!(entry.trust, Trust::Verified | Trust::Moved);
        if let Some(name) = entry.twitter.filter(|_| trusted) {
            map.insert(&name, entry.handle);
        }
    }
    if map.is_empty() {
        ui.warn(format_args!(
            "{} pairs no Twitter username with a verified handle (is it find's --json or --jsonl output?); mentions stay unlinked",
            path.display()
        ));
    }
    Ok(map)
}

/// Media descriptions from the CSV.
pub fn read_alt_texts(path: &Path) -> anyhow::Result<AltTexts> {
    parse_alt_texts(&read_text(path)?).with_context(|| format!("cannot use {}", path.display()))
}

/// Why an alt-text file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum AltTextError {
    #[error("the first line must be the header `tweet_id,media,description`")]
    Header,
    #[error("line {line} is not CSV: {reason}")]
    Row { line: u64, reason: String },
    #[error("line {line} names no tweet id")]
    NoId { line: u64 },
}

/// The CSV's descriptions.
pub fn parse_alt_texts(text: &str) -> Result<AltTexts, AltTextError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().map_err(|_| AltTextError::Header)?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(id), Some(media), Some(description)) =
        (column("tweet_id"), column("media"), column("description"))
    else {
        return Err(AltTextError::Header);
    };
    let mut texts = AltTexts::new();
    for row in reader.records() {
        let row = row.map_err(|e| AltTextError::Row {
            line: e.position().map_or(0, |p| p.line()),
            reason: e.to_string(),
        })?;
        let line = row.position().map_or(0, |p| p.line());
        let (Some(tweet), Some(key), Some(text)) =
            (row.get(id), row.get(media), row.get(description))
        else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        let tweet = tweet_id(tweet.trim()).ok_or(AltTextError::NoId { line })?;
        texts.insert(&tweet, key, text);
    }
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{MediaKind, MediaRef};

    #[test]
    fn id_lists_take_ids_urls_and_csv_first_fields() {
        let text = "tweet_id,note\n# mine\n123\n https://x.com/a/status/456?s=20 \n789,keep\n\nnot an id\n12a\n";
        let (ids, bad) = parse_ids(text);
        let mut ids: Vec<String> = ids.into_iter().collect();
        ids.sort();
        assert_eq!(ids, ["123", "456", "789"]);
        assert_eq!(bad, [7, 8]);
    }

    #[test]
    fn alt_texts_read_by_header_name() {
        let csv = "description,tweet_id,media\n\"A cat, asleep\",https://twitter.com/o/status/10,10-abc.jpg\nA dog,11,555\n,12,x.png\n";
        let texts = parse_alt_texts(csv).unwrap();
        let media = |id: Option<&str>, file: Option<&str>| MediaRef {
            id: id.map(str::to_string),
            kind: MediaKind::Photo,
            file: file.map(str::to_string),
            url: None,
            foreign: false,
        };
        let cat = media(None, Some("data/tweets_media/10-abc.jpg"));
        assert_eq!(texts.find("10", &cat), Some("A cat, asleep"));
        assert_eq!(texts.find("11", &media(Some("555"), None)), Some("A dog"));
        assert_eq!(texts.find("12", &media(None, Some("12-x.png"))), None);
        assert!(matches!(
            parse_alt_texts("id,file,text\n1,a,b\n"),
            Err(AltTextError::Header)
        ));
        assert!(matches!(
            parse_alt_texts("tweet_id,media,description\nabc,a,b\n"),
            Err(AltTextError::NoId { line: 2 })
        ));
    }
}
