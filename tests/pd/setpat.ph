-- setpat.ph: a kick pattern whose speed is a number bus, for set from Pd
tempo: 1
~n: 1
d1 $ fast ~n $ s "bd"
