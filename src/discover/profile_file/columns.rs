//! The names other tools give profile fields, shared by CSV headers and flat JSON records:
//! `screen_name`, `Screen Name`, `handle` and `username` all mean the same column.
//!
//! Knows names and value clean-up only; never reads a file.

/// A profile field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Id,
    Username,
    Name,
    Description,
    Url,
    /// A list of links (`expanded_urls`, `urls`), split on whitespace and commas.
    Urls,
    Location,
    Pinned,
}

/// Known names per column, normalised (lowercase, `_` for spaces and hyphens). Earlier
/// names win when a record has several (`id_str` over `id`: X's v1.1 objects carry both,
/// and only the string is exact).
const NAMES: &[(Column, &[&str])] = &[
    (
        Column::Id,
        &[
            "id_str",
            "rest_id",
            "id",
            "user_id",
            "userid",
            "twitter_id",
            "account_id",
            "accountid",
        ],
    ),
    (
        Column::Username,
        &[
            "screen_name",
            "username",
            "screenname",
            "handle",
            "user_name",
            "twitter_handle",
            "twitter_username",
        ],
    ),
    (
        Column::Name,
        &["name", "display_name", "displayname", "full_name"],
    ),
    (Column::Description, &["description", "bio", "about"]),
    (
        Column::Url,
        &["url", "website", "expanded_url", "link", "homepage"],
    ),
    (Column::Urls, &["expanded_urls", "urls"]),
    (Column::Location, &["location"]),
    (
        Column::Pinned,
        &[
            "pinned_tweet",
            "pinned_text",
            "pinned_tweet_text",
            "pinned_post",
        ],
    ),
];

/// A header or key in normalised form.
pub fn normalise_name(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{FEFF}')
        .to_lowercase()
        .replace([' ', '-'], "_")
}

/// The column a header or key names, and its rank among that column's names (0 = best).
pub fn column_of(name: &str) -> Option<(Column, usize)> {
    let name = normalise_name(name);
    NAMES.iter().find_map(|(column, names)| {
        names
            .iter()
            .position(|n| *n == name)
            .map(|rank| (*column, rank))
    })
}

/// A cell's text, or `None` when it is blank.
pub fn text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// An X username from a cell: without `@`, and only if it has X's shape (letters, digits,
/// `_`); anything else (a URL, a fediverse address) is not a username.
pub fn username(value: &str) -> Option<String> {
    let value = value.trim().trim_start_matches('@');
    let ok = !value.is_empty()
        && value.len() <= 50
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_');
    ok.then(|| value.to_string())
}

/// An account id from a cell: digits only.
pub fn account_id(value: &str) -> Option<String> {
    let value = value.trim();
    let ok = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| value.to_string())
}

/// The links in a list cell.
pub fn url_list(value: &str) -> Vec<String> {
    value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_matched_loosely() {
        assert_eq!(column_of("Screen Name"), Some((Column::Username, 0)));
        assert_eq!(column_of("\u{FEFF}ID"), Some((Column::Id, 2)));
        assert_eq!(column_of("user-id"), Some((Column::Id, 3)));
        assert_eq!(column_of("Bio"), Some((Column::Description, 1)));
        assert_eq!(column_of("followers"), None);
    }

    #[test]
    fn values_are_checked() {
        assert_eq!(username("@jack").as_deref(), Some("jack"));
        assert_eq!(username("https://x.com/jack"), None);
        assert_eq!(account_id(" 12 ").as_deref(), Some("12"));
        assert_eq!(account_id("1.2E+18"), None);
        assert_eq!(url_list("a, b  c"), ["a", "b", "c"]);
    }
}
