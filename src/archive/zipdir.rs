//! A zip's central directory, read once into a compact list.
//!
//! The `zip` crate's `ZipArchive` keeps about 230 bytes for every entry, which for an archive
//! with 200,000 media files was half the memory of `inspect`. This reads the directory as a
//! stream (end record, ZIP64 records, one header at a time) and keeps only what opening an
//! entry needs: where its local header is, its sizes and checksum (32 bytes), and its name.
//! The entry's bytes are then read by the `zip` crate from its local header, with the
//! directory's checksum and uncompressed size imposed, and its compressed size where the local
//! header leaves it out (entries written with data descriptors). A local header that disagrees
//! with the directory otherwise is read as it says, and whatever does not then match (more
//! bytes than the directory declared, a short deflate stream, a wrong checksum) is an error.
//!
//! Everything read is checked against the file: counts against the directory's size, offsets
//! against the file's length, and a ZIP64 record against its locator. Anything that does not
//! hold is [`Broken`]; the caller words it.

use std::io::{self, BufReader, Read, Seek, SeekFrom};

use super::posfile::PosFile;

/// Where an entry's bytes are, as the central directory says.
#[derive(Debug, Clone, Copy)]
pub struct Stored {
    /// The offset of the local header in the file (any bytes before the zip included).
    pub header_start: u64,
    pub compressed: u64,
    pub size: u64,
    pub crc: u32,
}

/// One entry of the directory: its name as stored (or as its Unicode Path field gives it;
/// lossy UTF-8, `\` made `/`), whether it is a folder, and where its bytes are.
#[derive(Debug)]
pub struct Listed {
    pub name: String,
    pub is_dir: bool,
    pub stored: Stored,
}

/// Why the directory could not be read.
#[derive(Debug)]
pub enum Broken {
    /// No end-of-directory record: not a zip, or one cut off.
    NoEnd,
    /// The directory or its records do not hold together.
    Invalid(&'static str),
    /// The file could not be read.
    Io(io::Error),
}

impl From<io::Error> for Broken {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::UnexpectedEof => Broken::Invalid("the directory runs past the file"),
            _ => Broken::Io(err),
        }
    }
}

const END_SIG: u32 = 0x0605_4b50;
const LOCATOR_SIG: u32 = 0x0706_4b50;
const END64_SIG: u32 = 0x0606_4b50;
const HEADER_SIG: u32 = 0x0201_4b50;
const END_LEN: u64 = 22;
const LOCATOR_LEN: u64 = 20;
const END64_LEN: u64 = 56;
const HEADER_LEN: usize = 46;
/// The end record's comment is at most this long, so the record is within this many bytes
/// of the end.
const END_WINDOW: u64 = END_LEN + u16::MAX as u64;

/// The directory's place and size, from the end records.
#[derive(Debug, PartialEq)]
struct Directory {
    /// Where the directory starts in the file.
    start: u64,
    size: u64,
    entries: u64,
    /// Bytes before the zip proper (a self-extracting stub): offsets are relative to it.
    offset: u64,
}

/// Reads the central directory of the zip in `file`, handing each entry to `each` as it is
/// read (no list of the whole directory is held here). Returns the number of entries.
pub fn read(file: &PosFile, mut each: impl FnMut(Listed)) -> Result<u64, Broken> {
    let mut file = file.clone();
    let len = file.seek(SeekFrom::End(0))?;
    let dir = directory(&mut file, len)?;
    file.seek(SeekFrom::Start(dir.start))?;
    let mut reader = BufReader::with_capacity(64 * 1024, file.take(dir.size));
    for _ in 0..dir.entries {
        let listed = header(&mut reader, &dir)?;
        if listed.stored.header_start >= dir.start {
            return Err(Broken::Invalid("an entry starts inside the directory"));
        }
        each(listed);
    }
    Ok(dir.entries)
}

/// Every entry of the directory, in order (for tests and small zips).
#[cfg(test)]
pub fn list(file: &PosFile) -> Result<Vec<Listed>, Broken> {
    let mut out = Vec::new();
    read(file, |listed| out.push(listed))?;
    Ok(out)
}

/// Finds the end record (the last one whose comment reaches the end of the file) and the
/// ZIP64 records it points to.
fn directory(file: &mut PosFile, len: u64) -> Result<Directory, Broken> {
    let tail_start = len.saturating_sub(END_WINDOW);
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(tail_start))?;
    file.read_to_end(&mut tail)?;
    let at = (0..tail.len().saturating_sub(END_LEN as usize - 1))
        .rev()
        .find(|&i| {
            u32_at(&tail, i) == Some(END_SIG)
                && u16_at(&tail, i + 20)
                    .is_some_and(|comment| i + END_LEN as usize + comment as usize <= tail.len())
        })
        .ok_or(Broken::NoEnd)?;
    let end_pos = tail_start + at as u64;
    let rec = &tail[at..];
    let field16 = |i| u64::from(u16_at(rec, i).unwrap_or(0));
    let field32 = |i| u64::from(u32_at(rec, i).unwrap_or(0));
    if field16(4) != field16(6) || field16(8) != field16(10) {
        return Err(Broken::Invalid("the zip is split over several disks"));
    }
    let (mut entries, mut size, mut claimed) = (field16(10), field32(12), field32(16));
    let mut dir_end = end_pos;
    if let Some(end64) = zip64_end(file, end_pos)? {
        (entries, size, claimed) = (end64.entries, end64.size, end64.claimed);
        dir_end = end64.pos;
    }
    let start = dir_end
        .checked_sub(size)
        .ok_or(Broken::Invalid("the directory is larger than the file"))?;
    let offset = start
        .checked_sub(claimed)
        .ok_or(Broken::Invalid("the directory starts past its end"))?;
    if entries > size / HEADER_LEN as u64 {
        return Err(Broken::Invalid("more entries than the directory can hold"));
    }
    Ok(Directory {
        start,
        size,
        entries,
        offset,
    })
}

/// What the ZIP64 end record says.
struct End64 {
    /// Where the record is (the directory ends there).
    pos: u64,
    entries: u64,
    size: u64,
    /// The directory's offset as written (relative to the zip's start).
    claimed: u64,
}

/// The ZIP64 end record, when a locator sits before the end record.
fn zip64_end(file: &mut PosFile, end_pos: u64) -> Result<Option<End64>, Broken> {
    let Some(locator_pos) = end_pos.checked_sub(LOCATOR_LEN) else {
        return Ok(None);
    };
    let mut locator = [0u8; LOCATOR_LEN as usize];
    file.seek(SeekFrom::Start(locator_pos))?;
    file.read_exact(&mut locator)?;
    if u32_at(&locator, 0) != Some(LOCATOR_SIG) {
        return Ok(None);
    }
    // Where the locator says, or (bytes before the zip shift it) right before the locator.
    let claimed = u64_at(&locator, 8).unwrap_or(u64::MAX);
    let mut rec = [0u8; END64_LEN as usize];
    let mut found = None;
    for pos in [Some(claimed), locator_pos.checked_sub(END64_LEN)]
        .into_iter()
        .flatten()
    {
        if pos
            .checked_add(END64_LEN)
            .is_none_or(|end| end > locator_pos)
        {
            continue;
        }
        file.seek(SeekFrom::Start(pos))?;
        file.read_exact(&mut rec)?;
        if u32_at(&rec, 0) == Some(END64_SIG) {
            found = Some(pos);
            break;
        }
    }
    let pos = found.ok_or(Broken::Invalid("the ZIP64 end record is missing"))?;
    let field = |i| u64_at(&rec, i).unwrap_or(0);
    if u32_at(&rec, 16) != u32_at(&rec, 20) || field(24) != field(32) {
        return Err(Broken::Invalid("the zip is split over several disks"));
    }
    Ok(Some(End64 {
        pos,
        entries: field(32),
        size: field(40),
        claimed: field(48),
    }))
}

/// Reads one central directory header.
fn header(reader: &mut impl Read, dir: &Directory) -> Result<Listed, Broken> {
    let mut fixed = [0u8; HEADER_LEN];
    reader.read_exact(&mut fixed)?;
    if u32_at(&fixed, 0) != Some(HEADER_SIG) {
        return Err(Broken::Invalid("a directory record is damaged"));
    }
    let field16 = |i| usize::from(u16_at(&fixed, i).unwrap_or(0));
    let field32 = |i| u32_at(&fixed, i).unwrap_or(0);
    let mut name = vec![0u8; field16(28)];
    reader.read_exact(&mut name)?;
    let mut extra = vec![0u8; field16(30)];
    reader.read_exact(&mut extra)?;
    io::copy(&mut reader.take(field16(32) as u64), &mut io::sink())?;
    let mut wide = Zip64 {
        size: field32(24),
        compressed: field32(20),
        offset: field32(42),
    }
    .widen(&extra)?;
    wide.offset = wide
        .offset
        .checked_add(dir.offset)
        .ok_or(Broken::Invalid("an entry's offset is out of range"))?;
    let name = unicode_path(&extra, &name).unwrap_or(&name);
    let is_dir = matches!(name.last(), Some(b'/' | b'\\'));
    Ok(Listed {
        name: String::from_utf8_lossy(name).replace('\\', "/"),
        is_dir,
        stored: Stored {
            header_start: wide.offset,
            compressed: wide.compressed,
            size: wide.size,
            crc: field32(16),
        },
    })
}

/// A header's 32-bit size and offset fields, to be widened by its ZIP64 extra field.
struct Zip64 {
    size: u32,
    compressed: u32,
    offset: u32,
}

/// The widened fields.
struct Wide {
    size: u64,
    compressed: u64,
    offset: u64,
}

impl Zip64 {
    /// Each field set to `0xFFFFFFFF` takes the next 8 bytes of the ZIP64 extra field
    /// (id 1), in the order size, compressed size, offset.
    fn widen(self, extra: &[u8]) -> Result<Wide, Broken> {
        let mut values = zip64_field(extra).unwrap_or_default().chunks_exact(8);
        let mut take = |narrow: u32| -> Result<u64, Broken> {
            if narrow != u32::MAX {
                return Ok(u64::from(narrow));
            }
            values
                .next()
                .and_then(|v| u64_at(v, 0))
                .ok_or(Broken::Invalid("a ZIP64 size is missing"))
        };
        Ok(Wide {
            size: take(self.size)?,
            compressed: take(self.compressed)?,
            offset: take(self.offset)?,
        })
    }
}

/// The extra fields of a header, (id, data) in order, up to the first that does not fit.
fn extra_fields(mut extra: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let id = u16_at(extra, 0)?;
        let len = usize::from(u16_at(extra, 2)?);
        let data = extra.get(4..4 + len)?;
        extra = &extra[4 + len..];
        Some((id, data))
    })
}

/// The data of the ZIP64 extra field (id 1), if the extra fields hold one.
fn zip64_field(extra: &[u8]) -> Option<&[u8]> {
    extra_fields(extra).find_map(|(id, data)| (id == 1).then_some(data))
}

/// The UTF-8 name of an Info-ZIP Unicode Path extra field (id 0x7075: a version byte, the
/// CRC-32 of the stored name, the name), which stands in for the stored name when its
/// checksum matches, as the `zip` crate reads it (WinZip and others store a legacy name).
fn unicode_path<'e>(extra: &'e [u8], stored: &[u8]) -> Option<&'e [u8]> {
    extra_fields(extra)
        .filter(|&(id, data)| {
            id == 0x7075
                && data.len() >= 5
                && u32_at(data, 1) == Some(crc32fast::hash(stored))
                && std::str::from_utf8(&data[5..]).is_ok()
        })
        .map(|(_, data)| &data[5..])
        .last()
}

/// Where an entry's data starts: after its local header's name and extra field.
pub fn data_start(file: &PosFile, stored: &Stored) -> io::Result<u64> {
    let mut file = file.clone();
    let mut local = [0u8; 30];
    file.seek(SeekFrom::Start(stored.header_start))?;
    file.read_exact(&mut local)?;
    let lens =
        u64::from(u16_at(&local, 26).unwrap_or(0)) + u64::from(u16_at(&local, 28).unwrap_or(0));
    Ok(stored.header_start + 30 + lens)
}

fn u16_at(b: &[u8], i: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(i..i + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn u64_at(b: &[u8], i: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?))
}

#[cfg(test)]
mod tests;
