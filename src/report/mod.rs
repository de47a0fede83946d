//! Reports as plain values, and their renderers.
//!
//! A command builds a value (`StatusReport`, a `Listing`) and hands it, with
//! the format asked for, to its report's one entry point, `render(format, …)`
//! (`status`, `changes`, `dossier`, `timeline`, `search`, `history`,
//! `development`, `listing`), which picks that format's renderer and writes
//! the value to a `&mut dyn Write`. A selection of developments, which may
//! hold a million, is handed over as a `Feed` instead: the renderer reads it
//! as often as its layout needs (a text table twice, an html page three
//! times) and holds no more than a row, the widths or the drawing.
//! Renderers never see the store or an input file; CSV goes through the one
//! writer in `formats`.

mod axis;
pub(crate) mod changes;
pub(crate) mod development;
pub(crate) mod dossier;
pub(crate) mod history;
pub(crate) mod html;
pub(crate) mod json;
pub(crate) mod listing;
pub(crate) mod md;
pub(crate) mod search;
pub(crate) mod sources;
pub(crate) mod status;
mod svg;
pub(crate) mod sync;
mod table;
pub(crate) mod text;
pub(crate) mod timeline;
pub(crate) mod timelinejs;

use std::io::Write;

use serde_json::{Map, Value};

use crate::error::Result;
use crate::formats::csv_writer::CsvWriter;
use crate::model::Development;

/// A simple table: named columns and rows of JSON values, for the listing
/// commands (`watch list`, `kinds`, `actors`) and the status CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

impl Listing {
    pub fn new(columns: &[&'static str]) -> Listing {
        Listing {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// The rows as JSON objects keyed by column.
    pub fn to_json(&self) -> Value {
        Value::Array(
            self.rows
                .iter()
                .map(|row| {
                    let object: Map<String, Value> = self
                        .columns
                        .iter()
                        .zip(row)
                        .map(|(c, v)| ((*c).to_string(), v.clone()))
                        .collect();
                    Value::Object(object)
                })
                .collect(),
        )
    }
}

/// How a value reads in a CSV cell: null is empty, booleans `true`/`false`,
/// lists `;`-joined.
pub fn cell_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell_text).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

/// A selection a renderer may read more than once: each call hands every
/// item to the sink, in the selection's order, the same items each time
/// (commands read one snapshot of the store).
pub type Feed<'a, T> = dyn FnMut(&mut dyn FnMut(&T) -> Result<()>) -> Result<()> + 'a;

/// What a pass over search hits needs. Without `ranked` any order will do
/// (a measure), and without `snippets` they may be left empty: each costs
/// the store a call per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HitPass {
    pub ranked: bool,
    pub snippets: bool,
}

/// Search hits (a development and its snippet), best first, read as `Feed`.
pub type HitFeed<'a> =
    dyn FnMut(HitPass, &mut dyn FnMut(&(Development, String)) -> Result<()>) -> Result<()> + 'a;

/// A `Feed` over developments already held (tests, short lists).
#[cfg(test)]
pub fn held(devs: &[Development]) -> Box<Feed<'_, Development>> {
    Box::new(move |sink| devs.iter().try_for_each(&mut *sink))
}

/// Writes a listing as CSV with a header, every cell formula-guarded.
pub fn write_csv(listing: &Listing, out: &mut dyn Write) -> Result<()> {
    let mut csv = CsvWriter::new(out);
    csv.write_row(listing.columns.iter().copied())?;
    for row in &listing.rows {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        csv.write_row(cells.iter().map(String::as_str))?;
    }
    csv.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_cells_follow_the_contract() {
        let mut listing = Listing::new(&["a", "b", "c", "d"]);
        listing.push(vec![json!(null), json!(true), json!(3), json!(["x", "y"])]);
        listing.push(vec![json!("=1"), json!(false), json!("a,b"), json!([])]);
        let mut out = Vec::new();
        write_csv(&listing, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b,c,d\r\n,true,3,x;y\r\n'=1,false,\"a,b\",\r\n"
        );
    }

    #[test]
    fn json_rows_are_keyed_by_column() {
        let mut listing = Listing::new(&["name", "n"]);
        listing.push(vec![json!("US"), json!(2)]);
        assert_eq!(listing.to_json(), json!([{"name": "US", "n": 2}]));
    }
}
