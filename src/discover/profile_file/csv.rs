//! Profile files as CSV (or TSV, or semicolon-separated as spreadsheets in many locales save
//! them): a header row naming the columns, one account per row. Every row must have as many
//! cells as the header: a row that does not is reported with its line, since it usually
//! means the file is not the CSV it seems to be.

use super::columns::{self, Column};
use super::{ProfileFile, ProfileFileError, Skipped};
use crate::discover::profile::{Profile, ProfileSource};

/// The mapped columns of a header: (cell index, column, rank), best rank first.
type Mapping = Vec<(usize, Column, usize)>;

/// Reads every row of a CSV text.
pub fn parse(text: &str, file: &str) -> Result<ProfileFile, ProfileFileError> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(file, &e))?.clone();
    let mapping = mapping(&header);
    if !mapping
        .iter()
        .any(|(_, c, _)| matches!(c, Column::Id | Column::Username))
    {
        return Err(ProfileFileError::NoKeyColumn {
            file: file.to_string(),
            found: header.iter().collect::<Vec<_>>().join(", "),
        });
    }
    let mut profiles = Vec::new();
    let mut skipped = Vec::new();
    let mut bad_ids: Vec<(usize, String)> = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| csv_error(file, &e))?;
        let line = row.position().map_or(0, |p| p.line() as usize);
        let source = ProfileSource::File {
            file: file.to_string(),
            record: line,
        };
        let profile = profile(&row, &mapping, source);
        if let Some(cell) = bad_id(&row, &mapping, &profile) {
            bad_ids.push((line, cell));
        }
        if profile.id.is_none() && profile.username.is_none() {
            skipped.push(Skipped::new(line, "no account id and no username"));
        } else {
            profiles.push(profile);
        }
    }
    let notes = bad_ids
        .first()
        .map(|(line, cell)| {
            format!(
                "{file}: {} id cell(s) are not account ids (first: line {line}, `{cell}`); \
                 a spreadsheet may have rounded them: save the ids as text",
                bad_ids.len()
            )
        })
        .into_iter()
        .collect();
    Ok(ProfileFile {
        format: super::Format::Csv,
        profiles,
        skipped,
        notes,
    })
}

/// The id cell of a row whose id could not be read (e.g. `1.23457E+18` from a spreadsheet).
fn bad_id(row: &csv::StringRecord, mapping: &Mapping, profile: &Profile) -> Option<String> {
    if profile.id.is_some() {
        return None;
    }
    mapping
        .iter()
        .filter(|(_, column, _)| *column == Column::Id)
        .filter_map(|&(index, _, _)| row.get(index))
        .map(str::trim)
        .find(|cell| !cell.is_empty())
        .map(String::from)
}

/// The separator the header line uses most: `,`, `;` or a tab.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (header.bytes().filter(|&b| b == d).count(), d == b','))
        .unwrap_or(b',')
}

/// Which cells fill which fields.
fn mapping(header: &csv::StringRecord) -> Mapping {
    let mut mapping: Mapping = header
        .iter()
        .enumerate()
        .filter_map(|(i, name)| columns::column_of(name).map(|(c, rank)| (i, c, rank)))
        .collect();
    mapping.sort_by_key(|&(i, _, rank)| (rank, i));
    mapping
}

/// One row as a profile.
fn profile(row: &csv::StringRecord, mapping: &Mapping, source: ProfileSource) -> Profile {
    let mut profile = Profile::new(source);
    for &(index, column, _) in mapping {
        if let Some(cell) = row.get(index) {
            fill(&mut profile, column, cell);
        }
    }
    profile
}

/// Puts one cell into the profile, unless a better-named column already did.
pub(super) fn fill(profile: &mut Profile, column: Column, cell: &str) {
    let set = |slot: &mut Option<String>, value: Option<String>| {
        if slot.is_none() {
            *slot = value;
        }
    };
    match column {
        Column::Id => set(&mut profile.id, columns::account_id(cell)),
        Column::Username => set(&mut profile.username, columns::username(cell)),
        Column::Name => set(&mut profile.display_name, columns::text(cell)),
        Column::Description => set(&mut profile.description, columns::text(cell)),
        Column::Location => set(&mut profile.location, columns::text(cell)),
        Column::Pinned => set(&mut profile.pinned_text, columns::text(cell)),
        Column::Url => match (&profile.url, columns::text(cell)) {
            (None, value) => profile.url = value,
            (Some(_), Some(extra)) => profile.expanded_urls.push(extra),
            (Some(_), None) => {}
        },
        Column::Urls => profile.expanded_urls.extend(columns::url_list(cell)),
    }
}

fn csv_error(file: &str, err: &csv::Error) -> ProfileFileError {
    let line = err.position().map_or(0, |p| p.line() as usize);
    let message = match err.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_string(),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "the row has {len} cell(s) but the header has {expected_len}; \
             an unclosed quote (\") can cause this"
        ),
        _ => err
            .to_string()
            .trim_start_matches("CSV error: ")
            .to_string(),
    };
    ProfileFileError::Csv {
        file: file.to_string(),
        line,
        message,
    }
}
