#!/usr/bin/env python3
"""Write docs/PATTERNS.md with every example's events computed by `phonon events`.

    python3 tests/tidal/patterns_doc.py build/phonon > docs/PATTERNS.md

Each example is a case in the conformance input format; its events are printed compactly:
`0-1/4 bd` is an event whose whole is [0, 1/4); `0-2(0-1) bd` a fragment (part [0, 1) of a whole
[0, 2)); `~(0-1) 0.5` a continuous value with no whole.
"""
import json
import subprocess
import sys

PHONON = sys.argv[1] if len(sys.argv) > 1 else 'build/phonon'


def events(case):
    line = json.dumps(case)
    out = subprocess.run([PHONON, 'events', '--jsonl'], input=line + '\n', capture_output=True, text=True).stdout
    rec = json.loads(out)
    if 'error' in rec:
        return 'error: ' + rec['error']
    parts = []
    for e in rec['events']:
        w, p = e['whole'], e['part']
        v = e['value']
        if isinstance(v, str):
            vs = v
        elif isinstance(v, dict):
            vs = '{' + ' '.join('%s=%s' % (k, x) for k, x in v.items()) + '}'
        else:
            vs = json.dumps(v)
        if w is None:
            parts.append('~(%s-%s) %s' % (p[0], p[1], vs))
        elif w == p:
            parts.append('%s-%s %s' % (w[0], w[1], vs))
        else:
            parts.append('%s-%s(%s-%s) %s' % (w[0], w[1], p[0], p[1], vs))
    return ', '.join(parts) if parts else '(no events)'


def show_args(args):
    out = []
    for a in args:
        if isinstance(a, list):
            out.append('(' + ' . '.join(show_call(t) for t in reversed(a)) + ')')
        elif isinstance(a, str):
            out.append('"%s"' % a)
        else:
            out.append(str(a))
    return ' '.join(out)


def show_call(t):
    name, args = t[0], t[1:]
    if name in ('#', '|+', '|-', '|*', '|/', '|<', '|>', '+', '-', '*', '+|', '|+|'):
        if len(args) == 2:
            return '%s %s "%s"' % (name, args[0], args[1])
        return '%s "%s"' % (name, args[0])
    return (name + ' ' + show_args(args)).strip()


def example(mini, tr=None, cyc=(0, 1), typ=None, control=None, signal=None, show=None):
    case = {'id': 'doc'}
    if signal:
        case['signal'] = signal
    else:
        case['mini'] = mini
    if typ:
        case['type'] = typ
    if control:
        case['control'] = control
    if tr:
        case['transforms'] = tr
    case['cycles'] = list(cyc)
    src = signal if signal else ('%s "%s"' % (control, mini) if control else '"%s"' % mini)
    for t in (tr or []) if not show else []:
        src = '%s $ %s' % (show_call(t), src) if not t[0].startswith(('#', '|', '+', '-', '*')) else '%s %s' % (src, show_call(t))
    if show:
        src = show              # the example as written in a program (list arguments)
    cyc_note = '' if tuple(cyc) == (0, 1) else '  (cycles %d to %d)' % cyc
    return '    %s%s\n    → %s\n' % (src, cyc_note, events(case))


OUT = []


def w(text=''):
    OUT.append(text)


def ex(*a, **k):
    OUT.append(example(*a, **k))


w('''# Patterns in phonon~

phonon~'s patterns are TidalCycles 1.7's: the same model, the same mini-notation, the same
transforms, the same random numbers. This page documents all of it, with phonon's few deliberate
differences at the end. **Every event list on this page was computed by `phonon events`**
(`python3 tests/tidal/patterns_doc.py build/phonon > docs/PATTERNS.md` regenerates it).

How to read the examples: the first line is the pattern (Haskell order: `fast 2 $ "bd sn"` is the
transform `fast 2` applied to `"bd sn"`), the second its events over cycle 0 unless other cycles
are given. `0-1/4 bd` is an event whose whole is [0, 1/4); `0-2(0-1) bd` is a **fragment**: the
part [0, 1) of an event whose whole is [0, 2) (only a fragment that starts its whole is an onset);
`~(0-1) 0.5` is a continuous value (no whole).

## The model

- Time is counted in **cycles** and is exact: rationals (`engine/rational.h`), never floats.
- A pattern is a function from a time span to **events**. An event has a `whole` (the span of the
  sound or value, absent for continuous signals) and a `part` (the piece of the whole inside the
  span asked for) and a value (a word, a number, an exact rational, a boolean or a control map).
- A pattern is asked once per audio block over that block's span, cut at cycle edges
  (`pattern_query`); an event whose `whole` starts at its `part`'s start inside the span is an
  **onset**: a sound to start, at a sample-exact position.
- Patterns are trees built once, off the audio path, in an arena; a query never allocates: events
  and the control maps they carry go to a caller-owned `EventBuf` that overflows by dropping and
  flagging.

## Mini-notation

The text between quotes. The same string means different things to different consumers, as in
Tidal, where strings are typed: `s` wants words, `gain` numbers, `note` notes, `fast` times.
`mini_parse(arena, text, len, type, &err)` takes the `MiniType`:

| type | what the atoms are | used by |
|---|---|---|
| `MINI_WORDS` | words: `bd`, `bd:3`, `gm_piano`, `~synth` | `s`, `vowel`, `unit` |
| `MINI_NUMBERS` | doubles, note names, chords, Tidal's duration letters | `gain`, `speed`, `pan`, ... |
| `MINI_NOTES` | note names (`c5` = 0), numbers, chords | `note`, `n`, `up` |
| `MINI_FREQ` | Hz: numbers as written, note names and chords as Hz | oscillator frequencies |
| `MINI_TIME` | exact rationals: `0.25`, `1%3`, `t` (1/3), `3q` (3/4) | `fast`, `slow`, `early`, ... |
| `MINI_INT` | integers and note names | `every`, `iter`, `euclid` arguments |
| `MINI_BOOL` | `t` `1` `x` true, `f` `0` false | `struct`, `mask`, `while` |
| `MINI_AUTO` | the conformance rule: no letter → numbers, else words | `phonon events` |

Errors give the 1-based column and what was expected (`MiniError`), for example
`bd [sn` → column 7: "unexpected end of input, expected ']' to close '[' at column 4".

### Sequences, rests, groups
''')
ex('bd sn hh')
ex('bd ~ sn ~')
w('`[ ]` makes a step of a whole sequence; `.` separates groups like `[ ]` would:\n')
ex('bd [sn [hh hh]]')
ex('bd . sn sn . hh hh hh')
w('An empty string is silence. Whitespace of any kind separates steps.\n')
w('### Stacks `,` and alternation `< >`\n')
ex('[bd, hh hh]')
ex('<bd sn hh>', cyc=(0, 4))
ex('<bd sn, hh cp oh>', cyc=(0, 2))
w('Weights count as steps of an alternation: `a` lasts three cycles.\n')
ex('<bd@3 sn>', cyc=(0, 4))
w('### Speed: `*` and `/`\n\nThe factor is a number (Tidal\'s time syntax: `1.5`, `1%3`, `t` = 1/3) or a bracket, which may carry its own `*` or `/`:\n')
ex('bd*2 sn')
ex('bd/2', cyc=(0, 2))
ex('bd*1.5', cyc=(0, 2))
ex('bd*<2 3>', cyc=(0, 2))
ex('bd*[1 2]')
ex('hh*<2 3>/2', cyc=(0, 3))
w('### Repetition `!`, elongation `_` and `@`\n')
ex('bd!3 sn')
ex('bd ! sn !')
ex('bd@3 sn')
ex('bd _ _ sn')
ex('bd@1.5 sn')
w('As in Tidal 1.7, `_` and `@` may be followed by a number even after a space (`bd _ 3` is `bd@3`),\n'
  'and a number in a time position takes a duration letter even after a space (`bd*2 e` is `bd*0.25`):\n')
ex('bd _ 3 sn')
ex('bd*2 e')
w('### Polymeter `{ }` and `{ }%n`\n\nEach member keeps its own step length; by default the first member\'s step count fills a cycle:\n')
ex('{bd sn, hh hh hh}', cyc=(0, 2))
ex('{bd sn hh}%4')
ex('{bd sn}%<2 3>', cyc=(0, 2))
w('### Euclid `(k,n)` and `(k,n,r)`\n\nBjorklund\'s rhythm as Tidal computes it; `r` rotates it **earlier** by `r` steps; every argument\nis a sequence of integers; each pulse plays the whole element; a negative `k` gives silence:\n')
ex('bd(3,8)')
ex('bd(3,8,2)')
ex('bd(<3 5>,8,<0 2>)', cyc=(0, 2))
ex('[bd sn](3,8)')
ex('bd(-3,8)')
w('In boolean patterns the rests are `false` events:\n')
ex('t(3,8)', typ='bool')
w('### Randomness: `?`, `?0.3`, `|`\n\n`?` drops an event with probability 0.5 (or the amount), `[a | b | c]` picks one alternative per cycle.\nBoth use Tidal\'s generator, seeded in the order of the text (see "Randomness" below):\n')
ex('bd*8?')
ex('hh*8?0.3')
ex('[bd | sn | hh]', cyc=(0, 4))
ex('bd sn ?')
w('### Ranges `..`\n')
ex('0 .. 3', typ='numbers')
ex('2 .. -1', typ='numbers')
ex('0 .. 2 7', typ='int')
w('### Words\n\nA word starts with a letter or digit and continues with letters, digits, `.` `:` `-` `_` and (phonon)\n`#`. `bd:3` is one word; as an `s` control it becomes `{s: bd, n: 3}`. `~name` at the start of a\nstep is a word (phonon: an instrument bus); a lone `~` is a rest, and so is a lone `-` (phonon):\n')
ex('bd:3 gm_piano a-b')
ex('bd ~synth - sn')
ex('bd:3 sn', control='s')
w('### Numbers, notes, chords\n\nNote names follow Tidal: `c5` = 0 = middle C; `c` alone is `c5`; `s` sharpens, `f` flattens:\n')
ex('c e g a4 cs2 bf', typ='notes')
w('Chords `root\'name[\'modifier...]` use Tidal\'s chord table. A chord is a stack of simultaneous notes;\neach knows how many notes its chord has (`Value.chord`; the voice engine plays each at 1/√n):\n')
ex("c'maj e4'min7'ii", typ='notes')
ex("c'maj'5 c'min'o", typ='notes', cyc=(0, 1))
w('Modifiers: a number (that many notes, continuing up in octaves), `i` (invert; `ii`, `iii`), `o` (open),\n`d<n>` (drop the n-th note from the top an octave; newer Tidal). In `MINI_FREQ` notes become Hz:\n')
ex("110 a c'five", typ='freq')
w('In `MINI_NUMBERS` (Tidal\'s `Pattern Double`) the duration letters `w h q e s t f x` win over note names\n(`e` is 1/8), and in `MINI_TIME` numbers are exact: `0.1` is the exact value of the double 0.1, as\nTidal reads it, while `1%3` and `t` are exactly 1/3.\n')
ex('1%3 [t] 3q 0.125 0.1', typ='time')
w('(`phonon events` writes time values as doubles; inside they are the exact fractions 1/3, 1/3, 3/4,\n1/8 and 3602879701896397/36028797018963968.)\n')

w('''
## Randomness

Tidal's randomness is a pure function of time, and phonon reproduces it bit for bit
(`tests/conformance/README.md`, "Randomness", describes the generator). In short:
`rand(t)` takes `t / 300`, keeps 29 bits of its fraction, applies one xorshift step and scales back.
An event is judged at the middle of its whole, in the time of the pattern the random function is
applied to; each `?` and each `[ | ]` in a string takes the next seed (`s/10000` cycles added to the
time) in the order their parses complete.

- `e?x`: kept iff `rand > x`; `degradeBy x`: the same with seed 0; `unDegradeBy x`: kept iff `rand <= x`.
- `[a | b]`: in cycle c, `floor(rand(c + 1/2 + s/10000) * n)` picks the alternative.
- `sometimesBy x f`: events with `rand > x` pass unchanged, the others through f.
- `someCyclesBy x f`: f on cycle c iff `rand(c) < x`.
- Continuous `rand`, `irand n`; `shuffle`, `scramble`, `randcat` use the same generator.
''')

w('## Continuous signals\n\n`saw isaw tri square sine cosine rand envL envR`: one value per query, taken at the middle of the\nqueried span, with no whole (use `segment` to sample them):\n')
ex(None, [['segment', '4']], signal='saw')
ex(None, [['segment', '4'], ['range', '1', '5']], signal='sine')
ex(None, [['segment', '4']], signal='rand')
w('`pattern_run(arena, n)` and `pattern_scan(arena, n)` are Tidal\'s `run` (0 .. n-1 squeezed into each\ncycle) and `scan` (run 1, run 2, ... run n, a cycle each); `pattern_irand(arena, n)` is `irand`.\n')

w('''
## Operators and control maps

`pattern_op(arena, op, structure, l, r)` combines two patterns as Tidal's operators do:

| phonon | Tidal | structure |
|---|---|---|
| `STRUCT_BOTH` | `+`, `|+|` | events where both sides overlap; wholes intersect |
| `STRUCT_LEFT` | `|+`, `#` (`|>`) | the left side's events, cut where the right side changes |
| `STRUCT_RIGHT` | `+|` | the right side's |
| `STRUCT_SQUEEZE` | `||+` | a whole cycle of the right side squeezed into each left event |

Ops: `OP_ADD OP_SUB OP_MUL OP_DIV OP_MOD` (floor modulo) `OP_POW`, and `OP_KEEP_RIGHT` / `OP_KEEP_LEFT`
(`#` is `OP_KEEP_RIGHT` with `STRUCT_LEFT`). Time values (rationals) combine exactly. On control maps
the result is the union of the keys; keys on both sides combine with the op (Tidal's `Map.unionWith`).
`pattern_to_map(arena, p, P_GAIN)` turns values into `{gain: v}` maps (Tidal's `gain "..."`); an
`s` word `bd:3` becomes `{s: bd, n: 3}`. Maps made during a query live in the `EventBuf`.
''')
ex('0 1 2', [['+', '10 20']], typ='numbers')
ex('0 1 2', [['|+', '10 20']], typ='numbers')
ex('0 1 2', [['+|', '10 20']], typ='numbers')
ex('bd*2 sn:1', [['#', 'speed', '1 2'], ['|+', 'n', '<0 10>']], control='s', cyc=(0, 2))
ex('bd*4', [['#', 'gain', '0.5'], ['|*', 'gain', '1 2']], control='s')

# --- transforms --------------------------------------------------------------------------------
w('''
## Transforms

`transform_find(name)` returns a `TransformDef`: the argument kinds (`TA_TIME` exact times, `TA_NUM`
numbers, `TA_INT` integers, `TA_BOOL` booleans, `TA_ANY` a pattern of the input's kind, `TA_FN` a
function, `TA_RAT` a plain time Tidal takes as a number, not a pattern), whether it needs control
maps, a builder and a one-line summary. Arguments are patterns, so they can change over time
(`fast "<1 2>"`), with Tidal's joins: for each event of the argument the transform runs with that
value over that event's span (a constant argument splits the query at cycle edges, as in Tidal).
Function arguments are `PatternFn` closures the builder calls once. The piped pattern comes last,
as in Haskell: `euclidFull 3 8 "hh"` applied to `"bd"` plays hh on the pulses, bd on the rests.

The examples show each transform as Haskell would write it.
''')

T = [
    ('Time', [
        ('fast', 'bd sn', [['fast', '<1 2>']], (0, 2)),
        ('slow', 'bd sn hh cp', [['slow', '2']], (0, 2)),
        ('hurry', 'bd sn', [['hurry', '2']], (0, 1), 's'),
        ('early', 'bd sn hh cp', [['early', '0.25']], (0, 1)),
        ('late', 'bd sn hh cp', [['late', '0.125']], (0, 1)),
        ('rotL', 'bd sn hh cp', [['rotL', 0.25]], (0, 1)),
        ('rotR', 'bd sn hh cp', [['rotR', 0.25]], (0, 1)),
        ('<~', 'bd sn hh cp', [['<~', '<0 0.25>']], (0, 2)),
        ('~>', 'bd sn hh cp', [['~>', '0.25']], (0, 1)),
        ('rev', 'bd [sn sn] hh', [['rev']], (0, 1)),
        ('palindrome', 'bd sn hh', [['palindrome']], (0, 2)),
        ('iter', 'bd sn hh cp', [['iter', '4']], (0, 2)),
        ('iterBack', 'bd sn hh cp', [['iterBack', '4']], (0, 2)),
        ('ply', 'bd sn', [['ply', '<2 3>']], (0, 2)),
        ('press', 'bd sn', [['press']], (0, 1)),
        ('pressBy', 'bd sn', [['pressBy', '0.25']], (0, 1)),
        ('linger', 'bd sn hh cp', [['linger', '0.25']], (0, 1)),
        ('trunc', 'bd sn hh cp', [['trunc', '0.75']], (0, 1)),
        ('zoom', 'bd sn hh cp', [['zoom', '0.25', '0.75']], (0, 1)),
        ('compress', 'bd sn', [['compress', '0.25', '0.75']], (0, 1)),
        ('fastGap', 'bd sn', [['fastGap', '2']], (0, 1)),
        ('inside', 'bd sn hh cp', [['inside', '2', [['rev']]]], (0, 1)),
        ('outside', '<a b> c', [['outside', '2', [['rev']]]], (0, 2)),
        ('repeatCycles', '<a b c>', [['repeatCycles', '2']], (0, 4)),
        ('swingBy', 'hh*8', [['swingBy', '1/3', '4']], (0, 1)),
        ('swing', 'hh*8', [['swing', '4']], (0, 1)),
        ('segment', 'bd sn', [['segment', '4']], (0, 1)),
        ('brak', 'bd sn', [['brak']], (0, 2)),
        ('echo', 'bd sn', [['echo', '0.25']], (0, 1)),
    ]),
    ('Conditions and functions', [
        ('every', 'bd sn hh cp', [['every', '<2 3>', [['fast', '2']]]], (0, 3)),
        ('firstOf', 'bd sn', [['firstOf', '2', [['rev']]]], (0, 2)),
        ('lastOf', 'bd sn', [['lastOf', '2', [['rev']]]], (0, 2)),
        ("every'", 'bd sn', [["every'", '3', '1', [['fast', '2']]]], (0, 3)),
        ('whenmod', 'bd sn', [['whenmod', '4', '2', [['rev']]]], (0, 4)),
        ('within', 'bd sn hh cp', [['within', '0', '0.5', [['fast', '2']]]], (0, 1)),
        ('chunk', 'bd sn hh cp', [['chunk', '4', [['fast', '2']]]], (0, 2)),
        ("chunk'", 'bd sn hh cp', [["chunk'", '4', [['fast', '2']]]], (0, 2)),
        ('while', 'bd sn hh cp', [['while', '1 0', [['fast', '2']]]], (0, 1)),
        ('sew', 'bd*4', [['sew', 't f', 'hh*8']], (0, 1)),
        ('off', '0 1', [['off', '0.25', [['add', '12']]]], (0, 1), None, 'numbers'),
        ('superimpose', 'bd sn', [['superimpose', [['fast', '2']]]], (0, 1)),
        ('layer', '0 1', [['layer', [['rev']], [['add', '10']]]], (0, 1), None, 'numbers'),
        ('stutWith', 'bd sn', [['stutWith', '3', '1/8', [['fast', '2']]]], (0, 1)),
        ('echoWith', '0', [['echoWith', '3', '1/4', [['add', '12']]]], (0, 1), None, 'numbers'),
    ]),
    ('Structure', [
        ('struct', 'bd sn', [['struct', 't ~ t t']], (0, 1)),
        ('mask', 'bd*8', [['mask', '1 0 1 1']], (0, 1)),
        ('euclid', 'bd', [['euclid', '3', '8']], (0, 1)),
        ('euclidInv', 'bd', [['euclidInv', '3', '8']], (0, 1)),
        ('euclidFull', 'bd', [['euclidFull', '3', '8', 'hh']], (0, 1)),
        ('euclidOff', 'bd', [['euclidOff', '3', '8', '2']], (0, 1)),
        ('euclidRot', 'bd', [['euclidRot', '3', '8', '2']], (0, 1)),
        ('euclidOffFull', 'bd', [['euclidOffFull', '3', '8', '2', 'hh']], (0, 1)),
        ('range', '0 0.5 1', [['range', '10', '20']], (0, 1), None, 'numbers'),
        ('add', '0 1 2', [['add', '10 20']], (0, 1), None, 'numbers'),
        ('sub', '0 1 2', [['sub', '1']], (0, 1), None, 'numbers'),
        ('mul', '1 2 3', [['mul', '2']], (0, 1), None, 'numbers'),
        ('div', '1 2 3', [['div', '2']], (0, 1), None, 'numbers'),
        ('stack', 'bd sn', [['stack', 'hh*3']], (0, 1)),
        ('overlay', 'bd sn', [['overlay', 'hh*3']], (0, 1)),
        ('cat', 'bd sn', [['cat', 'hh hh hh']], (0, 2)),
        ('fastcat', 'bd sn', [['fastcat', 'hh']], (0, 1)),
        ('rot', 'a b c d', [['rot', '<1 2>']], (0, 2)),
        ('arp', "<c'maj e'min7>", [['arp', '<up down>']], (0, 2), None, 'notes'),
        ('bite', 'a b c d', [['bite', '4', '0 2*2']], (0, 1)),
    ]),
    ('Randomness', [
        ('degrade', 'hh*8', [['degrade']], (0, 1)),
        ('degradeBy', 'hh*8', [['degradeBy', '0.3']], (0, 1)),
        ('unDegradeBy', 'hh*8', [['unDegradeBy', '0.3']], (0, 1)),
        ('sometimesBy', '0*8', [['sometimesBy', '0.3', [['add', '10']]]], (0, 1), None, 'numbers'),
        ("sometimesBy'", 'bd*8', [["sometimesBy'", '0.5', [['fast', '2']]]], (0, 1)),
        ('sometimes', '0*8', [['sometimes', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('often', '0*8', [['often', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('rarely', '0*8', [['rarely', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('almostNever', '0*8', [['almostNever', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('almostAlways', '0*8', [['almostAlways', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('always', 'bd sn', [['always', [['rev']]]], (0, 1)),
        ('never', 'bd sn', [['never', [['rev']]]], (0, 1)),
        ('someCyclesBy', 'bd*2', [['someCyclesBy', '0.5', [['fast', '2']]]], (0, 4)),
        ('someCycles', 'bd*2', [['someCycles', [['fast', '2']]]], (0, 4)),
        ('shuffle', 'a b c d', [['shuffle', '4']], (0, 2)),
        ('scramble', 'a b c d', [['scramble', '4']], (0, 2)),
        ('randcat', 'a', [['randcat', 'b c', 'd e f']], (0, 4)),
    ]),
    ('Control maps (sample playback)', [
        ('jux', 'bd sn', [['jux', [['rev']]]], (0, 1), 's'),
        ('juxBy', 'bd sn', [['juxBy', '0.5', [['rev']]]], (0, 1), 's'),
        ('chop', 'bd sn', [['chop', '2']], (0, 1), 's'),
        ('striate', 'bd sn', [['striate', '2']], (0, 1), 's'),
        ('striateBy', 'bd sn', [['striateBy', '2', '0.5']], (0, 1), 's'),
        ('stut', 'bd', [['stut', '3', '0.5', '0.125']], (0, 1), 's'),
        ('fix', 'bd sn hh', [['fix', [['fast', '2']], 'bd']], (0, 1), 's'),
        ('unfix', 'bd sn', [['unfix', [['#', 'crush', '4']], 'sn']], (0, 1), 's'),
    ]),
    # Tidal's wider library (engine/pattern_library.h): (name, mini, transforms, cycles, control, type, as written)
    ('Scales', [
        ('scale', '0 .. 7', [['scale', 'major']], (0, 1), None, 'numbers', 'scale "major" "0 .. 7"'),
        ('scale', '0 2 4 6', [['scale', '<major minPent>']], (0, 2), None, 'numbers', 'scale "<major minPent>" "0 2 4 6"'),
        ('toScale', '0 1 2 3 4', [['toScale', [0, 2, 7]]], (0, 1), None, 'numbers', 'toScale [0, 2, 7] "0 1 2 3 4"'),
        ("toScale'", '0 2 4', [["toScale'", '10', [0, 2, 4]]], (0, 1), None, 'numbers', 'toScale\' 10 [0, 2, 4] "0 2 4"'),
    ]),
    ('Sample slicing', [
        ('slice', 'bev*4', [['slice', '4', '0 2 1 3']], (0, 1), 's'),
        ('splice', 'bev', [['splice', '4', '0 [2 1]']], (0, 1), 's'),
        ('chew', 'bd sn hh cp', [['chew', '4', '0 [1 2]']], (0, 1), 's'),
        ('loopAt', 'break', [['chop', '2'], ['loopAt', '2']], (0, 2), 's'),
        ('randslice', 'bev*2', [['randslice', '4']], (0, 2), 's'),
        ('smash', 'bev', [['smash', '2', ['1', '2']]], (0, 3), 's', None, 'smash 2 [1, 2] $ s "bev"'),
    ]),
    ('Layers and repetition', [
        ('stutter', 'bd', [['stutter', '3', '1/8']], (0, 1), 's', None, 'stutter 3 (1/8) $ s "bd"'),
        ('double', 'a b', [['double', '1/8']], (0, 1), None, None, 'double (1/8) $ "a b"'),
        ('triple', 'a', [['triple', '1/6']], (0, 1), None, None, 'triple (1/6) $ "a"'),
        ('quad', 'a', [['quad', '1/8']], (0, 1), None, None, 'quad (1/8) $ "a"'),
        ('plyWith', '0 1', [['plyWith', '3', [['+', '10']]]], (0, 1), None, 'numbers', 'plyWith 3 (+ 10) $ "0 1"'),
        ('arpeggiate', "c'maj e'min", [['arpeggiate']], (0, 1), None, 'notes'),
        ('spin', 'bd sn', [['spin', '2']], (0, 1), 's'),
        ('ghost', 'bd ~ sn ~', [['ghost']], (0, 1), 's'),
        ("ghost'", 'bd', [["ghost'", '1/16']], (0, 1), 's', None, "ghost' (1/16) $ s \"bd\""),
        ("ghost''", 'a', [["ghost''", '1/8', [['fast', '2']]]], (0, 1), None, None, "ghost'' (1/8) (fast 2) $ \"a\""),
        ('juxcut', 'bd sn', [['juxcut', [['rev']]]], (0, 1), 's'),
        ('jux4', 'bd sn', [['jux4', [['rev']]]], (0, 1), 's'),
        ('stitch', '0 1 2 3', [['stitch', 't f [t t] f', '10 20']], (0, 1), None, 'numbers'),
        ('inv', 't f [t t] f', [['inv']], (0, 1), None, 'bool'),
        ('stripe', 'a b', [['stripe', '2']], (0, 2)),
    ]),
    ('Cycles', [
        ('wedge', 'a b', [['wedge', '0.25', 'c d e']], (0, 1)),
        ('timeCat', '~', [['timeCat', [['1', 'bd*4'], ['1', 'hh*2'], ['2', 'sn']]]], (0, 1), 's', None,
         'timeCat [(1, s "bd*4"), (1, s "hh*2"), (2, s "sn")]'),
        ('loopFirst', '<a b c>', [['loopFirst']], (0, 3)),
        ('timeLoop', '<a b c d>', [['timeLoop', '2']], (0, 4)),
        ('soak', 'a b c', [['soak', '3', [['fast', '2']]]], (0, 3), None, None, 'soak 3 (fast 2) $ "a b c"'),
        ('seqP', '~', [['seqP', [['0', '2', 'bd*2'], ['1', '3', 'hh*3']]]], (0, 3), 's', None,
         'seqP [(0, 2, s "bd*2"), (1, 3, s "hh*3")]'),
        ('foldEvery', 'a b', [['foldEvery', ['2', '3'], [['fast', '2']]]], (0, 4), None, None, 'foldEvery [2, 3] (fast 2) $ "a b"'),
    ]),
    ('Numbers and signals', [
        ('quantise', '0.4 0.5 1.5 2.7', [['quantise', '1']], (0, 1), None, 'numbers', 'quantise 1 "0.4 0.5 1.5 2.7"'),
        ('rangex', '0 0.5 1', [['rangex', '20', '2000']], (0, 1), None, 'numbers', 'rangex 20 2000 "0 0.5 1"'),
        ('perlin', '~', [['perlin'], ['segment', '4']], (0, 2), None, 'numbers', 'segment 4 $ perlin'),
        ('perlinWith', '0 0.5 1.5', [['perlinWith']], (0, 1), None, 'numbers', 'perlinWith "0 0.5 1.5"'),
        ('smooth', '0 1 [4 2]', [['smooth'], ['segment', '4']], (0, 1), None, 'numbers', 'segment 4 $ smooth "0 1 [4 2]"'),
    ]),
    ('Random choice from lists', [
        ('choose', '~', [['choose', [0, 2, 7]], ['segment', '4']], (0, 1), None, 'numbers', 'segment 4 $ choose [0, 2, 7]'),
        ('chooseBy', '~', [['chooseBy', '0 0.5 0.99', ['a', 'b', 'c']]], (0, 1), None, 'words', 'chooseBy "0 0.5 0.99" ["a", "b", "c"]'),
        ('wchoose', '~', [['wchoose', [[0, 0.25], [2, 0.5], [7, 0.25]]], ['segment', '4']], (0, 1), None, 'numbers',
         'segment 4 $ wchoose [(0, 0.25), (2, 0.5), (7, 0.25)]'),
        ('wchooseBy', '~', [['wchooseBy', '0 0.3 0.6 0.9', [[1, 1], [2, 2]]]], (0, 1), None, 'numbers', 'wchooseBy "0 0.3 0.6 0.9" [(1, 1), (2, 2)]'),
        ('cycleChoose', '~', [['cycleChoose', [0, 3, 5]]], (0, 4), None, 'numbers', 'cycleChoose [0, 3, 5]'),
        ('wrandcat', '~', [['wrandcat', [['bd*2', 1], ['sn', 0.5]]]], (0, 4), 's', None, 'wrandcat [(s "bd*2", 1), (s "sn", 0.5)]'),
    ]),
    ('Lists of patterns and functions', [
        ('spread', 'bd sn', [['spread', 'fast', ['1', '2']]], (0, 2), 's', None, 'spread fast [1, 2] $ s "bd sn"'),
        ('slowspread', 'a b', [['slowspread', 'fast', ['1', '2']]], (0, 2), None, None, 'slowspread fast [1, 2] $ "a b"'),
        ('fastspread', 'a b', [['fastspread', 'fast', ['1', '2']]], (0, 1), None, None, 'fastspread fast [1, 2] $ "a b"'),
        ('spreadf', 'a b', [['spreadf', [[['fast', '2']], [['rev']]]]], (0, 2), None, None, 'spreadf [fast 2, rev] $ "a b"'),
        ('squeeze', '~', [['squeeze', '0 [1 0]', ['bd sn', 'hh*3']]], (0, 1), 's', None, 'squeeze "0 [1 0]" [s "bd sn", s "hh*3"]'),
        ('select', '~', [['select', '<0 1>', ['a b', 'c*3']]], (0, 2), None, 'words', 'select "<0 1>" ["a b", "c*3"]'),
        ('pickF', 'a b c d', [['pickF', '<0 1>', [[['fast', '2']], [['rev']]]]], (0, 2), None, None, 'pickF "<0 1>" [fast 2, rev] $ "a b c d"'),
        ('weave', '~', [['weave', '2', {'control': 'pan', 'mini': '0 0.5'}, ['bd sn', 'hh*2']]], (0, 1), 's', None,
         'weave 2 (pan "0 0.5") [s "bd sn", s "hh*2"]'),
        ('weaveWith', '~', [['weaveWith', '2', 'a b', [[['fast', '2']], [['rev']]]]], (0, 1), None, 'words', 'weaveWith 2 "a b" [fast 2, rev]'),
        ('ur', '~', [['ur', '2', 'a b:fast', [['a', 'bd*2'], ['b', 'sn hh']], [['fast', [['fast', '2']]]]]], (0, 4), 's', None,
         'ur 2 "a b:fast" [("a", s "bd*2"), ("b", s "sn hh")] [("fast", fast 2)]'),
    ]),
]

table_names = set()
for title, items in T:
    w('### %s\n' % title)
    for item in items:
        name, mini, tr, cyc = item[:4]
        control = item[4] if len(item) > 4 else None
        typ = item[5] if len(item) > 5 else None
        show = item[6] if len(item) > 6 else None
        table_names.add(name)
        w('**%s**\n' % name)
        ex(mini, tr, cyc=cyc, control=control, typ=typ, show=show)

w('### Every name in the table\n')
# the table itself, read from the C source
import re
src = open('engine/pattern_transform.c', encoding='utf-8').read()
rows = re.findall(r'\bT[VSL]?\("([^"]+)",[^\n]*?b_\w+, "([^"]*)"\)', src)
rows += [(m[0], m[1]) for m in re.findall(r'\{ "([^"]+)", \d+, \{[^}]*\}, (?:true|false), (?:plib|b)_\w+,\s*"([^"]*)"', src)]
w('| name | what it does |\n|---|---|')
for name, summary in rows:
    w('| `%s` | %s |' % (name, summary.replace('|', '\\|')))
w('')

w('''
## Differences from Tidal 1.7.10

phonon matches Tidal 1.7.10 event for event on the conformance corpus (`tests/conformance`, 200 of
200), on its own corpus generated by Tidal itself (`tests/tidal`, 475 cases) and on thousands of
random cases compared during development (`tests/tidal/fuzz.py`). The differences are deliberate:

1. **Syntax Tidal 1.7 rejects is accepted**: a top-level `,` or `|` reads as if the string were
   bracketed (`bd sn, hh*3` is `[bd sn, hh*3]`); a lone `-` is a rest (also in numbers: `- 1` is a
   rest and 1, where Tidal reads -1); `#` may appear in words (`f#5`); `x` is true in booleans; chord
   modifiers can be chained (`c'maj'ii'o`) and include newer Tidal's drop (`'d1`) — Tidal 1.7.10
   takes one modifier and reads `'d1` as a separate note.
2. **`~name` is a word** at the start of a step (an instrument bus in phonon; Tidal reads a rest
   and then `name`). `bd~sn` is still bd, a rest, sn.
3. **A part always lies inside its whole.** Inside a sequence step, Tidal 1.7.10 maps the whole of
   an event that crosses a cycle edge relative to the wrong cycle (`bd*1.5 sn`: Tidal gives the
   second `bd` of cycle 1 the whole [1/3, 2/3] and the part [1, 7/6]; phonon [5/6, 7/6]). phonon maps
   wholes with the cycle of their part, as Strudel and newer Tidal do. Everything built on such
   events differs accordingly (Tidal may drop them where wholes are intersected).
4. **`ply`, `press` and squeezing keep events that cross a cycle edge** (Tidal 1.7.10 drops them).
5. **`zoom` past the cycle end** (`zoom 0 2`) maps every event with the query's cycle; Tidal maps
   each arc with its own cycle and returns events outside the span queried. Within a cycle phonon's
   `zoom` (and so `linger`) is Tidal's, wholes included.
6. **Words do not add up**: `|+` on two words keeps the left word (Tidal joins the strings), because
   a query may not create symbols. Numbers, times and control maps combine as in Tidal.
7. Pattern variables `^name` are always unset (silence). `rot` orders events by the source column
   of their mini-notation atoms, then time — as Tidal orders by source position — which can differ
   from Tidal for values made by arithmetic.

Names Tidal 1.7 lacks or spells differently are accepted too: `firstOf`, `lastOf` (`every' n (n-1)`),
`iterBack` (`iter'`), `euclidRot` (`euclidOff`), `add`/`sub`/`mul`/`div` (`|+` ...), `undegradeBy`,
`echoWith` (`stutWith`), `euclidOffFull`; `echo t` is Tidal 1.7's (`stack [p, t ~> p]`), not
newer Tidal's three-argument echo.

## For the engine: building and querying

```c
Arena a; arena_init(&a);                       /* lives as long as the program */
MiniError err;
Pattern *s = mini_parse(&a, "bd*2 [sn cp]", -1, MINI_WORDS, &err);
Pattern *p = pattern_to_map(&a, s, P_S);        /* s "bd*2 [sn cp]" */
p = pattern_op(&a, OP_KEEP_RIGHT, STRUCT_LEFT, p,
               pattern_to_map(&a, mini_parse(&a, "1 2", -1, MINI_NUMBERS, &err), P_SPEED));
const TransformDef *d = transform_find("every");
TransformArg args[TRANSFORM_MAX_ARGS] = { 0 };   /* unused entries must be zero */
args[0].pat = mini_parse(&a, "<2 3>", -1, MINI_INT, &err);
args[1].fn = &my_fast2.fn;                       /* a PatternFn closure */
p = d->build(&a, args, p);                       /* NULL: bad arguments */

EventBuf buf; eventbuf_init(&buf, 4096, 256 << 10);   /* off the audio path */
/* per block, per track, for each piece of the block's arc cut at cycle edges: */
eventbuf_clear(&buf);
pattern_query(p, arc_make(t0, t1), &buf, NULL);
/* onsets: has_whole && rat_eq(whole.begin, part.begin); buf.overflow says events were dropped */
```

- Arguments by kind: `TA_TIME` patterns from `MINI_TIME` (a number literal: `pattern_pure(a,
  val_rat(r))` with the exact decimal), `TA_NUM` from `MINI_NUMBERS`, `TA_INT` from `MINI_INT`,
  `TA_BOOL` from `MINI_BOOL`, `TA_ANY` a pattern of the input's kind (for a control chain, a control
  pattern), `TA_RAT` a pure pattern of an exact number, `TA_FN` a `PatternFn` whose `apply` builds
  f(in) in the arena (it is called once, while building). Transforms marked `control` expect
  control-map events (`jux`, `chop`, `striate`, `hurry`, `stut`, ...).
- Cost (tests/tools/bench_patterns, this machine): a four-track program like `q.ph` costs about
  3 µs per 64-frame block at 44.1 kHz; `s "hh*16"` about 0.4 µs per query; `jux rev $ chop 4` about
  2 µs. No query allocates (`tests/unit/test_pattern_alloc.c` checks every transform).
- Size `EventBuf` for the busiest block: events of all fragments of one query plus the scratch the
  nested transforms use (a few times the events returned); control maps take 24–40 bytes each.

## Tests

- `tests/conformance`: the 200 public cases (`sh tests/run.sh conformance`).
- `tests/unit/test_pattern_tidal.c`: 475 cases of `tests/tidal/cases.jsonl` against Tidal's own
  output (`tests/tidal/expected.jsonl`; `gen.py` regenerates it with ghc, `differs.txt` lists the
  reviewed differences above, `merge.py` combines them).
- `tests/unit/test_mini.c`, `test_pattern.c`, `test_rational.c`, `test_pattern_alloc.c`.
- `tests/tidal/fuzz.py`: random cases for differential testing against Tidal.
''')

sys.stdout.write('\n'.join(OUT) + '\n')
