/* Unit tests of cv_dyncov_simulate (src/core/model_dyncov_sim.c): with coefficients 0 the
   draws are the Pareto/NBD's (cv_model_simulate, the same seed) to rounding; with a season
   covariate on both processes and a static one on the purchases, the mean repeat purchases of
   new customers over 52 weeks against cv_dyncov_expected's closed form (an independent
   computation: the expectation integrated piece by piece) within 4 standard errors, for
   three arrival offsets; the errors. Small enough to run under memcheck. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/dyncov_sim.h"

enum { NMAX = 30000, NPER = 60 };
static double T[NMAX], X0[NMAX], PS[NMAX * NPER], Z[NMAX * NPER * 2];
static size_t PBEG[NMAX + 1], TBEG[NMAX + 1];

/* n customers: customer i arrives at week b = 0.4 (i % 3) of the calendar and is observed
   for T[i] = t (or, t < 0, 10 + i % 30) weeks; its weekly periods start at k - b, k = 0 ..
   NPER - 1, with the covariates season(k) = (k / 13) % 2 and g = 1 for i % 3 == 2. */
static cv_dyncov_data data(size_t n, double t)
{
    cv_dyncov_data d;
    size_t q = 0;
    for (size_t i = 0; i < n; i++) {
        double b = 0.4 * (double)(i % 3);
        PBEG[i] = q, TBEG[i] = 0;
        T[i] = t >= 0 ? t : 10.0 + (double)(i % 30), X0[i] = 0.0;
        for (int k = 0; k < NPER; k++, q++) {
            PS[q] = k - b;
            Z[2 * q] = (double)((k / 13) % 2), Z[2 * q + 1] = i % 3 == 2;
        }
    }
    PBEG[n] = q, TBEG[n] = 0;
    memset(&d, 0, sizeof d);
    d.n = n, d.ncov = 2, d.x = X0, d.t_x = X0, d.T = T, d.tbeg = TBEG, d.ttime = X0;
    d.pbeg = PBEG, d.pstart = PS, d.z = Z;
    return d;
}

static const unsigned PROC[3] = {CV_COV_TRANS, CV_COV_LIFE, CV_COV_TRANS};
static const size_t COL[3] = {0, 0, 1};

static void test_dyncov_sim_zero_is_pnbd(void **state)
{
    (void)state;
    const size_t n = 3000;
    const double p[4] = {0.9, 8.0, 0.7, 12.0};
    double th[7] = {log(p[0]), log(p[1]), log(p[2]), log(p[3]), 0.0, 0.0, 0.0}, pe[4];
    static double x[NMAX], tx[NMAX];
    cv_dyncov_spec spec = {3, PROC, COL};
    cv_dyncov_data d = data(n, -1.0);
    cv_dyncov_draws dr;
    cv_error err;
    size_t diff = 0;
    for (int j = 0; j < 4; j++)
        pe[j] = exp(th[j]); /* the parameters as the simulator sees them */
    assert_int_equal(cv_dyncov_simulate(&d, &spec, th, 42, &dr, &err), 0);
    assert_int_equal(cv_model_simulate(&cv_model_pareto_nbd, pe, n, 42, T, x, tx, NULL, &err), 0);
    for (size_t i = 0; i < n; i++) {
        diff += dr.x[i] != x[i];
        assert_true(fabs(dr.t_x[i] - tx[i]) <= 1e-9 * (1.0 + tx[i]));
        assert_int_equal(dr.tbeg[i + 1] - dr.tbeg[i], (size_t)dr.x[i]);
        if (dr.x[i] > 0)
            assert_true(dr.ttime[dr.tbeg[i + 1] - 1] == dr.t_x[i]);
    }
    assert_int_equal(diff, 0);
    cv_dyncov_draws_free(&dr);
}

static void test_dyncov_sim_mean(void **state)
{
    (void)state;
    const size_t n = NMAX;
    const double th[7] = {log(0.9), log(8.0), log(0.7), log(12.0), 0.8, 0.6, 0.4};
    cv_dyncov_spec spec = {3, PROC, COL};
    cv_dyncov_data d = data(n, 52.0), d0;
    cv_dyncov_draws dr;
    cv_error err;
    double ex[3], zero[3] = {0, 0, 0};
    /* the expectation of a new customer (x = 0, T = 0) of each offset over (0, 52] */
    d0 = d;
    d0.n = 3, d0.T = zero;
    cv_dyncov_prep *pp = cv_dyncov_prepare(&d0, &err);
    assert_non_null(pp);
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &d0, 52.0, ex, &err), 0);
    cv_dyncov_prep_free(pp);
    assert_int_equal(cv_dyncov_simulate(&d, &spec, th, 7, &dr, &err), 0);
    for (int g = 0; g < 3; g++) {
        double s = 0.0, s2 = 0.0, k = 0.0;
        for (size_t i = (size_t)g; i < n; i += 3)
            s += dr.x[i] - ex[g], s2 += (dr.x[i] - ex[g]) * (dr.x[i] - ex[g]), k += 1.0;
        double se = sqrt(s2 - s * s / k);
        print_message("# offset %d: mean %.4f, E %.4f, %.2f SE\n", g, ex[g] + s / k, ex[g], s / se);
        assert_true(fabs(s) < 4.0 * se);
    }
    assert_true(ex[2] > ex[0] * 1.3); /* the static covariate exp(0.4) on the purchases */
    cv_dyncov_draws_free(&dr);
}

static void test_dyncov_sim_errors(void **state)
{
    (void)state;
    double th[7] = {0, 0, 0, 0, 0.1, 0.1, 0.1};
    cv_dyncov_spec spec = {3, PROC, COL};
    cv_dyncov_data d = data(3, 70.0); /* past the last period (ends at 60 - b) */
    cv_dyncov_draws dr;
    cv_error err;
    assert_int_equal(cv_dyncov_simulate(&d, &spec, th, 1, &dr, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "customer 1: the periods do not cover 0 to T = 70 without gaps");
    d = data(3, 20.0);
    PS[PBEG[1] + 4] += 0.5; /* a gap in customer 2's periods */
    assert_int_equal(cv_dyncov_simulate(&d, &spec, th, 1, &dr, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "customer 2: the periods do not cover 0 to T = 20 without gaps");
    d = data(3, 20.0);
    Z[2 * (PBEG[2] + 3)] = NAN;
    assert_int_equal(cv_dyncov_simulate(&d, &spec, th, 1, &dr, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "customer 3: covariate 1 is not finite in period 4");
    d = data(3, 20.0);
    th[1] = INFINITY;
    assert_int_equal(cv_dyncov_simulate(&d, &spec, th, 1, &dr, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "dyncov: parameter 2 is not finite");
}

/* The likelihood of a purchase on the start of a period where the covariates change is
   continuous there: a rounding sliver of a piece (t_x one ulp or 1e-12 before the period's
   start) gave a NaN before (found by the simulation: model_dyncov.c's add_pieces). */
static void test_dyncov_sim_purchase_on_period_start(void **state)
{
    (void)state;
    const double th[7] = {log(0.8), log(6.0), log(0.8), log(15.0), 0.5, -0.6, 0.4};
    double ll[3], ps[67], z[134], x = 1.0, T0 = 65.0, tt;
    size_t pb[2] = {0, 67}, tb[2] = {0, 1};
    cv_dyncov_spec spec = {3, PROC, COL};
    cv_error err;
    for (int k = 0; k < 67; k++)
        ps[k] = -6.0 / 7.0 + k, z[2 * k] = (double)(((k + 12) / 13) % 2), z[2 * k + 1] = 1.0;
    for (int j = 0; j < 3; j++) {
        cv_dyncov_data d;
        memset(&d, 0, sizeof d);
        tt = 1.0 / 7.0 + (j - 1) * 1e-12;
        d.n = 1, d.ncov = 2, d.x = &x, d.t_x = &tt, d.T = &T0, d.tbeg = tb, d.ttime = &tt;
        d.pbeg = pb, d.pstart = ps, d.z = z;
        cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
        assert_non_null(pp);
        assert_int_equal(cv_dyncov_loglik(pp, &spec, th, &ll[j], NULL, &err), 0);
        cv_dyncov_prep_free(pp);
    }
    assert_true(isfinite(ll[0]) && isfinite(ll[1]) && isfinite(ll[2]));
    assert_true(fabs(ll[0] - ll[2]) < 1e-9 && fabs(ll[1] - ll[2]) < 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dyncov_sim_zero_is_pnbd),
        cmocka_unit_test(test_dyncov_sim_mean),
        cmocka_unit_test(test_dyncov_sim_errors),
        cmocka_unit_test(test_dyncov_sim_purchase_on_period_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
