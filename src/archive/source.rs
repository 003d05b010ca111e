//! Where the archive's files come from: a `.zip` file or an unpacked folder.
//!
//! This is the thin I/O shell of the reader. It lists the files (with names relative to the
//! archive's root, so `data/tweets.js` is found whether the user pointed at the zip, at the
//! folder, at the folder's `data/` child, or at a zip whose files sit under one top folder),
//! and opens one file at a time as a `Read`, never extracting anything to disk. Reads are capped
//! at each file's declared size, so a zip entry that inflates past it is reported, not
//! swallowed. Parsing lives elsewhere (`jsfile` and the record modules).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive, ZipReadOptions};

use super::error::{ArchiveError, Place};
use super::posfile::PosFile;
use super::zipdir::{self, Broken, Stored};

/// Files at least this big are inflated on a second thread while the caller parses.
const PIPELINE_MIN: u64 = 1 << 20;
/// The size of the byte chunks handed from the inflate thread to the parser.
const CHUNK: usize = 256 * 1024;
/// How many chunks may wait between the two threads (bounds the memory in flight).
const CHUNKS_IN_FLIGHT: usize = 4;
/// Folders deeper than this under the archive root are not listed.
const MAX_DEPTH: usize = 6;

/// One file of the archive. An archive can hold hundreds of thousands of media files, so an
/// entry keeps one name: the name as stored, for messages, is made again from it and the
/// root when needed ([`Source::place`]).
#[derive(Debug, Clone)]
pub struct Entry {
    /// The name relative to the archive root, with `/` separators (`data/tweets.js`).
    pub name: Box<str>,
    /// The declared (zip) or current (folder) size in bytes.
    pub size: u64,
    index: u32,
}

enum Backing {
    /// The zip file and where each listed entry's bytes are (see `zipdir`).
    Zip(PosFile, Vec<Stored>),
    Folder(PathBuf),
}

/// An opened archive: its file list and a way to read each file.
pub struct Source {
    path: PathBuf,
    backing: Backing,
    entries: Vec<Entry>,
    /// Positions in `entries`, sorted by name, one per name (the last entry of a name wins).
    by_name: Vec<u32>,
    root: Root,
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Source {
    /// Opens a `.zip` file or a folder and lists its files.
    pub fn open(path: &Path) -> Result<Self, ArchiveError> {
        let meta = std::fs::metadata(path).map_err(|err| match err.kind() {
            io::ErrorKind::NotFound => ArchiveError::Missing {
                path: path.to_path_buf(),
            },
            _ => ArchiveError::Unreadable {
                path: path.to_path_buf(),
                source: err,
            },
        })?;
        let (backing, raw) = if meta.is_dir() {
            (Backing::Folder(path.to_path_buf()), list_folder(path)?)
        } else {
            let (file, raw, stored) = open_zip(path)?;
            (Backing::Zip(file, stored), raw)
        };
        Self::from_listing(path, backing, raw)
    }

    /// The source over a listing; two files of the same name are an error (the reader would
    /// have to drop one).
    fn from_listing(
        path: &Path,
        backing: Backing,
        raw: Vec<(String, u64, usize)>,
    ) -> Result<Self, ArchiveError> {
        let names: Vec<&str> = raw.iter().map(|(name, _, _)| name.as_str()).collect();
        let root = find_root(&names);
        drop(names);
        let entries: Vec<Entry> = raw
            .into_iter()
            .filter_map(|(stored, size, index)| {
                let name = root.relative(stored)?.into_boxed_str();
                let index = u32::try_from(index).ok()?;
                Some(Entry { name, size, index })
            })
            .collect();
        let (by_name, duplicate) = sorted_by_name(&entries);
        let source = Self {
            path: path.to_path_buf(),
            backing,
            entries,
            by_name,
            root,
        };
        match duplicate {
            Some(i) => Err(ArchiveError::DuplicateEntry {
                path: path.to_path_buf(),
                name: source.stored_name(&source.entries[i as usize].name),
            }),
            None => Ok(source),
        }
    }

    /// The path the user gave.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// True when the archive is a zip file.
    pub fn is_zip(&self) -> bool {
        matches!(self.backing, Backing::Zip(..))
    }

    /// Every file, in storage order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The file with this root-relative name (`data/tweets.js`).
    pub fn find(&self, name: &str) -> Option<&Entry> {
        let at = self
            .by_name
            .partition_point(|&i| &*self.entries[i as usize].name < name);
        let i = *self.by_name.get(at)? as usize;
        (&*self.entries[i].name == name).then(|| &self.entries[i])
    }

    /// Where `entry` is, for messages.
    pub fn place(&self, entry: &Entry) -> Place {
        self.place_of(&entry.name)
    }

    /// The place of a root-relative name that may not exist (for "missing" warnings).
    pub fn place_of(&self, name: &str) -> Place {
        Place::new(&self.path, &self.stored_name(name), self.is_zip())
    }

    /// The name as stored (in the zip, or relative to the folder given) of a root-relative
    /// name: the inverse of [`Root::relative`].
    fn stored_name(&self, name: &str) -> String {
        let relative = match self.root.is_data {
            true => name.strip_prefix("data/").unwrap_or(name),
            false => name,
        };
        format!("{}{relative}", self.root.prefix)
    }

    /// Runs `f` with a reader over `entry`'s bytes, capped at its declared size.
    pub fn with_reader<T, E>(
        &self,
        entry: &Entry,
        f: impl FnOnce(&mut dyn Read) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<ArchiveError>,
    {
        let place = self.place(entry);
        match &self.backing {
            Backing::Zip(file, stored) => {
                let mut file = file.clone();
                let zipped = open_entry(&mut file, &stored[entry.index as usize], &place)?;
                f(&mut Capped::new(zipped, entry.size, place))
            }
            Backing::Folder(root) => {
                let path = root.join(self.stored_name(&entry.name));
                let file = File::open(&path).map_err(|source| ArchiveError::ReadEntry {
                    place: place.clone(),
                    source,
                })?;
                let reader = io::BufReader::with_capacity(CHUNK, file);
                f(&mut Capped::new(reader, entry.size, place))
            }
        }
    }

    /// The names of the files inside `entry`, itself a zip (archives of mid-2019 hold the
    /// media folder as a zip inside the zip). A nested zip stored uncompressed, or one in an
    /// unpacked folder, is read in place (its directory only); a compressed one is read
    /// through once, entry by entry, in bounded memory.
    pub fn nested_zip_names(&self, entry: &Entry) -> Result<Vec<String>, ArchiveError> {
        let place = self.place(entry);
        let inner = match &self.backing {
            Backing::Folder(root) => {
                let file = PosFile::open(&root.join(self.stored_name(&entry.name)))
                    .map_err(|source| ArchiveError::from_read(&place, source))?;
                file.window(0, entry.size)
            }
            Backing::Zip(zip, stored) => {
                let at = &stored[entry.index as usize];
                let mut file = zip.clone();
                let zipped = open_entry(&mut file, at, &place)?;
                if zipped.compression() == CompressionMethod::Stored {
                    drop(zipped);
                    let start = zipdir::data_start(zip, at)
                        .map_err(|source| ArchiveError::from_read(&place, source))?;
                    zip.window(start, entry.size)
                } else {
                    let mut reader = Capped::new(zipped, entry.size, place.clone());
                    return streamed_names(&mut reader, &place);
                }
            }
        };
        let nested = ZipArchive::new(inner).map_err(|err| nested_error(&place, &err))?;
        Ok(list_zip(&nested)
            .into_iter()
            .map(|(name, _, _)| name)
            .collect())
    }

    /// Like [`Source::with_reader`], but big files are inflated on a second thread and handed
    /// over in chunks, so decompression and parsing run on two cores at once.
    pub fn with_stream<T, E>(
        &self,
        entry: &Entry,
        f: impl FnOnce(&mut dyn Read) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<ArchiveError>,
    {
        if entry.size < PIPELINE_MIN {
            return self.with_reader(entry, f);
        }
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(CHUNKS_IN_FLIGHT);
        let (recycle_tx, recycle_rx) = sync_channel::<Vec<u8>>(CHUNKS_IN_FLIGHT + 2);
        std::thread::scope(|scope| {
            scope.spawn(|| self.pump(entry, tx, recycle_rx));
            let mut reader = ChannelReader::new(rx, recycle_tx);
            f(&mut reader)
        })
    }

    /// The inflate side of [`Source::with_stream`]: read chunks and send them until the end,
    /// an error, or the parser hanging up.
    fn pump(
        &self,
        entry: &Entry,
        tx: SyncSender<io::Result<Vec<u8>>>,
        recycled: Receiver<Vec<u8>>,
    ) {
        let result = self.with_reader::<(), ArchiveError>(entry, |reader| {
            loop {
                let mut chunk = recycled.try_recv().unwrap_or_else(|_| vec![0; CHUNK]);
                chunk.resize(CHUNK, 0);
                let n = match fill(reader, &mut chunk) {
                    Ok(n) => n,
                    Err(err) => {
                        let _ = tx.send(Err(err));
                        return Ok(());
                    }
                };
                chunk.truncate(n);
                if n == 0 || tx.send(Ok(chunk)).is_err() {
                    return Ok(());
                }
            }
        });
        if let Err(err) = result {
            let _ = tx.send(Err(io::Error::other(err)));
        }
    }
}

/// Reads until `buf` is full or the reader ends; returns the bytes read.
pub(crate) fn fill(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(n)
}

/// The parser side of the pipeline: a `Read` over the chunks the inflate thread sends.
struct ChannelReader {
    rx: Receiver<io::Result<Vec<u8>>>,
    recycle: SyncSender<Vec<u8>>,
    current: Vec<u8>,
    pos: usize,
    done: bool,
}

impl ChannelReader {
    fn new(rx: Receiver<io::Result<Vec<u8>>>, recycle: SyncSender<Vec<u8>>) -> Self {
        Self {
            rx,
            recycle,
            current: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.current.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(chunk)) if chunk.is_empty() => self.done = true,
                Ok(Ok(chunk)) => {
                    let old = std::mem::replace(&mut self.current, chunk);
                    let _ = self.recycle.try_send(old);
                    self.pos = 0;
                }
                Ok(Err(err)) => {
                    self.done = true;
                    return Err(err);
                }
                Err(_) => self.done = true,
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A reader that refuses to deliver more than the declared size of its file.
struct Capped<R> {
    inner: R,
    left: u64,
    declared: u64,
    place: Place,
}

impl<R: Read> Capped<R> {
    fn new(inner: R, declared: u64, place: Place) -> Self {
        Self {
            inner,
            left: declared,
            declared,
            place,
        }
    }
}

impl<R> Capped<R> {
    /// Inside a zip, a read error is damage to the archive (bad deflate data, bad checksum),
    /// whatever kind the decompressor gave it.
    fn damaged(&self, err: io::Error) -> io::Error {
        if !self.place.zipped || err.get_ref().is_some_and(|e| e.is::<ArchiveError>()) {
            return err;
        }
        io::Error::other(ArchiveError::Damaged {
            place: self.place.clone(),
            detail: err.to_string().to_lowercase(),
        })
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // Probe one byte: anything past the declared end is an overrun.
            let mut probe = [0u8; 1];
            let overrun = || {
                io::Error::other(ArchiveError::Oversize {
                    place: self.place.clone(),
                    declared: self.declared,
                })
            };
            return match self.inner.read(&mut probe) {
                Ok(0) => Ok(0),
                Ok(_) => Err(overrun()),
                // The zip reader enforces the same limit and says so in its own words.
                Err(err) if err.to_string().contains("declared") => Err(overrun()),
                Err(err) => Err(self.damaged(err)),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self
            .inner
            .read(&mut buf[..want])
            .map_err(|err| self.damaged(err))?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// A zip's files (name, size, position in the second list) and where their bytes are.
type ZipListing = (PosFile, Vec<(String, u64, usize)>, Vec<Stored>);

/// Opens the zip at `path` and reads its directory (folders left out).
fn open_zip(path: &Path) -> Result<ZipListing, ArchiveError> {
    let file = PosFile::open(path).map_err(|source| ArchiveError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let starts_like_zip = file.starts_with(b"PK").unwrap_or(false);
    let (mut raw, mut stored) = (Vec::new(), Vec::new());
    let read = zipdir::read(&file, |entry| {
        if !entry.is_dir {
            raw.push((entry.name, entry.stored.size, stored.len()));
            stored.push(entry.stored);
        }
    });
    match read {
        Ok(_) => {
            raw.shrink_to_fit();
            stored.shrink_to_fit();
            Ok((file, raw, stored))
        }
        Err(Broken::Io(source)) => Err(ArchiveError::Unreadable {
            path: path.to_path_buf(),
            source,
        }),
        Err(_) if !starts_like_zip => Err(ArchiveError::NotAZip {
            path: path.to_path_buf(),
        }),
        Err(Broken::Invalid(why)) => Err(ArchiveError::CorruptZip {
            path: path.to_path_buf(),
            detail: format!("it is cut off or its directory is broken: {why}"),
        }),
        Err(Broken::NoEnd) => Err(ArchiveError::CorruptZip {
            path: path.to_path_buf(),
            detail: "it is cut off or its directory is broken".into(),
        }),
    }
}

/// Opens one entry of the zip in `file` at its local header, with the directory's checksum
/// and sizes imposed as far as the zip crate allows (see `zipdir`).
fn open_entry<'f>(
    file: &'f mut PosFile,
    stored: &Stored,
    place: &Place,
) -> Result<zip::read::ZipFile<'f, PosFile>, ArchiveError> {
    file.seek(SeekFrom::Start(stored.header_start))
        .map_err(|source| ArchiveError::from_read(place, source))?;
    let options = ZipReadOptions::new()
        .override_compressed_size(stored.compressed)
        .override_uncompressed_size(stored.size)
        .override_crc(stored.crc);
    zip::read::read_zipfile_from_stream_with_options(file, options)
        .map_err(|err| zip_entry_error(place, err))?
        .ok_or_else(|| ArchiveError::Damaged {
            place: place.clone(),
            detail: "its local header is missing".into(),
        })
}

/// Reads a zip from a stream, local header by local header, keeping only the names.
fn streamed_names<R: Read>(reader: &mut R, place: &Place) -> Result<Vec<String>, ArchiveError> {
    let mut names = Vec::new();
    loop {
        match zip::read::read_zipfile_from_stream(reader) {
            Ok(Some(mut file)) => {
                if !file.is_dir() {
                    names.push(String::from_utf8_lossy(file.name_raw()).replace('\\', "/"));
                }
                io::copy(&mut file, &mut io::sink()).map_err(|err| match err.kind() {
                    io::ErrorKind::InvalidData => ArchiveError::Damaged {
                        place: place.clone(),
                        detail: format!("the zip inside it is damaged: {err}"),
                    },
                    _ => ArchiveError::from_read(place, err),
                })?;
            }
            Ok(None) => return Ok(names),
            Err(ZipError::Io(err)) => return Err(ArchiveError::from_read(place, err)),
            Err(err) => return Err(nested_error(place, &err)),
        }
    }
}

fn nested_error(place: &Place, err: &ZipError) -> ArchiveError {
    ArchiveError::Damaged {
        place: place.clone(),
        detail: format!(
            "the zip inside it is unreadable: {}",
            describe_zip_error(err)
        ),
    }
}

fn describe_zip_error(err: &ZipError) -> String {
    match err {
        ZipError::Io(_) => "it is cut off".into(),
        ZipError::InvalidArchive(_) => "it is cut off or its directory is broken".into(),
        ZipError::UnsupportedArchive(what) => format!("unsupported: {what}"),
        ZipError::CompressionMethodNotSupported(m) => format!("compression method {m} unsupported"),
        other => other.to_string(),
    }
}

fn zip_entry_error(place: &Place, err: ZipError) -> ArchiveError {
    match err {
        ZipError::Io(source) => ArchiveError::from_read(place, source),
        ZipError::UnsupportedArchive(what) => ArchiveError::Damaged {
            place: place.clone(),
            detail: format!("unsupported: {what}"),
        },
        other => ArchiveError::Damaged {
            place: place.clone(),
            detail: other.to_string(),
        },
    }
}

fn list_zip<R: io::Read + io::Seek>(zip: &ZipArchive<R>) -> Vec<(String, u64, usize)> {
    let mut out = Vec::with_capacity(zip.len());
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        if entry.is_dir() {
            continue;
        }
        let name = String::from_utf8_lossy(entry.name_raw()).replace('\\', "/");
        out.push((name, entry.size(), index));
    }
    out
}

fn list_folder(root: &Path) -> Result<Vec<(String, u64, usize)>, ArchiveError> {
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), String::new(), 0usize)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let read = std::fs::read_dir(&dir).map_err(|source| ArchiveError::Unreadable {
            path: dir.clone(),
            source,
        })?;
        for item in read.flatten() {
            let name = format!("{prefix}{}", item.file_name().to_string_lossy());
            let Ok(meta) = item.metadata() else { continue };
            if meta.is_dir() && depth < MAX_DEPTH {
                stack.push((item.path(), format!("{name}/"), depth + 1));
            } else if meta.is_file() {
                let index = out.len();
                out.push((name, meta.len(), index));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The prefix under which the archive's files sit, and whether it is the `data/` folder
/// itself (the user pointed at `data/`, or an old zip put `tweet.js` at its root).
#[derive(Debug, PartialEq, Eq)]
struct Root {
    prefix: String,
    is_data: bool,
}

impl Root {
    /// The root-relative name of a stored name (`data/tweets.js`), reusing its bytes; `None`
    /// for a file outside the root.
    fn relative(&self, mut stored: String) -> Option<String> {
        if !stored.starts_with(self.prefix.as_str()) {
            return None;
        }
        let replacement = if self.is_data { "data/" } else { "" };
        stored.replace_range(..self.prefix.len(), replacement);
        Some(stored)
    }
}

/// The positions of `entries` sorted by name, and the first entry (in storage order) whose
/// name an earlier one already has, if any.
fn sorted_by_name(entries: &[Entry]) -> (Vec<u32>, Option<u32>) {
    let name = |i: u32| &entries[i as usize].name;
    let mut order: Vec<u32> = (0..entries.len() as u32).collect();
    order.sort_by(|&a, &b| name(a).cmp(name(b)).then(a.cmp(&b)));
    let duplicate = order
        .windows(2)
        .filter(|pair| name(pair[0]) == name(pair[1]))
        .map(|pair| pair[1])
        .min();
    order.shrink_to_fit();
    (order, duplicate)
}

/// Files whose location tells where the archive root is, most telling first.
const MARKERS: [&str; 9] = [
    "manifest.js",
    "tweets.js",
    "tweet.js",
    "account.js",
    "following.js",
    "tweets.csv",
    "js/user_details.js",
    "js/tweet_index.js",
    "profile.js",
];

fn find_root(names: &[&str]) -> Root {
    for marker in MARKERS {
        let best = names
            .iter()
            .filter(|n| **n == marker || n.ends_with(&format!("/{marker}")))
            .min_by_key(|n| n.matches('/').count());
        if let Some(name) = best {
            return root_for(name, marker);
        }
    }
    Root {
        prefix: String::new(),
        is_data: false,
    }
}

fn root_for(name: &str, marker: &str) -> Root {
    let dir = &name[..name.len() - marker.len()];
    if let Some(parent) = dir.strip_suffix("data/") {
        return Root {
            prefix: parent.to_string(),
            is_data: false,
        };
    }
    // `tweets.csv` sits at the root of a Grailbird archive; every other marker sits in
    // `data/`, so without a `data/` parent `dir` is the data folder itself.
    Root {
        prefix: dir.to_string(),
        is_data: marker != "tweets.csv",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_from_marker_files() {
        let table: [(&[&str], &str, bool); 6] = [
            (&["data/manifest.js", "data/tweets.js"], "", false),
            (
                &["twitter-2023/data/manifest.js", "x.txt"],
                "twitter-2023/",
                false,
            ),
            (&["manifest.js", "tweets.js"], "", true),
            (&["tweet.js", "account.js"], "", true),
            (
                &["arch/tweets.csv", "arch/data/js/tweets/2015_01.js"],
                "arch/",
                false,
            ),
            (
                &["data/js/tweets/2015_01.js", "data/js/tweet_index.js"],
                "",
                false,
            ),
        ];
        for (names, prefix, is_data) in table {
            let root = find_root(names);
            assert_eq!(root.prefix, prefix, "{names:?}");
            assert_eq!(root.is_data, is_data, "{names:?}");
        }
    }

    #[test]
    fn capped_reader_reports_an_overrun() {
        let place = Place::new(Path::new("a.zip"), "data/x.js", true);
        let mut capped = Capped::new(&b"0123456789"[..], 4, place);
        let mut out = Vec::new();
        let err = capped.read_to_end(&mut out).unwrap_err();
        assert_eq!(out, b"0123");
        let back = ArchiveError::from_read(&Place::new(Path::new("a"), "b", true), err);
        assert!(matches!(back, ArchiveError::Oversize { declared: 4, .. }));
    }

    #[test]
    fn capped_reader_accepts_the_exact_size() {
        let place = Place::new(Path::new("a.zip"), "data/x.js", true);
        let mut capped = Capped::new(&b"0123"[..], 4, place);
        let mut out = Vec::new();
        capped.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"0123");
    }
}
