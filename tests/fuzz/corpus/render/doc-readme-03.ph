tempo: 0.5                 -- cycles per second (also cps:); bpm: 120 means 2 cycles per second
~d1 $ s "bd*2 [sn cp]"     -- a track: play sounds by name, one event per step
~d2 $ s "hh*8" # gain 0.6 # pan "0 1"
