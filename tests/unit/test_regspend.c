/* Unit tests of reg.spend, the L2 penalty on the Gamma-Gamma's spend coefficients
   (src/core/model_cov.c, coef_penalty; include/cvkit/models.h, cv_penalty.spend): a weight of
   0 is the unpenalized fit bit for bit; the penalty's value is spend * sum g^2 added to -LL/N;
   the analytic gradient of the penalized objective against central differences; a weight on
   a process the model has no coefficients on is refused. */
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

enum { N = 4000 };
static double X[N], M[N], Z1[N], Z2[N], TX[N], TT[N];
static const double *COLS[2] = {Z1, Z2};
static unsigned PROC[2] = {CV_COV_SPEND, CV_COV_SPEND};
static const cv_cov_spec SPEC = {2, PROC, COLS};

/* CDNOW's Gamma-Gamma (p, q, gamma) with two spend coefficients (a 0/1 and a normal). */
static const double TRUTH[5] = {6.25, 3.74, 15.44, 0.4, -0.25};

/* N customers: x = 0..9 repeat transactions, the covariates, the mean spend drawn with each
   customer's own gamma_i (seeds fixed). */
static void draw(void)
{
    cv_rng rng;
    cv_error err;
    cv_rng_seed(&rng, 77);
    for (size_t i = 0; i < N; i++) {
        X[i] = floor(10.0 * cv_rng_uniform(&rng));
        Z1[i] = cv_rng_uniform(&rng) < 0.4 ? 1.0 : 0.0;
        Z2[i] = cv_rng_normal(&rng);
    }
    assert_int_equal(cv_cov_simulate_spend(&cv_model_gamma_gamma, TRUTH, &SPEC, N, 5, X, M, &err),
                     0);
}

/* reg.spend = 0 (and every other weight 0) is the maximum-likelihood fit, bit for bit. */
static void test_zero_is_ml(void **state)
{
    cv_model_data d = {N, X, NULL, NULL, M, NULL};
    cv_penalty zero = {0, CV_PENALTY_LOG, 0, 0, 0};
    cv_cov_fit a, b;
    cv_error err;
    (void)state;
    draw();
    assert_int_equal(cv_cov_model_fit(&cv_model_gamma_gamma, &d, &SPEC, &a, &err), 0);
    assert_int_equal(cv_cov_model_fit_pen(&cv_model_gamma_gamma, &d, &SPEC, &zero, &b, &err), 0);
    assert_int_equal(a.k, 5);
    assert_memory_equal(a.est, b.est, sizeof(double) * 5);
    assert_memory_equal(a.se, b.se, sizeof(double) * 5);
    assert_memory_equal(&a.loglik, &b.loglik, sizeof(double));
    cv_cov_fit_free(&a), cv_cov_fit_free(&b);
}

/* The penalized objective is -LL/N + spend * (g1^2 + g2^2) (the formula written out), and its
   analytic gradient matches central differences (step 1e-4, Richardson-extrapolated with
   5e-5: truncation ~1e-16, rounding eps * |f| / h ~ 1e-11 on |f| ~ 4) to 1e-7 absolute. */
static void test_value_and_gradient(void **state)
{
    cv_model_data d = {N, X, NULL, NULL, M, NULL};
    cv_penalty pen = {0, CV_PENALTY_LOG, 0, 0, 0.7};
    double theta[5], g[5], f, ll, nobs = 0.0, worst = 0.0;
    cv_error err;
    (void)state;
    draw();
    for (int i = 0; i < 5; i++)
        theta[i] = (i < 3 ? log(TRUTH[i]) : TRUTH[i]) + 0.05 * (i % 3 - 1);
    for (size_t i = 0; i < N; i++)
        nobs += X[i] > 0.0;
    assert_int_equal(cv_cov_loglik(&cv_model_gamma_gamma, theta, &d, &SPEC, &ll, NULL, &err), 0);
    assert_int_equal(cv_cov_objective(&cv_model_gamma_gamma, theta, &d, &SPEC, &pen, &f, g, &err),
                     0);
    assert_true(fabs(f - (-ll / nobs + 0.7 * (theta[3] * theta[3] + theta[4] * theta[4]))) <
                1e-13 * fabs(f));
    for (int i = 0; i < 5; i++) {
        double q[5], dh[2], fp, fm, fd;
        for (int s = 0; s < 2; s++) {
            double h = s ? 5e-5 : 1e-4;
            memcpy(q, theta, sizeof q);
            q[i] = theta[i] + h;
            assert_int_equal(
                cv_cov_objective(&cv_model_gamma_gamma, q, &d, &SPEC, &pen, &fp, NULL, &err), 0);
            q[i] = theta[i] - h;
            assert_int_equal(
                cv_cov_objective(&cv_model_gamma_gamma, q, &d, &SPEC, &pen, &fm, NULL, &err), 0);
            dh[s] = (fp - fm) / (2.0 * h);
        }
        fd = (4.0 * dh[1] - dh[0]) / 3.0;
        worst = fmax(worst, fabs(fd - g[i]));
        assert_true(fabs(fd - g[i]) < 1e-7);
    }
    printf("reg.spend 0.7: largest |analytic - central difference| %.2e\n", worst);
}

/* A large weight pulls the spend coefficients to 0; the penalized fit's loglik is the
   unpenalized LL at its estimates; the penalty is recorded. */
static void test_shrinks(void **state)
{
    cv_model_data d = {N, X, NULL, NULL, M, NULL};
    double lams[4] = {0.0, 0.1, 10.0, 1000.0}, prev = INFINITY, theta[5], ll;
    cv_error err;
    (void)state;
    draw();
    for (int l = 0; l < 4; l++) {
        cv_penalty pen = {0, CV_PENALTY_LOG, 0, 0, lams[l]};
        cv_cov_fit f;
        double ss;
        assert_int_equal(cv_cov_model_fit_pen(&cv_model_gamma_gamma, &d, &SPEC, &pen, &f, &err), 0);
        ss = f.est[3] * f.est[3] + f.est[4] * f.est[4];
        assert_true(ss < prev);
        prev = ss;
        assert_true(f.penalty.spend == lams[l]);
        for (int i = 0; i < 5; i++)
            theta[i] = i < 3 ? log(f.est[i]) : f.est[i];
        assert_int_equal(cv_cov_loglik(&cv_model_gamma_gamma, theta, &d, &SPEC, &ll, NULL, &err),
                         0);
        assert_true(fabs(ll - f.loglik) < 1e-9 * fabs(ll));
        if (l == 3) /* 1000 per customer: each coefficient within 1e-3 of 0 */
            assert_true(fabs(f.est[3]) < 1e-3 && fabs(f.est[4]) < 1e-3);
        cv_cov_fit_free(&f);
    }
}

/* reg.spend on the Pareto/NBD (no spend coefficients), a negative weight, and reg.spend
   without covariates are refused. */
static void test_refusals(void **state)
{
    unsigned proc[1] = {CV_COV_TRANS};
    const double *cols[1] = {Z1};
    cv_cov_spec spec = {1, proc, cols};
    cv_model_data pd = {N, X, TX, TT, NULL, NULL}, gd = {N, X, NULL, NULL, M, NULL};
    cv_penalty pen = {0, CV_PENALTY_LOG, 0, 0, 1.0}, neg = {0, CV_PENALTY_LOG, 0, 0, -1.0};
    cv_cov_fit f;
    cv_fit f0;
    cv_error err;
    (void)state;
    draw();
    for (size_t i = 0; i < N; i++)
        TT[i] = 30.0, TX[i] = X[i] > 0 ? 20.0 : 0.0;
    assert_int_equal(cv_cov_model_fit_pen(&cv_model_pareto_nbd, &pd, &spec, &pen, &f, &err),
                     CV_ERR_USAGE);
    assert_string_equal(err.msg, "penalty: reg.spend is an L2 penalty on the spend.* "
                                 "coefficients and pareto_nbd has none");
    cv_cov_fit_free(&f);
    assert_int_equal(cv_cov_model_fit_pen(&cv_model_gamma_gamma, &gd, &SPEC, &neg, &f, &err),
                     CV_ERR_USAGE);
    assert_string_equal(err.msg, "penalty: reg.spend = -1 must be a number >= 0");
    cv_cov_fit_free(&f);
    assert_int_equal(cv_model_fit_pen(&cv_model_gamma_gamma, &gd, NULL, &pen, &f0, &err),
                     CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "the fit has no covariates"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_zero_is_ml),
        cmocka_unit_test(test_value_and_gradient),
        cmocka_unit_test(test_shrinks),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
