tempo: 0.5
~d1 $ s "bd sn [~ bd] sn" $ every 4 (fast 2) $ swingBy (1/24) 4
~d2 $ s "hh*8" $ degradeBy 0.3 $ jux rev
~d3 $ s "arpy*8" # n (irand 8) $ off 0.125 (|+ n 12)
