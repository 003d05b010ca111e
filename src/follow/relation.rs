//! The three relations the tool sets in bulk (follow, block, mute), their undo, and the
//! outcome of one action: the words the plan, the journal, `--jsonl` and the summary share.

use serde::{Deserialize, Serialize};

/// What is done to each account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Follow,
    Block,
    Mute,
}

impl Relation {
    /// `follow`, `block`, `mute` (also the subcommand's name).
    pub fn verb(self) -> &'static str {
        match self {
            Relation::Follow => "follow",
            Relation::Block => "block",
            Relation::Mute => "mute",
        }
    }

    /// `unfollow`, `unblock`, `unmute`.
    pub fn undo_verb(self) -> &'static str {
        match self {
            Relation::Follow => "unfollow",
            Relation::Block => "unblock",
            Relation::Mute => "unmute",
        }
    }

    /// The journal's name: `following`, `blocks`, `mutes`.
    pub fn journal_name(self) -> &'static str {
        match self {
            Relation::Follow => "following",
            Relation::Block => "blocks",
            Relation::Mute => "mutes",
        }
    }

    /// The outcome of doing it to an account that was not in this relation yet.
    pub fn done(self) -> Outcome {
        match self {
            Relation::Follow => Outcome::Followed,
            Relation::Block => Outcome::Blocked,
            Relation::Mute => Outcome::Muted,
        }
    }

    /// The outcome of undoing it.
    pub fn undone(self) -> Outcome {
        match self {
            Relation::Follow => Outcome::Unfollowed,
            Relation::Block => Outcome::Unblocked,
            Relation::Mute => Outcome::Unmuted,
        }
    }

    /// The outcome when the account was already in this relation before we acted.
    pub fn already(self) -> Outcome {
        match self {
            Relation::Follow => Outcome::AlreadyFollowing,
            Relation::Block => Outcome::AlreadyBlocking,
            Relation::Mute => Outcome::AlreadyMuting,
        }
    }
}

/// What happened to one account (`--jsonl`'s `result`, the journal's `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Followed,
    /// A follow request to a locked account, waiting for its owner.
    Requested,
    Blocked,
    Muted,
    AlreadyFollowing,
    AlreadyRequested,
    AlreadyBlocking,
    AlreadyMuting,
    /// The instance found no account with that address.
    NotFound,
    /// The instance refused (403: they block you, or your instance blocks theirs).
    Forbidden,
    /// The action failed (5xx, timeout after retries, 422); a rerun tries again.
    Failed,
    Unfollowed,
    Unblocked,
    Unmuted,
    /// Not acted on: a duplicate, yourself, unverified, over the follow cap, past `--limit`.
    Skipped,
}

impl Outcome {
    /// True when our action put the account into the relation (what an undo takes back).
    pub fn is_our_doing(self) -> bool {
        matches!(
            self,
            Outcome::Followed | Outcome::Requested | Outcome::Blocked | Outcome::Muted
        )
    }

    /// True when nothing is left to do for the account in this run (a failure is retried).
    pub fn is_settled(self) -> bool {
        !matches!(self, Outcome::Failed | Outcome::Skipped)
    }

    /// The snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Followed => "followed",
            Outcome::Requested => "requested",
            Outcome::Blocked => "blocked",
            Outcome::Muted => "muted",
            Outcome::AlreadyFollowing => "already_following",
            Outcome::AlreadyRequested => "already_requested",
            Outcome::AlreadyBlocking => "already_blocking",
            Outcome::AlreadyMuting => "already_muting",
            Outcome::NotFound => "not_found",
            Outcome::Forbidden => "forbidden",
            Outcome::Failed => "failed",
            Outcome::Unfollowed => "unfollowed",
            Outcome::Unblocked => "unblocked",
            Outcome::Unmuted => "unmuted",
            Outcome::Skipped => "skipped",
        }
    }

    /// How people read it in a summary: `followed`, `already followed`, `not found`.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::AlreadyFollowing => "already followed",
            Outcome::AlreadyRequested => "already requested",
            Outcome::AlreadyBlocking => "already blocked",
            Outcome::AlreadyMuting => "already muted",
            Outcome::NotFound => "not found",
            other => other.name(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_serialised_form() {
        let all = [
            Outcome::Followed,
            Outcome::Requested,
            Outcome::Blocked,
            Outcome::Muted,
            Outcome::AlreadyFollowing,
            Outcome::AlreadyRequested,
            Outcome::AlreadyBlocking,
            Outcome::AlreadyMuting,
            Outcome::NotFound,
            Outcome::Forbidden,
            Outcome::Failed,
            Outcome::Unfollowed,
            Outcome::Unblocked,
            Outcome::Unmuted,
            Outcome::Skipped,
        ];
        for outcome in all {
            let json = serde_json::to_string(&outcome).unwrap();
            assert_eq!(json, format!("\"{}\"", outcome.name()));
        }
    }

    #[test]
    fn only_our_actions_are_undone_and_failures_retried() {
        assert!(Outcome::Requested.is_our_doing());
        assert!(!Outcome::AlreadyFollowing.is_our_doing());
        assert!(!Outcome::Failed.is_settled());
        assert!(Outcome::NotFound.is_settled());
        assert_eq!(Relation::Mute.already(), Outcome::AlreadyMuting);
    }
}
