#!/usr/bin/env python3
"""Benchmark lookout against the sqlite3 command-line tool, in one run.

For each size N (default 100k and 1M developments over 50 watch items) it
generates a tracker with scripts/gen_bench_data.py (cached under
target/bench/), then times, on the same files and the same machine, in
rounds (each round every build once, one after the other, so that all see
the same moment of a noisy machine):

  import     lookout import                 vs  sqlite3 .import --csv into a plain table (the
                                                floor of reading the file), and the pure-SQL
                                                build of lookout's own store by the sqlite3
                                                shell (scripts/pure_sql_build.sql: the floor of
                                                writing this schema when nothing is checked)
  undo       lookout undo of that import    (every round but the first)
  memory     peak resident memory of lookout import

and, on the first round's store:

  export     lookout timeline --format csv  vs  sqlite3 -csv of the plain table
  status     lookout status, median of 21   vs  the sqlite3 shell's start (a one-row query)
  log        lookout log, median of 21, each a durable commit: the author
             asked of git, and again with LOOKOUT_AUTHOR set

and prints a Markdown table of medians; ratios are of medians in the same
run. It checks that the pure-SQL build is lookout's store: `lookout check`
passes on it, and its timeline, status and actors are lookout's.

    cargo build --release && scripts/bench.py                  # 100k and 1M, ~10 minutes
    scripts/bench.py --sizes 100000 --rounds 5                 # quicker
"""
import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("LOOKOUT_BENCH_DIR") or os.path.join(ROOT, "target", "bench")
# LOOKOUT_BIN and LOOKOUT_BENCH_DIR let a smoke run (tests/cli/bench_scripts.rs) use
# the debug build and a directory of its own.
LOOKOUT = os.environ.get("LOOKOUT_BIN") or os.path.join(ROOT, "target", "release", "lookout")
AUTHOR = "Bench <bench@example.org>"
# One author for lookout and the pure-SQL build, so that their stores compare.
ENV = dict(os.environ, LOOKOUT_AUTHOR=AUTHOR, NO_COLOR="1")


def run(args, stdout=subprocess.DEVNULL, stdin=None, env=ENV, cwd=None):
    """Runs a command; returns (seconds, peak RSS in KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.PIPE,
                            env=env, cwd=cwd)
    if stdin is not None:
        proc.stdin.write(stdin)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}\n{stderr}")
    return elapsed, usage.ru_maxrss


def output(args):
    return subprocess.run(args, capture_output=True, check=True, env=ENV).stdout


def digest(args):
    """sha256 of a command's output, hashed by a pipe: read into this
    process, a large output would grow it, and a child's peak RSS starts at
    its parent's size when it is forked."""
    shell = " ".join("'" + a.replace("'", "'\\''") + "'" for a in args) + " | sha256sum"
    return subprocess.run(["sh", "-c", shell], capture_output=True, check=True, env=ENV).stdout


def median_run(make_args, times):
    return statistics.median(run(make_args(i))[0] for i in range(times))


def fresh(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def schema_version():
    """The version schema.sql is: 1, and one more for each migration step in
    src/store/migrations/, as src/store/schema.rs counts it (CURRENT_VERSION)."""
    steps = [name for name in os.listdir(os.path.join(ROOT, "src", "store", "migrations"))
             if name[:3].isdigit() and name.endswith(".sql")]
    return 1 + len(steps)


def pure_sql(store, data, scratch):
    """The pure-SQL build's script, filled in for these files."""
    with open(os.path.join(ROOT, "scripts", "pure_sql_build.sql"), encoding="utf-8") as f:
        sql = f.read()
    for key, value in {"{SCHEMA}": os.path.join(ROOT, "schema.sql"),
                       "{VERSION}": str(schema_version()),
                       "{WATCH}": os.path.join(data, "watch-items.csv"),
                       "{DEVELOPMENTS}": os.path.join(data, "developments.csv"),
                       "{SCRATCH}": scratch, "{AUTHOR}": AUTHOR}.items():
        sql = sql.replace(key, value)
    return sql.encode()


def same_store(a, b):
    """Exits unless the two stores give lookout the same answers."""
    out = output([LOOKOUT, "--db", b, "check"])
    if not out.startswith(b"ok: "):
        sys.exit(f"lookout check on the pure-SQL build: {out.decode()}")
    for args in (["timeline", "--format", "csv"], ["status", "--as-of", "2025-12-31", "--format", "csv"],
                 ["actors", "--format", "csv"], ["watch", "list", "--format", "csv"]):
        digests = [digest([LOOKOUT, "--db", db] + args) for db in (a, b)]
        if digests[0] != digests[1]:
            sys.exit(f"the pure-SQL build differs from lookout's store: {' '.join(args)}")


def import_rounds(data, workdir, rounds):
    devs = os.path.join(data, "developments.csv")
    watch = os.path.join(data, "watch-items.csv")
    plain, store, pure = (os.path.join(workdir, name) for name in ("plain.db", "lookout.db", "pure.db"))
    times = {"sqlite_import": [], "lookout_import": [], "pure_sql": [], "undo": []}
    rss = []
    for round_ in range(rounds):
        for path in (plain, store, pure):
            fresh(path)
        times["sqlite_import"].append(run(["sqlite3", plain, ".import --csv " + devs + " plain"])[0])
        seconds, peak = run([LOOKOUT, "-q", "--db", store, "import", watch, devs])
        times["lookout_import"].append(seconds)
        rss.append(peak)
        sql = pure_sql(pure, data, os.path.join(workdir, "pure-scratch.sql"))
        times["pure_sql"].append(run(["sqlite3", pure], stdin=sql)[0])
        if round_ == 0:
            same_store(store, pure)
            kept = store + ".first"
            for suffix in ("", "-wal"):
                if os.path.exists(store + suffix):
                    os.replace(store + suffix, kept + suffix)
            if os.path.exists(store + "-shm"):
                os.remove(store + "-shm")
        else:
            times["undo"].append(run([LOOKOUT, "-q", "--db", store, "undo"])[0])
    for suffix in ("", "-wal"):
        if os.path.exists(store + ".first" + suffix):
            os.replace(store + ".first" + suffix, store + suffix)
    return times, rss


def bench(n, items, rounds, workdir):
    data = os.path.join(BENCH_DIR, f"{n}x{items}")
    devs = os.path.join(data, "developments.csv")
    if not os.path.exists(devs):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        str(n), str(items), data], check=True)
    times, rss = import_rounds(data, workdir, rounds)
    plain = os.path.join(workdir, "plain.db")
    store = os.path.join(workdir, "lookout.db")
    sqlite_export, _ = run(["sqlite3", "-csv", "-header", plain, "SELECT * FROM plain"])
    lookout_export, _ = run([LOOKOUT, "--db", store, "timeline", "--format", "csv"])
    status = median_run(lambda i: [LOOKOUT, "--db", store, "status"], 21)
    sqlite_status = median_run(lambda i: ["sqlite3", store, "SELECT count(*) FROM watch_stats"], 21)
    tag = random.randrange(10 ** 9)  # log refuses a repeat of a development it holds
    logged = lambda i: [LOOKOUT, "-q", "--db", store, "log", "today", f"Benchmark development {tag}-{i}",
                        "--watch", "item-0001=developing", "--actor", "EU"]
    # As most users run it: the author asked of git (one process); and with
    # LOOKOUT_AUTHOR set, which spares that process.
    as_user = {k: v for k, v in ENV.items() if k != "LOOKOUT_AUTHOR"}
    log = statistics.median(run(logged(i), env=as_user)[0] for i in range(21))
    log_author = median_run(lambda i: logged(100 + i), 21)
    med = {key: statistics.median(values) if values else float("nan") for key, values in times.items()}
    return {"n": n, "size_mb": os.path.getsize(devs) / 1e6, "rounds": rounds, **med,
            "undo_runs": len(times["undo"]), "import_rss": max(rss),
            "sqlite_export": sqlite_export, "lookout_export": lookout_export,
            "status": status, "sqlite_status": sqlite_status, "log": log, "log_author": log_author,
            "all": times}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--rounds", default="5,3",
                        help="import rounds per size (comma-separated, one per size, or one for all)")
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    if not os.path.exists(LOOKOUT):
        sys.exit("build first: cargo build --release")
    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 shell is needed")
    sizes = [int(n) for n in args.sizes.split(",")]
    rounds = [int(r) for r in args.rounds.split(",")]
    rounds = (rounds * len(sizes))[:len(sizes)] if len(rounds) == 1 else rounds
    workdir = os.path.join(BENCH_DIR, "work")
    os.makedirs(workdir, exist_ok=True)
    results = [bench(n, items=args.items, rounds=r, workdir=workdir) for n, r in zip(sizes, rounds)]

    version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
          f"sqlite3 {version}; {time.strftime('%Y-%m-%d')}\n")
    print("| developments | CSV | rounds | lookout import | sqlite3 .import | pure-SQL build "
          "| lookout / .import | lookout / pure-SQL | import peak RSS | undo of the import "
          "| lookout timeline csv | sqlite3 -csv plain | ratio | status (median of 21) "
          "| sqlite3 shell start | log (median of 21) | log, LOOKOUT_AUTHOR set |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['n']:,} | {r['size_mb']:.0f} MB | {r['rounds']} | {r['lookout_import']:.2f} s "
              f"| {r['sqlite_import']:.2f} s | {r['pure_sql']:.2f} s "
              f"| {r['lookout_import'] / r['sqlite_import']:.2f}× "
              f"| {r['lookout_import'] / r['pure_sql']:.2f}× "
              f"| {r['import_rss'] / 1024:.0f} MiB | {r['undo']:.2f} s ({r['undo_runs']}) "
              f"| {r['lookout_export']:.2f} s | {r['sqlite_export']:.2f} s "
              f"| {r['lookout_export'] / r['sqlite_export']:.2f}× "
              f"| {r['status'] * 1000:.1f} ms | {r['sqlite_status'] * 1000:.1f} ms "
              f"| {r['log'] * 1000:.1f} ms | {r['log_author'] * 1000:.1f} ms |")
    print("\n(every run, in seconds:)")
    for r in results:
        for key, values in r["all"].items():
            print(f"  {r['n']:>9,} {key}: " + ", ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
