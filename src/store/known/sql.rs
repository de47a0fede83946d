//! A read over the store's developments or links, made to read them as laid
//! over by `overlay`: the store's rows not set aside, and the overlay's,
//! merged in the read's own order.
//!
//! A read written for the store (`SELECT … FROM links l JOIN developments d
//! … WHERE … ORDER BY …`) becomes a compound of two: the store's tables
//! (`main.`, through the index the read names with `INDEXED BY`, the rows
//! set aside skipped) and the overlay's (`temp.known_…`), each in that
//! order, which SQLite merges, stopping at the read's `LIMIT`. The order's
//! terms are carried as extra columns (`o1`, `o2`, …) at the end of each
//! row, which the read's code does not look at.

use std::sync::OnceLock;

use rusqlite::ToSql;

use crate::store::Store;

/// One read of the store, and the same read over the overlay, built once
/// (the statement cache hashes and compares each statement's text).
pub(in crate::store) struct Read {
    plain: Text,
    /// Written out for a read `overlaid` cannot make (a count, a total).
    by_hand: Option<&'static str>,
    overlaid: OnceLock<String>,
}

/// A read's text: written, or built once at run time (its columns come
/// from the list of fields).
enum Text {
    Written(&'static str),
    Built(fn() -> String, OnceLock<String>),
}

impl Read {
    /// A read of the form `overlaid` takes.
    pub(in crate::store) const fn new(plain: &'static str) -> Read {
        Read {
            plain: Text::Written(plain),
            by_hand: None,
            overlaid: OnceLock::new(),
        }
    }

    /// `new`, of a text built once at run time.
    pub(in crate::store) const fn built(plain: fn() -> String) -> Read {
        Read {
            plain: Text::Built(plain, OnceLock::new()),
            by_hand: None,
            overlaid: OnceLock::new(),
        }
    }

    /// A read, and the same read over the overlay, written out.
    pub(in crate::store) const fn by_hand(plain: &'static str, over: &'static str) -> Read {
        Read {
            plain: Text::Written(plain),
            by_hand: Some(over),
            overlaid: OnceLock::new(),
        }
    }

    /// The read as the store must run it now.
    pub(in crate::store) fn sql(&self, store: &Store) -> &str {
        match (store.overlaid(), self.by_hand) {
            (false, _) => self.plain(),
            (true, Some(over)) => over,
            (true, None) => self.overlaid.get_or_init(|| overlaid(self.plain())),
        }
    }

    /// The read for the store alone.
    pub(in crate::store) fn plain(&self) -> &str {
        match &self.plain {
            Text::Written(text) => text,
            Text::Built(build, text) => text.get_or_init(build),
        }
    }
}

impl Store {
    /// A read built at run time (`?` numbered in order) as the store must
    /// run it now: as is, or laid over (`overlaid`), with its values.
    pub(in crate::store) fn laid_over<'v>(
        &self,
        sql: String,
        values: &'v [Box<dyn ToSql>],
    ) -> (String, Vec<&'v dyn ToSql>) {
        let sql = if self.overlaid() { overlaid(&sql) } else { sql };
        (sql, self.bound(values))
    }

    /// The values of a read built at run time: laid over, each of its two
    /// parts takes them (`?` are numbered on through the second).
    pub(in crate::store) fn bound<'v>(&self, values: &'v [Box<dyn ToSql>]) -> Vec<&'v dyn ToSql> {
        let once = values.iter().map(|v| v.as_ref());
        match self.overlaid() {
            true => once.clone().chain(once).collect(),
            false => once.collect(),
        }
    }

    /// Prepares a read as the store must run it now, past the overlay's
    /// guard when laid over.
    pub(in crate::store) fn prepare_read(
        &self,
        read: &Read,
    ) -> crate::error::Result<rusqlite::CachedStatement<'_>> {
        self.prepare_knowing(read.sql(self))
    }
}

/// `sql`, written for the store, made to read it as laid over (see the
/// module). It must be of the form `SELECT cols FROM from WHERE conditions
/// ORDER BY terms [LIMIT n]`, with `links l` or `developments d` first in
/// `from`.
pub(in crate::store) fn overlaid(sql: &str) -> String {
    let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    let (select, rest) = split_once(&sql, " FROM ");
    let (from, rest) = split_once(rest, " WHERE ");
    let (conditions, order) = rsplit_once(rest, " ORDER BY ");
    let (order, limit) = match order.split_once(" LIMIT ") {
        Some((order, limit)) => (order, format!(" LIMIT {limit}")),
        None => (order, String::new()),
    };
    let terms: Vec<(&str, &str)> = order
        .split(", ")
        .map(|term| match term.rsplit_once(' ') {
            Some((column, way @ ("DESC" | "ASC"))) => (column, way),
            _ => (term, "ASC"),
        })
        .collect();
    let carried: String = (terms.iter().enumerate())
        .map(|(n, (column, _))| format!(", {column} AS o{}", n + 1))
        .collect();
    let merged: Vec<String> = (terms.iter().enumerate())
        .map(|(n, (_, way))| format!("o{} {way}", n + 1))
        .collect();
    let gone = if from.starts_with("links l ") {
        "l.development"
    } else {
        "d.key"
    };
    let from = format!("FROM {from}");
    let store_arm = format!(
        "{select}{carried} {} WHERE {} AND {gone} NOT IN temp.known_gone",
        in_store(&from),
        in_store(conditions),
    );
    let overlay_arm = format!(
        "{select}{carried} {} WHERE {}",
        in_overlay(&from),
        in_overlay(conditions)
    );
    format!(
        "{store_arm} UNION ALL {overlay_arm} ORDER BY {}{limit}",
        merged.join(", ")
    )
}

/// The store's tables, named as its own.
pub(in crate::store) fn in_store(sql: &str) -> String {
    sql.replace("FROM links l", "FROM main.links l")
        .replace("JOIN developments d", "JOIN main.developments d")
        .replace("FROM developments d", "FROM main.developments d")
}

/// The overlay's tables in their place, and no index named (theirs are small).
pub(in crate::store) fn in_overlay(sql: &str) -> String {
    let mut sql = sql
        .replace("FROM links l", "FROM temp.known_links l")
        .replace("JOIN developments d", "JOIN temp.known_developments d")
        .replace("FROM developments d", "FROM temp.known_developments d");
    while let Some(at) = sql.find(" INDEXED BY ") {
        let name_end = sql[at + 12..]
            .find(' ')
            .map_or(sql.len(), |end| at + 12 + end);
        sql.replace_range(at..name_end, "");
    }
    sql
}

fn split_once<'a>(sql: &'a str, on: &str) -> (&'a str, &'a str) {
    sql.split_once(on)
        .unwrap_or_else(|| panic!("a read laid over must have '{on}': {sql}"))
}

fn rsplit_once<'a>(sql: &'a str, on: &str) -> (&'a str, &'a str) {
    sql.rsplit_once(on)
        .unwrap_or_else(|| panic!("a read laid over must have '{on}': {sql}"))
}

#[cfg(test)]
mod tests {
    use super::overlaid;

    #[test]
    fn a_read_laid_over_reads_both_in_its_order_and_skips_what_is_set_aside() {
        let sql = overlaid(
            "SELECT l.status, d.date
               FROM links l INDEXED BY links_timeline JOIN developments d ON d.key = l.development
              WHERE l.watch_id = ?1 AND l.date_start <= ?2
              ORDER BY l.date_start DESC, l.recorded_at DESC, d.id DESC
              LIMIT 1",
        );
        assert_eq!(
            sql,
            "SELECT l.status, d.date, l.date_start AS o1, l.recorded_at AS o2, d.id AS o3 \
             FROM main.links l INDEXED BY links_timeline JOIN main.developments d \
             ON d.key = l.development WHERE l.watch_id = ?1 AND l.date_start <= ?2 \
             AND l.development NOT IN temp.known_gone \
             UNION ALL \
             SELECT l.status, d.date, l.date_start AS o1, l.recorded_at AS o2, d.id AS o3 \
             FROM temp.known_links l JOIN temp.known_developments d \
             ON d.key = l.development WHERE l.watch_id = ?1 AND l.date_start <= ?2 \
             ORDER BY o1 DESC, o2 DESC, o3 DESC LIMIT 1"
        );
    }

    #[test]
    fn a_timeline_laid_over_sets_developments_aside_and_reads_their_links_from_the_overlay() {
        let sql = overlaid(
            "SELECT d.id FROM developments d INDEXED BY developments_timeline
              WHERE d.retracted_at IS NULL AND d.key IN (SELECT l.development FROM links l WHERE l.watch_id = ?)
              ORDER BY d.date_start, d.id",
        );
        assert!(sql.contains(
            "FROM main.developments d INDEXED BY developments_timeline WHERE d.retracted_at IS NULL \
             AND d.key IN (SELECT l.development FROM main.links l WHERE l.watch_id = ?) \
             AND d.key NOT IN temp.known_gone"
        ));
        assert!(sql.contains(
            "FROM temp.known_developments d WHERE d.retracted_at IS NULL \
             AND d.key IN (SELECT l.development FROM temp.known_links l WHERE l.watch_id = ?) \
             ORDER BY o1 ASC, o2 ASC"
        ));
    }
}
