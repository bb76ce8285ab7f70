#!/usr/bin/env python3
"""Build tests/tidal/expected.jsonl from Tidal's output and phonon's reviewed differences.

    python3 tests/tidal/merge.py tests/tidal/tidal.jsonl tests/tidal/differs.txt PHONON.jsonl \
        > tests/tidal/expected.jsonl

tidal.jsonl is what gen.py printed; differs.txt lists, one per line, the ids where phonon
deliberately differs from Tidal 1.7.10 ("id  reason"); for those the line is taken from PHONON.jsonl
(the output of `phonon events --jsonl`, reviewed by hand). Every line is rewritten in the exact
text phonon prints (events sorted, numbers and maps formatted the same way), so the C test
(tests/unit/test_pattern_tidal.c) can compare lines as strings. Error lines keep only "error".
"""
import json
import sys
from fractions import Fraction

PARAMS = ['s', 'n', 'note', 'speed', 'accelerate', 'gain', 'pan', 'begin', 'end', 'legato', 'sustain',
          'cut', 'loop', 'attack', 'hold', 'release', 'cutoff', 'resonance', 'hcutoff', 'hresonance',
          'bandf', 'bandq', 'shape', 'coarse', 'crush', 'vowel', 'orbit', 'unit', 'velocity', 'amp',
          'octave', 'freq', 'midinote']


def jstr(s):
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append('\\' + ch)
        elif ord(ch) < 0x20:
            out.append('\\u%04x' % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


def jnum(x):
    x = float(x)
    if x == 0:
        x = 0.0
    if x == int(x) and abs(x) < 1e15:
        return '%.0f' % x
    for p in range(1, 18):
        s = '%.*g' % (p, x)
        if float(s) == x:
            return s
    return repr(x)


def jval(v):
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if isinstance(v, (int, float)):
        return jnum(v)
    if isinstance(v, str):
        return jstr(v)
    if isinstance(v, list):
        return '[' + ','.join(jval(x) for x in v) + ']'
    if isinstance(v, dict):
        keys = sorted(v, key=lambda k: PARAMS.index(k) if k in PARAMS else 100)
        return '{' + ','.join(jstr(k) + ':' + (jstr(v[k]) if isinstance(v[k], str) else jval(v[k])) for k in keys) + '}'
    return 'null'


def rat(s):
    f = Fraction(s)
    return str(f.numerator) if f.denominator == 1 else '%d/%d' % (f.numerator, f.denominator)


def canon(rec):
    head = '{"id":%s,"random":%s' % (jstr(rec['id']), 'true' if rec.get('random') else 'false')
    if 'error' in rec:
        return head + ',"error":"error"}'
    evs = []
    for e in rec['events']:
        w = e['whole']
        p = e['part']
        evs.append((Fraction(p[0]), (0,) if w is None else (1, Fraction(w[0])), jval(e['value']),
                    Fraction(p[1]), (0,) if w is None else (1, Fraction(w[1])), w, p))
    evs.sort(key=lambda t: t[:5])
    body = []
    for t in evs:
        w, p = t[5], t[6]
        ws = 'null' if w is None else '[%s,%s]' % (jstr(rat(w[0])), jstr(rat(w[1])))
        body.append('{"whole":%s,"part":[%s,%s],"value":%s}' % (ws, jstr(rat(p[0])), jstr(rat(p[1])), t[2]))
    return head + ',"events":[' + ','.join(body) + ']}'


def main():
    tidal, differs, phonon = sys.argv[1:4]
    diff = {}
    for line in open(differs, encoding='utf-8'):
        line = line.strip()
        if line and not line.startswith('#'):
            diff[line.split()[0]] = line
    ours = {json.loads(l)['id']: json.loads(l) for l in open(phonon, encoding='utf-8') if l.strip()}
    for l in open(tidal, encoding='utf-8'):
        if not l.strip():
            continue
        rec = json.loads(l)
        if rec['id'] in diff:
            rec = ours[rec['id']]
        sys.stdout.write(canon(rec) + '\n')


if __name__ == '__main__':
    main()
