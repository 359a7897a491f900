/* Tests of the engine's limits through the real engine (docs/safety.md): a core call
   cancelled at the deadline names the script's line; an idle engine past its deadline is
   not killed by the watchdog (the REPL waits for lines); the memory budget counts the
   core's tables, gives everything back when the engine is freed, and a caught limit error
   does not decide the code of a later failure. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cvkit/cancel.h"
#include "cvkit/mem.h"
#include "lbind.h"

static const char kmeans_forever[] =
    "local x, y = {}, {}\n"
    "for i = 1, 2000 do x[i] = (i * 7919) % 1000 / 10; y[i] = (i * 104729) % 1000 / 10 end\n"
    "local t = cv.table{x = x, y = y}\n"
    "r = cv.kmeans(t, {'x', 'y'}, {k = 5, restarts = 2^31 - 1})\n";

static int run(cv_engine *e, const char *code)
{
    return cv_engine_run_string(e, "=t", code);
}

/* A cancelled cv.kmeans: exit code 9, the script's line (not lua/cv/segment.lua's); the
   engine then refuses to run; the engine sits idle past deadline + grace without the
   watchdog ending the process; a new engine without a limit is not cancelled. */
static void test_limits_timeout_core_call(void **state)
{
    /* under valgrind (tests/run.sh sets VALGRIND=1) everything runs some 30 times slower:
       the limit is 3 s there, so that building the table stays within it and the watchdog's
       grace is not reached inside one unpolled C call on a loaded machine */
    int slow = getenv("VALGRIND") && strcmp(getenv("VALGRIND"), "1") == 0;
    cv_engine_options o = {.timeout = slow ? 3.0 : 0.3};
    cv_engine *e = cv_engine_new(&o, NULL);
    struct timespec idle = {slow ? 5 : 2, 700 * 1000 * 1000};
    (void)state;
    assert_non_null(e);
    assert_int_equal(run(e, kmeans_forever), CV_ERR_LIMIT);
    assert_non_null(strstr(cv_engine_error(e), slow ? "t:4: time limit exceeded (3 s)"
                                                    : "t:4: time limit exceeded (0.3 s)"));
    assert_int_equal(cv_cancelled(), 1);
    nanosleep(&idle, NULL); /* past the deadline + 2 s: idle, so still alive */
    assert_int_equal(run(e, "x = 1"), CV_ERR_LIMIT);
    cv_engine_free(e);
    assert_int_equal(cv_cancelled(), 0);
    e = cv_engine_new(NULL, NULL);
    assert_non_null(e);
    assert_int_equal(run(e, "local t = cv.table{x = {1, 2, 3, 10, 11, 12}}\n"
                            "r = cv.kmeans(t, {'x'}, {k = 2, restarts = 50})"),
                     0);
    cv_engine_free(e);
}

/* An engine within its time is freed without delay and without a kill (the watchdog is
   joined), many times over. */
static void test_limits_timeout_engines_come_and_go(void **state)
{
    (void)state;
    for (int i = 0; i < 20; i++) {
        cv_engine_options o = {.timeout = 30};
        cv_engine *e = cv_engine_new(&o, NULL);
        assert_non_null(e);
        assert_int_equal(run(e, "x = 1 + 1"), 0);
        cv_engine_free(e);
    }
}

/* Writes n rows "i,i.5" into a temporary CSV file; returns its path (static). */
static const char *csv_file(int n)
{
    static char path[64];
    FILE *f;
    snprintf(path, sizeof path, "/tmp/cvkit-limits-%d.csv", (int)getpid());
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "a,b\n");
    for (int i = 0; i < n; i++)
        fprintf(f, "%d,%d.5\n", i, i);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_limits_memory_counts_core(void **state)
{
    cv_engine_options o = {.max_memory = 6u << 20};
    size_t before = cv_mem_used();
    const char *path = csv_file(500000); /* about 8 MB as a table */
    char code[256];
    cv_engine *e;
    (void)state;
    e = cv_engine_new(&o, NULL);
    assert_non_null(e);
    assert_int_equal(cv_mem_limit(), 6u << 20);
    snprintf(code, sizeof code, "t = cv.read_csv('%s')", path);
    assert_int_equal(run(e, code), CV_ERR_LIMIT);
    assert_true(strncmp(cv_engine_error(e), "t:1: memory limit exceeded (6291456 bytes)", 42) ==
                0);
    /* caught, then a missing file: that failure's own code */
    snprintf(code, sizeof code,
             "ok, msg = pcall(cv.read_csv, '%s')\n"
             "cv.read_csv('/nonexistent/x.csv')",
             path);
    assert_int_equal(run(e, code), CV_ERR_IO);
    assert_null(strstr(cv_engine_error(e), "limit exceeded"));
    assert_int_equal(run(e, "assert(not ok and msg:find('memory limit exceeded', 1, true))"), 0);
    cv_engine_free(e);
    assert_int_equal(cv_mem_limit(), 0);
    /* everything given back (the run's record of input files may keep a few bytes) */
    assert_true(cv_mem_used() <= before + 1024);
    e = cv_engine_new(NULL, NULL);
    snprintf(code, sizeof code, "n = #cv.read_csv('%s')", path);
    assert_int_equal(run(e, code), 0);
    cv_engine_free(e);
    assert_int_equal(remove(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_limits_timeout_core_call),
        cmocka_unit_test(test_limits_timeout_engines_come_and_go),
        cmocka_unit_test(test_limits_memory_counts_core),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
