tempo: 0.5
~d1 $ s "bd(3,8) [~ bd] . sn:2?"
~d2 $ s "{hh hh hh, ~ oh}%8" # gain 0.6
~d3 $ s "<arpy arpy:3>*4" # note "<c'maj a4'min>"
