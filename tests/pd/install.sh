#!/bin/sh
# Installed like a Pd library (Pd 0.53, headless):
#  - with the checkout on Pd's path (pd -path <checkout>), right-click > Help on [phonon~] finds
#    phonon~-help.pd next to phonon~.pd_linux (helpopen.pd asks for it as the popup menu does);
#  - make install PDLIBDIR=<dir> puts the external, help, meta, examples and docs in <dir>/phonon~/, and
#    with <dir> on the path [phonon~] is found in the folder named after it, its help too;
#  - tools/deken.py packs that folder as NAME[vVERSION](ARCH).dek with its .txt and .sha256, and the
#    unpacked package works the same way.
# Last line: "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PD=${PD:-pd}
W=$(mktemp -d /tmp/phonon-install.XXXXXX)
trap 'rm -rf "$W"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -f "${2:-}" ] && sed 's/^/    | /' "$2" | tail -n 15; }
pdrun() {   # LOG PATH: open helpopen.pd with PATH as Pd's search path
    (cd / && timeout 60 "$PD" -nogui -noaudio -batch -nrt -noprefs -stderr -verbose -path "$2" \
        -open "$ROOT/tests/pd/helpopen.pd") > "$1" 2>&1
}
helpfound() {   # LOG DIR: [phonon~] was made and its help opened from DIR
    ! grep -q "couldn't create" "$1" && grep -q "^verbose(4): tried $2/phonon~-help.pd and succeeded" "$1" &&
        ! grep -qi "sorry, couldn't find help" "$1"
}

pdrun "$W/checkout.log" "$ROOT"
if helpfound "$W/checkout.log" "$ROOT"; then ok "pd -path <checkout>: Help on [phonon~] opens phonon~-help.pd beside the external"
else bad "pd -path <checkout>: Help on [phonon~] opens phonon~-help.pd beside the external" "$W/checkout.log"; fi

make -C "$ROOT" --no-print-directory install PDLIBDIR="$W/lib" > "$W/install.log" 2>&1
L="$W/lib/phonon~"
missing=""
for f in phonon~.pd_linux phonon~-help.pd phonon~-meta.pd README.md LICENSE examples/demo.pd examples/demo.ph \
    examples/events-to-pd.pd docs/PD.md docs/LANGUAGE.md; do
    [ -f "$L/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "make install: external, help, meta, examples and docs in <dir>/phonon~/"
else echo "missing:$missing" >> "$W/install.log"; bad "make install: external, help, meta, examples and docs in <dir>/phonon~/" "$W/install.log"; fi

pdrun "$W/lib.log" "$W/lib"
if helpfound "$W/lib.log" "$L"; then ok "installed: with <dir> on the path [phonon~] and its help are found in <dir>/phonon~/"
else bad "installed: with <dir> on the path [phonon~] and its help are found in <dir>/phonon~/" "$W/lib.log"; fi

mkdir -p "$W/dek" "$W/unpacked"
dek=$(python3 "$ROOT/tools/deken.py" "$L" 0.1.0 "$W/dek" 2>"$W/dek.log")
if [ -f "$dek" ] && [ "$(basename "$dek")" = "phonon~[v0.1.0]($(uname -s)-amd64-32).dek" ] &&
    grep -q "^phonon~	live-coding patterns" "$dek.txt" &&
    [ "$(cat "$dek.sha256")" = "$(sha256sum "$dek" | cut -d' ' -f1)" ] &&
    python3 -c "import zipfile, sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$dek" "$W/unpacked"; then
    pdrun "$W/dekrun.log" "$W/unpacked"
    if helpfound "$W/dekrun.log" "$W/unpacked/phonon~"; then ok "deken package: $(basename "$dek") (+ .txt, .sha256) unpacks into a folder Pd finds"
    else bad "deken package: the unpacked .dek works" "$W/dekrun.log"; fi
else
    bad "deken package: NAME[vVERSION](ARCH).dek with its .txt and .sha256" "$W/dek.log"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
