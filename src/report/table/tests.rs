//! The streamed table against comfy-table laying out the whole table: the
//! same bytes, on a terminal of any width or none, in colour or not (set up
//! as `report::text` set comfy-table up before every table went through
//! `report::table`).

use proptest::prelude::*;

use super::*;
use comfy_table::{Attribute, CellAlignment, ColumnConstraint, ContentArrangement, Table, presets};

fn new_table(style: TextStyle, header: &[&str], numeric: &[usize]) -> Table {
    let mut table = Table::new();
    table.load_style(presets::NOTHING);
    table.force_no_tty();
    if style.color {
        table.enforce_styling();
    }
    table.set_header(header.iter().map(|h| {
        let cell = comfy_table::Cell::new(h);
        if style.color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    let last = header.len().saturating_sub(1);
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if index == last { 0 } else { 2 }));
        if numeric.contains(&index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

fn fit(table: &mut Table, style: TextStyle, wrap: &[usize]) {
    let Some(width) = style.width else {
        return;
    };
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.set_width(width);
    for (index, column) in table.column_iter_mut().enumerate() {
        if !wrap.contains(&index) {
            column.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
}

fn comfy_colour(c: Colour) -> comfy_table::Color {
    use comfy_table::Color;
    match c {
        Colour::Default => Color::Reset,
        Colour::DarkGrey => Color::DarkGrey,
        Colour::Red => Color::Red,
        Colour::Green => Color::Green,
        Colour::Yellow => Color::Yellow,
        Colour::Blue => Color::Blue,
        Colour::Cyan => Color::Cyan,
    }
}

const TIMELINE: Columns = Columns {
    header: &["DATE", "ID", "KIND", "WATCH", "ACTORS", "HEADLINE"],
    numeric: &[],
    words: &[3, 4, 5],
    optional: &[4, 2, 3],
};

const NUMBERS: Columns = Columns {
    header: &["NAME", "N", "NOTE"],
    numeric: &[1],
    words: &[2],
    optional: &[],
};

/// What comfy-table writes for the whole table, less the columns a
/// terminal too narrow for it leaves out, with the line that says so.
fn comfy(columns: &Columns, rows: &[Vec<Cell<'_>>], style: TextStyle) -> String {
    let mut widths = Widths::of(columns);
    for row in rows {
        widths.measure(row);
    }
    let hidden = hidden(columns, &widths, style);
    let shown: Vec<usize> = (0..columns.header.len())
        .filter(|i| !hidden.contains(i))
        .collect();
    let at = |i: &usize| shown.iter().position(|s| s == i);
    let header: Vec<&str> = shown.iter().map(|&i| columns.header[i]).collect();
    let numeric: Vec<usize> = columns.numeric.iter().filter_map(at).collect();
    let words: Vec<usize> = columns.words.iter().filter_map(at).collect();
    let mut table = new_table(style, &header, &numeric);
    for row in rows {
        let row = shown.iter().filter_map(|&i| row.get(i));
        table.add_row(row.map(|cell| {
            let c = comfy_table::Cell::new(&cell.text);
            match (style.color, cell.paint) {
                (true, Paint::Fg(colour)) => c.fg(comfy_colour(colour)),
                _ => c,
            }
        }));
    }
    fit(&mut table, style, &words);
    let note = if hidden.is_empty() {
        String::new()
    } else {
        format!(
            "{}\n",
            left_out_note(
                columns.header,
                &hidden,
                usize::from(style.width.unwrap_or(u16::MAX))
            )
        )
    };
    format!("{}\n{note}", table.trim_fmt())
}

/// What the streamed table writes, and how many passes it read. Where the
/// last column need not be measured, the measuring passes leave it empty.
fn streamed<'r>(columns: &Columns, rows: &[Vec<Cell<'r>>], style: TextStyle) -> (String, usize) {
    let mut out = Vec::new();
    let mut passes = 0;
    let unmeasured: Vec<Vec<Cell<'r>>> = rows
        .iter()
        .map(|row| {
            let mut row = row.clone();
            if let Some(last) = row.last_mut() {
                last.text = "".into();
            }
            row
        })
        .collect();
    let skip = !measures_last(columns, style);
    let mut feed = |pass: Pass, sink: &mut dyn FnMut(&Vec<Cell<'r>>) -> Result<()>| {
        passes += 1;
        let rows = if skip && pass == Pass::Measure {
            &unmeasured
        } else {
            rows
        };
        rows.iter().try_for_each(sink)
    };
    let written = write(*columns, style, &mut feed, &|row| row.clone(), &mut out).unwrap();
    assert_eq!(written, rows.len());
    (String::from_utf8(out).unwrap(), passes)
}

/// comfy-table's layout of a table with no rows is its header; the
/// streamed table writes nothing then, and its callers say why.
fn comfy_or_nothing(columns: &Columns, rows: &[Vec<Cell<'_>>], style: TextStyle) -> String {
    if rows.is_empty() {
        String::new()
    } else {
        comfy(columns, rows, style)
    }
}

fn style(width: Option<u16>, color: bool) -> TextStyle {
    TextStyle {
        color,
        terminal: width.is_some(),
        width,
    }
}

fn row(texts: &[&'static str]) -> Vec<Cell<'static>> {
    texts
        .iter()
        .enumerate()
        .map(|(n, t)| {
            if n == 1 {
                Cell::dim(*t)
            } else {
                Cell::plain(*t)
            }
        })
        .collect()
}

#[test]
fn a_small_timeline_reads_as_comfy_table_lays_it_out() {
    let rows = vec![
        row(&[
            "2025-07-26",
            "jtce187y",
            "statement",
            "intl-ai-org=emerging",
            "China",
            "Premier Li Qiang proposes a new international AI cooperation organisation",
        ]),
        row(&[
            "../2025-07",
            "ct7n11xd",
            "org-launch",
            "us-counter-moves=emerging intl-response",
            "US, 中国",
            "US forms AI Innovation Councils supporting American companies",
        ]),
        row(&["2025", "x", "other", "", "", ""]),
    ];
    for width in [
        None,
        Some(200),
        Some(120),
        Some(80),
        Some(60),
        Some(30),
        Some(5),
    ] {
        for color in [false, true] {
            let style = style(width, color);
            let (text, passes) = streamed(&TIMELINE, &rows, style);
            assert_eq!(text, comfy(&TIMELINE, &rows, style), "{width:?} {color}");
            if width.is_none() {
                assert_eq!(passes, 2, "one pass to measure, one to write");
            }
        }
    }
}

#[test]
fn the_width_pass_takes_the_widest_line_of_each_column_in_terminal_columns() {
    let mut widths = Widths::of(&NUMBERS);
    assert_eq!(widths.get(), [4, 1, 4]);
    widths.measure(&[
        Cell::plain("中国"),
        Cell::plain(""),
        Cell::plain("a\nlonger line"),
    ]);
    widths.measure(&[Cell::plain("e\u{301}"), Cell::plain("12")]);
    // 中国 is four columns wide; a combining accent none; every line counts.
    assert_eq!(widths.get(), [4, 2, 11]);
    widths.measure(&[Cell::plain("Côte d'Ivoire")]);
    assert_eq!(widths.get(), [13, 2, 11]);
}

#[test]
fn numbers_align_right_and_an_empty_table_is_its_header() {
    let rows = vec![
        vec![Cell::plain("a"), Cell::plain("7"), Cell::plain("x")],
        vec![Cell::plain("bb"), Cell::plain("1234"), Cell::plain("")],
    ];
    let (text, _) = streamed(&NUMBERS, &rows, style(None, false));
    assert_eq!(text, "NAME     N  NOTE\na        7  x\nbb    1234\n");
    assert_eq!(text, comfy(&NUMBERS, &rows, style(None, false)));
    let (empty, passes) = streamed(&NUMBERS, &[], style(None, false));
    assert_eq!((empty.as_str(), passes), ("", 1));
}

/// Text with what makes layout hard: spaces (runs of them too), wide and
/// combining characters, newlines, long words.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => "[a-z]{1,9}",
            2 => Just(" ".to_string()),
            1 => Just("  ".to_string()),
            1 => Just("人工智能".to_string()),
            1 => Just("e\u{301}".to_string()),
            1 => Just("\n".to_string()),
            1 => "[a-z]{20,40}",
            1 => Just("🙂".to_string()),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_table_at_any_width_reads_as_comfy_table_lays_it_out(
        rows in proptest::collection::vec(proptest::collection::vec(text(), 6), 0..8),
        width in prop_oneof![Just(None), (1u16..240).prop_map(Some)],
        color in any::<bool>(),
    ) {
        let rows: Vec<Vec<Cell<'_>>> = rows
            .iter()
            .map(|r| r.iter().enumerate().map(|(n, t)| {
                if n == 1 { Cell::dim(t.as_str()) } else { Cell::plain(t.as_str()) }
            }).collect())
            .collect();
        let style = style(width, color);
        prop_assert_eq!(streamed(&TIMELINE, &rows, style).0, comfy_or_nothing(&TIMELINE, &rows, style));
    }

    #[test]
    fn held_tables_read_as_comfy_table_lays_them_out(
        rows in proptest::collection::vec(proptest::collection::vec(text(), 3), 0..6),
        width in prop_oneof![Just(None), (1u16..120).prop_map(Some)],
        color in any::<bool>(),
        colour in 0usize..7,
    ) {
        let colours = [Colour::Default, Colour::DarkGrey, Colour::Red, Colour::Green, Colour::Yellow, Colour::Blue, Colour::Cyan];
        let rows: Vec<Vec<Cell<'_>>> = rows
            .iter()
            .map(|r| r.iter().enumerate().map(|(n, t)| {
                if n == 1 { Cell::plain(t.chars().filter(|c| c.is_ascii_lowercase()).count().to_string()) }
                else if n == 0 { Cell::painted(t.as_str(), Paint::Fg(colours[colour])) }
                else { Cell::plain(t.as_str()) }
            }).collect())
            .collect();
        let style = style(width, color);
        let mut out = Vec::new();
        write_held(NUMBERS, style, &rows, &mut out).unwrap();
        prop_assert_eq!(String::from_utf8(out).unwrap(), comfy(&NUMBERS, &rows, style));
    }
}
