tempo: 0.5
~cut: sine 0.1 * 1000 + 1500
~lead $ saw # lpf ~cut 1.5
~d1 $ s "~lead*4" # note "0 3 7 10" # legato 0.9
