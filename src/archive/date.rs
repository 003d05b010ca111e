//! Tweet timestamps: `Wed Oct 10 20:19:24 +0000 2018` (YTD), `2015-01-24 02:02:37 +0000`
//! (Grailbird), ISO 8601 (note tweets, account), and the time inside a tweet id (snowflake).
//!
//! The YTD form is parsed by hand at fixed positions: it is read once per tweet, and a
//! general-purpose format parser would cost more than the rest of the record.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};

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

/// `Wed Oct 10 20:19:24 +0000 2018`, the common case, by position. Anything else (another
/// offset, a weekday that does not match the date) is left to the general parser.
fn ytd(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let separators = [(3, b' '), (7, b' '), (10, b' '), (13, b':'), (16, b':')];
    if b.len() != 30 || separators.iter().any(|&(i, c)| b[i] != c) || &b[19..26] != b" +0000 " {
        return None;
    }
    let month = month(&b[4..7])?;
    let day = digits(&b[8..10])?;
    let (h, m, s) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let year = digits(&b[26..30])?;
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    if weekday(date) != &b[..3] {
        return None;
    }
    let time = date.and_hms_opt(h, m, s)?;
    Some(Utc.from_utc_datetime(&time))
}

/// The English abbreviation of `date`'s weekday, as the archive writes it.
fn weekday(date: NaiveDate) -> &'static [u8] {
    const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];
    DAYS[date.weekday().num_days_from_monday() as usize]
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn month(name: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
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
    fn the_fast_path_takes_the_common_form_and_agrees_with_the_general_parser() {
        let format = "%a %b %d %H:%M:%S %z %Y";
        for text in [
            "Wed Oct 10 20:19:24 +0000 2018",
            "Sun Mar 13 08:27:40 +0000 2011",
            "Thu Feb 29 00:00:00 +0000 2024",
            "Sat Dec 31 23:59:59 +0000 2022",
        ] {
            let fast = ytd(text).unwrap_or_else(|| panic!("the fast path refused {text}"));
            assert_eq!(Some(fast), with_format(text, format), "{text}");
        }
        // Left to the general parser, which decides as before.
        for text in [
            "Thu Oct 10 20:19:24 +0000 2018",
            "Wed Oct 10 20:19:24 +0200 2018",
            "Wed Oct 10 20:19:60 +0000 2018",
            "wed Oct 10 20:19:24 +0000 2018",
            "Wed Oct 10 20-19-24 +0000 2018",
            "Fri Feb 29 00:00:00 +0000 2023",
        ] {
            assert_eq!(ytd(text), None, "{text}");
        }
        assert_eq!(
            parse("Thu Oct 10 20:19:24 +0000 2018"),
            None,
            "a wrong weekday"
        );
    }

    #[test]
    fn snowflakes_carry_their_time() {
        let got = from_snowflake("1712845355925082112").unwrap();
        assert_eq!(got.to_rfc3339(), "2023-10-13T14:58:50.637+00:00");
        assert_eq!(from_snowflake("12345"), None);
    }
}
