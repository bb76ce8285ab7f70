-- generated
tempo: 0.7
~i0 $ tri # hpf 2200 0.5 * perc 0.4
~i1 $ sine
d1 $ s "rs _"
~d2 $ fastcat (s "sk3 sd ~") (s "<sk4b> ~i1 sk2") # cut 1 # legato 1 # hcutoff 1600 # lpf 1800 0.7 # bpf 3200 1
~d3 $ s "[ht*2] ~i0 cb _" # sustain 0.9 |+ n 12 # hpf 600
out: ((s "~ hh ~i1*3" $ inside 2 (iter 4) # lpf 2000)) * 0.2
