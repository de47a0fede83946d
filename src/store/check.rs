//! `lookout check`: SQLite's own checks, then lookout's invariants.

use super::Store;
use crate::dates::{DevDate, PartialDate, Timestamp, day_text};
use crate::error::Result;

/// One thing found wrong, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub check: &'static str,
    pub detail: String,
}

impl Store {
    /// Runs every check and returns what each found wrong (nothing when sound).
    pub fn check(&self) -> Result<Vec<Finding>> {
        let mut findings = Findings::default();
        self.check_integrity(&mut findings)?;
        self.check_foreign_keys(&mut findings)?;
        self.check_development_dates(&mut findings)?;
        self.check_opened_dates(&mut findings)?;
        self.check_search_index(&mut findings);
        self.check_list_columns(&mut findings)?;
        self.check_watch_stats(&mut findings)?;
        self.check_link_copies(&mut findings)?;
        Ok(findings.0)
    }

    /// SQLite's own check of the file.
    fn check_integrity(&self, findings: &mut Findings) -> Result<()> {
        let mut integrity = self.conn.prepare("PRAGMA integrity_check")?;
        for row in integrity.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                findings.add("integrity", line);
            }
        }
        Ok(())
    }

    fn check_foreign_keys(&self, findings: &mut Findings) -> Result<()> {
        let mut foreign = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = foreign.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (table, rowid, parent) = row?;
            let at = rowid.map(|id| format!(" (row {id})")).unwrap_or_default();
            findings.add(
                "foreign keys",
                format!("a row of {table}{at} points to a missing {parent} row"),
            );
        }
        Ok(())
    }

    /// Each development's date parses, and its stored interval, precision
    /// and qualifiers are the ones the date gives; its times are canonical.
    fn check_development_dates(&self, findings: &mut Findings) -> Result<()> {
        let mut dates = self.conn.prepare(
            "SELECT id, date, date_start, date_end, precision, uncertain, approximate, recorded_at,
                    retracted_at, settled, scheduled
               FROM developments ORDER BY id",
        )?;
        let mut rows = dates.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let date: String = r.get(1)?;
            let recorded_at: String = r.get(7)?;
            let stored = StoredDate {
                start: r.get(2)?,
                end: r.get(3)?,
                precision: r.get(4)?,
                uncertain: r.get(5)?,
                approximate: r.get(6)?,
                settled: r.get(9)?,
            };
            let scheduled: bool = r.get(10)?;
            match date.parse::<DevDate>() {
                Err(e) => findings.add("dates", format!("development {id}: {e}")),
                Ok(d) => {
                    let recorded = Timestamp::parse(&recorded_at).ok();
                    let expected = StoredDate::of(&d, recorded, scheduled);
                    if let Some(detail) = stored.differs(&expected) {
                        findings.add("dates", format!("development {id}: date '{date}' {detail}"));
                    }
                }
            }
            let retracted_at: Option<String> = r.get(8)?;
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
                            "development {id}: {what} '{value}' is not UTC RFC 3339 with microseconds"
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
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
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
                        format!("watch item {slug}: opened '{opened}' is stored as {start}..{end}"),
                    )
                }
                Ok(_) => {}
            }
        }
        Ok(())
    }

    /// The search index must hold what developments hold (FTS5's own check
    /// against its content table).
    fn check_search_index(&self, findings: &mut Findings) {
        if let Err(e) = self.conn.execute(
            "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            findings.add(
                "search index",
                format!(
                    "{e}: export the tracker and import the export into a new store to rebuild it"
                ),
            );
        }
    }

    /// The lists a development row carries must match its rows (schema.sql).
    fn check_list_columns(&self, findings: &mut Findings) -> Result<()> {
        let mut lists = self.conn.prepare(
            "SELECT d.id FROM developments d
              WHERE d.watch <> coalesce((SELECT group_concat(entry, ';')
                       FROM (SELECT w.slug || coalesce('=' || l.status, '') AS entry
                               FROM links l JOIN watch_items w ON w.id = l.watch_id
                              WHERE l.development = d.key ORDER BY l.position)), '')
                 OR d.actors <> coalesce((SELECT group_concat(name, ';')
                       FROM (SELECT a.name FROM development_actors da JOIN actors a ON a.id = da.actor_id
                              WHERE da.development = d.key ORDER BY da.position)), '')
                 OR d.sources <> coalesce((SELECT group_concat(source, ';')
                       FROM (SELECT s.source FROM sources s
                              WHERE s.development = d.key ORDER BY s.position)), '')
              ORDER BY d.id",
        )?;
        for row in lists.query_map([], |r| r.get::<_, String>(0))? {
            let id = row?;
            findings.add(
                "lists",
                format!(
                    "development {id}: its watch, actors or sources text is out of step with its rows"
                ),
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
        for row in stats.query_map([], |r| r.get::<_, String>(0))? {
            let slug = row?;
            findings.add(
                "stats",
                format!("watch item {slug}: its totals in watch_stats do not add up to its links"),
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
        let rows =
            copies.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
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

/// What the checks found, in the order they found it.
#[derive(Default)]
struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, check: &'static str, detail: String) {
        self.0.push(Finding { check, detail });
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
