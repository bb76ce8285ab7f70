tempo: 0.5
~pluck $ (saw + square * 0.5) # lpf (sine 3 * 400 + 1200) 2 * perc 0.4
~d1 $ s "~pluck*8" # note "c3 g3 eb4 c4" # pan "0.2 0.8"
