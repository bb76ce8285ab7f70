-- no tempo of its own: it plays at the shared clock's
~d1 $ s "hh*4"
