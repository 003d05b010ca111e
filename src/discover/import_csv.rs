//! Mastodon's import files for accounts, in the exact shapes its own export writes and its
//! importer (`Form::Import`, Preferences → Import and export → Import) reads:
//!
//! | kind | header | row |
//! |---|---|---|
//! | "Following list" | `Account address,Show boosts,Notify on new posts,Languages` | `user@host,true,false,` |
//! | "Blocking list" | none | `user@host` |
//! | "Muting list" | `Account address,Hide notifications` | `user@host,true` |
//!
//! A block file without a header is what Mastodon exports; its importer reads a file whose
//! first cell is no known header as bare addresses. Mutes hide notifications, as a mute on X
//! does. The importer strips a leading `@` and refuses files over 20,000 rows (any type), so
//! long lists are split into numbered files. Rows are deduplicated and sorted, so reruns
//! produce identical files. Never decides which accounts go in: the caller does.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::handle::Handle;

/// The header Mastodon writes and reads for follows.
pub const HEADER: [&str; 4] = [
    "Account address",
    "Show boosts",
    "Notify on new posts",
    "Languages",
];

/// The header Mastodon writes and reads for mutes.
pub const MUTES_HEADER: [&str; 2] = ["Account address", "Hide notifications"];

/// Mastodon's row limit per import file.
pub const MAX_ROWS: usize = 20_000;

/// Which of Mastodon's account imports a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Following,
    Blocking,
    Muting,
}

impl ImportKind {
    /// The import type as Mastodon's form names it.
    pub fn type_name(self) -> &'static str {
        match self {
            ImportKind::Following => "Following list",
            ImportKind::Blocking => "Blocking list",
            ImportKind::Muting => "Muting list",
        }
    }

    /// The file name Mastodon's export uses, without `.csv`.
    pub fn default_stem(self) -> &'static str {
        match self {
            ImportKind::Following => "following_accounts",
            ImportKind::Blocking => "blocked_accounts",
            ImportKind::Muting => "muted_accounts",
        }
    }

    fn header(self) -> Option<&'static [&'static str]> {
        match self {
            ImportKind::Following => Some(&HEADER),
            ImportKind::Blocking => None,
            ImportKind::Muting => Some(&MUTES_HEADER),
        }
    }

    /// The cells after the address.
    fn settings(self) -> &'static [&'static str] {
        match self {
            ImportKind::Following => &["true", "false", ""],
            ImportKind::Blocking => &[],
            ImportKind::Muting => &["true"],
        }
    }
}

/// Deduplicated, sorted accounts, cut into chunks Mastodon accepts.
pub fn chunks(handles: impl IntoIterator<Item = Handle>) -> Vec<Vec<Handle>> {
    let unique: BTreeSet<Handle> = handles.into_iter().collect();
    let all: Vec<Handle> = unique.into_iter().collect();
    all.chunks(MAX_ROWS).map(<[Handle]>::to_vec).collect()
}

/// Writes one import file of `kind`: its header, if it has one, then one row per account.
pub fn write(kind: ImportKind, rows: &[Handle], out: impl Write) -> io::Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    if let Some(header) = kind.header() {
        csv.write_record(header).map_err(io::Error::other)?;
    }
    for handle in rows {
        let address = handle.to_string();
        let record = std::iter::once(address.as_str()).chain(kind.settings().iter().copied());
        csv.write_record(record).map_err(io::Error::other)?;
    }
    csv.flush()
}

/// The file names for `count` chunks: `PATH` itself for one, else `STEM-1.EXT`, `STEM-2.EXT`…
pub fn paths(kind: ImportKind, path: &Path, count: usize) -> Vec<PathBuf> {
    if count <= 1 {
        return vec![path.to_path_buf()];
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| kind.default_stem().into());
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "csv".into());
    (1..=count)
        .map(|n| path.with_file_name(format!("{stem}-{n}.{ext}")))
        .collect()
}

/// Writes the import file(s) of `kind` atomically; returns each path with its row count.
pub fn write_files(
    kind: ImportKind,
    path: &Path,
    handles: impl IntoIterator<Item = Handle>,
) -> io::Result<Vec<(PathBuf, usize)>> {
    let chunks = chunks(handles);
    let chunks = if chunks.is_empty() {
        vec![Vec::new()]
    } else {
        chunks
    };
    let mut written = Vec::new();
    for (rows, file) in chunks.iter().zip(paths(kind, path, chunks.len())) {
        crate::atomic::write(&file, false, |out| write(kind, rows, out))?;
        written.push((file, rows.len()));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handle(text: &str) -> Handle {
        text.parse().unwrap()
    }

    fn bytes(kind: ImportKind, handles: &[&str]) -> String {
        let rows = chunks(handles.iter().map(|h| handle(h)));
        let mut out = Vec::new();
        write(kind, rows.first().map_or(&[][..], Vec::as_slice), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn each_kind_writes_mastodons_exact_shape() {
        let accounts = ["bob@b.example", "Alice@A.example", "bob@b.example"];
        let table = [
            (
                ImportKind::Following,
                "Account address,Show boosts,Notify on new posts,Languages\n\
                 alice@a.example,true,false,\n\
                 bob@b.example,true,false,\n",
            ),
            (ImportKind::Blocking, "alice@a.example\nbob@b.example\n"),
            (
                ImportKind::Muting,
                "Account address,Hide notifications\n\
                 alice@a.example,true\n\
                 bob@b.example,true\n",
            ),
        ];
        for (kind, want) in table {
            assert_eq!(bytes(kind, &accounts), want, "{kind:?}");
        }
    }

    #[test]
    fn empty_lists_keep_only_the_header() {
        assert_eq!(
            bytes(ImportKind::Following, &[]),
            "Account address,Show boosts,Notify on new posts,Languages\n"
        );
        assert_eq!(bytes(ImportKind::Blocking, &[]), "");
        assert_eq!(
            bytes(ImportKind::Muting, &[]),
            "Account address,Hide notifications\n"
        );
    }

    #[test]
    fn import_types_are_named_as_in_mastodons_form() {
        let names: Vec<&str> = [
            ImportKind::Following,
            ImportKind::Blocking,
            ImportKind::Muting,
        ]
        .map(ImportKind::type_name)
        .to_vec();
        assert_eq!(names, ["Following list", "Blocking list", "Muting list"]);
    }

    #[test]
    fn splits_at_twenty_thousand_rows() {
        let many = (0..MAX_ROWS + 5).map(|n| handle(&format!("u{n}@big.example")));
        let chunks = chunks(many);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[0].len(), MAX_ROWS);
        assert_eq!(chunks[1].len(), 5);
    }

    #[test]
    fn numbers_files_only_when_split() {
        let base = Path::new("out/follows.csv");
        let kind = ImportKind::Following;
        assert_eq!(paths(kind, base, 1), vec![PathBuf::from("out/follows.csv")]);
        assert_eq!(
            paths(kind, base, 2),
            vec![
                PathBuf::from("out/follows-1.csv"),
                PathBuf::from("out/follows-2.csv")
            ]
        );
    }

    #[test]
    fn a_long_block_list_is_split_into_files_mastodon_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("blocked.csv");
        let many = (0..MAX_ROWS + 1).map(|n| handle(&format!("u{n:05}@big.example")));
        let written = write_files(ImportKind::Blocking, &path, many).unwrap();
        let counts: Vec<usize> = written.iter().map(|(_, rows)| *rows).collect();
        assert_eq!(counts, [MAX_ROWS, 1]);
        let first = std::fs::read_to_string(&written[0].0).unwrap();
        assert_eq!(first.lines().count(), MAX_ROWS, "no header line");
        assert!(
            first.starts_with("u00000@big.example\n"),
            "{}",
            &first[..40]
        );
        let second = std::fs::read_to_string(dir.path().join("blocked-2.csv")).unwrap();
        assert_eq!(second, "u20000@big.example\n");
    }

    #[test]
    fn an_empty_list_still_writes_a_header_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        let written = write_files(ImportKind::Following, &path, Vec::new()).unwrap();
        assert_eq!(written, vec![(path.clone(), 0)]);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .starts_with("Account address,")
        );
    }
}
