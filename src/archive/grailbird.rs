//! The classic "Grailbird" archive (to early 2019): one file per month under
//! `data/js/tweets/YYYY_MM.js` (`Grailbird.data.tweets_2015_01 = [ … ]`), an index of them in
//! `data/js/tweet_index.js` (with counts), the total in `data/js/payload_details.js`, and the
//! owner in `data/js/user_details.js`. The root's `tweets.csv` holds the same tweets as rows
//! (the earliest archives have nothing else); it is read where month files are missing or
//! damaged (see `csvtweets`). Tweets are API v1.1 objects (`text`, numeric ids
//! beyond 2^53 next to `id_str`, `created_at` like `2015-01-24 02:02:37 +0000`); there are no
//! media files and no follow lists.

use serde::Deserialize;

use super::account::UserDetails;
use super::csvtweets;
use super::de;
use super::error::ArchiveError;
use super::files::{Layout, Part};
use super::jsfile;
use super::records;
use super::source::Source;

const TWEETS_DIR: &str = "data/js/tweets/";

/// True when the archive has Grailbird tweet files or owner details.
pub fn detect(source: &Source) -> bool {
    source.find(csvtweets::NAME).is_some()
        || source.find("data/js/user_details.js").is_some()
        || source.find("data/js/tweet_index.js").is_some()
        || source.entries().iter().any(|e| is_month_file(&e.name))
}

fn is_month_file(name: &str) -> bool {
    name.strip_prefix(TWEETS_DIR)
        .and_then(|f| f.strip_suffix(".js"))
        .is_some_and(|stem| stem.len() == 7 && stem.as_bytes()[4] == b'_')
}

#[derive(Debug, Deserialize)]
struct IndexRecord {
    file_name: String,
    #[serde(default, deserialize_with = "de::number")]
    tweet_count: Option<u64>,
}

#[derive(Debug, Deserialize)]
struct Payload {
    #[serde(default, deserialize_with = "de::number")]
    tweets: Option<u64>,
}

/// The month files, from `tweet_index.js` (with counts) plus any file it does not list, in
/// name order; and warnings about an unreadable index.
pub fn parts(source: &Source) -> (Vec<Part>, Vec<String>) {
    let mut warnings = Vec::new();
    let index: Vec<IndexRecord> = read_small(source, "data/js/tweet_index.js", &mut warnings);
    let mut parts: Vec<Part> = index
        .into_iter()
        .map(|rec| {
            let name = rec.file_name.replace('\\', "/");
            Part {
                present: source.find(&name).is_some(),
                name,
                expected: rec.tweet_count,
            }
        })
        .collect();
    for entry in source.entries().iter().filter(|e| is_month_file(&e.name)) {
        if !parts.iter().any(|p| *p.name == *entry.name) {
            parts.push(Part {
                name: entry.name.to_string(),
                present: true,
                expected: None,
            });
        }
    }
    parts.sort_by(|a, b| a.name.cmp(&b.name));
    (parts, warnings)
}

/// `tweets.csv` as a tweet file of a Grailbird archive, when it is there.
pub fn csv_part(source: &Source, layout: Layout) -> Option<Part> {
    (layout == Layout::Grailbird && source.find(csvtweets::NAME).is_some()).then(|| Part {
        name: csvtweets::NAME.into(),
        present: true,
        expected: None,
    })
}

/// The total tweet count `payload_details.js` announces.
pub fn expected_total(source: &Source, warnings: &mut Vec<String>) -> Option<u64> {
    let payload: Vec<Payload> = read_small(source, "data/js/payload_details.js", warnings);
    payload.first().and_then(|p| p.tweets)
}

/// The owner from `user_details.js`.
pub fn user_details(source: &Source, warnings: &mut Vec<String>) -> Option<UserDetails> {
    let details: Vec<UserDetails> = read_small(source, "data/js/user_details.js", warnings);
    details.into_iter().next()
}

/// Reads a small optional file as a list of `T` (an object counts as a list of one); problems
/// become warnings.
fn read_small<T: serde::de::DeserializeOwned>(
    source: &Source,
    name: &str,
    warnings: &mut Vec<String>,
) -> Vec<T> {
    let Some(entry) = source.find(name) else {
        return Vec::new();
    };
    let place = source.place(entry);
    let result = source.with_reader::<_, ArchiveError>(entry, |reader| {
        let text = jsfile::read_small(reader, &place)?;
        records::parse_small(&text, &place)
    });
    let (values, warning) = match result {
        Ok(ok) => ok,
        Err(err) => {
            warnings.push(err.warning("it was skipped"));
            return Vec::new();
        }
    };
    warnings.extend(warning);
    values
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_files_are_recognised() {
        let table = [
            ("data/js/tweets/2015_02.js", true),
            ("data/js/tweets/2015_2.js", false),
            ("data/js/tweet_index.js", false),
            ("data/js/tweets/2015_02.json", false),
        ];
        for (name, want) in table {
            assert_eq!(is_month_file(name), want, "{name}");
        }
    }
}
