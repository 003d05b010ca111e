//! Which of a tweet's media go with which post of its thread. Pure: files are named, never
//! opened (the executor uploads them and skips what the server's size or type limits
//! refuse).
//!
//! - A media item without a file in the archive is left out with a warning; the post goes on.
//! - At most `max_media_attachments` per post.
//! - Mastodon refuses a post with more than one attachment when any is a video or audio
//!   (`PostStatusService`: "images_and_video"). A Twitter GIF arrives as an mp4, so it is a
//!   video until the server has processed it: each video and GIF gets a post of its own,
//!   photos are grouped. GoToSocial takes any mix; unknown software is treated like Mastodon.
//! - Groups keep the tweet's order (a group sits where its first item was).
//! - Descriptions (alt text, which the archive never has) come from the user's `--alt-text`
//!   file, by tweet id and media id or file name.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::length::ServerKind;
use crate::archive::{MediaKind, MediaRef};

/// One file to upload and attach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChunkMedia {
    /// The file inside the archive (for `Archive::read_file`).
    pub file: String,
    pub kind: MediaKind,
    /// Alt text, when the user supplied one.
    pub description: Option<String>,
}

/// Alt texts by tweet: (tweet id, media id or file name) → description.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AltTexts {
    by_key: HashMap<(String, String), String>,
}

impl AltTexts {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a description for the media of `tweet_id` named by `key`: its media id, its
    /// file name in the archive (`<tweet id>-<name>` or `<name>`), or the name in its URL.
    pub fn insert(&mut self, tweet_id: &str, key: &str, description: &str) {
        let key = basename(key.trim()).to_string();
        self.by_key
            .insert((tweet_id.to_string(), key), description.trim().to_string());
    }

    /// The description for one media item of `tweet_id`, if the user gave one.
    pub fn find(&self, tweet_id: &str, media: &MediaRef) -> Option<&str> {
        let file = media.file.as_deref().map(basename);
        let keys = [
            media.id.as_deref(),
            file,
            file.and_then(|f| f.strip_prefix(&format!("{tweet_id}-")[..])),
            media.url.as_deref().map(basename),
        ];
        keys.into_iter().flatten().find_map(|k| {
            self.by_key
                .get(&(tweet_id.to_string(), k.to_string()))
                .map(String::as_str)
        })
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }
}

/// The tweet's media grouped into posts, and a warning for each item left out.
pub fn group(
    tweet_id: &str,
    media: &[MediaRef],
    alt: &AltTexts,
    max_per_post: usize,
    software: ServerKind,
) -> (Vec<Vec<ChunkMedia>>, Vec<String>) {
    let max = max_per_post.max(1);
    let mut warnings = Vec::new();
    let mut groups: Vec<Vec<ChunkMedia>> = Vec::new();
    let mut open: Option<usize> = None;
    for item in media {
        let Some(file) = item.file.clone() else {
            warnings.push(missing(tweet_id, item));
            continue;
        };
        let one = ChunkMedia {
            file,
            kind: item.kind,
            description: alt.find(tweet_id, item).map(str::to_string),
        };
        let alone = software != ServerKind::GoToSocial && one.kind != MediaKind::Photo;
        match open {
            Some(g) if !alone && groups[g].len() < max => groups[g].push(one),
            _ => {
                groups.push(vec![one]);
                if !alone {
                    open = Some(groups.len() - 1);
                }
            }
        }
    }
    (groups, warnings)
}

fn missing(tweet_id: &str, item: &MediaRef) -> String {
    let what = match item.kind {
        MediaKind::Photo => "a photo",
        MediaKind::Video => "a video",
        MediaKind::AnimatedGif => "a GIF",
    };
    if item.foreign {
        format!(
            "tweet {tweet_id} shows {what} from another tweet, which the archive does not hold; it is posted without it"
        )
    } else {
        format!("tweet {tweet_id} has {what} the archive does not hold; it is posted without it")
    }
}

fn basename(path: &str) -> &str {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: MediaKind, file: Option<&str>) -> MediaRef {
        MediaRef {
            id: None,
            kind,
            file: file.map(str::to_string),
            url: None,
            foreign: false,
        }
    }

    fn shape(groups: &[Vec<ChunkMedia>]) -> Vec<Vec<&str>> {
        groups
            .iter()
            .map(|g| g.iter().map(|m| m.file.as_str()).collect())
            .collect()
    }

    /// (media kinds and files, max per post, software, the files of each post)
    type Row<'a> = (
        &'a [(MediaKind, &'a str)],
        usize,
        ServerKind,
        &'a [&'a [&'a str]],
    );

    #[test]
    fn media_spread_by_software_and_limit() {
        use MediaKind::{AnimatedGif as G, Photo as P, Video as V};
        let table: &[Row<'_>] = &[
            (
                &[(P, "a"), (P, "b")],
                4,
                ServerKind::Mastodon,
                &[&["a", "b"]],
            ),
            (
                &[(P, "a"), (P, "b"), (P, "c")],
                2,
                ServerKind::Mastodon,
                &[&["a", "b"], &["c"]],
            ),
            (
                &[(V, "v"), (P, "a"), (P, "b")],
                4,
                ServerKind::Mastodon,
                &[&["v"], &["a", "b"]],
            ),
            (
                &[(P, "a"), (V, "v"), (P, "b")],
                4,
                ServerKind::Mastodon,
                &[&["a", "b"], &["v"]],
            ),
            (
                &[(G, "g"), (V, "v")],
                4,
                ServerKind::Other,
                &[&["g"], &["v"]],
            ),
            (
                &[(V, "v"), (P, "a"), (G, "g")],
                4,
                ServerKind::GoToSocial,
                &[&["v", "a", "g"]],
            ),
            (
                &[(P, "a"), (P, "b")],
                0,
                ServerKind::Mastodon,
                &[&["a"], &["b"]],
            ),
            (&[], 4, ServerKind::Mastodon, &[]),
        ];
        for (items, max, software, want) in table {
            let media: Vec<MediaRef> = items.iter().map(|(k, f)| item(*k, Some(f))).collect();
            let (groups, warnings) = group("1", &media, &AltTexts::new(), *max, *software);
            assert_eq!(shape(&groups), *want, "{items:?} max {max} on {software:?}");
            assert!(warnings.is_empty());
        }
    }

    #[test]
    fn missing_files_are_left_out_with_a_warning() {
        let media = [
            item(MediaKind::Photo, None),
            item(MediaKind::Photo, Some("f")),
        ];
        let (groups, warnings) = group("7", &media, &AltTexts::new(), 4, ServerKind::Mastodon);
        assert_eq!(shape(&groups), [["f"]]);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].contains("tweet 7"), "{}", warnings[0]);
    }

    #[test]
    fn alt_texts_match_by_id_or_file_name() {
        let mut alt = AltTexts::new();
        alt.insert("7", "111", "by id");
        alt.insert("7", "data/tweets_media/7-B.jpg", "by file");
        alt.insert("7", "C.png", "by name");
        alt.insert("8", "D.jpg", "other tweet");
        let mut a = item(MediaKind::Photo, Some("data/tweets_media/7-A.jpg"));
        a.id = Some("111".into());
        let b = item(MediaKind::Photo, Some("data/tweets_media/7-B.jpg"));
        let c = item(MediaKind::Photo, Some("data/tweets_media/7-C.png"));
        let d = item(MediaKind::Photo, Some("data/tweets_media/7-D.jpg"));
        let found: Vec<Option<&str>> = [&a, &b, &c, &d].iter().map(|m| alt.find("7", m)).collect();
        assert_eq!(
            found,
            [Some("by id"), Some("by file"), Some("by name"), None]
        );
    }
}

/// What the instance accepts for uploads (from `/api/v2/instance`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UploadLimits {
    pub image_size_limit: Option<u64>,
    pub video_size_limit: Option<u64>,
    /// Empty when the server does not say.
    pub supported_mime_types: Vec<String>,
}

/// The MIME type of a media file, from its name (the archive's files are named
/// `<tweet id>-<id>.<ext>`).
pub fn mime_type(file: &str) -> Option<&'static str> {
    let ext = file.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "m4v" => "video/x-m4v",
        "webm" => "video/webm",
        _ => return None,
    })
}

/// Why the instance cannot take a file of `size` bytes of type `mime`, if it cannot.
pub fn refusal(limits: &UploadLimits, mime: &str, size: u64) -> Option<String> {
    if !limits.supported_mime_types.is_empty()
        && !limits.supported_mime_types.iter().any(|m| m == mime)
    {
        return Some(format!("the instance does not take {mime} files"));
    }
    let limit = if mime.starts_with("video/") {
        limits.video_size_limit
    } else {
        limits.image_size_limit
    };
    limit.filter(|&max| size > max).map(|max| {
        format!(
            "it is {:.1} MB and the instance takes at most {:.1} MB",
            size as f64 / 1e6,
            max as f64 / 1e6
        )
    })
}

#[cfg(test)]
mod upload_tests {
    use super::*;

    #[test]
    fn refuses_what_the_instance_cannot_take() {
        let limits = UploadLimits {
            image_size_limit: Some(1_000),
            video_size_limit: Some(5_000),
            supported_mime_types: vec!["image/jpeg".into(), "video/mp4".into()],
        };
        assert_eq!(mime_type("data/tweets_media/1-a.JPG"), Some("image/jpeg"));
        assert_eq!(mime_type("noext"), None);
        assert_eq!(refusal(&limits, "image/jpeg", 1_000), None);
        assert!(
            refusal(&limits, "image/jpeg", 1_001)
                .unwrap()
                .contains("at most")
        );
        assert_eq!(refusal(&limits, "video/mp4", 4_000), None);
        assert!(
            refusal(&limits, "image/webp", 10)
                .unwrap()
                .contains("image/webp")
        );
        assert_eq!(
            refusal(&UploadLimits::default(), "image/webp", 1 << 40),
            None
        );
    }
}
