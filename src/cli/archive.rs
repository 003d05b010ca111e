//! Arguments of the archive commands: `inspect` and `export`.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

/// `fedimigrate inspect ARCHIVE`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The archive: the .zip X gave you, or the folder it unpacks to
    pub archive: PathBuf,

    /// Print one JSON document instead of the human summary
    #[arg(long)]
    pub json: bool,
}

/// `fedimigrate export ARCHIVE --what …`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The archive: the .zip X gave you, or the folder it unpacks to
    pub archive: PathBuf,

    /// Which records to write
    #[arg(long, value_enum)]
    pub what: ExportWhat,

    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,

    /// Write to FILE instead of standard output (`-` is standard output)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The record kinds `export` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportWhat {
    Following,
    Followers,
    Blocks,
    Mutes,
    Tweets,
    Likes,
    Lists,
}

/// Output formats for `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
    Jsonl,
}

impl InspectArgs {
    /// Converts into the command's config.
    pub fn into_config(self) -> crate::commands::inspect::Config {
        crate::commands::inspect::Config {
            archive: self.archive,
            json: self.json,
        }
    }
}

impl ExportArgs {
    /// Converts into the command's config.
    pub fn into_config(self) -> crate::commands::export::Config {
        use crate::commands::export::{Format, What};
        crate::commands::export::Config {
            archive: self.archive,
            what: match self.what {
                ExportWhat::Following => What::Following,
                ExportWhat::Followers => What::Followers,
                ExportWhat::Blocks => What::Blocks,
                ExportWhat::Mutes => What::Mutes,
                ExportWhat::Tweets => What::Tweets,
                ExportWhat::Likes => What::Likes,
                ExportWhat::Lists => What::Lists,
            },
            format: match self.format {
                ExportFormat::Csv => Format::Csv,
                ExportFormat::Json => Format::Json,
                ExportFormat::Jsonl => Format::Jsonl,
            },
            output: self.output,
        }
    }
}
