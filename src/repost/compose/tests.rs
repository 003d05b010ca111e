//! The composer's table: tweets in, posts out, written out exactly.

use super::*;
use crate::archive::MediaKind;
use crate::discover::Handle;
use crate::repost::test_tweets::{media, reply, tweet};

const URL60: &str = "https://example.org/aaaaaaaaa/bbbbbbbbb/ccccccccc/ddddddddd/e"; // 60

fn opts() -> ComposeOptions {
    let mut o = ComposeOptions::new("me@example.social", PostLimits::default());
    o.matches
        .insert("Alice", Handle::new("alice", "example.social").unwrap());
    o.owner_names = vec!["me".to_string(), "OldMe".to_string()];
    o
}

fn with(change: impl FnOnce(&mut ComposeOptions)) -> ComposeOptions {
    let mut o = opts();
    change(&mut o);
    o
}

fn limits(max: usize, software: ServerKind) -> PostLimits {
    PostLimits {
        max_characters: max,
        characters_reserved_per_url: if software == ServerKind::GoToSocial {
            25
        } else {
            23
        },
        max_media_attachments: 4,
        software,
    }
}

fn texts(post: &Post) -> Vec<&str> {
    post.chunks.iter().map(|c| c.text.as_str()).collect()
}

/// Every chunk fits as the server counts it, and says so.
fn assert_fits(post: &Post, o: &ComposeOptions) {
    let rules = o.limits.rules();
    let cw = o.spoiler_text.as_deref().unwrap_or("");
    for c in &post.chunks {
        assert!(c.length <= o.limits.max_characters, "{c:?}");
        if c.quote_placeholder.is_none() {
            assert_eq!(c.length, rules.count(&c.text, cw), "{c:?}");
        }
        assert_eq!(c.total, post.chunks.len());
    }
}

#[test]
fn text_comes_out_as_the_user_wrote_it() {
    let own_quote = {
        let mut t = tweet("8", "so true https://twitter.com/OldMe/status/7");
        t.is_quote = true;
        t.quoted_url = Some("https://twitter.com/OldMe/status/7".into());
        t
    };
    let other_quote_link_hidden = {
        let mut t = tweet("9", "look at this");
        t.is_quote = true;
        t.quoted_url = Some("https://x.com/ann/status/5".into());
        t
    };
    let retweet = {
        let mut t = tweet("10", "RT @carol: long text cut by Twitter…");
        t.is_retweet = true;
        t
    };
    let table: Vec<(&str, Tweet, &str)> = vec![
        ("plain", tweet("1", "hello world"), "hello world"),
        (
            "html stays decoded once",
            tweet("1", "AT&amp;T <b>&</b> 1 < 2"),
            "AT&amp;T <b>&</b> 1 < 2",
        ),
        (
            "expanded link",
            tweet("1", "read https://example.org/a?b=1"),
            "read https://example.org/a?b=1",
        ),
        (
            "emoji",
            tweet("1", "👩\u{200d}👩\u{200d}👧 🇯🇵 👍🏽"),
            "👩\u{200d}👩\u{200d}👧 🇯🇵 👍🏽",
        ),
        (
            "cjk",
            tweet("1", "今日は良い天気です。"),
            "今日は良い天気です。",
        ),
        ("rtl", tweet("1", "שלום עולם! مرحبا"), "שלום עולם! مرحبا"),
        ("hashtags", tweet("1", "#rustlang #日本"), "#rustlang #日本"),
        ("surrounding space", tweet("1", "  hi  \n"), "hi"),
        (
            "self reply prefix",
            reply(tweet("2", "@me and more"), "1", true),
            "and more",
        ),
        (
            "reply to others",
            reply(tweet("2", "@ann @bob sure!"), "1", false),
            "sure!",
        ),
        (
            "not a reply keeps its start",
            tweet("1", "@carol is great"),
            "＠carol is great",
        ),
        (
            "matched mention",
            tweet("1", "thanks @Alice!"),
            "thanks @alice@example.social!",
        ),
        (
            "handle written out",
            tweet("1", "I'm @me@example.social now"),
            "I'm @me@example.social now",
        ),
        ("email", tweet("1", "me@example.com"), "me@example.com"),
        ("retweet", retweet, "RT ＠carol: long text cut by Twitter…"),
        (
            "own quote",
            own_quote,
            "so true https://twitter.com/OldMe/status/7",
        ),
        (
            "hidden quote link",
            other_quote_link_hidden,
            "look at this https://x.com/ann/status/5",
        ),
    ];
    for (name, t, want) in table {
        let post = compose(&t, &opts()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(texts(&post), [want], "{name}");
        assert_fits(&post, &opts());
    }
}

#[test]
fn replies_and_quotes_carry_their_targets() {
    let post = compose(&reply(tweet("2", "@me more"), "1", true), &opts()).unwrap();
    assert_eq!(
        post.chunks[0].reply_to,
        Some(ReplyTarget::Tweet("1".into()))
    );
    let post = compose(&reply(tweet("2", "@ann no"), "1", false), &opts()).unwrap();
    assert_eq!(
        post.chunks[0].reply_to, None,
        "the fediverse copy cannot answer ann's tweet"
    );
    assert_eq!(
        compose(&tweet("1", "x"), &opts()).unwrap().chunks[0].reply_to,
        None
    );

    let mut own = tweet("8", "yes https://twitter.com/me/status/7");
    own.quoted_url = Some("https://twitter.com/me/status/7".into());
    let post = compose(&own, &opts()).unwrap();
    assert_eq!(post.quote, Some(QuoteTarget::Own("7".into())));
    assert_eq!(
        post.chunks[0].quote_placeholder.as_deref(),
        Some("https://twitter.com/me/status/7")
    );
    let mut other = tweet("8", "no https://twitter.com/ann/status/7");
    other.quoted_url = Some("https://twitter.com/ann/status/7".into());
    let post = compose(&other, &opts()).unwrap();
    assert_eq!(
        post.quote,
        Some(QuoteTarget::Other(
            "https://twitter.com/ann/status/7".into()
        ))
    );
    assert_eq!(post.chunks[0].quote_placeholder, None);
}

#[test]
fn our_copys_longer_url_is_reserved_where_links_count_as_written() {
    let mut own = tweet("8", "yes https://twitter.com/me/status/7"); // 35
    own.quoted_url = Some("https://twitter.com/me/status/7".into());
    let gts = with(|o| {
        o.limits = limits(60, ServerKind::GoToSocial);
        o.own_status_url_chars = 70;
    });
    // 4 + 70 does not fit in 60: the link moves to a post of its own (and is cut there).
    let post = compose(&own, &gts).unwrap();
    assert!(post.chunks.len() > 1, "{:?}", texts(&post));
    let masto = with(|o| o.limits = limits(60, ServerKind::Mastodon));
    assert_eq!(
        texts(&compose(&own, &masto).unwrap()),
        ["yes https://twitter.com/me/status/7"]
    );
}

#[test]
fn splits_at_exactly_the_limit_and_one_over() {
    let o = opts();
    let exact = format!("{} end", "x".repeat(496));
    assert_eq!(exact.chars().count(), 500);
    assert_eq!(
        texts(&compose(&tweet("1", &exact), &o).unwrap()),
        [exact.as_str()]
    );

    let over = format!("{exact}!");
    let post = compose(&tweet("1", &over), &o).unwrap();
    let first = format!("{}\n\n1/2", "x".repeat(495));
    assert_eq!(texts(&post), [first.as_str(), "x end!\n\n2/2"]);
    assert_eq!(post.chunks[0].length, 500);
    assert_fits(&post, &o);

    // In graphemes: 500 family emoji fit; 501 do not.
    let family = "👩\u{200d}👩\u{200d}👧";
    let fits = family.repeat(500);
    assert_eq!(compose(&tweet("1", &fits), &o).unwrap().chunks.len(), 1);
    let post = compose(&tweet("1", &family.repeat(501)), &o).unwrap();
    assert_eq!(post.chunks.len(), 2);
    assert_eq!(
        post.chunks[0].text,
        format!("{}\n\n1/2", family.repeat(495))
    );
    assert_fits(&post, &o);
}

#[test]
fn long_text_becomes_a_numbered_thread_split_at_sentences() {
    let sentence = "This sentence is exactly fifty characters long ok. ";
    assert_eq!(sentence.chars().count(), 51);
    let mut note = tweet("3", sentence.repeat(24).trim());
    note.is_note = true;
    let o = opts();
    let post = compose(&note, &o).unwrap();
    assert_eq!(post.chunks.len(), 3);
    for (i, c) in post.chunks.iter().enumerate() {
        assert!(
            c.text.ends_with(&format!("ok.\n\n{}/3", i + 1)),
            "{:?}",
            c.text
        );
        let want_reply = if i == 0 {
            None
        } else {
            Some(ReplyTarget::PreviousChunk)
        };
        assert_eq!(c.reply_to, want_reply);
    }
    assert_fits(&post, &o);
    let words = |s: &str| s.split_whitespace().filter(|w| !w.contains('/')).count();
    let posted: usize = post.chunks.iter().map(|c| words(&c.text)).sum();
    assert_eq!(posted, words(&note.text), "nothing lost");
}

#[test]
fn links_count_as_each_software_counts_them() {
    let text = format!("see {URL60} and {URL60}");
    let t = tweet("1", &text);
    let masto = with(|o| o.limits = limits(100, ServerKind::Mastodon));
    assert_eq!(texts(&compose(&t, &masto).unwrap()), [text.as_str()]);
    assert_eq!(
        compose(&t, &masto).unwrap().chunks[0].length,
        4 + 23 + 5 + 23
    );

    let gts = with(|o| o.limits = limits(100, ServerKind::GoToSocial));
    let post = compose(&t, &gts).unwrap();
    let first = format!("see {URL60} and\n\n1/2");
    let second = format!("{URL60}\n\n2/2");
    assert_eq!(texts(&post), [first.as_str(), second.as_str()]);
    assert_fits(&post, &gts);

    // Unknown software: a short link still costs the reserved width.
    let other = with(|o| o.limits = limits(30, ServerKind::Other));
    let post = compose(&tweet("1", "abcdefgh https://e.org"), &other).unwrap();
    assert_eq!(post.chunks.len(), 2, "8 + 1 + 23 > 30");
    assert_fits(&post, &other);
}

#[test]
fn matched_mentions_count_without_their_domain_on_mastodon() {
    let body = format!("{} @Alice", "y".repeat(493));
    let t = tweet("1", &body);
    let post = compose(&t, &opts()).unwrap();
    assert_eq!(post.chunks.len(), 1);
    assert_eq!(
        post.chunks[0].length, 500,
        "@alice@example.social counts as @alice"
    );
    let gts = with(|o| o.limits = limits(500, ServerKind::GoToSocial));
    assert_eq!(compose(&t, &gts).unwrap().chunks.len(), 2);
}

#[test]
fn the_content_warning_and_footer_count() {
    let cw = with(|o| o.spoiler_text = Some("cw".into()));
    let post = compose(&tweet("1", &"z".repeat(498)), &cw).unwrap();
    assert_eq!(post.chunks.len(), 1);
    assert_eq!(post.chunks[0].spoiler_text.as_deref(), Some("cw"));
    assert_eq!(
        compose(&tweet("1", &"z".repeat(499)), &cw)
            .unwrap()
            .chunks
            .len(),
        2
    );

    let footer = with(|o| o.date_footer = Some(DateFooter::default()));
    let post = compose(&tweet("1", "hello"), &footer).unwrap();
    assert_eq!(
        texts(&post),
        ["hello\n\nFirst posted on Twitter on 2017-07-14"]
    );
    let fits = format!("{} {}", "w".repeat(400), "v".repeat(60));
    assert_eq!(
        compose(&tweet("1", &fits), &footer).unwrap().chunks[0].length,
        500
    );
    let long = format!("{} {}", "w".repeat(400), "v".repeat(70));
    let post = compose(&tweet("1", &long), &footer).unwrap();
    let first = format!(
        "{}\n\nFirst posted on Twitter on 2017-07-14 · 1/2",
        "w".repeat(400)
    );
    let second = format!("{}\n\n2/2", "v".repeat(70));
    assert_eq!(
        texts(&post),
        [first.as_str(), second.as_str()],
        "the footer only on the first post"
    );
    assert_fits(&post, &footer);

    assert!(DateFooter::new("%Y-%Q").is_err());
    assert!(DateFooter::new("  ").is_err());
    let custom = DateFooter::new("(%B %Y)").unwrap();
    assert_eq!(custom.render(tweet("1", "").created_at), "(July 2017)");
}

#[test]
fn no_room_is_an_error_not_a_truncation() {
    let tight = with(|o| {
        o.limits = limits(10, ServerKind::Mastodon);
        o.spoiler_text = Some("0123456789".into());
    });
    assert!(matches!(
        compose(&tweet("1", "hello"), &tight),
        Err(ComposeError::NoRoom { max: 10, .. })
    ));
    assert!(matches!(
        compose(&reply(tweet("2", "@ann"), "1", false), &opts()),
        Err(ComposeError::Empty { .. })
    ));
}

#[test]
fn media_spread_over_the_thread() {
    let mut t = tweet("4", "mixed");
    t.media = vec![
        media(MediaKind::Video, Some("v.mp4")),
        media(MediaKind::Photo, Some("a.jpg")),
        media(MediaKind::Photo, None),
        media(MediaKind::Photo, Some("b.jpg")),
    ];
    let post = compose(&t, &opts()).unwrap();
    assert_eq!(texts(&post), ["mixed\n\n1/2", "2/2"]);
    let files: Vec<Vec<&str>> = post
        .chunks
        .iter()
        .map(|c| c.media.iter().map(|m| m.file.as_str()).collect())
        .collect();
    assert_eq!(files, [vec!["v.mp4"], vec!["a.jpg", "b.jpg"]]);
    assert_eq!(post.warnings.len(), 1, "{:?}", post.warnings);
    assert_eq!(post.chunks[1].reply_to, Some(ReplyTarget::PreviousChunk));

    let gts = with(|o| o.limits = limits(500, ServerKind::GoToSocial));
    assert_eq!(texts(&compose(&t, &gts).unwrap()), ["mixed"]);

    let mut only_media = reply(tweet("5", "@me"), "4", true);
    only_media.media = vec![media(MediaKind::Photo, Some("p.jpg"))];
    let post = compose(&only_media, &opts()).unwrap();
    assert_eq!(texts(&post), [""]);
    assert_eq!(post.chunks[0].media.len(), 1);
}

#[test]
fn alt_text_sensitivity_visibility_and_language() {
    let mut t = tweet("6", "pic");
    t.media = vec![media(MediaKind::Photo, Some("data/tweets_media/6-P.jpg"))];
    t.lang = Some("und".into());
    let o = with(|o| {
        o.alt_texts.insert("6", "P.jpg", "a cat");
        o.sensitive_tweets.insert("6".into());
        o.visibility = Visibility::Public;
    });
    let c = &compose(&t, &o).unwrap().chunks[0];
    assert_eq!(c.media[0].description.as_deref(), Some("a cat"));
    assert!(c.sensitive);
    assert_eq!(c.visibility, Visibility::Public);
    assert_eq!(c.language, None);
    let c = &compose(&tweet("1", "x"), &opts()).unwrap().chunks[0];
    assert_eq!(c.visibility, Visibility::Unlisted, "the default");
    assert!(!c.sensitive);
    assert_eq!(c.language.as_deref(), Some("en"));

    let table = [
        (Some("en"), Some("en")),
        (Some("EN-gb"), Some("en")),
        (Some("in"), Some("id")),
        (Some("iw"), Some("he")),
        (Some("ckb"), Some("ckb")),
        (Some("und"), None),
        (Some("zxx"), None),
        (Some("qme"), None),
        (Some("qht"), None),
        (Some("qst"), None),
        (Some("qam"), None),
        (Some("x"), None),
        (Some("e1"), None),
        (None, None),
    ];
    for (lang, want) in table {
        assert_eq!(language(lang).as_deref(), want, "{lang:?}");
    }
}

#[test]
fn idempotency_keys_are_stable_and_distinct() {
    let long = "word ".repeat(150);
    let a = compose(&tweet("1", &long), &opts()).unwrap();
    let b = compose(&tweet("1", &long), &opts()).unwrap();
    let keys: Vec<&str> = a
        .chunks
        .iter()
        .map(|c| c.idempotency_key.as_str())
        .collect();
    let again: Vec<&str> = b
        .chunks
        .iter()
        .map(|c| c.idempotency_key.as_str())
        .collect();
    assert_eq!(keys, again);
    assert_eq!(keys.len(), 2);
    assert_ne!(keys[0], keys[1]);
    assert_eq!(keys[0], idempotency_key("Me@Example.Social", "1", 0));
    assert_ne!(keys[0], idempotency_key("other@example.social", "1", 0));
    assert_ne!(keys[0], idempotency_key("me@example.social", "2", 0));
    // Known value: the key must never change between versions (a rerun would post twice).
    assert_eq!(
        idempotency_key("me@example.social", "1", 0),
        format!("fm1-{:016x}-1-0", fnv1a(b"me@example.social"))
    );
    assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    let odd = idempotency_key("me@example.social", "../ weird id", 3);
    assert!(
        odd.bytes().all(|b| b.is_ascii_graphic()) && odd.len() < 64,
        "{odd}"
    );
}

#[test]
fn every_split_fits_for_many_texts_and_limits() {
    let texts_in = [
        "Lorem ipsum dolor sit amet. ".repeat(40),
        "日本語の文章です。句読点もあります、".repeat(40),
        "שלום עולם, זה טקסט ארוך. ".repeat(40),
        "👩\u{200d}👩\u{200d}👧 e\u{301} 🇯🇵 ".repeat(60),
        format!("{URL60} @Alice @carol #tag ").repeat(20),
        "x".repeat(3000),
    ];
    for software in [
        ServerKind::Mastodon,
        ServerKind::GoToSocial,
        ServerKind::Other,
    ] {
        for max in [70, 140, 500] {
            let o = with(|o| {
                o.limits = limits(max, software);
                o.spoiler_text = Some("cw".into());
                o.date_footer = Some(DateFooter::default());
            });
            for text in &texts_in {
                let post = compose(&tweet("1", text), &o)
                    .unwrap_or_else(|e| panic!("{software:?} {max}: {e}"));
                assert_fits(&post, &o);
            }
        }
    }
}
