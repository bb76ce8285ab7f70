tempo: 0.5
~d1 $ s "arpy*4" # n "0 2 4 5" |+ n "<0 12>" # legato 1
