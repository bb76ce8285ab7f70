-- generated
bpm: 55
~lfo: sine 0.8 * 0.5 + 1
~i0 $ square # moog (sine 1 * 400 + 1200) 0.8 * ar 0.02 0.2
~i1 $ square
~d1 $ s "~i0@2" $ every "<2 3>" (# speed 2) |+ n 12 # accelerate "-0.5 0.5" # delay 0.4 0.4 0.3
