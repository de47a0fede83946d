//! The git transport against real git: a bare "remote" and two caches as two analysts.

use super::files::Listed;
use super::*;
use std::ffi::OsStr;
use std::time::Instant;

/// Whether git is here; in CI its absence is a failure, elsewhere a skip.
pub(super) fn git_present() -> bool {
    let found = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "git is missing, and CI is set"
        );
        eprintln!("git is missing; skipping (set CI to make this a failure)");
    }
    found
}

macro_rules! require_git {
    () => {
        if !git_present() {
            return;
        }
    };
}

/// A shared remote and analysts' caches, in a directory whose name has
/// a space and a non-ASCII letter.
pub(super) struct Team {
    dir: tempfile::TempDir,
    remote: PathBuf,
}

impl Team {
    fn new() -> Team {
        let dir = tempfile::tempdir().unwrap();
        let remote = dir.path().join("shared tracker é.git");
        let out = Command::new("git")
            .env_remove("GIT_DIR")
            .args(["init", "--bare", "--quiet"])
            .arg(&remote)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Team { dir, remote }
    }

    /// An analyst's cache, set up to sync with the remote.
    fn analyst(&self, name: &str) -> GitRepo {
        self.analyst_with(Git::system(), name)
    }

    /// An analyst's cache whose git runs with `git`'s settings.
    fn analyst_with(&self, git: Git, name: &str) -> GitRepo {
        let path = self.dir.path().join(format!("{name} ü/sync.git"));
        let repo = GitRepo::open_or_init_with(git, &path).unwrap();
        repo.set_remote(self.remote.to_str().unwrap()).unwrap();
        repo
    }
}

/// Writes an executable shell script.
pub(super) fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

pub(super) fn ana() -> Identity {
    Identity {
        name: "Ana".into(),
        email: "ana@example.org".into(),
    }
}

pub(super) fn put(path: &str, text: &str) -> (String, Option<Vec<u8>>) {
    (path.to_owned(), Some(text.as_bytes().to_vec()))
}

pub(super) fn delete(path: &str) -> (String, Option<Vec<u8>>) {
    (path.to_owned(), None)
}

/// Every file of a commit with its contents, as text.
pub(super) fn contents(repo: &GitRepo, commit: &Oid) -> Vec<(String, String)> {
    let mut blobs = repo.blob_reader().unwrap();
    repo.tree_files(commit)
        .unwrap()
        .into_iter()
        .map(|f| {
            (
                f.path,
                String::from_utf8(blobs.read(&f.blob).unwrap()).unwrap(),
            )
        })
        .collect()
}

/// Runs git on a cache directly, for what the module does not expose.
pub(super) fn raw_git(repo: &GitRepo, args: &[&str]) -> String {
    let out = Command::new("git")
        .env("GIT_DIR", repo.git_dir())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn object_ids_are_40_or_64_hex_digits_kept_in_lower_case() {
    let oid: Oid = "0123456789ABCDEF0123456789abcdef01234567".parse().unwrap();
    assert_eq!(oid.to_string(), "0123456789abcdef0123456789abcdef01234567");
    assert!(format!("{:0>64}", "a").parse::<Oid>().is_ok());
    for bad in [
        "",
        "main",
        "0123456789abcdef",
        &"g".repeat(40),
        &"a".repeat(41),
    ] {
        let err = bad.parse::<Oid>().unwrap_err();
        assert_eq!(err.code(), crate::error::Code::Data, "{bad}");
    }
}

#[test]
fn git_messages_become_one_short_line() {
    let stderr = b"hint: try again\nwarning: redirecting\n\nfatal: '/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n";
    assert_eq!(
        first_meaningful_line(stderr).unwrap(),
        "'/x' does not appear to be a git repository"
    );
    assert_eq!(
        first_meaningful_line(b"remote: \x1b[31mdenied\x1b[0m\r\n").unwrap(),
        "remote: [31mdenied[0m"
    );
    let long = format!("error: {}", "é".repeat(400));
    let line = first_meaningful_line(long.as_bytes()).unwrap();
    assert_eq!(line.chars().count(), MAX_MESSAGE_CHARS + 1);
    assert!(line.ends_with('…'));
    assert_eq!(first_meaningful_line(b"hint: only\n\n"), None);
}

#[test]
fn known_failures_come_with_their_fix() {
    let stderr = "fatal: detected dubious ownership in repository at '/srv/t.git'\n\
        To add an exception for this directory, call:\n\
        \n\
        \tgit config --global --add safe.directory /srv/t.git\n";
    assert_eq!(
        first_meaningful_line(stderr.as_bytes()).unwrap(),
        "detected dubious ownership in repository at '/srv/t.git'"
    );
    assert_eq!(
        known_fix(stderr).unwrap(),
        "git refuses a repository another user owns; if you trust it, \
         run: git config --global --add safe.directory /srv/t.git"
    );
    let lock =
        "fatal: Unable to create '/c/sync.git/refs/remotes/origin/main.lock': File exists.\n";
    assert!(
        known_fix(lock)
            .unwrap()
            .ends_with("delete /c/sync.git/refs/remotes/origin/main.lock"),
        "{:?}",
        known_fix(lock)
    );
    assert_eq!(known_fix("fatal: other\n"), None);
}

#[test]
fn a_lock_in_the_way_is_found_on_either_side_of_a_push() {
    let remote = "remote: error: cannot lock ref 'refs/heads/main': Unable to create \
        '/share/t r.git/./refs/heads/main.lock': File exists.        \nremote: \n";
    assert_eq!(
        lock_in_the_way(remote),
        Some(PathBuf::from("/share/t r.git/refs/heads/main.lock"))
    );
    assert_eq!(
        lock_in_the_way("fatal: Unable to create '/c/HEAD.lock': File exists.\n"),
        Some(PathBuf::from("/c/HEAD.lock"))
    );
    assert_eq!(
        lock_in_the_way("fatal: Unable to create '/c/x': Permission denied"),
        None
    );
    assert_eq!(lock_in_the_way("fatal: other"), None);
}

#[test]
fn a_lock_is_named_with_its_age_and_how_to_clear_it() {
    let dir = tempfile::tempdir().unwrap();
    let lock = dir.path().join("t.git/refs/heads/main.lock");
    fs::create_dir_all(lock.parent().unwrap()).unwrap();
    fs::write(&lock, "").unwrap();
    let made = fs::metadata(&lock).unwrap().modified().unwrap();
    let later = made + std::time::Duration::from_secs(125);
    let err = locked(&lock, later);
    assert_eq!(err.code(), crate::error::Code::Io);
    assert_eq!(
        err.message(),
        format!(
            "{} is locked: {} was made 2 minutes ago",
            dir.path().join("t.git").display(),
            lock.display()
        )
    );
    assert!(
        err.hint()
            .unwrap()
            .ends_with(&format!("delete {}", lock.display()))
    );
    // Out of sight (on a server): named, without an age.
    let err = locked(Path::new("/srv/t.git/HEAD.lock"), later);
    assert_eq!(
        err.message(),
        "/srv/t.git is locked: /srv/t.git/HEAD.lock exists"
    );
}

#[test]
fn ages_read_as_a_person_says_them() {
    let words = |secs| age_in_words(std::time::Duration::from_secs(secs));
    assert_eq!(words(0), "0 seconds");
    assert_eq!(words(1), "1 second");
    assert_eq!(words(59), "59 seconds");
    assert_eq!(words(60), "1 minute");
    assert_eq!(words(3599), "59 minutes");
    assert_eq!(words(7200), "2 hours");
    assert_eq!(words(3 * 86_400), "3 days");
}

#[test]
fn progress_is_no_error_message() {
    for line in [
        "remote: Enumerating objects: 4, done.        ",
        "remote: Counting objects:  25% (1/4)        ",
        "remote: Total 4 (delta 1), reused 0 (delta 0), pack-reused 0 (from 0)",
        "Writing objects: 100% (3/3), 225 bytes | 225.00 KiB/s, done.",
        "Receiving objects:  50% (1/2)",
        "Resolving deltas: 100% (1/1), done.",
        "Delta compression using up to 2 threads",
        "remote: ",
    ] {
        assert!(is_progress(line), "{line}");
    }
    for line in [
        "fatal: Could not read from remote repository.",
        "remote: error: cannot lock ref 'refs/heads/main'",
        "ERROR: Repository not found.",
        "Permission denied (publickey).",
        "remote: main is frozen",
    ] {
        assert!(!is_progress(line), "{line}");
    }
    let stderr = b"remote: Counting objects: 100% (4/4), done.\rremote: Total 4 (delta 0)\n\
        fatal: the remote end hung up unexpectedly\n";
    assert_eq!(
        first_meaningful_line(stderr).unwrap(),
        "the remote end hung up unexpectedly"
    );
}

#[test]
fn only_a_failure_to_reach_the_remote_gets_the_credentials_hint() {
    for transport in [
        "fatal: Could not read from remote repository.",
        "ssh: connect to host h port 22: Connection refused",
        "fatal: Authentication failed for 'https://h/t.git/'",
        "Host key verification failed.",
        "fatal: unable to access 'https://h/': Could not resolve host: h",
    ] {
        assert!(is_transport_failure(transport), "{transport}");
    }
    for local in [
        "error: file write error: No space left on device",
        "fatal: packed object 1234 (stored in .git/objects/pack/p.pack) is corrupt",
        "fatal: bad object refs/remotes/origin/main",
    ] {
        assert!(!is_transport_failure(local), "{local}");
    }
}

#[test]
fn the_other_side_of_a_path_remote_runs_no_hooks_and_no_injected_shell() {
    let git = Git {
        program: OsString::from("git"),
        env: Vec::new(),
    };
    assert_eq!(
        git.remote_side("receive-pack"),
        "git -c core.hooksPath=/dev/null -c core.alternateRefsCommand=true receive-pack"
    );
    assert_eq!(
        shell_quote(OsStr::new("/opt/git 2/bin/git")),
        "'/opt/git 2/bin/git'"
    );
    assert_eq!(
        shell_quote(OsStr::new("/x/it's;rm -rf")),
        r"'/x/it'\''s;rm -rf'"
    );
    assert_eq!(shell_quote(OsStr::new("")), "''");
}

#[test]
fn the_cache_config_is_lookout_s_own_text() {
    let text = super::config::config_text("sha1", "files", Some("/s/a \"b\"\\c.git")).unwrap();
    assert_eq!(
        text,
        "# Written by lookout before every sync: anything else set here is dropped.\n\
         [core]\n\trepositoryformatversion = 0\n\tbare = true\n\
         [remote \"origin\"]\n\turl = \"/s/a \\\"b\\\"\\\\c.git\"\n\
         \tfetch = +refs/heads/main:refs/remotes/origin/main\n"
    );
    let text = super::config::config_text("sha256", "reftable", None).unwrap();
    assert!(text.contains("repositoryformatversion = 1\n"), "{text}");
    assert!(text.contains("[extensions]\n\tobjectformat = sha256\n\trefstorage = reftable\n"));
    assert!(super::config::config_text("sha1", "files", Some("/a\nb")).is_err());
}

#[test]
fn push_porcelain_tells_a_lost_race_from_a_refusal() {
    let line = |flag: &str, summary: &str| {
        format!("To /r.git\n{flag}\tabc:refs/heads/main\t{summary}\nDone\n")
    };
    assert_eq!(
        push_status(&line("*", "[new branch]")),
        Some(PushStatus::Updated)
    );
    assert_eq!(
        push_status(&line(" ", "4bde430..2788895")),
        Some(PushStatus::Updated)
    );
    assert_eq!(
        push_status(&line("=", "[up to date]")),
        Some(PushStatus::Updated)
    );
    assert_eq!(
        push_status(&line("!", "[rejected] (fetch first)")),
        Some(PushStatus::NotFastForward)
    );
    assert_eq!(
        push_status(&line("!", "[rejected] (non-fast-forward)")),
        Some(PushStatus::NotFastForward)
    );
    assert_eq!(
        push_status(&line("!", "[remote rejected] (pre-receive hook declined)")),
        Some(PushStatus::Refused(
            "refs/heads/main [remote rejected] (pre-receive hook declined)".into()
        ))
    );
    assert_eq!(
        push_status("To /r.git\n!\tabc:refs/heads/other\t[rejected] (fetch first)\n"),
        None
    );
    assert_eq!(push_status(""), None);
}

#[test]
fn remotes_keep_urls_and_make_local_paths_absolute() {
    let cwd = Path::new("/home/ana/work");
    for url in [
        "https://example.org/team/tracker.git",
        "ssh://git@example.org/tracker.git",
        "git@example.org:team/tracker.git",
        "/srv/shared/tracker.git",
    ] {
        assert_eq!(resolve_remote(url, cwd).unwrap(), url);
    }
    assert_eq!(
        resolve_remote("../shared tracker.git", cwd).unwrap(),
        "/home/ana/work/../shared tracker.git"
    );
    assert_eq!(
        resolve_remote("./a:b", cwd).unwrap(),
        "/home/ana/work/./a:b"
    );
    assert!(resolve_remote("-oProxyCommand=x", cwd).is_err());
    assert!(resolve_remote("", cwd).is_err());
}

#[test]
fn messages_never_show_a_password() {
    assert_eq!(
        anonymize_url("https://ana:s3cret@example.org/t.git"),
        "https://example.org/t.git"
    );
    assert_eq!(
        anonymize_url("https://example.org/a@b"),
        "https://example.org/a@b"
    );
    assert_eq!(
        anonymize_url("git@example.org:t.git"),
        "git@example.org:t.git"
    );
}

#[test]
fn paths_are_checked_and_quoted_for_fast_import() {
    for good in [
        "tracker.jsonl",
        "developments/ab.jsonl",
        "a b/ü \"q\"\\.jsonl",
    ] {
        check_path(good).unwrap();
    }
    for bad in [
        "",
        "/abs",
        "a//b",
        "a/",
        "./a",
        "a/../b",
        ".git/config",
        "x/.GIT",
        "a\nb",
    ] {
        assert!(check_path(bad).is_err(), "{bad:?}");
    }
    assert_eq!(quote_path("a \"b\"\\c"), "\"a \\\"b\\\"\\\\c\"");
}

#[test]
fn missing_git_is_an_io_error_with_a_hint() {
    let git = Git {
        program: OsString::from("lookout-test-no-such-git"),
        env: Vec::new(),
    };
    let dir = tempfile::tempdir().unwrap();
    let err = GitRepo::open_or_init_with(git, &dir.path().join("c.git")).unwrap_err();
    assert_eq!(err.code(), crate::error::Code::Io);
    assert!(
        err.message()
            .starts_with("lookout sync needs git on the PATH: lookout-test-no-such-git"),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("install git"));
}

mod repo;
mod streams;
