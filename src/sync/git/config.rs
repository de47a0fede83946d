//! The sync cache is lookout's alone: private to its user, and configured
//! by lookout only.
//!
//! git reads `$GIT_DIR/config` whatever it is asked to do, and several of
//! its keys run commands (`remote.origin.uploadpack`/`receivepack`,
//! `core.fsmonitor`, `core.sshCommand`, `url.*.insteadOf` to an `ext::`
//! URL, `core.hooksPath`, `include.path` to a file that sets any of them).
//! No switch makes git skip the repository's own configuration, and the
//! cache travels with the store (a moved store is copied with its `.sync`
//! folder), so anyone who handed over a store could have written there.
//! Overriding each dangerous key with `-c` would be a list that git's next
//! release makes incomplete. Instead lookout owns the file: before any
//! other git runs on the cache it is rewritten, when it differs, to exactly
//! what lookout writes — the repository's format, and the remote. The
//! user's global and system configuration (credentials, SSH, proxies) stay:
//! those are their own machine's.

use std::fs;
use std::io::Write;
use std::path::Path;

use super::failure::*;
use super::{FETCH_REFSPEC, GitRepo};
use crate::error::{Error, Result};

impl GitRepo {
    /// Rewrites the cache's configuration to what lookout writes, keeping
    /// the repository's object and ref formats and the remote's URL.
    pub(super) fn own_config(&self) -> Result<()> {
        // `commondir` would make git read another repository's configuration.
        let common = self.git_dir.join("commondir");
        if fs::symlink_metadata(&common).is_ok() {
            fs::remove_file(&common).map_err(|e| Error::from(e).context(common.display()))?;
        }
        let (objects, refs) = self.formats()?;
        let url = self.remote_url()?;
        self.write_config(&objects, &refs, url.as_deref())
    }

    /// Sets the remote `origin` to `url` (already resolved), by writing the
    /// whole configuration.
    pub(super) fn write_remote(&self, url: &str) -> Result<()> {
        let (objects, refs) = self.formats()?;
        self.write_config(&objects, &refs, Some(url))
    }

    /// The repository's object format (`sha1`, `sha256`) and ref format
    /// (`files`, `reftable`), as git reads them.
    fn formats(&self) -> Result<(String, String)> {
        let mut cmd = self.command();
        cmd.args(["rev-parse", "--show-object-format", "--show-ref-format"]);
        let mut out = self.git.output(&mut cmd)?;
        if !out.status.success() {
            // A git older than 2.45 knows one ref format only.
            let mut cmd = self.command();
            cmd.args(["rev-parse", "--show-object-format"]);
            out = self.git.output(&mut cmd)?;
            if !out.status.success() {
                return Err(failure(&out)
                    .context(format!("reading the sync cache {}", self.git_dir.display())));
            }
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut lines = text.lines().map(str::trim);
        let objects = lines.next().unwrap_or("sha1").to_owned();
        let refs = lines.next().unwrap_or("files").to_owned();
        if !matches!(objects.as_str(), "sha1" | "sha256")
            || !matches!(refs.as_str(), "files" | "reftable")
        {
            return Err(Error::io(format!(
                "the sync cache {} has a format lookout does not know ({objects}, {refs})",
                self.git_dir.display()
            ))
            .with_hint("move it away; lookout makes a new sync cache there"));
        }
        Ok((objects, refs))
    }

    /// Replaces the configuration file (beside it, then renamed into place)
    /// unless it already says exactly `config_text`.
    fn write_config(&self, objects: &str, refs: &str, url: Option<&str>) -> Result<()> {
        let text = config_text(objects, refs, url)?;
        let path = self.git_dir.join("config");
        if fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            return Ok(());
        }
        let cannot =
            |e: std::io::Error| Error::from(e).context(format!("writing {}", path.display()));
        let mut temp = tempfile::Builder::new()
            .prefix("config.")
            .suffix(".lookout")
            .tempfile_in(&self.git_dir)
            .map_err(cannot)?;
        temp.write_all(text.as_bytes()).map_err(cannot)?;
        temp.persist(&path).map_err(|e| cannot(e.error))?;
        Ok(())
    }
}

/// The whole configuration lookout gives its cache.
pub(super) fn config_text(objects: &str, refs: &str, url: Option<&str>) -> Result<String> {
    let extended = objects != "sha1" || refs != "files";
    let mut text = String::from(
        "# Written by lookout before every sync: anything else set here is dropped.\n",
    );
    text.push_str("[core]\n");
    text.push_str(&format!(
        "\trepositoryformatversion = {}\n",
        u8::from(extended)
    ));
    text.push_str("\tbare = true\n");
    if extended {
        text.push_str("[extensions]\n");
        if objects != "sha1" {
            text.push_str(&format!("\tobjectformat = {objects}\n"));
        }
        if refs != "files" {
            text.push_str(&format!("\trefstorage = {refs}\n"));
        }
    }
    if let Some(url) = url {
        text.push_str("[remote \"origin\"]\n");
        text.push_str(&format!("\turl = {}\n", config_quote(url)?));
        text.push_str(&format!("\tfetch = {FETCH_REFSPEC}\n"));
    }
    Ok(text)
}

/// A value in git's configuration syntax: in double quotes, `\` and `"`
/// escaped. A line break cannot be part of a remote.
pub(super) fn config_quote(value: &str) -> Result<String> {
    if value.chars().any(char::is_control) {
        return Err(Error::data(format!(
            "{value:?} cannot be a remote: it holds a control character"
        )));
    }
    Ok(format!(
        "\"{}\"",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// Makes the cache readable by its user alone (as the store is), whatever
/// mode it was made or copied with.
pub(super) fn make_private(dir: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = fs::metadata(dir).map_err(|e| Error::from(e).context(dir.display()))?;
    if meta.permissions().mode() & 0o077 != 0 {
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|e| {
            Error::from(e).context(format!("making {} private to you", dir.display()))
        })?;
    }
    Ok(())
}
