#!/usr/bin/env python3
"""What the trigram index (schema 9, issue 23) costs: import time, store size, search time.

Generates N developments over M watch items (scripts/gen_bench_data.py; about one
headline in seven ends in Chinese, among other scripts), imports them into a new
store with each build, in rounds, and prints the median import time, the store's
size (the file after `lookout init` folds the write-ahead log into it), the size of
each full-text index (SQLite's dbstat) and the median time of a few searches:
an ordinary word, Chinese parts of 4 characters (the trigram index) and of 2 (the
text itself).

    cargo build --release
    scripts/bench_search_languages.py --old /tmp/lookout-before --developments 100000 --rounds 3
"""
import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("LOOKOUT_BENCH_DIR") or os.path.join(ROOT, "target", "bench")
LOOKOUT = os.environ.get("LOOKOUT_BIN") or os.path.join(ROOT, "target", "release", "lookout")
ENV = dict(os.environ, LOOKOUT_AUTHOR="Bench <bench@example.org>", NO_COLOR="1")
QUERIES = ["governance", "人工智能", "全球合作", "合作"]


def run(args):
    start = time.perf_counter()
    subprocess.run(args, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def measure(name, binary, data, rounds, work):
    times, db = [], None
    for _ in range(rounds):
        if db:
            shutil.rmtree(os.path.dirname(db))
        db = os.path.join(tempfile.mkdtemp(dir=work), "t.db")
        times.append(run([binary, "--db", db, "import",
                          os.path.join(data, "watch-items.csv"),
                          os.path.join(data, "developments.csv")]))
    run([binary, "--db", db, "init"])
    print(f"{name}: import median {statistics.median(times):.2f} s "
          f"({', '.join(f'{t:.2f}' for t in times)}), store {os.path.getsize(db) / 2**20:.1f} MiB")
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        for index, size in conn.execute(
                "SELECT CASE WHEN name LIKE 'developments_fts%' THEN 'developments_fts'"
                "            WHEN name LIKE 'developments_trigram%' THEN 'developments_trigram'"
                "            ELSE 'everything else' END, sum(pgsize)"
                "  FROM dbstat GROUP BY 1 ORDER BY 1"):
            print(f"  {index}: {size / 2**20:.1f} MiB")
    except sqlite3.OperationalError as e:
        print(f"  (no dbstat: {e})")
    finally:
        conn.close()
    for query in QUERIES:
        args = [binary, "--db", db, "search", query, "--format", "json", "--all"]
        runs = [run(args) for _ in range(5)]
        hits = len(json.loads(subprocess.run(args, env=ENV, check=True,
                                             capture_output=True).stdout))
        print(f"  search {query} --all: {hits} hits, median {statistics.median(runs) * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", help="a lookout binary to compare with (before schema 9)")
    parser.add_argument("--developments", type=int, default=100000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    data = os.path.join(BENCH_DIR, f"languages-{args.developments}-{args.items}")
    if not os.path.exists(os.path.join(data, "developments.csv")):
        subprocess.run(["python3", os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        str(args.developments), str(args.items), data],
                       check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(dir=BENCH_DIR if os.path.isdir(BENCH_DIR) else None)
    try:
        if args.old:
            measure("old", args.old, data, args.rounds, work)
        measure("new", LOOKOUT, data, args.rounds, work)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
