~lfo: sine 0.25 * 300 + 600
out: saw "55 82.5" # lpf ~lfo 0.7 * 0.3
