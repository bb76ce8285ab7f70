q.ph: four tracks                  cps 0.5       723 ns/query     2.90 us/block       759200 events/s
q.ph: four tracks                  cps 1         729 ns/query     2.92 us/block       761384 events/s
q.ph: four tracks                  cps 2         750 ns/query     3.01 us/block       753341 events/s
s "hh*16"                          cps 0.5       363 ns/query     0.36 us/block      2785722 events/s
s "hh*16"                          cps 1         366 ns/query     0.37 us/block      2788078 events/s
s "hh*16"                          cps 2         379 ns/query     0.38 us/block      2751401 events/s
jux rev $ chop 4 $ s "bd sn"       cps 0.5      2181 ns/query     2.18 us/block       924284 events/s
jux rev $ chop 4 $ s "bd sn"       cps 1        2189 ns/query     2.19 us/block       928294 events/s
jux rev $ chop 4 $ s "bd sn"       cps 2        2260 ns/query     2.27 us/block       913095 events/s
every "<2 3>" (fast 2) $ s ...     cps 0.5      1976 ns/query     1.98 us/block       411300 events/s
every "<2 3>" (fast 2) $ s ...     cps 1        1991 ns/query     1.99 us/block       420436 events/s
every "<2 3>" (fast 2) $ s ...     cps 2        2013 ns/query     2.02 us/block       418369 events/s
mini: nested, euclid, polymeter    cps 0.5      4032 ns/query     4.03 us/block       745697 events/s
mini: nested, euclid, polymeter    cps 1        4149 ns/query     4.15 us/block       726201 events/s
mini: nested, euclid, polymeter    cps 2        4141 ns/query     4.15 us/block       730766 events/s
