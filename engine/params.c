/* params.c — the parameter table. Names and meanings follow SuperDirt; see docs/PARAMETERS.md. */
#include "params.h"

#include <string.h>

const ParamInfo param_info[P_COUNT] = {
    [P_S] = { "s", PT_SYM, 0 },
    [P_N] = { "n", PT_NUM, 0 },
    [P_NOTE] = { "note", PT_NUM, 0 },
    [P_SPEED] = { "speed", PT_NUM, 1 },
    [P_ACCELERATE] = { "accelerate", PT_NUM, 0 },
    [P_GAIN] = { "gain", PT_NUM, 1 },
    [P_PAN] = { "pan", PT_NUM, 0.5 },
    [P_BEGIN] = { "begin", PT_NUM, 0 },
    [P_END] = { "end", PT_NUM, 1 },
    [P_LEGATO] = { "legato", PT_NUM, 0 },
    [P_SUSTAIN] = { "sustain", PT_NUM, 0 },
    [P_CUT] = { "cut", PT_NUM, 0 },
    [P_LOOP] = { "loop", PT_NUM, 1 },
    [P_ATTACK] = { "attack", PT_NUM, 0 },
    [P_HOLD] = { "hold", PT_NUM, 0 },
    [P_RELEASE] = { "release", PT_NUM, 0 },
    [P_CUTOFF] = { "cutoff", PT_NUM, 0 },
    [P_RESONANCE] = { "resonance", PT_NUM, 0 },
    [P_HCUTOFF] = { "hcutoff", PT_NUM, 0 },
    [P_HRESONANCE] = { "hresonance", PT_NUM, 0 },
    [P_BANDF] = { "bandf", PT_NUM, 0 },
    [P_BANDQ] = { "bandq", PT_NUM, 10 },
    [P_SHAPE] = { "shape", PT_NUM, 0 },
    [P_COARSE] = { "coarse", PT_NUM, 0 },
    [P_CRUSH] = { "crush", PT_NUM, 0 },
    [P_VOWEL] = { "vowel", PT_SYM, 0 },
    [P_ORBIT] = { "orbit", PT_NUM, 0 },
    [P_UNIT] = { "unit", PT_SYM, 0 },
    [P_VELOCITY] = { "velocity", PT_NUM, 1 },
    [P_AMP] = { "amp", PT_NUM, 1 },
    [P_OCTAVE] = { "octave", PT_NUM, 5 },
    [P_FREQ] = { "freq", PT_NUM, 0 },
    [P_MIDINOTE] = { "midinote", PT_NUM, 0 },
};

static const struct { const char *alias; Param p; } param_aliases[] = {
    { "sound", P_S }, { "number", P_N }, { "up", P_NOTE }, { "ctf", P_CUTOFF },
    { "lpq", P_RESONANCE }, { "hpq", P_HRESONANCE }, { "bpq", P_BANDQ }, { "att", P_ATTACK },
    { "rel", P_RELEASE }, { "sus", P_SUSTAIN }, { "clip", P_LEGATO }, { "lpf", P_CUTOFF }, { "hpf", P_HCUTOFF },
};

int param_lookup(const char *name)
{
    for (int i = 0; i < P_COUNT; i++)
        if (strcmp(param_info[i].name, name) == 0) return i;
    for (unsigned i = 0; i < sizeof param_aliases / sizeof param_aliases[0]; i++)
        if (strcmp(param_aliases[i].alias, name) == 0) return (int)param_aliases[i].p;
    return -1;
}
