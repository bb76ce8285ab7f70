tempo: 0.5
~d1 $ s "cp ~ ~ cp ~ ~ cp ~" # reverb 0.8 0.4 0.3
out: saw 110 # distort 4 0.5 # lpf 1200 0.5 * 0.2 # pan (sine 0.5 * 0.5 + 0.5)
