//! Free text made to fit a column: folded at spaces into a few lines, and
//! shortened with `…` where it runs longer, so that a word is never cut in
//! two across lines (the wrapping in `wrap` cuts a word wider
//! than its column). A word wider than the column on its own is shortened.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What ends text that was shortened.
const ELLIPSIS: &str = "…";

/// `text` in at most `lines` lines of at most `width` terminal columns,
/// joined by `\n`, folded at spaces; what does not fit ends the last line
/// with `…`. A width of 0 counts as 1.
pub fn fold(text: &str, width: usize, lines: usize) -> String {
    let width = width.max(1);
    let lines = lines.max(1);
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let gap = usize::from(!current.is_empty());
        if current.width() + gap + word.width() <= width {
            if gap == 1 {
                current.push(' ');
            }
            current.push_str(word);
            continue;
        }
        if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if out.len() == lines {
            // No line left for this word: the last one says there is more.
            let last = out.pop().unwrap_or_default();
            out.push(with_ellipsis(&last, width));
            return out.join("\n");
        }
        if word.width() > width {
            current = cut(word, width.saturating_sub(1));
            current.push_str(ELLIPSIS);
            // The rest of the word is left out: the next word starts a line.
            out.push(std::mem::take(&mut current));
            if out.len() == lines && words.peek().is_some() {
                return out.join("\n");
            }
            continue;
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.join("\n")
}

/// `text` on one line of at most `width` columns, shortened with `…` at a
/// space where it can be.
pub fn shorten(text: &str, width: usize) -> String {
    fold(text, width, 1)
}

/// A line that is followed by text left out: `…` at its end, dropping the
/// last words (or characters) until it fits.
fn with_ellipsis(line: &str, width: usize) -> String {
    if line.ends_with(ELLIPSIS) {
        return line.to_string();
    }
    let mut kept = line.to_string();
    while kept.width() + ELLIPSIS.width() > width {
        match kept.rfind(' ') {
            Some(at) => kept.truncate(at),
            None => {
                kept = cut(&kept, width.saturating_sub(1));
                break;
            }
        }
    }
    let mut kept = kept.trim_end().to_string();
    kept.push_str(ELLIPSIS);
    kept
}

/// The beginning of `word` that fits in `width` columns, at a grapheme boundary.
fn cut(word: &str, width: usize) -> String {
    let mut taken = 0;
    let mut out = String::new();
    for grapheme in word.graphemes(true) {
        let w = grapheme.width();
        if taken + w > width {
            break;
        }
        taken += w;
        out.push_str(grapheme);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_folds_at_spaces_and_ends_with_an_ellipsis_when_it_runs_over() {
        assert_eq!(fold("a follow-up summit", 20, 2), "a follow-up summit");
        assert_eq!(
            fold("A follow-up summit on the organisation", 12, 2),
            "A follow-up\nsummit on…"
        );
        assert_eq!(
            fold("A follow-up summit on the organisation", 12, 9),
            "A follow-up\nsummit on\nthe\norganisation"
        );
        // A word wider than the column is shortened, never split.
        assert_eq!(fold("internationalisation now", 8, 3), "interna…\nnow");
        assert_eq!(
            shorten("A follow-up summit on the organisation", 24),
            "A follow-up summit on…"
        );
        assert_eq!(shorten("", 5), "");
        assert_eq!(shorten("人工智能行动计划", 5), "人工…");
    }

    #[test]
    fn no_line_is_wider_than_the_column() {
        let text = "Premier Li Qiang proposes a new international AI cooperation organisation \
                    headquartered in Shanghai, 人工智能 internationalisation";
        for width in 1..40 {
            for lines in 1..5 {
                let folded = fold(text, width, lines);
                assert!(folded.lines().count() <= lines, "{width} {lines}: {folded}");
                for line in folded.lines() {
                    assert!(line.width() <= width.max(1), "{width} {lines}: {line:?}");
                }
            }
        }
    }
}
