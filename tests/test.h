/* test.h — the tiny test harness every C test in tests/ uses.
 * Each check prints "ok - name" or "FAIL - name: why"; test_done() prints "N passed, N failed". */
#ifndef PHONON_TEST_H
#define PHONON_TEST_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int test_passed, test_failed;
static int test_verbose = 1;

static void test_report(int ok, const char *file, int line, const char *name, const char *fmt, ...)
{
    if (ok) {
        test_passed++;
        if (test_verbose) printf("ok - %s\n", name);
        return;
    }
    test_failed++;
    printf("FAIL - %s (%s:%d)", name, file, line);
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        printf(": ");
        vprintf(fmt, ap);
        va_end(ap);
    }
    printf("\n");
}

/* CHECK(cond, name, fmt, ...): one named assertion; the message explains a failure. */
#define CHECK(cond, name, ...) test_report(!!(cond), __FILE__, __LINE__, (name), "" __VA_ARGS__)
#define CHECK_INT(a, b, name) do { long long a_ = (a), b_ = (b); \
    CHECK(a_ == b_, name, "got %lld, expected %lld", a_, b_); } while (0)
#define CHECK_NEAR(a, b, tol, name) do { double a_ = (a), b_ = (b); \
    CHECK(fabs(a_ - b_) <= (tol), name, "got %.9g, expected %.9g (tolerance %g)", a_, b_, (double)(tol)); } while (0)
#define CHECK_STR(a, b, name) do { const char *a_ = (a), *b_ = (b); \
    CHECK(a_ && b_ && strcmp(a_, b_) == 0, name, "got \"%s\", expected \"%s\"", a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)

static int test_done(void)
{
    printf("%d passed, %d failed\n", test_passed, test_failed);
    return test_failed ? 1 : 0;
}

#endif
