//! A development as flat text: each timeline field one string, lists
//! `;`-joined, as the timeline CSV writes it and the store's list columns
//! keep it. The store hands out stored rows in this form without parsing
//! them (the fast export path, reading each field's `stored` expression); a
//! development value gives the same with `FlatDevelopment::of`.

use std::borrow::Cow;

use super::fields::{self, TIMELINE, TIMELINE_WIDTH};
use crate::model::Development;

/// A development's timeline fields as text, in the timeline CSV's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlatDevelopment<'a> {
    cells: [Cow<'a, str>; TIMELINE_WIDTH],
}

impl<'a> FlatDevelopment<'a> {
    pub fn of(dev: &'a Development) -> FlatDevelopment<'a> {
        let mut cells: [Cow<'a, str>; TIMELINE_WIDTH] = Default::default();
        for (cell, field) in cells.iter_mut().zip(fields::reaching(TIMELINE)) {
            *cell = match (field.value)(dev) {
                fields::Value::Text(text) => Cow::Borrowed(text),
                fields::Value::Maybe(text) => Cow::Borrowed(text.unwrap_or("")),
                other => other.into_flat(),
            };
        }
        FlatDevelopment { cells }
    }

    /// Flat text as a store row holds it, one cell per timeline field.
    pub fn from_cells(cells: [Cow<'a, str>; TIMELINE_WIDTH]) -> FlatDevelopment<'a> {
        FlatDevelopment { cells }
    }

    /// The cells in order.
    pub fn cells(&self) -> impl Iterator<Item = &str> {
        self.cells.iter().map(|c| c.as_ref())
    }
}

/// The SQL expressions over `developments d` a store row's flat text is read from.
pub fn stored_columns() -> String {
    fields::reaching(TIMELINE)
        .map(|f| f.stored)
        .collect::<Vec<_>>()
        .join(", ")
}
