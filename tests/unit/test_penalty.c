/* Unit tests of the regularised fits (cv_penalty: include/cvkit/models.h, covariates.h): a
   zero penalty gives today's fit bit for bit; the penalty's value is the documented formula
   (lambda sum (log p)^2 or lambda sum p^2 on the parameters, CLVTools' reg.lambdas on the
   coefficients, a constrained one in both sums); the gradient of the penalized objective
   against central differences for every model; a fit that runs to the boundary ends inside
   with the log penalty; larger lambdas shrink the coefficients; and the penalized optimum
   found again by Nelder-Mead over the plain log-likelihood plus a penalty written here. */
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
#include "cvkit/optim.h"

/* |a - b| <= eps in double precision (cmocka's assert_float_equal compares floats) */
#define near(a, b, eps) near_((a), (b), (eps), #a, __LINE__)
static void near_(double a, double b, double eps, const char *what, int line)
{
    if (!(fabs(a - b) <= eps))
        fail_msg("line %d: %s = %.17g, expected %.17g (eps %g)", line, what, a, b, eps);
}

enum { N = 3000 };
static double X[N], TX[N], TT[N], M[N], Z1[N], Z2[N];

/* A data set for model (n rows), simulated at known parameters: the continuous-time models
   and BG/BB over ages 26..77, sBG over 8 periods, Gamma-Gamma with x = 1..5. */
static cv_model_data data_for(const cv_model *model, size_t n)
{
    static const double bg[4] = {0.5, 8.0, 0.7, 2.5}, pn[4] = {0.6, 9.0, 0.5, 11.0};
    static const double bb[4] = {1.2, 0.75, 0.65, 2.8}, sbg[2] = {0.7, 1.2};
    static const double gg[3] = {6.25, 3.74, 15.44};
    cv_model_data d = {n, X, TX, TT, NULL, NULL};
    cv_error err;
    const double *p = bg;
    size_t i;
    for (i = 0; i < n; i++)
        TT[i] = 26.0 + (double)(i % 52);
    if (model == &cv_model_pareto_nbd)
        p = pn;
    if (model == &cv_model_bgbb || model == &cv_model_sbg)
        for (i = 0; i < n; i++)
            TT[i] = model == &cv_model_sbg ? 8.0 : 6.0;
    if (model == &cv_model_bgbb)
        p = bb;
    if (model == &cv_model_sbg)
        p = sbg;
    if (model == &cv_model_gamma_gamma) {
        for (i = 0; i < n; i++)
            X[i] = (double)(1 + i % 5);
        assert_int_equal(cv_model_simulate(model, gg, n, 5, NULL, X, NULL, M, &err), 0);
        d.t_x = d.T = NULL, d.m = M;
        return d;
    }
    assert_int_equal(cv_model_simulate(model, p, n, 11, TT, X, TX, NULL, &err), 0);
    if (model == &cv_model_sbg)
        d.t_x = NULL;
    return d;
}

static const cv_model *const MODELS[6] = {&cv_model_bgnbd,  &cv_model_pareto_nbd,
                                          &cv_model_mbgnbd, &cv_model_bgbb,
                                          &cv_model_sbg,    &cv_model_gamma_gamma};

/* A zero penalty (either scale) and a NULL one: the maximum-likelihood fit, bit for bit. */
static void test_penalty_zero_is_ml(void **state)
{
    (void)state;
    for (int k = 0; k < 6; k++) {
        cv_model_data d = data_for(MODELS[k], 2000);
        cv_penalty zero = {0.0, CV_PENALTY_NATURAL, 0.0, 0.0, 0};
        cv_fit a, b;
        cv_error err;
        int ra = cv_model_fit(MODELS[k], &d, NULL, &a, &err);
        int rb = cv_model_fit_pen(MODELS[k], &d, NULL, &zero, &b, &err);
        assert_int_equal(ra, rb);
        assert_true(ra <= 1);
        assert_memory_equal(a.params, b.params, sizeof a.params);
        assert_memory_equal(&a.loglik, &b.loglik, sizeof a.loglik);
        assert_memory_equal(a.se, b.se, sizeof a.se);
        assert_true(b.penalty.params == 0.0);
        assert_true(b.objective == -b.loglik / b.n_obs);
    }
}

/* The penalty is the documented formula: the objective with it minus without it. */
static void test_penalty_value(void **state)
{
    const double th[4] = {-0.7, 2.1, 0.3, 1.4};
    cv_model_data d = data_for(&cv_model_bgnbd, 500);
    cv_penalty lg = {0.25, CV_PENALTY_LOG, 0, 0, 0}, nat = {0.25, CV_PENALTY_NATURAL, 0, 0, 0};
    double f0, f1, f2, s2 = 0, sp = 0;
    cv_error err;
    (void)state;
    for (int j = 0; j < 4; j++)
        s2 += th[j] * th[j], sp += exp(2 * th[j]);
    assert_int_equal(cv_model_objective(&cv_model_bgnbd, th, &d, NULL, &f0, NULL, &err), 0);
    assert_int_equal(cv_model_objective(&cv_model_bgnbd, th, &d, &lg, &f1, NULL, &err), 0);
    assert_int_equal(cv_model_objective(&cv_model_bgnbd, th, &d, &nat, &f2, NULL, &err), 0);
    near(f1 - f0, 0.25 * s2, 1e-12);
    near(f2 - f0, 0.25 * sp, 1e-10);
    {
        /* coefficients: trans z1 (0.4), life z2 (-0.9), constrained z1 (0.3, in both sums) */
        const double *cols[3] = {Z1, Z2, Z1};
        const unsigned proc[3] = {CV_COV_TRANS, CV_COV_LIFE, CV_COV_TRANS | CV_COV_LIFE};
        const cv_cov_spec spec = {3, proc, cols};
        const double t7[7] = {-0.7, 2.1, 0.3, 1.4, 0.4, -0.9, 0.3};
        cv_penalty reg = {0, CV_PENALTY_LOG, 2.0, 5.0, 0};
        double want = 2.0 * 0.16 + 5.0 * 0.81 + (2.0 + 5.0) * 0.09;
        for (size_t i = 0; i < 500; i++)
            Z1[i] = (double)(i % 2), Z2[i] = (double)(i % 7) / 7.0;
        assert_int_equal(cv_cov_objective(&cv_model_bgnbd, t7, &d, &spec, NULL, &f0, NULL, &err),
                         0);
        assert_int_equal(cv_cov_objective(&cv_model_bgnbd, t7, &d, &spec, &reg, &f1, NULL, &err),
                         0);
        near(f1 - f0, want, 1e-12);
        reg.params = 0.25; /* both penalties at once */
        assert_int_equal(cv_cov_objective(&cv_model_bgnbd, t7, &d, &spec, &reg, &f2, NULL, &err),
                         0);
        near(f2 - f0, want + 0.25 * s2, 1e-12);
    }
}

/* The gradient of the penalized objective against central differences (step 1e-6 on the
   log scale), every model, both scales; the covariate objective with both penalties. */
static void test_penalty_gradient(void **state)
{
    cv_error err;
    (void)state;
    for (int k = 0; k < 6; k++) {
        const cv_model *m = MODELS[k];
        cv_model_data d = data_for(m, 1000);
        for (int sc = 0; sc < 2; sc++) {
            cv_penalty pen = {0.05, sc, 0, 0, 0};
            double th[CV_MODEL_MAXP], g[CV_MODEL_MAXP], f, fp, fm;
            for (int j = 0; j < m->nparams; j++)
                th[j] = 0.3 * (j + 1) - 0.5;
            assert_int_equal(cv_model_objective(m, th, &d, &pen, &f, g, &err), 0);
            for (int j = 0; j < m->nparams; j++) {
                double q[CV_MODEL_MAXP], fd;
                memcpy(q, th, sizeof q);
                q[j] = th[j] + 1e-6;
                assert_int_equal(cv_model_objective(m, q, &d, &pen, &fp, NULL, &err), 0);
                q[j] = th[j] - 1e-6;
                assert_int_equal(cv_model_objective(m, q, &d, &pen, &fm, NULL, &err), 0);
                fd = (fp - fm) / 2e-6;
                if (!(fabs(g[j] - fd) <= 1e-6 * (fabs(fd) + 1.0)))
                    fail_msg("%s scale %d: d/dtheta[%d]: analytic %.10g, difference %.10g", m->name,
                             sc, j, g[j], fd);
            }
        }
    }
    for (int k = 0; k < 2; k++) {
        const cv_model *m = MODELS[k];
        cv_model_data d = data_for(m, 1000);
        const double *cols[3] = {Z1, Z2, Z1};
        const unsigned proc[3] = {CV_COV_TRANS, CV_COV_LIFE, CV_COV_TRANS | CV_COV_LIFE};
        const cv_cov_spec spec = {3, proc, cols};
        cv_penalty pen = {0.02, CV_PENALTY_LOG, 0.3, 0.7, 0};
        double th[7] = {-0.6, 2.0, -0.4, 1.1, 0.35, -0.5, 0.2}, g[7], f, fp, fm;
        for (size_t i = 0; i < 1000; i++)
            Z1[i] = (double)(i % 2), Z2[i] = (double)(i % 7) / 7.0 - 0.4;
        assert_int_equal(cv_cov_objective(m, th, &d, &spec, &pen, &f, g, &err), 0);
        for (int j = 0; j < 7; j++) {
            double q[7], fd;
            memcpy(q, th, sizeof q);
            q[j] = th[j] + 1e-6;
            assert_int_equal(cv_cov_objective(m, q, &d, &spec, &pen, &fp, NULL, &err), 0);
            q[j] = th[j] - 1e-6;
            assert_int_equal(cv_cov_objective(m, q, &d, &spec, &pen, &fm, NULL, &err), 0);
            fd = (fp - fm) / 2e-6;
            if (!(fabs(g[j] - fd) <= 1e-6 * (fabs(fd) + 1.0)))
                fail_msg("%s with covariates: d/dtheta[%d]: analytic %.10g, difference %.10g",
                         m->name, j, g[j], fd);
        }
    }
}

/* Data that send the maximum-likelihood fit to the boundary end inside with the log penalty:
   BG/NBD on customers who never drop out (ML: a -> 0) and sBG on a cohort that all renews
   (ML: alpha -> 0). The fit is an interior minimum of the penalized objective (gradient 0,
   standard errors from its Hessian), and loglik is the plain log-likelihood there. Squares
   of the parameters themselves (lifetimes' penalizer_coef) pull a towards 0: still boundary. */
static void test_penalty_boundary_to_interior(void **state)
{
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8}, T[] = {30, 30, 30, 30, 30, 30, 30, 30};
    const double keep[] = {100, 100, 100, 100};
    cv_model_data d = {8, x, T, T, NULL, NULL};
    cv_penalty lg = {0.01, CV_PENALTY_LOG, 0, 0, 0}, nat = {0.01, CV_PENALTY_NATURAL, 0, 0, 0};
    cv_model_rows r;
    cv_fit fit;
    cv_error err;
    double th[4], g[4], f, ll;
    (void)state;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 1);
    assert_int_equal(fit.status, CV_FIT_BOUNDARY);
    assert_int_equal(cv_model_fit_pen(&cv_model_bgnbd, &d, NULL, &lg, &fit, &err), 0);
    assert_int_equal(fit.status, CV_FIT_CONVERGED);
    assert_true(fit.se_ok && fit.boundary == 0);
    for (int j = 0; j < 4; j++) {
        assert_true(fit.params[j] > 1e-3 && fit.params[j] < 1e3);
        assert_true(isfinite(fit.se[j]) && fit.se[j] > 0);
        th[j] = log(fit.params[j]);
    }
    assert_int_equal(cv_model_objective(&cv_model_bgnbd, th, &d, &lg, &f, g, &err), 0);
    for (int j = 0; j < 4; j++)
        assert_true(fabs(g[j]) < 1e-6);
    near(f, fit.objective, 1e-12);
    assert_int_equal(cv_model_loglik(&cv_model_bgnbd, fit.params, &d, &ll, NULL, &err), 0);
    near(fit.loglik, ll, 1e-9);
    near(fit.objective,
         -ll / 8.0 + 0.01 * (th[0] * th[0] + th[1] * th[1] + th[2] * th[2] + th[3] * th[3]), 1e-12);
    assert_int_equal(cv_model_fit_pen(&cv_model_bgnbd, &d, NULL, &nat, &fit, &err), 1);
    assert_true(fit.boundary & (1u << 2)); /* a */

    assert_int_equal(cv_model_sbg_from_survivors(keep, 4, &r, &err), 0);
    assert_int_equal(cv_model_fit(&cv_model_sbg, &r.data, NULL, &fit, &err), 1);
    assert_int_equal(cv_model_fit_pen(&cv_model_sbg, &r.data, NULL, &lg, &fit, &err), 0);
    assert_true(fit.se_ok && fit.boundary == 0);
    assert_true(fit.params[0] > 1e-3 && fit.params[1] < 1e3);
    th[0] = log(fit.params[0]), th[1] = log(fit.params[1]);
    assert_int_equal(cv_model_objective(&cv_model_sbg, th, &r.data, &lg, &f, g, &err), 0);
    assert_true(fabs(g[0]) < 1e-6 && fabs(g[1]) < 1e-6);
    cv_model_rows_free(&r);
}

/* Refusals: negative or non-finite weights, an unknown scale, reg without covariates. */
static void test_penalty_refusals(void **state)
{
    cv_model_data d = data_for(&cv_model_bgnbd, 200);
    cv_penalty neg = {-1, CV_PENALTY_LOG, 0, 0, 0}, reg = {0, CV_PENALTY_LOG, 1.0, 0, 0};
    cv_penalty bad = {0.1, 7, 0, 0, 0}, life = {0, CV_PENALTY_LOG, 0, NAN, 0};
    cv_fit fit;
    cv_cov_fit cf;
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_fit_pen(&cv_model_bgnbd, &d, NULL, &neg, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "penalty: penalizer = -1 must be a number >= 0");
    assert_int_equal(cv_model_fit_pen(&cv_model_bgnbd, &d, NULL, &reg, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "penalty: reg (trans, life, spend) is an L2 penalty on covariate "
                                 "coefficients: the fit has no covariates");
    assert_int_equal(cv_model_fit_pen(&cv_model_bgnbd, &d, NULL, &bad, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "penalty: unknown scale 7");
    assert_int_equal(cv_cov_model_fit_pen(&cv_model_bgnbd, &d, NULL, &reg, &cf, &err),
                     CV_ERR_USAGE);
    cv_cov_fit_free(&cf);
    {
        const double *cols[1] = {Z1};
        const unsigned proc[1] = {CV_COV_LIFE};
        const cv_cov_spec spec = {1, proc, cols};
        for (size_t i = 0; i < 200; i++)
            Z1[i] = (double)(i % 2);
        assert_int_equal(cv_cov_model_fit_pen(&cv_model_bgnbd, &d, &spec, &life, &cf, &err),
                         CV_ERR_USAGE);
        assert_string_equal(err.msg, "penalty: reg.life = nan must be a number >= 0");
        cv_cov_fit_free(&cf);
    }
}

/* Covariates simulated with real effects; reg.lambdas 0, 0.01, 0.1, 1, 10 on both processes:
   the norm of the coefficients falls at each step, and lambda 0 is the unpenalized fit. */
static void test_penalty_shrinks(void **state)
{
    static const double est[8] = {0.8, 10.0, 0.7, 2.5, 0.5, -0.3, -0.4, 0.2};
    static const double lam[5] = {0, 0.01, 0.1, 1, 10};
    const double *cols[4] = {Z1, Z2, Z1, Z2};
    const unsigned proc[4] = {CV_COV_TRANS, CV_COV_TRANS, CV_COV_LIFE, CV_COV_LIFE};
    const cv_cov_spec spec = {4, proc, cols};
    cv_model_data d = {N, X, TX, TT, NULL, NULL};
    cv_rng rng;
    cv_error err;
    double last = INFINITY;
    (void)state;
    cv_rng_seed(&rng, 3);
    for (size_t i = 0; i < N; i++) {
        Z1[i] = cv_rng_uniform(&rng) < 0.4 ? 1.0 : 0.0;
        Z2[i] = cv_rng_normal(&rng);
        TT[i] = 26.0 + (double)(i % 52);
    }
    assert_int_equal(cv_cov_simulate(&cv_model_bgnbd, est, &spec, N, 7, TT, X, TX, &err), 0);
    for (int k = 0; k < 5; k++) {
        cv_penalty pen = {0, CV_PENALTY_LOG, lam[k], lam[k], 0};
        cv_cov_fit fit;
        double norm = 0;
        int rc = cv_cov_model_fit_pen(&cv_model_bgnbd, &d, &spec, &pen, &fit, &err);
        assert_true(rc <= 1);
        for (int c = 4; c < 8; c++)
            norm += fit.est[c] * fit.est[c];
        if (!(norm < last))
            fail_msg("lambda %g: |gamma|^2 = %g, not below %g", lam[k], norm, last);
        if (k == 0) {
            cv_cov_fit ml;
            assert_true(cv_cov_model_fit(&cv_model_bgnbd, &d, &spec, &ml, &err) <= 1);
            assert_memory_equal(ml.est, fit.est, sizeof(double) * 8);
            assert_memory_equal(&ml.loglik, &fit.loglik, sizeof ml.loglik);
            cv_cov_fit_free(&ml);
        }
        last = norm;
        cv_cov_fit_free(&fit);
    }
}

/* The penalized fit found again by another method: Nelder-Mead (no gradients) over the plain
   log-likelihood (cv_cov_loglik) plus CLVTools' penalty and a log penalty written out here,
   restarted from its own end until it stops moving; the estimates agree to 1e-6. */
typedef struct {
    const cv_model_data *d;
    const cv_cov_spec *spec;
    double nobs;
} nm_ctx;

static double nm_objective(int n, const double *th, double *g, void *v)
{
    const nm_ctx *c = v;
    double ll, pen = 0;
    cv_error err;
    (void)g;
    if (cv_cov_loglik(&cv_model_pareto_nbd, th, c->d, c->spec, &ll, NULL, &err) != 0)
        return NAN;
    for (int j = 0; j < 4; j++)
        pen += 0.01 * th[j] * th[j]; /* penalizer 0.01 on log r, alpha, s, beta */
    pen += 0.5 * (th[4] * th[4]);    /* trans z1, reg trans 0.5 */
    pen += 2.0 * (th[5] * th[5]);    /* life z1, reg life 2 */
    pen += 2.5 * (th[6] * th[6]);    /* constrained z2: both */
    (void)n;
    return -ll / c->nobs + pen;
}

static void test_penalty_nelder_mead_agrees(void **state)
{
    static const double est[7] = {0.6, 9.0, 0.5, 11.0, 0.4, -0.3, 0.2};
    const double *cols[3] = {Z1, Z1, Z2};
    const unsigned proc[3] = {CV_COV_TRANS, CV_COV_LIFE, CV_COV_TRANS | CV_COV_LIFE};
    const cv_cov_spec spec = {3, proc, cols};
    cv_model_data d = {2000, X, TX, TT, NULL, NULL};
    cv_penalty pen = {0.01, CV_PENALTY_LOG, 0.5, 2.0, 0};
    cv_optim_opts oo;
    cv_optim_result res;
    cv_cov_fit fit;
    cv_rng rng;
    cv_error err;
    nm_ctx c = {&d, &spec, 2000};
    double th[7], prev = INFINITY;
    (void)state;
    cv_rng_seed(&rng, 9);
    for (size_t i = 0; i < 2000; i++) {
        Z1[i] = cv_rng_uniform(&rng) < 0.5 ? 1.0 : 0.0;
        Z2[i] = cv_rng_normal(&rng);
        TT[i] = 26.0 + (double)(i % 52);
    }
    assert_int_equal(cv_cov_simulate(&cv_model_pareto_nbd, est, &spec, 2000, 5, TT, X, TX, &err),
                     0);
    assert_int_equal(cv_cov_model_fit_pen(&cv_model_pareto_nbd, &d, &spec, &pen, &fit, &err), 0);
    for (int j = 0; j < 7; j++)
        th[j] = 0.0; /* from p = 1 and no effects: far from the fit */
    cv_optim_defaults(&oo);
    oo.max_eval = 200000;
    oo.ftol = 1e-16;
    for (int round = 0; round < 30; round++) {
        int rc = cv_optim_nelder_mead(7, th, nm_objective, &c, &oo, &res, &err);
        assert_true(rc <= 1);
        if (!(res.f < prev - 1e-15))
            break;
        prev = res.f;
    }
    for (int j = 0; j < 7; j++) {
        double mine = j < 4 ? log(fit.est[j]) : fit.est[j];
        if (!(fabs(th[j] - mine) < 1e-6))
            fail_msg("theta[%d]: fit %.10g, nelder-mead %.10g", j, mine, th[j]);
    }
    near(res.f, fit.objective, 1e-12);
    cv_cov_fit_free(&fit);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_penalty_zero_is_ml),
        cmocka_unit_test(test_penalty_value),
        cmocka_unit_test(test_penalty_gradient),
        cmocka_unit_test(test_penalty_boundary_to_interior),
        cmocka_unit_test(test_penalty_refusals),
        cmocka_unit_test(test_penalty_shrinks),
        cmocka_unit_test(test_penalty_nelder_mead_agrees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
