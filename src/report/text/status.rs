//! The status report as a text table: fitted to a terminal without splitting
//! a slug, id, date, status or count; free text folded or shortened; the
//! least needed columns left out, and said.

use super::*;

/// The status table's headings; DUE only where something is due.
const STATUS_HEADER: [&str; 10] = [
    "ITEM", "STATUS", "SINCE", "DEVS", "LAST", "QUIET", "STALE", "DUE", "TITLE", "LATEST",
];

/// The columns of free text, folded to fit a terminal.
const STATUS_WORDS: [&str; 3] = ["DUE", "TITLE", "LATEST"];

/// What a terminal too narrow for every column leaves out, the least
/// needed first: the counts a glance at STATUS and LATEST can spare, then
/// the dates, then whether an item went stale (news of a question gone
/// quiet, which nothing else shows), then the title (the slug names the
/// item). A STALE column with no item stale says nothing: it goes second.
const STATUS_OPTIONAL: [&str; 6] = ["QUIET", "DEVS", "LAST", "SINCE", "STALE", "TITLE"];

/// Room a column of free text needs to read as text in the status table.
const STATUS_ROOM: usize = 16;

/// Lines a title or headline may take in the status table before it is
/// shortened with `…`.
const STATUS_LINES: usize = 3;

/// The status table. On a terminal it fits the width without splitting a
/// slug, id, date, status or count: free text folds at spaces into a few
/// lines and is shortened with `…`, and where even that does not fit the
/// least needed columns are left out, said under the table. Elsewhere (or
/// with `--wide`, which takes the width away) nothing is cut.
pub fn status(report: &StatusReport, style: TextStyle, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "Status as of {} (stale after {} quiet days)",
        report.as_of, report.stale_after
    )?;
    if report.items.is_empty() {
        writeln!(out, "\nNo watch items were open by {}.", report.as_of)?;
        return Ok(());
    }
    writeln!(out)?;
    // Only a tracker with scheduled developments needs the DUE column.
    let due = report.items.iter().any(StatusRow::has_due);
    let header: Vec<&str> = STATUS_HEADER
        .into_iter()
        .filter(|h| due || *h != "DUE")
        .collect();
    let layout = |marks: bool| status_layout(report, style, &header, due, marks);
    // The day QUIET counts from goes beside LAST only where both are
    // shown: it says why the two seem to disagree, and costs room.
    let beside = column_indexes(&header, &["LAST", "QUIET"]);
    let marked = report
        .items
        .iter()
        .any(|row| row.quiet_from_mark().is_some())
        && {
            let (_, hidden, _) = layout(true);
            !beside.iter().any(|c| hidden.contains(c))
        };
    let (rows, hidden, folded) = layout(marked);
    write_status_table(
        report,
        style,
        &header,
        &rows,
        &hidden,
        folded.as_deref(),
        out,
    )?;
    let width = usize::from(style.width.unwrap_or(u16::MAX));
    if marked {
        let note = quiet_from_note("LAST", "QUIET counts");
        writeln!(out, "\n{}", table::fold(&note, width, usize::MAX))?;
    }
    if !hidden.is_empty() {
        writeln!(out, "{}", table::left_out_note(&header, &hidden, width))?;
    }
    Ok(())
}

/// Where each of `names` is in `header` (those it has).
fn column_indexes(header: &[&str], names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .filter_map(|name| header.iter().position(|h| h == name))
        .collect()
}

/// The status table laid out for `style`: each row's texts (LAST with the
/// day QUIET counts from when `marks`), the columns a terminal too narrow
/// leaves out, and the room each column of free text gets on a terminal.
fn status_layout(
    report: &StatusReport,
    style: TextStyle,
    header: &[&str],
    due: bool,
    marks: bool,
) -> (Vec<Vec<String>>, Vec<usize>, Option<Vec<u16>>) {
    let rows: Vec<Vec<String>> = report
        .items
        .iter()
        .map(|row| status_texts(row, due, marks))
        .collect();
    let widths: Vec<u16> = (0..header.len())
        .map(|c| {
            let widest = rows
                .iter()
                .flat_map(|row| row[c].split('\n'))
                .chain([header[c]])
                .map(|line| line.width())
                .max()
                .unwrap_or(1);
            u16::try_from(widest).unwrap_or(u16::MAX)
        })
        .collect();
    let Some(width) = style.width else {
        return (rows, Vec::new(), None);
    };
    let width = usize::from(width);
    let words = column_indexes(header, &STATUS_WORDS);
    let mut optional = column_indexes(header, &STATUS_OPTIONAL);
    if !report.items.iter().any(|row| row.stale)
        && let Some(stale) = header.iter().position(|h| *h == "STALE")
    {
        // Right after QUIET, which goes first whatever happens: LAST is
        // marked only beside QUIET.
        optional.retain(|&c| c != stale);
        optional.insert(1.min(optional.len()), stale);
    }
    let hidden = table::left_out(&widths, &words, &optional, STATUS_ROOM, width);
    let room = status_room(&widths, &words, &hidden, width);
    (rows, hidden, Some(room))
}

/// Writes the status table's rows (`texts`, under `header`) but the
/// `hidden` columns, the free text folded to its `room` on a terminal,
/// statuses in colour where colour is wanted.
fn write_status_table(
    report: &StatusReport,
    style: TextStyle,
    header: &[&str],
    texts: &[Vec<String>],
    hidden: &[usize],
    room: Option<&[u16]>,
    out: &mut dyn Write,
) -> Result<()> {
    let words = column_indexes(header, &STATUS_WORDS);
    let shown: Vec<usize> = (0..header.len()).filter(|c| !hidden.contains(c)).collect();
    let shown_header: Vec<&str> = shown.iter().map(|&c| header[c]).collect();
    let numeric = column_indexes(&shown_header, &["DEVS", "QUIET"]);
    let rows: Vec<Vec<Cell<'_>>> = report
        .items
        .iter()
        .zip(texts)
        .map(|(row, texts)| {
            shown
                .iter()
                .map(|&c| {
                    let text = match (room, words.iter().position(|&w| w == c)) {
                        (Some(room), Some(n)) if header[c] == "DUE" => {
                            fold_due(row, usize::from(room[n]))
                        }
                        (Some(room), Some(n)) => fold_lines(&texts[c], usize::from(room[n])),
                        _ => texts[c].clone(),
                    };
                    status_cell(header[c], text, row)
                })
                .collect()
        })
        .collect();
    let columns = Columns {
        header: &shown_header,
        numeric: &numeric,
        words: &[],
        optional: &[],
    };
    // Folded to the terminal already: laid out as off one, nothing split.
    let unfitted = TextStyle {
        width: None,
        ..style
    };
    table::write_held(columns, unfitted, &rows, out)
}

/// The widths the status table's columns of free text get in `width`
/// columns: what the columns shown leave, shared out so that a column
/// needing less than its share gives the rest to the others.
fn status_room(widths: &[u16], words: &[usize], hidden: &[usize], width: usize) -> Vec<u16> {
    let shown = widths.len() - hidden.len();
    let taken: usize = (0..widths.len())
        .filter(|c| !hidden.contains(c) && !words.contains(c))
        .map(|c| usize::from(widths[c]))
        .sum::<usize>()
        + 2 * shown.saturating_sub(1);
    let mut left = width.saturating_sub(taken);
    let mut room = vec![0u16; words.len()];
    let mut open: Vec<usize> = (0..words.len())
        .filter(|&n| !hidden.contains(&words[n]))
        .collect();
    // The narrowest first: what it does not need goes to the wider ones.
    open.sort_by_key(|&n| widths[words[n]]);
    while let Some(&n) = open.first() {
        let share = left / open.len();
        let given = usize::from(widths[words[n]]).min(share).max(1);
        room[n] = u16::try_from(given).unwrap_or(u16::MAX);
        left = left.saturating_sub(given);
        open.remove(0);
    }
    room
}

/// Each line of a cell of free text folded to `width`.
fn fold_lines(text: &str, width: usize) -> String {
    text.split('\n')
        .map(|line| table::fold(line, width, STATUS_LINES))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of each of a row's cells, under `STATUS_HEADER` (DUE only
/// when `due`; LAST with the day QUIET counts from when `marks`).
fn status_texts(row: &StatusRow, due: bool, marks: bool) -> Vec<String> {
    let last = if marks {
        row.last_shown()
    } else {
        row.last_date.clone()
    };
    let mut texts = vec![
        row.slug.clone(),
        status_words(row),
        or_dash(row.since.as_deref()).into_owned(),
        row.developments.to_string(),
        or_dash(last.as_deref()).into_owned(),
        row.quiet_days.to_string(),
        if row.stale { "stale" } else { "-" }.to_string(),
    ];
    if due {
        let lines = due_lines(row);
        texts.push(if lines.is_empty() {
            "-".to_string()
        } else {
            lines.join("\n")
        });
    }
    texts.push(clean_line(&row.title).into_owned());
    texts.push(or_dash(row.last_headline.as_deref()).into_owned());
    texts
}

/// A cell of the status table: the status in its colour, `stale` in red,
/// where colour is wanted.
fn status_cell(heading: &str, text: String, row: &StatusRow) -> Cell<'static> {
    let paint = match heading {
        "STATUS" => Paint::Fg(status_colour(row.status)),
        "STALE" if row.stale => Paint::Fg(Colour::Red),
        _ => Paint::Plain,
    };
    Cell::painted(text, paint)
}

/// How many columns of a headline a line about what is due shows.
const DUE_HEADLINE: usize = 32;

/// What is due, a line each: the next scheduled development and the
/// overdue ones, the first few by their headline shortened and id
/// (`overdue: A follow-up summit on the… (4k1z0m2q)`), the rest counted.
/// Empty when nothing is due.
pub(super) fn due_lines(row: &StatusRow) -> Vec<String> {
    due_parts(row)
        .into_iter()
        .map(|(words, id)| match id {
            Some(id) => format!("{words} ({id})"),
            None => words,
        })
        .collect()
}

/// `due_lines` as words and the id they end with, so that a narrow column
/// can fold the words and keep the id whole.
fn due_parts(row: &StatusRow) -> Vec<(String, Option<&str>)> {
    let mut parts = Vec::new();
    if let Some(next) = &row.next_scheduled {
        parts.push((
            format!(
                "next {}: {}",
                next.date,
                table::shorten(&clean_line(&next.headline), DUE_HEADLINE)
            ),
            Some(next.id.as_str()),
        ));
    }
    for due in row.overdue.iter().take(DUE_NAMED) {
        parts.push((
            format!(
                "overdue: {}",
                table::shorten(&clean_line(&due.headline), DUE_HEADLINE)
            ),
            Some(due.id.as_str()),
        ));
    }
    if row.overdue.len() > DUE_NAMED {
        parts.push((
            format!("and {} more overdue", row.overdue.len() - DUE_NAMED),
            None,
        ));
    }
    parts
}

/// What is due folded to a column `width` wide: each line's words in two
/// lines at most, its id after them, whole, on the last or a line of its own.
fn fold_due(row: &StatusRow, width: usize) -> String {
    let parts = due_parts(row);
    if parts.is_empty() {
        return "-".to_string();
    }
    let mut lines: Vec<String> = Vec::new();
    for (words, id) in parts {
        let folded = table::fold(&words, width, 2);
        let mut folded: Vec<String> = folded.split('\n').map(str::to_string).collect();
        if let Some(id) = id {
            let id = format!("({id})");
            match folded.last_mut() {
                Some(last) if last.width() + 1 + id.width() <= width => {
                    last.push(' ');
                    last.push_str(&id);
                }
                _ => folded.push(id),
            }
        }
        lines.extend(folded);
    }
    lines.join("\n")
}

/// What is due on one line (`due_lines` joined), or `-`.
pub(in crate::report) fn due_text(row: &StatusRow) -> String {
    let lines = due_lines(row);
    if lines.is_empty() {
        "-".to_string()
    } else {
        lines.join("; ")
    }
}

/// The status as a report states it, with a provisional one beside it:
/// `open emerging?`.
pub fn status_words(row: &StatusRow) -> String {
    match &row.provisional {
        Some(p) => format!("{} {}?", row.status, p.status),
        None => row.status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn long_report() -> StatusReport {
        let row = |slug: &str| StatusRow {
            slug: slug.to_string(),
            title: "Launch of China's proposed international AI cooperation organisation, \
                    and its operational model"
                .to_string(),
            description: None,
            status: Status::Emerging,
            since: Some("2025-07-26".into()),
            developments: 4,
            last_date: Some("2025-07-26".into()),
            last_headline: Some(
                "Premier Li Qiang proposes a new international AI cooperation organisation \
                 headquartered in Shanghai"
                    .into(),
            ),
            quiet_days: 1,
            quiet_from: None,
            stale: false,
            provisional: None,
            next_scheduled: None,
            overdue: Vec::new(),
        };
        StatusReport {
            as_of: "2025-08-01".into(),
            stale_after: 30,
            items: vec![row("intl-ai-org"), row("us-counter-moves")],
        }
    }

    fn render(style: TextStyle) -> String {
        let mut out = Vec::new();
        status(&long_report(), style, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_table_on_a_terminal_fits_its_width_and_keeps_slugs_and_dates_whole() {
        for width in [60u16, 80, 100, 120, 160] {
            let text = render(TextStyle {
                color: false,
                terminal: true,
                width: Some(width),
            });
            for line in text.lines() {
                assert!(
                    line.width() <= usize::from(width),
                    "{width}: {} columns: {line}",
                    line.width()
                );
            }
            // At 60 columns the dates are left out; at 80 SINCE stays.
            let dates: &[&str] = if width < 80 { &[] } else { &["2025-07-26"] };
            for token in ["intl-ai-org", "us-counter-moves", "emerging"]
                .iter()
                .chain(dates)
            {
                assert!(
                    text.lines()
                        .any(|l| l.split_whitespace().any(|w| w == *token)),
                    "{width}: {token} is split:\n{text}"
                );
            }
        }
        let narrow = render(TextStyle {
            color: false,
            terminal: true,
            width: Some(80),
        });
        assert!(
            narrow.ends_with("Left out to fit: QUIET, STALE, DEVS, LAST (--wide shows all)\n"),
            "{narrow}"
        );
        let wide = render(TextStyle {
            color: false,
            terminal: true,
            width: Some(160),
        });
        assert!(
            wide.contains("us-counter-moves  emerging  2025-07-26     4  2025-07-26      1  -"),
            "{wide}"
        );
        assert!(!wide.contains("Left out"), "{wide}");
    }

    #[test]
    fn a_table_going_elsewhere_is_not_cut() {
        let text = render(TextStyle::default());
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        assert!(widest > 200, "{text}");
        assert!(text.contains("and its operational model"));
    }
}
