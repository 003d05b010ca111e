//! What the rules know about hosts and mailboxes: sites that do not federate, e-mail
//! providers, role mailboxes, what makes a host look like a fediverse server, and a short list
//! of well-known instances.
//!
//! The lists are written for this project from general knowledge of the fediverse and the web
//! (not copied from another tool's files). They are deliberately short: each entry is a site
//! that shows up in bios and would otherwise match a rule. Verification, not this list, decides
//! whether a host really federates.

use std::sync::OnceLock;

/// Sites that are not fediverse servers but use paths or addresses the rules would take for
/// one (`/@name`, `/u/name`, `/users/name`, `name@site`): social networks and their link
/// shorteners, creator and video sites, link-in-bio pages, code hosts, Q&A sites.
/// Matched as the host or a parent domain (`www.youtube.com`, `en.pronouns.page`).
#[rustfmt::skip]
const NOT_FEDERATED: &[&str] = &[
    // Twitter/X itself, and other closed networks
    "twitter.com", "x.com", "t.co", "twimg.com", "facebook.com", "fb.com", "fb.me",
    "instagram.com", "instagr.am", "linkedin.com", "lnkd.in", "tiktok.com", "snapchat.com",
    "pinterest.com", "reddit.com", "redd.it", "tumblr.com", "vk.com", "ok.ru", "weibo.com",
    "xing.com", "clubhouse.com", "lemon8-app.com", "mixi.social", "taittsuu.com",
    // Bluesky: only through the opt-in bridge
    "bsky.app", "bsky.social",
    // look-alikes that run Mastodon-like software without federating
    "counter.social", "truthsocial.com", "gab.com", "gettr.com", "parler.com", "spoutible.com",
    "post.news", "pillowfort.social", "cohost.org", "hive.social",
    // blogs, newsletters, video, audio, art and photo sites with /@name pages
    "medium.com", "substack.com", "youtube.com", "youtu.be", "twitch.tv", "kick.com",
    "vimeo.com", "odysee.com", "lbry.tv", "rumble.com", "soundcloud.com", "spotify.com", "bandcamp.com",
    "mixcloud.com", "unsplash.com", "pexels.com", "skeb.jp", "fanbox.cc", "pixiv.net",
    "deviantart.com", "artstation.com", "behance.net", "dribbble.com", "printables.com",
    "foundation.app", "zora.co", "paragraph.xyz", "gamejolt.com", "steemit.com", "peakd.com",
    "hive.blog", "ecency.com", "observablehq.com", "figma.com", "framer.com", "glitch.com", "replit.com",
    "vercel.com",
    "hashnode.com", "producthunt.com", "retrospring.net", "lichess.org",
    // link-in-bio, support and payment pages
    "linktr.ee", "lnk.to", "lit.link", "bio.link", "beacons.ai", "carrd.co", "about.me",
    "withkoji.com", "manylink.co", "tap.bio", "solo.to", "campsite.bio", "flow.page",
    "patreon.com", "ko-fi.com", "buymeacoffee.com", "paypal.me", "paypal.com", "cash.app",
    "pronouns.page", "pronouns.cc", "pronoun.is",
    // code, packages, Q&A, research profiles
    "github.com", "gitlab.com", "bitbucket.org", "npmjs.com", "crates.io", "pypi.org",
    "stackoverflow.com", "stackexchange.com", "superuser.com", "serverfault.com",
    "askubuntu.com", "quora.com", "researchgate.net", "academia.edu", "orcid.org",
    "scratch.mit.edu", "codewars.com", "leetcode.com", "kaggle.com", "speedrun.com",
    "trakt.tv", "kitsu.io", "myanimelist.net", "osu.ppy.sh", "archiveofourown.org", "ao3.org",
    "credly.com", "fiverr.com", "myminifactory.com", "tenor.com", "habr.com", "pikabu.ru",
    "hubpages.com", "teletype.in",
    // chat, shorteners, big portals
    "t.me", "telegram.me", "wa.me", "discord.gg", "discord.com", "matrix.to", "bit.ly",
    "goo.gl", "tinyurl.com", "ow.ly", "buff.ly", "google.com", "apple.com", "amazon.com",
];

/// E-mail providers: an address there is a mailbox, never a fediverse account.
#[rustfmt::skip]
const MAIL_PROVIDERS: &[&str] = &[
    "gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "hotmail.fr", "hotmail.de",
    "hotmail.it", "hotmail.es", "outlook.com", "outlook.de", "outlook.fr", "outlook.jp",
    "live.com", "live.co.uk", "live.fr", "live.de", "msn.com", "yahoo.com", "yahoo.co.jp",
    "yahoo.co.uk", "yahoo.fr", "yahoo.de", "ymail.com", "rocketmail.com", "aol.com", "aim.com",
    "icloud.com", "me.com", "mac.com", "proton.me", "protonmail.com", "protonmail.ch",
    "pm.me", "tutanota.com", "tutanota.de", "tuta.io", "tuta.com", "tutamail.com", "gmx.de",
    "gmx.net", "gmx.at", "gmx.ch", "gmx.com", "web.de", "posteo.de", "posteo.net",
    "mailbox.org", "fastmail.com", "fastmail.fm", "hey.com", "zoho.com", "zohomail.com",
    "yandex.ru", "yandex.com", "mail.ru", "qq.com", "163.com", "126.com", "naver.com",
    "hanmail.net", "daum.net", "t-online.de", "freenet.de", "arcor.de", "orange.fr", "free.fr",
    "laposte.net", "wanadoo.fr", "sfr.fr", "libero.it", "virgilio.it", "btinternet.com",
    "comcast.net", "verizon.net", "att.net", "sbcglobal.net", "bell.net", "rogers.com",
    "shaw.ca", "riseup.net", "pobox.com", "duck.com", "mail.com", "email.com", "inbox.com",
    "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "bluewin.ch", "telenet.be", "skynet.be",
    "ziggo.nl", "xs4all.nl", "uol.com.br", "bol.com.br", "terra.com.br", "docomo.ne.jp",
    "ezweb.ne.jp", "softbank.ne.jp", "nifty.com", "ocn.ne.jp",
];

/// Mailboxes of a role rather than a person (`press@`, `info@`): in a bio, `role@host` is
/// how to write to an organisation, not an account to follow.
#[rustfmt::skip]
const ROLE_MAILBOXES: &[&str] = &[
    "abuse", "accounts", "admin", "administrator", "billing", "bonjour", "booking", "bookings",
    "business", "careers", "collab", "contact", "contacto", "contato", "contacts", "editor",
    "editors", "email", "enquiries", "feedback", "general", "hallo", "hello", "help", "hi",
    "hire", "hostmaster", "hr", "inbox", "info", "inquiries", "jobs", "kontakt", "legal",
    "mail", "management", "marketing", "media", "mgmt", "news", "newsletter", "no-reply",
    "noreply", "office", "orders", "partners", "partnerships", "postmaster", "pr", "press",
    "presse", "privacy", "recruiting", "redaktion", "sales", "security", "service", "shop",
    "studio", "support", "team", "tips", "webmaster",
];

/// Whole host labels that only fediverse servers use (`mastodon.online`, `social.coop`,
/// `det.social`, `misskey.io`, `lemmy.world`).
#[rustfmt::skip]
const FEDI_LABELS: &[&str] = &[
    "social", "toot", "fedi", "masto", "mastodon", "mstdn", "misskey", "pleroma", "akkoma",
    "gts", "gotosocial", "firefish", "sharkey", "calckey", "iceshrimp", "friendica",
    "hubzilla", "pixelfed", "peertube", "lemmy", "kbin", "mbin", "bookwyrm", "writefreely",
    "funkwhale", "diaspora", "tube",
];

/// Pieces of a label that are distinctive enough on their own: `fosstodon`, `mathstodon`,
/// `mastodonapp`, `fedibird`, `mstdn-jp`, `misskey-io`, `lemmyworld`.
#[rustfmt::skip]
const FEDI_LABEL_PARTS: &[&str] = &[
    "mastodon", "todon", "mstdn", "masto", "fedi", "misskey", "pleroma", "akkoma",
    "pixelfed", "peertube", "lemmy", "friendica",
];

/// Well-known instances whose names carry none of the words above. A convenience for the
/// bare `user@host` form (and for profile paths such as `/u/name`); an instance missing here
/// still works with a marker (`@user@host`, "Mastodon:", 🐘).
#[rustfmt::skip]
const KNOWN_INSTANCES: &[&str] = &[
    "hachyderm.io", "infosec.exchange", "ioc.exchange", "mas.to", "chaos.social",
    "botsin.space", "pawoo.net", "tech.lgbt", "toot.cafe", "eldritch.cafe", "troet.cafe",
    "wandering.shop", "merveilles.town", "tilde.zone", "ursal.zone", "c.im", "qoto.org",
    "mamot.fr", "piaille.fr", "framapiaf.org", "zirk.us", "journa.host", "newsie.social",
    "sigmoid.social", "scholar.social", "dair-community.social", "aus.social", "sfba.social",
    "ohai.social", "bitbang.social", "kolektiva.social", "social.coop", "todon.eu",
    "todon.nl", "techhub.social", "universeodon.com", "mindly.social", "mastodonapp.uk",
    "indieweb.social", "front-end.social", "ruby.social", "phpc.social", "hci.social",
    "climatejustice.social", "urbanists.social", "norden.social", "nrw.social",
    "floss.social", "fosstodon.org", "mathstodon.xyz", "emacs.ch", "dice.camp",
    "tabletop.social", "weirder.earth", "cybre.space", "mastodon.art", "lor.sh", "fedibird.com",
    "best-friends.chat", "misskey.io", "misskey.design", "threads.net", "flipboard.social",
    "flipboard.com", "me.dm", "press.coop", "bsd.network", "ravenation.club", "kind.social",
    "octodon.social", "tenforward.social", "social.vivaldi.net", "social.tchncs.de",
    "digitalcourage.social", "eupolicy.social", "respublicae.eu", "social.bund.de",
    "social.linux.pizza", "linuxrocks.online", "hostux.social", "livellosegreto.it",
    "bolha.us", "tkz.one", "lemmy.world", "lemmy.ml", "sh.itjust.works", "programming.dev",
    "beehaw.org", "lemm.ee", "feddit.de", "feddit.org", "kbin.social", "fedia.io",
    "lemmy.blahaj.zone", "blahaj.zone", "tilvids.com", "framatube.org", "diode.zone",
    "joindiaspora.com", "diasp.org", "friendica.world", "pixelfed.social", "bookwyrm.social",
    "bsky.brid.gy", "brid.gy", "fed.brid.gy", "web.brid.gy", "wetdry.world", "tiggi.es",
    "chirp.social", "det.social", "vis.social", "sueden.social", "masto.ai", "gamedev.place",
    "historians.social", "neuromatch.social", "ecoevo.social", "genomic.social",
    "astrodon.social", "spacey.space", "toot.community", "toot.wales", "glasgow.social",
    "mstdn.ca", "mastodon.au", "mastodon.nz", "union.place", "lgbtqia.space",
    "cyberplace.social", "woof.tech", "catcatnya.com", "social.lol", "snabelen.no",
    "mastodon.green", "toot.io", "social.anoxinon.de", "fulda.social", "nerdculture.de",
];

/// True when `host` is `domain` or a subdomain of it.
fn within(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// True when `host` is one of `domains` or a subdomain of one: a look-up of each of the
/// host's dot-suffixes (`a.b.c`, `b.c`, `c`) in the sorted list, as [`within`] would find it.
fn within_any(host: &str, domains: &'static [&'static str], sorted: &OnceLock<Vec<&str>>) -> bool {
    let sorted = sorted.get_or_init(|| {
        let mut list = domains.to_vec();
        list.sort_unstable();
        list
    });
    std::iter::successors(Some(host), |h| h.split_once('.').map(|(_, rest)| rest))
        .any(|suffix| sorted.binary_search(&suffix).is_ok())
}

/// The host belongs to a site that does not federate (or to Bluesky itself).
pub fn is_not_federated(host: &str) -> bool {
    static SORTED: OnceLock<Vec<&str>> = OnceLock::new();
    within_any(host, NOT_FEDERATED, &SORTED)
}

/// The host is an e-mail provider.
pub fn is_mail_provider(host: &str) -> bool {
    static SORTED: OnceLock<Vec<&str>> = OnceLock::new();
    within_any(host, MAIL_PROVIDERS, &SORTED)
}

/// Either of the two above: nothing on this host is a candidate.
pub fn is_refused(host: &str) -> bool {
    is_not_federated(host) || is_mail_provider(host)
}

/// `user` is the mailbox of a role, not a person.
pub fn is_role_mailbox(user: &str) -> bool {
    ROLE_MAILBOXES.contains(&user)
}

/// The host's name says "fediverse server": a label such as `social`, `mastodon` or
/// `lemmy`, a label containing `todon`, `mstdn`, `fedi`…, a Bridgy Fed host, or a
/// well-known instance.
pub fn looks_federated(host: &str) -> bool {
    host.split('.').any(|label| {
        FEDI_LABELS.contains(&label) || FEDI_LABEL_PARTS.iter().any(|part| label.contains(part))
    }) || within(host, "brid.gy")
        || KNOWN_INSTANCES.contains(&host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusal_matches_whole_labels_only() {
        assert!(is_not_federated("www.youtube.com"));
        assert!(is_not_federated("en.pronouns.page"));
        assert!(is_not_federated("t.me"));
        assert!(!is_not_federated("neurodifferent.me"));
        assert!(!is_not_federated("notx.com"));
        assert!(is_mail_provider("gmail.com"));
        assert!(!is_mail_provider("notgmail.com"));
    }

    #[test]
    fn fediverse_looking_hosts() {
        for host in [
            "mastodon.online",
            "det.social",
            "social.coop",
            "mstdn.jp",
            "fosstodon.org",
            "fedibird.com",
            "lemmy.world",
            "hachyderm.io",
            "bsky.brid.gy",
            "toot.example",
        ] {
            assert!(looks_federated(host), "{host}");
        }
        for host in [
            "nytimes.com",
            "company.com",
            "socialbakers.com",
            "example.org",
            "tooting.co.uk",
        ] {
            assert!(!looks_federated(host), "{host}");
        }
    }
}
