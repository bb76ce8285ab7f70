#!/bin/sh
# The names the library and the external show the world: only phonon.h's phonon_* (and the external's
# phonon_tilde_setup), so that nothing of the engine can clash with another Pd external's names.
B=${B:-build}
pass=0; fail=0
ok() { pass=$((pass+1)); echo "ok - $1"; }
no() { fail=$((fail+1)); echo "FAIL - $1"; }
check() {   # $1 = label, $2 = the defined global names, one a line (a sanitizer's own markers aside)
  set -- "$1" "$(printf '%s\n' "$2" | grep -Ev '^__(odr_)?(asan|ubsan|tsan|sancov)')"
  n=$(printf '%s\n' "$2" | grep -c .)
  other=$(printf '%s\n' "$2" | grep -v '^phonon_' | head -n 5 | tr '\n' ' ')
  if [ "$n" -gt 20 ] && [ -z "$other" ]; then ok "$1 exports $n names, every one phonon_*"
  else no "$1 exports $n names, also: $other"; fi
}
check "$B/libphonon.a" "$(nm -g --defined-only "$B/libphonon.a" 2>/dev/null | awk 'NF == 3 { print $3 }')"
# (the external is built by make all: make test checks it; make sanitize builds only the library)
if [ -f phonon~.pd_linux ]; then
  check "phonon~.pd_linux" "$(nm -D --defined-only phonon~.pd_linux | awk 'NF == 3 { print $3 }')"
  nm -D --defined-only phonon~.pd_linux | grep -q ' phonon_tilde_setup$' && ok "the external exports phonon_tilde_setup" ||
    no "the external does not export phonon_tilde_setup"
fi
echo "$pass passed, $fail failed"
[ $fail = 0 ]
