//! The tables as a user sees them, against literal text: widths counted in
//! terminal columns (wide, combining and emoji characters), colour codes
//! not counted, words columns wrapped on a terminal and the others kept
//! whole, optional columns left out of a terminal too narrow and said.
//! These are the bytes comfy-table wrote for the same tables when lookout
//! used it (every snapshot in tests/cli holds them too).

use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

use super::*;

const TIMELINE: Columns<'static> = Columns {
    header: &["DATE", "ID", "KIND", "WATCH", "ACTORS", "HEADLINE"],
    numeric: &[],
    words: &[3, 4, 5],
    optional: &[4, 2, 3],
};

const NUMBERS: Columns<'static> = Columns {
    header: &["NAME", "N", "NOTE"],
    numeric: &[1],
    words: &[2],
    optional: &[],
};

/// What the streamed table writes, and how many passes it read. Where the
/// last column need not be measured, the measuring passes leave it empty.
fn streamed<'r>(
    columns: &Columns<'_>,
    rows: &[Vec<Cell<'r>>],
    style: TextStyle,
) -> (String, usize) {
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

fn held(columns: &Columns<'_>, rows: &[Vec<Cell<'_>>], style: TextStyle) -> String {
    let mut out = Vec::new();
    write_held(*columns, style, rows, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn style(width: Option<u16>, color: bool) -> TextStyle {
    TextStyle {
        color,
        terminal: width.is_some(),
        width,
    }
}

/// A timeline row: the id dim, the rest plain.
fn row<'a>(texts: &[&'a str]) -> Vec<Cell<'a>> {
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

/// Rows with what makes layout hard: a long headline, a wide script
/// (中国: four columns), an emoji, a combining accent, a long word, empty
/// cells.
fn awkward() -> Vec<Vec<Cell<'static>>> {
    vec![
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
            "人工智能全球治理行动计划 published 🙂",
        ]),
        row(&[
            "2025 (scheduled)",
            "x",
            "other",
            "",
            "",
            "Cafe\u{301} supercalifragilisticexpialidocious-standards-body",
        ]),
    ]
}

/// Lines as written: each ends with a newline.
fn lines(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn off_a_terminal_each_column_is_as_wide_as_its_widest_line_in_terminal_columns() {
    let (text, passes) = streamed(&TIMELINE, &awkward(), style(None, false));
    assert_eq!(passes, 2, "one pass to measure, one to write");
    assert_eq!(
        text,
        lines(&[
            "DATE              ID        KIND        WATCH                                    ACTORS    HEADLINE",
            "2025-07-26        jtce187y  statement   intl-ai-org=emerging                     China     Premier Li Qiang proposes a new international AI cooperation organisation",
            "../2025-07        ct7n11xd  org-launch  us-counter-moves=emerging intl-response  US, 中国  人工智能全球治理行动计划 published 🙂",
            "2025 (scheduled)  x         other                                                          Cafe\u{301} supercalifragilisticexpialidocious-standards-body",
        ])
    );
}

#[test]
fn colour_codes_wrap_each_padded_cell_and_take_no_room() {
    let (text, _) = streamed(&TIMELINE, &awkward(), style(None, true));
    // Headings bold, ids dark grey, each cell's padding inside its codes:
    // only plain spaces at the end of a line are trimmed.
    assert_eq!(
        text,
        lines(&[
            "\u{1b}[1mDATE              \u{1b}[0m\u{1b}[1mID        \u{1b}[0m\u{1b}[1mKIND        \u{1b}[0m\u{1b}[1mWATCH                                    \u{1b}[0m\u{1b}[1mACTORS    \u{1b}[0m\u{1b}[1mHEADLINE                                                                 \u{1b}[0m",
            "2025-07-26        \u{1b}[38;5;8mjtce187y  \u{1b}[39mstatement   intl-ai-org=emerging                     China     Premier Li Qiang proposes a new international AI cooperation organisation",
            "../2025-07        \u{1b}[38;5;8mct7n11xd  \u{1b}[39morg-launch  us-counter-moves=emerging intl-response  US, 中国  人工智能全球治理行动计划 published 🙂",
            "2025 (scheduled)  \u{1b}[38;5;8mx         \u{1b}[39mother                                                          Cafe\u{301} supercalifragilisticexpialidocious-standards-body",
        ])
    );
}

#[test]
fn on_a_terminal_the_words_columns_wrap_and_the_others_keep_their_width() {
    let (text, _) = streamed(&TIMELINE, &awkward(), style(Some(80), false));
    // Words kept whole where they fit; a word wider than its column, and a
    // line of a wide script, cut at a character (never inside one).
    assert_eq!(
        text,
        lines(&[
            "DATE              ID        KIND        WATCH           ACTORS    HEADLINE",
            "2025-07-26        jtce187y  statement   intl-ai-org=em  China     Premier Li",
            "                                        erging                    Qiang proposes",
            "                                                                  a new",
            "                                                                  international",
            "                                                                  AI cooperation",
            "                                                                  organisation",
            "../2025-07        ct7n11xd  org-launch  us-counter-mov  US, 中国  人工智能全球治",
            "                                        es=emerging               理行动计划",
            "                                        intl-response             published 🙂",
            "2025 (scheduled)  x         other                                 Cafe\u{301} supercali",
            "                                                                  fragilisticexp",
            "                                                                  ialidocious-st",
            "                                                                  andards-body",
        ])
    );
}

#[test]
fn a_terminal_too_narrow_leaves_the_optional_columns_out_and_says_so() {
    let (text, _) = streamed(&TIMELINE, &awkward(), style(Some(60), true));
    assert_eq!(
        text,
        lines(&[
            "\u{1b}[1mDATE              \u{1b}[0m\u{1b}[1mID        \u{1b}[0m\u{1b}[1mWATCH            \u{1b}[0m\u{1b}[1mHEADLINE       \u{1b}[0m",
            "2025-07-26        \u{1b}[38;5;8mjtce187y  \u{1b}[39mintl-ai-org=eme  Premier Li",
            "                            rging            Qiang proposes",
            "                                             a new",
            "                                             international",
            "                                             AI cooperation",
            "                                             organisation",
            "../2025-07        \u{1b}[38;5;8mct7n11xd  \u{1b}[39mus-counter-move  人工智能全球治",
            "                            s=emerging       理行动计划",
            "                            intl-response    published 🙂",
            "2025 (scheduled)  \u{1b}[38;5;8mx         \u{1b}[39m                 Cafe\u{301} supercalif",
            "                                             ragilisticexpia",
            "                                             lidocious-stand",
            "                                             ards-body",
            "Left out to fit: ACTORS, KIND (--wide shows all)",
        ])
    );
    // Narrower, more goes, and the note folds to the terminal too.
    let (text, _) = streamed(&TIMELINE, &awkward(), style(Some(45), false));
    assert_eq!(
        text,
        lines(&[
            "DATE              ID        HEADLINE",
            "2025-07-26        jtce187y  Premier Li Qiang",
            "                            proposes a new",
            "                            international AI",
            "                            cooperation",
            "                            organisation",
            "../2025-07        ct7n11xd  人工智能全球治理",
            "                            行动计划",
            "                            published 🙂",
            "2025 (scheduled)  x         Cafe\u{301} supercalifra",
            "                            gilisticexpialido",
            "                            cious-standards-b",
            "                            ody",
            "Left out to fit: ACTORS, KIND, WATCH (--wide",
            "shows all)",
        ])
    );
}

#[test]
fn a_line_is_split_at_spaces_and_a_word_too_wide_at_a_character() {
    let split = |line, width| wrap::split_line(line, width);
    assert_eq!(
        split("人工智能全球治理行动计划", 5),
        ["人工", "智能", "全球", "治理", "行动", "计划"]
    );
    assert_eq!(split("a🙂🙂b", 3), ["a🙂", "🙂b"]);
    assert_eq!(
        split("Cafe\u{301}s are open", 4),
        ["Cafe\u{301}", "s", "are", "open"]
    );
    assert_eq!(
        split("supercalifragilistic word", 8),
        ["supercal", "ifragili", "stic", "word"]
    );
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
fn numbers_align_right_and_a_streamed_table_with_no_rows_is_nothing() {
    let rows = vec![
        vec![Cell::plain("a"), Cell::plain("7"), Cell::plain("x")],
        vec![Cell::plain("bb"), Cell::plain("1234"), Cell::plain("")],
    ];
    let (text, _) = streamed(&NUMBERS, &rows, style(None, false));
    assert_eq!(text, "NAME     N  NOTE\na        7  x\nbb    1234\n");
    let (empty, passes) = streamed(&NUMBERS, &[], style(None, false));
    assert_eq!((empty.as_str(), passes), ("", 1));
}

#[test]
fn a_held_table_paints_its_cells_and_with_no_rows_is_its_headings() {
    let rows = vec![
        vec![
            Cell::painted("open", Paint::Fg(Colour::Default)),
            Cell::plain("7"),
            Cell::plain("a note"),
        ],
        vec![
            Cell::painted("stalled", Paint::Fg(Colour::Yellow)),
            Cell::plain("1234"),
            Cell::plain(""),
        ],
    ];
    assert_eq!(
        held(&NUMBERS, &rows, style(None, true)),
        lines(&[
            "\u{1b}[1mNAME     \u{1b}[0m\u{1b}[1m   N  \u{1b}[0m\u{1b}[1mNOTE  \u{1b}[0m",
            "\u{1b}[39mopen     \u{1b}[39m   7  a note",
            "\u{1b}[38;5;11mstalled  \u{1b}[39m1234",
        ])
    );
    // The numbers keep their width; the words column gets what is left.
    assert_eq!(
        held(&NUMBERS, &rows, style(Some(14), false)),
        lines(&[
            "NAME        N  N",
            "               O",
            "               T",
            "               E",
            "open        7  a",
            "               n",
            "               o",
            "               t",
            "               e",
            "stalled  1234",
        ])
    );
    assert_eq!(
        held(&NUMBERS, &[], style(Some(40), true)),
        "\u{1b}[1mNAME  \u{1b}[0m\u{1b}[1mN  \u{1b}[0m\u{1b}[1mNOTE\u{1b}[0m\n"
    );
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

/// `text` without its escape sequences (`ESC [ … m`).
fn uncoloured(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = rest.find('m').map_or("", |end| &rest[end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Whether a terminal `width` wide has room for the timeline table of
/// `rows`, once the optional columns it leaves out are out: for the columns
/// kept at their width, their padding and `MIN_WRAP` for each words column.
fn has_room(rows: &[Vec<Cell<'_>>], width: u16) -> bool {
    let mut widths = Widths::of(&TIMELINE);
    rows.iter().for_each(|r| widths.measure(r));
    let hidden = hidden(&TIMELINE, &widths, style(Some(width), false));
    let needs: usize = (0..TIMELINE.header.len())
        .filter(|c| !hidden.contains(c))
        .map(|c| match TIMELINE.words.contains(&c) {
            true => MIN_WRAP + 2,
            false => usize::from(widths.get()[c]) + 2,
        })
        .sum();
    needs - 2 <= usize::from(width)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_table_reads_the_same_streamed_or_held_in_colour_or_not(
        rows in proptest::collection::vec(proptest::collection::vec(text(), 6), 1..8),
        width in prop_oneof![Just(None), (1u16..240).prop_map(Some)],
    ) {
        let rows: Vec<Vec<Cell<'_>>> = rows
            .iter()
            .map(|r| row(&r.iter().map(String::as_str).collect::<Vec<_>>()))
            .collect();
        let plain = streamed(&TIMELINE, &rows, style(width, false)).0;
        // The measuring passes may skip the last column, or not.
        prop_assert_eq!(&plain, &held(&TIMELINE, &rows, style(width, false)));
        // Colour moves nothing: without its codes (and the spaces they kept
        // from being trimmed) the coloured table is the plain one.
        let coloured = streamed(&TIMELINE, &rows, style(width, true)).0;
        let stripped: String = uncoloured(&coloured)
            .lines()
            .map(|l| format!("{}\n", l.trim_end()))
            .collect();
        prop_assert_eq!(&stripped, &plain);
        // On a terminal with room for the table, no line is wider.
        if let Some(width) = width.filter(|&w| has_room(&rows, w)) {
            for line in plain.lines() {
                prop_assert!(line.width() <= usize::from(width), "{width}: {line:?}");
            }
        }
    }
}
