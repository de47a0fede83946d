//! The store as known at K laid over the store as it is, for the commands
//! whose reads all know of it (`KnownReads::Overlay`): nothing reverted,
//! nothing written but the connection's own temporary tables.
//!
//! When every journal entry that stands and was made after K, and every one
//! that stood at K and was undone since, changed developments only (no
//! watch item, kind, feed or inbox entry), what the store knew at K differs
//! from what it holds now in those developments alone. Each one's line at K
//! comes from the journal the way undo and `redo_undone` would put it back:
//! the entries made after K, newest first, each change's line before; then
//! the entries undone since, oldest first, each change's line after. An
//! import's or a sync's added range is of developments that did not exist,
//! each judged by the key it had then (`set_range_aside`).
//!
//! Laid out as:
//! - `temp.known_gone`: the keys of the store's developments set aside;
//! - `temp.known_developments`, `temp.known_links`: the lines of those that
//!   existed at K, written as the store writes a development
//!   (`Store::lay_development`), under the key each has now (a new negative
//!   one when it no longer exists);
//! - `temp.known_stats`: `watch_stats` as it stood then, for the items whose
//!   totals differ.
//!
//! The reads that know of it (`known::sql::overlaid`) read the store's rows
//! not set aside and the overlay's, merged in their order; every other read
//! of those tables is refused while it is laid (`Store::guard_overlay`), so
//! none can read the store as it is by mistake.

use std::collections::HashMap;

use rusqlite::OptionalExtension;

use crate::dates::Timestamp;
use crate::error::{Error, Result};
use crate::record::Record;
use crate::store::Store;
use crate::store::journal::journal_time;
use crate::store::undo::kept_no_lines;

/// The overlay's tables, empty.
pub(super) const TABLES: &str = "
    CREATE TEMP TABLE known_gone (key INTEGER PRIMARY KEY);
    CREATE TEMP TABLE known_developments AS SELECT * FROM main.developments WHERE 0;
    CREATE UNIQUE INDEX temp.known_developments_key ON known_developments (key);
    CREATE TEMP TABLE known_links AS SELECT * FROM main.links WHERE 0;
    CREATE INDEX temp.known_links_item
        ON known_links (watch_id, date_start, date_end, recorded_at);
    CREATE INDEX temp.known_links_development ON known_links (development);
    CREATE TEMP TABLE known_stats (
        watch_id       INTEGER PRIMARY KEY,
        developments   INTEGER NOT NULL,
        latest_settled TEXT
    );";

/// The entries made after K that stand, newest first (read until one made
/// by K), each with its changes, newest first, and the key each development
/// changed has now.
const STANDING: &str = "
    SELECT j.id, j.at,
           CASE WHEN j.added_digest IS NOT NULL THEN j.added_after END, j.added_last,
           c.record, c.key, c.before, c.dev_key, d.key
      FROM journal j
      LEFT JOIN journal_changes c ON c.entry = j.id
      LEFT JOIN main.developments d ON d.id = c.key AND c.record = 'development'
     WHERE j.undone_at IS NULL
     ORDER BY j.id DESC, c.seq DESC";

/// A development's line at K (None: it did not exist), the key it has or
/// had (an import's range is of keys), and the key it has now.
#[derive(Debug, Clone)]
struct Then {
    line: Option<String>,
    key: Option<i64>,
    now: Option<i64>,
}

/// An import's or a sync's added range: keys in `(after, last]`.
type Range = (i64, i64);

impl Store {
    /// Lays the store as known at `known_on` over it (see the module) when
    /// the entries since changed developments only; false, with nothing
    /// laid, when they changed anything else.
    pub(super) fn lay_known_on(&self, known_on: Timestamp) -> Result<bool> {
        let mut then: HashMap<String, Then> = HashMap::new();
        if !self.lines_before(known_on, &mut then)? {
            return Ok(false);
        }
        let undone = self.undone_after(known_on)?;
        for (entry, _) in &undone {
            if self.changed_other_records(*entry)? {
                return Ok(false);
            }
        }
        for (entry, _) in undone {
            self.lines_after(entry, &mut then)?;
        }
        self.conn.execute_batch(TABLES)?;
        self.lay(then)?;
        self.count_then()?;
        Ok(true)
    }

    /// Whether a journal entry changed a record that is not a development.
    fn changed_other_records(&self, entry: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM journal_changes WHERE entry = ?1 AND record <> 'development'",
            )?
            .exists([entry])?)
    }

    /// The key of the store's development `id` now.
    fn key_now(&self, id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn
            .prepare_cached("SELECT key FROM main.developments WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// The entries made after K that stand, undone as undo would, newest
    /// first: each one's changes, newest first, back to their lines before;
    /// then its added range, if any, to developments that did not exist.
    /// False when one changed anything but developments.
    fn lines_before(&self, known_on: Timestamp, then: &mut HashMap<String, Then>) -> Result<bool> {
        let mut stmt = self.prepare_knowing(STANDING)?;
        let mut rows = stmt.query([])?;
        // The entry being read, and its added range.
        let mut entry: Option<(i64, Option<Range>)> = None;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            if entry.is_none_or(|(current, _)| current != id) {
                if let Some((_, Some(range))) = entry.take() {
                    self.set_range_aside(range, then)?;
                }
                if journal_time(&row.get::<_, String>(1)?)? <= known_on {
                    return Ok(true);
                }
                let range = match (row.get(2)?, row.get(3)?) {
                    (Some(after), Some(last)) => Some((after, last)),
                    _ => None,
                };
                entry = Some((id, range));
            }
            match row.get::<_, Option<String>>(4)?.as_deref() {
                // An entry that kept no change one by one.
                None => continue,
                Some("development") => {}
                Some(_) => return Ok(false),
            }
            let id: String = row.get(5)?;
            let dev_key: Option<i64> = row.get(7)?;
            let now: Option<i64> = row.get(8)?;
            let key = dev_key
                .or_else(|| then.get(&id).and_then(|t| t.key))
                .or(now);
            let line = row.get(6)?;
            then.insert(id, Then { line, key, now });
        }
        if let Some((_, Some(range))) = entry {
            self.set_range_aside(range, then)?;
        }
        Ok(true)
    }

    /// An import's or a sync's added range undone: every development it
    /// added did not exist before it.
    fn set_range_aside(
        &self,
        (after, last): Range,
        then: &mut HashMap<String, Then>,
    ) -> Result<()> {
        // A development a later entry changed is judged by the key it had
        // then, which a later import may have given to another since (SQLite
        // gives the next key, max + 1, again once the largest is removed).
        let within = |key: i64| key > after && key <= last;
        for earlier in then.values_mut() {
            if earlier.key.is_some_and(within) {
                earlier.line = None;
            }
        }
        let mut stmt = self.prepare_knowing(
            "SELECT id, key FROM main.developments WHERE key > ?1 AND key <= ?2",
        )?;
        let mut rows = stmt.query([after, last])?;
        while let Some(row) = rows.next()? {
            let key: i64 = row.get(1)?;
            then.entry(row.get(0)?).or_insert(Then {
                line: None,
                key: Some(key),
                now: Some(key),
            });
        }
        Ok(())
    }

    /// An entry that stood at K and was undone since, made again as
    /// `redo_undone` would: its changes in order, each to its line after.
    fn lines_after(&self, entry: i64, then: &mut HashMap<String, Then>) -> Result<()> {
        if self.added_range(entry)?.is_some() {
            return Err(kept_no_lines(entry));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, after, after_digest FROM journal_changes WHERE entry = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([entry])?;
        while let Some(row) = rows.next()? {
            let id: String = row.get(0)?;
            let after: Option<String> = row.get(1)?;
            let after_digest: Option<String> = row.get(2)?;
            if after.is_none() && after_digest.is_some() {
                return Err(kept_no_lines(entry));
            }
            let (key, now) = match then.get(&id) {
                Some(earlier) => (earlier.key, earlier.now),
                None => {
                    let now = self.key_now(&id)?;
                    (now, now)
                }
            };
            then.insert(
                id,
                Then {
                    line: after,
                    key,
                    now,
                },
            );
        }
        Ok(())
    }

    /// Writes the overlay's developments: each one set aside, and its line
    /// at K laid in its place when it existed then.
    fn lay(&self, then: HashMap<String, Then>) -> Result<()> {
        let mut ids: Vec<(String, Then)> = then.into_iter().collect();
        ids.sort_by(|a, b| a.0.cmp(&b.0));
        let mut gone = self
            .conn
            .prepare_cached("INSERT INTO temp.known_gone (key) VALUES (?1)")?;
        let mut absent_now = 0;
        for (id, state) in ids {
            let now = state.now;
            if let Some(key) = now {
                gone.execute([key])?;
            }
            let Some(line) = state.line else {
                continue;
            };
            let Record::Development(dev) = Record::from_line(&line).map_err(|e| {
                Error::io(format!(
                    "the journal holds a damaged line for development '{id}': {}",
                    e.message()
                ))
                .with_hint("run `lookout check`")
            })?
            else {
                return Err(Error::io(format!(
                    "the journal holds a line for development '{id}' that is not a development"
                ))
                .with_hint("run `lookout check`"));
            };
            let key = now.unwrap_or_else(|| {
                absent_now -= 1;
                absent_now
            });
            self.lay_development(&dev, key)?;
        }
        Ok(())
    }

    /// `temp.known_stats`: the totals of every item whose links differ, as
    /// `watch_stats` held them at K (links that may count, and the latest
    /// day one of them settled).
    fn count_then(&self) -> Result<()> {
        let mut items: HashMap<i64, (i64, Option<String>, bool)> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.watch_id, count(*) FROM temp.known_gone g
              CROSS JOIN main.links l ON l.development = g.key
              WHERE l.retracted = 0 AND l.scheduled = 0
              GROUP BY l.watch_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let gone: i64 = row.get(1)?;
            items.insert(row.get(0)?, (-gone, None, true));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT watch_id, count(*), max(settled) FROM temp.known_links
              WHERE retracted = 0 AND scheduled = 0
              GROUP BY watch_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let entry = items.entry(row.get(0)?).or_insert((0, None, false));
            entry.0 += row.get::<_, i64>(1)?;
            entry.1 = row.get(2)?;
        }
        let mut write = self.conn.prepare_cached(
            "INSERT INTO temp.known_stats (watch_id, developments, latest_settled)
             VALUES (?1, ?2, ?3)",
        )?;
        for (item, (delta, latest_then, lost_some)) in items {
            let (total, latest_now) = self.totals_now(item, lost_some)?;
            let latest = latest_now.max(latest_then);
            write.execute(rusqlite::params![item, total + delta, latest])?;
        }
        Ok(())
    }

    /// An item's total of links that may count, and the latest day one of
    /// those not set aside settled (a seek down `links_settled` past those
    /// set aside, when some of its links were).
    fn totals_now(&self, item: i64, lost_some: bool) -> Result<(i64, Option<String>)> {
        let (total, latest): (i64, Option<String>) = self
            .conn
            .prepare_cached(
                "SELECT developments, latest_settled FROM main.watch_stats WHERE watch_id = ?1",
            )?
            .query_row([item], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, None));
        if !lost_some {
            return Ok((total, latest));
        }
        let latest = self
            .conn
            .prepare_cached(
                "SELECT settled FROM main.links INDEXED BY links_settled
                  WHERE watch_id = ?1 AND retracted = 0 AND scheduled = 0
                    AND development NOT IN temp.known_gone
                  ORDER BY settled DESC LIMIT 1",
            )?
            .query_row([item], |r| r.get(0))
            .optional()?;
        Ok((total, latest))
    }

    /// Whether the journal shows that no development that existed at `at`
    /// has changed since, by any entry made after it (undone since or not)
    /// or the undo of one made by then: a weekly note of that day, as known
    /// on any later instant, has nothing to correct.
    pub fn nothing_changed_after(&self, at: Timestamp) -> Result<bool> {
        if !self.undone_after(at)?.is_empty() {
            return Ok(false);
        }
        let mut changed = self.conn.prepare_cached(
            "SELECT 1 FROM journal_changes
              WHERE entry = ?1 AND record = 'development' AND before IS NOT NULL",
        )?;
        for entry in self.entries_made_after(at)? {
            if changed.exists([entry])? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}
