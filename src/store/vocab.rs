//! The vocabularies: kinds (closed, extensible) and actors (free).

use rusqlite::params;

use super::Store;
use crate::error::{Error, Result};
use crate::record::{self, RecordKind};
use crate::screen::echo;
use crate::suggest;

/// A kind and how many developments (not retracted) use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindCount {
    pub name: String,
    pub builtin: bool,
    pub developments: u64,
}

/// An actor and how many developments (not retracted) name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorCount {
    pub name: String,
    pub developments: u64,
}

impl Store {
    pub fn kinds(&self) -> Result<Vec<KindCount>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT k.name, k.builtin, coalesce(c.n, 0)
               FROM kinds k
               LEFT JOIN (SELECT kind, count(*) AS n FROM developments
                           WHERE retracted_at IS NULL GROUP BY kind) c ON c.kind = k.name
              ORDER BY k.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(KindCount {
                name: r.get(0)?,
                builtin: r.get(1)?,
                developments: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The kinds added with `kinds add` (or an import), by name.
    pub fn user_kinds(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM kinds WHERE builtin = 0 ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn kind_names(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM kinds ORDER BY name")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Refuses a kind outside the vocabulary, naming the valid ones.
    pub fn require_kind(&self, name: &str) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM kinds WHERE name = ?1")?;
        if stmt.exists([name])? {
            return Ok(());
        }
        let names = self.kind_names()?;
        let known: Vec<&str> = names.iter().map(String::as_str).collect();
        let listing = format!("valid kinds: {}", known.join(", "));
        let hint = match suggest::closest(name, known.iter().copied()) {
            Some(near) => format!("did you mean '{near}'? {listing}"),
            None => format!("{listing}; add one with `lookout kinds add {name}`"),
        };
        Err(Error::data(format!("unknown kind '{}'", echo(name))).with_hint(hint))
    }

    /// Adds a kind; false when it was there already.
    pub fn add_kind(&self, name: &str) -> Result<bool> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO kinds (name, builtin) VALUES (?1, 0) ON CONFLICT DO NOTHING",
        )?;
        let added = stmt.execute(params![name])? == 1;
        if added {
            self.journal_change(RecordKind::Kind, name, None, Some(record::kind_forms(name)))?;
        }
        Ok(added)
    }

    /// Every actor with its count of developments, by name (see `actors`).
    pub fn actors(&self) -> Result<Vec<ActorCount>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, developments FROM actors ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(ActorCount {
                name: r.get(0)?,
                developments: r.get::<_, i64>(1)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Renames an actor in every development that names it (retracted ones
    /// too), each a journaled change by `author`; where a development names
    /// `new` already, `old` is dropped from it. Returns how many changed.
    pub fn rename_actor(
        &self,
        old: &str,
        new: &str,
        author: &str,
        at: crate::dates::Timestamp,
    ) -> Result<usize> {
        let (condition, values) = super::actors::actor_condition(&[old.to_string()]);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT d.id FROM developments d WHERE 1{condition} ORDER BY d.id"
        ))?;
        let ids: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(values.iter()), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in &ids {
            let id = super::stored::stored_id(id)?;
            let mut dev = self.require_development(&id)?;
            let renamed: Vec<String> = dev
                .actors
                .iter()
                .map(|a| if a == old { new.to_string() } else { a.clone() })
                .collect();
            dev.actors = crate::model::actors(renamed.iter().map(String::as_str))?;
            dev.provenance.touch(author, at);
            self.replace_development(&dev)?;
        }
        // The old name is no one's now.
        if !self.actor_named(old)? {
            self.conn
                .prepare_cached("DELETE FROM actors WHERE name = ?1")?
                .execute([old])?;
        }
        self.keys.borrow_mut().actors.remove(old);
        Ok(ids.len())
    }

    /// Refuses an actor no development names, suggesting the nearest one.
    pub fn require_actors(&self, names: &[String]) -> Result<()> {
        if names.is_empty() {
            return Ok(());
        }
        let mut stmt = self
            .conn
            .prepare_cached("SELECT 1 FROM actors WHERE name = ?1")?;
        for name in names {
            if stmt.exists([name])? {
                continue;
            }
            let actors = self.actors()?;
            let known: Vec<&str> = actors.iter().map(|a| a.name.as_str()).collect();
            return Err(Error::data(format!("unknown actor '{}'", echo(name)))
                .with_hint(suggest::hint(name, "actors", &known)));
        }
        Ok(())
    }
}
