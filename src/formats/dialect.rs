//! lookout's CSV dialects — the timeline CSV and the watch-items CSV — and
//! telling which one a file holds from its header.
//!
//! Both are RFC 4180, UTF-8, with a required header whose columns may come
//! in any order. `CsvSource` reads either into raw records for the loader.

use std::path::Path;

use super::csv_reader::CsvReader;
use super::guard::unguard;
use super::{RawRow, Row, Source, timeline_csv, watch_csv};
use crate::error::{Error, Result};
use crate::record::draft::{Naming, RawRecord};
use crate::screen::echo;

/// A CSV file layout: its columns, in the order lookout writes them.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    pub(crate) name: &'static str,
    pub(crate) columns: &'static [&'static str],
    pub(crate) required: &'static [&'static str],
}

/// Tells a file's dialect from its header.
pub(crate) fn detect(header: &[String]) -> Option<&'static Dialect> {
    let has = |name: &str| header.iter().any(|h| h == name);
    if has("headline") || has("date") {
        Some(&timeline_csv::TIMELINE)
    } else if has("slug") {
        Some(&watch_csv::WATCH_ITEMS)
    } else {
        None
    }
}

/// The two dialects' columns, for hints.
fn both_dialects() -> String {
    format!(
        "a timeline CSV has the columns {}; a watch-items CSV {}",
        timeline_csv::TIMELINE.columns.join(","),
        watch_csv::WATCH_ITEMS.columns.join(",")
    )
}

/// Checks a header and maps the dialect's columns to the file's.
fn read_header(label: &str, names: &[String]) -> Result<(&'static Dialect, Vec<Option<usize>>)> {
    let dialect = header_dialect(label, names)?;
    let positions = column_positions(label, dialect, names)?;
    require_columns(label, dialect, &positions)?;
    Ok((dialect, positions))
}

/// The dialect a header is written in, or why it cannot be told.
fn header_dialect(label: &str, names: &[String]) -> Result<&'static Dialect> {
    if names.iter().all(String::is_empty) {
        return Err(
            Error::data(format!("{label}:1: the file is empty; expected a header")).with_hint(
                format!(
                    "a timeline CSV starts with `{}`; a watch-items CSV with `{}`",
                    timeline_csv::TIMELINE.columns.join(","),
                    watch_csv::WATCH_ITEMS.columns.join(",")
                ),
            ),
        );
    }
    if names.len() == 1 && names[0].contains(';') {
        return Err(Error::data(format!(
            "{label}:1: its cells are separated by ';', not ',' (the header is `{}`)",
            names[0]
        ))
        .with_hint(
            "save it as CSV with a comma as the separator (in LibreOffice: Save As, Edit filter settings, Field delimiter ',')",
        ));
    }
    detect(names).ok_or_else(|| {
        Error::data(format!(
            "{label}:1: cannot tell what the file holds from its header `{}`",
            echo(&names.join(","))
        ))
        .with_hint(both_dialects())
    })
}

/// Where each of the dialect's columns is in the file: None for one it does
/// not have. Refuses a column the dialect does not have, or one twice.
fn column_positions(
    label: &str,
    dialect: &Dialect,
    names: &[String],
) -> Result<Vec<Option<usize>>> {
    let mut positions = vec![None; dialect.columns.len()];
    for (file_index, name) in names.iter().enumerate() {
        // A rejects file, fixed, imports as it is: its reasons are not data.
        if name == crate::record::draft::REASON {
            continue;
        }
        let Some(index) = dialect.columns.iter().position(|c| c == name) else {
            return Err(Error::data(format!(
                "{label}:1: unknown column '{}' in a {}",
                echo(name),
                dialect.name
            ))
            .with_hint(format!("its columns are {}", dialect.columns.join(","))));
        };
        if positions[index].is_some() {
            return Err(Error::data(format!(
                "{label}:1: column '{}' appears twice",
                echo(name)
            )));
        }
        positions[index] = Some(file_index);
    }
    Ok(positions)
}

/// Refuses a header without each of the dialect's required columns.
fn require_columns(label: &str, dialect: &Dialect, positions: &[Option<usize>]) -> Result<()> {
    for required in dialect.required {
        let index = dialect
            .columns
            .iter()
            .position(|c| c == required)
            .unwrap_or(0);
        if positions[index].is_none() {
            return Err(Error::data(format!(
                "{label}:1: missing required column '{required}' in a {}",
                dialect.name
            ))
            .with_hint(format!("required columns: {}", dialect.required.join(","))));
        }
    }
    Ok(())
}

/// The cells of one record by dialect column, unguarded; None for a column
/// the file does not have.
pub(crate) struct Cells<'a> {
    columns: &'static [&'static str],
    cells: Vec<Option<&'a str>>,
}

impl<'a> Cells<'a> {
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        let index = self.columns.iter().position(|c| *c == name)?;
        self.cells[index]
    }

    /// The cell's text, empty when the file has no such column.
    pub(crate) fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    pub(crate) fn optional(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// A `;`-joined list cell.
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        crate::model::split_list(self.get(name).unwrap_or_default())
            .map(str::to_string)
            .collect()
    }
}

/// Reads one CSV file of either dialect into raw records.
pub struct CsvSource {
    reader: CsvReader,
    dialect: &'static Dialect,
    /// For each dialect column, the index of the file's column holding it.
    positions: Vec<Option<usize>>,
    bytes: u64,
}

impl CsvSource {
    /// Opens `path` and tells its dialect from its header.
    pub fn open(path: &Path) -> Result<CsvSource> {
        let reader = CsvReader::open(path)?;
        let names = reader.header_names()?;
        let (dialect, positions) = read_header(reader.label(), &names)?;
        Ok(CsvSource {
            reader,
            dialect,
            positions,
            bytes: 0,
        })
    }

    pub(crate) fn dialect(&self) -> &'static Dialect {
        self.dialect
    }

    /// The current record's cells by dialect column, unguarded.
    fn cells(&self) -> Result<Cells<'_>> {
        let record = self.reader.record();
        let width = record.len();
        let header = self.reader.header().len();
        if self.reader.runs_off_the_end() {
            let column = self.reader.header_name(width - 1);
            return Err(Error::data(format!(
                "column '{column}': a quoted cell is never closed and runs to the end of the file"
            ))
            .with_hint("close the quote, or double a quote meant as text (\"\")"));
        }
        if let Some((field, reason)) = self.reader.quoting_problem() {
            let column = self.reader.header_name(field);
            let hint = if reason == super::csv_reader::STRAY_QUOTE {
                "quote the whole cell and double each quote in it: \"5\"\" screen\""
            } else {
                "nothing may stand between a closing quote and the comma"
            };
            return Err(Error::data(format!("column '{column}': {reason}")).with_hint(hint));
        }
        if width != header {
            let detail = if width < header {
                format!(
                    "column '{}' and after are missing",
                    self.reader.header_name(width)
                )
            } else {
                format!("field {} has no column", header + 1)
            };
            return Err(Error::data(format!(
                "expected {header} fields, as in the header, but found {width}: {detail}"
            ))
            .with_hint("quote any cell that contains a comma"));
        }
        let mut cells = Vec::with_capacity(self.positions.len());
        for (index, position) in self.positions.iter().enumerate() {
            let cell = match position {
                None => None,
                Some(file_index) => {
                    let bytes = record.get(*file_index).unwrap_or(b"");
                    let text = std::str::from_utf8(bytes).map_err(|_| {
                        Error::data(format!(
                            "column '{}': not valid UTF-8",
                            self.dialect.columns[index]
                        ))
                        .with_hint("save the file as UTF-8")
                    })?;
                    Some(unguard(text))
                }
            };
            cells.push(cell);
        }
        Ok(Cells {
            columns: self.dialect.columns,
            cells,
        })
    }
}

impl Source for CsvSource {
    fn label(&self) -> &str {
        self.reader.label()
    }

    fn naming(&self) -> Naming {
        Naming::Column
    }

    fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn next_row(&mut self) -> Result<Option<Row>> {
        let Some(line) = self.reader.next_record()? else {
            return Ok(None);
        };
        self.bytes = self.reader.bytes_read();
        let record = self.cells().map(|cells| {
            if self.dialect == &watch_csv::WATCH_ITEMS {
                RawRecord::Watch(watch_csv::decode(&cells))
            } else {
                RawRecord::Development(timeline_csv::decode(&cells))
            }
        });
        Ok(Some(Row { line, record }))
    }

    fn raw(&self) -> RawRow<'_> {
        RawRow::Csv {
            header: self.reader.header(),
            record: self.reader.record(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::draft::RawDevelopment;

    /// Reads every row of `input`.
    fn rows_of(input: &[u8]) -> Result<(Vec<Row>, &'static Dialect)> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("in.csv");
        std::fs::write(&path, input)?;
        let mut source = CsvSource::open(&path)?;
        let mut rows = Vec::new();
        while let Some(row) = source.next_row()? {
            rows.push(row);
        }
        Ok((rows, source.dialect()))
    }

    fn development(row: &Row) -> &RawDevelopment {
        match &row.record {
            Ok(RawRecord::Development(d)) => d,
            other => panic!("not a development: {other:?}"),
        }
    }

    fn bad(row: &Row) -> String {
        match &row.record {
            Err(e) => e.message().to_string(),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn header_order_is_free_and_bom_and_crlf_are_accepted() {
        let (rows, dialect) = rows_of(
            "\u{feff}headline,date,kind,watch\r\n\"a, b\",2025-07,other,x\r\nc,2025,other,x\r\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(dialect, &timeline_csv::TIMELINE);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[1].line, 3);
        assert_eq!(development(&rows[0]).headline, "a, b");
        assert_eq!(development(&rows[0]).date, "2025-07");
        assert_eq!(development(&rows[1]).watch, ["x"]);
        assert_eq!(development(&rows[0]).texts.summary, None);
    }

    #[test]
    fn quoted_newlines_keep_line_numbers_right() {
        let (rows, _) = rows_of(
            b"date,kind,watch,headline\n2025,other,x,\"two\nlines\"\n\n2025,other,x,next\n",
        )
        .unwrap();
        assert_eq!(development(&rows[0]).headline, "two\nlines");
        assert_eq!(rows[1].line, 5, "the blank line is skipped but counted");
    }

    #[test]
    fn cells_are_unguarded_on_read() {
        let (rows, _) = rows_of(b"date,kind,watch,headline\n2025,other,x,'=1+1\n").unwrap();
        assert_eq!(development(&rows[0]).headline, "=1+1");
    }

    #[test]
    fn header_problems_name_line_one_and_the_column() {
        let message = |input: &str| rows_of(input.as_bytes()).unwrap_err().message().to_string();
        assert!(
            message("date,kind,watch,headline,colour\n")
                .ends_with(":1: unknown column 'colour' in a timeline CSV")
        );
        assert!(message("date,kind,headline\n").contains(":1: missing required column 'watch'"));
        assert!(message("date,date,kind,watch,headline\n").contains("column 'date' appears twice"));
        assert!(message("").contains(":1: the file is empty"));
        assert!(message("a,b\n").contains("cannot tell what the file holds"));
    }

    #[test]
    fn ragged_rows_bad_utf8_and_open_quotes_are_bad_records() {
        let (rows, _) = rows_of(
            b"date,kind,watch,headline\n2025,other,x\n2025,other,x,\xff\n2025,other,x,y,z\n",
        )
        .unwrap();
        assert_eq!(
            bad(&rows[0]),
            "expected 4 fields, as in the header, but found 3: column 'headline' and after are missing"
        );
        assert_eq!(rows[1].line, 3);
        assert_eq!(bad(&rows[1]), "column 'headline': not valid UTF-8");
        assert_eq!(
            bad(&rows[2]),
            "expected 4 fields, as in the header, but found 5: field 5 has no column"
        );
        let (rows, _) =
            rows_of(b"date,kind,watch,headline\n2025,other,x,fine\n2025,other,x,\"never closed\n2025,other,x,swallowed\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 3);
        assert!(bad(&rows[1]).starts_with("column 'headline': a quoted cell is never closed"));
    }

    #[test]
    fn escaped_quotes_are_text_and_stray_ones_are_refused() {
        let (rows, _) = rows_of(
            b"date,kind,watch,headline\n2025,other,x,\"say \"\"hi\"\"\"\r\n2025,other,x,5\" screen\n2025,\"other\" ,x,y\n",
        )
        .unwrap();
        assert_eq!(development(&rows[0]).headline, "say \"hi\"");
        assert_eq!(
            bad(&rows[1]),
            "column 'headline': a quote inside a cell that does not begin with one"
        );
        assert_eq!(bad(&rows[2]), "column 'kind': text after the closing quote");
    }

    #[test]
    fn a_semicolon_separated_file_and_lone_cr_line_ends_are_named() {
        let message = |input: &[u8]| rows_of(input).unwrap_err().message().to_string();
        assert!(
            message(b"date;kind;watch;headline\n2025;other;x;y\n")
                .contains("its cells are separated by ';'"),
        );
        assert!(
            message(b"date,kind,watch,headline\r2025,other,x,y\r")
                .contains("a carriage return alone (CR)"),
        );
    }

    /// Found by `cargo fuzz run csv_import`: a CR at the start of a field
    /// followed by a quote. The scanner took the quote for an opening one,
    /// lost step with the csv crate and numbered a record line 0.
    #[test]
    fn fuzz_regression_record_lines_stay_in_step() {
        let data = include_bytes!("../../fuzz/regressions/csv_import-1821fada.csv");
        let (rows, _) = rows_of(data).unwrap();
        assert_eq!(rows.len(), 7);
        let lines: Vec<u64> = rows.iter().map(|r| r.line).collect();
        // As the csv crate splits the records (checked against its byte positions).
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8]);
        let (rows, _) = rows_of(b"date,kind,watch,headline\n\r\"x\n2025,other,x,y\n").unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
    }

    #[test]
    fn watch_item_files_are_told_by_their_header() {
        let (rows, dialect) = rows_of(b"slug,title\nintl-ai-org,Org\n").unwrap();
        assert_eq!(dialect, &watch_csv::WATCH_ITEMS);
        let Ok(RawRecord::Watch(watch)) = &rows[0].record else {
            panic!()
        };
        assert_eq!(watch.slug, "intl-ai-org");
        assert!(watch.tags.is_empty());
    }
}
