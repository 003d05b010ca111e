//! `fedimigrate handles`: print the fediverse handles found in any text, one per line, or as
//! JSONL with the rule and the matched text. The same extractor `find` runs over profiles.
//!
//! Reads the whole input at once (the extractor needs each line's context, and inputs are
//! bios, not logs). Never touches the network.

use std::io::{BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use super::Env;
use crate::discover::extract::ignored_by_bridges;
use crate::discover::{Bridge, Candidate, ExtractOptions, Field, Handle, Rule, extract};
use crate::exit::Outcome;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    /// The text to scan; `None` reads standard input.
    pub input: Option<PathBuf>,
    /// Print JSONL instead of bare handles.
    pub json: bool,
    /// Bridges to map other networks' accounts through.
    pub bridges: Vec<Bridge>,
}

/// Why the input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {name}: {source}")]
    Read {
        name: String,
        source: std::io::Error,
    },
    #[error("{name} is not UTF-8 text")]
    NotUtf8 { name: String },
}

/// One line of `--json` output. The field names are a stable interface for scripts.
#[derive(Debug, Serialize)]
struct JsonLine<'a> {
    handle: &'a Handle,
    rule: Rule,
    matched: &'a str,
    bridge: Option<Bridge>,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    if config.input.is_none() && std::io::stdin().is_terminal() {
        env.ui
            .info("reading the text to scan from the terminal; end it with Ctrl-D");
    }
    let text = read_input(config.input.as_deref())?;
    let opts = ExtractOptions {
        bridges: config.bridges,
    };
    let candidates = extract(&text, Field::Text, &opts);
    let mut out = BufWriter::new(crate::stdout::lock());
    write_candidates(&mut out, &candidates, config.json).context("writing the results")?;
    out.flush().context("writing the results")?;
    if candidates.is_empty() {
        env.ui.info("no fediverse handles found");
    }
    if let Some(hint) = bridge_hint(&ignored_by_bridges(&text, Field::Text, &opts)) {
        env.ui.info(hint);
    }
    Ok(Outcome::Done)
}

/// A line on what the bridges left off would have added, if anything.
fn bridge_hint(ignored: &[Candidate]) -> Option<String> {
    let count = ignored
        .iter()
        .filter(|c| c.bridge == Some(Bridge::Bluesky))
        .count();
    match count {
        0 => None,
        1 => Some(
            "1 Bluesky handle ignored; add --bridges bluesky to map it to its Bridgy Fed address"
                .to_string(),
        ),
        n => Some(format!(
            "{n} Bluesky handles ignored; add --bridges bluesky to map them to their Bridgy Fed \
             addresses"
        )),
    }
}

/// The input as text: the file, or standard input when there is none.
fn read_input(path: Option<&Path>) -> Result<String, InputError> {
    let (name, bytes) = match path {
        Some(path) => {
            let name = path.display().to_string();
            match std::fs::read(path) {
                Ok(bytes) => (name, bytes),
                Err(source) => return Err(InputError::Read { name, source }),
            }
        }
        None => {
            let name = "standard input".to_string();
            let mut bytes = Vec::new();
            if let Err(source) = std::io::stdin().lock().read_to_end(&mut bytes) {
                return Err(InputError::Read { name, source });
            }
            (name, bytes)
        }
    };
    String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { name })
}

/// Prints the candidates: bare `user@host` lines, or one JSON object per line.
fn write_candidates(
    out: &mut impl Write,
    candidates: &[Candidate],
    json: bool,
) -> std::io::Result<()> {
    for candidate in candidates {
        if json {
            let line = JsonLine {
                handle: &candidate.handle,
                rule: candidate.rule,
                matched: &candidate.matched,
                bridge: candidate.bridge,
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", candidate.handle)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bridge_hint_counts_what_was_left_off() {
        let none = ExtractOptions::default();
        let hint = |text: &str| bridge_hint(&ignored_by_bridges(text, Field::Text, &none));
        assert_eq!(hint("@a@mastodon.social"), None);
        assert_eq!(
            hint("🦋 alice.bsky.social").as_deref(),
            Some(
                "1 Bluesky handle ignored; add --bridges bluesky to map it to its Bridgy Fed address"
            )
        );
        assert_eq!(
            hint("a.bsky.social b.bsky.social").as_deref(),
            Some(
                "2 Bluesky handles ignored; add --bridges bluesky to map them to their Bridgy \
                 Fed addresses"
            )
        );
    }

    #[test]
    fn json_lines_have_the_documented_fields() {
        let candidates = extract(
            "hi @Alice@Mastodon.Social",
            Field::Text,
            &ExtractOptions::default(),
        );
        let mut out = Vec::new();
        write_candidates(&mut out, &candidates, true).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "{\"handle\":\"alice@mastodon.social\",\"rule\":\"acct-at\",\
             \"matched\":\"@Alice@Mastodon.Social\",\"bridge\":null}\n"
        );
    }
}
