//! One development in full (`show`), retracted or not.

use std::io::Write;

use super::{json, text};
use crate::error::Result;
use crate::model::Development;

/// The formats of one development.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Writes the development in `format`.
pub fn render(format: Format, dev: &Development, out: &mut dyn Write) -> Result<()> {
    match format {
        Format::Text => text::development(dev, out),
        Format::Json => json::development(dev, out),
    }
}
