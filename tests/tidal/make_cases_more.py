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


def mini_cases():
    out = []

    def add(mini, n=2, c0=0, **kw):
        d = {'id': 'mn-%03d' % len(out), 'mini': mini, 'cycles': [c0, c0 + n]}
        d.update(kw)
        out.append(d)
    # '%' takes a whole step sequence (Tidal: pSequence pRational)
    for m in ['{0 1}%2 3', '{a b c}%4*2', '{a b c}%4?', '{a b c}%4 5', '{a b c}%<4 2>', '{a b c}%[2 4]',
              '{a b c d e}%3 . 2', '[{a b c}%2 3, d]', '<{a b}%3 3 c>', '{a b c}%4/2', '{a b c}%1.5 2',
              '{a b c}%2!', '{a b c}%2 ~ 4', '{a b, c d e}%4 2', '{a b c}%2?0.3', '{0 .. 5}%4 2',
              'x {a b c}%4', '{a b c}%[4|2]', '{a b c}%<2 4>?', '{a b c}%4@2', '{a b c}%4 _',
              '{a b c}%4!2', '{a b c}%4 {a b c}%4', '{a b c}%2 . 4 8', '{a b c}%4 e', '{a b}%3 c d',
              '[{a b c}%4 | e]', '{a b c}%-2', '{a b c}%0 2', '{a b c}%4(3,8)', '{a b c}%<4 8 2>*2']:
        add(m, 3)
    add('{0 1 2}%4*2', 2, type='numbers')
    # chord modifier groups: a range, inversions, open, as Tidal 1.7.10's parseChord reads them
    for m in ["c'maj'4i", "c'maj'5io", "c'maj'oo", "c'maj'3ii", "e'min7'ii", "c'maj'o", "c'major'i",
              "c'maj'10", "c'maj'ioo", "0'dom7'6ii", "c'maj'2", "e3'min'4", "c'maj'i c'min'ii", "c'maj'iii",
              "a'm9'o", "c'maj7'5iio", "g'sus4'6", "c'six'o", "0'maj'0", "c'maj'4 e'min'3i",
              "<c'maj'i e'min'ii>", "[c'maj'4i, e]", "c'maj'4i*2", "c'one'3", "c'five'3i"]:
        add(m, 1, type='notes')
    for m in ["c'maj'4i", "0'maj'5io", "e'min'oo", "2'maj'3ii", "'maj'i", "c'min7'o"]:
        add(m, 1, type='numbers')
    for m in ["c'maj'4i", "0'min'ii", "c'maj'o"]:
        add(m, 1, type='int')
    # note names and ratio letters in number patterns: "e5" is 1/8 then 5 (Tidal's pRatio comes first)
    for m in ['e5', 'e5 c', 'e', 'q3 1', 'c5 e', 'e 5', 'c e g', 'ef5', 'eb', 'a5 e6', 'h1 q', 'w e2 x',
              '0 e5 t', 'e5*2', '[e5 c]', 'e5?', 'cs e5', 'es5', 'f5 e']:
        add(m, 1, type='numbers')
    for m in ['e5', 'e5 c', 'ef5', 'eb', 'e5 cs2']:
        add(m, 1, type='notes')
    # weights and degrade arguments
    for m in ['a _@2 b', 'a _ @2 b', 'a@2 _ b', 'a _@1.5 b', 'a __ b', 'a _@2 _ b', 'a?1', 'a?1 b?0',
              'a*8?1', 'a*8?0', 'a*8?0.25', '[a b]?1', 'a? b?1 c?', 'a*4?1?', 'a@2?1 b',
              'a ~@2 b', 'a _@0.5 b', 'a@3_ b', 'a! _ b', 'a _! b']:
        add(m, 2)
    return out


def edge_cases():
    out = []

    def add(mini, tr, n=2, c0=0, **kw):
        d = {'id': 'ed-%03d' % len(out), 'mini': mini, 'transforms': tr, 'cycles': [c0, c0 + n]}
        d.update(kw)
        out.append(d)
    # striate over an existing begin/end
    for b, e in [('0.25', '0.75'), ('0.5', '1'), ('0 0.5', '0.5 1'), ('<0 0.5>', '1')]:
        for k in ('2', '3', '<2 4>'):
            add('bd sn', [['#', 'begin', b], ['#', 'end', e], ['striate', k]], 2, control='s')
    add('bd sn', [['#', 'begin', '0.2'], ['striate', '2']], 1, control='s')
    add('bd sn', [['#', 'end', '0.6'], ['striate', '3']], 1, control='s')
    add('bd', [['#', 'begin', '0.1'], ['#', 'end', '0.9'], ['striateBy', '2', '0.5']], 1, control='s')
    # negative counts in euclidInv / euclidFull (and euclid, euclidOff for comparison)
    for k in ('-3', '3', '-5', '<3 -3>', '-8', '0', '-9'):
        add('bd', [['euclidInv', k, '8']], 1)
        add('bd', [['euclidFull', k, '8', 'hh']], 1)
        add('bd', [['euclid', k, '8']], 1)
    add('bd', [['euclidFull', '-3', '-8', 'hh']], 1)
    add('bd', [['euclidInv', '3', '-8']], 1)
    add('bd', [['euclidOff', '-3', '8', '2']], 1)
    add('[bd sn]', [['euclidFull', '<-3 5>', '8', 'hh*2']], 2)
    # rot by more than the event count, negative, patterned
    for r in ('3', '4', '5', '7', '-1', '-4', '-7', '<1 5>', '1 6', '100'):
        add('a b c', [['rot', r]], 2)
    add('a [b c] ~ d', [['rot', '6']], 2)
    add('a b c d e', [['rot', '-12']], 1)
    # trunc above 1, at 1, 0 and negative
    for t in ('1.5', '2', '1', '0.75', '<0.5 1.5>', '3'):
        add('a b c d', [['trunc', t]], 2)
    add('a b c d', [['trunc', '0']], 1)
    add('a b c d', [['trunc', '-0.5']], 1)
    add('a b c d', [['trunc', '0 0.5']], 1)
    # bite with negative and large indexes
    for i in ('-1', '-2', '4', '5', '-5', '<0 -1>', '0 -3', '9'):
        add('a b c d', [['bite', '4', i]], 2)
    add('a b c d', [['bite', '0', '1']], 1)
    add('a b c d', [['bite', '-2', '1']], 1)
    add('a b c d', [['bite', '2', '<0 -1>']], 2)
    # linger, below -1 and degenerate
    for l in ('-1', '-1.5', '-2', '-0.25', '1.5', '2', '<0.25 -1.5>', '-3', '0.25 -1.5'):
        add('a b c d', [['linger', l]], 2)
    add('a b c d', [['linger', '0']], 1)
    # zoom with a negative start, beyond the cycle, inverted
    for z in (('-0.25', '0.5'), ('-1', '0'), ('-0.5', '0.5'), ('0.5', '1.5'), ('-1.5', '-0.5'), ('0.25', '0.25'),
              ('0.75', '0.25'), ('-0.25', '1.25')):
        add('a b c d', [['zoom', z[0], z[1]]], 2)
    # whenmod and every' degenerate arguments
    add('a b', [['whenmod', '0', '2', [['rev']]]], 2)
    add('a b', [['whenmod', '4', '0', [['rev']]]], 4)
    add('a b', [['whenmod', '4', '2', [['rev']]]], 4)
    add('a b', [['whenmod', '-4', '2', [['rev']]]], 4)
    add('a b', [["every'", '0', '0', [['rev']]]], 2)
    add('a b', [["every'", '0', '1', [['rev']]]], 2)
    add('a b', [["every'", '3', '5', [['rev']]]], 6)
    add('a b', [["every'", '-3', '1', [['rev']]]], 6)
    add('a b', [["every'", '3', '-1', [['rev']]]], 6)
    add('a b', [['every', '0', [['rev']]]], 2)
    add('a b', [['every', '-2', [['rev']]]], 4)
    # nested and patterned
    add('a b c d', [['zoom', '-0.25', '0.5'], ['rot', '5'], ['trunc', '1.5']], 2)
    add('a b c d', [['bite', '2', '-1'], ['linger', '-1.5']], 2)
    add('a b c d', [['every', '2', [['linger', '-1.5']]]], 2)
    add('a b c d', [['off', '0.25', [['trunc', '1.5']]]], 2)
    add('a b c d', [['chunk', '4', [['rot', '5']]]], 4)
    # zoom inside 0..1 over events whose wholes span cycles (Tidal maps such a whole from its own cycle)
    for m in ('a/3', 'a/2 b', '<a b>/3', 'a/3 b'):
        add(m, [['zoom', '0', '0.25']], 4, -3)
        add(m, [['linger', '0.25']], 4, -3)
        add(m, [['linger', '<0.25 -1.5>']], 4, -3)
    return out


def write(name, cases):
    with open(os.path.join(HERE, 'cases-%s.jsonl' % name), 'w', encoding='utf-8') as fh:
        for c in cases:
            fh.write(json.dumps(c) + '\n')


if __name__ == '__main__':
    write('time', time_cases())
    write('mini', mini_cases())
    write('edges', edge_cases())
