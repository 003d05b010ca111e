//! Writes the committed fixture archives into `fixtures/` (run from the repository root):
//!
//! ```sh
//! cargo run --example make-fixtures
//! ```
//!
//! The builder and the scenes are the ones the integration tests use, so a test fails when
//! a committed fixture no longer matches what the builder makes.

#[path = "../tests/it/archive/builder.rs"]
mod builder;
#[path = "../tests/it/archive/scenes.rs"]
mod scenes;

use std::path::Path;

fn main() -> std::io::Result<()> {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    std::fs::create_dir_all(&out)?;
    let (sample, _) = scenes::sample();
    sample.build().write_zip(&out.join("sample-archive.zip"))?;
    scenes::ytd2019()
        .0
        .write_zip(&out.join("ytd-2019-archive.zip"))?;
    scenes::grailbird()
        .0
        .write_zip(&out.join("grailbird-archive.zip"))?;
    scenes::grailbird_csv()
        .0
        .write_zip(&out.join("grailbird-csv-archive.zip"))?;
    std::fs::write(
        out.join("sample-profiles.csv"),
        scenes::sample_profiles_csv(),
    )?;
    for name in [
        "sample-archive.zip",
        "ytd-2019-archive.zip",
        "grailbird-archive.zip",
        "grailbird-csv-archive.zip",
        "sample-profiles.csv",
    ] {
        let size = std::fs::metadata(out.join(name))?.len();
        println!("fixtures/{name}: {size} bytes");
    }
    Ok(())
}
