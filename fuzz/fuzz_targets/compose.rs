//! A tweet's JSON through the archive's tweet normaliser, then `repost::compose` under a few
//! instance limits: stock Mastodon, a tiny limit that forces splits and media groups, and
//! GoToSocial's code-point count with a content warning, a date footer and matched mentions,
//! and another software's rule with a small limit. Every chunk must fit as the server counts.
//! The input is one record of a tweets file (with or without the `{"tweet": …}` wrapper).
#![no_main]

use std::ops::ControlFlow;

use fedimigrate::archive::{ArchiveError, Tweet, tweets_of_file};
use fedimigrate::discover::Handle;
use fedimigrate::repost::{
    ComposeOptions, DateFooter, PostLimits, ServerKind, UnmatchedMentions, compose,
};
use libfuzzer_sys::fuzz_target;

fn options() -> Vec<ComposeOptions> {
    let stock = ComposeOptions::new("me@social.example", PostLimits::default());
    let tiny = ComposeOptions::new(
        "me@social.example",
        PostLimits {
            max_characters: 60,
            characters_reserved_per_url: 23,
            max_media_attachments: 1,
            software: ServerKind::Mastodon,
        },
    );
    let mut gts = ComposeOptions::new(
        "me@gts.example",
        PostLimits {
            max_characters: 5000,
            characters_reserved_per_url: 999,
            max_media_attachments: 6,
            software: ServerKind::GoToSocial,
        },
    );
    let mut other = ComposeOptions::new(
        "me@pleroma.example",
        PostLimits {
            max_characters: 140,
            characters_reserved_per_url: 0,
            max_media_attachments: 2,
            software: ServerKind::Other,
        },
    );
    other.spoiler_text = Some("cw".into());
    other.owner_names = vec!["mara".into(), "old_mara".into()];
    gts.spoiler_text = Some("old tweet".into());
    gts.date_footer = DateFooter::new(DateFooter::DEFAULT_FORMAT).ok();
    gts.unmatched_mentions = UnmatchedMentions::ProfileLink;
    gts.owner_names = vec!["mara".into()];
    if let Ok(handle) = "bob@bob.example".parse::<Handle>() {
        gts.matches.insert("bob", handle);
    }
    vec![stock, tiny, gts, other]
}

fuzz_target!(|data: &[u8]| {
    let mut file = b"window.YTD.tweets.part0 = [".to_vec();
    file.extend_from_slice(data);
    file.push(b']');
    let mut tweets: Vec<Tweet> = Vec::new();
    let mut reader = file.as_slice();
    let _ = tweets_of_file::<ArchiveError>(&mut reader, "fuzz.zip", |tweet| {
        tweets.push(tweet);
        Ok(ControlFlow::Continue(()))
    });
    for opts in options() {
        for tweet in &tweets {
            match compose(tweet, &opts) {
                Ok(post) => {
                    // What the server will count never exceeds what we counted, nor the limit.
                    let spoiler = opts.spoiler_text.as_deref().unwrap_or("");
                    for chunk in &post.chunks {
                        let counted = opts.limits.rules().count(&chunk.text, spoiler);
                        assert!(counted <= chunk.length, "{counted} > {chunk:?}");
                        assert!(chunk.length <= opts.limits.max_characters, "{chunk:?}");
                    }
                }
                Err(err) => {
                    let _ = err.to_string();
                }
            }
        }
    }
});
