//! The extractor's tables: the team's shared cases (a committed copy, plus the live file in
//! `../shared` when it sits beside the checkout) and this project's own cases, grouped by
//! what they exercise.

use std::path::Path;

use super::*;

#[derive(Debug, Deserialize)]
struct SharedCase {
    id: String,
    field: Field,
    text: String,
    expect: Vec<String>,
}

/// The handles found in `text`, as strings, in order.
fn found(text: &str, field: Field, opts: &ExtractOptions) -> Vec<String> {
    extract(text, field, opts)
        .into_iter()
        .map(|c| c.handle.to_string())
        .collect()
}

/// Runs every case of a JSONL file; returns the failures, one line each.
fn run_jsonl(path: &Path) -> (usize, Vec<String>) {
    let body = std::fs::read_to_string(path).expect("read the case file");
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in body
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: SharedCase = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
        count += 1;
        let got = found(&case.text, case.field, &ExtractOptions::default());
        if got != case.expect {
            failures.push(format!(
                "{}: {:?} → {got:?}, want {:?}",
                case.id, case.text, case.expect
            ));
        }
    }
    (count, failures)
}

#[test]
fn the_committed_shared_cases_pass() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/handle-cases.jsonl");
    let (count, failures) = run_jsonl(&path);
    assert!(count >= 45, "only {count} cases read");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_live_shared_cases_pass_when_present() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/testdata/handle-cases.jsonl");
    if !path.exists() {
        eprintln!("skipped: {} not present", path.display());
        return;
    }
    let (_, failures) = run_jsonl(&path);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One row of a table: the text and the handles expected from it, in order.
type Row = (&'static str, &'static [&'static str]);

/// Checks a whole table and reports every failing row at once.
fn check_table(name: &str, field: Field, opts: &ExtractOptions, rows: &[Row]) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(text, want)| {
            let got = found(text, field, opts);
            (got != *want).then(|| format!("{text:?} → {got:?}, want {want:?}"))
        })
        .collect();
    assert!(failures.is_empty(), "{name}:\n{}", failures.join("\n"));
}

fn check(name: &str, rows: &[Row]) {
    check_table(name, Field::Description, &ExtractOptions::default(), rows);
}

#[test]
fn address_forms() {
    check(
        "address forms",
        &[
            ("@alice@mastodon.social", &["alice@mastodon.social"]),
            (
                "@alice@mastodon.social @bob@fosstodon.org",
                &["alice@mastodon.social", "bob@fosstodon.org"],
            ),
            (
                "@alice@mastodon.social and again @Alice@MASTODON.social",
                &["alice@mastodon.social"],
            ),
            (
                "first.last@mastodon.social",
                &["first.last@mastodon.social"],
            ),
            (
                "@aboutfaces@mastodon.social",
                &["aboutfaces@mastodon.social"],
            ),
            ("@donatello@mastodon.social", &["donatello@mastodon.social"]),
            ("@alice@xn--80ak6aa92e.com", &["alice@xn--80ak6aa92e.com"]),
            ("@alice@bücher.example", &["alice@xn--bcher-kva.example"]),
            ("@alice@почта.рф", &["alice@xn--80a1acny.xn--p1ai"]),
            (
                "@user_1@social.my-town.co.uk",
                &["user_1@social.my-town.co.uk"],
            ),
            ("@Cat@Instance.Photography", &["cat@instance.photography"]),
            ("@a@b.cd", &["a@b.cd"]),
            ("@snarfed.org@snarfed.org", &["snarfed.org@snarfed.org"]),
            (
                "@alice.bsky.social@bsky.brid.gy",
                &["alice.bsky.social@bsky.brid.gy"],
            ),
            ("@_underscore_@host.social", &["_underscore_@host.social"]),
            ("@123@numbers.social", &["123@numbers.social"]),
            ("@alice@mastodon.social/", &["alice@mastodon.social"]),
            ("@alice@smallserver.net", &["alice@smallserver.net"]),
            (
                "@jo@pleroma.site @ann@gts.example",
                &["jo@pleroma.site", "ann@gts.example"],
            ),
        ],
    );
}

#[test]
fn punctuation_around_addresses() {
    check(
        "punctuation",
        &[
            ("@alice@mastodon.social:", &["alice@mastodon.social"]),
            ("Follow @alice@mastodon.social!", &["alice@mastodon.social"]),
            ("Is it @alice@mastodon.social?", &["alice@mastodon.social"]),
            (
                "@alice@mastodon.social, @bob@mas.to; @carol@hachyderm.io.",
                &["alice@mastodon.social", "bob@mas.to", "carol@hachyderm.io"],
            ),
            ("“@alice@mastodon.social”", &["alice@mastodon.social"]),
            ("‘@alice@mastodon.social’", &["alice@mastodon.social"]),
            ("\"@alice@mastodon.social\"", &["alice@mastodon.social"]),
            ("'@alice@mastodon.social'", &["alice@mastodon.social"]),
            ("«@alice@mastodon.social»", &["alice@mastodon.social"]),
            ("(@alice@mastodon.social)", &["alice@mastodon.social"]),
            ("[@alice@mastodon.social]", &["alice@mastodon.social"]),
            ("<@alice@mastodon.social>", &["alice@mastodon.social"]),
            ("@alice@mastodon.social...", &["alice@mastodon.social"]),
            ("@alice@mastodon.social…", &["alice@mastodon.social"]),
            (
                "@alice@mastodon.social…and more",
                &["alice@mastodon.social"],
            ),
            ("me|@alice@mastodon.social|you", &["alice@mastodon.social"]),
            ("**@alice@mastodon.social**", &["alice@mastodon.social"]),
            (
                "@alice@mastodon.social\n@bob@mas.to",
                &["alice@mastodon.social", "bob@mas.to"],
            ),
            (
                "@alice@mastodon.social\t@bob@mas.to\r\n",
                &["alice@mastodon.social", "bob@mas.to"],
            ),
            ("—@alice@mastodon.social—", &["alice@mastodon.social"]),
            ("→@alice@mastodon.social←", &["alice@mastodon.social"]),
            ("@alice@mastodon.social's posts", &["alice@mastodon.social"]),
            ("@alice@mastodon.social’s posts", &["alice@mastodon.social"]),
        ],
    );
}

#[test]
fn cjk_text_and_separators() {
    check(
        "cjk",
        &[
            ("連絡は@kana@pawoo.netまで", &["kana@pawoo.net"]),
            ("マストドン：＠kana＠pawoo．net", &["kana@pawoo.net"]),
            ("「@kana@mstdn.jp」", &["kana@mstdn.jp"]),
            ("《@kana@mstdn.jp》", &["kana@mstdn.jp"]),
            ("（@kana@mstdn.jp）", &["kana@mstdn.jp"]),
            (
                "@kana@mstdn.jp、@yuki@misskey.io。",
                &["kana@mstdn.jp", "yuki@misskey.io"],
            ),
            ("絵描き丨@kana@pawoo.net丨よろしく", &["kana@pawoo.net"]),
            (
                "Misskeyはこちら→ https://misskey.io/@yuki",
                &["yuki@misskey.io"],
            ),
            ("마스토돈 @minji@qdon.space 입니다", &["minji@qdon.space"]),
            ("マストドンはこちら kana@example.jp", &["kana@example.jp"]),
        ],
    );
}

#[test]
fn sentences_in_other_languages() {
    check(
        "languages",
        &[
            (
                "Ihr findet mich jetzt unter @alice@chaos.social.",
                &["alice@chaos.social"],
            ),
            (
                "Neu im Fediverse: alice@norden.social – Mails an alice@posteo.de",
                &["alice@norden.social"],
            ),
            (
                "Retrouvez-moi sur Mastodon : @alice@piaille.fr",
                &["alice@piaille.fr"],
            ),
            ("Sur le fédivers : claire@mamot.fr", &["claire@mamot.fr"]),
            (
                "Estoy en Mastodon: @ana@mastodon.uno",
                &["ana@mastodon.uno"],
            ),
            (
                "Mi trovate su @luca@livellosegreto.it.",
                &["luca@livellosegreto.it"],
            ),
            ("Я в федиверсе: @ivan@mastodon.ml", &["ivan@mastodon.ml"]),
        ],
    );
}

#[test]
fn unicode_clean_up() {
    check(
        "unicode",
        &[
            ("@erin＠mastodon.online", &["erin@mastodon.online"]),
            (
                "＠erin＠ｍａｓｔｏｄｏｎ．ｏｎｌｉｎｅ",
                &["erin@mastodon.online"],
            ),
            ("@𝐟𝐫𝐚𝐧𝐤@𝐦𝐚𝐬𝐭𝐨𝐝𝐨𝐧.𝐬𝐨𝐜𝐢𝐚𝐥", &["frank@mastodon.social"]),
            ("@𝕗𝕣𝕒𝕟𝕜@𝕞𝕒𝕤𝕥𝕠𝕕𝕠𝕟.𝕤𝕠𝕔𝕚𝕒𝕝", &["frank@mastodon.social"]),
            ("@𝘧𝘳𝘢𝘯𝘬@𝘮𝘢𝘴𝘵𝘰𝘥𝘰𝘯.𝘴𝘰𝘤𝘪𝘢𝘭", &["frank@mastodon.social"]),
            (
                "@al\u{200B}ice@mastodon\u{200C}.social",
                &["alice@mastodon.social"],
            ),
            (
                "@alice\u{00AD}@mas\u{00AD}todon.social",
                &["alice@mastodon.social"],
            ),
            (
                "\u{FEFF}@alice@mastodon.social\u{2060}",
                &["alice@mastodon.social"],
            ),
            (
                "\u{200E}@alice@mastodon.social\u{200F}",
                &["alice@mastodon.social"],
            ),
            (
                "@alice@mastodon.social\u{00A0}and\u{3000}@bob@mas.to",
                &["alice@mastodon.social", "bob@mas.to"],
            ),
            (
                "https://mastodon.social/＠alice",
                &["alice@mastodon.social"],
            ),
            ("ⓜ @alice@mastodon.social", &["alice@mastodon.social"]),
        ],
    );
}

#[test]
fn markers_make_bare_addresses_handles() {
    check(
        "markers",
        &[
            ("🐘 carol@smallserver.net", &["carol@smallserver.net"]),
            ("🐘carol@smallserver.net", &["carol@smallserver.net"]),
            ("🦣 carol@smallserver.net", &["carol@smallserver.net"]),
            ("ⓜ carol@smallserver.net", &["carol@smallserver.net"]),
            (
                "Mastodon: carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            ("Mastodon:carol@smallserver.net", &["carol@smallserver.net"]),
            (
                "mastodon - carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            ("fedi: carol@smallserver.net", &["carol@smallserver.net"]),
            ("fedi:carol@smallserver.net", &["carol@smallserver.net"]),
            (
                "Fediverse: carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            ("Toot: carol@smallserver.net", &["carol@smallserver.net"]),
            ("Misskey: carol@smallserver.net", &["carol@smallserver.net"]),
            (
                "#Mastodon carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            (
                "I'm on Mastodon now as carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            (
                "(Mastodon at carol@smallserver.net.)",
                &["carol@smallserver.net"],
            ),
            (
                "Pixelfed: carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            ("carol@smallserver.net", &[]),
            ("Mastodon\ncarol@smallserver.net", &[]),
            (
                "Mastodon is a great idea but you can reach me only at carol@smallserver.net",
                &[],
            ),
            ("Mastodon: contact@smallserver.net", &[]),
            ("Mastodon: carol@gmail.com", &[]),
        ],
    );
}

#[test]
fn fediverse_looking_hosts_need_no_marker() {
    check(
        "fedi hosts",
        &[
            ("Now at alice@mastodon.online", &["alice@mastodon.online"]),
            ("alice@det.social", &["alice@det.social"]),
            ("alice@social.coop", &["alice@social.coop"]),
            ("alice@mstdn.ca", &["alice@mstdn.ca"]),
            ("alice@fosstodon.org", &["alice@fosstodon.org"]),
            ("alice@fedibird.com", &["alice@fedibird.com"]),
            ("alice@misskey.io", &["alice@misskey.io"]),
            ("alice@hachyderm.io", &["alice@hachyderm.io"]),
            ("alice@infosec.exchange", &["alice@infosec.exchange"]),
            ("alice@threads.net", &["alice@threads.net"]),
            ("alice@lemmy.world", &["alice@lemmy.world"]),
            ("alice@pixelfed.social", &["alice@pixelfed.social"]),
        ],
    );
}

#[test]
fn email_addresses_are_not_handles() {
    check(
        "e-mail",
        &[
            ("Business inquiries: jane@company.com", &[]),
            ("Business inquiries: jane@mastodon-agency.com", &[]),
            ("E-Mail: jane@example.social", &[]),
            ("email jane@mastodon.social", &[]),
            ("✉ jane@mastodon.social", &[]),
            ("📧 jane@example.org", &[]),
            ("Contact: jane@example.org", &[]),
            ("name@company.com", &[]),
            ("user@gmail.com", &[]),
            ("@user@gmail.com", &[]),
            ("jane.doe+news@gmail.com", &[]),
            (
                "Mastodon: @a@b.social · Mail: jane@company.com",
                &["a@b.social"],
            ),
            ("press@mastodon.social", &[]),
            ("info@chaos.social", &[]),
            ("hello@det.social", &[]),
            ("support@joinmastodon.org", &[]),
            ("mailto:jane@mastodon.social", &[]),
            ("MAILTO:jane@smallserver.net", &[]),
            ("jane@protonmail.com", &[]),
            ("jane@posteo.de", &[]),
            ("jane@icloud.com", &[]),
            ("jane@web.de", &[]),
            ("jane@yahoo.co.jp", &[]),
            ("メール: kana@example.jp", &[]),
        ],
    );
}

#[test]
fn things_shaped_like_addresses_that_are_not() {
    check(
        "look-alikes",
        &[
            ("@user@localhost", &[]),
            ("@user@localhost.localdomain", &[]),
            ("@user@printer.local", &[]),
            ("git@github.com:org/repo.git", &[]),
            ("git clone git@codeberg.org:org/repo", &[]),
            ("ssh user@1.2.3.4", &[]),
            ("@user@1.2.3.4", &[]),
            ("@user@[::1]", &[]),
            ("foo@bar", &[]),
            ("@foo@bar", &[]),
            ("pkg@1.2.3", &[]),
            ("npm i lodash@4.17.21", &[]),
            ("npm i @scope/pkg@1.0", &[]),
            ("npm i @scope/pkg@latest", &[]),
            ("@types/node@20.1.0", &[]),
            ("@alice@mastodon.social:8080", &[]),
            ("@handle@twitter.com", &[]),
            ("@handle@x.com", &[]),
            ("@handle@mobile.twitter.com", &[]),
            ("@name@bsky.social", &[]),
            ("@name@counter.social", &[]),
            ("@alice:matrix.org", &[]),
            ("Matrix: @alice:matrix.org, Discord: alice#1234", &[]),
            ("Works at @acme. Views my own.", &[]),
            ("@acme @beta", &[]),
            ("icon@2x.png", &[]),
            ("@alice@notes.c", &[]),
            ("a@b", &[]),
            ("@", &[]),
            ("@@", &[]),
            ("@alice@", &[]),
            ("@.@.social", &[]),
            ("user@host_name.social", &[]),
            ("@аlice@mastodon.social", &[]),
            ("https://user@mastodon.social", &[]),
            ("ftp://alice@mastodon.social/pub", &[]),
            ("example.com/alice@mastodon.social", &[]),
            ("?user=alice@mastodon.social", &[]),
        ],
    );
}

#[test]
fn profile_urls() {
    check(
        "urls",
        &[
            ("https://mastodon.social/@alice", &["alice@mastodon.social"]),
            ("http://mastodon.social/@alice", &["alice@mastodon.social"]),
            ("HTTPS://MASTODON.SOCIAL/@Alice", &["alice@mastodon.social"]),
            ("mastodon.social/@alice", &["alice@mastodon.social"]),
            (
                "https://mastodon.social/@alice/",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/@alice//",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/@alice?lang=en",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/@alice#top",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/@alice.",
                &["alice@mastodon.social"],
            ),
            (
                "(https://mastodon.social/@alice)",
                &["alice@mastodon.social"],
            ),
            (
                "<https://mastodon.social/@alice>",
                &["alice@mastodon.social"],
            ),
            (
                "Mastodon:https://mastodon.social/@alice",
                &["alice@mastodon.social"],
            ),
            ("fedi:mastodon.social/@alice", &["alice@mastodon.social"]),
            (
                "https://mastodon.social/@alice/with_replies",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/@alice/media",
                &["alice@mastodon.social"],
            ),
            (
                "https://small-server.example.net/@alice",
                &["alice@small-server.example.net"],
            ),
            (
                "https://bücher.example/@alice",
                &["alice@xn--bcher-kva.example"],
            ),
            (
                "https://xn--bcher-kva.example/@alice",
                &["alice@xn--bcher-kva.example"],
            ),
            (
                "https://mastodon.social:443/@alice",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/%40alice",
                &["alice@mastodon.social"],
            ),
            (
                "https://www.example.social/@alice",
                &["alice@example.social"],
            ),
            ("https://threads.net/@zuck", &["zuck@threads.net"]),
            ("https://www.threads.com/@zuck", &["zuck@threads.net"]),
            (
                "https://mastodon.social/web/@alice",
                &["alice@mastodon.social"],
            ),
            ("mastodon.social/web/@alice/", &["alice@mastodon.social"]),
            (
                "https://mastodon.social/@alice/109318412345678901",
                &["alice@mastodon.social"],
            ),
            (
                "https://fosstodon.org/@bob/110000000000000000 and https://mas.to/@carol",
                &["bob@fosstodon.org", "carol@mas.to"],
            ),
            (
                "https://mastodon.social/@alice@chaos.social",
                &["alice@chaos.social"],
            ),
            (
                "https://mastodon.social/web/@alice@chaos.social",
                &["alice@chaos.social"],
            ),
        ],
    );
}

#[test]
fn actor_and_other_software_urls() {
    check(
        "software urls",
        &[
            ("https://hachyderm.io/users/bob", &["bob@hachyderm.io"]),
            ("https://example.net/users/bob", &["bob@example.net"]),
            (
                "https://example.net/users/bob/statuses/1234",
                &["bob@example.net"],
            ),
            ("https://lemmy.world/u/alice", &["alice@lemmy.world"]),
            ("https://lemmy.world/c/rust", &["rust@lemmy.world"]),
            (
                "https://tube.example.org/c/channel_name",
                &["channel_name@tube.example.org"],
            ),
            (
                "https://peertube.example/a/alice/video-channels",
                &["alice@peertube.example"],
            ),
            (
                "https://friendica.example.org/profile/alice",
                &["alice@friendica.example.org"],
            ),
            (
                "https://bookwyrm.social/user/reader",
                &["reader@bookwyrm.social"],
            ),
            (
                "Mastodon: https://example.net/u/alice",
                &["alice@example.net"],
            ),
            (
                "https://mastodon.social/@alice https://mastodon.social/@alice",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/@alice @alice@mastodon.social",
                &["alice@mastodon.social"],
            ),
        ],
    );
}

#[test]
fn urls_that_are_not_fediverse_profiles() {
    check(
        "non-fedi urls",
        &[
            ("mastodon.social/johnsmith", &[]),
            ("https://mastodon.social", &[]),
            ("https://mastodon.social/about", &[]),
            ("https://mastodon.social/@", &[]),
            ("https://medium.com/@alice", &[]),
            ("https://alice.medium.com/@alice", &[]),
            ("https://www.youtube.com/@alice", &[]),
            ("https://m.youtube.com/@alice", &[]),
            ("https://www.youtube.com/c/alice", &[]),
            (
                "https://www.tiktok.com/@alice/video/7000000000000000000",
                &[],
            ),
            ("https://substack.com/@alice", &[]),
            ("https://en.pronouns.page/@alice", &[]),
            ("https://www.instagram.com/@alice", &[]),
            ("https://linktr.ee/@alice", &[]),
            ("https://twitter.com/@alice", &[]),
            ("https://x.com/alice/status/123", &[]),
            ("https://unsplash.com/@alice", &[]),
            ("https://www.reddit.com/u/alice", &[]),
            ("https://www.reddit.com/user/alice", &[]),
            ("https://stackoverflow.com/users/12345/alice", &[]),
            ("https://www.pixiv.net/users/12345", &[]),
            ("https://example.org/users/12345", &[]),
            ("https://archiveofourown.org/users/fanwriter/works", &[]),
            ("https://www.credly.com/users/alice/badges", &[]),
            ("https://pikabu.ru/@alice", &[]),
            ("https://www.quora.com/profile/Alice-Smith", &[]),
            ("https://leetcode.com/u/alice/", &[]),
            ("https://example.com/u/alice", &[]),
            ("https://example.com/profile/alice", &[]),
            ("https://t.co/AbCdEf123", &[]),
            ("https://bsky.app/profile/alice.bsky.social", &[]),
            ("https://counter.social/@alice", &[]),
            ("https://matrix.to/#/@alice:matrix.org", &[]),
            ("https://maps.google.com/@52.37,4.89,15z", &[]),
            ("https://lichess.org/@/alice", &[]),
            ("https://example.com/blog/@alice", &[]),
            ("https://127.0.0.1/@alice", &[]),
            ("http://localhost:3000/@alice", &[]),
            ("https://www.theverge.com/2024/1/1/bluesky", &[]),
            ("she/her", &[]),
            ("and/or 1/2 https://", &[]),
        ],
    );
}

#[test]
fn several_handles_keep_their_order() {
    check(
        "order",
        &[
            (
                "Mastodon: @alice@mastodon.social\nPixelfed: https://pixelfed.social/alice\nhttps://lemmy.ml/u/alice",
                &[
                    "alice@mastodon.social",
                    "alice@pixelfed.social",
                    "alice@lemmy.ml",
                ],
            ),
            (
                "https://mas.to/@b first, then @a@mastodon.social, then c@fosstodon.org",
                &["b@mas.to", "a@mastodon.social", "c@fosstodon.org"],
            ),
        ],
    );
}

#[test]
fn the_bluesky_bridge_is_opt_in() {
    let rows: &[Row] = &[
        (
            "https://bsky.app/profile/343max.de",
            &["343max.de@bsky.brid.gy"],
        ),
        (
            "https://bsky.app/profile/alice.bsky.social/post/3k",
            &["alice.bsky.social@bsky.brid.gy"],
        ),
        ("🦋 alice.bsky.social", &["alice.bsky.social@bsky.brid.gy"]),
        (
            "Bluesky: @alice.bsky.social.",
            &["alice.bsky.social@bsky.brid.gy"],
        ),
        (
            "@Alice.BSKY.social and @alice@mastodon.social",
            &["alice.bsky.social@bsky.brid.gy", "alice@mastodon.social"],
        ),
        ("https://bsky.app/profile/did:plc:abcdef", &[]),
        ("bsky.social", &[]),
        ("https://bsky.social/about", &[]),
        ("@name@bsky.social", &[]),
    ];
    let bridge = ExtractOptions {
        bridges: vec![Bridge::Bluesky],
    };
    check_table("bridge on", Field::Text, &bridge, rows);
    let off: Vec<Row> = rows
        .iter()
        .map(|(text, _)| {
            (
                *text,
                if text.contains("mastodon.social") {
                    &["alice@mastodon.social"][..]
                } else {
                    &[][..]
                },
            )
        })
        .collect();
    check_table("bridge off", Field::Text, &ExtractOptions::default(), &off);
}

/// Texts with one candidate each: its rule, original text and bridge flag.
const EVIDENCE: &[(&str, Rule, &str, Option<Bridge>)] = &[
    (
        "hi @erin＠mastodon.online!",
        Rule::AcctAt,
        "@erin＠mastodon.online",
        None,
    ),
    (
        "Mastodon: carol@smallserver.net.",
        Rule::AcctBare,
        "carol@smallserver.net",
        None,
    ),
    (
        "x https://mastodon.social/@alice?lang=en.",
        Rule::ProfileUrl,
        "https://mastodon.social/@alice?lang=en",
        None,
    ),
    (
        "mastodon.social/web/@alice",
        Rule::WebUrl,
        "mastodon.social/web/@alice",
        None,
    ),
    (
        "https://hachyderm.io/users/bob",
        Rule::UsersUrl,
        "https://hachyderm.io/users/bob",
        None,
    ),
    (
        "https://mastodon.social/@alice/1093",
        Rule::StatusUrl,
        "https://mastodon.social/@alice/1093",
        None,
    ),
    (
        "https://mastodon.xyz/@Flipboard@flipboard.social",
        Rule::RemoteViewUrl,
        "https://mastodon.xyz/@Flipboard@flipboard.social",
        None,
    ),
    (
        "https://lemmy.world/u/alice",
        Rule::PathUrl,
        "https://lemmy.world/u/alice",
        None,
    ),
    (
        "Mastodon: alice [at] example [dot] net!",
        Rule::AcctBare,
        "alice [at] example [dot] net",
        None,
    ),
    (
        "🐘 @ alice @ example.net",
        Rule::AcctAt,
        "@ alice @ example.net",
        None,
    ),
    (
        "hxxps://infosec[.]exchange/@alice",
        Rule::ProfileUrl,
        "hxxps://infosec[.]exchange/@alice",
        None,
    ),
    (
        "https://elk.zone/authorize_interaction?uri=https%3A%2F%2Fmas.to%2F%40ari",
        Rule::FollowUrl,
        "https://elk.zone/authorize_interaction?uri=https%3A%2F%2Fmas.to%2F%40ari",
        None,
    ),
    (
        "(@al\u{200B}ice@mastodon.social)",
        Rule::AcctAt,
        "@al\u{200B}ice@mastodon.social",
        None,
    ),
    (
        "@a.bsky.social@bsky.brid.gy",
        Rule::AcctAt,
        "@a.bsky.social@bsky.brid.gy",
        Some(Bridge::Bluesky),
    ),
    (
        "🦋 @a.bsky.social",
        Rule::Bridge,
        "@a.bsky.social",
        Some(Bridge::Bluesky),
    ),
    (
        "bsky.app/profile/a.example",
        Rule::Bridge,
        "bsky.app/profile/a.example",
        Some(Bridge::Bluesky),
    ),
];

#[test]
fn evidence_quotes_the_original_text_and_names_the_rule() {
    let bridge = ExtractOptions {
        bridges: vec![Bridge::Bluesky],
    };
    let rows = EVIDENCE;
    for (text, rule, matched, bridged) in rows {
        let got = extract(text, Field::Name, &bridge);
        assert_eq!(got.len(), 1, "{text:?} → {got:?}");
        assert_eq!(got[0].rule, *rule, "{text:?}");
        assert_eq!(got[0].matched, *matched, "{text:?}");
        assert_eq!(got[0].bridge, *bridged, "{text:?}");
        assert_eq!(got[0].field, Field::Name, "{text:?}");
    }
}

#[test]
fn rules_and_fields_serialise_kebab_case() {
    let json = serde_json::to_string(&(
        Rule::RemoteViewUrl,
        Rule::FollowUrl,
        Field::PinnedPost,
        Bridge::Bluesky,
    ))
    .expect("serialise");
    assert_eq!(
        json,
        r#"["remote-view-url","follow-url","pinned-post","bluesky"]"#
    );
}

#[test]
fn a_long_hostile_text_stays_fast() {
    let mut text = String::new();
    for _ in 0..20_000 {
        text.push_str("@a@@b.c/..@@:@x.social/@/@ ");
    }
    text.push_str(&"a".repeat(100_000));
    text.push_str("@mastodon.social ");
    for i in 0..20_000 {
        text.push_str(&format!("1 x{i}@y.example "));
    }
    let start = std::time::Instant::now();
    let _ = extract(&text, Field::Text, &ExtractOptions::default());
    assert!(
        start.elapsed() < std::time::Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn markers_belong_to_their_clause() {
    check(
        "clauses",
        &[
            ("Mastodon fan. Reach me at jane@company.com", &[]),
            ("Mastodon | jane@company.com", &[]),
            ("Mastodon · jane@company.com", &[]),
            (
                "Mastodon/Fediverse: carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            (
                "Mastodon & Bluesky: carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            (
                "Also on Mastodon (carol@smallserver.net)",
                &["carol@smallserver.net"],
            ),
            ("Fedi ➡️ carol@smallserver.net", &["carol@smallserver.net"]),
            (
                "Mastodon (new account, since 2022, mostly birds): carol@smallserver.net",
                &["carol@smallserver.net"],
            ),
            ("XMPP: carol@jabber.social", &[]),
            ("xmpp:carol@chat.social", &[]),
            ("Signal/Matrix: carol@example.social", &[]),
            (
                "I post about mastodon.social stuff, mail carol@company.com",
                &[],
            ),
            (
                "@a@mastodon.social carol@company.com",
                &["a@mastodon.social"],
            ),
            (
                "Mastodon: @a@b.social, work: jane@company.com",
                &["a@b.social"],
            ),
            ("Mastodon: mas.to/@a jane@company.com", &["a@mas.to"]),
        ],
    );
}

#[test]
fn links_in_markup_and_more_software() {
    check(
        "markup",
        &[
            (
                "[Mastodon](https://mastodon.social/@alice)",
                &["alice@mastodon.social"],
            ),
            (
                "<a href=\"https://mastodon.social/@alice\" rel=\"me\">Mastodon</a>",
                &["alice@mastodon.social"],
            ),
            ("„@alice@chaos.social“", &["alice@chaos.social"]),
            (
                "https://mastodon.social/@aliceです",
                &["alice@mastodon.social"],
            ),
            ("@alice@mastodon.social🐘", &["alice@mastodon.social"]),
            ("https://pixelfed.social/alice", &["alice@pixelfed.social"]),
            ("https://pixelfed.social/discover", &[]),
            ("https://example.com/alice", &[]),
            ("https://kbin.social/m/rust", &["rust@kbin.social"]),
            (
                "https://hubzilla.example.org/channel/alice",
                &["alice@hubzilla.example.org"],
            ),
            (
                "https://misskey.io/@yuki@mastodon.social",
                &["yuki@mastodon.social"],
            ),
            (
                "https://funkwhale.example/@band",
                &["band@funkwhale.example"],
            ),
            ("!rust@programming.dev", &["rust@programming.dev"]),
            ("alice+news@mastodon.social", &[]),
        ],
    );
}

#[test]
fn real_world_bio_shapes() {
    check(
        "bios",
        &[
            (
                "Senior engineer @Shopify. Opinions mine. he/him. 🐘 https://hachyderm.io/@jdoe",
                &["jdoe@hachyderm.io"],
            ),
            (
                "Now on Mastodon → jane@octodon.social ✨ (old account: @jane@mastodon.technology)",
                &["jane@octodon.social", "jane@mastodon.technology"],
            ),
            (
                "Writer. Agent: Jill at jill@literaryagency.com. Mastodon: @writer@zirk.us",
                &["writer@zirk.us"],
            ),
            (
                "PhD student @MIT | prev @Google | bsky: jdoe.bsky.social | fedi: jdoe@sigmoid.social",
                &["jdoe@sigmoid.social"],
            ),
            (
                "Follow me at social.example.com/@sam - this account is archived",
                &["sam@social.example.com"],
            ),
            (
                "Contact: hello@kimdesign.studio — Fediverse @kim@kimdesign.studio",
                &["kim@kimdesign.studio"],
            ),
            (
                "Unsplash: unsplash.com/@kim · Vero: vero.co/kim · Mastodon: mas.to/@kim",
                &["kim@mas.to"],
            ),
            ("She/Her 🏳️‍🌈 | Toot me: @kim＠ｍａｓ．ｔｏ", &["kim@mas.to"]),
        ],
    );
}

#[test]
fn more_real_world_bio_shapes() {
    check(
        "more bios",
        &[
            (
                "Podcast: https://podcasts.apple.com/us/podcast/id123 YT: youtube.com/@kimcast",
                &[],
            ),
            ("Email me: kim@kim.dev PGP: 0xDEADBEEF", &[]),
            (
                "Auch im Fediverse unterwegs: kim@social.tchncs.de",
                &["kim@social.tchncs.de"],
            ),
            (
                "Twitter-Account ruht. Neu: @kim@norden.social",
                &["kim@norden.social"],
            ),
            ("ミスキー：kim@misskey.io", &["kim@misskey.io"]),
            ("Matrix: @kim:matrix.org · XMPP: kim@jabber.ccc.de", &[]),
            (
                "Website: kim.example · Blog: kim.example/blog · RSS: kim.example/feed.xml",
                &[],
            ),
            (
                "Kim (she/her) | @kim@mastodon.social | kim.bsky.social | kim@kim.example",
                &["kim@mastodon.social"],
            ),
            (
                "@kim@mastodon.social, formerly @kim@mastodon.technology; email kim@example.com",
                &["kim@mastodon.social", "kim@mastodon.technology"],
            ),
            (
                "We've moved: @orgname@newsie.social · press: press@org.example",
                &["orgname@newsie.social"],
            ),
            (
                "Official account of ACME. Support: @acmesupport. Status: status.acme.com",
                &[],
            ),
        ],
    );
}

#[test]
fn fields_and_bridges_print_as_they_serialise() {
    let fields = [
        Field::Name,
        Field::Description,
        Field::Url,
        Field::Location,
        Field::PinnedPost,
        Field::Tweet,
        Field::Text,
    ];
    for field in fields {
        assert_eq!(serde_json::to_value(field).unwrap(), field.to_string());
    }
    assert_eq!(
        serde_json::to_value(Bridge::Bluesky).unwrap(),
        Bridge::Bluesky.to_string()
    );
}

#[test]
fn markers_are_whole_words_that_label_the_next_address() {
    check(
        "marker binding",
        &[
            ("Mastodon & Bluesky refugee, jane@company.com", &[]),
            ("Left Mastodon, write to jane@company.com", &[]),
            ("no fedi, no bsky, just jane@company.com", &[]),
            ("Deleted my Mastodon account; jane@company.com", &[]),
            (
                "Mastodon and Bluesky are dead to me — jane@company.com",
                &[],
            ),
            ("Paleontologist (mastodons, mammoths) sam@museum.org", &[]),
            ("Fedir Kovalenko, fedir@kyiv.ua", &[]),
            ("fedi-curious 🧐 jane@company.com", &[]),
            ("ex-Mastodon, now jane@company.com", &[]),
            ("Not on Mastodon: jane@company.com", &[]),
            ("Mastodon user, jane@company.com", &[]),
            ("Mastodon fan – reach me at jane@company.com", &[]),
            ("Former Mastodon admin, jane@company.com", &[]),
            (
                "Mastodon: https://mastodon.social/users/jane jane@company.com",
                &["jane@mastodon.social"],
            ),
            (
                "Mastodon: https://example.net/u/jane jane@company.com",
                &["jane@example.net"],
            ),
            ("Mastodon: bob@infosec.exchange", &["bob@infosec.exchange"]),
            ("fedi: sam@ioc.exchange", &["sam@ioc.exchange"]),
            ("🐘 dave@mas.to", &["dave@mas.to"]),
            ("Mastodon: bob@example.net", &["bob@example.net"]),
            ("fedi: sam@example.net", &["sam@example.net"]),
            ("🐘 dave@example.net", &["dave@example.net"]),
            // A comma right after the marker still labels: an invitation, not a list.
            ("Find me on Mastodon, bob@x.social", &["bob@x.social"]),
            ("Find me on Mastodon, bob@example.net", &["bob@example.net"]),
            ("Mastodon — bob@example.net", &["bob@example.net"]),
            ("Mastodon-Account: bob@example.net", &["bob@example.net"]),
            (
                "Meine Fediverse-Adresse: bob@example.net",
                &["bob@example.net"],
            ),
            ("On Mastodon as bob@example.net", &["bob@example.net"]),
            (
                "On the fediverse (mostly art, some cats, occasionally politics, rarely food): ari@example.net",
                &["ari@example.net"],
            ),
            // Verb forms are not markers ("Tooting" is also a part of London).
            ("Tooting at ari@example.net", &[]),
            ("Living in Tooting, jane@company.com", &[]),
        ],
    );
}

#[test]
fn handles_glued_to_each_other_or_to_markup() {
    check(
        "glued",
        &[
            ("@a@mas.to/@b@mas.to", &["a@mas.to", "b@mas.to"]),
            ("@a@mas.to+@b@hachyderm.io", &["a@mas.to", "b@hachyderm.io"]),
            ("@a@mas.to&@b@mas.to", &["a@mas.to", "b@mas.to"]),
            ("@ari@merveilles.town#art", &["ari@merveilles.town"]),
            ("_@ari@merveilles.town_", &["ari@merveilles.town"]),
            ("__@ari@merveilles.town__.", &["ari@merveilles.town"]),
            ("~@ari@merveilles.town~", &["ari@merveilles.town"]),
            ("@ari@merveilles.town_", &["ari@merveilles.town"]),
            ("@.bob@mas.to", &["bob@mas.to"]),
            ("@-ari@mas.to", &[]),
            ("@a@mas.to/path", &[]),
            ("@a@mas.to+tag", &[]),
            ("@user@my.host_name.social", &[]),
        ],
    );
}

#[test]
fn client_and_advanced_ui_links() {
    check(
        "client links",
        &[
            (
                "https://mastodon.social/deck/@ari",
                &["ari@mastodon.social"],
            ),
            (
                "https://mastodon.social/deck/@ari@hachyderm.io",
                &["ari@hachyderm.io"],
            ),
            ("https://elk.zone/mas.to/@ari", &["ari@mas.to"]),
            (
                "https://elk.zone/mastodon.social/@ari@hachyderm.io",
                &["ari@hachyderm.io"],
            ),
            (
                "https://phanpy.social/example.net/@ari",
                &["ari@example.net"],
            ),
            (
                "https://elk.zone/mas.to/@ari/110000000000000000",
                &["ari@mas.to"],
            ),
            ("https://elk.zone/settings/@ari", &[]),
            ("https://elk.zone/x.com/@ari", &[]),
            ("https://micro.blog/manton", &[]),
            ("https://write.as/matt", &[]),
        ],
    );
}

#[test]
fn look_alike_sites_and_overlay_networks_are_refused() {
    check(
        "refused",
        &[
            ("https://ecency.com/@hiveuser", &[]),
            ("https://lbry.tv/@channel", &[]),
            ("https://vercel.com/@someone", &[]),
            ("https://peakd.com/@hiveuser", &[]),
            ("https://odysee.com/@channel", &[]),
            ("@ari@abcdefghijklmnop.onion", &[]),
            ("@ari@example.i2p", &[]),
            ("@ari@example.alt", &[]),
            ("http://abcdefghijklmnop.onion/@ari", &[]),
        ],
    );
}

#[test]
fn ignored_bridged_handles_are_reported_apart() {
    let text = "🦋 alice.bsky.social and @bob@mastodon.social, bsky.app/profile/carol.example";
    let off = ignored_by_bridges(text, Field::Text, &ExtractOptions::default());
    let names: Vec<String> = off.iter().map(|c| c.handle.to_string()).collect();
    assert_eq!(
        names,
        [
            "alice.bsky.social@bsky.brid.gy",
            "carol.example@bsky.brid.gy"
        ]
    );
    assert!(off.iter().all(|c| c.bridge == Some(Bridge::Bluesky)));
    let on = ExtractOptions {
        bridges: vec![Bridge::Bluesky],
    };
    assert!(ignored_by_bridges(text, Field::Text, &on).is_empty());
    let bridged_address = "@a.bsky.social@bsky.brid.gy";
    assert!(
        ignored_by_bridges(bridged_address, Field::Text, &ExtractOptions::default()).is_empty()
    );
}

#[test]
fn handles_spelled_out_to_dodge_scrapers() {
    check(
        "spelled out",
        &[
            ("Mastodon: alice at example dot net", &["alice@example.net"]),
            ("alice at mastodon dot social", &["alice@mastodon.social"]),
            ("@alice at mastodon dot social", &["alice@mastodon.social"]),
            ("ALICE AT MASTODON DOT SOCIAL", &["alice@mastodon.social"]),
            ("alice(a)mastodon.social", &["alice@mastodon.social"]),
            ("alice(at)chaos.social", &["alice@chaos.social"]),
            ("alice [at] fosstodon [dot] org", &["alice@fosstodon.org"]),
            ("Fedi: alice [at] example [dot] net", &["alice@example.net"]),
            ("alice {at} mas {dot} to", &["alice@mas.to"]),
            ("🐘 alice at example dot net", &["alice@example.net"]),
            (
                "Fediverse: alice(at)example(punkt)net",
                &["alice@example.net"],
            ),
            ("@alice at mastodon.social", &["alice@mastodon.social"]),
            ("@alice(at)example.net", &["alice@example.net"]),
            (
                "@alice [at] example [dot] co [dot] uk",
                &["alice@example.co.uk"],
            ),
            ("infosec[.]exchange/@alice", &["alice@infosec.exchange"]),
            (
                "hxxps://infosec[.]exchange/@alice",
                &["alice@infosec.exchange"],
            ),
            ("https://example(.)net/@alice", &["alice@example.net"]),
            ("@ alice @ mastodon.social", &["alice@mastodon.social"]),
            ("@alice @ hachyderm.io", &["alice@hachyderm.io"]),
            ("@ alice@example.net", &["alice@example.net"]),
            (
                "Toots: @sam at sigmoid dot social. Mail: sam at uni dot edu",
                &["sam@sigmoid.social"],
            ),
            ("Mastodon: acct:alice@example.net", &["alice@example.net"]),
            ("acct:alice@example.net", &["alice@example.net"]),
            ("フォローはkim(at)mstdn(dot)jpまで", &["kim@mstdn.jp"]),
            (
                "Ｍａｓｔｏｄｏｎ：ｋｉｍ［ａｔ］ｅｘａｍｐｌｅ［ｄｏｔ］ｎｅｔ",
                &["kim@example.net"],
            ),
            (
                "Mail: kim(at)uni-bonn(punkt)de · Mastodon: kim(at)det(punkt)social",
                &["kim@det.social"],
            ),
            ("Posts at @kim at mas dot to", &["kim@mas.to"]),
        ],
    );
}

#[test]
fn spelled_out_mail_and_prose_stay_refused() {
    check(
        "spelled-out refusals",
        &[
            ("jane at gmail dot com", &[]),
            ("contact: jane at example dot com", &[]),
            ("Contact: jane at example dot social", &[]),
            ("jane at example dot com", &[]),
            ("jane(at)example(dot)com", &[]),
            ("jane [at] gmail [dot] com", &[]),
            ("E-Mail: jane(at)mastodon-agency(dot)com", &[]),
            ("Mails: jane(at)posteo(punkt)de", &[]),
            ("press at mastodon dot social", &[]),
            ("info(at)chaos(dot)social", &[]),
            ("Engineer at Google. Dot enthusiast.", &[]),
            ("Find me at mastodon dot social", &[]),
            ("I'm at mastodon dot social", &[]),
            ("Working at mastodon.social", &[]),
            ("Mastodon: find me at mastodon.social", &[]),
            ("Meet me @ social.coop", &[]),
            ("Senior dev @ mastodon.social", &[]),
            ("Dev at Acme dot com, ex-Google", &[]),
            (
                "jane at example dot com, Mastodon: @kim@mas.to",
                &["kim@mas.to"],
            ),
            ("Lunch at 12 dot 30", &[]),
            ("Matrix: @jane:example.org (at) home", &[]),
            ("📧 jane [at] example [dot] social", &[]),
            ("alice at mastodon dot", &[]),
            ("Engineer at social dot coop", &[]),
            ("Founder at mastodon dot social", &[]),
            ("Software engineer at Mozilla dot org alumni", &[]),
            ("Reach me at alice dot smith at gmail dot com", &[]),
            ("@jack at twitter dot com", &[]),
            ("Meet me at the social dot club", &[]),
            ("bob at fosstodon.org", &[]),
            ("Ping me @ alice dot example", &[]),
            ("Check out example(dot)com for more", &[]),
            ("Option (a) or (b)", &[]),
            ("I live in (at) Berlin", &[]),
            ("threat intel: hxxps://evil[.]example/payload", &[]),
            ("Vote at polls dot example dot org", &[]),
        ],
    );
}

#[test]
fn less_common_software_and_remote_views() {
    check(
        "more software",
        &[
            ("https://fediverse.blog/@/alice/", &["alice@fediverse.blog"]),
            (
                "https://plume.example.net/@/alice",
                &["alice@plume.example.net"],
            ),
            (
                "https://fediverse.blog/@/alice@mastodon.social",
                &["alice@mastodon.social"],
            ),
            (
                "https://fediverse.blog/~/MyBlog",
                &["myblog@fediverse.blog"],
            ),
            ("https://git.sr.ht/~alice/repo", &[]),
            ("https://tilde.club/~alice", &[]),
            ("https://lichess.org/@/alice", &[]),
            (
                "Hubzilla: https://hub.example.org/channel/alice",
                &["alice@hub.example.org"],
            ),
            ("https://www.youtube.com/channel/UCabc", &[]),
            (
                "https://fedia.io/u/@i_am_not_a_robot@feddit.uk",
                &["i_am_not_a_robot@feddit.uk"],
            ),
            (
                "https://kbin.social/m/hamradio@lemmy.ml",
                &["hamradio@lemmy.ml"],
            ),
            (
                "https://lemmy.world/u/alice@mastodon.social",
                &["alice@mastodon.social"],
            ),
            (
                "https://lemmy.world/c/rust@programming.dev",
                &["rust@programming.dev"],
            ),
            (
                "https://example.com/u/@alice@mastodon.social",
                &["alice@mastodon.social"],
            ),
            ("https://www.reddit.com/u/alice@mastodon.social", &[]),
            ("https://fedia.io/u/@alice@twitter.com", &[]),
        ],
    );
}

#[test]
fn follow_and_interact_links_name_the_account_they_carry() {
    check(
        "follow links",
        &[
            (
                "https://elk.zone/authorize_interaction?uri=https%3A%2F%2Finfosec.exchange%2Fusers%2Fjerry",
                &["jerry@infosec.exchange"],
            ),
            (
                "https://mastodon.social/authorize_interaction?uri=https://hachyderm.io/@alice",
                &["alice@hachyderm.io"],
            ),
            (
                "https://mastodon.social/authorize_interaction?uri=acct%3Aalice%40example.net",
                &["alice@example.net"],
            ),
            (
                "https://mastodon.social/authorize_interaction?uri=alice%40example.net",
                &["alice@example.net"],
            ),
            (
                "mastodon.social/authorize_follow?acct=alice@example.net",
                &["alice@example.net"],
            ),
            (
                "https://misskey.io/authorize-follow?acct=@alice@example.net",
                &["alice@example.net"],
            ),
            (
                "https://pleroma.example/ostatus_subscribe?acct=alice@example.net",
                &["alice@example.net"],
            ),
            (
                "https://example.net/interact?uri=https%3A%2F%2Fmas.to%2F%40ari",
                &["ari@mas.to"],
            ),
            (
                "https://mastodon.social/authorize_interaction?uri=https%3A%2F%2Fmastodon.social%2F%40alice%2F110000000000000000",
                &["alice@mastodon.social"],
            ),
            (
                "https://mastodon.social/authorize_interaction?uri=https%3A%2F%2Fx.com%2Fjack",
                &[],
            ),
            (
                "https://mastodon.social/authorize_interaction?uri=jane%40gmail.com",
                &[],
            ),
            ("https://example.com/search?q=alice@mastodon.social", &[]),
            (
                "https://mastodon.social/interact/110000000000000000?type=reply",
                &[],
            ),
        ],
    );
}

#[test]
fn feed_links_name_the_profile() {
    check(
        "feeds",
        &[
            (
                "https://mastodon.social/@alice.rss",
                &["alice@mastodon.social"],
            ),
            ("https://misskey.io/@alice.atom", &["alice@misskey.io"]),
            ("https://misskey.io/@alice.json", &["alice@misskey.io"]),
            (
                "https://mastodon.social/users/alice.atom",
                &["alice@mastodon.social"],
            ),
            (
                "https://pleroma.example/users/alice/feed.atom",
                &["alice@pleroma.example"],
            ),
            (
                "https://gts.example/@alice/feed.rss",
                &["alice@gts.example"],
            ),
            (
                "https://mastodon.social/@alice/tagged/art.rss",
                &["alice@mastodon.social"],
            ),
            (
                "RSS: mastodon.social/@alice.rss",
                &["alice@mastodon.social"],
            ),
            (
                "https://bsky.brid.gy/@alice.bsky.social",
                &["alice.bsky.social@bsky.brid.gy"],
            ),
            ("https://medium.com/@alice.rss", &[]),
        ],
    );
}

#[test]
fn hosts_in_other_scripts_glued_to_text() {
    check(
        "scripts",
        &[
            (
                "サブ垢はlove.日本語.life/@kana",
                &["kana@love.xn--wgv71a119e.life"],
            ),
            (
                "連絡は@kana@日本語.example",
                &["kana@xn--wgv71a119e.example"],
            ),
            (
                "ミスキー：https://日本語.example/@kana",
                &["kana@xn--wgv71a119e.example"],
            ),
            (
                "ミスキー→日本語.example/@kana",
                &["kana@xn--wgv71a119e.example"],
            ),
            (
                "Мастодон:мастодон.рф/@ivan",
                &["ivan@xn--80aiwgdbsi.xn--p1ai"],
            ),
            ("Я тут→@ivan@пример.рф.", &["ivan@xn--e1afmkfd.xn--p1ai"]),
            ("連絡は@kana@pawoo.netまで", &["kana@pawoo.net"]),
            ("マストドンはkana@mstdn.jpです", &["kana@mstdn.jp"]),
            (
                "Mastodonは@kana@日本語.jpでフォローしてね",
                &["kana@xn--wgv71a119e.jp"],
            ),
        ],
    );
}
