//! JSON renderers: the status object, the timeline array (streamed), and the
//! detail of one development or watch item. Pretty-printed, one trailing newline.
//! A development is written as `record::fields` declares it (docs/DESIGN.md,
//! "Timeline JSON"): the timeline's fields, and its retraction in `show`.

use std::cell::{Cell, RefCell};
use std::io::Write;
use std::marker::PhantomData;

use serde::Serialize;
use serde::ser::{Error as _, SerializeSeq, Serializer};

use super::Feed;
use super::status::{StatusReport, Transition};
use crate::error::{Error, Result};
use crate::model::{Development, WatchItem};
use crate::record::fields::Json;

/// A search hit: the timeline entry and the matching words in context
/// (matches between `[` and `]`).
#[derive(Serialize)]
pub struct SearchEntry<'a> {
    #[serde(flatten)]
    pub entry: Json<'a>,
    pub snippet: &'a str,
}

impl<'a> From<&'a (Development, String)> for SearchEntry<'a> {
    fn from((dev, snippet): &'a (Development, String)) -> SearchEntry<'a> {
        SearchEntry {
            entry: Json::timeline(dev),
            snippet,
        }
    }
}

pub fn status(report: &StatusReport, out: &mut dyn Write) -> Result<()> {
    write_pretty(report, out)
}

/// How a streamed list writes each of its items.
pub(crate) trait Element<T> {
    fn write<S: SerializeSeq>(item: &T, seq: &mut S) -> std::result::Result<(), S::Error>;
}

/// A development as the timeline JSON writes it.
pub(crate) struct AsTimelineEntry;

impl Element<Development> for AsTimelineEntry {
    fn write<S: SerializeSeq>(dev: &Development, seq: &mut S) -> std::result::Result<(), S::Error> {
        seq.serialize_element(&Json::timeline(dev))
    }
}

/// A search hit: the timeline entry and its snippet.
pub(crate) struct AsSearchEntry;

impl Element<(Development, String)> for AsSearchEntry {
    fn write<S: SerializeSeq>(
        hit: &(Development, String),
        seq: &mut S,
    ) -> std::result::Result<(), S::Error> {
        seq.serialize_element(&SearchEntry::from(hit))
    }
}

/// A list written as its feed hands the items over, wherever it sits in
/// the document (the timeline array, a dossier's `developments`, TimelineJS's
/// `events`), so the list is never held. Serialized once; `finish` says how
/// many items it wrote, or why the feed stopped.
pub(crate) struct Streamed<'f, 'a, T, E> {
    feed: RefCell<Option<&'f mut Feed<'a, T>>>,
    count: Cell<usize>,
    stopped: RefCell<Option<Error>>,
    form: PhantomData<E>,
}

impl<'f, 'a, T, E: Element<T>> Streamed<'f, 'a, T, E> {
    pub(crate) fn new(feed: &'f mut Feed<'a, T>) -> Self {
        Streamed {
            feed: RefCell::new(Some(feed)),
            count: Cell::new(0),
            stopped: RefCell::new(None),
            form: PhantomData,
        }
    }

    /// After serializing the document: the feed's own error (a store that
    /// failed mid-way) before the JSON writer's, and the count.
    pub(crate) fn finish(&self, written: serde_json::Result<()>) -> Result<usize> {
        self.stopped()?;
        written?;
        Ok(self.count.get())
    }

    /// Why the feed stopped, if it failed.
    pub(crate) fn stopped(&self) -> Result<()> {
        match self.stopped.borrow_mut().take() {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

impl<T, E: Element<T>> Serialize for Streamed<'_, '_, T, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let feed = self
            .feed
            .borrow_mut()
            .take()
            .ok_or_else(|| S::Error::custom("a streamed list is written once"))?;
        let mut seq = serializer.serialize_seq(None)?;
        let mut failed: Option<S::Error> = None;
        let fed = feed(&mut |item| match E::write(item, &mut seq) {
            Ok(()) => {
                self.count.set(self.count.get() + 1);
                Ok(())
            }
            Err(e) => {
                failed = Some(e);
                Err(Error::io("the JSON writer failed"))
            }
        });
        if let Some(e) = failed {
            return Err(e);
        }
        if let Err(e) = fed {
            let message = e.to_string();
            *self.stopped.borrow_mut() = Some(e);
            return Err(S::Error::custom(message));
        }
        seq.end()
    }
}

/// Writes `value`, which holds a `Streamed` list, pretty-printed.
pub(crate) fn write_streamed<T, E: Element<T>>(
    value: &impl Serialize,
    list: &Streamed<'_, '_, T, E>,
    out: &mut dyn Write,
) -> Result<usize> {
    let written = serde_json::to_writer_pretty(&mut *out, value);
    let count = list.finish(written)?;
    out.write_all(b"\n")?;
    Ok(count)
}

/// The timeline array, streamed; returns how many developments it wrote.
pub fn timeline(out: &mut dyn Write, feed: &mut Feed<'_, Development>) -> Result<usize> {
    let list: Streamed<'_, '_, Development, AsTimelineEntry> = Streamed::new(feed);
    write_streamed(&list, &list, out)
}

/// Search hits, best first, each a timeline entry with its snippet.
pub fn search(out: &mut dyn Write, feed: &mut Feed<'_, (Development, String)>) -> Result<usize> {
    let list: Streamed<'_, '_, (Development, String), AsSearchEntry> = Streamed::new(feed);
    write_streamed(&list, &list, out)
}

/// `show --format json`: the timeline entry, plus its retraction.
pub fn development(dev: &Development, out: &mut dyn Write) -> Result<()> {
    write_pretty(&Json::detail(dev), out)
}

/// A watch item as `watch show` and `watch list` write it.
#[derive(Debug, Serialize)]
pub struct WatchEntry<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub opened: String,
    pub tags: &'a [String],
}

impl<'a> From<&'a WatchItem> for WatchEntry<'a> {
    fn from(item: &'a WatchItem) -> WatchEntry<'a> {
        WatchEntry {
            slug: item.slug.as_str(),
            title: &item.title,
            description: item.description.as_deref(),
            opened: item.opened.to_string(),
            tags: &item.tags,
        }
    }
}

/// `watch show --format json`: the item, its status as of today, how it got
/// there, and its developments (streamed).
#[derive(Serialize)]
struct WatchDetail<'a, 'f, 'g, 'h, 'i> {
    #[serde(flatten)]
    item: WatchEntry<'a>,
    status: &'a super::status::StatusRow,
    history: &'a Streamed<'h, 'i, Transition, AsItself>,
    developments: &'a Streamed<'f, 'g, Development, AsTimelineEntry>,
}

/// An item written as it serializes itself.
pub(crate) struct AsItself;

impl<T: Serialize> Element<T> for AsItself {
    fn write<S: SerializeSeq>(item: &T, seq: &mut S) -> std::result::Result<(), S::Error> {
        seq.serialize_element(item)
    }
}

/// Writes the dossier of a watch item as JSON.
pub fn dossier(
    item: &WatchItem,
    status: &super::status::StatusRow,
    history: &mut Feed<'_, Transition>,
    feed: &mut Feed<'_, Development>,
    out: &mut dyn Write,
) -> Result<()> {
    let steps = Streamed::new(history);
    let list = Streamed::new(feed);
    let detail = WatchDetail {
        item: WatchEntry::from(item),
        status,
        history: &steps,
        developments: &list,
    };
    let written = serde_json::to_writer_pretty(&mut *out, &detail);
    // The history's own error first: it is written first.
    steps.stopped()?;
    list.finish(written)?;
    out.write_all(b"\n")?;
    Ok(())
}

pub fn write_pretty<T: Serialize + ?Sized>(value: &T, out: &mut dyn Write) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}
