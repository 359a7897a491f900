/* Unit tests of the covariates (src/core/model_cov.c, include/cvkit/covariates.h): the
   analytic gradient by (log-parameters, coefficients) against central differences for the
   Pareto/NBD and the BG/NBD; the reduction to the fit without covariates; the parameters
   recovered from customers simulated with covariates; the per-customer parameters of the
   CLVTools parametrization; the chi-square tail of the likelihood-ratio test. */
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

/* N customers from model at the estimates est (the model's parameters, then 4
   coefficients: trans z1, trans z2, life z1, life z2), z1 a 0/1 dummy and z2 a
   standard normal, ages 26..77 whole weeks; fills the spec's arrays. */
static void simulate(const cv_model *model, const double *est, size_t n, cv_cov_spec *spec,
                     const double *cols[4], unsigned proc[4])
{
    cv_rng rng;
    cv_error err;
    size_t i;
    cv_rng_seed(&rng, 42);
    for (i = 0; i < n; i++) {
        Z1[i] = cv_rng_uniform(&rng) < 0.4 ? 1.0 : 0.0;
        Z2[i] = cv_rng_normal(&rng);
        TT[i] = 26.0 + (double)(i % 52);
    }
    cols[0] = Z1, cols[1] = Z2, cols[2] = Z1, cols[3] = Z2;
    proc[0] = proc[1] = CV_COV_TRANS;
    proc[2] = proc[3] = CV_COV_LIFE;
    spec->ncoef = 4, spec->proc = proc, spec->z = cols;
    assert_int_equal(cv_cov_simulate(model, est, spec, n, 7, TT, X, TX, &err), 0);
}

/* d LL / d theta against central differences (step 1e-5) at a point away from the optimum,
   for both models: every one of the 8 components to 1e-6 relative. */
static void test_gradient(void **state)
{
    static const cv_model *models[2] = {&cv_model_pareto_nbd, &cv_model_bgnbd};
    static const double est[2][8] = {{0.8, 10.0, 0.6, 12.0, 0.5, -0.3, -0.4, 0.2},
                                     {0.8, 10.0, 0.7, 2.5, 0.5, -0.3, -0.4, 0.2}};
    (void)state;
    for (int m = 0; m < 2; m++) {
        const double *cols[4];
        unsigned proc[4];
        cv_cov_spec spec;
        cv_model_data d = {3000, X, TX, TT, NULL, NULL};
        double theta[8], g[8], ll, lp, lm;
        cv_error err;
        simulate(models[m], est[m], 3000, &spec, cols, proc);
        for (int i = 0; i < 8; i++) /* away from the truth: log-params and coefficients moved */
            theta[i] = (i < 4 ? log(est[m][i]) : est[m][i]) + 0.1 * (i % 3 - 1);
        assert_int_equal(cv_cov_loglik(models[m], theta, &d, &spec, &ll, g, &err), 0);
        for (int i = 0; i < 8; i++) {
            double q[8], fd;
            memcpy(q, theta, sizeof q);
            q[i] = theta[i] + 1e-5;
            assert_int_equal(cv_cov_loglik(models[m], q, &d, &spec, &lp, NULL, &err), 0);
            q[i] = theta[i] - 1e-5;
            assert_int_equal(cv_cov_loglik(models[m], q, &d, &spec, &lm, NULL, &err), 0);
            fd = (lp - lm) / 2e-5;
            if (!(fabs(g[i] - fd) <= 1e-6 * (fabs(fd) + 1.0)))
                fail_msg("%s: d/dtheta[%d]: analytic %.10g, finite difference %.10g",
                         models[m]->name, i, g[i], fd);
        }
    }
}

/* With every coefficient 0 the log-likelihood is the model's own to 1e-10; with no
   covariates the fit is cv_model_fit's: the same parameters and log-likelihood to 1e-10. */
static void test_reduces_without_covariates(void **state)
{
    static const cv_model *models[2] = {&cv_model_pareto_nbd, &cv_model_bgnbd};
    static const double est[2][8] = {{0.8, 10.0, 0.6, 12.0, 0.5, -0.3, -0.4, 0.2},
                                     {0.8, 10.0, 0.7, 2.5, 0.5, -0.3, -0.4, 0.2}};
    (void)state;
    for (int m = 0; m < 2; m++) {
        const double *cols[4];
        unsigned proc[4];
        cv_cov_spec spec, none = {0, NULL, NULL};
        cv_model_data d = {4000, X, TX, TT, NULL, NULL};
        double theta[8] = {0}, ll, ll0;
        cv_cov_fit cf;
        cv_fit f;
        cv_error err;
        simulate(models[m], est[m], 4000, &spec, cols, proc);
        for (int i = 0; i < 4; i++)
            theta[i] = log(est[m][i]);
        assert_int_equal(cv_cov_loglik(models[m], theta, &d, &spec, &ll, NULL, &err), 0);
        assert_int_equal(cv_model_loglik(models[m], est[m], &d, &ll0, NULL, &err), 0);
        assert_true(fabs(ll - ll0) <= 1e-10 * fabs(ll0));
        assert_int_equal(cv_model_fit(models[m], &d, NULL, &f, &err), 0);
        assert_int_equal(cv_cov_model_fit(models[m], &d, &none, &cf, &err), 0);
        assert_int_equal(cf.k, 4);
        assert_true(fabs(cf.loglik - f.loglik) <= 1e-10 * fabs(f.loglik));
        assert_true(fabs(cf.loglik0 - f.loglik) <= 1e-10 * fabs(f.loglik));
        for (int i = 0; i < 4; i++) {
            if (!(fabs(cf.est[i] - f.params[i]) <= 1e-10 * f.params[i]))
                fail_msg("%s %s: %.15g vs %.15g", models[m]->name, models[m]->param_names[i],
                         cf.est[i], f.params[i]);
            /* the same Hessian by the same differences: standard errors to 1e-6 */
            assert_true(fabs(cf.se[i] - f.se[i]) <= 1e-6 * f.se[i]);
        }
        cv_cov_fit_free(&cf);
    }
}

/* 20,000 customers drawn with known coefficients (two on each process): every estimate
   lies within 4 standard errors of the truth, the coefficients' standard errors are below
   0.15 (so the test can fail), and the likelihood-ratio test against the model without
   covariates rejects it (p < 1e-6). */
static void test_recovers_simulated(void **state)
{
    static const cv_model *models[2] = {&cv_model_pareto_nbd, &cv_model_bgnbd};
    static const double est[2][8] = {{0.8, 10.0, 0.6, 12.0, 0.5, -0.3, -0.4, 0.2},
                                     {0.8, 10.0, 0.7, 2.5, 0.5, -0.3, -0.4, 0.2}};
    (void)state;
    for (int m = 0; m < 2; m++) {
        const double *cols[4];
        unsigned proc[4];
        cv_cov_spec spec;
        cv_model_data d = {N, X, TX, TT, NULL, NULL};
        cv_cov_fit cf;
        cv_error err;
        double stat, p;
        simulate(models[m], est[m], N, &spec, cols, proc);
        assert_int_equal(cv_cov_model_fit(models[m], &d, &spec, &cf, &err), 0);
        assert_int_equal(cf.k, 8);
        assert_true(cf.se_ok);
        for (int i = 0; i < 8; i++) {
            if (!(fabs(cf.est[i] - est[m][i]) <= 4.0 * cf.se[i]))
                fail_msg("%s theta[%d]: %.5g (se %.3g), truth %g", models[m]->name, i, cf.est[i],
                         cf.se[i], est[m][i]);
            if (i >= 4)
                assert_true(cf.se[i] < 0.15);
        }
        assert_true(cf.loglik >= cf.loglik0);
        assert_int_equal(cv_lr_test(cf.loglik, cf.loglik0, 4, &stat, &p, &err), 0);
        assert_true(p < 1e-6);
        /* the information matrix's eigenvalues: positive, ascending */
        assert_true(cf.eig[0] > 0.0);
        for (int i = 1; i < 8; i++)
            assert_true(cf.eig[i] >= cf.eig[i - 1]);
        cv_cov_fit_free(&cf);
    }
}

/* The CLVTools parametrization, by hand: Pareto/NBD alpha_i = alpha e^(-g_t z),
   beta_i = beta e^(-g_l z); BG/NBD a_i = a e^(g_l z), b_i = b e^(g_l z); a constrained
   coefficient acts on both. */
static void test_row_params(void **state)
{
    const double z1[1] = {1.0}, z2[1] = {2.0};
    const double *cols[2] = {z1, z2};
    unsigned proc[2] = {CV_COV_TRANS, CV_COV_TRANS | CV_COV_LIFE};
    cv_cov_spec spec = {2, proc, cols};
    const double est[6] = {0.5, 4.0, 0.7, 3.0, 0.3, -0.2};
    double p[4];
    (void)state;
    cv_cov_row_params(&cv_model_pareto_nbd, est, &spec, 0, p);
    assert_true(fabs(p[0] - 0.5) < 1e-15 && fabs(p[2] - 0.7) < 1e-15);
    assert_true(fabs(p[1] - 4.0 * exp(-(0.3 * 1.0 - 0.2 * 2.0))) < 1e-14);
    assert_true(fabs(p[3] - 3.0 * exp(-(-0.2 * 2.0))) < 1e-14);
    cv_cov_row_params(&cv_model_bgnbd, est, &spec, 0, p);
    assert_true(fabs(p[1] - 4.0 * exp(-(0.3 - 0.4))) < 1e-14);
    assert_true(fabs(p[2] - 0.7 * exp(-0.4)) < 1e-14);
    assert_true(fabs(p[3] - 3.0 * exp(-0.4)) < 1e-14);
}

/* Chi-square upper tails: the 5% critical values 3.841459 (df 1) and 9.487729 (df 4) give
   0.05; df 2 is exp(-x/2) exactly. */
static void test_chisq(void **state)
{
    double stat, p;
    cv_error err;
    (void)state;
    assert_true(fabs(cv_chisq_upper(3.841458820694124, 1) - 0.05) < 1e-9);
    assert_true(fabs(cv_chisq_upper(9.487729036781154, 4) - 0.05) < 1e-9);
    assert_true(fabs(cv_chisq_upper(7.3, 2) - exp(-3.65)) < 1e-13);
    assert_true(cv_chisq_upper(0.0, 3) == 1.0);
    assert_int_equal(cv_lr_test(-100.0, -103.0, 2, &stat, &p, &err), 0);
    assert_true(fabs(stat - 6.0) < 1e-12 && fabs(p - exp(-3.0)) < 1e-13);
    assert_int_equal(cv_lr_test(-100.0, -103.0, 0, &stat, &p, &err), CV_ERR_USAGE);
}

/* Refusals: a model without covariates, a missing covariate value. */
static void test_refusals(void **state)
{
    double x[2] = {1, 0}, tx[2] = {1, 0}, T[2] = {5, 5}, z[2] = {0, NAN}, out[2];
    const double *cols[1] = {z};
    unsigned proc[1] = {CV_COV_LIFE};
    cv_cov_spec spec = {1, proc, cols};
    cv_model_data d = {2, x, tx, T, NULL, NULL};
    const double est[5] = {1, 1, 1, 1, 0};
    cv_cov_fit cf;
    cv_error err;
    (void)state;
    assert_int_equal(cv_cov_model_fit(&cv_model_sbg, &d, &spec, &cf, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "takes no covariates"));
    assert_int_equal(cv_cov_model_fit(&cv_model_bgnbd, &d, &spec, &cf, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "row 2: covariate 1 is missing"));
    z[1] = 1.0;
    assert_int_equal(
        cv_cov_predict(&cv_model_bgnbd, est, &spec, CV_PRED_P_ALIVE, &d, 0, 0, out, &err), 0);
    /* coefficient 0: the model's own P(alive) */
    double ref[2];
    assert_int_equal(cv_model_predict(&cv_model_bgnbd, est, CV_PRED_P_ALIVE, &d, 0, 0, ref, &err),
                     0);
    assert_true(fabs(out[0] - ref[0]) < 1e-15 && fabs(out[1] - ref[1]) < 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradient),
        cmocka_unit_test(test_reduces_without_covariates),
        cmocka_unit_test(test_recovers_simulated),
        cmocka_unit_test(test_row_params),
        cmocka_unit_test(test_chisq),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
