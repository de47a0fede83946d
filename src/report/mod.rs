//! Reports as plain values, and their renderers.
//!
//! A command builds a value (`StatusReport`, a list of developments, a
//! `Listing`) and hands it to a renderer, which writes it to a `&mut dyn Write`
//! in one format; `timeline` picks the renderer for a timeline format.
//! Renderers never see the store or an input file; CSV goes through the one
//! writer in `formats`.

mod axis;
pub mod changes;
pub mod history;
pub mod html;
pub mod json;
pub mod md;
pub mod sources;
pub mod status;
mod svg;
pub mod sync;
pub mod text;
pub mod timelinejs;

use std::io::Write;

use serde_json::{Map, Value};

use crate::cli::TimelineFormat;
use crate::error::Result;
use crate::formats::csv_writer::CsvWriter;
use crate::formats::timeline_csv::TimelineCsvWriter;
use crate::model::Development;
use crate::record::FlatDevelopment;
use crate::style::TextStyle;

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

/// Writes developments held in memory in one of the timeline formats
/// (`timeline` streams csv and json itself; `search` and `watch show` use all).
pub fn timeline(
    format: TimelineFormat,
    title: &str,
    devs: &[Development],
    style: TextStyle,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        TimelineFormat::Text => text::timeline(devs, style, out),
        TimelineFormat::Md => md::timeline(devs, out),
        TimelineFormat::Html => html::timeline(title, devs, out),
        TimelineFormat::Timelinejs => timelinejs::json(devs, out),
        TimelineFormat::TimelinejsSheet => timelinejs::sheet(devs, out),
        TimelineFormat::Csv => {
            let mut writer = TimelineCsvWriter::new(out)?;
            for dev in devs {
                writer.write(&FlatDevelopment::of(dev))?;
            }
            writer.finish()
        }
        TimelineFormat::Json => json::timeline(out, |emit| devs.iter().try_for_each(emit)),
    }
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
