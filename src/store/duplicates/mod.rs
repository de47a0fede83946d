//! Developments recorded twice: the likely duplicates `sync` and `check`
//! list (two analysts logging one event), and the exact repeat `log` refuses.
//!
//! The likely duplicates are found in time and memory near linear in the
//! developments, whatever they hold (DESIGN, "The shared tracker is input
//! from strangers"): on one date and watch item, equal headlines form one
//! group at once (k equal headlines are one finding, not k² pairs); the
//! others are compared only with those that share one of their rarest
//! three-letter pieces, which every near pair does (see `near_pairs`); and
//! the comparisons on one busy date and watch item are capped, which the
//! finding then says.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::Store;
use crate::dates::day_text;
use crate::error::Result;
use crate::model::{DevId, split_list};
use crate::suggest::Headline;

mod arrived;
mod near;

use near::near_pairs;

pub use arrived::ArrivedDuplicates;

/// How many likely duplicates are listed; a count says how many more.
pub const LISTED: usize = 20;

/// How many ids one listed group names; a count says how many more.
const NAMED: usize = 5;

/// The comparisons one headline may cost, on average, among the headlines
/// of one date and watch item, before the search there stops.
const VISITS_PER_HEADLINE: usize = 64;

/// Comparisons every date and watch item may make whatever its size: small
/// ones are always compared in full.
const VISITS_FLOOR: usize = 200_000;

/// A development as the duplicate check compares it.
struct Dated {
    id: DevId,
    headline: Headline,
}

/// The developments (by index) under each watch item, on one date.
type BySlug = BTreeMap<String, Vec<u32>>;

/// Developments that likely record one event more than once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LikelyDuplicates {
    /// Each group two or more ids in order, the groups in order of their ids.
    pub groups: Vec<Vec<DevId>>,
    /// The busy dates and watch items ("DATE under SLUG") whose headlines
    /// were not all compared: the work there was capped.
    pub capped: Vec<String>,
}

impl LikelyDuplicates {
    /// What a person reads: at most `LISTED` groups, a line each (naming
    /// at most `NAMED` ids), then how many more, then where the search was
    /// capped.
    pub fn lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.groups.iter().take(LISTED).map(|g| line(g)).collect();
        if self.groups.len() > LISTED {
            lines.push(format!(
                "… and {} more likely duplicates",
                self.groups.len() - LISTED
            ));
        }
        if let Some(first) = self.capped.first() {
            let more = match self.capped.len() - 1 {
                0 => String::new(),
                n => format!(" and {n} more"),
            };
            lines.push(format!(
                "likely duplicates: too many similar headlines dated {first}{more} to compare \
                 them all; more likely duplicates may be there"
            ));
        }
        lines
    }
}

impl LikelyDuplicates {
    /// Adds the groups among `devs`, the developments that count dated
    /// `date` in id order, with those of each watch item (`by_slug`): the
    /// groups with a `wanted` member (every group when None).
    fn add_dated(
        &mut self,
        date: &str,
        devs: &[Dated],
        by_slug: BySlug,
        wanted: Option<&HashSet<&DevId>>,
    ) {
        let is_wanted = |dev: &Dated| wanted.is_none_or(|w| w.contains(&dev.id));
        let wanted: Vec<bool> = devs.iter().map(is_wanted).collect();
        let mut joined = Joined::new(devs.len());
        // Duplicates share a watch item: compare within each item's developments.
        // One development alone under an item has nothing to compare with.
        for (slug, members) in by_slug.into_iter().filter(|(_, m)| m.len() > 1) {
            let headlines: Vec<&Headline> = members
                .iter()
                .map(|&i| &devs[i as usize].headline)
                .collect();
            let wanted: Vec<bool> = members.iter().map(|&i| wanted[i as usize]).collect();
            let complete = group_near(&headlines, &wanted, |a, b| {
                joined.join(members[a] as usize, members[b] as usize);
            });
            if !complete {
                self.capped.push(format!("{date} under {slug}"));
            }
        }
        self.groups.extend(joined.groups().into_iter().map(|group| {
            let mut ids: Vec<DevId> = group.into_iter().map(|i| devs[i].id.clone()).collect();
            ids.sort();
            ids
        }));
    }
}

/// One group in words.
fn line(group: &[DevId]) -> String {
    const WHY: &str = "(same date, a shared watch item, near-identical headlines)";
    let ids: Vec<String> = group.iter().take(NAMED).map(DevId::to_string).collect();
    match group.len() {
        0 | 1 => String::new(),
        2 => format!("likely duplicate: {} and {} {WHY}", ids[0], ids[1]),
        n if n <= NAMED => format!(
            "likely duplicates: {} and {} {WHY}",
            ids[..n - 1].join(", "),
            ids[n - 1]
        ),
        n => format!(
            "likely duplicates: {} and {} others {WHY}",
            ids.join(", "),
            n - NAMED
        ),
    }
}

impl Store {
    /// Groups of developments that likely record one event more than once
    /// (two analysts logging the same thing: the same date as entered, a
    /// watch item in common, near-identical headlines): those near one of
    /// `among`, or every group in the store when None.
    pub fn likely_duplicates(&self, among: Option<&[DevId]>) -> Result<LikelyDuplicates> {
        let wanted: Option<HashSet<&DevId>> = among.map(|ids| ids.iter().collect());
        let dates: Vec<String> = match among {
            Some(ids) => {
                let mut dates = BTreeSet::new();
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
        let mut found = LikelyDuplicates::default();
        for date in dates {
            let (devs, by_slug) = self.headlines_dated(&date)?;
            found.add_dated(&date, &devs, by_slug, wanted.as_ref());
        }
        found.groups.sort();
        Ok(found)
    }

    /// A development that counts and that `dev` repeats (`Development::repeats`).
    pub fn repeated_by(&self, dev: &crate::model::Development) -> Result<Option<DevId>> {
        Ok(self
            .developments_dated(&dev.date.to_string())?
            .into_iter()
            .find(|other| dev.repeats(other))
            .map(|other| other.id))
    }

    /// The id and headline of each development that counts dated exactly
    /// `date` (as entered), for the duplicate check, and the developments
    /// (by index) under each watch item: the rest of a row is not read.
    fn headlines_dated(&self, date: &str) -> Result<(Vec<Dated>, BySlug)> {
        let mut by_slug = BySlug::new();
        let mut index = 0u32;
        let devs = self.dated(date, "d.id, d.headline, d.watch", |row| {
            let watch: String = row.get(2)?;
            // 'slug' or 'slug=status' (schema.sql).
            let slugs = split_list(&watch).map(|l| l.split('=').next().unwrap_or(l));
            add_member(&mut by_slug, slugs, index);
            index += 1;
            Ok(Dated {
                id: super::stored::stored_id(&row.get::<_, String>(0)?)?,
                headline: Headline::new(&row.get::<_, String>(1)?),
            })
        })?;
        Ok((devs, by_slug))
    }

    /// The developments that count dated exactly `date` (as entered),
    /// found through the timeline index by the interval the date covers.
    fn developments_dated(&self, date: &str) -> Result<Vec<crate::model::Development>> {
        self.dated(
            date,
            &super::development_reads::DEVELOPMENT_COLUMNS.to_string(),
            super::development_reads::read_development,
        )
    }

    /// `columns` of the developments that count dated exactly `date`, each
    /// read by `read`, in id order.
    fn dated<T>(
        &self,
        date: &str,
        columns: &str,
        mut read: impl FnMut(&rusqlite::Row<'_>) -> Result<T>,
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

/// Puts the development at `index` among the members of each of its slugs.
fn add_member<'s>(by_slug: &mut BySlug, slugs: impl Iterator<Item = &'s str>, index: u32) {
    for slug in slugs {
        let members = match by_slug.get_mut(slug) {
            Some(members) => members,
            None => by_slug.entry(slug.to_string()).or_default(),
        };
        // A slug named twice in one development counts once.
        if members.last() != Some(&index) {
            members.push(index);
        }
    }
}

/// Equal headlines are one class, joined at once and compared as one: the
/// headlines' indices sorted by their words, and each class as the run of
/// them where it starts and ends.
fn equal_classes(headlines: &[&Headline]) -> (Vec<u32>, Vec<(u32, u32)>) {
    let mut sorted: Vec<u32> = (0..headlines.len() as u32).collect();
    sorted.sort_unstable_by_key(|&i| headlines[i as usize].words());
    let mut classes: Vec<(u32, u32)> = Vec::new();
    for (at, pair) in sorted.windows(2).enumerate() {
        let start = classes.last().map_or(0, |&(_, end)| end);
        if headlines[pair[0] as usize].words() != headlines[pair[1] as usize].words() {
            classes.push((start, at as u32 + 1));
        }
    }
    if !sorted.is_empty() {
        let start = classes.last().map_or(0, |&(_, end)| end);
        classes.push((start, sorted.len() as u32));
    }
    (sorted, classes)
}

/// Near headlines have the same numbers, so only those are compared: the
/// indices of `heads` in groups of two or more with the same numbers, in a
/// stable order.
fn same_numbers(heads: &[&Headline]) -> Vec<Vec<u32>> {
    let mut by_numbers: HashMap<&[String], Vec<u32>> = HashMap::new();
    for (i, head) in heads.iter().enumerate() {
        by_numbers.entry(head.numbers()).or_default().push(i as u32);
    }
    let mut partitions: Vec<Vec<u32>> = by_numbers.into_values().filter(|p| p.len() > 1).collect();
    partitions.sort_unstable();
    partitions
}

/// Joins (`join(a, b)`, indices into `headlines`) the headlines of one date
/// and watch item that are near one another, in pairs with a `wanted` side;
/// false when the comparisons were capped before all were made.
fn group_near(
    headlines: &[&Headline],
    wanted: &[bool],
    mut join: impl FnMut(usize, usize),
) -> bool {
    let (sorted, classes) = equal_classes(headlines);
    let members = |class: usize| {
        let (start, end) = classes[class];
        &sorted[start as usize..end as usize]
    };
    let class_wanted: Vec<bool> = (0..classes.len())
        .map(|class| members(class).iter().any(|&i| wanted[i as usize]))
        .collect();
    let firsts: Vec<&Headline> = (0..classes.len())
        .map(|class| headlines[members(class)[0] as usize])
        .collect();
    let partitions = same_numbers(&firsts);
    let mut budget =
        VISITS_FLOOR.saturating_add(VISITS_PER_HEADLINE.saturating_mul(headlines.len()));
    let mut complete = true;
    let mut edges = Vec::new();
    for partition in &partitions {
        let heads: Vec<&Headline> = partition.iter().map(|&c| firsts[c as usize]).collect();
        complete &= near_pairs(&heads, &mut budget, |a, b| {
            let (a, b) = (partition[a] as usize, partition[b] as usize);
            if class_wanted[a] || class_wanted[b] {
                edges.push((a, b));
            }
        });
        if !complete {
            break;
        }
    }
    // A class is joined whole when wanted or near a wanted one.
    let mut tied = vec![false; classes.len()];
    let mut tie = |class: usize, join: &mut dyn FnMut(usize, usize)| {
        if !tied[class] {
            tied[class] = true;
            let members = members(class);
            for &other in &members[1..] {
                join(members[0] as usize, other as usize);
            }
        }
    };
    for class in (0..classes.len()).filter(|&c| class_wanted[c]) {
        tie(class, &mut join);
    }
    for (a, b) in edges {
        tie(a, &mut join);
        tie(b, &mut join);
        join(members(a)[0] as usize, members(b)[0] as usize);
    }
    complete
}

/// The developments joined as likely duplicates of one another: a join
/// of two joins their groups (union-find).
struct Joined {
    parent: Vec<usize>,
}

impl Joined {
    fn new(len: usize) -> Joined {
        Joined {
            parent: (0..len).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }

    /// The groups of two or more, each in index order.
    fn groups(mut self) -> Vec<Vec<usize>> {
        let roots: Vec<usize> = (0..self.parent.len()).map(|i| self.root(i)).collect();
        let mut sizes = vec![0usize; roots.len()];
        for &root in &roots {
            sizes[root] += 1;
        }
        let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, &root) in roots.iter().enumerate().filter(|(_, r)| sizes[**r] > 1) {
            groups.entry(root).or_default().push(i);
        }
        let mut groups: Vec<Vec<usize>> = groups.into_values().collect();
        groups.sort_unstable();
        groups
    }
}

#[cfg(test)]
mod tests;
