//! The owner's public profile: bio, website, location and avatar.
//!
//! Sources: `profile.js` (`{"profile": {"description": {"bio", "website", "location"},
//! "avatarMediaUrl", "headerMediaUrl"}}`) with the avatar file in `profile_media/` named
//! `<account id>-<last segment of avatarMediaUrl>`; in Grailbird archives the `bio`,
//! `location` and `expanded_url`/`url` of `data/js/user_details.js` (no avatar file there).
//! The profile is optional: a missing or damaged file is never an error here.

use serde::{Deserialize, Serialize};

/// The owner's profile as the archive stores it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OwnerProfile {
    /// The bio ("description"), as written.
    pub bio: Option<String>,
    /// The profile's website (YTD archives may keep the t.co form).
    pub website: Option<String>,
    pub location: Option<String>,
    /// Where Twitter served the avatar from.
    pub avatar_url: Option<String>,
    /// The avatar inside the archive (root-relative, for `Archive::read_file`), if it is there.
    pub avatar_file: Option<String>,
    /// Where Twitter served the header image from.
    pub header_url: Option<String>,
}

impl OwnerProfile {
    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// `profile.js` record (`{"profile": {…}}`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ProfileRecord {
    #[serde(default)]
    description: Option<Description>,
    #[serde(default)]
    avatar_media_url: Option<String>,
    #[serde(default)]
    header_media_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Description {
    #[serde(default)]
    bio: Option<String>,
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    location: Option<String>,
}

impl ProfileRecord {
    /// The profile, with the avatar looked up among `files` (root-relative names) of the
    /// profile media folders `dirs`.
    pub fn into_profile<'a>(
        self,
        account_id: Option<&str>,
        dirs: &[String],
        files: impl Iterator<Item = &'a str>,
    ) -> OwnerProfile {
        let d = self.description.unwrap_or_default();
        let avatar_file = self
            .avatar_media_url
            .as_deref()
            .and_then(|url| avatar_file(url, account_id, dirs, files));
        OwnerProfile {
            bio: text(d.bio),
            website: text(d.website),
            location: text(d.location),
            avatar_url: text(self.avatar_media_url),
            avatar_file,
            header_url: text(self.header_media_url),
        }
    }
}

/// `<dir>/<account id>-<name>` if present, else any `<dir>/…-<name>`.
fn avatar_file<'a>(
    url: &str,
    account_id: Option<&str>,
    dirs: &[String],
    files: impl Iterator<Item = &'a str>,
) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let base = path.rsplit('/').next().filter(|b| !b.is_empty())?;
    let suffix = format!("-{base}");
    let candidates: Vec<&str> = files
        .filter(|f| {
            dirs.iter()
                .any(|d| f.starts_with(&format!("{}/", d.trim_end_matches('/'))))
        })
        .filter(|f| f.ends_with(&suffix))
        .collect();
    let exact = account_id.and_then(|id| {
        candidates
            .iter()
            .find(|f| f.rsplit('/').next() == Some(&format!("{id}{suffix}")))
    });
    exact.or(candidates.first()).map(|f| f.to_string())
}

/// Grailbird `user_details.js` fields of the profile.
pub(crate) fn from_details(
    bio: Option<String>,
    url: Option<String>,
    location: Option<String>,
) -> OwnerProfile {
    OwnerProfile {
        bio: text(bio),
        website: text(url),
        location: text(location),
        ..OwnerProfile::default()
    }
}

/// Blank strings are absent values.
fn text(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_profile_record_finds_its_avatar() {
        let json = r#"{"description":{"bio":"Latest News","website":"https://ethereumclassic.org","location":"Blockchain"},
          "avatarMediaUrl":"https://pbs.twimg.com/profile_images/1578028611638276101/da3tW8zS.jpg",
          "headerMediaUrl":"https://pbs.twimg.com/profile_banners/759252279862104064/1665066328"}"#;
        let rec: ProfileRecord = serde_json::from_str(json).unwrap();
        let files = [
            "data/profile_media/759252279862104064-da3tW8zS.jpg",
            "data/tweets_media/1-da3tW8zS.jpg",
        ];
        let p = rec.into_profile(
            Some("759252279862104064"),
            &["data/profile_media".into()],
            files.into_iter(),
        );
        assert_eq!(p.bio.as_deref(), Some("Latest News"));
        assert_eq!(p.location.as_deref(), Some("Blockchain"));
        assert_eq!(
            p.avatar_file.as_deref(),
            Some("data/profile_media/759252279862104064-da3tW8zS.jpg")
        );
        assert!(p.header_url.is_some());
    }

    #[test]
    fn blanks_are_absent_and_a_missing_avatar_has_no_file() {
        let json = r#"{"description":{"bio":"","website":" "},"avatarMediaUrl":"https://pbs.twimg.com/p/x.jpg"}"#;
        let rec: ProfileRecord = serde_json::from_str(json).unwrap();
        let p = rec.into_profile(None, &["data/profile_media".into()], std::iter::empty());
        assert_eq!(p.bio, None);
        assert_eq!(p.website, None);
        assert_eq!(p.avatar_file, None);
        assert_eq!(
            p.avatar_url.as_deref(),
            Some("https://pbs.twimg.com/p/x.jpg")
        );
        assert!(!p.is_empty());
    }
}
