//! Table tests for the input formats.

use super::*;

fn handles(input: &Input) -> Vec<String> {
    input.entries.iter().map(|e| e.handle.to_string()).collect()
}

const JSONL: &str = r#"{"id":"1","username":"ana","candidates":[{"handle":"ana@old.example","state":"verified","canonical":"Ana@Old.Example"}]}
{"id":"2","username":"ben","candidates":[{"handle":"ben@a.example","state":"moved","moved_to":"ben@b.example"},{"handle":"ben2@a.example","state":"not_found"}]}
{"id":"3","username":"cy","candidates":[]}
{"id":"4","username":"dee","candidates":[{"handle":"dee@c.example","state":"moved","moved_to":"https://c.example/users/dee"}]}
"#;

#[test]
fn reads_finds_jsonl_with_trust_per_state() {
    let input = parse(JSONL.as_bytes()).unwrap();
    assert_eq!(input.format, Format::FindJsonl);
    assert_eq!(
        handles(&input),
        [
            "ana@old.example",
            "ben@b.example",
            "ben2@a.example",
            "dee@c.example"
        ]
    );
    let trust: Vec<_> = input.entries.iter().map(|e| e.trust.clone()).collect();
    assert_eq!(trust[0], Trust::Verified);
    assert_eq!(trust[1], Trust::Moved);
    assert_eq!(
        trust[2],
        Trust::Unverified {
            state: "not_found".into()
        }
    );
    assert!(!trust[3].is_trusted(), "moved to an unknown address");
    assert_eq!(input.entries[1].line, 2);
    assert_eq!(input.entries[1].twitter.as_deref(), Some("ben"));
    assert!(input.unreadable.is_empty());
}

#[test]
fn reads_finds_json_document_and_a_bare_array() {
    let doc = r#"{"totals":{},"instances":[],"accounts":[
        {"username":"ana","candidates":[{"handle":"ana@old.example","state":"verified"}]}]}"#;
    let input = parse(doc.as_bytes()).unwrap();
    assert_eq!(input.format, Format::FindJson);
    assert_eq!(handles(&input), ["ana@old.example"]);
    let array = r#"[{"candidates":[{"handle":"x@y.example","state":"unverified"}]}]"#;
    assert_eq!(handles(&parse(array.as_bytes()).unwrap()), ["x@y.example"]);
}

#[test]
fn a_damaged_jsonl_line_is_reported_not_fatal() {
    let text = format!("{JSONL}{{\"candidates\":[{{\"handle\"\n");
    let input = parse(text.as_bytes()).unwrap();
    assert_eq!(input.entries.len(), 4);
    assert_eq!(input.unreadable.len(), 1);
    assert_eq!(input.unreadable[0].line, 5);
}

#[test]
fn json_that_is_not_finds_output_is_refused() {
    let err = parse(br#"{"hello": "world"}"#).unwrap_err();
    assert!(matches!(err, InputError::NotFindJson(_)), "{err:?}");
}

#[test]
fn reads_mastodons_following_csv_with_options() {
    let text = "Account address,Show boosts,Notify on new posts,Languages\n\
                ana@old.example,true,false,\n\
                @Ben@B.Example,false,true,\"en,de\"\n\
                not a handle,true,false,\n";
    let input = parse(text.as_bytes()).unwrap();
    assert_eq!(input.format, Format::MastodonCsv);
    assert_eq!(handles(&input), ["ana@old.example", "ben@b.example"]);
    let ben = &input.entries[1];
    assert_eq!(ben.trust, Trust::Listed);
    assert_eq!(ben.options.reblogs, Some(false));
    assert_eq!(ben.options.notify, Some(true));
    assert_eq!(
        ben.options.languages,
        Some(vec!["en".to_string(), "de".to_string()])
    );
    assert_eq!(input.entries[0].options.languages, None);
    assert_eq!(input.unreadable.len(), 1);
    assert_eq!(input.unreadable[0].line, 4);
}

#[test]
fn reads_mastodons_muted_csv() {
    let text = "Account address,Hide notifications\nana@old.example,false\nben@b.example,true\n";
    let input = parse(text.as_bytes()).unwrap();
    let hide: Vec<_> = input
        .entries
        .iter()
        .map(|e| e.options.hide_notifications)
        .collect();
    assert_eq!(hide, [Some(false), Some(true)]);
    assert_eq!(
        input.relation.as_deref(),
        Some("mutes"),
        "the header names the list"
    );
}

#[test]
fn reads_plain_lists_blocked_csv_urls_and_comments() {
    let text = "\u{feff}# my friends\nana@old.example\n\n@ben@b.example  # old friend\n\
                https://c.example/@cy\nhttps://d.example/users/dee\n\
                https://e.example/@eve@f.example\nhttps://g.example/about\njust-a-name\n";
    let input = parse(text.as_bytes()).unwrap();
    assert_eq!(input.format, Format::Plain);
    assert_eq!(
        handles(&input),
        [
            "ana@old.example",
            "ben@b.example",
            "cy@c.example",
            "dee@d.example",
            "eve@f.example"
        ]
    );
    let lines: Vec<_> = input.unreadable.iter().map(|u| u.line).collect();
    assert_eq!(lines, [8, 9]);
    assert_eq!(input.entries[1].line, 4);
}

#[test]
fn empty_and_binary_input_is_refused() {
    assert_eq!(parse(b"").unwrap_err(), InputError::Empty);
    assert_eq!(parse(b"  \n\n").unwrap_err(), InputError::Empty);
    assert!(matches!(
        parse(b"PK\x03\x04\xff\xfe").unwrap_err(),
        InputError::NotText(4)
    ));
}

#[test]
fn trust_orders_from_weakest_to_strongest() {
    let unverified = Trust::Unverified { state: "x".into() };
    assert!(unverified < Trust::Listed);
    assert!(Trust::Listed < Trust::Moved && Trust::Moved < Trust::Verified);
}

#[test]
fn finds_relation_is_read_from_lines_and_documents() {
    let line =
        r#"{"relation":"blocks","candidates":[{"handle":"t@x.example","state":"verified"}]}"#;
    assert_eq!(
        parse(line.as_bytes()).unwrap().relation.as_deref(),
        Some("blocks")
    );
    let doc = r#"{"relation":"mutes","accounts":[]}"#;
    assert_eq!(
        parse(doc.as_bytes()).unwrap().relation.as_deref(),
        Some("mutes")
    );
    assert_eq!(parse(JSONL.as_bytes()).unwrap().relation, None);
}

#[test]
fn a_possible_match_from_find_reverse_is_not_trusted() {
    let line = r#"{"username":"zed","candidates":[{"handle":"zed@other.example","state":"possible","evidence":[{"source":"reverse","field":"fedi-name","rule":"same-name","matched":"@zed@other.example"}],"detail":"same username as @zed on Twitter, but the profile does not link back to it"}]}"#;
    let input = parse(line.as_bytes()).unwrap();
    assert_eq!(
        input.entries[0].trust,
        Trust::Unverified {
            state: "possible".into()
        }
    );
    assert!(
        !input.entries[0].trust.is_trusted(),
        "only --include-unverified takes it"
    );
}
