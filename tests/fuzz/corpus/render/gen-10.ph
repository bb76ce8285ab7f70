-- generated
bpm: 33
~cut: sine 0.3 * 1000 + 1500
~d1 $ s "arpy ~" # n 6 # orbit 1 # attack 0.01 # release 0.1 # velocity 0.8 # amp 0.9 # hpf 300
