//! What the store hands the status fold (`report::status`) about one watch
//! item as of a report date.

use chrono::NaiveDate;

use super::{DevId, Status, WatchSlug};
use crate::dates::{DevDate, PartialDate};

/// What the store knows of one watch item as of a report date: the input of
/// the status fold in `report::status`. "Counted" is docs/DESIGN.md's word: not
/// retracted, not scheduled, certainly happened by the report date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFacts {
    pub slug: WatchSlug,
    pub title: String,
    /// The question the item asks, and what would count as realised.
    pub description: Option<String>,
    pub opened: PartialDate,
    /// Counted links that set a status, in timeline order: at least those
    /// from the start of the current run of one status on (earlier ones
    /// cannot change the derived status or its since).
    pub changes: Vec<StatusChange>,
    /// How many counted developments the item has.
    pub developments: u64,
    /// The last counted development in timeline order: its date and headline.
    pub last: Option<(DevDate, String)>,
    /// The latest settled day among the counted developments.
    pub latest_settled: Option<NaiveDate>,
    /// Among the developments that have happened or may have happened by
    /// the report date (not scheduled, interval started), the last in
    /// timeline order whose link sets a status: the status a report would
    /// give if all of them had happened.
    pub latest_possible: Option<PossibleChange>,
    /// The item's scheduled developments, in timeline order.
    pub scheduled: Vec<ScheduledDevelopment>,
}

/// A link that sets a status, from a development that may not have
/// happened yet: what a provisional status is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PossibleChange {
    pub to: Status,
    pub id: DevId,
    /// The day its development had certainly happened by.
    pub settled: NaiveDate,
}

/// A development that is due, not done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledDevelopment {
    pub id: DevId,
    pub date: DevDate,
    pub headline: String,
}

/// A counted link that moved its item to a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub to: Status,
    pub date: DevDate,
}

/// A counted link that set a status, with the development that set it:
/// the stuff of a watch item's status history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSetting {
    pub to: Status,
    pub date: DevDate,
    pub id: DevId,
    pub headline: String,
}

/// A development that came to count for a watch item in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    pub dev: super::Development,
    /// The status its link to the item sets, if any.
    pub to: Option<Status>,
    /// Whether it comes after, in timeline order, every status setting that
    /// counted at the start of the window: only then can it move the status
    /// (one dated earlier is already overridden by a later one).
    pub after_settled_status: bool,
}

/// A link that came to count for a watch item in a window and sets a
/// status: all the walk of the item's status changes reads of it, so that
/// the walk need not read every development of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowSetting {
    pub to: Status,
    pub date: DevDate,
    pub id: DevId,
    /// As `Arrival::after_settled_status`.
    pub after_settled_status: bool,
}
