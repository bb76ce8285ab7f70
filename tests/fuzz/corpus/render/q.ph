-- q.ph — the euclidean groove phonon~ was built around: 120 bpm (one beat per cycle),
-- 808 kicks and toms on 17-step Bjorklund rhythms, and a saw instrument playing 7th chords.
bpm: 120
~synth $ saw # lpf 800 0.7
~d1 $ s "808bd(4,17)" # n 3 # gain 1
~d2 $ s "808ht(4,17,<2 3 1 2>)"
~d3 $ s "~synth(3,17,1)" # note "<c'min7 g'min7>"
