#!/usr/bin/env python3
"""Write the Tidal-checked case files of issue 15's classes (exact time, mini-notation, edges):

    python3 tests/tidal/make_cases_more.py        (writes tests/tidal/cases-{time,mini,edges}.jsonl)

Then, for each NAME, with ghc + libghc-tidal-dev:

    python3 tests/tidal/gen.py tests/tidal/cases-NAME.jsonl > /tmp/tidal-NAME.jsonl
    ./phonon events --jsonl < tests/tidal/cases-NAME.jsonl > /tmp/phonon-NAME.jsonl
    python3 tests/tidal/merge.py /tmp/tidal-NAME.jsonl tests/tidal/differs.txt /tmp/phonon-NAME.jsonl \\
        > tests/tidal/expected-NAME.jsonl

Decimal times are exact (0.7 = 7/10): gen.py hands them to Tidal as fractions (see its exact_time).
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
BIG = [0, 3000, 10**6, 10**12, 10**18]


def time_cases():
    out = []

    def add(mini, tr, c0, n=2, **kw):
        d = {'id': 'tm-%03d' % len(out), 'mini': mini, 'transforms': tr, 'cycles': [c0, c0 + n]}
        d.update(kw)
        out.append(d)
    for c in BIG:
        add('bd sn', [['fast', '0.7'], ['late', '0.1']], c)
        add('bd sn', [['fast', '1.1']], c)
        add('<a b c d e f g>', [], c)
        add('bd*0.7 sn', [], c)
        add('bd@1.5 sn hh', [], c)
        add('bd sn', [['fast', '<0.7 1.3>']], c)
        add('bd sn', [['slow', '0.3']], c)
        add('bd sn hh', [['late', '0.1 0.2']], c)
        add('a b', [['early', '1.7']], c)
        add('0 1 2', [['segment', '1.1']], c, type='numbers')
        add('a b', [['ply', '1.5']], c)
        add('bd [sn cp]/1.3', [], c)
        add('<a b c d e f g>', [['fast', '0.7']], c)
        add('a b c', [['iter', '3'], ['fast', '1.1']], c)
        add('0.7 1.1', [], c, type='time')
        add('a b', [['off', '0.1', [['fast', '2']]]], c)
        add('{a b c}%1.5', [], c)
        add('a b', [['linger', '0.3']], c)
        add('a b c d', [['swingBy', '0.1', '4']], c)
        add('a*<1.1 0.9>', [['rev']], c)
    for c in (0, 3000, 10**6, 10**12):
        add('0.7 .. 3', [], c, 1, type='time')
        add('a b', [['compress', '0.1', '0.7']], c, 1)
        add('a b', [['zoom', '0.1', '0.8']], c, 1)
        add('a b c', [['fast', '0.7'], ['every', '3', [['late', '0.1']]]], c)
    for c in (-3000, -10**12, -10**18):
        add('bd sn', [['fast', '1.1']], c)
        add('<a b c d e f g>', [], c)
        add('bd sn', [['fast', '0.7'], ['late', '0.1']], c)
    return out


def write(name, cases):
    with open(os.path.join(HERE, 'cases-%s.jsonl' % name), 'w', encoding='utf-8') as fh:
        for c in cases:
            fh.write(json.dumps(c) + '\n')


if __name__ == '__main__':
    write('time', time_cases())
