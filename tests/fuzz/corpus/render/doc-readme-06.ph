~pad $ saw # lpf 1200 0.5
~d3 $ s "~pad(3,8)" # note "<c'maj e4'min7>" # legato 1
