//! How a table fits a terminal: comfy-table 8's dynamic arrangement of
//! column widths and its splitting of a line to a width (MIT licensed),
//! ported for the one kind of table lookout draws — no borders, columns
//! either kept at their content's width or free to wrap — so that a table
//! written row by row reads exactly as comfy-table laid the whole table out
//! in the releases that used it. Where comfy-table looks at every cell of a
//! column (how wide its longest line is once split), this asks the caller,
//! which reads the rows again.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::error::Result;

/// What the arrangement knows of a column.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fit {
    /// Its widest line, header included (at least 1).
    pub widest: u16,
    /// The spaces after it.
    pub padding: u16,
    /// Kept at its content's width, never split.
    pub kept: bool,
}

/// The widths the columns' content gets in `table_width` columns.
/// `longest(column, width)` is how wide the column's longest line is once
/// every line wider than `width` is split to it.
pub(super) fn arrange(
    fits: &[Fit],
    table_width: usize,
    longest: &mut dyn FnMut(usize, usize) -> Result<usize>,
) -> Result<Vec<u16>> {
    let mut state = State::new(fits, table_width);
    state.fit_into_average();
    if state.left > 0 {
        state.shrink_after_split(longest)?;
    }
    if state.left > 0 {
        state.distribute();
    }
    Ok(state
        .decided
        .into_iter()
        .map(|width| width.unwrap_or(1))
        .collect())
}

/// The arrangement under way: widths decided so far, and the room left.
struct State<'a> {
    fits: &'a [Fit],
    decided: Vec<Option<u16>>,
    remaining: usize,
    left: usize,
}

impl<'a> State<'a> {
    /// Kept columns are decided; the room left is the table's width less
    /// every column's padding and the kept columns' content.
    fn new(fits: &'a [Fit], table_width: usize) -> State<'a> {
        let decided: Vec<Option<u16>> = fits
            .iter()
            .map(|fit| fit.kept.then_some(fit.widest.max(1)))
            .collect();
        let mut remaining = table_width;
        for (fit, width) in fits.iter().zip(&decided) {
            let taken = match width {
                Some(width) => width.saturating_add(fit.padding),
                None => fit.padding,
            };
            remaining = remaining.saturating_sub(usize::from(taken));
        }
        let left = decided.iter().filter(|w| w.is_none()).count();
        State {
            fits,
            decided,
            remaining,
            left,
        }
    }

    fn average(&self) -> usize {
        self.remaining.checked_div(self.left).unwrap_or(0)
    }

    /// Decides a column; false when none is left undecided.
    fn fix(&mut self, column: usize, width: u16) -> bool {
        self.decided[column] = Some(width.max(1));
        self.remaining = self.remaining.saturating_sub(usize::from(width));
        self.left -= 1;
        self.left > 0
    }

    /// Columns whose widest line fits in the average room take their width,
    /// leaving more room to the others; until none does.
    fn fit_into_average(&mut self) {
        let mut found = true;
        while found {
            found = false;
            if self.left == 0 || self.average() == 0 {
                break;
            }
            for column in 0..self.fits.len() {
                if self.decided[column].is_some() {
                    continue;
                }
                let widest = self.fits[column].widest;
                if usize::from(widest) <= self.average() {
                    if !self.fix(column, widest) {
                        break;
                    }
                    found = true;
                }
            }
        }
    }

    /// A column whose words, wrapped at the average room, leave three or
    /// more columns of it unused takes only what it uses.
    fn shrink_after_split(
        &mut self,
        longest: &mut dyn FnMut(usize, usize) -> Result<usize>,
    ) -> Result<()> {
        let mut found = true;
        while found {
            found = false;
            for column in 0..self.fits.len() {
                if self.decided[column].is_some() {
                    continue;
                }
                let average = self.average();
                let used = longest(column, average)?;
                if average.saturating_sub(used) >= 3 {
                    if !self.fix(column, u16::try_from(used).unwrap_or(u16::MAX)) {
                        break;
                    }
                    found = true;
                }
            }
        }
        Ok(())
    }

    /// The room left, shared out as evenly as it goes (the first columns
    /// take one more), at least one a column.
    fn distribute(&mut self) {
        let room = self.remaining.max(self.left);
        let (each, excess) = (room / self.left, room % self.left);
        for (n, width) in self.decided.iter_mut().filter(|w| w.is_none()).enumerate() {
            let share = if n < excess { each + 1 } else { each };
            *width = Some(u16::try_from(share).unwrap_or(u16::MAX).max(1));
        }
        self.left = 0;
    }
}

/// How wide a cell's longest line is once every line wider than `width` is
/// split to it (`width` 0 splits as 1 does).
pub(super) fn longest_after_split(text: &str, width: usize) -> usize {
    text.split('\n')
        .map(|line| {
            let own = line.width();
            if own > width {
                split_line(line, width.max(1))
                    .iter()
                    .map(|part| part.width())
                    .max()
                    .unwrap_or(0)
            } else {
                own
            }
        })
        .max()
        .unwrap_or(0)
}

/// A line wider than `width` in lines that fit: words are kept whole
/// where they fit, a word wider than the column is cut.
pub(super) fn split_line(line: &str, width: usize) -> Vec<String> {
    /// A line with no more room than this takes no further word.
    const MIN_FREE: usize = 2;
    let mut lines = Vec::new();
    let mut words: Vec<String> = line.split(' ').rev().map(str::to_string).collect();
    let mut current = String::new();
    let mut length = 0usize;
    // A line closes early when it has no room for more than two characters.
    let full = |lines: &mut Vec<String>, current: &mut String, length: &mut usize| {
        if *length > width.saturating_sub(MIN_FREE) {
            lines.push(std::mem::take(current));
            *length = 0;
        }
    };
    while let Some(next) = words.pop() {
        let next_length = next.width();
        let gap = usize::from(!current.is_empty());
        let mut room = width.saturating_sub(length);
        room = room.saturating_sub(gap);
        if next_length + length + gap <= width {
            if gap == 1 {
                current.push(' ');
                length += 1;
            }
            current.push_str(&next);
            length += next_length;
            full(&mut lines, &mut current, &mut length);
            continue;
        }
        if gap == 1 && room <= MIN_FREE {
            words.push(next);
            lines.push(std::mem::take(&mut current));
            length = 0;
            continue;
        }
        if next_length > width {
            // A word wider than the column: what fits ends this line, the
            // rest is the next word.
            words.push(cut_word(&mut current, room, &next));
            lines.push(std::mem::take(&mut current));
            length = 0;
            continue;
        }
        lines.push(std::mem::take(&mut current));
        current = next;
        length = next_length;
        full(&mut lines, &mut current, &mut length);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Puts as much of a word too wide for the column as `room` allows on the
/// current line, after a space if the line has words; returns the rest.
fn cut_word(current: &mut String, room: usize, word: &str) -> String {
    let fresh = current.is_empty();
    if !fresh {
        current.push(' ');
    }
    let (head, tail) = split_long_word(room, word);
    if fresh && head.is_empty() {
        // Not even one character fits: it goes in anyway, so that the
        // split ends.
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            current.push(c);
        }
        return chars.collect();
    }
    current.push_str(head);
    tail.to_string()
}

/// A word cut where it reaches `allowed` columns, at a grapheme boundary.
fn split_long_word(allowed: usize, word: &str) -> (&str, &str) {
    if word.bytes().all(|byte| (0x20..0x7f).contains(&byte)) {
        return word.split_at(word.len().min(allowed));
    }
    let mut width = 0;
    let mut at = word.len();
    for (index, grapheme) in word.grapheme_indices(true) {
        let w = grapheme.width();
        if width + w > allowed {
            at = index;
            break;
        }
        width += w;
    }
    word.split_at(at)
}
