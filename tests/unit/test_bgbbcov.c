/* Unit tests of the BG/BB with covariates (src/core/model_cov.c: alpha_i = alpha exp(g_trans'z),
   gamma_i = gamma exp(g_life'z), beta and delta shared; docs/models.md, "BG/BB with
   covariates"): the analytic gradient against central differences, the reduction to the
   plain BG/BB, the parameters recovered from 20,000 simulated customers, the link by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/covariates.h"
#include "cvkit/models.h"

enum { N = 20000 };
static double X[N], TX[N], TT[N], Z1[N], Z2[N];

/* Fader, Hardie & Shang's donations (alpha, beta, gamma, delta), then trans z1, trans z2,
   life z1, life z2. */
static const double TRUTH[8] = {1.204, 0.750, 0.657, 2.783, 0.5, -0.3, -0.4, 0.25};

/* n customers with n = 6..11 opportunities, z1 a 0/1 dummy (share 0.4), z2 a standard
   normal, drawn from est (seed 7). */
static void draw(size_t n, const double *est, cv_cov_spec *spec, const double *cols[4],
                 unsigned proc[4])
{
    cv_rng rng;
    cv_error err;
    cv_rng_seed(&rng, 2010);
    for (size_t i = 0; i < n; i++) {
        Z1[i] = cv_rng_uniform(&rng) < 0.4 ? 1.0 : 0.0;
        Z2[i] = cv_rng_normal(&rng);
        TT[i] = 6.0 + (double)(i % 6);
    }
    cols[0] = Z1, cols[1] = Z2, cols[2] = Z1, cols[3] = Z2;
    proc[0] = proc[1] = CV_COV_TRANS;
    proc[2] = proc[3] = CV_COV_LIFE;
    spec->ncoef = 4, spec->proc = proc, spec->z = cols;
    assert_int_equal(cv_cov_simulate(&cv_model_bgbb, est, spec, n, 7, TT, X, TX, &err), 0);
}

/* d LL / d theta against Richardson-extrapolated central differences (h = 1e-3, 5e-4) away
   from the optimum: each of the 8 components to 1e-7 relative. */
static void test_gradient(void **state)
{
    const double *cols[4];
    unsigned proc[4];
    cv_cov_spec spec;
    cv_model_data d = {3000, X, TX, TT, NULL, NULL};
    double theta[8], g[8], ll, lp, lm, worst = 0.0;
    cv_error err;
    (void)state;
    draw(3000, TRUTH, &spec, cols, proc);
    for (int i = 0; i < 8; i++)
        theta[i] = (i < 4 ? log(TRUTH[i]) : TRUTH[i]) + 0.1 * (i % 3 - 1);
    assert_int_equal(cv_cov_loglik(&cv_model_bgbb, theta, &d, &spec, &ll, g, &err), 0);
    for (int i = 0; i < 8; i++) {
        double q[8], dh[2], fd, rel;
        for (int s = 0; s < 2; s++) {
            double h = s ? 5e-4 : 1e-3;
            memcpy(q, theta, sizeof q);
            q[i] = theta[i] + h;
            assert_int_equal(cv_cov_loglik(&cv_model_bgbb, q, &d, &spec, &lp, NULL, &err), 0);
            q[i] = theta[i] - h;
            assert_int_equal(cv_cov_loglik(&cv_model_bgbb, q, &d, &spec, &lm, NULL, &err), 0);
            dh[s] = (lp - lm) / (2.0 * h);
        }
        fd = (4.0 * dh[1] - dh[0]) / 3.0;
        rel = fabs(g[i] - fd) / (fabs(fd) + 1.0);
        worst = fmax(worst, rel);
        if (!(rel <= 1e-7))
            fail_msg("d/dtheta[%d]: analytic %.12g, finite difference %.12g", i, g[i], fd);
    }
    print_message("bgbb gradient: largest relative difference %.2g\n", worst);
}

/* Coefficients 0: the plain log-likelihood to 1e-12; no covariates: cv_model_fit's fit. */
static void test_reduces(void **state)
{
    const double *cols[4];
    unsigned proc[4];
    cv_cov_spec spec, none = {0, NULL, NULL};
    cv_model_data d = {N, X, TX, TT, NULL, NULL};
    double theta[8] = {0}, ll, ll0;
    cv_cov_fit cf;
    cv_fit f;
    cv_error err;
    (void)state;
    draw(N, TRUTH, &spec, cols, proc);
    for (int i = 0; i < 4; i++)
        theta[i] = log(TRUTH[i]);
    assert_int_equal(cv_cov_loglik(&cv_model_bgbb, theta, &d, &spec, &ll, NULL, &err), 0);
    assert_int_equal(cv_model_loglik(&cv_model_bgbb, TRUTH, &d, &ll0, NULL, &err), 0);
    assert_true(fabs(ll - ll0) <= 1e-12 * fabs(ll0));
    assert_int_equal(cv_model_fit(&cv_model_bgbb, &d, NULL, &f, &err), 0);
    assert_int_equal(cv_cov_model_fit(&cv_model_bgbb, &d, &none, &cf, &err), 0);
    assert_true(cf.loglik == f.loglik);
    for (int i = 0; i < 4; i++)
        assert_true(cf.est[i] == f.params[i]);
    cv_cov_fit_free(&cf);
}

/* 20,000 customers drawn from TRUTH: every estimate within 4 standard errors, the
   coefficients' standard errors below 0.15, the LR test against the plain BG/BB p < 1e-6. */
static void test_recovers_simulated(void **state)
{
    const double *cols[4];
    unsigned proc[4];
    cv_cov_spec spec;
    cv_model_data d = {N, X, TX, TT, NULL, NULL};
    cv_cov_fit cf;
    cv_error err;
    double stat, p;
    (void)state;
    draw(N, TRUTH, &spec, cols, proc);
    assert_int_equal(cv_cov_model_fit(&cv_model_bgbb, &d, &spec, &cf, &err), 0);
    assert_true(cf.se_ok);
    for (int i = 0; i < 8; i++) {
        print_message("%d: %.5g (se %.3g), truth %g\n", i, cf.est[i], cf.se[i], TRUTH[i]);
        if (!(fabs(cf.est[i] - TRUTH[i]) <= 4.0 * cf.se[i]))
            fail_msg("theta[%d]: %.5g (se %.3g), truth %g", i, cf.est[i], cf.se[i], TRUTH[i]);
        if (i >= 4)
            assert_true(cf.se[i] < 0.15);
    }
    assert_int_equal(cv_lr_test(cf.loglik, cf.loglik0, 4, &stat, &p, &err), 0);
    assert_true(p < 1e-6);
    cv_cov_fit_free(&cf);
}

/* alpha_i = alpha e^(g_t z), gamma_i = gamma e^(g_l z), beta and delta untouched: the odds
   of the mean purchase probability alpha_i / beta move by e^(g_t). */
static void test_link(void **state)
{
    const double z1[1] = {1.0}, z2[1] = {2.0};
    const double *cols[2] = {z1, z2};
    unsigned proc[2] = {CV_COV_TRANS, CV_COV_TRANS | CV_COV_LIFE};
    cv_cov_spec spec = {2, proc, cols};
    const double est[6] = {1.2, 0.75, 0.66, 2.8, 0.3, -0.2};
    double p[4];
    (void)state;
    cv_cov_row_params(&cv_model_bgbb, est, &spec, 0, p);
    assert_true(fabs(p[0] - 1.2 * exp(0.3 - 0.4)) < 1e-14);
    assert_true(p[1] == 0.75 && p[3] == 2.8);
    assert_true(fabs(p[2] - 0.66 * exp(-0.4)) < 1e-14);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradient),
        cmocka_unit_test(test_reduces),
        cmocka_unit_test(test_recovers_simulated),
        cmocka_unit_test(test_link),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
