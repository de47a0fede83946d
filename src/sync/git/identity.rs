//! Who git says the user is: `user.name` and `user.email`.

use std::process::Output;

use super::*;
use crate::error::{Error, Result};

/// The identity git would use here: `user.name` and `user.email` from the
/// user's global git configuration (with its includes). None when
/// `user.name` is unset, or git is not installed (authorship falls back to
/// the login name, and only `sync` needs git); an unset `user.email` is empty.
pub fn configured_identity() -> Result<Option<Identity>> {
    configured_identity_with(&Git::system())
}

pub(super) fn configured_identity_with(git: &Git) -> Result<Option<Identity>> {
    // One git for both keys (`key\nvalue\0` each, the last of a key wins):
    // a process started costs a write command about a millisecond.
    let mut cmd = git.command();
    let pattern = r"^user\.(name|email)$";
    cmd.args([
        "config",
        "--global",
        "--includes",
        "-z",
        "--get-regexp",
        pattern,
    ]);
    let text = match cmd.output() {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(git.spawn_error(e)),
        Ok(out) => config_value(out, "user.name")?.unwrap_or_default(),
    };
    let value = |key: &str| {
        let mut entries = text.split('\0').rev().filter_map(|e| e.split_once('\n'));
        entries.find(|(k, _)| *k == key).map(|(_, v)| v.to_owned())
    };
    Ok(value("user.name").map(|name| Identity {
        name,
        email: value("user.email").unwrap_or_default(),
    }))
}

/// What `git config --get` said: the value, None when unset (exit 1), else an error.
pub(super) fn config_value(out: Output, key: &str) -> Result<Option<String>> {
    match out.status.code() {
        Some(0) => {
            let value = String::from_utf8(out.stdout)
                .map_err(|_| Error::io(format!("git config {key} is not UTF-8")))?;
            Ok(Some(value.trim_end_matches(['\n', '\r', '\0']).to_owned()))
        }
        Some(1) => Ok(None),
        _ => Err(failure(&out).context(format!("reading git config {key}"))),
    }
}
