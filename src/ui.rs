//! Talking to the person at the terminal: messages and warnings on stderr, progress bars only
//! on a terminal, prompts only when stdin is a terminal and `--no-input` is not set.
//!
//! Data never goes through here: commands write their results to stdout (or `-o FILE`).

use std::fmt::Display;
use std::io::{BufRead, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How chatty to be and what the terminal allows.
#[derive(Debug, Clone)]
pub struct Ui {
    quiet: bool,
    no_input: bool,
    stderr_tty: bool,
    stdin_tty: bool,
}

impl Ui {
    /// Reads the terminal state of the current process.
    pub fn new(quiet: bool, no_input: bool) -> Self {
        Self {
            quiet,
            no_input,
            stderr_tty: std::io::stderr().is_terminal(),
            stdin_tty: std::io::stdin().is_terminal(),
        }
    }

    /// A status line on stderr (suppressed by `--quiet`).
    pub fn info(&self, msg: impl Display) {
        if !self.quiet {
            eprintln!("{msg}");
        }
    }

    /// A warning on stderr; shown even with `--quiet`, since it says something was skipped.
    /// One line, cleaned for the terminal: warnings quote names an archive or a server chose.
    pub fn warn(&self, msg: impl Display) {
        eprintln!("warning: {}", crate::sanitize::clean(&msg.to_string()));
    }

    /// True when the user can be asked a question.
    pub fn can_prompt(&self) -> bool {
        self.stdin_tty && !self.no_input
    }

    /// True when stderr is a terminal we may draw on.
    pub fn is_interactive(&self) -> bool {
        self.stderr_tty && !self.quiet
    }

    /// Asks a yes/no question on stderr; the answer defaults to `default` on an empty line.
    pub fn confirm(&self, question: &str, default: bool) -> std::io::Result<bool> {
        let hint = if default { "[Y/n]" } else { "[y/N]" };
        eprint!("{question} {hint} ");
        std::io::stderr().flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(match line.trim().to_ascii_lowercase().as_str() {
            "" => default,
            answer => answer.starts_with('y'),
        })
    }

    /// Reads one line from the terminal after a prompt on stderr.
    pub fn prompt_line(&self, prompt: &str) -> std::io::Result<String> {
        eprint!("{prompt}");
        std::io::stderr().flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        Ok(line.trim().to_string())
    }

    /// A progress bar on stderr, hidden unless stderr is a terminal and `--quiet` is off.
    pub fn progress(&self, len: Option<u64>, what: &str) -> ProgressBar {
        let bar = match len {
            Some(len) => ProgressBar::new(len),
            None => ProgressBar::new_spinner(),
        };
        if !self.is_interactive() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
            return bar;
        }
        let template = if len.is_some() {
            "{msg} [{bar:30}] {pos}/{len} ({eta})"
        } else {
            "{spinner} {msg} {pos}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        bar
    }
}

/// A count with thousands separators, as people read them: `1,204`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn counts_get_separators() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1204, "1,204"),
            (2_345_678, "2,345,678"),
        ] {
            assert_eq!(thousands(n), want);
        }
    }
}
