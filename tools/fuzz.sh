#!/bin/sh
# tools/fuzz.sh [NAME...] — build and run the libFuzzer targets tests/fuzz/fuzz_NAME.c (default: all)
# for $SECONDS seconds each against build/fuzz/libphonon.a (make fuzz builds it). New inputs the fuzzer
# finds go to build/fuzz/corpus/NAME; the checked-in seeds in tests/fuzz/corpus/NAME are only read.
# A crash, leak or timeout leaves its input in build/fuzz/ (crash-*, leak-*, timeout-*) and fails.
# Prints one line per target and "N passed, N failed" last.
SECONDS=${SECONDS:-60}
B=build/fuzz
names=$*
[ -n "$names" ] || names=$(ls tests/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
pass=0; fail=0
for n in $names; do
  src=tests/fuzz/fuzz_$n.c
  bin=$B/fuzz_$n
  clang -g -O1 -fsanitize=fuzzer $FUZZ_SAN -iquote engine -Itests "$src" $B/libphonon.a $LIBS -o "$bin" ||
    { echo "FAIL - fuzz_$n: build"; fail=$((fail + 1)); continue; }
  mkdir -p "$B/corpus/$n" tests/fuzz/corpus/$n
  dict=""; [ -f tests/fuzz/$n.dict ] && dict="-dict=tests/fuzz/$n.dict"
  "$bin" -max_total_time="$SECONDS" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 $dict \
    -artifact_prefix="$B/" "$B/corpus/$n" tests/fuzz/corpus/$n > "$B/fuzz_$n.log" 2>&1
  rc=$?
  execs=$(grep -E '^stat::number_of_executed_units' "$B/fuzz_$n.log" | awk '{print $2}')
  if [ $rc -eq 0 ]; then
    echo "ok - fuzz_$n: ${execs:-?} executions in ${SECONDS} s, corpus $(ls "$B/corpus/$n" | wc -l) inputs"
    pass=$((pass + 1))
  else
    echo "FAIL - fuzz_$n (exit $rc, ${execs:-?} executions); the input is in $B/, the log $B/fuzz_$n.log"
    grep -E 'ERROR|SUMMARY|Test unit written' "$B/fuzz_$n.log" | head -n 5 | sed 's/^/    | /'
    fail=$((fail + 1))
  fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
