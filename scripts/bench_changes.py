#!/usr/bin/env python3
"""Benchmark `lookout changes` over a one-month window against the sqlite3 shell.

Builds (once, cached under target/bench/) a store of N developments over M
watch items from scripts/gen_bench_data.py, then times, in the same run:

  lookout changes --since D1 --until D2 in each format (median of repeated runs)
  sqlite3 -json: the window's developments by item, the comparable query
                 (each item's links settled in the window, with their
                 developments, read through the index lookout reads)

and prints a Markdown table. Process start is included in every figure.

    cargo build --release && scripts/bench_changes.py                 # 1M developments
    scripts/bench_changes.py --developments 100000 --runs 21
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("LOOKOUT_BENCH_DIR") or os.path.join(ROOT, "target", "bench")
# LOOKOUT_BIN and LOOKOUT_BENCH_DIR let a smoke run (tests/cli/bench_scripts.rs) use
# the debug build and a directory of its own.
LOOKOUT = os.environ.get("LOOKOUT_BIN") or os.path.join(ROOT, "target", "release", "lookout")

COMPARABLE = """
SELECT w.slug, l.status, d.id, d.date, d.headline, d.summary, d.sources
  FROM watch_items w CROSS JOIN links l INDEXED BY links_settled ON l.watch_id = w.id
  JOIN developments d ON d.key = l.development
 WHERE l.retracted = 0 AND l.scheduled = 0 AND l.settled > '{since}' AND l.settled <= '{until}'
 ORDER BY w.slug, l.date_start, l.date_end, l.recorded_at, d.id"""


def median_time(args, runs, env=None):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def store(n, items):
    data = os.path.join(BENCH_DIR, f"{n}x{items}")
    if not os.path.exists(os.path.join(data, "developments.csv")):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        str(n), str(items), data], check=True)
    db = os.path.join(BENCH_DIR, f"changes-{n}x{items}.db")
    if not os.path.exists(db):
        subprocess.run([LOOKOUT, "-q", "--db", db, "import",
                        os.path.join(data, "watch-items.csv"),
                        os.path.join(data, "developments.csv")], check=True)
    return db


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--developments", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--since", default="2024-05-31")
    parser.add_argument("--until", default="2024-06-30")
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args()
    if not os.path.exists(LOOKOUT):
        sys.exit("build first: cargo build --release")
    db = store(args.developments, args.items)
    env = dict(os.environ, LOOKOUT_TODAY="2026-11-29")
    window = ["--since", args.since, "--until", args.until]
    count = subprocess.run(["sqlite3", db, "SELECT count(*) FROM (" + COMPARABLE.format(
        since=args.since, until=args.until) + ")"], capture_output=True, text=True,
        check=True).stdout.strip()
    rows = []
    for fmt in ["json", "text", "md", "html"]:
        rows.append((f"lookout changes --format {fmt}", median_time(
            [LOOKOUT, "--db", db, "changes", *window, "--format", fmt], args.runs, env)))
    rows.append(("sqlite3 -json, the window's developments by item", median_time(
        ["sqlite3", "-json", db, COMPARABLE.format(since=args.since, until=args.until)],
        args.runs)))
    version = subprocess.run(["sqlite3", "--version"], capture_output=True,
                             text=True).stdout.split()[0]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
          f"sqlite3 {version}; {time.strftime('%Y-%m-%d')}")
    print(f"{args.developments:,} developments over {args.items} watch items; window "
          f"({args.since}, {args.until}]: {int(count):,} links came to count; "
          f"median of {args.runs} runs\n")
    print("| command | median |")
    print("|---|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
