#!/bin/sh
# Gain staging (docs/DSP.md, Master stage): every example plays clean. Each examples/*.ph is rendered for
# 32 cycles with `phonon render --stats` and must peak at or below -1 dBFS before the limiter (so the
# limiter, transparent below its -0.5 dBFS ceiling, never acts: 0 % of frames limited; the test allows
# under 1 %). Built-in sounds only (--no-system-samples): the levels are those of the sounds every
# machine has. Also: --stats reports what it says for a mix 6 dB over full scale and for a quiet one.
B=${B:-build}
P=$B/phonon
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok - $1"; }
no() { fail=$((fail+1)); echo "FAIL - $1"; }
# the master line's fields: peak dBFS, limited %, lowest gain dB
master() { awk '/^master:/ { gsub(/[()]/, ""); print $7, $14, $19 }' "$1"; }

printf 'tempo: 1\nout: sine 440 * 2\n' > "$T/hot.ph"
$P render "$T/hot.ph" "$T/o.wav" --duration 1 --stats > "$T/hot.txt" 2>&1
set -- $(master "$T/hot.txt")
awk -v p="$1" -v l="$2" -v g="$3" 'BEGIN { exit !(p > 6.01 && p < 6.03 && l > 99 && g < -6.4 && g > -6.7) }' \
  && ok "--stats: a sine at amplitude 2 peaks at +6.02 dBFS before the limiter, which turns down nearly every frame by 6.5 dB" \
  || no "--stats on a hot sine: $(cat "$T/hot.txt")"
printf 'tempo: 1\nout: sine 440 * 0.5\n' > "$T/quiet.ph"
$P render "$T/quiet.ph" "$T/o.wav" --duration 1 --stats > "$T/quiet.txt" 2>&1
set -- $(master "$T/quiet.txt")
[ "$1" = "-6.02" ] && [ "$2" = "0.000" ] && [ "$3" = "0.00" ] \
  && ok "--stats: a sine at amplitude 0.5 peaks at -6.02 dBFS and is never limited" || no "--stats on a quiet sine: $(cat "$T/quiet.txt")"
$P render "$T/quiet.ph" "$T/o.wav" --duration 1 > "$T/plain.txt" 2>&1
grep -q '^master:' "$T/plain.txt" && no "render prints the master line only with --stats" || ok "render prints the master line only with --stats"

for f in examples/*.ph; do
  name=$(basename "$f")
  $P render "$f" "$T/o.wav" --cycles 32 --stats --no-system-samples > "$T/ex.txt" 2>&1
  set -- $(master "$T/ex.txt")
  if [ -z "$1" ]; then no "$name: no master line: $(cat "$T/ex.txt")"; continue; fi
  echo "# $name: peak before the limiter $1 dBFS, $2 % of frames limited, lowest gain $3 dB"
  awk -v p="$1" -v l="$2" 'BEGIN { exit !(p <= -1 && l < 1) }' \
    && ok "$name peaks at $1 dBFS before the limiter (at most -1), $2 % limited" \
    || no "$name peaks at $1 dBFS before the limiter, $2 % of frames limited (the target: at most -1 dBFS, under 1 %)"
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
