//! Where results are written: never over the store, and into whatever the
//! destination is, as that kind of file expects.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

use crate::env::{TestEnv, is_root, stderr_of, stdout_of};

#[test]
fn output_and_rejects_never_overwrite_the_store_or_its_files() {
    let env = TestEnv::seeded();
    let dir = env.dir();
    std::os::unix::fs::symlink(env.db(), dir.join("link.db")).unwrap();
    fs::hard_link(env.db(), dir.join("hard.db")).unwrap();
    std::os::unix::fs::symlink(dir.join("tracker.db-wal"), dir.join("dangling")).unwrap();
    let bytes = fs::read(env.db()).unwrap();
    for target in [
        "tracker.db",
        "./tracker.db",
        "link.db",
        "hard.db",
        "tracker.db-wal",
        "tracker.db-shm",
        "tracker.db-journal",
        "dangling",
    ] {
        for args in [
            vec!["status", "--output", target],
            vec!["export", "--output", target],
            vec!["timeline", "--format", "csv", "--output", target],
            vec!["watch", "show", "intl-ai-org", "--output", target],
        ] {
            let stderr = env.refused(&args, 65, "writing there would destroy the store");
            assert!(stderr.contains("nothing was written"), "{stderr}");
        }
        env.refused(
            &["backup", target],
            65,
            "writing there would destroy the store",
        );
    }
    let input = env.file("in.csv", "date,kind,watch,headline\n2025-13,other,x,bad\n");
    for target in ["tracker.db", "link.db", "tracker.db-wal"] {
        env.refused(
            &["import", &input, "--skip-invalid", "--rejects", target],
            65,
            "writing there would destroy the store",
        );
    }
    assert_eq!(fs::read(env.db()).unwrap(), bytes);
    assert!(!dir.join("tracker.db-journal").exists());
    assert!(env.ok(&["check"]).starts_with("ok: "));
}

#[test]
fn output_follows_links_keeps_mode_and_hard_links_and_writes_through_to_devices() {
    let env = TestEnv::seeded();
    let dir = env.dir();
    let file = dir.join("report.txt");
    fs::write(&file, "old").unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    fs::hard_link(&file, dir.join("other-name.txt")).unwrap();
    std::os::unix::fs::symlink(&file, dir.join("link.txt")).unwrap();
    env.ok_with(
        &["status", "--as-of", "2025-08-01", "--output", "link.txt"],
        "wrote the status report to link.txt",
    );
    // The link is still a link, the file it names has the report, keeps its
    // mode, and its other name sees the same bytes.
    assert!(
        fs::symlink_metadata(dir.join("link.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let report = fs::read_to_string(&file).unwrap();
    assert!(report.starts_with("Status as of 2025-08-01"), "{report}");
    assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o640);
    assert_eq!(
        fs::read_to_string(dir.join("other-name.txt")).unwrap(),
        report
    );
    assert_eq!(fs::metadata(&file).unwrap().nlink(), 2);

    // A new file gets the mode a shell redirection would give it (umask).
    env.ok_with(
        &["export", "--output", "new.jsonl"],
        "exported 8 developments to new.jsonl",
    );
    let mode = fs::metadata(dir.join("new.jsonl")).unwrap().mode() & 0o777;
    assert_eq!(mode & 0o600, 0o600, "{mode:o}");

    // stdout by name is stdout.
    let out = env.run(&["status", "--as-of", "2025-08-01", "--output", "/dev/stdout"]);
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(stdout_of(&out).starts_with("Status as of 2025-08-01"));

    // A FIFO's reader gets the report, and the FIFO stays a FIFO.
    let fifo = dir.join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    env.ok_with(
        &["status", "--as-of", "2025-08-01", "--output", "pipe"],
        "wrote the status report to pipe",
    );
    assert!(
        reader
            .join()
            .unwrap()
            .starts_with("Status as of 2025-08-01")
    );
    assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo());

    // A character device stays one: root's own null device, else /dev/null.
    let device = if is_root() {
        let node = dir.join("null");
        let made = std::process::Command::new("mknod")
            .arg(&node)
            .args(["c", "1", "3"])
            .status()
            .unwrap();
        assert!(made.success());
        node
    } else {
        "/dev/null".into()
    };
    env.ok_with(
        &["export", "--output", device.to_str().unwrap()],
        &format!("exported 8 developments to {}", device.display()),
    );
    assert!(fs::metadata(&device).unwrap().file_type().is_char_device());
}

#[test]
fn temporary_files_a_killed_output_or_backup_left_are_removed_by_the_next() {
    let env = TestEnv::seeded();
    let dir = env.dir();
    let orphans = [
        dir.join(".lookout-tmp-output-Ab12Cd"),
        dir.join(".lookout-tmp-backup-Zz99yy"),
    ];
    for orphan in &orphans {
        fs::write(orphan, "left behind by a killed run").unwrap();
    }
    // One that a living run holds (its lock) stays.
    let held_path = dir.join(".lookout-tmp-output-Held01");
    let held = fs::File::create(&held_path).unwrap();
    held.lock().unwrap();
    // Not ours, though it looks close: stays.
    let lookalike = dir.join(".lookout-tmp-notes.db");
    fs::write(&lookalike, "a user's file").unwrap();

    env.ok_with(
        &["export", "--output", "tracker.jsonl"],
        "exported 8 developments to tracker.jsonl",
    );
    for orphan in &orphans {
        assert!(!orphan.exists(), "{} is still there", orphan.display());
    }
    assert!(held_path.exists() && lookalike.exists());

    fs::write(&orphans[1], "left behind by a killed backup").unwrap();
    env.ok_with(
        &["backup", "copy.db"],
        &format!("backed up {} to copy.db", env.db().display()),
    );
    assert!(!orphans[1].exists());
    let left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".lookout-tmp-") && name != ".lookout-tmp-notes.db")
        .collect();
    assert_eq!(left, [".lookout-tmp-output-Held01"]);
}

#[test]
fn output_into_a_writable_file_in_a_directory_this_user_cannot_write_is_written() {
    let env = TestEnv::seeded();
    let work = tempfile::tempdir().unwrap();
    let Some(runner) = crate::env::unprivileged(work.path()) else {
        return;
    };
    let db = work.path().join("tracker.db");
    fs::copy(env.folded_db(), &db).unwrap();
    fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).unwrap();
    let locked = work.path().join("locked");
    fs::create_dir(&locked).unwrap();
    let report = locked.join("report.txt");
    fs::write(&report, "old").unwrap();
    fs::set_permissions(&report, fs::Permissions::from_mode(0o666)).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let out = std::process::Command::new(&runner[0])
        .args(&runner[1..])
        .arg("--db")
        .arg(&db)
        .args(["status", "--as-of", "2025-08-01", "--output"])
        .arg(&report)
        .output()
        .unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        fs::read_to_string(&report)
            .unwrap()
            .starts_with("Status as of 2025-08-01")
    );
    assert_eq!(fs::read_dir(&locked).unwrap().count(), 1);
}
