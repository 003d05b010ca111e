//! Hermetic helpers: run the real binary with a clean environment and a temporary config dir.

#![allow(dead_code)] // each test module uses a different subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The path of the built `fedimigrate` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fedimigrate"))
}

/// A command for the binary with no inherited configuration, tokens or colours.
pub fn command(config_dir: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", config_dir)
        .env("FEDIMIGRATE_CONFIG_DIR", config_dir.join("config"))
        .env("FEDIMIGRATE_CACHE_DIR", config_dir.join("cache"))
        .env("FEDIMIGRATE_DATA_DIR", config_dir.join("data"))
        .env("NO_COLOR", "1");
    cmd
}

/// Runs the binary with `args` in a fresh temporary home and returns its output.
pub fn run(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    command(home.path())
        .args(args)
        .output()
        .expect("run fedimigrate")
}

/// stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_lists_every_command_and_exits_zero() {
    let out = run(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    for cmd in [
        "inspect", "export", "handles", "find", "login", "logout", "whoami",
    ] {
        assert!(text.contains(cmd), "{cmd} missing from --help");
    }
}

#[test]
fn a_usage_error_exits_two() {
    let out = run(&["inspect"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--resolve", "nonsense", "whoami"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_full_disk_behind_standard_output_is_one_plain_sentence() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        return; // only Linux has a device that is always full
    }
    let home = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/sample-archive.zip");
    let out = command(home.path())
        .args(["inspect", "--json"])
        .arg(&sample)
        .stdout(std::fs::File::create(full).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.starts_with("error: cannot write to standard output: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// A small LCG: random enough for kill times, repeatable from the printed seed.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn from_clock() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(7);
        Self(u64::from(nanos) | 1)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}
