/* Unit tests of cv_table_group_by's fast path (one int, date, bool or string key; count,
   sum, mean, min, max, first, last, n_distinct): dense and hashed keys, negative ids,
   missing keys, n_distinct in and out of order, empty tables, and tables large enough to be
   partitioned and aggregated on two threads. Expected values are worked out by hand or by
   plain loops over the rows written here; one test also compares with the general path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/table.h"

#include "table_build.h"

/* Exact comparison: these sums of small halves and integers are exact in binary. */
static void assert_floats(const cv_column *c, const double *want, int64_t n)
{
    assert_int_equal(c->type, CV_FLOAT64);
    assert_int_equal(c->n, n);
    for (int64_t i = 0; i < n; i++) {
        if (isnan(want[i])) {
            assert_false(cv_column_is_valid(c, i));
        } else {
            assert_true(cv_column_is_valid(c, i));
            assert_true(cv_column_float(c, i) == want[i]);
        }
    }
}

static cv_table *group(const cv_table *t, const char *key, const cv_agg *aggs, int naggs)
{
    cv_error err = {0};
    const char *keys[1] = {key};
    cv_table *r = cv_table_group_by(t, keys, 1, aggs, naggs, &err);
    if (!r)
        fail_msg("%s", err.msg);
    return r;
}

/* The aggregates most tests use, over an int column v. */
static const cv_agg some_aggs[] = {{"rows", CV_AGG_COUNT, NULL, 0}, {"n", CV_AGG_COUNT, "v", 0},
                                   {"sum", CV_AGG_SUM, "v", 0},     {"mean", CV_AGG_MEAN, "v", 0},
                                   {"min", CV_AGG_MIN, "v", 0},     {"max", CV_AGG_MAX, "v", 0},
                                   {"first", CV_AGG_FIRST, "v", 0}, {"last", CV_AGG_LAST, "v", 0},
                                   {"nd", CV_AGG_NDISTINCT, "v", 0}};
#define NSOME ((int)(sizeof some_aggs / sizeof *some_aggs))

/* ---- Keys ---------------------------------------------------------------------------------- */

static void test_groupby_dense_int_keys(void **state)
{
    (void)state;
    /* keys 3, 1, 2 (a range of 3: the direct array); group 3 holds v 5, 9, 5; group 1
       holds 7, -2; group 2 holds 4 */
    cv_table *t = tbl(icol("k", (int64_t[]){3, 1, 3, 2, 1, 3}, 6),
                      icol("v", (int64_t[]){5, 7, 9, 4, -2, 5}, 6), NULL);
    cv_table *r = group(t, "k", some_aggs, NSOME);
    assert_int_equal(r->nrows, 3);
    assert_int_equal(r->ncols, 1 + NSOME);
    assert_ints(col(r, "k"), (int64_t[]){3, 1, 2}, 3);
    assert_ints(col(r, "rows"), (int64_t[]){3, 2, 1}, 3);
    assert_ints(col(r, "n"), (int64_t[]){3, 2, 1}, 3);
    assert_int_equal(col(r, "sum")->type, CV_INT64);
    assert_ints(col(r, "sum"), (int64_t[]){19, 5, 4}, 3);
    assert_floats(col(r, "mean"), (double[]){19.0 / 3, 2.5, 4}, 3);
    assert_int_equal(col(r, "min")->type, CV_INT64);
    assert_ints(col(r, "min"), (int64_t[]){5, -2, 4}, 3);
    assert_ints(col(r, "max"), (int64_t[]){9, 7, 4}, 3);
    assert_ints(col(r, "first"), (int64_t[]){5, 7, 4}, 3);
    assert_ints(col(r, "last"), (int64_t[]){5, -2, 4}, 3);
    assert_ints(col(r, "nd"), (int64_t[]){2, 2, 1}, 3);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_negative_ids(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("k", (int64_t[]){-3, -1, -3, -2, 0, -1}, 6),
                      icol("v", (int64_t[]){1, 2, 3, 4, 5, 6}, 6), NULL);
    cv_table *r = group(t, "k", some_aggs, NSOME);
    assert_ints(col(r, "k"), (int64_t[]){-3, -1, -2, 0}, 4);
    assert_ints(col(r, "sum"), (int64_t[]){4, 8, 4, 5}, 4);
    assert_ints(col(r, "min"), (int64_t[]){1, 2, 4, 5}, 4);
    assert_ints(col(r, "max"), (int64_t[]){3, 6, 4, 5}, 4);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_sparse_and_extreme_int_keys_are_hashed(void **state)
{
    (void)state;
    /* a range of 2^64 - 1 (INT64_MIN is the builders' missing mark, so the lowest key here
       is INT64_MIN + 1) and ids a trillion apart: both hashed */
    int64_t lo = INT64_MIN + 1, hi = INT64_MAX;
    cv_table *t = tbl(icol("k", (int64_t[]){hi, 5, lo, -7, 5, hi, lo, lo}, 8),
                      icol("v", (int64_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 8), NULL);
    cv_table *r = group(t, "k", some_aggs, NSOME);
    assert_ints(col(r, "k"), (int64_t[]){hi, 5, lo, -7}, 4);
    assert_ints(col(r, "rows"), (int64_t[]){2, 2, 3, 1}, 4);
    assert_ints(col(r, "sum"), (int64_t[]){7, 7, 18, 4}, 4);
    assert_ints(col(r, "first"), (int64_t[]){1, 2, 3, 4}, 4);
    assert_ints(col(r, "last"), (int64_t[]){6, 5, 8, 4}, 4);
    cv_table_free(r);
    cv_table_free(t);

    int64_t T = 1000000000000LL;
    t = tbl(icol("k", (int64_t[]){T, -T, 42, T, 42, -T, -T}, 7),
            icol("v", (int64_t[]){1, 1, 2, 3, 2, 1, 4}, 7), NULL);
    r = group(t, "k", some_aggs, NSOME);
    assert_ints(col(r, "k"), (int64_t[]){T, -T, 42}, 3);
    assert_ints(col(r, "rows"), (int64_t[]){2, 3, 2}, 3);
    assert_ints(col(r, "nd"), (int64_t[]){2, 2, 1}, 3);
    assert_ints(col(r, "max"), (int64_t[]){3, 4, 2}, 3);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_missing_keys_and_values(void **state)
{
    (void)state;
    /* the missing key is one group, placed where it first appears; missing values are
       skipped (a group with none gets missing sums and extremes, count 0, n_distinct 0) */
    cv_table *t = tbl(icol("k", (int64_t[]){1, NA, 2, NA, 1, 3}, 6),
                      icol("v", (int64_t[]){10, 20, NA, 20, NA, 30}, 6), NULL);
    cv_table *r = group(t, "k", some_aggs, NSOME);
    assert_ints(col(r, "k"), (int64_t[]){1, NA, 2, 3}, 4);
    assert_ints(col(r, "rows"), (int64_t[]){2, 2, 1, 1}, 4);
    assert_ints(col(r, "n"), (int64_t[]){1, 2, 0, 1}, 4);
    assert_ints(col(r, "sum"), (int64_t[]){10, 40, NA, 30}, 4);
    assert_floats(col(r, "mean"), (double[]){10, 20, NAN, 30}, 4);
    assert_ints(col(r, "min"), (int64_t[]){10, 20, NA, 30}, 4);
    assert_ints(col(r, "max"), (int64_t[]){10, 20, NA, 30}, 4);
    assert_ints(col(r, "first"), (int64_t[]){10, 20, NA, 30}, 4);
    assert_ints(col(r, "last"), (int64_t[]){10, 20, NA, 30}, 4);
    assert_ints(col(r, "nd"), (int64_t[]){1, 1, 0, 1}, 4);
    cv_table_free(r);
    cv_table_free(t);

    /* every key missing: one group */
    t = tbl(icol("k", (int64_t[]){NA, NA}, 2), icol("v", (int64_t[]){1, 2}, 2), NULL);
    r = group(t, "k", some_aggs, NSOME);
    assert_ints(col(r, "k"), (int64_t[]){NA}, 1);
    assert_ints(col(r, "sum"), (int64_t[]){3}, 1);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_string_keys(void **state)
{
    (void)state;
    cv_table *t = tbl(scol("k", (const char *[]){"b", "a", "b", NULL, "c", "a", "b"}, 7),
                      fcol("v", (double[]){1.5, 2, 0.25, 8, NAN, -1, 1.5}, 7),
                      scol("s", (const char *[]){"x", "y", "z", "x", "y", NULL, "x"}, 7), NULL);
    cv_agg aggs[] = {{"rows", CV_AGG_COUNT, NULL, 0},    {"sum", CV_AGG_SUM, "v", 0},
                     {"max", CV_AGG_MAX, "v", 0},        {"min", CV_AGG_MIN, "v", 0},
                     {"first_s", CV_AGG_FIRST, "s", 0},  {"last_s", CV_AGG_LAST, "s", 0},
                     {"nd_s", CV_AGG_NDISTINCT, "s", 0}, {"nd_v", CV_AGG_NDISTINCT, "v", 0}};
    cv_table *r = group(t, "k", aggs, 8);
    assert_strs(col(r, "k"), (const char *[]){"b", "a", NULL, "c"}, 4);
    assert_ints(col(r, "rows"), (int64_t[]){3, 2, 1, 1}, 4);
    assert_floats(col(r, "sum"), (double[]){3.25, 1, 8, NAN}, 4);
    assert_floats(col(r, "max"), (double[]){1.5, 2, 8, NAN}, 4);
    assert_floats(col(r, "min"), (double[]){0.25, -1, 8, NAN}, 4);
    assert_strs(col(r, "first_s"), (const char *[]){"x", "y", "x", "y"}, 4);
    assert_strs(col(r, "last_s"), (const char *[]){"x", "y", "x", "y"}, 4);
    assert_ints(col(r, "nd_s"), (int64_t[]){2, 1, 1, 1}, 4);
    assert_ints(col(r, "nd_v"), (int64_t[]){2, 2, 1, 0}, 4);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_date_and_bool_keys(void **state)
{
    (void)state;
    cv_table *t =
        tbl(dcol("d", (int64_t[]){19000, 18999, 19000, NA}, 4), bcol("b", (int[]){1, 0, 1, 1}, 4),
            icol("v", (int64_t[]){1, 2, 3, 4}, 4), NULL);
    cv_agg agg = {"sum", CV_AGG_SUM, "v", 0};
    cv_table *r = group(t, "d", &agg, 1);
    assert_int_equal(col(r, "d")->type, CV_DATE);
    assert_ints(col(r, "d"), (int64_t[]){19000, 18999, NA}, 3);
    assert_ints(col(r, "sum"), (int64_t[]){4, 2, 4}, 3);
    cv_table_free(r);
    r = group(t, "b", &agg, 1);
    assert_ints(col(r, "b"), (int64_t[]){1, 0}, 2);
    assert_ints(col(r, "sum"), (int64_t[]){8, 2}, 2);
    cv_table_free(r);
    cv_table_free(t);
}

/* ---- Aggregates ------------------------------------------------------------------------------ */

static void test_groupby_n_distinct_in_and_out_of_order(void **state)
{
    (void)state;
    /* group 1: dates in order with repeats (10, 10, 11, 13, 13: 3 distinct); group 2: out of
       order (5, 3, 5, 4, 3: 3 distinct); group 3: one date repeated (1); group 4: only
       missing dates (0) */
    cv_table *t =
        tbl(icol("k", (int64_t[]){1, 2, 1, 2, 1, 3, 2, 1, 2, 3, 4, 1, 2}, 13),
            dcol("d", (int64_t[]){10, 5, 10, 3, 11, 7, 5, 13, 4, 7, NA, 13, 3}, 13), NULL);
    cv_agg aggs[] = {{"days", CV_AGG_NDISTINCT, "d", 0},
                     {"first", CV_AGG_MIN, "d", 0},
                     {"last", CV_AGG_MAX, "d", 0}};
    cv_table *r = group(t, "k", aggs, 3);
    assert_ints(col(r, "k"), (int64_t[]){1, 2, 3, 4}, 4);
    assert_ints(col(r, "days"), (int64_t[]){3, 3, 1, 0}, 4);
    assert_int_equal(col(r, "first")->type, CV_DATE);
    assert_ints(col(r, "first"), (int64_t[]){10, 3, 7, NA}, 4);
    assert_ints(col(r, "last"), (int64_t[]){13, 5, 7, NA}, 4);
    cv_table_free(r);
    cv_table_free(t);

    /* floats: -0 and 0 are one value, NaN is missing; a group of 40 values (sorted by the
       radix path) with 4 distinct */
    double v[46];
    int64_t k[46];
    for (int i = 0; i < 40; i++) {
        k[i] = 7;
        v[i] = (double)((i * 3) % 4) - 1.5; /* -1.5, 1.5, 0.5, -0.5, ... */
    }
    double rest[] = {0.0, -0.0, NAN, 2, 0.0, NAN};
    for (int i = 0; i < 6; i++) {
        k[40 + i] = 8;
        v[40 + i] = rest[i];
    }
    t = tbl(icol("k", k, 46), fcol("v", v, 46), NULL);
    cv_agg nd = {"nd", CV_AGG_NDISTINCT, "v", 0};
    r = group(t, "k", &nd, 1);
    assert_ints(col(r, "nd"), (int64_t[]){4, 2}, 2);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_extremes_keep_the_first_of_equal_values(void **state)
{
    (void)state;
    /* -0 and 0 compare equal: the first seen is kept, as a scan in row order keeps it */
    cv_table *t = tbl(icol("k", (int64_t[]){1, 1, 2, 2}, 4),
                      fcol("v", (double[]){-0.0, 0.0, 0.0, -0.0}, 4), NULL);
    cv_agg aggs[] = {{"min", CV_AGG_MIN, "v", 0}, {"max", CV_AGG_MAX, "v", 0}};
    cv_table *r = group(t, "k", aggs, 2);
    assert_true(signbit(cv_column_float(col(r, "min"), 0)));
    assert_true(signbit(cv_column_float(col(r, "max"), 0)));
    assert_false(signbit(cv_column_float(col(r, "min"), 1)));
    assert_false(signbit(cv_column_float(col(r, "max"), 1)));
    cv_table_free(r);
    cv_table_free(t);

    /* the extremes of a type are values like any other */
    t = tbl(icol("k", (int64_t[]){1, 1, 2}, 3),
            icol("v", (int64_t[]){INT64_MAX, INT64_MAX, INT64_MIN + 1}, 3), NULL);
    r = group(t, "k", aggs, 2);
    assert_ints(col(r, "min"), (int64_t[]){INT64_MAX, INT64_MIN + 1}, 2);
    assert_ints(col(r, "max"), (int64_t[]){INT64_MAX, INT64_MIN + 1}, 2);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_int_sum_overflow_fails(void **state)
{
    (void)state;
    cv_table *t =
        tbl(icol("k", (int64_t[]){1, 2, 1}, 3), icol("v", (int64_t[]){INT64_MAX, 1, 1}, 3), NULL);
    cv_agg agg = {"s", CV_AGG_SUM, "v", 0};
    const char *keys[1] = {"k"};
    cv_error err = {0};
    assert_null(cv_table_group_by(t, keys, 1, &agg, 1, &err));
    assert_int_equal(err.code, CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "sum of column 'v' overflows a 64-bit integer (cast it to "
                                 "float first)");
    cv_table_free(t);
}

static void test_groupby_empty_table(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("k", NULL, 0), icol("v", NULL, 0), NULL);
    cv_table *r = group(t, "k", some_aggs, NSOME);
    assert_int_equal(r->nrows, 0);
    assert_int_equal(r->ncols, 1 + NSOME);
    assert_int_equal(col(r, "k")->type, CV_INT64);
    assert_int_equal(col(r, "sum")->type, CV_INT64);
    assert_int_equal(col(r, "mean")->type, CV_FLOAT64);
    assert_int_equal(col(r, "nd")->n, 0);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_groupby_unknown_column_and_bad_type_still_fail(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("k", (int64_t[]){1}, 1), scol("s", (const char *[]){"a"}, 1), NULL);
    const char *keys[1] = {"k"};
    cv_error err = {0};
    cv_agg bad = {"x", CV_AGG_SUM, "nope", 0};
    assert_null(cv_table_group_by(t, keys, 1, &bad, 1, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "no column 'nope'"));
    cv_agg str = {"x", CV_AGG_SUM, "s", 0};
    assert_null(cv_table_group_by(t, keys, 1, &str, 1, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    cv_table_free(t);
}

/* ---- Large tables: partitions and two threads -------------------------------------------- */

/* G groups of R rows each, row i in group G - 1 - i % G (so groups first appear in that
   order), with v = i and d = i / G (each group's days in order) and e = (i / G) % 2 (out of
   order: 0, 1, 0, 1, ...); the key is k0 + key * step; v is missing in every 997th row. The results
   follow from the rows of group j (the row i = G - 1 - j + m G for m = 0 .. R-1): count R, sum R (G
   - 1 - j) + G R (R - 1) / 2, min G - 1 - j, max that + (R - 1) G, n_distinct(d) R,
   n_distinct(e) 2. */
static void check_large(int64_t G, int64_t R, int64_t k0, int64_t step)
{
    int64_t n = G * R;
    int64_t *k = malloc((size_t)n * sizeof *k), *v = malloc((size_t)n * sizeof *v);
    int64_t *d = malloc((size_t)n * sizeof *d), *e = malloc((size_t)n * sizeof *e);
    double *f = malloc((size_t)n * sizeof *f);
    assert_true(k && v && d && e && f);
    for (int64_t i = 0; i < n; i++) {
        k[i] = k0 + (G - 1 - i % G) * step;
        v[i] = i % 997 == 996 ? NA : i; /* some missing values */
        d[i] = i / G;
        e[i] = (i / G) % 2;
        f[i] = (double)i + 0.5;
    }
    cv_table *t = tbl(icol("k", k, n), icol("v", v, n), dcol("d", d, n), icol("e", e, n),
                      fcol("f", f, n), NULL);
    cv_agg aggs[] = {{"rows", CV_AGG_COUNT, NULL, 0},    {"sum", CV_AGG_SUM, "v", 0},
                     {"min", CV_AGG_MIN, "v", 0},        {"max", CV_AGG_MAX, "v", 0},
                     {"days", CV_AGG_NDISTINCT, "d", 0}, {"ne", CV_AGG_NDISTINCT, "e", 0},
                     {"fsum", CV_AGG_SUM, "f", 0},       {"last", CV_AGG_LAST, "d", 0}};
    cv_table *r = group(t, "k", aggs, 8);
    assert_int_equal(r->nrows, G);
    const cv_column *rk = col(r, "k"), *rows = col(r, "rows"), *sum = col(r, "sum"),
                    *mn = col(r, "min"), *mx = col(r, "max"), *days = col(r, "days"),
                    *ne = col(r, "ne"), *fsum = col(r, "fsum"), *last = col(r, "last");
    for (int64_t g = 0; g < G; g++) {
        int64_t j = G - 1 - g; /* the g-th group to appear is key j */
        assert_int_equal(cv_column_int(rk, g), k0 + j * step);
        assert_int_equal(cv_column_int(rows, g), R);
        /* the plain sums over the group's rows, skipping the missing ones */
        int64_t s = 0, lo = INT64_MAX, hi = INT64_MIN;
        double fs = 0;
        for (int64_t m = 0; m < R; m++) {
            int64_t i = G - 1 - j + m * G;
            fs += (double)i + 0.5;
            if (i % 997 == 996)
                continue;
            s += i;
            lo = i < lo ? i : lo;
            hi = i > hi ? i : hi;
        }
        if (R * G < 997) /* no value missing: the closed forms */
            assert_int_equal(s, R * (G - 1 - j) + G * R * (R - 1) / 2);
        assert_int_equal(cv_column_is_valid(sum, g), lo <= hi); /* valid unless all missing */
        assert_int_equal(cv_column_int(sum, g), s);
        assert_int_equal(cv_column_int(mn, g), lo <= hi ? lo : 0);
        assert_int_equal(cv_column_int(mx, g), lo <= hi ? hi : 0);
        assert_int_equal(cv_column_int(days, g), R);
        assert_int_equal(cv_column_int(ne, g), R > 1 ? 2 : 1);
        assert_true(cv_column_float(fsum, g) == fs); /* exact: halves of integers < 2^53 */
        assert_int_equal(cv_column_i32(last, g), R - 1);
    }
    cv_table_free(r);
    cv_table_free(t);
    free(k);
    free(v);
    free(d);
    free(e);
    free(f);
}

static void test_groupby_small_table_closed_forms(void **state)
{
    (void)state;
    check_large(7, 4, 100, 1);
}

static void test_groupby_many_groups_dense(void **state)
{
    (void)state;
    check_large(50000, 5, -20000, 1); /* partitioned, two threads, negative ids */
}

static void test_groupby_many_groups_sparse(void **state)
{
    (void)state;
    check_large(40000, 6, -500000000000LL, 1000003); /* hashed, partitioned */
}

/* The fast path (one key) and the general one (two keys, the second constant) agree to the
   bit on pseudo-random floats, many groups, missing values and all aggregates. */
static void test_groupby_fast_path_matches_general_path(void **state)
{
    (void)state;
    int64_t n = 300000;
    int64_t *k = malloc((size_t)n * sizeof *k), *one = malloc((size_t)n * sizeof *one);
    double *f = malloc((size_t)n * sizeof *f);
    assert_true(k && one && f);
    uint64_t x = 88172645463325252ULL;
    for (int64_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
        k[i] = (int64_t)(x % 60000) - 1000;
        one[i] = 1;
        f[i] = x % 97 == 0 ? NAN : (double)(x >> 11) / 9007199254740992.0 * 1000 - 300;
    }
    cv_table *t = tbl(icol("k", k, n), icol("one", one, n), fcol("f", f, n), NULL);
    cv_agg aggs[] = {{"n", CV_AGG_COUNT, "f", 0},   {"sum", CV_AGG_SUM, "f", 0},
                     {"mean", CV_AGG_MEAN, "f", 0}, {"min", CV_AGG_MIN, "f", 0},
                     {"max", CV_AGG_MAX, "f", 0},   {"first", CV_AGG_FIRST, "f", 0},
                     {"last", CV_AGG_LAST, "f", 0}, {"nd", CV_AGG_NDISTINCT, "f", 0}};
    cv_error err = {0};
    cv_table *a = cv_table_group_by(t, (const char *[]){"k"}, 1, aggs, 8, &err);
    cv_table *b = cv_table_group_by(t, (const char *[]){"k", "one"}, 2, aggs, 8, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->nrows, b->nrows);
    assert_true(a->nrows > 50000);
    for (int j = 0; j < 8; j++) {
        const cv_column *ca = col(a, aggs[j].out), *cb = col(b, aggs[j].out);
        assert_int_equal(ca->type, cb->type);
        size_t w = cv_type_size(ca->type);
        for (int64_t g = 0; g < a->nrows; g++) {
            assert_int_equal(cv_column_is_valid(ca, g), cv_column_is_valid(cb, g));
            if (cv_column_is_valid(ca, g))
                assert_memory_equal((const char *)ca->data + g * w, (const char *)cb->data + g * w,
                                    w);
        }
    }
    for (int64_t g = 0; g < a->nrows; g++)
        assert_int_equal(cv_column_int(col(a, "k"), g), cv_column_int(col(b, "k"), g));
    cv_table_free(a);
    cv_table_free(b);
    cv_table_free(t);
    free(k);
    free(one);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_groupby_dense_int_keys),
        cmocka_unit_test(test_groupby_negative_ids),
        cmocka_unit_test(test_groupby_sparse_and_extreme_int_keys_are_hashed),
        cmocka_unit_test(test_groupby_missing_keys_and_values),
        cmocka_unit_test(test_groupby_string_keys),
        cmocka_unit_test(test_groupby_date_and_bool_keys),
        cmocka_unit_test(test_groupby_n_distinct_in_and_out_of_order),
        cmocka_unit_test(test_groupby_extremes_keep_the_first_of_equal_values),
        cmocka_unit_test(test_groupby_int_sum_overflow_fails),
        cmocka_unit_test(test_groupby_empty_table),
        cmocka_unit_test(test_groupby_unknown_column_and_bad_type_still_fail),
        cmocka_unit_test(test_groupby_small_table_closed_forms),
        cmocka_unit_test(test_groupby_many_groups_dense),
        cmocka_unit_test(test_groupby_many_groups_sparse),
        cmocka_unit_test(test_groupby_fast_path_matches_general_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
