//! The archive's `.js` files: strip the JavaScript assignment, then hand out the records of
//! the array one at a time.
//!
//! A file looks like `window.YTD.tweets.part0 = [ {…}, {…} ]` (or `Grailbird.data.tweets_2015_01 =`
//! then a newline, or `var tweet_index =  [`, with or without a final `;`). The prefix is cut
//! at the first `=` that comes before any `[` or `{`. Records are then parsed straight out of a
//! sliding buffer by the caller's parser (`serde_json`, or `fastraw` for tweets): each record
//! is read where it lies (strings borrow from the buffer when they hold no escapes), and when a
//! record runs past the buffer's end the buffer is refilled and the record parsed again.
//! Memory stays at one buffer (256 KB, grown only for a record bigger than that) whatever the
//! file's size.
//!
//! Everything is checked as it streams: UTF-8 (once per byte, for each buffer before its
//! records are handed out as text), truncation (a file that ends inside a record or before its
//! closing `]`), and records that are not JSON, each reported with the byte offset.

use std::io::Read;

use serde::Deserialize;

use super::error::{ArchiveError, Place};
use super::source::fill;

/// The buffer a stream starts with.
const START: usize = 256 * 1024;
/// No real record comes near this; a bigger one means a broken file, not a big archive.
pub(crate) const MAX_RECORD: usize = 32 << 20;
/// The assignment prefix must end within this many bytes.
const PREFIX_WINDOW: usize = 4096;
/// Whole-file reads (manifest, account…) stop here.
pub(crate) const MAX_SMALL_FILE: u64 = 16 << 20;

/// What a record parser made of the bytes at the front of the buffer.
pub(crate) enum Parsed<T> {
    /// A record and the number of bytes it took.
    Value(T, usize),
    /// The record runs past the bytes available.
    NeedMore,
    /// The bytes are not a valid record.
    Invalid(serde_json::Error),
}

/// Parses one JSON value at the start of `slice`, borrowing from it where possible.
pub(crate) fn parse_one<'a, T: Deserialize<'a>>(slice: &'a [u8]) -> Parsed<T> {
    let mut stream = serde_json::Deserializer::from_slice(slice).into_iter::<T>();
    match stream.next() {
        Some(Ok(value)) => Parsed::Value(value, stream.byte_offset()),
        Some(Err(err)) if err.is_eof() => Parsed::NeedMore,
        Some(Err(err)) => Parsed::Invalid(err),
        None => Parsed::NeedMore,
    }
}

/// What the caller's step did with the record at the front.
pub(crate) enum Step {
    /// Consumed this many bytes; go on.
    Took(usize),
    /// Consumed this many bytes; stop reading.
    Stop(usize),
    /// Needs more bytes to finish the record.
    NeedMore,
}

/// Why a step failed.
pub(crate) enum Fail<E> {
    /// The record is not valid JSON of the expected shape.
    Json(serde_json::Error),
    /// The caller's own error (e.g. writing the output failed).
    Caller(E),
}

/// A stream of records from one `.js` file.
pub(crate) struct Records<'r> {
    reader: &'r mut dyn Read,
    place: Place,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// File offset of `buf[0]`.
    base: u64,
    /// `buf[..checked]` is known to be UTF-8.
    checked: usize,
    eof: bool,
    count: u64,
}

impl<'r> Records<'r> {
    /// Starts reading: strips the assignment and the opening `[`.
    pub fn open(reader: &'r mut dyn Read, place: Place) -> Result<Self, ArchiveError> {
        let mut this = Self {
            reader,
            place,
            buf: vec![0; START],
            pos: 0,
            end: 0,
            base: 0,
            checked: 0,
            eof: false,
            count: 0,
        };
        this.fill()?;
        this.check_utf8()?;
        if this.end == 0 {
            return Err(ArchiveError::Empty { place: this.place });
        }
        this.pos = body_start(&this.buf[..this.end], &this.place)?;
        match this.peek()? {
            Some(b'[') => {
                this.pos += 1;
                Ok(this)
            }
            Some(_) => Err(ArchiveError::Malformed {
                place: this.place.clone(),
                detail: "expected a list (`[`) after the `=`".into(),
            }),
            None => Err(this.truncated()),
        }
    }

    /// Feeds each record to `step` until the list ends or `step` stops; returns the count.
    pub fn drive<E>(
        &mut self,
        mut step: impl FnMut(&str) -> Result<Step, Fail<E>>,
    ) -> Result<u64, E>
    where
        E: From<ArchiveError>,
    {
        if self.at_list_end()? {
            return Ok(self.count);
        }
        loop {
            match self.window(&mut step)? {
                Pause::More => self.need_more()?,
                Pause::Between if self.after_record()? => return Ok(self.count),
                Pause::Between => {}
                Pause::End => return Ok(self.count),
                Pause::Json(err) => return Err(self.invalid(&err).into()),
                Pause::Caller(err) => return Err(err),
            }
        }
    }

    /// Checks the bytes read so far as UTF-8 (each byte once, but for a record cut by the
    /// buffer's end) and hands `step` the records that lie whole in them; says why it paused.
    fn window<E>(
        &mut self,
        step: &mut impl FnMut(&str) -> Result<Step, Fail<E>>,
    ) -> Result<Pause<E>, ArchiveError> {
        let text = utf8_prefix(&self.buf[self.pos..self.end], self.eof)
            .map_err(|valid| self.not_utf8(self.pos + valid))?;
        self.checked = self.pos + text.len();
        let mut at = 0;
        let pause = loop {
            match step(&text[at..]) {
                Ok(Step::Took(n)) => {
                    at += n;
                    self.count += 1;
                    match separator(&text.as_bytes()[at..]) {
                        Some((skip, end)) => {
                            at += skip;
                            if end {
                                break Pause::End;
                            }
                        }
                        None => break Pause::Between,
                    }
                }
                Ok(Step::Stop(n)) => {
                    at += n;
                    self.count += 1;
                    break Pause::End;
                }
                Ok(Step::NeedMore) => break Pause::More,
                Err(Fail::Json(err)) => break Pause::Json(err),
                Err(Fail::Caller(err)) => break Pause::Caller(err),
            }
        };
        self.pos += at;
        Ok(pause)
    }

    /// After a record: `,` then the next record, or `]` and the end. True at the end.
    fn after_record(&mut self) -> Result<bool, ArchiveError> {
        match self.peek()? {
            Some(b',') => {
                self.pos += 1;
                self.at_list_end()
            }
            Some(b']') => Ok(true),
            Some(_) => Err(self.malformed_here("expected `,` or `]` after a record")),
            None => Err(self.truncated()),
        }
    }

    /// True when the next byte closes the list (an empty list, or a trailing comma).
    fn at_list_end(&mut self) -> Result<bool, ArchiveError> {
        match self.peek()? {
            Some(b']') => Ok(true),
            Some(_) => Ok(false),
            None => Err(self.truncated()),
        }
    }

    /// Skips whitespace and returns the next byte, reading more as needed; `None` at the end.
    fn peek(&mut self) -> Result<Option<u8>, ArchiveError> {
        loop {
            while self.pos < self.checked {
                let byte = self.buf[self.pos];
                if !byte.is_ascii_whitespace() {
                    return Ok(Some(byte));
                }
                self.pos += 1;
            }
            if !self.fill()? {
                return Ok(None);
            }
            self.check_utf8()?;
        }
    }

    /// The record at the front is incomplete: read more, or report the truncation.
    fn need_more(&mut self) -> Result<(), ArchiveError> {
        if self.fill()? {
            return Ok(());
        }
        Err(self.truncated())
    }

    /// Moves the unread bytes to the front, grows the buffer if it is full, and reads until
    /// it is full again. Returns false when nothing more could be read.
    fn fill(&mut self) -> Result<bool, ArchiveError> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.base += self.pos as u64;
            self.end -= self.pos;
            self.checked -= self.pos;
            self.pos = 0;
        }
        if self.end == self.buf.len() {
            if self.buf.len() >= MAX_RECORD {
                return Err(ArchiveError::RecordTooLarge {
                    place: self.place.clone(),
                    at: self.base,
                    limit: MAX_RECORD as u64,
                });
            }
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let n = fill(self.reader, &mut self.buf[self.end..])
            .map_err(|err| ArchiveError::from_read(&self.place, err))?;
        self.end += n;
        if self.end < self.buf.len() {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// Extends the UTF-8-checked prefix over the bytes just read.
    fn check_utf8(&mut self) -> Result<(), ArchiveError> {
        let text = utf8_prefix(&self.buf[self.checked..self.end], self.eof)
            .map_err(|valid| self.not_utf8(self.checked + valid))?;
        self.checked += text.len();
        Ok(())
    }

    /// Bytes that are not UTF-8 at `buf[at]`.
    fn not_utf8(&self, at: usize) -> ArchiveError {
        ArchiveError::NotUtf8 {
            place: self.place.clone(),
            at: self.base + at as u64,
        }
    }

    fn truncated(&self) -> ArchiveError {
        ArchiveError::Truncated {
            place: self.place.clone(),
            at: self.base + self.end as u64,
        }
    }

    fn malformed_here(&self, what: &str) -> ArchiveError {
        ArchiveError::Invalid {
            place: self.place.clone(),
            at: self.base + self.pos as u64,
            record: self.count,
            detail: what.into(),
        }
    }

    fn invalid(&self, err: &serde_json::Error) -> ArchiveError {
        let record = &self.buf[self.pos..self.checked];
        let offset = offset_of(record, err.line(), err.column());
        ArchiveError::Invalid {
            place: self.place.clone(),
            at: self.base + (self.pos + offset) as u64,
            record: self.count + 1,
            detail: json_detail(err),
        }
    }
}

/// The longest UTF-8 text at the start of `bytes`: all of it, or all but a character cut by
/// the end of what was read (its rest comes with the next read, unless `eof`). `Err` holds
/// where bytes that are not UTF-8 start.
fn utf8_prefix(bytes: &[u8], eof: bool) -> Result<&str, usize> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(err) if err.error_len().is_none() && !eof => {
            std::str::from_utf8(&bytes[..err.valid_up_to()]).map_err(|e| e.valid_up_to())
        }
        Err(err) => Err(err.valid_up_to()),
    }
}

/// Why [`Records::window`] paused.
enum Pause<E> {
    /// A record runs past the bytes read.
    More,
    /// A record ended where the bytes read do not tell what follows it.
    Between,
    /// The list ended, or the caller stopped.
    End,
    Json(serde_json::Error),
    Caller(E),
}

/// What follows a record in `rest`: the bytes up to the next record, or up to the list's
/// closing `]` (true); `None` when `rest` does not tell (or holds something else).
fn separator(rest: &[u8]) -> Option<(usize, bool)> {
    let blank = |from: usize| {
        rest[from..]
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|i| from + i)
    };
    let i = blank(0)?;
    match rest[i] {
        b']' => Some((i, true)),
        b',' => {
            let next = blank(i + 1)?;
            Some((next, rest[next] == b']'))
        }
        _ => None,
    }
}

/// Where the JSON after the assignment starts in the first bytes of a file.
fn body_start(head: &[u8], place: &Place) -> Result<usize, ArchiveError> {
    let bom = if head.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let window = &head[bom..head.len().min(bom + PREFIX_WINDOW)];
    match window.iter().position(|b| matches!(b, b'=' | b'[' | b'{')) {
        Some(i) if window[i] == b'=' => Ok(bom + i + 1),
        Some(_) => Ok(bom),
        None => Err(ArchiveError::NoPrefix {
            place: place.clone(),
        }),
    }
}

/// The byte offset of (1-based) `line`/`column` in `text`.
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].iter().position(|&b| b == b'\n') {
            Some(i) => start += i + 1,
            None => break,
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

/// serde_json's message without its "at line 3 column 7" tail (we give a byte offset instead).
pub(crate) fn json_detail(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.find(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Reads a whole small file as text (UTF-8 checked, at most [`MAX_SMALL_FILE`] bytes).
pub(crate) fn read_small(reader: &mut dyn Read, place: &Place) -> Result<String, ArchiveError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_SMALL_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| ArchiveError::from_read(place, err))?;
    if bytes.len() as u64 > MAX_SMALL_FILE {
        return Err(ArchiveError::RecordTooLarge {
            place: place.clone(),
            at: 0,
            limit: MAX_SMALL_FILE,
        });
    }
    String::from_utf8(bytes).map_err(|err| ArchiveError::NotUtf8 {
        place: place.clone(),
        at: err.utf8_error().valid_up_to() as u64,
    })
}

/// The JSON part of a whole small file: after the assignment, without a final `;`.
pub(crate) fn body<'t>(text: &'t str, place: &Place) -> Result<&'t str, ArchiveError> {
    if text.is_empty() {
        return Err(ArchiveError::Empty {
            place: place.clone(),
        });
    }
    let start = body_start(text.as_bytes(), place)?;
    let rest = text[start..].trim();
    Ok(rest.strip_suffix(';').unwrap_or(rest).trim_end())
}

/// True when the record at the front of `slice` is `{"<key>": …}` (wrapped), as opposed to a
/// bare object. Only the first key is looked at, so the check costs a few bytes.
pub(crate) fn is_wrapped(slice: &[u8], key: &str) -> bool {
    let mut rest = slice;
    let skip = |rest: &mut &[u8]| {
        while let [first, tail @ ..] = *rest {
            if !first.is_ascii_whitespace() {
                break;
            }
            *rest = tail;
        }
    };
    skip(&mut rest);
    let Some(after_brace) = rest.strip_prefix(b"{") else {
        return false;
    };
    rest = after_brace;
    skip(&mut rest);
    let Some(after_quote) = rest.strip_prefix(b"\"") else {
        return false;
    };
    let Some(after_key) = after_quote.strip_prefix(key.as_bytes()) else {
        return false;
    };
    let Some(mut after) = after_key.strip_prefix(b"\"") else {
        return false;
    };
    skip(&mut after);
    after.first() == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[derive(Deserialize)]
    struct Rec {
        a: u32,
    }

    fn place() -> Place {
        Place::new(Path::new("a.zip"), "data/x.js", true)
    }

    /// Streams `text` with a tiny first buffer so records straddle refills.
    fn collect(text: &[u8]) -> Result<Vec<u32>, ArchiveError> {
        let mut reader = text;
        let mut records = Records::open(&mut reader, place())?;
        let mut out = Vec::new();
        records.drive::<ArchiveError>(|text| match parse_one::<Rec>(text.as_bytes()) {
            Parsed::Value(rec, n) => {
                out.push(rec.a);
                Ok(Step::Took(n))
            }
            Parsed::NeedMore => Ok(Step::NeedMore),
            Parsed::Invalid(err) => Err(Fail::Json(err)),
        })?;
        Ok(out)
    }

    #[test]
    fn every_prefix_and_empty_form_is_read() {
        let table: [(&[u8], &[u32]); 9] = [
            (
                b"window.YTD.tweets.part0 = [ {\"a\":1}, {\"a\":2} ]",
                &[1, 2],
            ),
            (b"window.YTD.tweet.part0 = [ {\n \"a\" : 1\n} ]", &[1]),
            (b"Grailbird.data.tweets_2015_01 = \n [ {\"a\":3} ]\n", &[3]),
            (b"var tweet_index =  [ {\"a\":4} ];", &[4]),
            (b"window.YTD.like.part0 = []", &[]),
            (b"window.YTD.like.part0 = [ ]", &[]),
            (b"window.YTD.like.part0 = [];\n", &[]),
            (b"\xEF\xBB\xBF[{\"a\":5},]", &[5]),
            (b"window.YTD.x.part0 = [ {\"a\":6}, ]", &[6]),
        ];
        for (text, want) in table {
            let got = collect(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(got, want, "{:?}", String::from_utf8_lossy(text));
        }
    }

    #[test]
    fn records_larger_than_the_buffer_are_read() {
        let big = "x".repeat(START * 3);
        let text = format!("window.YTD.t.part0 = [{{\"a\":1,\"pad\":\"{big}\"}},{{\"a\":2}}]");
        assert_eq!(collect(text.as_bytes()).unwrap(), vec![1, 2]);
    }

    #[test]
    fn many_records_cross_buffer_boundaries() {
        let mut text = String::from("window.YTD.t.part0 = [");
        for i in 0..50_000 {
            text.push_str(&format!("{{\"a\":{i},\"s\":\"caf\u{e9} \u{1F418}\"}},"));
        }
        text.pop();
        text.push(']');
        let got = collect(text.as_bytes()).unwrap();
        assert_eq!(got.len(), 50_000);
        assert_eq!(got[49_999], 49_999);
    }

    #[test]
    fn bad_files_name_the_byte() {
        let cases: [(&[u8], &str); 7] = [
            (b"", "is empty"),
            (
                b"window.YTD.t.part0 = [ {\"a\":1}, {\"a\":",
                "cut off at byte 37",
            ),
            (b"window.YTD.t.part0 = [ {\"a\":1}", "cut off at byte 30"),
            (
                b"window.YTD.t.part0 = [ {\"a\":1} {\"a\":2} ]",
                "at byte 31",
            ),
            (b"window.YTD.t.part0 = [ {\"a\":\"x\"} ]", "record 1"),
            (
                b"window.YTD.t.part0 = [ {\"a\":1,\"b\":\"\xff\"} ]",
                "not UTF-8 text (bad byte at 35)",
            ),
            (
                b"just some text without a list",
                "does not start with an assignment",
            ),
        ];
        for (text, want) in cases {
            let err = collect(text).expect_err(&String::from_utf8_lossy(text));
            let msg = err.to_string();
            assert!(msg.contains(want), "{msg:?} lacks {want:?}");
            assert!(msg.starts_with("data/x.js in a.zip"), "{msg}");
        }
    }

    #[test]
    fn wrapped_records_are_told_apart_by_their_first_key() {
        let table: [(&[u8], bool); 5] = [
            (b"{\"tweet\":{}}", true),
            (b"{\n    \"tweet\" : {", true),
            (b"{\"tweets\":1}", false),
            (b"{\"id\":\"1\",\"tweet\":{}}", false),
            (b" [", false),
        ];
        for (slice, want) in table {
            assert_eq!(is_wrapped(slice, "tweet"), want, "{slice:?}");
        }
    }

    #[test]
    fn small_file_bodies_lose_prefix_and_semicolon() {
        let p = place();
        assert_eq!(
            body("window.__THAR_CONFIG = {\"a\":1};\n", &p).unwrap(),
            "{\"a\":1}"
        );
        assert_eq!(body("var x =  {\"a\":1}", &p).unwrap(), "{\"a\":1}");
        assert!(body("", &p).is_err());
    }
}
