tempo: 2
out: sine 220 * perc 0.3 * 0.5
