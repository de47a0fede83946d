//! The timeline report (`timeline`, and `search` in the formats that have no
//! place for a snippet): a selection of developments in timeline order, in
//! the format asked for. Every format streams: none holds the selection.

use std::io::Write;

use super::{Feed, html, json, md, text, timelinejs};
use crate::error::Result;
use crate::formats::timeline_csv::TimelineCsvWriter;
use crate::model::Development;
use crate::record::FlatDevelopment;
use crate::style::TextStyle;

/// The formats of a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Csv,
    Json,
    Md,
    Html,
    Timelinejs,
    TimelinejsSheet,
}

impl Format {
    /// Whether the format is a CSV file.
    pub fn is_csv(self) -> bool {
        matches!(self, Format::Csv | Format::TimelinejsSheet)
    }
}

/// Writes a selection in `format`, `title` heading the html page; returns
/// how many developments it wrote.
pub fn render(
    format: Format,
    title: &str,
    feed: &mut Feed<'_, Development>,
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<usize> {
    match format {
        Format::Text => text::timeline(feed, style, out),
        Format::Md => md::timeline(feed, out),
        Format::Html => html::timeline(title, feed, out),
        Format::Timelinejs => timelinejs::json(feed, out),
        Format::TimelinejsSheet => timelinejs::sheet(feed, out),
        Format::Csv => {
            let mut writer = TimelineCsvWriter::new(out)?;
            feed(&mut |dev| writer.write(&FlatDevelopment::of(dev)))?;
            let rows = writer.rows();
            writer.finish()?;
            Ok(rows)
        }
        Format::Json => json::timeline(out, feed),
    }
}
