tempo: 1
~d1 $ s "bd*2 [~ bd] sn"
  # gain 0.9
  $ every 4 (fast 2)
