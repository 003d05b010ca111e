//! Reading every Twitter archive layout, from a zip or an unpacked folder, as a stream.
//!
//! Never touches the network; never extracts the archive to disk; never holds a whole tweet
//! file in memory. Other parts use this API:
//!
//! ```text
//! Archive::open(path: &Path) -> Result<Archive, ArchiveError>   // .zip, folder, or its data/
//! archive.layout() -> Layout                       // Grailbird | YtdTweet | YtdTweets
//! archive.account() -> Result<Account, ArchiveError>   // id, username, display_name, past_usernames
//! archive.following_ids() / followers_ids() / blocks() / mutes()
//!     -> Result<Vec<String>, ArchiveError>         // account ids, archive order
//! archive.for_each_account_id(Relation, |id: String| -> Result<ControlFlow<()>, E>) -> Result<u64, E>
//! archive.for_each_tweet(|tweet: Tweet| -> Result<ControlFlow<()>, E>) -> Result<(), E>
//! archive.for_each_like(|like: Like| -> Result<ControlFlow<()>, E>) -> Result<u64, E>
//! archive.lists() -> Result<Vec<ListRef>, ArchiveError>
//! archive.summary() -> Result<Summary, ArchiveError>   // what `inspect` prints
//! archive.read_file(name, |reader| …)               // e.g. a MediaRef's `file`
//! archive.warnings() -> Vec<String>                  // problems met so far, one sentence each
//! archive.warnings_about(&[Topic]) -> Vec<String>  // those about these topics (and the archive)
//! archive.holds(Topic) -> bool                      // whether the layout has files of a topic
//! ```
//!
//! `E` is the caller's error type (anything `From<ArchiveError>`, e.g. `anyhow::Error`).
//! Tweets arrive normalised ([`Tweet`]): Twitter Circle and deleted tweets are never handed
//! out, edited tweets only in their last version (held back and handed out after the others),
//! long posts with their full text. Order otherwise follows the files, which is not
//! chronological.
//!
//! The lists `find` and `follow` act on (`following.js`, `block.js`, `mute.js`) are not
//! optional: a damaged one is an error in every command that reads it, `summary` included.
//! Damaged optional files (likes, lists, the owner's files…) become warnings; damaged tweet
//! files and anything that makes the tweets unsafe to use (an unreadable or missing
//! `twitter-circle-tweet.js` or `deleted-tweets.js`) are errors, for `summary` too: a count of
//! public tweets that may hold private ones would be wrong.

mod account;
mod csvtweets;
mod date;
mod de;
mod error;
mod fastraw;
mod files;
mod grailbird;
mod jsfile;
mod lenient;
mod manifest;
mod media;
mod names;
mod notes;
mod posfile;
mod profile;
mod rawtweet;
mod records;
mod relations;
mod source;
mod summary;
mod text;
mod tweet;
mod tweets;
mod zipdir;

use std::collections::HashSet;
use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::Mutex;

use serde::de::IgnoredAny;

pub use account::Account;
pub use error::{ArchiveError, Place};
pub use files::{Layout, Topic};
pub use media::{MediaKind, MediaRef};
pub use profile::OwnerProfile;
pub use relations::{Like, ListRef, ListRole, Relation};
pub use summary::{Counts, Summary};
pub use tweet::{Mention, Tweet, TweetWords};

use account::{AccountRecord, Evidence, NameChangeRecord};
use files::{FileSet, Kind, Part};
use manifest::Manifest;
use media::MediaIndex;
use notes::{NoteRecord, Notes};
use relations::{AccountRef, ListInfo};
use source::Source;
use tweets::Hidden;

/// Every tweet of one tweets file's bytes (`window.YTD.tweets.part0 = [...]`), normalised as
/// [`Archive::for_each_tweet`] hands them out but with no archive around the file (no hidden
/// ids, notes, owner or media); returns the records read. For the fuzz targets and tests.
#[doc(hidden)]
pub fn tweets_of_file<E>(
    reader: &mut dyn Read,
    name: &str,
    f: impl FnMut(Tweet) -> Result<ControlFlow<()>, E>,
) -> Result<u64, E>
where
    E: From<ArchiveError>,
{
    let place = Place::new(Path::new(name), "data/tweets.js", true);
    let names = Vec::new();
    let owner = tweet::Owner {
        id: None,
        names: &names,
    };
    let media = MediaIndex::default();
    let convert = |raw: &rawtweet::RawTweet<'_>, id: &str, created, note: Option<&notes::Note>| {
        let text = tweet::plain_text(raw);
        tweet::normalise(raw, id, created, text, owner, &media, note)
    };
    let mut notes = Notes::default();
    let stats = tweets::scan_reader(reader, place, &Hidden::default(), &mut notes, convert, f)?;
    Ok(stats.records)
}

/// An opened archive. Cheap to keep around; every read streams from the zip or folder.
#[derive(Debug)]
pub struct Archive {
    source: Source,
    layout: Layout,
    manifest: Option<Manifest>,
    files: FileSet,
    /// Grailbird's month files, or the YTD tweet parts.
    tweet_parts: Vec<Part>,
    /// Grailbird's `tweets.csv`, when it is there (see `tweets::ScanInput::csv`).
    tweets_csv: Option<Part>,
    /// Grailbird's `payload_details.js` total.
    expected_total: Option<u64>,
    account: Option<Account>,
    profile: Option<OwnerProfile>,
    media: MediaIndex,
    warnings: Mutex<Vec<(Topic, String)>>,
}

impl Archive {
    /// Opens an archive: a `.zip` file, its unpacked folder, or that folder's `data/`.
    pub fn open(path: &Path) -> Result<Self, ArchiveError> {
        let source = Source::open(path)?;
        let mut general = Vec::new();
        let manifest = read_manifest(&source, &mut general);
        let mut warnings: Vec<(Topic, String)> =
            general.into_iter().map(|w| (Topic::Archive, w)).collect();
        let files = FileSet::discover(&source, manifest.as_ref());
        let mut about_tweets = Vec::new();
        let (layout, tweet_parts, expected_total) =
            pick_layout(&source, &files, manifest.is_some(), &mut about_tweets)?;
        let tweets_csv = grailbird::csv_part(&source, layout);
        missing_parts(&source, &files, &tweet_parts, layout, &mut warnings);
        for (kind, name) in files.unlisted() {
            let place = source.place_of(name);
            let text = format!(
                "{place} is in the archive but not listed in manifest.js, so it was read anyway"
            );
            warnings.push((kind.topic(), text));
        }
        let media = media_index(&source, manifest.as_ref(), layout, &mut about_tweets);
        warnings.extend(about_tweets.into_iter().map(|w| (Topic::Tweets, w)));
        let mut archive = Self {
            source,
            layout,
            manifest,
            files,
            tweet_parts,
            tweets_csv,
            expected_total,
            account: None,
            profile: None,
            media,
            warnings: Mutex::new(warnings),
        };
        archive.account = archive.load_account();
        archive.profile = archive.load_profile();
        Ok(archive)
    }

    /// The path the archive was opened from.
    pub fn path(&self) -> &Path {
        self.source.path()
    }

    /// The archive generation.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The owner of the archive.
    pub fn account(&self) -> Result<Account, ArchiveError> {
        self.account.clone().ok_or_else(|| ArchiveError::NoAccount {
            path: self.path().to_path_buf(),
        })
    }

    /// The owner's profile (bio, website, location, avatar); `None` when the archive has none
    /// or it could not be read (a warning says which).
    pub fn profile(&self) -> Option<OwnerProfile> {
        self.profile.clone()
    }

    /// Problems met so far (while opening and reading), one sentence each, without repeats.
    pub fn warnings(&self) -> Vec<String> {
        self.warnings_where(|_| true)
    }

    /// The warnings about `topics`, and those about the archive as a whole: what a command
    /// that writes only some records shows.
    pub fn warnings_about(&self, topics: &[Topic]) -> Vec<String> {
        self.warnings_where(|t| t == Topic::Archive || topics.contains(&t))
    }

    fn warnings_where(&self, keep: impl Fn(Topic) -> bool) -> Vec<String> {
        let Ok(warnings) = self.warnings.lock() else {
            return Vec::new();
        };
        warnings
            .iter()
            .filter(|(topic, _)| keep(*topic))
            .map(|(_, text)| text.clone())
            .collect()
    }

    /// True when the archive has (or its manifest lists) a file of `topic`: a Grailbird
    /// archive, for one, holds no follows, blocks, mutes, likes or lists.
    pub fn holds(&self, topic: Topic) -> bool {
        match topic {
            Topic::Archive => true,
            Topic::Tweets => !self.tweet_parts.is_empty() || self.tweets_csv.is_some(),
            Topic::Owner => self.account.is_some(),
            _ => Kind::ALL
                .iter()
                .any(|k| k.topic() == topic && !self.files.parts(*k).is_empty()),
        }
    }

    /// The number of files in the tweet media folder(s).
    pub fn media_files(&self) -> usize {
        self.media.len()
    }

    /// Runs `f` on the bytes of one file of the archive (root-relative name, such as a
    /// [`MediaRef`]'s `file`), capped at its declared size.
    pub fn read_file<T, E>(
        &self,
        name: &str,
        f: impl FnOnce(&mut dyn Read) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<ArchiveError>,
    {
        let entry = self
            .source
            .find(name)
            .ok_or_else(|| ArchiveError::ReadEntry {
                place: self.source.place_of(name),
                source: std::io::Error::from(std::io::ErrorKind::NotFound),
            })?;
        self.source.with_stream(entry, f)
    }

    /// The account ids of `following.js` (in archive order).
    pub fn following_ids(&self) -> Result<Vec<String>, ArchiveError> {
        self.account_ids(Relation::Following)
    }

    /// The account ids of `follower.js`.
    pub fn followers_ids(&self) -> Result<Vec<String>, ArchiveError> {
        self.account_ids(Relation::Followers)
    }

    /// The account ids of `block.js`.
    pub fn blocks(&self) -> Result<Vec<String>, ArchiveError> {
        self.account_ids(Relation::Blocks)
    }

    /// The account ids of `mute.js`.
    pub fn mutes(&self) -> Result<Vec<String>, ArchiveError> {
        self.account_ids(Relation::Mutes)
    }

    fn account_ids(&self, relation: Relation) -> Result<Vec<String>, ArchiveError> {
        let mut ids = Vec::new();
        self.for_each_account_id::<ArchiveError>(relation, |id| {
            ids.push(id);
            Ok(ControlFlow::Continue(()))
        })?;
        Ok(ids)
    }

    /// Streams the account ids of one relation; returns how many were handed out.
    pub fn for_each_account_id<E>(
        &self,
        relation: Relation,
        mut f: impl FnMut(String) -> Result<ControlFlow<()>, E>,
    ) -> Result<u64, E>
    where
        E: From<ArchiveError>,
    {
        let (kind, key) = relation.kind();
        let mut count = 0;
        self.each_record::<AccountRef, E>(kind, key, |rec| match rec.account_id {
            Some(id) => {
                count += 1;
                f(id)
            }
            None => Ok(ControlFlow::Continue(())),
        })?;
        Ok(count)
    }

    /// Streams the liked tweets, their text with HTML entities decoded (as in tweets); returns
    /// how many were handed out.
    pub fn for_each_like<E>(
        &self,
        mut f: impl FnMut(Like) -> Result<ControlFlow<()>, E>,
    ) -> Result<u64, E>
    where
        E: From<ArchiveError>,
    {
        let mut count = 0;
        self.each_record::<Like, E>(Kind::Like, "like", |mut like| {
            count += 1;
            like.full_text = like.full_text.map(|t| text::decode_html(&t));
            f(like)
        })?;
        Ok(count)
    }

    /// The lists the owner created, is a member of, and subscribed to.
    pub fn lists(&self) -> Result<Vec<ListRef>, ArchiveError> {
        let mut out = Vec::new();
        for role in ListRole::ALL {
            self.each_record::<ListInfo, ArchiveError>(role.kind(), "userListInfo", |info| {
                out.extend(info.url.map(|url| ListRef { role, url }));
                Ok(ControlFlow::Continue(()))
            })?;
        }
        Ok(out)
    }

    /// Streams every public tweet, normalised (see the module docs for what is left out).
    pub fn for_each_tweet<E>(
        &self,
        f: impl FnMut(Tweet) -> Result<ControlFlow<()>, E>,
    ) -> Result<(), E>
    where
        E: From<ArchiveError>,
    {
        let hidden = self.hidden()?;
        let names = self.owner_names();
        let owner = self.owner(&names);
        self.scan_tweets(
            &hidden,
            |raw, id, created, text, note| {
                tweet::normalise(raw, id, created, text, owner, &self.media, note)
            },
            f,
        )
    }

    /// What each tweet says about people ([`TweetWords`]), through the rules of
    /// [`Archive::for_each_tweet`], for uses that only read the owner's words and never
    /// publish or export them (`find` looks for names and handles): when the circle or deleted
    /// tweets file cannot be read, this warns and goes on with every tweet instead of failing.
    pub fn for_each_own_tweet<E>(
        &self,
        f: impl FnMut(TweetWords) -> Result<ControlFlow<()>, E>,
    ) -> Result<(), E>
    where
        E: From<ArchiveError>,
    {
        let hidden = match self.hidden() {
            Ok(hidden) => hidden,
            Err(ArchiveError::Unsafe { problem, what }) => {
                let text = format!("{problem}, so {what} tweets are read like the others");
                self.warn(Topic::Tweets, text);
                Hidden::default()
            }
            Err(other) => return Err(other.into()),
        };
        self.scan_tweets(
            &hidden,
            |raw, _, _, text, note| tweet::words(raw, text, note),
            f,
        )
    }

    /// The owner as the tweet scan needs it (for self-replies); `names` from
    /// [`Archive::owner_names`].
    fn owner<'a>(&'a self, names: &'a [String]) -> tweet::Owner<'a> {
        tweet::Owner {
            id: self
                .account
                .as_ref()
                .map(|a| a.id.as_str())
                .filter(|id| !id.is_empty()),
            names,
        }
    }

    /// Scans the tweets, making each kept record into an item with `make` (given the record,
    /// its id, its date, its [`tweet::plain_text`] and its note) and handing it to `f`.
    fn scan_tweets<T, E>(
        &self,
        hidden: &Hidden,
        mut make: impl FnMut(
            &rawtweet::RawTweet<'_>,
            &str,
            chrono::DateTime<chrono::Utc>,
            String,
            Option<&notes::Note>,
        ) -> T,
        f: impl FnMut(T) -> Result<ControlFlow<()>, E>,
    ) -> Result<(), E>
    where
        E: From<ArchiveError>,
    {
        let mut notes = self.notes();
        let input = tweets::ScanInput {
            source: &self.source,
            parts: &self.tweet_parts,
            hidden,
            notes: &mut notes,
            csv: self.tweets_csv.as_ref(),
        };
        let convert =
            |raw: &rawtweet::RawTweet<'_>, id: &str, created, note: Option<&notes::Note>| {
                make(raw, id, created, tweet::plain_text(raw), note)
            };
        let stats = tweets::scan(input, convert, f)?;
        stats
            .warnings
            .into_iter()
            .for_each(|w| self.warn(Topic::Tweets, w));
        Ok(())
    }

    /// Every record of one kind, over all its present parts; returns per-part counts.
    fn each_record<T, E>(
        &self,
        kind: Kind,
        key: &str,
        mut f: impl FnMut(T) -> Result<ControlFlow<()>, E>,
    ) -> Result<Vec<(Part, u64)>, E>
    where
        T: serde::de::DeserializeOwned,
        E: From<ArchiveError>,
    {
        let mut counts = Vec::new();
        let mut stopped = false;
        for part in self.files.parts(kind).iter().filter(|p| p.present) {
            let Some(entry) = self.source.find(&part.name) else {
                continue;
            };
            let outcome = records::each::<T, E>(&self.source, entry, key, |rec| {
                let flow = f(rec)?;
                stopped = flow.is_break();
                Ok(flow)
            })?;
            if let Some(warning) = outcome.warning {
                self.warn(kind.topic(), warning);
            }
            counts.push((part.clone(), outcome.count));
            if stopped {
                break;
            }
        }
        Ok(counts)
    }

    /// Circle and deleted tweet ids. A file of either that is there but unreadable, or that
    /// the manifest lists with tweets but the archive lacks, is an error: those tweets would
    /// otherwise pass for public ones.
    fn hidden(&self) -> Result<Hidden, ArchiveError> {
        Ok(Hidden {
            circle: self.hidden_ids(Kind::CircleTweet, "Twitter Circle")?,
            deleted: self.hidden_ids(Kind::DeletedTweets, "deleted")?,
        })
    }

    fn hidden_ids(&self, kind: Kind, what: &'static str) -> Result<HashSet<String>, ArchiveError> {
        let listing = if self.layout == Layout::Grailbird {
            "tweet_index.js"
        } else {
            "manifest.js"
        };
        let lost = self
            .files
            .parts(kind)
            .iter()
            .find(|p| !p.present && p.expected != Some(0));
        if let Some(part) = lost {
            return Err(ArchiveError::Unsafe {
                problem: format!(
                    "{} is listed in {listing} but missing from the archive",
                    self.source.place_of(&part.name)
                ),
                what,
            });
        }
        self.tweet_ids(kind).map_err(|err| ArchiveError::Unsafe {
            problem: err.problem(),
            what,
        })
    }

    /// The ids in a tweet-shaped file (circle or deleted tweets), records wrapped or not.
    fn tweet_ids(&self, kind: Kind) -> Result<HashSet<String>, ArchiveError> {
        #[derive(serde::Deserialize)]
        struct Ids {
            #[serde(default, deserialize_with = "de::id")]
            id_str: Option<String>,
            #[serde(default, deserialize_with = "de::id")]
            id: Option<String>,
            #[serde(default)]
            tweet: Option<Box<Ids>>,
        }
        let mut ids = HashSet::new();
        let counts = self.each_record::<Ids, ArchiveError>(kind, "tweet", |rec| {
            let Ids { id_str, id, tweet } = rec;
            let found = match tweet {
                Some(inner) => inner.id_str.or(inner.id),
                None => id_str.or(id),
            };
            ids.extend(found);
            Ok(ControlFlow::Continue(()))
        })?;
        self.check_counts(Topic::Tweets, &counts);
        Ok(ids)
    }

    /// The notes of `note-tweet.js`; an unreadable file is a warning (texts stay truncated).
    fn notes(&self) -> Notes {
        let mut notes = Vec::new();
        let result =
            self.each_record::<NoteRecord, ArchiveError>(Kind::NoteTweet, "noteTweet", |rec| {
                notes.extend(rec.into_note());
                Ok(ControlFlow::Continue(()))
            });
        match result {
            Ok(counts) => self.check_counts(Topic::Tweets, &counts),
            Err(err) => self.warn(
                Topic::Tweets,
                err.warning("long posts keep their shortened text"),
            ),
        }
        Notes::new(notes)
    }

    /// The owner's current and past usernames.
    fn owner_names(&self) -> Vec<String> {
        self.account
            .as_ref()
            .map(|a| {
                std::iter::once(a.username.clone())
                    .chain(a.past_usernames.iter().cloned())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn load_account(&self) -> Option<Account> {
        let mut evidence = Evidence {
            manifest: self.manifest.as_ref().and_then(|m| m.user_info.clone()),
            ..Evidence::default()
        };
        let account =
            self.each_record::<AccountRecord, ArchiveError>(Kind::Account, "account", |rec| {
                evidence.account.get_or_insert(rec);
                Ok(ControlFlow::Continue(()))
            });
        self.warn_optional(Topic::Owner, account);
        let changes = self.each_record::<NameChangeRecord, ArchiveError>(
            Kind::ScreenNameChange,
            "screenNameChange",
            |rec| {
                evidence.changes.push(rec.screen_name_change);
                Ok(ControlFlow::Continue(()))
            },
        );
        self.warn_optional(Topic::Owner, changes);
        if self.layout == Layout::Grailbird {
            let mut warnings = Vec::new();
            evidence.details = grailbird::user_details(&self.source, &mut warnings);
            warnings
                .into_iter()
                .for_each(|w| self.warn(Topic::Owner, w));
        }
        evidence.merge()
    }

    fn load_profile(&self) -> Option<OwnerProfile> {
        let profile = if self.layout == Layout::Grailbird {
            let mut warnings = Vec::new();
            let details = grailbird::user_details(&self.source, &mut warnings)?;
            let website = details.expanded_url.or(details.url);
            profile::from_details(details.bio, website, details.location)
        } else {
            let mut record = None;
            let read = self.each_record::<profile::ProfileRecord, ArchiveError>(
                Kind::Profile,
                "profile",
                |rec| {
                    record.get_or_insert(rec);
                    Ok(ControlFlow::Break(()))
                },
            );
            self.warn_optional(Topic::Owner, read)?;
            let dir = self.manifest.as_ref().and_then(Manifest::profile_media_dir);
            let dirs = vec![dir.unwrap_or_else(|| "data/profile_media".into())];
            let id = self
                .account
                .as_ref()
                .map(|a| a.id.as_str())
                .filter(|id| !id.is_empty());
            let names = self.source.entries().iter().map(|e| &*e.name);
            record?.into_profile(id, &dirs, names)
        };
        (!profile.is_empty()).then_some(profile)
    }

    /// Turns the error of an optional file into a warning.
    fn warn_optional<T>(&self, topic: Topic, result: Result<T, ArchiveError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.warn(topic, err.warning("it was skipped"));
                None
            }
        }
    }

    /// Records a warning once.
    fn warn(&self, topic: Topic, message: String) {
        if let Ok(mut warnings) = self.warnings.lock()
            && !warnings.iter().any(|(_, w)| *w == message)
        {
            warnings.push((topic, message));
        }
    }

    /// Counts the records of a list `find` and `follow` act on (following, blocks, mutes): a
    /// damaged file is an error here too, as in every command that reads it, since a count
    /// of the records before the damage would pass for the whole list.
    fn count_required(&self, kind: Kind, key: &str) -> Result<u64, ArchiveError> {
        let counts = self.each_record::<IgnoredAny, ArchiveError>(kind, key, |_| {
            Ok(ControlFlow::Continue(()))
        })?;
        self.check_counts(kind.topic(), &counts);
        Ok(counts.iter().map(|(_, n)| n).sum())
    }

    /// Counts the records of an optional kind; problems become warnings.
    fn count_optional(&self, kind: Kind, key: &str) -> u64 {
        let counts = self
            .each_record::<IgnoredAny, ArchiveError>(kind, key, |_| Ok(ControlFlow::Continue(())));
        let Some(counts) = self.warn_optional(kind.topic(), counts) else {
            return 0;
        };
        self.check_counts(kind.topic(), &counts);
        counts.iter().map(|(_, n)| n).sum()
    }

    /// Warns where a file holds another number of records than the manifest lists.
    fn check_counts(&self, topic: Topic, counts: &[(Part, u64)]) {
        for (part, found) in counts {
            if let Some(expected) = part.expected
                && expected != *found
            {
                let source = if self.layout == Layout::Grailbird {
                    "tweet_index.js"
                } else {
                    "manifest.js"
                };
                self.warn(
                    topic,
                    format!(
                        "{} holds {found} records but {source} lists {expected}",
                        self.source.place_of(&part.name)
                    ),
                );
            }
        }
    }
}

/// Reads `manifest.js` if there is one; a damaged manifest is a warning (files are then
/// found by name).
fn read_manifest(source: &Source, warnings: &mut Vec<String>) -> Option<Manifest> {
    let entry = source.find("data/manifest.js")?;
    let place = source.place(entry);
    let result = source.with_reader::<_, ArchiveError>(entry, |reader| {
        let text = jsfile::read_small(reader, &place)?;
        let body = jsfile::body(&text, &place)?.to_string();
        match Manifest::parse(&body) {
            Ok(m) => Ok(m),
            Err(err) => lenient::to_json(&body)
                .and_then(|json| Manifest::parse(&json).ok())
                .ok_or_else(|| ArchiveError::Malformed {
                    place: place.clone(),
                    detail: jsfile::json_detail(&err),
                }),
        }
    });
    match result {
        Ok(manifest) => Some(manifest),
        Err(err) => {
            warnings.push(err.warning("files were found by name instead"));
            None
        }
    }
}

/// Decides the layout and the tweet parts.
fn pick_layout(
    source: &Source,
    files: &FileSet,
    has_manifest: bool,
    warnings: &mut Vec<String>,
) -> Result<(Layout, Vec<Part>, Option<u64>), ArchiveError> {
    if let Some(layout) = files.ytd_layout() {
        return Ok((layout, files.parts(Kind::Tweets).to_vec(), None));
    }
    if grailbird::detect(source) {
        let (parts, mut more) = grailbird::parts(source);
        warnings.append(&mut more);
        let total = grailbird::expected_total(source, warnings);
        return Ok((Layout::Grailbird, parts, total));
    }
    let any_ytd = Kind::ALL.iter().any(|&k| files.has(k));
    if has_manifest || any_ytd {
        // An archive without tweets (or with tweet files X left out): the era decides.
        if files.parts(Kind::Tweets).is_empty() {
            warnings.push(format!(
                "{} has no tweets file (data/tweets.js, data/tweet.js or a part of them), so it \
                 shows no tweets",
                source.path().display()
            ));
        }
        let layout = if has_manifest {
            Layout::YtdTweets
        } else {
            Layout::YtdTweet
        };
        return Ok((layout, Vec::new(), None));
    }
    Err(ArchiveError::NotTwitter {
        path: source.path().to_path_buf(),
    })
}

/// Warns about files the manifest (or Grailbird's index) lists but the archive lacks.
fn missing_parts(
    source: &Source,
    files: &FileSet,
    tweet_parts: &[Part],
    layout: Layout,
    warnings: &mut Vec<(Topic, String)>,
) {
    let listing = if layout == Layout::Grailbird {
        "tweet_index.js"
    } else {
        "manifest.js"
    };
    let others = Kind::ALL
        .iter()
        .filter(|&&k| k != Kind::Tweets)
        .flat_map(|&k| files.parts(k).iter().map(move |p| (k, p)));
    let stand_in = grailbird::csv_part(source, layout)
        .map(|csv| format!(", so its tweets were read from {} instead", csv.name))
        .unwrap_or_default();
    for part in tweet_parts.iter() {
        if !part.present {
            let place = source.place_of(&part.name);
            let text =
                format!("{place} is listed in {listing} but missing from the archive{stand_in}");
            warnings.push((Topic::Tweets, text));
        }
    }
    for (kind, part) in others {
        if !part.present {
            let place = source.place_of(&part.name);
            let text = format!("{place} is listed in {listing} but missing from the archive");
            warnings.push((kind.topic(), text));
        }
    }
}

/// The tweet media folders: the manifest's, else the usual names. A zip inside a media folder
/// (archives of mid-2019 zipped the media there) is a folder of its own: its files are named
/// `tweet_media/<zip name>/<file>`, so a media file's name says where to find it.
fn media_index(
    source: &Source,
    manifest: Option<&Manifest>,
    layout: Layout,
    warnings: &mut Vec<String>,
) -> MediaIndex {
    if layout == Layout::Grailbird {
        return MediaIndex::default();
    }
    let mut dirs = manifest.map(Manifest::media_dirs).unwrap_or_default();
    if dirs.is_empty() {
        dirs = vec!["data/tweets_media".into(), "data/tweet_media".into()];
    }
    dirs.dedup();
    let prefixes: Vec<String> = dirs
        .iter()
        .map(|d| format!("{}/", d.trim_end_matches('/')))
        .collect();
    let in_dirs =
        |entry: &&source::Entry| prefixes.iter().any(|p| entry.name.starts_with(p.as_str()));
    let is_zip = |entry: &&source::Entry| {
        let name = entry.name.as_bytes();
        name.len() >= 4 && name[name.len() - 4..].eq_ignore_ascii_case(b".zip")
    };
    let mut nested = Vec::new();
    for entry in source.entries().iter().filter(in_dirs).filter(is_zip) {
        match source.nested_zip_names(entry) {
            Ok(inner) => {
                nested.extend(inner.iter().map(|n| {
                    let file = n.rsplit('/').next().unwrap_or(n);
                    format!("{}/{file}", entry.name)
                }));
                dirs.push(entry.name.to_string());
            }
            Err(err) => warnings.push(err.warning("its media files are not counted")),
        }
    }
    // The archive's own names are borrowed, not copied: there can be hundreds of thousands.
    let files = source
        .entries()
        .iter()
        .filter(in_dirs)
        .filter(|e| !is_zip(e));
    let names = files
        .map(|e| &*e.name)
        .chain(nested.iter().map(String::as_str));
    MediaIndex::new(&dirs, names)
}
