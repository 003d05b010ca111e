//! Instance facts: what software runs the instance, and the limits and capabilities posting
//! depends on. From `GET /api/v2/instance` (falling back to v1 on older servers and Pleroma)
//! and NodeInfo. Reading the answers into [`InstanceInfo`] is pure and tested apart from the
//! requests.

use reqwest::Method;
use serde::{Deserialize, Serialize};

use super::client::Client;
use super::error::Error;
use super::family::Budgets;
use super::retry::Repeat;

/// A software version, `major.minor.patch` (pre-release and build parts dropped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self {
            major,
            minor,
            patch,
        }
    }

    /// Reads `4.3.0`, `v0.17.3`, `4.3.0-beta.1`, `0.18.0+git-abc`, `4.2`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().trim_start_matches(['v', 'V']);
        let core = text.split(['-', '+', ' ']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u32>());
        let major = parts.next()?.ok()?;
        let minor = parts.next().unwrap_or(Ok(0)).ok()?;
        let patch = parts.next().unwrap_or(Ok(0)).ok()?;
        Some(Self::new(major, minor, patch))
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// The server software (NodeInfo's `software`), name lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Software {
    pub name: String,
    pub version: Option<Version>,
}

/// What the instance accepts in a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub max_characters: u32,
    /// What every URL counts for in the length, whatever its real length.
    pub characters_reserved_per_url: u32,
    pub max_media_attachments: u32,
    pub image_size_limit: Option<u64>,
    pub video_size_limit: Option<u64>,
    /// Longest media description (alt text).
    pub description_limit: Option<u32>,
    /// MIME types uploads may have; empty when the server does not say.
    pub supported_mime_types: Vec<String>,
}

impl Default for Limits {
    /// Stock Mastodon's, for servers that say nothing.
    fn default() -> Self {
        Self {
            max_characters: 500,
            characters_reserved_per_url: 23,
            max_media_attachments: 4,
            image_size_limit: None,
            video_size_limit: None,
            description_limit: None,
            supported_mime_types: Vec::new(),
        }
    }
}

/// Features that differ between servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// A past `scheduled_at` creates a post dated then, quietly (GoToSocial ≥ 0.18). Mastodon
    /// publishes such a post now instead, so never send it one.
    pub can_backdate: bool,
    /// A repeated `Idempotency-Key` returns the first post instead of making a second one
    /// (Mastodon, for an hour; Pleroma and Akkoma). GoToSocial ignores the key, and unknown
    /// software is not trusted with it: there a post whose answer was lost is looked for
    /// among the account's statuses before it is sent again.
    pub honours_idempotency_key: bool,
}

/// Everything the tool needs to know about an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InstanceInfo {
    /// The instance's domain as it names itself.
    pub domain: String,
    pub title: String,
    /// The Mastodon-API version string the server reports.
    pub api_version: String,
    pub software: Software,
    pub limits: Limits,
    /// False when the instance named no post limits and `limits` holds stock Mastodon's.
    pub limits_stated: bool,
    pub capabilities: Capabilities,
}

/// The parts of `/api/v2/instance` and `/api/v1/instance` that matter (v1 names the domain
/// `uri`; Pleroma adds `max_toot_chars` and `upload_limit`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawInstance {
    pub domain: Option<String>,
    pub uri: Option<String>,
    pub title: String,
    pub version: String,
    pub source_url: Option<String>,
    pub configuration: RawConfiguration,
    pub max_toot_chars: Option<u32>,
    pub upload_limit: Option<u64>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawConfiguration {
    pub statuses: RawStatuses,
    pub media_attachments: RawMedia,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawStatuses {
    pub max_characters: Option<u32>,
    pub max_media_attachments: Option<u32>,
    pub characters_reserved_per_url: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RawMedia {
    pub supported_mime_types: Vec<String>,
    pub image_size_limit: Option<u64>,
    pub video_size_limit: Option<u64>,
    pub description_limit: Option<u32>,
}

#[derive(Debug, Deserialize)]
struct NodeInfoLinks {
    #[serde(default)]
    links: Vec<NodeInfoLink>,
}

#[derive(Debug, Deserialize)]
struct NodeInfoLink {
    rel: String,
    href: String,
}

#[derive(Debug, Deserialize)]
struct NodeInfo {
    software: NodeInfoSoftware,
}

#[derive(Debug, Deserialize)]
struct NodeInfoSoftware {
    name: String,
    #[serde(default)]
    version: Option<String>,
}

impl Client {
    /// The instance's facts. Also adjusts the pacer's budgets to the software found.
    pub async fn instance_info(&self) -> Result<InstanceInfo, Error> {
        let raw = self.raw_instance().await?;
        let software = match self.nodeinfo().await {
            Ok(Some(software)) => software,
            Err(Error::Interrupted) => return Err(Error::Interrupted),
            _ => software_from_instance(&raw),
        };
        let info = describe(raw, software, self.host());
        self.set_budgets(Budgets::for_software(&info.software.name));
        Ok(info)
    }

    /// The domain the instance gives its local accounts (it may differ from the web host).
    pub async fn local_domain(&self) -> Result<String, Error> {
        let domain = self
            .local_domain
            .get_or_try_init(|| async {
                let raw = self.raw_instance().await?;
                let software = software_from_instance(&raw);
                Ok::<_, Error>(describe(raw, software, self.instance().host()).domain)
            })
            .await?;
        Ok(domain.clone())
    }

    /// `/api/v2/instance`, or v1 where v2 is missing (older servers, Pleroma).
    async fn raw_instance(&self) -> Result<RawInstance, Error> {
        let v2 = self.call(Method::GET, "/api/v2/instance").anonymous();
        match self.json(v2, "instance information").await {
            Err(err) if matches!(err.api().map(|a| a.status), Some(404 | 410)) => {
                let v1 = self.call(Method::GET, "/api/v1/instance").anonymous();
                self.json(v1, "instance information").await
            }
            other => other,
        }
    }

    /// The software named by the instance's NodeInfo, if it has one on the same site.
    pub async fn nodeinfo(&self) -> Result<Option<Software>, Error> {
        let call = self.call(Method::GET, "/.well-known/nodeinfo").anonymous();
        let links: NodeInfoLinks = self.json(call, "a NodeInfo index").await?;
        let Some(href) = pick_nodeinfo(&links.links) else {
            return Ok(None);
        };
        let Ok(url) = self.instance().base().join(&href) else {
            return Ok(None);
        };
        if !self.instance().same_origin(&url) {
            return Ok(None);
        }
        let call = self.call_url(Method::GET, url, Repeat::Safe).anonymous();
        let info: NodeInfo = self.json(call, "NodeInfo").await?;
        Ok(Some(Software {
            name: info.software.name.to_ascii_lowercase(),
            version: info.software.version.as_deref().and_then(Version::parse),
        }))
    }
}

/// The highest NodeInfo 2.x schema offered.
fn pick_nodeinfo(links: &[NodeInfoLink]) -> Option<String> {
    links
        .iter()
        .filter_map(|link| {
            let schema = link
                .rel
                .strip_prefix("http://nodeinfo.diaspora.software/ns/schema/")?;
            Some((Version::parse(schema)?, link.href.clone()))
        })
        .filter(|(version, _)| version.major == 2)
        .max_by_key(|(version, _)| *version)
        .map(|(_, href)| href)
}

/// Guesses the software from the instance answer when NodeInfo is missing: Pleroma and Akkoma
/// report `2.7.2 (compatible; Pleroma 2.6.1)`, GoToSocial links its source.
pub fn software_from_instance(raw: &RawInstance) -> Software {
    if let Some((_, compat)) = raw.version.split_once("(compatible;") {
        let mut words = compat.trim_end_matches(')').split_whitespace();
        if let Some(name) = words.next() {
            return Software {
                name: name.to_ascii_lowercase(),
                version: words.next().and_then(Version::parse),
            };
        }
    }
    let source = raw
        .source_url
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let name = if source.contains("gotosocial") {
        "gotosocial"
    } else if source.contains("mastodon") || raw.version.starts_with(char::is_numeric) {
        "mastodon"
    } else {
        "unknown"
    };
    Software {
        name: name.to_string(),
        version: Version::parse(&raw.version),
    }
}

/// Puts the facts together (pure).
pub fn describe(raw: RawInstance, software: Software, fallback_domain: &str) -> InstanceInfo {
    let limits = limits_from(&raw);
    let limits_stated =
        raw.configuration.statuses.max_characters.is_some() || raw.max_toot_chars.is_some();
    let honours_key = honours_idempotency_key(&software.name);
    let can_backdate = software.name == "gotosocial"
        && software
            .version
            .is_some_and(|v| v >= Version::new(0, 18, 0));
    InstanceInfo {
        domain: raw
            .domain
            .or(raw.uri)
            .map(|d| {
                d.trim_start_matches("https://")
                    .trim_end_matches('/')
                    .to_string()
            })
            .unwrap_or_else(|| fallback_domain.to_string()),
        title: raw.title,
        api_version: raw.version,
        software,
        limits,
        limits_stated,
        capabilities: Capabilities {
            can_backdate,
            honours_idempotency_key: honours_key,
        },
    }
}

/// Servers known to replay a post for a repeated `Idempotency-Key`: Mastodon
/// (`PostStatusService#idempotency_duplicate`) and its forks, Pleroma and Akkoma
/// (`IdempotencyPlug`).
fn honours_idempotency_key(software: &str) -> bool {
    matches!(
        software,
        "mastodon" | "hometown" | "glitch" | "glitch-soc" | "pleroma" | "akkoma"
    )
}

fn limits_from(raw: &RawInstance) -> Limits {
    let defaults = Limits::default();
    let statuses = &raw.configuration.statuses;
    let media = &raw.configuration.media_attachments;
    Limits {
        max_characters: statuses
            .max_characters
            .or(raw.max_toot_chars)
            .unwrap_or(defaults.max_characters),
        characters_reserved_per_url: statuses
            .characters_reserved_per_url
            .unwrap_or(defaults.characters_reserved_per_url),
        max_media_attachments: statuses
            .max_media_attachments
            .unwrap_or(defaults.max_media_attachments),
        image_size_limit: media.image_size_limit.or(raw.upload_limit),
        video_size_limit: media.video_size_limit.or(raw.upload_limit),
        description_limit: media.description_limit,
        supported_mime_types: media.supported_mime_types.clone(),
    }
}

#[cfg(test)]
mod tests;
