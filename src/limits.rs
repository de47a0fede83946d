//! What a record may hold to enter the store: each field's length in
//! characters (Unicode scalar values), what a tracker needs and no more, so
//! that one cell cannot swell every report or stall search (FTS5's snippets
//! take time that grows with the square of a cell's length); and names
//! (actors, tags) free of characters that do not show. Checked where text
//! enters — `log`, `edit`, `retract`, `watch add|edit`, `import` — and not
//! where stored records are read back, so that undo and export never fail on
//! what an older lookout let in. A development's free texts (its summary)
//! have their limits declared with them, in `record::fields`.

use crate::error::{Error, Result};
use crate::model::{Development, WatchItem};
use crate::record::fields;
use crate::screen::{echo, is_unsafe};

/// A headline says in a line what happened.
pub const HEADLINE: usize = 500;
/// A watch item's title, in a line.
pub const TITLE: usize = 500;
/// A watch item's description: the question and what would count as realised.
pub const DESCRIPTION: usize = 10_000;
/// Why a development was retracted.
pub const REASON: usize = 2_000;
/// An actor's name or a tag.
pub const NAME: usize = 200;
/// A source: a URL or a citation.
pub const SOURCE: usize = 2_000;
/// Actors, sources, watch links or tags of one record.
pub const LIST: usize = 100;

/// The longest line of a JSON Lines file, or record of a CSV file, that an
/// import reads, in bytes: several times the largest record the limits
/// above allow, and small enough that a file with a quote left open, or no
/// line ends, is refused before it fills memory.
pub const RECORD_BYTES: usize = 4 << 20;

/// Refuses text longer than `max` characters, naming the field.
pub fn within(field: &str, text: &str, max: usize) -> Result<()> {
    // A text of at most `max` bytes has at most `max` characters.
    if text.len() <= max {
        return Ok(());
    }
    let length = text.chars().count();
    if length <= max {
        return Ok(());
    }
    Err(Error::data(format!(
        "the {field} is {length} characters long; lookout keeps at most {max}"
    ))
    .with_hint(format!(
        "shorten the {field}; a longer text can live at a source the development names"
    )))
}

/// Refuses a list longer than `LIST`, or an entry longer than `max`.
fn list_within(field: &str, entries: &[String], max: usize) -> Result<()> {
    if entries.len() > LIST {
        return Err(Error::data(format!(
            "{} {field}s; lookout keeps at most {} on one record",
            entries.len(),
            LIST
        )));
    }
    entries.iter().try_for_each(|e| within(field, e, max))
}

/// Refuses a name (actor, tag) holding a character that does not show:
/// `U\u{200b}S` would be counted apart from `US` and look the same.
fn visible_names(what: &str, names: &[String]) -> Result<()> {
    for name in names {
        if let Some(c) = name.chars().find(|c| is_unsafe(*c)) {
            return Err(Error::data(format!(
                "{what} '{}' contains U+{:04X}, a character that does not show",
                echo(name),
                u32::from(c)
            ))
            .with_hint(format!(
                "type the {what} without it: two names that look alike would be counted apart"
            )));
        }
    }
    Ok(())
}

/// Refuses text holding a control character other than tab and line ends
/// (a NUL cuts the cell short for SQLite's own tools; others act on a
/// terminal or vanish), naming the field.
fn plain(field: &str, text: &str) -> Result<()> {
    match text
        .chars()
        .find(|c| c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        None => Ok(()),
        Some(c) => Err(Error::data(format!(
            "the {field} contains U+{:04X}, a control character",
            u32::from(c)
        ))
        .with_hint(format!(
            "remove it from the {field}: only tabs and line ends may stand among the words"
        ))),
    }
}

/// A development's free texts, each with its name and limit (declared with
/// the field, in `record::fields`); empty when none.
fn texts(dev: &Development) -> impl Iterator<Item = (&'static str, &str, usize)> {
    fields::texts().map(|(field, text)| {
        let value = (text.get)(&dev.texts).as_deref().unwrap_or("");
        (field.name, value, text.limit)
    })
}

/// Whether a development may enter the store: its fields within `limits`,
/// its actors' names visible, its text free of control characters. (Records
/// already stored are read back as they are, so that undo and export never
/// fail on what an older lookout let in.)
pub fn admit_development(dev: &Development) -> Result<()> {
    visible_names("actor", &dev.actors)?;
    plain("headline", &dev.headline)?;
    for (name, text, _) in texts(dev) {
        plain(name, text)?;
    }
    dev.sources.iter().try_for_each(|s| plain("source", s))?;
    if let Some(r) = &dev.retracted {
        plain("reason", &r.reason)?;
    }
    within("headline", &dev.headline, HEADLINE)?;
    for (name, text, limit) in texts(dev) {
        within(name, text, limit)?;
    }
    list_within("actor", &dev.actors, NAME)?;
    list_within("source", &dev.sources, SOURCE)?;
    if dev.links.len() > LIST {
        return Err(Error::data(format!(
            "{} watch links; lookout keeps at most {} on one development",
            dev.links.len(),
            LIST
        )));
    }
    match &dev.retracted {
        Some(r) => within("reason", &r.reason, REASON),
        None => Ok(()),
    }
}

/// Whether a watch item may enter the store: as `admit_development`.
pub fn admit_watch_item(item: &WatchItem) -> Result<()> {
    visible_names("tag", &item.tags)?;
    plain("title", &item.title)?;
    plain("description", item.description.as_deref().unwrap_or(""))?;
    within("title", &item.title, TITLE)?;
    within(
        "description",
        item.description.as_deref().unwrap_or(""),
        DESCRIPTION,
    )?;
    list_within("tag", &item.tags, NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        assert!(within("headline", &"é".repeat(HEADLINE), HEADLINE).is_ok());
        let err = within("headline", &"é".repeat(HEADLINE + 1), HEADLINE).unwrap_err();
        assert_eq!(
            err.message(),
            "the headline is 501 characters long; lookout keeps at most 500"
        );
    }

    #[test]
    fn text_holds_no_control_character_but_tabs_and_line_ends() {
        assert!(plain("summary", "one\tline\r\nand another\n").is_ok());
        let err = plain("headline", "A\u{0}B").unwrap_err();
        assert_eq!(
            err.message(),
            "the headline contains U+0000, a control character"
        );
        assert!(plain("summary", "bell\u{7}").is_err());
        assert!(plain("summary", "esc\u{1b}[2J").is_err());
    }

    #[test]
    fn lists_and_names_are_bounded_and_visible() {
        let many: Vec<String> = (0..=LIST).map(|n| format!("a{n}")).collect();
        assert!(list_within("actor", &many, NAME).is_err());
        assert!(list_within("actor", &many[..LIST], NAME).is_ok());
        assert!(visible_names("actor", &["US".into()]).is_ok());
        let err = visible_names("actor", &["U\u{200b}S".into()]).unwrap_err();
        assert!(
            err.message().contains("contains U+200B"),
            "{}",
            err.message()
        );
        // Joiners belong to scripts and emoji; they are allowed.
        assert!(visible_names("actor", &["می\u{200c}خواهم".into()]).is_ok());
    }
}
