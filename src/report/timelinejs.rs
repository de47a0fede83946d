//! Knight Lab's TimelineJS: the JSON its `TL.Timeline` loads
//! (`--format timelinejs`), and the CSV of its spreadsheet template
//! (`--format timelinejs-sheet`). TimelineJS renders text as HTML, so every
//! piece of user text is HTML-escaped here.

use std::io::Write;

use serde::Serialize;
use serde::ser::SerializeSeq;

use super::Feed;
use super::json::{Element, Streamed, write_streamed};
use crate::dates::{PartialDate, Precision};
use crate::error::Result;
use crate::formats::csv_writer::CsvWriter;
use crate::model::Development;

/// The 18 columns of TimelineJS's Google Sheets template, in its order.
pub const SHEET_COLUMNS: [&str; 18] = [
    "Year",
    "Month",
    "Day",
    "Time",
    "End Year",
    "End Month",
    "End Day",
    "End Time",
    "Display Date",
    "Headline",
    "Text",
    "Media",
    "Media Credit",
    "Media Caption",
    "Media Thumbnail",
    "Type",
    "Group",
    "Background",
];

/// Escapes text for a context that TimelineJS renders as HTML (maud's
/// escaping, as the html format uses).
pub fn escape(text: &str) -> String {
    maud::html! { (text) }.into_string()
}

/// The document: its events written as they are read.
#[derive(Serialize)]
struct Timeline<'a, 'f, 'g> {
    events: &'a Streamed<'f, 'g, Development, AsEvent>,
}

/// A development as a TimelineJS event.
struct AsEvent;

impl Element<Development> for AsEvent {
    fn write<S: SerializeSeq>(dev: &Development, seq: &mut S) -> std::result::Result<(), S::Error> {
        seq.serialize_element(&event(dev))
    }
}

#[derive(Serialize)]
struct Event<'a> {
    start_date: EventDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<EventDate>,
    /// The whole date in words, where the parts do not say it all: the
    /// slide's, so TimelineJS shows it once (a start's own display date
    /// would be followed by the end's).
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<String>,
    text: Text,
    /// The body's links are written whole here: TimelineJS's own linking
    /// would cut a URL at `)` or `'` and link the rest of it elsewhere.
    autolink: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    unique_id: &'a str,
}

/// Year, then month and day only as far as the date's precision goes.
#[derive(Serialize)]
struct EventDate {
    year: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<String>,
}

#[derive(Serialize)]
struct Text {
    headline: String,
    text: String,
}

/// Year, month and day of a partial date, as far as they are known.
fn parts(date: &PartialDate) -> (String, Option<String>, Option<String>) {
    let start = date.start();
    let precision = date.precision();
    let month = (precision != Precision::Year).then(|| chrono::Datelike::month(&start).to_string());
    let day = (precision == Precision::Day).then(|| chrono::Datelike::day(&start).to_string());
    (date.year().to_string(), month, day)
}

/// Where a development's slide goes, and where its span ends: an interval
/// A/B runs from A to B; an open start ../B, which has no first day, sits at
/// B (and `display_date` says "before").
fn span(dev: &Development) -> (PartialDate, Option<PartialDate>) {
    let last = dev.date.last();
    match (dev.date.single(), dev.date.first()) {
        (Some(date), _) => (date, None),
        (None, Some(first)) => (first, Some(last)),
        (None, None) => (last, None),
    }
}

/// The date in words where the parts do not say it all: a qualifier, an
/// open start ("before the end of 2025-07"), or that it is only due.
fn display_date(dev: &Development) -> Option<String> {
    let words = if dev.date.is_open_start() {
        Some(format!("before the end of {}", dev.date.last()))
    } else {
        (dev.date.is_uncertain() || dev.date.is_approximate()).then(|| dev.date.to_string())
    };
    if dev.scheduled {
        return Some(format!(
            "due {}",
            words.unwrap_or_else(|| dev.date.to_string())
        ));
    }
    words
}

fn event_date(date: &PartialDate) -> EventDate {
    let (year, month, day) = parts(date);
    EventDate { year, month, day }
}

/// The slide body: summary, then actors, sources and id, all escaped.
fn body(dev: &Development) -> String {
    let mut parts = Vec::new();
    if let Some(summary) = &dev.texts.summary {
        parts.push(format!("<p>{}</p>", escape(summary).replace('\n', "<br>")));
    }
    if !dev.actors.is_empty() {
        parts.push(format!("<p>Actors: {}</p>", escape(&dev.actors.join(", "))));
    }
    if !dev.sources.is_empty() {
        let sources: Vec<String> = dev.sources.iter().map(|s| source(s)).collect();
        parts.push(format!("<p>Sources: {}</p>", sources.join(" · ")));
    }
    if dev.scheduled {
        parts.push("<p>Scheduled: due, not done.</p>".to_string());
    }
    parts.push(format!(
        "<p>{} · {}</p>",
        escape(&dev.kind),
        escape(dev.id.as_str())
    ));
    parts.join("")
}

/// A source as the slide shows it: a web address as a whole link, its text
/// without the scheme (so that no linking of TimelineJS's, a Google Sheet's
/// included, takes it for a bare address and links part of it again);
/// anything else as text.
fn source(text: &str) -> String {
    let bare = ["https://", "http://"]
        .iter()
        .find_map(|scheme| text.strip_prefix(scheme));
    match bare {
        Some(bare) if !bare.is_empty() && !text.contains(char::is_whitespace) => {
            format!("<a href=\"{}\">{}</a>", escape(text), escape(bare))
        }
        _ => escape(text),
    }
}

fn event(dev: &Development) -> Event<'_> {
    let (first, last) = span(dev);
    Event {
        start_date: event_date(&first),
        end_date: last.map(|last| event_date(&last)),
        display_date: display_date(dev),
        autolink: false,
        text: Text {
            headline: escape(&dev.headline),
            text: body(dev),
        },
        group: dev.links.first().map(|l| l.slug.as_str()),
        unique_id: dev.id.as_str(),
    }
}

/// The TimelineJS JSON of a selection: one event (slide) per development,
/// written as it is read; returns how many.
pub fn json(feed: &mut Feed<'_, Development>, out: &mut dyn Write) -> Result<usize> {
    let events = Streamed::new(feed);
    write_streamed(&Timeline { events: &events }, &events, out)
}

/// The rows of TimelineJS's spreadsheet template, as CSV, written as they
/// are read; returns how many.
pub fn sheet(feed: &mut Feed<'_, Development>, out: &mut dyn Write) -> Result<usize> {
    let mut csv = CsvWriter::new(out);
    csv.write_row(SHEET_COLUMNS)?;
    let mut count = 0;
    feed(&mut |dev| {
        count += 1;
        sheet_row(dev, &mut csv)
    })?;
    csv.finish()?;
    Ok(count)
}

fn sheet_row(dev: &Development, csv: &mut CsvWriter<&mut dyn Write>) -> Result<()> {
    let (first, last) = span(dev);
    let (year, month, day) = parts(&first);
    let (end_year, end_month, end_day) = match last {
        Some(last) => {
            let (y, m, d) = parts(&last);
            (Some(y), m, d)
        }
        None => (None, None, None),
    };
    let headline = escape(&dev.headline);
    let text = body(dev);
    let display = display_date(dev).unwrap_or_default();
    let group = dev.links.first().map(|l| l.slug.as_str()).unwrap_or("");
    let cells: [&str; 18] = [
        &year,
        month.as_deref().unwrap_or(""),
        day.as_deref().unwrap_or(""),
        "",
        end_year.as_deref().unwrap_or(""),
        end_month.as_deref().unwrap_or(""),
        end_day.as_deref().unwrap_or(""),
        "",
        &display,
        &headline,
        &text,
        "",
        "",
        "",
        "",
        "",
        group,
        "",
    ];
    csv.write_row(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_in_user_text_stays_text() {
        assert_eq!(
            escape("<img src=x onerror=\"alert('x')\"> & co"),
            "&lt;img src=x onerror=&quot;alert('x')&quot;&gt; &amp; co"
        );
    }

    fn dev(date: &str, scheduled: bool) -> Development {
        Development {
            scheduled,
            ..Development::sample("d1", date)
        }
    }

    #[test]
    fn intervals_span_open_starts_say_before_and_scheduled_say_due() {
        let mut out = Vec::new();
        let devs = [
            dev("2025-06/2025-08-15", false),
            dev("../2025-07", false),
            dev("2025-09-15?", true),
        ];
        json(crate::report::held(&devs).as_mut(), &mut out).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let events = &value["events"];
        assert_eq!(
            (&events[0]["start_date"], &events[0]["end_date"]),
            (
                &serde_json::json!({"year": "2025", "month": "6"}),
                &serde_json::json!({"year": "2025", "month": "8", "day": "15"})
            )
        );
        assert_eq!(
            (&events[1]["start_date"], &events[1]["display_date"]),
            (
                &serde_json::json!({"year": "2025", "month": "7"}),
                &serde_json::json!("before the end of 2025-07")
            )
        );
        assert_eq!(events[2]["display_date"], "due 2025-09-15?");
        assert_eq!(events[0].get("display_date"), None);
    }

    #[test]
    fn web_sources_are_whole_links_and_the_rest_text() {
        assert_eq!(
            source("https://en.wikipedia.org/wiki/AI_Act_(EU)?a=1&b=\"2\""),
            "<a href=\"https://en.wikipedia.org/wiki/AI_Act_(EU)?a=1&amp;b=&quot;2&quot;\">\
             en.wikipedia.org/wiki/AI_Act_(EU)?a=1&amp;b=&quot;2&quot;</a>"
        );
        assert_eq!(source("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(
            source("State Council <press>"),
            "State Council &lt;press&gt;"
        );
        assert_eq!(source("https://"), "https://");
    }

    #[test]
    fn the_sheet_has_the_templates_eighteen_columns() {
        let mut out = Vec::new();
        sheet(crate::report::held(&[]).as_mut(), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,\
             Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background\r\n"
        );
    }
}
