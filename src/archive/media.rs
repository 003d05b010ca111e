//! Media files: which file in `tweets_media/` (or `tweet_media/`) belongs to which tweet.
//! A zip inside a media folder (mid-2019 archives) is indexed as a folder of its own, named
//! after the zip (`data/tweet_media/tweet_media.zip/`).
//!
//! Files are named `<tweet id>-<name>`: for photos `<name>` is the last segment of
//! `media_url`; for videos and GIFs it is the last segment of one mp4 variant's URL. Names do
//! not always match (Twitter re-encoded some files), so the lookup goes: exact name, then any
//! unused file of the same tweet with a fitting extension. A media item with no file is
//! reported missing, except media the tweet re-used from another tweet, which the archive
//! never holds.

use serde::{Deserialize, Serialize};

use super::names::NameSet;
use super::rawtweet::RawMedia;

/// The kind of a media item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaKind {
    Photo,
    Video,
    AnimatedGif,
}

/// One media item of a tweet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaRef {
    /// The media id, when the archive gives one.
    pub id: Option<String>,
    pub kind: MediaKind,
    /// The file inside the archive (root-relative, e.g. `data/tweets_media/1-abc.jpg`), if
    /// the archive holds it.
    pub file: Option<String>,
    /// Where Twitter served it from (the photo, or the best mp4 variant).
    pub url: Option<String>,
    /// True when the tweet re-used media from another tweet (the archive has no file).
    pub foreign: bool,
}

/// The media files of an archive, for lookups by tweet.
#[derive(Debug, Default)]
pub struct MediaIndex {
    /// Root-relative folder names with a trailing `/`.
    dirs: Vec<String>,
    files: NameSet,
}

impl MediaIndex {
    /// Indexes the files under each of `dirs` (root-relative) among `names`.
    pub fn new<'a>(dirs: &[String], names: impl Iterator<Item = &'a str>) -> Self {
        let dirs: Vec<String> = dirs
            .iter()
            .map(|d| format!("{}/", d.trim_end_matches('/')))
            .collect();
        let files = NameSet::new(names.filter(|n| dirs.iter().any(|d| n.starts_with(d.as_str()))));
        Self { dirs, files }
    }

    /// The number of media files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// True when the archive has a media folder at all (Grailbird archives have none).
    pub fn has_folder(&self) -> bool {
        !self.dirs.is_empty()
    }

    /// The media of one tweet, with files found where possible.
    pub fn resolve(&self, tweet_id: &str, items: &[RawMedia<'_>]) -> Vec<MediaRef> {
        let mut out: Vec<MediaRef> = Vec::with_capacity(items.len());
        for item in items {
            let kind = kind_of(item);
            let url = best_url(item, kind);
            let foreign = item
                .source_status_id_str
                .as_deref()
                .is_some_and(|s| s != tweet_id);
            let taken: Vec<&str> = out.iter().filter_map(|m| m.file.as_deref()).collect();
            let file = if foreign {
                None
            } else {
                self.find(tweet_id, url.as_deref(), kind, &taken)
            };
            out.push(MediaRef {
                id: item.id_str.as_deref().map(str::to_string),
                kind,
                file,
                url,
                foreign,
            });
        }
        out
    }

    fn find(
        &self,
        tweet_id: &str,
        url: Option<&str>,
        kind: MediaKind,
        taken: &[&str],
    ) -> Option<String> {
        if let Some(base) = url.map(basename) {
            for dir in &self.dirs {
                let name = format!("{dir}{tweet_id}-{base}");
                if self.files.contains(&name) && !taken.contains(&name.as_str()) {
                    return Some(name);
                }
            }
        }
        for dir in &self.dirs {
            let prefix = format!("{dir}{tweet_id}-");
            let found = self
                .files
                .starting_with(&prefix)
                .find(|n| !taken.contains(n) && fits(n, kind));
            if let Some(name) = found {
                return Some(name.to_string());
            }
        }
        None
    }
}

fn kind_of(item: &RawMedia<'_>) -> MediaKind {
    match item.kind.as_deref() {
        Some("video") => MediaKind::Video,
        Some("animated_gif") => MediaKind::AnimatedGif,
        _ => MediaKind::Photo,
    }
}

/// The photo URL, or the highest-bitrate mp4 variant of a video.
fn best_url(item: &RawMedia<'_>, kind: MediaKind) -> Option<String> {
    if kind != MediaKind::Photo
        && let Some(info) = &item.video_info
    {
        let best = info
            .variants
            .iter()
            .filter(|v| v.content_type.as_deref() == Some("video/mp4"))
            .max_by_key(|v| v.bitrate.unwrap_or(0));
        if let Some(url) = best.and_then(|v| v.url.as_deref()) {
            return Some(url.to_string());
        }
    }
    item.media_url_https
        .as_deref()
        .or(item.media_url.as_deref())
        .map(str::to_string)
}

/// The last path segment of a URL, without its query.
fn basename(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or(path)
}

fn fits(name: &str, kind: MediaKind) -> bool {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match kind {
        MediaKind::Photo => matches!(ext.as_str(), "jpg" | "jpeg" | "png" | "gif" | "webp"),
        MediaKind::Video | MediaKind::AnimatedGif => matches!(ext.as_str(), "mp4" | "mov" | "m4v"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn media(json: &str) -> Vec<RawMedia<'_>> {
        serde_json::from_str(json).unwrap()
    }

    fn index() -> MediaIndex {
        let names = [
            "data/tweets_media/10-AAA.jpg",
            "data/tweets_media/10-BBB.jpg",
            "data/tweets_media/20-vid.mp4",
            "data/tweets_media/30-other-name.jpg",
            "data/tweets.js",
        ];
        MediaIndex::new(&["data/tweets_media".to_string()], names.into_iter())
    }

    #[test]
    fn files_are_found_by_name_then_by_tweet() {
        let idx = index();
        assert_eq!(idx.len(), 4);
        let items = media(
            r#"[{"type":"photo","media_url_https":"https://pbs.twimg.com/media/BBB.jpg"},
                {"type":"photo","media_url_https":"https://pbs.twimg.com/media/AAA.jpg"}]"#,
        );
        let got = idx.resolve("10", &items);
        assert_eq!(got[0].file.as_deref(), Some("data/tweets_media/10-BBB.jpg"));
        assert_eq!(got[1].file.as_deref(), Some("data/tweets_media/10-AAA.jpg"));

        let renamed =
            media(r#"[{"type":"photo","media_url":"http://pbs.twimg.com/media/XYZ.jpg"}]"#);
        let got = idx.resolve("30", &renamed);
        assert_eq!(
            got[0].file.as_deref(),
            Some("data/tweets_media/30-other-name.jpg")
        );
    }

    #[test]
    fn videos_use_the_best_mp4_variant() {
        let items = media(
            r#"[{"type":"video","media_url_https":"https://pbs.twimg.com/thumb.jpg",
                "video_info":{"variants":[
                  {"bitrate":"256000","content_type":"video/mp4","url":"https://video.twimg.com/a/low.mp4?tag=1"},
                  {"content_type":"application/x-mpegURL","url":"https://video.twimg.com/a/pl.m3u8"},
                  {"bitrate":"2176000","content_type":"video/mp4","url":"https://video.twimg.com/a/vid.mp4?tag=12"}]}}]"#,
        );
        let got = index().resolve("20", &items);
        assert_eq!(got[0].kind, MediaKind::Video);
        assert_eq!(got[0].file.as_deref(), Some("data/tweets_media/20-vid.mp4"));
        assert_eq!(
            got[0].url.as_deref(),
            Some("https://video.twimg.com/a/vid.mp4?tag=12")
        );
    }

    #[test]
    fn missing_and_foreign_media_have_no_file() {
        let items = media(
            r#"[{"type":"photo","media_url_https":"https://pbs.twimg.com/media/Q.jpg"},
                {"type":"photo","media_url_https":"https://pbs.twimg.com/media/R.jpg","source_status_id_str":"5"}]"#,
        );
        let got = index().resolve("40", &items);
        assert!(got.iter().all(|m| m.file.is_none()));
        assert!(!got[0].foreign);
        assert!(got[1].foreign);
    }
}
