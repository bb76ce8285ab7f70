tempo: 0.5
~d1 $ s "drum*8" # n "0 1 2 3" # speed "1 1.5" # gain 0.8 # pan "0 0.5 1"
