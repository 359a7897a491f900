/* The predictions computed together (cv_model_clv_table with a conditional column,
   cv_model_predict_table: P(alive) once per row or distinct row and shared, the parts of an
   alive customer once per distinct (x, T)) against the one-by-one functions, row by row, on
   CDNOW's 2,357 customers (cdnow_customers_summary.csv) and a BG/BB table with repeated rows:
   P(alive), E[Y(52)], the 52-week discounted transactions by their definition (sum over
   weeks k of v^k (E[Y(k)] - E[Y(k-1)]), E[Y] the CONDITIONAL prediction), DERT, to 1e-9
   relative, at published, random and near-boundary parameters. */
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
#include "cvkit/timevalue.h"
#include "data.h"

#define NMAX 3000
#define TOL 1e-9

static double X[NMAX], TX[NMAX], TT[NMAX];
static size_t N, S = 1; /* rows; every S-th row is checked */

static void load_cdnow(void)
{
    const char *path = data_path("cdnow_customers_summary.csv");
    FILE *f = fopen(path, "r");
    char line[256];
    if (N)
        return;
    if (!f)
        fail_msg("cannot open %s (set CVKIT_DATA)", path);
    assert_non_null(fgets(line, sizeof line, f));
    while (N < NMAX && fgets(line, sizeof line, f))
        if (sscanf(line, "%*d,%lf,%lf,%lf", &X[N], &TX[N], &TT[N]) == 3)
            N++;
    fclose(f);
    assert_int_equal(N, 2357);
}

static cv_column *fcol(const char *name, const double *v, size_t n)
{
    cv_column *c = cv_column_new(name, CV_FLOAT64, (int64_t)n);
    size_t i;
    for (i = 0; i < n; i++)
        assert_int_equal(cv_column_push_float(c, v[i]), 0);
    return c;
}

static void add(cv_table *t, cv_column *c)
{
    assert_int_equal(cv_table_add(t, c, NULL), 0);
    cv_column_unref(c);
}

static cv_table *table(const double *x, const double *tx, const double *T, size_t n)
{
    cv_table *t = cv_table_new();
    double *spend = malloc(sizeof *spend * n);
    size_t i;
    for (i = 0; i < n; i++)
        spend[i] = 10.0 + (double)(i % 7);
    add(t, fcol("x", x, n));
    add(t, fcol("t_x", tx, n));
    add(t, fcol("T", T, n));
    add(t, fcol("mean_spend", spend, n));
    free(spend);
    return t;
}

static double get(const cv_table *t, const char *col, size_t i)
{
    cv_column *c = cv_table_col(t, col, NULL);
    assert_non_null(c);
    return cv_column_number(c, (int64_t)i);
}

/* |got - want| within TOL of |want| (and of 1e-300: underflow), NaN only against NaN */
static void same(double got, double want, const char *what, size_t row, const double *p)
{
    if (isnan(want) && isnan(got))
        return;
    if (!(fabs(got - want) <= TOL * fabs(want) + 1e-300))
        fail_msg("%s row %zu: %.17g, one by one %.17g (p = %g, %g, %g, %g)", what, row + 1, got,
                 want, p[0], p[1], p[2], p[3]);
}

/* A deterministic generator of parameters: log-uniform in [lo, hi]. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;
static double logu(double lo, double hi)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return lo * pow(hi / lo, (double)(rng_state >> 11) / 9007199254740992.0);
}

/* Every prediction of the CLV table with conditional = 52 (52 weeks at 15% a year, and
   the unlimited horizon), and of cv_model_predict_table, against the one-by-one
   predictions of every S-th row (the discounted transactions on every 3 S-th row: the
   definition costs 52 expectations a row). */
static void check_model(const cv_model *m, const double *p)
{
    const double rate = cv_rate_per_period(0.15, CV_UNIT_WEEK), v = 1.0 / (1.0 + rate);
    cv_table *s = table(X, TX, TT, N), *c, *a;
    cv_clv_options o;
    cv_error err;
    size_t i;
    int k;
    memset(&o, 0, sizeof o);
    o.unit = CV_UNIT_WEEK, o.horizon = 52, o.discount = 0.15, o.spend = "mean_spend";
    o.conditional = 52;
    c = cv_model_clv_table(m, p, s, NULL, &o, &err);
    if (!c)
        fail_msg("%s clv: %s", m->name, err.msg);
    for (i = 0; i < N; i += S) {
        const double al = m->predict(p, CV_PRED_P_ALIVE, X[i], TX[i], TT[i], 0, 0, 0);
        const double e = m->predict(p, CV_PRED_CONDITIONAL, X[i], TX[i], TT[i], 0, 52, 0);
        same(get(c, "p_alive", i), al, "p_alive", i, p);
        same(get(c, "conditional", i), e, "conditional", i, p);
        if (i % (3 * S) == 0) {
            double prev = 0.0, dtx = 0.0;
            for (k = 1; k <= 52; k++) {
                double ek = m->predict(p, CV_PRED_CONDITIONAL, X[i], TX[i], TT[i], 0, k, 0);
                dtx += pow(v, k) * (ek - prev);
                prev = ek;
            }
            same(get(c, "dtx", i), dtx, "dtx", i, p);
            same(get(c, "clv", i), dtx * get(s, "mean_spend", i), "clv", i, p);
        }
    }
    cv_table_free(c);
    o.horizon = INFINITY, o.conditional = 0;
    c = cv_model_clv_table(m, p, s, NULL, &o, &err);
    if (!c) { /* refused only where DERT has no finite value one by one either (a near 0) */
        assert_int_equal(err.code, CV_ERR_DOMAIN);
        assert_true(isnan(m->predict(p, CV_PRED_DERT, X[0], TX[0], TT[0], 0, log1p(rate), 0)));
    } else {
        assert_null(cv_table_col(c, "conditional", NULL));
        for (i = 0; i < N; i += 5 * S)
            same(get(c, "dtx", i),
                 m->predict(p, CV_PRED_DERT, X[i], TX[i], TT[i], 0, log1p(rate), 0), "dert", i, p);
        cv_table_free(c);
    }
    a = cv_model_predict_table(m, p, CV_PRED_CONDITIONAL, 39, 0, s, NULL, "e39", &err);
    assert_non_null(a);
    for (i = 0; i < N; i += S)
        same(get(a, "e39", i), m->predict(p, CV_PRED_CONDITIONAL, X[i], TX[i], TT[i], 0, 39, 0),
             "conditional 39", i, p);
    cv_table_free(a);
    cv_table_free(s);
}

static void test_cdnow_published(void **state)
{
    static const double bg[4] = {0.243, 4.414, 0.793, 2.426}; /* FHL 2005 */
    static const double mbg[4] = {0.525, 6.183, 0.891, 1.614};
    static const double pnbd[4] = {0.553, 10.578, 0.606, 11.669}; /* lifetimes' CDNOW fit */
    (void)state;
    load_cdnow();
    check_model(&cv_model_bgnbd, bg);
    check_model(&cv_model_mbgnbd, mbg);
    check_model(&cv_model_pareto_nbd, pnbd);
}

static void test_random_params(void **state)
{
    int k;
    (void)state;
    load_cdnow();
    S = 10;
    for (k = 0; k < 3; k++) {
        double p[4];
        p[0] = logu(0.05, 20), p[1] = logu(0.5, 200), p[2] = logu(0.05, 20), p[3] = logu(0.05, 50);
        check_model(&cv_model_bgnbd, p);
        check_model(&cv_model_mbgnbd, p);
        p[2] = logu(0.05, 5), p[3] = logu(0.5, 200);
        check_model(&cv_model_pareto_nbd, p);
    }
}

/* Near the edges of what a fit reaches: a within 1e-7 of 1 (the expectations' removable
   singularity), a near 0 (no dropout), b and beta at 1e8, r small, alpha large. */
static void test_near_boundary(void **state)
{
    static const double bg[][4] = {
        {0.243, 4.414, 1.0 + 1e-7, 2.426}, {0.243, 4.414, 1e-7, 2.426}, {0.243, 4.414, 0.8, 1e8},
        {1e-3, 1e3, 0.793, 2.426},         {8.0, 200.0, 3.0, 0.05},
    };
    static const double pn[][4] = {
        {0.553, 10.578, 1e-6, 11.669}, {0.553, 10.578, 0.606, 1e8}, {30.0, 100.0, 5.0, 0.5}};
    size_t k;
    (void)state;
    load_cdnow();
    S = 10;
    for (k = 0; k < sizeof bg / sizeof bg[0]; k++) {
        check_model(&cv_model_bgnbd, bg[k]);
        check_model(&cv_model_mbgnbd, bg[k]);
    }
    for (k = 0; k < sizeof pn / sizeof pn[0]; k++)
        check_model(&cv_model_pareto_nbd, pn[k]);
}

/* BG/BB per period: a recency/frequency table with each row repeated (the distinct rows
   are computed once); P(alive), E[Y(n*)] and DERT against the one-by-one predictions. */
static void test_bgbb_repeated(void **state)
{
    static const double p[4] = {1.204, 0.750, 0.657, 2.783}; /* FHS 2010, donations */
    double x[400], tx[400], T[400];
    const cv_pred kinds[3] = {CV_PRED_P_ALIVE, CV_PRED_CONDITIONAL, CV_PRED_DERT};
    const double args[3] = {0, 5, 0.1};
    cv_table *s;
    cv_error err;
    size_t i;
    int k;
    (void)state;
    for (i = 0; i < 400; i++) { /* 6 periods: x <= t_x <= 6, x = 0 with t_x = 0 */
        x[i] = (double)(i % 7), tx[i] = x[i] == 0 ? 0 : x[i] + (double)((i / 7) % (7 - (int)x[i]));
        T[i] = 6;
        if (tx[i] > 6)
            tx[i] = 6;
    }
    s = table(x, tx, T, 400);
    for (k = 0; k < 3; k++) {
        cv_table *a =
            cv_model_predict_table(&cv_model_bgbb, p, kinds[k], args[k], 0, s, NULL, "v", &err);
        if (!a)
            fail_msg("bgbb: %s", err.msg);
        for (i = 0; i < 400; i++)
            same(get(a, "v", i),
                 cv_model_bgbb.predict(p, kinds[k], x[i], tx[i], T[i], 0, args[k], 0),
                 cv_pred_name(kinds[k]), i, p);
        cv_table_free(a);
    }
    cv_table_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cdnow_published),
        cmocka_unit_test(test_random_params),
        cmocka_unit_test(test_near_boundary),
        cmocka_unit_test(test_bgbb_repeated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
