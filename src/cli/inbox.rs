//! The arguments of `feed`, `fetch` and `inbox`.

use clap::{Args, Subcommand};

use super::ListFormat;

#[derive(Debug, Subcommand)]
pub enum FeedCommand {
    /// Name a feed to read: an http(s) URL, a file:// URL or a path (RSS, Atom or JSON Feed)
    #[command(after_help = "Examples:
  lookout feed add fixtures/feeds/action-plans.xml --name plans --watch us-counter-moves
  lookout feed add fixtures/feeds/action-plans.json --name plans-json \\
      --match intl-ai-org=organisation --match intl-response=response

Every entry of the feed suggests its --watch items; an entry whose title or summary holds WORD
(whole words, case and accents aside) suggests the SLUG of each --match SLUG=WORD.")]
    Add(FeedAddArgs),

    /// List the feeds
    #[command(after_help = "Example:\n  lookout feed list --format csv")]
    List(FeedListArgs),

    /// Stop reading a feed; its entries still new leave the inbox
    #[command(after_help = "Example:
  lookout feed add fixtures/feeds/action-plans.xml --name plans
  lookout feed remove plans")]
    Remove(FeedRemoveArgs),
}

#[derive(Debug, Args)]
pub struct FeedAddArgs {
    /// Where the feed is: an http(s) URL, a file:// URL or a path
    pub location: String,
    /// What to call it [default: from the URL's host or the file's name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// A watch item every entry suggests (repeatable)
    #[arg(long = "watch", short = 'w', value_name = "SLUG")]
    pub watch: Vec<String>,
    /// SLUG=WORD: an entry whose title or summary holds WORD suggests SLUG (repeatable)
    #[arg(long = "match", value_name = "SLUG=WORD")]
    pub matches: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FeedListArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct FeedRemoveArgs {
    /// The feed's name, as `feed list` shows it
    pub name: String,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Only these feeds [default: every feed]
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,
    /// Give up on a feed that has not answered in full after this many seconds
    #[arg(long, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct InboxArgs {
    #[command(subcommand)]
    pub command: Option<InboxCommand>,
    /// Only entries suggesting this watch item (repeatable: any of them)
    #[arg(long = "watch", short = 'w', value_name = "SLUG")]
    pub watch: Vec<String>,
    /// Only entries of this feed (repeatable: any of them)
    #[arg(long = "feed", value_name = "NAME")]
    pub feeds: Vec<String>,
    /// Show at most this many entries (the oldest first)
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Subcommand)]
pub enum InboxCommand {
    /// Log an entry as a development: its title, day, link and summary, unless told otherwise
    #[command(after_help = "Examples:
  lookout feed add fixtures/feeds/action-plans.xml --name plans && lookout fetch
  lookout inbox accept 1 --watch us-counter-moves=emerging --kind plan-release --actor US
  lookout inbox accept 2 --date 2025-07-26 --headline 'China proposes a global AI body'

Without --watch the entry's suggestions are taken. An entry without a usable date needs --date.
A development that repeats one recorded already (same date, watch items and headline) is
refused unless --force.")]
    Accept(InboxAcceptArgs),

    /// Set entries aside: they are never offered again
    #[command(
        after_help = "Example:\n  lookout feed add fixtures/feeds/action-plans.xml --name plans && lookout fetch\n  lookout inbox dismiss 1 2 --reason 'Logged by hand already'"
    )]
    Dismiss(InboxDismissArgs),
}

#[derive(Debug, Args)]
pub struct InboxAcceptArgs {
    /// The entry's number, as `inbox` shows it
    pub entry: i64,
    /// When it happened [default: the entry's published day]
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// What happened, in a line [default: the entry's title]
    #[arg(long, allow_hyphen_values = true, value_name = "TEXT")]
    pub headline: Option<String>,
    /// A watch item it bears on: SLUG or SLUG=STATUS (repeatable) [default: the suggestions]
    #[arg(long = "watch", short = 'w', value_name = "SLUG[=STATUS]")]
    pub watch: Vec<String>,
    /// Its kind (see `lookout kinds`)
    #[arg(long, short = 'k', default_value = "other", value_name = "KIND")]
    pub kind: String,
    /// A country, bloc or organisation involved (repeatable)
    #[arg(long = "actor", short = 'a', value_name = "ACTOR")]
    pub actors: Vec<String>,
    /// Where it was reported (repeatable) [default: the entry's link]
    #[arg(long = "source", short = 's', value_name = "URL")]
    pub sources: Vec<String>,
    /// More detail [default: the entry's summary, cut to the limit]
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub summary: Option<String>,
    /// It is due, not done
    #[arg(long)]
    pub scheduled: bool,
    /// Log it even if a development with the same date, watch items and headline is recorded
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct InboxDismissArgs {
    /// The entries' numbers
    #[arg(required = true)]
    pub entries: Vec<i64>,
    /// Why
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}
