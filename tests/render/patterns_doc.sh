#!/bin/sh
# docs/PATTERNS.md is what tests/tidal/patterns_doc.py writes (and docs/TIDAL-AUDIT.md what audit.py writes): every example's events computed by
# `phonon events`, an entry for every name of the transform table. Stale (a transform changed, an
# entry missing, the page edited by hand) fails here; regenerate with
#   python3 tests/tidal/patterns_doc.py build/phonon > docs/PATTERNS.md
B=${B:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
if python3 tests/tidal/patterns_doc.py "$B/phonon" > "$T/PATTERNS.md" 2> "$T/err"; then
  pass=$((pass + 1)); echo "ok - patterns_doc.py has an entry with events for every transform"
else
  fail=$((fail + 1)); echo "FAIL - patterns_doc.py: $(cat "$T/err")"
fi
if [ "$fail" = 0 ] && cmp -s "$T/PATTERNS.md" docs/PATTERNS.md; then
  pass=$((pass + 1)); echo "ok - docs/PATTERNS.md is up to date"
else
  fail=$((fail + 1)); echo "FAIL - docs/PATTERNS.md is stale (regenerate it: python3 tests/tidal/patterns_doc.py $B/phonon > docs/PATTERNS.md)"
  [ -s "$T/PATTERNS.md" ] && diff "$T/PATTERNS.md" docs/PATTERNS.md | head -20 | sed 's/^/#   /'
fi
# docs/TIDAL-AUDIT.md likewise: every function of Tidal 1.7.10 against what phonon has
if python3 tests/tidal/audit.py "$B/phonon" > "$T/TIDAL-AUDIT.md" 2> "$T/err" && cmp -s "$T/TIDAL-AUDIT.md" docs/TIDAL-AUDIT.md; then
  pass=$((pass + 1)); echo "ok - docs/TIDAL-AUDIT.md is up to date"
else
  fail=$((fail + 1)); echo "FAIL - docs/TIDAL-AUDIT.md is stale (python3 tests/tidal/audit.py $B/phonon > docs/TIDAL-AUDIT.md) $(cat "$T/err")"
  diff "$T/TIDAL-AUDIT.md" docs/TIDAL-AUDIT.md | head -10 | sed 's/^/#   /'
fi
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
