//! Sync against a shared repository, and a sync cache, that strangers may
//! have written (docs/DESIGN.md, "The shared tracker is input from strangers"):
//! no code runs that the analyst did not install, the cache is private and
//! its stale locks are cleared without leaving it, a silent remote is given
//! up, and a lock left in the shared repository is named.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::env::{SEED_IMPORTED, TestEnv, have, stderr_of};
use crate::sync::{Team, git, seeded_team};

/// Writes an executable shell script.
fn script(path: &Path, body: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Every hook git runs on either side of a fetch or push, and then some.
const HOOKS: &[&str] = &[
    "pre-receive",
    "update",
    "post-receive",
    "post-update",
    "reference-transaction",
    "push-to-checkout",
    "proc-receive",
    "pre-auto-gc",
    "post-checkout",
    "pre-push",
    "fsmonitor-watchman",
];

/// Fills `dir` with every hook, each touching `marker`.
fn hooks_touching(dir: &Path, marker: &Path) {
    for hook in HOOKS {
        script(
            &dir.join(hook),
            &format!("echo {hook} >> '{}'", marker.display()),
        );
    }
}

/// The sync cache beside a member's store.
/// The folder beside a store that caches the shared tracker.
pub fn cache_of(member: &TestEnv) -> PathBuf {
    let mut name = member.db().as_os_str().to_owned();
    name.push(".sync");
    PathBuf::from(name)
}

/// Logs one development, so that the next sync pushes.
fn log_one(member: &TestEnv, headline: &str) {
    member.log_warned(
        &["2025-08-05", headline, "--watch", "intl-ai-org"],
        &["is after today"],
    );
}

/// Waits for `child` at most `limit`; kills it and fails past that.
fn wait_at_most(mut child: Child, limit: Duration) -> std::process::Output {
    let deadline = Instant::now() + limit;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("lookout still ran after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The processes (but this one) whose environment names `cache` as GIT_DIR:
/// the git processes a sync started on it.
#[cfg(target_os = "linux")]
fn gits_on(cache: &Path) -> Vec<String> {
    let wanted = format!("GIT_DIR={}", cache.display());
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if environ
            .split(|&b| b == 0)
            .any(|var| var == wanted.as_bytes())
        {
            let comm = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
            found.push(format!(
                "{} {}",
                entry.file_name().to_string_lossy(),
                comm.trim()
            ));
        }
    }
    found
}

/// Waits up to `limit` for no git process to be left on `cache`.
#[cfg(target_os = "linux")]
fn assert_no_git_left(cache: &Path, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let left = gits_on(cache);
        if left.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "git processes left: {left:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Waits up to `limit` for no `*.lock` file to be left in `dir`; what is
/// left then. The other side of a path push (`receive-pack`) runs on the
/// shared repository, not the cache, so `assert_no_git_left` does not wait
/// for it: ended by the same signal as the git that pushed, it may still be
/// removing its lock.
#[cfg(target_os = "linux")]
fn no_locks_left_in(dir: &Path, limit: Duration) -> Vec<PathBuf> {
    let deadline = Instant::now() + limit;
    loop {
        let left = locks_in(dir);
        if left.is_empty() || Instant::now() >= deadline {
            return left;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `*.lock` files anywhere in `dir`.
fn locks_in(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if entry.path().extension().is_some_and(|e| e == "lock") {
                found.push(entry.path());
            }
        }
    }
    found
}

#[test]
fn hooks_of_a_shared_repository_on_a_file_share_never_run() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let marker = ana.dir().join("hooks ran");
    hooks_touching(&team.remote.join("hooks"), &marker);
    // And where the repository's own configuration points hooks.
    let elsewhere = ana.dir().join("more hooks");
    hooks_touching(&elsewhere, &marker);
    git(
        &team.remote,
        &["config", "core.hooksPath", elsewhere.to_str().unwrap()],
    );
    log_one(ana, "Pushed past the hooks");
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("sent 1 added"), "{said}");
    let said = ben.ok_stderr(&["sync"]);
    assert!(said.contains("received 1 added"), "{said}");
    assert!(
        !marker.exists(),
        "hooks ran: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    team.assert_converged();
}

#[test]
fn a_command_in_the_shared_repositorys_own_config_never_runs() {
    // A bare repository that borrows objects from another (alternates) runs
    // `core.alternateRefsCommand` from its own config on every push to it.
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let marker = ana.dir().join("command ran");
    let other = ana.dir().join("other.git");
    git(
        ana.dir(),
        &["init", "--quiet", "--bare", other.to_str().unwrap()],
    );
    std::fs::write(
        team.remote.join("objects/info/alternates"),
        format!("{}\n", other.join("objects").display()),
    )
    .unwrap();
    git(
        &team.remote,
        &[
            "config",
            "core.alternateRefsCommand",
            &format!("touch '{}'; git for-each-ref", marker.display()),
        ],
    );
    log_one(ana, "Pushed past the command");
    assert!(ana.ok_stderr(&["sync"]).contains("sent 1 added"));
    assert!(ben.ok_stderr(&["sync"]).contains("received 1 added"));
    assert!(!marker.exists(), "the shared repository's command ran");
    team.assert_converged();
}

#[test]
fn the_sync_cache_config_runs_no_commands() {
    let Some(team) = seeded_team(2) else { return };
    let (ana, ben) = (&team.members[0], &team.members[1]);
    let cache = cache_of(ana);
    let marker = ana.dir().join("commands ran");
    let touch = format!("echo ran >> '{}'", marker.display());
    hooks_touching(&cache.join("hooks"), &marker);
    let elsewhere = ana.dir().join("more hooks");
    hooks_touching(&elsewhere, &marker);
    let included = ana.dir().join("included.config");
    std::fs::write(
        &included,
        format!("[core]\n\tsshCommand = \"{}\"\n", touch.replace('\'', "")),
    )
    .unwrap();
    let remote = team.remote();
    let ext = format!("ext::sh -c {}", touch.replace(' ', "% "));
    for (key, value) in [
        (
            "remote.origin.uploadpack",
            format!("{touch}; git-upload-pack"),
        ),
        (
            "remote.origin.receivepack",
            format!("{touch}; git-receive-pack"),
        ),
        (&format!("url.{ext}.insteadOf"), remote.to_string()),
        ("core.fsmonitor", touch.clone()),
        ("core.sshCommand", touch.clone()),
        ("core.hooksPath", elsewhere.display().to_string()),
        ("protocol.ext.allow", "always".to_string()),
        ("include.path", included.display().to_string()),
    ] {
        let file = cache.join("config");
        git(
            ana.dir(),
            &["config", "--file", file.to_str().unwrap(), key, &value],
        );
    }
    log_one(ana, "Synced through a config full of commands");
    let said = ana.ok_stderr(&["sync"]);
    assert!(said.contains("sent 1 added"), "{said}");
    assert!(
        !marker.exists(),
        "commands ran: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    // The configuration is lookout's again: none of those keys is left.
    let config = std::fs::read_to_string(cache.join("config")).unwrap();
    for key in [
        "uploadpack",
        "receivepack",
        "insteadOf",
        "fsmonitor",
        "hooksPath",
        "include",
    ] {
        assert!(!config.contains(key), "{key} left in:\n{config}");
    }
    let said = ben.ok_stderr(&["sync"]);
    assert!(said.contains("received 1 added"), "{said}");
    team.assert_converged();
}

#[test]
fn an_ext_url_in_the_users_own_config_runs_nothing_either() {
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    let marker = ana.dir().join("ext ran");
    let global = ana.file(
        "global.gitconfig",
        &format!(
            "[protocol \"ext\"]\n\tallow = always\n[url \"ext::sh -c echo% ran% >>% {}\"]\n\tinsteadOf = {}\n",
            marker.display().to_string().replace(' ', "% "),
            team.remote()
        ),
    );
    log_one(ana, "Not through ext");
    let out = ana
        .std_cmd()
        .arg("sync")
        .env("GIT_CONFIG_GLOBAL", &global)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(74), "{}", stderr_of(&out));
    assert!(!marker.exists(), "the ext:: transport ran");
}

#[test]
fn the_stale_lock_sweep_never_follows_a_symbolic_link() {
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    let cache = cache_of(ana);
    let project = ana.dir().join("project");
    std::fs::create_dir_all(project.join("deeper")).unwrap();
    std::fs::write(project.join("Cargo.lock"), "# keep me\n").unwrap();
    std::fs::write(project.join("deeper/yarn.lock"), "# keep me\n").unwrap();
    std::os::unix::fs::symlink(&project, cache.join("project")).unwrap();
    std::os::unix::fs::symlink(&project, cache.join("refs/project")).unwrap();
    std::os::unix::fs::symlink(project.join("Cargo.lock"), cache.join("packed-refs.lock")).unwrap();
    // Two links that lead back: a walk that followed them would never end.
    std::os::unix::fs::symlink(".", cache.join("here")).unwrap();
    std::fs::create_dir_all(cache.join("info")).unwrap();
    std::os::unix::fs::symlink("..", cache.join("info/up")).unwrap();
    // Among the refs git itself would follow them; the sweep deletes the links.
    std::os::unix::fs::symlink(".", cache.join("refs/here")).unwrap();
    std::os::unix::fs::symlink("..", cache.join("refs/heads/up")).unwrap();
    // A stale lock of git's own is still cleared.
    std::fs::write(cache.join("refs/remotes/origin/main.lock"), "").unwrap();
    log_one(ana, "Past the links");
    let child = ana
        .std_cmd()
        .arg("sync")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = wait_at_most(child, Duration::from_secs(60));
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("sent 1 added"),
        "{}",
        stderr_of(&out)
    );
    assert_eq!(
        std::fs::read_to_string(project.join("Cargo.lock")).unwrap(),
        "# keep me\n"
    );
    assert!(project.join("deeper/yarn.lock").exists());
    assert!(!cache.join("refs/remotes/origin/main.lock").exists());
}

#[test]
fn the_sync_cache_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    let cache = cache_of(ana);
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&cache), 0o700, "made private");
    std::fs::set_permissions(&cache, std::fs::Permissions::from_mode(0o755)).unwrap();
    ana.ok_stderr(&["sync"]);
    assert_eq!(mode(&cache), 0o700, "tightened when found looser");
}

#[test]
fn a_remote_that_never_answers_is_given_up_after_the_timeout() {
    if !have("git") {
        return;
    }
    // Accepts every connection and never says a word.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let env = TestEnv::seeded();
    let remote = format!("git://127.0.0.1:{port}/tracker.git");
    let started = Instant::now();
    let stderr = env.refused(
        &["sync", &remote, "--timeout", "2"],
        74,
        &format!("fetching from {remote}: gave up after 2 seconds without an answer (--timeout 2)"),
    );
    assert!(stderr.contains("--timeout SECS"), "{stderr}");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(15), "gave up after {took:?}");
    #[cfg(target_os = "linux")]
    assert_no_git_left(&cache_of(&env), Duration::from_secs(5));
}

#[test]
fn a_lock_left_in_the_shared_repository_is_named_with_its_age() {
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    for lock in ["refs/heads/main.lock", "HEAD.lock"] {
        let path = team.remote.join(lock);
        let file = std::fs::File::create(&path).unwrap();
        let made = file.metadata().unwrap().modified().unwrap();
        file.set_modified(made - Duration::from_secs(5 * 60 + 10))
            .unwrap();
        log_one(ana, &format!("Blocked by {lock}"));
        let stderr = ana.refused(
            &["sync"],
            74,
            &format!(
                "pushing to {}: {} is locked: {} was made 5 minutes ago",
                team.remote(),
                team.remote(),
                path.display()
            ),
        );
        assert!(
            stderr.contains(&format!(
                "if no sync (or other git command) is running on that repository, delete {}",
                path.display()
            )),
            "{stderr}"
        );
        std::fs::remove_file(&path).unwrap();
        let said = ana.ok_stderr(&["sync"]);
        assert!(said.contains("sent 1 added"), "{said}");
    }
}

#[test]
fn a_maintenance_lock_left_in_the_shared_repository_is_named_with_its_age() {
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    // Git at work holds it for seconds: a young one is not named.
    let path = team.remote.join("objects/maintenance.lock");
    let file = std::fs::File::create(&path).unwrap();
    log_one(ana, "While git maintains");
    let said = ana.ok_stderr(&["sync"]);
    assert!(!said.contains("maintenance.lock"), "{said}");
    // Left by a killed git, it stops the maintenance and no command: named
    // at every sync, with how to clear it, and the sync still goes through.
    let made = file.metadata().unwrap().modified().unwrap();
    file.set_modified(made - Duration::from_secs(3 * 60 * 60 + 10))
        .unwrap();
    log_one(ana, "Unpacked for hours");
    let said = ana.ok_stderr(&["sync"]);
    assert!(
        said.contains(&format!(
            "{} was made 3 hours ago: git skips the shared repository's maintenance",
            path.display()
        )),
        "{said}"
    );
    assert!(
        said.contains("if no git command is running on that repository, delete it"),
        "{said}"
    );
    assert!(said.contains("sent 1 added"), "{said}");
    std::fs::remove_file(&path).unwrap();
    let said = ana.ok_stderr(&["sync"]);
    assert!(!said.contains("maintenance.lock"), "{said}");
}

#[test]
#[cfg(target_os = "linux")]
fn a_sync_killed_at_random_moments_leaves_no_lock_in_the_shared_repository() {
    use std::os::unix::process::CommandExt;
    let Some(team) = Team::new(1) else { return };
    let ana = &team.members[0];
    ana.ok_with(
        &[
            "import",
            &crate::env::fixture("watch-items.csv"),
            &crate::env::fixture("developments.csv"),
        ],
        SEED_IMPORTED,
    );
    ana.ok_stderr(&["sync", team.remote()]);
    let cache = cache_of(ana);
    // Moments that differ from run to run, without a clock.
    let mut seed = std::process::id() | 1;
    for round in 0..20 {
        log_one(ana, &format!("Killed round {round}"));
        // As a terminal or a supervisor ends a job: SIGKILL to its whole
        // process group, which was git's too.
        let child = ana
            .std_cmd()
            .arg("sync")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        std::thread::sleep(Duration::from_millis(u64::from(seed % 120)));
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .status();
        let _ = wait_at_most(child, Duration::from_secs(10));
    }
    assert_no_git_left(&cache, Duration::from_secs(5));
    // Longer than the guard waits between TERM and KILL.
    let locks = no_locks_left_in(&team.remote, Duration::from_secs(12));
    // What a lock left holds (the commit it was to point at) and its age
    // tell which round left it.
    let described: Vec<String> = locks
        .iter()
        .map(|lock| {
            let age = std::fs::metadata(lock)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok());
            let held = std::fs::read_to_string(lock).unwrap_or_default();
            format!(
                "{} (made {age:?} ago, holding {:?})",
                lock.display(),
                held.trim()
            )
        })
        .collect();
    // And whether a process still works there (receive-pack's directory is
    // the shared repository), alive past its TERM.
    let working: Vec<String> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter(|p| {
            std::fs::read_link(p.path().join("cwd")).is_ok_and(|cwd| cwd.starts_with(&team.remote))
        })
        .map(|p| {
            let comm = std::fs::read_to_string(p.path().join("comm")).unwrap_or_default();
            format!("{} {}", p.file_name().to_string_lossy(), comm.trim())
        })
        .collect();
    assert!(
        locks.is_empty(),
        "left in the shared repository: {described:?}; processes working there: {working:?}"
    );
    // The last killed sync may have finished before its kill.
    let said = ana.ok_stderr(&["sync"]);
    assert!(
        said.contains("synced with") || said.contains("already in step with"),
        "{said}"
    );
    assert_eq!(locks_in(&team.remote), Vec::<PathBuf>::new());
}

/// A directory holding a `git` that is the real one, but for a push: that
/// runs to the end, then kills the lookout that pushed (SIGKILL), as a
/// kill right after the push landed would. Put it first on lookout's PATH.
/// (A path remote's hooks no longer run, so a test cannot use one to do
/// this; and git finds its own receive-pack before any on the PATH.)
#[cfg(target_os = "linux")]
pub fn git_that_kills_lookout_after_its_push(dir: &Path) -> std::ffi::OsString {
    let found = std::process::Command::new("sh")
        .args(["-c", "command -v git"])
        .output()
        .unwrap();
    let real = String::from_utf8(found.stdout).unwrap().trim().to_string();
    script(
        &dir.join("git"),
        &format!(
            "for a in \"$@\"; do\n  \
             if [ \"$a\" = push ]; then\n    \
               '{real}' \"$@\"; status=$?\n    \
               p=$PPID\n    \
               while [ \"$p\" -gt 1 ]; do\n      \
                 if [ \"$(cat /proc/$p/comm)\" = lookout ]; then kill -9 $p; exit $status; fi\n      \
                 p=$(awk '{{print $4}}' /proc/$p/stat)\n    \
               done\n    \
               exit $status\n  \
             fi\n\
             done\n\
             exec '{real}' \"$@\""
        ),
    );
    let mut path = dir.as_os_str().to_owned();
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    path
}

#[test]
#[cfg(target_os = "linux")]
fn a_sync_killed_once_its_push_landed_leaves_no_lock_and_the_next_completes_it() {
    let Some(team) = seeded_team(1) else { return };
    let ana = &team.members[0];
    let before = team.commits();
    log_one(ana, "Pushed, then killed");
    let wrapper = ana.dir().join("killing git");
    let path = git_that_kills_lookout_after_its_push(&wrapper);
    let out = ana
        .std_cmd()
        .arg("sync")
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), None, "not killed: {}", stderr_of(&out));
    assert_eq!(team.commits(), before + 1, "the push landed");
    assert_no_git_left(&cache_of(ana), Duration::from_secs(5));
    assert_eq!(locks_in(&team.remote), Vec::<PathBuf>::new());
    // The next sync takes what the killed one pushed as agreed.
    ana.ok_stderr(&["sync"]);
    assert_eq!(team.commits(), before + 1, "nothing more to push");
    assert_eq!(
        ana.ok(&["export"]).matches("Pushed, then killed").count(),
        1
    );
}
