#!/usr/bin/env python3
"""Benchmark lookout sync against git commit + git push by hand, in one run.

It generates a tracker of N developments over 50 watch items with
scripts/gen_bench_data.py (cached under target/bench/), imports it into store
A with the release build, creates an empty bare repository as the shared
tracker, and times, on the same machine and the same repository:

  first sync    A's first `lookout sync REMOTE` (fills the empty repository),
                then B's first sync from an empty store (once each), with
                each one's peak resident memory: lookout's own, and the
                largest of it and the git processes it ran
  steady sync   A logs one development against a watch item (not timed), then
                `lookout sync` (timed); repeated, median; with the size of the
                commit that sync pushed: how many files it changed and the
                bytes of those files as committed (`git cat-file -s`)
  by hand       in a clone of the same repository (with a work tree), append
                one line — the line sync wrote for that development — to the
                file it lives in (developments/<first two id chars>.jsonl),
                then `git commit -q -am …` and `git push -q` (timed together);
                median

--first-rounds N measures a first sync into an empty store against an import
of the same tracker, N rounds after A's first sync (each round, one after
the other, so that all see the same moment of a noisy machine): `lookout
import` of the generated CSVs into a new store; B's first sync into a new
store (and with --compare OTHER-BUILD, that build's too); `git clone --bare
--no-local` of the shared repository (git's own floor: the transfer and
unpacking a first sync's fetch does); and `git cat-file --batch-all-objects
--batch --unordered` of that clone (reading every object back once, in pack
order: in object-id order, git rebuilds the deltified blobs of a large
tracker again and again, 7× slower at a million). Medians, and ratios of
medians to the import.

The two steady-state loops are interleaved (sync, by hand, sync, …) so both
see the same machine. The clone commits on a branch of its own (`by-hand`),
so its commits never reach lookout's `main` and every sync merges only A's
own change. Everything lives under target/bench/sync/ and starts afresh each
run; git's system and global configuration are ignored, and the identities
come from LOOKOUT_AUTHOR and GIT_AUTHOR_*/GIT_COMMITTER_*.

    cargo build --release && scripts/bench_sync.py            # 100k, 11 runs
    scripts/bench_sync.py --lookout OTHER-BUILD               # another build of lookout
    scripts/bench_sync.py --size 10000 --runs 5               # quicker
    scripts/bench_sync.py --git-times                         # also: where sync's time goes
    scripts/bench_sync.py --shape text --runs 0 --first-rounds 5   # first sync B vs import
    scripts/bench_sync.py --shape text --runs 0 --first-rounds 5 --compare OLD-BUILD

--git-times runs the steady-state syncs with a `git` on the PATH that logs
each git command lookout starts and how long it took, and prints the median
per command beside the sync's own median.
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("LOOKOUT_BENCH_DIR") or os.path.join(ROOT, "target", "bench")
# LOOKOUT_BIN and LOOKOUT_BENCH_DIR let a smoke run (tests/cli/bench_scripts.rs) use
# the debug build and a directory of its own.
LOOKOUT = os.environ.get("LOOKOUT_BIN") or os.path.join(ROOT, "target", "release", "lookout")
AUTHOR = ("Bench Analyst", "bench@example.org")

# A shim for --git-times: logs "seconds subcommand" per git run lookout makes.
GIT_SHIM = """#!/bin/sh
start=$(date +%s%N)
"{git}" "$@"
status=$?
end=$(date +%s%N)
sub=""
for arg in "$@"; do
  case "$prev" in -c) prev=""; continue;; esac
  case "$arg" in -c) prev="-c";; -*) ;; *) sub="$arg"; break;; esac
done
echo "$((end - start)) $sub" >> "{log}"
exit $status
"""


def environment(shim_dir=None):
    env = dict(os.environ)
    for var in list(env):
        if var.startswith("GIT_") or var == "LOOKOUT_DB":
            del env[var]
    env.update({
        "LOOKOUT_AUTHOR": f"{AUTHOR[0]} <{AUTHOR[1]}>",
        "GIT_AUTHOR_NAME": AUTHOR[0], "GIT_AUTHOR_EMAIL": AUTHOR[1],
        "GIT_COMMITTER_NAME": AUTHOR[0], "GIT_COMMITTER_EMAIL": AUTHOR[1],
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
        "NO_COLOR": "1",
    })
    if shim_dir:
        env["PATH"] = shim_dir + os.pathsep + env["PATH"]
    return env


def run(args, env, cwd=None, capture=False):
    """Runs a command; returns (seconds, stdout text or None)."""
    start = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(args)}\n"
                 + proc.stderr.decode(errors="replace"))
    return elapsed, proc.stdout.decode() if capture else None


def high_water_mark(pid):
    """A running process's peak resident memory so far, in KiB (0 once gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(args, env):
    """Runs a command; returns (seconds, peak resident memory in MiB of lookout
    alone, and of lookout or any git process it ran, whichever was larger).
    lookout's own is read from /proc while it runs (every 10 ms; its
    high-water mark only grows, so the last reading is within 10 ms of the
    end); the other is what wait4 reports, which covers the children."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        own = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            own = max(own, high_water_mark(proc.pid))
            time.sleep(0.01)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            sys.exit(f"failed ({proc.returncode}): {' '.join(args)}\n"
                     + err.read().decode(errors="replace"))
    return elapsed, (own / 1024, usage.ru_maxrss / 1024)


def git(args, env, cwd=None):
    return run(["git"] + args, env, cwd=cwd, capture=True)[1].strip()


def data(n, items, shape="mixed"):
    out = os.path.join(BENCH_DIR, f"{n}x{items}" + ("-text" if shape == "text" else ""))
    if not os.path.exists(os.path.join(out, "developments.csv")):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        "--shape", shape, str(n), str(items), out], check=True)
    return os.path.join(out, "watch-items.csv"), os.path.join(out, "developments.csv")


def commit_size(remote, commit, env):
    """Files the commit changed against its parent, and their committed bytes."""
    paths = git(["--git-dir", remote, "diff-tree", "-r", "--no-commit-id", "--name-only",
                 commit], env).splitlines()
    size = 0
    for path in paths:
        # A deleted file has no blob in the commit; it adds no bytes.
        exists = subprocess.run(["git", "--git-dir", remote, "cat-file", "-e", f"{commit}:{path}"],
                                env=env, stderr=subprocess.DEVNULL).returncode == 0
        if exists:
            size += int(git(["--git-dir", remote, "cat-file", "-s", f"{commit}:{path}"], env))
    return len(paths), size


def record_line(remote, commit, path, dev_id, env):
    """The line sync wrote for a development, as it is in the shared tracker."""
    text = git(["--git-dir", remote, "cat-file", "blob", f"{commit}:{path}"], env)
    for line in text.splitlines():
        if f'"{dev_id}"' in line:
            return line
    sys.exit(f"development {dev_id} is not in {path} of {commit}")


def first_rounds(rounds, remote, watch, devs, compare, work, env):
    """Rounds of: import into a new store, B's first sync into a new store
    (this build, then --compare's), git clone --bare --no-local, and
    git cat-file --batch-all-objects --batch --unordered of the clone. Seconds of each,
    by name, one list per name."""
    builds = [("sync", LOOKOUT)] + ([("sync (compare)", compare)] if compare else [])
    times = {}
    for _ in range(rounds):
        for name in ["import"] + [name for name, _ in builds] + ["clone", "cat-file"]:
            store = os.path.join(work, "first.db")
            clone = os.path.join(work, "first-clone.git")
            for path in [store, store + ".sync", clone]:
                shutil.rmtree(path, ignore_errors=True)
            for suffix in ["", "-wal", "-shm"]:
                if os.path.exists(store + suffix) and not os.path.isdir(store + suffix):
                    os.remove(store + suffix)
            if name == "import":
                seconds, _ = run([LOOKOUT, "-q", "--db", store, "import", watch, devs], env)
            elif name == "clone":
                seconds, _ = run(["git", "clone", "-q", "--bare", "--no-local", remote, clone], env)
            elif name == "cat-file":
                run(["git", "clone", "-q", "--bare", "--no-local", remote, clone], env)
                seconds, _ = run(["git", "--git-dir", clone, "cat-file", "--batch-all-objects",
                                  "--batch", "--unordered"], env)
            else:
                binary = dict(builds)[name]
                seconds, _ = run([binary, "-q", "--db", store, "sync", remote], env)
            times.setdefault(name, []).append(seconds)
    return times


def bench(n, items, runs, git_times, shape="mixed", rounds=0, compare=None):
    work = os.path.join(BENCH_DIR, "sync")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = environment()
    watch, devs = data(n, items, shape)
    remote = os.path.join(work, "remote.git")
    store_a = os.path.join(work, "a.db")
    store_b = os.path.join(work, "b.db")
    clone = os.path.join(work, "clone")

    run([LOOKOUT, "-q", "--db", store_a, "import", watch, devs], env)
    git(["init", "-q", "--bare", "-b", "main", remote], env)
    first_a, rss_a = run_measured([LOOKOUT, "-q", "--db", store_a, "sync", remote], env)
    first_b, rss_b = run_measured([LOOKOUT, "-q", "--db", store_b, "sync", remote], env)
    files_shared = len(git(["--git-dir", remote, "ls-tree", "-r", "--name-only", "main"],
                           env).splitlines())
    first = first_rounds(rounds, remote, watch, devs, compare, work, env) if rounds else {}

    git(["clone", "-q", remote, clone], env)
    git(["checkout", "-q", "-b", "by-hand"], env, cwd=clone)
    git(["push", "-q", "-u", "origin", "by-hand"], env, cwd=clone)

    sync_env = env
    log = os.path.join(work, "git-times.log")
    if git_times:
        shim_dir = os.path.join(work, "bin")
        os.makedirs(shim_dir)
        shim = os.path.join(shim_dir, "git")
        with open(shim, "w") as f:
            f.write(GIT_SHIM.format(git=shutil.which("git"), log=log))
        os.chmod(shim, 0o755)
        sync_env = environment(shim_dir)

    syncs, by_hand, sizes, hand_bytes = [], [], [], []
    for i in range(runs):
        _, dev_id = run([LOOKOUT, "-q", "--db", store_a, "log", "2025-06-01",
                         f"Benchmark development {i}", "--watch", "item-0001=developing",
                         "--actor", "EU"], env, capture=True)
        dev_id = dev_id.strip()
        seconds, _ = run([LOOKOUT, "-q", "--db", store_a, "sync"], sync_env)
        syncs.append(seconds)
        head = git(["--git-dir", remote, "rev-parse", "main"], env)
        sizes.append(commit_size(remote, head, env))

        path = f"developments/{dev_id[:2]}.jsonl"
        with open(os.path.join(clone, path), "a", encoding="utf-8") as f:
            f.write(record_line(remote, head, path, dev_id, env) + "\n")
        hand_bytes.append(os.path.getsize(os.path.join(clone, path)))
        start = time.perf_counter()
        # `add` first: in a small tracker the shard may be a new file.
        git(["add", path], env, cwd=clone)
        git(["commit", "-q", "-m", f"Benchmark development {i}, by hand"], env, cwd=clone)
        git(["push", "-q"], env, cwd=clone)
        by_hand.append(time.perf_counter() - start)

    git_log = []
    if git_times:
        with open(log) as f:
            git_log = [line.split() for line in f if line.strip()]
    if not runs:
        # Only the first syncs were asked for: nothing steady to report.
        syncs, by_hand, sizes, hand_bytes = [0.0], [1.0], [(0, 0)], [0]
    return {
        "first": first, "shape": shape,
        "n": n, "files_shared": files_shared, "first_a": first_a, "first_b": first_b,
        "rss_a": rss_a, "rss_b": rss_b,
        "sync": statistics.median(syncs), "sync_range": (min(syncs), max(syncs)),
        "by_hand": statistics.median(by_hand), "by_hand_range": (min(by_hand), max(by_hand)),
        "files": [f for f, _ in sizes], "bytes": [b for _, b in sizes],
        "hand_bytes": statistics.median(hand_bytes), "runs": runs, "git_log": git_log,
    }


def describe_range(values, unit=""):
    low, high = min(values), max(values)
    return f"{low:,}{unit}" if low == high else f"{low:,}–{high:,}{unit}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100000, help="developments (default 100000)")
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=11, help="steady-state runs (default 11)")
    parser.add_argument("--lookout", help="the lookout binary (default target/release/lookout)")
    parser.add_argument("--git-times", action="store_true",
                        help="time each git command the steady-state syncs run")
    parser.add_argument("--shape", choices=["mixed", "text"], default="mixed",
                        help="the generated tracker (gen_bench_data.py; default mixed)")
    parser.add_argument("--first-rounds", type=int, default=0,
                        help="rounds of first sync B against import (default none)")
    parser.add_argument("--compare", help="another build whose first sync B runs in each round")
    args = parser.parse_args()
    global LOOKOUT
    LOOKOUT = os.path.abspath(args.lookout) if args.lookout else LOOKOUT
    if not os.path.exists(LOOKOUT):
        sys.exit("build first: cargo build --release")
    compare = os.path.abspath(args.compare) if args.compare else None
    r = bench(args.size, args.items, args.runs, args.git_times, args.shape, args.first_rounds,
              compare)

    git_version = subprocess.run(["git", "--version"], capture_output=True,
                                 text=True).stdout.split()[-1]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
          f"git {git_version}; {time.strftime('%Y-%m-%d')}\n")
    if r["first"]:
        print_first(r)
    if not r["runs"]:
        return
    print(f"| developments | first sync A (fills the repository) | first sync B (empty store) "
          f"| steady sync (median of {r['runs']}) | git commit + push (median of {r['runs']}) "
          f"| ratio | commit size (bytes, files) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {r['n']:,} | {r['first_a']:.2f} s | {r['first_b']:.2f} s "
          f"| {r['sync'] * 1000:.0f} ms | {r['by_hand'] * 1000:.0f} ms "
          f"| {r['sync'] / r['by_hand']:.2f}× "
          f"| {statistics.median(r['bytes']):,.0f} B ({describe_range(r['bytes'], ' B')}), "
          f"{describe_range(r['files'])} |")
    print(f"\nPeak memory of the first syncs, lookout alone (with the git processes it ran): "
          f"A {r['rss_a'][0]:.0f} MiB ({r['rss_a'][1]:.0f} MiB), "
          f"B {r['rss_b'][0]:.0f} MiB ({r['rss_b'][1]:.0f} MiB).")
    print(f"\n(steady sync {r['sync_range'][0] * 1000:.0f}–{r['sync_range'][1] * 1000:.0f} ms, "
          f"git commit + push {r['by_hand_range'][0] * 1000:.0f}–"
          f"{r['by_hand_range'][1] * 1000:.0f} ms; the repository holds {r['files_shared']:,} "
          f"files; the commit by hand changes 1 file of {r['hand_bytes']:,.0f} B, median)")
    if r["git_log"]:
        per = {}
        for nanos, sub in r["git_log"]:
            per.setdefault(sub, []).append(int(nanos) / 1e9)
        print(f"\nGit commands the steady-state syncs ran ({r['runs']} syncs; shim overhead included):\n")
        print("| git command | runs per sync | median | total per sync (mean) |")
        print("|---|---:|---:|---:|")
        for sub, times in sorted(per.items(), key=lambda kv: -sum(kv[1])):
            print(f"| {sub} | {len(times) / r['runs']:.1f} | {statistics.median(times) * 1000:.1f} ms "
                  f"| {sum(times) / r['runs'] * 1000:.1f} ms |")


def print_first(r):
    first = r["first"]
    rounds = len(first["import"])
    base = statistics.median(first["import"])
    print(f"First sync into an empty store against import of the same tracker ({r['shape']}, "
          f"{r['n']:,} developments; medians of {rounds} rounds, each round every command "
          f"once):\n")
    print("| command | median | range | / import |")
    print("|---|---:|---:|---:|")
    labels = {"import": "lookout import (new store)", "sync": "lookout sync (B, new store)",
              "sync (compare)": "lookout sync (B, new store), --compare build",
              "clone": "git clone --bare --no-local",
              "cat-file": "git cat-file --batch-all-objects --batch --unordered (of the clone)"}
    for name, times in first.items():
        median = statistics.median(times)
        print(f"| {labels[name]} | {median:.2f} s | {min(times):.2f}–{max(times):.2f} s "
              f"| {median / base:.2f}× |")
    print()


if __name__ == "__main__":
    main()
