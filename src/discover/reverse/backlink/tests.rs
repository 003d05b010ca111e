//! The proof rule, case by case: what proves, what only looks alike, what is refused.

use super::*;
use crate::discover::reverse::ProfileField;

fn account(
    username: &str,
    display: &str,
    note: &str,
    fields: &[(&str, &str, bool)],
) -> FediAccount {
    FediAccount {
        acct: format!("{username}@fedi.example"),
        username: username.into(),
        display_name: display.into(),
        note: note.into(),
        fields: fields
            .iter()
            .map(|(name, value, verified)| ProfileField {
                name: (*name).into(),
                value: (*value).into(),
                verified_at: verified.then(|| "2024-01-02T03:04:05.000+00:00".into()),
            })
            .collect(),
        url: None,
    }
}

fn alice() -> Wanted {
    Wanted {
        usernames: vec!["alice_w".into()],
        display_name: Some("Alice Wonder".into()),
    }
}

/// Mastodon's rendering of a link in a bio or field value.
fn link(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
    format!(
        r#"<a href="{scheme}://{rest}" rel="nofollow noopener" target="_blank"><span class="invisible">{scheme}://</span><span class="">{rest}</span><span class="invisible"></span></a>"#
    )
}

fn proven(verdict: &Verdict) -> Vec<(Place, How)> {
    match verdict {
        Verdict::Proven(proofs) => proofs.iter().map(|p| (p.place.clone(), p.how)).collect(),
        _ => Vec::new(),
    }
}

fn field(name: &str) -> Place {
    Place::Field {
        name: name.into(),
        verified: false,
    }
}

/// (what, the account, the proofs expected: where and how).
type Case = (&'static str, FediAccount, Vec<(Place, How)>);

#[test]
fn backlinks_that_prove() {
    let cases: Vec<Case> = vec![
        (
            "field with a twitter.com link",
            account(
                "aw",
                "A.",
                "",
                &[("Twitter", &link("https://twitter.com/alice_w"), false)],
            ),
            vec![(field("Twitter"), How::ProfileLink)],
        ),
        (
            "field with an x.com link, any case, no scheme",
            account("aw", "A.", "", &[("Elsewhere", "X.com/Alice_W/", false)]),
            vec![(field("Elsewhere"), How::ProfileLink)],
        ),
        (
            "mobile link in the bio",
            account(
                "aw",
                "A.",
                &format!(
                    "<p>old: {}</p>",
                    link("https://mobile.twitter.com/ALICE_W?s=20")
                ),
                &[],
            ),
            vec![(Place::Note, How::ProfileLink)],
        ),
        (
            "intent link",
            account(
                "aw",
                "A.",
                "",
                &[(
                    "follow",
                    &link("https://twitter.com/intent/user?screen_name=alice_w"),
                    false,
                )],
            ),
            vec![(field("follow"), How::IntentLink)],
        ),
        (
            "old hashbang link and a profile tab",
            account(
                "aw",
                "A.",
                "<p>twitter.com/#!/alice_w</p>",
                &[("media", "https://www.twitter.com/alice_w/media", false)],
            ),
            vec![
                (field("media"), How::ProfileLink),
                (Place::Note, How::ProfileLink),
            ],
        ),
        (
            "bio: Twitter: @name",
            account(
                "aw",
                "A.",
                "<p>Knitting, maps.<br>Twitter: @alice_w</p>",
                &[],
            ),
            vec![(Place::Note, How::Marker)],
        ),
        (
            "bio: formerly @name on the bird site",
            account("aw", "A.", "<p>formerly @alice_w on the bird site</p>", &[]),
            vec![(Place::Note, How::Marker)],
        ),
        (
            "bio: on 𝕏 as @name, and (X) after",
            account("aw", "A.", "<p>𝕏: @Alice_W</p><p>@alice_w (X)</p>", &[]),
            vec![(Place::Note, How::Marker), (Place::Note, How::Marker)],
        ),
        (
            "field named Twitter with the bare name",
            account("aw", "A.", "", &[("Twitter", "alice_w", false)]),
            vec![(field("Twitter"), How::FieldName)],
        ),
        (
            "field named 🐦 with @name",
            account("aw", "A.", "", &[("🐦", "@alice_w", false)]),
            vec![(field("🐦"), How::Marker)],
        ),
        (
            "verified field first",
            account(
                "aw",
                "A.",
                "<p>Twitter: @alice_w</p>",
                &[
                    ("Old", "twitter.com/alice_w", false),
                    ("Home", &link("https://x.com/alice_w"), true),
                ],
            ),
            vec![
                (
                    Place::Field {
                        name: "Home".into(),
                        verified: true,
                    },
                    How::ProfileLink,
                ),
                (field("Old"), How::ProfileLink),
                (Place::Note, How::Marker),
            ],
        ),
    ];
    for (what, account, want) in cases {
        assert_eq!(proven(&judge(&account, &alice())), want, "{what}");
    }
}

#[test]
fn a_past_username_proves_too() {
    let wanted = Wanted {
        usernames: vec!["alice_w".into(), "wonderland77".into()],
        display_name: None,
    };
    let a = account("aw", "A.", "<p>I was @wonderland77 on Twitter</p>", &[]);
    assert_eq!(proven(&judge(&a, &wanted)), [(Place::Note, How::Marker)]);
    assert_eq!(
        judge(&a, &alice()),
        Verdict::Unrelated,
        "without the old name: another account"
    );
}

#[test]
fn refusals() {
    let cases: Vec<(&str, FediAccount)> = vec![
        (
            "a link to someone's tweet",
            account(
                "fan",
                "Fan",
                &format!(
                    "<p>best thread: {}</p>",
                    link("https://twitter.com/alice_w/status/123456")
                ),
                &[],
            ),
        ),
        (
            "a link to another account's tweet",
            account(
                "fan",
                "Fan",
                "<p>twitter.com/other/status/1 by @alice_w</p>",
                &[],
            ),
        ),
        (
            "a username that has ours as a prefix",
            account(
                "alice_wb",
                "Alicia",
                "<p>Twitter: @alice_wb · twitter.com/alice_wb</p>",
                &[],
            ),
        ),
        (
            "our name as a prefix of a link path",
            account(
                "x",
                "X",
                "<p>x.com/alice_w-fanclub twitter.com/alice_wonder</p>",
                &[],
            ),
        ),
        (
            "a fediverse mention without a marker",
            account("bob", "Bob", "<p>partner of @alice_w</p>", &[]),
        ),
        (
            "a fediverse address next to a marker",
            account(
                "bob",
                "Bob",
                "<p>left Twitter, now @alice_w@fedi.example</p>",
                &[],
            ),
        ),
        (
            "a Bluesky handle",
            account(
                "bob",
                "Bob",
                "<p>Twitter refugee: @alice_w.bsky.social</p>",
                &[],
            ),
        ),
        (
            "an e-mail address",
            account(
                "bob",
                "Bob",
                "<p>Twitter DMs closed, mail bob@alice_w.example</p>",
                &[],
            ),
        ),
        (
            "a look-alike site",
            account(
                "bob",
                "Bob",
                "<p>netflix.com/alice_w notx.com/alice_w twitter.com.evil/alice_w</p>",
                &[],
            ),
        ),
        (
            "a marker too far away",
            account(
                "bob",
                "Bob",
                "<p>I left Twitter years ago and then I met @alice_w</p>",
                &[],
            ),
        ),
        (
            "another clause",
            account(
                "bob",
                "Bob",
                "<p>Twitter: gone. Say hi to @alice_w</p>",
                &[],
            ),
        ),
    ];
    for (what, account) in cases {
        assert_eq!(judge(&account, &alice()), Verdict::Unrelated, "{what}");
    }
}

#[test]
fn same_name_without_a_backlink_is_possible() {
    let by_username = judge(&account("Alice_W", "Someone", "<p>hi</p>", &[]), &alice());
    let Verdict::Possible(why) = by_username else {
        panic!("{by_username:?}")
    };
    assert!(why.contains("same username as @alice_w"), "{why}");
    let loose = judge(&account("alice.w", "?", "", &[]), &alice());
    assert!(matches!(loose, Verdict::Possible(_)), "{loose:?}");
    let by_display = judge(&account("aw", "alice wonder 🌻", "", &[]), &alice());
    let Verdict::Possible(why) = by_display else {
        panic!("{by_display:?}")
    };
    assert!(why.contains("same display name"), "{why}");
    assert_eq!(
        judge(&account("alice_wb", "Alice W. B.", "", &[]), &alice()),
        Verdict::Unrelated,
        "a similar but other name"
    );
}

#[test]
fn a_profile_that_names_another_twitter_account_is_not_possible() {
    let namesake = account(
        "alice_w",
        "Alice Wonder",
        "<p>Twitter: @the_real_alice</p>",
        &[],
    );
    assert_eq!(judge(&namesake, &alice()), Verdict::Unrelated);
}

#[test]
fn proof_texts_quote_the_link_or_the_clause() {
    let a = account(
        "aw",
        "A.",
        "<p>Cats.<br>formerly @alice_w on Twitter</p>",
        &[("X", &link("https://x.com/alice_w"), false)],
    );
    let Verdict::Proven(proofs) = judge(&a, &alice()) else {
        panic!()
    };
    let texts: Vec<&str> = proofs.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        ["https://x.com/alice_w", "formerly @alice_w on Twitter"]
    );
}

/// Real-world shapes (audit of issue 11): (what, the account, proven or not).
#[test]
fn real_world_shapes() {
    let mastodon_bio = r#"<p>Maps. Also: <a href="https://twitter.com/alice_w" rel="me nofollow noopener" target="_blank"><span class="invisible">https://</span>twitter.com/alice_w</a></p>"#;
    let mastodon_field = r#"<a href="https://twitter.com/alice_w" rel="me nofollow noopener noreferrer" target="_blank"><span class="invisible">https://</span><span class="">twitter.com/alice_w</span><span class="invisible"></span></a>"#;
    let cases: Vec<(&str, FediAccount, bool)> = vec![
        (
            "Mastodon's bio link",
            account("aw", "A.", mastodon_bio, &[]),
            true,
        ),
        (
            "a field value as HTML",
            account("aw", "A.", "", &[("Elsewhere", mastodon_field, false)]),
            true,
        ),
        (
            "x.com with a query",
            account("aw", "A.", "<p>x.com/alice_w?lang=en</p>", &[]),
            true,
        ),
        (
            "a trailing slash",
            account(
                "aw",
                "A.",
                "",
                &[("Old", "https://twitter.com/alice_w/", false)],
            ),
            true,
        ),
        (
            "upper case everywhere",
            account(
                "aw",
                "A.",
                "<p>TWITTER: @ALICE_W · HTTPS://X.COM/ALICE_W</p>",
                &[],
            ),
            true,
        ),
        (
            "@name@twitter.com",
            account("aw", "A.", "<p>old home: @alice_w@twitter.com</p>", &[]),
            true,
        ),
        (
            "@name@x.com in a field",
            account("aw", "A.", "", &[("Elsewhere", "@Alice_W@x.com", false)]),
            true,
        ),
        (
            "a Nitter mirror of the profile",
            account("aw", "A.", "<p>nitter.net/alice_w</p>", &[]),
            true,
        ),
        (
            "an xcancel mirror of the profile",
            account(
                "aw",
                "A.",
                "",
                &[("Bird", "https://xcancel.com/alice_w", false)],
            ),
            true,
        ),
        (
            "font letters (NFKC)",
            account("aw", "A.", "<p>𝐓𝐰𝐢𝐭𝐭𝐞𝐫: ＠alice_w</p>", &[]),
            true,
        ),
        (
            "not @name on Twitter",
            account("alice_w", "Alice", "<p>not @alice_w on twitter!</p>", &[]),
            false,
        ),
        (
            "not the @name on Twitter",
            account("aw", "A.", "<p>Not the @alice_w on Twitter.</p>", &[]),
            false,
        ),
        (
            "an e-mail address at twitter.com",
            account("aw", "A.", "<p>alice_w@twitter.com</p>", &[]),
            false,
        ),
        (
            "a Cyrillic look-alike in the link",
            account(
                "aw",
                "A.",
                "<p>twitter.com/аlice_w twіtter.com/alice_w</p>",
                &[],
            ),
            false,
        ),
        (
            "our name inside a longer word",
            account(
                "aw",
                "A.",
                "<p>Twitter: @malice_w, @alice_w2, @alice_wonderland</p>",
                &[],
            ),
            false,
        ),
        (
            "credit for an avatar",
            account("bob", "Bob", "<p>avatar by @alice_w on Twitter</p>", &[]),
            false,
        ),
        (
            "credit for a header, by link",
            account(
                "bob",
                "Bob",
                "<p>header art by twitter.com/alice_w</p>",
                &[],
            ),
            false,
        ),
        (
            "a credit in a field's name",
            account(
                "bob",
                "Bob",
                "",
                &[("Avatar", "twitter.com/alice_w", false)],
            ),
            false,
        ),
        (
            "a partner's profile in a field",
            account("bob", "Bob", "", &[("My partner", "x.com/alice_w", false)]),
            false,
        ),
        (
            "pfp: before the name",
            account("bob", "Bob", "<p>pfp: @alice_w on Twitter</p>", &[]),
            false,
        ),
        (
            "a field named Twitter is still proof",
            account("aw", "A.", "", &[("Twitter", "@alice_w", false)]),
            true,
        ),
    ];
    let wrong: Vec<String> = cases
        .into_iter()
        .filter_map(|(what, account, want)| {
            let verdict = judge(&account, &alice());
            (matches!(verdict, Verdict::Proven(_)) != want).then(|| format!("{what}: {verdict:?}"))
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn a_look_alike_letter_ends_no_name() {
    // `@alicе_w` with a Cyrillic `е` is not `@alic`.
    let wanted = Wanted {
        usernames: vec!["alic".into()],
        display_name: None,
    };
    for note in ["<p>Twitter: @alicе_w</p>", "<p>Twitter: @alic-e</p>"] {
        let verdict = judge(&account("aw", "A.", note, &[]), &wanted);
        assert!(
            !matches!(verdict, Verdict::Proven(_)),
            "{note}: {verdict:?}"
        );
    }
}

#[test]
fn a_past_username_not_known_is_another_account() {
    // "my old twitter was @alice_old": without the old name the profile names another
    // account, so even the same username is not `possible` (documented).
    let a = account(
        "alice_w",
        "Alice",
        "<p>my old twitter was @alice_old</p>",
        &[],
    );
    assert_eq!(judge(&a, &alice()), Verdict::Unrelated);
}

#[test]
fn someone_elses_profile_next_to_the_right_one() {
    let a = account(
        "alice_w",
        "Alice Wonder",
        "<p>Twitter: @alice_w. Partner: twitter.com/bob_b</p>",
        &[("Twitter", "https://twitter.com/alice_w", false)],
    );
    assert!(matches!(judge(&a, &alice()), Verdict::Proven(_)));
    let bob = Wanted {
        usernames: vec!["bob_b".into()],
        display_name: Some("Bob B".into()),
    };
    let verdict = judge(&a, &bob);
    assert!(
        !matches!(verdict, Verdict::Proven(_)),
        "alice's profile is not bob's: {verdict:?}"
    );
}
