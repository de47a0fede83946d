//! The trackers a sync merges: the fetched commit's files and the base's,
//! checked to be a lookout tracker of a format this lookout reads, and the
//! base checked to be in the shared history.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::sync::conflicts;
use crate::sync::git::{GitRepo, Oid};
use crate::sync::plan::Repository;
use crate::sync::tidy;
use crate::sync::tree;

use super::sources::Sources;

/// The base is in neither the shared history nor the cache: a store copied
/// or moved without its cache (`STORE.sync`), whose last sync was undone
/// (the base undo keeps lives in the cache alone) — or a rewritten remote.
pub(super) fn base_not_here(remote: &str, base: &Oid, cache: &std::path::Path) -> Error {
    Error::io(format!(
        "the commit this store last synced to ({base}) is neither in {remote}'s history nor in this store's sync cache ({})",
        cache.display()
    ))
    .with_hint(
        "if the store was copied or moved without the folder ending in .sync beside it, copy that folder beside it too; otherwise (the folder is gone, or the shared repository was rewritten) merge this store into the tracker as it is now with `lookout sync --rejoin`: nothing newer on either side is reverted",
    )
}

pub(super) fn lost_base(remote: &str, base: &Oid) -> Error {
    Error::io(format!(
        "the commit this store last synced to ({base}) is not in {remote}'s history"
    ))
    .with_hint(
        "the shared repository was rewritten, reset or replaced, and nothing was changed here; run `lookout sync --rejoin` to merge this store into the tracker as it is now: each record takes the newer change, field by field, and each conflict is named",
    )
}

/// The record files of a commit by path, and its file of resolved
/// conflicts, after checking it holds a tracker of a format this lookout reads.
pub(super) fn files_of(
    cache: &GitRepo,
    sources: &Sources<'_>,
    commit: &Oid,
    remote: &str,
) -> Result<(BTreeMap<String, Oid>, Option<Oid>)> {
    let files = cache.tree_files(commit)?;
    let Some(marker) = files.iter().find(|f| f.path == tree::MARKER_PATH) else {
        return Err(Error::io(format!(
            "{remote} is not a lookout tracker: its main branch has no {}",
            tree::MARKER_PATH
        ))
        .with_hint("name an empty repository, or one that lookout sync made"));
    };
    // The marker as lookout writes it is known by its id, without reading it.
    if marker.blob.as_str() != tree::blob_id(tree::MARKER.as_bytes()) {
        tidy::check_marker(&sources.read(&marker.blob)?, remote)?;
    }
    let conflicts = files
        .iter()
        .find(|f| f.path == conflicts::PATH)
        .map(|f| f.blob.clone());
    let records = files
        .into_iter()
        .filter(|f| tree::kind_of(&f.path).is_some())
        .map(|f| (f.path, f.blob))
        .collect();
    Ok((records, conflicts))
}
