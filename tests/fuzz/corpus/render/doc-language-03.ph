~echo: ~echo * 0.6 + ~dry * 0.4
~dry: s "cp ~ ~ ~"
out: ~echo
