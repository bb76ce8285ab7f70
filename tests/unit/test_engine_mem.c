/* test_engine_mem.c — the engine's memory limits as a user meets them: a program decodes only the sample
 * files it plays (and a file first played late is decoded when a voice misses it), sample memory limits
 * from PhononConfig with their messages, absurd voice counts and sample rates, a program whose delay lines
 * would need more than the limit. Every sound file is generated in a temporary folder. */
#define _XOPEN_SOURCE 700   /* nftw */
#define _DEFAULT_SOURCE
#include <ftw.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bank.h"
#include "phonon.h"
#include "test.h"

static char tmp[256];

static void write_wav(const char *rel, int frames)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    SF_INFO info = { .samplerate = 44100, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf) return;
    short *buf = calloc((size_t)frames, sizeof *buf);
    for (int i = 0; i < frames; i++) buf[i] = (short)(10000 * sin(i * 0.07));
    sf_writef_short(sf, buf, frames);
    free(buf);
    sf_close(sf);
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

static Phonon *make(size_t file_max, size_t total_max)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.threads = 1;
    cfg.no_system_samples = true;
    cfg.max_block = 512;
    cfg.sample_file_max = file_max;
    cfg.sample_memory_max = total_max;
    static char root[512];
    snprintf(root, sizeof root, "%s/lib", tmp);
    static const char *dirs[2];
    dirs[0] = root;
    cfg.sample_dirs = dirs;
    return phonon_new(&cfg);
}

/* All messages so far, one a line. */
static void messages(Phonon *ph, char *all, size_t size)
{
    PhononMsg m;
    size_t len = strlen(all);
    while (phonon_poll(ph, &m))
        if (len + strlen(m.text) + 2 < size) len += (size_t)snprintf(all + len, size - len, "%s\n", m.text);
}

static double render_peak(Phonon *ph, int blocks)
{
    float l[512], r[512];
    float *outs[2] = { l, r };
    double p = 0;
    for (int b = 0; b < blocks; b++) {
        phonon_process(ph, NULL, outs, 512);
        for (int i = 0; i < 512; i++) p = fmax(p, fabs(l[i]) + fabs(r[i]));
    }
    return p;
}

static int eval(Phonon *ph, const char *text, char *msg, size_t size)
{
    PhononError e[4];
    int n = phonon_eval(ph, text, "mem.ph", e, 4);
    if (n && msg) phonon_error_format(&e[0], msg, (int)size);
    return n;
}

static void test_decodes_what_plays(void)
{
    Phonon *ph = make(0, 0);
    eval(ph, "~d1 $ s \"kit:3 kit:5 kit:3\"\n", NULL, 0);
    phonon_wait_loaded(ph, 30);
    PhononStats st;
    phonon_stats(ph, &st);
    CHECK_INT(st.samples_decoded, 2, "a program that plays two files of an eight-file bank decodes two");
    CHECK_INT(st.sample_bytes / 1000, (2 * (44100 + 2 * BANK_PAD) * 4 + 128) / 1000, "sample memory: those two files");
    CHECK(render_peak(ph, 100) > 0.1, "and they play");

    /* n from a pattern: the files of the first cycles are decoded before the program starts */
    eval(ph, "~d1 $ s \"kit*4\" # n \"<0 1> 2\"\n", NULL, 0);
    phonon_wait_loaded(ph, 30);
    phonon_stats(ph, &st);
    CHECK_INT(st.samples_decoded, 5, "n \"<0 1> 2\" adds files 0, 1 and 2");
    phonon_free(ph);
}

/* A file first played beyond the look-ahead: that voice is late (counted), the file is decoded, and the
 * next time it plays it sounds. */
static void test_late_file(void)
{
    Phonon *ph = make(0, 0);
    eval(ph, "bpm: 480\n~d1 $ s \"kit\" # n (\"<0!200 7>\")\n", NULL, 0);
    phonon_wait_loaded(ph, 30);
    PhononStats st;
    phonon_stats(ph, &st);
    CHECK_INT(st.samples_decoded, 1, "look-ahead: only file 0 in the first cycles");
    phonon_seek(ph, 200);
    render_peak(ph, 4);                 /* cycle 200 plays file 7: not decoded yet */
    phonon_stats(ph, &st);
    CHECK_INT(st.late, 1, "the voice that missed its file is counted late");
    char all[4096] = "";
    messages(ph, all, sizeof all);      /* polling queues the missed file */
    phonon_wait_loaded(ph, 30);
    phonon_stats(ph, &st);
    CHECK_INT(st.samples_decoded, 2, "the missed file is decoded");
    phonon_seek(ph, 401);
    CHECK(render_peak(ph, 4) > 0.1, "and it plays the next time");
    phonon_stats(ph, &st);
    CHECK_INT(st.late, 1, "no voice late since");
    phonon_free(ph);
}

static void test_sample_limits(void)
{
    Phonon *ph = make(200 * 1024, 400 * 1024);    /* 200 KB a file, 400 KB in all; each kit file is 173 KB */
    eval(ph, "~d1 $ s \"big kit:0 kit:1 kit:2\"\n", NULL, 0);
    phonon_wait_loaded(ph, 30);
    char all[4096] = "", want[1024];
    messages(ph, all, sizeof all);
    snprintf(want, sizeof want, "samples: can't read %s/lib/big/long.wav: too big: 441000 frames would take 1.7 MB "
             "(at most 200 KB per file)", tmp);
    CHECK(strstr(all, want), "a file over PhononConfig.sample_file_max: the message names file and limit", "%s", all);
    PhononStats st;
    phonon_stats(ph, &st);
    CHECK(st.sample_bytes <= 400 * 1024, "decoded memory stays within PhononConfig.sample_memory_max", "%zu",
          st.sample_bytes);
    CHECK_INT(st.samples_failed, 2, "two files refused");
    snprintf(want, sizeof want, "samples: can't read %s/lib/kit/2.wav: sample memory full: 173 KB more would pass "
             "400 KB in all (346 KB decoded so far)", tmp);
    CHECK(strstr(all, want), "the total limit's message", "%s", all);
    CHECK(render_peak(ph, 100) > 0.1, "what fits plays");
    phonon_free(ph);
}

static void test_absurd_config(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.voices = 1000000000;
    cfg.sr = 1e12;
    cfg.threads = 1;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    CHECK(ph != NULL, "10^9 voices and a 10^12 Hz rate: clamped, not refused");
    if (!ph) return;
    eval(ph, "~d1 $ s \"bd*8\"\n", NULL, 0);
    phonon_wait_loaded(ph, 30);
    CHECK(render_peak(ph, 100) > 0.1, "and it plays");
    CHECK_INT(phonon_set_format(ph, 1e9, 512), -1, "set_format refuses a rate above 768 kHz");
    CHECK_INT(phonon_set_format(ph, 0.5, 512), -1, "set_format refuses a rate below 1 kHz");
    CHECK(render_peak(ph, 100) > 0.1, "still playing after the refusals");
    phonon_free(ph);
}

/* Delay lines are sized by the sample rate (4 s of stereo each): 48 of them at 768 kHz pass the state limit. */
static void test_state_limit(void)
{
    PhononConfig cfg;
    phonon_config_default(&cfg);
    cfg.sr = 768000;
    cfg.threads = 1;
    cfg.no_system_samples = true;
    Phonon *ph = phonon_new(&cfg);
    char prog[16384], msg[1024] = "";
    int len = 0;
    for (int i = 0; i < 48; i++) len += snprintf(prog + len, sizeof prog - (size_t)len, "~b%d: sine %d # delay 0.1 0.2 0.3\n", i, 100 + i);
    len += snprintf(prog + len, sizeof prog - (size_t)len, "out: (~b0");
    for (int i = 1; i < 48; i++) len += snprintf(prog + len, sizeof prog - (size_t)len, " + ~b%d", i);
    snprintf(prog + len, sizeof prog - (size_t)len, ") * 0.01\n");
    eval(ph, "out: sine 440 * 0.2\n", NULL, 0);
    int n = eval(ph, prog, msg, sizeof msg);
    CHECK_INT(n, 1, "48 delays at 768 kHz: one error");
    CHECK_STR(msg, "mem.ph:1:1: this program's delay lines, reverbs and filters need 1125 MB (at most 512 MB): use fewer of them",
              "the state limit's message");
    CHECK(render_peak(ph, 20) > 0.1, "the program before keeps playing");
    phonon_free(ph);
}

/* An instrument whose voices cannot get their state never sounds: the compile says so. */
static void test_instrument_state(void)
{
    Phonon *ph = make(0, 0);
    char all[4096] = "";
    messages(ph, all, sizeof all);
    all[0] = 0;
    eval(ph, "~synth $ saw # delay 0.3 0.4 0.5\n~d1 $ s \"~synth*4\" # note \"c e\"\n", NULL, 0);
    messages(ph, all, sizeof all);
    CHECK(strstr(all, "mem.ph: warning: instrument ~synth needs 21.5 MB for each group of 32 voices, more than the "
                      "4.0 MB all instrument voices share (PhononConfig.voices): its voices are dropped; put delays "
                      "and reverbs on the pattern instead"), "an instrument too big for the voices is reported", "%s", all);
    render_peak(ph, 20);
    PhononStats st;
    phonon_stats(ph, &st);
    CHECK(st.dropped > 0, "and its voices are counted as dropped");
    phonon_free(ph);
}

int main(void)
{
    snprintf(tmp, sizeof tmp, "/tmp/phonon-mem-XXXXXX");
    if (!mkdtemp(tmp)) return 1;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/lib", tmp);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/lib/kit", tmp);
    mkdir(dir, 0755);
    snprintf(dir, sizeof dir, "%s/lib/big", tmp);
    mkdir(dir, 0755);
    for (int i = 0; i < 8; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "lib/kit/%d.wav", i);
        write_wav(rel, 44100);
    }
    write_wav("lib/big/long.wav", 441000);
    test_decodes_what_plays();
    test_late_file();
    test_sample_limits();
    test_absurd_config();
    test_state_limit();
    test_instrument_state();
    nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return test_done();
}
