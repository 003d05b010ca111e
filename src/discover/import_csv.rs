//! Mastodon's follow-import file: `Account address,Show boosts,Notify on new posts,Languages`.
//!
//! Mastodon (Settings → Import and export → Import, type "Following") reads this exact header,
//! strips a leading `@`, and refuses files over 20,000 rows, so long lists are split into
//! numbered files. Rows are deduplicated and sorted, so reruns produce identical files.

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

/// Mastodon's row limit per import file.
pub const MAX_ROWS: usize = 20_000;

/// Deduplicated, sorted accounts, cut into chunks Mastodon accepts.
pub fn chunks(handles: impl IntoIterator<Item = Handle>) -> Vec<Vec<Handle>> {
    let unique: BTreeSet<Handle> = handles.into_iter().collect();
    let all: Vec<Handle> = unique.into_iter().collect();
    all.chunks(MAX_ROWS).map(<[Handle]>::to_vec).collect()
}

/// Writes one import file: the header, then `user@host,true,false,` per account.
pub fn write(rows: &[Handle], out: impl Write) -> io::Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    csv.write_record(HEADER).map_err(io::Error::other)?;
    for handle in rows {
        csv.write_record([handle.to_string().as_str(), "true", "false", ""])
            .map_err(io::Error::other)?;
    }
    csv.flush()
}

/// The file names for `count` chunks: `PATH` itself for one, else `STEM-1.EXT`, `STEM-2.EXT`…
pub fn paths(path: &Path, count: usize) -> Vec<PathBuf> {
    if count <= 1 {
        return vec![path.to_path_buf()];
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "following_accounts".into());
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "csv".into());
    (1..=count)
        .map(|n| path.with_file_name(format!("{stem}-{n}.{ext}")))
        .collect()
}

/// Writes the import file(s) atomically; returns each path with its row count.
pub fn write_files(
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
    for (rows, file) in chunks.iter().zip(paths(path, chunks.len())) {
        crate::atomic::write(&file, false, |out| write(rows, out))?;
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

    #[test]
    fn writes_the_exact_header_and_sorted_unique_rows() {
        let rows = chunks([
            handle("bob@b.example"),
            handle("Alice@A.example"),
            handle("bob@b.example"),
        ]);
        let mut out = Vec::new();
        write(&rows[0], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Account address,Show boosts,Notify on new posts,Languages\n\
             alice@a.example,true,false,\n\
             bob@b.example,true,false,\n"
        );
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
        assert_eq!(paths(base, 1), vec![PathBuf::from("out/follows.csv")]);
        assert_eq!(
            paths(base, 2),
            vec![
                PathBuf::from("out/follows-1.csv"),
                PathBuf::from("out/follows-2.csv")
            ]
        );
    }

    #[test]
    fn an_empty_list_still_writes_a_header_only_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        let written = write_files(&path, Vec::new()).unwrap();
        assert_eq!(written, vec![(path.clone(), 0)]);
        assert!(
            std::fs::read_to_string(&path)
                .unwrap()
                .starts_with("Account address,")
        );
    }
}
