tempo: 0.5
~lfo: sine 0.25 * 0.5 + 1
~d1 $ s "hh*16" # speed ~lfo
