program examples/q.ph
  block 64 frames at 44100 Hz, budget 1451.2 us, threads 1
  block time  min 0.8  P50 3.6  P95 5.5  P99 7.6  P99.9 33.1  max 47.0 us
  of budget   P50 0.25%  P95 0.38%  P99 0.52%  P99.9 2.28%  max 3.24%
  voices      peak 30  mean 26.1  stolen 0  late 0
program tools/bench/idle.ph
  block 64 frames at 44100 Hz, budget 1451.2 us, threads 1
  block time  min 0.5  P50 0.6  P95 0.6  P99 0.6  P99.9 1.2  max 60.9 us
  of budget   P50 0.04%  P95 0.04%  P99 0.04%  P99.9 0.08%  max 4.20%
  voices      peak 0  mean 0.0  stolen 0  late 0
program examples/q.ph
  block 64 frames at 44100 Hz, budget 1451.2 us, threads 2
  block time  min 0.8  P50 3.6  P95 5.8  P99 16.4  P99.9 46.4  max 169.6 us
  of budget   P50 0.25%  P95 0.40%  P99 1.13%  P99.9 3.20%  max 11.68%
  voices      peak 30  mean 26.1  stolen 0  late 0
program tools/bench/idle.ph
  block 64 frames at 44100 Hz, budget 1451.2 us, threads 2
  block time  min 0.5  P50 0.6  P95 0.6  P99 0.6  P99.9 1.2  max 29.2 us
  of budget   P50 0.04%  P95 0.04%  P99 0.04%  P99.9 0.08%  max 2.01%
  voices      peak 0  mean 0.0  stolen 0  late 0
