/* Tests of src/core/interval.c and model_interval.c: quantiles by hand, binomial draws
   against their exact moments and probabilities, asymptotic intervals of a toy problem
   against the closed-form quantiles of the log-normal (correlated parameters), bootstrap
   intervals of a mean against its known standard error with each group's counts summing to
   its customers, the same bits whatever the thread count, the errors, and the table job. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/intervals.h"
#include "cvkit/mem.h"
#include "cvkit/threads.h"
#include "table_build.h"

#define Z95 1.6448536269514722 /* the 95% quantile of the standard normal */

static void test_quantile_by_hand(void **state)
{
    (void)state;
    double v[5] = {3, 1, NAN, 2, 4};
    /* type 7 on 1 2 3 4: h = 3q */
    assert_float_equal(cv_interval_quantile(v, 5, 0.5), 2.5, 1e-15);
    assert_float_equal(cv_interval_quantile(v, 4, 0.9), 3.7, 1e-15); /* sorted: NaN dropped */
    assert_float_equal(cv_interval_quantile(v, 4, 0.0), 1.0, 0);
    assert_float_equal(cv_interval_quantile(v, 4, 1.0), 4.0, 0);
    double one = 7;
    assert_float_equal(cv_interval_quantile(&one, 1, 0.05), 7.0, 0);
    double none[2] = {NAN, NAN};
    assert_true(isnan(cv_interval_quantile(none, 2, 0.5)));
}

/* Mean and variance of k draws of Binomial(n, p) against np and np(1-p) (5 standard errors),
   and the share of zeros against (1-p)^n. */
static void binomial_moments(double n, double p, uint64_t seed)
{
    enum { K = 40000 };
    cv_rng rng;
    double s = 0, s2 = 0, zeros = 0;
    cv_rng_seed(&rng, seed);
    for (int i = 0; i < K; i++) {
        double x = cv_rng_binomial(&rng, n, p);
        assert_true(x >= 0 && x <= n && x == floor(x));
        s += x, s2 += x * x, zeros += x == 0;
    }
    double mean = s / K, var = s2 / K - mean * mean, v = n * p * (1 - p);
    assert_float_equal(mean, n * p, 5 * sqrt(v / K));
    assert_float_equal(var, v, 5 * v * sqrt(2.0 / K) + 1e-9);
    double p0 = pow(1 - p, n);
    assert_float_equal(zeros / K, p0, 5 * sqrt(p0 * (1 - p0) / K) + 1e-12);
}

static void test_binomial(void **state)
{
    (void)state;
    binomial_moments(10, 0.2, 1);     /* inversion */
    binomial_moments(20, 0.93, 2);    /* inversion of the complement */
    binomial_moments(1000, 0.3, 3);   /* beta recursion */
    binomial_moments(250000, 0.5, 4); /* deep recursion */
    binomial_moments(1e6, 2e-5, 5);   /* a rare row of a big base */
    cv_rng rng;
    cv_rng_seed(&rng, 9);
    assert_float_equal(cv_rng_binomial(&rng, 17, 0.0), 0, 0);
    assert_float_equal(cv_rng_binomial(&rng, 17, 1.0), 17, 0);
    assert_float_equal(cv_rng_binomial(&rng, 0, 0.5), 0, 0);
}

/* ---- A toy problem: out = {p0, p1, p0 p1} ---- */

static int toy_predict(void *ctx, const double *p, double *out)
{
    (void)ctx;
    out[0] = p[0], out[1] = p[1], out[2] = p[0] * p[1];
    return 0;
}

static void test_asymptotic_lognormal(void **state)
{
    (void)state;
    double est[2] = {2, 5}, cov[4] = {0.01, 0.005, 0.005, 0.04};
    cv_interval_problem pb = {0};
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 20000, 7};
    cv_interval_result r;
    cv_error err;
    pb.np = 2, pb.est = est, pb.cov_log = cov, pb.nout = 3, pb.predict = toy_predict;
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), 0);
    assert_int_equal(r.used, 20000);
    /* log p0 ~ N(log 2, 0.1^2), log p1 ~ N(log 5, 0.2^2), log p0 p1 ~ N(log 10, 0.06): the
       sample quantile's standard error on the log scale is sqrt(q(1-q)/n) / density, about
       0.0015 sd; 5 of them */
    double sd[3] = {0.1, 0.2, sqrt(0.06)}, mu[3] = {log(2), log(5), log(10)};
    for (int j = 0; j < 3; j++) {
        double tol = 5 * sqrt(0.05 * 0.95 / 20000) / (exp(-Z95 * Z95 / 2) / sqrt(2 * M_PI));
        assert_float_equal(log(r.lo[j]), mu[j] - Z95 * sd[j], tol * sd[j]);
        assert_float_equal(log(r.hi[j]), mu[j] + Z95 * sd[j], tol * sd[j]);
        assert_float_equal(r.est[j], exp(mu[j]), 1e-12);
    }
    assert_float_equal(r.p_lo[0], r.lo[0], 0);
    assert_float_equal(r.p_hi[1], r.hi[1], 0);
    cv_interval_result_free(&r);
}

/* Draws whose predictions fail: out = {p0} fails above *cut (but not at the estimate, 2).
   log p0 ~ N(log 2, 0.1^2), so a cut at 2 e^{0.1 z} fails the share 1 - Phi(z) of draws. */
static int cut_predict(void *ctx, const double *p, double *out)
{
    const double *cut = ctx;
    out[0] = p[0];
    return p[0] != 2 && p[0] > *cut ? -1 : 0;
}

static void test_failed_draws(void **state)
{
    (void)state;
    double est[1] = {2}, cov[1] = {0.01}, cut = INFINITY, all_lo, all_hi;
    cv_interval_problem pb = {0};
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 4000, 3};
    cv_interval_result r;
    cv_error err;
    pb.np = 1, pb.est = est, pb.cov_log = cov, pb.nout = 1, pb.predict = cut_predict;
    pb.ctx = &cut;
    /* every draw: the 95% quantile of 2 e^{0.1 z}, 2 e^{0.16449} (the
       quantiles of 4000 draws have a standard deviation of about 0.008): 2e-2 */
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), 0);
    assert_int_equal(r.used, 4000);
    all_lo = r.lo[0], all_hi = r.hi[0];
    assert_float_equal(all_hi, 2 * exp(0.1 * 1.644854), 2e-2);
    cv_interval_result_free(&r);
    /* 2% fail (z = 2.0537), the top ones: counted above the upper end, that end is every
       draw's 95% quantile exactly (the failed draws lie above it whatever they were); the
       lower end, with them counted below it, moves down. Leaving them out would give the
       95% quantile of the rest: the 93.1% of all, 2 e^{0.1 * 1.4833} = 2.3197. */
    cut = 2 * exp(0.1 * 2.0537);
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), 0);
    assert_true(r.used > 3900 && r.used < 3940); /* 3920 +- 4.5 sd (8.9) */
    assert_true(r.hi[0] == all_hi);
    assert_true(r.lo[0] < all_lo && r.lo[0] > all_lo * 0.97);
    cv_interval_result_free(&r);
    /* 40% fail (z = 0.2533): more than the 199 of 4000 a 90% interval can hold */
    cut = 2 * exp(0.1 * 0.2533);
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), CV_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "the predictions failed at "));
    assert_non_null(strstr(err.msg, "a 90% interval of 4000 draws holds at most 199"));
}

/* ---- The bootstrap of two means ---- */

typedef struct {
    const double *v;   /* 100 values: group 0 rows 0..49, group 1 rows 50..99 */
    const double *w;   /* customers per row */
    atomic_int badsum; /* refits whose counts did not sum to each group's customers */
} mean_ctx;

static int mean_refit(void *vc, const double *wb, const double *start, double *p)
{
    mean_ctx *c = vc;
    (void)start;
    for (int g = 0; g < 2; g++) {
        double sw = 0, sv = 0, n = 0;
        for (int i = 50 * g; i < 50 * g + 50; i++) {
            sw += wb[i], sv += wb[i] * c->v[i], n += c->w[i];
            if (wb[i] != floor(wb[i]) || (c->w[i] == 0 && wb[i] != 0))
                atomic_fetch_add(&c->badsum, 1);
        }
        if (sw != n)
            atomic_fetch_add(&c->badsum, 1);
        p[g] = sv / sw;
    }
    return 0;
}

static int mean_predict(void *ctx, const double *p, double *out)
{
    (void)ctx;
    out[0] = p[0] + p[1];
    return 0;
}

static void test_bootstrap_mean(void **state)
{
    (void)state;
    double v[100], w[100], est[2] = {0, 0}, n[2] = {0, 0};
    mean_ctx c;
    cv_interval_problem pb = {0};
    cv_interval_options o = {CV_INTERVAL_BOOTSTRAP, 0.9, 8000, 11};
    cv_interval_result r;
    cv_error err;
    for (int i = 0; i < 100; i++) {
        v[i] = i < 50 ? i : 10.0 * (i - 50);
        w[i] = i % 7 == 3 ? 0 : 1 + i % 3; /* some rows stand for 2 or 3 customers, some none */
        est[i / 50] += w[i] * v[i], n[i / 50] += w[i];
    }
    est[0] /= n[0], est[1] /= n[1];
    c.v = v, c.w = w;
    atomic_init(&c.badsum, 0);
    pb.np = 2, pb.est = est, pb.nout = 1, pb.predict = mean_predict, pb.refit = mean_refit;
    pb.ctx = &c, pb.ngroups = 2, pb.group_n[0] = pb.group_n[1] = 50, pb.w = w;
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), 0);
    assert_int_equal(atomic_load(&c.badsum), 0);
    /* the bootstrap distribution of a weighted mean: variance of the values / customers */
    double var[2] = {0, 0};
    for (int i = 0; i < 100; i++)
        var[i / 50] += w[i] * (v[i] - est[i / 50]) * (v[i] - est[i / 50]);
    double se0 = sqrt(var[0] / n[0] / n[0]), se1 = sqrt(var[1] / n[1] / n[1]);
    double se = sqrt(se0 * se0 + se1 * se1); /* the groups are resampled independently */
    /* normal approximation (n of 90 customers: skew small) and sampling error of the
       quantiles: 4% of the half-width */
    assert_float_equal(r.p_lo[0], est[0] - Z95 * se0, 0.04 * Z95 * se0);
    assert_float_equal(r.p_hi[1], est[1] + Z95 * se1, 0.04 * Z95 * se1);
    assert_float_equal(r.lo[0], est[0] + est[1] - Z95 * se, 0.04 * Z95 * se);
    assert_float_equal(r.hi[0], est[0] + est[1] + Z95 * se, 0.04 * Z95 * se);
    cv_interval_result_free(&r);
}

/* ---- BG/NBD refits: the same bits on 1 and 3 threads ---- */

typedef struct {
    cv_model_rows rows;
} bg_ctx;

static int bg_refit(void *vc, const double *wb, const double *start, double *p)
{
    bg_ctx *c = vc;
    cv_model_data d = c->rows.data;
    cv_fit fit;
    cv_error err;
    d.w = wb;
    if (cv_model_fit(&cv_model_bgnbd, &d, start, &fit, &err) > 1)
        return -1;
    memcpy(p, fit.params, sizeof(double) * 4);
    return 0;
}

static int bg_predict(void *vc, const double *p, double *out)
{
    bg_ctx *c = vc;
    const cv_model_data *d = &c->rows.data;
    for (size_t i = 0; i < d->n; i++)
        out[i] =
            cv_model_bgnbd.predict(p, CV_PRED_CONDITIONAL, d->x[i], d->t_x[i], d->T[i], 0, 39, 0);
    return 0;
}

static void test_threads_same_bits(void **state)
{
    (void)state;
    enum { N = 400 };
    double tru[4] = {0.5, 6, 0.7, 2.5}, T[N], x[N], tx[N];
    cv_model_data d = {0};
    bg_ctx c;
    cv_fit fit;
    cv_error err;
    cv_interval_result r[2];
    for (int i = 0; i < N; i++)
        T[i] = 26 + i % 14;
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, tru, N, 5, T, x, tx, NULL, &err), 0);
    d.n = N, d.x = x, d.t_x = tx, d.T = T;
    assert_int_equal(cv_model_collapse(&d, &c.rows, &err), 0);
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &c.rows.data, NULL, &fit, &err), 0);
    for (int k = 0; k < 2; k++) {
        cv_interval_problem pb = {0};
        cv_interval_options o = {k ? CV_INTERVAL_BOOTSTRAP : CV_INTERVAL_ASYMPTOTIC, 0.8, 40, 3};
        pb.np = 4, pb.est = fit.params, pb.cov_log = fit.cov_log, pb.nout = c.rows.data.n;
        pb.predict = bg_predict, pb.refit = bg_refit, pb.ctx = &c;
        pb.ngroups = 1, pb.group_n[0] = c.rows.data.n, pb.w = c.rows.data.w;
        cv_threads_set(1);
        assert_int_equal(cv_interval_run(&pb, &o, &r[0], &err), 0);
        cv_threads_set(3);
        assert_int_equal(cv_interval_run(&pb, &o, &r[1], &err), 0);
        cv_threads_set(0);
        assert_int_equal(r[0].used, 40);
        assert_memory_equal(r[0].lo, r[1].lo, sizeof(double) * pb.nout);
        assert_memory_equal(r[0].hi, r[1].hi, sizeof(double) * pb.nout);
        assert_memory_equal(r[0].p_lo, r[1].p_lo, sizeof(double) * 4);
        for (size_t i = 0; i < pb.nout; i++)
            assert_true(r[0].lo[i] < r[0].hi[i]);
        for (int a = 0; a < 4; a++)
            assert_true(r[0].p_lo[a] < fit.params[a] && fit.params[a] < r[0].p_hi[a]);
        cv_interval_result_free(&r[0]);
        cv_interval_result_free(&r[1]);
    }
    cv_model_rows_free(&c.rows);
}

static void test_errors(void **state)
{
    (void)state;
    double est[2] = {2, 5}, cov[4] = {0.01, 0.02, 0.02, 0.01}; /* not positive definite */
    cv_interval_problem pb = {0};
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 1.0, 100, 1};
    cv_interval_result r;
    cv_error err;
    pb.np = 2, pb.est = est, pb.cov_log = cov, pb.nout = 3, pb.predict = toy_predict;
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "interval level must lie between 0 and 1, got 1");
    o.level = 0.9, o.draws = 1;
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "intervals need at least 2 draws, got 1");
    o.draws = 10;
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "not positive definite"));
    o.method = CV_INTERVAL_BOOTSTRAP;
    assert_int_equal(cv_interval_run(&pb, &o, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "intervals: the bootstrap needs the fit's data");
    assert_int_equal(cv_interval_method_parse("bootstrap"), CV_INTERVAL_BOOTSTRAP);
    assert_int_equal(cv_interval_method_parse("boot"), -1);
    assert_string_equal(cv_interval_method_name(CV_INTERVAL_ASYMPTOTIC), "asymptotic");
}

/* The table job: every customer's interval holds its prediction at the estimates, the CLV
   factor scales (and a negative one swaps) the ends, the total's estimate is the sum of the
   predictions, and the customers of a distinct row share its interval. */
static void test_table_job(void **state)
{
    (void)state;
    double x[6] = {2, 0, 2, 5, 1, 2}, tx[6] = {30, 0, 30, 35, 3, 10};
    double T[6] = {39, 39, 39, 39, 20, 39}, m[6] = {20, 0, 20, 35, 12, 50};
    double f[6] = {1, 1, 2, -1, 0.5, 1};
    double p[4] = {0.243, 4.414, 0.793, 2.426}, cov[16] = {0};
    double g[3] = {6.25, 3.74, 15.44}, gcov[9] = {0};
    cv_table *s = tbl(fcol("x", x, 6), fcol("t_x", tx, 6), fcol("T", T, 6),
                      fcol("mean_repeat_spend", m, 6), fcol("f", f, 6), NULL);
    cv_model_interval_spec sp = {0};
    cv_interval_options o = {CV_INTERVAL_ASYMPTOTIC, 0.9, 300, 5};
    cv_model_interval_totals tot;
    cv_error err;
    for (int a = 0; a < 4; a++)
        cov[a * 5] = 0.01;
    for (int a = 0; a < 3; a++)
        gcov[a * 4] = 0.02;
    sp.tx.model = &cv_model_bgnbd, sp.tx.p = p, sp.tx.cov_log = cov;
    sp.spend.model = &cv_model_gamma_gamma, sp.spend.p = g, sp.spend.cov_log = gcov;
    sp.kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL | CV_IV_SPEND | CV_IV_CLV;
    sp.horizon = 39, sp.clv_horizon = INFINITY, sp.clv_rate = 0.01, sp.clv_factor = "f";
    cv_table *t = cv_model_intervals(&sp, s, NULL, &o, &tot, &err);
    assert_non_null(t);
    cv_column *lo = cv_table_col(t, "conditional_lo", &err),
              *hi = cv_table_col(t, "conditional_hi", &err);
    cv_column *clo = cv_table_col(t, "clv_lo", &err), *chi = cv_table_col(t, "clv_hi", &err);
    assert_non_null(lo), assert_non_null(hi), assert_non_null(clo), assert_non_null(chi);
    double sum = 0, unit[6];
    for (int i = 0; i < 6; i++) {
        double e = cv_model_bgnbd.predict(p, CV_PRED_CONDITIONAL, x[i], tx[i], T[i], 0, 39, 0);
        sum += e;
        assert_true(cv_column_float(lo, i) < e && e < cv_column_float(hi, i));
        unit[i] = cv_model_bgnbd.predict(p, CV_PRED_DERT, x[i], tx[i], T[i], 0, log1p(0.01), 0) *
                  cv_model_gamma_gamma.predict(g, CV_PRED_SPEND, x[i], 0, 0, m[i], 0, 0);
        double c = unit[i] * f[i], a = cv_column_float(clo, i), b = cv_column_float(chi, i);
        assert_true(a < c && c < b);
    }
    assert_float_equal(tot.est[1], sum, 1e-9 * sum);
    /* rows 0 and 2 are one distinct row: one interval, the factor 2 doubles it */
    assert_float_equal(cv_column_float(lo, 0), cv_column_float(lo, 2), 0);
    assert_float_equal(cv_column_float(clo, 2), 2 * cv_column_float(clo, 0), 1e-12);
    assert_true(isnan(tot.est[2]));
    assert_int_equal(tot.np, 7);
    assert_string_equal(tot.names[4], "p");
    double clv = 0;
    for (int i = 0; i < 6; i++)
        clv += unit[i] * f[i];
    assert_float_equal(tot.est[4], clv, 1e-9 * fabs(clv));
    cv_table_free(t);
    /* a kind the model does not offer, a boundary of the bootstrap: no data */
    sp.kinds = CV_IV_DERT;
    sp.tx.model = &cv_model_gamma_gamma;
    assert_null(cv_model_intervals(&sp, s, NULL, &o, &tot, &err));
    assert_string_equal(err.msg, "intervals: gamma_gamma does not predict dert");
    sp.tx.model = &cv_model_bgnbd;
    o.method = CV_INTERVAL_BOOTSTRAP;
    assert_null(cv_model_intervals(&sp, s, NULL, &o, &tot, &err));
    assert_string_equal(err.msg, "bgnbd: the bootstrap needs the data the model was fitted on");
    cv_table_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantile_by_hand),
        cmocka_unit_test(test_binomial),
        cmocka_unit_test(test_asymptotic_lognormal),
        cmocka_unit_test(test_failed_draws),
        cmocka_unit_test(test_bootstrap_mean),
        cmocka_unit_test(test_threads_same_bits),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_table_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
