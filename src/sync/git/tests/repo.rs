//! The cache against real git repositories: a shared remote and two analysts.

use super::*;

#[test]
fn a_cache_is_made_once_and_reopened() {
    require_git!();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a b ü/sync.git");
    let repo = GitRepo::open_or_init(&path).unwrap();
    assert!(looks_like_repository(&path));
    assert_eq!(repo.remote_url().unwrap(), None);
    repo.set_remote("https://example.org/t.git").unwrap();
    // No temporary directory is left beside it, and no hooks inside it.
    let beside: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
    assert_eq!(beside.len(), 1);
    assert!(!path.join("hooks").exists());

    let again = GitRepo::open_or_init(&path).unwrap();
    assert_eq!(
        again.remote_url().unwrap().as_deref(),
        Some("https://example.org/t.git")
    );
    again.set_remote("git@example.org:team/t.git").unwrap();
    assert_eq!(
        again.remote_url().unwrap().as_deref(),
        Some("git@example.org:team/t.git")
    );

    // An empty directory is taken; a directory with something else in it is not.
    let empty = dir.path().join("empty.git");
    fs::create_dir(&empty).unwrap();
    GitRepo::open_or_init(&empty).unwrap();
    assert!(looks_like_repository(&empty));
    let full = dir.path().join("full.git");
    fs::create_dir(&full).unwrap();
    fs::write(full.join("notes.txt"), "mine").unwrap();
    let err = GitRepo::open_or_init(&full).unwrap_err();
    assert!(
        err.message()
            .ends_with("full.git exists but is not a git repository"),
        "{err}"
    );
}

#[test]
fn fetching_an_empty_remote_finds_no_main() {
    require_git!();
    let team = Team::new();
    assert_eq!(team.analyst("ana").fetch().unwrap(), None);
}

#[test]
fn what_one_analyst_pushes_the_other_fetches_and_reads() {
    require_git!();
    let team = Team::new();
    let (ana_cache, ben_cache) = (team.analyst("ana"), team.analyst("ben"));

    let first = ana_cache
        .commit(
            None,
            &[
                put("tracker.jsonl", "{\"type\":\"kind\"}\n"),
                put("developments/ab.jsonl", "one\n"),
                put("developments/cd.jsonl", "two\n"),
                put("odd names/ü \"q\" \\.jsonl", "three\n"),
            ],
            &ana(),
            1_754_000_000,
            "lookout sync: first",
        )
        .unwrap();
    assert_eq!(ana_cache.push(&first).unwrap(), PushOutcome::Pushed);

    assert_eq!(ben_cache.fetch().unwrap(), Some(first.clone()));
    assert_eq!(
        contents(&ben_cache, &first),
        [
            ("developments/ab.jsonl".to_owned(), "one\n".to_owned()),
            ("developments/cd.jsonl".to_owned(), "two\n".to_owned()),
            (
                "odd names/ü \"q\" \\.jsonl".to_owned(),
                "three\n".to_owned()
            ),
            (
                "tracker.jsonl".to_owned(),
                "{\"type\":\"kind\"}\n".to_owned()
            ),
        ]
    );

    // A change on the fetched commit: one file rewritten, one deleted, one added.
    let second = ben_cache
        .commit(
            Some(&first),
            &[
                put("developments/ab.jsonl", "one, edited\n"),
                delete("developments/cd.jsonl"),
                put("developments/ef.jsonl", ""),
            ],
            &ana(),
            1_754_000_100,
            "lookout sync: second",
        )
        .unwrap();
    assert_eq!(ben_cache.push(&second).unwrap(), PushOutcome::Pushed);
    assert_eq!(ana_cache.fetch().unwrap(), Some(second.clone()));
    let files: Vec<_> = contents(&ana_cache, &second);
    assert_eq!(
        files,
        [
            (
                "developments/ab.jsonl".to_owned(),
                "one, edited\n".to_owned()
            ),
            ("developments/ef.jsonl".to_owned(), String::new()),
            (
                "odd names/ü \"q\" \\.jsonl".to_owned(),
                "three\n".to_owned()
            ),
            (
                "tracker.jsonl".to_owned(),
                "{\"type\":\"kind\"}\n".to_owned()
            ),
        ]
    );
    assert_eq!(
        raw_git(
            &ana_cache,
            &["log", "--format=%P|%s", "-1", second.as_str()]
        ),
        format!("{first}|lookout sync: second\n")
    );
    // The commit touches no ref but lookout's own, and the remote's tracking ref.
    assert_eq!(
        raw_git(&ben_cache, &["for-each-ref", "--format=%(refname)"]),
        "refs/lookout/pending\nrefs/remotes/origin/main\n"
    );
}

#[test]
fn a_push_from_a_stale_parent_is_rejected_until_it_builds_on_the_new_head() {
    require_git!();
    let team = Team::new();
    let (ana_cache, ben_cache) = (team.analyst("ana"), team.analyst("ben"));
    let base = ana_cache
        .commit(
            None,
            &[put("developments/ab.jsonl", "base\n")],
            &ana(),
            1,
            "base",
        )
        .unwrap();
    assert_eq!(ana_cache.push(&base).unwrap(), PushOutcome::Pushed);
    assert_eq!(ben_cache.fetch().unwrap(), Some(base.clone()));

    let ana_next = ana_cache
        .commit(
            Some(&base),
            &[put("developments/ab.jsonl", "ana\n")],
            &ana(),
            2,
            "ana",
        )
        .unwrap();
    assert_eq!(ana_cache.push(&ana_next).unwrap(), PushOutcome::Pushed);

    // Ben has not seen Ana's commit: "(fetch first)".
    let ben_stale = ben_cache
        .commit(
            Some(&base),
            &[put("developments/cd.jsonl", "ben\n")],
            &ana(),
            3,
            "ben",
        )
        .unwrap();
    assert_eq!(ben_cache.push(&ben_stale).unwrap(), PushOutcome::Rejected);
    // He has now, but his commit still does not build on it: "(non-fast-forward)".
    assert_eq!(ben_cache.fetch().unwrap(), Some(ana_next.clone()));
    assert_eq!(ben_cache.push(&ben_stale).unwrap(), PushOutcome::Rejected);

    let ben_merged = ben_cache
        .commit(
            Some(&ana_next),
            &[put("developments/cd.jsonl", "ben\n")],
            &ana(),
            4,
            "ben",
        )
        .unwrap();
    assert_eq!(ben_cache.push(&ben_merged).unwrap(), PushOutcome::Pushed);

    assert_eq!(ana_cache.fetch().unwrap(), Some(ben_merged.clone()));
    assert!(ana_cache.is_ancestor(&base, &ben_merged).unwrap());
    assert!(ana_cache.is_ancestor(&ana_next, &ben_merged).unwrap());
    assert!(ana_cache.is_ancestor(&ben_merged, &ben_merged).unwrap());
    assert!(!ana_cache.is_ancestor(&ben_merged, &base).unwrap());
    // Ben's stale commit never reached the remote, so Ana's cache has never seen it.
    assert!(ben_cache.has_commit(&ben_stale).unwrap());
    assert!(!ana_cache.has_commit(&ben_stale).unwrap());
    assert!(!ana_cache.is_ancestor(&ben_stale, &ben_merged).unwrap());
    assert!(!ben_cache.is_ancestor(&ben_stale, &ben_merged).unwrap());
    // A tree is not a commit.
    let tree: Oid = raw_git(&ana_cache, &["rev-parse", &format!("{base}^{{tree}}")])
        .trim()
        .parse()
        .unwrap();
    assert!(!ana_cache.has_commit(&tree).unwrap());
}

#[test]
fn an_unreachable_remote_is_an_io_error_naming_it() {
    require_git!();
    let dir = tempfile::tempdir().unwrap();
    let repo = GitRepo::open_or_init(&dir.path().join("sync.git")).unwrap();
    let missing = dir.path().join("no such remote.git");
    repo.set_remote(missing.to_str().unwrap()).unwrap();
    let err = repo.fetch().unwrap_err();
    assert_eq!(err.code(), crate::error::Code::Io);
    let shown = missing.display().to_string();
    assert!(
        err.message()
            .starts_with(&format!("fetching from {shown}: ")),
        "{err}"
    );
    assert!(
        err.message()
            .contains("does not appear to be a git repository"),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("git ls-remote"));

    let commit = repo.commit(None, &[put("a", "a")], &ana(), 1, "m").unwrap();
    let err = repo.push(&commit).unwrap_err();
    assert_eq!(err.code(), crate::error::Code::Io);
    assert!(
        err.message().starts_with(&format!("pushing to {shown}: ")),
        "{err}"
    );

    // A directory that exists but is not a repository.
    let plain = dir.path().join("plain");
    fs::create_dir(&plain).unwrap();
    repo.set_remote(plain.to_str().unwrap()).unwrap();
    let err = repo.fetch().unwrap_err();
    assert!(
        err.message()
            .contains("does not appear to be a git repository"),
        "{err}"
    );
}

#[test]
fn fetch_and_push_need_a_remote() {
    require_git!();
    let dir = tempfile::tempdir().unwrap();
    let repo = GitRepo::open_or_init(&dir.path().join("sync.git")).unwrap();
    let err = repo.fetch().unwrap_err();
    assert!(
        err.message().ends_with("sync.git: no remote is set"),
        "{err}"
    );
    assert!(err.hint().unwrap().contains("lookout sync REMOTE"));
}

#[test]
fn the_author_is_kept_as_given_even_when_not_ascii() {
    require_git!();
    let team = Team::new();
    let cache = team.analyst("zoë");
    let who = Identity {
        name: "Zoë Ångström-李".into(),
        email: "zoë@exämple.org".into(),
    };
    let commit = cache
        .commit(
            None,
            &[put("a.jsonl", "x\n")],
            &who,
            1_754_006_400,
            "Zusammenführung ✓",
        )
        .unwrap();
    assert_eq!(
        raw_git(
            &cache,
            &[
                "log",
                "-1",
                "--format=%an|%ae|%at|%cn|%ce|%ct|%s",
                commit.as_str()
            ]
        ),
        "Zoë Ångström-李|zoë@exämple.org|1754006400|Zoë Ångström-李|zoë@exämple.org|1754006400|Zusammenführung ✓\n"
    );
    let bad = Identity {
        name: "Ana <x>".into(),
        email: "a@b".into(),
    };
    let err = cache.commit(None, &[], &bad, 1, "m").unwrap_err();
    assert_eq!(err.code(), crate::error::Code::Data);
    assert!(
        cache
            .commit(None, &[put("../a", "x")], &ana(), 1, "m")
            .is_err()
    );
    assert!(cache.commit(None, &[], &ana(), -1, "m").is_err());
    // A parent the cache does not have.
    let unknown: Oid = "1".repeat(40).parse().unwrap();
    let err = cache
        .commit(Some(&unknown), &[], &ana(), 1, "m")
        .unwrap_err();
    assert_eq!(err.code(), crate::error::Code::Io);
    assert_eq!(
        err.message(),
        format!("making a commit: Not a valid commit: {unknown}")
    );
    let litter: Vec<_> = fs::read_dir(cache.git_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("fast_import_crash"))
        .collect();
    assert_eq!(litter, Vec::<String>::new());
}

#[test]
fn without_git_there_is_no_configured_identity() {
    let git = Git {
        program: OsString::from("lookout-test-no-such-git"),
        env: Vec::new(),
    };
    assert_eq!(configured_identity_with(&git).unwrap(), None);
}

#[test]
fn the_configured_identity_comes_from_the_global_git_config() {
    require_git!();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("gitconfig");
    let with_config = Git {
        program: OsString::from("git"),
        env: vec![("GIT_CONFIG_GLOBAL".into(), config.clone().into())],
    };
    fs::write(&config, "").unwrap();
    assert_eq!(configured_identity_with(&with_config).unwrap(), None);

    // Identity is often kept in an included file.
    let included = dir.path().join("identity");
    fs::write(
        &included,
        "[user]\n\tname = Zoë Ångström\n\temail = zoe@example.org\n",
    )
    .unwrap();
    fs::write(
        &config,
        format!("[include]\n\tpath = {}\n", included.display()),
    )
    .unwrap();
    assert_eq!(
        configured_identity_with(&with_config).unwrap(),
        Some(Identity {
            name: "Zoë Ångström".into(),
            email: "zoe@example.org".into(),
        })
    );
}

#[test]
fn reading_blobs_stops_at_the_callers_error_and_at_a_missing_blob() {
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

    let mut seen = 0;
    let err = cache
        .read_blobs(&blobs, |i, _| {
            seen += 1;
            if i == 3 {
                Err(Error::data("enough"))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert_eq!((err.message(), seen), ("enough", 4));

    let missing: Oid = "1".repeat(40).parse().unwrap();
    let err = cache
        .read_blobs(&[blobs[0].clone(), missing.clone()], |_, _| Ok(()))
        .unwrap_err();
    assert_eq!(
        err.message(),
        format!("reading blob {missing}: not in the sync cache")
    );
    cache
        .read_blobs(&[], |_, _| panic!("nothing to read"))
        .unwrap();

    // A panic in the caller's function ends the read too, rather than
    // leaving git and the writer blocked on full pipes.
    let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        cache.read_blobs(&blobs, |i, _| {
            assert!(i < 3, "a bug in the caller");
            Ok(())
        })
    }));
    assert!(panicked.is_err());
}

#[test]
#[cfg(unix)]
fn a_push_that_loses_the_race_on_the_remote_is_rejected_too() {
    require_git!();
    let team = Team::new();
    let cache = team.analyst("ana");
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
#[cfg(unix)]
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
fn a_commit_stream_cut_short_commits_nothing() {
    require_git!();
    let team = Team::new();
    let cache = team.analyst("ana");
    let first = cache
        .commit(None, &[put("a", "a")], &ana(), 1, "m")
        .unwrap();
    // What a writer that died half-way would leave: no `done`.
    let mut stream = Vec::new();
    write_import(&mut stream, Some(&first), &[put("b", "b")], &ana(), 2, "m").unwrap();
    stream.truncate(stream.len() - "done\n".len());
    let mut cmd = cache.command();
    cmd.args(["fast-import", "--quiet", "--force"]);
    let (out, pid) = cache
        .git
        .output_with_input(&mut cmd, |w| w.write_all(&stream))
        .unwrap();
    assert!(!out.status.success());
    let _ = fs::remove_file(cache.git_dir().join(format!("fast_import_crash_{pid}")));
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

    let blobs: Vec<Oid> = files.iter().map(|f| f.blob.clone()).collect();
    let (mut bytes, mut v2) = (0, 0);
    let started = Instant::now();
    cache
        .read_blobs(&blobs, |_, contents| {
            bytes += contents.len();
            // The version sits in the first record, right after the 8-digit id.
            v2 += usize::from(contents.get(50..52) == Some(b"v2".as_slice()));
            Ok(())
        })
        .unwrap();
    eprintln!(
        "read_blobs of {} blobs ({bytes} bytes): {:?}",
        blobs.len(),
        started.elapsed()
    );
    assert_eq!(v2, 250);

    let started = Instant::now();
    assert_eq!(cache.push(&next).unwrap(), PushOutcome::Pushed);
    eprintln!("push of both commits: {:?}", started.elapsed());
}
