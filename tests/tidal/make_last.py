#!/usr/bin/env python3
"""Write tests/tidal/cases-last.jsonl: cases for the last functions of issue 15 (tests: ifp, when,
whenT; the word joins |++ ++| |++|) and the Tidal functions the audit found missing
(docs/TIDAL-AUDIT.md), several per function, nested in other transforms.

    python3 tests/tidal/make_last.py > tests/tidal/cases-last.jsonl
    python3 tests/tidal/gen.py tests/tidal/cases-last.jsonl > tests/tidal/expected-last.jsonl
"""
import json

cases = []


def case(cid, mini, tr, cyc=(0, 2), typ=None, control=None, random=False):
    c = {'id': 'last-' + cid, 'mini': mini}
    if typ:
        c['type'] = typ
    if control:
        c['control'] = control
    c['transforms'] = tr
    c['cycles'] = list(cyc)
    c['random'] = random
    cases.append(c)


S = dict(control='s')

# --- tests of the cycle (ifp, when) and of the time (whenT) ------------------------------------
case('ifp-doc', 'hh hc', [['ifp', 'mod 2 == 0', [['striate', '4']], [['#', 'coarse', '24 48']]]], cyc=(0, 3), **S)
case('ifp-even', 'a b c', [['ifp', 'even', [['fast', '2']], [['rev']]]], cyc=(0, 4), **S)
case('ifp-lt', 'a b', [['ifp', '< 2', [['ply', '2']], [['id']]]], cyc=(0, 4), **S)
case('ifp-flip', 'a b', [['ifp', '2 <', [['ply', '2']], [['rev']]]], cyc=(0, 4), **S)
case('ifp-ne', 'a b c d', [['ifp', 'mod 3 /= 1', [['iter', '4']], [['fast', '2']]]], cyc=(0, 6), **S)
case('ifp-neg', 'a b', [['ifp', 'mod 3 == 2', [['rev']], [['id']]]], cyc=(-4, 1))
case('ifp-slow', 'a b c d', [['ifp', 'odd', [['rev']], [['fast', '2']]], ['slow', '2']], cyc=(0, 4))
case('ifp-every', '0 1 2', [['ifp', 'mod 4 >= 2', [['+', '10']], [['every', '2', [['+', '100']]]]]], cyc=(0, 6), typ='numbers')
case('when-odd', 'a b', [['when', 'odd', [['fast', '2']]]], cyc=(0, 4), **S)
case('when-ge', 'bd sn', [['when', '>= 2', [['#', 'speed', '2']]]], cyc=(0, 4), **S)
case('when-mod', 'a*2 b', [['when', 'mod 3 == 0', [['rev']]], ['fast', '1.5']], cyc=(0, 3))
case('whenT-lt', 'a b', [['whenT', '< 2', [['fast', '2']]]], cyc=(0, 4))
case('whenT-slow', 'a b c d', [['whenT', 'mod 1 == 0.5', [['rev']]], ['slow', '2']], cyc=(0, 3), **S)
case('whenT-shift', 'a b', [['whenT', 'mod 1 >= 0.5', [['fast', '2']]], ['late', '0.25']], cyc=(0, 3), **S)
case('whenT-frac', 'a b c', [['whenT', '> 1.5', [['rev']]], ['slow', '2']], cyc=(0, 4))
case('whenT-third', '0 1', [['whenT', 'mod 2 < 1/3', [['|+', 'n', '10']]], ['slow', '3']], cyc=(0, 6), control='n')
case('whenT-nested', 'bd*2 sn', [['whenT', 'mod 2 == 0', [['striate', '2']]], ['slow', '2']], cyc=(0, 4), **S)

# --- word joins: Tidal's |++ ++| |++| on Pattern String, and phonon's on control maps -------------
W = dict(typ='words')
case('join-left', 'a b', [['|++', '<x y> z']], **W)
case('join-right', 'a b', [['++|', 'x y z']], **W)
case('join-both', 'a b', [['|++|', 'x y z']], **W)
case('join-two', 'a', [['|++', 'b c'], ['|++', 'd']], **W)
case('join-numbers', 'drum', [['|++', '<1 2> 3']], cyc=(0, 2), **W)
case('join-rest', 'a ~ b', [['|++', 'x ~']], **W)
case('join-fast', 'a b', [['fast', '2'], ['|++', '<x y>']], **W)
case('join-rev', 'a b c', [['|++', '1 2'], ['rev']], **W)
case('join-every', 'a b', [['every', '2', [['|++', 'x']]]], cyc=(0, 3), **W)
case('join-jux', 'a b', [['every', '2', [['++|', '1 2 3']]]], cyc=(0, 2), **W)
case('join-s', 'drum*2', [['|++', 's', '1 2 3']], **S)
case('join-s-right', 'drum sn', [['++|', 's', '1 2 3']], **S)
case('join-s-both', 'bd sn', [['|++|', 's', '<x y>*3']], **S)
case('join-vowel', 'a e', [['++|', 'vowel', 'i o u'], ['|++|', 'vowel', '<x y>']], control='vowel')
case('join-map-union', 'drum*2', [['#', 'speed', '2'], ['|++', 'n', '1 2']], **S)
case('join-map-num', 'drum', [['#', 'speed', '2'], ['|++', 'speed', '3']], **S)
# the same as programs write them (test_library_last): s of joined words
case('join-left-s', 'a b', [['|++', 's', '<x y> z']], **S)
case('join-two-s', 'a', [['|++', 's', 'b c'], ['|++', 's', 'd']], **S)
case('join-every-s', 'a b', [['every', '2', [['|++', 's', 'x']]]], cyc=(0, 3), **S)
case('join-striate', 'bd sn', [['striate', '2'], ['|++', 's', '<1 2>']], **S)

for c in cases:
    print(json.dumps(c))
