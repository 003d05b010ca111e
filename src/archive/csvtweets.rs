//! Grailbird's `tweets.csv`: the only tweet file of the earliest classic archives (2012–2013),
//! and in later ones a copy of the month files the reader falls back on when those are
//! missing or damaged.
//!
//! Columns (found by header name, so order does not matter and the last four may be absent):
//! `tweet_id, in_reply_to_status_id, in_reply_to_user_id, timestamp, source, text,
//! retweeted_status_id, retweeted_status_user_id, retweeted_status_timestamp, expanded_urls`.
//! The text is HTML-escaped like the API's and holds t.co links; `expanded_urls` lists their
//! targets, comma-separated, sometimes repeated. Each row becomes a [`RawTweet`] with
//! synthetic entities, so the rest of the reader treats it like a month file's record.
//!
//! Rows stream one at a time through the `csv` crate. A file cut off inside a row (a row with
//! fewer fields at the very end, or a last row without its newline) is an error naming the
//! line, as is any other malformed row. Never decides what to do with a row: `tweets` does.

use std::borrow::Cow;
use std::io::{self, Read};
use std::ops::ControlFlow;

use csv::StringRecord;
use serde::de::IgnoredAny;

use super::date;
use super::error::{ArchiveError, Place};
use super::rawtweet::{Entities, RawMedia, RawMention, RawTweet, RawUrl};
use super::tweet::status_link;

/// The root-relative name of the file.
pub const NAME: &str = "tweets.csv";

/// Where each column is; only `tweet_id` and `text` are required.
#[derive(Debug, Clone, Copy)]
struct Columns {
    id: usize,
    text: usize,
    reply_status: Option<usize>,
    reply_user: Option<usize>,
    timestamp: Option<usize>,
    retweet_id: Option<usize>,
    expanded_urls: Option<usize>,
}

impl Columns {
    fn from_header(header: &StringRecord, place: &Place) -> Result<Self, ArchiveError> {
        let find = |name: &str| header.iter().position(|h| h.trim() == name);
        let required = |name: &str| {
            find(name).ok_or_else(|| ArchiveError::CsvInvalid {
                place: place.clone(),
                line: 1,
                detail: format!("the header has no `{name}` column"),
            })
        };
        Ok(Self {
            id: required("tweet_id")?,
            text: required("text")?,
            reply_status: find("in_reply_to_status_id"),
            reply_user: find("in_reply_to_user_id"),
            timestamp: find("timestamp"),
            retweet_id: find("retweeted_status_id"),
            expanded_urls: find("expanded_urls"),
        })
    }
}

/// Feeds every row of `tweets.csv` to `f` as a tweet record, with the line it starts on;
/// returns the number of rows.
pub(crate) fn each_row<E>(
    reader: &mut dyn Read,
    place: &Place,
    mut f: impl FnMut(&RawTweet<'_>, u64) -> Result<ControlFlow<()>, E>,
) -> Result<u64, E>
where
    E: From<ArchiveError>,
{
    let mut tail = Tail::new(reader);
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&mut tail);
    let header = csv
        .headers()
        .map_err(|err| csv_error(err, place, false))?
        .clone();
    if header.is_empty() {
        return Err(ArchiveError::Empty {
            place: place.clone(),
        }
        .into());
    }
    let columns = Columns::from_header(&header, place)?;
    let mut row = StringRecord::new();
    let mut count = 0;
    loop {
        match csv.read_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(row_error(&mut csv, err, place).into()),
        }
        let line = row.position().map_or(0, csv::Position::line);
        let raw = raw_tweet(&row, columns).map_err(|detail| ArchiveError::CsvInvalid {
            place: place.clone(),
            line,
            detail,
        })?;
        count += 1;
        if f(&raw, line)?.is_break() {
            return Ok(count);
        }
    }
    drop(csv);
    if tail.cut_off() {
        return Err(ArchiveError::CsvTruncated {
            place: place.clone(),
            line: row.position().map_or(1, csv::Position::line),
        }
        .into());
    }
    Ok(count)
}

/// The error for a row the `csv` crate refused. A short row right at the end of a file that
/// does not end with a newline is a truncated file.
fn row_error<R: Read>(
    csv: &mut csv::Reader<&mut Tail<R>>,
    err: csv::Error,
    place: &Place,
) -> ArchiveError {
    let short_row = matches!(err.kind(), csv::ErrorKind::UnequalLengths { .. });
    let at_end = short_row && matches!(csv.read_record(&mut StringRecord::new()), Ok(false));
    let cut = at_end && csv.get_ref().cut_off();
    csv_error(err, place, cut)
}

fn csv_error(err: csv::Error, place: &Place, cut: bool) -> ArchiveError {
    let line = err.position().map_or(1, csv::Position::line);
    if cut {
        return ArchiveError::CsvTruncated {
            place: place.clone(),
            line,
        };
    }
    match err.into_kind() {
        csv::ErrorKind::Io(err) => ArchiveError::from_read(place, err),
        csv::ErrorKind::Utf8 { pos, .. } => ArchiveError::NotUtf8 {
            place: place.clone(),
            at: pos.map_or(0, |p| p.byte()),
        },
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => ArchiveError::CsvInvalid {
            place: place.clone(),
            line,
            detail: format!("a row has {len} fields where the header has {expected_len}"),
        },
        other => ArchiveError::CsvInvalid {
            place: place.clone(),
            line,
            detail: format!("{:?}", other).to_lowercase(),
        },
    }
}

/// One row as a tweet record; `Err` says what is wrong with it.
fn raw_tweet(row: &StringRecord, c: Columns) -> Result<RawTweet<'_>, String> {
    let get = |i: Option<usize>| {
        i.and_then(|i| row.get(i))
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let id = get(Some(c.id)).ok_or("a row has no `tweet_id`")?;
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{id}` is not a tweet id"));
    }
    let timestamp = get(c.timestamp);
    if timestamp.and_then(date::parse).is_none() && date::from_snowflake(id).is_none() {
        return Err(format!("tweet {id} has an unreadable `timestamp`"));
    }
    let text = row.get(c.text).unwrap_or("");
    let expanded = get(c.expanded_urls).unwrap_or("");
    Ok(RawTweet {
        id_str: Some(id.to_string().into()),
        created_at: timestamp.map(Cow::Borrowed),
        text: Some(Cow::Borrowed(text)),
        in_reply_to_status_id_str: get(c.reply_status).map(|s| s.to_string().into()),
        in_reply_to_user_id_str: get(c.reply_user).map(|s| s.to_string().into()),
        entities: Some(entities(text, expanded, id)),
        retweeted_status: get(c.retweet_id).map(|_| IgnoredAny),
        ..RawTweet::default()
    })
}

/// Links, media links and mentions found in the text.
///
/// The n-th t.co link of the text is paired with the n-th distinct URL of `expanded_urls`
/// when their numbers agree (a link to the tweet's own `/photo/` or `/video/` page is media,
/// whose link the text then loses); otherwise the t.co links stay as they are. URLs of
/// `expanded_urls` written out in the text itself (tweets from before t.co) are links too.
fn entities<'r>(text: &'r str, expanded: &'r str, id: &str) -> Entities<'r> {
    let short = tco_links(text);
    let mut targets: Vec<&str> = Vec::new();
    for url in expanded.split(',').map(str::trim).filter(|u| !u.is_empty()) {
        if !targets.contains(&url) {
            targets.push(url);
        }
    }
    let mut out = Entities {
        user_mentions: mentions(text),
        ..Entities::default()
    };
    if short.len() == targets.len() {
        for (short, target) in short.into_iter().zip(targets) {
            match media_kind(target, id) {
                Some(kind) => out.media.push(media(short, kind)),
                None => out.urls.push(url(short, Some(target))),
            }
        }
        return out;
    }
    out.urls.extend(short.into_iter().map(|s| url(s, None)));
    let written_out = targets.into_iter().filter(|t| text.contains(t));
    out.urls.extend(written_out.map(|t| url(t, Some(t))));
    out
}

fn url<'r>(short: &'r str, target: Option<&'r str>) -> RawUrl<'r> {
    RawUrl {
        url: Some(Cow::Borrowed(short)),
        expanded_url: target.map(Cow::Borrowed),
        indices: None,
    }
}

fn media<'r>(short: &'r str, kind: &'static str) -> RawMedia<'r> {
    RawMedia {
        id_str: None,
        media_url_https: None,
        media_url: None,
        url: Some(Cow::Borrowed(short)),
        kind: Some(Cow::Borrowed(kind)),
        indices: None,
        source_status_id_str: None,
        video_info: None,
    }
}

/// `photo` or `video` when `url` is the tweet's own media page (`…/status/<id>/photo/1`).
fn media_kind(url: &str, id: &str) -> Option<&'static str> {
    if status_link(url) != Some(id) {
        return None;
    }
    if url.contains("/photo/") {
        Some("photo")
    } else if url.contains("/video/") {
        Some("video")
    } else {
        None
    }
}

/// The t.co links of a text, in order.
fn tco_links(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(i) = rest.find("t.co/") {
        let start = offset + i;
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|s| text[..start].ends_with(s));
        let path_end = text[start + 5..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .map_or(text.len(), |n| start + 5 + n);
        if let Some(scheme) = scheme
            && path_end > start + 5
        {
            out.push(&text[start - scheme.len()..path_end]);
        }
        offset = path_end.max(start + 5);
        rest = &text[offset..];
    }
    out
}

/// `@name` mentions (1–15 letters, digits or `_`, not inside a word or an e-mail address).
fn mentions(text: &str) -> Vec<RawMention<'_>> {
    let mut out: Vec<RawMention<'_>> = Vec::new();
    for (i, _) in text.match_indices('@') {
        let before = text[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '@') {
            continue;
        }
        let rest = &text[i + 1..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 || len > 15 || rest[len..].starts_with('@') {
            continue;
        }
        let name = &rest[..len];
        if !out.iter().any(|m| {
            m.screen_name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        }) {
            out.push(RawMention {
                id_str: None,
                id: None,
                screen_name: Some(Cow::Borrowed(name)),
                name: None,
            });
        }
    }
    out
}

/// A reader that remembers whether the file ended with a line break (a file cut off
/// mid-row does not).
struct Tail<R> {
    inner: R,
    last: Option<u8>,
}

impl<R: Read> Tail<R> {
    fn new(inner: R) -> Self {
        Self { inner, last: None }
    }

    /// True when the file is not empty and its last byte is not a line break.
    fn cut_off(&self) -> bool {
        self.last.is_some_and(|b| b != b'\n' && b != b'\r')
    }
}

impl<R: Read> Read for Tail<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const HEADER: &str = "\"tweet_id\",\"in_reply_to_status_id\",\"in_reply_to_user_id\",\"timestamp\",\"source\",\"text\",\"retweeted_status_id\",\"retweeted_status_user_id\",\"retweeted_status_timestamp\",\"expanded_urls\"\n";

    fn place() -> Place {
        Place::new(Path::new("a.zip"), "tweets.csv", true)
    }

    /// What a test looks at in a row: id, text, reply to, retweet, urls, media count.
    type Row = (String, String, Option<String>, bool, Vec<String>, usize);

    fn rows(csv: &str) -> Result<Vec<Row>, ArchiveError> {
        let mut out = Vec::new();
        each_row::<ArchiveError>(&mut csv.as_bytes(), &place(), |raw, _| {
            let urls = raw
                .urls()
                .iter()
                .map(|u| {
                    format!(
                        "{}>{}",
                        u.url.as_deref().unwrap_or(""),
                        u.expanded_url.as_deref().unwrap_or("")
                    )
                })
                .collect();
            out.push((
                raw.id().unwrap_or("").to_string(),
                raw.raw_text().to_string(),
                raw.reply_to_status().map(str::to_string),
                raw.retweeted_status.is_some(),
                urls,
                raw.media().len(),
            ));
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(out)
    }

    #[test]
    fn rows_become_tweet_records() {
        let csv = format!(
            "{HEADER}\"9007199254740993\",\"9007199254740991\",\"42\",\"2012-12-03 17:25:48 +0000\",\"<a href=\"\"x\"\">web</a>\",\"@ann yes &amp;\nmore https://t.co/Ab1 http://t.co/Cd2\",\"\",\"\",\"\",\"https://e.org/a,http://twitter.com/me/status/9007199254740993/photo/1,http://twitter.com/me/status/9007199254740993/photo/1\"\n\
             \"2\",\"\",\"\",\"2012-12-01 10:00:00 +0000\",\"web\",\"RT @bob: hi https://t.co/Zz\",\"1\",\"7\",\"2012-11-30 09:00:00 +0000\",\"https://e.org/b,https://e.org/b\"\n"
        );
        let got = rows(&csv).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, "9007199254740993");
        assert_eq!(
            got[0].1,
            "@ann yes &amp;\nmore https://t.co/Ab1 http://t.co/Cd2"
        );
        assert_eq!(got[0].2.as_deref(), Some("9007199254740991"));
        assert!(!got[0].3 && got[1].3);
        assert_eq!(got[0].4, ["https://t.co/Ab1>https://e.org/a"]);
        assert_eq!(got[0].5, 1);
        assert_eq!(got[1].4, ["https://t.co/Zz>https://e.org/b"]);
    }

    #[test]
    fn unpaired_links_stay_short_and_written_out_links_count() {
        let e = entities(
            "see https://t.co/A and http://old.example/x",
            "https://a.org,https://b.org,http://old.example/x",
            "1",
        );
        let urls: Vec<_> = e
            .urls
            .iter()
            .map(|u| (u.url.as_deref().unwrap(), u.expanded_url.as_deref()))
            .collect();
        assert_eq!(
            urls,
            [
                ("https://t.co/A", None),
                ("http://old.example/x", Some("http://old.example/x"))
            ]
        );
    }

    #[test]
    fn mentions_skip_addresses() {
        let names: Vec<_> = mentions("@ann: mail me@example.org, cc @Bob_2 and @ann again, @@x")
            .into_iter()
            .filter_map(|m| m.screen_name.map(|s| s.into_owned()))
            .collect();
        assert_eq!(names, ["ann", "Bob_2"]);
    }

    #[test]
    fn short_headers_and_missing_columns() {
        let old = "\"tweet_id\",\"in_reply_to_status_id\",\"in_reply_to_user_id\",\"timestamp\",\"source\",\"text\"\n\"5\",\"\",\"\",\"2012-01-01 00:00:00 +0000\",\"web\",\"old\"\n";
        assert_eq!(rows(old).unwrap()[0].1, "old");
        let err = rows("\"id\",\"text\"\n\"5\",\"x\"\n").unwrap_err();
        assert!(err.to_string().contains("no `tweet_id` column"), "{err}");
    }

    #[test]
    fn a_cut_file_names_the_line() {
        let csv = format!(
            "{HEADER}\"1\",\"\",\"\",\"2012-12-03 17:25:48 +0000\",\"web\",\"one\",\"\",\"\",\"\",\"\"\n\"2\",\"\",\"\",\"2012-12-03 17:25:49 +0000\",\"web\",\"two\nlines\",\"\",\"\",\"\",\"\"\n\"3\",\"\",\"\",\"2012-12-03 17:25:50 +0000\",\"web\",\"thr"
        );
        let err = rows(&csv).unwrap_err();
        assert_eq!(
            err.to_string(),
            "tweets.csv in a.zip is cut off in the row at line 5: download the archive again"
        );
        let cut_in_last_field = &csv[..csv.find("\"thr").unwrap()];
        let cut_in_last_field =
            format!("{}\"three\",\"\",\"\",\"\",\"http://e.o", cut_in_last_field);
        assert!(matches!(
            rows(&cut_in_last_field),
            Err(ArchiveError::CsvTruncated { line: 5, .. })
        ));
    }

    #[test]
    fn bad_rows_are_errors_naming_the_line() {
        let csv = format!(
            "{HEADER}\"x1\",\"\",\"\",\"2012-12-03 17:25:48 +0000\",\"web\",\"one\",\"\",\"\",\"\",\"\"\n"
        );
        let err = rows(&csv).unwrap_err();
        assert_eq!(
            err.to_string(),
            "tweets.csv in a.zip is not valid at line 2: `x1` is not a tweet id"
        );
        let csv =
            format!("{HEADER}\"1\",\"\",\"\",\"yesterday\",\"web\",\"one\",\"\",\"\",\"\",\"\"\n");
        assert!(
            rows(&csv)
                .unwrap_err()
                .to_string()
                .contains("unreadable `timestamp`")
        );
        let csv = format!(
            "{HEADER}\"1\",\"\",\"\"\n\"2\",\"\",\"\",\"2012-12-03 17:25:48 +0000\",\"web\",\"one\",\"\",\"\",\"\",\"\"\n"
        );
        assert!(
            rows(&csv)
                .unwrap_err()
                .to_string()
                .contains("line 2: a row has 3 fields where the header has 10")
        );
    }
}
