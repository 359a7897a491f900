/* Unit tests of the NBD model (src/core/model_nbd.c), the no-dropout baseline: the
   analytic gradient against finite differences, parameters recovered from simulated
   customers, the CDNOW fit checked by its score equations (we found no published NBD
   estimate on these data to compare with; tests/lua/test_model_nbd.lua also evaluates the
   likelihood by a direct sum in Lua), and the predictions against independent sums. */
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

typedef struct {
    size_t n;
    double x[2400], T[2400];
} cdnow;

/* The CDNOW sample's summary (2,357 customers, 39 weeks): x and T of each. */
static void load_cdnow(cdnow *c)
{
    char line[256];
    FILE *f = fopen(data_path("cdnow_customers_summary.csv"), "r");
    if (!f)
        fail_msg("cannot open cdnow_customers_summary.csv (set CVKIT_DATA)");
    c->n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* ID,frequency,recency,T */
    while (fgets(line, sizeof line, f) && c->n < 2400) {
        double id, x, tx, T;
        if (sscanf(line, "%lf,%lf,%lf,%lf", &id, &x, &tx, &T) == 4)
            c->x[c->n] = x, c->T[c->n] = T, c->n++;
    }
    fclose(f);
    assert_int_equal(c->n, 2357);
}

static cv_model_data view(const cdnow *c)
{
    cv_model_data d = {c->n, c->x, NULL, c->T, NULL, NULL}; /* no t_x: the NBD reads x, T */
    return d;
}

/* d LL / d p against central differences with a step of 1e-6 p, at two points. */
static void test_nbd_gradient(void **state)
{
    static cdnow c;
    const double pts[2][2] = {{0.4, 12.0}, {2.5, 3.0}};
    cv_model_data d;
    int k, i;
    (void)state;
    load_cdnow(&c);
    d = view(&c);
    for (k = 0; k < 2; k++) {
        double g[2], ll, lp, lm, q[2];
        assert_int_equal(cv_model_nbd.loglik(pts[k], &d, &ll, g), 0);
        for (i = 0; i < 2; i++) {
            double h = 1e-6 * pts[k][i], fd;
            memcpy(q, pts[k], sizeof q);
            q[i] = pts[k][i] + h;
            assert_int_equal(cv_model_nbd.loglik(q, &d, &lp, NULL), 0);
            q[i] = pts[k][i] - h;
            assert_int_equal(cv_model_nbd.loglik(q, &d, &lm, NULL), 0);
            fd = (lp - lm) / (2 * h);
            if (!(fabs(g[i] - fd) <= 1e-6 * (fabs(fd) + 1.0)))
                fail_msg("d/d%s at (%g, %g): analytic %.10g, finite difference %.10g",
                         cv_model_nbd.param_names[i], pts[k][0], pts[k][1], g[i], fd);
        }
    }
}

/* 20,000 customers drawn at r = 0.85, alpha = 4.45 (BTYDplus's nbd.GenerateData example)
   with ages 20..59 weeks: the fit lands within 3 standard errors of the truth, and those
   are below 5% of it (so the test can fail). */
static void test_nbd_recovers_simulated(void **state)
{
    const double p[2] = {0.85, 4.45};
    enum { N = 20000 };
    static double x[N], tx[N], T[N];
    cv_model_data d = {N, x, NULL, T, NULL, NULL};
    cv_fit fit;
    cv_error err;
    size_t i;
    (void)state;
    for (i = 0; i < N; i++)
        T[i] = 20.0 + (double)(i % 40);
    assert_int_equal(cv_model_simulate(&cv_model_nbd, p, N, 7, T, x, tx, NULL, &err), 0);
    assert_int_equal(cv_model_fit(&cv_model_nbd, &d, NULL, &fit, &err), 0);
    assert_int_equal(fit.status, CV_FIT_CONVERGED);
    for (i = 0; i < 2; i++) {
        if (!(fabs(fit.params[i] - p[i]) <= 3 * fit.se[i]) || !(fit.se[i] < 0.05 * p[i]))
            fail_msg("%s = %.4f (se %.4f), true %.4f", cv_model_nbd.param_names[i], fit.params[i],
                     fit.se[i], p[i]);
    }
    /* the simulation's own story: t_x is the last of x purchases in (0, T] */
    for (i = 0; i < N; i++)
        assert_true(x[i] == 0 ? tx[i] == 0 : (tx[i] > 0 && tx[i] <= T[i]));
}

/* CDNOW: the maximum is interior and the score equations hold there, written out here
   with digamma(r+x) - digamma(r) as the finite sum of 1/(r+k), k < x:
     sum_i [sum_{k<x_i} 1/(r+k) + log(alpha) - log(alpha+T_i)] = 0
     sum_i [r/alpha - (r+x_i)/(alpha+T_i)] = 0
   and the fitted LL equals that sum's own log-likelihood (sum of log(r+k)). */
static void test_nbd_cdnow_score_equations(void **state)
{
    static cdnow c;
    cv_model_data d;
    cv_fit fit;
    cv_error err;
    double r, al, s0 = 0, s1 = 0, ll = 0, mean_rate = 0, sT = 0, sx = 0;
    size_t i;
    int k;
    (void)state;
    load_cdnow(&c);
    d = view(&c);
    assert_int_equal(cv_model_fit(&cv_model_nbd, &d, NULL, &fit, &err), 0);
    r = fit.params[0], al = fit.params[1];
    for (i = 0; i < c.n; i++) {
        double dg = 0, lg = 0;
        for (k = 0; k < (int)c.x[i]; k++)
            dg += 1.0 / (r + k), lg += log(r + k);
        s0 += dg + log(al) - log(al + c.T[i]);
        s1 += r / al - (r + c.x[i]) / (al + c.T[i]);
        ll += lg + r * log(al) - (r + c.x[i]) * log(al + c.T[i]);
        sx += c.x[i], sT += c.T[i];
    }
    /* per customer, the scores are within 1e-6 of 0 */
    if (!(fabs(s0) / (double)c.n < 1e-6) || !(fabs(s1) / (double)c.n < 1e-6))
        fail_msg("scores at the fit: d/dr %.3g, d/dalpha %.3g", s0, s1);
    assert_float_equal(fit.loglik, ll, 1e-6);
    assert_float_equal(fit.n_obs, 2357, 0);
    assert_true(fit.se_ok);
    /* sanity of scale: the fitted mean rate r/alpha is near the pooled rate sum x / sum T */
    mean_rate = r / al;
    assert_true(fabs(mean_rate - sx / sT) < 0.2 * sx / sT);
    /* no dropout: the fit is worse than the BG/NBD's published -9582.4 on these data */
    assert_true(fit.loglik < -9582.4);
}

/* Predictions: closed forms against sums written here. */
static void test_nbd_predictions(void **state)
{
    const double p[2] = {0.4, 12.0};
    const double r = p[0], al = p[1];
    double sum = 0, mean = 0, dert = 0, prev = 0;
    int k;
    (void)state;
    assert_float_equal(cv_model_nbd.predict(p, CV_PRED_P_ALIVE, 3, 20, 38, 0, 0, 0), 1.0, 0);
    assert_float_equal(cv_model_nbd.predict(p, CV_PRED_EXPECTED, 0, 0, 0, 0, 39, 0), r * 39 / al,
                       1e-12);
    assert_float_equal(cv_model_nbd.predict(p, CV_PRED_CONDITIONAL, 2, 30.43, 38.86, 0, 39, 0),
                       (r + 2) * 39 / (al + 38.86), 1e-12);
    /* the pmf of a new customer over 39 weeks: sums to 1, its mean is E[X(39)]; P(X = 0)
       is (alpha/(alpha+t))^r */
    for (k = 0; k < 2000; k++) {
        double q = cv_model_nbd.predict(p, CV_PRED_PMF, 0, 0, 0, 0, 39, k);
        sum += q, mean += k * q;
    }
    assert_float_equal(sum, 1.0, 1e-10);
    assert_float_equal(mean, r * 39 / al, 1e-8);
    assert_float_equal(cv_model_nbd.predict(p, CV_PRED_PMF, 0, 0, 0, 0, 39, 0),
                       pow(al / (al + 39), r), 1e-14);
    /* DERT at delta = 0.01 per week: the discounted increments of the conditional
       expectation, summed by the midpoint rule over 5,000 weeks in steps of 0.05 */
    for (k = 1; k <= 100000; k++) {
        double t = 0.05 * k;
        double a = cv_model_nbd.predict(p, CV_PRED_CONDITIONAL_ALIVE, 2, 0, 38.86, 0, t, 0);
        dert += exp(-0.01 * (t - 0.025)) * (a - prev);
        prev = a;
    }
    assert_float_equal(cv_model_nbd.predict(p, CV_PRED_DERT, 2, 30.43, 38.86, 0, 0.01, 0), dert,
                       1e-6 * dert + 1e-3);
}

/* What the model cannot take, and data without information. */
static void test_nbd_bad_data(void **state)
{
    const double x[] = {1, 2}, T[] = {39, 0}, xf[] = {1.5, 0}, T2[] = {39, 39};
    const double x0[] = {0, 0}, T0[] = {39, 10};
    cv_model_data d = {2, x, NULL, T, NULL, NULL};
    cv_fit fit;
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_fit(&cv_model_nbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 2: age T must be above 0 when x > 0 (x = 2, T = 0)");
    d.x = xf, d.T = T2;
    assert_int_equal(cv_model_fit(&cv_model_nbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg,
                        "row 1: frequency x must be a whole number >= 0 (x = 1.5, T = 39)");
    d.x = x0, d.T = T0;
    assert_int_equal(cv_model_fit(&cv_model_nbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "nbd: no customer made a repeat purchase"));
    d.T = NULL;
    assert_int_equal(cv_model_fit(&cv_model_nbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "nbd needs the age column T");
}

/* A customer first seen on the last day (T = 0) has likelihood 1: the fit leaves them out
   of N, and the estimates are those without them. */
static void test_nbd_age_zero_rows(void **state)
{
    const double x[] = {0, 1, 3, 0, 2, 0}, T[] = {0, 20, 30, 25, 39, 0};
    cv_model_data d = {6, x, NULL, T, NULL, NULL}, d4 = {4, x + 1, NULL, T + 1, NULL, NULL};
    cv_fit a, b;
    cv_error err;
    (void)state;
    assert_true(cv_model_fit(&cv_model_nbd, &d, NULL, &a, &err) <= 1);
    assert_true(cv_model_fit(&cv_model_nbd, &d4, NULL, &b, &err) <= 1);
    assert_float_equal(a.n_obs, 4, 0);
    assert_float_equal(a.loglik, b.loglik, 1e-9);
    assert_float_equal(a.params[0], b.params[0], 1e-6 * b.params[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nbd_gradient),
        cmocka_unit_test(test_nbd_recovers_simulated),
        cmocka_unit_test(test_nbd_cdnow_score_equations),
        cmocka_unit_test(test_nbd_predictions),
        cmocka_unit_test(test_nbd_bad_data),
        cmocka_unit_test(test_nbd_age_zero_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
