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

--shape picks the tracker (gen_bench_data.py): `mixed` (the default) has
every column filled and awkward text; `text` is shaped like a real tracker,
text-heavy rows without ids or times of recording (issue 24). For `text`
each round also imports the same rows with ids (developments-ids.csv) into
a store of its own, and a second table gives rows without ids / with ids.
Its stores are compared with the pure-SQL build's leaving out what each
assigns for itself (ids, times of recording).

    cargo build --release && scripts/bench.py                  # 100k and 1M, ~10 minutes
    scripts/bench.py --sizes 100000 --rounds 5                 # quicker
    scripts/bench.py --shape text --sizes 200000 --rounds 5    # rows without ids
    scripts/bench.py --shape all                               # both, one after the other
"""
import argparse
import csv
import hashlib
import io
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
# The formula guard undone: a leading ' before = + - @ tab CR or '.
GUARDED = ("CASE WHEN substr({0}, 1, 1) = '''' AND substr({0}, 2, 1) IN "
           "('=', '+', '-', '@', char(9), char(13), '''') THEN substr({0}, 2) ELSE {0} END")
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
# The text shape's ids in the pure-SQL build: the row number times an odd
# number, modulo 2^40 (distinct for distinct n), in eight characters of
# lookout's alphabet, so that they enter the id index in as random an order
# as lookout's; and times of recording a microsecond apart, in file order.
SCRAMBLED = "((rowid * 42501298071) & 1099511627775)"
TEXT_ID = " || ".join(f"substr('{ALPHABET}', (({SCRAMBLED} >> {shift}) & 31) + 1, 1)"
                      for shift in range(35, -1, -5))
TEXT_RECORDED_AT = ("printf('%s.%06dZ', strftime('%Y-%m-%dT%H:%M:%S', 'now', "
                    "'+' || (rowid / 1000000) || ' seconds'), rowid % 1000000)")
# Per shape: the pure-SQL build's id and time of recording, and the columns
# left out when its store is compared with lookout's (what each assigns).
SHAPES = {
    "mixed": {"id": GUARDED.format("id"), "recorded_at": "recorded_at", "assigned": ()},
    "text": {"id": TEXT_ID, "recorded_at": TEXT_RECORDED_AT,
             "assigned": ("id", "recorded_at", "provisional_id", "next_scheduled_id", "overdue")},
}


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


def digest(args, leave_out=()):
    """sha256 of a command's output, hashed by a pipe: read into this
    process, a large output would grow it, and a child's peak RSS starts at
    its parent's size when it is forked. With `leave_out`, of its CSV rows
    without those columns, read a row at a time."""
    if leave_out:
        return digest_without(args, leave_out)
    shell = " ".join("'" + a.replace("'", "'\\''") + "'" for a in args) + " | sha256sum"
    return subprocess.run(["sh", "-c", shell], capture_output=True, check=True, env=ENV).stdout


def digest_without(args, leave_out):
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, env=ENV)
    rows = csv.reader(io.TextIOWrapper(proc.stdout, encoding="utf-8", newline=""))
    header = next(rows, [])
    kept = [i for i, name in enumerate(header) if name not in leave_out]
    hashed = hashlib.sha256()
    for row in rows:
        hashed.update(repr([row[i] for i in kept]).encode())
    if proc.wait() != 0:
        sys.exit(f"failed: {' '.join(args)}")
    return hashed.hexdigest()


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


def pure_sql(data, scratch, shape):
    """The pure-SQL build's script, filled in for these files."""
    with open(os.path.join(ROOT, "scripts", "pure_sql_build.sql"), encoding="utf-8") as f:
        sql = f.read()
    for key, value in {"{SCHEMA}": os.path.join(ROOT, "schema.sql"),
                       "{VERSION}": str(schema_version()),
                       "{WATCH}": os.path.join(data, "watch-items.csv"),
                       "{DEVELOPMENTS}": os.path.join(data, "developments.csv"),
                       "{SCRATCH}": scratch, "{AUTHOR}": AUTHOR,
                       "{ID}": SHAPES[shape]["id"], "{RECORDED_AT}": SHAPES[shape]["recorded_at"]}.items():
        sql = sql.replace(key, value)
    return sql.encode()


def same_store(a, b, shape):
    """Exits unless the two stores give lookout the same answers (but for
    what each assigns itself, `SHAPES`)."""
    out = output([LOOKOUT, "--db", b, "check"])
    if not out.startswith(b"ok: "):
        sys.exit(f"lookout check on the pure-SQL build: {out.decode()}")
    for args in (["timeline", "--format", "csv"], ["status", "--as-of", "2025-12-31", "--format", "csv"],
                 ["actors", "--format", "csv"], ["watch", "list", "--format", "csv"]):
        digests = [digest([LOOKOUT, "--db", db] + args, SHAPES[shape]["assigned"]) for db in (a, b)]
        if digests[0] != digests[1]:
            sys.exit(f"the pure-SQL build differs from lookout's store: {' '.join(args)}")


def import_rounds(data, workdir, rounds, shape):
    """Each round: sqlite3 .import, lookout import (and, for the text shape,
    of the same rows with ids, first in every other round: give an even
    number of rounds), the pure-SQL build, each after a sync; undo of
    lookout's import in every round but the first."""
    devs = os.path.join(data, "developments.csv")
    with_ids = os.path.join(data, "developments-ids.csv") if shape == "text" else None
    watch = os.path.join(data, "watch-items.csv")
    plain, store, ided, pure = (os.path.join(workdir, name)
                                for name in ("plain.db", "lookout.db", "lookout-ids.db", "pure.db"))
    times = {"sqlite_import": [], "lookout_import": [], "pure_sql": [], "undo": []}
    rss = {"lookout_import": []}
    if with_ids:
        times["lookout_import_ids"], rss["lookout_import_ids"] = [], []
    for round_ in range(rounds):
        for path in (plain, store, ided, pure):
            fresh(path)
        os.sync()
        times["sqlite_import"].append(run(["sqlite3", plain, ".import --csv " + devs + " plain"])[0])
        imports = [("lookout_import", store, devs)] + ([("lookout_import_ids", ided, with_ids)] if with_ids else [])
        for key, db, file in imports if round_ % 2 == 0 else reversed(imports):
            # What the steps before wrote is on disk first, so that no
            # import waits on another's writeback (its own fsync of the
            # store waits for the disk).
            os.sync()
            seconds, peak = run([LOOKOUT, "-q", "--db", db, "import", watch, file])
            times[key].append(seconds)
            rss[key].append(peak)
        sql = pure_sql(data, os.path.join(workdir, "pure-scratch.sql"), shape)
        os.sync()
        times["pure_sql"].append(run(["sqlite3", pure], stdin=sql)[0])
        if round_ == 0:
            same_store(store, pure, shape)
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
    return times, {key: max(peaks) for key, peaks in rss.items()}


def bench(n, items, rounds, workdir, shape):
    data = os.path.join(BENCH_DIR, f"{n}x{items}" + ("-text" if shape == "text" else ""))
    devs = os.path.join(data, "developments.csv")
    if not os.path.exists(devs):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        "--shape", shape, str(n), str(items), data], check=True)
    times, rss = import_rounds(data, workdir, rounds, shape)
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
    return {"n": n, "shape": shape, "size_mb": os.path.getsize(devs) / 1e6, "rounds": rounds, **med,
            "undo_runs": len(times["undo"]), "import_rss": rss["lookout_import"],
            "import_ids_rss": rss.get("lookout_import_ids"),
            "sqlite_export": sqlite_export, "lookout_export": lookout_export,
            "status": status, "sqlite_status": sqlite_status, "log": log, "log_author": log_author,
            "all": times}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--rounds", default="5,3",
                        help="import rounds per size (comma-separated, one per size, or one for all)")
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--shape", default="mixed",
                        help="the tracker: mixed (the default), text, both comma-separated, or all")
    args = parser.parse_args()
    if not os.path.exists(LOOKOUT):
        sys.exit("build first: cargo build --release")
    if not shutil.which("sqlite3"):
        sys.exit("the sqlite3 shell is needed")
    shapes = list(SHAPES) if args.shape == "all" else args.shape.split(",")
    if any(shape not in SHAPES for shape in shapes):
        sys.exit(f"--shape: one or more of {', '.join(SHAPES)}")
    sizes = [int(n) for n in args.sizes.split(",")]
    rounds = [int(r) for r in args.rounds.split(",")]
    rounds = (rounds * len(sizes))[:len(sizes)] if len(rounds) == 1 else rounds
    workdir = os.path.join(BENCH_DIR, "work")
    os.makedirs(workdir, exist_ok=True)
    results = [bench(n, items=args.items, rounds=r, workdir=workdir, shape=shape)
               for shape in shapes for n, r in zip(sizes, rounds)]
    print_tables(results)


def print_tables(results):
    version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
          f"sqlite3 {version}; {time.strftime('%Y-%m-%d')}\n")
    print("| shape | developments | CSV | rounds | lookout import | sqlite3 .import | pure-SQL build "
          "| lookout / .import | lookout / pure-SQL | import peak RSS | undo of the import "
          "| lookout timeline csv | sqlite3 -csv plain | ratio | status (median of 21) "
          "| sqlite3 shell start | log (median of 21) | log, LOOKOUT_AUTHOR set |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['shape']} | {r['n']:,} | {r['size_mb']:.0f} MB | {r['rounds']} | {r['lookout_import']:.2f} s "
              f"| {r['sqlite_import']:.2f} s | {r['pure_sql']:.2f} s "
              f"| {r['lookout_import'] / r['sqlite_import']:.2f}× "
              f"| {r['lookout_import'] / r['pure_sql']:.2f}× "
              f"| {r['import_rss'] / 1024:.0f} MiB | {r['undo']:.2f} s ({r['undo_runs']}) "
              f"| {r['lookout_export']:.2f} s | {r['sqlite_export']:.2f} s "
              f"| {r['lookout_export'] / r['sqlite_export']:.2f}× "
              f"| {r['status'] * 1000:.1f} ms | {r['sqlite_status'] * 1000:.1f} ms "
              f"| {r['log'] * 1000:.1f} ms | {r['log_author'] * 1000:.1f} ms |")
    with_ids = [r for r in results if r["import_ids_rss"] is not None]
    if with_ids:
        print("\n| shape | developments | rounds | rows without ids | the same rows with ids "
              "| without / with | without / .import | with / .import | peak RSS without, with |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in with_ids:
        print(f"| {r['shape']} | {r['n']:,} | {r['rounds']} | {r['lookout_import']:.2f} s "
              f"| {r['lookout_import_ids']:.2f} s | {r['lookout_import'] / r['lookout_import_ids']:.2f}× "
              f"| {r['lookout_import'] / r['sqlite_import']:.2f}× "
              f"| {r['lookout_import_ids'] / r['sqlite_import']:.2f}× "
              f"| {r['import_rss'] / 1024:.0f} MiB, {r['import_ids_rss'] / 1024:.0f} MiB |")
    print("\n(every run, in seconds:)")
    for r in results:
        for key, values in r["all"].items():
            print(f"  {r['shape']} {r['n']:>9,} {key}: " + ", ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
