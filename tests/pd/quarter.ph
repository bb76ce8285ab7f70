-- four kicks a cycle, one cycle a second
cps: 1
~d1 $ s "bd*4"
