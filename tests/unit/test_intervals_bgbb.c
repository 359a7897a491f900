/* Tests of the asymptotic intervals of the BG/BB's predictions (src/core/model_interval.c,
   interval.c; docs/models.md, "Intervals"): P(alive), E[transactions in the next n*
   periods] and DERT of each row and of the totals, without and with covariates (alpha_i =
   alpha e^(g_trans z), gamma_i = gamma e^(g_life z): model_cov.c). A covariance of 1e-30
   on the diagonal makes every draw the estimate to ~1e-15, so each interval collapses to
   the point prediction at the row's own parameters (computed here with cv_model_bgbb.predict
   and cv_cov_row_params) to 1e-12; a covariance of zeros is refused (not positive definite);
   the same seed gives the same bits, another seed other intervals; with a real covariance
   each point prediction lies inside its interval; CLV is refused for the BG/BB. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/covariates.h"
#include "cvkit/intervals.h"
#include "table_build.h"

#define NR 6
#define HORIZON 5.0 /* n*: periods after the n observed */
#define DELTA 0.1   /* DERT's discount rate per period */

/* rows: (x, t_x, n); rows 0 and 4 alike (one distinct row, two customers) */
static const double X[NR] = {0, 1, 3, 6, 0, 2}, TX[NR] = {0, 1, 5, 6, 0, 4};
static const double N[NR] = {6, 6, 6, 6, 6, 5}, Z[NR] = {0, 1, 0, 1, 0, 1};
static const double P[6] = {1.2035, 0.7497, 0.6567, 2.7834, 0.4, -0.3};

static double col_at(const cv_table *t, const char *name, int i)
{
    cv_error err;
    cv_column *c = cv_table_col(t, name, &err);
    assert_non_null(c);
    return cv_column_float(c, i);
}

static cv_table *panel(void)
{
    return tbl(fcol("x", X, NR), fcol("t_x", TX, NR), fcol("T", N, NR), fcol("z", Z, NR), NULL);
}

/* The spec of a BG/BB with (cov != NULL) or without covariates; covariance var * I. */
static void bgbb_spec(cv_model_interval_spec *sp, const cv_cov_spec *cov, double *covm, double var)
{
    static const char *const names[2] = {"trans.z", "life.z"};
    int k = cov ? 6 : 4, a;
    memset(sp, 0, sizeof *sp);
    memset(covm, 0, sizeof(double) * 36);
    for (a = 0; a < k; a++)
        covm[a * (k + 1)] = var;
    sp->tx.model = &cv_model_bgbb, sp->tx.p = P, sp->tx.cov_log = covm;
    sp->tx.cov = cov, sp->tx.cov_names = cov ? names : NULL;
    sp->kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL | CV_IV_DERT;
    sp->horizon = HORIZON, sp->delta = DELTA;
}

/* The point predictions of row i (kind 0, 1, 2) at its own parameters. */
static double point(const cv_cov_spec *cov, int i, int kind)
{
    static const cv_pred pred[3] = {CV_PRED_P_ALIVE, CV_PRED_CONDITIONAL, CV_PRED_DERT};
    static const double arg[3] = {0, HORIZON, DELTA};
    double pi[4];
    cv_cov_row_params(&cv_model_bgbb, P, cov, (size_t)i, pi);
    return cv_model_bgbb.predict(pi, pred[kind], X[i], TX[i], N[i], 0, arg[kind], 0);
}

static const char *const LO[3] = {"p_alive_lo", "conditional_lo", "dert_lo"};
static const char *const HI[3] = {"p_alive_hi", "conditional_hi", "dert_hi"};

/* Tiny covariance: every interval is its point prediction to 1e-12 (relative), per row and
   for the totals; zeros are refused. */
static void collapse(const cv_cov_spec *cov)
{
    cv_model_interval_spec sp;
    cv_model_interval_totals tot;
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 200, 3};
    double covm[36];
    cv_error err;
    cv_table *s = panel(), *t;
    int i, k;
    bgbb_spec(&sp, cov, covm, 1e-30);
    t = cv_model_intervals(&sp, s, NULL, &o, &tot, &err);
    assert_non_null(t);
    assert_int_equal(tot.used, 200);
    assert_int_equal(tot.np, cov ? 6 : 4);
    for (k = 0; k < 3; k++) {
        double sum = 0;
        for (i = 0; i < NR; i++) {
            double y = point(cov, i, k), tol = 1e-12 * (fabs(y) > 1 ? fabs(y) : 1);
            assert_true(y > 0 && isfinite(y));
            sum += y;
            assert_float_equal(col_at(t, LO[k], i), y, tol);
            assert_float_equal(col_at(t, HI[k], i), y, tol);
        }
        assert_float_equal(tot.est[k], sum, 1e-12 * sum);
        assert_float_equal(tot.lo[k], sum, 1e-12 * sum);
        assert_float_equal(tot.hi[k], sum, 1e-12 * sum);
    }
    for (i = 0; i < tot.np; i++) {
        assert_float_equal(tot.p_lo[i], P[i], 1e-12 * fabs(P[i]));
        assert_float_equal(tot.p_hi[i], P[i], 1e-12 * fabs(P[i]));
    }
    cv_table_free(t);
    bgbb_spec(&sp, cov, covm, 0.0);
    assert_null(cv_model_intervals(&sp, s, NULL, &o, &tot, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "not positive definite"));
    cv_table_free(s);
}

static void test_collapse_plain(void **state)
{
    (void)state;
    collapse(NULL);
}

static void test_collapse_covariates(void **state)
{
    (void)state;
    const double *zz[2] = {Z, Z};
    unsigned proc[2] = {CV_COV_TRANS, CV_COV_LIFE};
    cv_cov_spec spec = {2, proc, zz};
    double pa[4], pb[4];
    /* the covariate moves the z = 1 rows' parameters: alpha and gamma only */
    cv_cov_row_params(&cv_model_bgbb, P, &spec, 1, pa);
    cv_cov_row_params(&cv_model_bgbb, P, &spec, 0, pb);
    assert_float_equal(pa[0], P[0] * exp(0.4), 1e-15);
    assert_float_equal(pa[2], P[2] * exp(-0.3), 1e-15);
    assert_true(pa[1] == P[1] && pa[3] == P[3] && pb[0] == P[0] && pb[2] == P[2]);
    collapse(&spec);
}

/* A real covariance: the same seed, the same bits; another seed, other intervals; each
   point prediction inside its interval. */
static void reproducible(const cv_cov_spec *cov)
{
    cv_model_interval_spec sp;
    cv_model_interval_totals t1, t2, t3;
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 300, 7};
    double covm[36];
    cv_error err;
    cv_table *s = panel(), *a, *b, *c;
    int i, k, differ = 0;
    bgbb_spec(&sp, cov, covm, 0.01);
    a = cv_model_intervals(&sp, s, NULL, &o, &t1, &err);
    b = cv_model_intervals(&sp, s, NULL, &o, &t2, &err);
    o.seed = 8;
    c = cv_model_intervals(&sp, s, NULL, &o, &t3, &err);
    assert_non_null(a), assert_non_null(b), assert_non_null(c);
    assert_int_equal(t1.used, 300);
    for (k = 0; k < 3; k++) {
        assert_memory_equal(&t1.lo[k], &t2.lo[k], sizeof(double));
        assert_memory_equal(&t1.hi[k], &t2.hi[k], sizeof(double));
        differ += t1.lo[k] != t3.lo[k];
        assert_true(t1.lo[k] < t1.est[k] && t1.est[k] < t1.hi[k]);
        for (i = 0; i < NR; i++) {
            double y = point(cov, i, k);
            assert_true(col_at(a, LO[k], i) == col_at(b, LO[k], i));
            assert_true(col_at(a, HI[k], i) == col_at(b, HI[k], i));
            assert_true(col_at(a, LO[k], i) < y && y < col_at(a, HI[k], i));
        }
        /* rows 0 and 4 (same history and covariate) share their interval */
        assert_true(col_at(a, LO[k], 0) == col_at(a, LO[k], 4));
    }
    assert_int_equal(differ, 3);
    if (cov) { /* the coefficients' intervals: 0.4 and -0.3 -+ 1.645 x 0.1, about */
        assert_true(t1.p_lo[4] < P[4] && P[4] < t1.p_hi[4] && t1.p_hi[5] < 0.0);
        assert_true(t1.p_lo[5] < P[5] && P[5] < t1.p_hi[5] && t1.p_lo[4] > 0.0);
    }
    cv_table_free(a), cv_table_free(b), cv_table_free(c);
    /* CLV: not a BG/BB prediction */
    sp.kinds = CV_IV_CLV;
    assert_null(cv_model_intervals(&sp, s, NULL, &o, &t1, &err));
    assert_string_equal(err.msg, "clv needs a model of purchases over time (bgnbd, mbgnbd, "
                                 "pareto_nbd), not bgbb");
    cv_table_free(s);
}

static void test_reproducible_plain(void **state)
{
    (void)state;
    reproducible(NULL);
}

static void test_reproducible_covariates(void **state)
{
    (void)state;
    const double *zz[2] = {Z, Z};
    unsigned proc[2] = {CV_COV_TRANS, CV_COV_LIFE};
    cv_cov_spec spec = {2, proc, zz};
    reproducible(&spec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collapse_plain),
        cmocka_unit_test(test_collapse_covariates),
        cmocka_unit_test(test_reproducible_plain),
        cmocka_unit_test(test_reproducible_covariates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
