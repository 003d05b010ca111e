//! The archives the tests and the committed fixtures are made of, with what each holds, so
//! tests can compare the reader's findings with what was written.
//!
//! - [`sample`]: the README's sample, a modern (2022+) archive of a person with threads,
//!   replies, mentions of followed accounts, fediverse handles in tweets, media, a long post,
//!   a circle tweet, an edited tweet and a deleted tweet.
//! - [`ytd2019`]: a 2019 export: `tweet.js` at the zip root, one-line `[ {` wrapper, records
//!   without the `{"tweet": …}` wrapper, empty files, `tweet_media/` with a missing file.
//! - [`grailbird`]: a classic archive with ids beyond 2^53, a retweet and a reply.
//! - [`grailbird_csv`]: a classic archive of 2012 whose only tweet file is `tweets.csv`.
//! - [`sample_profiles_csv`]: profiles of most followed accounts of the sample.

#![allow(dead_code)]

use serde_json::json;

use super::builder::*;

/// What a scene holds, as the reader should report it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expect {
    pub tweets: u64,
    pub replies: u64,
    pub self_replies: u64,
    pub retweets: u64,
    pub quotes: u64,
    pub note_tweets: u64,
    pub circle_tweets: u64,
    pub deleted_tweets: u64,
    pub following: u64,
    pub followers: u64,
    pub media_files: u64,
    pub missing_media: u64,
}

/// The sample's owner.
pub fn owner() -> Person {
    Person::new("1180000000000000001", "mara_liebt_bahn", "Mara Okafor")
}

/// The 40 accounts the sample's owner follows: (id, username, display name).
pub const FOLLOWED: [(&str, &str, &str); 40] = [
    ("2001", "jonas_codes", "Jonas Weber"),
    ("2002", "priya_bakes", "Priya Raman 🐘 priya@bread.social"),
    ("2003", "tomasz_k", "Tomasz Kowalczyk"),
    ("2004", "lena_rails", "Lena Fischer"),
    ("2005", "amadou_d", "Amadou Diallo"),
    ("2006", "sofia_maps", "Sofia Marín"),
    ("2007", "kenji_t", "Kenji Tanaka"),
    ("2008", "ruth_writes", "Ruth Abernathy"),
    ("2009", "ola_nordmann", "Ola Nordmann"),
    ("2010", "chen_li_dev", "Chen Li"),
    ("2011", "fatima_zr", "Fatima Zahra"),
    ("2012", "mateo_rios", "Mateo Ríos"),
    ("2013", "anouk_v", "Anouk Visser"),
    ("2014", "deepak_ops", "Deepak Iyer"),
    ("2015", "hanna_birds", "Hanna Lindqvist"),
    ("2016", "oskar_j", "Oskar Jansen"),
    ("2017", "grace_oduya", "Grace Oduya"),
    ("2018", "luca_bianchi", "Luca Bianchi"),
    ("2019", "nadia_k", "Nadia Kowalski"),
    ("2020", "sam_rivera", "Sam Rivera"),
    ("2021", "yuki_sato", "Yuki Satō"),
    ("2022", "eero_m", "Eero Mäkinen"),
    ("2023", "bea_santos", "Beatriz Santos"),
    ("2024", "ivan_p", "Ivan Petrov"),
    ("2025", "zoe_climbs", "Zoë Clarke"),
    ("2026", "ali_hassan", "Ali Hassan"),
    ("2027", "marta_g", "Marta Gómez"),
    ("2028", "tobi_a", "Tobi Adeyemi"),
    ("2029", "ines_f", "Inês Ferreira"),
    ("2030", "pieter_vd", "Pieter van Dijk"),
    ("2031", "kasia_w", "Kasia Wiśniewska"),
    ("2032", "rahul_m", "Rahul Mehta"),
    ("2033", "elif_y", "Elif Yılmaz"),
    ("2034", "noah_b", "Noah Becker"),
    ("2035", "camille_d", "Camille Dubois"),
    ("2036", "arjun_s", "Arjun Singh"),
    ("2037", "mia_h", "Mia Hoffmann"),
    ("2038", "diego_c", "Diego Castro"),
    ("2039", "ayla_n", "Ayla Nuri"),
    ("2040", "felix_train", "Felix Braun"),
];

fn followed(i: usize) -> Person {
    let (id, username, name) = FOLLOWED[i % FOLLOWED.len()];
    Person::new(id, username, name)
}

const TOPICS: [&str; 12] = [
    "The night train to Vienna was 40 minutes late but the sleeper cabin made up for it",
    "Sourdough day 3: the starter finally smells like apples, not glue",
    "Reading about ActivityPub this evening. The spec is friendlier than I expected",
    "Regional trains & bike racks: still the best way to see the countryside",
    "Tried rye flour for the first time. Dense, dark, delicious",
    "If your API returns <b>HTML</b> in JSON, we need to talk",
    "Timetables are a love language",
    "Baked two loaves, gave one to the neighbours. Good trade for their plums",
    "Open protocols > walled gardens. Every single time",
    "The S-Bahn map redesign is beautiful, whoever made it deserves a medal",
    "Crumb shot incoming. Be kind, it's my first high-hydration loaf",
    "Packing list for the long ride: book, thermos, too many snacks",
];

/// The sample's files without any tweets file (no `data/tweets*.js`, no manifest).
pub fn sample_without_tweets() -> Files {
    let mut files = sample().0.build();
    files
        .files
        .retain(|(name, _)| !name.starts_with("data/tweets") && name != "data/manifest.js");
    files
}

/// The README's sample archive, and what it holds.
pub fn sample() -> (Modern, Expect) {
    let owner_p = owner();
    let mut rng = Rng::new(7);
    let mut m = Modern {
        owner: Some(owner_p.clone()),
        past: vec![(
            "2019-05-02T10:00:00.000Z".into(),
            "mara_okafor".into(),
            "mara_liebt_bahn".into(),
        )],
        parts: 2,
        following: FOLLOWED.iter().map(|f| f.0.to_string()).collect(),
        followers: (0..25).map(|i| (3000 + i).to_string()).collect(),
        blocks: vec!["4001".into(), "4002".into()],
        mutes: vec!["4101".into()],
        likes: (0..15)
            .map(|i| {
                (
                    (1_500_000_000_000_000_000u64 + i * 7919).to_string(),
                    format!("A liked tweet number {i} &amp; more"),
                )
            })
            .collect(),
        lists: [
            vec!["https://twitter.com/mara_liebt_bahn/lists/1500000000000000001".into()],
            vec![
                "https://twitter.com/jonas_codes/lists/1500000000000000002".into(),
                "https://twitter.com/lena_rails/lists/1500000000000000003".into(),
            ],
            vec![],
        ],
        ..Modern::default()
    };
    let mut e = Expect {
        following: 40,
        followers: 25,
        ..Expect::default()
    };
    let mut created = 1_546_300_800i64; // 2019-01-01
    let mut seq = 0u64;
    let mut next = |rng: &mut Rng| {
        created += 3_600 * (6 + rng.below(40) as i64);
        seq += 1;
        (snowflake(created, seq), created)
    };
    let mut last_own: Option<u64> = None;
    for i in 0..300u64 {
        let (id, at) = next(&mut rng);
        let mut t = TweetSpec {
            id,
            created: at,
            lang: "en".into(),
            ..TweetSpec::default()
        };
        let topic = rng.pick(&TOPICS).to_string();
        match i % 12 {
            0 | 1 => {
                // A self-thread: the second answers the first.
                t.text = format!("{topic} ({}/2)", 1 + i % 12);
                if i % 12 == 1
                    && let Some(parent) = last_own
                {
                    t.reply_to = Some((parent, owner_p.clone()));
                    e.replies += 1;
                    e.self_replies += 1;
                }
            }
            2 => {
                let f = followed(rng.below(40) as usize);
                t.text = format!("@{} {topic}", f.username);
                t.reply_to = Some((id - 12345, f.clone()));
                t.mentions = vec![f];
                e.replies += 1;
            }
            3 => {
                let (a, b) = (
                    followed(rng.below(20) as usize),
                    followed(20 + rng.below(20) as usize),
                );
                t.text = format!("{topic}, thanks @{} and @{}!", a.username, b.username);
                t.mentions = vec![a, b];
            }
            4 => {
                let short = format!("https://t.co/u{i}");
                t.text = format!("{topic} {short}");
                t.urls = vec![(short, format!("https://blog.example.org/{i}/notes"))];
            }
            5 => {
                let f = followed(rng.below(40) as usize);
                t.text = format!("RT @{}: {topic}", f.username);
                t.mentions = vec![f];
                e.retweets += 1;
            }
            6 => {
                let f = followed(rng.below(40) as usize);
                let short = format!("https://t.co/q{i}");
                t.text = format!("So true {short}");
                t.urls = vec![(
                    short,
                    format!("https://twitter.com/{}/status/{}", f.username, id - 999),
                )];
                e.quotes += 1;
            }
            7 => {
                t.text = topic;
                let present = i != 7; // the first photo tweet's file is missing
                t.media = vec![MediaSpec {
                    key: format!("P{i}x"),
                    video: false,
                    present,
                }];
                if present {
                    e.media_files += 1
                } else {
                    e.missing_media += 1
                }
            }
            8 => {
                t.text = format!("{topic} 🚆🍞");
                t.lang = "de".into();
            }
            _ => t.text = topic,
        }
        if t.reply_to.is_none() {
            last_own = Some(id);
        }
        m.tweets.push(t);
    }
    add_special_tweets(&mut m, &mut e, &mut rng, &mut next);
    e.tweets = m.tweets.len() as u64 - 1 /* the circle tweet */ - 1 /* the edit's first version */;
    e.note_tweets = m.notes.len() as u64;
    e.circle_tweets = m.circle.len() as u64;
    e.deleted_tweets = m.deleted.len() as u64;
    (m, e)
}

/// The handles, the long post, the circle tweet, the edit and the deleted tweet.
fn add_special_tweets(
    m: &mut Modern,
    e: &mut Expect,
    rng: &mut Rng,
    next: &mut impl FnMut(&mut Rng) -> (u64, i64),
) {
    let friend = followed(1);
    for text in [
        "I'm moving! Find me at @mara@mastodon.example from now on 🐘".to_string(),
        format!(
            "Go follow @{} — she is @priya@bread.social over there, and @felix@social.example posts the best train photos",
            friend.username
        ),
    ] {
        let (id, at) = next(rng);
        let mentions = if text.contains(&friend.username) {
            vec![friend.clone()]
        } else {
            vec![]
        };
        m.tweets.push(TweetSpec {
            id,
            created: at,
            text,
            mentions,
            lang: "en".into(),
            ..TweetSpec::default()
        });
    }
    // A video tweet with its file present.
    let (id, at) = next(rng);
    m.tweets.push(TweetSpec {
        id,
        created: at,
        text: "Departure board timelapse".into(),
        lang: "en".into(),
        media: vec![MediaSpec {
            key: "V1".into(),
            video: true,
            present: true,
        }],
        ..TweetSpec::default()
    });
    e.media_files += 1;
    // A long post: truncated in tweets.js, whole in note-tweet.js.
    let (id, at) = next(rng);
    let long = format!(
        "{} And that is why I think every city needs a proper night train connection, a bakery that opens at six, and a timetable you can actually read without a magnifying glass. More in the blog post: https://t.co/n1 — thoughts welcome!",
        TOPICS[0]
    );
    let cut: String = long.chars().take(200).collect();
    let web = "https://t.co/w1".to_string();
    m.tweets.push(TweetSpec {
        id,
        created: at,
        text: format!("{cut}… {web}"),
        lang: "en".into(),
        urls: vec![(web, format!("https://twitter.com/i/web/status/{id}"))],
        ..TweetSpec::default()
    });
    m.notes.push((
        at,
        long,
        vec![(
            "https://t.co/n1".into(),
            "https://blog.example.org/night-trains".into(),
        )],
    ));
    // A circle tweet: in tweets.js AND twitter-circle-tweet.js; never public.
    let (id, at) = next(rng);
    let circle = TweetSpec {
        id,
        created: at,
        text: "Close friends only: the new job starts in May!".into(),
        lang: "en".into(),
        ..TweetSpec::default()
    };
    m.tweets.push(circle.clone());
    m.circle.push(circle);
    // An edited tweet: two versions, only the second counts.
    let (first, at) = next(rng);
    let second = first + 7;
    let edit_ids = vec![first, second];
    m.tweets.push(TweetSpec {
        id: first,
        created: at,
        text: "Typo in the frist version".into(),
        edit_ids: edit_ids.clone(),
        lang: "en".into(),
        ..TweetSpec::default()
    });
    m.tweets.push(TweetSpec {
        id: second,
        created: at + 60,
        text: "Typo fixed in the second version".into(),
        edit_ids,
        lang: "en".into(),
        ..TweetSpec::default()
    });
    // A deleted tweet: only in deleted-tweets.js.
    let (id, at) = next(rng);
    m.deleted.push(TweetSpec {
        id,
        created: at,
        text: "Oops, wrong account".into(),
        lang: "en".into(),
        ..TweetSpec::default()
    });
}

/// Profiles (`id,username,name,description,url,location`) for 34 of the 40 followed accounts.
pub fn sample_profiles_csv() -> String {
    let bios: [(&str, &str, &str); 34] = [
        (
            "Backend dev. Now mostly at @jonas@mastodon.example",
            "",
            "Berlin",
        ),
        (
            "Bread, bikes, bad puns.",
            "https://bread.social/@priya",
            "Leeds",
        ),
        (
            "Maps & trams. tomasz@social.example is where I post now",
            "",
            "Kraków",
        ),
        (
            "Rail nerd. Find me on the fediverse: https://mastodon.social/@lena_rails",
            "",
            "Hamburg",
        ),
        (
            "Photographer. Contact: amadou.diallo@example.com",
            "https://amadou.example.org",
            "Dakar",
        ),
        (
            "Cartographer. Writing at https://medium.com/@sofiamaps",
            "https://medium.com/@sofiamaps",
            "Valencia",
        ),
        ("SRE by day. 🐘 kenji@hachyderm.io", "", "Osaka"),
        (
            "Novelist. No socials except this one, for now.",
            "",
            "Dublin",
        ),
        ("Norwegian. Skis. fosstodon.org/@ola", "", "Tromsø"),
        (
            "Rust and coffee. @chenli@fosstodon.org",
            "https://chenli.example.dev",
            "Taipei",
        ),
        ("Public health researcher.", "", "Rabat"),
        (
            "Football and philosophy, in that order.",
            "",
            "Buenos Aires",
        ),
        (
            "Designer. Also at anouk@design.example (fediverse)",
            "",
            "Utrecht",
        ),
        ("Ops. Pager survivor.", "", "Bengaluru"),
        ("Birds, mostly. https://birds.town/@hanna", "", "Uppsala"),
        ("Dutch dad, dad jokes.", "", "Rotterdam"),
        ("Climate policy. Views mine.", "", "Nairobi"),
        ("Chef. Pasta evangelist.", "", "@luca@cooking.example"),
        ("Teacher. Mastodon: @nadia@mastodon.online", "", "Gdańsk"),
        (
            "They/them. Queer tech worker.",
            "https://sam.example.net",
            "Oakland",
        ),
        ("Illustrator ✏️", "", "Sapporo"),
        ("Sauna enthusiast. eero@mastodon.example", "", "Tampere"),
        ("Lawyer for the internet.", "", "Lisbon"),
        ("Physicist. Email me: ivan@physics.example.edu", "", "Sofia"),
        (
            "Climber. Crimps and coffee. https://climbing.example/@zoe",
            "",
            "Sheffield",
        ),
        ("Economist.", "", "Cairo"),
        (
            "Journalist covering transport. social.example/@marta",
            "",
            "Madrid",
        ),
        ("Music producer.", "", "Lagos"),
        ("Software tester, fado singer.", "", "Porto"),
        (
            "Bikes! Also on Mastodon as @pieter@fietsen.example",
            "",
            "Groningen",
        ),
        ("Translator PL/EN.", "", "Wrocław"),
        ("Data journalist.", "", "Mumbai"),
        ("Architect. Istanbul ⇄ Berlin", "", "Istanbul"),
        ("Ex-twitter, see you elsewhere", "", "Munich"),
    ];
    let mut out = String::from("id,username,name,description,url,location\n");
    for (i, (bio, url, location)) in bios.iter().enumerate() {
        let (id, username, name) = FOLLOWED[i];
        let row = [id, username, name, bio, url, location].map(csv_cell);
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn csv_cell(value: &str) -> String {
    if value.contains([',', '"', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// A 2019 export: `tweet.js` at the zip root with the one-line `[ {` wrapper and bare
/// records, `tweet_media/` (one file missing), empty files, no manifest.
pub fn ytd2019() -> (Files, Expect) {
    let owner = Person::new("12497", "simona", "Simona W");
    let mut files = Files::default();
    let mut e = Expect {
        following: 2,
        followers: 1,
        ..Expect::default()
    };
    let mut tweets = Vec::new();
    for i in 0..6u64 {
        let created = 1_550_000_000 + i as i64 * 86_400;
        let id = snowflake(created, i);
        let mut t = TweetSpec {
            id,
            created,
            text: format!("Old tweet {i} with 5 > 3 & 2 < 4"),
            lang: "en".into(),
            bare: i % 2 == 0,
            ..TweetSpec::default()
        };
        if i >= 4 {
            let present = i == 4;
            t.media = vec![MediaSpec {
                key: format!("Old{i}"),
                video: false,
                present,
            }];
            if present {
                files.add(
                    &format!("tweet_media/{}", media_file(id, &t.media[0])),
                    PNG.to_vec(),
                );
                e.media_files += 1;
            } else {
                e.missing_media += 1;
            }
        }
        tweets.push(t);
    }
    e.tweets = tweets.len() as u64;
    let records: Vec<String> = tweets.iter().map(tweet_record).collect();
    files.add("tweet.js", ytd_js("tweet", 0, &records, Style::OneLine));
    files.add(
        "account.js",
        ytd_js(
            "account",
            0,
            &[wrapped(
                "account",
                json!({
        "username": owner.username, "accountId": owner.id, "accountDisplayName": owner.name }),
            )],
            Style::OneLine,
        ),
    );
    files.add(
        "following.js",
        ytd_js(
            "following",
            0,
            &relation_records("following", &["547842573".into(), "12158".into()], false),
            Style::OneLine,
        ),
    );
    files.add(
        "follower.js",
        ytd_js(
            "follower",
            0,
            &relation_records("follower", &["73747798".into()], false),
            Style::OneLine,
        ),
    );
    files.add("block.js", "window.YTD.block.part0 = [ ]");
    files.add("like.js", "window.YTD.like.part0 = []");
    files.add("mute.js", "window.YTD.mute.part0 = [];\n");
    files.add(
        "account-suspension.js",
        "window.YTD.account_suspension.part0 = [ ]",
    );
    (files, e)
}

/// A classic Grailbird archive with ids beyond 2^53.
pub fn grailbird() -> (Files, Expect) {
    let owner = Person::new("3052317647", "oldbot", "Old Bot");
    let mut files = Files::default();
    let ids: [u64; 4] = [
        553_264_218_390_417_409,
        553_264_218_390_417_411,
        582_980_738_208_894_977,
        582_980_738_208_894_979,
    ];
    let jan = [
        grailbird_record(
            ids[0],
            "2015-01-08 18:00:01 +0000",
            "Hello 2015 & all",
            &owner,
            json!({}),
        ),
        grailbird_record(
            ids[1],
            "2015-01-08 19:00:01 +0000",
            "RT @someone: a retweet",
            &owner,
            json!({ "retweeted_status": { "id_str": "1", "text": "a retweet" } }),
        ),
    ];
    let mar = [
        grailbird_record(
            ids[2],
            "2015-03-31 19:00:13 +0000",
            "Replying to myself",
            &owner,
            json!({ "in_reply_to_status_id_str": ids[0].to_string(), "in_reply_to_status_id": ids[0],
                    "in_reply_to_user_id_str": owner.id, "in_reply_to_user_id": 3_052_317_647u64,
                    "in_reply_to_screen_name": owner.username }),
        ),
        grailbird_record(
            ids[3],
            "2015-03-31 20:00:13 +0000",
            "Last one",
            &owner,
            json!({}),
        ),
    ];
    files.add(
        "data/js/tweets/2015_01.js",
        format!("Grailbird.data.tweets_2015_01 = \n [ {} ]", jan.join(", ")),
    );
    files.add(
        "data/js/tweets/2015_03.js",
        format!("Grailbird.data.tweets_2015_03 = \n [ {} ]", mar.join(", ")),
    );
    files.add("data/js/tweet_index.js", "var tweet_index =  [ {\n  \"file_name\" : \"data/js/tweets/2015_03.js\",\n  \"year\" : 2015,\n  \"var_name\" : \"tweets_2015_03\",\n  \"tweet_count\" : 2,\n  \"month\" : 3\n}, {\n  \"file_name\" : \"data/js/tweets/2015_01.js\",\n  \"year\" : 2015,\n  \"var_name\" : \"tweets_2015_01\",\n  \"tweet_count\" : 2,\n  \"month\" : 1\n} ]");
    files.add("data/js/user_details.js", format!("var user_details =  {{\n  \"screen_name\" : \"{}\",\n  \"full_name\" : \"{}\",\n  \"id\" : \"{}\"\n}}", owner.username, owner.name, owner.id));
    files.add(
        "data/js/payload_details.js",
        "var payload_details =  {\n  \"tweets\" : 4,\n  \"lang\" : \"en\"\n}",
    );
    // The same four tweets as rows, newest first as Twitter wrote them.
    let rows = [
        CsvRow {
            id: ids[3],
            timestamp: "2015-03-31 20:00:13 +0000".into(),
            text: "Last one".into(),
            ..CsvRow::default()
        },
        CsvRow {
            id: ids[2],
            reply_to: Some((ids[0], owner.id.clone())),
            timestamp: "2015-03-31 19:00:13 +0000".into(),
            text: "Replying to myself".into(),
            ..CsvRow::default()
        },
        CsvRow {
            id: ids[1],
            timestamp: "2015-01-08 19:00:01 +0000".into(),
            text: "RT @someone: a retweet".into(),
            retweet_of: Some((1, "7".into(), "2015-01-08 18:30:00 +0000".into())),
            ..CsvRow::default()
        },
        CsvRow {
            id: ids[0],
            timestamp: "2015-01-08 18:00:01 +0000".into(),
            text: "Hello 2015 & all".into(),
            ..CsvRow::default()
        },
    ];
    files.add("tweets.csv", tweets_csv(&rows));
    let e = Expect {
        tweets: 4,
        replies: 1,
        self_replies: 1,
        retweets: 1,
        ..Expect::default()
    };
    (files, e)
}

/// An early (2012) classic archive: `tweets.csv` and the owner's details, no month files.
/// Rows with a line break in the text, HTML entities, ids beyond 2^53, replies (one to the
/// owner), a retweet whose link `expanded_urls` lists twice, a link with a photo, a quote.
pub fn grailbird_csv() -> (Files, Expect) {
    let owner = Person::new("987654321", "early_bird", "Early Bird");
    let id = |n: u64| 278_000_000_000_000_000 + n;
    let at = |day: u32, hour: u32| format!("2012-12-{day:02} {hour:02}:25:48 +0000");
    let photo = format!("http://twitter.com/early_bird/status/{}/photo/1", id(5));
    let rows = vec![
        CsvRow {
            id: id(6),
            timestamp: at(9, 8),
            text: "So true https://t.co/q1".into(),
            expanded_urls: vec!["https://twitter.com/ann/status/277000000000000001".into()],
            ..CsvRow::default()
        },
        CsvRow {
            id: id(5),
            timestamp: at(8, 12),
            text: "Bread \u{1f35e} and a read https://t.co/l1 https://t.co/p1".into(),
            expanded_urls: vec!["https://example.org/rye".into(), photo.clone(), photo],
            ..CsvRow::default()
        },
        CsvRow {
            id: id(4),
            timestamp: at(7, 9),
            text: "RT @ann: trains & \"bread\" https://t.co/r1".into(),
            retweet_of: Some((277_000_000_000_000_002, "2001".into(), at(7, 8))),
            expanded_urls: vec![
                "https://example.org/t".into(),
                "https://example.org/t".into(),
            ],
            ..CsvRow::default()
        },
        CsvRow {
            id: id(3),
            reply_to: Some((id(1), owner.id.clone())),
            timestamp: at(5, 18),
            text: "...and the second half of the thought".into(),
            ..CsvRow::default()
        },
        CsvRow {
            id: id(2),
            reply_to: Some((277_000_000_000_000_003, "2001".into())),
            timestamp: at(4, 17),
            text: "@ann agreed, 5 > 3".into(),
            ..CsvRow::default()
        },
        CsvRow {
            id: id(1),
            timestamp: at(3, 17),
            text: "First tweet in the archive,\nover two lines <3".into(),
            ..CsvRow::default()
        },
    ];
    let mut files = Files::default();
    files.add("tweets.csv", tweets_csv(&rows));
    files.add("data/js/user_details.js", format!("var user_details =  {{\n  \"screen_name\" : \"{}\",\n  \"full_name\" : \"{}\",\n  \"id\" : \"{}\",\n  \"bio\" : \"Up early, baking.\",\n  \"location\" : \"Leeds\"\n}}", owner.username, owner.name, owner.id));
    files.add(
        "README.txt",
        "Your Twitter archive (synthetic, built by fedimigrate's fixture builder).\n",
    );
    let e = Expect {
        tweets: 6,
        replies: 2,
        self_replies: 1,
        retweets: 1,
        quotes: 1,
        ..Expect::default()
    };
    (files, e)
}
