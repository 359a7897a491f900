/* Tests of the bootstrap of a fit with covariates (src/core/model_cov_boot.c and its use in
   cv_model_intervals, model_interval.c) on a BG/NBD drawn from known parameters with a 0/1
   covariate on both processes: the distinct rows keep every customer; a refit with the
   customers' own weights, started away from the fit, reproduces cv_cov_model_fit's
   estimates; the same seed gives the same intervals bit for bit and another seed others;
   each parameter's bootstrap interval holds the estimate (the asymptotic interval's centre)
   and is within a factor 2 of the asymptotic interval's width. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/cov_boot.h"
#include "cvkit/covariates.h"
#include "cvkit/intervals.h"
#include "table_build.h"

#define N 800

static double X[N], TX[N], TT[N], Z[N];
static const double TRUTH[6] = {0.8, 6.0, 0.7, 2.5, 0.6, -0.5}; /* r, alpha, a, b, trans, life */
static const double *ZC[2] = {Z, Z};
static unsigned PROC[2] = {CV_COV_TRANS, CV_COV_LIFE};
static const cv_cov_spec SPEC = {2, PROC, ZC};
static cv_cov_fit FIT;

static int setup(void **state)
{
    cv_error err;
    cv_model_data d = {N, X, TX, TT, NULL, NULL};
    (void)state;
    for (int i = 0; i < N; i++)
        TT[i] = 26 + i % 14, Z[i] = i % 2;
    assert_int_equal(cv_cov_simulate(&cv_model_bgnbd, TRUTH, &SPEC, N, 17, TT, X, TX, &err), 0);
    assert_int_equal(cv_cov_model_fit(&cv_model_bgnbd, &d, &SPEC, &FIT, &err), 0);
    assert_true(FIT.se_ok);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cv_cov_fit_free(&FIT);
    return 0;
}

/* The rows keep every customer; the refit with their own weights finds the fit. */
static void test_refit_reproduces_fit(void **state)
{
    cv_model_data d = {N, X, TX, TT, NULL, NULL};
    cv_cov_boot_rows rows;
    cv_error err;
    double start[6], est[6], sum = 0;
    size_t i;
    (void)state;
    assert_int_equal(cv_cov_boot_rows_make(&d, &SPEC, &rows, &err), 0);
    {
        size_t distinct = 0, j; /* by brute force: rows unlike every row before them */
        for (i = 0; i < N; i++) {
            for (j = 0; j < i; j++)
                if (X[j] == X[i] && TX[j] == TX[i] && TT[j] == TT[i] && Z[j] == Z[i])
                    break;
            distinct += j == i;
        }
        assert_true(distinct < N); /* the customers without repeat purchases share rows */
        assert_int_equal(rows.data.n, distinct);
    }
    for (i = 0; i < rows.data.n; i++)
        sum += rows.data.w[i];
    assert_float_equal(sum, N, 0); /* every customer once */
    for (i = 0; i < 6; i++)        /* away from the fit: 20% on the parameters, 0.2 on the others */
        start[i] = i < 4 ? FIT.est[i] * 1.2 : FIT.est[i] + 0.2;
    assert_int_equal(cv_cov_boot_refit(&cv_model_bgnbd, &rows, rows.data.w, start, est, &err), 0);
    for (i = 0; i < 6; i++)
        if (!(fabs(est[i] - FIT.est[i]) <= 1e-6 * (i < 4 ? FIT.est[i] : 1.0)))
            fail_msg("theta[%zu]: refit %.10g, fit %.10g", i, est[i], FIT.est[i]);
    /* weights 0 everywhere: no customers */
    {
        double zero[N] = {0};
        assert_int_equal(cv_cov_boot_refit(&cv_model_bgnbd, &rows, zero, start, est, &err),
                         CV_ERR_USAGE);
        assert_string_equal(err.msg, "bgnbd: no customers");
    }
    cv_cov_boot_rows_free(&rows);
}

/* cv_model_intervals on the simulated customers (the totals of P(alive) and E[Y(13)] when
   kinds, else the parameters alone). */
static void run(const cv_table *s, int method, size_t draws, uint64_t seed, unsigned kinds,
                cv_model_interval_totals *tot)
{
    const char *names[2] = {"trans.z", "life.z"}, *cols[2] = {"z", "z"};
    cv_model_interval_spec sp;
    cv_interval_options o = {method, 0.9, draws, seed};
    cv_error err;
    memset(&sp, 0, sizeof sp);
    sp.tx.model = &cv_model_bgnbd, sp.tx.p = FIT.est, sp.tx.cov_log = FIT.cov;
    sp.tx.cov = &SPEC, sp.tx.cov_names = names, sp.tx.cov_cols = cols, sp.tx.data = s;
    sp.kinds = kinds, sp.horizon = 13;
    cv_table *t = cv_model_intervals(&sp, s, NULL, &o, tot, &err);
    if (!t)
        fail_msg("%s", err.msg);
    cv_table_free(t);
}

/* Bootstrap intervals: seeded, and each parameter's against its asymptotic interval. */
static void test_bootstrap(void **state)
{
    cv_table *s = tbl(fcol("x", X, N), fcol("t_x", TX, N), fcol("T", TT, N), fcol("z", Z, N), NULL);
    cv_model_interval_totals b1, b2, b3, as;
    const unsigned kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL;
    (void)state;
    /* the same seed, the same numbers; another seed, others */
    run(s, CV_INTERVAL_BOOTSTRAP, 4, 5, kinds, &b1);
    run(s, CV_INTERVAL_BOOTSTRAP, 4, 5, kinds, &b2);
    run(s, CV_INTERVAL_BOOTSTRAP, 4, 6, kinds, &b3);
    assert_memory_equal(b1.lo, b2.lo, sizeof b1.lo);
    assert_memory_equal(b1.hi, b2.hi, sizeof b1.hi);
    assert_memory_equal(b1.p_lo, b2.p_lo, sizeof b1.p_lo);
    assert_memory_equal(b1.p_hi, b2.p_hi, sizeof b1.p_hi);
    assert_true(b3.p_lo[4] != b1.p_lo[4] && b3.lo[1] != b1.lo[1]);
    /* against the asymptotic intervals of the parameters */
    run(s, CV_INTERVAL_BOOTSTRAP, 30, 5, kinds, &b1);
    run(s, CV_INTERVAL_ASYMPTOTIC, 1000, 5, 0, &as);
    assert_int_equal(b1.draws, 30);
    assert_int_equal(b1.used, 30); /* a well-identified fit: every refit converges */
    assert_int_equal(b1.np, 6);
    for (int a = 0; a < 6; a++) {
        double wb = b1.p_hi[a] - b1.p_lo[a], wa = as.p_hi[a] - as.p_lo[a];
        if (!(b1.p_lo[a] < FIT.est[a] && FIT.est[a] < b1.p_hi[a]))
            fail_msg("%s: %g outside the bootstrap's [%g, %g]", b1.names[a], FIT.est[a], b1.p_lo[a],
                     b1.p_hi[a]);
        if (!(wb > 0.5 * wa && wb < 2.0 * wa))
            fail_msg("%s: bootstrap width %g, asymptotic %g", b1.names[a], wb, wa);
    }
    /* the totals' intervals hold their estimates */
    for (int k = 0; k < 2; k++)
        assert_true(b1.lo[k] < b1.est[k] && b1.est[k] < b1.hi[k]);
    cv_table_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refit_reproduces_fit),
        cmocka_unit_test(test_bootstrap),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
