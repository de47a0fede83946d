//! Full-text search over headline, summary, actors and sources (FTS5).

use rusqlite::params_from_iter;

use super::Store;
use super::TimelineFilter;
use super::developments::{DEVELOPMENT_COLUMNS, DEVELOPMENT_WIDTH, read_development};
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

/// How hits are ranked: bm25 with headline words weighing most, then the
/// latest date, then the id.
const RANK: &str = "bm25(developments_fts, 10.0, 2.0, 1.0, 1.0)";

impl Store {
    /// Streams the developments that are not retracted, match `query` (FTS5 query syntax)
    /// and pass the filter, best match first, each with a snippet (or as
    /// `pass` asks). A query FTS5 cannot parse is bad data (exit 65), never
    /// a crash.
    pub fn search(
        &self,
        query: &str,
        filter: &TimelineFilter,
        pass: SearchPass,
        mut each: impl FnMut(Development, String) -> Result<()>,
    ) -> Result<()> {
        let (conditions, mut values) = timeline_conditions(filter);
        values.insert(0, Box::new(fts_query(query)));
        let sql = search_sql(&conditions, pass);
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
        let (conditions, mut values) = timeline_conditions(filter);
        values.insert(0, Box::new(fts_query(query)));
        let sql = format!("SELECT count(*) {}", matching(&conditions));
        let mut stmt = self.conn.prepare(&sql).map_err(|e| bad_query(query, e))?;
        let count: i64 = stmt
            .query_row(params_from_iter(values.iter()), |row| row.get(0))
            .map_err(|e| bad_query(query, e))?;
        Ok(count.unsigned_abs())
    }
}

/// The rows that match (the query is ?1) and pass the filter's conditions.
fn matching(conditions: &str) -> String {
    format!(
        "FROM developments_fts JOIN developments d ON d.key = developments_fts.rowid
        WHERE developments_fts MATCH ?1 AND d.retracted_at IS NULL{conditions}"
    )
}

/// The statement of a pass. Under a limit with snippets, the best rows are
/// found first and only they are given snippets: SQLite computes the
/// selected columns of every row before it sorts them, and a snippet for
/// each of a million matches would cost seconds.
fn search_sql(conditions: &str, pass: SearchPass) -> String {
    let snippet = format!("snippet(developments_fts, -1, '{MATCH_START}', '{MATCH_END}', '…', 12)");
    let limit = pass
        .limit
        .map(|n| format!(" LIMIT {n}"))
        .unwrap_or_default();
    let matching = matching(conditions);
    match pass {
        SearchPass {
            limit: Some(_),
            snippets: true,
            ..
        } => format!(
            "SELECT {DEVELOPMENT_COLUMNS}, {snippet}
               FROM (SELECT d.key AS key, {RANK} AS rank, d.date_start AS start, d.id AS id
                       {matching}
                      ORDER BY rank, start DESC, id{limit}) AS best
              CROSS JOIN developments_fts CROSS JOIN developments d
              WHERE developments_fts MATCH ?1 AND developments_fts.rowid = best.key
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
                  ORDER BY {RANK}, d.date_start DESC, d.id{limit}"
            )
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

/// A query as typed, made into FTS5's syntax: words with a hyphen, slash,
/// dot or other punctuation (`high-risk`, `CEN-CENELEC`, `2024/1689`) are
/// searched as the phrase they are, where FTS5 would read an operator or
/// fail; quoted phrases, AND/OR/NOT/NEAR, parentheses, `prefix*`, `^first`
/// and `column:` keep their meaning.
pub(crate) fn fts_query(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' => {
                out.push(c.to_string());
                chars.next();
            }
            '"' => {
                // A phrase, as typed ("" inside is a quote; left open, FTS5 says so).
                let mut phrase = String::from('"');
                chars.next();
                while let Some(c) = chars.next() {
                    phrase.push(c);
                    if c == '"' {
                        if chars.peek() == Some(&'"') {
                            phrase.push('"');
                            chars.next();
                        } else {
                            break;
                        }
                    }
                }
                if chars.peek() == Some(&'*') {
                    phrase.push('*');
                    chars.next();
                }
                out.push(phrase);
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | ',' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                out.push(fts_word(&word));
            }
        }
    }
    out.join(" ")
}

/// One bare word of a query in FTS5's syntax.
fn fts_word(word: &str) -> String {
    if matches!(word, "AND" | "OR" | "NOT" | "NEAR" | "*") {
        return word.to_string();
    }
    if let Some((column, rest)) = word.split_once(':')
        && !column.is_empty()
        && column
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        // `column:word`; an unknown column is FTS5's to refuse.
        let rest = if rest.is_empty() {
            String::new()
        } else {
            fts_word(rest)
        };
        return format!("{column}:{rest}");
    }
    let (caret, body) = match word.strip_prefix('^') {
        Some(body) => ("^", body),
        None => ("", word),
    };
    let (body, star) = match body.strip_suffix('*') {
        Some(body) if !body.is_empty() => (body, "*"),
        _ => (body, ""),
    };
    let bare = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || !c.is_ascii());
    if bare {
        format!("{caret}{body}{star}")
    } else {
        format!("{caret}\"{}\"{star}", body.replace('"', "\"\""))
    }
}

#[cfg(test)]
mod query_tests {
    use super::fts_query;

    #[test]
    fn words_are_found_as_typed_and_operators_keep_their_meaning() {
        for (typed, fts) in [
            ("high-risk", "\"high-risk\""),
            ("CEN-CENELEC standards", "\"CEN-CENELEC\" standards"),
            ("2024/1689", "\"2024/1689\""),
            ("eur-lex.europa.eu", "\"eur-lex.europa.eu\""),
            ("stop-the-clock*", "\"stop-the-clock\"*"),
            (
                "\"action plan\" AND (China OR US)",
                "\"action plan\" AND ( China OR US )",
            ),
            ("gover* NOT India", "gover* NOT India"),
            ("actors:EU", "actors:EU"),
            ("headline:high-risk", "headline:\"high-risk\""),
            ("^China", "^China"),
            ("Qiang’s", "Qiang’s"),
            ("AT&T", "\"AT&T\""),
            ("\"unclosed", "\"unclosed"),
        ] {
            assert_eq!(fts_query(typed), fts, "{typed}");
        }
    }
}
