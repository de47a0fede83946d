#!/usr/bin/env python3
"""Peak memory of every reading command at a million developments, in one run.

Builds (once, cached under target/bench/) two stores from
scripts/gen_bench_data.py: N developments over 50 watch items (each item
linked to about 25k of them), and N developments over 4 watch items (an item
linked to about 300k, for `watch show`). Then runs each command once with
stdout to /dev/null (not a terminal: tables are not fitted to a width) and
records its peak resident set size (ru_maxrss, from os.wait4) and wall time.
With --old, runs an older build on the same stores too, command by command,
and prints both.

    cargo build --release && scripts/bench_memory.py                      # 1M
    scripts/bench_memory.py --old target/bench/lookout-before              # before/after
    scripts/bench_memory.py --developments 100000 --only timeline          # quicker

Target (issue 14): every command under 100 MiB at 1M developments.
"""
import argparse
import os
import platform
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("LOOKOUT_BENCH_DIR") or os.path.join(ROOT, "target", "bench")
# LOOKOUT_BIN and LOOKOUT_BENCH_DIR let a smoke run (tests/cli/bench_scripts.rs) use
# the debug build and a directory of its own.
LOOKOUT = os.environ.get("LOOKOUT_BIN") or os.path.join(ROOT, "target", "release", "lookout")
TARGET_MIB = 100
# A date every report can be asked as of, and the month `changes` reads
# (the generated developments are dated 2015-2025 and recorded in 2026).
TODAY = "2026-11-29"
MONTH = ["--since", "2024-05-31", "--until", "2024-06-30"]


def commands(big_item):
    """(name, store, arguments): every command whose output grows with the store."""
    out = []
    for fmt in ["text", "md", "json", "csv", "html", "timelinejs", "timelinejs-sheet"]:
        out.append((f"timeline --format {fmt}", "main", ["timeline", "--format", fmt]))
    # "summit" is one of the generator's 25 words: it is in about a third of
    # the developments.
    out += [
        ("search summit", "main", ["search", "summit"]),
        ("search summit --all", "main", ["search", "summit", "--all"]),
        ("search summit --all --format json", "main",
         ["search", "summit", "--all", "--format", "json"]),
        ("search summit --all --format html", "main",
         ["search", "summit", "--all", "--format", "html"]),
    ]
    for fmt in ["text", "json", "html"]:
        out.append((f"status --format {fmt}", "main", ["status", "--format", fmt]))
    for fmt in ["text", "json", "html"]:
        out.append((f"changes (a month) --format {fmt}", "main",
                    ["changes", *MONTH, "--format", fmt]))
    # Every development comes to count in a window of all eleven years.
    out.append(("changes (eleven years) --format html", "main",
                ["changes", "--since", "2014-12-31", "--until", "2025-12-31", "--format", "html"]))
    for fmt in ["text", "md", "json", "html"]:
        out.append((f"watch show (item of {big_item}) --format {fmt}", "big",
                    ["watch", "show", "item-0001", "--format", fmt]))
    out += [
        ("export --format jsonl", "main", ["export", "--format", "jsonl"]),
        ("export --format csv", "main", ["export", "--format", "csv"]),
        ("history", "main", ["history"]),
    ]
    return out


def run(binary, db, args, timeout=None):
    """Runs one command; returns (seconds, peak RSS in KiB, killed): a run
    past `timeout` seconds is killed, and its peak so far is a lower bound."""
    env = dict(os.environ, LOOKOUT_TODAY=TODAY)
    env.pop("COLUMNS", None)
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "--db", db, *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    timer = threading.Timer(timeout, proc.kill) if timeout else None
    if timer:
        timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    killed = timer is not None and not timer.is_alive() and os.WIFSIGNALED(status)
    if timer:
        timer.cancel()
    if not killed and os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {binary} {' '.join(args)}")
    return elapsed, usage.ru_maxrss, killed


def store(n, items):
    data = os.path.join(BENCH_DIR, f"{n}x{items}")
    if not os.path.exists(os.path.join(data, "developments.csv")):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_bench_data.py"),
                        str(n), str(items), data], check=True)
    db = os.path.join(BENCH_DIR, f"memory-{n}x{items}.db")
    if not os.path.exists(db):
        subprocess.run([LOOKOUT, "-q", "--db", db, "import",
                        os.path.join(data, "watch-items.csv"),
                        os.path.join(data, "developments.csv")], check=True)
    return db


def links_of(db, slug):
    query = ("SELECT count(*) FROM links l JOIN watch_items w ON w.id = l.watch_id "
             f"WHERE w.slug = '{slug}'")
    return int(subprocess.run(["sqlite3", db, query], capture_output=True, text=True,
                              check=True).stdout.strip())


def mib(kib):
    return kib / 1024


def peak(result):
    """A run's peak RSS; at least that, for a run that was killed."""
    return ("≥ " if result[2] else "") + f"{mib(result[1]):,.0f} MiB"


def seconds(result):
    return ("killed after " if result[2] else "") + f"{result[0]:.1f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--developments", type=int, default=1_000_000)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--big-items", type=int, default=4,
                        help="watch items of the second store, whose item-0001 `watch show` reads")
    parser.add_argument("--new", default=LOOKOUT, help="the build measured (default: this tree's)")
    parser.add_argument("--old", help="an older build, run on the same stores for comparison")
    parser.add_argument("--only", help="run only the commands whose name contains this")
    parser.add_argument("--old-timeout", type=float, default=300,
                        help="seconds after which a run of the older build is killed")
    args = parser.parse_args()
    if not os.path.exists(args.new):
        sys.exit("build first: cargo build --release")
    stores = {"main": store(args.developments, args.items),
              "big": store(args.developments, args.big_items)}
    big_item = f"{links_of(stores['big'], 'item-0001'):,}"
    rows = []
    for name, which, cmd in commands(big_item):
        if args.only and args.only not in name:
            continue
        new = run(args.new, stores[which], cmd)
        # Before --all, search showed every match: the old build runs without it.
        old = (run(args.old, stores[which], [a for a in cmd if a != "--all"], args.old_timeout)
               if args.old else None)
        rows.append((name, old, new))
        print(f"{name}: {peak(new)}, {seconds(new)}"
              + (f" (old: {peak(old)}, {seconds(old)})" if old else ""), file=sys.stderr)

    version = subprocess.run(["sqlite3", "--version"], capture_output=True,
                             text=True).stdout.split()[0]
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; "
          f"sqlite3 {version}; {time.strftime('%Y-%m-%d')}")
    print(f"{args.developments:,} developments over {args.items} watch items "
          f"(watch show: over {args.big_items}); stdout to /dev/null; one run each\n")
    if args.old:
        print("| command | peak RSS before | peak RSS after | ≤ 100 MiB | time before | time after |")
        print("|---|---:|---:|:-:|---:|---:|")
    else:
        print("| command | peak RSS | ≤ 100 MiB | time |")
        print("|---|---:|:-:|---:|")
    for name, old, new in rows:
        met = "yes" if mib(new[1]) <= TARGET_MIB and not new[2] else "**no**"
        if old:
            print(f"| `{name}` | {peak(old)} | {peak(new)} | {met} "
                  f"| {seconds(old)} | {seconds(new)} |")
        else:
            print(f"| `{name}` | {peak(new)} | {met} | {seconds(new)} |")


if __name__ == "__main__":
    main()
