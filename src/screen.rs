//! User text on its way to a terminal: what of it may reach one, and how much.
//!
//! Text that a user, a file or a store supplied reaches the terminal on
//! stdout (the `text` format) and on stderr (confirmations and errors). Both
//! ways, control characters, escape sequences, bidi overrides and invisible
//! characters are shown escaped (`\u{1b}`), so that no headline, cell or
//! argument can rewrite the screen, set the clipboard (OSC 52), or pass one
//! name off as another; and text echoed in a message is clipped, so a 200 MB
//! header is not printed back. The data formats keep text as stored; this
//! module is for people reading a terminal. It uses nothing of lookout.

use std::borrow::Cow;

/// How many characters of a value an error message echoes.
pub(crate) const ECHO_CHARS: usize = 100;

/// How long a line of a message printed on stderr may be.
const LINE_CHARS: usize = 1_000;

/// How many lines of a message are printed on stderr.
const MESSAGE_LINES: usize = 200;

/// Characters that reorder text on screen (Trojan Source).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room on screen, so that `U\u{200b}S` looks like
/// `US`. The zero-width joiner and non-joiner are left out: Persian, the
/// Indic scripts and emoji need them.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{180E}' | '\u{200B}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}'
    )
}

/// Whether a character must not reach a terminal as it is.
pub(crate) fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible(c)
}

fn neutralise(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' => out.push(' '),
            c if unsafe_char(c) => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// User text for one table cell or line: newlines and tabs become spaces,
/// other control characters, bidi controls and invisible characters are
/// shown escaped (`\u{1b}`).
pub(crate) fn clean_line(text: &str) -> Cow<'_, str> {
    neutralise(text, false)
}

/// User text for a paragraph: newlines kept, everything else as `clean_line`.
pub(crate) fn clean_block(text: &str) -> Cow<'_, str> {
    neutralise(text, true)
}

/// The text, or its first `max` characters, an ellipsis and how long it was.
pub(crate) fn clip(text: &str, max: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!(
            "{}… ({} characters)",
            &text[..end],
            text.chars().count()
        )),
    }
}

/// A value echoed in a message: clipped to `ECHO_CHARS`.
pub(crate) fn echo(text: &str) -> Cow<'_, str> {
    clip(text, ECHO_CHARS)
}

/// A message for stderr: neutralised, each line clipped, and at most
/// `MESSAGE_LINES` lines, whatever text it carries.
pub fn for_stderr(message: &str) -> String {
    let lines: Vec<&str> = message.split('\n').collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(MESSAGE_LINES)
        .map(|line| clean_line(&clip(line, LINE_CHARS)).into_owned())
        .collect();
    if lines.len() > MESSAGE_LINES {
        out.push(format!("… and {} more lines", lines.len() - MESSAGE_LINES));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_cannot_reach_the_terminal() {
        assert_eq!(clean_line("plain"), "plain");
        assert_eq!(clean_line("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(clean_line("two\nlines\tand tab"), "two lines and tab");
        assert_eq!(clean_line("\u{202e}evil"), "\\u{202e}evil");
        assert_eq!(clean_line("bell\u{7}"), "bell\\u{7}");
        assert_eq!(clean_block("keep\nlines\u{9b}"), "keep\nlines\\u{9b}");
        assert_eq!(clean_line("中文 résumé"), "中文 résumé");
    }

    #[test]
    fn invisible_characters_are_shown_and_joiners_kept() {
        assert_eq!(clean_line("U\u{200b}S"), "U\\u{200b}S");
        assert_eq!(clean_line("\u{feff}x\u{ad}"), "\\u{feff}x\\u{ad}");
        assert_eq!(clean_line("می\u{200c}خواهم"), "می\u{200c}خواهم");
    }

    #[test]
    fn echoed_text_is_clipped_with_its_length() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("abcdef", 3), "abc… (6 characters)");
        assert_eq!(clip("ééé", 2), "éé… (3 characters)");
        assert_eq!(echo(&"x".repeat(200)).chars().count(), 100 + 18);
    }

    #[test]
    fn messages_for_stderr_are_bounded() {
        let long = format!("a\u{1b}]52;c;x\u{7}\n{}", "y\n".repeat(500));
        let out = for_stderr(&long);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'));
        assert_eq!(out.lines().count(), MESSAGE_LINES + 1);
        assert!(out.ends_with("… and 302 more lines"), "{out}");
        assert!(for_stderr(&"z".repeat(5000)).len() < 1100);
    }
}
