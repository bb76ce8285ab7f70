-- a comment on its own line
tempo: 0.5
~drums $ s "bd*2 [sn cp]"     -- a bus...
out: ~drums                   -- ...played through the main output
