#!/bin/sh
# The command line: render writes what the program says (length, format, onsets, pitch), check reports
# errors as FILE:line:col, standard input works, FLAC works, thread counts give identical files.
B=${B:-build}
P=$B/phonon
W=$B/tools/wavinfo
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok - $1"; }
no() { fail=$((fail+1)); echo "FAIL - $1"; }
field() { $W "$1" | awk -v k="$2" '$1==k { $1=""; sub(/^ /, ""); print }'; }

# a sample made by phonon itself: 0.5 for 100 frames, so onsets are exact to the frame
mkdir -p "$T/kit/click"
printf 'out: 0.5\n' > "$T/dc.ph"
$P render "$T/dc.ph" "$T/kit/click/0.wav" --duration 0.0022675737 --float > /dev/null 2>&1
[ "$(field "$T/kit/click/0.wav" frames)" = 100 ] && ok "render --duration: 100 frames" || no "dc frames $(field "$T/kit/click/0.wav" frames)"
printf 'tempo: 1\n~d1 $ s "click*4"\n' > "$T/four.ph"
$P render "$T/four.ph" "$T/four.wav" --cycles 2 --no-system-samples --samples "$T/kit" > "$T/out.txt" 2>&1 && ok "render exits 0" || no "render exits 0: $(cat "$T/out.txt")"
grep -q "2.000 s" "$T/out.txt" && grep -q "RMS" "$T/out.txt" && grep -q "peak" "$T/out.txt" && ok "render prints duration, RMS and peak" || no "render summary: $(cat "$T/out.txt")"
[ "$(field "$T/four.wav" frames)" = 88200 ] && ok "2 cycles at cps 1 = 88200 frames" || no "frames $(field "$T/four.wav" frames)"
[ "$(field "$T/four.wav" channels)" = 2 ] && ok "stereo" || no "channels"
[ "$(field "$T/four.wav" onsets)" = "0 11025 22050 33075 44100 55125 66150 77175" ] && ok "bd*4: onsets every 11025 frames" || no "onsets $(field "$T/four.wav" onsets)"

printf 'tempo: 1\nout: sine 330 * 0.5\n' > "$T/sine.ph"
$P render "$T/sine.ph" "$T/sine.flac" --duration 1 --sr 48000 > /dev/null 2>&1 && ok "render to FLAC" || no "render to FLAC"
[ "$(field "$T/sine.flac" rate)" = 48000 ] && ok "--sr 48000 honoured" || no "rate $(field "$T/sine.flac" rate)"
awk -v f="$(field "$T/sine.flac" freq)" 'BEGIN { exit !(f > 329.5 && f < 330.5) }' && ok "sine 330 is 330 Hz" || no "freq $(field "$T/sine.flac" freq)"

cat "$T/four.ph" | $P render - "$T/stdin.wav" --cycles 1 --no-system-samples > /dev/null 2>&1 && [ "$(field "$T/stdin.wav" frames)" = 44100 ] && ok "render reads standard input" || no "render from stdin"

for th in 1 2; do
  $P render examples/q.ph "$T/q$th.wav" --cycles 4 --threads $th --no-system-samples > /dev/null 2>&1
done
cmp -s "$T/q1.wav" "$T/q2.wav" && ok "q.ph: --threads 1 and 2 give identical files" || no "q.ph differs between thread counts"

$P check examples/demo.ph > "$T/c.txt" 2>&1 && ok "check: demo.ph compiles" || no "check demo.ph: $(cat "$T/c.txt")"
printf 'tempo: 1\n~d1 $ s "bd*2"\n~d2 $ s "sn" # gian 0.5\n' > "$T/bad.ph"
$P check "$T/bad.ph" > "$T/c.txt" 2>&1; rc=$?
[ $rc = 1 ] && ok "check: exit 1 on an error" || no "check exit $rc"
grep -q "^$T/bad.ph:3:16: " "$T/c.txt" && ok "check: FILE:line:col: message" || no "check message: $(cat "$T/c.txt")"
printf 'out: sine 440 # lpf 800\n' | $P check - > "$T/c.txt" 2>&1; [ $? = 0 ] && ok "check reads standard input" || no "check -: $(cat "$T/c.txt")"
$P render "$T/bad.ph" "$T/bad.wav" > "$T/c.txt" 2>&1; [ $? = 1 ] && [ ! -f "$T/bad.wav" ] && ok "render refuses a program with errors" || no "render of a bad program"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
