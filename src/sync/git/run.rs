//! Running the `git` program for the cache: the controlled environment,
//! turning git's standard error into lookout's errors, remote URLs, and the
//! small parsers and writers of git's plumbing formats (`ls-tree`,
//! `cat-file --batch`, `fast-import`, `push --porcelain`).

use std::ffi::{OsStr, OsString};
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, SystemTime};

use super::*;
use crate::error::{Error, Result};

/// How lookout runs git: the program, and extra environment (tests point
/// the global configuration at a file of their own).
#[derive(Debug, Clone)]
pub(super) struct Git {
    pub(super) program: OsString,
    pub(super) env: Vec<(OsString, OsString)>,
}

impl Git {
    pub(super) fn system() -> Git {
        Git {
            program: OsString::from("git"),
            env: Vec::new(),
        }
    }

    /// A git command that cannot prompt, page, colour, translate its
    /// messages or wander into another repository.
    pub(super) fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        for var in FOREIGN_ENV {
            cmd.env_remove(var);
        }
        cmd.env("GIT_TERMINAL_PROMPT", "0")
            .env("LC_ALL", "C")
            .env("GIT_PAGER", "cat")
            .env("GIT_ALLOW_PROTOCOL", allowed_protocols())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args([
                "--no-pager",
                "-c",
                "core.autocrlf=false",
                "-c",
                "color.ui=false",
                "-c",
                NO_HOOKS,
                // No transport that runs a command named in a URL, whatever
                // the user's own configuration allows.
                "-c",
                "protocol.ext.allow=never",
            ])
            .stdin(Stdio::null());
        cmd
    }

    /// The command git runs on the other side of a fetch (`upload-pack`)
    /// or push (`receive-pack`) from a path remote, for `--upload-pack` /
    /// `--receive-pack`: the same git, with no hooks. git does not pass
    /// `-c` settings to that side, and a bare repository on a file share
    /// is anyone's to fill with hooks, which would run as the pusher.
    /// git runs the value through the shell, so the program is quoted.
    pub(super) fn remote_side(&self, service: &str) -> OsString {
        let mut command = shell_quote(&self.program);
        command.push(" -c ");
        command.push(NO_HOOKS);
        // The remote's own config could name a command that lists the refs
        // of its alternates; `true` lists none and runs nothing of theirs.
        command.push(" -c core.alternateRefsCommand=true");
        command.push(" ");
        command.push(service);
        command
    }

    /// Runs `cmd` to the end, capturing both outputs.
    pub(super) fn output(&self, cmd: &mut Command) -> Result<Output> {
        cmd.output().map_err(|e| self.spawn_error(e))
    }

    /// Runs `cmd` while `feed` writes its standard input from another
    /// thread, so git's output can never fill a pipe and stall both.
    /// Returns what it gave, and how the feeding went.
    pub(super) fn output_with_input(
        &self,
        cmd: &mut Command,
        feed: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send,
    ) -> Result<Fed> {
        cmd.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| self.spawn_error(e))?;
        let pid = child.id();
        let Some(stdin) = child.stdin.take() else {
            return Err(Error::io("git started without its standard input"));
        };
        let (fed, output) = std::thread::scope(|scope| {
            let feeder = scope.spawn(move || -> io::Result<()> {
                let mut input = BufWriter::with_capacity(1 << 16, stdin);
                feed(&mut input)?;
                input.flush()
            });
            let output = child.wait_with_output();
            (feeder.join(), output)
        });
        let fed = fed.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let output = output.map_err(|e| self.spawn_error(e))?;
        Ok(Fed { output, pid, fed })
    }

    pub(super) fn spawn_error(&self, err: io::Error) -> Error {
        if err.kind() == io::ErrorKind::NotFound {
            Error::io(format!(
                "lookout sync needs git on the PATH: {} was not found",
                self.program.to_string_lossy()
            ))
            .with_hint("install git (https://git-scm.com/downloads) and run the command again")
        } else {
            Error::io(format!("running {}: {err}", self.program.to_string_lossy()))
        }
    }
}

/// What `Git::output_with_input` ran: git's output and process id, and how
/// writing its input went.
pub(super) struct Fed {
    pub output: Output,
    pub pid: u32,
    pub fed: io::Result<()>,
}

impl Fed {
    /// Git's output, unless the writing failed: when git failed, its message
    /// says why (the broken pipe it left the writer with does not), but when
    /// the writer failed first (its input could not be read), git failed
    /// because of it.
    pub(super) fn output(self) -> Result<Output> {
        match (self.output.status.success(), self.fed) {
            (true, Err(e)) => Err(Error::from(e).context("writing to git")),
            (false, Err(e)) if e.kind() != io::ErrorKind::BrokenPipe => {
                Err(Error::from(e).context("feeding git"))
            }
            _ => Ok(self.output),
        }
    }
}

/// Runs no hooks, the cache's or the user's own (`core.hooksPath` in their
/// global configuration, written for their own work): git looks for a hook
/// under this path, and a path that is not a directory holds none. No
/// directory of hooks is needed that someone could fill (the cache's own
/// `hooks/` travels with a copied store).
pub(super) const NO_HOOKS: &str = "core.hooksPath=/dev/null";

/// The transports git may use: no `ext::` (which runs a command named in
/// the URL) or other remote helper. A stricter list of the user's own
/// (`GIT_ALLOW_PROTOCOL` in their environment) is kept.
pub(super) fn allowed_protocols() -> String {
    const ALLOWED: [&str; 5] = ["file", "git", "http", "https", "ssh"];
    let theirs = std::env::var("GIT_ALLOW_PROTOCOL").ok();
    let allowed: Vec<&str> = match &theirs {
        Some(theirs) => ALLOWED
            .into_iter()
            .filter(|p| theirs.split(':').any(|t| t == *p))
            .collect(),
        None => ALLOWED.to_vec(),
    };
    allowed.join(":")
}

/// `program` as one word of a POSIX shell command: in single quotes, each
/// `'` closed, escaped and reopened; plain names as they are.
pub(super) fn shell_quote(program: &OsStr) -> OsString {
    let text = program.to_string_lossy();
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return program.to_owned();
    }
    OsString::from(format!("'{}'", text.replace('\'', r"'\''")))
}

/// Whether git reaches `url` by running its other side itself, as this
/// user: a path or a `file://` URL.
pub(super) fn is_path_remote(url: &str) -> bool {
    url.starts_with("file://") || is_local_path(url)
}

/// A directory git would take for a repository: what `is_git_directory` checks.
pub(super) fn looks_like_repository(dir: &Path) -> bool {
    dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir()
}

/// git's failure as an error: the first meaningful line of its standard
/// error, with a hint for the failures whose fix is known. A lock file in
/// the way is named, with its age, whatever git's line said.
pub(super) fn failure(out: &Output) -> Error {
    let stderr = String::from_utf8_lossy(&out.stderr);
    if let Some(lock) = lock_in_the_way(&stderr) {
        return locked_now(&lock);
    }
    let message = first_meaningful_line(&out.stderr)
        .unwrap_or_else(|| format!("git exited with {}", out.status));
    match known_fix(&stderr) {
        Some(hint) => Error::io(message).with_hint(hint),
        None => Error::io(message),
    }
}

pub(super) fn known_fix(stderr: &str) -> Option<String> {
    if let Some(lock) = lock_in_the_way(stderr) {
        return Some(clear_lock_hint(&lock));
    }
    // A shared repository on a file share is often owned by a colleague;
    // git names the command that trusts it.
    if stderr.contains("dubious ownership") {
        let trust = stderr
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("git config --global --add safe.directory"))?;
        return Some(format!(
            "git refuses a repository another user owns; if you trust it, run: {trust}"
        ));
    }
    None
}

/// The lock file git could not create because it exists (`Unable to create
/// '<path>.lock': File exists`, on either side of a push): a git at work
/// there, or one killed before it could remove its lock. `.` parts (git
/// writes `repo.git/./refs/…`) are left out.
pub(super) fn lock_in_the_way(stderr: &str) -> Option<PathBuf> {
    const BEFORE: &str = "Unable to create '";
    const AFTER: &str = ".lock': File exists";
    let start = stderr.find(BEFORE)? + BEFORE.len();
    let len = stderr[start..].find(AFTER)? + ".lock".len();
    let path = &stderr[start..start + len];
    if path.contains(['\n', '\r']) {
        return None;
    }
    Some(Path::new(path).components().collect())
}

/// `locked` now.
#[allow(clippy::disallowed_methods)] // a file's age, on the clock that stamped it: no date lookout records
pub(super) fn locked_now(lock: &Path) -> Error {
    locked(lock, SystemTime::now())
}

/// A lock in the way as an error: the file, and how long it has been there
/// when it can be seen from here (a path remote, or the cache).
pub(super) fn locked(lock: &Path, now: SystemTime) -> Error {
    let made = std::fs::metadata(lock)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|made| now.duration_since(made).ok());
    let message = match made {
        Some(age) => format!(
            "{} is locked: {} was made {} ago",
            repository_of(lock).display(),
            lock.display(),
            age_in_words(age)
        ),
        None => format!(
            "{} is locked: {} exists",
            repository_of(lock).display(),
            lock.display()
        ),
    };
    Error::io(message).with_hint(clear_lock_hint(lock))
}

fn clear_lock_hint(lock: &Path) -> String {
    format!(
        "a git process is at work there, or one was killed before it could remove its lock; \
         if no sync (or other git command) is running on that repository, delete {}",
        lock.display()
    )
}

/// The repository a lock file belongs to: the directory above `refs/`,
/// `objects/` or the file itself.
fn repository_of(lock: &Path) -> &Path {
    let mut dir = lock.parent().unwrap_or(lock);
    for ancestor in lock.ancestors().skip(1) {
        if matches!(
            ancestor.file_name().and_then(|n| n.to_str()),
            Some("refs" | "objects")
        ) {
            dir = ancestor.parent().unwrap_or(ancestor);
        }
    }
    dir
}

/// A duration as a person says it: "40 seconds", "3 minutes", "5 hours", "2 days".
pub(super) fn age_in_words(age: Duration) -> String {
    let secs = age.as_secs();
    let (n, unit) = match secs {
        0..60 => (secs, "second"),
        60..3600 => (secs / 60, "minute"),
        3600..172_800 => (secs / 3600, "hour"),
        _ => (secs / 86_400, "day"),
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// Whether git failed to reach or be let into the remote (as opposed to a
/// failure here: a full disk, a damaged cache), so that how lookout talks
/// to remotes is worth a hint.
pub(super) fn is_transport_failure(stderr: &str) -> bool {
    const SIGNS: &[&str] = &[
        "could not read from remote repository",
        "connection refused",
        "connection timed out",
        "connection reset",
        "connection closed",
        "authentication failed",
        "permission denied",
        "host key verification failed",
        "could not resolve host",
        "could not resolve hostname",
        "unable to access",
        "unable to connect",
        "no route to host",
        "network is unreachable",
        "the remote end hung up",
        "does not appear to be a git repository",
        "repository not found",
        "the requested url returned error",
        "ssl",
        "certificate",
    ];
    let stderr = stderr.to_lowercase();
    SIGNS.iter().any(|sign| stderr.contains(sign))
}

/// A failed fetch or push: names the remote; when git could not reach it,
/// says how lookout talks to it.
pub(super) fn remote_failure(doing: &str, url: &str, out: &Output) -> Error {
    let error = failure(out).context(format!("{doing} {}", anonymize_url(url)));
    if error.hint().is_some() || !is_transport_failure(&String::from_utf8_lossy(&out.stderr)) {
        return error;
    }
    error.with_hint(format!(
        "check that `git ls-remote {}` works in this terminal; lookout runs git without \
         prompts, so credentials must come from an SSH agent or a credential helper",
        anonymize_url(url)
    ))
}

/// The line of git's standard error that says what went wrong: the first
/// that is not blank, a hint or a warning, without `fatal: `/`error: `,
/// stripped of control characters (a remote's message could hold terminal
/// escapes) and capped in length.
pub(super) fn first_meaningful_line(stderr: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stderr);
    let line = text.split(['\n', '\r']).map(str::trim).find(|line| {
        !line.is_empty()
            && !line.starts_with("hint:")
            && !line.starts_with("warning:")
            && !is_progress(line)
    })?;
    let line = ["fatal: ", "error: "]
        .iter()
        .find_map(|prefix| line.strip_prefix(prefix))
        .unwrap_or(line);
    let mut capped: String = line
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_MESSAGE_CHARS)
        .collect();
    if line.chars().filter(|c| !c.is_control()).count() > MAX_MESSAGE_CHARS {
        capped.push('…');
    }
    Some(capped)
}

/// Whether a line of git's standard error is progress (`--progress`,
/// which fetch and push run with so that a silent remote can be told from
/// a slow one): `Counting objects: 50% (2/4)`, `Total 4 (delta 1), …`,
/// `Delta compression using up to 2 threads`, the same after `remote: `,
/// or an empty `remote:` line.
pub(super) fn is_progress(line: &str) -> bool {
    let line = line.strip_prefix("remote:").unwrap_or(line).trim();
    if line.is_empty() {
        return true;
    }
    if line.starts_with("Delta compression using")
        || line
            .strip_prefix("Total ")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    {
        return true;
    }
    // `Title words: <digits>`: a capitalised title of plain words.
    let Some((title, rest)) = line.split_once(':') else {
        return false;
    };
    let mut words = title.split(' ');
    let capitalised = words.next().is_some_and(|first| {
        let mut chars = first.chars();
        chars.next().is_some_and(|c| c.is_ascii_uppercase())
            && chars.all(|c| c.is_ascii_lowercase())
    });
    capitalised
        && words.all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase()))
        && rest.trim_start().starts_with(|c: char| c.is_ascii_digit())
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

/// One `ls-tree -z` entry, `<mode> <type> <oid>\t<path>`: a file, or None for
/// what is not a regular file.
pub(super) fn parse_tree_entry(entry: &[u8]) -> Result<Option<TreeFile>> {
    let bad = || {
        Error::io(format!(
            "unexpected ls-tree output {:?}",
            String::from_utf8_lossy(entry)
        ))
    };
    let tab = entry.iter().position(|&b| b == b'\t').ok_or_else(bad)?;
    let meta = std::str::from_utf8(&entry[..tab]).map_err(|_| bad())?;
    let mut fields = meta.split(' ');
    let (Some(mode), Some(kind), Some(oid), None) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return Err(bad());
    };
    if kind != "blob" || !(mode == "100644" || mode == "100755") {
        return Ok(None);
    }
    let path = std::str::from_utf8(&entry[tab + 1..]).map_err(|_| {
        Error::io(format!(
            "file name {:?} is not UTF-8",
            String::from_utf8_lossy(&entry[tab + 1..])
        ))
    })?;
    Ok(Some(TreeFile {
        path: path.to_owned(),
        blob: oid.parse().map_err(|_| bad())?,
    }))
}

/// Reads one `cat-file --batch` answer, `<oid> blob <size>\n<bytes>\n`, the
/// one to the request for `oid`.
pub(super) fn read_answer(mut answers: impl BufRead, oid: &Oid) -> Result<Vec<u8>> {
    let stream = |e: io::Error| Error::from(e).context("reading blobs from git");
    let mut header = Vec::new();
    answers.read_until(b'\n', &mut header).map_err(stream)?;
    let line = String::from_utf8_lossy(&header);
    let line = line.trim_end();
    let size = match line.split(' ').collect::<Vec<_>>()[..] {
        [id, "blob", size] if id == oid.as_str() => size.parse::<usize>().ok(),
        _ => None,
    };
    let Some(size) = size else {
        let what = if line.is_empty() {
            "git stopped answering".to_owned()
        } else if line.ends_with(" missing") {
            "not in the sync cache".to_owned()
        } else {
            format!("git answered {line:?}")
        };
        return Err(Error::io(format!("reading blob {oid}: {what}")));
    };
    let mut contents = vec![0; size];
    answers.read_exact(&mut contents).map_err(stream)?;
    let mut newline = [0u8];
    answers.read_exact(&mut newline).map_err(stream)?;
    Ok(contents)
}

/// The author and committer line fields cannot hold `<`, `>` or line breaks.
pub(super) fn check_identity(who: &Identity) -> Result<()> {
    let bad = |s: &str| s.contains(['<', '>', '\n', '\r', '\0']);
    if who.name.trim().is_empty() {
        return Err(Error::data("a commit needs an author name"));
    }
    if bad(&who.name) || bad(&who.email) {
        return Err(Error::data(format!(
            "author name {:?} and email {:?}: neither can hold <, > or a line break",
            who.name, who.email
        )));
    }
    Ok(())
}

/// A path git will store as given and every git host accepts: relative,
/// `/`-separated, no empty, `.`, `..` or `.git` part, no control characters.
pub(super) fn check_path(path: &str) -> Result<()> {
    let bad_part = |part: &str| {
        part.is_empty() || part == "." || part == ".." || part.eq_ignore_ascii_case(".git")
    };
    if path.chars().any(char::is_control) || path.split('/').any(bad_part) {
        return Err(Error::data(format!(
            "{path:?} cannot be a file of the shared tracker: it must be a relative, \
             /-separated path with no empty, `.`, `..` or `.git` part"
        )));
    }
    Ok(())
}

/// The fast-import stream for one commit on `refs/lookout/pending`, ending
/// with `get-mark` (git prints the new commit's id) and `done`.
pub(super) fn write_import(
    out: &mut dyn Write,
    ref_name: &str,
    parent: Option<&Oid>,
    changes: &dyn Files,
    who: &Identity,
    when: i64,
    message: &str,
) -> io::Result<()> {
    // `feature done`: input that ends before `done` (a writer that died)
    // is an error, never a commit of half the changes.
    writeln!(out, "feature done")?;
    writeln!(out, "reset {ref_name}")?;
    writeln!(out, "commit {ref_name}")?;
    writeln!(out, "mark :1")?;
    writeln!(out, "author {} <{}> {when} +0000", who.name, who.email)?;
    writeln!(out, "committer {} <{}> {when} +0000", who.name, who.email)?;
    write_data(out, message.as_bytes())?;
    if let Some(parent) = parent {
        writeln!(out, "from {parent}")?;
    }
    changes.each(&mut |path, contents| match contents {
        Content::Text(bytes) => {
            writeln!(out, "M 100644 inline {}", quote_path(path))?;
            write_data(out, bytes)
        }
        Content::Blob(blob) => writeln!(out, "M 100644 {blob} {}", quote_path(path)),
        Content::Deleted => writeln!(out, "D {}", quote_path(path)),
    })?;
    writeln!(out)?;
    writeln!(out, "get-mark :1")?;
    writeln!(out, "done")
}

pub(super) fn write_data(out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    writeln!(out, "data {}", bytes.len())?;
    out.write_all(bytes)?;
    writeln!(out)
}

/// A path in C-style quotes, which fast-import always accepts, so spaces
/// and a leading `"` need no special case (control characters are refused earlier).
pub(super) fn quote_path(path: &str) -> String {
    let mut quoted = String::with_capacity(path.len() + 2);
    quoted.push('"');
    for c in path.chars() {
        if c == '"' || c == '\\' {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// Whether the remote refused the update because its ref had moved since
/// the push began (`cannot lock ref 'refs/heads/main': is at X but expected Y`).
pub(super) fn lost_ref_update_race(stderr: &[u8]) -> bool {
    let stderr = String::from_utf8_lossy(stderr);
    stderr.contains(&format!("cannot lock ref '{REMOTE_BRANCH}'"))
        && stderr.contains("but expected")
}

/// What `git push --porcelain` said of the remote's `main`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum PushStatus {
    /// Created, fast-forwarded, forced or already there.
    Updated,
    /// `[rejected] (fetch first)` or `(non-fast-forward)`: someone pushed first.
    NotFastForward,
    /// Refused for another reason (a hook, a protected branch): the summary.
    Refused(String),
}

/// Reads the porcelain line for `refs/heads/main`:
/// `<flag>\t<from>:<to>\t<summary>`, flag `!` for a refused ref.
pub(super) fn push_status(porcelain: &str) -> Option<PushStatus> {
    porcelain.lines().find_map(|line| {
        let mut fields = line.split('\t');
        let (Some(flag), Some(refs), Some(summary)) = (fields.next(), fields.next(), fields.next())
        else {
            return None;
        };
        if refs.rsplit_once(':').map(|(_, to)| to) != Some(REMOTE_BRANCH) {
            return None;
        }
        Some(match flag {
            " " | "*" | "+" | "=" => PushStatus::Updated,
            "!" if summary.starts_with("[rejected]")
                && (summary.contains("(fetch first)")
                    || summary.contains("(non-fast-forward)")) =>
            {
                PushStatus::NotFastForward
            }
            _ => PushStatus::Refused(format!("{REMOTE_BRANCH} {summary}")),
        })
    })
}
