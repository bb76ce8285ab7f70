~hats $ s "[hh*3 oh]*2" # cut 1     -- the open hat stops when the next closed one starts
