//! Builds Twitter archives: for the tests (in a temp dir), for the committed fixtures
//! (`cargo run --example make-fixtures`) and for the benchmark (`benches/archive.rs`).
//!
//! The files follow the shapes of real exports (see `fixtures/README.md`): numbers as strings,
//! pretty-printed records, `window.YTD.<type>.partN =` prefixes, HTML-escaped `full_text` with
//! entity indices counted in code points of the escaped text. Everything is deterministic (a
//! seeded xorshift), so rebuilding a fixture gives the same bytes.

#![allow(dead_code)] // the tests, the example and the benchmark each use a subset

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

/// A tiny valid 1×1 PNG, used for every media file.
pub const PNG: [u8; 69] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0,
    0, 0, 144, 119, 83, 222, 0, 0, 0, 12, 73, 68, 65, 84, 120, 156, 99, 240, 154, 119, 19, 0, 2,
    247, 1, 194, 115, 239, 7, 213, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

/// The files of an archive, in the order they are written.
#[derive(Debug, Default, Clone)]
pub struct Files {
    pub files: Vec<(String, Vec<u8>)>,
}

impl Files {
    /// Adds (or replaces) a file.
    pub fn add(&mut self, name: &str, bytes: impl Into<Vec<u8>>) {
        self.files.retain(|(n, _)| n != name);
        self.files.push((name.to_string(), bytes.into()));
    }

    /// The bytes of a file.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_slice())
    }

    /// Writes a deflated zip with fixed timestamps (same input, same bytes).
    pub fn write_zip(&self, path: &Path) -> std::io::Result<()> {
        self.write_zip_storing(path, |_| false)
    }

    /// Writes a zip like [`Files::write_zip`], but the files for which `stored` is true go in
    /// uncompressed.
    pub fn write_zip_storing(
        &self,
        path: &Path,
        stored: impl Fn(&str) -> bool,
    ) -> std::io::Result<()> {
        let file = std::fs::File::create(path)?;
        self.zip_into(std::io::BufWriter::new(file), stored)?
            .flush()
    }

    /// The files as the bytes of a deflated zip (for a zip inside an archive).
    pub fn zip_bytes(&self) -> Vec<u8> {
        let cursor = self
            .zip_into(std::io::Cursor::new(Vec::new()), |_| false)
            .expect("zip in memory");
        cursor.into_inner()
    }

    fn zip_into<W: Write + std::io::Seek>(
        &self,
        out: W,
        stored: impl Fn(&str) -> bool,
    ) -> std::io::Result<W> {
        let mut zip = zip::ZipWriter::new(out);
        let options = zip::write::SimpleFileOptions::default()
            .last_modified_time(zip::DateTime::default())
            .large_file(false);
        for (name, bytes) in &self.files {
            let method = if stored(name) {
                zip::CompressionMethod::Stored
            } else {
                zip::CompressionMethod::Deflated
            };
            zip.start_file(name.as_str(), options.compression_method(method))
                .map_err(std::io::Error::other)?;
            zip.write_all(bytes)?;
        }
        zip.finish().map_err(std::io::Error::other)
    }

    /// Writes the files under `dir`, as an unpacked archive.
    pub fn write_dir(&self, dir: &Path) -> std::io::Result<()> {
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)?;
        }
        Ok(())
    }
}

/// A deterministic pseudo-random source (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A tweet id whose snowflake time is `created` (seconds), made unique by `seq`.
pub fn snowflake(created: i64, seq: u64) -> u64 {
    let ms = (created as u64) * 1000 - 1_288_834_974_657;
    (ms << 22) | (seq & 0x3F_FFFF)
}

/// An account in the archive (owner, followed account, mention).
#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub username: String,
    pub name: String,
}

impl Person {
    pub fn new(id: &str, username: &str, name: &str) -> Self {
        Self {
            id: id.into(),
            username: username.into(),
            name: name.into(),
        }
    }
}

/// A media item of a tweet.
#[derive(Debug, Clone)]
pub struct MediaSpec {
    /// The media key (`FAbc123`): the file is `<tweet id>-<key>.png` (or `.mp4`).
    pub key: String,
    pub video: bool,
    /// Whether the archive holds the file.
    pub present: bool,
}

/// A tweet to write.
#[derive(Debug, Clone, Default)]
pub struct TweetSpec {
    pub id: u64,
    pub created: i64,
    /// Plain text as the user wrote it (escaped by the builder), containing each mention's
    /// `@username` and each URL's short form.
    pub text: String,
    /// (status id, user) this tweet answers.
    pub reply_to: Option<(u64, Person)>,
    pub mentions: Vec<Person>,
    /// (t.co short, expanded).
    pub urls: Vec<(String, String)>,
    pub media: Vec<MediaSpec>,
    /// Ids of every version, oldest first, when the tweet was edited.
    pub edit_ids: Vec<u64>,
    pub lang: String,
    /// Write the record without the `{"tweet": …}` wrapper.
    pub bare: bool,
}

/// `&`, `<`, `>` escaped as in `full_text`.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Code-point indices of `needle` in `hay`, as strings.
fn indices(hay: &str, needle: &str) -> Value {
    let start = hay.find(needle).map_or(0, |b| hay[..b].chars().count());
    let end = start + needle.chars().count();
    json!([start.to_string(), end.to_string()])
}

/// The `created_at` form of YTD archives.
pub fn ytd_date(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%a %b %d %H:%M:%S +0000 %Y")
        .to_string()
}

/// One YTD tweet record, as pretty JSON.
pub fn tweet_record(t: &TweetSpec) -> String {
    let mut text = escape(&t.text);
    let media_short = format!("https://t.co/m{}", t.id % 100_000_000);
    if !t.media.is_empty() {
        text.push(' ');
        text.push_str(&media_short);
    }
    let mut entities = json!({
        "hashtags": [], "symbols": [],
        "user_mentions": t.mentions.iter().map(|p| json!({
            "name": p.name, "screen_name": p.username,
            "indices": indices(&text, &format!("@{}", p.username)),
            "id_str": p.id, "id": p.id })).collect::<Vec<_>>(),
        "urls": t.urls.iter().map(|(short, long)| json!({
            "url": short, "expanded_url": long,
            "display_url": long.trim_start_matches("https://"),
            "indices": indices(&text, short) })).collect::<Vec<_>>(),
    });
    let id = t.id.to_string();
    let mut tweet = json!({
        "retweeted": false,
        "source": "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
        "entities": Value::Null,
        "display_text_range": ["0", text.chars().count().to_string()],
        "favorite_count": (t.id % 17).to_string(),
        "id_str": id, "truncated": false, "retweet_count": (t.id % 5).to_string(),
        "id": id, "possibly_sensitive": false,
        "created_at": ytd_date(t.created), "favorited": false,
        "full_text": Value::Null, "lang": t.lang,
    });
    if !t.media.is_empty() {
        let items: Vec<Value> = t
            .media
            .iter()
            .enumerate()
            .map(|(i, m)| media_item(t.id, i, m, &text, &media_short))
            .collect();
        entities["media"] = json!([items[0].clone()]);
        tweet["extended_entities"] = json!({ "media": items });
    }
    tweet["entities"] = entities;
    tweet["full_text"] = json!(text);
    if let Some((status, user)) = &t.reply_to {
        tweet["in_reply_to_status_id_str"] = json!(status.to_string());
        tweet["in_reply_to_status_id"] = json!(status.to_string());
        tweet["in_reply_to_user_id_str"] = json!(user.id);
        tweet["in_reply_to_user_id"] = json!(user.id);
        tweet["in_reply_to_screen_name"] = json!(user.username);
    }
    if !t.edit_ids.is_empty() {
        let ids: Vec<String> = t.edit_ids.iter().map(u64::to_string).collect();
        let info = json!({ "editTweetIds": ids, "editableUntil": "2023-01-01T00:00:00.000Z",
                           "editsRemaining": "4", "isEditEligible": true });
        tweet["edit_info"] = if t.edit_ids.first() == Some(&t.id) {
            json!({ "initial": info })
        } else {
            json!({ "edit": { "initialTweetId": ids[0], "editControlInitial": info } })
        };
    } else {
        tweet["edit_info"] = json!({ "initial": { "editTweetIds": [id], "editableUntil": "2023-01-01T00:00:00.000Z",
                                                   "editsRemaining": "5", "isEditEligible": true } });
    }
    let record = if t.bare {
        tweet
    } else {
        json!({ "tweet": tweet })
    };
    serde_json::to_string_pretty(&record).unwrap_or_default()
}

fn media_item(tweet_id: u64, i: usize, m: &MediaSpec, text: &str, short: &str) -> Value {
    let media_id = (tweet_id + 1 + i as u64).to_string();
    let mut item = json!({
        "expanded_url": format!("https://twitter.com/owner/status/{tweet_id}/photo/1"),
        "indices": indices(text, short), "url": short,
        "media_url": format!("http://pbs.twimg.com/media/{}.png", m.key),
        "media_url_https": format!("https://pbs.twimg.com/media/{}.png", m.key),
        "id_str": media_id, "id": media_id, "display_url": "pic.twitter.com/x",
        "sizes": { "large": { "w": "1", "h": "1", "resize": "fit" } },
        "type": if m.video { "video" } else { "photo" },
    });
    if m.video {
        item["media_url_https"] = json!(format!(
            "https://pbs.twimg.com/ext_tw_video_thumb/{media_id}/pu/img/{}.jpg",
            m.key
        ));
        item["video_info"] = json!({ "aspect_ratio": ["1", "1"], "duration_millis": "3000", "variants": [
            { "bitrate": "256000", "content_type": "video/mp4",
              "url": format!("https://video.twimg.com/ext_tw_video/{media_id}/pu/vid/320x320/low{}.mp4?tag=12", m.key) },
            { "content_type": "application/x-mpegURL",
              "url": format!("https://video.twimg.com/ext_tw_video/{media_id}/pu/pl/{}.m3u8?tag=12", m.key) },
            { "bitrate": "832000", "content_type": "video/mp4",
              "url": format!("https://video.twimg.com/ext_tw_video/{media_id}/pu/vid/720x720/{}.mp4?tag=12", m.key) } ] });
    }
    item
}

/// The file of a media item as the archive names it.
pub fn media_file(tweet_id: u64, m: &MediaSpec) -> String {
    let ext = if m.video { "mp4" } else { "png" };
    format!("{tweet_id}-{}.{ext}", m.key)
}

/// How a `.js` file lays out its array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `window.YTD.x.part0 = [` then one record per block, as since 2020.
    Modern,
    /// `window.YTD.x.part0 = [ {` on one line, as in 2019.
    OneLine,
}

/// A YTD `.js` file: `window.YTD.<global>.part<part> = [ … ]`.
pub fn ytd_js(global: &str, part: usize, records: &[String], style: Style) -> String {
    let head = format!("window.YTD.{global}.part{part} = [");
    if records.is_empty() {
        return format!("{head} ]");
    }
    match style {
        Style::Modern => format!("{head}\n{}\n]", records.join(",\n")),
        Style::OneLine => format!("{head} {} ]", records.join(", ")),
    }
}

/// A wrapped record `{"<key>": value}` as pretty JSON.
pub fn wrapped(key: &str, value: Value) -> String {
    serde_json::to_string_pretty(&json!({ key: value })).unwrap_or_default()
}

/// Relation records (`following`, `follower`, `blocking`, `muting`).
pub fn relation_records(key: &str, ids: &[String], with_link: bool) -> Vec<String> {
    ids.iter()
        .map(|id| {
            let mut v = json!({ "accountId": id });
            if with_link {
                v["userLink"] = json!(format!("https://twitter.com/intent/user?user_id={id}"));
            }
            wrapped(key, v)
        })
        .collect()
}

/// One entry of `manifest.js` `dataTypes`.
#[derive(Debug, Clone)]
pub struct DataType {
    pub key: String,
    pub files: Vec<(String, String, usize)>,
    pub media_dir: Option<String>,
}

/// `window.__THAR_CONFIG = {…}`.
pub fn manifest(owner: &Person, types: &[DataType]) -> String {
    let mut data_types = serde_json::Map::new();
    for dt in types {
        let files: Vec<Value> = dt
            .files
            .iter()
            .map(|(name, global, count)| {
                json!({
            "fileName": name, "globalName": global, "count": count.to_string() })
            })
            .collect();
        let mut v = json!({ "files": files });
        if let Some(dir) = &dt.media_dir {
            v["mediaDirectory"] = json!(dir);
        }
        data_types.insert(dt.key.clone(), v);
    }
    let doc = json!({
        "userInfo": { "accountId": owner.id, "userName": owner.username, "displayName": owner.name },
        "archiveInfo": { "sizeBytes": "1000", "generationDate": "2024-05-01T10:00:00.000Z",
                         "isPartialArchive": false, "maxPartSizeBytes": "53687091200" },
        "readmeInfo": { "fileName": "data/README.txt", "directory": "data/", "name": "README.txt" },
        "dataTypes": data_types,
    });
    format!(
        "window.__THAR_CONFIG = {}",
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    )
}

/// A long post: (created secs, full text, urls as (short, expanded)).
pub type NoteSpec = (i64, String, Vec<(String, String)>);

/// A modern (2022+) archive: `data/` files, the tweets split over `parts` files, a manifest
/// listing everything with counts, and media files for the media that are `present`.
#[derive(Debug, Clone, Default)]
pub struct Modern {
    pub owner: Option<Person>,
    pub past: Vec<(String, String, String)>,
    pub tweets: Vec<TweetSpec>,
    pub parts: usize,
    pub following: Vec<String>,
    pub followers: Vec<String>,
    pub blocks: Vec<String>,
    pub mutes: Vec<String>,
    pub likes: Vec<(String, String)>,
    pub lists: [Vec<String>; 3],
    pub notes: Vec<NoteSpec>,
    pub circle: Vec<TweetSpec>,
    pub deleted: Vec<TweetSpec>,
}

impl Modern {
    /// Writes the archive's files.
    pub fn build(&self) -> Files {
        let mut files = Files::default();
        let owner = self
            .owner
            .clone()
            .unwrap_or_else(|| Person::new("1", "owner", "Owner"));
        let mut types = Vec::new();
        let parts = self.parts.max(1);
        let chunk = self.tweets.len().div_ceil(parts).max(1);
        let mut tweet_files = Vec::new();
        for (i, group) in self
            .tweets
            .chunks(chunk)
            .enumerate()
            .chain(std::iter::once((0, &[][..])).filter(|_| self.tweets.is_empty()))
        {
            let name = if i == 0 {
                "data/tweets.js".to_string()
            } else {
                format!("data/tweets-part{i}.js")
            };
            let records: Vec<String> = group.iter().map(tweet_record).collect();
            files.add(&name, ytd_js("tweets", i, &records, Style::Modern));
            tweet_files.push((name, format!("YTD.tweets.part{i}"), group.len()));
        }
        types.push(DataType {
            key: "tweets".into(),
            files: tweet_files,
            media_dir: Some("data/tweets_media".into()),
        });
        for t in self.tweets.iter().chain(&self.circle) {
            for m in t.media.iter().filter(|m| m.present) {
                files.add(
                    &format!("data/tweets_media/{}", media_file(t.id, m)),
                    PNG.to_vec(),
                );
            }
        }
        self.add_owner_files(&mut files, &mut types, &owner);
        self.add_relations(&mut files, &mut types);
        self.add_tweet_side_files(&mut files, &mut types);
        for empty in ["direct-messages", "ad-engagements", "ip-audit"] {
            let global = empty.replace('-', "_");
            files.add(
                &format!("data/{empty}.js"),
                format!("window.YTD.{global}.part0 = [];\n"),
            );
        }
        files.add(
            "data/README.txt",
            "Your archive (synthetic, built by fedimigrate's fixture builder).\n",
        );
        files.add("data/manifest.js", manifest(&owner, &types));
        files
    }

    fn add_owner_files(&self, files: &mut Files, types: &mut Vec<DataType>, owner: &Person) {
        let account = wrapped(
            "account",
            json!({
            "email": "owner@example.com", "createdVia": "web", "username": owner.username,
            "accountId": owner.id, "createdAt": "2012-03-04T05:06:07.000Z", "accountDisplayName": owner.name }),
        );
        add_js(files, types, "account", "account", vec![account]);
        let profile = wrapped(
            "profile",
            json!({ "description": {
            "bio": "Writing about trains, bread and open protocols.", "website": "https://t.co/abc", "location": "Leipzig" },
            "avatarMediaUrl": "https://pbs.twimg.com/profile_images/1/avatar.png" }),
        );
        add_js(files, types, "profile", "profile", vec![profile]);
        if let Some(profile) = types.last_mut() {
            profile.media_dir = Some("data/profile_media".into());
        }
        files.add(
            &format!("data/profile_media/{}-avatar.png", owner.id),
            PNG.to_vec(),
        );
        let changes: Vec<String> = self.past.iter().map(|(at, from, to)| wrapped("screenNameChange", json!({
            "accountId": owner.id, "screenNameChange": { "changedAt": at, "changedFrom": from, "changedTo": to } }))).collect();
        add_js(
            files,
            types,
            "screenNameChange",
            "screen-name-change",
            changes,
        );
    }

    fn add_relations(&self, files: &mut Files, types: &mut Vec<DataType>) {
        let sets = [
            ("following", "following", "following", &self.following),
            ("follower", "follower", "follower", &self.followers),
            ("block", "block", "blocking", &self.blocks),
            ("mute", "mute", "muting", &self.mutes),
        ];
        for (key, file, wrapper, ids) in sets {
            add_js(
                files,
                types,
                key,
                file,
                relation_records(wrapper, ids, true),
            );
        }
        let likes: Vec<String> = self.likes.iter().map(|(id, text)| wrapped("like", json!({
            "tweetId": id, "fullText": text, "expandedUrl": format!("https://twitter.com/i/web/status/{id}") }))).collect();
        add_js(files, types, "like", "like", likes);
        for (i, (key, file)) in [
            ("listsCreated", "lists-created"),
            ("listsMember", "lists-member"),
            ("listsSubscribed", "lists-subscribed"),
        ]
        .into_iter()
        .enumerate()
        {
            let records = self.lists[i]
                .iter()
                .map(|url| wrapped("userListInfo", json!({ "url": url })))
                .collect();
            add_js(files, types, key, file, records);
        }
    }

    fn add_tweet_side_files(&self, files: &mut Files, types: &mut Vec<DataType>) {
        let notes: Vec<String> = self.notes.iter().enumerate().map(|(i, (created, text, urls))| {
            let at = chrono::DateTime::from_timestamp(*created, 0).unwrap_or_default().format("%Y-%m-%dT%H:%M:%S.000Z").to_string();
            wrapped("noteTweet", json!({ "noteTweetId": snowflake(*created, 900 + i as u64).to_string(),
                "updatedAt": at, "lifecycle": { "value": "1", "name": "Active", "originalName": "Active", "annotations": {} },
                "createdAt": at, "core": { "styletags": [], "urls": urls.iter().map(|(s, e)| json!({
                    "shortUrl": s, "expandedUrl": e, "displayUrl": e.trim_start_matches("https://"),
                    "fromIndex": "0", "toIndex": "1" })).collect::<Vec<_>>(),
                "text": text, "mentions": [], "cashtags": [], "hashtags": [] } }))
        }).collect();
        add_js(files, types, "noteTweet", "note-tweet", notes);
        let circle: Vec<String> = self.circle.iter().map(tweet_record).collect();
        add_js(
            files,
            types,
            "twitterCircleTweet",
            "twitter-circle-tweet",
            circle,
        );
        let deleted: Vec<String> = self.deleted.iter().map(tweet_record).collect();
        add_js(files, types, "deletedTweets", "deleted-tweets", deleted);
        let headers: Vec<String> = self.tweets.iter().map(|t| wrapped("tweet", json!({
            "tweet_id": t.id.to_string(), "user_id": self.owner.as_ref().map_or("1", |o| o.id.as_str()),
            "created_at": ytd_date(t.created) }))).collect();
        add_js(files, types, "tweetHeaders", "tweet-headers", headers);
    }
}

/// Adds `data/<file>.js` with `records` and its manifest entry.
fn add_js(
    files: &mut Files,
    types: &mut Vec<DataType>,
    key: &str,
    file: &str,
    records: Vec<String>,
) {
    let global = file.replace('-', "_");
    let name = format!("data/{file}.js");
    files.add(&name, ytd_js(&global, 0, &records, Style::Modern));
    types.push(DataType {
        key: key.into(),
        files: vec![(name, format!("YTD.{global}.part0"), records.len())],
        media_dir: None,
    });
}

/// A Grailbird tweet record (API v1.1 shape: numeric ids next to `id_str`, `text`).
pub fn grailbird_record(
    id: u64,
    created: &str,
    text: &str,
    owner: &Person,
    extra: Value,
) -> String {
    let mut v = json!({
        "source": "<a href=\"https://example.org\" rel=\"nofollow\">Bot</a>",
        "entities": { "user_mentions": [], "media": [], "hashtags": [], "urls": [] },
        "geo": {}, "id_str": id.to_string(), "text": escape(text), "created_at": created,
        "user": { "name": owner.name, "screen_name": owner.username, "protected": false,
                  "id_str": owner.id, "verified": false },
    });
    if let (Some(obj), Value::Object(more)) = (v.as_object_mut(), extra) {
        obj.extend(more);
    }
    // The numeric id is written by hand: beyond 2^53 it must keep every digit.
    let text = serde_json::to_string_pretty(&v).unwrap_or_default();
    text.replacen(
        "\"geo\": {},",
        &format!("\"geo\": {{}},\n  \"id\": {id},"),
        1,
    )
}

/// One row of Grailbird's `tweets.csv`.
#[derive(Debug, Clone, Default)]
pub struct CsvRow {
    pub id: u64,
    /// (status id, user id) this tweet answers.
    pub reply_to: Option<(u64, String)>,
    /// `2012-12-03 17:25:48 +0000`.
    pub timestamp: String,
    /// The text as the user wrote it (escaped by the builder; may hold line breaks).
    pub text: String,
    /// (status id, user id, timestamp) of the retweeted tweet.
    pub retweet_of: Option<(u64, String, String)>,
    /// `expanded_urls`, in order (repeats kept, as Twitter wrote them).
    pub expanded_urls: Vec<String>,
}

/// A whole `tweets.csv`: the ten-column header, then every field quoted (`"` doubled).
pub fn tweets_csv(rows: &[CsvRow]) -> String {
    let mut out = String::from(
        "\"tweet_id\",\"in_reply_to_status_id\",\"in_reply_to_user_id\",\"timestamp\",\"source\",\"text\",\"retweeted_status_id\",\"retweeted_status_user_id\",\"retweeted_status_timestamp\",\"expanded_urls\"\n",
    );
    for row in rows {
        let (reply_status, reply_user) = row
            .reply_to
            .as_ref()
            .map_or((String::new(), String::new()), |(s, u)| {
                (s.to_string(), u.clone())
            });
        let (rt_id, rt_user, rt_at) = row
            .retweet_of
            .as_ref()
            .map_or(Default::default(), |(s, u, t)| {
                (s.to_string(), u.clone(), t.clone())
            });
        let cells = [
            row.id.to_string(),
            reply_status,
            reply_user,
            row.timestamp.clone(),
            "<a href=\"http://twitter.com\" rel=\"nofollow\">Twitter Web Client</a>".into(),
            escape(&row.text),
            rt_id,
            rt_user,
            rt_at,
            row.expanded_urls.join(","),
        ];
        let quoted: Vec<String> = cells
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\"")))
            .collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}
