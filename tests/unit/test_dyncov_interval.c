/* Unit tests of cv_dyncov_intervals (src/core/model_dyncov_interval.c): with every covariate 0
   (the coefficients do nothing) and the covariance of (log r, log alpha, log s, log beta)
   that of the plain Pareto/NBD, the intervals of P(alive), the conditional expectation, DERT
   and CLV of each customer and of the totals are cv_model_intervals' for the Pareto/NBD with
   the same seed (to 1e-9), and so is CLV with a Gamma-Gamma spend model drawn beside; the
   estimate lies inside; the bootstrap without the fit's customers, spend and a spend model
   with covariates are refused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/dyncov.h"
#include "cvkit/intervals.h"
#include "cvkit/models.h"

#include "dyncov_fixture.h"
#include "table_build.h"

static double col_at(const cv_table *t, const char *name, int i)
{
    cv_error err;
    cv_column *c = cv_table_col(t, name, &err);
    assert_non_null(c);
    return cv_column_float(c, i);
}

static void test_static_reduction(void **state)
{
    static const char *const kn[4] = {"p_alive", "conditional", "dert", "clv"};
    static const int kb[4] = {0, 1, 2, 4};
    cv_dyncov_data d = data(0);
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_error err;
    const double p[4] = {0.8, 5.0, 0.9, 9.0}, est[6] = {0.8, 5.0, 0.9, 9.0, 0.4, -0.3};
    double cov4[16] = {0}, cov6[36] = {0};
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 400, 7};
    cv_dyncov_interval_spec ds;
    cv_model_interval_spec sp;
    cv_model_interval_totals tot;
    cv_interval_result r;
    cv_dyncov_prep *pp;
    cv_table *s, *t;
    (void)state;
    for (int q = 0; q < N * NP; q++)
        Z[q] = 0.0; /* the coefficients do nothing */
    pp = cv_dyncov_prepare(&d, &err);
    assert_non_null(pp);
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            cov4[a * 4 + b] = cov6[a * 6 + b] = a == b ? 0.04 : 0.01;
    cov6[4 * 6 + 4] = cov6[5 * 6 + 5] = 0.09, cov6[4 * 6 + 5] = cov6[5 * 6 + 4] = 0.02;
    memset(&ds, 0, sizeof ds);
    ds.kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL | CV_IV_DERT | CV_IV_CLV;
    ds.cond = &d, ds.horizon = 6.0, ds.delta = 0.02, ds.clv_horizon = INFINITY;
    ds.clv_rate = 0.01;
    assert_int_equal(cv_dyncov_intervals(pp, &spec, est, cov6, &ds, &o, &r, &err), 0);
    s = tbl(fcol("x", X, N), fcol("t_x", TX, N), fcol("T", T, N), NULL);
    memset(&sp, 0, sizeof sp);
    sp.tx.model = &cv_model_pareto_nbd, sp.tx.p = p, sp.tx.cov_log = cov4;
    sp.kinds = ds.kinds, sp.horizon = 6.0, sp.delta = 0.02, sp.clv_horizon = INFINITY;
    sp.clv_rate = 0.01;
    t = cv_model_intervals(&sp, s, NULL, &o, &tot, &err);
    assert_non_null(t);
    assert_int_equal(r.used, tot.used);
    for (int j = 0; j < 4; j++) {
        char lo[32], hi[32];
        strcpy(lo, kn[j]), strcat(lo, "_lo"), strcpy(hi, kn[j]), strcat(hi, "_hi");
        for (int i = 0; i < N; i++) {
            const double l = r.lo[j * N + i], h = r.hi[j * N + i], e = r.est[j * N + i];
            assert_true(fabs(l - col_at(t, lo, i)) <= 1e-9 * (1 + fabs(l)));
            assert_true(fabs(h - col_at(t, hi, i)) <= 1e-9 * (1 + fabs(h)));
            assert_true(l <= e && e <= h);
        }
        assert_true(fabs(r.lo[4 * N + j] - tot.lo[kb[j]]) <= 1e-9 * (1 + tot.lo[kb[j]]));
        assert_true(fabs(r.hi[4 * N + j] - tot.hi[kb[j]]) <= 1e-9 * (1 + tot.hi[kb[j]]));
        assert_true(fabs(r.est[4 * N + j] - tot.est[kb[j]]) <= 1e-9 * (1 + tot.est[kb[j]]));
    }
    for (int a = 0; a < 4; a++) {
        assert_true(fabs(r.p_lo[a] - tot.p_lo[a]) <= 1e-12 * tot.p_lo[a]);
        assert_true(fabs(r.p_hi[a] - tot.p_hi[a]) <= 1e-12 * tot.p_hi[a]);
    }
    cv_interval_result_free(&r);
    /* CLV with a Gamma-Gamma spend drawn beside (after the four, before the coefficients, as
       cv_model_intervals draws a spend model after the transaction model's parameters):
       each customer's CLV interval and the total's are the Pareto/NBD's with the same
       spend model (margin share 0.3 a column) to 1e-9 */
    {
        static const double M[N] = {0, 12.0, 30.5}, SH[N] = {0.3, 0.3, 0.3};
        const double pg[3] = {3.8, 4.5, 33.6},
                     cg[9] = {0.3, 0.2, 0.1, 0.2, 0.4, 0.1, 0.1, 0.1, 0.2};
        cv_model_cols cols = {"x", "t_x", "T", "m", NULL};
        cv_table *s2 = tbl(fcol("x", X, N), fcol("t_x", TX, N), fcol("T", T, N), fcol("m", M, N),
                           fcol("share", SH, N), NULL);
        cv_table *t2;
        ds.kinds = CV_IV_CLV, ds.value = SH, ds.sx = X, ds.sm = M;
        ds.spend.model = &cv_model_gamma_gamma, ds.spend.p = pg, ds.spend.cov_log = cg;
        assert_int_equal(cv_dyncov_intervals(pp, &spec, est, cov6, &ds, &o, &r, &err), 0);
        sp.kinds = CV_IV_CLV, sp.clv_factor = "share";
        sp.spend.model = &cv_model_gamma_gamma, sp.spend.p = pg, sp.spend.cov_log = cg;
        t2 = cv_model_intervals(&sp, s2, &cols, &o, &tot, &err);
        assert_non_null(t2);
        for (int i = 0; i < N; i++) {
            assert_true(fabs(r.lo[i] - col_at(t2, "clv_lo", i)) <= 1e-9 * (1 + fabs(r.lo[i])));
            assert_true(fabs(r.hi[i] - col_at(t2, "clv_hi", i)) <= 1e-9 * (1 + fabs(r.hi[i])));
        }
        assert_true(fabs(r.lo[N] - tot.lo[4]) <= 1e-9 * (1 + tot.lo[4]));
        assert_true(fabs(r.hi[N] - tot.hi[4]) <= 1e-9 * (1 + tot.hi[4]));
        for (int a = 0; a < 3; a++) /* the spend model's after the six of est */
            assert_true(fabs(r.p_lo[6 + a] - tot.p_lo[4 + a]) <= 1e-12 * tot.p_lo[4 + a]);
        cv_interval_result_free(&r);
        /* a spend model with covariates is refused */
        cv_cov_spec gcov = {1, NULL, NULL};
        ds.spend.cov = &gcov;
        assert_int_equal(cv_dyncov_intervals(pp, &spec, est, cov6, &ds, &o, &r, &err),
                         CV_ERR_USAGE);
        assert_non_null(strstr(err.msg, "must be a gamma_gamma without covariates"));
        memset(&ds.spend, 0, sizeof ds.spend);
        ds.value = NULL, ds.sx = ds.sm = NULL;
        ds.kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL | CV_IV_DERT | CV_IV_CLV;
        cv_table_free(t2);
        cv_table_free(s2);
    }
    /* refused: the bootstrap without the fit's customers, spend */
    o.method = CV_INTERVAL_BOOTSTRAP;
    assert_int_equal(cv_dyncov_intervals(pp, &spec, est, cov6, &ds, &o, &r, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "the bootstrap needs the customers"));
    o.method = CV_INTERVAL_ASYMPTOTIC, ds.kinds = CV_IV_SPEND;
    assert_int_equal(cv_dyncov_intervals(pp, &spec, est, cov6, &ds, &o, &r, &err), CV_ERR_USAGE);
    cv_table_free(t);
    cv_table_free(s);
    cv_dyncov_prep_free(pp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_static_reduction),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
