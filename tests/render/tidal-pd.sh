#!/bin/sh
# tidal-pd.sh — [phonon~] in Pd (real time, no sound card) listening for Tidal's messages: the `dirt <port>`
# method opens the receiver, a plain liblo sender's /dirt/play is heard; examples/tidal.pd's `-dirt 57120`
# flag listens from creation on. Needs puredata, liblo-tools (tools/deps.txt) and phonon~.pd_linux (make).
B=${B:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "$2" ] && sed 's/^/    | /' "$2" | tail -n 20; }
# (the external is built by make all: make test checks it; make sanitize builds only the library)
if [ ! -f "$ROOT/phonon~.pd_linux" ]; then
  ok "the external is not built here (make sanitize): checked by make test"
  echo "$pass passed, $fail failed"; exit 0
fi
if ! command -v pd >/dev/null 2>&1 || ! command -v oscsend >/dev/null 2>&1; then
  bad "pd or oscsend missing (tools/deps.sh)"
  echo "$pass passed, $fail failed"; exit 1
fi
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
PORT=$((30000 + ($$ * 7) % 20000))
(cd / && timeout 60 pd -nogui -noaudio -noprefs -stderr -path "$ROOT/tests/pd/fake" -path "$ROOT" \
  -open "$ROOT/tests/tidal-client/pd-dirt.pd" -send "pdtest-wav symbol $W/out.wav" -send "pdtest-port $PORT") \
  > "$W/pd.log" 2>&1 &
PD_PID=$!
sleep 1.2
oscsend 127.0.0.1 $PORT /dirt/play ssss s bd _id_ 1
sleep 0.5
oscsend 127.0.0.1 $PORT /dirt/play sssf s sn gain 1.1
wait $PD_PID
grep -q "phonon~: listening for Tidal on 127.0.0.1 port $PORT" "$W/pd.log" && ok "dirt <port> opens the receiver in Pd" ||
  bad "dirt <port> opens the receiver in Pd" "$W/pd.log"
python3 "$ROOT/tests/pd/wavcheck.py" "$W/out.wav" "silent 0 0 1.0" "peak 0 1.1 3 0.05 1" "peak 1 1.1 3 0.05 1" > "$W/wav.txt" 2>&1 &&
  ok "what a liblo sender sends is heard from [phonon~] (silent before, both channels after)" ||
  bad "a /dirt/play is heard from [phonon~]" "$W/wav.txt"
grep -q "^error" "$W/pd.log" && bad "no errors in Pd's log" "$W/pd.log" || ok "no errors in Pd's log"
(cd / && timeout 60 pd -nogui -noaudio -noprefs -stderr -path "$ROOT/tests/pd/fake" -path "$ROOT" \
  -open "$ROOT/examples/tidal.pd" -send "pdtest-wav symbol $W/ex.wav") > "$W/ex.log" 2>&1
grep -q "phonon~: listening for Tidal on 127.0.0.1 port 57120" "$W/ex.log" && ok "[phonon~ -dirt 57120] listens from creation on" ||
  bad "[phonon~ -dirt 57120] listens from creation on (is port 57120 taken?)" "$W/ex.log"
echo "$pass passed, $fail failed"
