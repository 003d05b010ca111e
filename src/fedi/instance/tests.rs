//! Reading instance answers of the three server families into facts.

use super::*;

fn raw(json: &str) -> RawInstance {
    serde_json::from_str(json).unwrap()
}

#[test]
fn parses_versions() {
    let cases = [
        ("4.3.0", Some(Version::new(4, 3, 0))),
        ("v0.17.3", Some(Version::new(0, 17, 3))),
        ("4.3.0-beta.1", Some(Version::new(4, 3, 0))),
        ("0.18.0+git-4c1d8b2", Some(Version::new(0, 18, 0))),
        ("4.2", Some(Version::new(4, 2, 0))),
        (
            "2.7.2 (compatible; Pleroma 2.6.1)",
            Some(Version::new(2, 7, 2)),
        ),
        ("", None),
        ("x.y", None),
    ];
    for (text, want) in cases {
        assert_eq!(Version::parse(text), want, "{text}");
    }
}

#[test]
fn mastodon_v2_with_nodeinfo() {
    let raw = raw(
        r#"{"domain":"mastodon.example","title":"Mastodon","version":"4.6.4",
        "source_url":"https://github.com/mastodon/mastodon",
        "configuration":{"statuses":{"max_characters":500,"max_media_attachments":4,
        "characters_reserved_per_url":23},"media_attachments":{"description_limit":10000,
        "image_size_limit":16777216,"video_size_limit":103809024,
        "supported_mime_types":["image/jpeg","video/mp4"]}}}"#,
    );
    let software = Software {
        name: "mastodon".into(),
        version: Some(Version::new(4, 6, 4)),
    };
    let info = describe(raw, software, "fallback");
    assert_eq!(info.domain, "mastodon.example");
    assert_eq!(info.limits.max_characters, 500);
    assert_eq!(info.limits.image_size_limit, Some(16_777_216));
    assert_eq!(
        info.limits.supported_mime_types,
        ["image/jpeg", "video/mp4"]
    );
    assert!(!info.capabilities.can_backdate);
}

#[test]
fn gotosocial_backdates_from_0_18() {
    let json = r#"{"domain":"gts.example","version":"0.18.1+git-abc",
        "source_url":"https://github.com/superseriousbusiness/gotosocial",
        "configuration":{"statuses":{"max_characters":5000,"characters_reserved_per_url":25,
        "max_media_attachments":6}}}"#;
    let from_instance = software_from_instance(&raw(json));
    assert_eq!(from_instance.name, "gotosocial");
    let info = describe(raw(json), from_instance, "x");
    assert!(info.capabilities.can_backdate);
    assert_eq!(info.limits.characters_reserved_per_url, 25);
    assert_eq!(info.limits.max_media_attachments, 6);

    let old = Software {
        name: "gotosocial".into(),
        version: Some(Version::new(0, 17, 9)),
    };
    assert!(!describe(raw(json), old, "x").capabilities.can_backdate);
}

#[test]
fn pleroma_v1_without_configuration() {
    let json = r#"{"uri":"https://pleroma.example","title":"P","version":"2.7.2 (compatible; Pleroma 2.6.1)",
        "max_toot_chars":5000,"upload_limit":16000000}"#;
    let software = software_from_instance(&raw(json));
    assert_eq!(
        software,
        Software {
            name: "pleroma".into(),
            version: Some(Version::new(2, 6, 1))
        }
    );
    let info = describe(raw(json), software, "x");
    assert_eq!(info.domain, "pleroma.example");
    assert_eq!(info.limits.max_characters, 5000);
    assert_eq!(info.limits.image_size_limit, Some(16_000_000));
    assert_eq!(info.limits.max_media_attachments, 4, "default when unsaid");
}

#[test]
fn an_empty_answer_gets_mastodon_defaults() {
    let info = describe(
        raw("{}"),
        software_from_instance(&raw("{}")),
        "fallback.example",
    );
    assert_eq!(info.domain, "fallback.example");
    assert_eq!(info.limits, Limits::default());
    assert_eq!(info.software.name, "unknown");
}

#[test]
fn picks_the_highest_nodeinfo_2() {
    let link = |rel: &str, href: &str| NodeInfoLink {
        rel: rel.into(),
        href: href.into(),
    };
    let links = [
        link("http://nodeinfo.diaspora.software/ns/schema/2.0", "/a"),
        link("http://nodeinfo.diaspora.software/ns/schema/2.1", "/b"),
        link("http://nodeinfo.diaspora.software/ns/schema/1.0", "/c"),
        link("https://example.org/other", "/d"),
    ];
    assert_eq!(pick_nodeinfo(&links).as_deref(), Some("/b"));
    assert_eq!(pick_nodeinfo(&[]), None);
}
