#!/bin/sh
# The layout of every patch a user opens (help/*.pd, examples/*.pd): no two boxes or comments overlap
# at Pd's default font, everything fits its window, and no text is shown re-formatted (layout.py). The
# checker itself is tried on tests/pd/layout/bad.pd, which has one of each problem.
# Last line: "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/    | /'; }

for f in "$ROOT"/help/*.pd "$ROOT"/examples/*.pd; do
    name=${f#"$ROOT"/}
    out=$(python3 "$ROOT/tests/pd/layout.py" "$f" 2>&1)
    if [ $? = 0 ]; then ok "$name: no overlap, inside its windows, nothing re-formatted ($(echo "$out" | tail -n 1 | cut -d, -f2 | sed 's/^ //'))"
    else bad "$name: layout" "$out"; fi
done

out=$(python3 "$ROOT/tests/pd/layout.py" "$ROOT/tests/pd/layout/bad.pd" 2>&1)
if echo "$out" | grep -q "\[phonon~ -outs 2\] at 20,20-129,41 overlaps 'this comment runs into the box' at 100,25-314,45" &&
    echo "$out" | grep -q "\[output~\] ends at 85,205, outside the window (400x200)" &&
    echo "$out" | grep -q "Pd shows '0.50' as '0.5'" && echo "$out" | grep -q "3 problems$"; then
    ok "layout.py finds an overlap, a box outside its window and a re-formatted number"
else
    bad "layout.py finds an overlap, a box outside its window and a re-formatted number" "$out"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
