-- generated
bpm: 115
~lfo: sine 0.5 * 0.5 + 1
~d1 $ 0.25 <~ s "drum" $ segment 4 $ while "1 0" (fast 2 . rev) # legato 1 # n 2 # gain 0.8 # speed -1
d2 $ s "sk9b*3 cb oh:2 . 808bd 808bd _" $ fastGap 2 $ ply 2 $ rotR 0.125
~d3 $ s "drum/2 rs?0.3 mt:1(<3 5>,8) _" $ striateBy 2 0.5 $ someCyclesBy 0.75 (fast 2 . rev) # vowel "[[i | u | u]]!3 a@2" # speed ~lfo
