#!/bin/sh
# What a musician sees in a terminal: `phonon check` prints FILE:line:col: message, the line and a
# caret under the column, every error at once; the command line refuses malformed options by name.
B=${B:-build}
P=$B/phonon
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); printf 'ok - %s\n' "$1"; }
no() { fail=$((fail+1)); printf 'FAIL - %s\n' "$1"; }
same() {   # NAME EXPECTED-FILE GOT-FILE
  if cmp -s "$2" "$3"; then ok "$1"; else no "$1"; diff "$2" "$3" | sed 's/^/    | /'; fi
}

printf 'tempo: 1\nd1 $ s "bd*2 [sn cp"\nd2 $ s "hh*4" # gian 0.5\n\t# lpff 300\n' > "$T/song.ph"
$P check "$T/song.ph" > "$T/out.txt" 2>&1; rc=$?
[ $rc = 1 ] && ok "check: exit 1 on errors" || no "check: exit $rc"
sed "s|$T/||" "$T/out.txt" > "$T/got.txt"
cat > "$T/want.txt" <<'W'
song.ph:2:14: unclosed '[': no ']' before the end of the string
    2 | d1 $ s "bd*2 [sn cp"
      |              ^
song.ph:3:17: unknown parameter 'gian' (did you mean 'gain'?)
    3 | d2 $ s "hh*4" # gian 0.5
      |                 ^
W
same "check: every error with its line and a caret under the column" "$T/want.txt" "$T/got.txt"

printf 'd1 $ s "bd"\n\t\t# lpff 300\n' > "$T/tabs.ph"
$P check "$T/tabs.ph" 2>&1 | sed "s|$T/||" > "$T/got.txt"
printf "tabs.ph:2:5: unknown function 'lpff' (did you mean 'lpf'?)\n    2 | \t\t# lpff 300\n      | \t\t  ^\n" > "$T/want.txt"
same "check: tabs are kept under the line, so the caret lines up" "$T/want.txt" "$T/got.txt"

printf '\357\273\277tempo: 1\r\nd1 $ s "bd sn"\r\nd2 $ s "hh" # lpff 1\r\n' > "$T/crlf.ph"
$P check "$T/crlf.ph" 2>&1 | sed "s|$T/||" > "$T/got.txt"
printf "crlf.ph:3:15: unknown function 'lpff' (did you mean 'lpf'?)\n    3 | d2 \$ s \"hh\" # lpff 1\n      |               ^\n" > "$T/want.txt"
same "check: a byte-order mark and \\r\\n line endings" "$T/want.txt" "$T/got.txt"
printf '\357\273\277tempo: 1\r\nd1 $ s "bd sn"\r\n' > "$T/crlf-ok.ph"
$P check "$T/crlf-ok.ph" > "$T/c.txt" 2>&1 && ok "check: a BOM and \\r\\n file compiles" || no "check crlf-ok: $(cat "$T/c.txt")"
printf 'tempo: 1\rd1 $ s "bd sn"\r' > "$T/cr.ph"
$P check "$T/cr.ph" > "$T/c.txt" 2>&1 && ok "check: a file with \\r line endings compiles" || no "check cr: $(cat "$T/c.txt")"

printf 'cps: 0\nd1 $ s "bd"\n' > "$T/zero.ph"
$P check "$T/zero.ph" 2>&1 | head -1 | sed "s|$T/||" > "$T/got.txt"
echo "zero.ph:1:6: 'cps: 0' would stop the clock; the tempo must be above 0" > "$T/want.txt"
same "check: tempo 0 is an error" "$T/want.txt" "$T/got.txt"

# options: malformed values are errors that name the option (exit 2, nothing rendered)
printf 'tempo: 1\nd1 $ s "bd*2"\n' > "$T/ok.ph"
opt() {   # EXPECTED-MESSAGE ARGS...
  want=$1; shift
  rm -f "$T/o.wav"
  $P render "$T/ok.ph" "$T/o.wav" --no-system-samples "$@" > "$T/o.txt" 2>&1; rc=$?
  if [ $rc = 2 ] && [ "$(head -n 1 "$T/o.txt")" = "$want" ] && [ ! -f "$T/o.wav" ]; then ok "render $*: $want"
  else no "render $*: exit $rc, $(head -n 1 "$T/o.txt") (wanted: $want)"; fi
}
opt "phonon: --cycles: 'abc' is not a number" --cycles abc
opt "phonon: --cycles: '2x' is not a number" --cycles 2x
opt "phonon: --cycles: 0 is not above 0" --cycles 0
opt "phonon: --cycles: 1e7 is not in 0 .. 1e+06" --cycles 1e7
opt "phonon: --duration: '' is not a number" --duration ""
opt "phonon: --block: '2.5' is not a whole number" --block 2.5
opt "phonon: --block: 0 is not in 1 .. 8192" --block 0
opt "phonon: --sr: 10 is not in 1000 .. 768000" --sr 10
opt "phonon: --threads: 'many' is not a whole number" --threads=many
opt "phonon: --voices: 1e9 is not in 1 .. 65536" --voices 1e9
opt "phonon: --cycles needs a value" --cycles
opt "phonon: --float takes no value" --float=1
opt "phonon: unknown option --cylces" --cylces 2
opt "phonon: unknown option -x" -x
$P render "$T/ok.ph" "$T/o.wav" --no-system-samples --cycles=1 --block 128 > "$T/o.txt" 2>&1 && grep -q "1.000 s" "$T/o.txt" &&
  ok "render: --cycles=1 and --block 128 are read" || no "render --cycles=1: $(cat "$T/o.txt")"
$P render "$T/ok.ph" --cycles 1 "$T/o2.wav" --no-system-samples > "$T/o.txt" 2>&1 && [ -f "$T/o2.wav" ] &&
  ok "render: options may come between the files" || no "render options between files: $(cat "$T/o.txt")"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
