#!/usr/bin/env python3
"""Generate expected events from Tidal 1.7.10 itself for a file of cases.

    python3 tests/tidal/gen.py CASES.jsonl > EXPECTED.jsonl      (needs ghc + libghc-tidal-dev)

Each case line is the conformance input format (tests/conformance/README.md) plus phonon's
extensions, which `phonon events --jsonl` understands too:

    "type":    words | numbers | notes | int | time | bool   (default: the conformance rule)
    "control": a parameter name; the pattern's values become control maps (s "bd sn" ...)
    operator transforms: ["#", "speed", "1 2"], ["|+", "n", "12"], ["|*", "gain", "0.8"], ["+", "10"]

The script writes a Haskell program with one expression per case, compiles it with ghc -O0 and
runs it; the program prints one JSON line per case in the conformance output format. Values are
normalised as the conformance README says; in control maps an `s` word "bd:3" becomes s "bd" and
n 3, as phonon's `s` splits it (Tidal leaves that to SuperDirt). The generated Haskell is left in
the build directory given by --build (default /tmp/phonon-tidal).
"""
import argparse
import json
import os
import re
import subprocess
import sys

HEADER = r'''{-# LANGUAGE OverloadedStrings, FlexibleInstances, TypeSynonymInstances #-}
module Main where
import Sound.Tidal.Context
import qualified Data.Map as Map
import Data.Ratio
import Data.Fixed (mod')
import Data.List (intercalate)
import Control.Exception (try, evaluate, SomeException)
import System.IO

rs :: Rational -> String
rs r = "\"" ++ (if denominator r == 1 then show (numerator r) else show (numerator r) ++ "/" ++ show (denominator r)) ++ "\""

jstr :: String -> String
jstr s = "\"" ++ concatMap esc s ++ "\""
  where esc '"' = "\\\""
        esc '\\' = "\\\\"
        esc c | c < ' ' = "\\u" ++ pad (showHex' (fromEnum c))
              | otherwise = [c]
        pad x = replicate (4 - length x) '0' ++ x
        showHex' n = let d = "0123456789abcdef" in if n < 16 then [d !! n] else showHex' (n `div` 16) ++ [d !! (n `mod` 16)]

jnum :: Double -> String
jnum x | isNaN x || isInfinite x = "null"
       | x == fromIntegral (round x :: Integer) && abs x < 1e15 = show (round x :: Integer)
       | otherwise = show x

plainDecimal :: String -> Bool
plainDecimal s = case s of
  ('-':r) -> dec r
  r -> dec r
  where dec r = let (a, b) = span (`elem` ['0'..'9']) r in not (null a) && (null b || (head b == '.' && let c = tail b in not (null c) && all (`elem` ['0'..'9']) c))

word :: String -> String
word w | plainDecimal w = jnum (read (fixup w) :: Double)
       | ':' `elem` w = "[" ++ intercalate "," (map field (filter (not . null) (splitOn ':' w))) ++ "]"
       | otherwise = jstr w
  where field f = if plainDecimal f then jnum (read (fixup f)) else jstr f
        fixup ('-':r) = '-' : r
        fixup r = r

splitOn :: Char -> String -> [String]
splitOn c s = case break (== c) s of
  (a, []) -> [a]
  (a, _:rest) -> a : splitOn c rest

class JV a where
  jv :: a -> String
instance JV Double where jv = jnum
instance JV Note where jv = jnum . unNote
instance JV Int where jv = show
instance JV Integer where jv = show
instance JV Bool where jv b = if b then "true" else "false"
instance {-# OVERLAPPING #-} JV String where jv = word
instance JV Rational where jv r = jnum (fromRational r)
instance JV ValueMap where
  jv m = "{" ++ intercalate "," [jstr k ++ ":" ++ val v | (k, v) <- Map.toList (splitS m)] ++ "}"
    where val (VS s) = jstr s
          val (VF f) = jnum f
          val (VN n) = jnum (unNote n)
          val (VI i) = show i
          val (VR r) = jnum (fromRational r)
          val (VB b) = if b then "true" else "false"
          val _ = "null"

-- phonon's |++ on control maps (Tidal 1.7.10 has it for Pattern String only): the union, with the
-- words of a key both sides have joined, and the left value kept otherwise (as Num ValueMap does)
joinV :: Value -> Value -> Value
joinV (VS a) (VS b) = VS (a ++ b)
joinV a _ = a

joinL, joinR, joinB :: ControlPattern -> ControlPattern -> ControlPattern
joinL a b = Map.unionWith joinV <$> a Sound.Tidal.Context.<* b
joinR a b = Map.unionWith joinV <$> a Sound.Tidal.Context.*> b
joinB a b = Map.unionWith joinV <$> a <*> b

splitS :: ValueMap -> ValueMap
splitS m = case Map.lookup "s" m of
  Just (VS w) | ':' `elem` w ->
    let (b, rest) = break (== ':') w
        idx = drop 1 rest
    in if plainDecimal idx then Map.insert "n" (VF (read idx)) (Map.insert "s" (VS b) m) else m
  _ -> m

evj :: JV a => Event a -> String
evj e = "{\"whole\":" ++ maybe "null" (\a -> "[" ++ rs (start a) ++ "," ++ rs (stop a) ++ "]") (whole e)
     ++ ",\"part\":[" ++ rs (start (part e)) ++ "," ++ rs (stop (part e)) ++ "],\"value\":" ++ jv (value e) ++ "}"

runCase :: JV a => String -> Bool -> Integer -> Integer -> Pattern a -> IO ()
runCase cid rnd c0 c1 p = do
  let evs = concatMap (\k -> queryArc p (Arc (fromIntegral k) (fromIntegral k + 1))) [c0 .. c1 - 1]
      body = intercalate "," (map evj evs)
  r <- try (evaluate (length body `seq` body)) :: IO (Either SomeException String)
  let pre = "{\"id\":" ++ jstr cid ++ ",\"random\":" ++ (if rnd then "true" else "false")
  case r of
    Right b -> putStrLn (pre ++ ",\"events\":[" ++ b ++ "]}")
    Left ex -> putStrLn (pre ++ ",\"error\":" ++ jstr (take 300 (show ex)) ++ "}")
  hFlush stdout

main :: IO ()
main = do
'''

HTYPE = {'words': 'Pattern String', 'numbers': 'Pattern Double', 'notes': 'Pattern Note',
         'int': 'Pattern Int', 'time': 'Pattern Time', 'bool': 'Pattern Bool'}


def hs_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n').replace('\t', '\\t') + '"'


DECIMAL = re.compile(r'(?<![0-9A-Za-z_.])(\d+)\.(\d+)(?![0-9.])')
OPEN, CLOSE = '[<{(', ']>})'


def exact_decimals(s):
    """Every decimal of s as Tidal's exact fraction: 0.7 -> 7%10 (not after a '?', a probability)."""
    out, last = [], 0
    for m in DECIMAL.finditer(s):
        j = m.start() - 1
        if j >= 0 and s[j] == '?':
            continue
        out.append(s[last:m.start()])
        out.append('%d%%%s' % (int(m.group(1) + m.group(2)), '1' + '0' * len(m.group(2))))
        last = m.end()
    out.append(s[last:])
    return ''.join(out)


def exact_time(s, whole):
    """Tidal 1.7.10 reads a decimal time through a Double (0.7 becomes 3152519739159347/2^52);
    phonon reads it exactly (7/10). So that Tidal computes what phonon means, every decimal in a
    time place is given to Tidal as its exact fraction: the whole string for a Pattern Time, else
    the factors after '*', '/', '@' and a '%' step sequence (docs/PATTERNS.md, departures)."""
    if whole:
        return exact_decimals(s)
    out, i, n = [], 0, len(s)
    while i < n:
        c = s[i]
        out.append(c)
        i += 1
        if c not in '*/@%':
            continue
        if c == '%' and i >= 2 and s[i - 2] != '}':
            continue
        j = i
        while j < n and s[j] == ' ':
            j += 1
        if c == '%':
            # a whole sequence, to the closer of the enclosing bracket
            depth, k = 0, j
            while k < n and not (depth == 0 and s[k] in CLOSE + ','):
                depth += s[k] in OPEN
                depth -= s[k] in CLOSE
                k += 1
        elif j < n and s[j] in OPEN:
            depth, k = 0, j
            while k < n:
                depth += s[k] in OPEN
                depth -= s[k] in CLOSE
                k += 1
                if depth == 0:
                    break
        else:
            k = j
            while k < n and (s[k].isdigit() or s[k] in '.-+'):
                k += 1
        out.append(exact_decimals(s[i:k]))
        i = k
    return ''.join(out)


def auto_type(s):
    return 'words' if re.search(r'[A-Za-z]', s) else 'numbers'


class Gen:
    def __init__(self, case):
        self.case = case
        ctl = case.get('control')
        self.base = case.get('type') or (auto_type(case['mini']) if 'mini' in case else 'numbers')
        self.ptype = 'ControlPattern' if ctl else HTYPE[self.base]

    def lit(self, arg, htype, kind):
        """A string (mini-notation) or a number as a Haskell expression of type htype."""
        if isinstance(arg, dict) and 'control' in arg:     # {"control": "pan", "mini": "0 0.5"}
            return '(%s (%s :: %s))' % (arg['control'], hs_string(arg['mini']), self.ctl_type(arg['control']))
        if isinstance(arg, str):
            if kind == 'any' and self.case.get('type') is None and not self.case.get('control'):
                htype = HTYPE[auto_type(arg)]
            arg = exact_time(arg, htype in ('Pattern Time', 'Pattern Rational'))
            return '(%s :: %s)' % (hs_string(arg), htype)
        if isinstance(arg, bool):
            return '(pure %s :: %s)' % ('True' if arg else 'False', htype)
        return '(%s :: %s)' % (repr(arg) if not isinstance(arg, float) else repr(arg), htype)

    def plain(self, arg):
        """zoom/compress/within: plain Time numbers"""
        if isinstance(arg, str):
            return '(%s)' % arg.strip()
        return '(%s)' % repr(arg)

    def fn(self, lst):
        body = 'x'
        for t in lst:
            body = '(%s $ %s)' % (self.transform(t), body)
        return '(\\x -> %s)' % body

    def transform(self, t):
        name, args = t[0], t[1:]
        T, D, I, B, A = 'Pattern Time', 'Pattern Double', 'Pattern Int', 'Pattern Bool', self.ptype
        lit = self.lit
        ops = {'#': '#', '|+': '|+', '|-': '|-', '|*': '|*', '|/': '|/', '|>': '|>', '|<': '|<',
               '+|': '+|', '|+|': '|+|', '+': '+', '-': '-', '*': '*', '||+': '||+', '|%': '|%'}
        joins = {'|++': 'joinL', '++|': 'joinR', '|++|': 'joinB'}
        if name in joins:
            if len(args) == 2:
                return '(\\p -> %s p (%s %s))' % (joins[name], args[0], lit(args[1], self.ctl_type(args[0]), 'ctl'))
            return '(%s %s)' % (name, lit(args[0], A, 'any'))
        if name in ops:
            if len(args) == 2:
                return '(%s %s %s)' % (ops[name], args[0], lit(args[1], self.ctl_type(args[0]), 'ctl'))
            return '(%s %s)' % (ops[name], lit(args[0], A, 'any'))
        f = lambda i: self.fn(args[i])
        simple = {
            'fast': lambda: 'fast %s' % lit(args[0], T, 'time'),
            'slow': lambda: 'slow %s' % lit(args[0], T, 'time'),
            'hurry': lambda: 'hurry %s' % lit(args[0], T, 'time'),
            'early': lambda: '(%s <~)' % lit(args[0], T, 'time'),
            'late': lambda: '(%s ~>)' % lit(args[0], T, 'time'),
            'rotL': lambda: 'rotL %s' % self.plain(args[0]),
            'rotR': lambda: 'rotR %s' % self.plain(args[0]),
            'rev': lambda: 'rev',
            'palindrome': lambda: 'palindrome',
            'iter': lambda: 'iter %s' % lit(args[0], I, 'int'),
            'iterBack': lambda: "iter' %s" % lit(args[0], I, 'int'),
            'ply': lambda: 'ply %s' % lit(args[0], T, 'time'),
            'press': lambda: 'press',
            'pressBy': lambda: 'pressBy %s' % lit(args[0], T, 'time'),
            'segment': lambda: 'segment %s' % lit(args[0], T, 'time'),
            'range': lambda: 'range %s %s' % (lit(args[0], A, 'any'), lit(args[1], A, 'any')),
            'add': lambda: '(|+ %s)' % lit(args[0], A, 'any'),
            'sub': lambda: '(|- %s)' % lit(args[0], A, 'any'),
            'mul': lambda: '(|* %s)' % lit(args[0], A, 'any'),
            'struct': lambda: 'struct %s' % lit(args[0], B, 'bool'),
            'mask': lambda: 'mask %s' % lit(args[0], B, 'bool'),
            'euclid': lambda: 'euclid %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int')),
            'euclidInv': lambda: 'euclidInv %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int')),
            'euclidFull': lambda: 'euclidFull %s %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int'), lit(args[2], A, 'any')),
            'euclidRot': lambda: 'euclidOff %s %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int'), lit(args[2], I, 'int')),
            'euclidOff': lambda: 'euclidOff %s %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int'), lit(args[2], I, 'int')),
            'every': lambda: 'every %s %s' % (lit(args[0], I, 'int'), f(1)),
            'firstOf': lambda: 'every %s %s' % (lit(args[0], I, 'int'), f(1)),
            'lastOf': lambda: "(\\p -> every' %s (fmap (subtract 1) %s) %s p)" % (lit(args[0], I, 'int'), lit(args[0], I, 'int'), f(1)),
            "every'": lambda: "every' %s %s %s" % (lit(args[0], I, 'int'), lit(args[1], I, 'int'), f(2)),
            'whenmod': lambda: 'whenmod %s %s %s' % (lit(args[0], T, 'time'), lit(args[1], T, 'time'), f(2)),
            'within': lambda: 'within (%s, %s) %s' % (self.plain(args[0]), self.plain(args[1]), f(2)),
            'chunk': lambda: 'chunk %s %s' % (lit(args[0], I, 'int'), f(1)),
            "chunk'": lambda: "chunk' %s %s" % (lit(args[0], I, 'int'), f(1)),
            'while': lambda: 'while %s %s' % (lit(args[0], B, 'bool'), f(1)),
            'brak': lambda: 'brak',
            'off': lambda: 'off %s %s' % (lit(args[0], T, 'time'), f(1)),
            'superimpose': lambda: ('superimpose %s' % f(0)) if len(args) == 1 else
                '(\\p -> stack (p : map ($ p) [%s]))' % ', '.join(f(i) for i in range(len(args))),
            'layer': lambda: 'layer [%s]' % ', '.join(f(i) for i in range(len(args))),
            'stack': lambda: '(\\p -> stack (p : [%s]))' % ', '.join(lit(a, A, 'any') for a in args),
            'overlay': lambda: '(\\p -> stack (p : [%s]))' % ', '.join(lit(a, A, 'any') for a in args),
            'cat': lambda: '(\\p -> cat (p : [%s]))' % ', '.join(lit(a, A, 'any') for a in args),
            'fastcat': lambda: '(\\p -> fastcat (p : [%s]))' % ', '.join(lit(a, A, 'any') for a in args),
            'randcat': lambda: '(\\p -> randcat (p : [%s]))' % ', '.join(lit(a, A, 'any') for a in args),
            'inside': lambda: 'inside %s %s' % (lit(args[0], T, 'time'), f(1)),
            'outside': lambda: 'outside %s %s' % (lit(args[0], T, 'time'), f(1)),
            'zoom': lambda: 'zoom (%s, %s)' % (self.plain(args[0]), self.plain(args[1])),
            'compress': lambda: 'compress (%s, %s)' % (self.plain(args[0]), self.plain(args[1])),
            'fastGap': lambda: 'fastGap %s' % lit(args[0], T, 'time'),
            'linger': lambda: 'linger %s' % lit(args[0], T, 'time'),
            'trunc': lambda: 'trunc %s' % lit(args[0], T, 'time'),
            'repeatCycles': lambda: 'repeatCycles %s' % lit(args[0], I, 'int'),
            'swingBy': lambda: 'swingBy %s %s' % (lit(args[0], T, 'time'), lit(args[1], T, 'time')),
            'swing': lambda: 'swing %s' % lit(args[0], T, 'time'),
            'degrade': lambda: 'degrade',
            'degradeBy': lambda: 'degradeBy %s' % lit(args[0], D, 'num'),
            'undegradeBy': lambda: 'unDegradeBy %s' % lit(args[0], D, 'num'),
            'unDegradeBy': lambda: 'unDegradeBy %s' % lit(args[0], D, 'num'),
            'sometimesBy': lambda: 'sometimesBy %s %s' % (lit(args[0], D, 'num'), f(1)),
            "sometimesBy'": lambda: "sometimesBy' %s %s" % (lit(args[0], D, 'num'), f(1)),
            'sometimes': lambda: 'sometimes %s' % f(0),
            'often': lambda: 'often %s' % f(0),
            'rarely': lambda: 'rarely %s' % f(0),
            'almostNever': lambda: 'almostNever %s' % f(0),
            'almostAlways': lambda: 'almostAlways %s' % f(0),
            'always': lambda: 'always %s' % f(0),
            'never': lambda: 'never %s' % f(0),
            'someCyclesBy': lambda: 'someCyclesBy %s %s' % (lit(args[0], D, 'num'), f(1)),
            'someCycles': lambda: 'someCycles %s' % f(0),
            'shuffle': lambda: 'shuffle %s' % lit(args[0], I, 'int'),
            'scramble': lambda: 'scramble %s' % lit(args[0], I, 'int'),
            'rot': lambda: 'rot %s' % lit(args[0], I, 'int'),
            'bite': lambda: 'bite %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int')),
            'stut': lambda: 'stut %s %s %s' % (lit(args[0], 'Pattern Integer', 'int'), lit(args[1], D, 'num'), lit(args[2], 'Pattern Rational', 'time')),
            'stutWith': lambda: 'stutWith %s %s %s' % (lit(args[0], I, 'int'), lit(args[1], T, 'time'), f(2)),
            'echoWith': lambda: 'stutWith %s %s %s' % (lit(args[0], I, 'int'), lit(args[1], T, 'time'), f(2)),
            'echo': lambda: 'echo %s' % self.plain(args[0]),
            'chop': lambda: 'chop %s' % lit(args[0], I, 'int'),
            'striate': lambda: 'striate %s' % lit(args[0], I, 'int'),
            'striateBy': lambda: 'striateBy %s %s' % (lit(args[0], I, 'int'), lit(args[1], D, 'num')),
            'jux': lambda: 'jux %s' % f(0),
            'arp': lambda: 'arp %s' % lit(args[0], 'Pattern String', 'words'),
            'fix': lambda: 'fix %s %s' % (f(0), lit(args[1], A, 'any')),
            'unfix': lambda: 'unfix %s %s' % (f(0), lit(args[1], A, 'any')),
            'juxBy': lambda: 'juxBy %s %s' % (lit(args[0], D, 'num'), f(1)),
        }
        simple.update(self.library(name, args))
        if name not in simple:
            raise SystemExit('gen.py: no Haskell for transform %r' % name)
        return '(%s)' % simple[name]()

    def library(self, name, args):
        """Tidal's wider library (tests/tidal/cases-library.jsonl): name -> a thunk of its Haskell."""
        T, D, I, B, A = 'Pattern Time', 'Pattern Double', 'Pattern Int', 'Pattern Bool', self.ptype
        lit, plain = self.lit, self.plain
        f = lambda i: self.fn(args[i])
        return {
            'scale': lambda: '(\\p -> scale %s (floor <$> p))' % lit(args[0], 'Pattern String', 'words'),
            'slice': lambda: 'slice %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int')),
            'splice': lambda: 'splice %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int')),
            'chew': lambda: 'chew %s %s' % (lit(args[0], I, 'int'), lit(args[1], I, 'int')),
            'loopAt': lambda: 'loopAt %s' % lit(args[0], T, 'time'),
            'randslice': lambda: 'randslice %s' % lit(args[0], I, 'int'),
            'stutter': lambda: 'stutter (%s :: Int) %s' % (plain(args[0]), plain(args[1])),
            'double': lambda: 'double %s' % plain(args[0]),
            'triple': lambda: 'triple %s' % plain(args[0]),
            'quad': lambda: 'quad %s' % plain(args[0]),
            'spin': lambda: 'spin %s' % lit(args[0], I, 'int'),
            'ghost': lambda: 'ghost',
            "ghost'": lambda: "ghost' %s" % plain(args[0]),
            "ghost''": lambda: "ghost'' %s %s" % (plain(args[0]), f(1)),
            'plyWith': lambda: 'plyWith %s %s' % (lit(args[0], D, 'num'), f(1)),
            'arpeggiate': lambda: 'arpeggiate',
            'arpg': lambda: 'arpg',
            'wedge': lambda: 'wedge %s %s' % (lit(args[0], T, 'time'), lit(args[1], A, 'any')),
            'stitch': lambda: 'stitch %s %s' % (lit(args[0], B, 'bool'), lit(args[1], A, 'any')),
            'inv': lambda: 'inv',
            'loopFirst': lambda: 'loopFirst',
            'timeLoop': lambda: 'timeLoop %s' % lit(args[0], T, 'time'),
            'soak': lambda: 'soak %s %s' % (plain(args[0]), f(1)),
            'juxcut': lambda: 'juxcut %s' % f(0),
            'jux4': lambda: 'jux4 %s' % f(0),
            'quantise': lambda: 'quantise %s' % plain(args[0]),
            'rangex': lambda: 'rangex %s %s' % (plain(args[0]), plain(args[1])),
            'perlinWith': lambda: 'perlinWith',
            'smooth': lambda: 'smooth',
            'stripe': lambda: 'stripe %s' % lit(args[0], I, 'int'),
            'perlin': lambda: '(\\_ -> perlin)',
            # list arguments: JSON arrays (of tuples, as arrays, where the items are tuples)
            'choose': lambda: '(\\_ -> choose [%s])' % self.values(args[0]),
            'chooseBy': lambda: '(\\_ -> chooseBy %s [%s])' % (lit(args[0], D, 'num'), self.values(args[1])),
            'wchoose': lambda: '(\\_ -> wchoose [%s])' % self.weighted(args[0]),
            'wchooseBy': lambda: '(\\_ -> wchooseBy %s [%s])' % (lit(args[0], D, 'num'), self.weighted(args[1])),
            'cycleChoose': lambda: '(\\_ -> cycleChoose [%s])' % self.values(args[0]),
            'wrandcat': lambda: '(\\_ -> wrandcat [%s])' % ', '.join(
                '(%s, %s)' % (lit(x, A, 'any'), plain(w)) for x, w in args[0]),
            'toScale': lambda: '(\\p -> toScale [%s] (floor <$> p))' % ', '.join(plain(x) for x in args[0]),
            "toScale'": lambda: "(\\p -> toScale' %s [%s] (floor <$> p))" % (plain(args[0]), ', '.join(plain(x) for x in args[1])),
            'spread': lambda: 'spread ($) [%s]' % self.heads(args[0], args[1]),
            'slowspread': lambda: 'slowspread ($) [%s]' % self.heads(args[0], args[1]),
            'fastspread': lambda: 'fastspread ($) [%s]' % self.heads(args[0], args[1]),
            'spreadf': lambda: 'spreadf [%s]' % ', '.join(self.fn(x) for x in args[0]),
            'timeCat': lambda: '(\\_ -> timeCat [%s])' % ', '.join('(%s, %s)' % (plain(t), lit(x, A, 'any')) for t, x in args[0]),
            'timecat': lambda: '(\\_ -> timecat [%s])' % ', '.join('(%s, %s)' % (plain(t), lit(x, A, 'any')) for t, x in args[0]),
            'squeeze': lambda: '(\\_ -> squeeze %s [%s])' % (lit(args[0], I, 'int'), ', '.join(lit(x, A, 'any') for x in args[1])),
            'select': lambda: '(\\_ -> select %s [%s])' % (lit(args[0], D, 'num'), ', '.join(lit(x, A, 'any') for x in args[1])),
            'pickF': lambda: 'pickF %s [%s]' % (lit(args[0], I, 'int'), ', '.join(self.fn(x) for x in args[1])),
            'foldEvery': lambda: 'foldEvery [%s] %s' % (', '.join(plain(x) for x in args[0]), f(1)),
            'smash': lambda: 'smash %s [%s]' % (lit(args[0], I, 'int'), ', '.join(lit(x, T, 'time') for x in args[1])),
            'seqP': lambda: '(\\_ -> seqP [%s])' % ', '.join('(%s, %s, %s)' % (plain(s0), plain(e0), lit(x, A, 'any')) for s0, e0, x in args[0]),
            'weave': lambda: '(\\_ -> weave %s %s [%s])' % (plain(args[0]), lit(args[1], A, 'any'), ', '.join(lit(x, A, 'any') for x in args[2])),
            'ur': lambda: '(\\_ -> ur %s %s [%s] [%s])' % (plain(args[0]), lit(args[1], 'Pattern String', 'words'),
                ', '.join('(%s, %s)' % (hs_string(n), lit(x, A, 'any')) for n, x in args[2]),
                ', '.join('(%s, %s)' % (hs_string(n), self.fn(x)) for n, x in args[3])),
            'ifp': lambda: 'ifp %s %s %s' % (self.pred(args[0], False), f(1), f(2)),
            'when': lambda: 'Sound.Tidal.Context.when %s %s' % (self.pred(args[0], False), f(1)),
            'whenT': lambda: 'whenT %s %s' % (self.pred(args[0], True), f(1)),
            'id': lambda: 'id',
            "within'": lambda: "within' (%s, %s) %s" % (plain(args[0]), plain(args[1]), f(2)),
            'contrast': lambda: 'contrast %s %s %s' % (f(0), f(1), lit(args[2], A, 'any')),
            'binaryN': lambda: 'binaryN %s' % lit(args[0], I, 'int'),
            'binary': lambda: 'binary',
            'ascii': lambda: 'ascii',
            'brand': lambda: '(\\_ -> brand)',
            'brandBy': lambda: '(\\_ -> brandBy %s)' % lit(args[0], D, 'num'),
            'selectF': lambda: 'selectF %s [%s]' % (lit(args[0], D, 'num'), ', '.join(self.fn(x) for x in args[1])),
            'spreadChoose': lambda: 'spreadChoose ($) [%s]' % self.heads(args[0], args[1]),
            'spreadr': lambda: 'spreadr ($) [%s]' % self.heads(args[0], args[1]),
            'fit': lambda: 'fit %s [%s]' % (lit(args[0], I, 'int'), self.values(args[1])),
            'append': lambda: 'append %s' % lit(args[0], A, 'any'),
            'slowAppend': lambda: 'slowAppend %s' % lit(args[0], A, 'any'),
            'slowappend': lambda: 'slowappend %s' % lit(args[0], A, 'any'),
            'fastAppend': lambda: 'fastAppend %s' % lit(args[0], A, 'any'),
            'fastappend': lambda: 'fastappend %s' % lit(args[0], A, 'any'),
            'densityGap': lambda: 'densityGap %s' % lit(args[0], T, 'time'),
            'fastRepeatCycles': lambda: 'fastRepeatCycles %s' % plain(args[0]),
            'fastCat': lambda: '(\\p -> fastCat (p : [%s]))' % ', '.join(lit(x, A, 'any') for x in args),
            'slowCat': lambda: '(\\p -> slowCat (p : [%s]))' % ', '.join(lit(x, A, 'any') for x in args),
            'fastSqueeze': lambda: 'fastSqueeze %s' % lit(args[0], T, 'time'),
            'slowSqueeze': lambda: 'slowSqueeze %s' % lit(args[0], T, 'time'),
            'inhabit': lambda: 'inhabit [%s]' % ', '.join('(%s, %s)' % (hs_string(nm), lit(x, A, 'any')) for nm, x in args[0]),
            'swap': lambda: 'swap [%s]' % ', '.join('(%s, %s)' % (self.value_of(x, self.base), self.value_of(y, self.case.get('out', self.base))) for x, y in args[0]),
            'spaceOut': lambda: 'spaceOut [%s]' % ', '.join(plain(x) for x in args[0]),
            "sometimes'": lambda: "sometimes' %s" % f(0),
            "often'": lambda: "often' %s" % f(0),
            "rarely'": lambda: "rarely' %s" % f(0),
            "almostNever'": lambda: "almostNever' %s" % f(0),
            "almostAlways'": lambda: "almostAlways' %s" % f(0),
            "stut'": lambda: "stut' %s %s %s" % (lit(args[0], I, 'int'), lit(args[1], T, 'time'), f(2)),
            "striate'": lambda: "striate' %s %s" % (lit(args[0], I, 'int'), lit(args[1], D, 'num')),
            'slowstripe': lambda: 'slowstripe %s' % lit(args[0], I, 'int'),
            'offadd': lambda: 'offadd %s %s' % (lit(args[0], T, 'time'), lit(args[1], A, 'any')),
            'qround': lambda: 'qround %s' % plain(args[0]),
            'qfloor': lambda: 'qfloor %s' % plain(args[0]),
            'qceiling': lambda: 'qceiling %s' % plain(args[0]),
            "smash'": lambda: "smash' %s [%s]" % (plain(args[0]), ', '.join(lit(x, T, 'time') for x in args[1])),
            'seqPLoop': lambda: '(\\_ -> seqPLoop [%s])' % ', '.join('(%s, %s, %s)' % (plain(s0), plain(e0), lit(x, A, 'any')) for s0, e0, x in args[0]),
            'weaveWith': lambda: '(\\_ -> weaveWith %s %s [%s])' % (plain(args[0]), lit(args[1], A, 'any'), ', '.join(self.fn(x) for x in args[2])),
        }

    def pred(self, text, time):
        """a test as phonon writes it ("mod 4 == 0", "< 0.5", "2 >", "even") as a Haskell function
        of an Int (ifp, when) or a Time (whenT, with exact fractions and mod')"""
        toks = text.replace('(', ' ').replace(')', ' ').split()
        num = (lambda x: '(%s)' % exact_decimals(x).replace('/', '%')) if time else (lambda x: '(%s)' % x)
        hop = lambda op: '/=' if op == '/=' else op
        if len(toks) == 1:
            return toks[0]
        if len(toks) == 2:
            if toks[0][0] in '<>=/':
                return '(%s %s)' % (hop(toks[0]), num(toks[1]))
            return '(%s %s)' % (num(toks[0]), hop(toks[1]))
        m, cmp, v = toks[1], toks[2], toks[3]
        return "(\\x -> (x `%s` %s) %s %s)" % ("mod'" if time else 'mod', num(m), hop(cmp), num(v))

    def value_of(self, x, typ):
        """a plain Haskell value of a type: a word as a string, else a number"""
        return hs_string(x) if typ == 'words' else self.plain(x)

    def values(self, xs):
        """plain Haskell values of the case's type: numbers, or words as strings"""
        words = self.case.get('out', self.base) == 'words'
        return ', '.join(hs_string(x) if words else self.plain(x) for x in xs)

    def weighted(self, xs):
        words = self.base == 'words'
        return ', '.join('(%s, %s)' % (hs_string(x) if words else self.plain(x), self.plain(w)) for x, w in xs)

    def heads(self, head, items):
        """spread's f applied to each item: a transform name, or a partial transform [name, args...]"""
        h = head if isinstance(head, list) else [head]
        return ', '.join(self.transform(h + [x]) for x in items)

    def ctl_type(self, param):
        return {'s': 'Pattern String', 'vowel': 'Pattern String', 'unit': 'Pattern String',
                'n': 'Pattern Note', 'note': 'Pattern Note', 'up': 'Pattern Note'}.get(param, 'Pattern Double')

    def expr(self):
        c = self.case
        if 'signal' in c:
            p = '(%s :: Pattern Double)' % c['signal']
        else:
            ctl = c.get('control')
            mini = exact_time(c['mini'], not ctl and self.base == 'time')
            if ctl:
                p = '(%s (%s :: %s))' % (ctl, hs_string(mini), self.ctl_type(ctl))
            else:
                p = '(%s :: %s)' % (hs_string(mini), self.ptype)
        for t in c.get('transforms', []):
            p = '(%s $ %s)' % (self.transform(t), p)
        # "out": the type of the result when a transform changes it (fit: integers in, words out)
        return '(%s :: %s)' % (p, HTYPE[c['out']] if 'out' in c else self.ptype)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('cases')
    ap.add_argument('--build', default='/tmp/phonon-tidal')
    args = ap.parse_args()
    cases = [json.loads(l) for l in open(args.cases, encoding='utf-8') if l.strip()]
    os.makedirs(args.build, exist_ok=True)
    lines = [HEADER]
    for c in cases:
        g = Gen(c)
        c0, c1 = c['cycles']
        lines.append('  runCase %s %s (%d) (%d) %s\n' % (hs_string(c['id']), 'True' if c.get('random') else 'False',
                                                       c0, c1, g.expr()))
    src = os.path.join(args.build, 'Expected.hs')
    with open(src, 'w', encoding='utf-8') as fh:
        fh.write(''.join(lines))
    exe = os.path.join(args.build, 'expected')
    r = subprocess.run(['ghc', '-O0', '-outputdir', args.build, src, '-o', exe], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        raise SystemExit('gen.py: ghc failed')
    out = subprocess.run([exe], capture_output=True, text=True)
    sys.stdout.write(out.stdout)
    if out.returncode != 0:
        sys.stderr.write(out.stderr)
        raise SystemExit('gen.py: the program failed')


if __name__ == '__main__':
    main()
