-- generated
cps: 0.625
~lfo: sine 0.8 * 0.5 + 1
~cut: sine 0.3 * 1000 + 1500
d1 $ s "808sd? ~ ht cb:1"
~d2 $ always (0.25 <~) $ s "[808ht*2 sk9]/3 <hh>/3 cb hh" # speed 1.25 # begin 0.25 # end 0.75 # hcutoff 500 # hcutoff 1100 # chorus 0.4 0.5
