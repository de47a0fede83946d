#!/usr/bin/env python3
"""Time `lookout check` (whose duplicate check compares developments sharing a
date and a watch item) on data that crowds one date and item, against the same
data spread over many dates.

Three trackers, each imported into a fresh store by every build given:
  one-date   N developments dated 2025, all under one watch item
  spread     the same N developments, dated over 2015-2025 (gen_bench_data's dates)
  identical  K developments with one headline, dated 2025, under one watch item
The headlines and summaries are gen_bench_data's. For each build and tracker it
prints the wall seconds and peak memory (`/usr/bin/time -v`) of `import` and of
`check`, check's exit status, how many lines (and likely-duplicate lines) it printed,
and how many files it left in its TMPDIR.
A check over TIMEOUT seconds is stopped and shown as "> TIMEOUT s".

    scripts/bench_duplicates.py target/release/lookout /tmp/old/lookout \\
        --developments 200000 --identical 4000 --timeout 300 --work target/bench/dup
"""
import argparse
import csv
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_bench_data as gen  # noqa: E402


def write_tracker(outdir, rows):
    """watch-items.csv (one item) and developments.csv from (date, headline, summary) rows."""
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "watch-items.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["slug", "title", "opened"])
        w.writerow(["busy-item", "One busy watch item", "2015-01"])
    with open(os.path.join(outdir, "developments.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "date", "kind", "watch", "headline", "summary"])
        for n, (date, headline, summary) in enumerate(rows):
            cells = [f"d{n:09}", date, "statement", "busy-item", headline, summary]
            w.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in cells])


def generate(work, developments, identical, seed):
    rng = random.Random(seed)
    texts = [(gen.headline(rng), gen.summary(rng)) for _ in range(developments)]
    dates = [gen.date(rng)[0] for _ in range(developments)]
    write_tracker(os.path.join(work, "one-date"), [("2025", h, s) for h, s in texts])
    write_tracker(os.path.join(work, "spread"), [(d, h, s) for d, (h, s) in zip(dates, texts)])
    write_tracker(os.path.join(work, "identical"),
                  [("2025", "Ministry publishes the plan", "") for _ in range(identical)])


def timed(argv, timeout):
    """(wall seconds or None when stopped, peak MiB, exit status, stdout) of argv."""
    cmd = ["/usr/bin/time", "-v"] + argv
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, None, None, ""
    wall = re.search(r"Elapsed \(wall clock\) time .*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    hours, minutes, seconds = wall.groups()
    seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1)) / 1024
    status = re.search(r"Exit status: (\d+)", done.stderr)
    return seconds, peak, int(status.group(1)) if status else done.returncode, done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("builds", nargs="+", help="lookout binaries to compare")
    parser.add_argument("--developments", type=int, default=200_000)
    parser.add_argument("--identical", type=int, default=4_000)
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--work", default="target/bench/duplicates")
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()

    generate(args.work, args.developments, args.identical, args.seed)
    print(f"{'build':<28} {'tracker':<10} {'import s':>9} {'MiB':>5} {'check s':>9} {'MiB':>5} "
          f"{'exit':>4} {'lines':>6} {'dup lines':>9} {'left in TMPDIR':>14}")
    for build in args.builds:
        for tracker in ["one-date", "spread", "identical"]:
            data = os.path.join(args.work, tracker)
            db = os.path.join(args.work, f"{tracker}.db")
            for suffix in ["", "-wal", "-shm"]:
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)
            env_tmp = os.path.join(args.work, "tmp")
            shutil.rmtree(env_tmp, ignore_errors=True)
            os.makedirs(env_tmp)
            os.environ["TMPDIR"] = env_tmp
            imp = timed([build, "--db", db, "-q", "import",
                         os.path.join(data, "watch-items.csv"),
                         os.path.join(data, "developments.csv")], None)
            chk = timed([build, "--db", db, "check"], args.timeout)
            check_s = f"> {args.timeout}" if chk[0] is None else f"{chk[0]:.2f}"
            check_mib = "-" if chk[1] is None else f"{chk[1]:.0f}"
            lines = chk[3].splitlines()
            dups = sum("likely duplicate" in line for line in lines)
            print(f"{os.path.basename(os.path.dirname(build)) + '/' + os.path.basename(build):<28} "
                  f"{tracker:<10} {imp[0]:>9.2f} {imp[1]:>5.0f} {check_s:>9} {check_mib:>5} "
                  f"{chk[2] if chk[2] is not None else '-':>4} {len(lines):>6} {dups:>9} "
                  f"{len(os.listdir(env_tmp)):>14}",
                  flush=True)


if __name__ == "__main__":
    main()
