#!/bin/sh
# The help patch and the example patches in real Pd (0.53), headless:
#  - help/phonon~-help.pd and phonon~-meta.pd open with no error and nothing that fails to create;
#  - every program message of the help patch (helpcheck.py collects them) compiles, except the two
#    that show an error on purpose, and names only built-in sounds;
#  - every examples/*.pd plays sound on both channels: a stand-in [output~] (fake/output~.pd,
#    found first on the path) records 3 s and quits (pd -batch: without an audio device [phonon~]
#    waits for each program's samples, so the render is the same every time: demo.pd is rendered
#    twice and compared);
#  - events-to-pd.pd: the Pd voice (only it sounds) plays the notes of ~d1's events at their onsets.
# Last line: "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PD=${PD:-pd}
W=$(mktemp -d /tmp/phonon-help.XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -f "${2:-}" ] && sed 's/^/    | /' "$2" | tail -n 20; }

if ! command -v "$PD" >/dev/null 2>&1 || [ ! -f "$ROOT/phonon~.pd_linux" ]; then
    bad "Pd or phonon~.pd_linux missing (make)"; echo "$pass passed, $fail failed"; exit 1
fi
pdrun() {   # LOG PD-ARGS...
    log=$1; shift
    (cd / && timeout 120 "$PD" -nogui -noaudio -batch -nrt -noprefs -stderr "$@") > "$log" 2>&1
}
clean() {   # LOG [ALLOWED-ERROR-REGEX]
    ! grep -q "couldn't create\|connection failed" "$1" &&
        [ -z "$(grep '^error: ' "$1" | grep -Ev "${2:-^\$}")" ]
}

for f in help/phonon~-help.pd help/phonon~-meta.pd; do
    pdrun "$W/open.log" -path "$ROOT" -open "$ROOT/$f" -send "pd quit"
    rc=$?
    if [ $rc = 0 ] && clean "$W/open.log"; then ok "$f opens with no error"; else bad "$f opens with no error (rc $rc)" "$W/open.log"; fi
done

python3 "$ROOT/tests/pd/helpcheck.py" "$ROOT/help/phonon~-help.pd" "$W/helpcheck.pd" > "$W/count.txt"
pdrun "$W/hc.log" -path "$ROOT" -open "$W/helpcheck.pd"
rc=$?
n=$(grep -c "unknown function 'lpff'" "$W/hc.log")
if [ $rc = 0 ] && clean "$W/hc.log" "unknown function 'lpff'" && [ "$n" = 2 ] && ! grep -q "unknown sound" "$W/hc.log"; then
    ok "help: the $(cut -d' ' -f1 "$W/count.txt") program messages compile (2 show an error on purpose)"
else
    bad "help: every program message compiles (rc $rc, $n lpff errors)" "$W/hc.log"
fi

for e in "$ROOT"/examples/*.pd; do
    name=$(basename "$e" .pd)
    pdrun "$W/$name.log" -path "$ROOT/tests/pd/fake" -open "$e" -send "pdtest-wav symbol $W/$name.wav"
    rc=$?
    if [ $rc = 0 ] && clean "$W/$name.log" &&
        python3 "$ROOT/tests/pd/wavcheck.py" "$W/$name.wav" "peak 0 0 3 0.02 1" "peak 1 0 3 0.02 1" >> "$W/$name.log"; then
        ok "examples/$name.pd plays on both channels"
    else
        bad "examples/$name.pd plays on both channels (rc $rc)" "$W/$name.log"
    fi
done
# item: the same render every time in pd -batch (no -wait in the patch)
pdrun "$W/demo2.log" -path "$ROOT/tests/pd/fake" -open "$ROOT/examples/demo.pd" -send "pdtest-wav symbol $W/demo2.wav"
if cmp -s "$W/demo.wav" "$W/demo2.wav" && python3 "$ROOT/tests/pd/wavcheck.py" "$W/demo2.wav" "peak 0 0 0.1 0.02 1" >> "$W/demo2.log"; then
    ok "examples/demo.pd: two renders in pd -batch are the same, sound from the first notes on"
else
    bad "examples/demo.pd: two renders in pd -batch are the same, sound from the first notes on" "$W/demo2.log"
fi

# events-to-pd: C4 G4 C5 D#4 then F4 A4 C5 F5 (note + 60), a quarter cycle each at cps 1; only the Pd voice
# sounds ([phonon~]'s own ~d1 has gain 0), one block late
if python3 "$ROOT/tests/pd/wavcheck.py" "$W/events-to-pd.wav" \
    "onsets 0 0 3 0,0.25,0.5,0.75,1,1.25,1.5,1.75,2,2.25,2.5,2.75" \
    "pitch 0 0.03 0.2 261.63 1" "pitch 0 0.28 0.45 392 1" "pitch 0 0.53 0.7 523.25 1.5" \
    "pitch 0 0.78 0.95 311.13 1" "pitch 0 1.03 1.2 349.23 1" "pitch 1 1.28 1.45 440 1" \
    "pitch 1 1.53 1.7 523.25 1.5" "pitch 1 1.78 1.95 698.46 2" "pitch 0 2.03 2.2 261.63 1" \
    "peak 0 0 3 0.28 0.31" >> "$W/events-to-pd.log"; then
    ok "examples/events-to-pd.pd: its Pd voice plays ~d1's notes (pitch) at their onsets (within 3 ms)"
else
    bad "examples/events-to-pd.pd: its Pd voice plays ~d1's notes (pitch) at their onsets" "$W/events-to-pd.log"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
