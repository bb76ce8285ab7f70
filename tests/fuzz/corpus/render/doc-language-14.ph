~lfo: sine 0.2 * 1500 + 1800
out: noise # bpf ~lfo 4 * 0.5
