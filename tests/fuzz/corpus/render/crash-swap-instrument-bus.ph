~cut: sine 0.9 * 1000 + 1500
~i0 $ square # moog ~cut 0.7 * perc 0.4
~d1 $ s "~i0*4" # legato 2
====
~d1 $ s "cp*4"
