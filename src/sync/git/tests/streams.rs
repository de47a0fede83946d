//! The cache against real git: reading blobs, races on the remote, hostile
//! configuration, cut-short streams and large trees.

use super::*;

#[test]
fn a_blob_reader_reads_blob_after_blob_and_names_a_missing_one() {
    require_git!();
    let team = Team::new();
    let cache = team.analyst("ana");
    let changes: Vec<_> = (0..200)
        .map(|i| {
            put(
                &format!("developments/{i:03}.jsonl"),
                &"x".repeat(10_000 + i),
            )
        })
        .collect();
    let commit = cache.commit(None, &changes, &ana(), 1, "m").unwrap();
    let blobs: Vec<Oid> = cache
        .tree_files(&commit)
        .unwrap()
        .into_iter()
        .map(|f| f.blob)
        .collect();

    let mut reader = cache.blob_reader().unwrap();
    for (i, blob) in blobs.iter().enumerate() {
        assert_eq!(reader.read(blob).unwrap().len(), 10_000 + i);
    }
    // A missing blob is named, and the reader goes on answering.
    let missing: Oid = "1".repeat(40).parse().unwrap();
    let err = reader.read(&missing).unwrap_err();
    assert_eq!(
        err.message(),
        format!("reading blob {missing}: not in the sync cache")
    );
    assert_eq!(reader.read(&blobs[0]).unwrap().len(), 10_000);
}

#[test]
fn a_push_that_loses_the_race_on_the_remote_is_rejected_too() {
    require_git!();
    let team = Team::new();
    // A path remote's hooks never run (hooks_of_a_path_remote_never_run);
    // a server's do, as it
    // runs receive-pack itself. This git plays one: its receive-pack
    // drops lookout's settings (`-c` twice) that turn hooks off.
    let server = team.dir.path().join("server-git");
    script(
        &server,
        "if [ \"$5\" = receive-pack ]; then shift 5; exec git receive-pack \"$@\"; fi\nexec git \"$@\"",
    );
    let git = Git {
        program: server.into_os_string(),
        env: Vec::new(),
    };
    let cache = team.analyst_with(git, "ana");
    let base = cache
        .commit(None, &[put("a", "base")], &ana(), 1, "base")
        .unwrap();
    assert_eq!(cache.push(&base).unwrap(), PushOutcome::Pushed);
    let theirs = cache
        .commit(Some(&base), &[put("a", "theirs")], &ana(), 2, "theirs")
        .unwrap();
    let remote = team.remote.to_str().unwrap();
    raw_git(
        &cache,
        &["push", "-q", remote, &format!("{theirs}:refs/heads/other")],
    );
    // Another push lands while ours is being received: the remote's main
    // moves after our push passed the fast-forward check.
    let hook = team.remote.join("hooks/pre-receive");
    script(
        &hook,
        "unset GIT_QUARANTINE_PATH\ngit update-ref refs/heads/main refs/heads/other",
    );
    let ours = cache
        .commit(Some(&base), &[put("a", "ours")], &ana(), 3, "ours")
        .unwrap();
    assert_eq!(cache.push(&ours).unwrap(), PushOutcome::Rejected);

    // A hook that refuses outright is an error, with the remote's words.
    script(&hook, "echo 'main is frozen' >&2\nexit 1");
    assert_eq!(cache.fetch().unwrap(), Some(theirs.clone()));
    let next = cache
        .commit(Some(&theirs), &[put("a", "next")], &ana(), 4, "next")
        .unwrap();
    let err = cache.push(&next).unwrap_err();
    assert_eq!(err.code(), crate::error::Code::Io);
    assert_eq!(
        err.message(),
        format!(
            "pushing to {remote}: refs/heads/main [remote rejected] \
             (pre-receive hook declined): remote: main is frozen"
        )
    );

    fs::remove_file(&hook).unwrap();
    assert_eq!(cache.push(&next).unwrap(), PushOutcome::Pushed);
}

#[test]
fn the_users_global_git_config_changes_nothing() {
    require_git!();
    let team = Team::new();
    let dir = tempfile::tempdir().unwrap();
    // Hooks that fail in a cache: in the hooks path, and in the templates
    // a new repository copies. (The remote's receive-pack runs as the
    // user, with their global hooks: that is the remote's business.)
    let hooks = dir.path().join("hooks");
    let templates = dir.path().join("templates");
    let fail_in_cache = "case \"$GIT_DIR\" in *sync.git) exit 1;; esac";
    for hook in ["pre-push", "reference-transaction", "post-checkout"] {
        script(&hooks.join(hook), fail_in_cache);
    }
    script(
        &templates.join("hooks/reference-transaction"),
        fail_in_cache,
    );
    let config = dir.path().join("gitconfig");
    fs::write(
        &config,
        format!(
            "[core]\n\thooksPath = {}\n\tautocrlf = true\n\
             [init]\n\tdefaultBranch = master\n\ttemplateDir = {}\n\
             [safe]\n\tbareRepository = explicit\n\
             [commit]\n\tgpgSign = true\n\
             [push]\n\tgpgSign = true\n\tfollowTags = true\n\
             [color]\n\tui = always\n\
             [transfer]\n\tfsckObjects = true\n\
             [fetch]\n\tprune = true\n\trecurseSubmodules = true\n\
             [gc]\n\tauto = 1\n\tautoPackLimit = 1\n",
            hooks.display(),
            templates.display()
        ),
    )
    .unwrap();
    let git = Git {
        program: OsString::from("git"),
        env: vec![("GIT_CONFIG_GLOBAL".into(), config.into())],
    };
    let (ana_cache, ben_cache) = (
        team.analyst_with(git.clone(), "ana"),
        team.analyst_with(git, "ben"),
    );
    assert!(!ana_cache.git_dir().join("hooks").exists());
    assert_eq!(
        raw_git(&ana_cache, &["symbolic-ref", "HEAD"]),
        "refs/heads/main\n"
    );

    let crlf = "{\"a\":1}\r\n{\"b\":2}\n";
    let first = ana_cache
        .commit(
            None,
            &[put("developments/ab.jsonl", crlf)],
            &ana(),
            1,
            "first",
        )
        .unwrap();
    assert_eq!(ana_cache.push(&first).unwrap(), PushOutcome::Pushed);
    assert_eq!(ben_cache.fetch().unwrap(), Some(first.clone()));
    let second = ben_cache
        .commit(
            Some(&first),
            &[put("developments/cd.jsonl", "x\n")],
            &ana(),
            2,
            "second",
        )
        .unwrap();
    assert_eq!(ben_cache.push(&second).unwrap(), PushOutcome::Pushed);
    assert_eq!(ana_cache.fetch().unwrap(), Some(second.clone()));
    assert_eq!(
        contents(&ana_cache, &second),
        [
            ("developments/ab.jsonl".to_owned(), crlf.to_owned()),
            ("developments/cd.jsonl".to_owned(), "x\n".to_owned()),
        ]
    );
    let stale = ana_cache
        .commit(Some(&first), &[], &ana(), 3, "stale")
        .unwrap();
    assert_eq!(ana_cache.push(&stale).unwrap(), PushOutcome::Rejected);
}

#[test]
fn a_commit_whose_files_cannot_be_read_says_why_and_commits_nothing() {
    require_git!();
    let team = Team::new();
    let cache = team.analyst("ana");
    let first = cache
        .commit(None, &[put("a", "a")], &ana(), 1, "m")
        .unwrap();
    /// Files whose content cannot be read back (a spool gone bad).
    struct Unreadable;
    impl Files for Unreadable {
        fn paths(&self) -> Vec<&str> {
            vec!["b"]
        }
        fn each(&self, _: &mut EachFile<'_>) -> io::Result<()> {
            Err(io::Error::other("the spool could not be read"))
        }
    }
    let err = cache
        .commit_files(Some(&first), &Unreadable, &ana(), 2, "m")
        .unwrap_err();
    assert!(
        err.message().contains("the spool could not be read"),
        "{}",
        err.message()
    );
    assert_eq!(
        raw_git(&cache, &["rev-parse", PENDING_REF]).trim(),
        first.as_str()
    );
    let reports = fs::read_dir(cache.git_dir())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("fast_import_crash")
        })
        .count();
    assert_eq!(reports, 0, "a crash report was left in the cache");
}

#[test]
fn a_commit_stream_cut_short_commits_nothing() {
    require_git!();
    let team = Team::new();
    let cache = team.analyst("ana");
    let first = cache
        .commit(None, &[put("a", "a")], &ana(), 1, "m")
        .unwrap();
    // What a writer that died half-way would leave: no `done`.
    let mut stream = Vec::new();
    write_import(
        &mut stream,
        PENDING_REF,
        Some(&first),
        &Listed(&[put("b", "b")]),
        &ana(),
        2,
        "m",
    )
    .unwrap();
    stream.truncate(stream.len() - "done\n".len());
    let mut cmd = cache.command();
    cmd.args(["fast-import", "--quiet", "--force"]);
    let fed = cache
        .git
        .output_with_input(&mut cmd, |w| w.write_all(&stream))
        .unwrap();
    assert!(!fed.output.status.success());
    let _ = fs::remove_file(
        cache
            .git_dir()
            .join(format!("fast_import_crash_{}", fed.pid)),
    );
    assert_eq!(
        raw_git(&cache, &["rev-parse", PENDING_REF]).trim(),
        first.as_str()
    );
    // And the cache goes on working.
    let second = cache
        .commit(Some(&first), &[put("b", "b")], &ana(), 2, "m")
        .unwrap();
    assert_eq!(cache.push(&second).unwrap(), PushOutcome::Pushed);
    raw_git(&cache, &["fsck", "--no-progress"]);
}

#[test]
fn a_thousand_file_tree_takes_hundreds_of_changes_at_once() {
    require_git!();
    let team = Team::new();
    let cache = team.analyst("ana");
    // About 20 kB a file, as a split developments file of a busy tracker.
    let file = |i: usize, version: &str| {
        let line = format!(
            "{{\"type\":\"development\",\"id\":\"{i:08x}\",\"headline\":\"{version} something happened\"}}\n"
        );
        line.repeat(20_000 / line.len())
    };
    let all: Vec<_> = (0..1024)
        .map(|i| put(&format!("developments/{i:03x}.jsonl"), &file(i, "v1")))
        .collect();
    let started = Instant::now();
    let base = cache.commit(None, &all, &ana(), 1, "base").unwrap();
    eprintln!("commit of 1024 new files: {:?}", started.elapsed());

    let mut changes: Vec<_> = (0..250)
        .map(|i| put(&format!("developments/{:03x}.jsonl", i * 4), &file(i, "v2")))
        .collect();
    changes.extend((0..25).map(|i| delete(&format!("developments/{:03x}.jsonl", i * 4 + 1))));
    changes.extend((0..25).map(|i| put(&format!("developments/new-{i:02}.jsonl"), "n\n")));
    let started = Instant::now();
    let next = cache
        .commit(Some(&base), &changes, &ana(), 2, "300 changes")
        .unwrap();
    eprintln!(
        "commit of 300 changes onto 1024 files: {:?}",
        started.elapsed()
    );

    let started = Instant::now();
    let files = cache.tree_files(&next).unwrap();
    eprintln!(
        "tree_files of {} files: {:?}",
        files.len(),
        started.elapsed()
    );
    assert_eq!(files.len(), 1024 - 25 + 25);

    let (mut bytes, mut v2) = (0, 0);
    let started = Instant::now();
    let mut reader = cache.blob_reader().unwrap();
    for file in &files {
        let contents = reader.read(&file.blob).unwrap();
        bytes += contents.len();
        // The version sits in the first record, right after the 8-digit id.
        v2 += usize::from(contents.get(50..52) == Some(b"v2".as_slice()));
    }
    eprintln!(
        "reading {} blobs ({bytes} bytes) one by one: {:?}",
        files.len(),
        started.elapsed()
    );
    assert_eq!(v2, 250);

    let started = Instant::now();
    assert_eq!(cache.push(&next).unwrap(), PushOutcome::Pushed);
    eprintln!("push of both commits: {:?}", started.elapsed());
}
