//! A forgiving reader for small files that people edited by hand.
//!
//! Owners redact their archives before publishing them, and formatters such as Prettier then
//! rewrite the JSON as a JavaScript object literal: unquoted keys, single quotes, trailing
//! commas, comments. [`to_json`] turns such text back into JSON so the data can still be read
//! (the caller warns that the file was not valid JSON). It is only used on small files
//! (account, profile, screen-name changes…) and only after strict parsing failed.

/// Rewrites a JavaScript object/array literal as JSON. Returns `None` for text it cannot
/// make sense of (an unterminated string or comment).
pub fn to_json(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 64);
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' | '\'' => copy_string(&mut chars, c, &mut out)?,
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                skip_line(&mut chars);
            }
            '/' if matches!(chars.peek(), Some((_, '*'))) => skip_block(&mut chars)?,
            '}' | ']' => {
                drop_trailing_comma(&mut out);
                out.push(c);
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let end = ident_end(text, i);
                let word = &text[i..end];
                while chars.peek().is_some_and(|(j, _)| *j < end) {
                    chars.next();
                }
                push_word(&mut out, word, next_is_colon(&text[end..]));
            }
            c => out.push(c),
        }
    }
    Some(out)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn copy_string(chars: &mut Chars<'_>, quote: char, out: &mut String) -> Option<()> {
    out.push('"');
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    '\'' => out.push('\''),
                    other => {
                        out.push('\\');
                        out.push(other);
                    }
                }
            }
            '"' if quote == '\'' => out.push_str("\\\""),
            c if c == quote => {
                out.push('"');
                return Some(());
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    None
}

fn skip_line(chars: &mut Chars<'_>) {
    for (_, c) in chars.by_ref() {
        if c == '\n' {
            break;
        }
    }
}

fn skip_block(chars: &mut Chars<'_>) -> Option<()> {
    chars.next();
    let mut star = false;
    for (_, c) in chars.by_ref() {
        if star && c == '/' {
            return Some(());
        }
        star = c == '*';
    }
    None
}

fn drop_trailing_comma(out: &mut String) {
    let trimmed = out.trim_end();
    if trimmed.ends_with(',') {
        let keep = trimmed.len() - 1;
        out.truncate(keep);
    }
}

fn ident_end(text: &str, start: usize) -> usize {
    text[start..]
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
        .map_or(text.len(), |(j, _)| start + j)
}

fn next_is_colon(rest: &str) -> bool {
    rest.trim_start().starts_with(':')
}

fn push_word(out: &mut String, word: &str, is_key: bool) {
    if is_key {
        out.push('"');
        out.push_str(word);
        out.push('"');
    } else {
        out.push_str(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_literals_become_json() {
        let table = [
            ("{ a: 1, }", r#"{ "a": 1}"#),
            ("[ { b: 'x\"y', }, ]", r#"[ { "b": "x\"y"}]"#),
            ("{ 'k': \"v\" } // note", r#"{ "k": "v" } "#),
            (
                "{ /* c */ ok: true, n: null }",
                r#"{  "ok": true, "n": null }"#,
            ),
            (r#"{ "q": "it\'s" }"#, r#"{ "q": "it's" }"#),
        ];
        for (js, json) in table {
            assert_eq!(to_json(js).as_deref(), Some(json), "{js}");
        }
    }

    #[test]
    fn a_prettier_redacted_account_parses() {
        let js = "[\n  {\n    account: {\n      email: \"redacted\",\n      username: \"eth_classic\",\n      accountId: \"759252279862104064\",\n    },\n  },\n]";
        let json = to_json(js).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value[0]["account"]["username"], "eth_classic");
    }

    #[test]
    fn unterminated_text_is_refused() {
        assert_eq!(to_json("{ a: 'oops }"), None);
        assert_eq!(to_json("{ /* never closed"), None);
    }
}
