/* Tests of the intervals of models with covariates (src/core/model_interval.c, interval.c,
   model_cov.c's cv_cov_patterns): the patterns of covariate columns by hand; a parameter
   drawn on its own scale (a coefficient) has the normal's closed-form quantiles, negative
   values included; the table job with a 0/1 covariate on a BG/NBD and a Gamma-Gamma against
   each customer's own parameters (the rows of one pattern share the interval, the two
   patterns' differ), the customers at 0 with the interval of the model without covariates;
   CLV at a finite horizon; the bootstrap without the fit's data refused with its message. */
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

#define Z95 1.6448536269514722 /* the 95% quantile of the standard normal */

static void test_patterns(void **state)
{
    (void)state;
    double a[6] = {0, 1, 0, 1, -0.0, 2}, b[6] = {5, 5, 5, 6, 5, 5};
    const double *z[3] = {a, b, a}; /* a twice: one column */
    unsigned proc[3] = {CV_COV_TRANS, CV_COV_LIFE, CV_COV_LIFE};
    cv_cov_spec spec = {3, proc, z};
    uint32_t pid[6];
    assert_int_equal(cv_cov_patterns(&spec, 6, pid), 4);
    uint32_t want[6] = {0, 1, 0, 2, 0, 3}; /* -0.0 is 0.0 */
    assert_memory_equal(pid, want, sizeof want);
    assert_int_equal(cv_cov_patterns(NULL, 6, pid), 1);
    assert_int_equal(pid[5], 0);
    assert_int_equal(cv_cov_patterns(&spec, 0, pid), 0);
}

static int lin_predict(void *ctx, const double *p, double *out)
{
    (void)ctx;
    out[0] = p[0], out[1] = p[1];
    return 0;
}

/* est (2, -0.5), cov diag (0.04, 0.09), the second linear: log p0 ~ N(log 2, 0.2^2), p1 ~
   N(-0.5, 0.3^2). */
static void test_linear_parameter(void **state)
{
    (void)state;
    double est[2] = {2.0, -0.5}, cov[4] = {0.04, 0, 0, 0.09};
    cv_interval_problem pb;
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 20000, 11};
    cv_interval_result r;
    cv_error err;
    memset(&pb, 0, sizeof pb);
    pb.np = 2, pb.est = est, pb.cov_log = cov, pb.nout = 2, pb.predict = lin_predict;
    /* not linear: a negative estimate is refused */
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "intervals: parameter 2 = -0.5 must be positive");
    pb.linear = 2u;
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), 0);
    assert_int_equal(r.used, 20000);
    /* 20,000 draws: a quantile's standard error about 0.012 sd */
    assert_float_equal(r.lo[1], -0.5 - Z95 * 0.3, 0.05 * 0.3);
    assert_float_equal(r.hi[1], -0.5 + Z95 * 0.3, 0.05 * 0.3);
    assert_float_equal(r.p_lo[1], r.lo[1], 0);
    assert_float_equal(log(r.lo[0]), log(2.0) - Z95 * 0.2, 0.05 * 0.2);
    assert_float_equal(log(r.hi[0]), log(2.0) + Z95 * 0.2, 0.05 * 0.2);
    cv_interval_result_free(&r);
}

static double col_at(const cv_table *t, const char *name, int i)
{
    cv_error err;
    cv_column *c = cv_table_col(t, name, &err);
    assert_non_null(c);
    return cv_column_float(c, i);
}

/* The BG/NBD's discounted transactions of the next 52 periods of a customer alive:
   sum_t 1.01^-t (E[Y(t) | alive] - E[Y(t-1) | alive]). */
static double dtx52(const double *p, double x, double T)
{
    double sum = 0, prev = 0;
    for (int t = 1; t <= 52; t++) {
        double a = cv_model_bgnbd.predict(p, CV_PRED_CONDITIONAL_ALIVE, x, T, T, 0, t, 0);
        sum += pow(1.01, -t) * (a - prev);
        prev = a;
    }
    return sum;
}

static void test_table_job_covariates(void **state)
{
    (void)state;
    /* rows 0, 1: the same (x, t_x, T, m), z 0 and 1; row 2 = row 0; row 3 another */
    double x[4] = {2, 2, 2, 4}, tx[4] = {30, 30, 30, 20}, T[4] = {39, 39, 39, 39};
    double m[4] = {20, 20, 20, 35}, z[4] = {0, 1, 0, 1}, f[4] = {1, 1, 1, 1};
    double p[6] = {0.243, 4.414, 0.793, 2.426, 0.4, -0.3}, cov[36] = {0};
    double g[4] = {6.25, 3.74, 15.44, 0.2}, gcov[16] = {0};
    const double *zz[2] = {z, z};
    unsigned proc[2] = {CV_COV_TRANS, CV_COV_LIFE}, gproc[1] = {CV_COV_SPEND};
    const char *names[2] = {"trans.z", "life.z"}, *gnames[1] = {"spend.z"};
    cv_cov_spec spec = {2, proc, zz}, gspec = {1, gproc, zz};
    cv_table *s = tbl(fcol("x", x, 4), fcol("t_x", tx, 4), fcol("T", T, 4),
                      fcol("mean_repeat_spend", m, 4), fcol("z", z, 4), fcol("f", f, 4), NULL);
    cv_model_interval_spec sp;
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 300, 5};
    cv_model_interval_totals tot, tot0;
    cv_error err;
    int a, i;
    memset(&sp, 0, sizeof sp);
    for (a = 0; a < 6; a++)
        cov[a * 7] = a < 4 ? 0.01 : 0.04;
    for (a = 0; a < 4; a++)
        gcov[a * 5] = a < 3 ? 0.02 : 0.01;
    sp.tx.model = &cv_model_bgnbd, sp.tx.p = p, sp.tx.cov_log = cov;
    sp.tx.cov = &spec, sp.tx.cov_names = names;
    sp.spend.model = &cv_model_gamma_gamma, sp.spend.p = g, sp.spend.cov_log = gcov;
    sp.spend.cov = &gspec, sp.spend.cov_names = gnames;
    sp.kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL | CV_IV_SPEND | CV_IV_CLV;
    sp.horizon = 39, sp.clv_horizon = 52, sp.clv_rate = 0.01, sp.clv_factor = "f";
    cv_table *t = cv_model_intervals(&sp, s, NULL, &o, &tot, &err);
    assert_non_null(t);
    assert_int_equal(tot.np, 10);
    assert_string_equal(tot.names[4], "trans.z");
    assert_string_equal(tot.names[9], "spend.z");
    assert_true(tot.p_lo[5] < -0.3 && -0.3 < tot.p_hi[5]); /* a negative coefficient */
    double sum = 0, clv = 0;
    for (i = 0; i < 4; i++) {
        double pi[4], gi[3];
        cv_cov_row_params(&cv_model_bgnbd, p, &spec, (size_t)i, pi);
        cv_cov_row_params(&cv_model_gamma_gamma, g, &gspec, (size_t)i, gi);
        double e = cv_model_bgnbd.predict(pi, CV_PRED_CONDITIONAL, x[i], tx[i], T[i], 0, 39, 0);
        double c = cv_model_bgnbd.predict(pi, CV_PRED_P_ALIVE, x[i], tx[i], T[i], 0, 0, 0) *
                   dtx52(pi, x[i], T[i]) *
                   cv_model_gamma_gamma.predict(gi, CV_PRED_SPEND, x[i], 0, 0, m[i], 0, 0);
        sum += e, clv += c;
        assert_true(col_at(t, "conditional_lo", i) < e && e < col_at(t, "conditional_hi", i));
        assert_true(col_at(t, "clv_lo", i) < c && c < col_at(t, "clv_hi", i));
    }
    assert_float_equal(tot.est[1], sum, 1e-12 * sum);
    assert_float_equal(tot.est[4], clv, 1e-9 * clv);
    /* one pattern, one interval; the other pattern another */
    assert_float_equal(col_at(t, "conditional_lo", 0), col_at(t, "conditional_lo", 2), 0);
    assert_true(col_at(t, "conditional_lo", 0) != col_at(t, "conditional_lo", 1));
    assert_true(col_at(t, "spend_hi", 0) != col_at(t, "spend_hi", 1));
    /* z = 0: the interval of the model without covariates (the first block of the
       Cholesky factor is that of the parameters' own covariance; same seed) */
    {
        cv_model_interval_spec s0 = sp;
        double cov4[16] = {0};
        for (a = 0; a < 4; a++)
            cov4[a * 5] = 0.01;
        s0.tx.cov = NULL, s0.tx.cov_log = cov4;
        s0.spend.model = NULL, s0.spend.cov = NULL;
        s0.kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL;
        sp.spend.model = NULL, sp.spend.cov = NULL;
        sp.kinds = s0.kinds;
        cv_table *t0 = cv_model_intervals(&s0, s, NULL, &o, &tot0, &err);
        cv_table *t1 = cv_model_intervals(&sp, s, NULL, &o, &tot, &err);
        assert_non_null(t0), assert_non_null(t1);
        assert_float_equal(col_at(t1, "p_alive_lo", 0), col_at(t0, "p_alive_lo", 0), 0);
        assert_float_equal(col_at(t1, "conditional_hi", 2), col_at(t0, "conditional_hi", 2), 0);
        assert_true(col_at(t1, "conditional_hi", 1) != col_at(t0, "conditional_hi", 1));
        cv_table_free(t0), cv_table_free(t1);
    }
    /* the bootstrap needs the fit's data (tests/unit/test_cov_boot.c runs it) */
    o.method = CV_INTERVAL_BOOTSTRAP;
    assert_null(cv_model_intervals(&sp, s, NULL, &o, &tot, &err));
    assert_string_equal(err.msg, "bgnbd: the bootstrap needs the data the model was fitted on");
    /* a model without covariates given some */
    o.method = CV_INTERVAL_ASYMPTOTIC;
    sp.tx.model = &cv_model_nbd;
    sp.kinds = 0;
    assert_null(cv_model_intervals(&sp, s, NULL, &o, &tot, &err));
    assert_string_equal(err.msg, "intervals: nbd takes no covariates");
    cv_table_free(t);
    cv_table_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patterns),
        cmocka_unit_test(test_linear_parameter),
        cmocka_unit_test(test_table_job_covariates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
