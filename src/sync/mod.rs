//! Sharing a tracker through git (docs/DESIGN.md, "Sharing a tracker").
//!
//! - `cache_lock`: one sync of a store at a time, and stale git locks cleared;
//! - `git`: the transport, a local bare repository that caches the shared
//!   tracker, driven through the `git` program;
//! - `tree`: the tracker's text form in the repository — JSON Lines, one
//!   record a line, sorted, split into files of at most about a megabyte;
//! - `conflicts`: the shared file of resolved conflicts, so each reaches its loser;
//! - `merge`: the three-way merge of one record;
//! - `tidy`: the remote's files read as a set of records, whoever wrote them;
//! - `plan`: the merge of whole trackers, file by file, into what the store
//!   must change and what the repository must hold.
//!
//! git only carries the files and keeps their history; lookout merges.

pub(crate) mod cache_lock;
pub(crate) mod conflicts;
pub(crate) mod git;
pub(crate) mod merge;
pub(crate) mod plan;
pub(crate) mod spool;
pub(crate) mod tidy;
pub(crate) mod tree;
