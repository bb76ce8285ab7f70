#!/bin/sh
# `phonon soak` in CI: two minutes of audio with programs, tempo, thread count and sample folders
# changing (it must take well under a minute of wall time), its own checks passed through as ok/FAIL
# lines; the generated programs pass `phonon check`; malformed options are refused.
B=${B:-build}
P=$B/phonon
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok - $1"; }
no() { fail=$((fail+1)); echo "FAIL - $1"; }
now() { date +%s.%N; }

t0=$(now)
timeout 300 "$P" soak --minutes 2 --seed 1 > "$T/soak.txt" 2> "$T/soak.err"; rc=$?
t1=$(now)
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
[ $rc = 0 ] && ok "soak --minutes 2 exits 0" || no "soak --minutes 2 exits $rc: $(tail -n 5 "$T/soak.err")"
# the soak's own checks, each one a line here
grep -E '^(ok|FAIL) - ' "$T/soak.txt" > "$T/checks.txt"
while IFS= read -r line; do
  case $line in
  ok*) ok "soak: ${line#ok - }" ;;
  *) no "soak: ${line#FAIL - }" ;;
  esac
done < "$T/checks.txt"
[ "$(wc -l < "$T/checks.txt")" -ge 7 ] && ok "soak prints its 7 checks" || no "soak checks: $(cat "$T/soak.txt")"
grep -q '^  audio rendered   0.033 hours' "$T/soak.txt" && ok "soak rendered two minutes of audio" || no "soak report: $(grep 'audio rendered' "$T/soak.txt")"
for k in 'RSS  ' 'block time' 'programs swapped' 'engines  ' 'sample folders'; do
  grep -q "^  $k" "$T/soak.txt" && ok "soak report has '$k'" || no "soak report lacks '$k'"
done
grep -q 'threads: 1 2' "$T/soak.txt" && ok "soak changed the thread count" || no "soak threads: $(grep engines "$T/soak.txt")"
# well under a minute in the default build; sanitizer builds (make sanitize) are allowed five
case $B in *asan*|*tsan*|*san*) limit=300 ;; *) limit=60 ;; esac
awk -v w="$wall" -v l=$limit 'BEGIN { exit !(w < l) }' && ok "two minutes of audio in $wall s of wall time (< $limit s)" || no "soak took $wall s of wall time (limit $limit s)"

# every generated program compiles
"$P" soak --print 100 --seed 5 > "$T/gen.txt"
mkdir "$T/gen"
awk -v d="$T/gen" '/^-- generated$/ { n++ } { print > sprintf("%s/%03d.ph", d, n) }' "$T/gen.txt"
bad=0; n=0
for f in "$T"/gen/*.ph; do
  n=$((n + 1))
  "$P" check "$f" > "$T/c.txt" 2>&1 || { bad=$((bad + 1)); [ $bad -le 3 ] && { grep -v warning "$T/c.txt" | head -n 2; cat "$f"; }; }
done
[ $n = 100 ] && [ $bad = 0 ] && ok "100 generated programs pass phonon check" || no "$bad of $n generated programs refused"
"$P" soak --print 3 --seed 5 > "$T/a.txt"; "$P" soak --print 3 --seed 5 > "$T/b.txt"
cmp -s "$T/a.txt" "$T/b.txt" && ok "the same seed generates the same programs" || no "--print is not repeatable"

# malformed options
for args in "--minutes abc" "--minutes 0" "--seed -1" "--seed 1x" "--block 0" "--frobnicate" "stray"; do
  "$P" soak $args > "$T/o.txt" 2>&1; rc=$?
  [ $rc = 2 ] && grep -q 'usage: phonon soak' "$T/o.txt" && ok "soak $args: refused with the usage" || no "soak $args: exit $rc, $(head -n 2 "$T/o.txt")"
done
"$P" soak --minutes abc 2>&1 | grep -q "bad value for --minutes: 'abc'" && ok "soak names the bad value" || no "soak --minutes abc: $("$P" soak --minutes abc 2>&1 | head -n 1)"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
