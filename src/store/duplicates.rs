//! Developments recorded twice: the likely duplicates `sync` and `check`
//! list (two analysts logging one event), and the exact repeat `log` refuses.

use super::Store;
use crate::dates::day_text;
use crate::error::Result;
use crate::model::{DevId, split_list};
use crate::suggest::Headline;

/// A development as the duplicate check compares it.
struct Dated {
    id: DevId,
    headline: Headline,
    slugs: Vec<String>,
}

impl Store {
    /// Pairs of developments that likely record one event twice
    /// (two analysts logging the same thing: the same date as entered, a watch
    /// item in common, near-identical headlines), each pair once: those involving
    /// one of `among`, or every pair in the store when None.
    pub fn likely_duplicates(&self, among: Option<&[DevId]>) -> Result<Vec<(DevId, DevId)>> {
        let wanted: Option<std::collections::HashSet<&DevId>> =
            among.map(|ids| ids.iter().collect());
        let dates: Vec<String> = match among {
            Some(ids) => {
                let mut dates = std::collections::BTreeSet::new();
                for id in ids {
                    if let Some(dev) = self.development(id)? {
                        dates.insert(dev.date.to_string());
                    }
                }
                dates.into_iter().collect()
            }
            None => {
                let mut stmt = self.conn.prepare(
                    "SELECT date FROM developments WHERE retracted_at IS NULL
                      GROUP BY date HAVING count(*) > 1 ORDER BY date",
                )?;
                let dates = stmt.query_map([], |r| r.get(0))?;
                dates.collect::<rusqlite::Result<_>>()?
            }
        };
        let mut pairs = std::collections::BTreeSet::new();
        for date in dates {
            let devs = self.headlines_dated(&date)?;
            // Duplicates share a watch item: compare within each item's developments.
            let mut by_slug: std::collections::HashMap<&str, Vec<usize>> = Default::default();
            for (index, dev) in devs.iter().enumerate() {
                for slug in &dev.slugs {
                    by_slug.entry(slug.as_str()).or_default().push(index);
                }
            }
            for group in by_slug.values() {
                for (n, &i) in group.iter().enumerate() {
                    for &j in &group[n + 1..] {
                        let (a, b) = (&devs[i], &devs[j]);
                        let wanted = wanted
                            .as_ref()
                            .is_none_or(|ids| ids.contains(&a.id) || ids.contains(&b.id));
                        // Same date (the date's), a shared watch item (the
                        // slug's group); each headline prepared once.
                        if wanted && a.id != b.id && a.headline.near(&b.headline) {
                            pairs.insert(if a.id < b.id {
                                (a.id.clone(), b.id.clone())
                            } else {
                                (b.id.clone(), a.id.clone())
                            });
                        }
                    }
                }
            }
        }
        Ok(pairs.into_iter().collect())
    }

    /// A development that counts and that `dev` repeats (`Development::repeats`).
    pub fn repeated_by(&self, dev: &crate::model::Development) -> Result<Option<DevId>> {
        Ok(self
            .developments_dated(&dev.date.to_string())?
            .into_iter()
            .find(|other| dev.repeats(other))
            .map(|other| other.id))
    }

    /// The id, headline and watch items of each development that counts
    /// dated exactly `date` (as entered), for the duplicate check: the rest
    /// of a row is not read.
    fn headlines_dated(&self, date: &str) -> Result<Vec<Dated>> {
        self.dated(date, "d.id, d.headline, d.watch", |row| {
            let watch: String = row.get(2)?;
            Ok(Dated {
                id: super::stored::stored_id(&row.get::<_, String>(0)?)?,
                headline: Headline::new(&row.get::<_, String>(1)?),
                // 'slug' or 'slug=status' (schema.sql).
                slugs: split_list(&watch)
                    .map(|l| l.split('=').next().unwrap_or(l).to_string())
                    .collect(),
            })
        })
    }

    /// The developments that count dated exactly `date` (as entered),
    /// found through the timeline index by the interval the date covers.
    fn developments_dated(&self, date: &str) -> Result<Vec<crate::model::Development>> {
        self.dated(
            date,
            super::developments::DEVELOPMENT_COLUMNS,
            super::developments::read_development,
        )
    }

    /// `columns` of the developments that count dated exactly `date`, each
    /// read by `read`, in id order.
    fn dated<T>(
        &self,
        date: &str,
        columns: &str,
        read: impl Fn(&rusqlite::Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let interval = super::stored::stored_dev_date(date)?;
        let start = interval.start().map(day_text).unwrap_or_default();
        let end = day_text(interval.end());
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {columns} FROM developments d
              WHERE d.date_start = ?2 AND d.date_end = ?3 AND d.date = ?1
                AND d.retracted_at IS NULL
              ORDER BY d.id"
        ))?;
        let mut rows = stmt.query([date, &start, &end])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read(row)?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Access, Store};

    #[test]
    fn the_repeat_log_refuses_is_found_through_the_timeline_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.db"), Access::Write).unwrap();
        let plan = store
            .query_plan(
                "SELECT d.id FROM developments d
                  WHERE d.date_start = ?2 AND d.date_end = ?3 AND d.date = ?1
                    AND d.retracted_at IS NULL ORDER BY d.id",
            )
            .unwrap();
        assert!(plan.contains("USING INDEX developments_timeline"), "{plan}");
    }
}
