~d1 $ s "bd sn" $ fast 2 $ every 4 rev
~d2 $ every "<2 3>" (fast 2) $ s "hh*4"
~d3 $ s "arpy*4" # n "0 2 4 7" $ jux rev $ sometimes (# speed 2)
