//! `/api/v2/instance` and `/api/v1/instance` in each flavour's shape, and NodeInfo.

use serde_json::{Value, json};

use super::Flavour;
use super::route::{Ctx, base_url};
use crate::{Host, Resp};

pub(crate) fn instance(ctx: &mut Ctx<'_>, version: u8) -> Resp {
    let state = &ctx.state;
    let api_version = match state.flavour {
        Flavour::Pleroma => format!("2.7.2 (compatible; Pleroma {})", state.version),
        _ => state.version.clone(),
    };
    let source = match state.flavour {
        Flavour::Mastodon => "https://github.com/mastodon/mastodon",
        Flavour::GoToSocial => "https://github.com/superseriousbusiness/gotosocial",
        Flavour::Pleroma => "https://git.pleroma.social/pleroma/pleroma",
    };
    let configuration = json!({
        "statuses": {
            "max_characters": state.max_characters,
            "max_media_attachments": state.max_media,
            "characters_reserved_per_url": if state.flavour == Flavour::GoToSocial { 25 } else { 23 }
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime", "audio/mpeg"],
            "image_size_limit": state.image_size_limit,
            "image_matrix_limit": 33_177_600,
            "video_size_limit": 103_809_024,
            "video_frame_rate_limit": 120,
            "video_matrix_limit": 8_294_400,
            "description_limit": 1500
        }
    });
    let body = match (version, state.flavour) {
        (2, _) => json!({
            "domain": state.domain, "title": "Fake instance", "version": api_version,
            "source_url": source, "description": "", "languages": ["en"],
            "configuration": configuration,
            "registrations": {"enabled": false, "approval_required": false, "message": null}
        }),
        (_, Flavour::Pleroma) => json!({
            "uri": format!("https://{}", state.domain), "title": "Fake Pleroma",
            "version": api_version, "max_toot_chars": state.max_characters,
            "upload_limit": state.image_size_limit, "poll_limits": {"max_options": 20}
        }),
        _ => json!({
            "uri": state.domain, "title": "Fake instance", "version": api_version,
            "configuration": configuration, "languages": ["en"]
        }),
    };
    Resp::json(200, &body)
}

/// Mounts NodeInfo discovery and a NodeInfo 2.0 document naming `software` `version`.
pub fn mount_nodeinfo(host: &Host, software: &str, version: &str) {
    let (software, version) = (software.to_string(), version.to_string());
    host.mount(move |req| match (req.method.as_str(), req.path.as_str()) {
        ("GET", "/.well-known/nodeinfo") => Some(Resp::json(
            200,
            &json!({"links": [{
                "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
                "href": format!("{}/nodeinfo/2.0", base_url(req))
            }]}),
        )),
        ("GET", "/nodeinfo/2.0") => Some(Resp::json(200, &nodeinfo(&software, &version))),
        _ => None,
    });
}

fn nodeinfo(software: &str, version: &str) -> Value {
    json!({
        "version": "2.0",
        "software": {"name": software, "version": version},
        "protocols": ["activitypub"],
        "services": {"outbound": [], "inbound": []},
        "usage": {"users": {"total": 4, "activeMonth": 1, "activeHalfyear": 2}, "localPosts": 5},
        "openRegistrations": false,
        "metadata": {"nodeName": "Fake"}
    })
}
