-- generated
tempo: 1.9
~i0 $ (tri + tri * 0.5) # moog 1400 0.5
~i1 $ sine * ar 0.02 0.2
d1 $ s "<~ {~i1, ~i0} bd> <cb(8,11)> ~i1 808cy:2" # note "ef g(<3 5>,8)" # sustain 0.3 # moog 800 0.5
~d2 $ fastcat (s "hh [mt:3@3]" $ trunc 0.75 # n 6 # orbit 1) (s "[~i0 808oh:0 ~i1(11,12), [sk3 | cr]/2]" $ hurry 2 # pan "0.5 0.75" # gain 0.6) $ zoom 0.25 0.75 # crush 4 # cutoff 300 # resonance 0.3 # cutoff 5000 # resonance 0.1
~d3 $ s "~i1 ~i0" $ someCyclesBy 0.25 (chop 2) $ compress 0.25 0.75 # velocity 0.8 # amp 0.9 # crush 5 # velocity 0.8 # amp 0.9
~d4 $ s "~i1 sk2:1 sk11!3" $ often (fast 2 . rev) $ someCyclesBy 0.25 (0.25 <~) # n "2*4 <4@3> ~ {5*2 {~ ~, 1?0.3 4!3 2*2}%7 3 _, 3(<3 5>,8) 0!2}" |+ n "<0 12>" # bandf 2600 # bandq 7
