#!/usr/bin/env python3
"""Write tests/tidal/cases-library.jsonl: cases for Tidal's wider library (scales, slicing,
layering, cycles, numbers, random choice, higher-order functions), several per function, with
patterned arguments where Tidal has them.

    python3 tests/tidal/make_library.py > tests/tidal/cases-library.jsonl
    python3 tests/tidal/gen.py tests/tidal/cases-library.jsonl > tests/tidal/expected-library.jsonl
"""
import json

cases = []


def case(cid, mini, tr, cyc=(0, 2), typ=None, control=None, random=False):
    c = {'id': 'lib-' + cid, 'mini': mini}
    if typ:
        c['type'] = typ
    if control:
        c['control'] = control
    c['transforms'] = tr
    c['cycles'] = list(cyc)
    c['random'] = random
    cases.append(c)


S = dict(control='s')       # a control pattern of sounds

# --- scales -------------------------------------------------------------------------------------
case('scale-major', '0 .. 7', [['scale', 'major']], typ='numbers')
case('scale-neg', '-8 -1 0 13 20', [['scale', 'minor']], typ='numbers')
case('scale-pat', '0 2 4 6', [['scale', '<major minPent ritusen>']], cyc=(0, 3), typ='numbers')
case('scale-fast', '0 1 2', [['scale', 'dorian lydian']], typ='numbers')
case('scale-quarter', '0 1 2 3 4', [['scale', 'bayati']], typ='numbers')
case('scale-unknown', '0 1 2', [['scale', 'nosuch']], typ='numbers')
case('scale-every', '0 1 2 3', [['scale', 'hexSus'], ['every', '2', [['fast', '2']]]], cyc=(0, 2), typ='numbers')
case('scale-add', '0 .. 3', [['scale', 'major'], ['+', '12']], typ='numbers')

# --- slicing ------------------------------------------------------------------------------------
case('slice-1', 'bev*4', [['slice', '4', '0 1 2 3']], **S)
case('slice-pat', 'bev', [['slice', '<4 8>', '0 [1 3] 7']], cyc=(0, 2), **S)
case('slice-neg', 'bev', [['slice', '4', '-1 5']], **S)
case('slice-begin', 'bev sn', [['#', 'begin', '0.5'], ['slice', '2', '1 0']], **S)
case('splice-1', 'bev', [['splice', '4', '0 2 1 3']], **S)
case('splice-speed', 'bev', [['#', 'speed', '2'], ['splice', '8', '0 [1 2]']], **S)
case('splice-pat', 'bev', [['splice', '<4 2>', '0 1']], cyc=(0, 2), **S)
case('chew-1', 'bd sn hh cp', [['chew', '4', '0 [1 2] 3']], **S)
case('chew-pat', 'bd sn hh cp', [['chew', '<4 2>', '0 1 [2 3]']], cyc=(0, 2), **S)
case('chew-speed', 'bd sn', [['#', 'speed', '2'], ['chew', '2', '1 0 1']], **S)
case('loopAt-2', 'break', [['loopAt', '2']], cyc=(0, 4), **S)
case('loopAt-chop', 'break', [['chop', '4'], ['loopAt', '2']], cyc=(0, 2), **S)
case('loopAt-pat', 'break*2', [['loopAt', '<1 2>']], cyc=(0, 4), **S)
case('randslice-4', 'bev*4', [['randslice', '4']], cyc=(0, 4), random=True, **S)
case('randslice-pat', 'bev*2', [['randslice', '<2 8>']], cyc=(0, 4), random=True, **S)

# --- repetition and layers ----------------------------------------------------------------------
case('stutter-4', 'bd sn', [['stutter', '4', '1/16']], **S)
case('stutter-neg', 'bd sn', [['stutter', '3', '-1/8']], **S)
case('stutter-words', 'a b c', [['stutter', '2', '1/3']])
case('double', 'bd sn', [['double', '1/8']], **S)
case('triple', 'bd ~ sn', [['triple', '1/12']], **S)
case('quad', 'bd', [['quad', '1/4']], **S)
case('spin-2', 'bd sn', [['spin', '2']], **S)
case('spin-pat', 'bd sn hh', [['spin', '<1 3>']], cyc=(0, 2), **S)
case('spin-0', 'bd sn', [['spin', '0']], **S)
case('ghost', 'bd ~ sn ~', [['ghost']], **S)
case('ghost-speed', 'bd sn', [['#', 'speed', '2'], ['ghost']], **S)
case("ghost'", 'bd sn', [["ghost'", '1/16']], **S)
case("ghost''", 'a b', [["ghost''", '1/8', [['fast', '2']]]])
case('plyWith-3', 'bd sn', [['plyWith', '3', [['|*', 'gain', '0.8']]]], **S)
case('plyWith-pat', '0 1', [['plyWith', '<2 3>', [['+', '10']]]], cyc=(0, 2), typ='numbers')
case('plyWith-frac', '0 2', [['plyWith', '2.5', [['+', '1']]]], typ='numbers')
case('arpeggiate', "c'maj e'min", [['arpeggiate']], typ='notes')
case('arpeggiate-stack', '[0,4,7] [2,5]', [['arpeggiate']], typ='numbers')
case('arpg', '[a, b, c]', [['arpg']])
case('juxcut', 'bd sn', [['juxcut', [['rev']]]], **S)
case('jux4', 'bd sn hh', [['jux4', [['fast', '2']]]], **S)

# --- cycles -------------------------------------------------------------------------------------
case('wedge-quarter', 'bd*2', [['wedge', '0.25', 'hh*3']], **S)
case('wedge-pat', 'a b', [['wedge', '<0.5 0.75>', 'c d e']], cyc=(0, 2))
case('wedge-0', 'a b', [['wedge', '0', 'c']])
case('wedge-1', 'a b', [['wedge', '1', 'c']])
case('stitch', 'bd', [['stitch', 't f [t t] f', 'hh']], **S)
case('stitch-num', '0 1 2 3', [['stitch', 't(3,8)', '10 20']], typ='numbers')
case('inv', 't f [t t] f', [['inv']], typ='bool')
case('inv-euclid', 't(3,8)', [['inv']], typ='bool')
case('loopFirst', '<a b c>', [['loopFirst']], cyc=(0, 3))
case('loopFirst-fast', '<a b c>*2', [['loopFirst']], cyc=(-1, 2))
case('timeLoop-2', '<a b c d>', [['timeLoop', '2']], cyc=(0, 5))
case('timeLoop-pat', '<a b c d>', [['timeLoop', '<2 3>']], cyc=(0, 4))
case('timeLoop-slow', 'a b c', [['slow', '4'], ['timeLoop', '2']], cyc=(0, 4))
case('soak-3', 'a b c', [['soak', '3', [['fast', '2']]]], cyc=(0, 4))
case('soak-rev', 'a [b c]', [['soak', '2', [['rev']]]], cyc=(0, 3))

# --- numbers and signals ------------------------------------------------------------------------
case('quantise-1', '0.4 0.5 1.5 2.5 -0.5 3.7', [['quantise', '1']], typ='numbers')
case('quantise-4', '0.1 0.13 0.3 0.9', [['quantise', '4']], typ='numbers')
case('quantise-range', '0 0.25 0.5 0.75', [['range', '1', '5'], ['quantise', '1']], typ='numbers')
case('rangex', '0 0.25 0.5 1', [['rangex', '20', '2000']], typ='numbers')
case('rangex-seg', '0 0.5', [['rangex', '1', '100'], ['fast', '2']], typ='numbers')
case('perlin-seg', '~', [['perlin'], ['segment', '4']], cyc=(0, 3), typ='numbers')
case('perlin-struct', '~', [['perlin'], ['struct', 't*3 t']], cyc=(-2, 1), typ='numbers')
case('perlinWith', '0 0.5 1.5 2.25', [['perlinWith']], typ='numbers')
case('perlinWith-slow', '0 0.5 1.5 2.25', [['fast', '3'], ['perlinWith']], typ='numbers')

# --- random choice from lists -------------------------------------------------------------------
case('choose-seg', '~', [['choose', [0, 2, 7]], ['segment', '4']], cyc=(0, 3), typ='numbers', random=True)
case('choose-struct', '~', [['choose', ['bd', 'sn', 'hh', 'cp']], ['struct', 't*2 [t t]']], cyc=(0, 3), typ='words', random=True)
case('choose-one', '~', [['choose', [5]], ['segment', '2']], typ='numbers')
case('chooseBy', '~', [['chooseBy', '0 0.25 0.5 0.75 0.99', [1, 2, 3]]], typ='numbers')
case('chooseBy-neg', '~', [['chooseBy', '-0.5 1 1.5', [10, 20]]], typ='numbers')
case('wchoose', '~', [['wchoose', [[0, 0.25], [2, 0.5], [7, 0.25]]], ['segment', '8']], cyc=(0, 2), typ='numbers', random=True)
case('wchoose-words', '~', [['wchoose', [['a', 1], ['e', 0.5], ['g', 2]]], ['struct', 't(3,8)']], cyc=(0, 3), typ='words', random=True)
case('wchooseBy', '~', [['wchooseBy', '0 0.3 0.6 0.9', [[1, 1], [2, 2]]]], typ='numbers')
case('cycleChoose', '~', [['cycleChoose', [0, 3, 5, 7]]], cyc=(0, 6), typ='numbers', random=True)
case('cycleChoose-fast', '~', [['cycleChoose', ['a', 'b', 'c']], ['fast', '4']], cyc=(0, 2), typ='words', random=True)
case('wrandcat', '~', [['wrandcat', [['bd*2', 1], ['sn', 0.5], ['hh*3', 0.25]]]], cyc=(0, 8), typ='words', random=True)
case('wrandcat-ctl', '~', [['wrandcat', [['bd sn', 2], ['[cp cp]*2', 1]]], ['fast', '2']], cyc=(0, 4), control='s', random=True)

# --- scales from lists -------------------------------------------------------------------------
case('toScale', '0 1 2 3 4 5', [['toScale', [0, 2, 7]]], typ='numbers')
case('toScale-neg', '-1 -4 7', [['toScale', [0, 4, 7, 11]]], typ='numbers')
case("toScale'", '0 2 4 6', [["toScale'", '10', [0, 2, 4]]], typ='numbers')
case('toScale-pat', '<0 1> [2 3]', [['toScale', [0, 2.5, 5]], ['fast', '2']], typ='numbers')

# --- higher-order -------------------------------------------------------------------------------
case('spread-fast', 'bd sn', [['spread', 'fast', ['1', '2', '1.5']]], cyc=(0, 3), **S)
case('spread-chop', 'bd sn', [['spread', 'chop', ['2', '3']]], cyc=(0, 2), **S)
case('spread-every', 'a b c', [['spread', ['every', '2'], [[['rev']], [['fast', '2']]]]], cyc=(0, 4))
case('slowspread', 'a b', [['slowspread', 'fast', ['2', '<1 3>']]], cyc=(0, 4))
case('fastspread', 'a b', [['fastspread', 'fast', ['1', '2']]], cyc=(0, 2))
case('fastspread-late', 'a b', [['fastspread', 'late', ['0', '0.25', '0.5']]], cyc=(0, 2))
case('spreadf', 'a b c', [['spreadf', [[['fast', '2']], [['rev']], [['fast', '3']]]]], cyc=(0, 3))
case('timeCat', '~', [['timeCat', [['1', 'bd*4'], ['1', 'hh27*8'], ['1', 'superpiano']]]], **S)
case('timeCat-weights', '~', [['timeCat', [['1', 'a'], ['3', 'b c'], ['0.5', '<d e>']]]], cyc=(0, 2), typ='words')
case('timeCat-fast', '~', [['timeCat', [['2', 'a'], ['1', 'b']]], ['fast', '2']], typ='words')
case('squeeze', '~', [['squeeze', '<0 [1 0]>', ['bd sn', 'hh*3']]], cyc=(0, 2), **S)
case('squeeze-neg', '~', [['squeeze', '0 -1 2', ['a', 'b c', 'd']]], typ='words')
case('select', '~', [['select', '<0 0.5 1>', ['a b', 'c*3', 'd']]], cyc=(0, 3), typ='words')
case('select-fast', '~', [['select', '0 0.7', ['a b', 'c d e']]], typ='words')
case('pickF', 'a b c d', [['pickF', '<0 2> 1', [[['fast', '2']], [['rev']], [['fast', '3']]]]], cyc=(0, 2))
case('pickF-neg', 'a b', [['pickF', '-1', [[['fast', '2']], [['rev']]]]])
case('foldEvery', 'a b c', [['foldEvery', ['2', '3'], [['fast', '2']]]], cyc=(0, 7))
case('foldEvery-rev', 'a b', [['foldEvery', ['3', '5'], [['rev']]]], cyc=(0, 6))
case('smash', 'ho ho:2', [['smash', '3', ['2', '3', '4']]], cyc=(0, 3), **S)
case('smash-pat', 'bev', [['smash', '<2 4>', ['1', '2']]], cyc=(0, 3), **S)
case('seqP', '~', [['seqP', [['0', '2', 'bd*2'], ['1', '3', 'hh*3'], ['2', '4', 'sn']]]], cyc=(0, 5), **S)
case('seqP-frac', '~', [['seqP', [['1/2', '5/2', 'a b'], ['-1', '1', 'c']]]], cyc=(-1, 3), typ='words')
case('weave', '~', [['weave', '4', {'control': 'pan', 'mini': '0 0.25 0.5 0.75'}, ['bd sn', 'hh*4', 'cp']]], cyc=(0, 2), **S)
case('weave-slow', '~', [['weave', '2', {'control': 'gain', 'mini': '<1 0.5>'}, ['bd', 'hh sn']]], cyc=(0, 3), **S)
case('weaveWith', '~', [['weaveWith', '3', 'a b c', [[['fast', '2']], [['rev']], [['fast', '3']]]]], cyc=(0, 3), typ='words')
case('ur', '~', [['ur', '4', 'a b', [['a', 'bd*4'], ['b', 'sn hh']], []]], cyc=(0, 8), **S)
case('ur-fn', '~', [['ur', '2', '<a:double b> a:faster', [['a', 'bd sn'], ['b', 'hh*3']],
                     [['double', [['fast', '2']]], ['faster', [['hurry', '2']]]]]], cyc=(0, 4), **S)
case('ur-words', '~', [['ur', '1', 'x [y x:r] z', [['x', 'a b'], ['y', 'c']], [['r', [['rev']]]]]], cyc=(0, 2), typ='words')
case('smooth', '0 1 [4 2]', [['smooth'], ['segment', '8']], cyc=(0, 2), typ='numbers')
case('smooth-last', '<0 2> 1', [['smooth']], cyc=(0, 3), typ='numbers')
case('smooth-struct', '0 10', [['smooth'], ['struct', 't*3']], cyc=(0, 2), typ='numbers')
case('stripe-2', 'a b', [['stripe', '2']], cyc=(0, 3), random=True)
case('stripe-pat', 'bd sn', [['stripe', '<1 3>']], cyc=(0, 4), random=True, **S)
case('stripe-0', 'a b', [['stripe', '0']], cyc=(0, 1))

for c in cases:
    print(json.dumps(c))
