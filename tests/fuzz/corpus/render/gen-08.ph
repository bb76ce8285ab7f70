-- generated
~cut: sine 0.4 * 1000 + 1500
~i0 $ (saw + pulse * 0.5) # hpf 2200 0.9 * perc 0.4
~i1 $ (pulse + tri * 0.5) # lpf ~cut 0.4 * perc 0.4 # distort 2 0.3
~d1 $ 0.5 ~> s "lt!3 ~i0 ~ [~i0]!2 ~i0/2" $ almostAlways (|* speed 1.5) $ always (fast 2 $ rev) $ striateBy 2 0.5
d2 $ s "bd sk0:0" $ euclidInv 3 8 $ scramble 4 # attack 0.01 # release 0.8 # n 4 # orbit 1 # vowel "a i i@2 i {[o | i | a], i? a}%7"
~d3 $ s "~i0(5,8,2)" # note "c3 c? g*4 [c'maj'ii? g'dom7(8,11) ef]?" # pan "0.2 0.8" # gain 0.8
out: ((abs ((saw "[110 82.5 [82.5 | g3 | 82.5](3,6) _, 110*2 d3 <c3/2 110 ~>] 220 55*4 d3" # compressor -24 4)) * 0.5)) * 0.2
