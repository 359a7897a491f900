/* Unit tests of the models on degenerate data (issue #9, item 5): data without information
   are refused with a message saying what is missing; fits that run to the boundary say so
   (status, the parameters, no standard errors) and keep finite, known limiting values;
   bad values name their row and column; predictions and CLV at boundary parameters take
   their limits instead of failing. Expected values are worked by hand or computed here
   independently (quadrature of the model's story), never copied from the code. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/clv.h"
#include "cvkit/models.h"
#include "data.h"

#define near(a, b, eps) assert_float_equal((a), (b), (eps))

/* BG/NBD on CDNOW as published (Fader, Hardie & Lee 2005) */
static const double BG[4] = {0.243, 4.414, 0.793, 2.426};

static void has(const char *msg, const char *part)
{
    if (!strstr(msg, part))
        fail_msg("message '%s' lacks '%s'", msg, part);
}

static const cv_model *const RFT[3] = {&cv_model_bgnbd, &cv_model_mbgnbd, &cv_model_pareto_nbd};

/* ---- data without information: clear errors --------------------------------------------- */

static void test_degenerate_no_repeat_buyers(void **state)
{
    const double x[] = {0, 0, 0, 0}, tx[] = {0, 0, 0, 0}, T[] = {10, 20, 30, 40};
    const double w[] = {10, 20, 30}, n[] = {5, 5, 5};
    cv_model_data d = {4, x, tx, T, NULL, NULL};
    cv_fit fit;
    cv_error err;
    int k;
    (void)state;
    for (k = 0; k < 3; k++) {
        assert_int_equal(cv_model_fit(RFT[k], &d, NULL, &fit, &err), CV_ERR_USAGE);
        has(err.msg, "no customer made a repeat purchase (x = 0 for all 4 customers)");
        has(err.msg, "check the frequency column or lengthen the calibration period");
        assert_int_equal(strncmp(err.msg, RFT[k]->name, strlen(RFT[k]->name)), 0);
    }
    d.n = 3, d.T = n, d.w = w; /* BG/BB: 60 customers, none transacted in 5 opportunities */
    assert_int_equal(cv_model_fit(&cv_model_bgbb, &d, NULL, &fit, &err), CV_ERR_USAGE);
    has(err.msg, "bgbb: no customer made a transaction (x = 0 for all 60 customers)");
    d.w = NULL, d.m = x; /* Gamma-Gamma: no repeat spend at all */
    assert_int_equal(cv_model_fit(&cv_model_gamma_gamma, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "gamma_gamma: no customer has a repeat transaction (x > 0), so "
                                 "there is no repeat spend to fit");
    {
        const double s[] = {0, 0, 0};
        cv_model_rows r;
        assert_int_equal(cv_model_sbg_from_survivors(s, 3, &r, &err), 0);
        assert_int_equal(cv_model_fit(&cv_model_sbg, &r.data, NULL, &fit, &err), CV_ERR_USAGE);
        has(err.msg, "sbg: no customers to fit");
        cv_model_rows_free(&r);
    }
}

static void test_degenerate_all_ages_zero(void **state)
{
    const double x[] = {0, 0}, tx[] = {0, 0}, T[] = {0, 0};
    cv_model_data d = {2, x, tx, T, NULL, NULL};
    cv_fit fit;
    cv_error err;
    int k;
    (void)state;
    for (k = 0; k < 3; k++) {
        assert_int_equal(cv_model_fit(RFT[k], &d, NULL, &fit, &err), CV_ERR_USAGE);
        has(err.msg, "every customer has age T = 0 (first purchase at the end of the calibration "
                     "period): nothing to fit");
    }
}

/* CDNOW's summary plus 100 customers first seen on the last day (x = t_x = T = 0): their
   likelihood is 1, so the log-likelihood at fixed parameters is unchanged, N is still 2357
   and the fit still gives the published parameters. */
static void test_degenerate_some_ages_zero(void **state)
{
    enum { CAP = 2600 };
    static double x[CAP], tx[CAP], T[CAP];
    FILE *f = fopen(data_path("cdnow_customers_summary.csv"), "r");
    char line[256];
    size_t n = 0, i;
    double ll0, ll1;
    cv_model_data d;
    cv_fit fit;
    cv_error err;
    (void)state;
    assert_non_null(f);
    assert_non_null(fgets(line, sizeof line, f));
    while (n < CAP && fgets(line, sizeof line, f)) {
        long id;
        if (sscanf(line, "%ld,%lf,%lf,%lf", &id, &x[n], &tx[n], &T[n]) == 4)
            n++;
    }
    fclose(f);
    assert_int_equal(n, 2357);
    d.n = n, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    assert_int_equal(cv_model_loglik(&cv_model_bgnbd, BG, &d, &ll0, NULL, &err), 0);
    for (i = 0; i < 100; i++)
        x[n + i] = tx[n + i] = T[n + i] = 0.0;
    d.n = n + 100;
    assert_int_equal(cv_model_loglik(&cv_model_bgnbd, BG, &d, &ll1, NULL, &err), 0);
    near(ll1, ll0, 1e-9);
    near(ll0, -9582.4, 0.05); /* the published LL */
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 0);
    assert_int_equal(fit.status, CV_FIT_CONVERGED);
    near(fit.n_obs, 2357, 0);
    for (i = 0; i < 4; i++)
        near(fit.params[i], BG[i], 0.001);
    near(fit.bic, 4 * log(2357.0) - 2 * fit.loglik, 1e-9);
    /* a clean fit: BFGS alone, its end kept, standard errors */
    assert_int_equal(fit.optim.nphases, 1);
    assert_string_equal(fit.optim.phase[0].method, "bfgs");
    assert_int_equal(fit.optim.phase[0].kept, 1);
    assert_int_equal(fit.optim.phase[0].iterations, fit.optim.iterations);
    assert_true(fit.se_ok && fit.boundary == 0);
}

/* ---- bad values: the row, the column, the values ---------------------------------------- */

static void test_degenerate_bad_values(void **state)
{
    const double x[] = {1, 2}, T[] = {30, 30};
    double tx[] = {NAN, 3}, Tbad[] = {30, INFINITY}, xn[] = {1, -2};
    cv_model_data d = {2, x, tx, T, NULL, NULL};
    cv_fit fit;
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 1: t_x is NaN (missing), a finite number is needed");
    tx[0] = 3, d.T = Tbad;
    assert_int_equal(cv_model_fit(&cv_model_pareto_nbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 2: T is infinite, a finite number is needed");
    d.T = T, tx[1] = 31;
    assert_int_equal(cv_model_fit(&cv_model_mbgnbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 2: recency t_x must lie between 0 and the age T (x = 2, "
                                 "t_x = 31, T = 30)");
    tx[1] = 3, d.x = xn;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 2: frequency x must be a whole number >= 0 (x = -2, "
                                 "t_x = 3, T = 30)");
    d.x = x, tx[0] = 0; /* a repeat purchase at time 0 is not possible */
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "row 1: recency t_x must be above 0 when x > 0 (x = 1, t_x = 0, "
                                 "T = 30)");
    {
        const double gx[] = {2, 0, 3}, gm[] = {30, NAN, -1};
        cv_model_data g = {3, gx, NULL, NULL, gm, NULL};
        /* m of an x = 0 row is not read; a negative mean spend is refused */
        assert_int_equal(cv_model_fit(&cv_model_gamma_gamma, &g, NULL, &fit, &err), CV_ERR_USAGE);
        assert_string_equal(err.msg,
                            "row 3: mean spend m must be positive when x > 0 (x = 3, m = -1)");
    }
    {
        const double sx[] = {3}, sT[] = {2};
        cv_model_data s = {1, sx, NULL, sT, NULL, NULL};
        assert_int_equal(cv_model_fit(&cv_model_sbg, &s, NULL, &fit, &err), CV_ERR_USAGE);
        has(err.msg, "row 1: need whole numbers 0 <= x (renewals) <= T (periods observed), T >= 1 "
                     "(x = 3, T = 2)");
    }
}

/* ---- boundary results -------------------------------------------------------------------- */

/* Checks what every boundary fit carries: rc 1, the status, the flagged parameters, no
   standard errors, finite parameters and log-likelihood. */
static void boundary(const cv_fit *fit, int rc, unsigned want)
{
    int i;
    assert_int_equal(rc, 1);
    assert_int_equal(fit->status, CV_FIT_BOUNDARY);
    assert_false(fit->optim.converged);
    assert_true((fit->boundary & want) == want);
    assert_true(isfinite(fit->loglik));
    for (i = 0; i < fit->model->nparams; i++)
        assert_true(isfinite(fit->params[i]) && fit->params[i] > 0.0);
    if (!fit->se_ok)
        for (i = 0; i < fit->model->nparams; i++)
            assert_true(isnan(fit->se[i]));
    assert_string_equal(cv_fit_status_name(fit->status), "boundary");
}

/* Identical customers (x = 3, t_x = 20, T = 30): no heterogeneity, so the models tend to
   one Poisson rate without dropout, lambda = x / T; the supremum of the log-likelihood is
   x log(x/T) - x = 3 log 0.1 - 3 per customer (by hand: dropping out after the third
   purchase is less likely than surviving, the derivative in p at 0 is negative). */
static void test_degenerate_identical_customers(void **state)
{
    const double x[] = {3, 3, 3, 3, 3}, tx[] = {20, 20, 20, 20, 20}, T[] = {30, 30, 30, 30, 30};
    const double sup = 3 * log(0.1) - 3;
    cv_model_data d = {5, x, tx, T, NULL, NULL};
    cv_fit fit;
    cv_error err;
    double out[5];
    int k;
    (void)state;
    for (k = 0; k < 3; k++) {
        int rc = cv_model_fit(RFT[k], &d, NULL, &fit, &err);
        boundary(&fit, rc, 0);
        assert_true(fit.boundary != 0);
        has(fit.optim.message, "ran to the boundary: the data do not identify them (all customers "
                               "are identical)");
        has(err.msg, RFT[k]->name);
        assert_true(fit.identical);
        near(fit.loglik, 5 * sup, 1e-3);
        /* the limit predicts lambda t for an alive customer, P(alive) -> 1 */
        assert_int_equal(
            cv_model_predict(RFT[k], fit.params, CV_PRED_CONDITIONAL, &d, 10, 0, out, &err), 0);
        near(out[0], 0.1 * 10, 0.01);
    }
    d.n = 1; /* one customer: the same limit */
    boundary(&fit, cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 0);
    near(fit.loglik, sup, 1e-3);
    near(fit.n_obs, 1, 0);
}

/* Every customer buys at one rate and has not dropped out (t_x = T): the BG/NBD's a runs to
   0 (no dropout); the Pareto/NBD's s likewise. The supremum is Poisson with lambda = sum x /
   sum T: LL = sum_i x_i log(lambda) - lambda T_i (t_x = T, so no gap to explain). */
static void test_degenerate_no_dropout(void **state)
{
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8}, T[] = {30, 30, 30, 30, 30, 30, 30, 30};
    cv_model_data d = {8, x, T, T, NULL, NULL};
    cv_fit fit;
    cv_error err;
    int rc;
    double sup = 0.0, lam = 36.0 / 240.0;
    size_t i;
    (void)state;
    /* the rates still differ (x = 1..8): the gamma heterogeneity stays interior; only the
       dropout parameters go. LL at the boundary is that of the NBD alone, which the fit
       must not fall below the Poisson bound of the same data */
    for (i = 0; i < 8; i++)
        sup += x[i] * log(lam) - lam * T[i];
    rc = cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err);
    boundary(&fit, rc, 1u << 2); /* a */
    assert_false(fit.identical);
    assert_true(fit.params[2] < 1e-5);
    assert_true(fit.loglik > sup);
    {
        /* at a -> 0 the likelihood is the NBD's alone (B(a+1, .)/B(a, b) -> 0 and
           B(a, b+x)/B(a, b) -> 1), whose maximum in alpha has r/alpha = mean x / T = 0.15 */
        const double r = fit.params[0], al = fit.params[1];
        double nbd = 0.0;
        for (i = 0; i < 8; i++)
            nbd += lgamma(r + x[i]) - lgamma(r) + r * log(al) - (r + x[i]) * log(al + T[i]);
        near(fit.loglik, nbd, 1e-5);
        near(r / al, 0.15, 1e-5);
    }
    rc = cv_model_fit(&cv_model_pareto_nbd, &d, NULL, &fit, &err);
    boundary(&fit, rc, 1u << 2);                       /* s */
    assert_true(fit.params[2] / fit.params[3] < 1e-9); /* mean dropout rate s / beta -> 0 */
}

/* sBG: nobody churns (alpha -> 0, S(t) -> 1), or all churn in the first period (the mean
   churn alpha/(alpha+beta) -> 1, S(1) -> 0): likelihood 1 at the limit, LL -> 0. */
static void test_degenerate_sbg_all_or_none(void **state)
{
    const double keep[] = {100, 100, 100, 100}, lose[] = {100, 0, 0, 0};
    cv_model_rows r;
    cv_fit fit;
    cv_error err;
    double s[4];
    (void)state;
    assert_int_equal(cv_model_sbg_from_survivors(keep, 4, &r, &err), 0);
    boundary(&fit, cv_model_fit(&cv_model_sbg, &r.data, NULL, &fit, &err), 1u << 0);
    near(fit.loglik, 0.0, 1e-5);
    assert_int_equal(
        cv_model_predict(&cv_model_sbg, fit.params, CV_PRED_SURVIVAL, &r.data, 10, 0, s, &err), 0);
    near(s[0], 1.0, 1e-4);
    cv_model_rows_free(&r);
    assert_int_equal(cv_model_sbg_from_survivors(lose, 4, &r, &err), 0);
    boundary(&fit, cv_model_fit(&cv_model_sbg, &r.data, NULL, &fit, &err), 0);
    assert_false(fit.se_ok);
    near(fit.loglik, 0.0, 1e-5);
    assert_int_equal(
        cv_model_predict(&cv_model_sbg, fit.params, CV_PRED_SURVIVAL, &r.data, 1, 0, s, &err), 0);
    near(s[0], 0.0, 1e-4);
    cv_model_rows_free(&r);
}

/* BG/BB: every customer transacted at each of the 5 opportunities: p -> 1, no dropout; an
   alive customer transacts at each of the next 4 (the conditional expectation -> 4). */
static void test_degenerate_bgbb_every_period(void **state)
{
    const double x[] = {5}, tx[] = {5}, n[] = {5}, w[] = {10};
    cv_model_data d = {1, x, tx, n, NULL, w};
    cv_fit fit;
    cv_error err;
    double e, pa;
    (void)state;
    boundary(&fit, cv_model_fit(&cv_model_bgbb, &d, NULL, &fit, &err), 0);
    near(fit.loglik, 0.0, 1e-5);
    assert_int_equal(
        cv_model_predict(&cv_model_bgbb, fit.params, CV_PRED_CONDITIONAL, &d, 4, 0, &e, &err), 0);
    assert_int_equal(
        cv_model_predict(&cv_model_bgbb, fit.params, CV_PRED_P_ALIVE, &d, 0, 0, &pa, &err), 0);
    near(e, 4.0, 1e-3);
    near(pa, 1.0, 1e-4);
}

/* Gamma-Gamma on customers who all spend 30 a transaction: the spend heterogeneity is not
   identified (p, q -> infinity; the density becomes a point mass, so the likelihood is
   unbounded and the reported LL means nothing); the expected spend tends to 30. */
static void test_degenerate_gamma_gamma_same_spend(void **state)
{
    const double x[] = {2, 3, 1, 5}, m[] = {30, 30, 30, 30};
    cv_model_data d = {4, x, NULL, NULL, m, NULL};
    cv_fit fit;
    cv_error err;
    double out[4];
    int i;
    (void)state;
    boundary(&fit, cv_model_fit(&cv_model_gamma_gamma, &d, NULL, &fit, &err), 3u);
    assert_int_equal(
        cv_model_predict(&cv_model_gamma_gamma, fit.params, CV_PRED_SPEND, &d, 0, 0, out, &err), 0);
    for (i = 0; i < 4; i++)
        near(out[i], 30.0, 0.3);
}

/* Gamma-Gamma with q <= 1: the population mean spend is infinite, so x = 0 is refused with
   the reason; a customer with repeat purchases still has p (gamma + x m) / (p x + q - 1):
   2 (10 + 60) / (4 + 0.8 - 1) = 140 / 3.8. */
static void test_degenerate_gamma_gamma_heavy_tail(void **state)
{
    const double p[3] = {2, 0.8, 10}, x[] = {2, 0}, m[] = {30, 0};
    cv_model_data d = {2, x, NULL, NULL, m, NULL};
    double out[2];
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_predict(&cv_model_gamma_gamma, p, CV_PRED_SPEND, &d, 0, 0, out, &err),
                     CV_ERR_DOMAIN);
    has(err.msg, "gamma_gamma: spend not computable for 1 row(s), first row 2; q = 0.8 <= 1 makes "
                 "the mean spend of the population infinite");
    near(out[0], 140.0 / 3.8, 1e-12);
}

/* ---- large frequencies: log space ------------------------------------------------------------ */

/* E[Y(t) | alive, x, T] of the BG/NBD by the model's story, independently of the 2F1: given
   lambda and p an alive customer makes (1 - e^(-lambda p t)) / p purchases in t; lambda's
   posterior Gamma(r+x, alpha+T) integrates in closed form, p's Beta(a, b+x) by Simpson in
   u = p^a (p^(a-1) dp = du / a), over u up to the point where (1-p)^(b+x) is below e^-60. */
static double cond_alive_story(const double *q, double x, double T, double t)
{
    const double r = q[0], al = q[1], a = q[2], b = q[3], B = b + x;
    const double pmax = fmin(1.0, 60.0 / B), umax = pow(pmax, a),
                 lnorm = -log(a) - (lgamma(a) + lgamma(B) - lgamma(a + B));
    const int K = 200000;
    double sum = 0.0, h = umax / K;
    int k;
    for (k = 0; k <= K; k++) {
        double u = k * h, p = pow(u, 1.0 / a), g, wgt = (k == 0 || k == K) ? 1 : (k % 2 ? 4 : 2);
        if (p <= 0.0) /* the limit p -> 0: lambda t, E[lambda] = (r+x)/(alpha+T) */
            g = (r + x) / (al + T) * t;
        else
            g = -expm1(-(r + x) * log1p(p * t / (al + T))) / p;
        sum += wgt * g * exp((B - 1.0) * log1p(-p) + lnorm);
    }
    return sum * h / 3.0;
}

static void test_degenerate_huge_frequency(void **state)
{
    const double xs[] = {100, 10000, 1e6};
    double ll, want, v, out;
    int i;
    cv_error err;
    (void)state;
    for (i = 0; i < 3; i++) {
        const double x = xs[i], tx = 38, T = 38.86;
        cv_model_data d = {1, &x, &tx, &T, NULL, NULL};
        const double r = BG[0], al = BG[1], a = BG[2], b = BG[3];
        /* FHL 2005 eq. 6 in logs, written out here */
        double l1 = lgamma(r + x) - lgamma(r) + r * log(al) + lgamma(a) + lgamma(b + x) -
                    lgamma(a + b + x) - (lgamma(a) + lgamma(b) - lgamma(a + b)) -
                    (r + x) * log(al + T);
        double l2 = lgamma(r + x) - lgamma(r) + r * log(al) + lgamma(a + 1) + lgamma(b + x - 1) -
                    lgamma(a + b + x) - (lgamma(a) + lgamma(b) - lgamma(a + b)) -
                    (r + x) * log(al + tx);
        want = fmax(l1, l2) + log1p(exp(-fabs(l1 - l2)));
        assert_int_equal(cv_model_loglik(&cv_model_bgnbd, BG, &d, &ll, NULL, &err), 0);
        near(ll, want, 1e-9 * fabs(want));
        assert_int_equal(
            cv_model_predict(&cv_model_bgnbd, BG, CV_PRED_P_ALIVE, &d, 0, 0, &out, &err), 0);
        assert_true(out >= 0.0 && out <= 1.0);
        v = cond_alive_story(BG, x, T, 39);
        assert_int_equal(
            cv_model_predict(&cv_model_bgnbd, BG, CV_PRED_CONDITIONAL_ALIVE, &d, 39, 0, &out, &err),
            0);
        near(out, v, 1e-7 * v);
    }
}

/* DERT of an alive BG/NBD customer = integral of delta e^(-delta t) E[Y(t) | alive] dt (by
   parts), by Simpson on [0, 1000] (e^-50 beyond), delta = 0.05, for customers with many
   purchases, whose posterior rate is a narrow peak (r + x = 60, 500): the quadrature over
   lambda must resolve it (a step of 0.25 in log lambda was 0.06% off at x = 60, 55% at 500). */
static void test_degenerate_dert_many_purchases(void **state)
{
    const double delta = 0.05, xs[2] = {60, 500}, T = 38.86;
    int c, k, K = 20000;
    (void)state;
    for (c = 0; c < 2; c++) {
        double sum = 0.0, h = 1000.0 / K, dert;
        for (k = 0; k <= K; k++) {
            double t = k * h, w = (k == 0 || k == K) ? 1 : (k % 2 ? 4 : 2);
            sum += w * delta * exp(-delta * t) *
                   cv_model_bgnbd.predict(BG, CV_PRED_CONDITIONAL_ALIVE, xs[c], 30, T, 0, t, 0);
        }
        sum *= h / 3.0;
        dert = cv_model_bgnbd.predict(BG, CV_PRED_DERT_ALIVE, xs[c], 30, T, 0, delta, 0);
        near(dert, sum, 1e-7 * sum);
    }
}

/* ---- predictions and CLV at boundary parameters ------------------------------------------- */

/* At a = 1 the expectations' (a - 1) cancels with their bracket: E[X(t)] at a = 1 exactly
   is finite and equals the story's value, E_p[(1 - (alpha/(alpha + p t))^r) / p] over
   p ~ Beta(1, b), computed here (cond_alive_story with x = T = 0). */
static void test_degenerate_a_equal_one(void **state)
{
    const double q[4] = {0.5, 4.0, 1.0, 3.0};
    double v = cond_alive_story(q, 0, 0, 20), e;
    (void)state;
    e = cv_model_bgnbd.predict(q, CV_PRED_EXPECTED, 0, 0, 0, 0, 20, 0);
    near(e, v, 1e-7 * v);
    e = cv_model_bgnbd.predict(q, CV_PRED_CONDITIONAL_ALIVE, 0, 0, 0, 0, 20, 0);
    near(e, v, 1e-7 * v);
}

/* The report of issue #9: customers who all buy at one high rate and never drop out. The
   BG/NBD runs to a -> 0 (and r, alpha -> infinity together); CLV then takes the limits:
   P(alive) -> 1 and the lifetime DERT -> E[lambda | x, T] / delta = (r+x) / ((alpha+T)
   delta), the no-dropout value; finite horizons are the NBD expectations. */
static void test_degenerate_boundary_clv(void **state)
{
    enum { N = 400 };
    static double x[N], tx[N], T[N];
    const double delta = log(1.15) * 7.0 / 365.2425;
    cv_model_data d = {N, x, tx, T, NULL, NULL};
    cv_table *s = cv_table_new(), *c;
    cv_column *cx = cv_column_new("x", CV_FLOAT64, N), *ct = cv_column_new("t_x", CV_FLOAT64, N);
    cv_column *cT = cv_column_new("T", CV_FLOAT64, N);
    cv_clv_options o;
    cv_fit fit;
    cv_error err;
    int i;
    (void)state;
    for (i = 0; i < N; i++) { /* 2 a week for 52..208 weeks, the last purchase near the end */
        T[i] = 52 + (i * 156.0) / N;
        x[i] = floor(2.0 * T[i]);
        tx[i] = T[i] - 0.25 * ((i * 7) % 4) / 7.0;
        assert_int_equal(cv_column_push_float(cx, x[i]), 0);
        assert_int_equal(cv_column_push_float(ct, tx[i]), 0);
        assert_int_equal(cv_column_push_float(cT, T[i]), 0);
    }
    assert_int_equal(cv_table_add(s, cx, NULL), 0);
    assert_int_equal(cv_table_add(s, ct, NULL), 0);
    assert_int_equal(cv_table_add(s, cT, NULL), 0);
    cv_column_unref(cx), cv_column_unref(ct), cv_column_unref(cT);
    boundary(&fit, cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 1u << 2); /* a */
    memset(&o, 0, sizeof o);
    o.unit = CV_UNIT_WEEK, o.horizon = INFINITY, o.discount = 0.15, o.spend_value = 1.0;
    c = cv_model_clv_table(&cv_model_bgnbd, fit.params, s, NULL, &o, &err);
    if (!c)
        fail_msg("%s", err.msg);
    for (i = 0; i < N; i += 37) {
        double pa = cv_column_number(cv_table_col(c, "p_alive", NULL), i);
        double dtx = cv_column_number(cv_table_col(c, "dtx", NULL), i);
        double want = (fit.params[0] + x[i]) / ((fit.params[1] + T[i]) * delta);
        near(pa, 1.0, 1e-6);
        near(dtx, want, 1e-6 * want);
    }
    cv_table_free(c);
    o.horizon = 52;
    c = cv_model_clv_table(&cv_model_bgnbd, fit.params, s, NULL, &o, &err);
    if (!c)
        fail_msg("%s", err.msg);
    {
        /* no dropout: 2 a week, discounted week by week: sum_k v^k E[Y(k) - Y(k-1)] with the
           posterior mean rate (r+x)/(alpha+T) (about 2) */
        double lam = (fit.params[0] + x[0]) / (fit.params[1] + T[0]), v = exp(-delta), want = 0;
        int k;
        for (k = 1; k <= 52; k++)
            want += pow(v, k) * lam;
        near(cv_column_number(cv_table_col(c, "dtx", NULL), 0), want, 1e-6 * want);
    }
    cv_table_free(c);
    /* the Pareto/NBD runs to s/beta -> 0: its DERT tends to the same (r+x)/((alpha+T) delta) */
    boundary(&fit, cv_model_fit(&cv_model_pareto_nbd, &d, NULL, &fit, &err), 0);
    assert_true(fit.params[2] / fit.params[3] < 1e-9);
    for (i = 0; i < N; i += 37) {
        double v =
            cv_model_pareto_nbd.predict(fit.params, CV_PRED_DERT, x[i], tx[i], T[i], 0, delta, 0);
        double want = (fit.params[0] + x[i]) / ((fit.params[1] + T[i]) * delta);
        near(v, want, 1e-6 * want);
    }
    cv_table_free(s);
}

/* ---- the fit's report: what was tried ---------------------------------------------------- */

static void test_degenerate_fit_report(void **state)
{
    const double gx[] = {2}, gm[] = {30};
    cv_model_data g = {1, gx, NULL, NULL, gm, NULL};
    cv_fit fit;
    cv_error err;
    int i, it = 0, ev = 0, kept = 0;
    (void)state;
    /* Gamma-Gamma on one customer: BFGS fails, Nelder-Mead is tried, BFGS again */
    assert_int_equal(cv_model_fit(&cv_model_gamma_gamma, &g, NULL, &fit, &err), 1);
    assert_string_equal(fit.optim.method, "bfgs+nelder-mead");
    assert_int_equal(fit.optim.nphases, 3);
    assert_string_equal(fit.optim.phase[0].method, "bfgs");
    assert_string_equal(fit.optim.phase[1].method, "nelder-mead");
    assert_string_equal(fit.optim.phase[2].method, "bfgs");
    assert_true(isnan(fit.optim.phase[1].grad_norm));
    for (i = 0; i < fit.optim.nphases; i++) {
        it += fit.optim.phase[i].iterations;
        ev += fit.optim.phase[i].evaluations;
        kept += fit.optim.phase[i].kept;
        assert_non_null(fit.optim.phase[i].why);
    }
    assert_int_equal(it, fit.optim.iterations);
    assert_int_equal(ev, fit.optim.evaluations);
    assert_int_equal(kept, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_degenerate_no_repeat_buyers),
        cmocka_unit_test(test_degenerate_all_ages_zero),
        cmocka_unit_test(test_degenerate_some_ages_zero),
        cmocka_unit_test(test_degenerate_bad_values),
        cmocka_unit_test(test_degenerate_identical_customers),
        cmocka_unit_test(test_degenerate_no_dropout),
        cmocka_unit_test(test_degenerate_sbg_all_or_none),
        cmocka_unit_test(test_degenerate_bgbb_every_period),
        cmocka_unit_test(test_degenerate_gamma_gamma_same_spend),
        cmocka_unit_test(test_degenerate_gamma_gamma_heavy_tail),
        cmocka_unit_test(test_degenerate_huge_frequency),
        cmocka_unit_test(test_degenerate_a_equal_one),
        cmocka_unit_test(test_degenerate_dert_many_purchases),
        cmocka_unit_test(test_degenerate_boundary_clv),
        cmocka_unit_test(test_degenerate_fit_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
