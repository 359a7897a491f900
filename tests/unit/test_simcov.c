/* Unit tests of cv_cov_simulate_table (src/core/model_simulate.c): one simulated summary
   row per row of the covariates table, with the covariate columns shared; the same seed
   gives the same rows; coefficients of 0 give cv_model_simulate's draws exactly; the
   Gamma-Gamma's mean spend is missing where x = 0; each row's mean purchases move with its
   own alpha_i; the errors (an unknown column, T < 0). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/covariates.h"
#include "cvkit/models.h"

enum { N = 4000 };
static double G[N], TT[N], XIN[N];

/* A table with the column "g" (0/1 alternating, int) and "w" (float, unused by the spec). */
static cv_table *covariates(void)
{
    cv_table *t = cv_table_new();
    cv_column *g = cv_column_new("g", CV_INT64, N), *w = cv_column_new("w", CV_FLOAT64, N);
    cv_error err;
    assert_non_null(t);
    for (int i = 0; i < N; i++) {
        G[i] = (double)(i % 2), TT[i] = 30.0, XIN[i] = (double)(i % 4);
        assert_int_equal(cv_column_push_int(g, i % 2), 0);
        assert_int_equal(cv_column_push_float(w, 0.5 * i), 0);
    }
    assert_int_equal(cv_table_add(t, g, &err), 0);
    assert_int_equal(cv_table_add(t, w, &err), 0);
    cv_column_unref(g), cv_column_unref(w);
    return t;
}

static const double *col_f(const cv_table *t, const char *name)
{
    cv_error err;
    cv_column *c = cv_table_col(t, name, &err);
    assert_non_null(c);
    assert_int_equal(c->type, CV_FLOAT64);
    return c->data;
}

static void test_pareto(void **state)
{
    const double *z[2] = {G, G};
    unsigned proc[2] = {CV_COV_TRANS, CV_COV_LIFE};
    cv_cov_spec spec = {2, proc, z};
    const char *keep[2] = {"g", "g"};
    double est[6] = {0.55, 10.6, 0.61, 11.7, 0.7, -0.5}, x[N], tx[N], sum[2] = {0, 0};
    cv_table *s = covariates(), *a, *b, *c;
    cv_error err;
    (void)state;
    a = cv_cov_simulate_table(&cv_model_pareto_nbd, est, &spec, s, keep, 2, 7, TT, &err);
    b = cv_cov_simulate_table(&cv_model_pareto_nbd, est, &spec, s, keep, 2, 7, TT, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->ncols, 4); /* x, t_x, T, g (once) */
    assert_int_equal(a->nrows, N);
    assert_string_equal(a->cols[0]->name, "x");
    assert_int_equal(a->cols[0]->type, CV_INT64);
    assert_string_equal(a->cols[3]->name, "g");
    assert_ptr_equal(a->cols[3], s->cols[0]); /* shared, not copied */
    assert_memory_equal(a->cols[0]->data, b->cols[0]->data, sizeof(int64_t) * N);
    assert_memory_equal(col_f(a, "t_x"), col_f(b, "t_x"), sizeof(double) * N);
    /* g = 1: alpha e^-0.7, beta e^0.5, E[X(30)] 2.28 against 1.00 for g = 0 */
    for (int i = 0; i < N; i++)
        sum[i % 2] += (double)((const int64_t *)a->cols[0]->data)[i];
    assert_true(sum[1] > 1.5 * sum[0]);
    /* coefficients of 0: the model's own draws */
    est[4] = est[5] = 0.0;
    c = cv_cov_simulate_table(&cv_model_pareto_nbd, est, &spec, s, keep, 2, 7, TT, &err);
    assert_non_null(c);
    assert_int_equal(cv_model_simulate(&cv_model_pareto_nbd, est, N, 7, TT, x, tx, NULL, &err), 0);
    for (int i = 0; i < N; i++) {
        assert_true(((const int64_t *)c->cols[0]->data)[i] == (int64_t)x[i]);
        assert_true(col_f(c, "t_x")[i] == tx[i]);
    }
    cv_table_free(a), cv_table_free(b), cv_table_free(c), cv_table_free(s);
}

static void test_gamma_gamma(void **state)
{
    const double *z[1] = {G};
    unsigned proc[1] = {CV_COV_SPEND};
    cv_cov_spec spec = {1, proc, z};
    const char *keep[1] = {"g"};
    double est[4] = {6.25, 3.74, 15.44, 0.4};
    cv_table *s = covariates(), *a;
    cv_column *m;
    cv_error err;
    (void)state;
    a = cv_cov_simulate_table(&cv_model_gamma_gamma, est, &spec, s, keep, 1, 3, XIN, &err);
    assert_non_null(a);
    assert_int_equal(a->ncols, 3); /* x, mean_repeat_spend, g */
    m = cv_table_col(a, "mean_repeat_spend", &err);
    assert_non_null(m);
    for (int i = 0; i < N; i++)
        assert_int_equal(cv_column_is_valid(m, i), XIN[i] > 0.0);
    cv_table_free(a), cv_table_free(s);
}

static void test_errors(void **state)
{
    const double *z[1] = {G};
    unsigned proc[1] = {CV_COV_TRANS};
    cv_cov_spec spec = {1, proc, z};
    const char *keep[1] = {"h"};
    double est[5] = {0.55, 10.6, 0.61, 11.7, 0.7};
    cv_table *s = covariates();
    cv_error err;
    (void)state;
    assert_null(cv_cov_simulate_table(&cv_model_pareto_nbd, est, &spec, s, keep, 1, 1, TT, &err));
    assert_non_null(strstr(err.msg, "'h'"));
    keep[0] = "g";
    TT[0] = -1.0;
    assert_null(cv_cov_simulate_table(&cv_model_pareto_nbd, est, &spec, s, keep, 1, 1, TT, &err));
    assert_string_equal(err.msg, "row 1: T = -1 must be a finite number >= 0");
    cv_table_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pareto),
        cmocka_unit_test(test_gamma_gamma),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
