/* Tests of the bootstrap of a fit with covariates (src/core/model_cov_boot.c and its use in
   cv_model_intervals, model_interval.c) on a BG/NBD drawn from known parameters with a 0/1
   covariate on both processes: the distinct rows keep every customer; a refit with the
   customers' own weights, started away from the fit, reproduces cv_cov_model_fit's
   estimates; the same seed gives the same intervals bit for bit and another seed others;
   each parameter's bootstrap interval holds the estimate (the asymptotic interval's centre)
   and is within a factor 2 of the asymptotic interval's width. The same on a BG/BB drawn with
   a 0/1 covariate on both Betas, and on those customers copied 4 times: the same estimates,
   asymptotic standard errors exactly halved, and bootstrap intervals about half as wide
   (the resample of 4N customers from the same empirical distribution: 1/sqrt(n)). */
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

/* The refit of model on rows with every customer's own weight, started away from fit (20% on
   the 4 parameters, 0.2 on the 2 coefficients), returns fit's estimates to 1e-6. */
static void refit_from_away(const cv_model *model, const cv_cov_boot_rows *rows,
                            const cv_cov_fit *fit)
{
    double start[6], est[6];
    cv_error err;
    for (int i = 0; i < 6; i++)
        start[i] = i < 4 ? fit->est[i] * 1.2 : fit->est[i] + 0.2;
    assert_int_equal(cv_cov_boot_refit(model, rows, rows->data.w, start, est, &err), 0);
    for (int i = 0; i < 6; i++)
        if (!(fabs(est[i] - fit->est[i]) <= 1e-6 * (i < 4 ? fit->est[i] : 1.0)))
            fail_msg("theta[%d]: refit %.10g, fit %.10g", i, est[i], fit->est[i]);
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
    refit_from_away(&cv_model_bgnbd, &rows, &FIT);
    for (i = 0; i < 6; i++) /* the start of the refit with no weight */
        start[i] = i < 4 ? FIT.est[i] * 1.2 : FIT.est[i] + 0.2;
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

/* ---- BG/BB: NB customers over 4..8 opportunities, half with z = 1 -------------------- */

#define NB 2000
#define COPIES 4

static double BX[NB * COPIES], BTX[NB * COPIES], BT[NB * COPIES], BZ[NB * COPIES];
/* alpha, beta, gamma, delta (about the donations' fit), trans, life */
static const double BTRUTH[6] = {1.2, 0.75, 0.66, 2.78, 0.5, -0.5};
static const double *BZC[2] = {BZ, BZ};
static const cv_cov_spec BSPEC = {2, PROC, BZC};
static cv_cov_fit BFIT, BFIT4; /* of the NB customers, of the COPIES x NB */

static int setup_bgbb(void **state)
{
    cv_error err;
    cv_model_data d = {NB, BX, BTX, BT, NULL, NULL}, d4 = {NB * COPIES, BX, BTX, BT, NULL, NULL};
    (void)state;
    for (int i = 0; i < NB; i++)
        BT[i] = 4 + i % 5, BZ[i] = i % 2;
    assert_int_equal(cv_cov_simulate(&cv_model_bgbb, BTRUTH, &BSPEC, NB, 23, BT, BX, BTX, &err), 0);
    for (int c = 1; c < COPIES; c++)
        for (int i = 0; i < NB; i++)
            BX[c * NB + i] = BX[i], BTX[c * NB + i] = BTX[i], BT[c * NB + i] = BT[i],
                        BZ[c * NB + i] = BZ[i];
    assert_int_equal(cv_cov_model_fit(&cv_model_bgbb, &d, &BSPEC, &BFIT, &err), 0);
    assert_int_equal(cv_cov_model_fit(&cv_model_bgbb, &d4, &BSPEC, &BFIT4, &err), 0);
    assert_true(BFIT.se_ok && BFIT4.se_ok);
    return 0;
}

static int teardown_bgbb(void **state)
{
    (void)state;
    cv_cov_fit_free(&BFIT);
    cv_cov_fit_free(&BFIT4);
    return 0;
}

/* The refit with every customer's own weight (1), started away from the fit, finds it. */
static void test_bgbb_refit_reproduces_fit(void **state)
{
    cv_model_data d = {NB, BX, BTX, BT, NULL, NULL};
    cv_cov_boot_rows rows;
    cv_error err;
    double sum = 0;
    (void)state;
    assert_int_equal(cv_cov_boot_rows_make(&d, &BSPEC, &rows, &err), 0);
    assert_true(rows.data.n < 2 * 5 * 9 * 9); /* at most (z, n, x, t_x) patterns */
    for (size_t i = 0; i < rows.data.n; i++)
        sum += rows.data.w[i];
    assert_float_equal(sum, NB, 0);
    refit_from_away(&cv_model_bgbb, &rows, &BFIT);
    cv_cov_boot_rows_free(&rows);
}

/* cv_model_intervals of the BG/BB fit f on its n customers: the totals of P(alive) and
   E[Y(5)], and the parameters'. */
static void run_bgbb(const cv_cov_fit *f, size_t n, int method, size_t draws, uint64_t seed,
                     cv_model_interval_totals *tot)
{
    const char *names[2] = {"trans.z", "life.z"}, *cols[2] = {"z", "z"};
    cv_table *s =
        tbl(fcol("x", BX, n), fcol("t_x", BTX, n), fcol("T", BT, n), fcol("z", BZ, n), NULL);
    cv_model_interval_spec sp;
    cv_interval_options o = {method, 0.9, draws, seed};
    cv_error err;
    memset(&sp, 0, sizeof sp);
    sp.tx.model = &cv_model_bgbb, sp.tx.p = f->est, sp.tx.cov_log = f->cov;
    sp.tx.cov = &BSPEC, sp.tx.cov_names = names, sp.tx.cov_cols = cols, sp.tx.data = s;
    sp.kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL, sp.horizon = 5;
    cv_table *t = cv_model_intervals(&sp, s, NULL, &o, tot, &err);
    if (!t)
        fail_msg("%s", err.msg);
    cv_table_free(t);
    cv_table_free(s);
}

/* Seeded; each interval holds its estimate and is within a factor 2 of the asymptotic one. */
static void test_bgbb_bootstrap(void **state)
{
    cv_model_interval_totals b1, b2, b3, as;
    (void)state;
    run_bgbb(&BFIT, NB, CV_INTERVAL_BOOTSTRAP, 4, 5, &b1);
    run_bgbb(&BFIT, NB, CV_INTERVAL_BOOTSTRAP, 4, 5, &b2);
    run_bgbb(&BFIT, NB, CV_INTERVAL_BOOTSTRAP, 4, 6, &b3);
    assert_memory_equal(b1.lo, b2.lo, sizeof b1.lo);
    assert_memory_equal(b1.hi, b2.hi, sizeof b1.hi);
    assert_memory_equal(b1.p_lo, b2.p_lo, sizeof b1.p_lo);
    assert_memory_equal(b1.p_hi, b2.p_hi, sizeof b1.p_hi);
    assert_true(b3.p_lo[4] != b1.p_lo[4] && b3.lo[0] != b1.lo[0]);
    run_bgbb(&BFIT, NB, CV_INTERVAL_BOOTSTRAP, 200, 5, &b1);
    run_bgbb(&BFIT, NB, CV_INTERVAL_ASYMPTOTIC, 1000, 5, &as);
    assert_int_equal(b1.used, 200);
    assert_int_equal(b1.np, 6);
    for (int a = 0; a < 6; a++) {
        double wb = b1.p_hi[a] - b1.p_lo[a], wa = as.p_hi[a] - as.p_lo[a];
        if (!(b1.p_lo[a] < BFIT.est[a] && BFIT.est[a] < b1.p_hi[a]))
            fail_msg("%s: %g outside the bootstrap's [%g, %g]", b1.names[a], BFIT.est[a],
                     b1.p_lo[a], b1.p_hi[a]);
        if (!(wb > 0.5 * wa && wb < 2.0 * wa))
            fail_msg("%s: bootstrap width %g, asymptotic %g", b1.names[a], wb, wa);
    }
    for (int k = 0; k < 2; k++) {
        double wb = b1.hi[k] - b1.lo[k], wa = as.hi[k] - as.lo[k];
        assert_true(b1.lo[k] < b1.est[k] && b1.est[k] < b1.hi[k]);
        assert_float_equal(b1.est[k], as.est[k], 1e-9 * as.est[k]);
        if (!(wb > 0.5 * wa && wb < 2.0 * wa))
            fail_msg("total %d: bootstrap width %g, asymptotic %g", k, wb, wa);
    }
}

/* The customers copied COPIES = 4 times: the likelihood is 4 times the original, so the
   estimates are the same and the asymptotic covariance a quarter (standard errors halved);
   a bootstrap resample is then 4N customers drawn from the same empirical distribution, so
   its spread is half (1/sqrt(n)). */
static void test_bgbb_replicated(void **state)
{
    cv_model_interval_totals b1, b4;
    (void)state;
    for (int i = 0; i < 6; i++) {
        assert_float_equal(BFIT4.est[i], BFIT.est[i], 1e-6 * fmax(1.0, fabs(BFIT.est[i])));
        assert_float_equal(BFIT4.se[i], 0.5 * BFIT.se[i], 1e-4 * BFIT.se[i]);
    }
    /* Each ratio of widths within 0.5 +- 15%: with 1000 refits a 90% percentile interval's
       width has a Monte Carlo error of about 2.9% (each quantile's standard error
       sqrt(0.05 0.95 / 1000) / phi(1.645) = 0.067 sd, the width 3.29 sd), a ratio of two
       independent ones 4.1%: 15% is 3.5 of those. Seen: 0.467 (delta) to 0.540 (the total
       P(alive), relative to its estimate); the parameters' intervals on their natural scale
       are a little skewed at N = 2000 (beta, delta), less so at 4N. */
    run_bgbb(&BFIT, NB, CV_INTERVAL_BOOTSTRAP, 1000, 7, &b1);
    run_bgbb(&BFIT4, NB * COPIES, CV_INTERVAL_BOOTSTRAP, 1000, 8, &b4);
    assert_true(b1.used == 1000 && b4.used == 1000);
    for (int a = 0; a < 6; a++) {
        double ratio = (b4.p_hi[a] - b4.p_lo[a]) / (b1.p_hi[a] - b1.p_lo[a]);
        if (!(fabs(ratio - 0.5) <= 0.075))
            fail_msg("%s: bootstrap width %g with 4 copies, %g without: ratio %g", b1.names[a],
                     b4.p_hi[a] - b4.p_lo[a], b1.p_hi[a] - b1.p_lo[a], ratio);
    }
    for (int k = 0; k < 2; k++) { /* the totals relative to their estimates (4 times) */
        double ratio = (b4.hi[k] - b4.lo[k]) / b4.est[k] / ((b1.hi[k] - b1.lo[k]) / b1.est[k]);
        assert_float_equal(b4.est[k], COPIES * b1.est[k], 1e-6 * b4.est[k]);
        if (!(fabs(ratio - 0.5) <= 0.075))
            fail_msg("total %d: relative width ratio %g", k, ratio);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refit_reproduces_fit),
        cmocka_unit_test(test_bootstrap),
    };
    const struct CMUnitTest bgbb[] = {
        cmocka_unit_test(test_bgbb_refit_reproduces_fit),
        cmocka_unit_test(test_bgbb_bootstrap),
        cmocka_unit_test(test_bgbb_replicated),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    return rc | cmocka_run_group_tests(bgbb, setup_bgbb, teardown_bgbb);
}
