//! Full-text search over headline, summary, actors and sources (FTS5).

use rusqlite::params_from_iter;

use super::Store;
use super::TimelineFilter;
use super::development_reads::{DEVELOPMENT_COLUMNS, DEVELOPMENT_WIDTH, read_development};
use super::timeline::timeline_conditions;
use crate::error::{Error, Result};
use crate::model::Development;

/// Marks around the matched words in a snippet.
pub const MATCH_START: &str = "[";
pub const MATCH_END: &str = "]";

/// What a pass over search hits reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchPass {
    /// The best this many, or every match.
    pub limit: Option<u64>,
    /// Best match first; else in any order, when that reads the same rows
    /// (without a limit).
    pub ranked: bool,
    /// With snippets, else each with an empty one: FTS5's `snippet()` costs
    /// a call per row, so it runs only for the rows a pass hands over.
    pub snippets: bool,
}

impl Store {
    /// Streams the developments that are not retracted, match `query` (FTS5 query syntax)
    /// and pass the filter, best match first, each with a snippet (or as
    /// `pass` asks). A query holding Chinese, Japanese or Korean text reads
    /// the trigram index, or every development when a part of it is too
    /// short for trigrams (`Plan`). A query FTS5 cannot parse is bad data
    /// (exit 65), never a crash.
    pub fn search(
        &self,
        query: &str,
        filter: &TimelineFilter,
        pass: SearchPass,
        mut each: impl FnMut(Development, String) -> Result<()>,
    ) -> Result<()> {
        let plan = Plan::of(query)?;
        let (conditions, condition_values) = timeline_conditions(filter);
        let mut values = plan.values(pass.snippets);
        values.extend(condition_values);
        let sql = search_sql(&plan, &conditions, pass);
        let mut stmt = self.conn.prepare(&sql).map_err(|e| bad_query(query, e))?;
        let mut rows = stmt
            .query(params_from_iter(values.iter()))
            .map_err(|e| bad_query(query, e))?;
        while let Some(row) = rows.next().map_err(|e| bad_query(query, e))? {
            let snippet: String = row.get(DEVELOPMENT_WIDTH)?;
            each(read_development(row)?, snippet)?;
        }
        Ok(())
    }

    /// How many developments `search` would hand over without a limit.
    pub fn search_count(&self, query: &str, filter: &TimelineFilter) -> Result<u64> {
        let plan = Plan::of(query)?;
        let (conditions, condition_values) = timeline_conditions(filter);
        let mut values = plan.values(false);
        values.extend(condition_values);
        let sql = format!("SELECT count(*) {}", plan.matching(&conditions));
        let mut stmt = self.conn.prepare(&sql).map_err(|e| bad_query(query, e))?;
        let count: i64 = stmt
            .query_row(params_from_iter(values.iter()), |row| row.get(0))
            .map_err(|e| bad_query(query, e))?;
        Ok(count.unsigned_abs())
    }
}

/// The statement of a pass. Under a limit with snippets, the best rows are
/// found first and only they are given snippets: SQLite computes the
/// selected columns of every row before it sorts them, and a snippet for
/// each of a million matches would cost seconds.
fn search_sql(plan: &Plan, conditions: &str, pass: SearchPass) -> String {
    let snippet = plan.snippet();
    let rank = plan.rank();
    let table = plan.table();
    let limit = pass
        .limit
        .map(|n| format!(" LIMIT {n}"))
        .unwrap_or_default();
    let matching = plan.matching(conditions);
    let fts = !matches!(plan, Plan::Scan(_));
    match pass {
        SearchPass {
            limit: Some(_),
            snippets: true,
            ..
        } if fts => format!(
            "SELECT {DEVELOPMENT_COLUMNS}, {snippet}
               FROM (SELECT d.key AS key, {rank} AS rank, d.date_start AS start, d.id AS id
                       {matching}
                      ORDER BY rank, start DESC, id{limit}) AS best
              CROSS JOIN {table} CROSS JOIN developments d
              WHERE {table} MATCH ?1 AND {table}.rowid = best.key
                AND d.key = best.key
              ORDER BY best.rank, best.start DESC, best.id"
        ),
        SearchPass {
            limit: None,
            ranked: false,
            snippets,
        } => {
            let snippet = if snippets { snippet } else { "''".to_string() };
            format!("SELECT {DEVELOPMENT_COLUMNS}, {snippet} {matching}")
        }
        SearchPass { snippets, .. } => {
            let snippet = if snippets { snippet } else { "''".to_string() };
            format!(
                "SELECT {DEVELOPMENT_COLUMNS}, {snippet} {matching}
                  ORDER BY {rank}, d.date_start DESC, d.id{limit}"
            )
        }
    }
}

/// Which index answers a query, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    /// The word index (`developments_fts`), with the query in FTS5's syntax.
    Words(String),
    /// The trigram index (`developments_trigram`): a query holding Chinese,
    /// Japanese or Korean text, whose every part has three characters or
    /// more, so that any part of a run of such text is found.
    Trigrams(String),
    /// No index: a query holding a part of one or two characters, which
    /// trigrams cannot find; every part is found as plain text in the
    /// headline, summary, actors or sources of each development.
    Scan(Vec<String>),
}

impl Plan {
    /// How `query` is answered; a short part of Chinese, Japanese or Korean
    /// text combined with operators is refused (exit 65).
    fn of(query: &str) -> Result<Plan> {
        if !query.chars().any(is_cjk) {
            return Ok(Plan::Words(fts_query(query)));
        }
        let parts = query_parts(query);
        // The trigram index holds only developments whose text holds such
        // characters (schema.sql): what the query finds must hold them too.
        if !parts.every_match_holds_cjk {
            return Err(Error::data(format!(
                "cannot search for '{}': under OR, NOT or parentheses, a part without \
                 Chinese, Japanese or Korean text could match developments that a query \
                 holding such text does not read",
                crate::screen::echo(query)
            ))
            .with_hint(
                "search for the parts in other languages in a search of their own; parts in \
                 any language combine when every one must be found, and NOT may exclude any",
            ));
        }
        if parts.terms.iter().all(|t| t.chars().count() >= 3) {
            return Ok(Plan::Trigrams(fts_query(query)));
        }
        if parts.operators {
            return Err(Error::data(format!(
                "cannot search for '{}': a part of one or two characters is found as plain \
                 text, without FTS5's operators",
                crate::screen::echo(query)
            ))
            .with_hint(
                "search for the words alone (every one must appear), or for parts of three \
                 characters or more with operators",
            ));
        }
        Ok(Plan::Scan(parts.terms))
    }

    /// The rows that match and pass the filter's conditions, from `FROM`
    /// on; the query's parameters come first (?1, or ?1..?N, ?N+1..?2N for
    /// a scan), the conditions' after them.
    fn matching(&self, conditions: &str) -> String {
        match self {
            Plan::Words(_) | Plan::Trigrams(_) => {
                let table = self.table();
                format!(
                    "FROM {table} JOIN developments d ON d.key = {table}.rowid
                    WHERE {table} MATCH ?1 AND d.retracted_at IS NULL{conditions}"
                )
            }
            Plan::Scan(terms) => {
                let each: Vec<String> = (1..=terms.len())
                    .map(|n| {
                        format!(
                            "(d.headline LIKE ?{n} ESCAPE '\\' OR d.summary LIKE ?{n} ESCAPE '\\' \
                             OR d.actors LIKE ?{n} ESCAPE '\\' OR d.sources LIKE ?{n} ESCAPE '\\')"
                        )
                    })
                    .collect();
                format!(
                    "FROM developments d WHERE d.retracted_at IS NULL AND {}{conditions}",
                    each.join(" AND ")
                )
            }
        }
    }

    /// The full-text table it reads.
    fn table(&self) -> &'static str {
        match self {
            Plan::Trigrams(_) => "developments_trigram",
            _ => "developments_fts",
        }
    }

    /// Best first: bm25 with headline words weighing most; for a scan, a
    /// headline holding the first part before the rest.
    fn rank(&self) -> String {
        match self {
            Plan::Scan(_) => "(d.headline NOT LIKE ?1 ESCAPE '\\')".to_string(),
            _ => format!("bm25({}, 10.0, 2.0, 1.0, 1.0)", self.table()),
        }
    }

    /// The snippet: FTS5's, or for a scan the headline with every part
    /// marked, else a stretch of the summary around the first part.
    fn snippet(&self) -> String {
        match self {
            Plan::Words(_) => {
                format!("snippet(developments_fts, -1, '{MATCH_START}', '{MATCH_END}', '…', 12)")
            }
            // A trigram is a token: 20 of them are about 22 characters.
            Plan::Trigrams(_) => format!(
                "snippet(developments_trigram, -1, '{MATCH_START}', '{MATCH_END}', '…', 20)"
            ),
            Plan::Scan(terms) => {
                let n = terms.len();
                let mark = |text: String| {
                    (1..=n).fold(text, |text, i| {
                        let raw = n + i;
                        format!(
                            "replace({text}, ?{raw}, '{MATCH_START}' || ?{raw} || '{MATCH_END}')"
                        )
                    })
                };
                let first = n + 1;
                let around = format!(
                    "substr(d.summary, max(1, instr(d.summary, ?{first}) - 20), 40 + length(?{first}))"
                );
                format!(
                    "CASE WHEN instr(d.headline, ?{first}) > 0 OR instr(coalesce(d.summary, ''), ?{first}) = 0
                          THEN {}
                          ELSE '…' || {} || '…' END",
                    mark("d.headline".to_string()),
                    mark(around)
                )
            }
        }
    }

    /// The query's parameters, before the conditions': for a scan, the
    /// parts as they are only when the statement has the snippet, which
    /// alone reads them (SQLite numbers each `?` after the highest so far).
    fn values(&self, snippets: bool) -> Vec<Box<dyn rusqlite::ToSql>> {
        match self {
            Plan::Words(q) | Plan::Trigrams(q) => vec![Box::new(q.clone())],
            Plan::Scan(terms) => {
                let mut values: Vec<Box<dyn rusqlite::ToSql>> = terms
                    .iter()
                    .map(|t| Box::new(like_pattern(t)) as Box<dyn rusqlite::ToSql>)
                    .collect();
                if snippets {
                    values.extend(
                        terms
                            .iter()
                            .map(|t| Box::new(t.clone()) as Box<dyn rusqlite::ToSql>),
                    );
                }
                values
            }
        }
    }
}

/// A query FTS5 cannot parse is the user's to fix (exit 65); a busy or
/// damaged store is not the query's fault.
fn bad_query(query: &str, e: rusqlite::Error) -> Error {
    match e {
        // FTS5 says what it cannot parse with SQLITE_ERROR.
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
}

mod query;
#[cfg(test)]
mod tests;

pub(crate) use query::{fts_query, is_cjk};
use query::{like_pattern, query_parts};
