#!/bin/sh
# Every program shown in the documentation compiles: each plain ``` block of docs/LANGUAGE.md and of
# the README is checked with `phonon check` (blocks marked ```text, ```sh ... are not programs).
B=${B:-build}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
python3 - "$T" docs/LANGUAGE.md README.md <<'PY'
import os, sys
out = sys.argv[1]
for doc in sys.argv[2:]:
    base = os.path.splitext(os.path.basename(doc))[0]
    block, n = None, 0
    for line in open(doc, encoding="utf-8"):
        if line.startswith("```"):
            if block is None:
                block = [] if line.strip() == "```" else False
            else:
                if block is not False:
                    n += 1
                    with open(os.path.join(out, "%s-%02d.ph" % (base, n)), "w") as f:
                        f.write("".join(block))
                block = None
        elif block:
            block.append(line)
        elif block == []:
            block.append(line)
PY
pass=0; fail=0
for f in "$T"/*.ph; do
  name=$(basename "$f" .ph)
  # the README's object sketch and folder layout are not programs
  if grep -q '^\[phonon~\|^engine/ ' "$f"; then continue; fi
  if out=$("$B/phonon" check "$f" 2>&1); then
    pass=$((pass + 1)); echo "ok - $name compiles"
  else
    fail=$((fail + 1)); echo "FAIL - $name: $out"; sed 's/^/#   /' "$f"; continue
  fi
  # and it makes sound (unless it is about silence)
  grep -q '^hush' "$f" && continue
  rms=$("$B/phonon" render "$f" "$T/out.wav" --cycles 2 --no-system-samples 2>/dev/null | sed -n 's/.*RMS \([0-9.]*\).*/\1/p')
  if awk -v r="$rms" 'BEGIN { exit !(r > 0.001) }'; then
    pass=$((pass + 1)); echo "ok - $name plays (RMS $rms)"
  else
    fail=$((fail + 1)); echo "FAIL - $name is silent (RMS '$rms')"; sed 's/^/#   /' "$f"
  fi
done
echo "$pass passed, $fail failed"
[ $fail = 0 ]
