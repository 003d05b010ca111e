//! The fast reader against serde_json: wherever it gives an answer, it is serde_json's.

use std::io::Read;

use super::*;

/// Fails unless the fast reader's answer (when it has one) is serde_json's.
fn agree(text: &str, wrapped: bool) -> &'static str {
    let slice = text.as_bytes();
    match (record(text, wrapped), fallback(slice, wrapped)) {
        (Fast::Record(fast, n), Parsed::Value(slow, m)) => {
            assert_eq!(fast, slow, "{}", String::from_utf8_lossy(slice));
            assert_eq!(n, m, "{}", String::from_utf8_lossy(slice));
            "record"
        }
        (Fast::NeedMore, Parsed::NeedMore) => "more",
        // A number at the very end may go on in the next bytes; serde_json calls it invalid.
        (Fast::NeedMore, Parsed::Invalid(err)) if at_end(slice, &err) => "more",
        (Fast::Unsure, _) => "unsure",
        (fast, slow) => panic!(
            "fast {fast:?} but serde_json {} for {}",
            match slow {
                Parsed::Value(..) => "a record".to_string(),
                Parsed::NeedMore => "needs more".to_string(),
                Parsed::Invalid(err) => err.to_string(),
            },
            String::from_utf8_lossy(slice)
        ),
    }
}

/// Whether serde_json's error points at the last line's end.
fn at_end(slice: &[u8], err: &serde_json::Error) -> bool {
    let lines = slice.split(|&b| b == b'\n').count();
    let last = slice.rsplit(|&b| b == b'\n').next().unwrap_or_default();
    err.line() == lines && err.column() >= last.len()
}

const RICH: &str = r#"{
  "tweet" : {
    "edit_info" : { "initial" : { "editTweetIds" : [ "1", "2" ], "editsRemaining" : "4" },
                    "edit" : { "editControlInitial" : { "editTweetIds" : ["1"] } } },
    "retweeted" : false,
    "source" : "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>",
    "entities" : {
      "hashtags" : [ { "text" : "café", "indices" : [ "3", "8" ] } ],
      "symbols" : [ ],
      "user_mentions" : [ { "name" : "Ann \u00e9 \n", "screen_name" : "ann", "indices" : [ "0", "4" ],
                            "id_str" : "42", "id" : 42 } ],
      "urls" : [ { "url" : "https://t.co/A", "expanded_url" : "https://e.org/a?b=1&c=\/d",
                   "display_url" : "e.org/a", "indices" : [ 18, "32", 7 ] } ],
      "media" : [ { "id_str" : "99", "media_url_https" : "https://pbs.twimg.com/media/X.jpg",
                    "type" : "photo", "indices" : [ "33", "56" ], "sizes" : { "thumb" : { "w" : 150, "h" : 1.5e2, "resize" : null } } } ]
    },
    "extended_entities" : { "media" : [ { "id_str" : "100", "type" : "video", "url" : "https://t.co/V",
        "source_status_id_str" : "7", "video_info" : { "aspect_ratio" : [ "16", "9" ], "duration_millis" : "1000",
        "variants" : [ { "bitrate" : "832000", "content_type" : "video/mp4", "url" : "https://video.twimg.com/v.mp4" },
                       { "content_type" : "application/x-mpegURL", "url" : "https://video.twimg.com/v.m3u8" } ] } } ] },
    "display_text_range" : [ "0", "140" ],
    "favorite_count" : -0.5E-3,
    "id_str" : "1234",
    "in_reply_to_status_id_str" : "",
    "in_reply_to_user_id" : 18446744073709551,
    "in_reply_to_screen_name" : null,
    "truncated" : true,
    "retweeted_status" : { "deep" : [ [ [ { "a" : [ ] } ] ] ] },
    "possibly_sensitive" : "TRUE",
    "quoted_status_id_str" : "555",
    "created_at" : "Fri Sep 08 09:30:00 +0000 2023",
    "favorited" : false,
    "full_text" : "@ann caf\u00e9 &amp; \"quoted\" \\ \t tab 😀 https://t.co/A",
    "lang" : "fr"
  }
}"#;

#[test]
fn a_rich_record_reads_as_serde_json_reads_it() {
    assert_eq!(agree(RICH, true), "record");
    let Fast::Record(raw, n) = record(RICH, true) else {
        panic!("not read");
    };
    assert_eq!(n, RICH.len());
    assert_eq!(raw.id(), Some("1234"));
    assert_eq!(raw.reply_to_status(), None);
    assert_eq!(raw.reply_to_user(), Some("18446744073709551"));
    assert_eq!(raw.edit_ids(), ["1", "2"]);
    assert_eq!(
        raw.media()[0].video_info.as_ref().unwrap().variants[0].bitrate,
        Some(832000)
    );
    assert_eq!(raw.urls()[0].indices, None, "three indices are none");
    assert!(raw.possibly_sensitive);
    assert!(raw.retweeted_status.is_some());
    assert!(matches!(raw.lang, Some(Cow::Borrowed("fr"))));
    assert!(
        raw.raw_text()
            .contains("café &amp; \"quoted\" \\ \t tab 😀")
    );
}

#[test]
fn bare_records_and_trailing_bytes() {
    let bare = r#"{"id_str":"1","text":"x"} , {"id_str":"2"}"#;
    assert_eq!(agree(bare, false), "record");
    let Fast::Record(raw, n) = record(bare, false) else {
        panic!("not read");
    };
    assert_eq!((raw.id(), n), (Some("1"), 25));
}

#[test]
fn what_it_does_not_handle_goes_to_serde_json() {
    for odd in [
        r#"{"tweet":{"id_str":"1","id_str":"2"}}"#,
        r#"{"tweet":{"id\u005fstr":"1"}}"#,
        r#"{"tweet":{"full_text":"\ud83d\ude00"}}"#,
        r#"{"tweet":{"full_text":5}}"#,
        r#"{"tweet":{"possibly_sensitive":1}}"#,
        r#"{"tweet":{"id":-1}}"#,
        r#"{"tweet":{"id":1.5}}"#,
        r#"{"tweet":{"id":123456789012345678901}}"#,
        r#"{"tweet":{"entities":{"urls":null}}}"#,
        r#"{"tweet":{"entities":[[],[],[]]}}"#,
        r#"{"tweet":{}, "other":1}"#,
        r#"{"other":1}"#,
        "{\"tweet\":{\"text\":\"a\u{1}b\"}}",
        r#"{"tweet":{"x":"\q"}}"#,
        r#"{"tweet":{"x":01}}"#,
        r#"{"tweet":{"x":1.}}"#,
        r#"{"tweet":{"x":tru}}"#,
        r#"{"tweet":{"x":[1,]}}"#,
        r#"{"tweet":{"x":1,}}"#,
        r#"{"tweet":{"edit_info":{"initial":{"editTweetIds":[1]}}}}"#,
    ] {
        assert_eq!(agree(odd, true), "unsure", "{odd}");
    }
    let deep = format!(
        r#"{{"tweet":{{"x":{}{}}}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert_eq!(agree(&deep, true), "unsure");
}

#[test]
fn a_record_cut_after_a_lone_surrogate_is_left_to_serde_json() {
    // serde_json refuses a lone surrogate escape where it stands, not at the input's end.
    for cut in [
        r#"{"tweet":{"full_text":"\udc00abc"#,
        r#"{"tweet":{"full_text":"\ud800x"#,
        r#"{"tweet":{"full_text":"\udc00\u12"#,
        r#"{"tweet":{"text":"ok","\uDC00abc"#,
        r#"{"tweet":{"text":"ok","\uDC00abc""#,
        "{\"tweet\":{\"x\\ud800\" ",
        "{\"tweet\":{\"id\":\"1\",\"id\" ",
        "{\"tweet\":{\"id\":\"1\",\"id\"\n",
    ] {
        agree(cut, true);
    }
}

#[test]
fn every_cut_of_a_record_needs_more() {
    for cut in 0..RICH.len() {
        let Some(head) = RICH.get(..cut) else {
            continue;
        };
        assert_eq!(agree(head, true), "more", "cut at {cut}");
    }
}

/// A small deterministic generator for the mutations.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[test]
fn mutated_records_never_disagree() {
    const BYTES: &[u8] = b"{}[]:,\"\\ntuel0129.-+eE /a\x01";
    let mut rng = Lcg(7);
    let mut counts = [0usize; 3];
    for _ in 0..20_000 {
        let mut bytes = RICH.as_bytes().to_vec();
        for _ in 0..rng.below(3) + 1 {
            let at = rng.below(bytes.len());
            match rng.below(3) {
                0 => {
                    bytes.remove(at);
                }
                1 => bytes.insert(at, BYTES[rng.below(BYTES.len())]),
                _ => bytes[at] = BYTES[rng.below(BYTES.len())],
            }
        }
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        match agree(text, true) {
            "record" => counts[0] += 1,
            "more" => counts[1] += 1,
            _ => counts[2] += 1,
        }
    }
    assert!(
        counts[0] > 1000 && counts[1] > 10 && counts[2] > 1000,
        "{counts:?}"
    );
}

#[test]
fn the_fixture_archives_read_the_same_both_ways() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut records = 0;
    for name in [
        "sample-archive.zip",
        "ytd-2019-archive.zip",
        "grailbird-archive.zip",
    ] {
        let file = std::fs::File::open(dir.join(name)).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let entry_name = entry.name().unwrap().to_string();
            if !entry_name.ends_with(".js") || !entry_name.contains("tweet") {
                continue;
            }
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            records += each_record(&text);
        }
    }
    assert!(records > 300, "{records}");
}

/// Checks every record of a tweet file both ways; returns how many there were.
fn each_record(text: &str) -> usize {
    let Some(open) = text.find('[') else {
        return 0;
    };
    let bytes = text.as_bytes();
    let mut at = open + 1;
    let mut n = 0;
    loop {
        while bytes
            .get(at)
            .is_some_and(|b| b.is_ascii_whitespace() || *b == b',')
        {
            at += 1;
        }
        if bytes.get(at) != Some(&b'{') {
            return n;
        }
        let slice = &text[at..];
        let wrapped = jsfile::is_wrapped(slice.as_bytes(), "tweet");
        assert_eq!(agree(slice, wrapped), "record");
        let Fast::Record(_, took) = record(slice, wrapped) else {
            unreachable!()
        };
        at += took;
        n += 1;
    }
}

/// The vector scans stop exactly where a byte-by-byte scan would: every byte value in every
/// lane, with the other lanes plain.
#[test]
fn vector_scans_find_every_stop_in_every_lane() {
    for lane in 0..crate::lanes::WIDTH {
        for byte in 0..=255u8 {
            let mut b = [b'a'; 16];
            b[lane] = byte;
            let stop = byte == b'"' || byte == b'\\' || byte < 0x20;
            let want = if stop { 1 << lane } else { 0 };
            assert_eq!(stops16(&b, 0), want, "byte {byte:#x} in lane {lane}");
            let mut b = [b' '; 16];
            b[lane] = byte;
            let solid = !blank16(&b, 0);
            let want = if byte == b' ' || byte == b'\n' {
                0
            } else {
                1 << lane
            };
            assert_eq!(solid, want, "byte {byte:#x} in lane {lane}");
        }
    }
}
