//! A feed's bytes as inbox entries: feed-rs reads RSS 0.9x, 1.0 (RDF) and
//! 2.0, Atom and JSON Feed (no DTD is read, so no entity is expanded and no
//! external one fetched); markup in titles and summaries becomes plain text
//! (html2text, entities decoded), whitespace is folded to single spaces,
//! characters that could drive a terminal are dropped, and the limits of a
//! development apply (a title past `limits::HEADLINE` is cut, a summary past
//! `record::fields::SUMMARY`).

use chrono::{Datelike, SecondsFormat};
use feed_rs::model::{Entry, Text};

use crate::error::{Error, Result};
use crate::limits;
use crate::record::fields;
use crate::record::inbox::NewEntry;
use crate::screen::is_unsafe;

/// The most entries one feed may hold.
pub(crate) const MAX_ENTRIES: usize = 100_000;

/// The most characters of an identity or a link kept.
const LINK_CHARS: usize = limits::SOURCE;

pub(crate) fn entries(bytes: &[u8]) -> Result<Vec<NewEntry>> {
    // The parser expands no entity a DTD declares, but a feed that declares
    // any (billion laughs, external entities) means harm or is broken.
    if memchr::memmem::find(bytes, b"<!ENTITY").is_some() {
        return Err(Error::data(
            "it declares XML entities (<!ENTITY>), which lookout never reads",
        ));
    }
    let parser = feed_rs::parser::Builder::new()
        // An entry without an id is known by its link (else its title),
        // never by a random one that would make it new at each fetch.
        .id_generator(|links, title, _| match links.first() {
            Some(link) => link.href.clone(),
            None => title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default(),
        })
        .build();
    let feed = parser
        .parse(bytes)
        .map_err(|e| Error::data(format!("not a feed lookout can read: {e}")))?;
    if feed.entries.len() > MAX_ENTRIES {
        return Err(Error::data(format!(
            "it holds {} entries; lookout reads at most {MAX_ENTRIES} from one feed",
            feed.entries.len()
        )));
    }
    Ok(feed.entries.into_iter().filter_map(entry).collect())
}

fn entry(entry: Entry) -> Option<NewEntry> {
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| clip(&clean(&l.href), LINK_CHARS))
        .filter(|l| is_web_link(l));
    let identity = clip(&clean(&entry.id), LINK_CHARS);
    let identity = if identity.is_empty() {
        link.clone()?
    } else {
        identity
    };
    let title = entry.title.as_ref().map(plain).unwrap_or_default();
    let summary = entry
        .summary
        .as_ref()
        .map(plain)
        .or_else(|| {
            entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .map(html)
        })
        .filter(|s| !s.is_empty())
        .map(|s| clip(&s, fields::SUMMARY));
    let title = match title.is_empty() {
        true => summary.as_deref().map(|s| clip(s, 80)).unwrap_or_default(),
        false => clip(&title, limits::HEADLINE),
    };
    if title.is_empty() {
        return None;
    }
    let date = entry.published.or(entry.updated);
    Some(NewEntry {
        identity,
        title,
        link,
        published: date.map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true)),
        day: date
            .filter(|d| (1..=9999).contains(&d.year()))
            .map(|d| d.format("%Y-%m-%d").to_string()),
        summary,
    })
}

/// Only http(s) links become a development's source: no `javascript:` or
/// `data:` link is kept.
fn is_web_link(link: &str) -> bool {
    let lower = link.get(..8).unwrap_or(link).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// A feed's text as plain text: HTML made text, plain text as it is.
fn plain(text: &Text) -> String {
    if text.content_type.to_string().contains("html") {
        html(&text.content)
    } else {
        clean(&text.content)
    }
}

/// HTML as plain text: tags dropped (scripts and styles with their
/// contents), entities decoded.
fn html(markup: &str) -> String {
    let text = html2text::config::plain_no_decorate()
        .string_from_read(markup.as_bytes(), 10_000)
        .unwrap_or_default();
    clean(&text)
}

/// Whitespace folded to single spaces, characters that do not show or
/// could drive a terminal dropped.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !is_unsafe(*c)));
    }
    out
}

/// At most `max` characters.
fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => text[..at].trim_end().to_string(),
        None => text.to_string(),
    }
}
