//! Serde helpers for the archive's loose typing: numbers that arrive as strings (`"42"`) in
//! the YTD files and as real numbers (beyond 2^53, for ids) in Grailbird files.

use std::fmt;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// An id given as a string or a number, kept as its decimal text.
pub(crate) fn id<'de, D: Deserializer<'de>>(de: D) -> Result<Option<String>, D::Error> {
    de.deserialize_any(IdVisitor)
}

/// An id as [`id`] reads it, borrowed from the input where it can be.
pub(crate) fn id_ref<'de, D: Deserializer<'de>>(
    de: D,
) -> Result<Option<std::borrow::Cow<'de, str>>, D::Error> {
    de.deserialize_any(IdRefVisitor)
}

struct IdRefVisitor;

impl<'de> Visitor<'de> for IdRefVisitor {
    type Value = Option<std::borrow::Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id (string or integer)")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok((!v.is_empty()).then_some(std::borrow::Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        IdVisitor
            .visit_str(v)
            .map(|id| id.map(std::borrow::Cow::Owned))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        IdVisitor
            .visit_u64(v)
            .map(|id| id.map(std::borrow::Cow::Owned))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        IdVisitor
            .visit_i64(v)
            .map(|id| id.map(std::borrow::Cow::Owned))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        IdVisitor
            .visit_f64(v)
            .map(|id| id.map(std::borrow::Cow::Owned))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

struct IdVisitor;

impl<'de> Visitor<'de> for IdVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id (string or integer)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((!v.is_empty()).then(|| v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Only a JavaScript-mangled id arrives as a float; keep what can be kept.
        Ok(Some(format!("{v:.0}")))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A count or index given as a string or a number.
pub(crate) fn number<'de, D: Deserializer<'de>>(de: D) -> Result<Option<u64>, D::Error> {
    de.deserialize_any(NumberVisitor)
}

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative number (string or integer)")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        v.trim()
            .parse()
            .map(Some)
            .map_err(|_| E::custom(format!("`{v}` is not a number")))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(u64::try_from(v).ok())
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// A pair of entity indices (`["0","12"]` or `[0, 12]`).
pub(crate) fn indices<'de, D: Deserializer<'de>>(
    de: D,
) -> Result<Option<(usize, usize)>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Num(#[serde(deserialize_with = "number")] Option<u64>);
    let pair: Option<Vec<Num>> = serde::Deserialize::deserialize(de)?;
    Ok(match pair.as_deref() {
        Some([Num(Some(a)), Num(Some(b))]) => Some((*a as usize, *b as usize)),
        _ => None,
    })
}

/// A flag given as a boolean or as the text `"true"`/`"false"` (anything else: false).
pub(crate) fn flag<'de, D: Deserializer<'de>>(de: D) -> Result<bool, D::Error> {
    de.deserialize_any(FlagVisitor)
}

struct FlagVisitor;

impl<'de> Visitor<'de> for FlagVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a flag (boolean or \"true\"/\"false\")")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.eq_ignore_ascii_case("true"))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v != 0)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v != 0)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(false)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct T {
        #[serde(default, deserialize_with = "super::id")]
        id: Option<String>,
        #[serde(default, deserialize_with = "super::number")]
        n: Option<u64>,
        #[serde(default, deserialize_with = "super::indices")]
        at: Option<(usize, usize)>,
    }

    #[test]
    fn strings_and_numbers_are_both_accepted() {
        let table = [
            (
                r#"{"id":"1700000000000000001","n":"3","at":["0","12"]}"#,
                Some("1700000000000000001"),
                Some(3),
                Some((0, 12)),
            ),
            (
                r#"{"id":582980738208894977,"n":3,"at":[0,12]}"#,
                Some("582980738208894977"),
                Some(3),
                Some((0, 12)),
            ),
            (r#"{"id":null}"#, None, None, None),
            (r#"{}"#, None, None, None),
        ];
        for (json, id, n, at) in table {
            let t: T = serde_json::from_str(json).unwrap();
            assert_eq!(t.id.as_deref(), id, "{json}");
            assert_eq!(t.n, n, "{json}");
            assert_eq!(t.at, at, "{json}");
        }
    }

    #[test]
    fn a_word_is_not_a_number() {
        assert!(serde_json::from_str::<T>(r#"{"n":"three"}"#).is_err());
    }

    #[test]
    fn a_flag_is_a_boolean_or_its_text() {
        #[derive(serde::Deserialize)]
        struct F {
            #[serde(default, deserialize_with = "super::flag")]
            f: bool,
        }
        let flag = |json: &str| serde_json::from_str::<F>(json).unwrap().f;
        assert!(flag(r#"{"f":true}"#));
        assert!(flag(r#"{"f":"true"}"#));
        assert!(!flag(r#"{"f":"false"}"#));
        assert!(!flag(r#"{"f":null}"#));
        assert!(!flag(r#"{}"#));
        assert!(!flag(r#"{"f":{"nested":[1]}}"#));
    }
}
