//! The whole command line: every command, flag and help text, in one place.

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "Track watch items and the dated developments that move them; \
derive status reports and CSV timelines.";

const LONG_ABOUT: &str = "\
lookout keeps the \"what to watch next\" list of a briefing as watch items, records dated \
developments against them (plan releases, organisation launches, responses, with actors and \
sources), derives each item's status from those developments, and writes status reports and \
timelines.

Dates are EDTF: YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ? (uncertain), ~ \
(approximate) or % (both); or 'today' or 'yesterday'. A month-precise date covers the whole \
month, and every report can be asked as of any date.

Statuses: open, emerging, developing, stalled, realised, dropped.";

const EXAMPLES: &str = "\
Examples:
  lookout import fixtures/ai-action-plans-2025/*.csv
  lookout watch add intl-ai-org 'International AI cooperation organisation'
  lookout log 2025-07-26 'China proposes an international AI organisation' \\
      --watch intl-ai-org=emerging --kind statement --actor China
  lookout status --as-of 2025-08-01
  lookout timeline --watch intl-ai-org --format csv --output timeline.csv

The store is --db PATH, else $LOOKOUT_DB, else lookout/lookout.db in the user's data directory.
Exit codes: 0 ok, 2 usage, 65 bad data, 66 missing input file, 74 I/O or store error.";

#[derive(Debug, Parser)]
#[command(
    name = "lookout",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = EXAMPLES,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The store file [default: $LOOKOUT_DB, else lookout/lookout.db in the data directory]
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "LOOKOUT_DB",
        hide_env = true
    )]
    pub db: Option<PathBuf>,

    /// When to colour output: auto colours a terminal unless NO_COLOR is set
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Print no confirmations on stderr (errors still print)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Who makes the change, as "Name <email>"
    /// [default: $LOOKOUT_AUTHOR, else git's user.name and user.email, else the login name]
    #[arg(
        long,
        global = true,
        value_name = "NAME",
        env = "LOOKOUT_AUTHOR",
        hide_env = true
    )]
    pub author: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store (safe to run again)
    #[command(after_help = "Example:\n  lookout --db tracker.db init")]
    Init,

    /// Add, list, show, edit or remove watch items
    #[command(subcommand)]
    Watch(WatchCommand),

    /// Record a development; prints its new id on stdout
    #[command(after_help = "Examples:
  lookout log 2025-07-23 'US releases its AI Action Plan' --kind plan-release --actor US \\
      --watch us-counter-moves
  id=$(lookout log 2025-07 'EU responds' --watch intl-response=emerging --actor EU)
  lookout log today 'Councils meet' --watch us-counter-moves --source https://example.org/a")]
    Log(LogArgs),

    /// Show one development in full
    #[command(after_help = "Example:\n  lookout show 7k2m9q4x --format json")]
    Show(ShowArgs),

    /// Report each watch item's status as of a date
    #[command(after_help = "Examples:
  lookout status
  lookout status --as-of 2025-07 --stale-after 14
  lookout status --watch intl-ai-org --format json
  lookout status --format html --output status.html")]
    Status(StatusArgs),

    /// List developments in timeline order, filtered
    #[command(after_help = "Examples:
  lookout timeline --from 2025-07 --to 2025-07
  lookout timeline --watch intl-ai-org --kind statement --kind org-launch
  lookout timeline --actor China --format csv --output china.csv
  lookout timeline --format timelinejs --output timeline.json
  lookout timeline --format html --output timeline.html")]
    Timeline(TimelineArgs),

    /// Import watch items and developments from CSV or JSON Lines files, in one transaction
    #[command(after_help = "Examples:
  lookout import fixtures/ai-action-plans-2025/watch-items.csv fixtures/ai-action-plans-2025/developments.csv
  lookout import team-tracker.jsonl --dry-run
  lookout import colleague.csv --skip-invalid --rejects colleague-rejects.csv

A file's kind is told by its name (.jsonl) or its header: `slug,title,description,opened,tags`
for watch items, `id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at` for
developments (date, kind, watch and headline required; other columns optional). Kinds and watch
items are applied before developments. Any bad row refuses the whole run, naming file:line and
the column, unless --skip-invalid. Importing the same file again changes nothing; a row with a
known id and other content updates that development.")]
    Import(ImportArgs),

    /// Change a development: its date, headline, summary, kind, links, actors or sources
    #[command(after_help = "Examples:
  lookout edit jtce187y --date 2025-07-26 --headline 'Li Qiang proposes a global AI body'
  lookout edit jtce187y --watch intl-ai-org=developing --unwatch intl-response
  lookout edit jtce187y --no-actor --actor China --source https://example.org/report")]
    Edit(EditArgs),

    /// Withdraw a development from reports and search, keeping it and the reason
    #[command(
        after_help = "Example:\n  lookout retract 4fd2sax0 --reason 'The ministry denied the report'"
    )]
    Retract(RetractArgs),

    /// Show the change journal, newest first, in words
    #[command(after_help = "Examples:
  lookout history
  lookout history jtce187y
  lookout history --limit 5 --format json")]
    History(HistoryArgs),

    /// Revert the newest journal entry (an import run as a whole) and remove it
    #[command(after_help = "Example:\n  lookout undo && lookout undo   # the two newest entries")]
    Undo,

    /// Search headlines, summaries, actors and sources (SQLite FTS5 query syntax)
    #[command(after_help = "Examples:
  lookout search 'cooperation organisation'
  lookout search '\"action plan\" AND (China OR US)' --from 2025-07
  lookout search 'gover*' --watch intl-ai-org --format json
  lookout search 'actors:EU NOT India'

Words match whole tokens, case and accents aside; \"a phrase\" matches in order; prefix* matches
the start of a word; AND, OR, NOT and parentheses combine; column:word searches one of headline,
summary, actors, sources. Results are ranked by relevance (bm25), headline matches first.")]
    Search(SearchArgs),

    /// Export the whole tracker: JSON Lines (to share through git) or the timeline CSV
    #[command(after_help = "Examples:
  lookout export --output tracker.jsonl && git add tracker.jsonl
  lookout export --format csv --output everything.csv")]
    Export(ExportArgs),

    /// List the development kinds, or add one
    #[command(after_help = "Examples:\n  lookout kinds\n  lookout kinds add court-ruling")]
    Kinds(KindsArgs),

    /// List the actors with how many developments name each
    #[command(after_help = "Example:\n  lookout actors --format csv")]
    Actors(ListArgs),

    /// Copy the store consistently, even while other processes write to it
    #[command(after_help = "Example:\n  lookout backup ~/backups/tracker-$(date +%F).db")]
    Backup(BackupArgs),

    /// Check the store: SQLite integrity, foreign keys and lookout's own invariants
    #[command(after_help = "Example:\n  lookout check && echo sound")]
    Check,

    /// Print a shell completion script
    #[command(after_help = "Examples:
  lookout completions bash > ~/.local/share/bash-completion/completions/lookout
  lookout completions zsh > ~/.zfunc/_lookout
  lookout completions fish > ~/.config/fish/completions/lookout.fish")]
    Completions(CompletionsArgs),

    /// Print the manual page (roff)
    #[command(after_help = "Example:\n  lookout man > lookout.1 && man ./lookout.1")]
    Man,
}

#[derive(Debug, Subcommand)]
pub enum WatchCommand {
    /// Add a watch item
    #[command(after_help = "Example:
  lookout watch add intl-response 'International response to China'\\''s plan' \\
      --description 'Responses from the EU, India and the Global South' --tag eu --tag india")]
    Add(WatchAddArgs),

    /// List the watch items
    #[command(after_help = "Example:\n  lookout watch list --format csv")]
    List(ListArgs),

    /// A watch item's dossier: the question, its status history and every development
    #[command(
        after_help = "Examples:\n  lookout watch show intl-ai-org\n  lookout watch show intl-ai-org --format html --output intl-ai-org.html"
    )]
    Show(WatchShowArgs),

    /// Change a watch item's title, description, opened date or tags
    #[command(
        after_help = "Example:\n  lookout watch edit intl-ai-org --title 'Global AI body' --tag un --untag china"
    )]
    Edit(WatchEditArgs),

    /// Remove a watch item (its developments stay)
    #[command(after_help = "Example:\n  lookout watch remove old-question --force")]
    Remove(WatchRemoveArgs),
}

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
    /// A tag (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WatchShowArgs {
    pub slug: String,
    #[arg(long, value_enum, default_value_t = DossierFormat::Text)]
    pub format: DossierFormat,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("change")
        .required(true)
        .multiple(true)
        .args(["title", "description", "no_description", "opened", "tags", "untags"])
))]
pub struct WatchEditArgs {
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
    /// Add a tag (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Remove a tag (repeatable)
    #[arg(long = "untag", value_name = "TAG")]
    pub untags: Vec<String>,
}

#[derive(Debug, Args)]
pub struct WatchRemoveArgs {
    pub slug: String,
    /// Remove it even though developments are linked to it (the links go, the developments stay)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// When it happened: YYYY-MM-DD, YYYY-MM or YYYY, optionally with ? ~ %; or today, yesterday
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
    /// More detail
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub summary: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The development's id, as `log` printed it
    pub id: String,
    #[arg(long, value_enum, default_value_t = DetailFormat::Text)]
    pub format: DetailFormat,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report as the record stood on this date (the last day of its interval: 2025-07 means 2025-07-31)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Flag items quiet for more than this many days, unless realised or dropped
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub stale_after: u32,
    /// Only this watch item (repeatable)
    #[arg(long = "watch", short = 'w', value_name = "SLUG")]
    pub watch: Vec<String>,
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
}

/// Which developments a timeline or a search keeps. Repeating a filter means
/// any of its values; different filters must all hold.
#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only developments linked to this watch item (repeatable: any of them)
    #[arg(long = "watch", short = 'w', value_name = "SLUG")]
    pub watch: Vec<String>,
    /// Only developments of this kind (repeatable: any of them)
    #[arg(long = "kind", short = 'k', value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Only developments naming this actor (repeatable: any of them)
    #[arg(long = "actor", short = 'a', value_name = "ACTOR")]
    pub actors: Vec<String>,
    /// Only developments whose date starts on or after the start of this date
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only developments whose date starts on or before the end of this date
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
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
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files: timeline CSV, watch-items CSV, or JSON Lines (.jsonl) as `export` writes it
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

#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("change")
        .required(true)
        .multiple(true)
        .args(["date", "headline", "summary", "no_summary", "kind", "watch", "unwatch",
               "actors", "no_actor", "sources", "no_source"])
))]
pub struct EditArgs {
    /// The development's id
    pub id: String,
    /// A new date (EDTF)
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// A new headline
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub headline: Option<String>,
    /// A new summary
    #[arg(
        long,
        value_name = "TEXT",
        allow_hyphen_values = true,
        conflicts_with = "no_summary"
    )]
    pub summary: Option<String>,
    /// Remove the summary
    #[arg(long)]
    pub no_summary: bool,
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
pub struct HistoryArgs {
    /// Only entries about this development (or watch item slug, or kind)
    pub id: Option<String>,
    /// At most this many entries
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = limit_parser())]
    pub limit: u64,
    #[arg(long, value_enum, default_value_t = DetailFormat::Text)]
    pub format: DetailFormat,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for, in SQLite FTS5 query syntax
    #[arg(allow_hyphen_values = true)]
    pub query: String,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// At most this many results
    #[arg(long, value_name = "N", value_parser = limit_parser())]
    pub limit: Option<u64>,
    #[arg(long, value_enum, default_value_t = TimelineFormat::Text)]
    pub format: TimelineFormat,
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
    /// exports of one store are byte-identical; csv: the timeline CSV of every development
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    pub format: ExportFormat,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Args)]
pub struct KindsArgs {
    #[command(subcommand)]
    pub command: Option<KindsCommand>,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
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
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
    Csv,
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained page with an SVG timeline
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    Text,
    Csv,
    Json,
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained page with an SVG timeline
    Html,
    /// The JSON Knight Lab's TimelineJS loads
    Timelinejs,
    /// The CSV of TimelineJS's spreadsheet template
    TimelinejsSheet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DossierFormat {
    Text,
    Json,
    /// GitHub-flavoured Markdown
    Md,
    /// One self-contained page with an SVG timeline
    Html,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DetailFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Csv,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_an_example() {
        fn visit(cmd: &clap::Command, path: &str) {
            for sub in cmd.get_subcommands() {
                let name = format!("{path} {}", sub.get_name());
                if sub.has_subcommands() && sub.get_after_help().is_none() {
                    visit(sub, &name);
                    continue;
                }
                let help = sub
                    .get_after_help()
                    .map(|h| h.to_string())
                    .unwrap_or_default();
                assert!(help.contains("lookout "), "{name} has no example");
                visit(sub, &name);
            }
        }
        visit(&Cli::command(), "lookout");
    }
}
