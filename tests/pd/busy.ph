-- many voices at once, for the delete-while-playing test
cps: 2
~d1 $ s "[bd*16, hh*16, sn*8, cp*8]"
~d2 $ s "hh*32" # gain 0.3
