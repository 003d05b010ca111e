//! Finding friends: fediverse handles (parse, normalise), extraction from profile text (pure),
//! profile records and profile files, profile sources (the X API), verification (WebFinger,
//! host-meta, NodeInfo) and its on-disk cache.

pub mod cache;
pub mod extract;
pub mod friends;
pub mod handle;
pub mod import_csv;
pub mod matches;
pub mod profile;
pub mod profile_file;
pub mod reverse;
pub mod verify;
pub mod xapi;

pub use extract::{Bridge, Candidate, ExtractOptions, Field, Rule, extract};
pub use handle::{Handle, HandleError};
pub use profile::{Evidence, Finding, Profile, ProfileSource, Source, candidates, merge_profiles};
pub use profile_file::{Format as ProfileFileFormat, ProfileFile, ProfileFileError};
