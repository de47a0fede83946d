//! `lookout changes --since D1 [--until D2] [--ahead DAYS] [--stale-after DAYS]
//! [--watch SLUG]... [--tag T]... [--format text|md|html|json] [--output FILE]`
//!
//! The "what moved" note of a weekly briefing: each watch item's status as
//! `status --as-of` gives it on D1 and on D2, the changes between, the
//! developments that came to count after D1 up to D2, news recorded in that
//! window about earlier dates, items that went stale, and what is due.
//! Read only: a refused command has nothing to undo. A window's arrivals are
//! held when they are few (a month's), and otherwise read from the store as
//! the report writes them: a window of years holds every development.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::cli::ChangesArgs;
use crate::commands::{check_items, dev_date_arg, item_filter_args, reading_store_as};
use crate::ctx::Ctx;
use crate::dates::Timestamp;
use crate::dates::to_bound;
use crate::error::Code;
use crate::error::{Error, Result};
use crate::model::{Arrival, DevId, Development, ItemFacts, Status, WatchSlug, WindowSetting};
use crate::record::RecordKind;
use crate::report::changes::{self, Correction, Lists, Window, timeline_order};
use crate::report::status;
use crate::store::{ItemFilter, KnownReads, Store};

pub fn run(ctx: &mut Ctx, args: ChangesArgs) -> Result<()> {
    let today = ctx.clock.today();
    let since = to_bound(&dev_date_arg("--since", &args.since, today)?);
    let until = match &args.until {
        Some(text) => to_bound(&dev_date_arg("--until", text, today)?),
        None => today,
    };
    if since > until {
        return Err(Error::data(format!(
            "--since {since} is after --until {until}: the window would end before it starts"
        ))
        .with_hint("swap them, or leave --until out to end today"));
    }
    let items = item_filter_args(&args.watch, &args.tags)?;
    let store = reading_store_as(ctx, &args.known, |store| known_reads(store, since))?;
    check_items(&store, &items)?;
    // Before the note's snapshot: reading the store as known at `since`
    // takes the write lock, and in a snapshot of its own that lock goes
    // with its rollback, not with the note's last line.
    let corrections = if store.is_laid_over() {
        Vec::new()
    } else {
        corrections(&store, since, &items, args.stale_after)?
    };
    // One snapshot: the lists are read more than once (to count, then to write).
    let _snapshot = store.begin_read()?;
    let window = Window {
        since,
        until,
        ahead: args.ahead,
        stale_after: args.stale_after,
    };
    let facts = store.window_items(since, until, &items)?;
    let held = held_arrivals(&store, &facts, since, until)?;
    let mut lists = lists(&store, since, until, &items, held.as_ref());
    let scheduled = store.scheduled_developments(until, &items)?;
    let mut report = changes::build(&window, facts, &mut lists, scheduled)?;
    report.corrections = corrections;

    let mut out = ctx.output(args.output.as_deref())?;
    let format = changes::Format::from(args.format);
    changes::render(format, &report, &mut lists, out.writer())?;
    out.finish()?;
    if let Some(path) = &args.output {
        ctx.note(format!("wrote the changes report to {}", path.display()));
    }
    Ok(())
}

/// What the note reads of the store as known on a past instant: laid over
/// (its reads know of the overlay, the corrections do not) only when there
/// is nothing it could have to correct.
fn known_reads(store: &Store, since: NaiveDate) -> Result<KnownReads> {
    let nothing = match end_of_day(since) {
        Some(at) => store.nothing_changed_after(at)?,
        None => true,
    };
    Ok(if nothing {
        KnownReads::Overlay
    } else {
        KnownReads::Anything
    })
}

/// The developments that counted in the note as known at the end of `since`
/// (UTC) and have been corrected since so that a status as of `since` is now
/// another: the store as known then (`Store::read_as_known_on`) against the
/// store now. None when the journal cannot say what was known then (it
/// begins later), and the store is not read as known then when no
/// development that existed then has been changed since.
fn corrections(
    store: &Store,
    since: NaiveDate,
    items: &ItemFilter,
    stale_after: u32,
) -> Result<Vec<Correction>> {
    let Some(known_at) = end_of_day(since) else {
        return Ok(Vec::new());
    };
    let changed = store.developments_changed_after(known_at)?;
    if changed.is_empty() {
        return Ok(Vec::new());
    }
    let statuses = |store: &Store| statuses(store, since, items, stale_after);
    let Some((was, mut before_of)) = as_known_then(store, known_at, &changed, statuses)? else {
        return Ok(Vec::new());
    };
    // The store now, in one snapshot.
    let _now = store.begin_read()?;
    let is = statuses(store)?;
    let mut corrections = Vec::new();
    for id in changed {
        let Ok(id) = DevId::parse(&id) else {
            continue;
        };
        let Some(before) = before_of.remove(&id) else {
            continue;
        };
        let counted = before.retracted.is_none()
            && !before.scheduled
            && before.date.start().is_none_or(|start| start <= since);
        if !counted {
            continue;
        }
        let after = store.development(&id)?;
        let moved = before
            .links
            .iter()
            .chain(after.iter().flat_map(|a| &a.links))
            .any(|link| was.get(link.slug.as_str()) != is.get(link.slug.as_str()));
        if !moved {
            continue;
        }
        let Some((what, was_text, is_text)) = correction_of(&before, after.as_ref()) else {
            continue;
        };
        let (at, by) = corrected_when(store, &id, known_at)?;
        corrections.push(Correction {
            id: id.to_string(),
            what,
            before: was_text,
            after: is_text,
            at,
            by,
        });
    }
    // In the order they were made.
    corrections.sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
    Ok(corrections)
}

/// The last microsecond of `day` (UTC): what a note of that day knew.
fn end_of_day(day: NaiveDate) -> Option<Timestamp> {
    let end = day.and_hms_micro_opt(23, 59, 59, 999_999)?;
    Some(Timestamp::new(end.and_utc()))
}

/// Each watch item's status as of `since`, by slug.
fn statuses(
    store: &Store,
    since: NaiveDate,
    items: &ItemFilter,
    stale_after: u32,
) -> Result<HashMap<String, Status>> {
    let facts = store.item_facts(since, items)?;
    Ok(status::build(facts, since, stale_after)
        .items
        .into_iter()
        .map(|item| (item.slug, item.status))
        .collect())
}

/// What the store held at an instant: its statuses by slug, and the
/// developments asked for that it held.
type Then = (HashMap<String, Status>, HashMap<DevId, Development>);

/// What the store held at `known_at`: its statuses, and each of the
/// `changed` developments it held. None when the journal cannot say.
fn as_known_then(
    store: &Store,
    known_at: Timestamp,
    changed: &[String],
    statuses: impl Fn(&Store) -> Result<HashMap<String, Status>>,
) -> Result<Option<Then>> {
    let then = store.read_as_known_on(known_at, |then| {
        let mut before = HashMap::new();
        for id in changed {
            if let Ok(id) = DevId::parse(id)
                && let Some(dev) = then.development(&id)?
            {
                before.insert(id, dev);
            }
        }
        Ok((statuses(then)?, before))
    });
    match then {
        Ok(then) => Ok(Some(then)),
        Err(e) if e.code() == Code::Data => Ok(None),
        Err(e) => Err(e),
    }
}

/// What became of a development that counted: what the correction is
/// called, and what it was and is (its date, its links, or counted → the
/// reason of its retraction); None when nothing a note shows changed.
fn correction_of(
    before: &Development,
    after: Option<&Development>,
) -> Option<(&'static str, String, String)> {
    let links = |dev: &Development| {
        dev.links
            .iter()
            .map(|l| match l.to {
                Some(to) => format!("{}={to}", l.slug),
                None => l.slug.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some(match after {
        None => ("removed", before.date.to_string(), "-".to_string()),
        Some(a) if a.retracted.is_some() => (
            "retracted",
            "counted".to_string(),
            a.retracted
                .as_ref()
                .map(|r| r.reason.clone())
                .unwrap_or_default(),
        ),
        Some(a) if a.scheduled => ("scheduled", "happened".to_string(), "due".to_string()),
        Some(a) if a.date != before.date => {
            ("re-dated", before.date.to_string(), a.date.to_string())
        }
        Some(a) if a.links != before.links => ("re-linked", links(before), links(a)),
        Some(_) => return None,
    })
}

/// When, and by whom, a development was last changed after `known_at`: the
/// newest journal entry about it, or that entry's undo.
fn corrected_when(
    store: &Store,
    id: &DevId,
    known_at: Timestamp,
) -> Result<(String, Option<String>)> {
    let entries = store.journal_entries(
        Some((RecordKind::Development, id.as_str())),
        None,
        usize::MAX,
        0,
        true,
    )?;
    let mut latest: Option<(String, Option<String>)> = None;
    for entry in entries {
        let mut moments = vec![(entry.at.clone(), entry.author.clone())];
        if let Some(undone_at) = entry.undone_at {
            moments.push((undone_at, entry.undone_by));
        }
        for (at, by) in moments {
            let after = Timestamp::parse(&at).is_ok_and(|t| t > known_at);
            if after && latest.as_ref().is_none_or(|(l, _)| at > *l) {
                latest = Some((at, by));
            }
        }
    }
    Ok(latest.unwrap_or_default())
}

/// Up to this many developments that came to count in the window are held
/// after one read (a month of a million-development tracker brings about
/// 9,000); more are read from the store again each time the report needs
/// them, so that a window of years costs no more memory than a month.
const HELD_ARRIVALS: u64 = 20_000;

/// Each item's arrivals, by slug, when there are few enough to hold.
type Held = HashMap<String, Vec<Arrival>>;

fn held_arrivals(
    store: &Store,
    facts: &[(ItemFacts, ItemFacts)],
    since: NaiveDate,
    until: NaiveDate,
) -> Result<Option<Held>> {
    let mut total = 0;
    for (_, after) in facts {
        total += store.window_count(&after.slug, since, until)?;
    }
    if total > HELD_ARRIVALS {
        return Ok(None);
    }
    let mut held = Held::new();
    for (_, after) in facts {
        let mut arrivals = Vec::new();
        store.window_arrivals(&after.slug, since, until, |arrival| {
            arrivals.push(arrival);
            Ok(())
        })?;
        held.insert(after.slug.to_string(), arrivals);
    }
    Ok(Some(held))
}

/// What the report reads as it writes: from the arrivals held, or from the store.
fn lists<'a>(
    store: &'a Store,
    since: NaiveDate,
    until: NaiveDate,
    items: &'a ItemFilter,
    held: Option<&'a Held>,
) -> Lists<'a> {
    let late = Box::new(move |sink: &mut dyn FnMut(&_) -> Result<()>| {
        store.late_news_each(since, until, items, |dev| sink(&dev))
    });
    let arrived = Box::new(move |sink: &mut dyn FnMut(&_) -> Result<()>| {
        store.window_developments(since, until, items, |dev| sink(&dev))
    });
    if let Some(held) = held {
        let of = |slug: &str| held.get(slug).map(Vec::as_slice).unwrap_or(&[]);
        // What the page draws (twice: survey, drawing) is every development
        // held, each once, in timeline order: read again from what is held.
        let mut drawn: Vec<&Development> = held.values().flatten().map(|a| &a.dev).collect();
        drawn.sort_by(|a, b| timeline_order(a, b));
        drawn.dedup_by(|a, b| a.id == b.id);
        let arrived = Box::new(move |sink: &mut dyn FnMut(&Development) -> Result<()>| {
            drawn.iter().try_for_each(|dev| sink(dev))
        });
        return Lists {
            arrivals: Box::new(move |slug, sink| of(slug).iter().try_for_each(&mut *sink)),
            settings: Box::new(move |slug, sink| {
                let arrivals = of(slug);
                for a in arrivals {
                    if let Some(to) = a.to {
                        sink(&WindowSetting {
                            to,
                            date: a.dev.date,
                            id: a.dev.id.clone(),
                            after_settled_status: a.after_settled_status,
                        })?;
                    }
                }
                Ok(arrivals.len() as u64)
            }),
            late,
            arrived,
        };
    }
    Lists {
        arrivals: Box::new(move |slug, sink| {
            let slug = WatchSlug::parse(slug)?;
            store.window_arrivals(&slug, since, until, |arrival| sink(&arrival))
        }),
        settings: Box::new(move |slug, sink| {
            let slug = WatchSlug::parse(slug)?;
            store.window_settings(&slug, since, until, |setting| sink(&setting))
        }),
        late,
        arrived,
    }
}
