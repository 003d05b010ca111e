//! `fedimigrate instance`: check the login against the instance and show what the instance
//! allows: software, post and media limits, whether it can backdate re-posted tweets, and the
//! rate-limit budget left. Acts as the active login, `--account`, or `--instance` with
//! `--token-file` (nothing stored), so a script can ask "does this token still work?" before a
//! long run.

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::Env;
use crate::exit::{Outcome, UsageError};
use crate::fedi::notice::clock_time;
use crate::fedi::session::connect;
use crate::fedi::{Account, AccountChoice, Cancel, Family, InstanceInfo, Limits};
use crate::sanitize::clean;
use crate::ui::thousands;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub choice: AccountChoice,
    pub json: bool,
}

/// What the check found (also the `--json` document; never the token).
#[derive(Debug, Serialize)]
pub struct Report {
    /// The stored login used (`user@host`); `None` with `--instance`.
    pub login: Option<String>,
    /// The account the token belongs to, as the instance described it.
    pub account: Shown,
    pub instance: InstanceInfo,
    /// The general request budget after these requests, when the instance advertises one.
    pub rate_limit: Option<Budget>,
}

/// The account, as shown.
#[derive(Debug, Serialize)]
pub struct Shown {
    pub id: String,
    pub username: String,
    /// `user@domain`, with the instance's own domain.
    pub acct: String,
    pub display_name: String,
    pub locked: bool,
    pub following_count: u64,
    pub followers_count: u64,
    pub statuses_count: u64,
}

/// A rate-limit window as last seen.
#[derive(Debug, Serialize)]
pub struct Budget {
    pub limit: u32,
    pub remaining: u32,
    /// On this machine's clock (RFC 3339 in JSON).
    pub reset: DateTime<Utc>,
}

/// Runs the command.
pub async fn run(config: Config, env: &Env) -> anyhow::Result<Outcome> {
    if env.net.offline {
        return Err(UsageError(
            "`instance` asks your instance; it cannot run with --offline".into(),
        )
        .into());
    }
    let session = connect(&config.choice, &env.net, &env.ui)?;
    let client = session
        .client
        .with_cancel(Cancel::on_ctrl_c(crate::exit::quit_interrupted));
    let account = client.verify_credentials().await?;
    let instance = client.instance_info().await?;
    let rate_limit = client.rate_limit(Family::Api).map(|seen| Budget {
        limit: seen.limit,
        remaining: seen.remaining,
        reset: seen.reset.into(),
    });
    let report = Report {
        login: session.account,
        account: shown(account, &instance.domain),
        instance,
        rate_limit,
    };
    let mut out = crate::stdout::lock();
    if config.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        out.write_all(render(&report).as_bytes())?;
    }
    Ok(Outcome::Done)
}

fn shown(account: Account, domain: &str) -> Shown {
    let acct = if account.acct.contains('@') {
        account.acct
    } else {
        format!("{}@{domain}", account.acct)
    };
    Shown {
        id: account.id,
        username: account.username,
        acct,
        display_name: account.display_name,
        locked: account.locked,
        following_count: account.following_count,
        followers_count: account.followers_count,
        statuses_count: account.statuses_count,
    }
}

/// The human report (pure). Every string the instance sent goes through [`clean`].
pub fn render(report: &Report) -> String {
    let info = &report.instance;
    let account = &report.account;
    let mut lines = Vec::new();
    let name = match clean(&account.display_name).as_ref() {
        "" => String::new(),
        display => format!(" ({display})"),
    };
    lines.push(row(
        "Account",
        format!(
            "@{}{name}: the token works; {} following, {} followers, {} posts",
            clean(&account.acct),
            thousands(account.following_count),
            thousands(account.followers_count),
            thousands(account.statuses_count),
        ),
    ));
    let title = match clean(&info.title).as_ref() {
        "" => String::new(),
        title => format!(" \"{title}\""),
    };
    lines.push(row("Instance", format!("{}{title}", clean(&info.domain))));
    lines.push(row("Software", software(info)));
    let mut limits = posts(&info.limits);
    if !info.limits_stated {
        limits.push_str(" (Mastodon's defaults: the instance does not say)");
    }
    lines.push(row("Posts", limits));
    lines.push(row("Media", media(&info.limits)));
    lines.push(row("Backdating", backdating(info).into()));
    if let Some(budget) = &report.rate_limit {
        lines.push(row(
            "Rate limit",
            format!(
                "{} of {} requests left until {}",
                thousands(budget.remaining.into()),
                thousands(budget.limit.into()),
                clock_time(budget.reset.into())
            ),
        ));
    }
    lines.join("")
}

fn row(label: &str, value: String) -> String {
    format!("{label:<12}{value}\n")
}

fn software(info: &InstanceInfo) -> String {
    let version = info
        .software
        .version
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    let name = clean(&info.software.name);
    match clean(&info.api_version).as_ref() {
        "" => format!("{name}{version}"),
        api => format!("{name}{version} (Mastodon API {api})"),
    }
}

fn posts(limits: &Limits) -> String {
    format!(
        "up to {} characters, every link counts as {}; up to {} attachments",
        thousands(limits.max_characters.into()),
        limits.characters_reserved_per_url,
        limits.max_media_attachments
    )
}

fn media(limits: &Limits) -> String {
    let mut parts = Vec::new();
    if let Some(size) = limits.image_size_limit {
        parts.push(format!("images up to {}", megabytes(size)));
    }
    if let Some(size) = limits.video_size_limit {
        parts.push(format!("videos up to {}", megabytes(size)));
    }
    if let Some(chars) = limits.description_limit {
        parts.push(format!(
            "descriptions up to {} characters",
            thousands(chars.into())
        ));
    }
    if parts.is_empty() {
        "the instance does not say".into()
    } else {
        parts.join(", ")
    }
}

fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    if mb >= 10.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

fn backdating(info: &InstanceInfo) -> &'static str {
    if info.capabilities.can_backdate {
        "yes: re-posted tweets can keep their original dates"
    } else {
        "no: re-posted tweets are dated when they are posted (GoToSocial 0.18+ can backdate)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fedi::{Capabilities, Software, Version};

    fn report(software: &str, version: Version, can_backdate: bool) -> Report {
        Report {
            login: Some("alice@social.example".into()),
            account: Shown {
                id: "1".into(),
                username: "alice".into(),
                acct: "alice@social.example".into(),
                display_name: "Alice Example".into(),
                locked: false,
                following_count: 1234,
                followers_count: 5,
                statuses_count: 0,
            },
            instance: InstanceInfo {
                domain: "social.example".into(),
                title: "Social Example".into(),
                api_version: "4.3.0".into(),
                software: Software {
                    name: software.into(),
                    version: Some(version),
                },
                limits: Limits {
                    image_size_limit: Some(16_777_216),
                    video_size_limit: Some(103_809_024),
                    description_limit: Some(1500),
                    ..Limits::default()
                },
                limits_stated: true,
                capabilities: Capabilities {
                    can_backdate,
                    honours_idempotency_key: true,
                },
            },
            rate_limit: Some(Budget {
                limit: 300,
                remaining: 299,
                reset: Utc::now(),
            }),
        }
    }

    #[test]
    fn the_report_names_limits_and_backdating() {
        let text = render(&report("mastodon", Version::new(4, 3, 0), false));
        let expected = [
            "Account     @alice@social.example (Alice Example): the token works; 1,234 following, 5 followers, 0 posts",
            "Instance    social.example \"Social Example\"",
            "Software    mastodon 4.3.0 (Mastodon API 4.3.0)",
            "Posts       up to 500 characters, every link counts as 23; up to 4 attachments",
            "Media       images up to 17 MB, videos up to 104 MB, descriptions up to 1,500 characters",
            "Backdating  no: re-posted tweets are dated when they are posted (GoToSocial 0.18+ can backdate)",
        ];
        for line in expected {
            assert!(text.contains(&format!("{line}\n")), "{line}\n---\n{text}");
        }
        assert!(text.contains("Rate limit  299 of 300 requests left until "));
        let text = render(&report("gotosocial", Version::new(0, 18, 1), true));
        assert!(text.contains("Backdating  yes: re-posted tweets can keep their original dates"));
    }

    #[test]
    fn server_text_reaches_the_terminal_clean() {
        let mut r = report("mastodon\u{1b}[2J", Version::new(4, 3, 0), false);
        r.instance.title = "Evil\u{1b}]0;owned\u{7}\0 Title\u{202e}".into();
        r.instance.api_version = "4.3.0\u{9b}31m".into();
        r.instance.domain = "social.example\u{1b}[A".into();
        r.account.display_name = "Mallory\r\n\u{1b}[1;31mroot".into();
        r.account.acct = "mallory\u{0}@social.example".into();
        let text = render(&r);
        assert!(
            text.contains("Account     @mallory@social.example (Mallory root): "),
            "{text:?}"
        );
        assert!(
            text.contains("Instance    social.example \"Evil Title\"\n"),
            "{text:?}"
        );
        assert!(
            text.contains("Software    mastodon 4.3.0 (Mastodon API 4.3.0)\n"),
            "{text:?}"
        );
        let controls = text.chars().filter(|c| c.is_control() && *c != '\n');
        assert_eq!(controls.count(), 0, "{text:?}");
    }

    #[test]
    fn missing_facts_are_said_plainly() {
        let mut r = report("pleroma", Version::new(2, 6, 1), false);
        r.instance.limits = Limits::default();
        r.instance.limits_stated = false;
        r.instance.api_version.clear();
        r.instance.title.clear();
        r.account.display_name.clear();
        r.rate_limit = None;
        let text = render(&r);
        assert!(
            text.contains("Media       the instance does not say\n"),
            "{text}"
        );
        assert!(text.contains("Instance    social.example\n"), "{text}");
        assert!(
            text.starts_with("Account     @alice@social.example: "),
            "{text}"
        );
        assert!(!text.contains("Rate limit"), "{text}");
    }
}
