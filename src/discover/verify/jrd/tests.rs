//! Table-driven tests of the document parser, on bodies shaped like real servers' answers
//! (written for these tests; see the shapes in the team's public fixtures).

use super::*;

const MASTODON: &str = r#"{"subject":"acct:Alice@social.example","aliases":["https://social.example/@Alice","https://social.example/users/Alice"],"links":[{"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":"https://social.example/@Alice"},{"rel":"self","type":"application/activity+json","href":"https://social.example/users/Alice"},{"rel":"http://ostatus.org/schema/1.0/subscribe","template":"https://social.example/authorize_interaction?uri={uri}"}]}"#;

const PLEROMA: &str = r#"{"aliases":["https://pl.example/users/bob"],"links":[{"href":"https://pl.example/users/bob","rel":"http://webfinger.net/rel/profile-page","type":"text/html"},{"href":"https://pl.example/users/bob","rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\""}],"subject":"acct:bob@pl.example"}"#;

const ESCAPED: &str = r#"{"subject":"acct:carol","aliases":["https:\/\/hz.example\/channel\/carol","acct:carol@hz.example"],"links":[{"rel":"self","type":"application\/ld+json; profile=\"https:\/\/www.w3.org\/ns\/activitystreams\"","href":"https:\/\/hz.example\/channel\/carol"}]}"#;

const XRD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Subject>acct:Dave@xml.example</Subject>
  <Alias>https://xml.example/@Dave</Alias>
  <Link rel="http://webfinger.net/rel/profile-page" type="text/html" href="https://xml.example/@Dave"/>
  <Link rel="self" type="application/activity+json" href="https://xml.example/users/Dave?a=1&amp;b=2"/>
</XRD>"#;

const HOST_META_XML: &str = r#"<?xml version="1.0"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
 <Link rel="lrdd" type="application/xrd+xml" template="https://social.split.example/.well-known/webfinger?resource={uri}"/>
 <Link rel="lrdd" type="application/jrd+json" template="https://social.split.example/.well-known/webfinger.json?resource={uri}"/>
</XRD>"#;

const HOST_META_JRD: &str = r#"{"links":[{"rel":"lrdd","type":"application\/jrd+json","template":"https:\/\/gs.example\/.well-known\/webfinger?resource={uri}"},{"rel":"http:\/\/apinamespace.org\/oauth\/access_token","href":"https:\/\/gs.example\/api\/oauth\/access_token"}]}"#;

#[test]
fn the_actor_link_in_every_flavour() {
    let cases = [
        (MASTODON, Some("https://social.example/users/Alice")),
        (PLEROMA, Some("https://pl.example/users/bob")),
        (ESCAPED, Some("https://hz.example/channel/carol")),
        (XRD, Some("https://xml.example/users/Dave?a=1&b=2")),
        (
            r#"{"subject":"acct:gs@q.example","links":[{"rel":"http://schemas.google.com/g/2010#updates-from","type":"application/atom+xml","href":"https://q.example/feed"}]}"#,
            None,
        ),
        (
            r#"{"subject":"acct:u@x.example","links":[{"rel":"self","href":"https://x.example/u"}]}"#,
            Some("https://x.example/u"),
        ),
        (
            r#"{"subject":"acct:u@x.example","links":[{"rel":"self","href":"https://x.example/untyped"},{"rel":"self","type":"application/activity+json","href":"https://x.example/typed"}]}"#,
            Some("https://x.example/typed"),
        ),
        (
            r#"{"subject":"acct:u@x.example","links":[{"rel":"self","type":"text/html","href":"https://x.example/page"}]}"#,
            None,
        ),
    ];
    for (body, want) in cases {
        let jrd = parse(body.as_bytes()).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(jrd.actor(), want, "{body}");
    }
}

#[test]
fn claimed_addresses_come_from_subject_then_acct_aliases() {
    let cases: [(&str, &[&str]); 4] = [
        (MASTODON, &["Alice@social.example"]),
        (ESCAPED, &["carol@hz.example"]),
        (XRD, &["Dave@xml.example"]),
        (
            r#"{"subject":"acct:foo@ap2.example","aliases":["https://ap.example/@foo","foo@ap.example"],"links":[]}"#,
            &["foo@ap2.example", "foo@ap.example"],
        ),
    ];
    for (body, want) in cases {
        let jrd = parse(body.as_bytes()).unwrap();
        let got: Vec<String> = jrd.claimed().iter().map(ToString::to_string).collect();
        assert_eq!(got, want, "{body}");
    }
}

#[test]
fn canonical_trusts_only_the_hosts_involved() {
    let asked = Acct::new("gargron", "quitter.no");
    let noncanonical = parse(
        br#"{"subject":"acct:gargron@quitter.yes","aliases":["https://quitter.no/gargron","acct:gargron@quitter.no"],"links":[]}"#,
    )
    .unwrap();
    assert_eq!(
        canonical(&noncanonical, &["quitter.no"], Some(&asked)),
        Some(Canonical::Unconfirmed {
            claimed: Acct::new("gargron", "quitter.yes"),
            fallback: Some(asked.clone()),
        })
    );
    let imposter = parse(
        br#"{"subject":"acct:oopsie@elsewhere.example","links":[{"rel":"self","type":"application/activity+json","href":"https://bad.example/x"}]}"#,
    )
    .unwrap();
    let asked_there = Acct::new("x", "bad.example");
    assert_eq!(
        canonical(&imposter, &["bad.example"], Some(&asked_there)),
        Some(Canonical::Unconfirmed {
            claimed: Acct::new("oopsie", "elsewhere.example"),
            fallback: Some(asked_there),
        })
    );
    let split = parse(br#"{"subject":"acct:dos@librem.example","links":[]}"#).unwrap();
    assert_eq!(
        canonical(&split, &["librem.example", "social.librem.example"], None),
        Some(Canonical::Trusted(Acct::new("dos", "librem.example")))
    );
    let nothing = parse(br#"{"links":[{"rel":"self","href":"https://a.example/u"}]}"#).unwrap();
    assert_eq!(canonical(&nothing, &["a.example"], None), None);
}

#[test]
fn host_meta_templates_xml_and_json() {
    let xml = parse(HOST_META_XML.as_bytes()).unwrap();
    assert_eq!(
        xml.lrdd_template(),
        Some("https://social.split.example/.well-known/webfinger.json?resource={uri}")
    );
    let json = parse(HOST_META_JRD.as_bytes()).unwrap();
    assert_eq!(
        json.lrdd_template(),
        Some("https://gs.example/.well-known/webfinger?resource={uri}")
    );
    assert_eq!(
        fill_template(
            "https://h.example/.well-known/webfinger?resource={uri}",
            "acct:a@b.example"
        ),
        "https://h.example/.well-known/webfinger?resource=acct%3Aa%40b.example"
    );
}

/// Checks one kind of parse error.
type ErrorCheck = fn(&DocError) -> bool;

#[test]
fn bodies_that_are_not_documents() {
    let cases: [(&[u8], ErrorCheck); 7] = [
        (b"", |e| *e == DocError::Empty),
        (b"  \n", |e| *e == DocError::Empty),
        (
            b"<!DOCTYPE html><html><body>Internal Server Error</body></html>",
            |e| *e == DocError::Html,
        ),
        (b"<html><head>", |e| *e == DocError::Html),
        (b"{\"subject\": \"acct:", |e| {
            matches!(e, DocError::Invalid { .. })
        }),
        (b"{\"error\":\"not found\"}", |e| {
            matches!(e, DocError::Invalid { .. })
        }),
        (
            b"<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>",
            |e| matches!(e, DocError::Invalid { what: "XRD", .. }),
        ),
    ];
    for (body, check) in cases {
        let err = parse(body).expect_err(&String::from_utf8_lossy(body));
        assert!(check(&err), "{err:?} for {}", String::from_utf8_lossy(body));
    }
}

#[test]
fn a_byte_order_mark_and_whitespace_are_skipped() {
    let mut body = b"\xEF\xBB\xBF\n ".to_vec();
    body.extend_from_slice(MASTODON.as_bytes());
    assert!(parse(&body).is_ok());
}
