//! The whole command line: every command, flag and help text, in one place
//! — the commands here, their arguments in `args`, the fixed choices of
//! values (formats, colour, shells) in `choices`.

use std::path::PathBuf;

mod args;
mod choices;
mod inbox;
mod texts;

pub(crate) use args::*;
pub(crate) use choices::*;
pub(crate) use inbox::*;

use clap::{Parser, Subcommand};

const ABOUT: &str = "Track watch items and the dated developments that move them; \
derive status reports and CSV timelines.";

const LONG_ABOUT: &str = "\
lookout keeps the \"what to watch next\" list of a briefing as watch items, records dated \
developments against them (plan releases, organisation launches, responses, with actors and \
sources), derives each item's status from those developments, and writes status reports and \
timelines.

Dates are EDTF: YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ? (uncertain), ~ \
(approximate) or % (both); an interval A/B of two such dates (some time in it); ../B (some time \
up to B, with no first day); or 'today' or 'yesterday'. A month-precise date covers the whole \
month. A development counts in reports from the day it had certainly happened: the end of its \
date, or the day it was recorded if that is earlier; before that, once its date has started, it \
may have happened, and a report names the status it would give as provisional (stalled?). A \
scheduled development (log --scheduled) is due, not done: it never counts until recorded as \
having happened (edit --occurred). Every report can be asked as of any date.

Statuses: open, emerging, developing, stalled, realised, dropped.";

const EXAMPLES: &str = "\
Examples:
  lookout import fixtures/ai-action-plans-2025/*.csv
  lookout status --as-of 2025-08-01
  lookout watch add india-response \"India's response to China's global AI action plan\" --tag india
  lookout log 2025-07-26 'China proposes an international AI organisation' \\
      --watch intl-ai-org=emerging --kind statement --actor China
  lookout timeline --watch intl-ai-org --format csv --output timeline.csv

The store is --db PATH, else $LOOKOUT_DB, else lookout/lookout.db in the user's data directory.
Exit codes: 0 ok, 2 usage, 65 bad data, 66 missing input file, 74 I/O or store error,
75 some feeds not read (fetch).";

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
    // $LOOKOUT_DB is read by `Ctx`, not by clap: clap would print a flag
    // given by the environment in every usage line, as if it were required.
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "PATH"
    )]
    pub(crate) db: Option<PathBuf>,

    /// When to colour output: auto colours a terminal unless NO_COLOR is set
    #[arg(long, global = true, help_heading = "Global options", value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,

    /// Print no confirmations on stderr (errors still print)
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub(crate) quiet: bool,

    /// Show every column of a text table, whatever the terminal's width; nothing is cut
    #[arg(long, global = true, help_heading = "Global options")]
    pub(crate) wide: bool,

    /// Begin CSV output with a UTF-8 byte-order mark, for spreadsheets that guess the encoding
    #[arg(long, global = true, help_heading = "Global options")]
    pub(crate) bom: bool,

    /// Who makes the change, as "Name <email>"
    /// [default: $LOOKOUT_AUTHOR, else git's user.name and user.email, else the login name]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "NAME"
    )]
    pub(crate) author: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Create the store (safe to run again); on an existing store, fold its
    /// write-ahead log into the store file, so that the file alone holds everything
    #[command(after_help = "Example:\n  lookout --db tracker.db init")]
    Init,

    /// Add, list, show, edit or remove watch items
    #[command(subcommand)]
    Watch(WatchCommand),

    /// Record a development; prints its new id on stdout
    #[command(after_help = "Examples:
  lookout log 2025-07-23 'The Trump administration releases a comprehensive AI Action Plan' \\
      --kind plan-release --actor US --watch us-counter-moves
  id=$(lookout log 2025-07 'EU responds' --watch intl-response=emerging --actor EU)
  lookout log today 'Councils meet' --watch us-counter-moves --source https://example.org/a
  lookout log ../2025-07 'US forms AI Innovation Councils' --watch us-counter-moves=emerging \\
      --summary 'Newly formed by the article of July 2025, which gives no date'
  lookout log 2026-08-02 'EU AI Act obligations apply' --scheduled --watch intl-response

A development dated after today is logged with a warning, unless --scheduled says it is due.")]
    Log(LogArgs),

    /// Show one development in full
    #[command(after_help = "Example:\n  lookout show jtce187y --format json")]
    Show(ShowArgs),

    /// Report each watch item's status as of a date
    #[command(after_help = "Examples:
  lookout status
  lookout status --as-of 2025-07 --stale-after 14
  lookout status --watch intl-ai-org --format json
  lookout status --tag china --tag eu
  lookout status --format html --output status.html

A development counts from the day it had certainly happened: the end of its date, or the day it
was recorded if that is earlier. Before that, once its date has started, it may have happened:
when that would give another status, the report shows it beside the status (open emerging?).
Scheduled developments never count; each item shows the next one due, and those overdue.")]
    Status(StatusArgs),

    /// What moved between two dates: the "what changed" note of a weekly briefing
    #[command(after_help = "Examples:
  lookout changes --since 2025-07-25 --until 2025-08-01
  lookout changes --since 2025-07-25 --until 2025-08-01 --format md --output week-31.md
  lookout changes --since 2025-07-25 --until 2025-08-01 --tag china --format html \\
      --output week-31.html
  lookout changes --since 2025-07-25 --until 2025-08-01 --format json
  lookout changes --since 2025-07-25     # up to today: after a week, the last week

--until defaults to today, so a --since of long ago makes a long window.

Items whose status moved come first (the status as of --since, then as of --until, and each
change between them with its date and development), then the developments that came to count
in the window by item with their sources, news recorded in the window about earlier dates, items
that went stale, and what is due: scheduled developments starting within --ahead days, and
those overdue. Items where nothing changed are counted in one line. A development counts from
the day it had certainly happened: one that did on --since is before the window, one that did
on --until inside it.

The note says what the dates allow: a new development whose date may lie before the window
is marked (\"some time in 2025-07\", \"undated: some time up to 2025-07-31\"); two status
changes whose dates overlap, so that their order is the timeline's and not the dates', are marked
\"order uncertain\" (JSON: \"overlapping\"); and corrections list what the note as known on
--since counted and has since been retracted, re-dated or re-linked.")]
    Changes(ChangesArgs),

    /// List developments in timeline order, filtered
    #[command(after_help = "Examples:
  lookout timeline --from 2025-07 --to 2025-07
  lookout timeline --scheduled --watch intl-response
  lookout timeline --watch intl-ai-org --kind statement --kind org-launch
  lookout timeline --tag china --recorded-since 2025-07-28     # what was logged this week
  lookout timeline --actor China --format csv --output china.csv
  lookout timeline --format timelinejs --output timeline.json
  lookout timeline --format html --output timeline.html")]
    Timeline(TimelineArgs),

    /// Import watch items and developments from CSV or JSON Lines files, in one transaction
    #[command(after_help = "Examples:
  lookout import fixtures/ai-action-plans-2025/watch-items.csv \\
      fixtures/ai-action-plans-2025/developments.csv
  lookout export --output team-tracker.jsonl && lookout import team-tracker.jsonl --dry-run
  lookout import colleague.csv --skip-invalid --rejects colleague-rejects.csv

A file's kind is told by its name (.jsonl) or its header: `slug,title,description,opened,tags`
for watch items, `id,date,precision,kind,watch,actors,headline,summary,sources,recorded_at,start,
end,scheduled,recorded_by` for developments (date, kind, watch and headline required; other
columns optional, so a file of the first ten columns imports as it always did; start and end, when
given, must be the first and last days of the date; scheduled is true or false). Kinds and watch
items are applied before developments. Any bad row refuses the whole run, naming file:line and
the column, unless --skip-invalid. Importing the same file again changes nothing; a row with a
known id and other content updates that development.")]
    Import(ImportArgs),

    /// Change a development: its date, headline, summary, kind, links, actors or sources; or
    /// record that a scheduled one happened
    #[command(after_help = "Examples:
  lookout edit jtce187y --date 2025-07-26 --headline 'Li Qiang proposes a global AI body'
  lookout edit jtce187y --watch intl-response --unwatch intl-ai-org
  lookout edit jtce187y --no-actor --actor China --source https://example.org/report
  id=$(lookout log 2026-03 'A follow-up summit' --scheduled --watch intl-ai-org)
  lookout edit \"$id\" --occurred --date 2026-03-18 --watch intl-ai-org=developing")]
    Edit(EditArgs),

    /// Withdraw a development from reports and search, keeping it and the reason
    #[command(
        after_help = "Example:\n  lookout retract 4fd2sax0 --reason 'The ministry denied the report'"
    )]
    Retract(RetractArgs),

    /// Withdraw a retraction: the development counts again
    #[command(
        after_help = "Example:\n  lookout retract 4fd2sax0 --reason 'The ministry denied the report'\n  lookout unretract 4fd2sax0   # the ministry's denial was itself withdrawn"
    )]
    Unretract(UnretractArgs),

    /// Show the change journal, newest first, in words
    #[command(after_help = "Examples:
  lookout history
  lookout history jtce187y
  lookout history --since 2025-07-28
  lookout history --limit 5 --format json")]
    History(HistoryArgs),

    /// Revert the newest journal entry (an import run as a whole) and remove it
    #[command(after_help = "Examples:
  lookout undo --dry-run          # what the newest entry changed, and whether it can be undone
  lookout undo && lookout undo    # the two newest entries")]
    Undo(UndoArgs),

    /// Search headlines, summaries, actors and sources (SQLite FTS5 query syntax)
    #[command(after_help = "Examples:
  lookout search 'cooperation organisation'
  lookout search '\"action plan\" AND (China OR US)' --from 2025-07
  lookout search 'gover*' --watch intl-ai-org --format json
  lookout search 'actors:EU NOT India'
  lookout search summit --all --format csv > every-summit.csv

Words match whole tokens, case and accents aside; \"a phrase\" matches in order; prefix* matches
the start of a word; AND, OR, NOT and parentheses combine; column:word searches one of headline,
summary, actors, sources. Chinese, Japanese and Korean text is found by any part of it (人工智能
finds 国务院发布人工智能行动计划); a part of one or two characters is found as plain text, every
part of the query required, without operators; with OR, every part must be such text, and a part
after NOT cannot be the only one. Results are ranked by relevance (bm25), headline
matches first. The best 20 are shown and stderr says how many more match: --limit N shows the best N, --all every
one.")]
    Search(SearchArgs),

    /// Export the whole tracker as JSON Lines, or its developments as the timeline CSV
    #[command(after_help = "Examples:
  lookout export --output tracker.jsonl        # everything: import it into a new store to copy it
  lookout export --format csv --output everything.csv")]
    Export(ExportArgs),

    /// Share the tracker through a git repository: merge record by record, commit, push
    #[command(after_help = "Examples:
  lookout sync git@example.org:team/tracker.git   # the first time: where the shared tracker lives
  lookout sync /mnt/share/tracker.git             # a bare repository on a file share works too
  lookout sync                                    # then: fetch, merge, apply, commit and push
  lookout sync --rejoin                           # after the shared history was rewritten
  lookout sync --timeout 300                      # a slow link: wait 5 minutes for an answer

Each analyst keeps their own store. A sync merges the shared tracker with this store record by
record and field by field, against the state both last agreed on: a change made on one side is
applied; both sides changing one field is a conflict, which the later change wins (and sync
names); lists merge as sets; a removal stays removed. The result is applied here as one journal
entry (`lookout undo` reverts it, and the next sync brings it back), committed with you as author
and pushed. git on the PATH does the transport with your own credentials. Each conflict is also
written to the shared tracker (conflicts.jsonl), so whoever's value lost hears of it at their
next sync. No git hooks run, on either side of a push to a path, and the sync cache's own git
configuration is ignored. A remote that sends nothing for --timeout seconds (60 by default) is
given up.")]
    Sync(SyncArgs),

    /// Add, list or remove the feeds `fetch` reads (RSS, Atom, JSON Feed)
    #[command(subcommand)]
    Feed(FeedCommand),

    /// Read the feeds: their new entries land in the inbox
    #[command(after_help = "Examples:
  lookout feed add fixtures/feeds/action-plans.xml --name plans
  lookout fetch
  lookout fetch plans --timeout 10

Prints per feed what came. An unchanged feed costs one small request (its server's ETag and
Last-Modified are sent back). A feed that cannot be read is named with why, and the others are
still read: the exit status is 0 when every feed was read, 75 when some could not be.")]
    Fetch(FetchArgs),

    /// The entries fetched and not yet logged or dismissed, with the watch items each suggests
    #[command(after_help = "Examples:
  lookout feed add fixtures/feeds/action-plans.xml --name plans --watch us-counter-moves
  lookout fetch
  lookout inbox
  lookout inbox --watch us-counter-moves --format json
  lookout inbox accept 1 --watch us-counter-moves=emerging --kind plan-release
  lookout inbox dismiss 2 --reason 'Commentary, no development'")]
    Inbox(InboxArgs),

    /// List the development kinds, or add one
    #[command(after_help = "Examples:\n  lookout kinds\n  lookout kinds add court-ruling")]
    Kinds(KindsArgs),

    /// List the actors with how many developments name each, or rename one
    #[command(after_help = "Examples:
  lookout actors --format csv
  lookout actors rename US 'United States'
  lookout actors rename 'United States' US     # merges into US when US is named already")]
    Actors(ActorsArgs),

    /// Copy the store consistently, even while other processes write to it
    #[command(
        after_help = "Example:\n  mkdir -p ~/backups && lookout backup ~/backups/tracker-$(date +%F).db"
    )]
    Backup(BackupArgs),

    /// Check the store: SQLite integrity, foreign keys and lookout's own invariants
    #[command(after_help = "Example:\n  lookout check && echo sound")]
    Check,

    /// Print a shell completion script
    #[command(after_help = "Examples:
  mkdir -p ~/.local/share/bash-completion/completions
  lookout completions bash > ~/.local/share/bash-completion/completions/lookout
  mkdir -p ~/.zfunc && lookout completions zsh > ~/.zfunc/_lookout
  mkdir -p ~/.config/fish/completions
  lookout completions fish > ~/.config/fish/completions/lookout.fish")]
    Completions(CompletionsArgs),

    /// Print the manual (roff): every command with its options, or one command's page
    #[command(after_help = "Examples:
  lookout man > lookout.1              # the whole manual; read it with: man ./lookout.1
  lookout man log > lookout-log.1      # one command's page
  lookout man watch add")]
    Man(ManArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum WatchCommand {
    /// Add a watch item
    #[command(after_help = "Example:
  lookout watch add india-response \"India's response to China's global AI action plan\" \\
      --description 'Whether India joins, answers or counters the plan' --tag india")]
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
    #[command(
        after_help = "Example:\n  lookout watch remove us-counter-moves --force   # its developments stay, unlinked"
    )]
    Remove(WatchRemoveArgs),
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
