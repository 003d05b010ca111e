//! WebFinger and host-meta documents, in either of their two encodings: JRD (JSON, RFC 7033)
//! and XRD (XML, RFC 6415). Also which link names the ActivityPub actor, which address the
//! document claims, and where host-meta's `lrdd` template sends WebFinger. Pure: bytes in,
//! values out; no network.

use quick_xml::events::{BytesStart, Event};
use serde_json::Value;

use super::state::Acct;

/// A WebFinger or host-meta document, whatever its encoding.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Jrd {
    pub subject: Option<String>,
    pub aliases: Vec<String>,
    pub links: Vec<Link>,
}

/// One `links[]` entry (or `<Link>` element).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Link {
    pub rel: String,
    /// The media type (`type`).
    pub kind: Option<String>,
    pub href: Option<String>,
    pub template: Option<String>,
}

/// Why a body is not a usable document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    #[error("the answer is empty")]
    Empty,
    #[error("the answer is an HTML page")]
    Html,
    #[error("the answer is not valid {what}: {reason}")]
    Invalid { what: &'static str, reason: String },
}

impl DocError {
    fn json(reason: impl ToString) -> Self {
        DocError::Invalid {
            what: "JSON",
            reason: reason.to_string(),
        }
    }

    fn xml(reason: impl ToString) -> Self {
        DocError::Invalid {
            what: "XRD",
            reason: reason.to_string(),
        }
    }
}

/// What a body starts with, whitespace and a byte-order mark skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniffed {
    Json,
    Xml,
    Html,
    Empty,
    Other,
}

/// The body without a UTF-8 byte-order mark (some servers send one; JSON parsers refuse it).
pub(crate) fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

pub(crate) fn sniff(body: &[u8]) -> Sniffed {
    let body = without_bom(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    let Some(start) = start else {
        return Sniffed::Empty;
    };
    let head: Vec<u8> = body[start..]
        .iter()
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    match head[0] {
        b'{' => Sniffed::Json,
        b'<' if head.starts_with(b"<!doctype html") || head.starts_with(b"<html") => Sniffed::Html,
        b'<' => Sniffed::Xml,
        _ => Sniffed::Other,
    }
}

/// Parses a WebFinger or host-meta answer, JRD or XRD (told apart by the body, since servers
/// do not always label them).
pub fn parse(body: &[u8]) -> Result<Jrd, DocError> {
    let body = without_bom(body);
    let jrd = match sniff(body) {
        Sniffed::Empty => return Err(DocError::Empty),
        Sniffed::Html => return Err(DocError::Html),
        Sniffed::Json => parse_json(body)?,
        Sniffed::Xml => parse_xml(body)?,
        Sniffed::Other => return Err(DocError::json("it starts with neither `{` nor `<`")),
    };
    if jrd.subject.is_none() && jrd.aliases.is_empty() && jrd.links.is_empty() {
        return Err(DocError::json("no subject, aliases or links"));
    }
    Ok(jrd)
}

fn parse_json(body: &[u8]) -> Result<Jrd, DocError> {
    let value: Value = serde_json::from_slice(body).map_err(DocError::json)?;
    let object = value
        .as_object()
        .ok_or_else(|| DocError::json("not an object"))?;
    let text = |v: &Value| v.as_str().map(str::to_string);
    let list = |key: &str| object.get(key).and_then(Value::as_array).cloned();
    Ok(Jrd {
        subject: object.get("subject").and_then(text),
        aliases: list("aliases")
            .unwrap_or_default()
            .iter()
            .filter_map(text)
            .collect(),
        links: list("links")
            .unwrap_or_default()
            .iter()
            .filter_map(|link| {
                Some(Link {
                    rel: link.get("rel").and_then(text)?,
                    kind: link.get("type").and_then(text),
                    href: link.get("href").and_then(text),
                    template: link.get("template").and_then(text),
                })
            })
            .collect(),
    })
}

fn parse_xml(body: &[u8]) -> Result<Jrd, DocError> {
    let text = std::str::from_utf8(body).map_err(DocError::xml)?;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut jrd = Jrd::default();
    let mut path: Vec<String> = Vec::new();
    let mut buffer = String::new();
    loop {
        match reader.read_event().map_err(DocError::xml)? {
            Event::Start(start) => {
                let name = local_name(&start);
                if path.is_empty() && name != "XRD" {
                    return Err(DocError::xml(format!(
                        "the root element is <{name}>, not <XRD>"
                    )));
                }
                if path.len() == 1 && name == "Link" {
                    jrd.links.extend(xml_link(&start)?);
                }
                path.push(name);
                buffer.clear();
            }
            Event::Empty(empty) if path.len() == 1 && local_name(&empty) == "Link" => {
                jrd.links.extend(xml_link(&empty)?);
            }
            Event::Text(text) => buffer.push_str(&text.decode().map_err(DocError::xml)?),
            Event::CData(data) => buffer.push_str(&data.decode().map_err(DocError::xml)?),
            Event::GeneralRef(entity) => {
                let raw = format!("&{};", entity.decode().map_err(DocError::xml)?);
                buffer.push_str(&quick_xml::escape::unescape(&raw).map_err(DocError::xml)?);
            }
            Event::End(_) => {
                let name = path.pop().unwrap_or_default();
                if path.len() == 1 {
                    let value = buffer.trim().to_string();
                    match name.as_str() {
                        "Subject" => jrd.subject = Some(value),
                        "Alias" => jrd.aliases.push(value),
                        _ => {}
                    }
                }
                buffer.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(jrd)
}

fn local_name(element: &BytesStart<'_>) -> String {
    String::from_utf8_lossy(element.local_name().as_ref()).into_owned()
}

fn xml_link(element: &BytesStart<'_>) -> Result<Option<Link>, DocError> {
    let mut link = Link::default();
    for attribute in element.attributes() {
        let attribute = attribute.map_err(DocError::xml)?;
        let value = attribute
            .unescape_value()
            .map_err(DocError::xml)?
            .into_owned();
        match attribute.key.local_name().as_ref() {
            b"rel" => link.rel = value,
            b"type" => link.kind = Some(value),
            b"href" => link.href = Some(value),
            b"template" => link.template = Some(value),
            _ => {}
        }
    }
    Ok((!link.rel.is_empty()).then_some(link))
}

/// How sure we are that a `rel=self` link is the ActivityPub actor.
fn actor_rank(link: &Link) -> Option<u8> {
    if link.rel != "self" || link.href.as_deref().is_none_or(str::is_empty) {
        return None;
    }
    let Some(kind) = &link.kind else {
        return Some(3); // an untyped self link: most likely the actor, but say so last
    };
    let kind: String = kind
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    if kind == "application/activity+json" {
        return Some(1);
    }
    let activitystreams = "profile=\"https://www.w3.org/ns/activitystreams\"";
    let bare = "profile=https://www.w3.org/ns/activitystreams";
    let ld = kind.starts_with("application/ld+json")
        && (kind.contains(activitystreams) || kind.contains(bare));
    ld.then_some(2)
}

impl Jrd {
    /// The ActivityPub actor URL: the `self` link typed `application/activity+json`, else the
    /// one typed `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, else an
    /// untyped `self` link. `None` when the account has no ActivityPub presence.
    pub fn actor(&self) -> Option<&str> {
        self.links
            .iter()
            .filter_map(|link| Some((actor_rank(link)?, link.href.as_deref()?)))
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, href)| href)
    }

    /// The addresses the document claims, best first: the subject (when it is an `acct:` with
    /// a domain), then `acct:` aliases and bare `user@host` aliases.
    pub fn claimed(&self) -> Vec<Acct> {
        let subject = self.subject.iter().filter_map(|s| acct_of(s));
        let aliases = self.aliases.iter().filter_map(|a| acct_of(a));
        let mut out: Vec<Acct> = Vec::new();
        for acct in subject.chain(aliases) {
            if !out.iter().any(|seen| seen.same_as(&acct)) {
                out.push(acct);
            }
        }
        out
    }

    /// The WebFinger URL template from host-meta (`rel=lrdd` with `{uri}`), preferring the
    /// JSON flavour when several are offered.
    pub fn lrdd_template(&self) -> Option<&str> {
        let rank = |link: &Link| match link.kind.as_deref() {
            Some("application/jrd+json") | Some("application/json") | None => 0,
            _ => 1,
        };
        self.links
            .iter()
            .filter(|link| link.rel == "lrdd")
            .filter(|link| {
                link.template
                    .as_deref()
                    .is_some_and(|t| t.contains("{uri}"))
            })
            .min_by_key(|link| rank(link))
            .and_then(|link| link.template.as_deref())
    }
}

/// An address from a subject or alias: `acct:u@h` or a bare `u@h`, never a URL.
fn acct_of(text: &str) -> Option<Acct> {
    let text = text.trim();
    if text.contains("://") {
        return None;
    }
    Acct::parse(text)
}

/// Which address to report, given the document, the hosts allowed to speak for themselves
/// (the candidate's host and the host that answered), and the address we asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Canonical {
    /// An address on a trusted host.
    Trusted(Acct),
    /// The document's preferred address is on another host, which must confirm it; until
    /// then `fallback` (a claimed address on a trusted host, or the one asked) stands.
    Unconfirmed {
        claimed: Acct,
        fallback: Option<Acct>,
    },
}

/// Picks the canonical address (see [`Canonical`]). `None` when the document names no
/// address and we asked by URL.
pub fn canonical(jrd: &Jrd, trusted: &[&str], asked: Option<&Acct>) -> Option<Canonical> {
    let claims = jrd.claimed();
    let is_trusted = |acct: &Acct| trusted.iter().any(|host| acct.host == *host);
    let Some(first) = claims.first() else {
        return asked.cloned().map(Canonical::Trusted);
    };
    if is_trusted(first) {
        return Some(Canonical::Trusted(first.clone()));
    }
    let fallback = claims
        .iter()
        .find(|acct| is_trusted(acct))
        .cloned()
        .or_else(|| asked.cloned());
    Some(Canonical::Unconfirmed {
        claimed: first.clone(),
        fallback,
    })
}

/// Fills an `lrdd` template with a resource (percent-encoded, as `{uri}` requires).
pub fn fill_template(template: &str, resource: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(resource.as_bytes()).collect();
    template.replace("{uri}", &encoded)
}

#[cfg(test)]
mod tests;
