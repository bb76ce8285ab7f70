#!/usr/bin/env python3
"""Random cases in the conformance format, for differential testing against Tidal 1.7.10.

    python3 tests/tidal/fuzz.py --seed 1 --count 400 > /tmp/fuzz.jsonl
    python3 tests/tidal/gen.py /tmp/fuzz.jsonl > /tmp/fuzz.tidal.jsonl
    build/phonon events --jsonl < /tmp/fuzz.jsonl > /tmp/fuzz.phonon.jsonl
    python3 tests/conformance/check.py /tmp/fuzz.tidal.jsonl /tmp/fuzz.phonon.jsonl --quiet

Strings use only syntax Tidal 1.7.10 accepts; differences are either bugs or one of phonon's
documented decisions (a part must lie inside its whole; ply/press keep events crossing a cycle).
"""
import argparse
import json
import random

WORDS = ['bd', 'sn', 'hh', 'cp', 'arpy', 'bd:3', 'sn:1']
NUMS = ['0', '1', '2', '3', '-1', '0.5', '1.25', '7']


class G:
    def __init__(self, rnd, numeric, clean=False):
        self.r = rnd
        self.numeric = numeric
        self.clean = clean      # no event may cross a cycle edge inside a sequence step (Tidal's quirk)

    def atom(self):
        r = self.r
        if r.random() < 0.1:
            return '~'
        return r.choice(NUMS if self.numeric else WORDS)

    def factor(self):
        r = self.r
        if self.clean:
            return r.choice(['2', '3', '4', '<2 3>', '[1 2]', '<1 2 4>'])
        c = r.random()
        if c < 0.55:
            return r.choice(['2', '3', '4', '1.5', '0.5', '0.75', '2.5'])
        if c < 0.8:
            return '<%s>' % ' '.join(r.choice(['1', '2', '3', '0.5']) for _ in range(r.randint(2, 3)))
        return '[%s]' % ' '.join(r.choice(['1', '2', '3']) for _ in range(2))

    def term(self, depth):
        r = self.r
        c = r.random()
        if depth > 1 or c < 0.55:
            t = self.atom()
        elif c < 0.7:
            t = '[' + self.group(depth + 1, stack=True) + ']'
        elif c < 0.85:
            t = '<' + self.group(depth + 1, stack=True, choice=False) + '>'
        else:
            t = '{' + self.group(depth + 1, stack=True, choice=False) + '}'
            if r.random() < 0.5:
                t += '%' + r.choice(['3', '4', '5', '<2 4>'])
        if self.clean and t.startswith(('<', '{')):
            t = '[' + t + ']'   # alternations inside steps stay whole cycles only at the top
        if t != '~':
            if r.random() < 0.12:
                t += '?'
            if r.random() < 0.3:
                t += ('*' if self.clean else r.choice(['*', '/'])) + self.factor()
            if r.random() < 0.15:
                k = r.choice(['3', '5', '2', '<3 5>', '-1', '0'])
                n = r.choice(['8', '7', '16', '<8 4>'])
                t += '(%s,%s%s)' % (k, n, ',' + r.choice(['1', '2', '-1', '<0 3>']) if r.random() < 0.5 else '')
            if r.random() < 0.08:
                t += '?' + r.choice(['', '0.2', '0.7'])
        return t

    def seq(self, depth):
        r = self.r
        steps = []
        for _ in range(r.randint(1, 4 if depth == 0 else 3)):
            s = self.term(depth)
            c = r.random()
            if c < 0.1:
                s += '!' + r.choice(['', '2', '3'])
            elif c < 0.2 and not (self.clean and depth > 0):
                s += '@' + r.choice(['2', '3', '1.5', '0.5'])
            elif c < 0.27:
                s += ' _'
            elif c < 0.32 and self.numeric:
                s += ' .. ' + r.choice(NUMS[:5])
            steps.append(s)
        if r.random() < 0.08 and len(steps) > 1:
            k = r.randint(1, len(steps) - 1)
            return ' '.join(steps[:k]) + ' . ' + ' '.join(steps[k:])
        return ' '.join(steps)

    def group(self, depth, stack, choice=True):
        r = self.r
        c = r.random()
        if stack and c < 0.2:
            return ', '.join(self.seq(depth) for _ in range(r.randint(2, 3)))
        if choice and c < 0.3:
            return ' | '.join(self.seq(depth) for _ in range(r.randint(2, 3)))
        return self.seq(depth)


TRANSFORMS = [
    lambda r: ['fast', r.choice(['2', '1.5', '<1 2>', '0.5 2'])],
    lambda r: ['slow', r.choice(['2', '1.5', '<2 1>'])],
    lambda r: ['rev'],
    lambda r: ['early', r.choice(['0.25', '<0 0.5>', '1.5'])],
    lambda r: ['late', r.choice(['0.25', '0.125 0.5'])],
    lambda r: ['every', r.choice(['2', '3', '<2 3>']), [['fast', '2']]],
    lambda r: ['every', '2', [['rev']]],
    lambda r: ['lastOf', '3', [['early', '0.25']]],
    lambda r: ['iter', r.choice(['4', '<2 3>'])],
    lambda r: ['iterBack', '3'],
    lambda r: ['palindrome'],
    lambda r: ['ply', r.choice(['2', '<1 2>', '3'])],
    lambda r: ['segment', r.choice(['4', '<2 3>'])],
    lambda r: ['degradeBy', r.choice(['0.5', '0.3 0.7'])],
    lambda r: ['undegradeBy', '0.4'],
    lambda r: ['sometimesBy', '0.4', [['fast', '2']]],
    lambda r: ['sometimes', [['rev']]],
    lambda r: ['someCyclesBy', '0.5', [['early', '0.25']]],
    lambda r: ['off', r.choice(['0.25', '0.125']), [['fast', '2']]],
    lambda r: ['superimpose', [['late', '0.25']]],
    lambda r: ['linger', r.choice(['0.25', '<0.5 0.25>'])],
    lambda r: ['zoom', '0.25', '0.75'],
    lambda r: ['compress', '0.25', '0.75'],
    lambda r: ['fastGap', '2'],
    lambda r: ['inside', '2', [['rev']]],
    lambda r: ['outside', '2', [['rev']]],
    lambda r: ['press'],
    lambda r: ['brak'],
    lambda r: ['repeatCycles', '2'],
    lambda r: ['euclid', r.choice(['3', '<3 5>']), '8'],
    lambda r: ['euclidRot', '3', '8', '<1 2>'],
    lambda r: ['struct', r.choice(['t ~ t t', 't*2 f', 't(3,8)'])],
    lambda r: ['mask', r.choice(['1 0 1 1', '<1 [0 1]>'])],
    lambda r: ['stack', 'hh*3'],
    lambda r: ['cat', 'cp'],
    lambda r: ['fastcat', 'hh'],
    lambda r: ['chunk', '4', [['fast', '2']]],
    lambda r: ['whenmod', '4', '2', [['rev']]],
    lambda r: ['swingBy', '1/3', '4'],
    lambda r: ['trunc', '0.75'],
    lambda r: ['rot', '<1 2>'],
    lambda r: ['shuffle', '4'],
    lambda r: ['scramble', '4'],
]
NUM_TRANSFORMS = [
    lambda r: ['add', r.choice(['10', '<0 12> 7', '0.5'])],
    lambda r: ['mul', r.choice(['2', '1 -1'])],
    lambda r: ['range', '1', '5'],
    lambda r: ['off', '0.25', [['add', '12']]],
]
RANDOM = ('?', '|', 'degradeBy', 'undegradeBy', 'sometimes', 'someCycles', 'shuffle', 'scramble')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--count', type=int, default=400)
    ap.add_argument('--clean', action='store_true', help='avoid Tidal 1.7.10 quirk 1 (events crossing cycle edges in steps)')
    args = ap.parse_args()
    r = random.Random(args.seed)
    for i in range(args.count):
        numeric = r.random() < 0.3
        g = G(r, numeric, args.clean)
        mini = g.group(0, stack=False, choice=False)
        if args.clean:
            mini = g.term(0) if r.random() < 0.5 else mini
        trs = []
        for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
            pool = TRANSFORMS + (NUM_TRANSFORMS if numeric else [])
            t = r.choice(pool)(r)
            if numeric and t[0] in ('stack', 'cat', 'fastcat'):
                t = [t[0], {'hh*3': '5*3', 'cp': '9', 'hh': '8'}[t[1]]]
            trs.append(t)
        c0 = r.choice([0, 0, 0, -2, 3])
        case = {'id': 'fz-%d-%03d' % (args.seed, i), 'mini': mini, 'type': 'numbers' if numeric else 'words'}
        if trs:
            case['transforms'] = trs
        case['cycles'] = [c0, c0 + r.choice([2, 4, 6])]
        text = json.dumps(case)
        case['random'] = any(k in text for k in RANDOM)
        print(json.dumps(case))


if __name__ == '__main__':
    main()
