/* The thread-count policy (include/cvkit/threads.h): the default, set/get and the cap, the
   parallel loop's chunks, and results that do not depend on the count (a fit's parameters
   and predictions, bit for bit, with 1 and CV_THREADS_MAX threads). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvkit/models.h"
#include "cvkit/threads.h"

static void test_threads_default_set_cap(void **state)
{
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    int def = ncpu < 1 ? 1 : ncpu > CV_THREADS_MAX ? CV_THREADS_MAX : (int)ncpu;
    (void)state;
    assert_int_equal(cv_threads_set(0), def);
    assert_true(cv_threads() >= 1);
    assert_int_equal(cv_threads(), def);
    assert_int_equal(cv_threads_set(3), 3);
    assert_int_equal(cv_threads(), 3);
    assert_int_equal(cv_threads_set(1), 1);
    assert_int_equal(cv_threads(), 1);
    assert_int_equal(cv_threads_set(CV_THREADS_MAX + 100), CV_THREADS_MAX); /* capped */
    assert_int_equal(cv_threads(), CV_THREADS_MAX);
    assert_int_equal(cv_threads_set(-5), def); /* back to the default */
    assert_int_equal(cv_threads(), def);
}

typedef struct {
    int *hits;
    size_t calls;
} cover;

static void mark(void *v, size_t lo, size_t hi)
{
    cover *c = v;
    size_t i;
    for (i = lo; i < hi; i++)
        c->hits[i]++; /* each index is in exactly one chunk: no two threads write one slot */
}

static void count_call(void *v, size_t lo, size_t hi)
{
    (void)lo, (void)hi;
    ((cover *)v)->calls++; /* only called on the calling thread in the cases below */
}

static void test_threads_par_for_covers_once(void **state)
{
    static const size_t ns[] = {0, 1, 2, 7, 8, 9, 1000, 4099};
    int counts[] = {1, 2, 3, CV_THREADS_MAX};
    int hits[4099];
    size_t a, b, i;
    cover c;
    (void)state;
    for (a = 0; a < sizeof counts / sizeof *counts; a++) {
        cv_threads_set(counts[a]);
        for (b = 0; b < sizeof ns / sizeof *ns; b++) {
            memset(hits, 0, sizeof hits);
            c.hits = hits;
            cv_par_for(ns[b], 2, mark, &c);
            for (i = 0; i < ns[b]; i++)
                if (hits[i] != 1)
                    fail_msg("%d threads, n = %zu: index %zu done %d times", counts[a], ns[b], i,
                             hits[i]);
        }
    }
    /* below min_n, or with one thread: one call over the whole range */
    cv_threads_set(CV_THREADS_MAX);
    c.calls = 0;
    cv_par_for(100, 101, count_call, &c);
    assert_int_equal(c.calls, 1);
    cv_threads_set(1);
    c.calls = 0;
    cv_par_for(100, 2, count_call, &c);
    assert_int_equal(c.calls, 1);
    cv_threads_set(0);
}

/* A BG/NBD fit over 120,000 simulated customers (above the fit's two-halves threshold of
   4,096 distinct rows and the collapse's two parts from 100,000) and its conditional
   expectations: the same bits with 1 thread and with CV_THREADS_MAX. */
static void test_threads_fit_identical(void **state)
{
    const double p[4] = {0.5, 6.0, 0.8, 2.5};
    size_t n = 120000, i;
    double *x = malloc(n * sizeof(double)), *tx = malloc(n * sizeof(double));
    double *T = malloc(n * sizeof(double));
    double *o1 = malloc(n * sizeof(double)), *o8 = malloc(n * sizeof(double));
    cv_model_data d;
    cv_fit f1, f8;
    cv_error err;
    (void)state;
    assert_non_null(x), assert_non_null(tx), assert_non_null(T);
    assert_non_null(o1), assert_non_null(o8);
    for (i = 0; i < n; i++)
        T[i] = 20.0 + (double)(i % 40);
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, p, n, 7, T, x, tx, NULL, &err), 0);
    d.n = n, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    cv_threads_set(1);
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &f1, &err), 0);
    assert_int_equal(
        cv_model_predict(&cv_model_bgnbd, f1.params, CV_PRED_CONDITIONAL, &d, 39.0, 0.0, o1, &err),
        0);
    cv_threads_set(CV_THREADS_MAX);
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &f8, &err), 0);
    assert_int_equal(
        cv_model_predict(&cv_model_bgnbd, f8.params, CV_PRED_CONDITIONAL, &d, 39.0, 0.0, o8, &err),
        0);
    cv_threads_set(0);
    assert_true(f1.n_rows > 4096); /* the fit did run in two halves */
    for (i = 0; i < 4; i++)
        if (memcmp(&f1.params[i], &f8.params[i], sizeof(double)) != 0)
            fail_msg("%s: %.17g with 1 thread, %.17g with %d", cv_model_bgnbd.param_names[i],
                     f1.params[i], f8.params[i], CV_THREADS_MAX);
    assert_memory_equal(&f1.loglik, &f8.loglik, sizeof(double));
    assert_int_equal(f1.optim.iterations, f8.optim.iterations);
    assert_memory_equal(o1, o8, n * sizeof(double));
    free(x), free(tx), free(T), free(o1), free(o8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_default_set_cap),
        cmocka_unit_test(test_threads_par_for_covers_once),
        cmocka_unit_test(test_threads_fit_identical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
