//! Timing shared by the benchmarks that run a command: its best wall time and its peak memory,
//! through `/usr/bin/time` (Debian's `time` package); and the `TABLE` lines from which
//! `benches/table.sh` makes the one benchmark table. Included with `#[path]` (a bench target
//! is its own crate, and not every bench uses every function).
#![allow(dead_code)]

use std::process::Command;

/// Best wall time (s) and highest peak RSS (KiB) of `runs` runs of a shell command.
pub fn best_of(runs: usize, shell: &str) -> (f64, u64) {
    let mut best = f64::MAX;
    let mut peak = 0;
    for _ in 0..runs {
        let out = Command::new("/usr/bin/time")
            .args(["-f", "%e %M", "sh", "-c", shell])
            .output();
        let Ok(out) = out else {
            eprintln!("cannot run /usr/bin/time (apt-get install time)");
            std::process::exit(1);
        };
        if !out.status.success() {
            eprintln!("`{shell}` failed: {}", String::from_utf8_lossy(&out.stderr));
            std::process::exit(1);
        }
        let text = String::from_utf8_lossy(&out.stderr);
        let mut fields = text.lines().last().unwrap_or("").split_whitespace();
        let wall: f64 = fields
            .next()
            .and_then(|f| f.parse().ok())
            .unwrap_or(f64::MAX);
        let rss: u64 = fields.next().and_then(|f| f.parse().ok()).unwrap_or(0);
        best = best.min(wall);
        peak = peak.max(rss);
    }
    (best, peak)
}

/// One row of the benchmark table, as a line `benches/table.sh` collects: what was measured,
/// the result, the goal (may be empty) and the command that reruns the row.
pub fn table_row(row: &str, measured: &str, goal: &str, rerun: &str) {
    println!("TABLE\t{row}\t{measured}\t{goal}\t{rerun}");
}

/// 71234.5 → "71,235".
pub fn thousands(n: f64) -> String {
    let digits = format!("{n:.0}");
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && c.is_ascii_digit() && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
