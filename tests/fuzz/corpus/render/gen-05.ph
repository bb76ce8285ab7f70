-- generated
~d1 $ cat (s "{sk4b!3 sk6b, ~ <~ 808hc(9,15)>!2 808oh}%4 sk1 <lt [~, cp:2]>") (s "sk5:2") $ iterBack "<2 3>" $ scramble 4 $ almostAlways (degradeBy 0.5) # velocity 0.8 # amp 0.9 # velocity 0.8 # amp 0.9 # limiter 0.8
