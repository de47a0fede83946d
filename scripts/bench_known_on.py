#!/usr/bin/env python3
"""Benchmark `status --known-on K` and `changes --known-on K` against the same reports without it.

Generates a tracker of N developments over 50 watch items with
scripts/gen_bench_data.py (cached under target/bench/), imports it, notes the
time K of the import's journal entry, then makes E more journal entries after
K (`lookout log`, one entry each, dated 2025-06-01), and times, in alternating
rounds, `status` and `status --known-on K`, and `changes` over June 2025 with
and without `--known-on K` (which read the journal's lines at K laid over the
store, src/store/known/overlay.rs): median seconds and peak resident memory of
each.
TMPDIR is pointed at a fresh directory, which must be empty afterwards.

    cargo build --release && scripts/bench_known_on.py              # 100k, 1,000 entries after K
    scripts/bench_known_on.py --developments 10000 --entries 50 --rounds 3   # quicker
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("LOOKOUT_BENCH_DIR") or os.path.join(ROOT, "target", "bench")
LOOKOUT = os.environ.get("LOOKOUT_BIN") or os.path.join(ROOT, "target", "release", "lookout")
ITEMS = 50


def run(args, env):
    """Runs a command, insisting on success; returns (seconds, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}):\n{err.decode()}")
    return seconds, out


def peak_kib(args, env):
    """Peak resident memory of one run, in KiB (GNU time's %M)."""
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + args, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    return int(proc.stderr.decode().strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--developments", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    data = os.path.join(BENCH_DIR, f"{args.developments}x{ITEMS}")
    devs = os.path.join(data, "developments.csv")
    if not os.path.exists(devs):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        str(args.developments), str(ITEMS), data], check=True)
    with tempfile.TemporaryDirectory() as work:
        tmp = os.path.join(work, "tmp")
        os.mkdir(tmp)
        store = os.path.join(work, "lookout.db")
        env = dict(os.environ, LOOKOUT_AUTHOR="Bench <bench@example.org>", NO_COLOR="1",
                   LOOKOUT_DB=store, TMPDIR=tmp)
        run([LOOKOUT, "import", os.path.join(data, "watch-items.csv"), devs], env)
        _, history = run([LOOKOUT, "history", "--limit", "1", "--format", "json"], env)
        known_on = json.loads(history)[0]["at"]
        slugs = [item["slug"] for item in
                 json.loads(run([LOOKOUT, "watch", "list", "--format", "json"], env)[1])]
        for i in range(args.entries):
            run([LOOKOUT, "-q", "log", "2025-06-01", f"Bench entry {i} after K",
                 "--watch", f"{slugs[i % len(slugs)]}=developing"], env)
        size = os.path.getsize(store)
        window = ["--since", "2025-05-31", "--until", "2025-06-30"]
        commands = {
            "status": [LOOKOUT, "status"],
            "status --known-on K": [LOOKOUT, "status", "--known-on", known_on],
            "changes": [LOOKOUT, "changes"] + window,
            "changes --known-on K": [LOOKOUT, "changes"] + window + ["--known-on", known_on],
        }
        # The answers at K are those the import gave: no bench entry counts.
        for name in ("status --known-on K", "changes --known-on K"):
            _, then = run(commands[name] + ["--format", "json"], env)
            if b"Bench entry" in then:
                sys.exit(f"{name} counted an entry made after K")
        times = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, command in commands.items():
                times[name].append(run(command, env)[0])
        rss = {name: peak_kib(command, env) for name, command in commands.items()}
        left = os.listdir(tmp)
        if left:
            sys.exit(f"--known-on left files in TMPDIR: {left}")
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"{args.developments} developments, {args.entries} journal entries after K, "
          f"store {size / 2**20:.1f} MiB, median of {args.rounds} rounds")
    print("| command | median s | peak RSS MiB |")
    print("|---|---:|---:|")
    for name in commands:
        print(f"| {name} | {medians[name]:.3f} | {rss[name] / 1024:.1f} |")
    for report in ("status", "changes"):
        print(f"{report}: ratio {medians[report + ' --known-on K'] / medians[report]:.1f}x")
    print("TMPDIR empty afterwards")


if __name__ == "__main__":
    main()
