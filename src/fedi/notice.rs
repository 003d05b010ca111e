//! What the client tells the person while it works: one line when it has to wait for a rate
//! limit (saying until when), or when it retries after a failure. Delivered through a
//! callback, so commands decide where it goes (stderr through `Ui`, or nowhere).

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Local};

use super::family::Family;

/// Something worth a line on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Waiting for a rate limit.
    Waiting {
        host: String,
        family: Family,
        /// The local time the wait ends.
        until: SystemTime,
        /// How long the wait is.
        wait: Duration,
        /// True when the server refused a request (429/503), false when pacing ahead of one.
        refused: bool,
    },
    /// Trying a request again after a failure that may pass.
    Retrying {
        /// What went wrong, naming the host (`mastodon.example answered 502`).
        what: String,
        wait: Duration,
        /// The attempt that failed, from 1.
        attempt: u32,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Waiting {
                host,
                family,
                until,
                wait,
                refused,
            } => {
                let why = if *refused {
                    format!("{host} asked to slow down")
                } else {
                    format!("{host}'s rate limit for {} is used up", family.label())
                };
                write!(
                    f,
                    "{why}; waiting until {} ({})",
                    clock_time(*until),
                    human_duration(*wait)
                )
            }
            Notice::Retrying {
                what,
                wait,
                attempt,
            } => write!(
                f,
                "{what}; trying again in {} (attempt {})",
                human_duration(*wait),
                attempt + 1
            ),
        }
    }
}

/// A local wall-clock time: `14:05:30`, with the date when it is not today.
pub fn clock_time(at: SystemTime) -> String {
    let local: DateTime<Local> = at.into();
    if local.date_naive() == Local::now().date_naive() {
        local.format("%H:%M:%S").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// `850ms`, `12s`, `3m20s`, `5h02m`.
pub fn human_duration(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0 => format!("{}ms", d.as_millis()),
        1..=59 => format!("{secs}s"),
        60..=3599 => format!("{}m{:02}s", secs / 60, secs % 60),
        _ => format!("{}h{:02}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        let cases = [
            (Duration::from_millis(850), "850ms"),
            (Duration::from_secs(12), "12s"),
            (Duration::from_secs(200), "3m20s"),
            (Duration::from_secs(5 * 3600 + 125), "5h02m"),
        ];
        for (d, text) in cases {
            assert_eq!(human_duration(d), text);
        }
    }

    #[test]
    fn a_wait_is_one_line_saying_until_when() {
        let until = SystemTime::now() + Duration::from_secs(90);
        let notice = Notice::Waiting {
            host: "mastodon.example".into(),
            family: Family::Follows,
            until,
            wait: Duration::from_secs(90),
            refused: false,
        };
        let text = notice.to_string();
        assert!(
            text.starts_with(
                "mastodon.example's rate limit for follows is used up; waiting until "
            )
        );
        assert!(text.ends_with("(1m30s)"), "{text}");
        assert!(text.contains(&clock_time(until)));
        assert!(!text.contains('\n'));
    }
}
