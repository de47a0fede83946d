//! The arguments of each command, every flag documented where it is defined.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};

use super::choices::{
    ChangesFormat, DetailFormat, DossierFormat, ExportFormat, ListFormat, Shell, StatusFormat,
    TimelineFormat,
};
use super::texts::{TextArgs, TextEditArgs};

#[derive(Debug, Args)]
pub struct WatchAddArgs {
    /// Stable handle: lowercase letters, digits and hyphens, at most 64 characters
    pub slug: String,
    /// What is being watched, in a line
    pub title: String,
    /// The question, and what would count as realised
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// When watching began (EDTF date) [default: today]
    #[arg(long, value_name = "DATE")]
    pub opened: Option<String>,
    /// A tag, one word (repeatable: --tag eu --tag ai-act)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WatchShowArgs {
    /// The watch item to show (its slug, as `lookout watch list` gives it)
    pub slug: String,
    #[arg(long, value_enum, default_value_t = DossierFormat::Text)]
    pub format: DossierFormat,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

// The changes `edit` needs at least one of. The free texts' flags join the
// group where they are defined (`texts`); the summary's are named here too,
// to keep their place in the usage line.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("change")
        .required(true)
        .multiple(true)
        .args(["title", "description", "no_description", "opened", "tags", "untags"])
))]
pub struct WatchEditArgs {
    /// The watch item to change (its slug; a slug is never renamed)
    pub slug: String,
    /// A new title
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// A new description
    #[arg(long, value_name = "TEXT", conflicts_with = "no_description")]
    pub description: Option<String>,
    /// Remove the description
    #[arg(long)]
    pub no_description: bool,
    /// A new opened date (EDTF)
    #[arg(long, value_name = "DATE")]
    pub opened: Option<String>,
    /// Add a tag, one word (repeatable: --tag eu --tag ai-act)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long = "untag", value_name = "TAG")]
    pub untags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WatchRemoveArgs {
    /// The watch item to remove (its slug)
    pub slug: String,
    /// Remove it even though developments are linked to it (the links go, the developments stay)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// When it happened (or is due): YYYY-MM-DD, YYYY-MM or YYYY, optionally with ? ~ %; an
    /// interval A/B; ../B for some time up to B; or today, yesterday
    pub date: String,
    /// What happened, in a line
    #[arg(allow_hyphen_values = true)]
    pub headline: String,
    /// A watch item it bears on, optionally with the status it moves to: SLUG or SLUG=STATUS (repeatable)
    #[arg(long = "watch", short = 'w', value_name = "SLUG[=STATUS]")]
    pub watch: Vec<String>,
    /// Its kind (see `lookout kinds`)
    #[arg(long, short = 'k', default_value = "other", value_name = "KIND")]
    pub kind: String,
    /// A country, bloc or organisation involved (repeatable)
    #[arg(long = "actor", short = 'a', value_name = "ACTOR")]
    pub actors: Vec<String>,
    /// Where it was reported: a URL or a citation (repeatable)
    #[arg(long = "source", short = 's', value_name = "URL")]
    pub sources: Vec<String>,
    #[command(flatten)]
    pub texts: TextArgs,
    /// It is due, not done (a deadline, a summit): it never moves a status, and reports list it
    /// as next scheduled or overdue until `edit ID --occurred` records that it happened
    #[arg(long)]
    pub scheduled: bool,
    /// Log it even if a development with the same date, watch items and headline is recorded
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The development's id, as `log` printed it
    pub id: String,
    #[arg(long, value_enum, default_value_t = DetailFormat::Text)]
    pub format: DetailFormat,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report where things stood on this date by the developments' own dates (the last day of
    /// its interval: 2025-07 means 2025-07-31). A development counts whenever it was recorded,
    /// even after this date: this is not the report the record gave on that day
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Flag items quiet for more than this many days, unless realised or dropped
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 30,
        allow_negative_numbers = true
    )]
    pub stale_after: u32,
    /// Only this watch item (repeatable: any of them)
    #[arg(long = "watch", short = 'w', value_name = "SLUG")]
    pub watch: Vec<String>,
    /// Only watch items carrying this tag (repeatable: any of them)
    #[arg(long = "tag", short = 't', value_name = "TAG")]
    pub tags: Vec<String>,
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// The date of the last note: the status as of it is the "before" (the last day of its
    /// interval, as --as-of: 2025-07 means 2025-07-31)
    #[arg(long, value_name = "DATE")]
    pub since: String,
    /// The date of this note: the status as of it is the "after" [default: today]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// List what is scheduled up to this many days after --until
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 90,
        allow_negative_numbers = true
    )]
    pub ahead: u32,
    /// Flag items quiet for more than this many days, unless realised or dropped
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 30,
        allow_negative_numbers = true
    )]
    pub stale_after: u32,
    /// Only this watch item (repeatable: any of them)
    #[arg(long = "watch", short = 'w', value_name = "SLUG")]
    pub watch: Vec<String>,
    /// Only watch items carrying this tag (repeatable: any of them)
    #[arg(long = "tag", short = 't', value_name = "TAG")]
    pub tags: Vec<String>,
    #[arg(long, value_enum, default_value_t = ChangesFormat::Text)]
    pub format: ChangesFormat,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

/// Which developments a timeline or a search keeps. Repeating a filter means
/// any of its values; different filters must all hold.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only developments linked to this watch item (repeatable: any of them)
    #[arg(long = "watch", short = 'w', value_name = "SLUG")]
    pub watch: Vec<String>,
    /// Only developments linked to a watch item carrying this tag (repeatable: any of them)
    #[arg(long = "tag", short = 't', value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only developments of this kind (repeatable: any of them)
    #[arg(long = "kind", short = 'k', value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only developments naming this actor (repeatable: any of them)
    #[arg(long = "actor", short = 'a', value_name = "ACTOR")]
    pub actors: Vec<String>,
    /// Only developments whose date starts on or after the start of this date (an open start
    /// ../B is kept when B ends on or after it)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only developments whose date starts on or before the end of this date (an open start ../B
    /// is kept when B ends by then)
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only scheduled developments: due, not yet recorded as having happened
    #[arg(long, conflicts_with = "occurred")]
    pub scheduled: bool,
    /// Only developments that are not scheduled: recorded as having happened
    #[arg(long)]
    pub occurred: bool,
    /// Only developments recorded (UTC day) on or after the start of this date, whatever
    /// their own date: what was logged this week
    #[arg(long, value_name = "DATE")]
    pub recorded_since: Option<String>,
}

#[derive(Debug, Args)]
pub struct TimelineArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
    pub format: TimelineFormat,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files: timeline CSV, watch-items CSV, or JSON Lines (.jsonl) as `export` writes it; a
    /// folder (a checkout of a shared tracker) stands for its .jsonl files
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Report what would be added, updated and left unchanged; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Store the good rows and leave out the bad ones (exit 65 when any was left out)
    #[arg(long)]
    pub skip_invalid: bool,
    /// With --skip-invalid: write each bad row here, as it was read, with an `error` column
    #[arg(long, value_name = "FILE", requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
}

// The changes `edit` needs at least one of. The free texts' flags join the
// group where they are defined (`texts`); the summary's are named here too,
// to keep their place in the usage line.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("change")
        .required(true)
        .multiple(true)
        .args(["date", "headline", "summary", "no_summary", "kind", "watch", "unwatch",
               "actors", "no_actor", "sources", "no_source", "occurred"])
))]
pub struct EditArgs {
    /// The development's id
    pub id: String,
    /// A new date (EDTF, an interval A/B or ../B too)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Record that a scheduled development happened, keeping its id (with --date when it
    /// happened on another date than was due). Its time of recording becomes now, so it counts
    /// from the end of its date, or from today if that is earlier and its date has started
    #[arg(long)]
    pub occurred: bool,
    /// A new headline
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub headline: Option<String>,
    #[command(flatten)]
    pub texts: TextEditArgs,
    /// A new kind
    #[arg(long, short = 'k', value_name = "KIND")]
    pub kind: Option<String>,
    /// Link to a watch item, or change the status a link sets: SLUG or SLUG=STATUS (repeatable);
    /// a plain SLUG already linked keeps its status
    #[arg(long = "watch", short = 'w', value_name = "SLUG[=STATUS]")]
    pub watch: Vec<String>,
    /// Remove the link to a watch item (repeatable; with --watch SLUG, relinks it without a status)
    #[arg(long = "unwatch", value_name = "SLUG")]
    pub unwatch: Vec<String>,
    /// Add an actor (repeatable)
    #[arg(long = "actor", short = 'a', value_name = "ACTOR")]
    pub actors: Vec<String>,
    /// Remove every actor first (then --actor adds)
    #[arg(long)]
    pub no_actor: bool,
    /// Add a source (repeatable)
    #[arg(long = "source", short = 's', value_name = "URL")]
    pub sources: Vec<String>,
    /// Remove every source first (then --source adds)
    #[arg(long)]
    pub no_source: bool,
}

#[derive(Debug, Args)]
pub struct RetractArgs {
    /// The development's id
    pub id: String,
    /// Why it is withdrawn: kept with it, shown by `show` and `history`
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Say what undo would revert, and whether it could, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct UnretractArgs {
    /// The retracted development's id
    pub id: String,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only entries about this development (or watch item slug, or kind)
    pub id: Option<String>,
    /// Only entries made (UTC day) on or after the start of this date
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// At most this many entries
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = limit_parser())]
    pub limit: u64,
    #[arg(long, value_enum, default_value_t = DetailFormat::Text)]
    pub format: DetailFormat,
    /// Show undone entries too, each saying when it was undone and by whom
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for, in SQLite FTS5 query syntax
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Show the best N matches [default: 20]
    #[arg(long, value_name = "N", value_parser = limit_parser(), conflicts_with = "all")]
    pub limit: Option<u64>,
    /// Show every match, best first
    #[arg(long)]
    pub all: bool,
    #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
    pub format: TimelineFormat,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The shared repository: a git URL or a path (needed the first time only)
    pub remote: Option<String>,
    /// Merge this store into the tracker as it is now, with no agreed base: after the shared
    /// repository was rewritten or replaced, or the sync cache lost. A record on one side only
    /// is kept; on both sides, the newer change wins field by field, each conflict named
    #[arg(long)]
    pub rejoin: bool,
    /// Give the remote up when it sends nothing for this many seconds (exit 74, the store
    /// unchanged)
    #[arg(long, value_name = "SECS", default_value_t = 60,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
}

/// A `--limit N`: a count SQLite can take (at most i64::MAX), refused as a
/// usage error otherwise, like any number that is not one.
fn limit_parser() -> clap::builder::RangedU64ValueParser<u64> {
    clap::value_parser!(u64).range(0..=i64::MAX as u64)
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new file)
    pub dest: PathBuf,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// jsonl: everything, retracted developments included, one record a line, sorted so that
    /// exports of one store are byte-identical; csv: the timeline CSV of every development that
    /// counts (retracted ones are left out: only jsonl keeps them)
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

#[derive(Debug, Args)]
pub struct KindsArgs {
    #[command(subcommand)]
    pub command: Option<KindsCommand>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ActorsArgs {
    #[command(subcommand)]
    pub command: Option<ActorsCommand>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum ActorsCommand {
    /// Rename an actor in every development that names it (merging it into NEW if NEW exists)
    #[command(
        after_help = "Example:\n  lookout actors rename 'Global South' 'Developing countries'"
    )]
    Rename {
        /// The actor as developments name it now
        old: String,
        /// The name it should have
        new: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KindsCommand {
    /// Add a kind to the vocabulary
    #[command(after_help = "Example:\n  lookout kinds add court-ruling")]
    Add {
        /// Lowercase letters, digits and hyphens
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
    #[command(flatten)]
    pub known: KnownOnArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// One command's page (`log`, `watch add`) instead of the whole manual
    #[arg(value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// `--known-on`, on every command that reads the tracker.
#[derive(Debug, Args)]
pub struct KnownOnArgs {
    /// Report what the store knew at this moment: a day (the end of that UTC day) or an RFC 3339
    /// time. Every journal entry made after it is set aside for this read, as undo would revert
    /// it; nothing in the store changes. Combines with --as-of
    #[arg(long, value_name = "WHEN")]
    pub known_on: Option<String>,
}
