/* Unit tests of the Gamma-Gamma with covariates on the spend scale (src/core/model_cov.c,
   include/cvkit/covariates.h: gamma_i = gamma exp(g'z_i)): the analytic gradient by
   (log p, log q, log gamma, coefficients) against central differences; the reduction to the
   plain Gamma-Gamma (coefficients 0, no covariates, covariates that are all 0); the
   parameters recovered from 20,000 customers drawn with known coefficients; the link by
   hand; the refusals of the processes that are not the spend model's. */
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
static double X[N], M[N], Z1[N], Z2[N], ZERO[N];

/* Fader & Hardie's CDNOW Gamma-Gamma (p, q, gamma) with two spend coefficients: z1 a 0/1
   dummy (share 0.4), z2 a standard normal. */
static const double TRUTH[5] = {6.25, 3.74, 15.44, 0.4, -0.25};

/* n customers: x = 0..9 repeat transactions (a tenth with x = 0: no spend information), the
   covariates, and the mean spend drawn with each customer's own gamma_i (seed 11). */
static void draw(size_t n, const double *est, cv_cov_spec *spec, const double *cols[2],
                 unsigned proc[2])
{
    cv_rng rng;
    cv_error err;
    cv_rng_seed(&rng, 2005);
    for (size_t i = 0; i < n; i++) {
        X[i] = floor(10.0 * cv_rng_uniform(&rng));
        Z1[i] = cv_rng_uniform(&rng) < 0.4 ? 1.0 : 0.0;
        Z2[i] = cv_rng_normal(&rng);
        ZERO[i] = 0.0;
    }
    cols[0] = Z1, cols[1] = Z2;
    proc[0] = proc[1] = CV_COV_SPEND;
    spec->ncoef = 2, spec->proc = proc, spec->z = cols;
    assert_int_equal(cv_cov_simulate_spend(&cv_model_gamma_gamma, est, spec, n, 11, X, M, &err), 0);
    for (size_t i = 0; i < n; i++)
        assert_true(X[i] > 0.0 ? M[i] > 0.0 : M[i] == 0.0);
}

/* d LL / d theta against central differences away from the optimum (steps 1e-3 and 5e-4,
   Richardson-extrapolated: truncation O(h^4) ~ 1e-12, rounding eps |LL| / h ~ 1e-8 on
   |LL| ~ 1e4): each of the 5 components to 1e-7 relative (the largest seen is printed). */
static void test_gradient(void **state)
{
    const double *cols[2];
    unsigned proc[2];
    cv_cov_spec spec;
    cv_model_data d = {3000, X, NULL, NULL, M, NULL};
    double theta[5], g[5], ll, lp, lm, worst = 0.0;
    cv_error err;
    (void)state;
    draw(3000, TRUTH, &spec, cols, proc);
    for (int i = 0; i < 5; i++)
        theta[i] = (i < 3 ? log(TRUTH[i]) : TRUTH[i]) + 0.1 * (i % 3 - 1);
    assert_int_equal(cv_cov_loglik(&cv_model_gamma_gamma, theta, &d, &spec, &ll, g, &err), 0);
    for (int i = 0; i < 5; i++) {
        double q[5], fd, dh[2];
        for (int s = 0; s < 2; s++) { /* central differences at h and h/2 */
            double h = s ? 5e-4 : 1e-3;
            memcpy(q, theta, sizeof q);
            q[i] = theta[i] + h;
            assert_int_equal(cv_cov_loglik(&cv_model_gamma_gamma, q, &d, &spec, &lp, NULL, &err),
                             0);
            q[i] = theta[i] - h;
            assert_int_equal(cv_cov_loglik(&cv_model_gamma_gamma, q, &d, &spec, &lm, NULL, &err),
                             0);
            dh[s] = (lp - lm) / (2.0 * h);
        }
        fd = (4.0 * dh[1] - dh[0]) / 3.0; /* Richardson: error O(h^4), rounding ~1e-8 */
        double rel;
        rel = fabs(g[i] - fd) / (fabs(fd) + 1.0);
        worst = fmax(worst, rel);
        if (!(rel <= 1e-7))
            fail_msg("d/dtheta[%d]: analytic %.12g, finite difference %.12g", i, g[i], fd);
    }
    print_message("gamma_gamma gradient: largest relative difference %.2g\n", worst);
}

/* Coefficients 0: the plain log-likelihood to 1e-12; no covariates: cv_model_fit's fit
   itself, bit for bit; covariates that are 0 for everyone: the plain log-likelihood to
   1e-12 and parameters to 1e-8 relative (the coefficients stay 0: nothing informs them).
   Not 1e-9 for the parameters: the Gamma-Gamma's p, q, gamma lie on a flat ridge (their
   correlations are above 0.9), where the optimizer's stopping rule (gtol 1e-9 on -LL/N)
   leaves ~1e-9 in p; the fit with covariates restarts once more and ends 7e-10 higher in LL
   on this sample, p 1.6e-9 away. */
static void test_reduces(void **state)
{
    const double *cols[2], *zcols[2] = {ZERO, ZERO};
    unsigned proc[2];
    cv_cov_spec spec, none = {0, NULL, NULL}, zeros;
    cv_model_data d = {N, X, NULL, NULL, M, NULL};
    double theta[5] = {log(6.0), log(4.0), log(15.0), 0.0, 0.0}, ll, ll0;
    const double p0[3] = {6.0, 4.0, 15.0};
    cv_cov_fit cf;
    cv_fit f;
    cv_error err;
    (void)state;
    draw(N, TRUTH, &spec, cols, proc);
    zeros = spec, zeros.z = zcols;
    assert_int_equal(cv_cov_loglik(&cv_model_gamma_gamma, theta, &d, &spec, &ll, NULL, &err), 0);
    assert_int_equal(cv_model_loglik(&cv_model_gamma_gamma, p0, &d, &ll0, NULL, &err), 0);
    assert_true(fabs(ll - ll0) <= 1e-12 * fabs(ll0));
    assert_int_equal(cv_model_fit(&cv_model_gamma_gamma, &d, NULL, &f, &err), 0);
    assert_int_equal(cv_cov_model_fit(&cv_model_gamma_gamma, &d, &none, &cf, &err), 0);
    assert_int_equal(cf.k, 3);
    assert_true(cf.loglik == f.loglik);
    for (int i = 0; i < 3; i++)
        assert_true(cf.est[i] == f.params[i]);
    cv_cov_fit_free(&cf);
    /* all-zero covariates: not identified (flat), so the fit says so (1), but its estimates
       are the plain fit's */
    assert_in_range(cv_cov_model_fit(&cv_model_gamma_gamma, &d, &zeros, &cf, &err), 0, 1);
    print_message("zero covariates: LL %.17g vs %.17g; p %.17g vs %.17g\n", cf.loglik, f.loglik,
                  cf.est[0], f.params[0]);
    assert_true(fabs(cf.loglik - f.loglik) <= 1e-12 * fabs(f.loglik));
    for (int i = 0; i < 3; i++)
        if (!(fabs(cf.est[i] - f.params[i]) <= 1e-8 * f.params[i]))
            fail_msg("%s: %.15g vs %.15g", cv_model_gamma_gamma.param_names[i], cf.est[i],
                     f.params[i]);
    assert_true(cf.est[3] == 0.0 && cf.est[4] == 0.0);
    cv_cov_fit_free(&cf);
}

/* 20,000 customers (about 18,000 with spend) drawn from TRUTH: every estimate within 4
   standard errors of the truth, the coefficients' standard errors below 0.03 (so a wrong
   sign or a factor 2 fails), the likelihood-ratio test against the plain model p < 1e-12. */
static void test_recovers_simulated(void **state)
{
    const double *cols[2];
    unsigned proc[2];
    cv_cov_spec spec;
    cv_model_data d = {N, X, NULL, NULL, M, NULL};
    cv_cov_fit cf;
    cv_error err;
    double stat, p;
    (void)state;
    draw(N, TRUTH, &spec, cols, proc);
    assert_int_equal(cv_cov_model_fit(&cv_model_gamma_gamma, &d, &spec, &cf, &err), 0);
    assert_int_equal(cf.k, 5);
    assert_true(cf.se_ok);
    for (int i = 0; i < 5; i++) {
        print_message("%d: %.5g (se %.3g), truth %g\n", i, cf.est[i], cf.se[i], TRUTH[i]);
        if (!(fabs(cf.est[i] - TRUTH[i]) <= 4.0 * cf.se[i]))
            fail_msg("theta[%d]: %.5g (se %.3g), truth %g", i, cf.est[i], cf.se[i], TRUTH[i]);
    }
    assert_true(cf.se[3] < 0.03 && cf.se[4] < 0.03);
    assert_int_equal(cv_lr_test(cf.loglik, cf.loglik0, 2, &stat, &p, &err), 0);
    assert_true(p < 1e-12);
    cv_cov_fit_free(&cf);
}

/* gamma_i = gamma e^(g'z) and nothing else; the population mean spend p gamma_i / (q - 1)
   of z1 = 1 is e^(g1) times that of z1 = 0 (the interpretation in docs/models.md). */
static void test_link(void **state)
{
    const double z1[2] = {0.0, 1.0}, z2[2] = {2.0, 2.0};
    const double *cols[2] = {z1, z2};
    unsigned proc[2] = {CV_COV_SPEND, CV_COV_SPEND};
    cv_cov_spec spec = {2, proc, cols};
    const double est[5] = {6.0, 4.0, 15.0, 0.3, -0.1};
    double p0[3], p1[3], s0, s1;
    cv_model_data d = {2, (double[]){0.0, 0.0}, NULL, NULL, (double[]){0.0, 0.0}, NULL};
    double out[2];
    cv_error err;
    (void)state;
    cv_cov_row_params(&cv_model_gamma_gamma, est, &spec, 0, p0);
    cv_cov_row_params(&cv_model_gamma_gamma, est, &spec, 1, p1);
    assert_true(p0[0] == 6.0 && p0[1] == 4.0 && p1[0] == 6.0 && p1[1] == 4.0);
    assert_true(fabs(p0[2] - 15.0 * exp(-0.2)) < 1e-13);
    assert_true(fabs(p1[2] - 15.0 * exp(0.3 - 0.2)) < 1e-13);
    assert_int_equal(
        cv_cov_predict(&cv_model_gamma_gamma, est, &spec, CV_PRED_SPEND, &d, 0, 0, out, &err), 0);
    s0 = 6.0 * 15.0 * exp(-0.2) / 3.0, s1 = s0 * exp(0.3);
    assert_true(fabs(out[0] - s0) < 1e-12 * s0 && fabs(out[1] - s1) < 1e-12 * s1);
}

/* The spend model takes spend coefficients only, the others no spend coefficient; reg.trans
   has nothing to penalize on the spend model. */
static void test_refusals(void **state)
{
    double x[2] = {1, 2}, m[2] = {10, 20}, z[2] = {0, 1}, tx[2] = {1, 2}, T[2] = {5, 5};
    const double *cols[1] = {z};
    unsigned proc[1] = {CV_COV_TRANS};
    cv_cov_spec spec = {1, proc, cols};
    cv_model_data gd = {2, x, NULL, NULL, m, NULL}, bd = {2, x, tx, T, NULL, NULL};
    cv_penalty pen = {0};
    cv_cov_fit cf;
    cv_error err;
    (void)state;
    assert_int_equal(cv_cov_model_fit(&cv_model_gamma_gamma, &gd, &spec, &cf, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "gamma_gamma has covariates on the spend scale only"));
    proc[0] = CV_COV_SPEND;
    assert_int_equal(cv_cov_model_fit(&cv_model_bgnbd, &bd, &spec, &cf, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "purchase and dropout processes only"));
    pen.trans = 1.0;
    assert_int_equal(cv_cov_model_fit_pen(&cv_model_gamma_gamma, &gd, &spec, &pen, &cf, &err),
                     CV_ERR_USAGE);
    assert_string_equal(err.msg, "penalty: reg.trans is an L2 penalty on the trans.* "
                                 "coefficients and gamma_gamma has none");
    assert_int_equal(
        cv_cov_simulate(&cv_model_gamma_gamma, (double[]){1, 2, 3, 0}, &spec, 2, 1, T, x, tx, &err),
        CV_ERR_USAGE);
    assert_true(cv_cov_supported(&cv_model_gamma_gamma));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradient),           cmocka_unit_test(test_reduces),
        cmocka_unit_test(test_recovers_simulated), cmocka_unit_test(test_link),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
