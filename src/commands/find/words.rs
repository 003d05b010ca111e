//! The words `find` uses for the accounts of each list (`--relation`): "followed accounts",
//! "blocked accounts", "muted accounts", in the report and the warnings. Only words: what
//! each list means for the work is decided in `discover`.

use crate::discover::matches::Relation;

/// The phrases that change with the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// `followed`, `blocked`, `muted`.
    pub past: &'static str,
    /// `you follow`, `you blocked`, `you muted`.
    pub you: &'static str,
    /// The archive file: `following.js`, `block.js`, `mute.js`.
    pub file: &'static str,
    /// Who the instance table is about: `your friends`, `the accounts you blocked`…
    pub whose: &'static str,
    /// The instance table's count column (at most 7 characters).
    pub column: &'static str,
    /// Profile records left out, as in "3 profile record(s) {not_listed}".
    pub not_listed: &'static str,
}

impl Words {
    pub fn of(relation: Relation) -> Self {
        match relation {
            Relation::Following => Words {
                past: "followed",
                you: "you follow",
                file: "following.js",
                whose: "your friends",
                column: "friends",
                not_listed: "of accounts you do not follow",
            },
            Relation::Blocks => Words {
                past: "blocked",
                you: "you blocked",
                file: "block.js",
                whose: "the accounts you blocked",
                column: "blocked",
                not_listed: "that match no account you blocked",
            },
            Relation::Mutes => Words {
                past: "muted",
                you: "you muted",
                file: "mute.js",
                whose: "the accounts you muted",
                column: "muted",
                not_listed: "that match no account you muted",
            },
        }
    }

    /// `Followed accounts`, `Blocked accounts`, `Muted accounts`.
    pub fn title(&self) -> String {
        let mut chars = self.past.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase());
        format!("{}{} accounts", first.unwrap_or_default(), chars.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_columns_fit_the_report() {
        let all = [Relation::Following, Relation::Blocks, Relation::Mutes];
        let titles: Vec<String> = all.iter().map(|r| Words::of(*r).title()).collect();
        assert_eq!(
            titles,
            ["Followed accounts", "Blocked accounts", "Muted accounts"]
        );
        for relation in all {
            let words = Words::of(relation);
            assert!(words.title().len() < 19, "{words:?}");
            assert!(words.column.len() <= 7, "{words:?}");
        }
    }
}
