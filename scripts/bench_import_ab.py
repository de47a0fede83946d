#!/usr/bin/env python3
"""Compare the import speed of two lookout builds, in one run.

For each size N (default 100k developments over 50 watch items) it generates
a tracker with scripts/gen_bench_data.py (cached under target/bench/), then
imports the same two files into a fresh store with the OLD and the NEW
binary, and into a plain table with `sqlite3 .import --csv` as the floor,
interleaved round by round (old, new, sqlite3, old, …) so that all three see
the same machine. It prints, per size, the median of each, the new/old and
lookout/sqlite3 ratios of those medians, and the largest peak resident memory
of each binary's imports.

    scripts/bench_import_ab.py --old OLD/target/release/lookout            # NEW: this tree's release build
    scripts/bench_import_ab.py --old OLD --sizes 100000,1000000 --runs 5,3
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


def run(args, env):
    """Runs a command; returns (seconds, peak RSS in KiB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}\n{stderr}")
    return elapsed, usage.ru_maxrss


def fresh(path):
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def bench(n, items, runs, binaries, workdir, env):
    data = os.path.join(BENCH_DIR, f"{n}x{items}")
    devs = os.path.join(data, "developments.csv")
    watch = os.path.join(data, "watch-items.csv")
    if not os.path.exists(devs):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        str(n), str(items), data], check=True)
    times = {name: [] for name in list(binaries) + ["sqlite3"]}
    rss = {name: 0 for name in binaries}
    for _ in range(runs):
        for name, binary in binaries.items():
            store = os.path.join(workdir, f"{name}.db")
            fresh(store)
            seconds, peak = run([binary, "-q", "--db", store, "import", watch, devs], env)
            times[name].append(seconds)
            rss[name] = max(rss[name], peak)
        plain = os.path.join(workdir, "plain.db")
        fresh(plain)
        times["sqlite3"].append(run(["sqlite3", plain, ".import --csv " + devs + " plain"], env)[0])
    return {"n": n, "size_mb": os.path.getsize(devs) / 1e6, "runs": runs,
            "median": {k: statistics.median(v) for k, v in times.items()},
            "all": times, "rss": rss}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", required=True, help="the lookout binary to compare against")
    parser.add_argument("--new", default=os.environ.get("LOOKOUT_BIN")
                        or os.path.join(ROOT, "target", "release", "lookout"))
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--runs", default="5", help="runs per size, one for all or a list")
    parser.add_argument("--items", type=int, default=50)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runs = [int(r) for r in args.runs.split(",")]
    runs = runs * len(sizes) if len(runs) == 1 else runs
    binaries = {"old": args.old, "new": args.new}
    for binary in binaries.values():
        if not os.path.exists(binary):
            sys.exit(f"no such binary: {binary}")
    workdir = os.path.join(BENCH_DIR, "import-ab")
    os.makedirs(workdir, exist_ok=True)
    env = dict(os.environ, LOOKOUT_AUTHOR="Bench Analyst <bench@example.org>")
    env.pop("LOOKOUT_DB", None)
    results = [bench(n, args.items, r, binaries, workdir, env) for n, r in zip(sizes, runs)]

    version = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
          f"sqlite3 {version}; {time.strftime('%Y-%m-%d')}")
    print(f"old: {args.old}\nnew: {args.new}\n")
    print("| developments | CSV | runs | old import | new import | new/old | sqlite3 .import "
          "| old/sqlite3 | new/sqlite3 | peak RSS old | peak RSS new |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        m = r["median"]
        print(f"| {r['n']:,} | {r['size_mb']:.0f} MB | {r['runs']} | {m['old']:.2f} s "
              f"| {m['new']:.2f} s | {m['new'] / m['old']:.2f}× | {m['sqlite3']:.2f} s "
              f"| {m['old'] / m['sqlite3']:.2f}× | {m['new'] / m['sqlite3']:.2f}× "
              f"| {r['rss']['old'] / 1024:.0f} MiB | {r['rss']['new'] / 1024:.0f} MiB |")
    print("\n(medians; every run, in seconds:)")
    for r in results:
        for name, values in r["all"].items():
            print(f"  {r['n']:,} {name}: " + ", ".join(f"{v:.2f}" for v in values))


if __name__ == "__main__":
    main()
