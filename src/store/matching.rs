//! What an import asks of the store for its rows: the development a row
//! stands for (by id, or without one by date, headline and watch slugs), a
//! development by key, and a new development written under a fresh id.
//!
//! **Fresh ids without a lookup.** A row without id gets a random id (8
//! characters, 40 bits). Rather than asking the id index whether it is
//! taken and then writing, the row is written with `ON CONFLICT (id) DO
//! NOTHING`: the id index answers as the row goes in, and a taken id (at a
//! million rows, a chance in three that one of them meets an earlier one)
//! writes nothing and is drawn again. The UNIQUE constraint, not the
//! lookup, is what keeps two developments from one id in either case.

use rusqlite::params;

use super::Store;
use super::development_reads::{DEVELOPMENT_COLUMNS, read_development};
use super::developments::insert_if_new;
use super::stored::stored_id;
use crate::dates::DevDate;
use crate::error::Result;
use crate::model::{DevId, Development, WatchLink, WatchSlug};

/// What a row of an import file corresponds to in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportMatch {
    /// Nothing: the row is a new development.
    New,
    /// This existing development.
    Existing(Box<Development>),
}

impl Store {
    /// The development an import row stands for: by id when the row has one,
    /// else by date as entered, headline and the set of watch slugs.
    pub fn import_match(
        &self,
        id: Option<&DevId>,
        date: &DevDate,
        headline: &str,
        links: &[WatchLink],
    ) -> Result<ImportMatch> {
        if let Some(id) = id {
            // Most rows of a bulk import are new: look the id up before reading it whole.
            if self.development_key(id)?.is_none() {
                return Ok(ImportMatch::New);
            }
            return Ok(match self.development(id)? {
                Some(existing) => ImportMatch::Existing(Box::new(existing)),
                None => ImportMatch::New,
            });
        }
        self.ensure_index("developments_match")?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM developments WHERE date = ?1 AND headline = ?2")?;
        let ids: Vec<String> = stmt
            .query_map(params![date.to_string(), headline], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut wanted: Vec<&WatchSlug> = links.iter().map(|l| &l.slug).collect();
        wanted.sort();
        for id in ids {
            let Some(existing) = self.development(&stored_id(&id)?)? else {
                continue;
            };
            let mut slugs: Vec<&WatchSlug> = existing.links.iter().map(|l| &l.slug).collect();
            slugs.sort();
            if slugs == wanted {
                return Ok(ImportMatch::Existing(Box::new(existing)));
            }
        }
        Ok(ImportMatch::New)
    }

    /// Writes a new development under `dev.id`, or, when a development has
    /// that id, under the first id `draw` gives that none has (module
    /// docs); its key. `dev.id` is the id it was written under.
    pub fn insert_development_fresh(
        &self,
        dev: &mut Development,
        mut draw: impl FnMut() -> Result<DevId>,
    ) -> Result<i64> {
        loop {
            if let Some(key) = self.insert_row(dev, None, insert_if_new())? {
                return Ok(key);
            }
            dev.id = draw()?;
        }
    }

    /// The development under `key`, retracted or not.
    pub fn development_by_key(&self, key: i64) -> Result<Option<Development>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {DEVELOPMENT_COLUMNS} FROM developments d WHERE d.key = ?1"
        ))?;
        let mut rows = stmt.query([key])?;
        match rows.next()? {
            Some(row) => Ok(Some(read_development(row)?)),
            None => Ok(None),
        }
    }

    /// Every development's key with what a row without id is matched on:
    /// its date as entered, its headline and its watch column (schema.sql).
    pub fn each_match_key(
        &self,
        mut each: impl FnMut(i64, &str, &str, &str) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT key, date, headline, watch FROM developments")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let text = |column| -> Result<&str> {
                Ok(row
                    .get_ref(column)?
                    .as_str()
                    .map_err(rusqlite::Error::from)?)
            };
            each(row.get(0)?, text(1)?, text(2)?, text(3)?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::Timestamp;
    use crate::store::Access;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        (dir, store)
    }

    fn count(store: &Store) -> i64 {
        store
            .conn
            .query_row("SELECT count(*) FROM developments", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_fresh_id_that_is_taken_is_drawn_again_and_nothing_is_overwritten() {
        let (_dir, store) = store();
        let now = Timestamp::parse("2025-08-02T00:00:00Z").unwrap();
        let tx = store.begin_change("import", now, "T").unwrap();
        let first = Development::sample("aaaaaaaa", "2025-07");
        store.insert_development(&first).unwrap();
        let mut second = Development {
            headline: "Another".into(),
            ..Development::sample("aaaaaaaa", "2025-08")
        };
        let mut draws = vec![DevId::parse("bbbbbbbb"), DevId::parse("aaaaaaaa")];
        let key = store
            .insert_development_fresh(&mut second, || draws.pop().unwrap())
            .unwrap();
        assert!(draws.is_empty(), "drawn twice: taken, then free");
        assert_eq!(second.id.as_str(), "bbbbbbbb");
        assert_eq!(count(&store), 2);
        let stored = store.development_by_key(key).unwrap().unwrap();
        assert_eq!(stored, second);
        let kept = store.development(&first.id).unwrap().unwrap();
        assert_eq!(kept, first);
        tx.commit("imported").unwrap();
        assert_eq!(store.development_by_key(key + 1).unwrap(), None);
    }

    #[test]
    fn match_keys_are_read_as_stored() {
        let (_dir, store) = store();
        let now = Timestamp::parse("2025-08-02T00:00:00Z").unwrap();
        let tx = store.begin_change("import", now, "T").unwrap();
        let item = crate::model::WatchItem {
            slug: WatchSlug::parse("intl-ai-org").unwrap(),
            title: "An item".into(),
            description: None,
            opened: "2025-01".parse().unwrap(),
            tags: Vec::new(),
            provenance: crate::model::Provenance::default(),
        };
        store.insert_watch_item(&item, now).unwrap();
        let dev = Development {
            links: WatchLink::parse_list(["intl-ai-org=emerging"]).unwrap(),
            ..Development::sample("aaaaaaaa", "2025-07?")
        };
        store.insert_development(&dev).unwrap();
        let mut seen = Vec::new();
        store
            .each_match_key(|key, date, headline, watch| {
                seen.push((
                    key,
                    date.to_string(),
                    headline.to_string(),
                    watch.to_string(),
                ));
                Ok(())
            })
            .unwrap();
        let expected = (
            1,
            "2025-07?".into(),
            dev.headline.clone(),
            "intl-ai-org=emerging".into(),
        );
        assert_eq!(seen, [expected]);
        drop(tx);
    }
}
