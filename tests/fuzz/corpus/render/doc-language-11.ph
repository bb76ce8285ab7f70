tempo: 0.5
~d1 $ stack (s "bd*2") (s "hh*4" # gain 0.6)
~d2 $ cat (s "sn*2") (s "cp*3")
