//! Which file holds what: the layout of an archive and the parts of each data type.
//!
//! With a `manifest.js` the manifest gives the file list and counts; without one, files are
//! found by name (`tweets.js`, `tweets-part1.js`…, or `tweet.js`, `tweet-part1.js`…). A file
//! found by name that the manifest leaves out is read too, after the listed ones (the caller
//! warns about it). Everything else in the archive is ignored.

use serde::Serialize;

use super::manifest::Manifest;
use super::source::Source;

/// The archive generations the reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// The classic archive (to early 2019): `tweets.csv`, `data/js/tweets/YYYY_MM.js`.
    Grailbird,
    /// "Your Twitter data" 2019–2022: `tweet.js` (`window.YTD.tweet.part0`).
    YtdTweet,
    /// Late 2022 onwards: `data/tweets.js`, `tweets-part1.js`… (`window.YTD.tweets.part0`).
    YtdTweets,
}

impl Layout {
    /// The name used in `inspect --json` (`grailbird`, `ytd-tweet`, `ytd-tweets`).
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Grailbird => "grailbird",
            Layout::YtdTweet => "ytd-tweet",
            Layout::YtdTweets => "ytd-tweets",
        }
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The data types the reader uses: manifest keys and file stems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Tweets,
    NoteTweet,
    CircleTweet,
    DeletedTweets,
    TweetHeaders,
    Account,
    Profile,
    ScreenNameChange,
    Following,
    Follower,
    Block,
    Mute,
    Like,
    ListsCreated,
    ListsMember,
    ListsSubscribed,
}

impl Kind {
    /// Every kind, in the order files are looked up.
    pub const ALL: [Kind; 16] = [
        Kind::Tweets,
        Kind::NoteTweet,
        Kind::CircleTweet,
        Kind::DeletedTweets,
        Kind::TweetHeaders,
        Kind::Account,
        Kind::Profile,
        Kind::ScreenNameChange,
        Kind::Following,
        Kind::Follower,
        Kind::Block,
        Kind::Mute,
        Kind::Like,
        Kind::ListsCreated,
        Kind::ListsMember,
        Kind::ListsSubscribed,
    ];

    /// Manifest keys, then file stems (`stem.js`, `stem-partN.js`).
    fn names(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Kind::Tweets => (&["tweets", "tweet"], &["tweets", "tweet"]),
            Kind::NoteTweet => (&["noteTweet"], &["note-tweet"]),
            Kind::CircleTweet => (&["twitterCircleTweet"], &["twitter-circle-tweet"]),
            Kind::DeletedTweets => (&["deletedTweets"], &["deleted-tweets"]),
            Kind::TweetHeaders => (&["tweetHeaders"], &["tweet-headers"]),
            Kind::Account => (&["account"], &["account"]),
            Kind::Profile => (&["profile"], &["profile"]),
            Kind::ScreenNameChange => (&["screenNameChange"], &["screen-name-change"]),
            Kind::Following => (&["following"], &["following"]),
            Kind::Follower => (&["follower"], &["follower"]),
            Kind::Block => (&["block"], &["block"]),
            Kind::Mute => (&["mute"], &["mute"]),
            Kind::Like => (&["like"], &["like"]),
            Kind::ListsCreated => (&["listsCreated"], &["lists-created"]),
            Kind::ListsMember => (&["listsMember"], &["lists-member"]),
            Kind::ListsSubscribed => (&["listsSubscribed"], &["lists-subscribed"]),
        }
    }
}

/// What a warning is about, so that a command can show only the warnings that concern what
/// it writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    /// The archive as a whole (its manifest, its zip).
    Archive,
    /// Tweets and the files that decide which tweets are public (notes, circle, deleted,
    /// media).
    Tweets,
    /// The owner's account, past usernames and profile.
    Owner,
    Following,
    Followers,
    Blocks,
    Mutes,
    Likes,
    Lists,
}

impl Kind {
    /// What a warning about a file of this kind is about.
    pub fn topic(self) -> Topic {
        match self {
            Kind::Tweets
            | Kind::NoteTweet
            | Kind::CircleTweet
            | Kind::DeletedTweets
            | Kind::TweetHeaders => Topic::Tweets,
            Kind::Account | Kind::Profile | Kind::ScreenNameChange => Topic::Owner,
            Kind::Following => Topic::Following,
            Kind::Follower => Topic::Followers,
            Kind::Block => Topic::Blocks,
            Kind::Mute => Topic::Mutes,
            Kind::Like => Topic::Likes,
            Kind::ListsCreated | Kind::ListsMember | Kind::ListsSubscribed => Topic::Lists,
        }
    }
}

/// One file of a data type: its root-relative name, whether it is there, and the record
/// count the manifest announced for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub present: bool,
    pub expected: Option<u64>,
}

/// The files of every data type the reader uses.
#[derive(Debug, Default)]
pub struct FileSet {
    parts: Vec<(Kind, Vec<Part>)>,
    /// Files found by name that the manifest does not list (they are in `parts` too).
    unlisted: Vec<(Kind, String)>,
}

impl FileSet {
    /// Finds the files of every kind, from the manifest when there is one.
    pub fn discover(source: &Source, manifest: Option<&Manifest>) -> Self {
        let mut unlisted = Vec::new();
        let parts = Kind::ALL
            .iter()
            .map(|&kind| {
                let found = by_name(source, kind.names().1);
                let Some(files) = manifest.and_then(|m| m.files(kind.names().0)) else {
                    return (kind, found);
                };
                let mut parts = from_manifest(source, files);
                for part in found {
                    if !parts.iter().any(|p| p.name == part.name) {
                        unlisted.push((kind, part.name.clone()));
                        parts.push(part);
                    }
                }
                (kind, parts)
            })
            .collect();
        Self { parts, unlisted }
    }

    /// Files read although the manifest does not list them.
    pub fn unlisted(&self) -> &[(Kind, String)] {
        &self.unlisted
    }

    /// The files of one kind (present or not), in reading order.
    pub fn parts(&self, kind: Kind) -> &[Part] {
        self.parts
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, parts)| parts.as_slice())
    }

    /// True when any file of `kind` is there.
    pub fn has(&self, kind: Kind) -> bool {
        self.parts(kind).iter().any(|p| p.present)
    }

    /// The YTD layout the tweet files show, if any.
    pub fn ytd_layout(&self) -> Option<Layout> {
        let first = self.parts(Kind::Tweets).first()?;
        let base = first.name.rsplit('/').next().unwrap_or(&first.name);
        Some(if base.starts_with("tweets") {
            Layout::YtdTweets
        } else {
            Layout::YtdTweet
        })
    }
}

fn from_manifest(source: &Source, files: &[super::manifest::FileRef]) -> Vec<Part> {
    files
        .iter()
        .map(|file| {
            let name = resolve(source, &file.file_name);
            Part {
                present: source.find(&name).is_some(),
                name,
                expected: file.count,
            }
        })
        .collect()
}

/// The manifest's `data/x.js`, or the same file name elsewhere if the zip was repacked.
fn resolve(source: &Source, listed: &str) -> String {
    let listed = listed.trim_start_matches("./").replace('\\', "/");
    if source.find(&listed).is_some() {
        return listed;
    }
    let base = listed.rsplit('/').next().unwrap_or(&listed);
    let alternative = format!("data/{base}");
    if source.find(&alternative).is_some() {
        return alternative;
    }
    listed
}

/// `data/<stem>.js` and `data/<stem>-partN.js` (also at the root, for 2019 zips), for the
/// first stem that has any file.
fn by_name(source: &Source, stems: &[&str]) -> Vec<Part> {
    for stem in stems {
        let mut found: Vec<(u32, String)> = source
            .entries()
            .iter()
            .filter_map(|e| part_number(&e.name, stem).map(|n| (n, e.name.to_string())))
            .collect();
        if !found.is_empty() {
            found.sort();
            return found
                .into_iter()
                .map(|(_, name)| Part {
                    name,
                    present: true,
                    expected: None,
                })
                .collect();
        }
    }
    Vec::new()
}

/// `data/tweets.js` → 0, `data/tweets-part2.js` → 2, anything else → None.
fn part_number(name: &str, stem: &str) -> Option<u32> {
    let file = name.strip_prefix("data/")?;
    let rest = file.strip_prefix(stem)?.strip_suffix(".js")?;
    if rest.is_empty() {
        return Some(0);
    }
    let digits = rest.strip_prefix("-part")?;
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_numbers_come_from_file_names() {
        let table = [
            ("data/tweets.js", "tweets", Some(0)),
            ("data/tweets-part1.js", "tweets", Some(1)),
            ("data/tweets-part12.js", "tweets", Some(12)),
            ("data/tweet.js", "tweets", None),
            ("data/tweet-headers.js", "tweet", None),
            ("data/tweets_media/1-a.jpg", "tweets", None),
            ("tweets.js", "tweets", None),
            ("data/tweets-partX.js", "tweets", None),
        ];
        for (name, stem, want) in table {
            assert_eq!(part_number(name, stem), want, "{name} {stem}");
        }
    }

    #[test]
    fn layouts_have_their_json_names() {
        assert_eq!(Layout::YtdTweets.as_str(), "ytd-tweets");
        assert_eq!(
            serde_json::to_string(&Layout::YtdTweet).unwrap(),
            "\"ytd-tweet\""
        );
        assert_eq!(
            serde_json::to_string(&Layout::Grailbird).unwrap(),
            "\"grailbird\""
        );
    }
}
