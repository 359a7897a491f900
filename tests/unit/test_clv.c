/* Unit tests of the time-value conversions (by hand), the per-customer predictions on
   tables, CLV (a tiny case worked by hand), DERT of the BG/NBD against an independent
   quadrature, holdout validation, cohort tracking (by hand) and synthetic transactions
   (a generate -> summarize -> fit round trip). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/clv.h"
#include "cvkit/summary.h"
#include "cvkit/timevalue.h"

#define near(a, b, eps) assert_float_equal((a), (b), (eps))

/* BG/NBD on CDNOW as published (FHL 2005) */
static const double BG[4] = {0.243, 4.414, 0.793, 2.426};

/* A float column from values. */
static cv_column *fcol(const char *name, const double *v, int n)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, n);
    int i;
    for (i = 0; i < n; i++)
        assert_int_equal(cv_column_push_float(c, v[i]), 0);
    return c;
}

static cv_column *icol(const char *name, const int64_t *v, int n)
{
    cv_column *c = cv_column_new(name, CV_INT64, n);
    int i;
    for (i = 0; i < n; i++)
        assert_int_equal(cv_column_push_int(c, v[i]), 0);
    return c;
}

static void add(cv_table *t, cv_column *c)
{
    assert_int_equal(cv_table_add(t, c, NULL), 0);
    cv_column_unref(c);
}

static double get(const cv_table *t, const char *col, int64_t i)
{
    cv_column *c = cv_table_col(t, col, NULL);
    assert_non_null(c);
    return cv_column_number(c, i);
}

/* 15% a year: (1.15)^(7/365.2425) - 1 a week, (1.15)^(1/12) - 1 a month, and back;
   delta = ln(1.15) 7/365.2425 per week; 12% nominal monthly is 12.6825% effective. */
static void test_timevalue_by_hand(void **state)
{
    (void)state;
    near(cv_unit_years(CV_UNIT_WEEK), 7.0 / 365.2425, 1e-15);
    near(cv_unit_years(CV_UNIT_MONTH), 1.0 / 12.0, 1e-15);
    near(cv_unit_days(CV_UNIT_MONTH), 30.436875, 1e-12);
    near(cv_rate_per_period(0.15, CV_UNIT_WEEK), 0.00268217702716211, 1e-15);
    near(cv_rate_per_period(0.15, CV_UNIT_MONTH), 0.0117149169198534, 1e-15);
    near(cv_rate_per_period(0.15, CV_UNIT_DAY), 0.000382728423180101, 1e-15);
    near(cv_rate_per_period(0.15, CV_UNIT_YEAR), 0.15, 1e-15);
    near(cv_rate_annual(0.0117149169198534, CV_UNIT_MONTH), 0.15, 1e-13);
    near(cv_rate_continuous(0.15, CV_UNIT_WEEK), 0.0026785864093749, 1e-15);
    near(cv_rate_from_continuous(0.0026785864093749, CV_UNIT_WEEK), 0.15, 1e-12);
    near(cv_rate_nominal_to_annual(0.12, 12), 0.12682503013197, 1e-13);
    near(cv_rate_nominal_to_annual(0.1, INFINITY), 0.105170918075648, 1e-14);
    /* 52 weeks are 364 days: a little less than a year's discount */
    near(cv_discount_factor(0.15, CV_UNIT_WEEK, 52), pow(1.15, -364 / 365.2425), 1e-15);
    near(cv_discount_factor(0.15, CV_UNIT_MONTH, 12), 1 / 1.15, 1e-15);
    assert_true(isnan(cv_rate_per_period(-1.0, CV_UNIT_WEEK)));
}

/* The paper's customer (x = 2, t_x = 30.43, T = 38.86) and two others; a margin share of
   30/100 and a spend of 50 a transaction. */
static cv_table *tiny(void)
{
    const int64_t x[3] = {2, 0, 7};
    const double tx[3] = {30.43, 0, 35}, T[3] = {38.86, 38.86, 36};
    const double margin[3] = {30, -10, 40}, revenue[3] = {100, 20, 0};
    cv_table *t = cv_table_new();
    add(t, icol("x", x, 3));
    add(t, fcol("t_x", tx, 3));
    add(t, fcol("T", T, 3));
    add(t, fcol("margin", margin, 3));
    add(t, fcol("revenue", revenue, 3));
    return t;
}

static double cond(double x, double tx, double T, double t)
{
    return cv_model_bgnbd.predict(BG, CV_PRED_CONDITIONAL, x, tx, T, 0, t, 0);
}

/* CLV over 2 weeks at 15% a year: v = 1.15^(-7/365.2425) a week,
   dtx = v E[Y(1)] + v^2 (E[Y(2)] - E[Y(1)]), clv = dtx * 50 * 30/100; a negative margin
   makes a negative value; zero revenue gives a zero share. */
static void test_clv_by_hand(void **state)
{
    cv_table *s = tiny(), *c;
    cv_clv_options o;
    cv_error err;
    double v = 1.0 / 1.00268217702716211, e1, e2, dtx;
    (void)state;
    memset(&o, 0, sizeof o);
    o.unit = CV_UNIT_WEEK, o.horizon = 2, o.discount = 0.15, o.spend_value = 50;
    o.margin = "margin";
    c = cv_model_clv_table(&cv_model_bgnbd, BG, s, NULL, &o, &err);
    assert_non_null(c);
    e1 = cond(2, 30.43, 38.86, 1), e2 = cond(2, 30.43, 38.86, 2);
    dtx = v * e1 + v * v * (e2 - e1);
    near(get(c, "dtx", 0), dtx, 1e-12);
    near(get(c, "clv", 0), dtx * 50 * 0.3, 1e-10);
    near(get(c, "margin_share", 1), -0.5, 1e-15);
    e1 = cond(0, 0, 38.86, 1), e2 = cond(0, 0, 38.86, 2);
    near(get(c, "clv", 1), (v * e1 + v * v * (e2 - e1)) * 50 * -0.5, 1e-10);
    assert_true(get(c, "clv", 1) < 0);
    near(get(c, "clv", 2), 0.0, 0.0);
    near(get(c, "p_alive", 0),
         cv_model_bgnbd.predict(BG, CV_PRED_P_ALIVE, 2, 30.43, 38.86, 0, 0, 0), 1e-15);
    cv_table_free(c);
    /* a fractional horizon: 1.5 weeks, the second period discounted from 1.5 */
    o.horizon = 1.5, o.margin = NULL, o.margin_rate = 0.25, o.margin_rate_set = 1;
    c = cv_model_clv_table(&cv_model_bgnbd, BG, s, NULL, &o, &err);
    assert_non_null(c);
    e1 = cond(2, 30.43, 38.86, 1), e2 = cond(2, 30.43, 38.86, 1.5);
    near(get(c, "clv", 0), (v * e1 + pow(v, 1.5) * (e2 - e1)) * 50 * 0.25, 1e-10);
    cv_table_free(c);
    /* unlimited: DERT at delta = ln(1.15) 7/365.2425 */
    o.horizon = INFINITY;
    c = cv_model_clv_table(&cv_model_bgnbd, BG, s, NULL, &o, &err);
    assert_non_null(c);
    near(get(c, "dtx", 0),
         cv_model_bgnbd.predict(BG, CV_PRED_DERT, 2, 30.43, 38.86, 0, 0.0026785864093749, 0), 1e-9);
    cv_table_free(c);
    /* not for a spend model; a bad horizon */
    assert_null(cv_model_clv_table(&cv_model_gamma_gamma, BG, s, NULL, &o, &err));
    o.horizon = 0;
    assert_null(cv_model_clv_table(&cv_model_bgnbd, BG, s, NULL, &o, &err));
    assert_string_equal(err.msg, "clv horizon must be positive, got 0");
    cv_table_free(s);
}

/* DERT of the BG/NBD = integral of delta e^(-delta t) E[Y(t) | x, t_x, T] dt (by parts),
   by an independent composite Simpson rule on [0, 1000] (e^(-50) beyond), delta = 0.05. */
static void test_bgnbd_dert_quadrature(void **state)
{
    const double delta = 0.05, cases[3][3] = {{2, 30.43, 38.86}, {0, 0, 38.86}, {10, 30, 32}};
    int c, k, K = 20000;
    (void)state;
    for (c = 0; c < 3; c++) {
        double sum = 0.0, h = 1000.0 / K, dert;
        for (k = 0; k <= K; k++) {
            double t = k * h, w = (k == 0 || k == K) ? 1 : (k % 2 ? 4 : 2);
            sum += w * delta * exp(-delta * t) * cond(cases[c][0], cases[c][1], cases[c][2], t);
        }
        sum *= h / 3.0;
        dert = cv_model_bgnbd.predict(BG, CV_PRED_DERT, cases[c][0], cases[c][1], cases[c][2], 0,
                                      delta, 0);
        near(dert, sum, 1e-7 * sum);
    }
}

/* DERT's 2F1(1, B; a+B; w) near w = 1 by the connection formula equals the series, and DERT
   is smooth in a across the switch (a = 0.793 and a = 2.5, B = 3.4). */
static void test_bgnbd_dert_near_one(void **state)
{
    const double p1[4] = {0.243, 4.414, 0.793, 2.426}, p2[4] = {0.243, 4.414, 2.5, 2.426};
    double d1, d2, ds;
    (void)state;
    /* delta tiny: w near 1 for most of the posterior; compare with a = 0.793 +- 1e-7 */
    d1 = cv_model_bgnbd.predict(p1, CV_PRED_DERT_ALIVE, 1, 20, 38.86, 0, 0.0026785864093749, 0);
    ds = cv_model_bgnbd.predict((double[]){0.243, 4.414, 0.793 + 1e-7, 2.426}, CV_PRED_DERT_ALIVE,
                                1, 20, 38.86, 0, 0.0026785864093749, 0);
    near(d1, ds, 1e-5 * d1);
    /* against the Simpson rule of the time integral at a larger delta (all w near 1 too) */
    d2 = cv_model_bgnbd.predict(p2, CV_PRED_DERT, 2, 30.43, 38.86, 0, 0.05, 0);
    {
        int k, K = 20000;
        double sum = 0.0, hh = 1000.0 / K;
        for (k = 0; k <= K; k++) {
            double t = k * hh, w = (k == 0 || k == K) ? 1 : (k % 2 ? 4 : 2);
            sum += w * 0.05 * exp(-0.05 * t) *
                   cv_model_bgnbd.predict(p2, CV_PRED_CONDITIONAL, 2, 30.43, 38.86, 0, t, 0);
        }
        sum *= hh / 3.0;
        near(d2, sum, 1e-7 * sum);
    }
}

/* The table path (distinct (x, T) cached, two threads) equals the row-by-row formula. */
static void test_predict_table_matches_rows(void **state)
{
    int n = 50000, i;
    double *x = malloc(sizeof(double) * n), *tx = malloc(sizeof(double) * n);
    double *T = malloc(sizeof(double) * n), *out = malloc(sizeof(double) * n);
    cv_model_data d;
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, BG, (size_t)n, 7, NULL, x, tx, NULL, &err),
                     CV_ERR_USAGE); /* T needed */
    for (i = 0; i < n; i++)
        T[i] = 20 + (i % 97) / 7.0;
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, BG, (size_t)n, 7, T, x, tx, NULL, &err), 0);
    d.n = (size_t)n, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    assert_int_equal(
        cv_model_predict(&cv_model_bgnbd, BG, CV_PRED_CONDITIONAL, &d, 39, 0, out, &err), 0);
    for (i = 0; i < n; i += 997)
        near(out[i], cond(x[i], tx[i], T[i], 39), 1e-12 * (1 + out[i]));
    assert_int_equal(cv_model_predict(&cv_model_pareto_nbd,
                                      (double[]){0.553, 10.578, 0.606, 11.669}, CV_PRED_DERT, &d,
                                      0.01, 0, out, &err),
                     0);
    for (i = 0; i < n; i += 997)
        near(out[i],
             cv_model_pareto_nbd.predict((double[]){0.553, 10.578, 0.606, 11.669}, CV_PRED_DERT,
                                         x[i], tx[i], T[i], 0, 0.01, 0),
             1e-12 * (1 + out[i]));
    free(x), free(tx), free(T), free(out);
}

/* Validation: buckets add up; MAE, RMSE and Brier from their definitions. */
static void test_validate(void **state)
{
    cv_table *s = tiny(), *b;
    const int64_t h[3] = {1, 0, 3};
    cv_validation v;
    cv_error err;
    double e[3], pa[3], mae = 0, mse = 0, brier = 0;
    int i;
    (void)state;
    add(s, icol("x_holdout", h, 3));
    b = cv_model_validate(&cv_model_bgnbd, BG, s, NULL, NULL, 39, 3, &v, &err);
    assert_non_null(b);
    assert_int_equal(b->nrows, 4);
    e[0] = cond(2, 30.43, 38.86, 39), e[1] = cond(0, 0, 38.86, 39), e[2] = cond(7, 35, 36, 39);
    for (i = 0; i < 3; i++) {
        const double xs[3] = {2, 0, 7}, txs[3] = {30.43, 0, 35}, Ts[3] = {38.86, 38.86, 36};
        pa[i] = cv_model_bgnbd.predict(BG, CV_PRED_P_ALIVE, xs[i], txs[i], Ts[i], 0, 0, 0);
        mae += fabs(h[i] - e[i]) / 3;
        mse += (h[i] - e[i]) * (h[i] - e[i]) / 3;
        brier += (pa[i] - (h[i] > 0)) * (pa[i] - (h[i] > 0)) / 3;
    }
    near(v.actual, 4, 0);
    near(v.expected, e[0] + e[1] + e[2], 1e-12);
    near(v.mae, mae, 1e-12);
    near(v.rmse, sqrt(mse), 1e-12);
    near(v.brier, brier, 1e-12);
    near(v.active, 2, 0);
    near(get(b, "customers", 0), 1, 0);
    near(get(b, "actual", 0), 0, 0);
    assert_true(isnan(get(b, "actual", 1))); /* nobody with x = 1 */
    near(get(b, "actual_total", 3), 3, 0);   /* x = 7 falls in the last bucket, "3+" */
    near(get(b, "expected", 2), e[0], 1e-12);
    cv_table_free(b);
    assert_null(cv_model_validate(&cv_model_bgnbd, BG, s, NULL, "nope", 39, 3, &v, &err));
    cv_table_free(s);
}

/* Tracking by hand, Pareto/NBD r = 1, alpha = 2, s = 2, beta = 3 in days:
   E[X(t)] = r beta / (alpha (s-1)) (1 - beta/(beta+t)) = 1.5 t / (3 + t).
   Customer 1 buys on days 0, 3, 3 (one transaction), 10; customer 2 on 7, 8; customer 3
   first on day 20, after the calibration end (day 14): not in the cohort. Weekly periods
   from day 0: actual 1, 2, 0; expected cumulative E1(6) = 1, E1(13) + E2(6) = 2.21875,
   E1(20) + E2(13) = 1.5 * 20/23 + 1.21875. */
static void test_tracking_by_hand(void **state)
{
    const int64_t id[8] = {1, 1, 2, 1, 2, 1, 3, 3};
    const int32_t day[8] = {0, 3, 7, 3, 8, 10, 20, 20};
    const double p[4] = {1, 2, 2, 3};
    cv_table *tx = cv_table_new(), *tr;
    cv_column *d = cv_column_new("date", CV_DATE, 8);
    cv_tracking_options o;
    cv_error err;
    int i;
    (void)state;
    for (i = 0; i < 8; i++)
        cv_column_push_i32(d, day[i]);
    add(tx, icol("id", id, 8));
    add(tx, d);
    memset(&o, 0, sizeof o);
    o.customer = "id", o.date = "date", o.unit = CV_UNIT_DAY, o.calibration_end = 14;
    tr = cv_model_tracking(&cv_model_pareto_nbd, p, tx, &o, &err);
    assert_non_null(tr);
    assert_int_equal(tr->nrows, 3);
    near(get(tr, "actual", 0), 1, 0);
    near(get(tr, "actual", 1), 2, 0);
    near(get(tr, "actual", 2), 0, 0);
    near(get(tr, "actual_cum", 2), 3, 0);
    near(get(tr, "expected_cum", 0), 1.0, 1e-12);
    near(get(tr, "expected_cum", 1), 1.21875 + 1.0, 1e-12);
    near(get(tr, "expected_cum", 2), 1.5 * 20 / 23 + 1.21875, 1e-12);
    near(get(tr, "expected", 2), 1.5 * 20 / 23 + 1.21875 - 2.21875, 1e-12);
    near(get(tr, "end", 1), 13, 0);
    near(get(tr, "days", 0), 7, 0);
    near(get(tr, "days", 2), 7, 0);
    cv_table_free(tr);
    /* tracked to day 16: the third period covers days 14-16, 3 of its 7 days */
    o.end = 16, o.end_set = 1;
    tr = cv_model_tracking(&cv_model_pareto_nbd, p, tx, &o, &err);
    assert_non_null(tr);
    assert_int_equal(tr->nrows, 3);
    near(get(tr, "days", 1), 7, 0);
    near(get(tr, "days", 2), 3, 0);
    near(get(tr, "end", 2), 16, 0);
    cv_table_free(tr);
    cv_table_free(tx);
}

/* Synthetic transactions: deterministic, within the window; summarized and fitted they give
   back the parameters within 6% (60,000 customers; standard errors 0.7-3%). Dates are whole
   days, so purchases of one customer on one day merge in the summary: the heaviest buyers
   lose a few purchases and alpha comes out about 4% high (r, a, b within 1%). */
static void test_gen_round_trip(void **state)
{
    const double p[4] = {0.5, 6.0, 0.7, 2.5}, gg[3] = {6.25, 3.74, 15.44};
    cv_gen_options g;
    cv_summary_options so;
    cv_table *tx, *tx2, *s;
    cv_model_rows rows;
    cv_fit fit;
    cv_error err;
    int i;
    (void)state;
    memset(&g, 0, sizeof g);
    g.seed = 42, g.start = 9862 /* 1997-01-01 */, g.cohort_days = 84, g.end = 9862 + 545;
    g.unit = CV_UNIT_WEEK, g.spend = gg;
    tx = cv_model_simulate_tx(&cv_model_bgnbd, p, 60000, &g, &err);
    assert_non_null(tx);
    tx2 = cv_model_simulate_tx(&cv_model_bgnbd, p, 60000, &g, &err);
    assert_int_equal(tx->nrows, tx2->nrows);
    assert_memory_equal(tx->cols[2]->data, tx2->cols[2]->data, sizeof(double) * tx->nrows);
    cv_table_free(tx2);
    for (i = 0; i < tx->nrows; i++) {
        int32_t d = cv_column_i32(tx->cols[1], i);
        assert_true(d >= g.start && d <= g.end);
        assert_true(cv_column_float(tx->cols[2], i) >= 0.01);
    }
    memset(&so, 0, sizeof so);
    so.customer = "customer", so.date = "date", so.amount = "amount", so.unit = CV_UNIT_WEEK;
    so.calibration_end = g.end, so.calibration_end_set = 1;
    s = cv_summary_table(tx, &so, NULL, &err);
    assert_non_null(s);
    assert_int_equal(s->nrows, 60000);
    assert_int_equal(cv_model_rows_from_table(&cv_model_bgnbd, s, NULL, &rows, &err), 0);
    assert_true(cv_model_fit(&cv_model_bgnbd, &rows.data, NULL, &fit, &err) <= 1);
    for (i = 0; i < 4; i++) {
        assert_true(fabs(fit.params[i] - p[i]) < 0.06 * p[i]);
    }
    cv_model_rows_free(&rows);
    cv_table_free(s);
    cv_table_free(tx);
}

/* A customer first seen on the last day (T = 0) has likelihood 1 in the continuous-time
   models: fits and predictions take the row. */
static void test_age_zero(void **state)
{
    const double x[2] = {0, 2}, tx[2] = {0, 30.43}, T[2] = {0, 38.86};
    const double pn[4] = {0.553, 10.578, 0.606, 11.669};
    cv_model_data d = {2, x, tx, T, NULL, NULL}, one = {1, x + 1, tx + 1, T + 1, NULL, NULL};
    double ll2, ll1, out[2];
    cv_error err;
    (void)state;
    assert_int_equal(cv_model_loglik(&cv_model_bgnbd, BG, &d, &ll2, NULL, &err), 0);
    assert_int_equal(cv_model_loglik(&cv_model_bgnbd, BG, &one, &ll1, NULL, &err), 0);
    near(ll2, ll1, 1e-12);
    assert_int_equal(cv_model_loglik(&cv_model_pareto_nbd, pn, &d, &ll2, NULL, &err), 0);
    assert_int_equal(cv_model_loglik(&cv_model_pareto_nbd, pn, &one, &ll1, NULL, &err), 0);
    near(ll2, ll1, 1e-12);
    assert_int_equal(
        cv_model_predict(&cv_model_pareto_nbd, pn, CV_PRED_P_ALIVE, &d, 0, 0, out, &err), 0);
    near(out[0], 1.0, 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timevalue_by_hand),
        cmocka_unit_test(test_clv_by_hand),
        cmocka_unit_test(test_bgnbd_dert_quadrature),
        cmocka_unit_test(test_bgnbd_dert_near_one),
        cmocka_unit_test(test_predict_table_matches_rows),
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_tracking_by_hand),
        cmocka_unit_test(test_gen_round_trip),
        cmocka_unit_test(test_age_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
