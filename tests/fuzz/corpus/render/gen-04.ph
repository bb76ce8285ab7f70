-- generated
tempo: 1.4
~lfo: sine 0.3 * 0.5 + 1
~d1 $ s "lt" # cut 1 # accelerate "-0.5 0.5"
d2 $ s "<<drum@2 sk10b> [~ ~ sk9]>" $ whenmod 4 2 (hurry 2) $ repeatCycles 2 $ lastOf 3 (# speed 2) # begin 0.25 # end 0.75 # begin 0.25 # end 0.75 # speed 1
~d3 $ s "808ht:3 sk10 ~"
