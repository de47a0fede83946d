//! The search report: the hits, best first, in a timeline format. Text and
//! JSON show each hit's snippet; the other formats have no place for one
//! and write the hits as a timeline.

use std::io::Write;

use super::timeline::{self, Format};
use super::{HitFeed, HitPass, json, text};
use crate::error::Result;
use crate::style::TextStyle;

/// Writes the hits in `format`; returns how many.
pub fn render(
    format: Format,
    query: &str,
    hits: &mut HitFeed<'_>,
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<usize> {
    let ranked = |snippets| HitPass {
        ranked: true,
        snippets,
    };
    match format {
        Format::Text => text::search(hits, style, out),
        Format::Json => json::search(out, &mut |sink| hits(ranked(true), sink)),
        format => {
            let title = format!("Search: {query}");
            let mut devs = |sink: &mut dyn FnMut(&_) -> Result<()>| {
                hits(ranked(false), &mut |(dev, _)| sink(dev))
            };
            timeline::render(format, &title, &mut devs, style, out)
        }
    }
}
