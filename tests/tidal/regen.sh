#!/bin/sh
# Regenerate one corpus file from its case generator with the real Tidal 1.7.10 (ghc + libghc-tidal-dev):
#   sh tests/tidal/regen.sh last        (make_last.py -> cases-last.jsonl, tidal-last.jsonl, expected-last.jsonl)
# The reviewed differences (differs-NAME.txt) take phonon's own line for those ids (merge.py).
set -e
name=$1
phonon=${PHONON:-build/phonon}
python3 tests/tidal/make_$name.py > tests/tidal/cases-$name.jsonl
python3 tests/tidal/gen.py tests/tidal/cases-$name.jsonl > tests/tidal/tidal-$name.jsonl
$phonon events --jsonl < tests/tidal/cases-$name.jsonl > /tmp/phonon-$name.jsonl
python3 tests/tidal/merge.py tests/tidal/tidal-$name.jsonl tests/tidal/differs-$name.txt /tmp/phonon-$name.jsonl \
    > tests/tidal/expected-$name.jsonl
if ! cmp -s tests/tidal/expected-$name.jsonl /tmp/phonon-$name.jsonl; then
    echo "regen.sh: phonon differs from Tidal on:"
    diff tests/tidal/expected-$name.jsonl /tmp/phonon-$name.jsonl | grep '^>' | cut -c1-60
fi
