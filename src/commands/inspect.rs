//! `fedimigrate inspect`: summarise an archive (owner, layout, counts, dates, warnings).
//!
//! The reading happens on a blocking thread (it is CPU and disk work); this file only prints:
//! the human summary, or with `--json` one document whose keys scripts can rely on. Every
//! string from the archive goes through [`clean`] on its way to the human summary.

use std::io::Write;

use anyhow::Context;

use super::Env;
use crate::archive::{Archive, Summary};
use crate::exit::Outcome;
use crate::sanitize::clean;

/// Validated options of this command.
#[derive(Debug, Clone)]
pub struct Config {
    pub archive: std::path::PathBuf,
    pub json: bool,
}

/// Runs the command.
pub async fn run(config: Config, _env: &Env) -> anyhow::Result<Outcome> {
    let path = config.archive.clone();
    let summary = tokio::task::spawn_blocking(move || -> anyhow::Result<Summary> {
        let archive = Archive::open(&path)?;
        Ok(archive.summary()?)
    })
    .await
    .context("the archive reader stopped unexpectedly")??;
    let mut out = crate::stdout::lock();
    if config.json {
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
    } else {
        out.write_all(human(&config.archive, &summary).as_bytes())?;
    }
    out.flush()?;
    Ok(Outcome::Done)
}

/// The human summary.
pub fn human(path: &std::path::Path, s: &Summary) -> String {
    let c = &s.counts;
    let mut text = format!("Archive     {} ({})\n", path.display(), s.layout);
    text.push_str(&owner_lines(s));
    text.push_str(&profile_lines(s));
    let dates = match (s.first_tweet_at, s.last_tweet_at) {
        (Some(first), Some(last)) => format!(
            ", {} to {}",
            first.format("%Y-%m-%d"),
            last.format("%Y-%m-%d")
        ),
        _ => String::new(),
    };
    text.push_str(&format!("Tweets      {}{dates}\n", c.tweets));
    text.push_str(&format!(
        "            {} ({} in own threads), {}, {}\n",
        count(c.replies, "reply", "replies"),
        c.self_replies,
        count(c.retweets, "retweet", "retweets"),
        count(c.quotes, "quote", "quotes"),
    ));
    text.push_str(&format!(
        "            {}; left out: {} circle, {} deleted\n",
        count(c.note_tweets, "long post", "long posts"),
        c.circle_tweets,
        c.deleted_tweets
    ));
    text.push_str(&format!(
        "Following   {}\nFollowers   {}\n",
        c.following, c.followers
    ));
    text.push_str(&format!(
        "Blocks      {}\nMutes       {}\nLikes       {}\n",
        c.blocks, c.mutes, c.likes
    ));
    text.push_str(&format!(
        "Lists       {} ({} created, {} member of, {} subscribed)\n",
        c.lists, c.lists_created, c.lists_member, c.lists_subscribed
    ));
    text.push_str(&format!("Media files {}\n", c.media_files));
    if !s.warnings.is_empty() {
        text.push_str(&format!("\nWarnings ({})\n", s.warnings.len()));
        for warning in &s.warnings {
            text.push_str(&format!("  - {}\n", clean(warning)));
        }
    }
    text
}

/// `n` and the noun in the singular or plural: "1 reply", "2 replies".
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Bio, website, location and avatar, one line each, only those the archive has.
fn profile_lines(s: &Summary) -> String {
    let Some(p) = &s.profile else {
        return String::new();
    };
    let avatar = p.avatar_file.as_ref().or(p.avatar_url.as_ref());
    let lines = [
        ("Bio", p.bio.as_ref()),
        ("Website", p.website.as_ref()),
        ("Location", p.location.as_ref()),
        ("Avatar", avatar),
    ];
    let mut text = String::new();
    for (label, value) in lines {
        if let Some(value) = value {
            text.push_str(&format!("{label:<12}{}\n", clean(value)));
        }
    }
    text
}

fn owner_lines(s: &Summary) -> String {
    let Some(account) = &s.account else {
        return "Owner       unknown (the archive names no account)\n".into();
    };
    let mut text = format!(
        "Owner       @{} ({}), account id {}\n",
        clean(&account.username),
        clean(&account.display_name),
        if account.id.is_empty() {
            "unknown".into()
        } else {
            clean(&account.id)
        }
    );
    if !account.past_usernames.is_empty() {
        let past: Vec<String> = account
            .past_usernames
            .iter()
            .map(|n| format!("@{}", clean(n)))
            .collect();
        text.push_str(&format!("            formerly {}\n", past.join(", ")));
    }
    text
}
