#!/bin/sh
# make bench: the tables of docs/PERFORMANCE.md, measured on this machine in one run.
# Writes the report to build/bench.md and prints it. SECONDS_PER_RUN=0.5 by default (audio seconds of the
# engine per row, at least 128 blocks; the reference loop runs as many blocks alongside).
B=${B:-build}
S=${SECONDS_PER_RUN:-0.5}
out=$B/bench.md
mkdir -p "$B"
{
  echo "# phonon~ benchmark, $(date -u +%Y-%m-%d)"
  echo
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores online," \
       "$(gcc --version | head -n1), $(uname -r)"
  echo
  echo "## Voices held (phonon bench --voices N --kind K)"
  echo
  echo "ns/vs: nanoseconds per voice-sample (median block); reference: the same voice as a tight hand-written"
  echo "loop on one thread in the same run; percentiles: block time as a share of the real-time budget"
  echo "(1.451 ms at 64 frames, 11.61 ms at 512, 44.1 kHz). 2 thr / 1 thr: throughput of two threads over one;"
  echo "host probe: what two threads of pure arithmetic did over one right after that row (2.00x = the second"
  echo "core was free; lower = the VM's second vCPU was busy elsewhere)."
  echo
  "$B/phonon" bench --table --seconds "$S"
  echo
  echo "## Programs (phonon bench FILE --block 64)"
  echo
  echo '```'
  for t in 1 2; do
    "$B/phonon" bench examples/q.ph --block 64 --seconds 10 --threads $t
    "$B/phonon" bench tools/bench/idle.ph --block 64 --seconds 10 --threads $t
  done
  echo '```'
  echo
  echo "## DSP kernels (build/tools/bench_dsp)"
  echo
  echo '```'
  "$B/tools/bench_dsp" 2000
  echo '```'
  echo
  echo "## Pattern queries (build/tools/bench_patterns)"
  echo
  echo '```'
  "$B/tools/bench_patterns"
  echo '```'
} | tee "$out"
echo "(written to $out)"
