//! The dossier of a watch item (`watch show`): the question, its status as
//! of today, how it got there, and every development, in the format asked
//! for. The history and the developments are read as often as the format's
//! layout needs, never held.

use std::io::Write;

use super::status::{StatusRow, Transition};
use super::{Feed, html, json, md, text};
use crate::error::Result;
use crate::model::{Development, WatchItem};
use crate::style::TextStyle;

/// The formats of a dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Md,
    Html,
}

/// Writes the dossier of `item`, whose status is `status`, in `format`.
pub fn render(
    format: Format,
    item: &WatchItem,
    status: &StatusRow,
    history: &mut Feed<'_, Transition>,
    feed: &mut Feed<'_, Development>,
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Text => text::watch_item(item, status, history, feed, style, out),
        Format::Json => json::dossier(item, status, history, feed, out),
        Format::Md => md::dossier(item, status, history, feed, out),
        Format::Html => html::dossier(item, status, history, feed, out),
    }
}
