#!/bin/sh
# phonon's DSP next to SuperCollider 3.13's: the test signals of the sound tests rendered by both (phonon's
# kernels through tools/sc/phonon_dump and `phonon render`; scsynth in non-real-time mode from the scores
# tools/sc/render.scd writes) and measured by the same analysis (tools/sc/compare.py). Prints a table:
# measure, phonon, SuperCollider. Run by `make compare-sc`, which installs the sc group of tools/deps.txt
# and builds $B/phonon and $B/sc/phonon_dump. WORK=DIR keeps the renders there (default: a temporary folder).
# Everything runs at the lowest priority (nice 19): it is meant to run beside other work.
set -eu
B=${B:-build}
for t in sclang scsynth /usr/bin/python3; do
  command -v "$t" >/dev/null 2>&1 || { echo "compare.sh: $t is missing (sh tools/deps.sh sc)" >&2; exit 1; }
done
[ -x "$B/phonon" ] && [ -x "$B/sc/phonon_dump" ] || { echo "compare.sh: build $B/phonon and $B/sc/phonon_dump first (make compare-sc)" >&2; exit 1; }
if [ -n "${WORK:-}" ]; then
  work=$WORK; keep=1
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/phonon-sc.XXXXXX"); keep=0
fi
status=0
nice -n 19 /usr/bin/python3 "$(dirname "$0")/compare.py" "$B/phonon" "$B/sc/phonon_dump" "$work" || status=$?
[ $keep = 1 ] || rm -rf "$work"
exit $status
