//! Timing shared by the benchmarks that run a command: its best wall time and its peak memory,
//! through `/usr/bin/time` (Debian's `time` package). Included with `#[path]` (a bench target
//! is its own crate).

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
