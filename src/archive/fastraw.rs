//! A hand-written reader for tweet records: the hot path of every archive scan.
//!
//! serde_json reads a tweet record at about half a gigabyte a second, a quarter of the speed
//! at which the zip inflates it, so parsing was four fifths of `inspect`. This reader knows
//! the one shape a record has ([`RawTweet`]), reads keys without decoding them, scans strings
//! and spaces sixteen bytes at a time ([`crate::lanes`]), and skips what it does not use,
//! while checking everything it passes over as strictly as serde_json does: string escapes
//! and control characters, the number grammar, literals, commas and nesting.
//!
//! On anything it does not expect (a field of another type, a duplicate field, an escaped
//! key, a surrogate escape, a numeric flag, nesting deeper than serde_json allows) it steps
//! aside with [`Fast::Unsure`], and the caller parses the record again with serde_json. So odd
//! records and every error keep one behaviour and one message, and the tests check that both
//! readers give the same [`RawTweet`] for what this one accepts.
//!
//! The input is text: `jsfile` checks each buffer of a tweet file as UTF-8 once, so strings
//! are borrowed from it without a check of their own.

use std::borrow::Cow;

use super::jsfile::{self, Parsed};
use super::rawtweet::{
    EditIds, EditInfo, EditLater, Entities, ExtendedEntities, RawMedia, RawMention, RawTweet,
    RawUrl, Variant, VideoInfo, Wrapped,
};
use crate::lanes::{self, WIDTH};

/// What the reader made of the bytes at the front of a slice.
#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // moved out at once; a box would cost an allocation a record
pub(crate) enum Fast<'a> {
    /// The record and the number of bytes it took.
    Record(RawTweet<'a>, usize),
    /// The record runs past the end of the slice.
    NeedMore,
    /// Something this reader does not handle: let serde_json read the record.
    Unsure,
}

/// Reads the record at the start of `text`: `{"tweet": {…}}` when `wrapped`, else `{…}`.
pub(crate) fn record(text: &str, wrapped: bool) -> Fast<'_> {
    let mut cur = Cur {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    let read = if wrapped {
        cur.wrapper()
    } else {
        cur.ws().and_then(|_| cur.tweet())
    };
    match read {
        Ok(raw) => Fast::Record(raw, cur.i),
        Err(Halt::More) => Fast::NeedMore,
        Err(Halt::Unsure) => Fast::Unsure,
    }
}

/// serde_json's reading of the record at the front of `slice`: what the scan falls back on
/// when this reader is unsure.
pub(crate) fn fallback(slice: &[u8], wrapped: bool) -> Parsed<RawTweet<'_>> {
    if wrapped {
        match jsfile::parse_one::<Wrapped<'_>>(slice) {
            Parsed::Value(w, n) => Parsed::Value(w.tweet, n),
            Parsed::NeedMore => Parsed::NeedMore,
            Parsed::Invalid(err) => Parsed::Invalid(err),
        }
    } else {
        jsfile::parse_one::<RawTweet<'_>>(slice)
    }
}

/// Why the reader stopped before the end of a record.
#[derive(Debug, Clone, Copy)]
enum Halt {
    More,
    Unsure,
}

type Res<T> = Result<T, Halt>;

/// serde_json refuses nesting deeper than 128; stay clear of it.
const MAX_DEPTH: u32 = 100;
/// One bit per byte of the sixteen at `i` that is a space or a newline (bit 0 for the
/// first), with every bit above them set.
#[inline(always)]
fn blank16(b: &[u8], i: usize) -> u32 {
    let v = lanes::load(b, i);
    lanes::bits(lanes::eq(v, b' ') | lanes::eq(v, b'\n')) | !0xFFFF
}

/// One bit per byte of the sixteen at `i` that ends or interrupts a string's plain run: `"`,
/// `\` or a control character.
#[inline(always)]
fn stops16(b: &[u8], i: usize) -> u32 {
    let v = lanes::load(b, i);
    lanes::bits(lanes::eq(v, b'"') | lanes::eq(v, b'\\') | lanes::at_most(v, 0x1F))
}

/// A string's content: the bytes between its quotes, and whether it holds escapes.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    escaped: bool,
}

/// A position in the record's text.
struct Cur<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Cur<'a> {
    /// Skips whitespace; returns the next byte without taking it.
    #[inline(always)]
    fn ws(&mut self) -> Res<u8> {
        loop {
            while self.i + WIDTH <= self.b.len() {
                let solid = !blank16(self.b, self.i);
                if solid != 0 {
                    self.i += solid.trailing_zeros() as usize;
                    break;
                }
                self.i += WIDTH;
            }
            match self.b.get(self.i) {
                Some(b' ' | b'\n' | b'\r' | b'\t') => self.i += 1,
                Some(&c) => return Ok(c),
                None => return Err(Halt::More),
            }
        }
    }

    /// Takes `c` after whitespace.
    #[inline(always)]
    fn eat(&mut self, c: u8) -> Res<()> {
        if self.ws()? != c {
            return Err(Halt::Unsure);
        }
        self.i += 1;
        Ok(())
    }

    /// Reads a string whose opening quote was just taken; leaves the cursor after its end.
    #[inline(always)]
    fn string(&mut self) -> Res<Span> {
        let b = self.b;
        let start = self.i;
        let mut j = start;
        let mut escaped = false;
        // serde_json refuses a lone surrogate where it stands (in a string it decodes), so
        // a string cut after a surrogate escape is left to it rather than called unfinished.
        let mut surrogate = false;
        let cut = |surrogate: bool| if surrogate { Halt::Unsure } else { Halt::More };
        loop {
            while j + WIDTH <= b.len() {
                let hit = stops16(b, j);
                if hit != 0 {
                    j += hit.trailing_zeros() as usize;
                    break;
                }
                j += WIDTH;
            }
            match b.get(j) {
                None => return Err(cut(surrogate)),
                Some(b'"') => {
                    self.i = j + 1;
                    return Ok(Span {
                        start,
                        end: j,
                        escaped,
                    });
                }
                Some(b'\\') => {
                    escaped = true;
                    let len = escape_len(&b[j + 1..]).map_err(|halt| match halt {
                        Halt::More => cut(surrogate),
                        Halt::Unsure => Halt::Unsure,
                    })?;
                    surrogate |= len == 6 && is_surrogate(&b[j + 2..j + 6]);
                    j += len;
                }
                Some(&c) if c < 0x20 => return Err(Halt::Unsure),
                Some(_) => j += 1,
            }
        }
    }

    /// A string value (or `null`), borrowed when it holds no escapes.
    fn text(&mut self) -> Res<Option<Cow<'a, str>>> {
        match self.ws()? {
            b'"' => {
                self.i += 1;
                let span = self.string()?;
                self.decode(span).map(Some)
            }
            b'n' => self.literal(b"null").map(|()| None),
            _ => Err(Halt::Unsure),
        }
    }

    fn decode(&self, span: Span) -> Res<Cow<'a, str>> {
        let raw = &self.b[span.start..span.end];
        if span.escaped {
            unescape(raw).map(Cow::Owned)
        } else {
            // Quotes are ASCII, so a string's span always falls on character boundaries.
            self.s
                .get(span.start..span.end)
                .map(Cow::Borrowed)
                .ok_or(Halt::Unsure)
        }
    }

    /// An id: a string (empty is none), a non-negative integer, or `null`.
    fn id(&mut self) -> Res<Option<Cow<'a, str>>> {
        match self.ws()? {
            b'"' => {
                self.i += 1;
                let span = self.string()?;
                let text = self.decode(span)?;
                Ok((!text.is_empty()).then_some(text))
            }
            b'n' => self.literal(b"null").map(|()| None),
            b'0'..=b'9' => self.integer().map(|n| Some(Cow::Owned(n.to_string()))),
            _ => Err(Halt::Unsure),
        }
    }

    /// A count: a string holding a number, a non-negative integer, or `null`.
    fn count(&mut self) -> Res<Option<u64>> {
        match self.ws()? {
            b'"' => {
                self.i += 1;
                let span = self.string()?;
                let text = self.decode(span)?;
                text.trim().parse().map(Some).map_err(|_| Halt::Unsure)
            }
            b'n' => self.literal(b"null").map(|()| None),
            b'0'..=b'9' => self.integer().map(Some),
            _ => Err(Halt::Unsure),
        }
    }

    /// A plain integer that fits in a `u64` (anything else goes to serde_json).
    fn integer(&mut self) -> Res<u64> {
        let start = self.i;
        self.number()?;
        let digits = &self.b[start..self.i];
        if !digits.iter().all(u8::is_ascii_digit) || digits.len() > 19 {
            return Err(Halt::Unsure);
        }
        Ok(digits
            .iter()
            .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
    }

    /// A flag: a boolean, `"true"`/`"false"` (any case; other text is false), or `null`.
    fn flag(&mut self) -> Res<bool> {
        match self.ws()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            b'n' => self.literal(b"null").map(|()| false),
            b'"' => {
                self.i += 1;
                let span = self.string()?;
                Ok(self.decode(span)?.eq_ignore_ascii_case("true"))
            }
            _ => Err(Halt::Unsure),
        }
    }

    /// A pair of indices: `[a, b]` of counts; anything but two known counts is none.
    fn indices(&mut self) -> Res<Option<(usize, usize)>> {
        if self.ws()? == b'n' {
            return self.literal(b"null").map(|()| None);
        }
        let mut items = [None; 2];
        let mut n = 0;
        self.array(|c| {
            let value = c.count()?;
            if let Some(slot) = items.get_mut(n) {
                *slot = value;
            }
            n += 1;
            Ok(())
        })?;
        Ok(match (n, items) {
            (2, [Some(a), Some(b)]) => Some((a as usize, b as usize)),
            _ => None,
        })
    }

    /// Takes `word` exactly (a literal).
    fn literal(&mut self, word: &[u8]) -> Res<()> {
        let rest = &self.b[self.i..];
        if rest.starts_with(word) {
            self.i += word.len();
            Ok(())
        } else if word.starts_with(rest) {
            Err(Halt::More)
        } else {
            Err(Halt::Unsure)
        }
    }

    /// Checks a number against JSON's grammar and takes it.
    fn number(&mut self) -> Res<()> {
        let b = self.b;
        let mut j = self.i;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        match b.get(j) {
            None => return Err(Halt::More),
            Some(b'0') => j += 1,
            Some(b'1'..=b'9') => j = digits(b, j + 1),
            Some(_) => return Err(Halt::Unsure),
        }
        if b.get(j) == Some(&b'.') {
            j = some_digits(b, j + 1)?;
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            j = some_digits(b, j)?;
        }
        if j >= b.len() {
            return Err(Halt::More);
        }
        self.i = j;
        Ok(())
    }

    /// Reads an object, calling `field` with each key (`None` when the key holds escapes)
    /// with the cursor before the value; `field` must take the value.
    fn object(&mut self, mut field: impl FnMut(&mut Self, Option<&'a [u8]>) -> Res<()>) -> Res<()> {
        self.eat(b'{')?;
        if self.ws()? == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.eat(b'"')?;
            let key = self.string()?;
            // serde_json may have refused the key already (a lone surrogate escape).
            self.eat(b':')
                .map_err(|halt| if key.escaped { Halt::Unsure } else { halt })?;
            let b = self.b;
            field(self, (!key.escaped).then(|| &b[key.start..key.end]))?;
            match self.ws()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Halt::Unsure),
            }
        }
    }

    /// Reads an array, calling `item` with the cursor before each value.
    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Res<()>) -> Res<()> {
        self.eat(b'[')?;
        if self.ws()? == b']' {
            self.i += 1;
            return Ok(());
        }
        loop {
            item(self)?;
            match self.ws()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Halt::Unsure),
            }
        }
    }

    /// Checks and passes over any value.
    fn skip(&mut self, depth: u32) -> Res<()> {
        if depth > MAX_DEPTH {
            return Err(Halt::Unsure);
        }
        match self.ws()? {
            b'"' => {
                self.i += 1;
                self.string().map(|_| ())
            }
            b'{' => self.object(|c, _| c.skip(depth + 1)),
            b'[' => self.array(|c| c.skip(depth + 1)),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(Halt::Unsure),
        }
    }

    /// `null` (true) or the start of something else (false).
    fn null(&mut self) -> Res<bool> {
        if self.ws()? == b'n' {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// A list of records (never `null`: serde_json refuses it for a list field).
    fn list<T>(&mut self, mut one: impl FnMut(&mut Self) -> Res<T>) -> Res<Vec<T>> {
        let mut out = Vec::new();
        self.array(|c| {
            out.push(one(c)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// `{"tweet": {…}}` with nothing else in the wrapper.
    fn wrapper(&mut self) -> Res<RawTweet<'a>> {
        let mut tweet = None;
        self.object(|c, key| {
            if key != Some(b"tweet") || tweet.is_some() {
                return Err(Halt::Unsure);
            }
            tweet = Some(c.tweet()?);
            Ok(())
        })?;
        tweet.ok_or(Halt::Unsure)
    }

    fn tweet(&mut self) -> Res<RawTweet<'a>> {
        let mut t = RawTweet::default();
        let mut seen = Seen(0);
        self.object(|c, key| {
            let Some(key) = key else {
                return Err(Halt::Unsure);
            };
            match key {
                b"id_str" => t.id_str = seen.first(0).and_then(|()| c.id())?,
                b"id" => t.id = seen.first(1).and_then(|()| c.id())?,
                b"created_at" => t.created_at = seen.first(2).and_then(|()| c.text())?,
                b"full_text" => t.full_text = seen.first(3).and_then(|()| c.text())?,
                b"text" => t.text = seen.first(4).and_then(|()| c.text())?,
                b"in_reply_to_status_id_str" => {
                    t.in_reply_to_status_id_str = seen.first(5).and_then(|()| c.id())?;
                }
                b"in_reply_to_status_id" => {
                    t.in_reply_to_status_id = seen.first(6).and_then(|()| c.id())?;
                }
                b"in_reply_to_user_id_str" => {
                    t.in_reply_to_user_id_str = seen.first(7).and_then(|()| c.id())?;
                }
                b"in_reply_to_user_id" => {
                    t.in_reply_to_user_id = seen.first(8).and_then(|()| c.id())?;
                }
                b"in_reply_to_screen_name" => {
                    t.in_reply_to_screen_name = seen.first(9).and_then(|()| c.text())?;
                }
                b"entities" => t.entities = seen.first(10).and_then(|()| c.entities())?,
                b"extended_entities" => {
                    t.extended_entities = seen.first(11).and_then(|()| c.extended())?;
                }
                b"lang" => t.lang = seen.first(12).and_then(|()| c.text())?,
                b"retweeted_status" => {
                    seen.first(13)?;
                    if !c.null()? {
                        c.skip(2)?;
                        t.retweeted_status = Some(serde::de::IgnoredAny);
                    }
                }
                b"quoted_status_id_str" => {
                    t.quoted_status_id_str = seen.first(14).and_then(|()| c.id())?;
                }
                b"edit_info" => t.edit_info = seen.first(15).and_then(|()| c.edit_info())?,
                b"possibly_sensitive" => {
                    t.possibly_sensitive = seen.first(16).and_then(|()| c.flag())?;
                }
                _ => c.skip(2)?,
            }
            Ok(())
        })?;
        Ok(t)
    }

    fn entities(&mut self) -> Res<Option<Entities<'a>>> {
        if self.null()? {
            return Ok(None);
        }
        let mut e = Entities::default();
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"user_mentions" => {
                    e.user_mentions = seen.first(0).and_then(|()| c.list(Self::mention))?;
                }
                b"urls" => e.urls = seen.first(1).and_then(|()| c.list(Self::url))?,
                b"media" => e.media = seen.first(2).and_then(|()| c.list(Self::media))?,
                _ => c.skip(3)?,
            }
            Ok(())
        })?;
        Ok(Some(e))
    }

    fn extended(&mut self) -> Res<Option<ExtendedEntities<'a>>> {
        if self.null()? {
            return Ok(None);
        }
        let mut e = ExtendedEntities::default();
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"media" => e.media = seen.first(0).and_then(|()| c.list(Self::media))?,
                _ => c.skip(3)?,
            }
            Ok(())
        })?;
        Ok(Some(e))
    }

    fn mention(&mut self) -> Res<RawMention<'a>> {
        let mut m = RawMention {
            id_str: None,
            id: None,
            screen_name: None,
            name: None,
        };
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"id_str" => m.id_str = seen.first(0).and_then(|()| c.id())?,
                b"id" => m.id = seen.first(1).and_then(|()| c.id())?,
                b"screen_name" => m.screen_name = seen.first(2).and_then(|()| c.text())?,
                b"name" => m.name = seen.first(3).and_then(|()| c.text())?,
                _ => c.skip(4)?,
            }
            Ok(())
        })?;
        Ok(m)
    }

    fn url(&mut self) -> Res<RawUrl<'a>> {
        let mut u = RawUrl {
            url: None,
            expanded_url: None,
            indices: None,
        };
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"url" => u.url = seen.first(0).and_then(|()| c.text())?,
                b"expanded_url" => u.expanded_url = seen.first(1).and_then(|()| c.text())?,
                b"indices" => u.indices = seen.first(2).and_then(|()| c.indices())?,
                _ => c.skip(4)?,
            }
            Ok(())
        })?;
        Ok(u)
    }

    fn media(&mut self) -> Res<RawMedia<'a>> {
        let mut m = RawMedia {
            id_str: None,
            media_url_https: None,
            media_url: None,
            url: None,
            kind: None,
            indices: None,
            source_status_id_str: None,
            video_info: None,
        };
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"id_str" => m.id_str = seen.first(0).and_then(|()| c.id())?,
                b"media_url_https" => m.media_url_https = seen.first(1).and_then(|()| c.text())?,
                b"media_url" => m.media_url = seen.first(2).and_then(|()| c.text())?,
                b"url" => m.url = seen.first(3).and_then(|()| c.text())?,
                b"type" => m.kind = seen.first(4).and_then(|()| c.text())?,
                b"indices" => m.indices = seen.first(5).and_then(|()| c.indices())?,
                b"source_status_id_str" => {
                    m.source_status_id_str = seen.first(6).and_then(|()| c.id())?;
                }
                b"video_info" => m.video_info = seen.first(7).and_then(|()| c.video())?,
                _ => c.skip(4)?,
            }
            Ok(())
        })?;
        Ok(m)
    }

    fn video(&mut self) -> Res<Option<VideoInfo<'a>>> {
        if self.null()? {
            return Ok(None);
        }
        let mut v = VideoInfo::default();
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"variants" => v.variants = seen.first(0).and_then(|()| c.list(Self::variant))?,
                _ => c.skip(5)?,
            }
            Ok(())
        })?;
        Ok(Some(v))
    }

    fn variant(&mut self) -> Res<Variant<'a>> {
        let mut v = Variant {
            bitrate: None,
            content_type: None,
            url: None,
        };
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"bitrate" => v.bitrate = seen.first(0).and_then(|()| c.count())?,
                b"content_type" => v.content_type = seen.first(1).and_then(|()| c.text())?,
                b"url" => v.url = seen.first(2).and_then(|()| c.text())?,
                _ => c.skip(6)?,
            }
            Ok(())
        })?;
        Ok(v)
    }

    fn edit_info(&mut self) -> Res<Option<EditInfo<'a>>> {
        if self.null()? {
            return Ok(None);
        }
        let mut info = EditInfo {
            initial: None,
            edit: None,
        };
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"initial" => info.initial = seen.first(0).and_then(|()| c.edit_ids())?,
                b"edit" => {
                    seen.first(1)?;
                    if !c.null()? {
                        let mut later = EditLater {
                            edit_control_initial: None,
                        };
                        let mut inner = Seen(0);
                        c.object(|c, key| {
                            match key.ok_or(Halt::Unsure)? {
                                b"editControlInitial" => {
                                    later.edit_control_initial =
                                        inner.first(0).and_then(|()| c.edit_ids())?;
                                }
                                _ => c.skip(5)?,
                            }
                            Ok(())
                        })?;
                        info.edit = Some(later);
                    }
                }
                _ => c.skip(4)?,
            }
            Ok(())
        })?;
        Ok(Some(info))
    }

    fn edit_ids(&mut self) -> Res<Option<EditIds<'a>>> {
        if self.null()? {
            return Ok(None);
        }
        let mut ids = EditIds {
            edit_tweet_ids: Vec::new(),
        };
        let mut seen = Seen(0);
        self.object(|c, key| {
            match key.ok_or(Halt::Unsure)? {
                b"editTweetIds" => {
                    ids.edit_tweet_ids = seen.first(0).and_then(|()| {
                        c.list(|c| {
                            c.eat(b'"')?;
                            let span = c.string()?;
                            c.decode(span)
                        })
                    })?;
                }
                _ => c.skip(6)?,
            }
            Ok(())
        })?;
        Ok(Some(ids))
    }
}

/// The fields of one object seen so far (serde_json refuses a field given twice).
struct Seen(u32);

impl Seen {
    fn first(&mut self, bit: u32) -> Res<()> {
        if self.0 & (1 << bit) != 0 {
            return Err(Halt::Unsure);
        }
        self.0 |= 1 << bit;
        Ok(())
    }
}

/// The length of the escape whose backslash comes just before `rest`, backslash included.
fn escape_len(rest: &[u8]) -> Res<usize> {
    match rest.first() {
        None => Err(Halt::More),
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(2),
        Some(b'u') => match rest.get(1..5) {
            None if rest[1..].iter().all(u8::is_ascii_hexdigit) => Err(Halt::More),
            Some(hex) if hex.iter().all(u8::is_ascii_hexdigit) => Ok(6),
            _ => Err(Halt::Unsure),
        },
        Some(_) => Err(Halt::Unsure),
    }
}

/// Whether the four hex digits of a `\u` escape are a UTF-16 surrogate (D800 to DFFF).
fn is_surrogate(hex: &[u8]) -> bool {
    matches!(
        hex,
        [b'd' | b'D', b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F', ..]
    )
}

/// The index after a run of digits from `j`.
fn digits(b: &[u8], mut j: usize) -> usize {
    while b.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    j
}

/// The index after a run of at least one digit from `j`.
fn some_digits(b: &[u8], j: usize) -> Res<usize> {
    match b.get(j) {
        None => Err(Halt::More),
        Some(d) if d.is_ascii_digit() => Ok(digits(b, j + 1)),
        Some(_) => Err(Halt::Unsure),
    }
}

/// Decodes a string's escapes (already checked by [`Cur::string`]); a surrogate escape is
/// left to serde_json, which knows its pairing rules.
fn unescape(raw: &[u8]) -> Res<String> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while let Some(at) = raw[i..].iter().position(|&c| c == b'\\') {
        out.extend_from_slice(&raw[i..i + at]);
        i += at + 1;
        let c = raw[i];
        i += 1;
        let plain = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0C,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            _ => {
                let hex = std::str::from_utf8(&raw[i..i + 4]).map_err(|_| Halt::Unsure)?;
                let code = u32::from_str_radix(hex, 16).map_err(|_| Halt::Unsure)?;
                let ch = char::from_u32(code).ok_or(Halt::Unsure)?;
                out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                i += 4;
                continue;
            }
        };
        out.push(plain);
    }
    out.extend_from_slice(&raw[i..]);
    String::from_utf8(out).map_err(|_| Halt::Unsure)
}

#[cfg(test)]
mod tests;
