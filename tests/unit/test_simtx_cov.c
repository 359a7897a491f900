/* Unit tests of cv_cov_simulate_tx (src/core/model_simulate.c): transactions drawn with each
   customer's own parameters. Coefficients of 0 give cv_model_simulate_tx's table bit for bit;
   the id column replaces the row numbers; the mean number of transactions per customer of
   one covariate level against 1 + the Pareto/NBD's closed-form E[X(T)] at that level's
   parameters (everyone arrives on the first day: T the same for all); the errors. Small
   enough to run under memcheck. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/covariates.h"
#include "cvkit/models.h"

#define N 4000

static double Z[N];
static const unsigned PROC[2] = {CV_COV_TRANS, CV_COV_LIFE};

static cv_gen_options options(void)
{
    cv_gen_options o = {7, 10000, 1, 10000 + 364, CV_UNIT_WEEK, NULL};
    return o;
}

static void test_simtx_cov_zero_is_plain(void **state)
{
    (void)state;
    const double est[6] = {0.55, 10.6, 0.61, 11.7, 0.0, 0.0};
    const double *z[2] = {Z, Z};
    cv_cov_spec spec = {2, PROC, z};
    cv_gen_options o = options();
    cv_error err;
    o.cohort_days = 90;
    cv_table *a = cv_model_simulate_tx(&cv_model_pareto_nbd, est, 300, &o, &err);
    cv_table *b = cv_cov_simulate_tx(&cv_model_pareto_nbd, est, &spec, 300, &o, NULL, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->nrows, b->nrows);
    assert_true(a->nrows > 300);
    for (int c = 0; c < 3; c++) {
        size_t w = a->cols[c]->type == CV_DATE ? 4 : 8;
        assert_memory_equal(a->cols[c]->data, b->cols[c]->data, w * (size_t)a->nrows);
    }
    cv_table_free(a);
    cv_table_free(b);
}

static void test_simtx_cov_id(void **state)
{
    (void)state;
    const double est[5] = {0.55, 10.6, 0.61, 11.7, 0.7};
    const double *z[1] = {Z};
    cv_cov_spec spec = {1, PROC, z};
    cv_gen_options o = options();
    cv_error err;
    cv_column *id = cv_column_new("Id", CV_INT64, 50);
    for (int i = 0; i < 50; i++)
        assert_int_equal(cv_column_push_int(id, 1000 + i), 0);
    cv_table *a = cv_cov_simulate_tx(&cv_model_pareto_nbd, est, &spec, 50, &o, NULL, &err);
    cv_table *b = cv_cov_simulate_tx(&cv_model_pareto_nbd, est, &spec, 50, &o, id, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(b->cols[0]->name, "Id");
    assert_int_equal(a->nrows, b->nrows);
    for (int64_t k = 0; k < a->nrows; k++)
        assert_int_equal(((int64_t *)b->cols[0]->data)[k], 999 + ((int64_t *)a->cols[0]->data)[k]);
    cv_table_free(a);
    cv_table_free(b);
    cv_column_unref(id);
}

/* Pareto/NBD E[X(t)] = r b / (a (s - 1)) (1 - (b / (b + t))^(s - 1)) (Fader & Hardie 2005) */
static double pnbd_expected(double r, double a, double s, double b, double t)
{
    return r * b / (a * (s - 1.0)) * (1.0 - pow(b / (b + t), s - 1.0));
}

static void test_simtx_cov_mean(void **state)
{
    (void)state;
    const double est[6] = {0.55, 10.6, 0.61, 11.7, 0.7, -0.5};
    const double *z[2] = {Z, Z};
    cv_cov_spec spec = {2, PROC, z};
    cv_gen_options o = options(); /* everyone's first purchase on day 10000: T = 52 weeks */
    cv_error err;
    static double cnt[N];
    cv_table *t = cv_cov_simulate_tx(&cv_model_pareto_nbd, est, &spec, N, &o, NULL, &err);
    assert_non_null(t);
    for (int i = 0; i < N; i++)
        cnt[i] = -1.0; /* the first purchase */
    for (int64_t k = 0; k < t->nrows; k++)
        cnt[((int64_t *)t->cols[0]->data)[k] - 1] += 1.0;
    for (int lev = 0; lev < 2; lev++) {
        double a = 10.6 * exp(-0.7 * lev), b = 11.7 * exp(0.5 * lev);
        double ex = pnbd_expected(0.55, a, 0.61, b, 52.0), s = 0.0, s2 = 0.0, k = 0.0;
        for (int i = 0; i < N; i++)
            if (Z[i] == lev)
                s += cnt[i] - ex, s2 += (cnt[i] - ex) * (cnt[i] - ex), k += 1.0;
        double se = sqrt(s2 - s * s / k);
        print_message("# level %d: mean %.4f, E[X(52)] %.4f, %.2f SE\n", lev, ex + s / k, ex,
                      s / se);
        assert_true(fabs(s) < 4.0 * se);
    }
    cv_table_free(t);
}

static void test_simtx_cov_errors(void **state)
{
    (void)state;
    const double est[5] = {0.55, 10.6, 0.61, 11.7, 0.7};
    double zbad[3] = {0.0, NAN, 1.0};
    const double *z[1] = {zbad};
    cv_cov_spec spec = {1, PROC, z};
    cv_gen_options o = options();
    cv_error err;
    assert_null(cv_cov_simulate_tx(&cv_model_pareto_nbd, est, &spec, 3, &o, NULL, &err));
    assert_non_null(strstr(err.msg, "row 2: covariate 1 is missing"));
    zbad[1] = 0.0;
    assert_null(cv_cov_simulate_tx(&cv_model_mbgnbd, est, &spec, 3, &o, NULL, &err));
    assert_non_null(strstr(err.msg, "mbgnbd takes no covariates"));
    cv_column *id = cv_column_new("Id", CV_INT64, 2);
    assert_int_equal(cv_column_push_int(id, 1), 0);
    assert_null(cv_cov_simulate_tx(&cv_model_pareto_nbd, est, &spec, 3, &o, id, &err));
    assert_non_null(strstr(err.msg, "the id column has 1 rows, 3 customers"));
    cv_column_unref(id);
}

int main(void)
{
    for (int i = 0; i < N; i++)
        Z[i] = i % 2;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_simtx_cov_zero_is_plain),
        cmocka_unit_test(test_simtx_cov_id),
        cmocka_unit_test(test_simtx_cov_mean),
        cmocka_unit_test(test_simtx_cov_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
