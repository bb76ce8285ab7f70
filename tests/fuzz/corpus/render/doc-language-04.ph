tempo: 1
~d1 $ s "bd sn hh cp" $ every 3 (fast 2 . rev) $ sometimes (# speed 2)
~d2 $ s "arpy*4" # n "0 2" $ every 2 (|+ n 12)
~d3 $ s "cp" $ every 2 (0.25 <~)
