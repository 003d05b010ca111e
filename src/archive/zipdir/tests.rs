//! The compact directory against the `zip` crate's own.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use super::*;

/// Writes `bytes` to a temporary file and opens it.
fn file_of(bytes: &[u8], name: &str) -> (tempfile::TempDir, PosFile) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let file = PosFile::open(&path).unwrap();
    (dir, file)
}

/// Fails unless `read` lists what `ZipArchive` lists, offsets and checksums included.
fn same_as_the_crate(bytes: &[u8]) -> usize {
    let (_dir, file) = file_of(bytes, "a.zip");
    let ours = list(&file).unwrap();
    let theirs = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    assert_eq!(ours.len(), theirs.len());
    for (i, listed) in ours.iter().enumerate() {
        let entry = theirs.by_index_data(i).unwrap();
        let name = String::from_utf8_lossy(entry.name_raw()).replace('\\', "/");
        assert_eq!(listed.name, name);
        assert_eq!(listed.is_dir, entry.is_dir(), "{name}");
        assert_eq!(listed.stored.size, entry.size(), "{name}");
        assert_eq!(listed.stored.compressed, entry.compressed_size(), "{name}");
        assert_eq!(listed.stored.crc, entry.crc32(), "{name}");
        assert_eq!(listed.stored.header_start, entry.header_start(), "{name}");
    }
    ours.len()
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in files {
        if name.ends_with('/') {
            writer
                .add_directory(*name, SimpleFileOptions::default())
                .unwrap();
        } else {
            writer
                .start_file(*name, SimpleFileOptions::default())
                .unwrap();
            writer.write_all(body).unwrap();
        }
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn the_fixture_archives_list_as_the_crate_lists_them() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut total = 0;
    for name in [
        "sample-archive.zip",
        "ytd-2019-archive.zip",
        "grailbird-archive.zip",
        "grailbird-csv-archive.zip",
    ] {
        total += same_as_the_crate(&std::fs::read(dir.join(name)).unwrap());
    }
    assert!(total > 50, "{total}");
}

#[test]
fn folders_stubs_and_comments() {
    let bytes = zip_of(&[
        ("data/", b""),
        ("data/a.js", b"[1]"),
        ("data\\b.js", b"[2]"),
    ]);
    assert_eq!(same_as_the_crate(&bytes), 3);
    // A self-extracting stub before the zip shifts every offset.
    let mut stubbed = vec![b'#'; 1000];
    stubbed.extend_from_slice(&bytes);
    same_as_the_crate(&stubbed);
    let (_dir, file) = file_of(&stubbed, "s.zip");
    assert_eq!(list(&file).unwrap()[1].stored.header_start, 1000 + 35);
}

#[test]
fn more_entries_than_zip32_holds_use_the_zip64_records() {
    let names: Vec<String> = (0..70_000).map(|i| format!("m/{i}.png")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let bytes = zip_of(&files);
    assert_eq!(same_as_the_crate(&bytes), 70_000);
}

#[test]
fn cut_or_garbled_zips_are_errors_never_panics() {
    let bytes = zip_of(&[("data/a.js", &[7u8; 3000][..]), ("data/b.js", b"[]")]);
    for cut in (0..bytes.len()).step_by(7) {
        let (_dir, file) = file_of(&bytes[..cut], "c.zip");
        let _ = list(&file);
    }
    let end = bytes.len() - 22;
    for at in end - 120..bytes.len() {
        for value in [0u8, 0xFF, 0x50] {
            let mut broken = bytes.clone();
            broken[at] = value;
            let (_dir, file) = file_of(&broken, "g.zip");
            if let Ok(listed) = list(&file) {
                assert!(listed.len() <= 2);
            }
        }
    }
    let (_dir, file) = file_of(b"not a zip at all", "n.zip");
    assert!(matches!(list(&file), Err(Broken::NoEnd)));
}

#[test]
fn an_info_zip_unicode_path_names_the_entry_as_the_crate_does() {
    // WinZip and others store a legacy name (here `é` in code page 437) and the UTF-8 one in
    // extra field 0x7075, with the checksum of the legacy name.
    let legacy = b"data/caf\x82.txt";
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (placeholder, crc) in [
        ("data/cafe.txt", crc32fast::hash(legacy)),
        ("data/cafu.txt", 7),
    ] {
        let mut field = vec![1];
        field.extend_from_slice(&crc.to_le_bytes());
        field.extend_from_slice("data/café.txt".as_bytes());
        let mut options = zip::write::FullFileOptions::default();
        options.add_extra_field(0x7075, field, false).unwrap();
        writer.start_file(placeholder, options).unwrap();
        writer.write_all(b"[]").unwrap();
    }
    let mut bytes = writer.finish().unwrap().into_inner();
    for i in 0..bytes.len() - legacy.len() {
        if &bytes[i..i + legacy.len()] == b"data/cafe.txt" {
            bytes[i..i + legacy.len()].copy_from_slice(legacy);
        }
    }
    assert_eq!(same_as_the_crate(&bytes), 2);
    let (_dir, file) = file_of(&bytes, "u.zip");
    let names: Vec<String> = list(&file).unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["data/café.txt", "data/cafu.txt"]);
}
