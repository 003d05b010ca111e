//! Standard output for results. Its write errors say where they happened ("cannot write to
//! standard output: No space left on device"), so a full disk behind `> file` reads as one
//! plain sentence; the error kind is kept, so a closed pipe (`| head`) is still recognised.

use std::io::{self, Write};

/// A writer that names its destination in its errors.
#[derive(Debug)]
pub struct Named<W> {
    inner: W,
    name: &'static str,
}

/// Standard output, locked, for a command's results.
pub fn lock() -> Named<io::StdoutLock<'static>> {
    Named::new(io::stdout().lock(), "standard output")
}

impl<W> Named<W> {
    /// Wraps `inner`; `name` completes "cannot write to …".
    pub fn new(inner: W, name: &'static str) -> Self {
        Self { inner, name }
    }

    fn named(&self, err: io::Error) -> io::Error {
        io::Error::new(err.kind(), format!("cannot write to {}: {err}", self.name))
    }
}

impl<W: Write> Write for Named<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf).map_err(|err| self.named(err))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush().map_err(|err| self.named(err))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::new(
                io::ErrorKind::StorageFull,
                "No space left on device",
            ))
        }
        fn flush(&mut self) -> io::Result<()> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
    }

    #[test]
    fn errors_name_the_destination_and_keep_their_kind() {
        let mut out = Named::new(Full, "standard output");
        let err = out.write_all(b"x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot write to standard output: No space left on device"
        );
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert_eq!(out.flush().unwrap_err().kind(), io::ErrorKind::BrokenPipe);
    }
}
