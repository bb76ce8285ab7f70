-- q.ph — the euclidean groove phonon~ was built around: 120 bpm (one beat per cycle),
-- 808 kicks and toms on 17-step Bjorklund rhythms, and a saw instrument playing 7th chords.
bpm: 120
~synth $ saw # lpf 800 0.7
-- Levels: the mix peaks at -1.8 dBFS before the master limiter (tests/render/levels.sh holds every example
-- to -1 dBFS or less, so the limiter never has to act). The kick is one voice, as on an 808: each one cuts the
-- last one's tail (cut 1), which otherwise piled up to twice its own peak.
~d1 $ s "808bd(4,17)" # n 3 # cut 1 # gain 0.6
~d2 $ s "808ht(4,17,<2 3 1 2>)" # gain 0.4
~d3 $ s "~synth(3,17,1)" # note "<c'min7 g'min7>" # gain 0.4
