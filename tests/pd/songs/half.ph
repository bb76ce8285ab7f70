-- read from a folder next to the patch
cps: 1
~d1 $ s "bd*2"
