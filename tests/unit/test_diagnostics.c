/* Unit tests of the model diagnostics (src/core/model_diagnostics.c). Every expected
   number is checked against an independent one: a Monte Carlo of the model's story
   (cv_model_simulate), sums that must equal the number of customers, closed forms of
   P(alive), numerical integrals of the densities, and CDNOW's counts (Fader, Hardie & Lee
   2005: 1,411 of the 2,357 customers made no repeat purchase in the 39 weeks). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/diagnostics.h"
#include "cvkit/models.h"
#include "data.h"

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.10g, want %.10g (tolerance %g)", what, got, want, tol);
}

/* Published or typical parameters of each model (weeks; BG/BB per period). */
static const double P_BG[4] = {0.243, 4.414, 0.793, 2.426};   /* FHL 2005, CDNOW */
static const double P_MBG[4] = {0.525, 6.183, 0.891, 1.614};  /* CDNOW (BTYDplus) */
static const double P_PNBD[4] = {0.553, 10.58, 0.606, 11.67}; /* FHL 2005, CDNOW */
static const double P_NBD[2] = {0.385, 12.07};
static const double P_BGBB[4] = {1.204, 0.750, 0.657, 2.783}; /* FHS 2010, donations */
static const double P_GG[3] = {6.25, 3.74, 15.44};            /* F&H 2013, CDNOW */

/* Simulates n customers of model at p with ages cycling through T[0..nt-1] and checks the
   expected histogram against the simulated one: each count within 4.5 binomial standard
   deviations (plus 1), and the sum equal to n. */
static void check_mc(const cv_model *model, const double *p, const double *Ts, size_t nt)
{
    enum { N = 30000, K = 6 };
    double *T = malloc(sizeof(double) * N), *x = malloc(sizeof(double) * N);
    double *tx = malloc(sizeof(double) * N), e[K + 1], a[K + 1], sum = 0.0;
    cv_model_data d;
    cv_error err;
    size_t i;
    int k;
    for (i = 0; i < N; i++)
        T[i] = Ts[i % nt];
    assert_int_equal(cv_model_simulate(model, p, N, 7, T, x, tx, NULL, &err), 0);
    d.n = N, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    assert_int_equal(cv_diag_histogram(model, p, &d, K, e, a, &err), 0);
    for (k = 0; k <= K; k++) {
        char what[64];
        snprintf(what, sizeof what, "%s: customers with %d%s", model->name, k, k == K ? "+" : "");
        near(a[k], e[k], 4.5 * sqrt(e[k] * (1 - e[k] / N)) + 1.0, what);
        sum += e[k];
    }
    near(sum, N, 1e-6, "expected sums to the customers");
    free(T), free(x), free(tx);
}

static void test_diagnostics_histogram_monte_carlo(void **state)
{
    const double weeks[3] = {12.0, 26.5, 39.0}, periods[2] = {3.0, 6.0};
    (void)state;
    check_mc(&cv_model_bgnbd, P_BG, weeks, 3);
    check_mc(&cv_model_mbgnbd, P_MBG, weeks, 3);
    check_mc(&cv_model_pareto_nbd, P_PNBD, weeks, 3);
    check_mc(&cv_model_nbd, P_NBD, weeks, 3);
    check_mc(&cv_model_bgbb, P_BGBB, periods, 2);
}

/* The PMFs here (MBG/NBD, BG/BB) sum to 1 over every count. */
static void test_diagnostics_pmf_sums_to_one(void **state)
{
    double s = 0.0;
    int k;
    (void)state;
    for (k = 0; k < 400; k++)
        s += cv_diag_pmf(&cv_model_mbgnbd, P_MBG, 39.0, k);
    near(s, 1.0, 1e-9, "MBG/NBD");
    for (s = 0.0, k = 0; k <= 11; k++)
        s += cv_diag_pmf(&cv_model_bgbb, P_BGBB, 11.0, k);
    near(s, 1.0, 1e-12, "BG/BB");
    near(cv_diag_pmf(&cv_model_bgbb, P_BGBB, 3.0, 4.0), 0.0, 0.0, "more than n");
    near(cv_diag_pmf(&cv_model_bgnbd, P_BG, 0.0, 0.0), 1.0, 0.0, "t = 0");
    assert_true(isnan(cv_diag_pmf(&cv_model_sbg, P_BG, 3.0, 1.0)));
}

/* Pareto/NBD's PMF by quadrature equals the closed form where both compute, and stands in
   where the closed form cannot (s and beta at the boundary, as on the apparel data: then mu
   hardly varies and the law is the NBD stopped at an exponential lifetime of rate s/beta). */
static void test_diagnostics_pnbd_quadrature(void **state)
{
    const double edge[4] = {1.312, 47.7, 3.932e6, 4.851e8};
    double s = 0.0;
    int k;
    (void)state;
    for (k = 0; k < 8; k++)
        near(cv_diag_pmf_pnbd_quad(P_PNBD, 39.0, k),
             cv_model_pareto_nbd.predict(P_PNBD, CV_PRED_PMF, 0, 0, 0, 0, 39.0, k), 1e-9,
             "quadrature = closed form");
    for (k = 0; k < 300; k++)
        s += cv_diag_pmf(&cv_model_pareto_nbd, edge, 39.86, k);
    near(s, 1.0, 1e-8, "boundary parameters: sums to 1");
    {
        /* mu fixed at s/beta: P(X = 0) = e^(-mu t) NB(0; t) + int_0^t NB(0; tau) mu e^(-mu tau) */
        const double mu = 3.932e6 / 4.851e8, t = 39.86, h = t / 20000;
        double v = exp(-mu * t) * pow(47.7 / (47.7 + t), 1.312), in = 0.0;
        int i;
        for (i = 0; i < 20000; i++) {
            double tau = (i + 0.5) * h;
            in += pow(47.7 / (47.7 + tau), 1.312) * mu * exp(-mu * tau) * h;
        }
        near(cv_diag_pmf(&cv_model_pareto_nbd, edge, t, 0), v + in, 1e-6, "fixed mu");
    }
}

/* CDNOW with FHL's published BG/NBD parameters: 1,411 customers without a repeat purchase,
   and the model's histogram within 4% of it in the zero class (FHL 2005, Figure 2 shows
   the fit), summing to 2,357. */
static void test_diagnostics_histogram_cdnow(void **state)
{
    const char *path = data_path("cdnow_customers_summary.csv");
    FILE *f = fopen(path, "r");
    double *x = calloc(3000, sizeof(double)), *tx = calloc(3000, sizeof(double));
    double *T = calloc(3000, sizeof(double)), e[8], a[8], sum = 0.0;
    char line[256];
    size_t n = 0;
    cv_model_data d;
    cv_error err;
    int k;
    (void)state;
    if (!f)
        fail_msg("cannot open %s (set CVKIT_DATA)", path);
    assert_non_null(fgets(line, sizeof line, f));
    while (n < 3000 && fgets(line, sizeof line, f))
        if (sscanf(line, "%*d,%lf,%lf,%lf", &x[n], &tx[n], &T[n]) == 3)
            n++;
    fclose(f);
    assert_int_equal(n, 2357);
    d.n = n, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    assert_int_equal(cv_diag_histogram(&cv_model_bgnbd, P_BG, &d, 7, e, a, &err), 0);
    near(a[0], 1411, 0, "actual zero class");
    for (k = 0; k <= 7; k++)
        sum += e[k];
    near(sum, 2357, 1e-6, "expected sum");
    near(e[0], 1411, 0.04 * 1411, "expected zero class");
    x[5] = -1; /* a negative frequency is refused, never an index */
    assert_int_equal(cv_diag_histogram(&cv_model_bgnbd, P_BG, &d, 7, e, a, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "row 6"));
    free(x), free(tx), free(T);
}

/* Holdout groups: totals are the sums of the rows; the recency groups split by t_x. */
static void test_diagnostics_holdout_groups(void **state)
{
    double x[6] = {0, 1, 1, 3, 5, 2}, tx[6] = {0, 5, 30, 20, 38, 39},
           T[6] = {39, 39, 39, 39, 39, 39};
    double hold[6] = {0, 1, 0, 2, 4, 1}, w[6] = {3, 1, 1, 1, 1, 2};
    double lo[3], hi[3], n[3], act[3], exp_[3], one, e2 = 0.0;
    cv_model_data d = {6, x, tx, T, NULL, w};
    cv_error err;
    int i;
    (void)state;
    assert_int_equal(cv_diag_holdout(&cv_model_bgnbd, P_BG, &d, hold, 39.0, CV_DIAG_BY_FREQUENCY, 3,
                                     lo, hi, n, act, exp_, &err),
                     0);
    near(n[0], 3, 0, "x = 0"), near(n[1], 2, 0, "x = 1"), near(n[2], 4, 0, "x >= 2");
    near(act[2], 2 + 4 + 2, 0, "holdout x >= 2"), near(lo[2], 2, 0, "lo"), near(hi[2], 5, 0, "hi");
    for (i = 0; i < 6; i++) {
        cv_model_data one_d = {1, &x[i], &tx[i], &T[i], NULL, NULL};
        assert_int_equal(
            cv_model_predict(&cv_model_bgnbd, P_BG, CV_PRED_CONDITIONAL, &one_d, 39, 0, &one, &err),
            0);
        e2 += w[i] * one;
    }
    near(exp_[0] + exp_[1] + exp_[2], e2, 1e-9, "expected total");
    assert_int_equal(cv_diag_holdout(&cv_model_bgnbd, P_BG, &d, hold, 39.0, CV_DIAG_BY_RECENCY, 3,
                                     lo, hi, n, act, exp_, &err),
                     0);
    /* group 0: x = 0; (0, 19.5]: t_x 5; (19.5, 39]: t_x 30, 20, 38 and 39 (weight 2) */
    near(n[0], 3, 0, "no repeat"), near(n[1], 1, 0, "early"), near(n[2], 5, 0, "late");
    near(lo[2], 20, 0, "late lo"), near(hi[2], 39, 0, "late hi");
    hold[2] = -1;
    assert_int_equal(cv_diag_holdout(&cv_model_bgnbd, P_BG, &d, hold, 39.0, CV_DIAG_BY_RECENCY, 3,
                                     lo, hi, n, act, exp_, &err),
                     CV_ERR_USAGE);
    assert_int_equal(cv_diag_holdout(&cv_model_gamma_gamma, P_GG, &d, hold, 39.0,
                                     CV_DIAG_BY_RECENCY, 3, lo, hi, n, act, exp_, &err),
                     CV_ERR_USAGE);
}

/* The grid: BG/NBD's P(alive) at t_x = T is 1 / (1 + a / (b + x - 1)) (FHL 2005, eq. 11
   with t_x = T); row x = 0 repeats its one value; BG/BB marks impossible cells NaN. */
static void test_diagnostics_matrix(void **state)
{
    double xs[4], txs[5], z[20], xb[3], tb[4], zb[12];
    cv_error err;
    int j;
    (void)state;
    assert_int_equal(
        cv_diag_matrix(&cv_model_bgnbd, P_BG, CV_PRED_P_ALIVE, 39.0, 4, 5, 0, xs, txs, z, &err), 0);
    near(txs[4], 4.5 * 39 / 5, 1e-12, "recency mid-bin");
    near(z[0], 1.0, 0, "x = 0: alive");
    for (j = 1; j < 5; j++)
        near(z[j], z[0], 0, "row x = 0 repeats");
    near(cv_model_bgnbd.predict(P_BG, CV_PRED_P_ALIVE, 3, 39, 39, 0, 0, 0),
         1.0 / (1.0 + 0.793 / (2.426 + 2)), 1e-12, "closed form");
    assert_true(z[3 * 5 + 4] > z[3 * 5 + 0]); /* more recent, more alive */
    assert_int_equal(
        cv_diag_matrix(&cv_model_bgbb, P_BGBB, CV_PRED_P_ALIVE, 3.0, 3, 4, 0, xb, tb, zb, &err), 0);
    assert_true(isnan(zb[0 * 4 + 1]) && isnan(zb[2 * 4 + 1]) && isnan(zb[1 * 4 + 0]));
    near(zb[1 * 4 + 2], cv_model_bgbb.predict(P_BGBB, CV_PRED_P_ALIVE, 1, 2, 3, 0, 0, 0), 0,
         "bgbb cell");
    assert_int_equal(
        cv_diag_matrix(&cv_model_bgbb, P_BGBB, CV_PRED_P_ALIVE, 3.0, 3, 5, 0, xb, tb, zb, &err),
        CV_ERR_USAGE);
    assert_int_equal(cv_diag_matrix(&cv_model_gamma_gamma, P_GG, CV_PRED_P_ALIVE, 3.0, 3, 4, 0, xb,
                                    tb, zb, &err),
                     CV_ERR_USAGE);
}

/* Each mixing density integrates to 1 and to its mean (midpoint rule). */
static void test_diagnostics_mixings(void **state)
{
    const cv_model *models[6] = {&cv_model_bgnbd, &cv_model_pareto_nbd,  &cv_model_bgbb,
                                 &cv_model_nbd,   &cv_model_gamma_gamma, &cv_model_mbgnbd};
    const double *ps[6] = {P_BG, P_PNBD, P_BGBB, P_NBD, P_GG, P_MBG};
    int counts[6] = {2, 2, 2, 1, 1, 2}, i, k, j;
    (void)state;
    for (i = 0; i < 6; i++) {
        cv_diag_mixing m[2];
        assert_int_equal(cv_diag_mixings(models[i], ps[i], m), counts[i]);
        for (k = 0; k < counts[i]; k++) {
            /* over u = v^a (smooth where the density is singular at 0) */
            double a = m[k].a < 1 ? m[k].a : 1.0, hi = m[k].beta ? 1.0 : m[k].mean + 40 * m[k].sd;
            double h = pow(hi, a) / 400000, s = 0, mu = 0;
            if (m[k].beta && m[k].b < 1)
                continue; /* singular at 1 too: the midpoint rule is too rough */
            for (j = 0; j < 400000; j++) {
                double u = (j + 0.5) * h, v = pow(u, 1.0 / a);
                double f = cv_diag_density(&m[k], v) * pow(u, 1.0 / a - 1.0) / a;
                s += f * h, mu += v * f * h;
            }
            near(s, 1.0, 2e-3, m[k].name);
            near(mu, m[k].mean, 2e-3 * (1 + m[k].mean), m[k].name);
        }
    }
    {
        cv_diag_mixing m[2];
        cv_diag_mixings(&cv_model_pareto_nbd, P_PNBD, m);
        assert_string_equal(m[1].name, "mu");
        near(m[1].mean, 0.606 / 11.67, 1e-15, "E[mu] = s / beta");
        near(cv_diag_density(&m[0], -1.0), 0.0, 0, "outside");
    }
}

/* Gamma-Gamma's spend distribution: against a Monte Carlo of the model's story. */
static void test_diagnostics_spend_monte_carlo(void **state)
{
    enum { N = 40000, NB = 6 };
    double *x = malloc(sizeof(double) * N), *m = malloc(sizeof(double) * N);
    double cuts[NB - 1] = {15, 25, 35, 50, 80}, e[NB], a[NB], s = 0.0;
    cv_model_data d;
    cv_error err;
    size_t i;
    int k;
    (void)state;
    for (i = 0; i < N; i++)
        x[i] = (double)(i % 5); /* a fifth with x = 0: left out */
    assert_int_equal(cv_model_simulate(&cv_model_gamma_gamma, P_GG, N, 3, x, x, NULL, m, &err), 0);
    d.n = N, d.x = x, d.t_x = NULL, d.T = NULL, d.m = m, d.w = NULL;
    assert_int_equal(cv_diag_spend(P_GG, &d, cuts, NB, e, a, &err), 0);
    for (k = 0; k < NB; k++) {
        near(a[k], e[k], 4.5 * sqrt(e[k]) + 1, "spend bin");
        s += e[k];
    }
    near(s, N * 4 / 5, 1e-6, "expected sums to the buyers");
    cuts[2] = 20;
    assert_int_equal(cv_diag_spend(P_GG, &d, cuts, NB, e, a, &err), CV_ERR_USAGE);
    free(x), free(m);
}

/* One customer's history: P(alive) is 1 at 0, equals the model's P(alive) with what was
   known at each time, and right after a purchase it is 1 / (1 + a / (b + x - 1)). */
static void test_diagnostics_palive_path(void **state)
{
    double purch[3] = {4.0, 10.0, 10.0}, t[5] = {0.0, 4.0, 7.0, 10.0, 30.0}, out[5];
    cv_error err;
    (void)state;
    assert_int_equal(cv_diag_palive_path(&cv_model_bgnbd, P_BG, purch, 3, t, 5, out, &err), 0);
    near(out[0], 1.0, 0, "t = 0");
    near(out[1], 1.0 / (1.0 + 0.793 / 2.426), 1e-12, "after the first repeat");
    near(out[3], 1.0 / (1.0 + 0.793 / (2.426 + 2)), 1e-12, "after the third");
    near(out[2], cv_model_bgnbd.predict(P_BG, CV_PRED_P_ALIVE, 1, 4, 7, 0, 0, 0), 1e-15, "t = 7");
    assert_true(out[4] < out[3] && out[2] < out[1]);
    purch[1] = 2.0;
    assert_int_equal(cv_diag_palive_path(&cv_model_bgnbd, P_BG, purch, 3, t, 5, out, &err),
                     CV_ERR_USAGE);
    assert_int_equal(cv_diag_palive_path(&cv_model_gamma_gamma, P_GG, purch, 0, t, 5, out, &err),
                     CV_ERR_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diagnostics_histogram_monte_carlo),
        cmocka_unit_test(test_diagnostics_pmf_sums_to_one),
        cmocka_unit_test(test_diagnostics_pnbd_quadrature),
        cmocka_unit_test(test_diagnostics_histogram_cdnow),
        cmocka_unit_test(test_diagnostics_holdout_groups),
        cmocka_unit_test(test_diagnostics_matrix),
        cmocka_unit_test(test_diagnostics_mixings),
        cmocka_unit_test(test_diagnostics_spend_monte_carlo),
        cmocka_unit_test(test_diagnostics_palive_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
