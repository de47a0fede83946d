//! The cache's exchanges with the remote: fetching its `main`, pushing a
//! commit to it, and whether its history still holds the agreed base.

use super::*;
use crate::error::{Error, Result};

impl GitRepo {
    /// Fetches the remote's `main`. None when the remote repository exists
    /// but has no `main` yet (an empty repository). An unreachable remote, a
    /// path that is not a repository, or failed authentication is an
    /// `Error::io` naming the remote, with git's own message.
    pub fn fetch(&self) -> Result<Option<Oid>> {
        let url = self.require_remote()?;
        let mut cmd = self.remote_command();
        // Automatic maintenance runs in the foreground, so it neither
        // outlives lookout nor writes to the terminal; it keeps the packs
        // that every commit and fetch add from piling up.
        cmd.args([
            "-c",
            "gc.autoDetach=false",
            "-c",
            "maintenance.autoDetach=false",
        ])
        .args(["fetch", "--quiet", "--progress", "--no-tags"])
        .arg("--no-recurse-submodules")
        // What this cache has of the shared tracker is what it fetched: the
        // commits kept for undo (`keep_commit`) are never offered. (A glob,
        // which may match nothing yet; a named ref must exist.)
        .arg("--negotiation-tip=refs/remotes/origin/*");
        if is_path_remote(&url) {
            cmd.arg("--upload-pack")
                .arg(self.git.remote_side("upload-pack"));
        }
        cmd.args(["origin", FETCH_REFSPEC]);
        self.forbid_ssh_prompts(&mut cmd)?;
        let out = self.watch(&mut cmd, "fetching from", &url)?;
        if !out.status.success() {
            if String::from_utf8_lossy(&out.stderr).contains(NO_REMOTE_MAIN) {
                return Ok(None);
            }
            return Err(remote_failure("fetching from", &url, &out));
        }
        match self.resolve_commit(TRACKING_REF)? {
            Some(oid) => Ok(Some(oid)),
            None => Err(Error::io(format!(
                "fetching from {}: git fetched nothing into {TRACKING_REF}",
                anonymize_url(&url)
            ))),
        }
    }

    /// Pushes `commit` to the remote's `main`. `Rejected` (not an error)
    /// when the remote's `main` is not an ancestor of `commit` — someone
    /// pushed since the fetch; any other failure is an `Error::io`.
    pub fn push(&self, commit: &Oid) -> Result<PushOutcome> {
        let url = self.require_remote()?;
        let mut cmd = self.remote_command();
        // --no-verify: the user's pre-push hooks are for their own work, not
        // for lookout's cache; signing would ask for a passphrase.
        cmd.args([
            "-c",
            "push.gpgSign=false",
            "push",
            "--porcelain",
            "--progress",
            "--no-verify",
        ]);
        if is_path_remote(&url) {
            cmd.arg("--receive-pack")
                .arg(self.git.remote_side("receive-pack"));
        }
        cmd.arg("origin").arg(format!("{commit}:{REMOTE_BRANCH}"));
        self.forbid_ssh_prompts(&mut cmd)?;
        let out = self.watch(&mut cmd, "pushing to", &url)?;
        match push_status(&String::from_utf8_lossy(&out.stdout)) {
            Some(PushStatus::Updated) if out.status.success() => Ok(PushOutcome::Pushed),
            Some(PushStatus::NotFastForward) => Ok(PushOutcome::Rejected),
            // Two pushes at the same moment: both passed the fast-forward
            // check, and the remote's ref moved under the second one.
            Some(PushStatus::Refused(_)) if lost_ref_update_race(&out.stderr) => {
                Ok(PushOutcome::Rejected)
            }
            Some(PushStatus::Refused(_))
                if let Some(lock) = lock_in_the_way(&String::from_utf8_lossy(&out.stderr)) =>
            {
                Err(locked_now(&lock).context(format!("pushing to {}", anonymize_url(&url))))
            }
            Some(PushStatus::Refused(summary)) => {
                let detail = first_meaningful_line(&out.stderr)
                    .filter(|line| !line.starts_with("failed to push some refs"));
                let message = match detail {
                    Some(detail) => format!("{summary}: {detail}"),
                    None => summary,
                };
                Err(Error::io(format!(
                    "pushing to {}: {message}",
                    anonymize_url(&url)
                )))
            }
            _ => Err(remote_failure("pushing to", &url, &out)),
        }
    }

    /// Whether the shared tracker's history at `head` still holds `base`,
    /// the commit a store last agreed on: it is an ancestor of `head`, or it
    /// is a commit kept for undo (`keep_commit`) whose parent is held (a
    /// kept commit's parent may be kept too: a sync after an undo). False
    /// when the shared repository was rewritten (or reset, or replaced).
    pub fn history_holds(&self, base: &Oid, head: &Oid) -> Result<bool> {
        let mut commit = base.to_string();
        // Kept commits stack one a sync after an undo; a bound all the same.
        for _ in 0..1000 {
            if self.descends(&commit, head)? {
                return Ok(true);
            }
            let mut cmd = self.command();
            cmd.args(["for-each-ref", "--count=1", "--format=%(refname)"])
                .arg(format!("--points-at={commit}"))
                .arg(KEPT_REFS);
            let out = self.git.output(&mut cmd)?;
            if !out.status.success() {
                return Err(failure(&out).context("listing the commits kept for undo"));
            }
            if out.stdout.is_empty() {
                return Ok(false);
            }
            commit.push('^');
        }
        Ok(false)
    }

    /// Whether `ancestor` is an ancestor of (or equal to) `head`: `git
    /// merge-base --is-ancestor`, false too when either is not in the cache.
    fn descends(&self, ancestor: &str, head: &Oid) -> Result<bool> {
        let mut cmd = self.command();
        cmd.args(["merge-base", "--is-ancestor", ancestor, head.as_str()]);
        let out = self.git.output(&mut cmd)?;
        Ok(out.status.success())
    }
}
