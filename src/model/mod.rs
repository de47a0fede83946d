//! The things lookout keeps: watch items, developments, their links and the
//! statuses those links set; and the rules a value must follow to be kept.
//!
//! Validation lives here so that `log`, `edit` and `import` refuse the same
//! things with the same words. Nothing here touches the store or a terminal.

use std::fmt;

use serde::Serialize;

mod development;
mod facts;

pub(crate) use development::{Development, Provenance, Retraction, Texts, WatchItem};
pub(crate) use facts::{
    Arrival, ItemFacts, PossibleChange, ScheduledDevelopment, StatusChange, StatusSetting,
    WindowSetting,
};

use crate::error::{Error, Result};
use crate::screen::echo;

/// A watch item's state, derived from the statuses its dated links set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Watched, nothing yet.
    Open,
    /// First signals.
    Emerging,
    /// Substantive steps under way.
    Developing,
    /// No progress, or a setback.
    Stalled,
    /// The watched development happened.
    Realised,
    /// No longer relevant.
    Dropped,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Open,
        Status::Emerging,
        Status::Developing,
        Status::Stalled,
        Status::Realised,
        Status::Dropped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Emerging => "emerging",
            Status::Developing => "developing",
            Status::Stalled => "stalled",
            Status::Realised => "realised",
            Status::Dropped => "dropped",
        }
    }

    /// Realised and dropped items are never stale.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Realised | Status::Dropped)
    }

    pub fn parse(text: &str) -> Result<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                let valid: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
                let error = Error::data(format!("unknown status '{}'", echo(text)));
                let hint = format!("valid statuses: {}", valid.join(", "));
                match crate::suggest::closest(text, valid.iter().copied()) {
                    Some(near) => error.with_hint(format!("did you mean '{near}'? {hint}")),
                    None => error.with_hint(hint),
                }
            })
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The stable handle of a watch item: `[a-z0-9][a-z0-9-]*`, at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct WatchSlug(String);

impl WatchSlug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(text: &str) -> Result<WatchSlug> {
        if is_handle(text, WatchSlug::MAX_LEN) {
            Ok(WatchSlug(text.to_string()))
        } else {
            Err(
                Error::data(format!("invalid watch slug '{}'", echo(text))).with_hint(
                    in_lowercase(text, WatchSlug::MAX_LEN).unwrap_or_else(|| {
                        "a slug is lowercase letters, digits and hyphens, starts with a letter \
                         or digit, and is at most 64 characters, e.g. intl-ai-org"
                            .to_string()
                    }),
                ),
            )
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for WatchSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `[a-z0-9][a-z0-9-]*` of at most `max` bytes: slugs, kinds and ids.
fn is_handle(text: &str, max: usize) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= max
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// A development's short stable id: shown everywhere, never changed, the key
/// of idempotent re-import. New ids are 8 characters of Crockford's base32
/// (no i, l, o, u), which are easy to read aloud and to type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct DevId(String);

impl DevId {
    pub const MAX_LEN: usize = 32;
    const ALPHABET: &'static [u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

    /// A fresh random id. The store retries on the rare collision.
    pub fn generate() -> Result<DevId> {
        let mut bytes = [0u8; 5];
        getrandom::fill(&mut bytes)
            .map_err(|e| Error::io(format!("cannot draw a random id: {e}")))?;
        let mut bits = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut id = [0u8; 8];
        for slot in id.iter_mut().rev() {
            *slot = DevId::ALPHABET[(bits & 31) as usize];
            bits >>= 5;
        }
        Ok(DevId(id.iter().map(|&b| char::from(b)).collect()))
    }

    /// Ids from other stores or files may take any handle form.
    pub fn parse(text: &str) -> Result<DevId> {
        let text = text.trim();
        if is_handle(text, DevId::MAX_LEN) {
            Ok(DevId(text.to_string()))
        } else {
            Err(
                Error::data(format!("invalid development id '{}'", echo(text))).with_hint(
                    "an id is lowercase letters, digits and hyphens, at most 32 characters, \
                 as `lookout log` prints it",
                ),
            )
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DevId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A development bears on a watch item, optionally moving it to a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchLink {
    pub slug: WatchSlug,
    pub to: Option<Status>,
}

impl WatchLink {
    /// Parses `slug` or `slug=status`.
    pub fn parse(text: &str) -> Result<WatchLink> {
        let text = text.trim();
        let (slug, to) = match text.split_once('=') {
            Some((slug, status)) => (slug.trim(), Some(Status::parse(status.trim())?)),
            None => (text, None),
        };
        Ok(WatchLink {
            slug: WatchSlug::parse(slug)?,
            to,
        })
    }

    /// Writes links as `slug` or `slug=status`, joined by `separator`.
    pub fn join(links: &[WatchLink], separator: &str) -> String {
        let mut text = String::new();
        for (n, link) in links.iter().enumerate() {
            if n > 0 {
                text.push_str(separator);
            }
            text.push_str(link.slug.as_str());
            if let Some(to) = link.to {
                text.push('=');
                text.push_str(to.as_str());
            }
        }
        text
    }

    /// Parses a list of links, refusing a slug named twice.
    pub fn parse_list<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<Vec<WatchLink>> {
        let mut links: Vec<WatchLink> = Vec::new();
        for entry in entries {
            let link = WatchLink::parse(entry)?;
            if links.iter().any(|l| l.slug == link.slug) {
                return Err(
                    Error::data(format!("watch item '{}' is named twice", link.slug))
                        .with_hint("name each watch item once, with at most one status"),
                );
            }
            links.push(link);
        }
        Ok(links)
    }
}

impl fmt::Display for WatchLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to {
            Some(status) => write!(f, "{}={}", self.slug, status),
            None => write!(f, "{}", self.slug),
        }
    }
}

/// A headline is required and not blank.
pub fn headline(text: &str) -> Result<String> {
    if text.trim().is_empty() {
        Err(Error::data("the headline is empty").with_hint("say in a line what happened"))
    } else {
        Ok(text.to_string())
    }
}

/// An optional free text: blank means none.
pub fn optional_text(text: Option<&str>) -> Option<String> {
    text.filter(|t| !t.trim().is_empty()).map(str::to_string)
}

/// A title is required and not blank.
pub fn title(text: &str) -> Result<String> {
    if text.trim().is_empty() {
        Err(Error::data("the title is empty").with_hint("give the watch item a title"))
    } else {
        Ok(text.to_string())
    }
}

/// Actors are trimmed, non-empty, `;`-free (the lists are `;`-joined), and
/// named once each; the order given is kept.
pub fn actors<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>> {
    list_of("actor", names)
}

/// Tags follow the actors' rules, and are one word each: a comma or
/// whitespace inside one is refused (docs/DESIGN.md, "A tag is a slug-like
/// word"), as `--tag eu,omnibus` or a cell `eu, ai-act` would otherwise make
/// one tag that prints like two.
pub fn tags<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>> {
    let tags = list_of("tag", names)?;
    for tag in &tags {
        if tag.contains(',') || tag.chars().any(char::is_whitespace) {
            let what = if tag.contains(',') {
                "a comma"
            } else {
                "a space"
            };
            return Err(
                Error::data(format!("tag '{}' contains {what}", echo(tag))).with_hint(
                    "a tag is one word: repeat --tag for each, or separate tags with ';' in a CSV tags cell",
                ),
            );
        }
    }
    Ok(tags)
}

fn list_of<'a>(what: &str, names: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::data(format!("an empty {what} name")));
        }
        if name.contains(';') {
            return Err(
                Error::data(format!("{what} '{}' contains ';'", echo(name))).with_hint(format!(
                    "';' separates {what}s in lists; name each {what} apart"
                )),
            );
        }
        if !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
    }
    Ok(out)
}

/// Sources are trimmed and non-empty; a `;` (the list separator) inside one is
/// stored percent-encoded as `%3B`, which is the same URL. Named once each.
pub fn sources<'a>(sources: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for source in sources {
        let source = source.trim().replace(';', "%3B");
        if source.is_empty() {
            return Err(Error::data("an empty source"));
        }
        if !out.contains(&source) {
            out.push(source);
        }
    }
    Ok(out)
}

/// Who did something: `Name <email>`, a name, or a login; one line, not
/// blank, at most 200 characters.
pub fn author(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::data("the author is empty"));
    }
    if text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err(Error::data(format!("invalid author '{}'", echo(text)))
            .with_hint("an author is one line, at most 200 characters: Name <email>"));
    }
    Ok(text.to_string())
}

/// A kind's name follows the slug form.
pub fn kind_name(text: &str) -> Result<String> {
    if is_handle(text, 64) {
        Ok(text.to_string())
    } else {
        Err(
            Error::data(format!("invalid kind name '{}'", echo(text))).with_hint(
                in_lowercase(text, 64).unwrap_or_else(|| {
                    "a kind is lowercase letters, digits and hyphens, e.g. court-ruling".to_string()
                }),
            ),
        )
    }
}

/// The hint for a handle typed with capitals (a spreadsheet capitalises
/// the first letter of a cell): the same in lowercase, when that is one.
fn in_lowercase(text: &str, max_len: usize) -> Option<String> {
    let lower = text.trim().to_lowercase();
    (lower != text && is_handle(&lower, max_len))
        .then(|| format!("it is written in lowercase: '{}'", echo(&lower)))
}

/// Splits a `;`-joined list cell; an empty cell is an empty list.
pub fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(';').filter(|part| !part.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_and_suggest() {
        assert_eq!(Status::parse("realised").unwrap(), Status::Realised);
        let err = Status::parse("realized").unwrap_err();
        assert_eq!(err.message(), "unknown status 'realized'");
        let hint = err.hint().unwrap();
        assert!(hint.starts_with("did you mean 'realised'?"), "{hint}");
        assert!(hint.contains("open, emerging, developing, stalled, realised, dropped"));
    }

    #[test]
    fn slugs_follow_the_handle_form() {
        for good in ["intl-ai-org", "a", "0day", &"x".repeat(64)] {
            assert!(WatchSlug::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", "Intl", "intl_ai", "intl ai", "é", &"x".repeat(65)] {
            assert!(WatchSlug::parse(bad).is_err(), "{bad}");
        }
        // Capitals, as a spreadsheet writes them: the lowercase form is named.
        let hint = |e: Error| e.hint().unwrap_or_default().to_string();
        assert_eq!(
            hint(WatchSlug::parse("Intl-AI-Org").unwrap_err()),
            "it is written in lowercase: 'intl-ai-org'"
        );
        assert_eq!(
            hint(kind_name("Statement").unwrap_err()),
            "it is written in lowercase: 'statement'"
        );
        assert!(hint(kind_name("Court ruling").unwrap_err()).starts_with("a kind is lowercase"));
    }

    #[test]
    fn generated_ids_are_valid_and_distinct() {
        let ids: Vec<DevId> = (0..200).map(|_| DevId::generate().unwrap()).collect();
        for id in &ids {
            assert_eq!(id.as_str().len(), 8);
            assert!(DevId::parse(id.as_str()).is_ok());
            assert!(!id.as_str().contains(['i', 'l', 'o', 'u']));
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len());
    }

    #[test]
    fn links_parse_with_and_without_status() {
        let link = WatchLink::parse("intl-ai-org=emerging").unwrap();
        assert_eq!(link.to, Some(Status::Emerging));
        assert_eq!(link.to_string(), "intl-ai-org=emerging");
        assert_eq!(WatchLink::parse("intl-ai-org").unwrap().to, None);
        assert!(WatchLink::parse("intl-ai-org=soon").is_err());
        assert!(WatchLink::parse("=emerging").is_err());
        let twice = WatchLink::parse_list(["a", "a=emerging"]).unwrap_err();
        assert!(twice.message().contains("named twice"));
    }

    #[test]
    fn lists_are_trimmed_deduplicated_and_refuse_separators() {
        assert_eq!(actors([" US", "China", "US"]).unwrap(), ["US", "China"]);
        assert!(actors(["EU;India"]).is_err());
        assert!(actors(["  "]).is_err());
        assert_eq!(
            sources(["https://x.test/a;b"]).unwrap(),
            ["https://x.test/a%3Bb"]
        );
        assert_eq!(split_list("a; ;b").collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(split_list("").count(), 0);
    }

    #[test]
    fn blank_headlines_are_refused() {
        assert!(headline("  ").is_err());
        assert_eq!(headline(" x ").unwrap(), " x ");
    }
}
