//! Tweet timestamps: `Wed Oct 10 20:19:24 +0000 2018` (YTD), `2015-01-24 02:02:37 +0000`
//! (Grailbird), ISO 8601 (note tweets, account), and the time inside a tweet id (snowflake).
//!
//! The YTD form is parsed by hand at fixed positions: it is read once per tweet, and a
//! general-purpose format parser would cost more than the rest of the record.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

/// Parses any timestamp form the archive uses.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    ytd(text)
        .or_else(|| with_format(text, "%a %b %d %H:%M:%S %z %Y"))
        .or_else(|| with_format(text, "%Y-%m-%d %H:%M:%S %z"))
        .or_else(|| DateTime::parse_from_rfc3339(text).ok().map(|d| d.to_utc()))
}

/// The creation time encoded in a tweet id (ids from November 2010 on).
pub fn from_snowflake(id: &str) -> Option<DateTime<Utc>> {
    let id: u64 = id.parse().ok()?;
    if id < (1 << 32) {
        return None;
    }
    let ms = (id >> 22) + 1_288_834_974_657;
    DateTime::from_timestamp_millis(i64::try_from(ms).ok()?)
}

fn with_format(text: &str, format: &str) -> Option<DateTime<Utc>> {
    DateTime::<FixedOffset>::parse_from_str(text, format)
        .ok()
        .map(|d| d.to_utc())
}

/// `Wed Oct 10 20:19:24 +0000 2018`, the common case, by position.
fn ytd(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    if b.len() != 30 || b[3] != b' ' || b[7] != b' ' || b[20] != b' ' || &b[20..26] != b" +0000" {
        return None;
    }
    let month = month(&text[4..7])?;
    let day = digits(&b[8..10])?;
    let (h, m, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let year = digits(&b[26..30])?;
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    let time = date.and_hms_opt(h, m, s)?;
    Some(Utc.from_utc_datetime(&time))
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn month(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_archive_form_parses() {
        let table = [
            (
                "Wed Oct 10 20:19:24 +0000 2018",
                "2018-10-10T20:19:24+00:00",
            ),
            (
                "Fri Sep 08 09:30:00 +0000 2023",
                "2023-09-08T09:30:00+00:00",
            ),
            (
                "Fri Sep 08 11:30:00 +0200 2023",
                "2023-09-08T09:30:00+00:00",
            ),
            ("2015-03-31 19:00:13 +0000", "2015-03-31T19:00:13+00:00"),
            ("2023-10-13T14:58:50.000Z", "2023-10-13T14:58:50+00:00"),
        ];
        for (text, want) in table {
            let got = parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(got.to_rfc3339(), want, "{text}");
        }
    }

    #[test]
    fn nonsense_is_not_a_date() {
        for text in [
            "",
            "yesterday",
            "Wed Foo 10 20:19:24 +0000 2018",
            "Wed Oct 32 20:19:24 +0000 2018",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn snowflakes_carry_their_time() {
        let got = from_snowflake("1712845355925082112").unwrap();
        assert_eq!(got.to_rfc3339(), "2023-10-13T14:58:50.637+00:00");
        assert_eq!(from_snowflake("12345"), None);
    }
}
