-- generated
cps: 1.75
~lfo: sine 0.8 * 0.5 + 1
~i0 $ pulse # bpf (sine 1 * 400 + 1200) 0.8 * perc 0.4
~i1 $ (sine + saw * 0.5) # moog 700 0.4 * ar 0.02 0.2
~d1 $ 0.125 ~> s "~i1*3 sk11b:0 ht*2 [~i0 [~ sk9b:1]*2 _]*3" $ every "<2 3>" (striate 2) $ zoom 0.25 0.75 # distort 6 0.5
~d2 $ 0.25 <~ s "~i1*4 [[808sd | ~i0 | 808cy] _](2,7,6) ~i0 drum:1*4" $ juxBy 0.5 (iter 4) # coarse 3
~d3 $ s "sk0:0 sn {sk2*2 808lt? 808mt, [~i1 ~i1 sk4*2, ~i1 sn?] sk3 cb!2}" $ zoom 0.25 0.75 $ palindrome $ sometimesBy 0.75 (fast 2 $ rev) # hcutoff 800
