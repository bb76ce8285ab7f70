-- generated
tempo: 1.1
~i0 $ square # lpf 3700 0.8 * perc 0.4
~d1 $ s "~i0*2 ~" # note "~ g'dom7 7 3 ~" # legato 2 # pan "0.2 0.8" $ press # gain 0.4
~d2 $ s "sk0 [~i0*2 sk5b(12,14)] sk8:2*4 sk11b sk0b/2" $ someCycles (striate 2)
