//! A file handle that can be cloned cheaply and read from many threads at once.
//!
//! The zip reader needs `Read + Seek`; cloning a `ZipArchive` over this type shares the parsed
//! zip directory and the open file, and each clone keeps its own position (positional reads,
//! no shared cursor). That lets one thread inflate a file while another opens the next.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

/// An open file with its own read position.
#[derive(Debug, Clone)]
pub struct PosFile {
    file: Arc<File>,
    /// Where this view begins in the file (0 unless made by [`PosFile::window`]).
    start: u64,
    pos: u64,
    len: u64,
}

impl PosFile {
    /// Opens `path` for reading.
    pub fn open(path: &Path) -> io::Result<Self> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Self {
            file: Arc::new(file),
            start: 0,
            pos: 0,
            len,
        })
    }

    /// A view of `len` bytes from `start` (relative to this view), reading as if it were a
    /// file of its own: a zip stored uncompressed inside the archive is read in place.
    pub fn window(&self, start: u64, len: u64) -> Self {
        let start = start.min(self.len);
        Self {
            file: Arc::clone(&self.file),
            start: self.start + start,
            pos: 0,
            len: len.min(self.len - start),
        }
    }

    /// True when the file begins with `magic`.
    pub fn starts_with(&self, magic: &[u8]) -> io::Result<bool> {
        let mut head = vec![0u8; magic.len()];
        let n = read_at(&self.file, &mut head, self.start)?;
        Ok(n == magic.len() && head == magic)
    }
}

impl Read for PosFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if want == 0 {
            return Ok(0);
        }
        let n = read_at(&self.file, &mut buf[..want], self.start + self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for PosFile {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        match target {
            Some(pos) => {
                self.pos = pos;
                Ok(pos)
            }
            None => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "seek before the start of the file",
            )),
        }
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, pos)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_keep_their_own_position() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abcdef").unwrap();
        let mut a = PosFile::open(&path).unwrap();
        let mut b = a.clone();
        let mut two = [0u8; 2];
        a.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"ab");
        b.seek(SeekFrom::End(-2)).unwrap();
        b.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"ef");
        a.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"cd");
        assert!(a.starts_with(b"ab").unwrap());
    }

    #[test]
    fn a_window_reads_like_a_file_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut w = PosFile::open(&path).unwrap().window(2, 5);
        let mut all = Vec::new();
        w.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"23456");
        w.seek(SeekFrom::End(-2)).unwrap();
        let mut two = [0u8; 2];
        w.read_exact(&mut two).unwrap();
        assert_eq!(&two, b"56");
        assert!(w.starts_with(b"23").unwrap());
        let mut inner = w.window(1, 100);
        all.clear();
        inner.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"3456", "a window never reaches past its parent");
    }
}
