/* program.h — a compiled program: patterns, the global graph, players and instruments, immutable once built.
 * Built and freed off the audio path; the audio thread only reads it and writes its own run memory. */
#ifndef PHONON_PROGRAM_H
#define PHONON_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "bank.h"
#include "graph.h"
#include "pattern.h"
#include "voice.h"

/* What a name in an `s` pattern plays. */
typedef enum SoundKind { SOUND_UNKNOWN, SOUND_BANK, SOUND_INST } SoundKind;

typedef struct SoundRef {
    uint32_t sym;               /* the base name's symbol ("bd", "~synth") */
    SoundKind kind;
    const BankSound *bank;
    const Instrument *inst;
} SoundRef;

/* A player: an event chain (a control pattern with `s`) turned into sound by voices. */
typedef struct Player {
    const char *name;           /* "d1", "out#2": the statement it belongs to, numbered if several */
    int stmt;                   /* index of its statement, for mute */
    Pattern *pattern;           /* events carry VAL_MAP values */
    int ext;                    /* extern buffer (2 lanes) its voices are summed into */
    bool direct;                /* one track plays that buffer as it is and nothing else reads it: a voice
                                   on an orbit sums into the orbit's bus instead (docs/LANGUAGE.md, Outputs) */
} Player;

/* A player's onsets of one cycle, queried once when the clock enters the cycle (a pattern is a pure
 * function of time), so most blocks only pick events out of it. */
typedef struct PlayerCache {
    EventBuf eb;
    int64_t cycle;
    bool valid;                 /* eb holds the onsets of `cycle`, sorted by onset */
    bool overflow;              /* too many events for the cache: this cycle is queried block by block */
} PlayerCache;

/* A pattern used as a signal: filled once per block, segment by segment (a step function). */
typedef enum CtrlMode { CTRL_VALUE, CTRL_GATE } CtrlMode;

typedef struct Ctrl {
    Pattern *pattern;
    int ext;                    /* extern buffer (1 lane) */
    CtrlMode mode;              /* CTRL_GATE drops to 0 for one frame where a new event starts */
    float initial;              /* value before the first event (held through rests afterwards) */
} Ctrl;

/* A signal that patterns sample at event onsets (`# speed ~lfo`): pattern_signal_ext(id). */
typedef struct Probe {
    int buf;                    /* global graph buffer read */
} Probe;

typedef enum ExternKind {
    EXT_PLAYER,                 /* index: player */
    EXT_CTRL,                   /* index: ctrl */
    EXT_FEEDBACK,               /* index: the buffer whose previous block is read */
    EXT_INPUT,                  /* index: host input channel */
    EXT_SLOT,                   /* index: the engine's control slot of a number bus (phonon_set_control);
                                   value: the bus's own number, played until a value is set */
} ExternKind;

typedef struct Extern {
    ExternKind kind;
    int index;
    int lanes;
    float value;
} Extern;

/* A track reaching the main mix: `out`, `d1`..., `~d1`, or the auto-routed sum. */
typedef struct Track {
    int buf;                    /* global buffer, 1 or 2 lanes */
    int stmt;
    float gain;
    int out;                    /* -1: the main stereo mix; else the one output channel it has to itself */
    int player;                 /* the first chain whose sound it plays (-1: none): a main-mix track of a
                                   chain that is not `direct` goes to the orbit of that chain's latest event */
} Track;

typedef struct ProgStmt {
    const char *name;           /* bus or track name, "" for others */
    const char *text;           /* source text of the statement */
    int line;
    bool tempo;                 /* a tempo statement (bpm:, cps:, tempo:) */
} ProgStmt;

/* One node's state carried over from the program replaced (offsets in floats of Program.state). */
typedef struct CarryCopy {
    int dst, src;
    int dst_lanes, src_lanes;
    int nstate;                 /* fields per lane */
} CarryCopy;

/* A constant input whose value an edit changed: it moves from the old value to the new one. */
typedef struct Glide {
    int buf;                    /* global graph buffer (GB_CONST) */
    float from, to;
    float y1, y2;               /* audio thread: the smoother's state */
    bool active;
    float *mem;                 /* max_block floats the moving value is written to */
    DspBuf orig;                /* the constant's own buffer, restored once arrived */
} Glide;

typedef struct Program {
    Arena arena;
    SharedArena **held;         /* arenas shared with other programs (compile.c's statement cache): malloc */
    int nheld;
    char *source;               /* the whole text it was compiled from */
    const char *file;

    ProgStmt *stmts;
    int nstmts;

    Graph graph;                /* the global graph: lanes 2 */
    uint64_t *bufbus;           /* per global buffer: the key of the bus it is the value of, 0 if none */
    int nupstream;              /* nodes [0, nupstream) run before voices, the rest after */
    Extern *externs;
    int nexterns;

    Player *players;
    int nplayers;
    Ctrl *ctrls;
    int nctrls;
    Probe *probes;
    int nprobes;
    bool reads_controls;        /* patterns read host control slots: a set invalidates the player caches */
    Track *tracks;
    int ntracks;
    Instrument *instruments;
    int ninstruments;

    SoundRef *sounds;           /* open-addressing table keyed by symbol */
    int nsounds_cap;            /* power of two */

    bool has_tempo;
    double cps;
    bool tempo_applies;         /* the hand-over sets the tempo (the engine decides: see engine_build) */
    bool hush, panic;           /* `hush` / `panic` statements */
    bool uses_orbits;           /* it names `orbit` or an orbit effect: the engine makes its orbits first */

    /* Run memory, used only by the audio thread once the program is handed over. */
    float *state;               /* graph state */
    float *bufmem;              /* node and constant buffers */
    DspBuf *bufs;               /* one per graph buffer */
    float *extmem;              /* extern buffers (players, ctrls, feedback copies) */
    float **extptr;             /* each extern's memory (EXT_INPUT: set by the engine per block) */
    _Atomic unsigned char *stmt_flags; /* per statement: STMT_MUTED, STMT_SOLO (set from the control side) */
    float *ctrl_hold;           /* last value of each ctrl (held through rests) */
    int max_block;
    double sr;
    PlayerCache *pcache;        /* per player; NULL when patterns read signals (they must be queried per block) */
    uint32_t *reported;         /* unknown sound symbols already reported while playing */
    int nreported;
    int generation;

    /* The hand-over from the program this one was built to follow (program_plan, control side), applied
     * by program_take_over on the audio thread when pred is the program playing. */
    const struct Program *pred;
    CarryCopy *carry;
    int ncarry;
    Glide *glides;
    int nglides;
    float *glidemem;
    bool fade;                  /* nodes or wiring differ from pred's: the engine crossfades the two */
    int *bufmap;                /* pred's global buffer b is bufmap[b] here (-1: gone), nbufmap entries */
    int nbufmap;
    bool same_layout;           /* ctrls and feedback externs line up one to one with pred's */
} Program;

enum { STMT_MUTED = 1, STMT_SOLO = 2 };

/* Work out what a new program takes over from old (NULL: nothing): each node's state by its key, the
 * constants that glide, whether the structure changed. Control side; false when out of memory (the
 * program is then crossfaded in without carrying state). */
bool program_plan(Program *np, const Program *old);
/* Audio thread, at the block edge where np replaces old: copy what program_plan found. Bounded work
 * (the size of np's carried state), no allocation. If old is not the program np was planned against,
 * nothing is copied and np->fade is set. */
void program_take_over(Program *np, const Program *old);
/* Audio thread, at the hand-over to np: instruments of a program whose voices still ring (the one
 * replaced, or older) read their global signals from np from now on, through np->bufmap (a signal np
 * does not have reads silence). Their global_buf tables are rewritten in place: instruments are
 * immutable except for this. */
void program_remap_instruments(Program *ringing, const Program *np);
/* Audio thread, each block after the externs are bound: move the gliding constants (coef: the
 * smoother's coefficient per frame). */
void program_glides(Program *p, int n, float coef);
/* One step of the engine's two-pole smoother towards target over n frames into out; false when it had
 * already arrived (out untouched). */
bool program_smooth(float *y1, float *y2, float target, float coef, float *out, int n);

/* The sound for a symbol (base name), or NULL. Audio-path safe. */
const SoundRef *program_sound(const Program *p, uint32_t sym);
/* Allocate the run memory for sample rate sr and blocks up to max_block. Control thread. */
bool program_prepare(Program *p, double sr, int max_block);
void program_free(Program *p);

#endif
