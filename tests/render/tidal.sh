#!/bin/sh
# tidal.sh — the real client: a small Haskell program linked against Tidal 1.7 (tests/tidal-client/stream.hs,
# compiled once into $B/tidal-client/) streams known patterns for 4 s to `phonon dirt --out`, and the same
# bundles to oscdump; tests/tidal-client/check.py compares the rendered onsets with the timetags (1 ms),
# the sounds, gain and pan, cut on an orbit and an orbit's delay. Needs ghc, libghc-tidal-dev and
# liblo-tools (tools/deps.txt, group test).
B=${B:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PHONON="$ROOT/$B/phonon"
for tool in ghc oscdump python3; do
  command -v $tool >/dev/null 2>&1 || { echo "FAIL - $tool is not installed (sh tools/deps.sh test)"; echo "0 passed, 1 failed"; exit 1; }
done
case "$B" in *asan*|*tsan*|*san*)   # a sanitizer build streams in real time at a fraction of the speed
  export TIDAL_ONSET_TOL_MS=${TIDAL_ONSET_TOL_MS:-5}; echo "# sanitizer build: onsets within $TIDAL_ONSET_TOL_MS ms";;
esac
W=$(mktemp -d); [ -n "$KEEP" ] || trap 'rm -rf "$W"' EXIT; [ -n "$KEEP" ] && echo "# $W"
BIN="$ROOT/$B/tidal-client"
mkdir -p "$BIN"
if [ ! -x "$BIN/stream" ] || [ "$ROOT/tests/tidal-client/stream.hs" -nt "$BIN/stream" ]; then
  ghc -O0 -v0 -outputdir "$BIN/obj" "$ROOT/tests/tidal-client/stream.hs" -o "$BIN/stream" > "$W/ghc.txt" 2>&1 || {
    echo "FAIL - the Tidal client does not compile"; sed 's/^/    | /' "$W/ghc.txt" | head -20; echo "0 passed, 1 failed"; exit 1; }
fi

# the sounds: click is 100 frames at 0.5, long one second at 0.25 (16-bit: exact)
python3 - "$W/samples" <<'EOF'
import os, struct, sys, wave
for name, frames, value in (("click", 100, 16384), ("long", 44100, 8192)):
    os.makedirs(os.path.join(sys.argv[1], name), exist_ok=True)
    w = wave.open(os.path.join(sys.argv[1], name, "0.wav"), "wb")
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(44100)
    w.writeframes(struct.pack("<%dh" % frames, *([value] * frames))); w.close()
EOF

PORT=$((30000 + $$ % 20000)); DUMP=$((PORT + 1))
oscdump -L $DUMP > "$W/dump.txt" 2>&1 &
DUMP_PID=$!
"$PHONON" dirt --port $PORT --outs 6 --out "$W/out.wav" --duration 5.5 --no-system-samples --samples "$W/samples" \
  > "$W/phonon.txt" 2>&1 &
PHONON_PID=$!
sleep 0.5
timeout 30 "$BIN/stream" $PORT $DUMP $((PORT + 2)) 4 > "$W/stream.txt" 2>&1
wait $PHONON_PID
kill $DUMP_PID 2>/dev/null; wait $DUMP_PID 2>/dev/null
grep -q 'malformed' "$W/phonon.txt" && sed -n 's/^phonon: .*: \(.*dirt: .*\)/# \1/p' "$W/phonon.txt"
python3 "$ROOT/tests/tidal-client/check.py" "$W/phonon.txt" "$W/dump.txt" "$W/out.wav" "$W/stream.txt" || {
  sed 's/^/    | /' "$W/phonon.txt" | head -20; }
