#!/bin/sh
# Runs the test suites and prints one total as the last line: "N passed, N failed".
# Usage: tests/run.sh [suite...]   suites: unit conformance render pd (default: all)
# Every suite prints "N passed, N failed" as its own last line; this script sums them.
B=${B:-build}
suites=${*:-unit conformance render pd}
total_pass=0; total_fail=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

tally() {   # $1 = suite label; reads the suite's output from $log
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    echo "FAIL - $1: no summary line (crashed?)"; tail -n 20 "$log"
    total_fail=$((total_fail + 1)); return
  fi
  p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed}
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f))
  # failures, with the detail lines a suite indents under them ("    | ...")
  awk '/^(FAIL|not ok)/ { show = 1; print; next } show && /^    \|/ { print; next } { show = 0 }' "$log"
  printf '%-40s %s\n' "$1" "$line"
}

for s in $suites; do
  case $s in
  unit)
    for t in "$B"/tests/*; do
      [ -x "$t" ] || continue
      (cd "$(dirname "$0")/.." && timeout 600 "$t") > "$log" 2>&1
      tally "unit/$(basename "$t")"
    done ;;
  conformance)
    if [ -x "$B/phonon" ]; then
      "$B/phonon" events --jsonl < tests/conformance/mini-notation.jsonl > "$B/conformance.actual.jsonl" 2> "$log.err"
      python3 tests/conformance/check.py tests/conformance/phonon.expected.jsonl \
        "$B/conformance.actual.jsonl" --quiet > "$log" 2>&1
      tally "conformance (Tidal 1.7 reference)"
    fi ;;
  render)
    for t in tests/render/*.sh; do
      [ -f "$t" ] || continue
      B="$B" sh "$t" > "$log" 2>&1
      tally "render/$(basename "$t" .sh)"
    done ;;
  pd)
    for t in tests/pd/*.sh; do
      [ -f "$t" ] || continue
      B="$B" sh "$t" > "$log" 2>&1
      tally "pd/$(basename "$t" .sh)"
    done ;;
  esac
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
