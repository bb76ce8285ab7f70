#!/usr/bin/env python3
"""Write tests/tidal/cases.jsonl: phonon's own Tidal-checked cases, beyond the conformance corpus.

    python3 tests/tidal/make_cases.py > tests/tidal/cases.jsonl
    python3 tests/tidal/gen.py tests/tidal/cases.jsonl > tests/tidal/expected.jsonl

The expected file is then edited only where phonon deliberately differs from Tidal 1.7.10; those
cases are listed in tests/tidal/README.md and carry "phonon" in their id.
"""
import json
import sys

cases = []


def case(cid, mini=None, tr=None, cyc=(0, 2), random=False, typ=None, control=None, signal=None):
    c = {'id': cid}
    if signal:
        c['signal'] = signal
    else:
        c['mini'] = mini
    if typ:
        c['type'] = typ
    if control:
        c['control'] = control
    if tr:
        c['transforms'] = tr
    c['cycles'] = list(cyc)
    c['random'] = random
    cases.append(c)


# --- mini-notation, words ----------------------------------------------------------------------
words = [
    'bd', 'bd sn hh', '[bd sn] [hh [cp cp]]', '~ bd ~ ~', '[~ ~] bd', '~@3 bd', '~ _ bd', '~*2 bd',
    'bd!4 sn', 'bd ! sn !', 'bd!!', 'bd!2!2', '[bd sn]! hh', '<bd sn>!2 hh', 'bd*2!2',
    'bd@3 sn@2 hh', 'bd@1.5 sn@0.5', 'bd@q sn', 'bd@1%3 sn', 'bd@ sn', 'bd@2 _ sn', 'bd _ _ _ sn _',
    '[bd _ sn] _ hh', '<bd _ sn>', '<bd@2 sn hh@3>', '<bd!2 sn>', '<[bd sn] hh*3 cp/2>',
    'bd . sn sn . hh hh hh', '. bd sn', 'bd . . sn', '[bd . sn sn] . hh', 'bd sn . [hh . cp cp]',
    'bd*3', 'bd*1.5', 'bd*0.25', 'bd/0.5', 'bd*-1', 'bd*0', 'bd*t', 'bd*1%3', 'bd* 2',
    'bd*[2 3]', 'bd*<2 3 4>', 'bd*{2 3}%4', 'bd/[2 1]', 'bd*<2 [3 1]>/2', '[bd sn]*<1 1.5>',
    'bd(3,8)', 'bd(3,8,1)', 'bd(3,8,-1)', 'bd(5,8,3)', 'bd(7,16)', 'bd(9,16,2)', 'bd(4,17)', 'bd(4,17,<2 3 1 2>)',
    'bd(5,3)', 'bd(3,0)', 'bd(0,4)', 'bd(1,1)', 'bd(3 5,8)', 'bd(<3 5>,<8 16>)', 'bd([3 5],8,[0 1])',
    'bd(3,8)?', 'bd?(3,8)', 'bd*2(3,8)', '<bd sn>(3,8)', '[bd sn, hh](3,8,2)', 'bd(3,8) sn(5,8)',
    'bd( 3 , 8 )', '{bd sn hh}(3,8)',
    '{bd sn, hh hh hh}', '{bd sn hh, cp cp}%4', '{bd sn}%<2 3>', '{bd sn hh}%1.5', '{bd*2 sn}%3',
    '{bd@3 sn}%2', '{bd!2 sn}%4', '{<bd sn> hh}%3', '{bd sn, [hh hh] cp cp}%2', '{bd}%4',
    '<bd, sn hh, cp cp cp>', '<bd <sn <hh cp>>>', '<<bd sn> <hh cp>>', '<bd sn>*<2 3>', '<bd sn>/1.5',
    '[bd, sn] [hh, cp, oh]', '[bd | sn | hh | cp]', '[bd sn | hh*3 | cp(3,8)]', '[[bd | sn] hh | cp]*2',
    'bd? sn? hh? cp?', 'bd?0.2 sn?0.8', 'bd*8?0.25', 'bd??', 'bd?0.3?0.6', 'bd*4?*2', '[bd? sn]*4',
    'bd sn ?', '[bd sn hh] ?', 'bd!3?', 'bd?!3', '[bd | sn]? [hh | cp]?', '[bd? | sn?] hh?',
    'bd sn . hh ?', 'bd*16?', '<bd sn>? hh?',
    'bd:3 sn:1:2 hh:', 'drum:<0 1>', 'bd:3*2', 'bd_2 gm_piano a-b Bd.3',
    'a .. c', 'bd~ sn', 'bd~sn', 'bd [sn', 'bd sn]', 'bd <sn', '{bd sn', 'bd(3,8', 'bd*', 'bd*2*2',
    'bd(3,8)*2', 'bd . ', 'bd _ ! sn', '_ bd', '? bd', 'bd ? sn', '<>', '[]', '[ ]', '  ', '~',
    '[bd, sn | hh]', '<bd | sn>', 'bd ^foo', 'bd %2', 'bd,sn', 'bd sn, hh hh hh, cp', 'bd | sn',
    'bd - sn -', 'f#5 cs4', 'bd -', '~ ~ ~ bd',
]
for i, m in enumerate(words):
    case('w-%03d' % i, m, cyc=(0, 4) if '?' not in m and '|' not in m else (0, 8), random=('?' in m or '|' in m))

windows = [('<bd sn hh>', (-4, 2)), ('bd*2 <sn cp hh>', (7, 10)), ('bd/3 sn', (-3, 3)), ('bd? sn?', (-4, 4)),
           ('[bd | sn | hh]', (-6, 2)), ('bd(3,8,<0 1 2>)', (-3, 3)), ('{bd sn hh}%4', (-2, 2)), ('<bd@3 sn>', (-5, 1))]
for i, (m, cyc) in enumerate(windows):
    case('win-%02d' % i, m, cyc=cyc, random=('?' in m or '|' in m))

# --- numbers, notes, ints, times, bools --------------------------------------------------------
nums = ['0 1 2', '-1 -0.5 1e2 1.5e-1', '+1 2', '0 .. 4', '4 .. 0', '0.5 .. 3', '3 .. 0.5', '-2 .. 2',
        '0 .. 2 7', '[0 .. 3]*2', '<0 2> .. 4', '0 [1 2]!2 <3 4>', '1%3 2', '3q 2e', 'c a e g', 'h q s t w x',
        '0..3', '1 .5', '1. 2', '0 1 . 2 3 4', '0 ~ 1@2 2', '0(3,8)', '0? 1? 2?', '[0 | 1 | 2]*4', '- 1']
for i, m in enumerate(nums):
    case('n-%02d' % i, m, typ='numbers', cyc=(0, 2), random=('?' in m or '|' in m))
notes = ['c e g', 'c4 e5 a3 cs2 bf df6', 'css5 cf5 en5 fs', "c'maj e'min", "c'maj7 e4'min7'ii", "0'maj 3'min7",
         "c'maj'5 c'min'o c'dom7'i", "c'major c'M c'aug c'six c'sus4 c'nine", "'maj", "c'maj*2 <e'min g'dom7>",
         "c'nonsense", '0 .. 3', 'c .. e', 'h q', '0.5 1', "c'maj'iii", "e'min7'10", "c'"]
for i, m in enumerate(notes):
    case('note-%02d' % i, m, typ='notes', cyc=(0, 2))
ints = ['0 1 2', '-3 4', 'c e g', '0 .. 3', '3 .. -1', "c'maj", '1.5', '<1 2> 3(3,8)']
for i, m in enumerate(ints):
    case('int-%02d' % i, m, typ='int', cyc=(0, 2))
times = ['1 0.5 0.25', '1%3 2%3', 't h q e s f x w', '3t 2q', '0.1 0.3', '<1 2> 1.5', '0 .. 3', '1e-1']
for i, m in enumerate(times):
    case('time-%02d' % i, m, typ='time', cyc=(0, 2))
bools = ['t f 1 0', 't(3,8)', 't(3,8,2)', 't(-3,8)', '<t f> t*2', '[t | f]*4', 'x t', 'true false', 'tf']
for i, m in enumerate(bools):
    case('bool-%02d' % i, m, typ='bool', cyc=(0, 2), random='|' in m)

# --- transforms ----------------------------------------------------------------------------------
S = 'bd sn hh cp'
trs = [
    ('fast', S, [['fast', '<1 2 0.5>']], (0, 4)), ('fast', S, [['fast', '1.5 2']], (0, 3)),
    ('fast', '<bd@3 sn>', [['fast', '2']], (0, 4)), ('fast', S, [['fast', '-1']], (0, 2)),
    ('fast', S, [['fast', '0 1']], (0, 2)), ('fast', S, [['fast', '0.1']], (0, 2)),
    ('slow', S, [['slow', '<2 3>']], (0, 6)), ('slow', S, [['slow', '0.5 4']], (0, 3)),
    ('hurry', S, [['fast', '<1 2>'], ['rev']], (0, 4)),
    ('early', S, [['early', '<0.25 0.5>']], (-1, 3)), ('late', S, [['late', '0.125 0.375']], (0, 3)),
    ('rotL', S, [['rotL', 0.25]], (0, 2)), ('rotR', '<bd sn>/2', [['rotR', 0.5]], (0, 4)),
    ('rev', '<bd sn> [hh cp]*2', [['rev']], (0, 4)), ('rev', 'bd/2 sn', [['rev']], (0, 4)),
    ('rev', 'bd(3,8,<1 2>)', [['rev']], (0, 4)),
    ('palin', '<bd sn hh> cp', [['palindrome']], (0, 6)),
    ('iter', S, [['iter', '<4 2>']], (0, 6)), ('iter', '0 1 2 3 4', [['iter', '5']], (-2, 5)),
    ('iterBack', S, [['iterBack', '3']], (0, 4)), ('iter', S, [['iter', '0']], (0, 2)),
    ('ply', S, [['ply', '<2 3>']], (0, 4)), ('ply', 'bd [sn cp]', [['ply', '1.5']], (0, 2)),
    ('ply', S, [['ply', '2 3']], (0, 2)), ('ply', 'bd@3 sn', [['ply', '2']], (0, 2)),
    ('press', S, [['press']], (0, 2)), ('pressBy', S, [['pressBy', '<0.25 0.75>']], (0, 4)),
    ('segment', 'bd sn hh', [['segment', '4']], (0, 2)), ('segment', '0 1 2', [['segment', '<2 5>']], (0, 4)),
    ('range', '0 0.5 1', [['range', '1', '<5 9>']], (0, 4)), ('range', '0 0.5 1', [['range', '-2 2', '3']], (0, 2)),
    ('add', '0 1 2 3', [['add', '<10 20> 30']], (0, 4)), ('mul', '1 2 3', [['mul', '1.5 -1']], (0, 2)),
    ('sub', '1 2 3', [['sub', '1']], (0, 2)),
    ('struct', S, [['struct', 't*2 [t f t]']], (0, 2)), ('struct', 'bd', [['struct', 't(3,8)']], (0, 2)),
    ('struct', 'bd sn', [['struct', '1 0 1 1']], (0, 2)), ('struct', '0 1 2 3', [['struct', '<t f> t t']], (0, 4)),
    ('mask', 'bd*8', [['mask', 't f <t f> t']], (0, 4)), ('mask', S, [['mask', '1 [0 1]']], (0, 2)),
    ('euclid', 'bd', [['euclid', '<3 5>', '8']], (0, 4)), ('euclid', 'bd sn', [['euclid', '3', '<8 16>']], (0, 2)),
    ('euclid', 'bd', [['euclid', '-3', '8']], (0, 2)), ('euclid', 'bd', [['euclid', '5', '3']], (0, 2)),
    ('euclidInv', 'bd', [['euclidInv', '3', '8']], (0, 2)), ('euclidFull', 'bd', [['euclidFull', '3', '8', 'hh']], (0, 2)),
    ('euclidRot', 'bd', [['euclidRot', '3', '8', '<1 2>']], (0, 4)), ('euclidOff', 'bd sn', [['euclidOff', '5', '8', '2']], (0, 2)),
    ('every', S, [['every', '<2 3>', [['fast', '2']]]], (-4, 8)), ('every', S, [['every', '0', [['rev']]]], (0, 2)),
    ('every', S, [['every', '-2', [['rev']]]], (-2, 2)), ('every', S, [['every', '2 3', [['rev']]]], (0, 4)),
    ('lastOf', S, [['lastOf', '4', [['rev']]]], (0, 8)), ("every'", S, [["every'", '3', '1', [['fast', '2']]]], (0, 6)),
    ('whenmod', S, [['whenmod', '4', '2', [['rev']]]], (0, 8)), ('whenmod', S, [['whenmod', '<4 8>', '2', [['fast', '2']]]], (0, 8)),
    ('within', S, [['within', '0', '0.5', [['fast', '2']]]], (0, 2)), ('within', S, [['within', '0.25', '0.75', [['rev']]]], (0, 2)),
    ('chunk', S, [['chunk', '4', [['fast', '2']]]], (0, 8)), ('chunk', '<a b c d e f g h>', [['chunk', '4', [['fast', '2']]]], (0, 8)),
    ("chunk'", S, [["chunk'", '4', [['rev']]]], (0, 8)), ('chunk', S, [['chunk', '<2 4>', [['rev']]]], (0, 8)),
    ('while', S, [['while', '1 0', [['fast', '2']]]], (0, 2)), ('while', S, [['while', '<t f> t', [['rev']]]], (0, 4)),
    ('brak', 'bd sn hh', [['brak']], (0, 4)), ('brak', '<bd sn>*2', [['brak']], (-2, 4)),
    ('off', '0 1', [['off', '0.25', [['add', '12']]]], (0, 2)), ('off', 'bd sn', [['off', '<0.125 0.25>', [['fast', '2']]]], (0, 4)),
    ('off', 'bd sn', [['off', '0.125 0.25', [['rev']]]], (0, 2)), ('off', 'bd sn', [['off', 0.5, [['late', '0.25']]]], (0, 2)),
    ('superimpose', 'bd sn', [['superimpose', [['fast', '2'], ['rev']]]], (0, 2)),
    ('superimpose', '0 1', [['superimpose', [['add', '12']], [['add', '7']]]], (0, 2)),
    ('layer', '0 1 2', [['layer', [['rev']], [['add', '10']], [['fast', '2']]]], (0, 2)),
    ('stack', 'bd sn', [['stack', 'hh*3', '<cp oh>']], (0, 4)), ('cat', 'bd sn', [['cat', 'hh', '<cp oh>']], (0, 6)),
    ('fastcat', 'bd sn', [['fastcat', 'hh*2', 'cp']], (0, 2)), ('cat', 'bd/2', [['cat', 'sn']], (0, 6)),
    ('inside', S, [['inside', '2', [['rev']]]], (0, 2)), ('inside', S, [['inside', '<2 4>', [['iter', '4']]]], (0, 4)),
    ('outside', '<a b c> d', [['outside', '3', [['rev']]]], (0, 6)),
    ('zoom', S, [['zoom', '0.25', '0.75']], (0, 2)), ('zoom', 'a b c d e f', [['zoom', '0.5', '1']], (0, 2)),
    ('zoom', S, [['zoom', '0', '2']], (0, 2)), ('compress', S, [['compress', '0.25', '0.75']], (0, 2)),
    ('compress', '<a b>', [['compress', '0', '0.5']], (0, 4)), ('compress', S, [['compress', '0.5', '0.25']], (0, 2)),
    ('fastGap', S, [['fastGap', '<2 3>']], (0, 4)), ('fastGap', S, [['fastGap', '0.5']], (0, 2)),
    ('linger', S, [['linger', '<0.25 0.5>']], (0, 4)), ('linger', '<a b c d>', [['linger', '0.25']], (0, 8)),
    ('linger', S, [['linger', '-0.25']], (0, 2)), ('linger', S, [['linger', '0.75']], (0, 2)),
    ('trunc', S, [['trunc', '<0.75 0.5>']], (0, 4)), ('trunc', 'a b c', [['trunc', '0.6']], (0, 2)),
    ('repeatCycles', '<a b c d>', [['repeatCycles', '<2 3>']], (0, 8)), ('repeatCycles', '<a b>', [['repeatCycles', '2']], (-4, 4)),
    ('swingBy', 'hh*8', [['swingBy', '1/3', '4']], (0, 2)), ('swingBy', 'hh*8', [['swingBy', '0.25', '<2 4>']], (0, 4)),
    ('swing', 'hh*8', [['swing', '4']], (0, 1)),
    ('stutWith', 'a b', [['stutWith', '3', '0.125', [['fast', '2']]]], (0, 2)),
    ('stutWith', '0 1', [['stutWith', '<2 4>', '1/8', [['add', '12']]]], (0, 4)),
    ('echo', 'a b', [['echo', '0.25']], (0, 2)),
    ('chain', 'bd sn', [['every', '2', [['fast', '2']]], ['iter', '4'], ['rev']], (0, 8)),
    ('chain', 'bd [sn cp]', [['ply', '2'], ['rev'], ['fast', '<1 2>']], (0, 4)),
    ('chain', '0 1 2 3', [['inside', '2', [['rev']]], ['every', '3', [['add', '10']]]], (0, 6)),
    ('chain', 'bd*2 sn', [['off', '0.25', [['rev'], ['fast', '2']]], ['euclid', '3', '8']], (0, 2)),
]
for i, (name, m, tr, cyc) in enumerate(trs):
    case('t-%03d-%s' % (i, name), m, tr, cyc)

# --- randomness --------------------------------------------------------------------------------
rnd = [
    ('degradeBy', 'hh*16', [['degradeBy', '<0.2 0.8>']], (0, 8)), ('degradeBy', 'hh*8', [['degradeBy', '0']], (-2, 2)),
    ('degradeBy', 'hh*8', [['degradeBy', '1']], (0, 2)), ('degrade', 'bd*8 sn*8', [['degrade']], (0, 4)),
    ('undegradeBy', 'hh*16', [['undegradeBy', '0.3 0.7']], (0, 4)), ('degradeBy', 'bd/2', [['degradeBy', '0.5']], (0, 8)),
    ('sometimesBy', '0*8', [['sometimesBy', '0.3', [['add', '1']]]], (0, 4)),
    ('sometimesBy', '0*8', [['sometimesBy', '<0.1 0.9>', [['add', '1']]]], (0, 4)),
    ('sometimes', 'bd*8', [['sometimes', [['ply', '2']]]], (0, 4)), ('often', 'bd*8', [['often', [['rev']]]], (0, 4)),
    ('rarely', 'bd*8', [['rarely', [['fast', '2']]]], (0, 4)), ('almostNever', 'bd*16', [['almostNever', [['fast', '2']]]], (0, 4)),
    ('almostAlways', 'bd*8', [['almostAlways', [['rev']]]], (0, 4)), ('always', 'bd sn', [['always', [['rev']]]], (0, 2)),
    ('never', 'bd sn', [['never', [['rev']]]], (0, 2)),
    ("sometimesBy'", 'bd*8', [["sometimesBy'", '0.5', [['fast', '2']]]], (0, 4)),
    ('someCyclesBy', 'bd*4', [['someCyclesBy', '0.3', [['fast', '2']]]], (-8, 16)),
    ('someCycles', 'bd*4', [['someCycles', [['rev']]]], (0, 16)),
    ('shuffle', 'a b c d', [['shuffle', '4']], (0, 8)), ('shuffle', 'a b c d e f g h', [['shuffle', '<4 8>']], (0, 8)),
    ('shuffle', '<a b> c', [['shuffle', '2']], (-4, 4)),
    ('scramble', 'a b c d', [['scramble', '4']], (0, 8)), ('scramble', 'a b c d e f g h', [['scramble', '8']], (0, 4)),
    ('randcat', 'a', [['randcat', 'b c', 'd e f']], (0, 12)), ('randcat', 'a', [['randcat', 'b/2']], (-4, 8)),
    ('chain', 'bd*8', [['sometimes', [['rev']]], ['every', '2', [['fast', '2']]]], (0, 4)),
    ('chain', 'bd? sn*2?', [['fast', '<1 2>'], ['degradeBy', '0.3']], (0, 8)),
    ('chain', '[bd | sn | hh]*4', [['rev'], ['iter', '4']], (0, 8)),
]
for i, (name, m, tr, cyc) in enumerate(rnd):
    case('r-%03d-%s' % (i, name), m, tr, cyc, random=True)
for i, (sig, tr, cyc) in enumerate([
        ('rand', [['segment', '4']], (-2, 4)), ('rand', [['segment', '3'], ['range', '1', '5']], (0, 4)),
        ('rand', [], (0, 3)), ('sine', [['segment', '8']], (0, 2)), ('cosine', [['segment', '4']], (0, 2)),
        ('tri', [['segment', '6']], (0, 2)), ('square', [['segment', '3']], (0, 2)), ('isaw', [], (0, 2)),
        ('sine', [['segment', '<4 2>'], ['range', '-1', '1']], (0, 4)), ('saw', [['segment', '4'], ['fast', '1.5']], (0, 2)),
        ('sine', [['range', '1', '5'], ['segment', '2']], (0, 2)), ('square', [['late', '0.25'], ['segment', '4']], (0, 2))]):
    case('sig-%02d-%s' % (i, sig), signal=sig, tr=tr, cyc=cyc, random=sig == 'rand')
case('sig-op-01', '1 2', [['+', '<0 10>']], (0, 2), typ='numbers')
case('sig-op-02', '1 2 3', [['|+|', '10 20']], (0, 2), typ='numbers')
case('sig-op-03', '1 2 3', [['+|', '10 20']], (0, 2), typ='numbers')
case('sig-op-05', '1 2 3', [['|*', '<2 3>']], (0, 2), typ='numbers')
case('sig-op-06', '1 2 3', [['|%', '2']], (0, 2), typ='numbers')
case('sig-op-07', '1 2 3', [['|-', '0.5 1']], (0, 2), typ='numbers')

# --- control maps ------------------------------------------------------------------------------
C = 'bd sn [hh hh] cp'
ctl = [
    ('hash', C, [['#', 'speed', '1 2']], (0, 2)), ('hash', 'bd*4', [['#', 'n', '<0 1> 2'], ['#', 'gain', '0.8']], (0, 2)),
    ('plus', 'bd*4', [['#', 'n', '0 1'], ['|+', 'n', '<10 20>']], (0, 2)), ('plusn', 'bd*4', [['|+', 'n', '1']], (0, 2)),
    ('times', 'bd*4', [['#', 'gain', '0.5'], ['|*', 'gain', '1 2']], (0, 2)),
    ('keepleft', 'bd*2', [['#', 'speed', '2'], ['|<', 'speed', '3 4']], (0, 2)),
    ('rightstruct', 'bd*2', [['+|', 'speed', '1 2 3']], (0, 2)),
    ('bdindex', 'bd:3 sn:1 hh', [], (0, 2)),
    ('jux', C, [['jux', [['rev']]]], (0, 2)), ('jux', 'bd sn', [['#', 'pan', '0.3'], ['jux', [['fast', '2']]]], (0, 2)),
    ('juxBy', C, [['juxBy', '0.5', [['rev']]]], (0, 2)), ('juxBy', 'bd sn', [['juxBy', '<0.25 1>', [['iter', '4']]]], (0, 4)),
    ('chop', 'bd sn', [['chop', '2']], (0, 2)), ('chop', 'bd [sn cp]', [['chop', '<2 3>']], (0, 4)),
    ('chop', 'bd sn', [['#', 'begin', '0.25'], ['#', 'end', '0.75'], ['chop', '2']], (0, 2)),
    ('chop', 'bd/2', [['chop', '4']], (0, 4)), ('chop', 'bd', [['chop', '3 2']], (0, 2)),
    ('striate', 'bd sn', [['striate', '2']], (0, 2)), ('striate', 'bd sn hh', [['striate', '<2 3>']], (0, 4)),
    ('striate', 'bd/2', [['striate', '2']], (0, 4)),
    ('striateBy', 'bd sn', [['striateBy', '3', '0.5']], (0, 2)),
    ('hurry', 'bd sn', [['hurry', '<1 2>']], (0, 4)), ('hurry', 'bd sn', [['#', 'speed', '2'], ['hurry', '0.5 2']], (0, 2)),
    ('stut', 'bd sn', [['stut', '3', '0.5', '0.125']], (0, 2)), ('stut', 'bd sn', [['#', 'gain', '0.8'], ['stut', '<2 4>', '0.2', '1/3']], (0, 4)),
    ('stut', 'bd', [['stut', '4', '0', '0.25']], (0, 2)),
    ('echo', 'bd sn', [['echo', '0.2']], (0, 2)),
    ('chunk', 'bd sn hh cp', [['chunk', '4', [['hurry', '2']]]], (0, 4)),
    ('swingBy', 'hh*8', [['swingBy', '1/3', '4']], (0, 1)), ('linger', C, [['linger', '0.25']], (0, 2)),
    ('rotLR', C, [['rotL', 0.25], ['rotR', '0.125']], (0, 2)), ('ply', C, [['ply', '2']], (0, 1)),
    ('off', 'bd sn', [['off', '0.25', [['#', 'speed', '2']]]], (0, 2)),
    ('off', 'bd sn', [['off', '0.125', [['|*', 'speed', '1.5'], ['|+', 'n', '1']]]], (0, 2)),
    ('euclidInv', 'bd', [['euclidInv', '3', '8'], ['#', 'n', '1']], (0, 1)),
    ('euclidFull', 'bd', [['euclidFull', '3', '8', 'hh']], (0, 1)),
    ('segment', 'bd', [['segment', '4'], ['#', 'speed', '1 2']], (0, 1)),
    ('range', 'bd*4', [['#', 'speed', '0 0.25 0.5 1']], (0, 1)),
    ('every', C, [['every', '2', [['#', 'speed', '2']]]], (0, 4)),
    ('sometimes', 'bd*8', [['sometimesBy', '0.5', [['#', 'speed', '2']]]], (0, 4)),
    ('chain', 'bd*2 [sn cp]', [['jux', [['rev']]], ['chop', '2']], (0, 2)),
    ('chain', 'bd sn', [['chop', '4'], ['jux', [['rev']]]], (0, 2)),
    ('chain', 'bd sn', [['striate', '2'], ['#', 'speed', '<1 2>'], ['every', '2', [['hurry', '2']]]], (0, 4)),
]
for i, (name, m, tr, cyc) in enumerate(ctl):
    case('c-%03d-%s' % (i, name), m, tr, cyc, control='s', random=any(t[0] in ('sometimesBy',) for t in tr))
case('c-note-01', "c'maj e4'min7", [['#', 's', 'superpiano']], (0, 2), control='note')
case('c-note-02', '0 .. 3', [['|+', 'n', '12']], (0, 1), control='n')

# --- details found by differential fuzzing against Tidal --------------------------------------
regress = [
    ('bd*2 e', 'words'), ('bd*2 ee', 'words'), ('bd*2 e5', 'words'), ('bd@3 e', 'words'), ('{a b}%4 e', 'words'),
    ('bd/2 e', 'words'), ('bd*2 t', 'words'), ('3 e 5', 'numbers'), ('3 q', 'numbers'), ('3 e 5', 'time'),
    ('1%3 e', 'time'), ('t*2 f', 'bool'), ('3 h', 'notes'),
    ('bd _ 3 sn', 'words'), ('bd _ _ 3 sn', 'words'), ('bd _3 sn', 'words'), ('bd@ 3 sn', 'words'),
    ('bd@2 3 sn', 'words'), ('c _ e g', 'words'), ('0 _ 2 3', 'numbers'), ('0.5 _ 1.25 3', 'numbers'),
    ('bd! 3 sn', 'words'), ('bd !3 sn', 'words'), ('bd ! 3 sn', 'words'),
    ('bd:3*<1 2 4>(3,<8 4>)', 'words'), ('bd*<1 2>(2,2)', 'words'), ('bd*[1 2](3,8)', 'words'),
    ('hh/<3 1> ~', 'words'),
]
for i, (m, t) in enumerate(regress):
    case('x-%02d' % i, m, typ=t, cyc=(-2, 2))
xtr = [
    ('hh/<3 1> ~', [['lastOf', '3', [['early', '0.25']]]], (0, 6)),
    ('a/4', [["every'", '5', '3', [['rev']]]], (0, 3)), ("a/4 b", [["chunk'", '2', [['rev']]]], (0, 4)),
    ('arpy', [['shuffle', '4']], (0, 4)), ('a/2 b', [['shuffle', '2']], (0, 4)), ('arpy', [['scramble', '4']], (0, 4)),
    ('a/2 b', [['scramble', '2']], (0, 4)), ('a b', [['shuffle', '3']], (0, 4)),
    ('[sn, bd*2] hh', [['rot', '1']], (0, 2)), ('<a b>*2 [c, d e]', [['rot', '<1 2>']], (0, 4)),
    ('a ~ b c', [['rot', '-1']], (0, 2)),
    ('<hh _ bd>', [['linger', '0.25']], (0, 4)), ('<a@3 b> c', [['zoom', '0.25', '0.75']], (0, 4)),
    ('0 .. 3 [4 .. 6]', [['every', '2', [['rev']]]], (0, 2)), ('<0 2> .. 4', [], (0, 4)),
]
for i, (m, tr, cyc) in enumerate(xtr):
    case('xt-%02d' % i, m, tr, cyc, random=any(t[0] in ('shuffle', 'scramble') for t in tr))

# --- tier 2: arp, fix ---------------------------------------------------------------------------
for i, mode in enumerate(['up', 'down', 'updown', 'downup', 'up&down', 'down&up', 'converge', 'diverge',
                          'disconverge', 'pinkyup', 'pinkyupdown', 'thumbup', 'thumbupdown']):
    case('arp-%02d' % i, "<c'maj e'min7> [c'maj'5 g'dom7]", [['arp', mode]], (0, 2), typ='notes')
case('arp-20', "c'maj e", [['arp', '<up down>']], (0, 2), typ='notes')
case('arp-21', "<c'maj e'min>*2", [['arp', '<up down diverge>'], ['fast', '1.5']], (0, 3), typ='notes')
case('fix-01', 'bd sn hh', [['fix', [['fast', '2']], 'bd']], (0, 2), control='s')
case('fix-02', 'bd*2 sn', [['#', 'speed', '1 2'], ['fix', [['#', 'crush', '4']], 'sn']], (0, 2), control='s')
case('fix-03', 'bd sn:1', [['unfix', [['#', 'crush', '4']], 'sn']], (0, 1), control='s')

for c in cases:
    sys.stdout.write(json.dumps(c) + '\n')
