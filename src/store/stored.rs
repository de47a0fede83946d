//! Reading back what the store holds. A stored value that no longer parses
//! means someone changed the file outside lookout: that is a damaged store
//! (exit 74, and `lookout check` says what is wrong), never the user's bad
//! input (exit 65, with a "did you mean").

use chrono::NaiveDate;

use crate::dates::{DevDate, PartialDate, Timestamp};
use crate::error::{Error, Result};
use crate::model::{DevId, Status, WatchSlug};
use crate::screen::echo;

fn damaged(what: &str, text: &str) -> Error {
    Error::io(format!("the store holds a bad {what}: '{}'", echo(text)))
        .with_hint("run `lookout check` to see what is damaged")
}

pub(super) fn stored_id(text: &str) -> Result<DevId> {
    DevId::parse(text).map_err(|_| damaged("development id", text))
}

pub(super) fn stored_slug(text: &str) -> Result<WatchSlug> {
    WatchSlug::parse(text).map_err(|_| damaged("watch slug", text))
}

pub(super) fn stored_status(text: &str) -> Result<Status> {
    Status::parse(text).map_err(|_| damaged("status", text))
}

pub(super) fn stored_dev_date(text: &str) -> Result<DevDate> {
    text.parse().map_err(|_| damaged("date", text))
}

pub(super) fn stored_date(text: &str) -> Result<PartialDate> {
    text.parse().map_err(|_| damaged("date", text))
}

pub(super) fn stored_time(text: &str) -> Result<Timestamp> {
    Timestamp::parse(text).map_err(|_| damaged("time", text))
}

pub(super) fn stored_day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| damaged("day", text))
}
