#!/bin/sh
# Pd integration tests: the external in real Pd (0.53), headless, faster than real time.
#
# Every test is a patch in tests/pd/ that drives [phonon~] with messages, records
# its outlets with [tabwrite~], writes the recording with [soundfiler] and quits
# by itself ("pd quit 0"; its guard delay quits with 2). This script runs each
# patch on a copy of tests/pd (so recordings and files a patch writes stay out of
# the tree) from / (so only patch-relative paths can work), then checks the exit
# code, the log (no "couldn't create", no error but the expected ones, expected
# lines) and the WAV (wavcheck.py: onsets, levels, silence).
#
# Usage: sh tests/pd/pd.sh [name...]     (default: every test below)
# Env:   PD (default pd), PDFLAGS (extra flags, e.g. -verbose). The external is
#        phonon~.pd_linux at the top of the tree (make builds it there).
# Last line: "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PD=${PD:-pd}
W=$(mktemp -d /tmp/phonon-pd.XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() {
    fail=$((fail + 1)); echo "FAIL - $1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/    | /' "$2" | tail -n 25; fi
}

if ! command -v "$PD" >/dev/null 2>&1; then
    bad "Pd ('$PD') is not installed"; echo "$pass passed, $fail failed"; exit 1
fi
if [ ! -f "$ROOT/phonon~.pd_linux" ]; then
    bad "phonon~.pd_linux is not built (make)"; echo "$pass passed, $fail failed"; exit 1
fi
cp -R "$ROOT/tests/pd/." "$W/"

# run NAME [pd flags...]: run $W/NAME.pd; the log is $W/NAME.log, the exit code $W/NAME.rc
run() {
    name=$1; shift
    (cd / && timeout 120 "$PD" -nogui -noaudio -batch -nrt -noprefs -stderr ${PDFLAGS:-} \
        -path "$ROOT" "$@" -open "$W/$name.pd") > "$W/$name.log" 2>&1
    echo $? > "$W/$name.rc"
}

# clean NAME [REGEX]: it quit with 0, everything was created, and every "error:"
# line matches REGEX (the errors the test provokes). Prints the problem.
clean() {
    rc=$(cat "$W/$1.rc")
    if [ "$rc" != 0 ]; then echo "exit code $rc (2: guard delay, 124: timeout, >128: crash)"; return 1; fi
    if grep -q "couldn't create" "$W/$1.log"; then echo "an object could not be created"; return 1; fi
    if grep -q "connection failed" "$W/$1.log"; then echo "a connection failed (wrong inlets/outlets)"; return 1; fi
    unexpected=$(grep '^error: ' "$W/$1.log" | grep -Ev "${2:-^\$}")
    if [ -n "$unexpected" ]; then echo "unexpected error: $unexpected"; return 1; fi
    return 0
}

# has NAME REGEX...: the log has a line matching each extended REGEX
has() {
    name=$1; shift
    for re in "$@"; do
        if ! grep -Eq -- "$re" "$W/$name.log"; then echo "no log line matching: $re"; return 1; fi
    done
}

# count NAME REGEX N: exactly N log lines match
count() {
    n=$(grep -Ec -- "$2" "$W/$1.log")
    if [ "$n" != "$3" ]; then echo "$n log lines match '$2', expected $3"; return 1; fi
}

# wav NAME CHECK...: wavcheck.py on $W/NAME.wav (its lines go to the log)
wav() {
    name=$1; shift
    python3 "$W/wavcheck.py" "$W/$name.wav" "$@" >> "$W/$name.log" 2>&1 || {
        grep -E '^FAIL' "$W/$name.log" | head -n 3; return 1; }
}

# verdict NAME DESCRIPTION WHY: ok if the checks said nothing (WHY empty), else FAIL with details
verdict() {
    if [ -z "$3" ]; then ok "$2"; else echo "$3" >> "$W/$1.log"; bad "$2: $3" "$W/$1.log"; fi
}

t_play() {
    run play
    why=$(clean play && wav play "frames 88200" "every 0 0 2 0.25" "every 1 0 2 0.25" \
        "peak 0 0 2 0.3 1" "peak 1 0 2 0.3 1" "stereo 0 2")
    verdict play "play: loads in Pd, reads its program argument, kicks at 0, .25, .5 ... s on both channels" "$why"
}

t_read() {
    run read
    why=$(clean read && wav read "every 0 0 2 0.5" "every 1 0 2 0.25")
    verdict read "read: a file relative to the patch, and one found through [declare -path]" "$why"
}

t_error() {
    run error
    why=$(clean error "^error: phonon~: (eval:2|message:1):18: unknown function 'lpff'" &&
        count error "^error: phonon~: eval:2:18: unknown function 'lpff'" 1 &&
        count error "^error: phonon~: message:[0-9]+:18: unknown function 'lpff'" 1 &&
        count error "^ERR: [0-9]+ 18 unknown function 'lpff'" 2 &&
        has error "^ERR: 2 18 unknown function 'lpff'" &&
        wav error "onsets 0 0 2 0,0.25,0.5,0.75,1,1.25,1.5" "same 0 0.25 0.45 1.25 1.45")
    verdict error "error: a bad eval and a bad statement are reported (console and 'error L C msg'); the old program keeps playing; a good eval then takes over" "$why"
}

t_error_line() {
    # a one-line statement message: its error should be on line 1 of that message
    why=$(has error "^ERR: 1 18 unknown function 'lpff'" >/dev/null ||
        echo "the statement's error is reported at line $(grep -E '^ERR: [0-9]+ 18' "$W/error.log" | tail -n 1 | cut -d' ' -f2) of the merged program, not line 1 of the message (engine: phonon_eval_statements)")
    verdict error "error: a statement message's error is at line 1 of that message" "$why"
}

t_error_source() {
    # the console shows the line the error is on and a caret under its column
    why=$(has error '^    2 \| ~d1 \$ s "bd\*4" # lpff 300$' '^    1 \| ~d1 \$ s "bd\*4" # lpff 300$' \
        '^      \|                  \^$' "^error: phonon~: eval:2:18: unknown function 'lpff' \(did you mean 'lpf'\?\)$")
    verdict error "error: the console shows the line and a caret under the column, and suggests a name" "$why"
}

t_hush() {
    run hush
    why=$(clean hush && wav hush "onsets 0 0 0.5 0,0.25" "silent 0 0.5 1.39" "silent 1 0.5 1.39" \
        "onsets 0 1.42 2 1.5,1.75")
    verdict hush "hush: silent from the next block, unhush brings the pattern back in time" "$why"
}

t_bpm() {
    run bpm
    why=$(clean bpm && wav bpm "onsets 0 0 2.9 0,0.25,0.5,0.75,1,1.5,2,2.5")
    verdict bpm "bpm: 'bpm 30' at 1 s doubles the onset spacing and keeps the beat" "$why"
}

t_setpat() {
    run setpat
    why=$(clean setpat && wav setpat "onsets 0 0 3 0,1,1.25,1.5,1.75,2,2.5")
    verdict setpat "setpat: 'set ~n 4' then 'set ~n 2' into fast ~n: the kicks follow each from the next block" "$why"
}

t_transport() {
    run transport
    why=$(clean transport && wav transport "tol 4" \
        "onsets 0 0 3 0,0.25,1,1.25,1.624,1.874,2.062,2.187,2.312,2.437" "peak 0 2.56 3 0 0.001")
    verdict transport "transport: stop, start (position kept), seek, cps, panic" "$why"
}

t_block() {
    run block -r 48000
    why=$(clean block && wav block "rate 48000" "frames 96000" "every 0 0 2 0.25" "every 1 0 2 0.25" "stereo 0 2")
    verdict block "block: at -r 48000, inside [block~ 256] and at the top, -bpm 60: the same kicks, sample for sample" "$why"
}

t_statement() {
    run statement
    why=$(clean statement && wav statement "onsets 0 0 2 0,0.25,0.5,0.75,1,1.5" "every 1 0 2 0.125" \
        "peak 1 0 2 0.05 1")
    verdict statement "statement: '~d1 \$ s \"sn*2\" # pan 0' replaces ~d1 only; ~d2 goes on" "$why"
}

t_mixing() {
    run mixing
    why=$(clean mixing "^error: phonon~: mute: no statement named '~nothing'" &&
        has mixing "^error: phonon~: mute: no statement named '~nothing'" &&
        wav mixing "onsets 0 0 2.5 0,0.25,1,1.25,2,2.25" "silent 0 0.5 0.99" "silent 0 1.5 1.99" \
        "every 1 0 2.5 0.125")
    verdict mixing "mixing: mute, unmute, solo, unsolo by statement name" "$why"
}

t_events() {
    run events
    why=$(clean events && count events "^EV: " 4 &&
        has events "^EV: ~d1 s bd n 3 gain 0.8 cycle 0 onsetm 0 onset 0 num 0 den 1 delta 0.5 cps 1 offset 0$" \
            "^EV: ~d1 s bd n 3 gain 0.8 cycle 1.5 onsetm 0 onset 1 num 1 den 2 delta 0.5 cps 1 offset 38$" \
            "^STATS: voices [0-9]+ peak [0-9]+ .*stolen [0-9]+ .*late 0 cycle 1.9[0-9]* cps 1 " \
            "^STATS: .* p50 [0-9.e+-]+ p95 [0-9.e+-]+ p99 [0-9.e+-]+ max [0-9.e+-]+ load [0-9.e+-]+$" &&
        awk '/^STATS: / { for (i = 2; i < NF; i += 2) v[$i] = $(i + 1)
             if (!(v["p50"] > 0 && v["p50"] <= v["p95"] && v["p95"] <= v["p99"] && v["p99"] <= v["max"] && v["load"] > 0))
                 print "stats block times out of order: " $0 }' "$W/events.log" &&
        awk '/^T: / { want = (n++) * 500; d = $2 - want; if (d < 0 || d > 3) bad = bad " " $2 }
             END { if (bad != "") print "events late or early (ms):" bad }' "$W/events.log")
    verdict events "events: 'event ~d1 s bd n 3 gain 0.8 cycle C onsetm M onset N num A den B delta D cps X offset O' within a block of its time; 'events 0'; 'stats'" "$why"
}

t_text() {
    run text
    why=$(clean text && has text "^EV: ~d1 s bd cycle 0 " "^EV: ~d1 s hh cycle 0 " "^EV: ~d1 s sn cycle 0.5 " \
        "^EV: ~d2[# 0-9]* s cp gain 0.5 cycle 0 ")
    verdict text "text: a [text define] program keeps its commas; a [text get] line is a statement" "$why"
}

t_flags() {
    run flags
    why=$(clean flags "^error: phonon~: (unknown flag|-threads -5|-voices needs|-outs 0|-ins 1000|extra argument 'extra'|nonexistent.ph: can't open)" &&
        count flags "^error: phonon~: " 8 && wav flags "peak 0 0.01 1 0.49 0.51" "silent 1 0 1")
    verdict flags "flags: bad flags reported and ignored; -ins 1 feeds 'in 1'; -outs 3 gives 3 signal outlets" "$why"
}

t_watch() {
    run watch
    why=$(clean watch && has watch "^phonon~: watched.ph changed, reloading" &&
        wav watch "onsets 0 0 2 0,0.25,0.5,0.75,1,1.5")
    verdict watch "watch: the file rewritten at 0.6 s is reloaded at the next check (0.75 s)" "$why"
}

t_free() {
    run free
    why=$(clean free)
    verdict free "free: 20 objects with 2 threads created and deleted while playing (pd-sub clear)" "$why"
}

t_recreate() {
    run recreate
    why=$(clean recreate && has recreate "^  threads 1, voices 64," "^STATS: .* threads 1 " &&
        wav recreate "every 0 0 2 0.25")
    verdict recreate "recreate: 'threads 1' and 'voices 64' make a new engine; program, tempo and position carry over" "$why"
}

t_live() {
    # a sine at 0.5 (its own second difference 0.000491) through statements, a re-eval, sets, bpm, threads,
    # voices and a structural edit: no click anywhere, the level follows set ~amp, the host's tempo holds
    run live
    why=$(clean live && has live "^STATS: .* cps 1.5 " "^STATS: .* threads 2 " &&
        wav live "click 0 0.01 1.99 0.00055" "click 1 0.01 1.99 0.00055" "peak 0 0.8 0.9 0.49 0.51" \
            "peak 0 1.0 1.1 0.29 0.31" "peak 0 1.9 2.0 0.28 0.31")
    verdict live "live: a sine plays on without a click through statements, a re-eval, set, bpm, threads, voices and a structural edit; set ~amp moves its level; the host's bpm holds" "$why"
}

t_tails() {
    # delay echoes of the kick every 0.2 s, the clap's reverb; the edit at 0.9 s must not cut them
    run tails
    why=$(clean tails && wav tails "peak 0 0.9 1.1 0.1 1" "peak 1 0.9 1.1 0.08 1" "peak 0 1.1 1.3 0.08 1")
    verdict tails "tails: delay and reverb tails ring on through a statement for another track" "$why"
}

t_samples() {
    # smp/tick/tick.wav: 1 kHz at 0.5, smp2/tock/tock.wav: 500 Hz at 0.4; mono, so panned
    # to the centre with equal power (x 0.707)
    run samples
    why=$(clean samples "^error: phonon~: samples: no-such-folder: no such folder" &&
        has samples "^phonon~: samples: 1 sound in /.*/smp2, loaded$" \
            "^error: phonon~: samples: no-such-folder: no such folder" \
            "^OUT: error 0 0 samples: no-such-folder: no such folder$" &&
        count samples "^OUT: loaded /.*/smp2 1 sounds$" 2 &&
        count samples "^OUT: loaded /.*/smp 1 sounds$" 1 &&
        has samples "^phonon~: samples: 1 sound in /.*/smp, loaded$" &&
        wav samples "every 0 0 2 0.25" "every 1 0 2 0.5" "peak 0 0 2 0.34 0.37" "peak 1 0 2 0.27 0.30")
    verdict samples "samples: folders from -samples and from the 'samples' message, relative to the patch; 'loaded <dir> 1 sounds' when decoded, for the -samples folder too, again for a folder given twice; the error on the outlet" "$why"
}

t_outs() {
    # channels: o1 o2 o3 o4 of [phonon~ -outs 4], then m1 (left) of a [phonon~] with 2 outs
    run outs
    why=$(clean outs && has outs "^OUT: warning 2 1 out3 plays in the main mix: there are only 2 outputs \(\[phonon~ -outs 3\] gives it output 3 to itself\)$" &&
        wav outs "pitch 0 0.2 0.9 440 2" "peak 0 0.2 0.9 0.09 0.11" "peak 1 0.2 0.9 0.09 0.11" \
            "pitch 2 0.2 0.9 1000 3" "peak 2 0.2 0.9 0.49 0.51" "pitch 3 0.2 0.9 2000 5" "peak 3 0.2 0.9 0.24 0.26" \
            "peak 4 0.2 0.9 0.58 0.62")
    verdict outs "outs: -outs 4: out: on outlets 1-2 alone, out3: alone on outlet 3 (1 kHz), out4: on 4 (2 kHz); with 2 outs out3 is in the main mix and 'warning 2 1 ...' says so" "$why"
}

t_orbit() {
    # o1 o2 o3 o4 of [phonon~ -outs 4]: ~d2 (220 Hz, 0.4 x 0.5 x 0.707) on 1-2, ~d1 on orbit 1 (440 Hz with
    # the orbit's reverb, room 0.3) on 3-4; nothing of either on the other pair
    run orbit
    why=$(clean orbit &&
        wav orbit "pitch 0 0.2 0.9 220 2" "peak 0 0.2 0.9 0.139 0.143" "peak 1 0.2 0.9 0.139 0.143" \
            "pitch 2 0.2 0.9 440 3" "peak 2 0.2 0.9 0.28 0.6" "peak 3 0.2 0.9 0.28 0.6" \
            "pitch 3 0.2 0.9 440 3")
    verdict orbit "orbit: '# orbit 1' plays on outlets 3-4 of [phonon~ -outs 4] with its orbit's reverb, orbit 0 on outlets 1-2, each pair only its own" "$why"
}

t_clock() {
    run clock
    why=$(clean clock && count clock "^CYC: " 3 && has clock "^CYC: 1$" "^CYC: 2$" "^CYC: 3$" &&
        awk '/^T: / { want[1] = 1000; want[2] = 1750; want[3] = 2250; n++; d = $2 - want[n]
             if (d < 0 || d > 3) bad = bad " " $2 } END { if (bad != "") print "cycle messages late or early (ms):" bad }' "$W/clock.log" &&
        wav clock "onsets 0 0 2.5 0,0.25,0.5,0.75,1,1.25,1.5,1.625,1.75,1.875,2,2.125,2.25,2.375" \
            "onsets 1 0 2.5 0.5,0.75,1,1.25,1.5,1.625,1.75,1.875,2,2.125,2.25,2.375" \
            "onsets 2 0 2.5 0.3106,0.8106,1.3106,1.8106,2.3106")
    verdict clock "clock: an object made at 0.31 s joins the first in time (its notes on the first's grid); 'bpm 120' to it moves both; -free keeps its own clock; 'cycles 1' sends 'cycle N' at each cycle start" "$why"
}

t_onset() {
    run onset
    why=$(clean onset &&
        has onset "^EV: event ~d1 s bd cycle 12345.1 onsetm 0 onset 12345 num 1 den 8 delta 0.125 cps 1 offset [0-9]+$" \
            "^EV: event ~d1 s bd cycle 1.67772e\+07 onsetm 16 onset 777216 num 1 den 3 delta 0.333333 cps 1 offset [0-9]+$" &&
        count onset "^EV: " 2)
    verdict onset "onset: events carry their onset exactly (onsetm onset num den): 12345 + 1/8, and 16 million 777216 + 1/3 where the float 'cycle' says 1.67772e+07" "$why"
}

t_messages() {
    run messages
    why=$(clean messages "^error: phonon~: " &&
        has messages "^OUT: error 0 0 unknown flag '-wiat' \(did you mean '-wait'\?\) \(ignored\)$" \
            "^OUT: error 1 18 unknown parameter 'gian' \(did you mean 'gain'\?\)$" \
            "^OUT: error 0 0 no method for 'evl' \(did you mean 'eval'\?\)$" \
            "^OUT: error 0 0 bpm: needs a positive number \(like 'bpm 120'\)$" \
            "^OUT: error 0 0 text: nosuch: no such \[text define\]$" \
            "^OUT: error 0 0 read: needs a file name \(like 'read song.ph'\)$" \
            "^OUT: error 0 0 nofile.ph: can't open$" \
            "^OUT: error 0 0 mute: no statement named '~d3' \(the program has '~d1'\)$" \
            "^OUT: error 0 0 solo: no statement named 'd5' \(the program has 'd1'\)$" \
            "^OUT: error 1 9 unterminated string \(started here\) -- in a Pd message a comma ends the message: inside a pattern type a backslash before each comma$" \
            "^error: phonon~: message:1:9: unterminated string \(started here\) -- in a Pd message a comma ends the message: inside a pattern type \\\\, \(like \"bd\(3\\\\, 8\)\"\)$" \
            "^OUT: error 0 0 no method for '8\)\"': the rest of a message cut at a comma\? -- in a Pd message" \
            "^OUT: warning 1 1 nothing reaches the output$" \
            "^OUT: error 0 0 samples: needs a folder \(like 'samples ./mysounds'\)$" \
            "^OUT: error 0 0 set: needs a bus and a value \(like 'set ~cutoff 800'\)$" \
            "^OUT: error 0 0 eval: needs program text$" &&
        count messages "^OUT: error " 14 && count messages "^error: phonon~: " 14)
    verdict messages "messages: every Pd-side error also leaves the outlet as 'error 0 0 ...' (a flag's at creation too), with did-you-mean; the comma hint; 'nothing reaches the output' as a warning" "$why"
}

tests=${*:-play read error error_line error_source hush bpm setpat transport block statement mixing events text flags watch recreate live tails samples free outs orbit clock messages onset}
for t in $tests; do "t_$t"; done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
