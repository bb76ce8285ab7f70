tempo: 1
~d1 $ s "bd*2 [sn cp]"
====
~d1 $ s "hh*8" # gain 0.6
~bass $ saw # lpf 700 0.8
~d2 $ s "~bass(3,8)" # note "<c3 eb3>"
====
out: sine 220 * 0.3
