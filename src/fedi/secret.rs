//! Secrets as types: an access token or client secret can be stored, compared and put on the
//! wire, but never shown.
//!
//! [`Secret`] has no `Display`, and its `Debug` prints `Secret(redacted)`, so a token cannot
//! reach a log line, an error message or a `{:?}` dump by accident. The only way to read the
//! text is [`Secret::expose`], used where the protocol needs it (the `Authorization` header,
//! the OAuth forms and the credentials file).

use serde::{Deserialize, Serialize};

/// A secret string: an access token, a client secret or an authorisation code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

/// An OAuth access token.
pub type AccessToken = Secret;

impl Secret {
    /// Wraps a secret, trimming the whitespace a file or a paste leaves around it.
    pub fn new(text: impl Into<String>) -> Self {
        let text: String = text.into();
        Secret(text.trim().to_string())
    }

    /// The secret text, for the wire or the credentials file only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when nothing is left after trimming.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// True when the text could travel in an HTTP header (printable ASCII without spaces).
    pub fn is_header_safe(&self) -> bool {
        !self.0.is_empty() && self.0.bytes().all(|b| b.is_ascii_graphic())
    }

    /// Replaces every occurrence of this secret in `text` (a server could echo it back).
    pub fn scrub(&self, text: &str) -> String {
        if self.0.len() < 4 {
            return text.to_string();
        }
        text.replace(&self.0, "[redacted]")
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_text() {
        let secret = Secret::new("  tok-very-secret\n");
        assert_eq!(secret.expose(), "tok-very-secret");
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("very-secret"), "{shown}");
    }

    #[test]
    fn serialises_as_a_plain_string() {
        let secret = Secret::new("abc123");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"abc123\"");
        let back: Secret = serde_json::from_str("\"abc123\"").unwrap();
        assert_eq!(back, secret);
    }

    #[test]
    fn header_safety_and_scrubbing() {
        assert!(Secret::new("a-B_c.9~+/=").is_header_safe());
        assert!(!Secret::new("two words").is_header_safe());
        assert!(!Secret::new("").is_header_safe());
        assert!(!Secret::new("tab\there").is_header_safe());
        let secret = Secret::new("tok-42xyz");
        assert_eq!(
            secret.scrub("bad token tok-42xyz!"),
            "bad token [redacted]!"
        );
    }
}
