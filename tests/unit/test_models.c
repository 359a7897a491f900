/* Unit tests of the customer-base models against published estimates:
     BG/NBD, Pareto/NBD on CDNOW (Fader, Hardie & Lee 2005, Marketing Science 24(2));
     MBG/NBD on CDNOW (BTYDplus, as quoted by the lifetimes test suite);
     BG/BB on the donations data (Fader, Hardie & Shang 2010);
     sBG on the two cohorts of Fader & Hardie (2007), "How to project customer retention";
     Gamma-Gamma on CDNOW (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").
   Data are read from $CVKIT_DATA, default ../shared/data (tests/unit/data.h), with plain stdio.
   Predictions without a published number are checked against an independent computation
   (direct sums, quadrature, or Monte Carlo of the model's story written out here). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/models.h"
#include "cvkit/special.h"
#include "data.h"

typedef struct {
    size_t n;
    double *x, *tx, *T, *m, *w;
} dataset;

/* Reads a CSV of numbers with a header line: ncol columns, the first skip of them ignored
   (an ID), the rest into x, tx, T, m/w in order. */
static dataset load(const char *path, int skip, int ncol)
{
    dataset d;
    char line[512];
    FILE *f = fopen(path, "r");
    double *cols[4];
    size_t cap = 4096;
    memset(&d, 0, sizeof d);
    if (!f)
        fail_msg("cannot open %s (set CVKIT_DATA to the folder of the shared datasets)", path);
    d.x = calloc(cap, sizeof(double)), d.tx = calloc(cap, sizeof(double));
    d.T = calloc(cap, sizeof(double)), d.m = calloc(cap, sizeof(double));
    d.w = calloc(cap, sizeof(double));
    cols[0] = d.x, cols[1] = d.tx, cols[2] = d.T, cols[3] = d.m;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f) && d.n < cap) {
        char *p = line, *end;
        int c;
        for (c = 0; c < ncol; c++) {
            double v = strtod(p, &end);
            if (end == p)
                break;
            if (c >= skip)
                cols[c - skip][d.n] = v;
            p = end + (*end == ',');
        }
        if (c == ncol)
            d.n++;
    }
    fclose(f);
    return d;
}

static void dataset_free(dataset *d)
{
    free(d->x), free(d->tx), free(d->T), free(d->m), free(d->w);
}

static cv_model_data view(const dataset *d, int with_m, int m_is_weight)
{
    cv_model_data v;
    v.n = d->n;
    v.x = d->x, v.t_x = d->tx, v.T = d->T;
    v.m = with_m && !m_is_weight ? d->m : NULL;
    v.w = m_is_weight ? d->m : NULL;
    return v;
}

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.6f, want %.6f (tolerance %g)", what, got, want, tol);
}

static double pred1(const cv_model *m, const double *p, cv_pred k, double x, double tx, double T,
                    double mm, double arg, double arg2)
{
    return m->predict(p, k, x, tx, T, mm, arg, arg2);
}

/* ---- registry, rows --------------------------------------------------------------------- */

static void test_models_registry(void **state)
{
    size_t n;
    const cv_model *const *all = cv_model_list(&n);
    (void)state;
    assert_int_equal(n, 7);
    assert_ptr_equal(all[0], &cv_model_bgnbd);
    assert_ptr_equal(all[6], &cv_model_nbd);
    assert_null(all[7]);
    assert_ptr_equal(cv_model_find("BG/NBD"), &cv_model_bgnbd);
    assert_ptr_equal(cv_model_find("pnbd"), &cv_model_pareto_nbd);
    assert_ptr_equal(cv_model_find("gammagamma"), &cv_model_gamma_gamma);
    assert_ptr_equal(cv_model_find("sbg"), &cv_model_sbg);
    assert_null(cv_model_find("nope"));
    assert_int_equal(cv_pred_parse("conditional"), CV_PRED_CONDITIONAL);
    assert_string_equal(cv_pred_name(CV_PRED_DERL), "derl");
    assert_int_equal(cv_pred_parse("x"), -1);
}

static void test_models_collapse(void **state)
{
    const double x[] = {2, 0, 2, 1, 0, 2}, tx[] = {5, 0, 5, 3, 0, 4};
    const double T[] = {9, 9, 9, 9, 9, 9}, w[] = {1, 2, 3, 1, 1, 1};
    cv_model_data d = {6, x, tx, T, NULL, w};
    cv_model_rows r;
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_collapse(&d, &r, &err), 0);
    assert_int_equal(r.data.n, 4); /* (0,0,9) x2 rows, (1,3,9), (2,4,9), (2,5,9) x2 */
    assert_null(r.data.m);
    assert_float_equal(r.x[0], 0, 0), assert_float_equal(r.w[0], 3, 0);
    assert_float_equal(r.x[1], 1, 0), assert_float_equal(r.w[1], 1, 0);
    assert_float_equal(r.t_x[2], 4, 0), assert_float_equal(r.w[2], 1, 0);
    assert_float_equal(r.t_x[3], 5, 0), assert_float_equal(r.w[3], 4, 0);
    cv_model_rows_free(&r);
}

/* Past 100,000 rows the collapse runs in two parts on two threads and merges them: rows
   (i mod 7, i mod 13, i mod 11 + 0.5) for i < 200,200 repeat with period 1001, so there are
   1001 distinct rows, each seen 200 times, in blocks of weight 1 and 3 by turns: weight 400
   each, in strictly increasing (x, t_x, T) order. */
static void test_models_collapse_large(void **state)
{
    const size_t n = 200200;
    double *x = malloc(n * sizeof *x), *tx = malloc(n * sizeof *tx);
    double *T = malloc(n * sizeof *T), *w = malloc(n * sizeof *w);
    cv_model_rows r;
    cv_error err;
    size_t i;
    (void)state;
    assert_true(x && tx && T && w);
    for (i = 0; i < n; i++)
        x[i] = (double)(i % 7), tx[i] = (double)(i % 13), T[i] = (double)(i % 11) + 0.5,
        w[i] = (i / 1001) % 2 ? 3.0 : 1.0;
    cv_model_data d = {n, x, tx, T, NULL, w};
    assert_int_equal(cv_model_collapse(&d, &r, &err), 0);
    assert_int_equal(r.data.n, 1001);
    for (i = 0; i < r.data.n; i++) {
        assert_float_equal(r.w[i], 400, 0); /* 100 rows of weight 1 and 100 of weight 3 */
        if (i > 0)
            assert_true(
                r.x[i - 1] < r.x[i] ||
                (r.x[i - 1] == r.x[i] &&
                 (r.t_x[i - 1] < r.t_x[i] || (r.t_x[i - 1] == r.t_x[i] && r.T[i - 1] < r.T[i]))));
    }
    assert_float_equal(r.x[0], 0, 0), assert_float_equal(r.t_x[0], 0, 0);
    assert_float_equal(r.T[0], 0.5, 0);
    assert_float_equal(r.x[1000], 6, 0), assert_float_equal(r.t_x[1000], 12, 0);
    assert_float_equal(r.T[1000], 10.5, 0);
    cv_model_rows_free(&r);
    free(x), free(tx), free(T), free(w);
}

static void test_models_bad_input(void **state)
{
    const double x[] = {1, 2}, tx[] = {3, 40}, T[] = {39, 39};
    cv_model_data d = {2, x, tx, T, NULL, NULL};
    const double p[4] = {1, 1, 1, 1}, bad[4] = {1, -1, 1, 1};
    cv_fit fit;
    cv_error err;
    double out[2];
    (void)state;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 2: recency t_x must lie between 0 and the age T (x = 2, "
                                 "t_x = 40, T = 39)");
    d.t_x = NULL;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "bgnbd needs the recency column t_x");
    d.t_x = tx;
    assert_int_equal(cv_model_predict(&cv_model_bgnbd, p, CV_PRED_DERL, &d, 0.1, 0, out, &err),
                     CV_ERR_USAGE);
    assert_string_equal(err.msg, "bgnbd does not predict 'derl'");
    assert_int_equal(cv_model_predict(&cv_model_bgnbd, bad, CV_PRED_P_ALIVE, &d, 0, 0, out, &err),
                     CV_ERR_USAGE);
    assert_string_equal(err.msg, "bgnbd: parameter alpha = -1 must be positive");
    assert_int_equal(cv_model_predict(&cv_model_bgnbd, p, CV_PRED_P_ALIVE, &d, 0, 0, out, &err),
                     CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 2: recency t_x must lie between 0 and the age T (x = 2, "
                                 "t_x = 40, T = 39)");
    {
        const double s[] = {1000, 900, 950};
        cv_model_rows r;
        assert_int_equal(cv_model_sbg_from_survivors(s, 3, &r, &err), CV_ERR_USAGE);
        assert_string_equal(err.msg, "survivor count 3 (950) exceeds the one before (900)");
    }
}

/* ---- gradients against finite differences -------------------------------------------- */

static void check_gradient(const cv_model *m, const cv_model_data *d, const double *p)
{
    double g[CV_MODEL_MAXP], ll, lp, lm, q[CV_MODEL_MAXP];
    int i;
    assert_int_equal(m->loglik(p, d, &ll, g), 0);
    for (i = 0; i < m->nparams; i++) {
        double h = 1e-6 * p[i], fd;
        memcpy(q, p, sizeof(double) * (size_t)m->nparams);
        q[i] = p[i] + h;
        assert_int_equal(m->loglik(q, d, &lp, NULL), 0);
        q[i] = p[i] - h;
        assert_int_equal(m->loglik(q, d, &lm, NULL), 0);
        fd = (lp - lm) / (2 * h);
        if (!(fabs(g[i] - fd) <= 1e-5 * (fabs(fd) + 1.0)))
            fail_msg("%s d/d%s: analytic %.10g, finite difference %.10g", m->name,
                     m->param_names[i], g[i], fd);
    }
}

static void test_models_gradients(void **state)
{
    dataset c = load(data_path("cdnow_customers_summary_with_transactions.csv"), 1, 5);
    dataset b = load(data_path("donations.csv"), 0, 4);
    cv_model_data dc = view(&c, 1, 0), db = view(&b, 1, 1);
    const double pb[4] = {0.3, 5.0, 0.9, 2.0}, pp[4] = {0.5, 9.0, 0.7, 13.0};
    const double pp2[4] = {0.5, 14.0, 0.7, 9.0}, pg[3] = {5.0, 3.0, 20.0};
    const double pbb[4] = {1.1, 0.8, 0.7, 2.5}, ps[2] = {0.6, 3.0};
    const double s[] = {1000, 869, 743, 653, 593, 551, 517, 491};
    cv_model_rows r;
    cv_error err;
    (void)state;
    check_gradient(&cv_model_bgnbd, &dc, pb);
    check_gradient(&cv_model_mbgnbd, &dc, pb);
    check_gradient(&cv_model_pareto_nbd, &dc, pp);  /* alpha < beta form */
    check_gradient(&cv_model_pareto_nbd, &dc, pp2); /* alpha > beta form */
    check_gradient(&cv_model_gamma_gamma, &dc, pg);
    check_gradient(&cv_model_bgbb, &db, pbb);
    assert_int_equal(cv_model_sbg_from_survivors(s, 8, &r, &err), 0);
    check_gradient(&cv_model_sbg, &r.data, ps);
    cv_model_rows_free(&r);
    dataset_free(&c), dataset_free(&b);
}

/* ---- BG/NBD -------------------------------------------------------------------------------- */

static void test_models_bgnbd_cdnow(void **state)
{
    dataset c = load(data_path("cdnow_customers_summary.csv"), 1, 4);
    cv_model_data d = view(&c, 0, 0);
    cv_fit fit;
    cv_error err;
    (void)state;
    assert_int_equal(c.n, 2357);
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 0);
    assert_true(fit.optim.converged);
    /* FHL 2005, section 4: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4 */
    near(fit.params[0], 0.243, 0.001, "r");
    near(fit.params[1], 4.414, 0.001, "alpha");
    near(fit.params[2], 0.793, 0.001, "a");
    near(fit.params[3], 2.426, 0.001, "b");
    near(fit.loglik, -9582.4, 0.1, "LL");
    near(fit.n_obs, 2357, 0, "N");
    assert_true(fit.n_rows < 2357);
    near(fit.aic, 2 * 4 + 2 * 9582.4, 0.2, "AIC");
    near(fit.bic, 4 * log(2357.0) + 2 * 9582.4, 0.2, "BIC");
    assert_true(fit.se[0] > 0 && fit.se[0] < 0.1 && fit.se[3] > 0 && fit.se[3] < 2);
    dataset_free(&c);
}

/* Time measured in seconds instead of weeks: alpha scales by 604,800 (to 2.7e6, far past
   the boundary check's 1.6e5, but well determined), the other parameters and the
   log-likelihood up to its Jacobian term x log(604800) stay put. */
static void test_models_bgnbd_time_unit(void **state)
{
    dataset c = load(data_path("cdnow_customers_summary.csv"), 1, 4);
    cv_model_data d = view(&c, 0, 0);
    const double k = 604800.0;
    double sx = 0;
    cv_fit fit;
    cv_error err;
    size_t i;
    (void)state;
    for (i = 0; i < c.n; i++)
        c.tx[i] *= k, c.T[i] *= k, sx += c.x[i];
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 0);
    near(fit.params[0], 0.243, 0.001, "r");
    near(fit.params[1] / k, 4.414, 0.001, "alpha / 604800");
    near(fit.params[2], 0.793, 0.001, "a");
    near(fit.params[3], 2.426, 0.001, "b");
    near(fit.loglik + sx * log(k), -9582.4, 0.1, "LL + x log k");
    dataset_free(&c);
}

static void test_models_bgnbd_predictions(void **state)
{
    const double p[4] = {0.243, 4.414, 0.793, 2.426};
    double sum = 0, mean = 0, e39;
    int k;
    (void)state;
    /* FHL 2005, section 5: customer with x = 2, t_x = 30.43, T = 38.86 is expected to make
       1.226 purchases in the next 39 weeks */
    near(pred1(&cv_model_bgnbd, p, CV_PRED_CONDITIONAL, 2, 30.43, 38.86, 0, 39, 0), 1.226, 0.0005,
         "E[Y(39) | 2, 30.43, 38.86]");
    /* P(alive) by hand: 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) */
    near(pred1(&cv_model_bgnbd, p, CV_PRED_P_ALIVE, 2, 30.43, 38.86, 0, 0, 0),
         1.0 / (1.0 + 0.793 / 3.426 * pow((4.414 + 38.86) / (4.414 + 30.43), 2.243)), 1e-12,
         "P(alive)");
    near(pred1(&cv_model_bgnbd, p, CV_PRED_P_ALIVE, 0, 0, 38.86, 0, 0, 0), 1.0, 0, "P(alive|x=0)");
    /* the PMF sums to 1 and its mean is E[X(t)] */
    e39 = pred1(&cv_model_bgnbd, p, CV_PRED_EXPECTED, 0, 0, 0, 0, 39, 0);
    for (k = 0; k < 400; k++) {
        double v = pred1(&cv_model_bgnbd, p, CV_PRED_PMF, 0, 0, 0, 0, 39, k);
        sum += v;
        mean += k * v;
    }
    near(sum, 1.0, 1e-9, "sum of P(X(39) = k)");
    near(mean, e39, 1e-7, "mean of the PMF");
    /* P(X(t) = 0) for the BG/NBD is the NBD zero term: (alpha/(alpha+t))^r */
    near(pred1(&cv_model_bgnbd, p, CV_PRED_PMF, 0, 0, 0, 0, 39, 0), pow(4.414 / 43.414, 0.243),
         1e-12, "P(X(39) = 0)");
}

/* The path of conditional expectations (all horizons of a customer at once, as CLV uses
   it) gives what the one-by-one prediction gives, for BG/NBD and MBG/NBD, from a new
   customer to one with 200 purchases, and FHL's 1.226 for their customer at t = 39. */
static void test_models_conditional_path(void **state)
{
    const double p[4] = {0.243, 4.414, 0.793, 2.426};
    const double xs[] = {0, 2, 50, 200}, Ts[] = {0, 1, 38.86, 150};
    const cv_model *models[] = {&cv_model_bgnbd, &cv_model_mbgnbd};
    double t[80], a[80];
    size_t i, j, k, m;
    (void)state;
    for (k = 0; k < 80; k++)
        t[k] = 0.75 * (double)(k + 1);
    for (m = 0; m < 2; m++)
        for (i = 0; i < 4; i++)
            for (j = 0; j < 4; j++) {
                models[m]->conditional_path(p, xs[i], Ts[j], t, 80, a);
                for (k = 0; k < 80; k++)
                    near(
                        a[k],
                        pred1(models[m], p, CV_PRED_CONDITIONAL_ALIVE, xs[i], 0, Ts[j], 0, t[k], 0),
                        1e-12, "conditional path");
            }
    t[0] = 39;
    cv_model_bgnbd.conditional_path(p, 2, 38.86, t, 1, a);
    near(a[0] * pred1(&cv_model_bgnbd, p, CV_PRED_P_ALIVE, 2, 30.43, 38.86, 0, 0, 0), 1.226, 0.0005,
         "E[Y(39) | 2, 30.43, 38.86] through the path");
    assert_null(cv_model_pareto_nbd.conditional_path);
}

/* Monte Carlo of E[X(T)] for new customers from the model's own story (written out here):
   the sample mean must lie within 4 standard errors of the closed form. */
static void check_expected_by_simulation(const cv_model *m, const double *p, double T, size_t n)
{
    double *x = malloc(n * sizeof(double)), *tx = malloc(n * sizeof(double));
    double *Ts = malloc(n * sizeof(double)), s = 0, ss = 0, mean, sd, want;
    size_t i;
    cv_error err;
    for (i = 0; i < n; i++)
        Ts[i] = T;
    assert_int_equal(cv_model_simulate(m, p, n, 42, Ts, x, tx, NULL, &err), 0);
    for (i = 0; i < n; i++)
        s += x[i], ss += x[i] * x[i];
    mean = s / n;
    sd = sqrt((ss / n - mean * mean) / n);
    want = pred1(m, p, CV_PRED_EXPECTED, 0, 0, 0, 0, T, 0);
    if (!(fabs(mean - want) <= 4 * sd))
        fail_msg("%s: simulated E[X(%g)] = %.5f +- %.5f, closed form %.5f", m->name, T, mean, sd,
                 want);
    free(x), free(tx), free(Ts);
}

static void test_models_simulation_matches_expectations(void **state)
{
    const double bg[4] = {0.243, 4.414, 0.793, 2.426}, mbg[4] = {0.525, 6.183, 0.891, 1.614};
    const double pn[4] = {0.553, 10.578, 0.606, 11.669}, bb[4] = {1.204, 0.750, 0.657, 2.783};
    (void)state;
    check_expected_by_simulation(&cv_model_bgnbd, bg, 39, 400000);
    check_expected_by_simulation(&cv_model_bgnbd, bg, 78, 200000);
    check_expected_by_simulation(&cv_model_mbgnbd, mbg, 32, 400000);
    check_expected_by_simulation(&cv_model_pareto_nbd, pn, 39, 400000);
    check_expected_by_simulation(&cv_model_bgbb, bb, 6, 400000);
}

/* Gamma-Gamma draws: the mean of the simulated mean spends is p gamma / (q - 1) for every
   x; sBG draws: the share still active after t periods is S(t). */
static void test_models_simulation_spend_and_retention(void **state)
{
    const double gg[3] = {6.25, 3.74, 15.44}, sbg[2] = {0.704, 1.182};
    const size_t n = 200000;
    double *x = malloc(n * sizeof(double)), *m = malloc(n * sizeof(double));
    double *T = malloc(n * sizeof(double)), *tx = malloc(n * sizeof(double));
    double s = 0, want = 6.25 * 15.44 / 2.74, alive = 0;
    size_t i;
    cv_error err;
    (void)state;
    for (i = 0; i < n; i++)
        x[i] = (double)(1 + i % 5), T[i] = 7;
    assert_int_equal(cv_model_simulate(&cv_model_gamma_gamma, gg, n, 5, NULL, x, NULL, m, &err), 0);
    for (i = 0; i < n; i++)
        s += m[i];
    /* sd(m) is about 27 (mostly from 1/nu, heavy-tailed with q = 3.74 < 4), so the standard
       error of the mean is about 0.06: a 1% band (0.35) is about 6 of them */
    near(s / n, want, 0.01 * want, "mean simulated spend");
    assert_int_equal(cv_model_simulate(&cv_model_sbg, sbg, n, 6, T, x, tx, NULL, &err), 0);
    for (i = 0; i < n; i++) {
        assert_true(x[i] >= 0 && x[i] <= 7);
        alive += x[i] >= 7;
    }
    near(alive / n, pred1(&cv_model_sbg, sbg, CV_PRED_SURVIVAL, 0, 0, 0, 0, 7, 0), 0.004,
         "simulated S(7)");
    free(x), free(m), free(T), free(tx);
}

static void test_models_simulation_deterministic(void **state)
{
    const double p[4] = {0.243, 4.414, 0.793, 2.426}, T[5] = {39, 39, 20, 10, 1};
    double x1[5], t1[5], x2[5], t2[5];
    cv_rng rng;
    cv_error err;
    double s = 0, ss = 0;
    int i;
    (void)state;
    /* splitmix64 from seed 0 gives 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, ... (Vigna) */
    cv_rng_seed(&rng, 0);
    assert_true(rng.s[0] == 0xe220a8397b1dcdafULL);
    assert_true(rng.s[1] == 0x6e789e6aa1b965f4ULL);
    assert_true(rng.s[2] == 0x06c45d188009454fULL);
    assert_true(rng.s[3] == 0xf88bb8a8724c81ecULL);
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, p, 5, 7, T, x1, t1, NULL, &err), 0);
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, p, 5, 7, T, x2, t2, NULL, &err), 0);
    assert_memory_equal(x1, x2, sizeof x1);
    assert_memory_equal(t1, t2, sizeof t1);
    for (i = 0; i < 5; i++)
        assert_true(t1[i] <= T[i] && (x1[i] > 0 || t1[i] == 0));
    /* gamma draws: mean = shape, variance = shape */
    cv_rng_seed(&rng, 1);
    for (i = 0; i < 200000; i++) {
        double g = cv_rng_gamma(&rng, 0.4);
        s += g, ss += g * g;
    }
    near(s / 200000, 0.4, 4 * sqrt(0.4 / 200000), "gamma mean");
    near(ss / 200000 - (s / 200000) * (s / 200000), 0.4, 0.01, "gamma variance");
    /* Poisson draws (direct and split above a mean of 30): mean = variance = the mean */
    {
        const double means[2] = {3.5, 75.0};
        int j;
        for (j = 0; j < 2; j++) {
            s = ss = 0;
            for (i = 0; i < 100000; i++) {
                double k = cv_rng_poisson(&rng, means[j]);
                assert_true(k == floor(k) && k >= 0);
                s += k, ss += k * k;
            }
            near(s / 100000, means[j], 4 * sqrt(means[j] / 100000), "poisson mean");
            near(ss / 100000 - (s / 100000) * (s / 100000), means[j], 0.03 * means[j],
                 "poisson variance");
        }
    }
    /* beta draws: mean a / (a + b) */
    s = 0;
    for (i = 0; i < 100000; i++)
        s += cv_rng_beta(&rng, 0.793, 2.426);
    near(s / 100000, 0.793 / 3.219, 0.0027, "beta mean"); /* sd 0.21: 4 standard errors */
}

static void test_models_fit_recovers_simulated(void **state)
{
    const double p[4] = {0.5, 6.0, 0.8, 2.5};
    size_t n = 60000, i;
    double *x = malloc(n * sizeof(double)), *tx = malloc(n * sizeof(double));
    double *T = malloc(n * sizeof(double));
    cv_model_data d;
    cv_fit fit;
    cv_error err;
    (void)state;
    for (i = 0; i < n; i++)
        T[i] = 20.0 + (double)(i % 40); /* staggered cohorts */
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, p, n, 2024, T, x, tx, NULL, &err), 0);
    d.n = n, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 0);
    for (i = 0; i < 4; i++)
        if (!(fabs(fit.params[i] - p[i]) <= 4 * fit.se[i]))
            fail_msg("%s = %.4f (se %.4f), true %.4f", cv_model_bgnbd.param_names[i], fit.params[i],
                     fit.se[i], p[i]);
    free(x), free(tx), free(T);
}

/* ---- Pareto/NBD ------------------------------------------------------------------------------ */

static void test_models_pareto_cdnow(void **state)
{
    dataset c = load(data_path("cdnow_customers_summary.csv"), 1, 4);
    cv_model_data d = view(&c, 0, 0);
    const double pub[4] = {0.553, 10.578, 0.606, 11.669};
    double llpub;
    cv_fit fit;
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_fit(&cv_model_pareto_nbd, &d, NULL, &fit, &err), 0);
    /* FHL 2005 (Pareto/NBD on the same data): r = 0.553, alpha = 10.578, s = 0.606,
       beta = 11.669, LL = -9595.0. beta is barely identified (se 6.2): we allow 0.002. */
    near(fit.params[0], 0.553, 0.001, "r");
    near(fit.params[1], 10.578, 0.001, "alpha");
    near(fit.params[2], 0.606, 0.001, "s");
    near(fit.params[3], 11.669, 0.002, "beta");
    near(fit.loglik, -9595.0, 0.1, "LL");
    /* the published point is within rounding of our maximum */
    assert_int_equal(cv_model_loglik(&cv_model_pareto_nbd, pub, &d, &llpub, NULL, &err), 0);
    assert_true(llpub <= fit.loglik && fit.loglik - llpub < 0.001);
    /* standard errors from CLVTools' test suite (Hessian at the MLE): 0.0476, 0.8427,
       0.1873, 6.2105; within 1% */
    near(fit.se[0], 0.0476264, 0.0005, "se r");
    near(fit.se[1], 0.8427222, 0.0084, "se alpha");
    near(fit.se[2], 0.1872594, 0.0019, "se s");
    near(fit.se[3], 6.2105448, 0.062, "se beta");
    dataset_free(&c);
}

/* E[1/(mu + delta)] for mu ~ Gamma(s, rate c) by Simpson's rule after u = c mu = v^(1/s),
   which removes the u^(s-1) singularity: (1/Gamma(s+1)) int_0^V e^-u c/(u + delta c) dv */
static double mean_inverse(double s, double c, double delta)
{
    const int n = 200000;
    const double V = pow(60.0, s), h = V / n;
    double sum = 0;
    int i;
    for (i = 0; i <= n; i++) {
        double u = pow(i * h, 1.0 / s), f = exp(-u) * c / (u + delta * c);
        sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
    }
    return sum * h / 3 / exp(cv_lgamma(s + 1.0));
}

static void test_models_pareto_predictions(void **state)
{
    const double p[4] = {0.553, 10.578, 0.606, 11.669};
    const double x = 2, tx = 30.43, T = 38.86, delta = 0.15 / 52;
    double alive = pred1(&cv_model_pareto_nbd, p, CV_PRED_P_ALIVE, x, tx, T, 0, 0, 0);
    double dert = pred1(&cv_model_pareto_nbd, p, CV_PRED_DERT, x, tx, T, 0, delta, 0);
    double cond = pred1(&cv_model_pareto_nbd, p, CV_PRED_CONDITIONAL, x, tx, T, 0, 39, 0);
    double want;
    (void)state;
    assert_true(alive > 0 && alive < 1);
    /* DERT = P(alive) E[lambda | alive] E[1/(mu + delta) | alive], by quadrature */
    want = alive * (p[0] + x) / (p[1] + T) * mean_inverse(p[2], p[3] + T, delta);
    near(dert, want, 1e-6 * want, "DERT");
    /* E[Y(t) | alive] = E[lambda] E[(1 - e^-mu t)/mu], the latter by quadrature too:
       as t grows the conditional expectation approaches DERT at delta -> 0 for s > 1 only,
       so check the t -> 0 slope instead: E[Y(t)]/t -> P(alive) (r+x)/(alpha+T) */
    near(pred1(&cv_model_pareto_nbd, p, CV_PRED_CONDITIONAL, x, tx, T, 0, 1e-6, 0) / 1e-6,
         alive * (p[0] + x) / (p[1] + T), 1e-6, "slope of E[Y(t)] at 0");
    assert_true(cond > 0 && cond < 39 * (p[0] + x) / (p[1] + T));
    /* a customer with x = 0 at T = 0 is alive for sure */
    near(pred1(&cv_model_pareto_nbd, p, CV_PRED_P_ALIVE, 0, 0, 1e-9, 0, 0, 0), 1.0, 1e-6,
         "P(alive | new)");
}

/* Every customer of CDNOW gets a finite P(alive) in [0, 1] and a finite conditional
   expectation from each continuous-time model at its published parameters; and the
   histories that once made CLVTools' Pareto/NBD P(alive) NaN (their test suite:
   x = 221, 254, 161, 204 over about 100 weeks) stay finite. */
static void test_models_predictions_stable(void **state)
{
    dataset c = load(data_path("cdnow_customers_summary.csv"), 1, 4);
    cv_model_data d = view(&c, 0, 0);
    const cv_model *ms[3] = {&cv_model_bgnbd, &cv_model_pareto_nbd, &cv_model_mbgnbd};
    const double ps[3][4] = {
        {0.243, 4.414, 0.793, 2.426}, {0.553, 10.578, 0.606, 11.669}, {0.525, 6.183, 0.891, 1.614}};
    const double hx[4] = {221, 254, 161, 204}, htx[4] = {103.42857, 97.14286, 94.71429, 98.57143};
    const double hT[4] = {103.57143, 97.28571, 98.00000, 99.42857};
    const double hp[4] = {0.5143, 2.8845, 0.2856, 14.1087};
    cv_model_data h = {4, hx, htx, hT, NULL, NULL};
    double *out = malloc(c.n * sizeof(double));
    cv_error err;
    size_t i;
    int k;
    (void)state;
    for (k = 0; k < 3; k++) {
        assert_int_equal(cv_model_predict(ms[k], ps[k], CV_PRED_P_ALIVE, &d, 0, 0, out, &err), 0);
        for (i = 0; i < c.n; i++)
            assert_true(out[i] >= 0.0 && out[i] <= 1.0);
        assert_int_equal(cv_model_predict(ms[k], ps[k], CV_PRED_CONDITIONAL, &d, 39, 0, out, &err),
                         0);
        for (i = 0; i < c.n; i++)
            assert_true(isfinite(out[i]) && out[i] >= 0.0);
    }
    assert_int_equal(
        cv_model_predict(&cv_model_pareto_nbd, hp, CV_PRED_P_ALIVE, &h, 0, 0, out, &err), 0);
    for (i = 0; i < 4; i++)
        assert_true(out[i] > 0.0 && out[i] <= 1.0);
    free(out);
    dataset_free(&c);
}

/* The Pareto/NBD likelihood in its integral form, by composite Simpson on [t_x, T]:
   L = Gamma(r+x) alpha^r beta^s / Gamma(r) [(alpha+T)^-(r+x) (beta+T)^-s
       + s int_{t_x}^{T} (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau]. */
static double pnbd_ll_simpson(const double *p, double x, double tx, double T)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const int n = 20000;
    const double h = (T - tx) / n;
    const double l0 = -(r + x) * log(al + tx) - (s + 1) * log(be + tx);
    double sum = 0, first, b;
    int i;
    for (i = 0; i <= n && h > 0; i++) {
        double t = tx + i * h;
        double f = exp(-(r + x) * log(al + t) - (s + 1) * log(be + t) - l0);
        sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
    }
    first = -(r + x) * log(al + T) - s * log(be + T);
    b = exp(first - l0) + s * sum * h / 3;
    return cv_lgamma(r + x) - cv_lgamma(r) + r * log(al) + s * log(be) + l0 + log(b);
}

static void test_models_pareto_likelihood_forms(void **state)
{
    /* CDNOW's estimates (2F1 series, alpha < beta), alpha > beta, and beta >> alpha where
       the 2F1 argument nears 1 and the model integrates instead */
    const double ps[4][4] = {{0.553, 10.578, 0.606, 11.669},
                             {0.5, 40.0, 0.7, 2.0},
                             {1.2, 30.0, 0.3, 3000.0},
                             {1.3, 47.0, 1200.0, 1.4e5}};
    const double cx[5] = {0, 2, 5, 20, 1}, ctx[5] = {0, 30.43, 10, 5, 39},
                 cT[5] = {38.86, 38.86, 40, 40, 39};
    int k, i;
    (void)state;
    for (k = 0; k < 4; k++)
        for (i = 0; i < 5; i++) {
            cv_model_data one = {1, &cx[i], &ctx[i], &cT[i], NULL, NULL};
            double ll, want = pnbd_ll_simpson(ps[k], cx[i], ctx[i], cT[i]);
            assert_int_equal(cv_model_pareto_nbd.loglik(ps[k], &one, &ll, NULL), 0);
            if (!(fabs(ll - want) <= 1e-9 * fabs(want)))
                fail_msg("params %d, customer %d: log L %.12f, by quadrature %.12f", k, i, ll,
                         want);
        }
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static long days_from_civil(long y, long m, long d)
{
    long era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The apparel data (600 customers, 40 weekly periods from the first date): its dropout
   process is weak, so BG/NBD's a, b and Pareto/NBD's s, beta run to infinity. The fits
   must end quickly and say so; MBG/NBD has an interior maximum. */
static void test_models_apparel_boundary(void **state)
{
    FILE *f = fopen(data_path("apparelTrans.csv"), "r");
    char line[256];
    static long first[1000], last[1000], cal_end;
    static double x[1000], tx[1000], T[1000];
    static long seen_day[1000];
    long start = -1, n = 0, id, y, m, d, day;
    cv_model_data data;
    cv_fit fit;
    cv_error err;
    int i;
    (void)state;
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    for (i = 0; i < 1000; i++)
        first[i] = -1, seen_day[i] = -1, x[i] = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "\"%ld\",%ld-%ld-%ld", &id, &y, &m, &d) != 4 || id < 0 || id >= 1000)
            continue;
        day = days_from_civil(y, m, d);
        if (start < 0 || day < start)
            start = day;
        if (first[id] < 0 || day < first[id])
            first[id] = day;
    }
    cal_end = start + 40 * 7;
    rewind(f);
    assert_non_null(fgets(line, sizeof line, f));
    /* the file is sorted by customer and date: count distinct days after the first */
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "\"%ld\",%ld-%ld-%ld", &id, &y, &m, &d) != 4 || id < 0 || id >= 1000)
            continue;
        day = days_from_civil(y, m, d);
        if (day > cal_end || day == seen_day[id])
            continue;
        if (seen_day[id] >= 0 && day > first[id])
            x[id] += 1;
        seen_day[id] = day;
        last[id] = day;
    }
    fclose(f);
    for (i = 0; i < 1000; i++)
        if (first[i] >= 0 && first[i] <= cal_end) {
            x[n] = x[i];
            tx[n] = (last[i] - first[i]) / 7.0;
            T[n] = (cal_end - first[i]) / 7.0;
            n++;
        }
    assert_int_equal(n, 600);
    data.n = (size_t)n, data.x = x, data.t_x = tx, data.T = T, data.m = NULL, data.w = NULL;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &data, NULL, &fit, &err), 1);
    assert_string_equal(fit.optim.message,
                        "a, b ran to the boundary: the data do not identify them");
    assert_false(fit.optim.converged);
    assert_true(isfinite(fit.loglik) && fit.params[2] > 1e5);
    assert_int_equal(cv_model_fit(&cv_model_pareto_nbd, &data, NULL, &fit, &err), 1);
    assert_string_equal(fit.optim.message,
                        "s, beta ran to the boundary: the data do not identify them");
    assert_true(fit.optim.evaluations <= 3000);
    assert_int_equal(cv_model_fit(&cv_model_mbgnbd, &data, NULL, &fit, &err), 0);
    assert_true(fit.optim.converged && fit.params[2] < 100);
}

/* ---- MBG/NBD -----------------------------------------------------------------------------------
 */

static void test_models_mbgnbd_cdnow(void **state)
{
    dataset c = load(data_path("cdnow_customers_summary.csv"), 1, 4);
    cv_model_data d = view(&c, 0, 0);
    cv_fit fit;
    cv_error err;
    const double p[4] = {0.525, 6.183, 0.891, 1.614};
    (void)state;
    assert_int_equal(cv_model_fit(&cv_model_mbgnbd, &d, NULL, &fit, &err), 0);
    /* lifetimes' test_params_out_is_close_to_BTYDplus: 0.525, 6.183, 0.891, 1.614 */
    near(fit.params[0], 0.525, 0.001, "r");
    near(fit.params[1], 6.183, 0.001, "alpha");
    near(fit.params[2], 0.891, 0.001, "a");
    near(fit.params[3], 1.614, 0.001, "b");
    /* a new MBG customer may have dropped out at once: P(alive | x = 0, T = 0) = b/(a+b) */
    near(pred1(&cv_model_mbgnbd, p, CV_PRED_P_ALIVE, 0, 0, 0, 0, 0, 0), 1.614 / (0.891 + 1.614),
         1e-12, "P(alive) at 0");
    /* E[Y | x = 0, t_x = 0, T = 0] is E[X(t)] of a new customer */
    near(pred1(&cv_model_mbgnbd, p, CV_PRED_CONDITIONAL, 0, 0, 0, 0, 30, 0),
         pred1(&cv_model_mbgnbd, p, CV_PRED_EXPECTED, 0, 0, 0, 0, 30, 0), 1e-10, "E[X(30)]");
    dataset_free(&c);
}

/* ---- BG/BB
 * ---------------------------------------------------------------------------------------- */

static void test_models_bgbb_donations(void **state)
{
    dataset b = load(data_path("donations.csv"), 0, 4);
    cv_model_data d = view(&b, 1, 1);
    const double p[4] = {1.204, 0.750, 0.657, 2.783};
    cv_fit fit;
    cv_error err;
    (void)state;
    near(b.n, 22, 0, "rows");
    assert_int_equal(cv_model_fit(&cv_model_bgbb, &d, NULL, &fit, &err), 0);
    near(fit.n_obs, 11104, 0, "N");
    /* FHS 2010: alpha = 1.204, beta = 0.750, gamma = 0.657, delta = 2.783, LL = -33,225.6 */
    near(fit.params[0], 1.204, 0.001, "alpha");
    near(fit.params[1], 0.750, 0.001, "beta");
    near(fit.params[2], 0.657, 0.001, "gamma");
    near(fit.params[3], 2.783, 0.001, "delta");
    near(fit.loglik, -33225.6, 0.1, "LL");
    /* P(alive) for three histories: lifetimes' simulation check (0.11, 0.59, 0.93, +-0.01) */
    near(pred1(&cv_model_bgbb, p, CV_PRED_P_ALIVE, 0, 0, 6, 0, 0, 0), 0.11, 0.01, "P(alive|0,0)");
    near(pred1(&cv_model_bgbb, p, CV_PRED_P_ALIVE, 2, 4, 6, 0, 0, 0), 0.59, 0.01, "P(alive|2,4)");
    near(pred1(&cv_model_bgbb, p, CV_PRED_P_ALIVE, 6, 6, 6, 0, 0, 0), 0.93, 0.01, "P(alive|6,6)");
    dataset_free(&b);
}

/* Monte Carlo of the BG/BB story over n + ns periods: the mean number of transactions in
   the last ns periods among customers whose first n periods show (x, t_x). */
static double bgbb_mc(const double *p, double x, double tx, int n, int ns, int draws, double *se)
{
    cv_rng rng;
    double s = 0, ss = 0, k = 0;
    int i, t;
    cv_rng_seed(&rng, 99);
    for (i = 0; i < draws; i++) {
        double q = cv_rng_beta(&rng, p[0], p[1]), th = cv_rng_beta(&rng, p[2], p[3]);
        int alive = 1, cx = 0, last = 0, fut = 0;
        for (t = 1; t <= n + ns && alive; t++) {
            if (cv_rng_uniform(&rng) < th) {
                alive = 0;
                break;
            }
            if (cv_rng_uniform(&rng) < q) {
                if (t <= n)
                    cx++, last = t;
                else
                    fut++;
            }
        }
        if (cx == (int)x && last == (int)tx)
            s += fut, ss += (double)fut * fut, k++;
    }
    *se = sqrt((ss / k - (s / k) * (s / k)) / k);
    return s / k;
}

static void test_models_bgbb_conditional(void **state)
{
    const double p[4] = {1.204, 0.750, 0.657, 2.783};
    double se, mc;
    (void)state;
    mc = bgbb_mc(p, 6, 6, 6, 5, 300000, &se);
    near(pred1(&cv_model_bgbb, p, CV_PRED_CONDITIONAL, 6, 6, 6, 0, 5, 0), mc, 4 * se,
         "E[X(6, 11) | 6, 6]");
    mc = bgbb_mc(p, 2, 4, 6, 5, 600000, &se);
    near(pred1(&cv_model_bgbb, p, CV_PRED_CONDITIONAL, 2, 4, 6, 0, 5, 0), mc, 4 * se,
         "E[X(6, 11) | 2, 4]");
}

/* ---- sBG
 * -------------------------------------------------------------------------------------------- */

static void test_models_sbg_cohorts(void **state)
{
    /* Fader & Hardie (2007), survivors in years 0..7. The paper's "regular" cohort is
       1000, 631, 468, 382, 326, 289, 262, 241 (alpha = 0.704, beta = 1.182) and its "high
       end" cohort 1000, 869, 743, 653, 593, 551, 517, 491 (alpha = 0.668, beta = 3.806). */
    const double reg[8] = {1000, 631, 468, 382, 326, 289, 262, 241};
    const double high[8] = {1000, 869, 743, 653, 593, 551, 517, 491};
    cv_model_rows r;
    cv_fit fit;
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_sbg_from_survivors(reg, 8, &r, &err), 0);
    assert_int_equal(cv_model_fit(&cv_model_sbg, &r.data, NULL, &fit, &err), 0);
    near(fit.params[0], 0.704, 0.001, "regular alpha");
    near(fit.params[1], 1.182, 0.001, "regular beta");
    near(fit.n_obs, 1000, 0, "N");
    cv_model_rows_free(&r);
    assert_int_equal(cv_model_sbg_from_survivors(high, 8, &r, &err), 0);
    assert_int_equal(cv_model_fit(&cv_model_sbg, &r.data, NULL, &fit, &err), 0);
    near(fit.params[0], 0.668, 0.001, "high end alpha");
    near(fit.params[1], 3.806, 0.001, "high end beta");
    cv_model_rows_free(&r);
}

static void test_models_sbg_predictions(void **state)
{
    const double p[2] = {0.704, 1.182};
    double s = 1.0, sum = 0.0, sn1;
    int t, n = 5;
    const double d = 0.10;
    (void)state;
    /* S(t) is the product of the retention rates r(i) = (beta+i-1)/(alpha+beta+i-1) */
    for (t = 1; t <= 12; t++) {
        s *= (p[1] + t - 1) / (p[0] + p[1] + t - 1);
        near(pred1(&cv_model_sbg, p, CV_PRED_SURVIVAL, 0, 0, 0, 0, t, 0), s, 1e-12, "S(t)");
        near(pred1(&cv_model_sbg, p, CV_PRED_RETENTION, 0, 0, 0, 0, t, 0),
             (p[1] + t - 1) / (p[0] + p[1] + t - 1), 1e-15, "r(t)");
    }
    /* DERL of a customer with n - 1 = 4 renewals: sum_k S(n+k)/S(n-1) / (1+d)^k, summed
       directly over 20,000 periods */
    sn1 = pred1(&cv_model_sbg, p, CV_PRED_SURVIVAL, 0, 0, 0, 0, n - 1, 0);
    s = pred1(&cv_model_sbg, p, CV_PRED_SURVIVAL, 0, 0, 0, 0, n, 0) / sn1;
    for (t = 0; t < 20000; t++) {
        sum += s * pow(1 + d, -t);
        s *= (p[1] + n + t) / (p[0] + p[1] + n + t);
    }
    near(pred1(&cv_model_sbg, p, CV_PRED_DERL, n - 1, 0, 0, 0, d, 0), sum, 1e-9, "DERL");
}

/* ---- Gamma-Gamma ----------------------------------------------------------------------------- */

static void test_models_gamma_gamma_cdnow(void **state)
{
    dataset c = load(data_path("cdnow_customers_summary_with_transactions.csv"), 1, 5);
    cv_model_data d = view(&c, 1, 0);
    const double pub[3] = {6.25, 3.74, 15.44};
    double llpub, rho;
    size_t i, pos = 0;
    cv_fit fit;
    cv_error err;
    (void)state;
    for (i = 0; i < c.n; i++)
        pos += c.x[i] > 0;
    assert_int_equal(pos, 946);
    assert_int_equal(cv_model_fit(&cv_model_gamma_gamma, &d, NULL, &fit, &err), 0);
    /* Fader & Hardie (2013): p = 6.25, q = 3.74, gamma = 15.44 (two decimals; gamma has
       se 4.2, so we allow one unit in the last place) */
    near(fit.n_obs, 946, 0, "N (customers with x > 0)");
    near(fit.params[0], 6.25, 0.01, "p");
    near(fit.params[1], 3.74, 0.01, "q");
    near(fit.params[2], 15.44, 0.01, "gamma");
    assert_int_equal(cv_model_loglik(&cv_model_gamma_gamma, pub, &d, &llpub, NULL, &err), 0);
    assert_true(llpub <= fit.loglik && fit.loglik - llpub < 0.01);
    /* the note reports a correlation of 0.11 between frequency and mean spend */
    rho = cv_model_spend_correlation(&d);
    near(rho, 0.11, 0.005, "corr(x, m)");
    /* E[M | x = 2, m = 22.35] = p (gamma + x m)/(p x + q - 1), by hand: 24.6637... */
    near(pred1(&cv_model_gamma_gamma, pub, CV_PRED_SPEND, 2, 0, 0, 22.35, 0, 0),
         6.25 * (15.44 + 44.70) / (12.5 + 2.74), 1e-12, "E[M]");
    near(pred1(&cv_model_gamma_gamma, pub, CV_PRED_SPEND, 0, 0, 0, 0, 0, 0), 6.25 * 15.44 / 2.74,
         1e-12, "population mean spend");
    dataset_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_models_registry),
        cmocka_unit_test(test_models_collapse),
        cmocka_unit_test(test_models_collapse_large),
        cmocka_unit_test(test_models_bad_input),
        cmocka_unit_test(test_models_gradients),
        cmocka_unit_test(test_models_bgnbd_cdnow),
        cmocka_unit_test(test_models_bgnbd_time_unit),
        cmocka_unit_test(test_models_bgnbd_predictions),
        cmocka_unit_test(test_models_conditional_path),
        cmocka_unit_test(test_models_simulation_matches_expectations),
        cmocka_unit_test(test_models_simulation_spend_and_retention),
        cmocka_unit_test(test_models_simulation_deterministic),
        cmocka_unit_test(test_models_fit_recovers_simulated),
        cmocka_unit_test(test_models_pareto_cdnow),
        cmocka_unit_test(test_models_pareto_predictions),
        cmocka_unit_test(test_models_predictions_stable),
        cmocka_unit_test(test_models_pareto_likelihood_forms),
        cmocka_unit_test(test_models_apparel_boundary),
        cmocka_unit_test(test_models_mbgnbd_cdnow),
        cmocka_unit_test(test_models_bgbb_donations),
        cmocka_unit_test(test_models_bgbb_conditional),
        cmocka_unit_test(test_models_sbg_cohorts),
        cmocka_unit_test(test_models_sbg_predictions),
        cmocka_unit_test(test_models_gamma_gamma_cdnow),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
