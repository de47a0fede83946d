//! Reading the feeds a user names: fetching the bytes (`fetch`: a path, a
//! `file://` URL, or HTTP(S) with conditional requests) and turning them into
//! inbox entries (`parse`: RSS, Atom or JSON Feed, read by feed-rs; text made
//! plain and safe). Knows nothing of the store: it hands back values.

mod fetch;
mod parse;

use std::time::Duration;

use crate::error::Result;
use crate::record::inbox::NewEntry;
pub(crate) use fetch::{Fetched, Validators};

/// The most of a feed's body read, in bytes: past it, the feed is refused.
pub(crate) const MAX_BODY: u64 = 10 << 20;

/// How many redirects a feed may make.
pub(crate) const MAX_REDIRECTS: u32 = 5;

/// What reading one feed gave.
#[derive(Debug)]
pub(crate) enum Read {
    /// The server said nothing changed since the validators sent (304).
    Unchanged,
    /// The feed's entries, and the validators to send next time.
    Entries(Vec<NewEntry>, Validators),
}

/// Reads the feed at `location` (a path, `file://` or http(s) URL), sending
/// `validators` from the last read; an error says why, in words.
pub(crate) fn read(location: &str, validators: &Validators, timeout: Duration) -> Result<Read> {
    match fetch::fetch(location, validators, timeout)? {
        Fetched::NotModified => Ok(Read::Unchanged),
        Fetched::Body(bytes, next) => Ok(Read::Entries(parse::entries(&bytes)?, next)),
    }
}
