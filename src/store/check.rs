//! `lookout check`: SQLite's own checks, then lookout's invariants.

use super::Store;
use crate::dates::{PartialDate, Timestamp, day_text};
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
        let mut findings = Vec::new();
        let mut found =
            |check: &'static str, detail: String| findings.push(Finding { check, detail });

        let mut integrity = self.conn.prepare("PRAGMA integrity_check")?;
        for row in integrity.query_map([], |r| r.get::<_, String>(0))? {
            let line = row?;
            if line != "ok" {
                found("integrity", line);
            }
        }

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
            found(
                "foreign keys",
                format!("a row of {table}{at} points to a missing {parent} row"),
            );
        }

        let mut dates = self.conn.prepare(
            "SELECT id, date, date_start, date_end, precision, uncertain, approximate, recorded_at,
                    retracted_at
               FROM developments ORDER BY id",
        )?;
        let rows = dates.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, bool>(5)?,
                r.get::<_, bool>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        for row in rows {
            let (
                id,
                date,
                start,
                end,
                precision,
                uncertain,
                approximate,
                recorded_at,
                retracted_at,
            ) = row?;
            match date.parse::<PartialDate>() {
                Err(e) => found("dates", format!("development {id}: {e}")),
                Ok(d) => {
                    let expected = (
                        day_text(d.start()),
                        day_text(d.end()),
                        d.precision().as_str(),
                        d.is_uncertain(),
                        d.is_approximate(),
                    );
                    if expected
                        != (
                            start.clone(),
                            end.clone(),
                            precision.as_str(),
                            uncertain,
                            approximate,
                        )
                    {
                        found(
                            "dates",
                            format!(
                                "development {id}: date '{date}' is stored as {start}..{end} ({precision}); \
                                 it covers {}..{} ({})",
                                expected.0, expected.1, expected.2
                            ),
                        );
                    }
                }
            }
            for (what, value) in [
                ("recorded_at", Some(&recorded_at)),
                ("retracted_at", retracted_at.as_ref()),
            ] {
                if let Some(value) = value
                    && Timestamp::parse(value).map(|t| t.to_string()).as_ref() != Ok(value)
                {
                    found(
                        "times",
                        format!(
                            "development {id}: {what} '{value}' is not UTC RFC 3339 with microseconds"
                        ),
                    );
                }
            }
        }

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
                Err(e) => found("dates", format!("watch item {slug}: {e}")),
                Ok(d)
                    if (day_text(d.start()), day_text(d.end())) != (start.clone(), end.clone()) =>
                {
                    found(
                        "dates",
                        format!("watch item {slug}: opened '{opened}' is stored as {start}..{end}"),
                    )
                }
                Ok(_) => {}
            }
        }

        // The search index must hold what developments hold (FTS5's own check
        // against its content table).
        if let Err(e) = self.conn.execute(
            "INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            found(
                "search index",
                format!(
                    "{e}: export the tracker and import the export into a new store to rebuild it"
                ),
            );
        }

        // The lists a development row carries must match its rows (schema.sql).
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
            found(
                "lists",
                format!(
                    "development {id}: its watch, actors or sources text is out of step with its rows"
                ),
            );
        }

        // watch_stats must add up to the links it summarises (schema.sql).
        let mut stats = self.conn.prepare(
            "SELECT w.slug
               FROM watch_items w
               LEFT JOIN watch_stats s ON s.watch_id = w.id
               LEFT JOIN (SELECT watch_id, count(*) AS n, max(date_start) AS start, max(date_end) AS end
                            FROM links WHERE retracted = 0 GROUP BY watch_id) t ON t.watch_id = w.id
              WHERE coalesce(s.developments, 0) <> coalesce(t.n, 0)
                 OR coalesce(t.n, 0) > 0 AND (s.latest_start IS NOT t.start OR s.latest_end IS NOT t.end)
              ORDER BY w.slug",
        )?;
        for row in stats.query_map([], |r| r.get::<_, String>(0))? {
            let slug = row?;
            found(
                "stats",
                format!("watch item {slug}: its totals in watch_stats do not add up to its links"),
            );
        }

        // The copies in `links` must match their development (schema.sql).
        let mut copies = self.conn.prepare(
            "SELECT d.id, w.slug
               FROM links l
               JOIN developments d ON d.key = l.development
               JOIN watch_items w ON w.id = l.watch_id
              WHERE l.date_start <> d.date_start OR l.date_end <> d.date_end
                 OR l.recorded_at <> d.recorded_at
                 OR l.retracted <> (d.retracted_at IS NOT NULL)
              ORDER BY d.id, w.slug",
        )?;
        let rows =
            copies.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, slug) = row?;
            found(
                "links",
                format!(
                    "the link of development {id} to {slug} is out of step with the development"
                ),
            );
        }
        Ok(findings)
    }
}
