tempo: 0.5
~d1 $ s "bd*4 [sn cp]" # lpf 2000 0.8 # delay 0.375 0.4 0.3
