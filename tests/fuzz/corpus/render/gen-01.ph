-- generated
bpm: 45
~i0 $ pulse # moog (sine 1 * 400 + 1200) 0.6 # distort 2 0.3
~d1 $ someCyclesBy 0.75 (# vowel "a") $ s "sk10:1!2" |+ n "<0 12>" # velocity 0.8 # amp 0.9 # loop 2 # gain 0.8
