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
    assert!(ana_cache.history_holds(&base, &ben_merged).unwrap());
    assert!(ana_cache.history_holds(&ana_next, &ben_merged).unwrap());
    assert!(ana_cache.history_holds(&ben_merged, &ben_merged).unwrap());
    assert!(!ana_cache.history_holds(&ben_merged, &base).unwrap());
    // Ben's stale commit never reached the remote, so Ana's cache has never seen it.
    assert!(ben_cache.has_commit(&ben_stale).unwrap());
    assert!(!ana_cache.has_commit(&ben_stale).unwrap());
    assert!(!ana_cache.history_holds(&ben_stale, &ben_merged).unwrap());
    assert!(!ben_cache.history_holds(&ben_stale, &ben_merged).unwrap());
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
