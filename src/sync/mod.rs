//! Sharing a tracker through git (DESIGN.md, "Sharing a tracker").
//!
//! `git` holds the transport: a local bare repository that caches the shared
//! tracker, driven through the `git` program. The record-by-record merge of the
//! remote tracker with the local store will live here too; git only carries
//! the files and keeps their history.

pub mod git;
