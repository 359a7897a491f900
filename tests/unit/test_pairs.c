/* cv_model_pairs_make (model_predict.c), the distinct (x, T) of the per-pair predictions: the
   coded path (few distinct values in each column: a dense table of the two codes) and the
   hashed one (a column of more than 4,096 distinct values, or codes whose product outgrows
   the rows) against a direct search, row by row: the same pairs, in the order of their
   first row, and each row's pair; 0 and -0 one value, NULL columns 0. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "model_int.h"

/* the pairs by a direct search over those found so far (quadratic: small n only) */
static void check_against_search(const double *x, const double *T, size_t n)
{
    cv_model_pairs pp;
    double *px = malloc(sizeof *px * (n ? n : 1)), *pT = malloc(sizeof *pT * (n ? n : 1));
    size_t i, j, k = 0;
    assert_non_null(px);
    assert_non_null(pT);
    assert_int_equal(cv_model_pairs_make(x, T, n, &pp), 0);
    for (i = 0; i < n; i++) {
        const double xi = x ? x[i] : 0.0, Ti = T ? T[i] : 0.0;
        for (j = 0; j < k; j++)
            if (px[j] == xi && pT[j] == Ti) /* 0 == -0 */
                break;
        if (j == k)
            px[k] = xi, pT[k++] = Ti;
        if (pp.idx[i] != j)
            fail_msg("row %zu (x = %g, T = %g): pair %u, expected %zu", i, xi, Ti,
                     (unsigned)pp.idx[i], j);
    }
    assert_int_equal(pp.k, k);
    for (j = 0; j < k; j++) {
        assert_true(pp.x[j] == px[j]);
        assert_true(pp.T[j] == pT[j]);
    }
    cv_model_pairs_free(&pp);
    free(px), free(pT);
}

/* whole-day ages in weeks and small counts, as a summary has them: the coded path */
static void test_days(void **state)
{
    enum { N = 20000 };
    static double x[N], T[N];
    size_t i;
    unsigned s = 12345;
    (void)state;
    for (i = 0; i < N; i++) {
        s = s * 1103515245u + 12345u;
        x[i] = (double)((s >> 16) % 40);
        s = s * 1103515245u + 12345u;
        T[i] = (double)((s >> 16) % 700) / 7.0;
    }
    x[5] = -0.0, x[6] = 0.0, T[6] = T[5]; /* one pair */
    check_against_search(x, T, N);
    check_against_search(x, NULL, N); /* x alone (T taken as 0) */
    check_against_search(NULL, T, N);
    check_against_search(x, T, 0);
}

/* more than 4,096 distinct values in a column, and codes whose product passes 2n: the hashed
   path, the same answer */
static void test_many_values(void **state)
{
    enum { N = 9000 };
    static double x[N], T[N];
    size_t i;
    (void)state;
    for (i = 0; i < N; i++) /* 4,500 distinct x, each twice */
        x[i] = (double)(i % 4500) * 0.37, T[i] = (double)(i % 3);
    check_against_search(x, T, N);
    for (i = 0; i < N; i++) /* 3,000 x by 3,000 T codes: 9 million cells for 9,000 rows */
        x[i] = (double)(i % 3000), T[i] = (double)((i * 7) % 3000) + 0.5;
    check_against_search(x, T, N);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),
        cmocka_unit_test(test_many_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
