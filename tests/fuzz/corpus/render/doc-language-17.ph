bpm: 120
~synth $ saw # lpf 800 0.7
~d1 $ s "~synth(3,17,1)" # note "<c'min7 g'min7>"
