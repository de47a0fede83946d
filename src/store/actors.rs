//! Actors: kept once per development, in its `actors` column, with the
//! vocabulary and each name's count of developments in `actors`; and the
//! `--actor` filter, served by the full-text index.
//!
//! Until version 6 each development also wrote a row per actor into a table
//! of its own, with two indexes, for the filter and the counts: 15 % of the
//! instructions of a bulk import (callgrind, 20,000 developments). Now the
//! filter asks the full-text index, which has the actors column anyway, for
//! the developments whose actors hold the name's words (`actors : "NAME"`),
//! and keeps those that name it exactly; and `lookout actors` reads the
//! counts, which lookout's writes keep (a bulk load counts once, at its end).
//!
//! What the filter assumes: the index holds every development (its triggers
//! keep it; a bulk load rebuilds it before it commits), and the tokenizer
//! finds the same words in a name alone as inside the column, which holds
//! it between `;` separators. A name with no word at all for the tokenizer
//! (punctuation, an emoji) cannot be looked up in the index, so the filter
//! reads every development for it instead: still exact, not fast.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, ToSql, params};

use super::Store;
use crate::error::Result;
use crate::model::split_list;

/// Every actor's count, computed afresh by SQL alone: what a bulk load
/// falls back to when a run names too many actors to count in memory.
const RECOUNT_ACTORS: &str = "
    UPDATE actors SET developments = 0;
    WITH RECURSIVE split (name, rest, counts) AS (
        SELECT NULL, actors || ';', retracted_at IS NULL FROM developments WHERE actors <> ''
        UNION ALL
        SELECT substr(rest, 1, instr(rest, ';') - 1), substr(rest, instr(rest, ';') + 1), counts
          FROM split WHERE rest <> '')
    INSERT INTO actors (name, developments)
    SELECT name, sum(counts) FROM split WHERE name IS NOT NULL GROUP BY name
    ON CONFLICT (name) DO UPDATE SET developments = excluded.developments;";

/// How many distinct names a recount holds in memory (about 100 bytes
/// each) before it leaves the counting to SQL, which is slower (a recursive
/// split of every row: 20 % of a bulk import's instructions) but needs no
/// memory for it.
const COUNTED_IN_MEMORY: usize = 100_000;

impl Store {
    /// Adds `delta` to the count of every actor in `actors` (a development's
    /// actors column), adding to the vocabulary the names it lacks; a
    /// retracted development adds its names but counts for none. Nothing
    /// during a bulk load, which counts once at its end.
    pub(super) fn count_actors(&self, actors: &str, retracted: bool, delta: i64) -> Result<()> {
        if self.bulk.get() {
            return Ok(());
        }
        for name in split_list(actors) {
            let key = self.actor_key_or_insert(name)?;
            if !retracted {
                self.conn
                    .prepare_cached(
                        "UPDATE actors SET developments = developments + ?2 WHERE id = ?1",
                    )?
                    .execute(params![key, delta])?;
            }
        }
        Ok(())
    }

    /// Every actor's count computed afresh (the end of a bulk load): the
    /// actors columns read once, the names counted in memory.
    pub(super) fn recount_actors(&self) -> Result<()> {
        self.keys.borrow_mut().actors.clear();
        let Some(counts) = self.actor_counts_in_memory()? else {
            self.conn.execute_batch(RECOUNT_ACTORS)?;
            return Ok(());
        };
        self.conn
            .execute_batch("UPDATE actors SET developments = 0")?;
        let mut upsert = self.conn.prepare(
            "INSERT INTO actors (name, developments) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET developments = excluded.developments",
        )?;
        for (name, n) in counts {
            upsert.execute(params![name, n])?;
        }
        Ok(())
    }

    /// Each name's count of developments not retracted; None past
    /// `COUNTED_IN_MEMORY` names.
    fn actor_counts_in_memory(&self) -> Result<Option<HashMap<String, i64>>> {
        let mut counts: HashMap<String, i64> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT actors, retracted_at IS NULL FROM developments WHERE actors <> ''")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let counted: i64 = row.get(1)?;
            let Ok(actors) = row.get_ref(0)?.as_str() else {
                continue; // not text: `check` reports it
            };
            for name in split_list(actors) {
                if let Some(n) = counts.get_mut(name) {
                    *n += counted;
                } else if counts.len() < COUNTED_IN_MEMORY {
                    counts.insert(name.to_string(), counted);
                } else {
                    return Ok(None);
                }
            }
        }
        Ok(Some(counts))
    }

    fn actor_key_or_insert(&self, name: &str) -> Result<i64> {
        if let Some(key) = self.keys.borrow().actors.get(name) {
            return Ok(*key);
        }
        let mut find = self
            .conn
            .prepare_cached("SELECT id FROM actors WHERE name = ?1")?;
        let key = match find.query_row([name], |r| r.get(0)).optional()? {
            Some(key) => key,
            None => {
                self.conn
                    .prepare_cached("INSERT INTO actors (name) VALUES (?1)")?
                    .execute([name])?;
                self.conn.last_insert_rowid()
            }
        };
        self.keys.borrow_mut().remember_actor(name, key);
        Ok(key)
    }

    /// Whether some development, retracted or not, names the actor.
    pub(super) fn actor_named(&self, name: &str) -> Result<bool> {
        let (condition, values) = actor_condition(&[name.to_string()]);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT 1 FROM developments d WHERE 1{condition} LIMIT 1"
        ))?;
        Ok(stmt.exists(rusqlite::params_from_iter(values.iter()))?)
    }
}

/// The condition (" AND …" on `developments d`) that keeps developments
/// naming any of `names` exactly, and its values.
pub(super) fn actor_condition(names: &[String]) -> (String, Vec<Box<dyn ToSql>>) {
    let mut values: Vec<Box<dyn ToSql>> = Vec::new();
    let mut sql = String::new();
    if names.iter().all(|name| has_words(name)) {
        let query: Vec<String> = names
            .iter()
            .map(|name| format!("actors : \"{}\"", name.replace('"', "\"\"")))
            .collect();
        sql.push_str(
            " AND d.key IN (SELECT rowid FROM developments_fts WHERE developments_fts MATCH ?)",
        );
        values.push(Box::new(query.join(" OR ")));
    }
    let exact: Vec<&str> = names
        .iter()
        .map(|_| "instr(';' || d.actors || ';', ';' || ? || ';') > 0")
        .collect();
    sql.push_str(&format!(" AND ({})", exact.join(" OR ")));
    values.extend(
        names
            .iter()
            .map(|name| Box::new(name.clone()) as Box<dyn ToSql>),
    );
    (sql, values)
}

/// Whether the search index's tokenizer finds a word in `name`, asked of
/// the tokenizer itself (an index of the name alone, in memory), so that
/// the answer never differs from what the index holds.
fn has_words(name: &str) -> bool {
    let probe = || -> rusqlite::Result<bool> {
        let conn = rusqlite::Connection::open_in_memory()?;
        conn.execute_batch(
            "CREATE VIRTUAL TABLE probe USING fts5(actors,
                 tokenize = 'unicode61 remove_diacritics 2')",
        )?;
        conn.execute("INSERT INTO probe (actors) VALUES (?1)", [name])?;
        let query = format!("actors : \"{}\"", name.replace('"', "\"\""));
        conn.prepare("SELECT 1 FROM probe WHERE probe MATCH ?1")?
            .exists([query])
    };
    // Should the probe fail, reading every development is still exact.
    probe().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Development, Retraction};
    use crate::store::Access;

    fn development(n: usize, actors: &[&str], retracted: bool) -> Development {
        let sample = Development::sample(&format!("d{n:02}"), "2025-07");
        Development {
            headline: format!("development {n}"),
            actors: actors.iter().map(|a| a.to_string()).collect(),
            retracted: retracted.then(|| Retraction {
                at: sample.recorded_at,
                reason: "wrong".into(),
            }),
            ..sample
        }
    }

    fn counts(store: &Store) -> Vec<(String, i64)> {
        let mut stmt = store
            .conn
            .prepare("SELECT name, developments FROM actors ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn actors_are_counted_alike_in_memory_by_sql_and_write_by_write() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let tx = store.begin_write().unwrap();
        store
            .insert_development(&development(1, &["EU", "US"], false))
            .unwrap();
        store
            .insert_development(&development(2, &["EU"], false))
            .unwrap();
        store
            .insert_development(&development(3, &["US", "中国"], true))
            .unwrap();
        store
            .insert_development(&development(4, &[], false))
            .unwrap();
        tx.commit("").unwrap();
        let written = counts(&store);
        assert_eq!(
            written,
            [("EU".into(), 2), ("US".into(), 1), ("中国".into(), 0)]
        );
        store
            .conn
            .execute_batch("UPDATE actors SET developments = 7")
            .unwrap();
        store.recount_actors().unwrap();
        assert_eq!(counts(&store), written);
        store
            .conn
            .execute_batch("UPDATE actors SET developments = 7")
            .unwrap();
        store.conn.execute_batch(RECOUNT_ACTORS).unwrap();
        assert_eq!(counts(&store), written);
    }

    #[test]
    fn the_actor_filter_reads_the_search_index_not_every_development() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let (condition, _) = actor_condition(&["US".to_string(), "EU".to_string()]);
        let plan = store
            .query_plan(&format!(
                "SELECT d.id FROM developments d WHERE d.retracted_at IS NULL{condition}"
            ))
            .unwrap();
        assert!(plan.contains("VIRTUAL TABLE INDEX"), "{plan}");
        assert!(
            plan.starts_with("SEARCH d USING INTEGER PRIMARY KEY"),
            "{plan}"
        );
    }

    #[test]
    fn the_tokenizer_says_which_names_hold_words() {
        for name in [
            "US",
            "Côte d'Ivoire",
            "中国",
            "भारत",
            "Korea, Republic of",
            "say \"x\"",
        ] {
            assert!(has_words(name), "{name}");
        }
        for name in ["—", "🇪🇺", "+++"] {
            assert!(!has_words(name), "{name}");
        }
    }
}
