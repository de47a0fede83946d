//! Every text table lookout prints. Written row by row, for selections of
//! any size: the rows are read once to measure each column, then again to
//! write them, so only the widths are held, never the rows (`write`); the
//! tables held whole — the status table, the listings — go the same way
//! (`write_held`). Borderless, columns two spaces apart, numbers
//! right-aligned, bold headings, trailing spaces trimmed; on a terminal the
//! words columns wrap to its width (`wrap`), which may read the rows once
//! more for each width a wrapped column is tried at. Widths are terminal
//! columns (`unicode-width`); colour codes are not counted.

mod fold;
mod wrap;

pub(crate) use fold::{fold, shorten};

use std::borrow::Cow;
use std::io::Write;

use unicode_width::UnicodeWidthStr;

use crate::error::Result;
use crate::style::TextStyle;

/// The columns of a table.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    pub header: &'a [&'a str],
    /// Right-aligned.
    pub numeric: &'a [usize],
    /// Columns of words, which wrap to fit a terminal; the others (slugs,
    /// ids, dates, kinds: what a user types next) keep their width and are
    /// never split.
    pub words: &'a [usize],
    /// Columns a terminal too narrow for the table leaves out, the least
    /// needed first, until the others fit with `MIN_WRAP` for each column of
    /// words (`left_out`). Never the last column.
    pub optional: &'a [usize],
}

/// Room the wrapping columns need to read as text.
pub(crate) const MIN_WRAP: usize = 12;

/// The columns a terminal `width` wide leaves out: of `optional`, in its
/// order, as many as it takes for the columns that keep their width, their
/// padding and `room` for each column of words to fit. When even that does
/// not fit, every optional column goes and the kept columns still keep
/// their width: a token is never split, though the line is then wider.
pub fn left_out(
    widths: &[u16],
    words: &[usize],
    optional: &[usize],
    room: usize,
    width: usize,
) -> Vec<usize> {
    let needs = |out: &[usize]| -> usize {
        let shown: Vec<usize> = (0..widths.len()).filter(|i| !out.contains(i)).collect();
        let pads = 2 * shown.len().saturating_sub(1);
        shown
            .iter()
            .map(|&i| {
                if words.contains(&i) {
                    room
                } else {
                    usize::from(widths[i])
                }
            })
            .sum::<usize>()
            + pads
    };
    let mut out = Vec::new();
    for &column in optional {
        if needs(&out) <= width {
            break;
        }
        out.push(column);
    }
    out
}

/// The line under a table that left columns out, naming them, folded to
/// the terminal's `width`.
pub fn left_out_note(header: &[&str], out: &[usize], width: usize) -> String {
    let names: Vec<&str> = out.iter().filter_map(|&i| header.get(i).copied()).collect();
    let note = format!("Left out to fit: {} (--wide shows all)", names.join(", "));
    fold(&note, width, usize::MAX)
}

/// How a cell is drawn where colour is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    Plain,
    /// Bold: headings.
    Bold,
    /// In a colour: ids dark grey, which the eye skips; a status in its own.
    Fg(Colour),
}

/// The colours a cell is drawn in: the terminal's default and the first 16
/// of its 256, which every colour scheme sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Default,
    DarkGrey,
    Red,
    Green,
    Yellow,
    Blue,
    Cyan,
}

impl Colour {
    /// The escape sequence's parameters (SGR) that set it.
    fn sgr(self) -> &'static str {
        match self {
            Colour::Default => "39",
            Colour::DarkGrey => "38;5;8",
            Colour::Red => "38;5;9",
            Colour::Green => "38;5;10",
            Colour::Yellow => "38;5;11",
            Colour::Blue => "38;5;12",
            Colour::Cyan => "38;5;14",
        }
    }
}

/// One cell: its text (lines split at `\n`) and paint.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    pub text: Cow<'a, str>,
    pub paint: Paint,
}

impl<'a> Cell<'a> {
    pub fn plain(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::painted(text, Paint::Plain)
    }

    /// Dark grey where colour is wanted.
    pub fn dim(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell::painted(text, Paint::Fg(Colour::DarkGrey))
    }

    pub fn painted(text: impl Into<Cow<'a, str>>, paint: Paint) -> Cell<'a> {
        Cell {
            text: text.into(),
            paint,
        }
    }
}

/// The widest line of each column so far, headings included, in terminal
/// columns (`unicode-width`), at least 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Widths(Vec<u16>);

impl Widths {
    /// The headings' widths: where measuring starts.
    pub fn of(columns: &Columns<'_>) -> Widths {
        let mut widths = Widths(vec![0; columns.header.len()]);
        for (index, heading) in columns.header.iter().enumerate() {
            widths.take(index, heading);
        }
        widths
    }

    /// Takes a row into account.
    pub fn measure(&mut self, cells: &[Cell<'_>]) {
        for (index, cell) in cells.iter().enumerate().take(self.0.len()) {
            self.take(index, &cell.text);
        }
    }

    fn take(&mut self, index: usize, text: &str) {
        let widest = text.split('\n').map(|l| l.width()).max().unwrap_or(0);
        let widest = u16::try_from(widest).unwrap_or(u16::MAX).max(1);
        self.0[index] = self.0[index].max(widest);
    }

    #[cfg(test)]
    pub fn get(&self) -> &[u16] {
        &self.0
    }
}

/// The spaces after a column: two, none after the last.
fn padding(columns: &Columns<'_>, index: usize) -> u16 {
    if index + 1 == columns.header.len() {
        0
    } else {
        2
    }
}

/// The columns a table in this style leaves out (`left_out`): none off a
/// terminal.
pub fn hidden(columns: &Columns<'_>, widths: &Widths, style: TextStyle) -> Vec<usize> {
    match style.width {
        None => Vec::new(),
        Some(width) => left_out(
            &widths.0,
            columns.words,
            columns.optional,
            MIN_WRAP,
            usize::from(width),
        ),
    }
}

/// How wide each column's content is drawn: its widest line, or on a
/// terminal (`style.width`) what `wrap::arrange` gives the columns shown
/// (those not `hidden`; a hidden one gets 0). Columns other than words keep
/// their width. `longest(column, width)` reads the rows again for how wide
/// a words column's longest line is once split to `width` (called only on
/// a terminal too narrow for the table).
pub fn arrange(
    columns: &Columns<'_>,
    widths: &Widths,
    style: TextStyle,
    hidden: &[usize],
    longest: &mut dyn FnMut(usize, usize) -> Result<usize>,
) -> Result<Vec<u16>> {
    let Some(width) = style.width else {
        return Ok(widths.0.clone());
    };
    let shown: Vec<usize> = (0..widths.0.len())
        .filter(|i| !hidden.contains(i))
        .collect();
    let fits: Vec<wrap::Fit> = shown
        .iter()
        .map(|&index| wrap::Fit {
            widest: widths.0[index],
            padding: padding(columns, index),
            kept: !columns.words.contains(&index),
        })
        .collect();
    let arranged = wrap::arrange(&fits, usize::from(width), &mut |n, w| longest(shown[n], w))?;
    let mut all = vec![0; widths.0.len()];
    for (index, width) in shown.into_iter().zip(arranged) {
        all[index] = width;
    }
    Ok(all)
}

/// How wide a cell's longest line is once split to `width`: what
/// `arrange`'s `longest` is made of.
pub fn longest_after_split(cell: &Cell<'_>, width: usize) -> usize {
    wrap::longest_after_split(&cell.text, width)
}

/// Whether a table in this style needs its last column measured. It does
/// not off a terminal and without colour: the column is never split there
/// (its width is its widest line) and its padding is trimmed from the line
/// (in colour it is not: it sits inside the escape sequences). Rows read to
/// measure may then leave it empty, and `Layout` writes it as it is.
pub fn measures_last(columns: &Columns<'_>, style: TextStyle) -> bool {
    let last = columns.header.len().saturating_sub(1);
    style.width.is_some() || style.color || columns.numeric.contains(&last)
}

/// Writes rows laid out at fixed widths (from `arrange`).
pub struct Layout<'c> {
    columns: Columns<'c>,
    widths: Vec<u16>,
    /// Columns left out (`hidden`).
    hidden: Vec<usize>,
    color: bool,
    /// The last column is written as it is (`measures_last`).
    last_as_is: bool,
}

impl<'c> Layout<'c> {
    pub fn new(
        columns: Columns<'c>,
        widths: Vec<u16>,
        hidden: Vec<usize>,
        style: TextStyle,
    ) -> Layout<'c> {
        Layout {
            columns,
            widths,
            hidden,
            color: style.color,
            last_as_is: !measures_last(&columns, style),
        }
    }

    /// The headings, bold where colour is wanted.
    pub fn header(&self, out: &mut dyn Write) -> Result<()> {
        let cells: Vec<Cell<'_>> = self
            .columns
            .header
            .iter()
            .map(|h| Cell::painted(*h, Paint::Bold))
            .collect();
        self.row(&cells, out)
    }

    /// One row, in as many lines as its wrapped cells take.
    pub fn row(&self, cells: &[Cell<'_>], out: &mut dyn Write) -> Result<()> {
        let parts: Vec<Vec<String>> = self
            .widths
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.hidden.contains(index))
            .map(|(index, width)| match cells.get(index) {
                Some(cell) => self.cell_lines(index, *width, cell),
                None => vec![" ".repeat(self.full_width(index))],
            })
            .collect();
        let height = parts.iter().map(Vec::len).max().unwrap_or(0);
        let mut line = String::new();
        for n in 0..height {
            line.clear();
            let shown = (0..self.widths.len()).filter(|i| !self.hidden.contains(i));
            for (index, lines) in shown.zip(parts.iter()) {
                match lines.get(n) {
                    Some(part) => line.push_str(part),
                    None => line.extend(std::iter::repeat_n(' ', self.full_width(index))),
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }

    fn full_width(&self, index: usize) -> usize {
        usize::from(self.widths[index]) + usize::from(padding(&self.columns, index))
    }

    /// A cell's lines, each split to the column's width where wider, then
    /// aligned, padded and painted.
    fn cell_lines(&self, index: usize, width: u16, cell: &Cell<'_>) -> Vec<String> {
        if self.last_as_is && index + 1 == self.widths.len() {
            // Unmeasured: off a terminal nothing is split, and without
            // colour its padding would be trimmed from the line.
            return cell.text.split('\n').map(str::to_string).collect();
        }
        let width = usize::from(width);
        let mut lines: Vec<Cow<'_, str>> = Vec::new();
        for line in cell.text.split('\n') {
            if line.width() > width {
                lines.extend(wrap::split_line(line, width).into_iter().map(Cow::Owned));
            } else {
                lines.push(Cow::Borrowed(line));
            }
        }
        let right = self.columns.numeric.contains(&index);
        let pad = usize::from(padding(&self.columns, index));
        lines
            .into_iter()
            .map(|line| {
                let spare = width.saturating_sub(line.width());
                let (before, after) = if right { (spare, 0) } else { (0, spare) };
                let mut padded = String::with_capacity(line.len() + spare + pad);
                padded.extend(std::iter::repeat_n(' ', before));
                padded.push_str(&line);
                padded.extend(std::iter::repeat_n(' ', after + pad));
                self.paint(padded, cell.paint)
            })
            .collect()
    }

    /// The escape sequences around a cell's line, padding included.
    fn paint(&self, text: String, paint: Paint) -> String {
        match (self.color, paint) {
            (false, _) | (true, Paint::Plain) => text,
            (true, Paint::Fg(colour)) => format!("\u{1b}[{}m{text}\u{1b}[39m", colour.sgr()),
            (true, Paint::Bold) => format!("\u{1b}[1m{text}\u{1b}[0m"),
        }
    }
}

/// Why a table reads its rows: to measure them (any order will do, and the
/// last column may be left empty unless `measures_last`) or to write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    Measure,
    Write,
}

/// Rows a table may read more than once: each call hands every row to the
/// sink, the same rows each time (commands read one snapshot).
pub type Rows<'a, T> = dyn FnMut(Pass, &mut dyn FnMut(&T) -> Result<()>) -> Result<()> + 'a;

/// Writes the table of `rows`, each made into cells by `cells`: one pass
/// measures, the next writes (on a terminal too narrow for it, a pass more
/// for each width a words column is tried at). On a terminal too narrow for
/// every column, the optional ones are left out and a line under the table
/// says so. Returns how many rows it wrote; with none, it writes nothing,
/// not even the headings.
pub fn write<T>(
    columns: Columns<'_>,
    style: TextStyle,
    rows: &mut Rows<'_, T>,
    cells: &dyn Fn(&T) -> Vec<Cell<'_>>,
    out: &mut dyn Write,
) -> Result<usize> {
    let mut widths = Widths::of(&columns);
    let mut measured = 0usize;
    rows(Pass::Measure, &mut |row| {
        measured += 1;
        widths.measure(&cells(row));
        Ok(())
    })?;
    if measured == 0 {
        return Ok(0);
    }
    write_measured(columns, style, &widths, rows, cells, out)
}

/// Writes a table held whole (a row per watch item, a listing) as `write`
/// writes one, except that with no rows it is its headings.
pub fn write_held<'a>(
    columns: Columns<'_>,
    style: TextStyle,
    rows: &[Vec<Cell<'a>>],
    out: &mut dyn Write,
) -> Result<()> {
    let mut widths = Widths::of(&columns);
    for row in rows {
        widths.measure(row);
    }
    let mut feed = |_: Pass, sink: &mut dyn FnMut(&Vec<Cell<'a>>) -> Result<()>| {
        rows.iter().try_for_each(&mut *sink)
    };
    write_measured(columns, style, &widths, &mut feed, &|row| row.clone(), out)?;
    Ok(())
}

/// Writes the table of `rows` once each column's widest line is known:
/// arranged to the terminal, headings, rows, and the line naming the
/// columns left out.
fn write_measured<T>(
    columns: Columns<'_>,
    style: TextStyle,
    widths: &Widths,
    rows: &mut Rows<'_, T>,
    cells: &dyn Fn(&T) -> Vec<Cell<'_>>,
    out: &mut dyn Write,
) -> Result<usize> {
    // Each width a column is tried at costs a pass over the rows, which
    // measures every column at it (only on a terminal too narrow for the
    // table; only columns left to wrap are tried).
    let mut tried: std::collections::HashMap<(usize, usize), usize> = Default::default();
    let mut longest = |column: usize, width: usize| -> Result<usize> {
        if let Some(found) = tried.get(&(column, width)) {
            return Ok(*found);
        }
        let mut found: Vec<usize> = columns
            .header
            .iter()
            .map(|h| longest_after_split(&Cell::plain(*h), width))
            .collect();
        rows(Pass::Measure, &mut |row| {
            for (longest, cell) in found.iter_mut().zip(cells(row).iter()) {
                *longest = (*longest).max(longest_after_split(cell, width));
            }
            Ok(())
        })?;
        for (c, longest) in found.iter().enumerate() {
            tried.insert((c, width), *longest);
        }
        Ok(found.get(column).copied().unwrap_or(0))
    };
    let hidden = hidden(&columns, widths, style);
    let arranged = arrange(&columns, widths, style, &hidden, &mut longest)?;
    let layout = Layout::new(columns, arranged, hidden.clone(), style);
    layout.header(out)?;
    let mut count = 0;
    rows(Pass::Write, &mut |row| {
        count += 1;
        layout.row(&cells(row), out)
    })?;
    if !hidden.is_empty() {
        let width = usize::from(style.width.unwrap_or(u16::MAX));
        writeln!(out, "{}", left_out_note(columns.header, &hidden, width))?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests;
