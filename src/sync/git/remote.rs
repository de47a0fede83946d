//! Remotes as git takes them and messages show them: paths and URLs.

use std::path::Path;

use super::GitRepo;
use super::failure::age_in_words;

use crate::error::{Error, Result};

/// Whether git reaches `url` by running its other side itself, as this
/// user: a path or a `file://` URL.
pub(super) fn is_path_remote(url: &str) -> bool {
    url.starts_with("file://") || is_local_path(url)
}

/// A directory git would take for a repository: what `is_git_directory` checks.
pub(super) fn looks_like_repository(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

/// A remote as messages show it: without the user and password an HTTP URL
/// may carry (git's own messages leave them out too).
pub(super) fn anonymize_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_owned(),
    }
}

/// The remote as git should keep it: URLs and `host:path` addresses as
/// given, a relative local path joined to `cwd`. A leading `-` could be
/// taken for an option by git or ssh, so it is refused.
pub(super) fn resolve_remote(url: &str, cwd: &Path) -> Result<String> {
    if url.is_empty() {
        return Err(Error::data("the remote is empty").with_hint("give a git URL or a path"));
    }
    if url.starts_with('-') {
        return Err(Error::data(format!(
            "a remote cannot start with '-': {url}"
        )));
    }
    let path = Path::new(url);
    if path.is_absolute() || !is_local_path(url) {
        return Ok(url.to_owned());
    }
    match cwd.join(path).to_str() {
        Some(joined) => Ok(joined.to_owned()),
        None => Err(
            Error::data(format!("{url}: the current directory's name is not UTF-8"))
                .with_hint("give the remote as an absolute path"),
        ),
    }
}

/// git's own rule (`url_is_local_not_ssh`): a path when there is no colon,
/// or a slash comes before the first colon; `host:path` otherwise.
pub(super) fn is_local_path(url: &str) -> bool {
    if url.contains("://") {
        return false;
    }
    match (url.find(':'), url.find('/')) {
        (None, _) => true,
        (Some(colon), Some(slash)) => slash < colon,
        (Some(_), None) => false,
    }
}

/// Locks git leaves that stop nothing at once, so no command fails to name
/// them, but stop the shared repository from being looked after: git skips
/// its automatic maintenance (packing what every push adds) while
/// `objects/maintenance.lock` is there, and no push fails for it.
const QUIET_LOCKS: &[&str] = &["objects/maintenance.lock"];

/// How old such a lock must be to be left by a killed git rather than held
/// by one at work: maintenance of a tracker takes seconds.
const QUIET_LOCK_AGE: std::time::Duration = std::time::Duration::from_secs(60 * 60);

impl GitRepo {
    /// For `remote` on a path (a file share), what stops its maintenance: a
    /// line a lock, with its age and how to clear it. Empty for any other
    /// remote, which lookout cannot see into.
    #[allow(clippy::disallowed_methods)] // a file's age, on the clock that stamped it: no date lookout records
    pub fn left_locks(remote: &str) -> Vec<String> {
        if !is_path_remote(remote) {
            return Vec::new();
        }
        let path = Path::new(remote.strip_prefix("file://").unwrap_or(remote));
        let Some(repository) = [path.to_path_buf(), path.join(".git")]
            .into_iter()
            .find(|dir| looks_like_repository(dir))
        else {
            return Vec::new();
        };
        let now = std::time::SystemTime::now();
        QUIET_LOCKS
            .iter()
            .map(|lock| repository.join(lock))
            .filter_map(|lock| {
                let made = std::fs::symlink_metadata(&lock).ok()?.modified().ok()?;
                let age = now.duration_since(made).ok()?;
                (age >= QUIET_LOCK_AGE).then(|| {
                    format!(
                        "{} was made {} ago: git skips the shared repository's maintenance \
                         while it is there, so what every sync adds is never packed; if no \
                         git command is running on that repository, delete it",
                        lock.display(),
                        age_in_words(age)
                    )
                })
            })
            .collect()
    }
}
