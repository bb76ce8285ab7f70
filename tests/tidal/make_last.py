#!/usr/bin/env python3
"""Write tests/tidal/cases-last.jsonl: cases for the last functions of issue 15 (tests: ifp, when,
whenT; the word joins |++ ++| |++|) and the Tidal functions the audit found missing
(docs/TIDAL-AUDIT.md), several per function, nested in other transforms.

    python3 tests/tidal/make_last.py > tests/tidal/cases-last.jsonl
    python3 tests/tidal/gen.py tests/tidal/cases-last.jsonl > tests/tidal/expected-last.jsonl
"""
import json

cases = []


def case(cid, mini, tr, cyc=(0, 2), typ=None, control=None, random=False, out=None):
    c = {'id': 'last-' + cid, 'mini': mini}
    if typ:
        c['type'] = typ
    if out:
        c['out'] = out          # the type of the result, when it is not the input's (gen.py)
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

# --- the audit's additions (docs/TIDAL-AUDIT.md): variants Tidal 1.7.10 defines from others -------
N = dict(typ='numbers')
case("sometimes'", '0*8', [["sometimes'", [['+', '10']]]], random=True, **N)
case("often'", 'bd*8', [["often'", [['fast', '2']]]], random=True)
case("rarely'", '0*8', [["rarely'", [['+', '10']]]], random=True, **N)
case("almostNever'", '0*16', [["almostNever'", [['+', '10']]]], random=True, **N)
case("almostAlways'", '0*8', [["almostAlways'", [['+', '10']]]], random=True, **N)
case("stut'", 'bd sn', [["stut'", '3', '0.125', [['#', 'speed', '2']]]], **S)
case("striate'", 'bd sn', [["striate'", '2', '0.25']], **S)
case('slowstripe', 'a b c', [['slowstripe', '2']], cyc=(0, 4), random=True)
case('slowstripe-pat', 'a b', [['slowstripe', '<1 2>']], cyc=(0, 4), random=True)
case('offadd', '0 1', [['offadd', '0.25', '12']], **N)
case('offadd-pat', '0 [1 2]', [['offadd', '<0.25 0.125>', '7 12']], **N)
case('qround', '0.4 0.5 1.5 2.25', [['qround', '2']], **N)
case('qfloor', '0.4 0.5 -1.5 2.7', [['qfloor', '1']], **N)
case('qceiling', '0.4 0.5 -1.5 2.7', [['qceiling', '4']], **N)
case("smash'", 'bev', [["smash'", '3', ['2', '3']]], cyc=(0, 5), **S)
case('seqPLoop', '~', [['seqPLoop', [['1', '2', 'bd*2'], ['2', '4', 'hh*3']]]], cyc=(0, 6), **S)
case('seqPLoop-late', '~', [['seqPLoop', [['3', '5', 'a b'], ['4', '6', 'c']]]], cyc=(0, 8), typ='words')

# --- the audit's additions: functions --------------------------------------------------------------
case("within'", 'a b c d', [["within'", '0', '0.5', [['fast', '2']]]])
case("within'-rev", 'a b c d e f', [["within'", '0.25', '0.75', [['rev']]]])
case("within'-slow", 'a b', [["within'", '0.5', '1', [['slow', '2']]]], cyc=(0, 3))
case('contrast', 'bd sn hh', [['contrast', [['#', 'speed', '2']], [['#', 'crush', '4']], 'sn']], **S)
case('contrast-n', 'drum*4', [['#', 'n', '0 1'], ['contrast', [['fast', '2']], [['#', 'gain', '0.5']], 'drum']], **S)
case('binaryN', '<5 12> 255', [['binaryN', '4']], typ='int', cyc=(0, 2), out='bool')
case('binaryN-pat', '5 -1', [['binaryN', '<3 8>']], typ='int', cyc=(0, 2), out='bool')
case('binary', '<1 129>', [['binary']], typ='int', cyc=(0, 2), out='bool')
case('ascii', 'a <bc d>', [['ascii']], typ='words', cyc=(0, 2), out='bool')
case('brand', '~', [['brand'], ['segment', '8']], typ='bool', random=True)
case('brandBy', '~', [['brandBy', '0.25 0.75'], ['segment', '8']], typ='bool', cyc=(0, 2), random=True)
case('selectF', 'a b c d', [['selectF', '<0 0.5 0.99>', [[['fast', '2']], [['rev']]]]], cyc=(0, 3))
case('selectF-pat', '0 1', [['selectF', '0 0.7', [[['+', '10']], [['+', '20']], [['+', '30']]]]], typ='numbers')
case('spreadChoose', 'bd sn', [['spreadChoose', 'fast', ['1', '2', '3']]], cyc=(0, 6), random=True, **S)
case('spreadr', 'a b c', [['spreadr', 'rev', []]], cyc=(0, 1))
case('spreadr-ply', 'a b', [['spreadr', 'ply', ['1', '2']]], cyc=(0, 4), random=True)
case('fit', '0 [1 2]', [['fit', '1', ['bd', 'sn', 'arpy']]], typ='int', cyc=(0, 3), out='words')
case('fit-pat', '0 1 2', [['fit', '<1 2>', [0, 10, 20, 30]]], typ='int', cyc=(0, 3))
case('fit-neg', '-1 4', [['fit', '0', ['a', 'b', 'c']]], typ='int', cyc=(0, 2), out='words')

# --- Core's joins of patterns: append and its kin, the list forms of cat (as programs write them) --------
case('append', 'a b', [['append', 'c']], cyc=(0, 4))
case('slowAppend', 'bd', [['slowAppend', 'sn*2']], cyc=(0, 3), **S)
case('slowappend', 'a', [['slowappend', '<b c>']], cyc=(0, 4))
case('fastAppend', 'bd', [['fastAppend', 'sn*2']], cyc=(0, 2), **S)
case('fastappend', 'a b', [['fastappend', 'c']], cyc=(0, 2))
case('densityGap', 'bd sn', [['densityGap', '<2 3>']], cyc=(0, 2), **S)
case('fastRepeatCycles', '<a b c>', [['fastRepeatCycles', '2']], cyc=(0, 6))
case('fastCat', 'bd sn', [['fastCat', 'hh*3', 'cp']], cyc=(0, 2), **S)
case('slowCat', 'bd sn', [['slowCat', 'hh*3', 'cp']], cyc=(0, 4), **S)
case('cat-list', 'bd sn', [['cat', 'hh*3', 'cp']], cyc=(0, 4), **S)
case('stack-list', 'bd sn', [['stack', 'hh*3', 'cp']], **S)
case('randcat-list', 'bd sn', [['randcat', 'hh*3', 'cp']], cyc=(0, 6), random=True, **S)

# --- more of UI and Core: squeezing speeds, names of patterns, swapping values, spacing out -----------
case('fastSqueeze', 'a b', [['fastSqueeze', '1 2']], cyc=(0, 2))
case('fastSqueeze-3', 'a b c', [['fastSqueeze', '<2 [1 3]>']], cyc=(0, 2))
case('slowSqueeze', 'a b c d', [['slowSqueeze', '1 2']], cyc=(0, 2))
case('inhabit', 'x y x', [['inhabit', [['x', 'bd sn'], ['y', 'hh*3']]]], cyc=(0, 2), typ='words')
case('inhabit-missing', '<x z> y', [['inhabit', [['x', 'a'], ['y', 'b c']]]], cyc=(0, 2), typ='words')
case('swap', 'a b c a', [['swap', [['a', 'x'], ['c', 'z']]]], typ='words')
case('swap-num', '0 1 2', [['swap', [[0, 'bd'], [2, 'sn']]]], typ='int', out='words')
case('spaceOut', 'a b', [['spaceOut', ['1', '0.5', '2']]], cyc=(0, 4))
case('spaceOut-s', 'bd*2 sn', [['spaceOut', ['1/2', '1']]], cyc=(0, 3), **S)

# --- the continuous patterns Tidal 1.7.10 has and phonon lacked: bipolar forms, envelopes ------------
for sig, tr, cyc in [('sine2', [['segment', '4']], (0, 1)), ('cosine2', [['segment', '4']], (0, 1)),
                     ('saw2', [['segment', '4']], (0, 2)), ('isaw2', [['segment', '4']], (0, 1)),
                     ('tri2', [['segment', '8']], (0, 1)), ('square2', [['segment', '4']], (0, 1)),
                     ('envLR', [['segment', '2']], (0, 2)), ('envEq', [['segment', '4']], (0, 2)),
                     ('envEqR', [['segment', '4']], (0, 2)), ('sine2', [['segment', '4'], ['qfloor', '2']], (0, 1)),
                     ('tri2', [['segment', '4'], ['range', '1', '5']], (0, 1))]:
    cases.append({'id': 'last-signal-%s-%d' % (sig, len(cases)), 'signal': sig, 'transforms': tr, 'cycles': list(cyc),
                  'random': False})

for c in cases:
    print(json.dumps(c))
