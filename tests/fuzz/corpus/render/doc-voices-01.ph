~d1 $ s "bev" # begin 0.25 # end 0.5          -- a quarter of the file, then silence
~d2 $ s "arpy*4" # speed "<1 -1>"             -- every other cycle backwards
~d3 $ s "breaks125" # loop 2 # legato 1       -- twice through, but no longer than its event
