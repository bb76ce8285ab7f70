#!/usr/bin/env python3
"""Write docs/PATTERNS.md with every example's events computed by `phonon events`.

    python3 tests/tidal/patterns_doc.py build/phonon > docs/PATTERNS.md

This file is PATTERNS.md's source: its prose is here, and tests/render/patterns_doc.sh fails when
PATTERNS.md differs from what this writes (edit here, then regenerate). Every name of the transform
table must have an entry in T with an example (the script stops when one has none, or when an
example's events are an error).

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
    if name in ('#', '|+', '|-', '|*', '|/', '|<', '|>', '+', '-', '*', '+|', '|+|', '|++', '++|', '|++|'):
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


def corpus_counts():
    """the Tidal-generated corpora of tests/tidal, counted"""
    import glob
    n = lambda f: sum(1 for l in open(f, encoding='utf-8') if l.strip())
    parts = ['%d cases' % n('tests/tidal/cases.jsonl')]
    what = {'time': 'exact time', 'mini': 'mini-notation', 'edges': 'edge arguments', 'library': 'the wider library',
            'last': 'tests, word joins and the audit\'s functions'}
    for f in sorted(glob.glob('tests/tidal/cases-*.jsonl')):
        key = f[len('tests/tidal/cases-'):-len('.jsonl')]
        parts.append('%d of %s in `cases-%s`' % (n(f), what.get(key, key), key))
    return ', '.join(parts)


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
w('As in Tidal 1.7.10, `%` takes a whole sequence of times, up to a closing bracket, a `,` or `|`, or a\n'
  'step that is not a time (`~`, a word): `{a b c}%4 8` has 4 steps per cycle in its first half and 8\n'
  'in its second, `{a b c}%4*2` is `%8`, `{a b c}%4?` degrades the steps. To follow a polymeter with\n'
  'more steps, bracket it:\n')
ex('{a b c}%4 8')
ex('[{a b c}%4] d')
w('### Euclid `(k,n)` and `(k,n,r)`\n\nBjorklund\'s rhythm as Tidal computes it; `r` rotates it **earlier** by `r` steps; every argument\nis a sequence of integers; each pulse plays the whole element; a negative `k` gives silence:\n')
ex('bd(3,8)')
ex('bd(3,8,2)')
ex('bd(<3 5>,8,<0 2>)', cyc=(0, 2))
ex('[bd sn](3,8)')
ex('bd(-3,8)')
w('In boolean patterns the rests are `false` events:\n')
ex('t(3,8)', typ='bool')
w('### Randomness: `?`, `?0.3`, `|`\n\n`?` drops an event with probability 0.5 (or the amount, written as Tidal reads a float: `?0.3`, `?1.0`;\n`?1` is an error), `[a | b | c]` picks one alternative per cycle.\nBoth use Tidal\'s generator, seeded in the order of the text (see "Randomness" below):\n')
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
w('A modifier group after a `\'` is Tidal 1.7.10\'s: an optional number, then `i`s, then `o`s, computed as\n'
  'Tidal does — the chord continued up in octaves, `i`s notes dropped from its bottom, the number of\n'
  'notes taken (the chord\'s own count by default), and `o` (open, for chords of three or more notes)\n'
  'puts the first and third an octave down in front. phonon also takes `d<n>` (drop the n-th note from\n'
  'the top an octave; newer Tidal) and chains of groups:\n')
ex("c'maj'4i c'maj'5io", typ='notes')
w('In `MINI_FREQ` notes become Hz:\n')
ex("110 a c'five", typ='freq')
w('In `MINI_NUMBERS` (Tidal\'s `Pattern Double`) the duration letters `w h q e s t f x` win over note names\nunless a letter follows (`e` is 1/8, and `e5` is 1/8 then 5, as Tidal reads it; `eb` is the note e\nthen b). In `MINI_TIME` numbers are exact: `0.1` is 1/10 (Tidal 1.7.10 takes the double\'s binary\nvalue; see "Differences from Tidal"), `1%3` and `t` are 1/3.\n')
ex('1%3 [t] 3q 0.125 0.1', typ='time')
w('(`phonon events` writes time values as doubles; inside they are the exact fractions 1/3, 1/3, 3/4,\n1/8 and 1/10.)\n')
w("### Limits\n\nWhatever a string says, parsing it takes memory in proportion to its length (at most 256 bytes of\npattern per character; a line as musicians write them takes about 50) and one cycle of it a bounded\namount of work. Past a limit the string is an error at the column of the offending character, and\nthe program that was playing keeps playing (`mini.h` holds the numbers):\n\n| what | limit | example of the error |\n|---|---|---|\n| nesting of brackets, `(k,n,r)` and chained factors | 64 levels | `brackets nested too deeply (at most 64 levels)` |\n| steps of one sequence, `!` repeats included (or `.` groups) | 4096 | `too many steps in one sequence (at most 4096)` |\n| members of one bracket (`,` or `\\|`) | 256 | `too many members in one bracket (at most 256)` |\n| `*` `/` factors, `{ }%` steps per cycle | 0, or 1/10000 to 10000 in size (as `fast`) | `'*' factor out of range: 100000000 (0, or 1/10000 to 10000 in size)` |\n| `!n` | n ≤ 1024 | `'!' repeats a step at most 1024 times: !99999999999` |\n| a step's weight (`@`, `_`) | 0 to 10000 | `weight out of range: @1e300 (a step weighs 0 to 10000)` |\n| Euclid `k` and `n` | at most 1024 in size | `Euclid steps out of range: 1025 (at most 1024 in size)` |\n| a range `a .. b` | 256 values (a patterned range is cut to 256) | `a range holds at most 256 values: 0 .. 256` |\n| a chord | 32 notes | `a chord has at most 32 notes: 33` |\n| every number, note and frequency | finite, at most 1e9 in size, 64 characters | `number out of range: 1e400 (numbers are at most 1e9 in size)` |\n| work of one cycle: events made and steps walked, rests included | 10000 | `too many events per cycle: up to 1000000 here (at most 10000)` |\n\nThe work of a cycle is an upper bound the parser computes as it goes: sequences and stacks add,\n`*` and `/` multiply by the cycles they touch (`[[[[[bd*100]*100]*100]*100]*100]` is an error at its\nthird `*`), `!n` by n, Euclid by its steps and pulses, ranges by their values, patterned factors by\ntheir largest value and their events; an alternation counts all its steps. `?0.3` amounts beyond 0 and\n1 mean what 0 and 1 mean. A chord modifier that leaves no notes (`c'maj'0`) is silence, and a drop of a\nnote the chord lacks (`c'maj'd9`) changes nothing.\n")

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
w('Tidal\'s bipolar forms `sine2 cosine2 saw2 isaw2 tri2 square2` go from -1 to 1; `envLR` (phonon\'s\n'
  '`envR`), `envEq` and `envEqR` are Tidal\'s other envelopes (equal power: `sqrt (sin (pi/2 * (1 - t)))`\n'
  'and `sqrt (cos ...)`, held at their ends outside the first cycle):\n')
ex(None, [['segment', '4']], signal='sine2')
ex(None, [['segment', '4']], signal='tri2')
ex(None, [['segment', '4']], signal='envEq')
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
w('Words join with `|++` (`++|`, `|++|`): each word followed by the other side\'s, with the structure of\n'
  'the side the bar is on (Tidal\'s `|++` on strings; on control maps, phonon joins the words of each\n'
  'parameter both sides have, LANGUAGE.md, "Joining words"). The joined words are made when the program\n'
  'is built, so a query finds them without allocating:\n')
ex('a b', [['|++', '<x y> z']], typ='words', cyc=(0, 2))
ex('drum*2', [['|++', 's', '1 2 3']], control='s')
ex('a e', [['|++|', 'vowel', 'i o']], control='vowel')

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
        ('density', 'bd sn', [['density', '2']], (0, 1)),
        ('slow', 'bd sn hh cp', [['slow', '2']], (0, 2)),
        ('sparsity', 'bd sn', [['sparsity', '2']], (0, 2)),
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
        ("iter'", 'bd sn hh', [["iter'", '3']], (0, 2)),
        ('ply', 'bd sn', [['ply', '<2 3>']], (0, 2)),
        ('press', 'bd sn', [['press']], (0, 1)),
        ('pressBy', 'bd sn', [['pressBy', '0.25']], (0, 1)),
        ('linger', 'bd sn hh cp', [['linger', '0.25']], (0, 1)),
        dict(mini='bd sn hh cp', tr=[['linger', '-0.25']]),
        'A negative amount lingers on the end of the cycle; beyond ±1 see "Differences from Tidal" (5);\n'
        '`linger 0` is an error at the 0.\n',
        ('trunc', 'bd sn hh cp', [['trunc', '0.75']], (0, 1)),
        'As in Tidal (`compress (0, t) . zoom (0, t)`), an amount above 1 or below 0 is silence; `trunc 0` is\n'
        'an error at the 0.\n',
        ('zoom', 'bd sn hh cp', [['zoom', '0.25', '0.75']], (0, 1)),
        ('zoomArc', 'bd sn hh cp', [['zoomArc', '0', '0.5']], (0, 1)),
        ('compress', 'bd sn', [['compress', '0.25', '0.75']], (0, 1)),
        ('fastGap', 'bd sn', [['fastGap', '2']], (0, 1)),
        ('fastSqueeze', 'a b', [['fastSqueeze', '1 2']], (0, 1)),
        ('slowSqueeze', 'a b c d', [['slowSqueeze', '1 2']], (0, 1)),
        ('densityGap', 'bd sn', [['densityGap', '3']], (0, 1)),
        ('inside', 'bd sn hh cp', [['inside', '2', [['rev']]]], (0, 1)),
        ('outside', '<a b> c', [['outside', '2', [['rev']]]], (0, 2)),
        ('repeatCycles', '<a b c>', [['repeatCycles', '2']], (0, 4)),
        ('fastRepeatCycles', '<a b>', [['fastRepeatCycles', '3']], (0, 4)),
        ('swingBy', 'hh*8', [['swingBy', '1/3', '4']], (0, 1)),
        ('swing', 'hh*8', [['swing', '4']], (0, 1)),
        ('segment', 'bd sn', [['segment', '4']], (0, 1)),
        ('discretise', '0 1', [['discretise', '3']], (0, 1), None, 'numbers'),
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
        ("within'", 'a b c d', [["within'", '0', '0.5', [['fast', '2']]]], (0, 1), None, None, 'within\' (0, 0.5) (fast 2) $ "a b c d"'),
        '`within\'` zooms into the span before f and compresses the result back (f sees the span as a whole\n'
        'cycle); then it keeps the events of f that start inside the span, and the pattern\'s outside it.\n',
        ('chunk', 'bd sn hh cp', [['chunk', '4', [['fast', '2']]]], (0, 2)),
        ("chunk'", 'bd sn hh cp', [["chunk'", '4', [['fast', '2']]]], (0, 2)),
        ('while', 'bd sn hh cp', [['while', '1 0', [['fast', '2']]]], (0, 1)),
        ('sew', 'bd*4', [['sew', 't f', 'hh*8']], (0, 1)),
        ('off', '0 1', [['off', '0.25', [['add', '12']]]], (0, 1), None, 'numbers'),
        ('offadd', '0 1', [['offadd', '0.25', '12']], (0, 1), None, 'numbers'),
        ('superimpose', 'bd sn', [['superimpose', [['fast', '2']]]], (0, 1)),
        ('layer', '0 1', [['layer', [['rev']], [['add', '10']]]], (0, 1), None, 'numbers'),
        ('stutWith', 'bd sn', [['stutWith', '3', '1/8', [['fast', '2']]]], (0, 1)),
        ("stut'", '0', [["stut'", '3', '1/4', [['add', '12']]]], (0, 1), None, 'numbers'),
        ('echoWith', '0', [['echoWith', '3', '1/4', [['add', '12']]]], (0, 1), None, 'numbers'),
    ]),
    ('Structure', [
        ('struct', 'bd sn', [['struct', 't ~ t t']], (0, 1)),
        ('mask', 'bd*8', [['mask', '1 0 1 1']], (0, 1)),
        ('euclid', 'bd', [['euclid', '3', '8']], (0, 1)),
        ('euclidInv', 'bd', [['euclidInv', '3', '8']], (0, 1)),
        'A negative k is Tidal\'s Bjorklund of (k, n): no pulses and n - k rests, so `euclid` is silent and\n'
        '`euclidInv` (and `euclidFull`\'s rests) play on every one of the n - k steps:\n',
        dict(mini='bd', tr=[['euclidInv', '-2', '2']]),
        ('euclidFull', 'bd', [['euclidFull', '3', '8', 'hh']], (0, 1)),
        ('euclidOff', 'bd', [['euclidOff', '3', '8', '2']], (0, 1)),
        ('euclidRot', 'bd', [['euclidRot', '3', '8', '2']], (0, 1)),
        ('eoff', 'bd', [['eoff', '3', '8', '1']], (0, 1)),
        ('euclidOffFull', 'bd', [['euclidOffFull', '3', '8', '2', 'hh']], (0, 1)),
        ('range', '0 0.5 1', [['range', '10', '20']], (0, 1), None, 'numbers'),
        ('add', '0 1 2', [['add', '10 20']], (0, 1), None, 'numbers'),
        ('sub', '0 1 2', [['sub', '1']], (0, 1), None, 'numbers'),
        ('mul', '1 2 3', [['mul', '2']], (0, 1), None, 'numbers'),
        ('div', '1 2 3', [['div', '2']], (0, 1), None, 'numbers'),
        ('stack', 'bd sn', [['stack', 'hh*3']], (0, 1)),
        ('overlay', 'bd sn', [['overlay', 'hh*3']], (0, 1)),
        ('cat', 'bd sn', [['cat', 'hh hh hh']], (0, 2)),
        ('slowcat', 'bd', [['slowcat', 'sn', 'hh']], (0, 3)),
        ('fastcat', 'bd sn', [['fastcat', 'hh']], (0, 1)),
        ('fastCat', '~', [['fastCat', 'a', 'b c']], (0, 1), None, None, 'fastCat ["a", "b c"]'),
        ('slowCat', '~', [['slowCat', 'a', 'b c']], (1, 3), None, None, 'slowCat ["a", "b c"]'),
        'A program writes `stack`, `cat`, `fastcat` and `randcat` either way: with the patterns as arguments\n'
        '(`cat (s "bd") (s "sn")`) or as Tidal does, with a list (`cat [s "bd", s "sn"]`); `fastCat` and\n'
        '`slowCat` are Tidal\'s other names.\n',
        ('append', 'a b', [['append', 'c']], (0, 2), None, None, 'append "c" "a b"'),
        ('slowAppend', 'a', [['slowAppend', 'b']], (0, 2), None, None, 'slowAppend "b" "a"'),
        ('slowappend', 'a', [['slowappend', 'b']], (0, 2), None, None, 'slowappend "b" "a"'),
        ('fastAppend', 'a', [['fastAppend', 'b c']], (0, 1), None, None, 'fastAppend "b c" "a"'),
        ('fastappend', 'a', [['fastappend', 'b']], (0, 1), None, None, 'fastappend "b" "a"'),
        ('rot', 'a b c d', [['rot', '<1 2>']], (0, 2)),
        ('arp', "<c'maj e'min7>", [['arp', '<up down>']], (0, 2), None, 'notes'),
        ('bite', 'a b c d', [['bite', '4', '0 2*2']], (0, 1)),
        'The index is taken modulo n, as Haskell\'s `mod` (`-1` is the last slice); `bite 0` is an error:\n',
        dict(mini='a b c d', tr=[['bite', '4', '-1 0']]),
    ]),
    ('Randomness', [
        ('degrade', 'hh*8', [['degrade']], (0, 1)),
        ('degradeBy', 'hh*8', [['degradeBy', '0.3']], (0, 1)),
        ('unDegradeBy', 'hh*8', [['unDegradeBy', '0.3']], (0, 1)),
        ('undegradeBy', 'hh*8', [['undegradeBy', '0.5']], (0, 1)),
        ('sometimesBy', '0*8', [['sometimesBy', '0.3', [['add', '10']]]], (0, 1), None, 'numbers'),
        ("sometimesBy'", 'bd*8', [["sometimesBy'", '0.5', [['fast', '2']]]], (0, 1)),
        ('sometimes', '0*8', [['sometimes', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('often', '0*8', [['often', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('rarely', '0*8', [['rarely', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('almostNever', '0*8', [['almostNever', [['add', '10']]]], (0, 1), None, 'numbers'),
        ('almostAlways', '0*8', [['almostAlways', [['add', '10']]]], (0, 1), None, 'numbers'),
        ("sometimes'", '0*8', [["sometimes'", [['add', '10']]]], (0, 1), None, 'numbers'),
        ("often'", '0*8', [["often'", [['add', '10']]]], (0, 1), None, 'numbers'),
        ("rarely'", '0*8', [["rarely'", [['add', '10']]]], (0, 1), None, 'numbers'),
        ("almostNever'", '0*8', [["almostNever'", [['add', '10']]]], (0, 1), None, 'numbers'),
        ("almostAlways'", '0*8', [["almostAlways'", [['add', '10']]]], (0, 1), None, 'numbers'),
        'The primed forms are `sometimesBy\'` (f\'s events chosen among, rather than the pattern\'s), except\n'
        '`almostNever\'`, which Tidal 1.7.10 defines as `sometimesBy 0.1`.\n',
        ('always', 'bd sn', [['always', [['rev']]]], (0, 1)),
        ('never', 'bd sn', [['never', [['rev']]]], (0, 1)),
        ('someCyclesBy', 'bd*2', [['someCyclesBy', '0.5', [['fast', '2']]]], (0, 4)),
        ('someCycles', 'bd*2', [['someCycles', [['fast', '2']]]], (0, 4)),
        ('somecyclesBy', 'bd*2', [['somecyclesBy', '0.3', [['fast', '2']]]], (0, 4)),
        ('somecycles', 'bd*2', [['somecycles', [['rev']]]], (0, 4)),
        ('shuffle', 'a b c d', [['shuffle', '4']], (0, 2)),
        ('scramble', 'a b c d', [['scramble', '4']], (0, 2)),
        ('randcat', 'a', [['randcat', 'b c', 'd e f']], (0, 4)),
    ]),
    ('Control maps (sample playback)', [
        ('jux', 'bd sn', [['jux', [['rev']]]], (0, 1), 's'),
        ('juxBy', 'bd sn', [['juxBy', '0.5', [['rev']]]], (0, 1), 's'),
        ('chop', 'bd sn', [['chop', '2']], (0, 1), 's'),
        ('striate', 'bd sn', [['striate', '2']], (0, 1), 's'),
        'The slices are taken of an event\'s own begin..end (Tidal\'s `mergePlayRange`):\n',
        dict(mini='bd', tr=[['#', 'begin', '0.5'], ['striate', '2']], control='s', show='striate "2" $ s "bd" # begin "0.5"'),
        ('striateBy', 'bd sn', [['striateBy', '2', '0.5']], (0, 1), 's'),
        ("striate'", 'bd', [["striate'", '2', '0.25']], (0, 1), 's'),
        ('stut', 'bd', [['stut', '3', '0.5', '0.125']], (0, 1), 's'),
        ('fix', 'bd sn hh', [['fix', [['fast', '2']], 'bd']], (0, 1), 's'),
        ('unfix', 'bd sn', [['unfix', [['#', 'crush', '4']], 'sn']], (0, 1), 's'),
        ('contrast', 'bd sn', [['contrast', [['#', 'speed', '2']], [['#', 'crush', '4']], 'sn']], (0, 1), 's'),
    ]),
    ('Tests of the cycle and of the time', [
        'Tests are written as Haskell sections and names ([LANGUAGE.md](LANGUAGE.md), "Tests"); the cases are\n'
        'in `tests/tidal/cases-last.jsonl`.\n',
        ('ifp', 'hh hc', [['ifp', 'mod 2 == 0', [['striate', '2']], [['#', 'coarse', '24 48']]]], (0, 2), 's', None,
         'ifp (mod 2 == 0) (striate 2) (# coarse "24 48") $ s "hh hc"'),
        ('when', 'a b', [['when', 'odd', [['fast', '2']]]], (0, 3), None, None, 'when odd (fast 2) $ "a b"'),
        ('whenT', 'a b c d', [['whenT', 'mod 1 == 0.5', [['rev']]], ['slow', '2']], (0, 2), None, None,
         'slow 2 $ whenT (mod 1 == 0.5) rev $ "a b c d"'),
        'Inside `slow 2` the queries of the cycles start at 0, 1/2, 1, 3/2 ...: the test passes at the halves.\n',
        ('id', 'a b', [['ifp', '< 1', [['rev']], [['id']]]], (0, 2), None, None, 'ifp (< 1) rev id $ "a b"'),
    ]),
    # Tidal's wider library (engine/pattern_library.h): (name, mini, transforms, cycles, control, type, as written)
    '### Tidal\'s wider library\n\n'
    'Scales, sample slicing, layers, cycles, numbers and random choice, and the functions of lists of\n'
    'patterns and functions (`engine/pattern_library.h`, one file per family). Each example is written as\n'
    'in a program (a list is `[a, b]`, a tuple `(a, b)`: [LANGUAGE.md](LANGUAGE.md), "Lists and tuples");\n'
    'each is also a case generated by Tidal 1.7.10 in `tests/tidal/cases-library.jsonl`.\n',
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
        ("smash'", 'bev', [["smash'", '2', ['1', '2']]], (0, 3), 's', None, 'smash\' 2 [1, 2] $ s "bev"'),
    ]),
    ('Layers and repetition', [
        ('stutter', 'bd', [['stutter', '3', '1/8']], (0, 1), 's', None, 'stutter 3 (1/8) $ s "bd"'),
        ('double', 'a b', [['double', '1/8']], (0, 1), None, None, 'double (1/8) $ "a b"'),
        ('triple', 'a', [['triple', '1/6']], (0, 1), None, None, 'triple (1/6) $ "a"'),
        ('quad', 'a', [['quad', '1/8']], (0, 1), None, None, 'quad (1/8) $ "a"'),
        ('plyWith', '0 1', [['plyWith', '3', [['+', '10']]]], (0, 1), None, 'numbers', 'plyWith 3 (+ 10) $ "0 1"'),
        ('arpeggiate', "c'maj e'min", [['arpeggiate']], (0, 1), None, 'notes'),
        ('arpg', "<c'maj'4 e'min>", [['arpg']], (0, 2), None, 'notes'),
        ('spin', 'bd sn', [['spin', '2']], (0, 1), 's'),
        ('ghost', 'bd ~ sn ~', [['ghost']], (0, 1), 's'),
        ("ghost'", 'bd', [["ghost'", '1/16']], (0, 1), 's', None, "ghost' (1/16) $ s \"bd\""),
        ("ghost''", 'a', [["ghost''", '1/8', [['fast', '2']]]], (0, 1), None, None, "ghost'' (1/8) (fast 2) $ \"a\""),
        ('juxcut', 'bd sn', [['juxcut', [['rev']]]], (0, 1), 's'),
        ('jux4', 'bd sn', [['jux4', [['rev']]]], (0, 1), 's'),
        ('stitch', '0 1 2 3', [['stitch', 't f [t t] f', '10 20']], (0, 1), None, 'numbers'),
        ('inv', 't f [t t] f', [['inv']], (0, 1), None, 'bool'),
        ('binaryN', '5 3', [['binaryN', '4']], (0, 1), None, 'int', 'binaryN 4 "5 3"'),
        ('binary', '129', [['binary']], (0, 1), None, 'int', 'binary "129"'),
        ('ascii', 'a', [['ascii']], (0, 1), None, 'words', 'ascii "a"'),
        ('brand', '~', [['brand'], ['segment', '4']], (0, 1), None, 'bool', 'segment 4 $ brand'),
        ('brandBy', '~', [['brandBy', '0.8'], ['segment', '4']], (0, 1), None, 'bool', 'segment 4 $ brandBy 0.8'),
        ('stripe', 'a b', [['stripe', '2']], (0, 2)),
        ('slowstripe', 'a b', [['slowstripe', '2']], (0, 2)),
    ]),
    ('Cycles', [
        ('wedge', 'a b', [['wedge', '0.25', 'c d e']], (0, 1)),
        ('timeCat', '~', [['timeCat', [['1', 'bd*4'], ['1', 'hh*2'], ['2', 'sn']]]], (0, 1), 's', None,
         'timeCat [(1, s "bd*4"), (1, s "hh*2"), (2, s "sn")]'),
        ('timecat', '~', [['timecat', [['1', 'a b'], ['3', 'c']]]], (0, 1), None, 'words',
         'timecat [(1, "a b"), (3, "c")]'),
        ('loopFirst', '<a b c>', [['loopFirst']], (0, 3)),
        ('timeLoop', '<a b c d>', [['timeLoop', '2']], (0, 4)),
        ('soak', 'a b c', [['soak', '3', [['fast', '2']]]], (0, 3), None, None, 'soak 3 (fast 2) $ "a b c"'),
        ('seqP', '~', [['seqP', [['0', '2', 'bd*2'], ['1', '3', 'hh*3']]]], (0, 3), 's', None,
         'seqP [(0, 2, s "bd*2"), (1, 3, s "hh*3")]'),
        ('seqPLoop', '~', [['seqPLoop', [['1', '2', 'bd*2'], ['2', '3', 'hh*3']]]], (0, 4), 's', None,
         'seqPLoop [(1, 2, s "bd*2"), (2, 3, s "hh*3")]'),
        ('foldEvery', 'a b', [['foldEvery', ['2', '3'], [['fast', '2']]]], (0, 4), None, None, 'foldEvery [2, 3] (fast 2) $ "a b"'),
    ]),
    ('Numbers and signals', [
        ('quantise', '0.4 0.5 1.5 2.7', [['quantise', '1']], (0, 1), None, 'numbers', 'quantise 1 "0.4 0.5 1.5 2.7"'),
        ('qround', '0.25 0.75', [['qround', '2']], (0, 1), None, 'numbers', 'qround 2 "0.25 0.75"'),
        ('qfloor', '0.4 -1.5 2.7', [['qfloor', '1']], (0, 1), None, 'numbers', 'qfloor 1 "0.4 -1.5 2.7"'),
        ('qceiling', '0.4 -1.5 2.7', [['qceiling', '4']], (0, 1), None, 'numbers', 'qceiling 4 "0.4 -1.5 2.7"'),
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
        ('selectF', 'a b c d', [['selectF', '<0 0.5>', [[['fast', '2']], [['rev']]]]], (0, 2), None, None,
         'selectF "<0 0.5>" [fast 2, rev] $ "a b c d"'),
        ('spreadChoose', 'a b', [['spreadChoose', 'fast', ['1', '2', '3']]], (0, 3), None, None, 'spreadChoose fast [1, 2, 3] $ "a b"'),
        ('spreadr', 'a b', [['spreadr', 'ply', ['1', '2']]], (0, 3), None, None, 'spreadr ply [1, 2] $ "a b"'),
        ('inhabit', 'x y', [['inhabit', [['x', 'bd sn'], ['y', 'hh*3']]]], (0, 1), None, 'words',
         'inhabit [("x", "bd sn"), ("y", "hh*3")] "x y"'),
        ('swap', 'a b c a', [['swap', [['a', 'x'], ['c', 'z']]]], (0, 1), None, 'words', 'swap [("a", "x"), ("c", "z")] "a b c a"'),
        ('spaceOut', 'a b', [['spaceOut', ['1', '0.5']]], (0, 2), None, None, 'spaceOut [1, 0.5] $ "a b"'),
        ('fit', '0 [1 2]', [['fit', '1', ['bd', 'sn', 'arpy']]], (0, 2), None, 'int', 'fit 1 ["bd", "sn", "arpy"] "0 [1 2]"'),
        ('pickF', 'a b c d', [['pickF', '<0 1>', [[['fast', '2']], [['rev']]]]], (0, 2), None, None, 'pickF "<0 1>" [fast 2, rev] $ "a b c d"'),
        ('weave', '~', [['weave', '2', {'control': 'pan', 'mini': '0 0.5'}, ['bd sn', 'hh*2']]], (0, 1), 's', None,
         'weave 2 (pan "0 0.5") [s "bd sn", s "hh*2"]'),
        ('weaveWith', '~', [['weaveWith', '2', 'a b', [[['fast', '2']], [['rev']]]]], (0, 1), None, 'words', 'weaveWith 2 "a b" [fast 2, rev]'),
        ('ur', '~', [['ur', '2', 'a b:fast', [['a', 'bd*2'], ['b', 'sn hh']], [['fast', [['fast', '2']]]]]], (0, 4), 's', None,
         'ur 2 "a b:fast" [("a", s "bd*2"), ("b", s "sn hh")] [("fast", fast 2)]'),
    ]),
]

table_names = set()
for section in T:
    if isinstance(section, str):
        w(section)
        continue
    title, items = section
    w('### %s\n' % title)
    for item in items:
        if isinstance(item, str):       # prose about the entry before
            w(item)
            continue
        if isinstance(item, dict):      # a further example of it
            ex(item['mini'], item['tr'], cyc=item.get('cyc', (0, 1)), control=item.get('control'),
               typ=item.get('typ'), show=item.get('show'))
            continue
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
rows = re.findall(r'(?:\bT[VSL]?\("([^"]+)",[^\n]*?b_\w+, "([^"]*)"\)|\{ "([^"]+)", \d+, \{[^}]*\}, (?:true|false), (?:plib|b)_\w+,\s*"([^"]*)")', src)
rows = [(m[0] or m[2], m[1] or m[3]) for m in rows]
w('| name | what it does |\n|---|---|')
for name, summary in rows:
    w('| `%s` | %s |' % (name, summary.replace('|', '\\|')))
w('')

w('\n## Limits: work per block and factors\n\nWhatever a program says, the patterns cannot freeze the audio: the work of every block is bounded,\nand what a limit takes away is dropped, counted and reported once (per program) as a warning.\nPrograms within the limits play exactly as without them (`tests/unit/test_hostile.c`: 120 hostile\nprograms render faster than real time on one thread; dense valid ones lose nothing).\n\n**Factors** are clamped to a range where a transform reads them, also when they come from a\npattern (`fast "<1 1e9>"`); a factor of 0 stays 0 (silence, as in Tidal). `phonon check` warns\nabout a literal factor beyond its range, at the factor:\n`d1.ph:1:11: warning: the factor of fast is out of range (1/10000 to 10000); clamped to 10000`.\nWhile playing, the first clamp of a program is reported as\n`a pattern factor is out of range and was clamped (fast, slow, inside, linger at most 10000; ply 1024; segment 4096; chop, striate 1024; stut 64; docs/PATTERNS.md, Limits)`.\n\n| factor | range (of the magnitude; the sign is kept) |\n|---|---|\n| `fast` `slow` `density` `sparsity` `hurry` `inside` `outside` `fastGap` `linger`, `swingBy`\'s and `swing`\'s n | 1/10000 to 10000 |\n| `ply` | at most 1024 |\n| `segment` `discretise` | at most 4096 |\n| `chop` `striate` `striateBy` | at most 1024 |\n| `stut` (count) | at most 64 |\n| `stutWith` `echoWith` (count) | at most 16 |\n| `shuffle` `scramble`, `stripe` (spans) | at most 256 |\n| `spin` (copies) | at most 64 |\n| `plyWith` (layers) | at most 16 |\n| `loopAt` | as `slow` |\n| `stutter` (copies), `soak` (cycles) | at most 1024: beyond, the program is refused (`bad arguments`) |\n| `euclid` family, `(k,n)` | more than 1024 steps: silence |\n| `run` | at most 4096 values |\n| `arp` | chords of at most 128 notes |\n\n**Work.** A query counts *steps*: each pattern node it enters, each cycle piece it walks, each\nevent it makes or maps. `PhononStats.pattern_steps` adds them up — a deterministic measure of\npattern work (the same whatever the thread count; a dense valid program takes some 10 000 to\n50 000 steps a second, a step costs roughly 0.1 to 0.5 µs).\n\n| budget | value |\n|---|---|\n| steps, all queries of the engine together | 1 000 000 per second of audio (`PATTERN_STEPS_PER_SECOND`), saved up to 262 144 (`PATTERN_STEPS_BURST`: a busy cycle\'s query) |\n| steps of one query | at most 4 194 304 (`PATTERN_QUERY_STEPS`; `phonon events` and tests) |\n| nesting | 200 nodes deep (`PATTERN_MAX_DEPTH`: bounds the audio thread\'s stack) |\n| events | 16 384 per query of a block; a player\'s cycle is queried once and cached when it has at most 1 024 onsets (2 048 events), else block by block; a control pattern keeps at most 8 192 events per block |\n| voice starts | one per 8 frames on average (5 512 a second at 44.1 kHz), saved up to 1 024 |\n\nThe block\'s budget is shared fairly: the control patterns and then each player get an equal share\nof what is left, so one runaway statement cannot silence the others; a cycle\'s query takes at most\nhalf of a player\'s share (when it cannot finish, the cycle is queried block by block). A query\nthat runs out of steps or nests too deep stops, keeping what it made; the events lost are counted\nin `PhononStats.pattern_dropped` (`pattern_clamped` counts clamped factors) and reported once:\n`events dropped: the patterns ask for more than can be played in real time (at most 1000000 pattern steps per second, 16384 events per query); make them less dense (docs/PATTERNS.md, Limits)`,\nor, when the nesting was the cause,\n`events dropped: a pattern is nested more than 200 levels deep (docs/PATTERNS.md, Limits)`.\n\nThe tempo is limited too: 0.001 to 100 cycles per second (LANGUAGE.md, "Statements").\n')
w('''
## Differences from Tidal 1.7.10

phonon matches Tidal 1.7.10 event for event on the conformance corpus (`tests/conformance`, 200 of
200), on its own corpora generated by Tidal itself (`tests/tidal`: @CORPUS@) and on thousands of
random cases compared during development (`tests/tidal/fuzz.py`). The differences are deliberate:

1. **Syntax Tidal 1.7 rejects is accepted**: a top-level `,` or `|` reads as if the string were
   bracketed (`bd sn, hh*3` is `[bd sn, hh*3]`); a lone `-` is a rest (also in numbers: `- 1` is a
   rest and 1, where Tidal reads -1); `#` may appear in words (`f#5`); `x` is true in booleans; chord
   modifier groups can be chained (`c'maj'ii'o`) and include newer Tidal's drop (`'d1`) — Tidal
   1.7.10 takes one group (`'5io`: a number, `i`s, `o`s) and reads `'d1` as a separate note.
2. **`~name` is a word** at the start of a step (an instrument bus in phonon; Tidal reads a rest
   and then `name`). `bd~sn` is still bd, a rest, sn.
3. **A part always lies inside its whole.** Inside a sequence step, Tidal 1.7.10 maps the whole of
   an event that crosses a cycle edge relative to the wrong cycle (`bd*1.5 sn`: Tidal gives the
   second `bd` of cycle 1 the whole [1/3, 2/3] and the part [1, 7/6]; phonon [5/6, 7/6]). phonon maps
   wholes with the cycle of their part, as Strudel and newer Tidal do. Everything built on such
   events differs accordingly (Tidal may drop them where wholes are intersected).
4. **`ply`, `press` and squeezing keep events that cross a cycle edge** (Tidal 1.7.10 drops them).
5. **`zoom` outside 0..1** — past the cycle end (`zoom 0 2`, `linger 1.5`) or with a negative start
   (`zoom (-0.25) 0.5`, `linger (-1.5)`) — maps every event with the query's cycle; Tidal maps each
   arc with its own cycle and returns events outside the span queried (duplicated in one cycle,
   missing from another) or parts outside their wholes. Within a cycle phonon's `zoom` (and so
   `linger`, `bite`) is Tidal's, wholes included, except where Tidal's whole would not hold its part.
6. **`|++` joins words of event chains too** (Tidal 1.7.10 has it for `Pattern String` only): the
   words of a parameter both sides have are joined, the other parameters united, numbers keep the
   left value (LANGUAGE.md, "Joining words"). `|+` on two words keeps the left word, as Tidal's
   `|+` on control maps does.
7. **Decimal times are exact**: `fast "0.7"`, `bd*1.1`, `0.1 ~> p`, `bd@1.5` use 7/10, 11/10, 1/10,
   3/2, and constants fold exactly (`(1/3) ~> p` moves by 1/3). Tidal 1.7.10 reads a decimal in a
   time pattern through a Double and uses that double's binary value (0.7 is
   3152519739159347/4503599627370496), which is not the number written, and whose 2^52 denominators
   outgrow any fixed-width time within a few operations (`fast "0.7"` with a shift needs 107-bit
   denominators at cycle 0; a 64-bit rational had to round, and drifted from cycle 3000 on). The
   Tidal-generated corpora give Tidal the fraction written (`7%10`, tests/tidal/gen.py), so Tidal
   computes what phonon means. Decimal values that are not times (`gain "0.7"`) are doubles as in
   Tidal.
8. **A time beyond 64-bit rationals is reported**: Tidal's rationals are unbounded; phonon's times
   are reduced 64-bit fractions with 128-bit intermediates. Where a result still does not fit
   (`fast "1.1"` near cycle 10^18, whose numerators exceed 2^63), `phonon events` answers with the
   error `a time beyond 64-bit rationals (numerator or denominator over 2^63)` instead of rounded
   events; the engine rounds to the nearest 64-bit fraction and counts it (`rat_overflow_count`).
   Small denominators reach 10^18 cycles exactly (`<a b c d e f g>` at cycle 10^18 is exact).
9. **`rot` by a negative n beyond the event count** goes round (`rot (-4)` of three events is
   `rot (-1)`); Tidal drops a negative count of values, which rotates nothing.
10. **Degenerate constant arguments are errors at the argument**: `trunc 0`, `linger 0`, `bite 0`,
    `whenmod 0`, `every' 0 o`, `zoom b b`, `compress b b` — where Tidal raises a division by zero
    when the pattern is queried. A patterned argument that takes such a value (`trunc "<0 0.5>"`)
    is silent where it does (Tidal fails the whole query; phonon cannot stop the music for it).
11. Pattern variables `^name` are always unset (silence). `rot` orders events by the source column
    of their mini-notation atoms, then time — as Tidal orders by source position — which can differ
    from Tidal for values made by arithmetic.
12. **`chew` squeezes as `bite` and `ply` do** (item 4): slices whose event crosses a cycle edge
   play, where Tidal 1.7.10's `squeezeJoinUp` drops them.
13. **`stripe` and `smooth` answer only the span asked for.** Tidal's `stripe` returns each span's
   events over the whole span even when the query covers part of it; phonon returns the part inside
   the query (the same events when a whole cycle is asked for, as `tests/tidal` does). `smooth`
   is Tidal's: one event over the span queried, so what it gives depends on how it is queried —
   sample it with `segment` (or a `struct`) for events that do not.
14. **`whenT`'s test sees the start of each query**, as Tidal's does (`splitQueries`): where a query
    starts depends on the host (a program is queried once per audio block, `phonon events` and
    Tidal's tests once per cycle), so a test of the fraction of a cycle switches at the first query
    at or after the time it names (LANGUAGE.md, "Tests").

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
- `tests/unit/test_mini.c`, `test_mini_hostile.c` (the limits above at their edges, hostile strings,
  memory per character), `test_pattern.c`, `test_rational.c`, `test_pattern_alloc.c`.
- `tests/fuzz/fuzz_mini.c`: libFuzzer target for the mini-notation (seeds in `tests/fuzz/corpus/mini/`).
- `tests/tidal/fuzz.py`: random cases for differential testing against Tidal.
'''.replace('@CORPUS@', corpus_counts()))

# every name of the transform table has an entry with its events
missing = [name for name, _ in rows if name not in table_names]
if missing:
    sys.exit('patterns_doc.py: no example for ' + ', '.join(missing) + ' (add one to T)')
errors = [line for line in OUT if '→ error:' in line]
if errors:
    sys.exit('patterns_doc.py: an example fails:\n' + '\n'.join(errors))

sys.stdout.write('\n'.join(OUT) + '\n')
