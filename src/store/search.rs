//! Full-text search over headline, summary, actors and sources (FTS5).

use rusqlite::params_from_iter;

use super::Store;
use super::TimelineFilter;
use super::developments::{
    DEVELOPMENT_COLUMNS, DEVELOPMENT_WIDTH, read_development, timeline_conditions,
};
use crate::error::{Error, Result};
use crate::model::Development;

/// Marks around the matched words in a snippet.
pub const MATCH_START: &str = "[";
pub const MATCH_END: &str = "]";

impl Store {
    /// Streams the developments that count, match `query` (FTS5 query syntax)
    /// and pass the filter, best match first, each with a snippet. A query
    /// FTS5 cannot parse is bad data (exit 65), never a crash.
    pub fn search(
        &self,
        query: &str,
        filter: &TimelineFilter,
        limit: Option<u64>,
        mut each: impl FnMut(Development, String) -> Result<()>,
    ) -> Result<()> {
        let (conditions, mut values) = timeline_conditions(filter);
        let mut sql = format!(
            "SELECT {DEVELOPMENT_COLUMNS},
                    snippet(search_index, -1, '{MATCH_START}', '{MATCH_END}', '…', 12)
               FROM search_index
               JOIN developments d ON d.key = search_index.rowid
              WHERE search_index MATCH ? AND d.retracted_at IS NULL{conditions}
              ORDER BY bm25(search_index, 10.0, 2.0, 1.0, 1.0), d.date_start DESC, d.id"
        );
        values.insert(0, Box::new(query.to_string()));
        if let Some(limit) = limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let bad_query = |e: rusqlite::Error| -> Error {
            match e {
                // FTS5 says what it cannot parse with SQLITE_ERROR; a busy or
                // damaged store is not the query's fault.
                rusqlite::Error::SqliteFailure(failure, Some(message))
                    if failure.code == rusqlite::ErrorCode::Unknown =>
                {
                    Error::data(format!(
                        "cannot search for '{}': {message}",
                        crate::screen::echo(query)
                    ))
                    .with_hint(
                        "use FTS5 query syntax: words, \"a phrase\", AND, OR, NOT, prefix*, \
                         column:word (headline, summary, actors, sources)",
                    )
                }
                other => Error::from(other),
            }
        };
        let mut stmt = self.conn.prepare(&sql).map_err(bad_query)?;
        let mut rows = stmt
            .query(params_from_iter(values.iter()))
            .map_err(bad_query)?;
        while let Some(row) = rows.next().map_err(bad_query)? {
            let snippet: String = row.get(DEVELOPMENT_WIDTH)?;
            each(read_development(row)?, snippet)?;
        }
        Ok(())
    }
}
