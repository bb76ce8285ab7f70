/* params.c — the parameter table. Names and meanings follow SuperDirt; see docs/PARAMETERS.md. */
#include "params.h"

#include <string.h>

const ParamInfo param_info[P_ALL] = {
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
    [P_DJF] = { "djf", PT_NUM, 0.5 },
    /* SuperDirt's defaults (DirtOrbit's parent event, the dirt_reverb and dirt_delay synths) */
    [P_ROOM] = { "room", PT_NUM, 0 },
    [P_SIZE] = { "size", PT_NUM, 0.1 },
    [P_DRY] = { "dry", PT_NUM, 0 },
    [P_DELAY] = { "delay", PT_NUM, 0 },
    [P_DELAYTIME] = { "delaytime", PT_NUM, 0 },
    [P_DELAYFEEDBACK] = { "delayfeedback", PT_NUM, 0 },
    [P_LOCK] = { "lock", PT_NUM, 0 },
    [P_OVERGAIN] = { "overgain", PT_NUM, 0 },
    [P_NUDGE] = { "nudge", PT_NUM, 0 },
};

static const struct { const char *alias; Param p; } param_aliases[] = {
    { "sound", P_S }, { "number", P_N }, { "up", P_NOTE }, { "ctf", P_CUTOFF },
    { "lpq", P_RESONANCE }, { "hpq", P_HRESONANCE }, { "bpq", P_BANDQ }, { "att", P_ATTACK },
    { "rel", P_RELEASE }, { "sus", P_SUSTAIN }, { "clip", P_LEGATO }, { "lpf", P_CUTOFF }, { "hpf", P_HCUTOFF },
    { "sz", P_SIZE }, { "delayt", P_DELAYTIME }, { "delayfb", P_DELAYFEEDBACK }, { "dfb", P_DELAYFEEDBACK },
};

/* Tidal's names for SuperDirt's parameters that the language spells otherwise (Params.hs) */
static const struct { const char *alias; Param p; } param_dirt_aliases[] = {
    { "lpf", P_CUTOFF }, { "hpf", P_HCUTOFF }, { "bpf", P_BANDF }, { "sz", P_SIZE }, { "delayt", P_DELAYTIME },
    { "dt", P_DELAYTIME }, { "delayfb", P_DELAYFEEDBACK }, { "dfb", P_DELAYFEEDBACK },
};

int param_lookup_dirt(const char *name)
{
    int p = param_lookup(name);
    if (p >= 0) return p;
    for (int i = P_COUNT; i < P_ALL; i++)
        if (strcmp(param_info[i].name, name) == 0) return i;
    for (unsigned i = 0; i < sizeof param_dirt_aliases / sizeof param_dirt_aliases[0]; i++)
        if (strcmp(param_dirt_aliases[i].alias, name) == 0) return (int)param_dirt_aliases[i].p;
    return -1;
}

bool param_is_orbit_fx(int p) { return p >= P_ROOM && p <= P_LOCK; }

bool param_in_language(int p) { return (p >= 0 && p < P_COUNT) || param_is_orbit_fx(p); }

int param_lookup(const char *name)
{
    for (int i = 0; i < P_ALL; i++)
        if (param_in_language(i) && strcmp(param_info[i].name, name) == 0) return i;
    for (unsigned i = 0; i < sizeof param_aliases / sizeof param_aliases[0]; i++)
        if (strcmp(param_aliases[i].alias, name) == 0) return (int)param_aliases[i].p;
    return -1;
}
