#!/bin/sh
# tests/tsan.sh — the threaded tests (worker pool, voices rendered on several threads) built with
# -fsanitize=thread. Usage: sh tests/tsan.sh build/tsan. Prints "N passed, N failed" as its last line;
# a ThreadSanitizer report counts as a failure.
B=${1:-build/tsan}
TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1}
export TSAN_OPTIONS
pass=0; fail=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

# test_pool is built by `make sanitize`; the voice determinism test is built here with the same flags
# (the dsp kernels' load-time choice of compiled variants runs before TSan's runtime is ready: off here)
make --no-print-directory B="$B" OPT=-O1 SAN="-fsanitize=thread -DPHONON_NO_CLONES" \
  "$B/tests/test_pool" "$B/tests/test_voice_det" "$B/tests/test_bank" "$B/tests/test_engine" "$B/tests/test_dirt" "$B/tests/test_orbit" "$B/tests/test_orbit_dirt" \
  > "$log" 2>&1 || { cat "$log"; echo "FAIL - tsan: build"; echo "0 passed, 1 failed"; exit 1; }

for t in test_pool test_voice_det test_bank test_engine test_dirt test_orbit test_orbit_dirt; do
  "$B/tests/$t" --quick > "$log" 2>&1
  rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if grep -q 'ThreadSanitizer' "$log" || [ -z "$line" ] || [ $rc -ne 0 ]; then
    grep -E '^(FAIL|WARNING|SUMMARY)' "$log" | head -n 20
    echo "FAIL - tsan/$t (exit $rc)"
    fail=$((fail + 1))
    [ -n "$line" ] && { p=${line%% passed*}; pass=$((pass + p)); }
  else
    p=${line%% passed*}
    pass=$((pass + p))
    echo "ok - tsan/$t: $line, no ThreadSanitizer report"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
