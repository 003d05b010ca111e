//! Which searches `find --reverse` makes, and what they cost before any is made. Pure.
//!
//! Per account sought: its username, each past username, and its display name when that is
//! not just the username again (see the module docs of [`super`] for why these shapes).
//! Queries are compared without case, so two accounts with the same display name cost one
//! search per instance. The [`Plan`] counts what is left after the cache: the number said
//! before the searches start.

use std::collections::BTreeSet;

use super::backlink::Wanted;

/// The longest query sent (a display name can be long; search needs only its start).
const MAX_QUERY_CHARS: usize = 60;

/// One search: the text, on an instance (its key, `host` or `host:port`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Query {
    pub instance: String,
    pub text: String,
}

impl Query {
    /// The cache key: instance and text, without case.
    pub fn key(&self) -> String {
        format!(
            "search {} {}",
            self.instance.to_ascii_lowercase(),
            self.text.to_lowercase()
        )
    }
}

/// One account to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sought {
    /// Its index in the list of followed accounts.
    pub index: usize,
    pub wanted: Wanted,
}

/// The searches of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Every distinct search, in the order they are made (instance by instance).
    pub queries: Vec<Query>,
    /// How many of them the cache answers.
    pub cached: usize,
    /// Accounts looked for.
    pub accounts: usize,
}

impl Plan {
    /// Searches that go over the network.
    pub fn to_ask(&self) -> usize {
        self.queries.len() - self.cached
    }

    /// One line for the user: how many searches, on how many instances, how many cached.
    pub fn describe(&self) -> String {
        let instances: BTreeSet<&str> = self.queries.iter().map(|q| q.instance.as_str()).collect();
        let n = |count: usize| crate::ui::thousands(count as u64);
        let cached = match self.cached {
            0 => String::new(),
            c => format!(" ({} answered from the cache)", n(c)),
        };
        format!(
            "{} search(es) for {} account(s) on {} instance(s){cached}: {} to make",
            n(self.queries.len()),
            n(self.accounts),
            instances.len(),
            n(self.to_ask())
        )
    }
}

/// The search texts for one account: usernames (current first), then the display name.
pub fn texts(wanted: &Wanted) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    let mut push = |text: String| {
        if !text.is_empty() && !texts.iter().any(|t| t.eq_ignore_ascii_case(&text)) {
            texts.push(text);
        }
    };
    for name in &wanted.usernames {
        push(name.trim().trim_start_matches('@').to_string());
    }
    if let Some(display) = wanted.display_name.as_deref().map(display_query) {
        let plain = letters(&display);
        let is_username = wanted.usernames.iter().any(|u| letters(u) == plain);
        if plain.chars().count() >= 3 && !is_username {
            push(display);
        }
    }
    texts
}

/// A display name as a query: the part before any `|`, `/`, `·`, `•`, `(` or `[` (pronouns
/// and decorations follow those), letters, digits and inner spaces, dashes, dots and `_`
/// only (emoji match nothing; every word must match), at most [`MAX_QUERY_CHARS`].
fn display_query(name: &str) -> String {
    let name = name
        .split(['|', '/', '·', '•', '(', '['])
        .next()
        .unwrap_or("");
    let kept: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '\'') {
                c
            } else {
                ' '
            }
        })
        .collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    words
        .join(" ")
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect::<String>()
        .trim()
        .to_string()
}

fn letters(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every search for `sought` on each of `instances`, without repeats; `is_cached` says which
/// the cache answers.
pub fn plan(sought: &[Sought], instances: &[String], is_cached: impl Fn(&Query) -> bool) -> Plan {
    let mut seen = BTreeSet::new();
    let mut queries = Vec::new();
    for instance in instances {
        for one in sought {
            for text in texts(&one.wanted) {
                let query = Query {
                    instance: instance.clone(),
                    text,
                };
                if seen.insert(query.key()) {
                    queries.push(query);
                }
            }
        }
    }
    let cached = queries.iter().filter(|q| is_cached(q)).count();
    Plan {
        queries,
        cached,
        accounts: sought.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wanted(names: &[&str], display: Option<&str>) -> Wanted {
        Wanted {
            usernames: names.iter().map(|n| n.to_string()).collect(),
            display_name: display.map(String::from),
        }
    }

    #[test]
    fn usernames_then_a_display_name_that_says_more() {
        let cases: [(&[&str], Option<&str>, &[&str]); 6] = [
            (&["alice"], None, &["alice"]),
            (&["alice"], Some("Alice"), &["alice"]),
            (
                &["alice", "old_alice", "ALICE"],
                Some("Alice Example 🌻"),
                &["alice", "old_alice", "Alice Example"],
            ),
            (&["bo"], Some("🐘 Bo ✨"), &["bo"]),
            (&["jd"], Some("J. D."), &["jd"]),
            (
                &["x1"],
                Some("Dr. Ann-Marie O'Neil | she/her"),
                &["x1", "Dr. Ann-Marie O'Neil"],
            ),
        ];
        for (names, display, want) in cases {
            assert_eq!(
                texts(&wanted(names, display)),
                want,
                "{names:?} {display:?}"
            );
        }
    }

    #[test]
    fn the_plan_counts_distinct_searches_and_the_cached_ones() {
        let sought = vec![
            Sought {
                index: 0,
                wanted: wanted(&["alice"], Some("Alice Example")),
            },
            Sought {
                index: 3,
                wanted: wanted(&["ALICE"], None),
            },
            Sought {
                index: 4,
                wanted: wanted(&["bob"], Some("alice example")),
            },
        ];
        let instances = ["home.example".to_string(), "other.example".to_string()];
        let plan = plan(&sought, &instances, |q| q.instance == "other.example");
        assert_eq!(plan.queries.len(), 6, "{:?}", plan.queries);
        assert_eq!((plan.cached, plan.to_ask(), plan.accounts), (3, 3, 3));
        assert_eq!(
            plan.describe(),
            "6 search(es) for 3 account(s) on 2 instance(s) (3 answered from the cache): 3 to make"
        );
        assert_eq!(
            plan.queries[0].key(),
            "search home.example alice",
            "keys ignore case"
        );
    }
}
