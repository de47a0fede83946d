//! The watch-items CSV: one watch item a row, as `watch list --format csv`
//! writes it and `import` reads it.
//!
//! `slug,title,description,opened,tags`

use super::dialect::{Cells, Dialect};
use crate::record::draft::{RawProvenance, RawWatch};

pub const WATCH_ITEMS: Dialect = Dialect {
    name: "watch-items CSV",
    columns: &["slug", "title", "description", "opened", "tags"],
    required: &["slug", "title"],
};

/// A row's cells as the plain text of a watch item.
pub(super) fn decode(cells: &Cells<'_>) -> RawWatch {
    RawWatch {
        slug: cells.text("slug"),
        title: cells.text("title"),
        description: cells.optional("description"),
        opened: cells.optional("opened"),
        tags: cells.list("tags"),
        provenance: RawProvenance::default(),
    }
}
