//! The X API bearer token: read from a file, standard input (`-`) or `X_BEARER_TOKEN`, never
//! from a flag value. It cannot be printed: `Debug` shows `Token(<redacted>)` and there is no
//! `Display`; [`Token::redact`] scrubs it from any text a server sent back.

use std::io::Read;
use std::path::Path;

use super::XApiError;

/// The environment variable that may hold the token.
pub const ENV: &str = "X_BEARER_TOKEN";

/// A bearer token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl Token {
    /// Reads the token from `--x-token-file` when given (`-` = standard input), else from
    /// `X_BEARER_TOKEN`.
    pub fn load(file: Option<&Path>) -> Result<Token, XApiError> {
        match file {
            Some(path) if path == Path::new("-") => {
                Self::from_reader(std::io::stdin(), "standard input")
            }
            Some(path) => Self::from_file(path),
            None => match std::env::var(ENV) {
                Ok(value) => Self::parse(&value, ENV),
                Err(_) => Err(XApiError::NoToken),
            },
        }
    }

    /// Reads the token from a file (its first line; surrounding blanks ignored).
    pub fn from_file(path: &Path) -> Result<Token, XApiError> {
        let from = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|err| XApiError::TokenSource {
            from: from.clone(),
            reason: err.to_string(),
        })?;
        Self::from_reader(file, &from)
    }

    /// Reads the token from any reader (standard input, in practice).
    pub fn from_reader(mut reader: impl Read, from: &str) -> Result<Token, XApiError> {
        let mut text = String::new();
        reader
            .by_ref()
            .take(64 * 1024)
            .read_to_string(&mut text)
            .map_err(|err| XApiError::TokenSource {
                from: from.to_string(),
                reason: err.to_string(),
            })?;
        Self::parse(&text, from)
    }

    /// The token from text: the first non-blank line, an optional `Bearer ` prefix removed.
    pub fn parse(text: &str, from: &str) -> Result<Token, XApiError> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let token = line.strip_prefix("Bearer ").unwrap_or(line).trim();
        if token.is_empty() {
            return Err(XApiError::EmptyToken {
                from: from.to_string(),
            });
        }
        Ok(Token(token.to_string()))
    }

    /// The secret, for the `Authorization` header only.
    pub(super) fn secret(&self) -> &str {
        &self.0
    }

    /// `text` with every occurrence of the token replaced.
    pub fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_from_text() {
        let cases = [
            ("AAAA%2Fsecret\n", Some("AAAA%2Fsecret")),
            ("\n  Bearer AAAA  \n", Some("AAAA")),
            ("AAAA\nsecond line\n", Some("AAAA")),
            ("", None),
            ("   \n", None),
        ];
        for (text, want) in cases {
            let got = Token::parse(text, "test").ok();
            assert_eq!(got.as_ref().map(Token::secret), want, "{text:?}");
        }
    }

    #[test]
    fn a_token_never_shows() {
        let token = Token::parse("s3cr3t-t0ken", "test").unwrap();
        assert_eq!(format!("{token:?}"), "Token(<redacted>)");
        assert_eq!(
            token.redact("bad token s3cr3t-t0ken!"),
            "bad token <redacted>!"
        );
    }

    #[test]
    fn a_missing_file_names_the_file_but_no_token() {
        let err = Token::from_file(Path::new("/nonexistent/token.txt")).unwrap_err();
        assert!(err.to_string().contains("/nonexistent/token.txt"), "{err}");
    }
}
