/* math.c — stateless functions of signals: add sub mul div neg mix clip abs mtof, and distort.
 * Constant in, constant out (one frame); overflow and division by zero give 0, never inf or NaN. */
#include "kernel.h"

enum { M_ADD, M_SUB, M_MUL, M_DIV, M_NEG, M_MIX, M_CLIP, M_ABS, M_MTOF, M_DISTORT };

/* Inputs of mix that the program leaves out are the constant 0 and are skipped. */
DSP_INLINE float math_op(const int op, float a, float b, float c, float d, float e, float f)
{
    switch (op) {
    case M_ADD: return dsp_finite(a + b);
    case M_SUB: return dsp_finite(a - b);
    case M_MUL: return dsp_finite(a * b);
    case M_DIV: { float q = a / (b == 0.0f ? 1.0f : b); return b == 0.0f ? 0.0f : dsp_finite(q); }
    case M_NEG: return -a;
    case M_MIX: return dsp_finite(((((a + b) + c) + d) + e) + f);
    case M_CLIP: return dsp_min(dsp_max(a, b), c);
    case M_ABS: return dsp_abs(a);
    case M_DISTORT: {
        float m = dsp_clamp(c, 0.0f, 1.0f);
        return a * (1.0f - m) + dsp_tanh(dsp_clamp(b, 0.0f, 1000.0f) * a) * m;
    }
    default: return dsp_finite(440.0f * dsp_exp2((a - 69.0f) * (1.0f / 12.0f)));
    }
}

static int math_arity(int op)
{
    switch (op) {
    case M_NEG: case M_ABS: case M_MTOF: return 1;
    case M_CLIP: case M_DISTORT: return 3;
    case M_MIX: return 6;
    default: return 2;
    }
}

/* Contiguous inputs of n * L floats: one flat loop, vectorised along time and lanes alike. */
DSP_INLINE void math_flat(const int op, size_t count, const float *restrict a, const float *restrict b,
                          const float *restrict c, const float *restrict d, const float *restrict e,
                          const float *restrict f, float *restrict y)
{
    for (size_t i = 0; i < count; i++) y[i] = math_op(op, a[i], b[i], c[i], d[i], e[i], f[i]);
}

DSP_INLINE void math_lanes(const int L, const int op, const float *restrict a, const float *restrict b,
                           const float *restrict c, const float *restrict d, const float *restrict e,
                           const float *restrict f, float *restrict y)
{
    for (int l = 0; l < L; l++) y[l] = math_op(op, a[l], b[l], c[l], d[l], e[l], f[l]);
}

/* mix accumulates its inputs in order ((a + b) + c)...: the same sums as one expression, but an input
 * left at the constant 0 costs nothing and full inputs add along whole blocks. */
DSP_INLINE void math_mix(const DspBuf *in, DspBuf *out, int n, const int L)
{
    float *restrict y = out->x;
    size_t count = (size_t)n * L;
    int have = 0;
    for (int i = 0; i < 6; i++) {
        const DspBuf *b = &in[i];
        int konst = b->flags & DSP_CONST;
        if (konst) {
            int zero = 1;
            for (int l = 0; l < b->lanes; l++) zero &= b->x[l] == 0.0f;
            if (zero) continue;
        }
        if (!konst && b->lanes == L) {
            const float *restrict x = b->x;
            if (have) for (size_t j = 0; j < count; j++) y[j] = y[j] + x[j];
            else memcpy(y, x, count * sizeof(float));
        } else {
            DspIn r;
            dsp_in_init(&r, b, L);
            for (int t = 0; t < n; t++) {
                const float *restrict x = dsp_in_row(&r, t, L);
                float *restrict yt = y + (size_t)t * L;
                if (have) for (int l = 0; l < L; l++) yt[l] = yt[l] + x[l];
                else for (int l = 0; l < L; l++) yt[l] = x[l];
            }
        }
        have = 1;
    }
    if (!have) memset(y, 0, count * sizeof(float));
    for (size_t j = 0; j < count; j++) y[j] = dsp_finite(y[j]);
}

DSP_INLINE void math_block(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env, const int L, const int op)
{
    (void)st;
    static const float zero = 0.0f;
    const DspBuf kzero = { (float *)&zero, 1, DSP_CONST };
    int nin = math_arity(op);
    DspBuf b[6];
    int full = 1;
    for (int i = 0; i < 6; i++) {
        b[i] = i < nin ? in[i] : kzero;
        if (i < nin && ((b[i].flags & DSP_CONST) || b[i].lanes != L)) full = 0;
    }
    if (dsp_all_const(b, 6)) {
        DspIn r[6];
        for (int i = 0; i < 6; i++) dsp_in_init(&r[i], &b[i], L);
        math_lanes(L, op, dsp_in_row(&r[0], 0, L), dsp_in_row(&r[1], 0, L), dsp_in_row(&r[2], 0, L),
                   dsp_in_row(&r[3], 0, L), dsp_in_row(&r[4], 0, L), dsp_in_row(&r[5], 0, L), out->x);
        out->flags = DSP_CONST;
        return;
    }
    if (op == M_MIX) {
        math_mix(in, out, env->n, L);
        return;
    }
    if (full) {
        /* unused inputs point at a block of zeros never read past arity: reuse input 0 */
        const float *a = b[0].x;
        math_flat(op, (size_t)env->n * L, a, nin > 1 ? b[1].x : a, nin > 2 ? b[2].x : a, a, a, a, out->x);
        return;
    }
    DspIn r[6];
    for (int i = 0; i < 6; i++) dsp_in_init(&r[i], &b[i], L);
    for (int t = 0; t < env->n; t++)
        math_lanes(L, op, dsp_in_row(&r[0], t, L), dsp_in_row(&r[1], t, L), dsp_in_row(&r[2], t, L),
                   dsp_in_row(&r[3], t, L), dsp_in_row(&r[4], t, L), dsp_in_row(&r[5], t, L),
                   out->x + (size_t)t * L);
}

#define MATH_PROCESS(fname, op)                                                                   \
    DSP_HOT static void fname(float *st, const DspBuf *in, DspBuf *out, const DspEnv *env)        \
    {                                                                                             \
        DSP_DISPATCH(MATH_BODY_##op, st, in, out, env);                                           \
    }
#define MATH_BODY_M_ADD(s, i, o, e, L) math_block(s, i, o, e, L, M_ADD)
#define MATH_BODY_M_SUB(s, i, o, e, L) math_block(s, i, o, e, L, M_SUB)
#define MATH_BODY_M_MUL(s, i, o, e, L) math_block(s, i, o, e, L, M_MUL)
#define MATH_BODY_M_DIV(s, i, o, e, L) math_block(s, i, o, e, L, M_DIV)
#define MATH_BODY_M_NEG(s, i, o, e, L) math_block(s, i, o, e, L, M_NEG)
#define MATH_BODY_M_MIX(s, i, o, e, L) math_block(s, i, o, e, L, M_MIX)
#define MATH_BODY_M_CLIP(s, i, o, e, L) math_block(s, i, o, e, L, M_CLIP)
#define MATH_BODY_M_ABS(s, i, o, e, L) math_block(s, i, o, e, L, M_ABS)
#define MATH_BODY_M_MTOF(s, i, o, e, L) math_block(s, i, o, e, L, M_MTOF)
#define MATH_BODY_M_DISTORT(s, i, o, e, L) math_block(s, i, o, e, L, M_DISTORT)

MATH_PROCESS(math_add_process, M_ADD)
MATH_PROCESS(math_sub_process, M_SUB)
MATH_PROCESS(math_mul_process, M_MUL)
MATH_PROCESS(math_div_process, M_DIV)
MATH_PROCESS(math_neg_process, M_NEG)
MATH_PROCESS(math_mix_process, M_MIX)
MATH_PROCESS(math_clip_process, M_CLIP)
MATH_PROCESS(math_abs_process, M_ABS)
MATH_PROCESS(math_mtof_process, M_MTOF)
MATH_PROCESS(math_distort_process, M_DISTORT)

#define MATH_FLAGS (DSPK_PURE | DSPK_FILTER)

const DspKind dsp_kind_add = {
    .name = "add", .ninputs = 2, .inputs = { "a", "b" }, .defaults = { NAN, NAN }, .flags = MATH_FLAGS,
    .process = math_add_process, .summary = "a + b",
};
const DspKind dsp_kind_sub = {
    .name = "sub", .ninputs = 2, .inputs = { "a", "b" }, .defaults = { NAN, NAN }, .flags = MATH_FLAGS,
    .process = math_sub_process, .summary = "a - b",
};
const DspKind dsp_kind_mul = {
    .name = "mul", .ninputs = 2, .inputs = { "a", "b" }, .defaults = { NAN, NAN }, .flags = MATH_FLAGS,
    .process = math_mul_process, .summary = "a * b",
};
const DspKind dsp_kind_div = {
    .name = "div", .ninputs = 2, .inputs = { "a", "b" }, .defaults = { NAN, NAN }, .flags = MATH_FLAGS,
    .process = math_div_process, .summary = "a / b (0 where b is 0)",
};
const DspKind dsp_kind_neg = {
    .name = "neg", .ninputs = 1, .inputs = { "a" }, .defaults = { NAN }, .flags = MATH_FLAGS,
    .process = math_neg_process, .summary = "-a",
};
const DspKind dsp_kind_mix = {
    .name = "mix", .ninputs = 6, .inputs = { "a", "b", "c", "d", "e", "f" },
    .defaults = { NAN, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f }, .flags = MATH_FLAGS, .process = math_mix_process,
    .summary = "sum of its inputs (up to six; missing ones are 0)",
};
const DspKind dsp_kind_clip = {
    .name = "clip", .ninputs = 3, .inputs = { "in", "lo", "hi" }, .defaults = { NAN, -1.0f, 1.0f },
    .flags = MATH_FLAGS, .process = math_clip_process, .summary = "limit to [lo -1, hi 1] (hard clip)",
};
const DspKind dsp_kind_abs = {
    .name = "abs", .ninputs = 1, .inputs = { "in" }, .defaults = { NAN }, .flags = MATH_FLAGS,
    .process = math_abs_process, .summary = "absolute value",
};
const DspKind dsp_kind_mtof = {
    .name = "mtof", .ninputs = 1, .inputs = { "note" }, .defaults = { NAN }, .flags = MATH_FLAGS,
    .process = math_mtof_process, .summary = "MIDI note number to Hz (69 = 440 Hz)",
};

const DspKind dsp_kind_distort = {
    .name = "distort", .ninputs = 3, .inputs = { "in", "drive", "mix" }, .defaults = { NAN, NAN, 0.5f },
    .flags = MATH_FLAGS, .process = math_distort_process,
    .summary = "soft saturation tanh(drive * in), mixed with the dry signal (in, drive, mix 0.5)",
};
