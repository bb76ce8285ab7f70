-- demo.ph — a short groove: drums and a filtered saw bass.
-- Built-in sounds only, so it plays on a machine with no sample files.
tempo: 0.5                          -- cycles per second: one cycle = 2 s = a bar at 120 bpm

~d1 $ s "bd*4" # gain 0.7                                      -- four on the floor
~d2 $ s "~ sn ~ sn" # gain 0.5
~d3 $ s "hh*8" # gain "0.45 0.3" # pan "0.35 0.65"
~d4 $ s "~ ~ ~ cp" $ every 4 (fast 2) # gain 0.5

-- the bass: an instrument. Each note is a voice of its own saw through a low-pass filter.
~bass $ saw # lpf 700 0.8
~d5 $ s "~bass(5,8)" # note "<c3 c3 eb3 g2>" # legato 0.9 # gain 0.25
