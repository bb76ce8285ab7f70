~d1 $ s "808bd(4,17)" # n 3
~bass $ saw # lpf 800 0.7
~d2 $ s "~bass(3,8)" # note "<c3 eb3 g2>"
