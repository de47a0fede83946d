#!/bin/bash
# Races a refused and a good `lookout log` on new store paths, many at once,
# and reports every race in which the refused command did not exit 65, the
# good one did not succeed, or the good log is not in the store afterwards.
# The race test (tests/cli/races.rs) runs one such sequence; this runs
# several side by side, which is what made the creation race show.
#
#   scripts/stress_creation.sh [PARALLEL] [RACES] [ROUNDS]    # default 8 61 3
#   LOOKOUT_BIN=other/build/lookout scripts/stress_creation.sh
set -u
BIN=${LOOKOUT_BIN:-$(cd "$(dirname "$0")/.." && pwd)/target/debug/lookout}
PARALLEL=${1:-8}
RACES=${2:-61}
ROUNDS=${3:-3}
export LOOKOUT_AUTHOR="Stress <stress@example.org>"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

one_sequence() {
  local dir=$1
  mkdir -p "$dir"
  for run in $(seq 1 "$RACES"); do
    local db=$dir/new-$run.db rb rg p
    if (( run % 2 )); then
      "$BIN" -q --db "$db" log 2025-01-01 "good $run" >/dev/null 2>"$dir/good.err" & p=$!
      "$BIN" -q --db "$db" log 2025-01-01 bad --kind typo-kind >/dev/null 2>"$dir/bad.err"; rb=$?
      wait $p; rg=$?
    else
      "$BIN" -q --db "$db" log 2025-01-01 bad --kind typo-kind >/dev/null 2>"$dir/bad.err" & p=$!
      "$BIN" -q --db "$db" log 2025-01-01 "good $run" >/dev/null 2>"$dir/good.err"; rg=$?
      wait $p; rb=$?
    fi
    local n
    n=$(sqlite3 "file:$db?mode=ro" "SELECT count(*) FROM developments WHERE headline = 'good $run'" 2>&1)
    if [ "$rb" != 65 ] || [ "$rg" != 0 ] || [ "$n" != 1 ]; then
      echo "FAILED race $run: refused exit $rb, good exit $rg, good log found: $n"
      sed 's/^/  /' "$dir/bad.err" "$dir/good.err"
    fi
  done
}

for round in $(seq 1 "$ROUNDS"); do
  for j in $(seq 1 "$PARALLEL"); do
    one_sequence "$work/r$round-$j" &
  done
  wait
done > "$work/report" 2>&1
failed=$(grep -c '^FAILED' "$work/report")
cat "$work/report"
echo "$failed failed of $((PARALLEL * RACES * ROUNDS)) races ($BIN)"
[ "$failed" = 0 ]
