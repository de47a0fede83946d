//! A listing (`watch list`, `kinds`, `actors`; `Listing`): named columns and
//! rows, as a text table, CSV or JSON.

use std::io::Write;

use super::{Listing, json, text, write_csv};
use crate::error::Result;
use crate::style::TextStyle;

/// The formats of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Csv,
    Json,
}

impl Format {
    /// Whether the format is a CSV file.
    pub fn is_csv(self) -> bool {
        self == Format::Csv
    }
}

/// Writes the listing in `format`.
pub fn render(
    format: Format,
    listing: &Listing,
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Text => text::listing(listing, style, out),
        Format::Csv => write_csv(listing, out),
        Format::Json => json::write_pretty(&listing.to_json(), out),
    }
}
