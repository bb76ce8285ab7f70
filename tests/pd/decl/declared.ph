-- found through [declare -path decl]
cps: 1
~d1 $ s "bd*4"
