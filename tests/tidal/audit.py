#!/usr/bin/env python3
"""Write docs/TIDAL-AUDIT.md: every top-level function of Tidal 1.7.10's Sound.Tidal.Core, .UI and
.Control against phonon — present, a deliberate departure, not applicable to phonon, or missing.

    python3 tests/tidal/audit.py build/phonon > docs/TIDAL-AUDIT.md
    python3 tests/tidal/audit.py --extract TIDAL/src/Sound/Tidal > tests/tidal/tidal-1.7.10-names.txt

Whether phonon has a name is asked of phonon itself: `phonon check` of `d1 $ s "bd" $ NAME` says
"unknown function 'NAME'" when it has none. tests/render/patterns_doc.sh fails when the page is stale.
"""
import os
import re
import subprocess
import sys
import tempfile

NAMES = 'tests/tidal/tidal-1.7.10-names.txt'

# Names phonon has but means or takes differently, and why (docs/PATTERNS.md, "Differences").
DEPARTURES = {
}

# Names that do not apply to a phonon program, by reason.
NOT_APPLICABLE = [
    (r'^in\d+$|^c[BFINRST](0|_)?$',
     "controller inputs of Tidal's OSC control bus: a phonon program reads a host's values as buses (`set ~name 0.5`)"),
    (r'^(trigger|triggerWith|ctrigger|qtrigger|qt|rtrigger|ftrigger|reset)$',
     "restart a pattern from the cycle Tidal's scheduler saw an evaluation at: phonon keeps one clock through every edit (LANGUAGE.md, \"Live edits\")"),
    (r'^(sec|msec)$', 'read the tempo from the scheduler state of a query (`_cps`): phonon queries carry no such state'),
    (r'^(fromList|fastFromList|listToPat|fromMaybes|flatpat)$', 'Haskell lists into patterns: mini-notation writes them (`"a b c"`, `"<a b c>"`)'),
    (r'^(sig)$', 'a Haskell function of time: the language has no lambdas; the continuous patterns are named'),
    (r'^(timeToRand|timeToRands|timeToRands\'|timeToIntSeed|intSeedToRand|xorwise|randArcs)$',
     "the random generator's inside, reproduced bit for bit by phonon (PATTERNS.md, \"Randomness\")"),
    (r'^(squeezeJoinUp|mergePlayRange|enclosingArc|revArc|withinArc|chopArc|compressTo|pequal|deconstruct|parseLMRule|parseLMRule\'|lindenmayer|lindenmayerI|runMarkov|toMIDI|samples\'|spread\')$',
     'a helper on Haskell values (arcs, strings, lists), not a pattern function'),
    (r'^_', 'an internal function (the unpatterned form of another)'),
]


def extract(src_dir):
    seen, out = set(), []
    for mod in ('Core', 'UI', 'Control'):
        for line in open(os.path.join(src_dir, mod + '.hs'), encoding='utf-8'):
            m = re.match(r"^([a-z_][A-Za-z0-9_']*(?:\s*,\s*[a-z_][A-Za-z0-9_']*)*)\s*::", line)
            for name in (re.split(r'\s*,\s*', m.group(1)) if m else []):
                if name not in seen:
                    seen.add(name)
                    out.append('%s %s' % (name, mod))
    return out


def has(phonon, name, tmp):
    path = os.path.join(tmp, 'a.ph')
    with open(path, 'w', encoding='utf-8') as f:
        f.write('d1 $ s "bd" $ %s\n' % name)
    r = subprocess.run([phonon, 'check', path], capture_output=True, text=True)
    return "unknown function '%s'" % name not in r.stdout + r.stderr


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--extract':
        sys.stdout.write('\n'.join(extract(sys.argv[2])) + '\n')
        return
    phonon = sys.argv[1] if len(sys.argv) > 1 else 'build/phonon'
    rows = [l.split() for l in open(NAMES, encoding='utf-8') if l.strip() and not l.startswith('#')]
    present, departs, na, missing = [], [], {}, []
    with tempfile.TemporaryDirectory() as tmp:
        for name, mod in rows:
            why = next((w for pat, w in NOT_APPLICABLE if re.match(pat, name)), None)
            if why:
                na.setdefault(why, []).append(name)
            elif name in DEPARTURES:
                departs.append((name, mod))
            elif has(phonon, name, tmp):
                present.append((name, mod))
            else:
                missing.append((name, mod))
    code = lambda ns: ' '.join('`%s`' % n for n in ns)
    out = ['# Tidal 1.7.10 against phonon', '',
           'Every top-level function of Tidal 1.7.10\'s `Sound.Tidal.Core`, `Sound.Tidal.UI` and `Sound.Tidal.Control`',
           '(the %d with a type signature, listed in `tests/tidal/tidal-1.7.10-names.txt`), and what phonon has of' % len(rows),
           'it. Whether phonon has a name is asked of phonon itself (`phonon check`); this page is written by',
           '`python3 tests/tidal/audit.py build/phonon > docs/TIDAL-AUDIT.md`, and `tests/render/patterns_doc.sh`',
           'fails when it is stale. What phonon has is documented with its events in [PATTERNS.md](PATTERNS.md);',
           'Tidal\'s operators (`# |+ +| |+| ... |++ <~ ~>`) are in [LANGUAGE.md](LANGUAGE.md), its parameters in',
           'the parameter table there.', '',
           '| | count |', '|---|---|',
           '| present | %d |' % len(present), '| present, with a departure | %d |' % len(departs),
           '| not applicable to a phonon program | %d |' % sum(len(v) for v in na.values()),
           '| missing | %d |' % len(missing), '',
           '## Present', '']
    for mod in ('Core', 'UI', 'Control'):
        ns = [n for n, m in present if m == mod]
        out += ['**%s** (%d): %s' % (mod, len(ns), code(ns)), '']
    out += ['## Present, with a departure', '']
    if departs:
        out += ['| name | how phonon differs |', '|---|---|'] + ['| `%s` | %s |' % (n, DEPARTURES[n]) for n, _ in departs]
    else:
        out += ['None: where phonon departs from Tidal 1.7.10 it is in what some functions give at their edges',
                '(PATTERNS.md, "Differences from Tidal"), not in what a name means or takes. Beyond Tidal, `stack`',
                '`cat` `fastcat` `randcat` also take their patterns as arguments, and `|++` also joins event chains.']
    out += ['', '## Not applicable', '', '| names | why |', '|---|---|']
    out += ['| %s | %s |' % (code(ns), why) for why, ns in na.items()]
    out += ['', '## Missing', '',
            'Not in phonon yet, in the order of the source. The ones a Tidal user types most were added with',
            'this audit (each with Tidal-generated cases in `tests/tidal/cases-last.jsonl`); these are the rest:', '']
    for mod in ('Core', 'UI', 'Control'):
        ns = [n for n, m in missing if m == mod]
        if ns:
            out += ['**%s** (%d): %s' % (mod, len(ns), code(ns)), '']
    sys.stdout.write('\n'.join(out))


if __name__ == '__main__':
    main()
