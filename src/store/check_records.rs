//! `lookout check`, lookout's own invariants: dates match their intervals,
//! and the copies kept for speed match what they copy (schema.sql).

use super::Store;
use super::check::Findings;
use crate::dates::{DevDate, PartialDate, Timestamp, day_text};
use crate::error::Result;
use crate::screen::echo;

impl Store {
    /// Runs every check of lookout's invariants.
    pub(super) fn check_records(&self, findings: &mut Findings) -> Result<()> {
        self.check_development_dates(findings)?;
        self.check_opened_dates(findings)?;
        self.check_list_columns(findings)?;
        self.check_watch_stats(findings)?;
        self.check_actor_counts(findings)?;
        self.check_link_copies(findings)
    }

    /// Each development's date parses, and its stored interval, precision,
    /// qualifiers and settled day are the ones the date gives; its times are
    /// canonical.
    fn check_development_dates(&self, findings: &mut Findings) -> Result<()> {
        let mut dates = self.conn.prepare(
            "SELECT id, date, date_start, date_end, precision, uncertain, approximate, recorded_at,
                    retracted_at, settled, scheduled
               FROM developments ORDER BY id",
        )?;
        let mut rows = dates.query([])?;
        while let Some(r) = rows.next()? {
            let id = lossy(r, 0)?;
            let date = lossy(r, 1)?;
            let recorded_at = lossy(r, 7)?;
            let stored = StoredDate {
                start: lossy(r, 2)?,
                end: lossy(r, 3)?,
                precision: lossy(r, 4)?,
                uncertain: r.get(5)?,
                approximate: r.get(6)?,
                settled: lossy_opt(r, 9)?,
            };
            let scheduled: bool = r.get(10)?;
            match date.parse::<DevDate>() {
                Err(e) => findings.add("dates", format!("development {id}: {e}")),
                Ok(d) => {
                    let recorded = Timestamp::parse(&recorded_at).ok();
                    let expected = StoredDate::of(&d, recorded, scheduled);
                    if let Some(detail) = stored.differs(&expected) {
                        findings.add(
                            "dates",
                            format!("development {id}: date '{}' {detail}", echo(&date)),
                        );
                    }
                }
            }
            let retracted_at = lossy_opt(r, 8)?;
            for (what, value) in [
                ("recorded_at", Some(&recorded_at)),
                ("retracted_at", retracted_at.as_ref()),
            ] {
                if let Some(value) = value
                    && Timestamp::parse(value).map(|t| t.to_string()).as_ref() != Ok(value)
                {
                    findings.add(
                        "times",
                        format!(
                            "development {id}: {what} '{}' is not UTC RFC 3339 with microseconds",
                            echo(value)
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Each watch item's opened date parses and matches its stored interval.
    fn check_opened_dates(&self, findings: &mut Findings) -> Result<()> {
        let mut items = self.conn.prepare(
            "SELECT slug, opened, opened_start, opened_end FROM watch_items ORDER BY slug",
        )?;
        let rows = items.query_map([], |r| {
            Ok((lossy(r, 0)?, lossy(r, 1)?, lossy(r, 2)?, lossy(r, 3)?))
        })?;
        for row in rows {
            let (slug, opened, start, end) = row?;
            match opened.parse::<PartialDate>() {
                Err(e) => findings.add("dates", format!("watch item {slug}: {e}")),
                Ok(d)
                    if (day_text(d.start()), day_text(d.end())) != (start.clone(), end.clone()) =>
                {
                    findings.add(
                        "dates",
                        format!(
                            "watch item {slug}: opened '{}' is stored as {start}..{end}",
                            echo(&opened)
                        ),
                    )
                }
                Ok(_) => {}
            }
        }
        Ok(())
    }

    /// The lists a development row carries must match its rows (schema.sql).
    fn check_list_columns(&self, findings: &mut Findings) -> Result<()> {
        let mut lists = self.conn.prepare(
            "SELECT d.id FROM developments d
              WHERE d.watch <> coalesce((SELECT group_concat(entry, ';')
                       FROM (SELECT w.slug || coalesce('=' || l.status, '') AS entry
                               FROM links l JOIN watch_items w ON w.id = l.watch_id
                              WHERE l.development = d.key ORDER BY l.position)), '')

              ORDER BY d.id",
        )?;
        for row in lists.query_map([], |r| lossy(r, 0))? {
            let id = row?;
            findings.add(
                "lists",
                format!("development {id}: its watch text is out of step with its links"),
            );
        }
        Ok(())
    }

    /// watch_stats must add up to the links it summarises (schema.sql).
    fn check_watch_stats(&self, findings: &mut Findings) -> Result<()> {
        let mut stats = self.conn.prepare(
            "SELECT w.slug
               FROM watch_items w
               LEFT JOIN watch_stats s ON s.watch_id = w.id
               LEFT JOIN (SELECT watch_id, count(*) AS n, max(settled) AS settled
                            FROM links WHERE retracted = 0 AND scheduled = 0
                           GROUP BY watch_id) t ON t.watch_id = w.id
              WHERE coalesce(s.developments, 0) <> coalesce(t.n, 0)
                 OR coalesce(t.n, 0) > 0 AND s.latest_settled IS NOT t.settled
              ORDER BY w.slug",
        )?;
        for row in stats.query_map([], |r| lossy(r, 0))? {
            let slug = row?;
            findings.add(
                "stats",
                format!("watch item {slug}: its totals in watch_stats do not add up to its links"),
            );
        }
        Ok(())
    }

    /// Each actor's count must be that of the developments naming it (schema.sql).
    fn check_actor_counts(&self, findings: &mut Findings) -> Result<()> {
        let mut counts = self.conn.prepare(
            "WITH RECURSIVE split (name, rest, counts) AS (
                 SELECT NULL, actors || ';', retracted_at IS NULL
                   FROM developments WHERE actors <> ''
                 UNION ALL
                 SELECT substr(rest, 1, instr(rest, ';') - 1),
                        substr(rest, instr(rest, ';') + 1), counts
                   FROM split WHERE rest <> ''),
             named (name, n) AS (
                 SELECT name, sum(counts) FROM split WHERE name IS NOT NULL GROUP BY name)
             SELECT coalesce(a.name, named.name)
               FROM named FULL JOIN actors a ON a.name = named.name
              WHERE a.name IS NULL OR a.developments <> coalesce(named.n, 0)
              ORDER BY 1",
        )?;
        for row in counts.query_map([], |r| lossy(r, 0))? {
            let name = row?;
            findings.add(
                "actors",
                format!(
                    "actor '{name}': its count in actors is not that of the developments naming it"
                ),
            );
        }
        Ok(())
    }

    /// The copies in `links` must match their development (schema.sql).
    fn check_link_copies(&self, findings: &mut Findings) -> Result<()> {
        let mut copies = self.conn.prepare(
            "SELECT d.id, w.slug
               FROM links l
               JOIN developments d ON d.key = l.development
               JOIN watch_items w ON w.id = l.watch_id
              WHERE l.date_start <> d.date_start OR l.date_end <> d.date_end
                 OR l.recorded_at <> d.recorded_at
                 OR l.retracted <> (d.retracted_at IS NOT NULL)
                 OR l.settled IS NOT d.settled OR l.scheduled <> d.scheduled
              ORDER BY d.id, w.slug",
        )?;
        let rows = copies.query_map([], |r| Ok((lossy(r, 0)?, lossy(r, 1)?)))?;
        for row in rows {
            let (id, slug) = row?;
            findings.add(
                "links",
                format!(
                    "the link of development {id} to {slug} is out of step with the development"
                ),
            );
        }
        Ok(())
    }
}

/// The columns a development's date is stored in, besides the date itself.
#[derive(Debug, PartialEq, Eq)]
struct StoredDate {
    /// Empty for an open start.
    start: String,
    end: String,
    precision: String,
    uncertain: bool,
    approximate: bool,
    /// None while scheduled.
    settled: Option<String>,
}

impl StoredDate {
    /// What the columns should hold for `date`, recorded at `recorded` (its
    /// settled day is left as stored when the time is unreadable: the times
    /// check reports that).
    fn of(date: &DevDate, recorded: Option<Timestamp>, scheduled: bool) -> StoredDate {
        StoredDate {
            start: date.start().map(day_text).unwrap_or_default(),
            end: day_text(date.end()),
            precision: date.precision().as_str().to_string(),
            uncertain: date.is_uncertain(),
            approximate: date.is_approximate(),
            settled: match (scheduled, recorded) {
                (true, _) => None,
                (false, Some(at)) => Some(day_text(date.settled(at.day()))),
                (false, None) => Some(String::new()),
            },
        }
    }

    /// How the stored columns differ from `expected`, in words; None when
    /// they agree.
    fn differs(&self, expected: &StoredDate) -> Option<String> {
        let interval = |d: &StoredDate| {
            let start = if d.start.is_empty() { ".." } else { &d.start };
            format!("{start}..{} ({})", d.end, d.precision)
        };
        let (stored_interval, expected_interval) = (interval(self), interval(expected));
        if stored_interval != expected_interval
            || (self.uncertain, self.approximate) != (expected.uncertain, expected.approximate)
        {
            return Some(format!(
                "is stored as {stored_interval}; it covers {expected_interval}"
            ));
        }
        let unreadable_time = expected.settled.as_deref() == Some("");
        if self.settled != expected.settled && !unreadable_time {
            let said = |s: &Option<String>| s.clone().unwrap_or_else(|| "never (scheduled)".into());
            return Some(format!(
                "is stored as settled {}; it settled {}",
                said(&self.settled),
                said(&expected.settled)
            ));
        }
        None
    }
}

/// A text cell as text, bytes that are not UTF-8 replaced (the text check
/// reports those), so that one bad cell does not stop the other checks.
fn lossy(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<String> {
    Ok(lossy_opt(row, index)?.unwrap_or_default())
}

fn lossy_opt(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<Option<String>> {
    Ok(match row.get_ref(index)? {
        rusqlite::types::ValueRef::Null => None,
        rusqlite::types::ValueRef::Text(bytes) | rusqlite::types::ValueRef::Blob(bytes) => {
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
        rusqlite::types::ValueRef::Real(x) => Some(x.to_string()),
    })
}
