//! `data/manifest.js` (`window.__THAR_CONFIG = {…}`), the archive's own table of contents
//! since March 2020: the owner, and for every data type its files and record counts.
//!
//! The reader uses it to find the tweet parts and to check them: a listed file that is absent,
//! or a file whose record count differs from the listed one, becomes a warning.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::de;

/// The parts of the manifest the reader uses.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    #[serde(default)]
    pub user_info: Option<UserInfo>,
    #[serde(default)]
    pub data_types: BTreeMap<String, DataType>,
}

/// The owner as the manifest names them (at the time of the export).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    #[serde(default, deserialize_with = "de::id")]
    pub account_id: Option<String>,
    #[serde(default)]
    pub user_name: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
}

/// One data type (`tweets`, `following`…): its files and media folder.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataType {
    #[serde(default)]
    pub files: Vec<FileRef>,
    #[serde(default)]
    pub media_directory: Option<String>,
}

/// One file of a data type, with the number of records the export wrote into it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRef {
    pub file_name: String,
    #[serde(default, deserialize_with = "de::number")]
    pub count: Option<u64>,
}

impl Manifest {
    /// Parses the JSON body of `manifest.js` (after the assignment).
    pub fn parse(body: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(body)
    }

    /// The files listed for the first of `keys` that the manifest has.
    pub fn files(&self, keys: &[&str]) -> Option<&[FileRef]> {
        keys.iter()
            .find_map(|key| self.data_types.get(*key))
            .map(|dt| dt.files.as_slice())
    }

    /// The media folders the manifest names for tweets.
    pub fn media_dirs(&self) -> Vec<String> {
        ["tweetsMedia", "tweets", "tweetMedia", "tweet"]
            .iter()
            .filter_map(|key| self.data_types.get(*key)?.media_directory.clone())
            .collect()
    }

    /// The profile media folder (`data/profile_media`), when the manifest names one.
    pub fn profile_media_dir(&self) -> Option<String> {
        ["profileMedia", "profile"]
            .iter()
            .find_map(|key| self.data_types.get(*key)?.media_directory.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_2023_manifest_parses() {
        let body = r#"{ "userInfo": {"accountId":"111","userName":"someone","displayName":"Some One"},
          "archiveInfo": {"sizeBytes":"44546997"},
          "dataTypes": {
            "tweets": {"mediaDirectory":"data/tweets_media",
              "files":[{"fileName":"data/tweets.js","globalName":"YTD.tweets.part0","count":"3601"},
                       {"fileName":"data/tweets-part1.js","globalName":"YTD.tweets.part1","count":"10"}]},
            "tweetsMedia": {"mediaDirectory":"data/tweets_media"},
            "sso": {"files": []}
          } }"#;
        let m = Manifest::parse(body).unwrap();
        assert_eq!(
            m.user_info.as_ref().and_then(|u| u.user_name.as_deref()),
            Some("someone")
        );
        let files = m.files(&["tweets"]).unwrap();
        assert_eq!(files[1].file_name, "data/tweets-part1.js");
        assert_eq!(files[0].count, Some(3601));
        assert!(m.files(&["like"]).is_none());
    }
}
