make bench                                              # the tables below, into build/bench.md
build/phonon bench examples/q.ph --block 64 --threads 2 # a program, block by block, as a host runs it
build/phonon bench --voices 10000 --kind synth --block 64 --threads 1 [--json]
