tempo: 0.5
out: saw "55 55 82.5 73.4" # lpf 900 0.7 * 0.3
