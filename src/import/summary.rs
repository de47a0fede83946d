//! What a run did: the counts of added, updated and unchanged records of
//! each type, and the sentence that reports them.

use std::fmt;

use super::Outcome;

/// What happened to the records of one type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Tally {
    pub fn total(&self) -> u64 {
        self.added + self.updated + self.unchanged
    }

    pub(super) fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }

    fn plus(self, other: Tally) -> Tally {
        Tally {
            added: self.added + other.added,
            updated: self.updated + other.updated,
            unchanged: self.unchanged + other.unchanged,
        }
    }
}

/// The counts of a whole run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub kinds: Tally,
    pub watch_items: Tally,
    pub developments: Tally,
    pub rejected: u64,
    /// Records that named an id (or a watch item's slug) an earlier record
    /// of the run named: each replaced the earlier one.
    pub repeated: u64,
}

impl Summary {
    pub fn all(&self) -> Tally {
        self.kinds.plus(self.watch_items).plus(self.developments)
    }
}

impl fmt::Display for Summary {
    /// `11 added, 0 updated, 0 unchanged, 0 rejected (3 watch items, 8 developments)`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let all = self.all();
        write!(
            f,
            "{} added, {} updated, {} unchanged, {} rejected",
            all.added, all.updated, all.unchanged, self.rejected
        )?;
        let parts: Vec<String> = [
            (self.kinds, "kind"),
            (self.watch_items, "watch item"),
            (self.developments, "development"),
        ]
        .into_iter()
        .filter(|(tally, _)| tally.total() > 0)
        .map(|(tally, noun)| crate::words::counted(tally.total(), noun))
        .collect();
        if !parts.is_empty() {
            write!(f, " ({})", parts.join(", "))?;
        }
        if self.repeated > 0 {
            write!(
                f,
                "; {} repeated an id or slug given earlier in the run, and the later one was kept",
                crate::words::counted(self.repeated, "record")
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_reads_as_a_sentence() {
        let summary = Summary {
            kinds: Tally::default(),
            watch_items: Tally {
                added: 3,
                ..Tally::default()
            },
            developments: Tally {
                added: 7,
                updated: 1,
                unchanged: 0,
            },
            rejected: 2,
            repeated: 0,
        };
        assert_eq!(
            summary.to_string(),
            "10 added, 1 updated, 0 unchanged, 2 rejected (3 watch items, 8 developments)"
        );
        assert_eq!(
            Summary::default().to_string(),
            "0 added, 0 updated, 0 unchanged, 0 rejected"
        );
    }
}
