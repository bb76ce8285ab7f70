#!/bin/sh
# The help patch and the example patches in real Pd (0.53), headless:
#  - help/phonon~-help.pd and phonon~-meta.pd open with no error and nothing that fails to create;
#  - every program message of the help patch (helpcheck.py collects them) compiles, except the two
#    that show an error on purpose, and names only built-in sounds;
#  - every examples/*.pd plays sound on both channels: a stand-in [output~] (fake/output~.pd,
#    found first on the path) records 3 s and quits; in real time, as a user hears it.
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
pdrun_rt() {   # the same in real time: the examples play samples, and a sample still loading is skipped,
              # so 3 s of batch audio (a few ms of wall time on a busy machine) may pass before any has loaded
    log=$1; shift
    (cd / && timeout 120 "$PD" -nogui -noaudio -noprefs -stderr "$@") > "$log" 2>&1
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
    pdrun_rt "$W/$name.log" -path "$ROOT/tests/pd/fake" -open "$e" -send "pdtest-wav symbol $W/$name.wav"
    rc=$?
    if [ $rc = 0 ] && clean "$W/$name.log" &&
        python3 "$ROOT/tests/pd/wavcheck.py" "$W/$name.wav" "peak 0 0 3 0.02 1" "peak 1 0 3 0.02 1" >> "$W/$name.log"; then
        ok "examples/$name.pd plays on both channels"
    else
        bad "examples/$name.pd plays on both channels (rc $rc)" "$W/$name.log"
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
