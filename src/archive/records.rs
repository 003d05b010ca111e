//! Reading the records of one data type, whatever the file's size or state.
//!
//! Every file is streamed record by record (see `jsfile`). A small file (under 1 MB: account,
//! profile, lists, most relation files) that is not valid JSON is then read whole and parsed
//! again leniently (a hand-edited JavaScript object literal), with a warning. Records
//! may be wrapped (`{"following": {…}}`) or bare.

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use serde::de::DeserializeOwned;

use super::error::{ArchiveError, Place};
use super::jsfile::{self, Fail, Parsed, Records, Step};
use super::lenient;
use super::source::{Entry, Source};

/// Files up to this size are read whole, which allows the lenient fallback.
const SMALL: u64 = 1 << 20;

/// What reading one file produced besides the records.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Records handed to the caller.
    pub count: u64,
    /// Set when the file was only readable leniently.
    pub warning: Option<String>,
}

/// Feeds every record of `entry` (unwrapped from `{"<key>": …}`) to `f`.
pub fn each<T, E>(
    source: &Source,
    entry: &Entry,
    key: &str,
    mut f: impl FnMut(T) -> Result<ControlFlow<()>, E>,
) -> Result<Outcome, E>
where
    T: DeserializeOwned,
    E: From<ArchiveError>,
{
    let place = source.place(entry);
    if entry.size <= SMALL {
        // A valid file is streamed like a big one (its whole JSON tree would take several
        // times its size); only one that is not valid JSON is read whole, leniently.
        let mut records = Vec::new();
        let strict = source.with_stream::<_, ArchiveError>(entry, |reader| {
            stream(reader, &place, key, &mut |record: T| {
                records.push(record);
                Ok::<_, ArchiveError>(ControlFlow::Continue(()))
            })
        });
        if strict.is_ok() {
            let mut count = 0;
            for record in records {
                count += 1;
                if f(record)?.is_break() {
                    break;
                }
            }
            return Ok(Outcome {
                count,
                warning: None,
            });
        }
        drop(records);
        let (values, warning) = source.with_reader::<_, ArchiveError>(entry, |reader| {
            let text = jsfile::read_small(reader, &place)?;
            parse_small(&text, &place)
        })?;
        let mut count = 0;
        for value in values {
            let record = unwrap_value(value, key);
            let record = T::deserialize(record).map_err(|err| ArchiveError::Invalid {
                place: place.clone(),
                at: 0,
                record: count + 1,
                detail: jsfile::json_detail(&err),
            })?;
            count += 1;
            if f(record)?.is_break() {
                break;
            }
        }
        return Ok(Outcome { count, warning });
    }
    let count = source.with_stream(entry, |reader| stream(reader, &place, key, &mut f))?;
    Ok(Outcome {
        count,
        warning: None,
    })
}

fn stream<T, E>(
    reader: &mut dyn std::io::Read,
    place: &Place,
    key: &str,
    f: &mut impl FnMut(T) -> Result<ControlFlow<()>, E>,
) -> Result<u64, E>
where
    T: DeserializeOwned,
    E: From<ArchiveError>,
{
    let mut records = Records::open(reader, place.clone())?;
    records.drive(|text| {
        let slice = text.as_bytes();
        let parsed = if jsfile::is_wrapped(slice, key) {
            match jsfile::parse_one::<BTreeMap<String, T>>(slice) {
                Parsed::Value(map, n) => Parsed::Value(map.into_values().next(), n),
                Parsed::NeedMore => Parsed::NeedMore,
                Parsed::Invalid(err) => Parsed::Invalid(err),
            }
        } else {
            match jsfile::parse_one::<T>(slice) {
                Parsed::Value(v, n) => Parsed::Value(Some(v), n),
                Parsed::NeedMore => Parsed::NeedMore,
                Parsed::Invalid(err) => Parsed::Invalid(err),
            }
        };
        match parsed {
            Parsed::Value(Some(v), n) => match f(v).map_err(Fail::Caller)? {
                ControlFlow::Continue(()) => Ok(Step::Took(n)),
                ControlFlow::Break(()) => Ok(Step::Stop(n)),
            },
            Parsed::Value(None, n) => Ok(Step::Took(n)),
            Parsed::NeedMore => Ok(Step::NeedMore),
            Parsed::Invalid(err) => Err(Fail::Json(err)),
        }
    })
}

/// Parses a whole small file into its list of records: strictly, else leniently.
pub fn parse_small(
    text: &str,
    place: &Place,
) -> Result<(Vec<serde_json::Value>, Option<String>), ArchiveError> {
    let body = jsfile::body(text, place)?;
    let strict = serde_json::from_str::<serde_json::Value>(body);
    let (value, warning) = match strict {
        Ok(value) => (value, None),
        Err(err) => {
            let value = lenient::to_json(body)
                .and_then(|json| serde_json::from_str::<serde_json::Value>(&json).ok())
                .ok_or_else(|| small_error(text, body, place, &err))?;
            let warning = format!(
                "{place} is not valid JSON (edited by hand?), so it was read leniently: check its data"
            );
            (value, Some(warning))
        }
    };
    match value {
        serde_json::Value::Array(items) => Ok((items, warning)),
        serde_json::Value::Object(_) => Ok((vec![value], warning)),
        _ => Err(ArchiveError::Malformed {
            place: place.clone(),
            detail: "expected a list of records".into(),
        }),
    }
}

fn small_error(text: &str, body: &str, place: &Place, err: &serde_json::Error) -> ArchiveError {
    let body_at = (body.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let offset = body_at as u64 + byte_of(body, err.line(), err.column());
    if err.is_eof() {
        return ArchiveError::Truncated {
            place: place.clone(),
            at: text.len() as u64,
        };
    }
    ArchiveError::Invalid {
        place: place.clone(),
        at: offset,
        record: 0,
        detail: jsfile::json_detail(err),
    }
    .without_record()
}

fn byte_of(text: &str, line: usize, column: usize) -> u64 {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)) as u64
}

/// `{"<key>": X}` → X; anything else as is.
fn unwrap_value(value: serde_json::Value, key: &str) -> serde_json::Value {
    match value {
        serde_json::Value::Object(mut map) if map.len() == 1 && map.contains_key(key) => {
            map.remove(key).unwrap_or_default()
        }
        other => other,
    }
}

impl ArchiveError {
    /// A whole-file parse error has no record number: say "record 0" nowhere.
    fn without_record(self) -> Self {
        match self {
            ArchiveError::Invalid {
                place, at, detail, ..
            } => ArchiveError::Malformed {
                place,
                detail: format!("{detail} at byte {}", super::error::thousands(at)),
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn place() -> Place {
        Place::new(Path::new("a.zip"), "data/account.js", true)
    }

    #[test]
    fn small_files_parse_strictly_or_leniently() {
        let strict = "window.YTD.account.part0 = [ {\"account\":{\"username\":\"a\"}} ]";
        let (items, warning) = parse_small(strict, &place()).unwrap();
        assert_eq!(items.len(), 1);
        assert!(warning.is_none());

        let js = "window.YTD.account.part0 = [\n  {\n    account: {\n      username: \"b\",\n    },\n  },\n];\n";
        let (items, warning) = parse_small(js, &place()).unwrap();
        assert_eq!(unwrap_value(items[0].clone(), "account")["username"], "b");
        assert!(warning.unwrap().contains("not valid JSON"));
    }

    #[test]
    fn hopeless_small_files_are_errors_naming_the_file() {
        let cut = "window.YTD.account.part0 = [ {\"account\":{\"username\":\"a";
        let err = parse_small(cut, &place()).unwrap_err().to_string();
        assert!(err.contains("data/account.js in a.zip is cut off"), "{err}");
        let bad = "window.YTD.account.part0 = [ {\"account\": @@@ } ]";
        let err = parse_small(bad, &place()).unwrap_err().to_string();
        assert!(
            err.contains("data/account.js in a.zip is not valid"),
            "{err}"
        );
    }
}
