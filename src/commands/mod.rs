//! One module per command. Each exposes `run(ctx, args)`: it checks its
//! arguments, asks the store, builds a report value and hands it, with the
//! format asked for, to its report's `render` in `report`.

pub(crate) mod actors;
pub(crate) mod backup;
pub(crate) mod changes;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod edit;
pub(crate) mod export;
pub(crate) mod feed;
pub(crate) mod fetch;
pub(crate) mod history;
pub(crate) mod import;
pub(crate) mod inbox;
pub(crate) mod init;
pub(crate) mod kinds;
pub(crate) mod log;
pub(crate) mod man;
pub(crate) mod retract;
pub(crate) mod search;
pub(crate) mod show;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod timeline;
pub(crate) mod undo;
pub(crate) mod unretract;
pub(crate) mod watch;

use crate::cli::{FilterArgs, KnownOnArgs, ListFormat};
use crate::ctx::Ctx;
use crate::dates::{DevDate, PartialDate, Timestamp, from_bound, to_bound};
use crate::error::{Error, Result};
use crate::model::{self, Texts, WatchSlug};
use crate::record::fields;
use crate::report::{Listing, listing};
use crate::store::{Access, ItemFilter, KnownReads, Store, TimelineFilter};

/// `Name <email>` (or the name alone) from git's configuration, when git is
/// there and says: who makes a change when no author was given (`Ctx::author`).
pub fn git_author() -> Option<String> {
    let identity = crate::sync::git::configured_identity().ok()??;
    Some(if identity.email.is_empty() {
        identity.name
    } else {
        identity.to_string()
    })
}

/// The free texts a command line gives (`cli::TextArgs::given`), each by
/// its field's name; None where blank.
pub(crate) fn texts_arg(given: &[(&str, Option<&str>)]) -> Texts {
    let mut texts = Texts::default();
    for (name, value) in given {
        if let Some(text) = fields::text(name) {
            *(text.slot)(&mut texts) = model::optional_text(*value);
        }
    }
    texts
}

/// Parses a single date argument (a watch item's opened date), naming the
/// flag in the error.
pub(crate) fn date_arg(flag: &str, text: &str, today: chrono::NaiveDate) -> Result<PartialDate> {
    PartialDate::parse(text, today).map_err(|e| Error::data(e.to_string()).context(flag))
}

/// Parses a development's date, or a date bound that may be an interval,
/// naming the argument in the error.
pub(crate) fn dev_date_arg(flag: &str, text: &str, today: chrono::NaiveDate) -> Result<DevDate> {
    DevDate::parse(text, today).map_err(|e| Error::data(e.to_string()).context(flag))
}

/// The day an `--as-of` date stands for: the last day of its interval,
/// today when none is given.
pub(crate) fn as_of_arg(text: Option<&str>, today: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    match text {
        Some(text) => Ok(to_bound(&dev_date_arg("--as-of", text, today)?)),
        None => Ok(today),
    }
}

/// The moment `--known-on` names: a day is the end of that UTC day (its
/// last microsecond), else an RFC 3339 time.
pub(crate) fn known_on_arg(text: &str) -> Result<Timestamp> {
    let text = text.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        && let Some(end) = day.and_hms_micro_opt(23, 59, 59, 999_999)
    {
        return Ok(Timestamp::new(end.and_utc()));
    }
    Timestamp::parse(text).map_err(|_| {
        Error::data(format!(
            "--known-on: '{}' is neither a day nor a time",
            crate::screen::echo(text)
        ))
        .with_hint(
            "give a day (2025-08-01, its end in UTC) or an RFC 3339 time (2025-08-01T09:30:00Z)",
        )
    })
}

/// The store a reading command reads: the store, or with `--known-on`, the
/// store as it was known then (`Store::into_known_on`), whose output then
/// says so (`Ctx::known_on`).
pub(crate) fn reading_store(
    ctx: &mut Ctx,
    known: &KnownOnArgs,
    reads: KnownReads,
) -> Result<Store> {
    reading_store_as(ctx, known, |_| Ok(reads))
}

/// `reading_store`, where what the command will read of the store as known
/// then depends on the store (`reads` is asked only with `--known-on`).
pub(crate) fn reading_store_as(
    ctx: &mut Ctx,
    known: &KnownOnArgs,
    reads: impl FnOnce(&Store) -> Result<KnownReads>,
) -> Result<Store> {
    let known_on = known.known_on.as_deref().map(known_on_arg).transpose()?;
    let store = ctx.store(Access::Read)?;
    let Some(known_on) = known_on else {
        return Ok(store);
    };
    let reads = reads(&store)?;
    let then = store.into_known_on(known_on, reads)?;
    ctx.known_on = Some(known_on);
    ctx.holds_the_store = then.is_reverted_in_place();
    Ok(then)
}

/// Warns that a development recorded as having happened is dated after
/// today: nothing dated so can have happened yet.
pub(crate) fn warn_if_future(ctx: &Ctx, date: &DevDate) {
    let today = ctx.clock.today();
    if date.start().is_some_and(|start| start > today) {
        ctx.warn(format!(
            "{date} is after today ({today}), yet it is now recorded as having happened; \
             if it is due, not done, `lookout undo` and log it with --scheduled"
        ));
    }
}

/// How many distinct values one filter flag takes: more than a person
/// types, fewer than SQLite's limit on a statement's parameters.
const MAX_FILTER_VALUES: usize = 1_000;

/// The first day of a date: the bound of `--recorded-since` and `history
/// --since` ("on or after"), as of `--from`. An open start has none.
pub(crate) fn first_day_arg(
    flag: &str,
    text: &str,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate> {
    let date = dev_date_arg(flag, text, today)?;
    from_bound(&date).ok_or_else(|| {
        Error::data(format!("{flag} {date} has no first day"))
            .with_hint("give the day, month or year it starts from")
    })
}

/// The fewest characters of an id taken as its prefix.
const MIN_ID_PREFIX: usize = 4;

/// How many ids an ambiguous prefix names.
const AMBIGUOUS_LISTED: usize = 5;

/// The development an `ID` argument names: its id in any case, or a prefix
/// of at least `MIN_ID_PREFIX` characters that begins one id only.
pub(crate) fn dev_id_arg(store: &Store, text: &str) -> Result<model::DevId> {
    let typed = text.trim();
    let lower = typed.to_ascii_lowercase();
    let id = model::DevId::parse(&lower).map_err(|e| e.context("ID"))?;
    if store.development_exists(&id)? {
        return Ok(id);
    }
    let mut hint = "`lookout timeline` lists developments with their ids".to_string();
    if lower.len() >= MIN_ID_PREFIX {
        let mut found = store.development_ids_starting(&lower, AMBIGUOUS_LISTED + 1)?;
        match found.len() {
            0 => {}
            1 => return Ok(found.remove(0)),
            n => {
                let more = if n > AMBIGUOUS_LISTED { ", …" } else { "" };
                found.truncate(AMBIGUOUS_LISTED);
                let ids: Vec<String> = found.iter().map(ToString::to_string).collect();
                return Err(Error::data(format!(
                    "ID: '{}' begins more than one development id: {}{more}",
                    crate::screen::echo(typed),
                    ids.join(", ")
                ))
                .with_hint("give more of the id"));
            }
        }
    } else {
        hint = format!("give the whole id, or at least {MIN_ID_PREFIX} characters of it; {hint}");
    }
    Err(Error::data(format!(
        "ID: unknown development '{}'",
        crate::screen::echo(typed)
    ))
    .with_hint(hint))
}

/// The watch items `--watch` and `--tag` select, checked as far as they can
/// be without the store.
pub(crate) fn item_filter_args(watch: &[String], tags: &[String]) -> Result<ItemFilter> {
    Ok(ItemFilter {
        watch: slug_args("--watch", watch)?,
        tags: model::tags(tags.iter().map(String::as_str)).map_err(|e| e.context("--tag"))?,
    })
}

/// Refuses watch items and tags the store does not know, suggesting the nearest.
pub(crate) fn check_items(store: &Store, filter: &ItemFilter) -> Result<()> {
    store
        .require_watch_items(&filter.watch)
        .map_err(|e| e.context("--watch"))?;
    store
        .require_tags(&filter.tags)
        .map_err(|e| e.context("--tag"))
}

/// Parses repeated `--watch SLUG` arguments, each slug once.
pub(crate) fn slug_args(flag: &str, values: &[String]) -> Result<Vec<WatchSlug>> {
    let slugs = values
        .iter()
        .map(|v| {
            if v.contains(',') {
                // `--watch a,b` reads as two items but would be refused as
                // an invalid slug, with a hint about slugs' letters.
                return Err(Error::data(format!(
                    "{flag} '{}' names more than one watch item",
                    crate::screen::echo(v)
                ))
                .with_hint(format!(
                    "repeat {flag} for each: {}",
                    v.split(',')
                        .map(|s| format!("{flag} {}", crate::screen::echo(s.trim())))
                        .collect::<Vec<_>>()
                        .join(" ")
                )));
            }
            WatchSlug::parse(v.trim()).map_err(|e| e.context(flag))
        })
        .collect::<Result<Vec<_>>>()?;
    distinct(flag, slugs)
}

/// The values of a repeated filter flag, each once, at most `MAX_FILTER_VALUES`.
fn distinct<T: PartialEq>(flag: &str, values: Vec<T>) -> Result<Vec<T>> {
    let mut out: Vec<T> = Vec::new();
    for value in values {
        if !out.contains(&value) {
            if out.len() == MAX_FILTER_VALUES {
                return Err(
                    Error::data(format!("{flag}: more than {MAX_FILTER_VALUES} values"))
                        .with_hint("filter on fewer, or export everything and filter the file"),
                );
            }
            out.push(value);
        }
    }
    Ok(out)
}

/// Writes a listing (`watch list`, `kinds`, `actors`) to stdout.
pub(crate) fn write_listing(ctx: &Ctx, listing: &Listing, format: ListFormat) -> Result<()> {
    let format = listing::Format::from(format);
    let mut out = ctx.output(None)?;
    if format.is_csv() {
        ctx.begin_csv(&mut out)?;
    }
    listing::render(format, listing, ctx.stdout_style(), out.writer())?;
    out.finish()
}

/// The timeline filters of `timeline` and `search`, checked as far as they
/// can be without the store.
pub(crate) fn parse_filter(args: &FilterArgs, today: chrono::NaiveDate) -> Result<TimelineFilter> {
    let from = args
        .from
        .as_deref()
        .map(|t| dev_date_arg("--from", t, today))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|t| dev_date_arg("--to", t, today))
        .transpose()?;
    let first = match &from {
        Some(from) => Some(from_bound(from).ok_or_else(|| {
            Error::data(format!("--from {from} has no first day"))
                .with_hint("an open start is some time up to its end; leave --from out to start from the beginning")
        })?),
        None => None,
    };
    if let (Some(from), Some(first), Some(to)) = (&from, first, &to)
        && first > to_bound(to)
    {
        return Err(Error::data(format!("--from {from} is after --to {to}"))
            .with_hint("swap them, or widen the range"));
    }
    let kinds = args
        .kinds
        .iter()
        .map(|k| model::kind_name(k.trim()).map_err(|e| e.context("--kind")))
        .collect::<Result<_>>()?;
    let actors =
        model::actors(args.actors.iter().map(String::as_str)).map_err(|e| e.context("--actor"))?;
    let items = item_filter_args(&args.watch, &args.tags)?;
    Ok(TimelineFilter {
        watch: items.watch,
        tags: items.tags,
        kinds: distinct("--kind", kinds)?,
        actors: distinct("--actor", actors)?,
        from: first,
        to: to.as_ref().map(to_bound),
        scheduled: match (args.scheduled, args.occurred) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        recorded_since: args
            .recorded_since
            .as_deref()
            .map(|t| first_day_arg("--recorded-since", t, today))
            .transpose()?,
    })
}

/// Refuses filter values the store does not know, suggesting the nearest.
pub(crate) fn check_filter(store: &Store, filter: &TimelineFilter) -> Result<()> {
    store
        .require_watch_items(&filter.watch)
        .map_err(|e| e.context("--watch"))?;
    store
        .require_tags(&filter.tags)
        .map_err(|e| e.context("--tag"))?;
    for kind in &filter.kinds {
        store.require_kind(kind).map_err(|e| e.context("--kind"))?;
    }
    store
        .require_actors(&filter.actors)
        .map_err(|e| e.context("--actor"))
}
