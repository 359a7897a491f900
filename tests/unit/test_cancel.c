/* Unit tests of the cancellation flag (include/cvkit/cancel.h): each long core loop that
   looks at it returns CV_ERR_LIMIT "cancelled" when it is set, frees what it made, and
   works again once it is cleared. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cvkit/cancel.h"
#include "cvkit/csv.h"
#include "cvkit/mem.h"
#include "cvkit/montecarlo.h"
#include "cvkit/optim.h"
#include "cvkit/segment.h"
#include "table_build.h"

static int teardown(void **state)
{
    (void)state;
    cv_cancel_clear();
    return 0;
}

/* 2,000 points in two columns (a fixed pseudo-random spread). */
static cv_table *points(void)
{
    static double x[2000], y[2000];
    cv_error err;
    cv_table *t = cv_table_new();
    cv_column *a, *b;
    for (int i = 0; i < 2000; i++) {
        x[i] = (double)((i * 7919) % 1000) / 10.0;
        y[i] = (double)((i * 104729) % 1000) / 10.0;
    }
    a = fcol("x", x, 2000);
    b = fcol("y", y, 2000);
    assert_int_equal(cv_table_add(t, a, &err), 0);
    assert_int_equal(cv_table_add(t, b, &err), 0);
    cv_column_unref(a);
    cv_column_unref(b);
    return t;
}

static void test_cancel_flag(void **state)
{
    cv_error err;
    (void)state;
    assert_int_equal(cv_cancelled(), 0);
    assert_int_equal(cv_cancel_check(&err), 0);
    cv_cancel_set();
    assert_int_equal(cv_cancelled(), 1);
    assert_int_equal(cv_cancel_check(&err), CV_ERR_LIMIT);
    assert_int_equal(err.code, CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    cv_cancel_clear();
    assert_int_equal(cv_cancelled(), 0);
}

/* k-means with the flag set: NULL, CV_ERR_LIMIT, nothing left allocated; cleared: works. */
static void test_cancel_kmeans_flag_set(void **state)
{
    const char *cols[2] = {"x", "y"};
    cv_kmeans_options o = {5, 3, 0, 1, 1, 0};
    cv_kmeans_result res;
    cv_error err;
    cv_table *t = points(), *r;
    size_t used = cv_mem_used();
    (void)state;
    cv_cancel_set();
    assert_null(cv_kmeans(t, cols, 2, &o, "cluster", &res, &err));
    assert_int_equal(err.code, CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    assert_null(res.centers);
    assert_int_equal(cv_mem_used(), used);
    cv_cancel_clear();
    assert_non_null(r = cv_kmeans(t, cols, 2, &o, "cluster", &res, &err));
    assert_int_equal(res.k, 5);
    cv_kmeans_result_free(&res);
    cv_table_free(r);
    cv_table_free(t);
}

/* Sets the flag a moment after the run starts. Not a wait for a condition: whenever the flag
   comes (even before k-means has begun), the run must end cancelled, so no timing can make
   the test pass or fail wrongly. */
static void *set_later(void *arg)
{
    struct timespec ts = {0, 100 * 1000 * 1000}; /* 0.1 s */
    (void)arg;
    nanosleep(&ts, NULL);
    cv_cancel_set();
    return NULL;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* k-means with INT_MAX restarts on 2,000 rows (hours of work) stops once another thread
   sets the flag (the engine's watchdog does that at the deadline). */
static void test_cancel_kmeans_from_thread(void **state)
{
    const char *cols[2] = {"x", "y"};
    cv_kmeans_options o = {5, INT_MAX, 0, 1, 1, 0};
    cv_kmeans_result res;
    cv_error err;
    cv_table *t = points();
    pthread_t th;
    double t0 = seconds();
    (void)state;
    assert_int_equal(pthread_create(&th, NULL, set_later, NULL), 0);
    assert_null(cv_kmeans(t, cols, 2, &o, "cluster", &res, &err));
    pthread_join(th, NULL);
    assert_int_equal(err.code, CV_ERR_LIMIT);
    assert_true(seconds() - t0 < 30.0); /* generous: it stops within one restart */
    cv_table_free(t);
}

static double bowl(int n, const double *x, double *g, void *ctx)
{
    double f = 0;
    (void)ctx;
    for (int i = 0; i < n; i++) {
        f += (x[i] - 1) * (x[i] - 1);
        if (g)
            g[i] = 2 * (x[i] - 1);
    }
    return f;
}

static void test_cancel_optim(void **state)
{
    double x[2] = {5, -3};
    cv_optim_result res;
    cv_error err;
    (void)state;
    cv_cancel_set();
    assert_int_equal(cv_optim_minimize(2, x, bowl, NULL, NULL, &res, &err), CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    assert_int_equal(cv_optim_nelder_mead(2, x, bowl, NULL, NULL, &res, &err), CV_ERR_LIMIT);
    cv_cancel_clear();
    assert_int_equal(cv_optim_minimize(2, x, bowl, NULL, NULL, &res, &err), 0);
    assert_float_equal(x[0], 1.0, 1e-6);
}

static void test_cancel_csv_read(void **state)
{
    static const char text[] = "a,b\n1,2\n3,4\n";
    cv_error err;
    cv_table *t;
    size_t used = cv_mem_used();
    (void)state;
    cv_cancel_set();
    assert_null(cv_csv_read_buffer("t.csv", text, sizeof text - 1, NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    assert_int_equal(cv_mem_used(), used);
    cv_cancel_clear();
    assert_non_null(t = cv_csv_read_buffer("t.csv", text, sizeof text - 1, NULL, NULL, &err));
    assert_int_equal(t->nrows, 2);
    cv_table_free(t);
}

static void test_cancel_montecarlo(void **state)
{
    cv_dist d = cv_dist_init(CV_DIST_NORMAL, 0, 1, 0);
    double out[16];
    cv_error err;
    (void)state;
    cv_cancel_set();
    assert_int_equal(cv_mc_draw(&d, 1, 16, 1, out, &err), CV_ERR_LIMIT);
    cv_cancel_clear();
    assert_int_equal(cv_mc_draw(&d, 1, 16, 1, out, &err), 0);
}

static void test_cancel_sort(void **state)
{
    cv_sort_key key = {"x", 0};
    cv_error err;
    cv_table *t = points();
    (void)state;
    cv_cancel_set();
    assert_null(cv_table_sort(t, &key, 1, &err));
    assert_int_equal(err.code, CV_ERR_LIMIT);
    cv_cancel_clear();
    cv_table *s = cv_table_sort(t, &key, 1, &err);
    assert_non_null(s);
    assert_float_equal(cv_column_float(s->cols[0], 0), 0.0, 0);
    cv_table_free(s);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_cancel_flag, teardown),
        cmocka_unit_test_teardown(test_cancel_kmeans_flag_set, teardown),
        cmocka_unit_test_teardown(test_cancel_kmeans_from_thread, teardown),
        cmocka_unit_test_teardown(test_cancel_optim, teardown),
        cmocka_unit_test_teardown(test_cancel_csv_read, teardown),
        cmocka_unit_test_teardown(test_cancel_montecarlo, teardown),
        cmocka_unit_test_teardown(test_cancel_sort, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
