//! `lookout watch add|list|show|edit|remove`: the watch items, the questions
//! being followed.

use serde_json::json;

use crate::cli::{
    ListArgs, ListFormat, WatchAddArgs, WatchCommand, WatchEditArgs, WatchRemoveArgs, WatchShowArgs,
};
use crate::commands::{date_arg, reading_store, write_listing};
use crate::ctx::Ctx;
use crate::dates::PartialDate;
use crate::error::{Error, Result};
use crate::formats::watch_csv::WATCH_ITEMS;
use crate::limits;
use crate::model::{self, Provenance, WatchItem, WatchSlug};
use crate::report::{Listing, dossier, status};
use crate::store::{Access, ItemFilter, KnownReads, TimelineFilter};
use crate::words::counted;

pub fn run(ctx: &mut Ctx, command: WatchCommand) -> Result<()> {
    match command {
        WatchCommand::Add(args) => add(ctx, args),
        WatchCommand::List(args) => list(ctx, args),
        WatchCommand::Show(args) => show(ctx, args),
        WatchCommand::Edit(args) => edit(ctx, args),
        WatchCommand::Remove(args) => remove(ctx, args),
    }
}

fn add(ctx: &mut Ctx, args: WatchAddArgs) -> Result<()> {
    let today = ctx.clock.today();
    let item = WatchItem {
        slug: WatchSlug::parse(args.slug.trim()).map_err(|e| e.context("SLUG"))?,
        title: model::title(&args.title).map_err(|e| e.context("TITLE"))?,
        description: model::optional_text(args.description.as_deref()),
        opened: match &args.opened {
            Some(text) => date_arg("--opened", text, today)?,
            None => PartialDate::from_day(today),
        },
        tags: model::tags(args.tags.iter().map(String::as_str)).map_err(|e| e.context("--tag"))?,
        provenance: Provenance::default(),
    };
    limits::admit_watch_item(&item)?;
    let store = ctx.store(Access::Write)?;
    let now = ctx.clock.now();
    let item = WatchItem {
        provenance: Provenance::new(ctx.author(), now),
        ..item
    };
    let tx = store.begin_change("watch add", now, ctx.author())?;
    store.insert_watch_item(&item, now)?;
    tx.commit(&format!("added watch item {}: {}", item.slug, item.title))?;
    ctx.note(format!("watching {} (opened {})", item.slug, item.opened));
    Ok(())
}

/// The watch items: csv is the watch-items CSV that `import` reads back,
/// json every field; the text table leaves the long descriptions to `show`.
fn list(ctx: &mut Ctx, args: ListArgs) -> Result<()> {
    let store = reading_store(ctx, &args.known, KnownReads::Overlay)?;
    let _snapshot = store.begin_read()?;
    let columns: &[&'static str] = match args.format {
        ListFormat::Text => &["slug", "title", "opened", "tags"],
        ListFormat::Csv | ListFormat::Json => WATCH_ITEMS.columns,
    };
    let mut listing = Listing::new(columns);
    for item in store.watch_items()? {
        listing.push(
            columns
                .iter()
                .map(|column| match *column {
                    "slug" => json!(item.slug),
                    "title" => json!(item.title),
                    "description" => json!(item.description),
                    "opened" => json!(item.opened.to_string()),
                    _ => json!(item.tags),
                })
                .collect(),
        );
    }
    write_listing(ctx, &listing, args.format)
}

/// The dossier of a watch item: the question, its status today and how it
/// got there (each transition with its date and development), and every
/// development, in timeline order.
fn show(ctx: &mut Ctx, args: WatchShowArgs) -> Result<()> {
    let slug = WatchSlug::parse(args.slug.trim()).map_err(|e| e.context("SLUG"))?;
    let store = reading_store(ctx, &args.known, KnownReads::Overlay)?;
    let _snapshot = store.begin_read()?;
    let item = store.require_watch_item(slug.as_str())?;
    let today = ctx.clock.today();
    // An item opened after today has no status yet; report it as of its opening.
    let as_of = today.max(item.opened.start());
    let only = ItemFilter {
        watch: vec![slug.clone()],
        ..ItemFilter::default()
    };
    let facts = store.item_facts(as_of, &only)?;
    let report = status::build(facts, as_of, status::DEFAULT_STALE_AFTER);
    let row = report
        .items
        .first()
        .ok_or_else(|| Error::io(format!("no status for watch item '{slug}'")))?;
    // How it got there, read as often as the format needs: an item may have
    // a hundred thousand status settings.
    let mut settings = |sink: &mut dyn FnMut(&_) -> Result<()>| {
        store.status_settings_each(&slug, as_of, |setting| sink(&setting))
    };
    let mut history = status::transitions_of(&mut settings);
    let filter = TimelineFilter {
        watch: vec![slug.clone()],
        ..TimelineFilter::default()
    };
    // Read as often as the format's layout needs, never held.
    let mut devs =
        |sink: &mut dyn FnMut(&_) -> Result<()>| store.timeline(&filter, |dev| sink(&dev));

    let mut out = ctx.output(args.output.as_deref())?;
    let style = ctx.style_for(&out);
    let format = dossier::Format::from(args.format);
    dossier::render(
        format,
        &item,
        row,
        &mut history,
        &mut devs,
        style,
        out.writer(),
    )?;
    out.finish()?;
    if let Some(path) = &args.output {
        ctx.note(format!("wrote the dossier of {slug} to {}", path.display()));
    }
    Ok(())
}

fn edit(ctx: &mut Ctx, args: WatchEditArgs) -> Result<()> {
    let slug = WatchSlug::parse(args.slug.trim()).map_err(|e| e.context("SLUG"))?;
    let title = args
        .title
        .as_deref()
        .map(|t| model::title(t).map_err(|e| e.context("--title")))
        .transpose()?;
    let opened = args
        .opened
        .as_deref()
        .map(|t| date_arg("--opened", t, ctx.clock.today()))
        .transpose()?;
    let add_tags =
        model::tags(args.tags.iter().map(String::as_str)).map_err(|e| e.context("--tag"))?;
    let drop_tags =
        model::tags(args.untags.iter().map(String::as_str)).map_err(|e| e.context("--untag"))?;

    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("watch edit", ctx.clock.now(), ctx.author())?;
    let mut item = store.require_watch_item(slug.as_str())?;
    let before = item.clone();
    if let Some(title) = title {
        item.title = title;
    }
    if args.no_description {
        item.description = None;
    } else if let Some(description) = &args.description {
        item.description = model::optional_text(Some(description));
    }
    if let Some(opened) = opened {
        item.opened = opened;
    }
    for tag in &drop_tags {
        let Some(at) = item.tags.iter().position(|t| t == tag) else {
            return Err(
                Error::data(format!("--untag: watch item '{slug}' has no tag '{tag}'"))
                    .with_hint(format!("its tags: {}", tags_or_none(&before.tags))),
            );
        };
        item.tags.remove(at);
    }
    for tag in add_tags {
        if !item.tags.contains(&tag) {
            item.tags.push(tag);
        }
    }
    if item == before {
        ctx.note(format!("{slug} already says that; nothing changed"));
        return Ok(());
    }
    limits::admit_watch_item(&item)?;
    item.provenance.touch(ctx.author(), ctx.clock.now());
    store.update_watch_item(&item)?;
    tx.commit(&format!("edited watch item {slug}"))?;
    ctx.note(format!("updated {slug}"));
    Ok(())
}

fn tags_or_none(tags: &[String]) -> String {
    if tags.is_empty() {
        "none".to_string()
    } else {
        tags.join(", ")
    }
}

fn remove(ctx: &mut Ctx, args: WatchRemoveArgs) -> Result<()> {
    let slug = WatchSlug::parse(args.slug.trim()).map_err(|e| e.context("SLUG"))?;
    let store = ctx.store(Access::Write)?;
    let tx = store.begin_change("watch remove", ctx.clock.now(), ctx.author())?;
    if store.watch_item(slug.as_str())?.is_none() {
        // Not the usual hint to `watch add` it: one removes what exists.
        let slugs = store.watch_slugs()?;
        let hint = match crate::suggest::closest(slug.as_str(), slugs.iter().map(String::as_str)) {
            Some(near) => format!("did you mean '{near}'? `lookout watch list` shows them all"),
            None if slugs.is_empty() => "there are no watch items".to_string(),
            None => "`lookout watch list` shows the watch items there are".to_string(),
        };
        return Err(Error::data(format!(
            "SLUG: unknown watch item '{slug}'; nothing to remove"
        ))
        .with_hint(hint));
    }
    let links = store.link_count(slug.as_str())?;
    if links > 0 && !args.force {
        return Err(Error::data(format!(
            "watch item '{slug}' has {}",
            counted(links, "linked development")
        ))
        .with_hint(format!(
            "pass --force to remove it with its links (the developments stay): \
             lookout watch remove {slug} --force"
        )));
    }
    store.remove_watch_item(slug.as_str())?;
    let links = counted(links, "link");
    tx.commit(&format!("removed watch item {slug} and {links}"))?;
    ctx.note(format!("removed {slug} and {links}"));
    Ok(())
}
