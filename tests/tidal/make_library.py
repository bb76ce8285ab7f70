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
case('wedge-quarter', 'bd*2', [['wedge', '1/4', 'hh*3']], **S)
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

for c in cases:
    print(json.dumps(c))
