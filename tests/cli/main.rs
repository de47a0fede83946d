//! Integration tests: each runs the real `lookout` binary on a temporary store,
//! the way a user would, and checks what the user sees. One test binary,
//! modules by theme; `TestEnv` sets up the store and pins the day.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod env;

mod bench_scripts;
mod browser;
mod changes;
mod check_tmp;
mod compact_store;
mod datasette;
mod dates_in_notes;
mod docs;
mod duplicates;
mod errors;
mod export;
mod filters;
mod first_sync;
mod help;
mod history;
mod hostile_input;
mod hostile_reports;
mod import;
mod inbox;
mod inbox_hostile;
mod known_on;
mod known_on_property;
mod log;
mod outputs;
mod races;
mod reliability;
mod reports;
mod search;
mod search_languages;
mod spreadsheets;
mod staged_import;
mod status;
mod store;
mod streaming;
mod stumbles;
mod sync;
mod sync_hostile_git;
mod sync_marks;
mod sync_property;
mod sync_strangers;
mod time;
mod time_formats;
mod timeline;
mod untrusted;
mod vocabularies;
mod watch;
