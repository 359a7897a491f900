/* Unit tests of the predictions added for issue 16: the conditional PMF P(Y(t) = k | x, t_x,
   T) and P(active) = P(Y(t) > 0 | ...) of the BG/NBD, MBG/NBD, Pareto/NBD and BG/BB, the
   new customer's PMF of the MBG/NBD and BG/BB, and the BG/BB's DERT. Each against an
   independent computation: the PMF sums to 1 with the existing expectations as its mean,
   Monte Carlo of the models' stories (importance-weighted by the likelihood of the history
   for the continuous-time models, exact conditioning for the BG/BB), the direct discounted
   sum of the BG/BB's conditional expectations, and the published figures of Hardie's BG/BB
   spreadsheet for the donations data (FHS 2010). */
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
#include "data.h"

static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s: got %.12g, want %.12g (tolerance %g)", what, got, want, tol);
}

static double pred1(const cv_model *m, const double *p, cv_pred kind, double x, double tx, double T,
                    double arg, double arg2)
{
    cv_model_data d = {1, &x, &tx, &T, NULL, NULL};
    double out = NAN;
    cv_error err;
    int rc = cv_model_predict(m, p, kind, &d, arg, arg2, &out, &err);
    if (rc != 0)
        fail_msg("%s %s: %s", m->name, cv_pred_name(kind), err.msg);
    return out;
}

/* CDNOW's BG/NBD and Pareto/NBD estimates (FHL 2005; Fader & Hardie 2005), an MBG/NBD point
   and FHS 2010's BG/BB estimates on the donations. */
static const double BG[4] = {0.243, 4.414, 0.793, 2.426};
static const double PN[4] = {0.553, 10.578, 0.606, 11.669};
static const double MBG[4] = {0.5, 6.0, 0.9, 3.0};
static const double BB[4] = {1.204, 0.750, 0.657, 2.783};
static const double NBD[2] = {0.85, 4.45}; /* BTYDplus's nbd.GenerateData example */

/* The conditional PMF over k = 0..kmax sums to 1, its mean is CONDITIONAL, and P_ACTIVE is
   1 - its value at 0: for the four continuous-time models at light, lapsed and heavy
   histories (CDNOW's weeks) and horizons (the NBD's CONDITIONAL is the closed form
   (r+x) t / (alpha+T)). */
static void test_predmore_pmf_sums_to_one(void **state)
{
    const cv_model *ms[4] = {&cv_model_bgnbd, &cv_model_mbgnbd, &cv_model_pareto_nbd,
                             &cv_model_nbd};
    const double *ps[4] = {BG, MBG, PN, NBD};
    const double h[5][4] = {/* x, t_x, T, t */
                            {2, 30.43, 38.86, 39},
                            {0, 0, 38.86, 39},
                            {20, 38, 38.86, 52},
                            {7, 10, 60, 13},
                            {1, 0.5, 0.5, 4}};
    int i, j, k;
    (void)state;
    for (i = 0; i < 4; i++)
        for (j = 0; j < 5; j++) {
            const double x = h[j][0], tx = h[j][1], T = h[j][2], t = h[j][3];
            double s = 0, mean = 0, c, p0 = 0;
            char what[96];
            for (k = 0; k <= 600; k++) {
                double v = pred1(ms[i], ps[i], CV_PRED_PMF_CONDITIONAL, x, tx, T, t, k);
                if (!(v >= 0.0 && v <= 1.0))
                    fail_msg("%s: P(Y = %d) = %g", ms[i]->name, k, v);
                if (k == 0)
                    p0 = v;
                s += v, mean += k * v;
            }
            c = pred1(ms[i], ps[i], CV_PRED_CONDITIONAL, x, tx, T, t, 0);
            snprintf(what, sizeof what, "%s (%g, %g, %g), t = %g", ms[i]->name, x, tx, T, t);
            near(s, 1.0, 1e-10, what);
            near(mean, c, 1e-8 * c, what);
            near(pred1(ms[i], ps[i], CV_PRED_P_ACTIVE, x, tx, T, t, 0), 1.0 - p0, 1e-12, what);
        }
}

/* For one history (x, t_x, T), the share of draws from the prior, weighted by the
   likelihood of the history, whose simulated future (T, T+t] holds k purchases, k = 0, 1, 2,
   and >= 1 (est[3]); se the standard errors of these weighted means. model: 0 BG/NBD,
   1 MBG/NBD, 2 Pareto/NBD. The future is simulated event by event (purchase times,
   dropout), not from the formulas under test. */
static void posterior_mc(int model, const double *p, double x, double tx, double T, double t,
                         int draws, double *est, double *se)
{
    cv_rng rng;
    double sw = 0, sw2 = 0, acc[4] = {0, 0, 0, 0}, *w = malloc(sizeof(double) * draws);
    unsigned char *y = malloc((size_t)draws);
    int i, k;
    assert_non_null(w);
    assert_non_null(y);
    cv_rng_seed(&rng, 1616);
    for (i = 0; i < draws; i++) {
        const double lam = cv_rng_gamma(&rng, p[0]) / p[1];
        double a, b, u = cv_rng_uniform(&rng), now = 0.0, life = INFINITY;
        int n = 0;
        if (model < 2) {
            const double q = cv_rng_beta(&rng, p[2], p[3]);
            /* alive at T, and dropped out after the x-th purchase (MBG: also x = 0) */
            a = exp(x * log(lam) - lam * T + (x + model) * log1p(-q));
            b = (x > 0 || model)
                    ? exp(x * log(lam) - lam * tx + log(q) + (x + model - 1.0) * log1p(-q))
                    : 0.0;
            if (u < a / (a + b)) /* alive at T: buy, dropping out after each purchase */
                for (;;) {
                    now += cv_rng_exp(&rng) / lam;
                    if (now > t)
                        break;
                    n++;
                    if (cv_rng_uniform(&rng) < q)
                        break;
                }
        } else {
            const double mu = cv_rng_gamma(&rng, p[2]) / p[3], s = lam + mu;
            a = exp(x * log(lam) - s * T);
            b = exp(x * log(lam) + log(mu / s)) * (exp(-s * tx) - exp(-s * T));
            if (u < a / (a + b)) {
                life = cv_rng_exp(&rng) / mu; /* memoryless: the rest of the lifetime */
                for (;;) {
                    now += cv_rng_exp(&rng) / lam;
                    if (now > t || now > life)
                        break;
                    n++;
                }
            }
        }
        w[i] = a + b;
        y[i] = (unsigned char)(n > 3 ? 3 : n);
        sw += w[i], sw2 += w[i] * w[i];
        if (n <= 2)
            acc[n] += w[i];
        if (n >= 1)
            acc[3] += w[i];
    }
    for (k = 0; k < 4; k++) {
        double v = 0.0;
        est[k] = acc[k] / sw;
        for (i = 0; i < draws; i++) {
            int hit = k < 3 ? y[i] == k : y[i] >= 1;
            v += w[i] * w[i] * (hit - est[k]) * (hit - est[k]);
        }
        se[k] = sqrt(v) / sw;
    }
    (void)sw2;
    free(w);
    free(y);
}

/* P(Y = 0, 1, 2 | history) and P(active) against the posterior Monte Carlo, within 4
   standard errors (and the standard errors small enough for the test to bite). */
static void test_predmore_posterior_monte_carlo(void **state)
{
    const cv_model *ms[3] = {&cv_model_bgnbd, &cv_model_mbgnbd, &cv_model_pareto_nbd};
    const double *ps[3] = {BG, MBG, PN};
    const double h[3][4] = {{2, 30.43, 38.86, 39}, {0, 0, 30, 20}, {5, 12, 38, 26}};
    int i, j, k;
    (void)state;
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            double est[4], se[4], v;
            char what[96];
            posterior_mc(i, ps[i], h[j][0], h[j][1], h[j][2], h[j][3], 400000, est, se);
            for (k = 0; k < 4; k++) {
                v = k < 3 ? pred1(ms[i], ps[i], CV_PRED_PMF_CONDITIONAL, h[j][0], h[j][1], h[j][2],
                                  h[j][3], k)
                          : pred1(ms[i], ps[i], CV_PRED_P_ACTIVE, h[j][0], h[j][1], h[j][2],
                                  h[j][3], 0);
                snprintf(what, sizeof what,
                         "%s (%g, %g, %g) k = %d (3: P(active)), MC %.4f +- %.4f", ms[i]->name,
                         h[j][0], h[j][1], h[j][2], k, est[k], se[k]);
                if (!(se[k] < 0.01))
                    fail_msg("%s: Monte Carlo too noisy", what);
                near(v, est[k], 4 * se[k], what);
            }
        }
}

/* The new customer's PMF of the MBG/NBD sums to 1 with mean E[X(t)], and matches the
   frequencies of 200,000 customers drawn by cv_model_simulate (within 4 standard errors). */
static void test_predmore_mbgnbd_pmf_new(void **state)
{
    enum { N = 200000 };
    static double T[N], x[N], tx[N];
    double s = 0, mean = 0, cnt[4] = {0, 0, 0, 0};
    const double t = 26.0;
    cv_error err;
    int i, k;
    (void)state;
    for (k = 0; k <= 600; k++) {
        double v = pred1(&cv_model_mbgnbd, MBG, CV_PRED_PMF, 0, 0, 1, t, k);
        s += v, mean += k * v;
    }
    near(s, 1.0, 1e-10, "sum of P(X(26) = k)");
    near(mean, pred1(&cv_model_mbgnbd, MBG, CV_PRED_EXPECTED, 0, 0, 1, t, 0), 1e-9,
         "mean of P(X(26) = k)");
    /* at t = 0 only the dropout at time 0 has happened: X = 0 for sure */
    near(pred1(&cv_model_mbgnbd, MBG, CV_PRED_PMF, 0, 0, 1, 0, 0), 1.0, 0, "P(X(0) = 0)");
    for (i = 0; i < N; i++)
        T[i] = t;
    assert_int_equal(cv_model_simulate(&cv_model_mbgnbd, MBG, N, 7, T, x, tx, NULL, &err), 0);
    for (i = 0; i < N; i++)
        if (x[i] < 4)
            cnt[(int)x[i]] += 1;
    for (k = 0; k < 4; k++) {
        double pk = pred1(&cv_model_mbgnbd, MBG, CV_PRED_PMF, 0, 0, 1, t, k);
        near(cnt[k] / N, pk, 4 * sqrt(pk * (1 - pk) / N), "MBG/NBD P(X(26) = k) vs simulation");
    }
}

/* The donations (FHS 2010): 22 rows of frequency, recency, periods (6), weights. */
typedef struct {
    size_t n;
    double x[32], tx[32], T[32], w[32];
} donations;

static void load_donations(donations *b)
{
    char line[256];
    FILE *f = fopen(data_path("donations.csv"), "r");
    if (!f)
        fail_msg("cannot open donations.csv (set CVKIT_DATA)");
    b->n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* frequency,recency,periods,weights */
    while (fgets(line, sizeof line, f) && b->n < 32)
        if (sscanf(line, "%lf,%lf,%lf,%lf", &b->x[b->n], &b->tx[b->n], &b->T[b->n], &b->w[b->n]) ==
            4)
            b->n++;
    fclose(f);
    assert_int_equal(b->n, 22);
}

/* The BG/BB new customer's PMF at the fit on the donations against Hardie's BG/BB
   spreadsheet ("In-sample fit" sheet, cells C18 and C24, as quoted by lifetimes' tests):
   of 11,104 supporters 3454.9 are expected to make no repeat donation in the 6 years and
   1253.1 to donate in all six. Tolerance 0.5 supporters (the spreadsheet's estimates and
   ours agree to about 4 digits). Then the PMF sums to 1 with mean E[X(n)], and matches a
   simulation of 400,000 customers by cv_model_simulate. */
static void test_predmore_bgbb_pmf_new(void **state)
{
    enum { N = 400000 };
    static double T[N], x[N], tx[N];
    static donations b;
    cv_model_data d;
    cv_fit fit;
    cv_error err;
    double s = 0, mean = 0, cnt[7] = {0};
    int k, i;
    (void)state;
    load_donations(&b);
    d.n = b.n, d.x = b.x, d.t_x = b.tx, d.T = b.T, d.m = NULL, d.w = b.w;
    assert_int_equal(cv_model_fit(&cv_model_bgbb, &d, NULL, &fit, &err), 0);
    near(11104 * pred1(&cv_model_bgbb, fit.params, CV_PRED_PMF, 0, 0, 1, 6, 0), 3454.9, 0.5,
         "expected supporters with X(6) = 0 (Hardie's sheet: 3454.9)");
    near(11104 * pred1(&cv_model_bgbb, fit.params, CV_PRED_PMF, 0, 0, 1, 6, 6), 1253.1, 0.5,
         "expected supporters with X(6) = 6 (Hardie's sheet: 1253.1)");
    for (k = 0; k <= 11; k++) {
        double v = pred1(&cv_model_bgbb, BB, CV_PRED_PMF, 0, 0, 1, 11, k);
        if (k == 11)
            near(pred1(&cv_model_bgbb, BB, CV_PRED_PMF, 0, 0, 1, 11, 12), 0.0, 0, "x > n");
        s += v, mean += k * v;
    }
    near(s, 1.0, 1e-12, "sum of P(X(11) = x)");
    near(mean, pred1(&cv_model_bgbb, BB, CV_PRED_EXPECTED, 0, 0, 1, 11, 0), 1e-12,
         "mean of P(X(11) = x)");
    for (i = 0; i < N; i++)
        T[i] = 6;
    assert_int_equal(cv_model_simulate(&cv_model_bgbb, BB, N, 11, T, x, tx, NULL, &err), 0);
    for (i = 0; i < N; i++)
        cnt[(int)x[i]] += 1;
    for (k = 0; k <= 6; k++) {
        double pk = pred1(&cv_model_bgbb, BB, CV_PRED_PMF, 0, 0, 1, 6, k);
        near(cnt[k] / N, pk, 4 * sqrt(pk * (1 - pk) / N), "BG/BB P(X(6) = x) vs simulation");
    }
}

/* The BG/BB story over n + ns periods, kept for the customers whose first n periods show
   exactly (x, t_x): the share with k = 0, 1, 2 transactions in the last ns (est[0..2]) and
   with at least one (est[3]), with binomial standard errors. */
static void bgbb_future_mc(const double *p, int x, int tx, int n, int ns, int draws, double *est,
                           double *se)
{
    cv_rng rng;
    double cnt[4] = {0, 0, 0, 0}, kept = 0;
    int i, t, k;
    cv_rng_seed(&rng, 2010);
    for (i = 0; i < draws; i++) {
        double q = cv_rng_beta(&rng, p[0], p[1]), th = cv_rng_beta(&rng, p[2], p[3]);
        int cx = 0, last = 0, fut = 0;
        for (t = 1; t <= n + ns; t++) {
            if (cv_rng_uniform(&rng) < th)
                break;
            if (cv_rng_uniform(&rng) < q) {
                if (t <= n)
                    cx++, last = t;
                else
                    fut++;
            }
        }
        if (cx != x || last != tx)
            continue;
        kept++;
        if (fut <= 2)
            cnt[fut]++;
        if (fut >= 1)
            cnt[3]++;
    }
    for (k = 0; k < 4; k++) {
        est[k] = cnt[k] / kept;
        se[k] = sqrt(est[k] * (1 - est[k]) / kept);
    }
}

/* The BG/BB conditional PMF sums to 1 with mean CONDITIONAL, and with P(active) matches
   the story's simulation conditioned on the history (within 4 standard errors). */
static void test_predmore_bgbb_conditional_pmf(void **state)
{
    const double h[3][3] = {{6, 6, 6}, {2, 4, 6}, {1, 1, 6}};
    int j, k;
    (void)state;
    for (j = 0; j < 3; j++) {
        double s = 0, mean = 0, est[4], se[4];
        for (k = 0; k <= 5; k++) {
            double v =
                pred1(&cv_model_bgbb, BB, CV_PRED_PMF_CONDITIONAL, h[j][0], h[j][1], h[j][2], 5, k);
            s += v, mean += k * v;
        }
        near(s, 1.0, 1e-12, "BG/BB sum of P(X(6, 11) = k | history)");
        near(mean, pred1(&cv_model_bgbb, BB, CV_PRED_CONDITIONAL, h[j][0], h[j][1], h[j][2], 5, 0),
             1e-12, "BG/BB mean of the conditional PMF");
        bgbb_future_mc(BB, (int)h[j][0], (int)h[j][1], 6, 5, 1500000, est, se);
        for (k = 0; k < 4; k++) {
            double v = k < 3 ? pred1(&cv_model_bgbb, BB, CV_PRED_PMF_CONDITIONAL, h[j][0], h[j][1],
                                     h[j][2], 5, k)
                             : pred1(&cv_model_bgbb, BB, CV_PRED_P_ACTIVE, h[j][0], h[j][1],
                                     h[j][2], 5, 0);
            char what[96];
            snprintf(what, sizeof what, "BG/BB (%g, %g, 6) k = %d (MC %.4f +- %.4f)", h[j][0],
                     h[j][1], k, est[k], se[k]);
            if (!(se[k] < 0.01))
                fail_msg("%s: Monte Carlo too noisy", what);
            near(v, est[k], 4 * se[k], what);
        }
    }
}

/* BG/BB DERT equals the direct discounted sum of the increments of the conditional
   expectation, sum_k (E[X(n, n+k)] - E[X(n, n+k-1)]) (1+d)^-k over 5,000 periods, for
   every donation pattern at d = 0.1 and two others at d = 0.02 and 0.5; it is undefined
   (NaN, an error for cv_model_predict) at d <= 0. */
static void test_predmore_bgbb_dert(void **state)
{
    static donations b;
    const double ds[3] = {0.1, 0.02, 0.5};
    cv_model_data d;
    cv_error err;
    double out;
    size_t i;
    int j, k;
    (void)state;
    load_donations(&b);
    for (i = 0; i < b.n; i++)
        for (j = 0; j < 3; j++) {
            double sum = 0, prev = 0, v;
            if (j > 0 && i % 7 != 0)
                continue;
            for (k = 1; k <= 5000; k++) {
                double c =
                    pred1(&cv_model_bgbb, BB, CV_PRED_CONDITIONAL, b.x[i], b.tx[i], b.T[i], k, 0);
                sum += (c - prev) / pow(1 + ds[j], k);
                prev = c;
            }
            v = pred1(&cv_model_bgbb, BB, CV_PRED_DERT, b.x[i], b.tx[i], b.T[i], ds[j], 0);
            near(v, sum, 1e-9 * sum, "BG/BB DERT vs the discounted sum");
        }
    d.n = 1, d.x = &b.x[0], d.t_x = &b.tx[0], d.T = &b.T[0], d.m = NULL, d.w = NULL;
    assert_int_equal(cv_model_predict(&cv_model_bgbb, BB, CV_PRED_DERT, &d, 0.0, 0, &out, &err),
                     CV_ERR_DOMAIN);
}

/* A model that cannot offer a kind says so. */
static void test_predmore_not_offered(void **state)
{
    double x = 1, tx = 1, T = 2, m = 10, out;
    cv_model_data d = {1, &x, &tx, &T, &m, NULL};
    const double gg[3] = {6.25, 3.74, 15.44}, sbg[2] = {0.7, 1.2};
    cv_error err;
    (void)state;
    assert_int_equal(
        cv_model_predict(&cv_model_gamma_gamma, gg, CV_PRED_P_ACTIVE, &d, 4, 0, &out, &err),
        CV_ERR_USAGE);
    assert_string_equal(err.msg, "gamma_gamma does not predict 'p_active'");
    assert_int_equal(
        cv_model_predict(&cv_model_sbg, sbg, CV_PRED_PMF_CONDITIONAL, &d, 4, 0, &out, &err),
        CV_ERR_USAGE);
    assert_string_equal(err.msg, "sbg does not predict 'pmf_conditional'");
    assert_string_equal(cv_pred_name(CV_PRED_P_ACTIVE), "p_active");
    assert_int_equal(cv_pred_parse("pmf_conditional"), CV_PRED_PMF_CONDITIONAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_predmore_pmf_sums_to_one),
        cmocka_unit_test(test_predmore_posterior_monte_carlo),
        cmocka_unit_test(test_predmore_mbgnbd_pmf_new),
        cmocka_unit_test(test_predmore_bgbb_pmf_new),
        cmocka_unit_test(test_predmore_bgbb_conditional_pmf),
        cmocka_unit_test(test_predmore_bgbb_dert),
        cmocka_unit_test(test_predmore_not_offered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
