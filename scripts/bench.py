#!/usr/bin/env python3
"""Benchmark lookout against the sqlite3 command-line tool, in one run.

For each size N (default 100k and 1M developments over 50 watch items) it
generates a tracker with scripts/gen_bench_data.py (cached under
target/bench/), then times, on the same files and the same machine:

  import    lookout import          vs  sqlite3 .import --csv into a plain table
  export    lookout timeline --format csv  vs  sqlite3 -csv of the plain table
                                           (and of lookout's own `timeline` view)
  status    lookout status (median of repeated runs)
  log       lookout log (median of repeated runs, each a durable commit)
  memory    peak resident memory of lookout import

and prints a Markdown table. Ratios are lookout / sqlite3 from the same run,
since these machines are noisy.

    cargo build --release && scripts/bench.py            # 100k and 1M
    scripts/bench.py --sizes 100000                      # quicker
"""
import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOOKOUT = os.path.join(ROOT, "target", "release", "lookout")


def run(args, stdout=subprocess.DEVNULL, env=None):
    """Runs a command; returns (seconds, peak RSS in KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}\n{stderr}")
    return elapsed, usage.ru_maxrss


def median_run(args, times):
    return statistics.median(run(args)[0] for _ in range(times))


def fresh(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def bench(n, items, workdir):
    data = os.path.join(ROOT, "target", "bench", f"{n}x{items}")
    devs = os.path.join(data, "developments.csv")
    watch = os.path.join(data, "watch-items.csv")
    if not os.path.exists(devs):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        str(n), str(items), data], check=True)
    size_mb = os.path.getsize(devs) / 1e6
    plain = os.path.join(workdir, "plain.db")
    store = os.path.join(workdir, "lookout.db")
    fresh(plain)
    fresh(store)

    sqlite_import, _ = run(["sqlite3", plain, ".import --csv " + devs + " plain"])
    lookout_import, import_rss = run([LOOKOUT, "-q", "--db", store, "import", watch, devs])

    sqlite_export, _ = run(["sqlite3", "-csv", "-header", plain, "SELECT * FROM plain"])
    view_export, _ = run(["sqlite3", "-csv", "-header", store, "SELECT * FROM timeline"])
    lookout_export, export_rss = run([LOOKOUT, "--db", store, "timeline", "--format", "csv"])

    status = median_run([LOOKOUT, "--db", store, "status"], 11)
    sqlite_status = median_run(["sqlite3", store, "SELECT count(*) FROM watch_stats"], 11)
    log = median_run([LOOKOUT, "-q", "--db", store, "log", "today", "Benchmark development",
                      "--watch", "item-0001=developing", "--actor", "EU"], 11)
    return {
        "n": n, "size_mb": size_mb,
        "sqlite_import": sqlite_import, "lookout_import": lookout_import, "import_rss": import_rss,
        "sqlite_export": sqlite_export, "view_export": view_export,
        "lookout_export": lookout_export, "export_rss": export_rss,
        "status": status, "sqlite_status": sqlite_status, "log": log,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    if not os.path.exists(LOOKOUT):
        sys.exit("build first: cargo build --release")
    workdir = os.path.join(ROOT, "target", "bench", "work")
    os.makedirs(workdir, exist_ok=True)
    results = [bench(int(n), args.items, workdir) for n in args.sizes.split(",")]

    version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
          f"sqlite3 {version}; {time.strftime('%Y-%m-%d')}\n")
    print("| developments | CSV | lookout import | sqlite3 .import | ratio | import peak RSS "
          "| lookout timeline csv | sqlite3 -csv plain | ratio | sqlite3 -csv timeline view "
          "| status (median) | log (median) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['n']:,} | {r['size_mb']:.0f} MB | {r['lookout_import']:.2f} s "
              f"| {r['sqlite_import']:.2f} s | {r['lookout_import'] / r['sqlite_import']:.2f}× "
              f"| {r['import_rss'] / 1024:.0f} MiB "
              f"| {r['lookout_export']:.2f} s | {r['sqlite_export']:.2f} s "
              f"| {r['lookout_export'] / r['sqlite_export']:.2f}× | {r['view_export']:.2f} s "
              f"| {r['status'] * 1000:.0f} ms | {r['log'] * 1000:.0f} ms |")
    print("\n(process start included in every figure; sqlite3 shell start: "
          + ", ".join(f"{r['sqlite_status'] * 1000:.0f} ms" for r in results) + ")")


if __name__ == "__main__":
    main()
