//! What to follow, block or mute, read from the file the user gives: `find`'s `--json` or
//! `--jsonl` output, Mastodon's import/export CSVs (following with its options, blocked, muted),
//! or a plain list of handles, one a line. The format is recognised from the content, never
//! from the file name, so `find … --jsonl | fedimigrate follow -` works.
//!
//! Pure: bytes in, [`Input`] out. Lines that name no account are kept as [`Unreadable`], so
//! the plan can say which lines were skipped instead of failing the whole file.

use serde::Deserialize;

use crate::discover::Handle;

/// The formats recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// `fedimigrate find --json`: one document with `accounts`.
    FindJson,
    /// `fedimigrate find --jsonl`: one account per line.
    FindJsonl,
    /// Mastodon's CSV with a header (`Account address,…`): follows or mutes.
    MastodonCsv,
    /// One handle (or profile URL) per line; also Mastodon's header-less blocked accounts CSV.
    Plain,
}

impl Format {
    /// How the format is named in messages.
    pub fn describe(self) -> &'static str {
        match self {
            Format::FindJson => "find's JSON",
            Format::FindJsonl => "find's JSON Lines",
            Format::MastodonCsv => "a Mastodon CSV",
            Format::Plain => "a list of handles",
        }
    }
}

/// How far an address is vouched for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Trust {
    /// `find` could not confirm it (any state but verified or moved; the state is kept).
    Unverified { state: String },
    /// The user listed it (CSV or plain list): taken as meant.
    Listed,
    /// The new address of an account `find` saw move.
    Moved,
    /// `find` confirmed it with WebFinger.
    Verified,
}

impl Trust {
    /// True for addresses acted on without `--include-unverified`.
    pub fn is_trusted(&self) -> bool {
        !matches!(self, Trust::Unverified { .. })
    }
}

/// Per-row options from Mastodon's CSVs; `None` keeps the command's (or server's) default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowOptions {
    pub reblogs: Option<bool>,
    pub notify: Option<bool>,
    pub languages: Option<Vec<String>>,
    /// Muted CSV: `Hide notifications`.
    pub hide_notifications: Option<bool>,
}

/// One address to act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub handle: Handle,
    pub trust: Trust,
    /// Where it came from: the line (1-based) of the file.
    pub line: usize,
    pub options: RowOptions,
    /// The Twitter username it was found for (find's output), for messages.
    pub twitter: Option<String>,
}

/// A line that names no account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub line: usize,
    pub why: String,
}

/// The parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub format: Format,
    /// The archive list find matched (`following`, `blocks`, `mutes`), when the file says.
    pub relation: Option<String>,
    pub entries: Vec<Entry>,
    pub unreadable: Vec<Unreadable>,
}

/// Why a file cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("it is empty")]
    Empty,
    #[error(
        "it is not UTF-8 text (byte {0}); expected find's JSON/JSONL, a Mastodon CSV or a list of handles"
    )]
    NotText(usize),
    #[error("it looks like JSON but is not find's output ({0})")]
    NotFindJson(String),
}

/// Reads a file's bytes in whichever format they are.
pub fn parse(bytes: &[u8]) -> Result<Input, InputError> {
    let text = std::str::from_utf8(bytes).map_err(|err| InputError::NotText(err.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.trim_start().chars().next().ok_or(InputError::Empty)?;
    match first {
        '{' | '[' => parse_json(text),
        _ if is_csv_header(first_line(text)) => Ok(parse_csv(text)),
        _ => Ok(parse_plain(text)),
    }
}

fn first_line(text: &str) -> &str {
    text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
}

fn is_csv_header(line: &str) -> bool {
    line.trim()
        .trim_start_matches('"')
        .to_ascii_lowercase()
        .starts_with("account address")
}

/// One account of find's output (only what is needed).
#[derive(Debug, Deserialize)]
struct FoundAccount {
    #[serde(default)]
    username: Option<String>,
    /// `following`, `blocks` or `mutes` (find's `--relation`), when it says.
    #[serde(default)]
    relation: Option<String>,
    /// Required: it is what tells find's records from other JSON.
    candidates: Vec<FoundCandidate>,
}

#[derive(Debug, Deserialize)]
struct FoundCandidate {
    handle: String,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    canonical: Option<String>,
    #[serde(default)]
    moved_to: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FindDocument {
    #[serde(default)]
    relation: Option<String>,
    accounts: Vec<FoundAccount>,
}

fn parse_json(text: &str) -> Result<Input, InputError> {
    let trimmed = text.trim();
    if trimmed.starts_with('[') {
        let accounts: Vec<FoundAccount> = serde_json::from_str(trimmed)
            .map_err(|err| InputError::NotFindJson(err.to_string()))?;
        return Ok(from_accounts(
            Format::FindJson,
            accounts.into_iter().map(|a| (1, a)),
        ));
    }
    if let Ok(doc) = serde_json::from_str::<FindDocument>(trimmed) {
        let mut input = from_accounts(Format::FindJson, doc.accounts.into_iter().map(|a| (1, a)));
        input.relation = input.relation.or(doc.relation);
        return Ok(input);
    }
    let input = parse_jsonl(text);
    let lines = trimmed.lines().filter(|l| !l.trim().is_empty()).count();
    if input.unreadable.len() == lines {
        let why = input.unreadable.first().map(|u| u.why.clone());
        return Err(InputError::NotFindJson(why.unwrap_or_default()));
    }
    Ok(input)
}

fn parse_jsonl(text: &str) -> Input {
    let mut accounts = Vec::new();
    let mut unreadable = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<FoundAccount>(line) {
            Ok(account) => accounts.push((index + 1, account)),
            Err(err) => unreadable.push(Unreadable {
                line: index + 1,
                why: format!(
                    "not an account of find's output ({})",
                    short(&err.to_string())
                ),
            }),
        }
    }
    let mut input = from_accounts(Format::FindJsonl, accounts.into_iter());
    input.unreadable.extend(unreadable);
    input.unreadable.sort_by_key(|u| u.line);
    input
}

fn from_accounts(format: Format, accounts: impl Iterator<Item = (usize, FoundAccount)>) -> Input {
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    let mut relation = None;
    for (line, account) in accounts {
        relation = relation.or(account.relation.clone());
        for candidate in account.candidates {
            match entry_of(&candidate, line, account.username.clone()) {
                Ok(entry) => entries.push(entry),
                Err(why) => unreadable.push(Unreadable { line, why }),
            }
        }
    }
    Input {
        format,
        relation,
        entries,
        unreadable,
    }
}

/// The address to act on for one of find's candidates: the confirmed one, the new one of a
/// moved account, or the candidate itself (unverified).
fn entry_of(
    candidate: &FoundCandidate,
    line: usize,
    twitter: Option<String>,
) -> Result<Entry, String> {
    let state = candidate
        .state
        .clone()
        .unwrap_or_else(|| "unverified".into());
    let (text, trust) = match state.as_str() {
        "verified" => (
            candidate.canonical.as_deref().unwrap_or(&candidate.handle),
            Trust::Verified,
        ),
        "moved" => match candidate.moved_to.as_deref().filter(|to| !to.contains('/')) {
            Some(to) => (to, Trust::Moved),
            None => (
                candidate.handle.as_str(),
                Trust::Unverified {
                    state: "moved (new address unknown)".into(),
                },
            ),
        },
        _ => (candidate.handle.as_str(), Trust::Unverified { state }),
    };
    let handle = text
        .parse::<Handle>()
        .map_err(|err| format!("{err} (candidate of find's output)"))?;
    Ok(Entry {
        handle,
        trust,
        line,
        options: RowOptions::default(),
        twitter,
    })
}

/// Mastodon's CSVs with a header: `Account address,Show boosts,Notify on new posts,Languages`
/// (following) or `Account address,Hide notifications` (muted).
fn parse_csv(text: &str) -> Input {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(|c| c.to_ascii_lowercase()).collect())
        .unwrap_or_default();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let columns = Columns {
        reblogs: column("show boosts"),
        notify: column("notify on new posts"),
        languages: column("languages"),
        hide: column("hide notifications"),
    };
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    for record in reader.records() {
        let line = |r: &csv::StringRecord| r.position().map_or(0, |p| p.line() as usize);
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let at = err.position().map_or(0, |p| p.line() as usize);
                unreadable.push(Unreadable {
                    line: at,
                    why: short(&err.to_string()),
                });
                continue;
            }
        };
        let at = line(&record);
        let address = record.get(0).unwrap_or("");
        if address.is_empty() {
            continue;
        }
        match read_address(address) {
            Ok(handle) => entries.push(Entry {
                handle,
                trust: Trust::Listed,
                line: at,
                options: columns.options(&record),
                twitter: None,
            }),
            Err(why) => unreadable.push(Unreadable { line: at, why }),
        }
    }
    // Mastodon's header names the list: its muted-accounts file, or its following file.
    let relation = if columns.hide.is_some() {
        Some("mutes".to_string())
    } else if columns.reblogs.is_some() || columns.notify.is_some() {
        Some("following".to_string())
    } else {
        None
    };
    Input {
        format: Format::MastodonCsv,
        relation,
        entries,
        unreadable,
    }
}

struct Columns {
    reblogs: Option<usize>,
    notify: Option<usize>,
    languages: Option<usize>,
    hide: Option<usize>,
}

impl Columns {
    fn options(&self, record: &csv::StringRecord) -> RowOptions {
        let cell = |at: Option<usize>| at.and_then(|i| record.get(i)).filter(|c| !c.is_empty());
        let flag = |at: Option<usize>| cell(at).and_then(parse_bool);
        RowOptions {
            reblogs: flag(self.reblogs),
            notify: flag(self.notify),
            languages: cell(self.languages).map(|text| {
                text.split([',', ' '])
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_ascii_lowercase)
                    .collect()
            }),
            hide_notifications: flag(self.hide),
        }
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Some(true),
        "false" | "0" | "no" => Some(false),
        _ => None,
    }
}

/// One handle (or profile URL) per line; `#` starts a comment; a CSV line's first cell counts.
fn parse_plain(text: &str) -> Input {
    let mut entries = Vec::new();
    let mut unreadable = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        let first = line.split([',', '\t']).next().unwrap_or("").trim();
        let first = first.trim_matches('"');
        if first.is_empty() {
            continue;
        }
        match read_address(first) {
            Ok(handle) => entries.push(Entry {
                handle,
                trust: Trust::Listed,
                line: index + 1,
                options: RowOptions::default(),
                twitter: None,
            }),
            Err(why) => unreadable.push(Unreadable {
                line: index + 1,
                why,
            }),
        }
    }
    Input {
        format: Format::Plain,
        relation: None,
        entries,
        unreadable,
    }
}

/// `user@host`, `@user@host`, `acct:user@host`, or a profile URL `https://host/@user`.
pub fn read_address(text: &str) -> Result<Handle, String> {
    if let Some(handle) = profile_url(text) {
        return Ok(handle);
    }
    text.parse::<Handle>().map_err(|err| err.to_string())
}

fn profile_url(text: &str) -> Option<Handle> {
    let url = url::Url::parse(text).ok()?;
    if !matches!(url.scheme(), "https" | "http") {
        return None;
    }
    let host = url.host_str()?;
    let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
    let first = segments.next()?;
    let user = match first.strip_prefix('@') {
        Some(user) => user,
        None if first == "users" || first == "u" => segments.next()?,
        None => return None,
    };
    if segments.next().is_some() {
        return None;
    }
    match user.split_once('@') {
        Some((user, other)) => Handle::new(user, other).ok(),
        None => Handle::new(user, host).ok(),
    }
}

fn short(text: &str) -> String {
    let cut: String = text.chars().take(120).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
mod tests;
