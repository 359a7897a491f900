/* Unit tests of cvkit tables: storage, operations (select, filter, sort, group-by, join,
   describe, cast) and text formatting. Expected values are worked out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/table.h"

#include "table_build.h"
#include "data.h"

/* Floats; NAN in want means missing (flagged missing, or a NaN value). */
static void assert_floats(const cv_column *c, const double *want, int n)
{
    assert_int_equal(c->type, CV_FLOAT64);
    assert_int_equal(c->n, n);
    for (int i = 0; i < n; i++) {
        if (isnan(want[i]))
            assert_true(isnan(cv_column_number(c, i)));
        else {
            assert_true(cv_column_is_valid(c, i));
            assert_float_equal(cv_column_float(c, i), want[i], 1e-12 * (1 + fabs(want[i])));
        }
    }
}

static const char *fmt(const cv_column *c, int64_t i)
{
    static char buf[128];
    cv_value_format(c, i, 0, "na", buf, sizeof buf);
    return buf;
}

/* ---- Storage --------------------------------------------------------------------------- */

static void test_table_columns_store_values_and_missing(void **state)
{
    (void)state;
    cv_column *c = icol("x", (int64_t[]){5, NA, 7}, 3);
    assert_int_equal(cv_column_count_missing(c), 1);
    assert_true(isnan(cv_column_number(c, 1)));
    assert_float_equal(cv_column_number(c, 2), 7, 0);
    cv_column_unref(c);
}

static void test_table_missing_column_error_lists_columns(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){1}, 1), icol("b", (int64_t[]){2}, 1), NULL);
    cv_error err = {0};
    assert_null(cv_table_col(t, "zz", &err));
    assert_string_equal(err.msg, "no column 'zz' (columns: a, b)");
    cv_table_free(t);
}

/* ---- Select, rename, take, head, filter by mask ---------------------------------------- */

static void test_table_select_shares_columns(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){1, 2}, 2), icol("b", (int64_t[]){3, 4}, 2), NULL);
    cv_error err = {0};
    cv_table *s = cv_table_select(t, (const char *[]){"b", "a"}, 2, &err);
    assert_non_null(s);
    assert_int_equal(s->ncols, 2);
    assert_int_equal(s->nrows, 2);
    assert_ptr_equal(s->cols[0], t->cols[1]);
    assert_ptr_equal(s->cols[1], t->cols[0]);
    assert_int_equal(t->cols[0]->refs, 2);
    assert_null(cv_table_select(t, (const char *[]){"a", "nope"}, 2, &err));
    assert_string_equal(err.msg, "no column 'nope' (columns: a, b)");
    cv_table_free(s);
    assert_int_equal(t->cols[0]->refs, 1);
    cv_table_free(t);
}

static void test_table_rename_shares_data(void **state)
{
    (void)state;
    cv_column *c = icol("a", (int64_t[]){1, NA, 3}, 3);
    cv_column *r = cv_column_rename(c, "b");
    assert_non_null(r);
    assert_string_equal(r->name, "b");
    assert_ptr_equal(r->data, c->data);
    assert_ptr_equal(r->valid, c->valid);
    cv_column_unref(c); /* the view keeps the data alive */
    assert_ints(r, (int64_t[]){1, NA, 3}, 3);
    assert_int_equal(cv_column_push_int(r, 4), 0); /* growing a view copies first */
    assert_ints(r, (int64_t[]){1, NA, 3, 4}, 4);
    assert_null(r->base);
    cv_column_unref(r);
}

static void test_table_set_replaces_by_reference(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){1, 2}, 2), NULL);
    cv_column *c = icol("a", (int64_t[]){8, 9}, 2);
    assert_int_equal(cv_table_set(t, c, NULL), 0);
    assert_ptr_equal(t->cols[0], c);
    assert_int_equal(c->refs, 2);
    cv_column *bad = icol("b", (int64_t[]){1}, 1);
    cv_error err = {0};
    assert_int_equal(cv_table_set(t, bad, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "column 'b' has 1 values, the table has 2 rows");
    cv_column_unref(bad);
    cv_column_unref(c);
    cv_table_free(t);
}

static void test_table_take_rows_and_missing_index(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){10, 20, NA}, 3),
                      scol("s", (const char *[]){"x", "y", "z"}, 3), NULL);
    cv_error err = {0};
    cv_table *r = cv_table_take(t, (int64_t[]){2, 0, -1, 0}, 4, &err);
    assert_non_null(r);
    assert_int_equal(r->nrows, 4);
    assert_ints(col(r, "a"), (int64_t[]){NA, 10, NA, 10}, 4);
    assert_strs(col(r, "s"), (const char *[]){"z", "x", NULL, "x"}, 4);
    assert_ptr_equal(col(r, "s")->dict, col(t, "s")->dict);
    cv_table_free(r);
    assert_null(cv_table_take(t, (int64_t[]){3}, 1, &err));
    assert_string_equal(err.msg, "row index 3 out of range (the table has 3 rows)");
    cv_table_free(t);
}

static void test_table_head_first_and_last_rows(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){1, 2, 3, 4, 5}, 5), NULL);
    cv_table *h = cv_table_head(t, 2, NULL);
    assert_ints(col(h, "a"), (int64_t[]){1, 2}, 2);
    cv_table_free(h);
    h = cv_table_head(t, -2, NULL);
    assert_ints(col(h, "a"), (int64_t[]){4, 5}, 2);
    cv_table_free(h);
    h = cv_table_head(t, 99, NULL);
    assert_int_equal(h->nrows, 5);
    assert_ptr_equal(h->cols[0], t->cols[0]);
    cv_table_free(h);
    h = cv_table_head(t, 0, NULL);
    assert_int_equal(h->nrows, 0);
    cv_table_free(h);
    cv_table_free(t);
}

static void test_table_filter_mask_keeps_marked_rows(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){1, 2, 3, 4}, 4), NULL);
    cv_table *r = cv_table_filter_mask(t, (const uint8_t[]){0, 1, 0, 7}, NULL);
    assert_ints(col(r, "a"), (int64_t[]){2, 4}, 2);
    cv_table_free(r);
    r = cv_table_filter_mask(t, (const uint8_t[]){0, 0, 0, 0}, NULL);
    assert_int_equal(r->nrows, 0);
    assert_int_equal(r->ncols, 1);
    cv_table_free(r);
    cv_table_free(t);
}

/* ---- Filter ------------------------------------------------------------------------------- */

static void test_table_op_and_agg_names_parse(void **state)
{
    (void)state;
    cv_op op;
    assert_int_equal(cv_op_parse("~=", &op), 0);
    assert_int_equal(op, CV_NE);
    assert_int_equal(cv_op_parse("=", &op), 0);
    assert_int_equal(op, CV_EQ);
    assert_int_equal(cv_op_parse(">=", &op), 0);
    assert_int_equal(op, CV_GE);
    assert_int_equal(cv_op_parse("notna", &op), 0);
    assert_int_equal(op, CV_NOTNA);
    assert_int_equal(cv_op_parse("=>", &op), -1);
    cv_agg_fn fn;
    assert_int_equal(cv_agg_parse("n_distinct", &fn), 0);
    assert_int_equal(fn, CV_AGG_NDISTINCT);
    assert_int_equal(cv_agg_parse("var", &fn), 0);
    assert_int_equal(fn, CV_AGG_VAR);
    assert_int_equal(cv_agg_parse("avg", &fn), -1);
}

static cv_table *filter_num(const cv_table *t, const char *c, const char *op, double x)
{
    cv_op o;
    assert_int_equal(cv_op_parse(op, &o), 0);
    cv_value v = {.kind = CV_VAL_NUMBER, .num = x};
    cv_error err = {0};
    cv_table *r = cv_table_filter(t, c, o, &v, &err);
    if (!r)
        fail_msg("%s", err.msg);
    return r;
}

static void test_table_filter_ints_skip_missing(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){1, 2, NA, 4, 5}, 5), NULL), *r;
    r = filter_num(t, "a", ">", 3);
    assert_ints(col(r, "a"), (int64_t[]){4, 5}, 2);
    cv_table_free(r);
    r = filter_num(t, "a", "~=", 2); /* missing never matches, not even != */
    assert_ints(col(r, "a"), (int64_t[]){1, 4, 5}, 3);
    cv_table_free(r);
    r = filter_num(t, "a", "<", 2.5);
    assert_ints(col(r, "a"), (int64_t[]){1, 2}, 2);
    cv_table_free(r);
    r = filter_num(t, "a", ">=", 2.5);
    assert_ints(col(r, "a"), (int64_t[]){4, 5}, 2);
    cv_table_free(r);
    r = filter_num(t, "a", "==", 2.5);
    assert_int_equal(r->nrows, 0);
    cv_table_free(r);
    r = filter_num(t, "a", "<", 1e300);
    assert_int_equal(r->nrows, 4);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_filter_int64_exact_beyond_doubles(void **state)
{
    (void)state;
    /* 2^53 + 1 is not a double; comparing as doubles would call it equal to 2^53. */
    cv_table *t = tbl(icol("a", (int64_t[]){9007199254740992LL, 9007199254740993LL}, 2), NULL);
    cv_table *r = filter_num(t, "a", "<=", 9007199254740992.0);
    assert_ints(col(r, "a"), (int64_t[]){9007199254740992LL}, 1);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_filter_floats_treat_nan_as_missing(void **state)
{
    (void)state;
    cv_table *t = tbl(fcol("x", (double[]){0.5, NAN, -1, 2}, 4), NULL), *r;
    r = filter_num(t, "x", "!=", 0.5);
    assert_floats(col(r, "x"), (double[]){-1, 2}, 2);
    cv_table_free(r);
    cv_value na = {.kind = CV_VAL_MISSING};
    r = cv_table_filter(t, "x", CV_ISNA, &na, NULL);
    assert_int_equal(r->nrows, 1);
    cv_table_free(r);
    r = cv_table_filter(t, "x", CV_NOTNA, NULL, NULL);
    assert_int_equal(r->nrows, 3);
    cv_table_free(r);
    r = cv_table_filter(t, "x", CV_EQ, &na, NULL); /* == missing means isna */
    assert_int_equal(r->nrows, 1);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_filter_strings_by_text(void **state)
{
    (void)state;
    cv_table *t = tbl(scol("s", (const char *[]){"pear", "apple", NULL, "fig", "apple"}, 5), NULL);
    cv_value v = {.kind = CV_VAL_STRING, .str = "apple", .len = 5};
    cv_table *r = cv_table_filter(t, "s", CV_EQ, &v, NULL);
    assert_int_equal(r->nrows, 2);
    cv_table_free(r);
    r = cv_table_filter(t, "s", CV_GT, &v, NULL);
    assert_strs(col(r, "s"), (const char *[]){"pear", "fig"}, 2);
    cv_table_free(r);
    v.str = "kiwi";
    v.len = 4;
    r = cv_table_filter(t, "s", CV_NE, &v, NULL);
    assert_int_equal(r->nrows, 4);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_filter_dates_by_text(void **state)
{
    (void)state;
    /* 1997-01-01 is day 9862; 1997-03-01 is 9862 + 31 + 28 = 9921. */
    cv_table *t = tbl(dcol("d", (int64_t[]){9862, 9921, 9920, NA}, 4), NULL);
    cv_value v = {.kind = CV_VAL_STRING, .str = "1997-03-01", .len = 10};
    cv_table *r = cv_table_filter(t, "d", CV_GE, &v, NULL);
    assert_ints(col(r, "d"), (int64_t[]){9921}, 1);
    cv_table_free(r);
    cv_error err = {0};
    v.str = "1997-02-30";
    assert_null(cv_table_filter(t, "d", CV_GE, &v, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(
        err.msg, "filter on column 'd': expected a date like 1997-01-31, found '1997-02-30'");
    cv_table_free(t);
}

static void test_table_filter_type_mismatch_says_what(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("amount", (int64_t[]){1}, 1), scol("s", (const char *[]){"a"}, 1), NULL);
    cv_error err = {0};
    cv_value v = {.kind = CV_VAL_STRING, .str = "n/a", .len = 3};
    assert_null(cv_table_filter(t, "amount", CV_EQ, &v, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg,
                        "filter on column 'amount' (int): expected a number, found a string");
    v.kind = CV_VAL_NUMBER;
    v.num = 1;
    assert_null(cv_table_filter(t, "s", CV_EQ, &v, &err));
    assert_string_equal(err.msg,
                        "filter on column 's' (string): expected a string, found a number");
    assert_null(cv_table_filter(t, "zz", CV_EQ, &v, &err));
    assert_string_equal(err.msg, "no column 'zz' (columns: amount, s)");
    cv_table_free(t);
}

/* ---- Sort ----------------------------------------------------------------------------------- */

static void test_table_sort_ints_missing_last_both_ways(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", (int64_t[]){3, NA, -7, 10, 0}, 5), NULL);
    cv_sort_key k = {"a", 0};
    cv_table *r = cv_table_sort(t, &k, 1, NULL);
    assert_ints(col(r, "a"), (int64_t[]){-7, 0, 3, 10, NA}, 5);
    cv_table_free(r);
    k.desc = 1;
    r = cv_table_sort(t, &k, 1, NULL);
    assert_ints(col(r, "a"), (int64_t[]){10, 3, 0, -7, NA}, 5);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_sort_is_stable_on_ties(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("k", (int64_t[]){2, 1, 2, 1, 2}, 5),
                      icol("seq", (int64_t[]){0, 1, 2, 3, 4}, 5), NULL);
    cv_sort_key k = {"k", 0};
    int64_t *perm = cv_table_order(t, &k, 1, NULL);
    assert_non_null(perm);
    int64_t want[] = {1, 3, 0, 2, 4};
    for (int i = 0; i < 5; i++)
        assert_int_equal(perm[i], want[i]);
    free(perm);
    k.desc = 1; /* descending keeps ties in their original order too */
    cv_table *r = cv_table_sort(t, &k, 1, NULL);
    assert_ints(col(r, "seq"), (int64_t[]){0, 2, 4, 1, 3}, 5);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_sort_two_keys_mixed_directions(void **state)
{
    (void)state;
    cv_table *t = tbl(scol("g", (const char *[]){"b", "a", "b", "a", NULL}, 5),
                      fcol("x", (double[]){1.5, 2, 3, NAN, 9}, 5), NULL);
    cv_sort_key k[] = {{"g", 0}, {"x", 1}};
    cv_table *r = cv_table_sort(t, k, 2, NULL);
    assert_strs(col(r, "g"), (const char *[]){"a", "a", "b", "b", NULL}, 5);
    assert_floats(col(r, "x"), (double[]){2, NAN, 3, 1.5, 9}, 5);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_sort_floats_with_signs_and_infinities(void **state)
{
    (void)state;
    cv_table *t = tbl(fcol("x", (double[]){0.0, -INFINITY, -0.0, 2.5, INFINITY, -2.5}, 6),
                      icol("i", (int64_t[]){0, 1, 2, 3, 4, 5}, 6), NULL);
    cv_sort_key k = {"x", 0};
    cv_table *r = cv_table_sort(t, &k, 1, NULL);
    /* -0 and 0 are equal: they keep their order */
    assert_ints(col(r, "i"), (int64_t[]){1, 5, 0, 2, 3, 4}, 6);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_sort_strings_by_bytes(void **state)
{
    (void)state;
    /* "é" is c3 a9, after every ASCII byte; "Z" (5a) sorts before "a" (61). */
    cv_table *t = tbl(scol("s", (const char *[]){"é", "b", "Z", "ab", "a", "客户"}, 6), NULL);
    cv_sort_key k = {"s", 0};
    cv_table *r = cv_table_sort(t, &k, 1, NULL);
    assert_strs(col(r, "s"), (const char *[]){"Z", "a", "ab", "b", "é", "客户"}, 6);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_sort_dates_and_bools(void **state)
{
    (void)state;
    cv_table *t = tbl(dcol("d", (int64_t[]){10957, -1, NA, 0}, 4), NULL);
    cv_column *b = cv_column_new("b", CV_BOOL, 4);
    cv_column_push_bool(b, 1);
    cv_column_push_bool(b, 0);
    cv_column_push_bool(b, 1);
    cv_column_push_bool(b, 0);
    cv_table_add(t, b, NULL);
    cv_column_unref(b);
    cv_sort_key k = {"d", 0};
    cv_table *r = cv_table_sort(t, &k, 1, NULL);
    assert_ints(col(r, "d"), (int64_t[]){-1, 0, 10957, NA}, 4);
    cv_table_free(r);
    cv_sort_key kb[] = {{"b", 1}, {"d", 1}};
    r = cv_table_sort(t, kb, 2, NULL);
    assert_ints(col(r, "b"), (int64_t[]){1, 1, 0, 0}, 4);
    assert_ints(col(r, "d"), (int64_t[]){10957, NA, 0, -1}, 4);
    cv_table_free(r);
    cv_table_free(t);
}

/* ---- Group-by ----------------------------------------------------------------------------- */

static cv_table *group(const cv_table *t, const char *const *keys, int nkeys, const cv_agg *aggs,
                       int naggs)
{
    cv_error err = {0};
    cv_table *r = cv_table_group_by(t, keys, nkeys, aggs, naggs, &err);
    if (!r)
        fail_msg("%s", err.msg);
    return r;
}

static void test_table_group_by_counts_sums_means_in_first_appearance_order(void **state)
{
    (void)state;
    cv_table *t = tbl(scol("id", (const char *[]){"c", "a", "c", "b", "a", "c"}, 6),
                      icol("n", (int64_t[]){1, 2, 3, NA, 5, 6}, 6),
                      fcol("x", (double[]){0.5, 1, 1.5, 2, NAN, 3}, 6), NULL);
    cv_agg aggs[] = {{"rows", CV_AGG_COUNT, NULL, 0}, {"n_count", CV_AGG_COUNT, "n", 0},
                     {"n_sum", CV_AGG_SUM, "n", 0},   {"n_mean", CV_AGG_MEAN, "n", 0},
                     {"x_sum", CV_AGG_SUM, "x", 0},   {"x_mean", CV_AGG_MEAN, "x", 0}};
    cv_table *r = group(t, (const char *[]){"id"}, 1, aggs, 6);
    assert_int_equal(r->nrows, 3);
    assert_strs(col(r, "id"), (const char *[]){"c", "a", "b"}, 3);
    assert_ints(col(r, "rows"), (int64_t[]){3, 2, 1}, 3);
    assert_ints(col(r, "n_count"), (int64_t[]){3, 2, 0}, 3);
    assert_int_equal(col(r, "n_sum")->type, CV_INT64);
    assert_ints(col(r, "n_sum"), (int64_t[]){10, 7, NA}, 3);
    assert_floats(col(r, "n_mean"), (double[]){10.0 / 3, 3.5, NAN}, 3);
    assert_floats(col(r, "x_sum"), (double[]){5, 1, 2}, 3);
    assert_floats(col(r, "x_mean"), (double[]){5.0 / 3, 1, 2}, 3);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_two_keys(void **state)
{
    (void)state;
    cv_table *t = tbl(scol("seg", (const char *[]){"a", "a", "b", "a", "b", "a"}, 6),
                      icol("yr", (int64_t[]){1997, 1998, 1997, 1997, 1997, NA}, 6),
                      icol("v", (int64_t[]){1, 2, 3, 4, 5, 6}, 6), NULL);
    cv_agg agg = {"total", CV_AGG_SUM, "v", 0};
    cv_table *r = group(t, (const char *[]){"seg", "yr"}, 2, &agg, 1);
    assert_int_equal(r->nrows, 4);
    assert_strs(col(r, "seg"), (const char *[]){"a", "a", "b", "a"}, 4);
    assert_ints(col(r, "yr"), (int64_t[]){1997, 1998, 1997, NA}, 4);
    assert_ints(col(r, "total"), (int64_t[]){5, 2, 8, 6}, 4);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_missing_key_is_its_own_group(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("k", (int64_t[]){NA, 1, NA, 0, 1}, 5), NULL);
    cv_agg agg = {"n", CV_AGG_COUNT, NULL, 0};
    cv_table *r = group(t, (const char *[]){"k"}, 1, &agg, 1);
    assert_ints(col(r, "k"), (int64_t[]){NA, 1, 0}, 3);
    assert_ints(col(r, "n"), (int64_t[]){2, 2, 1}, 3);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_float_keys_by_value(void **state)
{
    (void)state;
    cv_table *t = tbl(fcol("k", (double[]){0.0, -0.0, NAN, 1.5, NAN, 1.5}, 6), NULL);
    cv_agg agg = {"n", CV_AGG_COUNT, NULL, 0};
    cv_table *r = group(t, (const char *[]){"k"}, 1, &agg, 1);
    assert_int_equal(r->nrows, 3); /* 0 (with -0), missing (NaN), 1.5 */
    assert_ints(col(r, "n"), (int64_t[]){2, 2, 2}, 3);
    assert_float_equal(cv_column_float(col(r, "k"), 2), 1.5, 0);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_quantiles_type7(void **state)
{
    (void)state;
    int64_t v[10] = {7, 3, 10, 1, 5, 9, 2, 8, 4, 6};
    cv_table *t =
        tbl(icol("g", (int64_t[]){1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 10), icol("v", v, 10), NULL);
    cv_agg aggs[] = {{"q25", CV_AGG_QUANTILE, "v", 0.25},
                     {"med", CV_AGG_MEDIAN, "v", 0},
                     {"q0", CV_AGG_QUANTILE, "v", 0},
                     {"q1", CV_AGG_QUANTILE, "v", 1},
                     {"q90", CV_AGG_QUANTILE, "v", 0.9}};
    cv_table *r = group(t, (const char *[]){"g"}, 1, aggs, 5);
    /* R: quantile(1:10, c(.25, .5, 0, 1, .9)) = 3.25 5.5 1 10 9.1 */
    assert_floats(col(r, "q25"), (double[]){3.25}, 1);
    assert_floats(col(r, "med"), (double[]){5.5}, 1);
    assert_floats(col(r, "q0"), (double[]){1}, 1);
    assert_floats(col(r, "q1"), (double[]){10}, 1);
    assert_floats(col(r, "q90"), (double[]){9.1}, 1);
    cv_error err = {0};
    cv_agg bad = {"q", CV_AGG_QUANTILE, "v", 1.5};
    assert_null(cv_table_group_by(t, (const char *[]){"g"}, 1, &bad, 1, &err));
    assert_string_equal(err.msg, "quantile of column 'v': q must be in [0, 1], found 1.5");
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_sd_and_var_are_sample(void **state)
{
    (void)state;
    /* 2 4 4 4 5 5 7 9: mean 5, squared deviations sum to 32, sample var 32/7. */
    cv_table *t = tbl(icol("g", (int64_t[]){1, 1, 1, 1, 1, 1, 1, 1, 2}, 9),
                      fcol("x", (double[]){2, 4, 4, 4, 5, 5, 7, 9, 3}, 9), NULL);
    cv_agg aggs[] = {{"var", CV_AGG_VAR, "x", 0}, {"sd", CV_AGG_SD, "x", 0}};
    cv_table *r = group(t, (const char *[]){"g"}, 1, aggs, 2);
    assert_floats(col(r, "var"), (double[]){32.0 / 7, NAN}, 2); /* one value: no sample var */
    assert_floats(col(r, "sd"), (double[]){sqrt(32.0 / 7), NAN}, 2);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_min_max_first_last_keep_types(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("g", (int64_t[]){1, 2, 1, 1, 2}, 5),
                      dcol("d", (int64_t[]){9921, 9862, NA, 9862, NA}, 5),
                      scol("s", (const char *[]){"pear", NULL, "apple", "zoo", "fig"}, 5), NULL);
    cv_agg aggs[] = {{"dmin", CV_AGG_MIN, "d", 0},     {"dmax", CV_AGG_MAX, "d", 0},
                     {"smin", CV_AGG_MIN, "s", 0},     {"smax", CV_AGG_MAX, "s", 0},
                     {"dfirst", CV_AGG_FIRST, "d", 0}, {"dlast", CV_AGG_LAST, "d", 0},
                     {"sfirst", CV_AGG_FIRST, "s", 0}, {"slast", CV_AGG_LAST, "s", 0}};
    cv_table *r = group(t, (const char *[]){"g"}, 1, aggs, 8);
    assert_int_equal(col(r, "dmin")->type, CV_DATE);
    assert_ints(col(r, "dmin"), (int64_t[]){9862, 9862}, 2);
    assert_ints(col(r, "dmax"), (int64_t[]){9921, 9862}, 2);
    assert_strs(col(r, "smin"), (const char *[]){"apple", "fig"}, 2);
    assert_strs(col(r, "smax"), (const char *[]){"zoo", "fig"}, 2);
    assert_ints(col(r, "dfirst"), (int64_t[]){9921, 9862}, 2);
    assert_ints(col(r, "dlast"), (int64_t[]){9862, 9862}, 2); /* skips the missing last */
    assert_strs(col(r, "sfirst"), (const char *[]){"pear", "fig"}, 2);
    assert_strs(col(r, "slast"), (const char *[]){"zoo", "fig"}, 2);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_n_distinct(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("g", (int64_t[]){1, 1, 1, 2, 2, 1, 2}, 7),
                      scol("s", (const char *[]){"a", "b", "a", "a", NULL, NULL, "a"}, 7),
                      fcol("x", (double[]){0.0, -0.0, 1, NAN, 2, 3, 2}, 7), NULL);
    cv_agg aggs[] = {{"ns", CV_AGG_NDISTINCT, "s", 0}, {"nx", CV_AGG_NDISTINCT, "x", 0}};
    cv_table *r = group(t, (const char *[]){"g"}, 1, aggs, 2);
    assert_ints(col(r, "ns"), (int64_t[]){2, 1}, 2);
    assert_ints(col(r, "nx"), (int64_t[]){3, 1}, 2); /* 0 == -0; NaN not counted */
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_all_missing_column(void **state)
{
    (void)state;
    cv_table *t =
        tbl(icol("g", (int64_t[]){1, 2, 1}, 3), icol("v", (int64_t[]){NA, NA, NA}, 3), NULL);
    cv_agg aggs[] = {{"n", CV_AGG_COUNT, "v", 0},
                     {"s", CV_AGG_SUM, "v", 0},
                     {"m", CV_AGG_MEAN, "v", 0},
                     {"lo", CV_AGG_MIN, "v", 0},
                     {"med", CV_AGG_MEDIAN, "v", 0}};
    cv_table *r = group(t, (const char *[]){"g"}, 1, aggs, 5);
    assert_ints(col(r, "n"), (int64_t[]){0, 0}, 2);
    assert_ints(col(r, "s"), (int64_t[]){NA, NA}, 2);
    assert_floats(col(r, "m"), (double[]){NAN, NAN}, 2);
    assert_ints(col(r, "lo"), (int64_t[]){NA, NA}, 2);
    assert_floats(col(r, "med"), (double[]){NAN, NAN}, 2);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_group_by_errors(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("g", (int64_t[]){1, 1}, 2), icol("big", (int64_t[]){INT64_MAX, 1}, 2),
                      scol("s", (const char *[]){"a", "b"}, 2), NULL);
    cv_error err = {0};
    cv_agg sum = {"t", CV_AGG_SUM, "big", 0};
    assert_null(cv_table_group_by(t, (const char *[]){"g"}, 1, &sum, 1, &err));
    assert_int_equal(err.code, CV_ERR_DOMAIN);
    assert_string_equal(err.msg,
                        "sum of column 'big' overflows a 64-bit integer (cast it to float first)");
    cv_agg mean = {"m", CV_AGG_MEAN, "s", 0};
    assert_null(cv_table_group_by(t, (const char *[]){"g"}, 1, &mean, 1, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, "mean of column 's': expected a number column, found string");
    assert_null(cv_table_group_by(t, (const char *[]){"nope"}, 1, &mean, 1, &err));
    assert_string_equal(err.msg, "no column 'nope' (columns: g, big, s)");
    cv_table_free(t);
}

static void test_table_group_by_wide_int_range_and_float_pair_keys(void **state)
{
    (void)state;
    /* Keys spanning the whole int64 range go through the hash table, not a direct array;
       a float among several keys goes through the general keyset path. */
    cv_table *t = tbl(icol("k", (int64_t[]){INT64_MAX, INT64_MIN + 1, INT64_MAX, 0, NA}, 5),
                      fcol("f", (double[]){0.5, 0.5, -0.0, 0.0, 0.5}, 5),
                      icol("v", (int64_t[]){1, 2, 4, 8, 16}, 5), NULL);
    cv_agg agg = {"s", CV_AGG_SUM, "v", 0};
    cv_table *r = group(t, (const char *[]){"k"}, 1, &agg, 1);
    assert_ints(col(r, "k"), (int64_t[]){INT64_MAX, INT64_MIN + 1, 0, NA}, 4);
    assert_ints(col(r, "s"), (int64_t[]){5, 2, 8, 16}, 4);
    cv_table_free(r);
    r = group(t, (const char *[]){"f", "k"}, 2, &agg, 1);
    assert_floats(col(r, "f"), (double[]){0.5, 0.5, 0, 0, 0.5}, 5);
    assert_ints(col(r, "s"), (int64_t[]){1, 2, 4, 8, 16}, 5);
    cv_table_free(r);
    r = group(t, (const char *[]){"f"}, 1, &agg, 1); /* -0 joins 0 */
    assert_ints(col(r, "s"), (int64_t[]){19, 12}, 2);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_table_join_two_keys_with_a_float_key(void **state)
{
    (void)state;
    cv_table *l =
        tbl(fcol("x", (double[]){1.5, 1.5, 2}, 3), icol("b", (int64_t[]){1, 2, 1}, 3), NULL);
    cv_table *r = tbl(icol("b", (int64_t[]){1, 1, 2}, 3), fcol("x", (double[]){2, 1.5, NAN}, 3),
                      icol("n", (int64_t[]){100, 200, 300}, 3), NULL);
    cv_error err = {0};
    cv_table *j = cv_table_join(l, r, (const char *[]){"x", "b"}, (const char *[]){"x", "b"}, 2,
                                CV_JOIN_LEFT, &err);
    assert_non_null(j);
    assert_ints(col(j, "n"), (int64_t[]){200, NA, 100}, 3);
    cv_table_free(j);
    cv_table_free(l);
    cv_table_free(r);
}

static void test_table_quantile_of_a_large_group(void **state)
{
    (void)state;
    /* 1000 values 1..1000 in a scrambled order (k * 7919 mod 1000): type 7 gives
       q = 0.25 -> 1 + 999 * 0.25 = 250.75, median 500.5. */
    enum { N = 1000 };
    double v[N];
    int64_t g[N];
    for (int k = 0; k < N; k++) {
        v[k] = (double)((k * 7919) % N + 1);
        g[k] = 1;
    }
    cv_table *t = tbl(icol("g", g, N), fcol("v", v, N), NULL);
    cv_agg aggs[] = {{"q", CV_AGG_QUANTILE, "v", 0.25},
                     {"m", CV_AGG_MEDIAN, "v", 0},
                     {"nd", CV_AGG_NDISTINCT, "v", 0}};
    cv_table *r = group(t, (const char *[]){"g"}, 1, aggs, 3);
    assert_floats(col(r, "q"), (double[]){250.75}, 1);
    assert_floats(col(r, "m"), (double[]){500.5}, 1);
    assert_ints(col(r, "nd"), (int64_t[]){N}, 1);
    cv_table_free(r);
    cv_table *d = cv_table_describe(t, NULL);
    assert_strs(col(d, "p75"), (const char *[]){"1", "750.25"}, 2);
    cv_table_free(d);
    cv_table_free(t);
}

/* ---- Join -------------------------------------------------------------------------------------
 */

static cv_table *join(const cv_table *l, const cv_table *r, const char *lk, const char *rk,
                      cv_join_kind kind)
{
    cv_error err = {0};
    cv_table *j = cv_table_join(l, r, (const char *[]){lk}, (const char *[]){rk}, 1, kind, &err);
    if (!j)
        fail_msg("%s", err.msg);
    return j;
}

static void test_table_join_inner_repeats_matches_in_left_order(void **state)
{
    (void)state;
    cv_table *l = tbl(icol("id", (int64_t[]){3, 1, 2, 3}, 4),
                      icol("v", (int64_t[]){30, 10, 20, 31}, 4), NULL);
    cv_table *r = tbl(icol("id", (int64_t[]){3, 3, 1, 9}, 4),
                      scol("tag", (const char *[]){"x", "y", "z", "w"}, 4), NULL);
    cv_table *j = join(l, r, "id", "id", CV_JOIN_INNER);
    assert_int_equal(j->ncols, 3);
    assert_ints(col(j, "id"), (int64_t[]){3, 3, 1, 3, 3}, 5);
    assert_ints(col(j, "v"), (int64_t[]){30, 30, 10, 31, 31}, 5);
    assert_strs(col(j, "tag"), (const char *[]){"x", "y", "z", "x", "y"}, 5);
    cv_table_free(j);
    cv_table_free(l);
    cv_table_free(r);
}

static void test_table_join_left_without_match_gives_missing(void **state)
{
    (void)state;
    cv_table *l = tbl(icol("id", (int64_t[]){1, 2, NA}, 3), NULL);
    cv_table *r = tbl(icol("key", (int64_t[]){2, NA}, 2), fcol("x", (double[]){2.5, 9}, 2), NULL);
    cv_table *j = join(l, r, "id", "key", CV_JOIN_LEFT);
    assert_int_equal(j->ncols, 2);                /* right key dropped */
    assert_ptr_equal(col(j, "id"), col(l, "id")); /* one row each: left columns shared */
    assert_floats(col(j, "x"), (double[]){NAN, 2.5, NAN}, 3); /* missing keys never match */
    cv_table_free(j);
    j = join(l, r, "id", "key", CV_JOIN_INNER);
    assert_ints(col(j, "id"), (int64_t[]){2}, 1);
    cv_table_free(j);
    cv_table_free(l);
    cv_table_free(r);
}

static void test_table_join_clashing_names_get_suffix(void **state)
{
    (void)state;
    cv_table *l = tbl(icol("id", (int64_t[]){1}, 1), icol("amount", (int64_t[]){5}, 1), NULL);
    cv_table *r = tbl(icol("cust", (int64_t[]){1}, 1), icol("amount", (int64_t[]){7}, 1),
                      icol("id", (int64_t[]){99}, 1), NULL);
    cv_table *j = join(l, r, "id", "cust", CV_JOIN_INNER);
    assert_int_equal(j->ncols, 4);
    assert_string_equal(j->cols[0]->name, "id");
    assert_string_equal(j->cols[1]->name, "amount");
    assert_string_equal(j->cols[2]->name, "amount_right");
    assert_string_equal(j->cols[3]->name, "id_right");
    assert_ints(col(j, "amount_right"), (int64_t[]){7}, 1);
    assert_ints(col(j, "id_right"), (int64_t[]){99}, 1);
    cv_table_free(j);
    cv_table_free(l);
    cv_table_free(r);
}

static void test_table_join_strings_across_dictionaries(void **state)
{
    (void)state;
    /* Two columns with their own dictionaries: "b" has code 1 on the left, 0 on the right. */
    cv_table *l = tbl(scol("k", (const char *[]){"a", "b", "c"}, 3), NULL);
    cv_table *r = tbl(scol("k", (const char *[]){"b", "c", "zz"}, 3),
                      icol("n", (int64_t[]){2, 3, 26}, 3), NULL);
    cv_table *j = join(l, r, "k", "k", CV_JOIN_LEFT);
    assert_strs(col(j, "k"), (const char *[]){"a", "b", "c"}, 3);
    assert_ints(col(j, "n"), (int64_t[]){NA, 2, 3}, 3);
    cv_table_free(j);
    cv_table_free(l);
    cv_table_free(r);
}

static void test_table_join_int_and_float_keys_as_numbers(void **state)
{
    (void)state;
    cv_table *l = tbl(icol("k", (int64_t[]){1, 2, 0}, 3), NULL);
    cv_table *r =
        tbl(fcol("k", (double[]){2.0, 1.5, -0.0}, 3), icol("n", (int64_t[]){7, 8, 9}, 3), NULL);
    cv_table *j = join(l, r, "k", "k", CV_JOIN_INNER);
    assert_ints(col(j, "k"), (int64_t[]){2, 0}, 2);
    assert_ints(col(j, "n"), (int64_t[]){7, 9}, 2);
    cv_table_free(j);
    cv_table_free(l);
    cv_table_free(r);
}

static void test_table_join_two_keys(void **state)
{
    (void)state;
    cv_table *l = tbl(scol("a", (const char *[]){"x", "x", "y"}, 3),
                      icol("b", (int64_t[]){1, 2, 1}, 3), NULL);
    cv_table *r =
        tbl(icol("b", (int64_t[]){1, 1, 2}, 3), scol("a", (const char *[]){"y", "x", "y"}, 3),
            icol("n", (int64_t[]){100, 200, 300}, 3), NULL);
    cv_error err = {0};
    cv_table *j = cv_table_join(l, r, (const char *[]){"a", "b"}, (const char *[]){"a", "b"}, 2,
                                CV_JOIN_LEFT, &err);
    assert_non_null(j);
    assert_int_equal(j->ncols, 3);
    assert_ints(col(j, "n"), (int64_t[]){200, NA, 100}, 3);
    cv_table_free(j);
    cv_table_free(l);
    cv_table_free(r);
}

static void test_table_join_type_mismatch_says_what(void **state)
{
    (void)state;
    cv_table *l = tbl(icol("id", (int64_t[]){1}, 1), NULL);
    cv_table *r = tbl(scol("cust", (const char *[]){"1"}, 1), NULL);
    cv_error err = {0};
    assert_null(cv_table_join(l, r, (const char *[]){"id"}, (const char *[]){"cust"}, 1,
                              CV_JOIN_INNER, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, "join key 'id' is int on the left: expected int for 'cust' on "
                                 "the right, found string");
    cv_table_free(l);
    cv_table_free(r);
}

/* ---- Describe ------------------------------------------------------------------------------- */

static void test_table_describe_numbers(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("v", (int64_t[]){7, 3, 10, 1, 5, NA, 9, 2, 8, 4, 6}, 11), NULL);
    cv_table *d = cv_table_describe(t, NULL);
    assert_non_null(d);
    assert_int_equal(d->ncols, 12);
    assert_int_equal(d->nrows, 1);
    assert_string_equal(fmt(col(d, "column"), 0), "v");
    assert_string_equal(fmt(col(d, "type"), 0), "int");
    assert_ints(col(d, "count"), (int64_t[]){10}, 1);
    assert_ints(col(d, "missing"), (int64_t[]){1}, 1);
    assert_floats(col(d, "mean"), (double[]){5.5}, 1);
    assert_floats(col(d, "sd"), (double[]){sqrt(82.5 / 9)}, 1); /* R: sd(1:10) = 3.02765 */
    assert_string_equal(fmt(col(d, "min"), 0), "1");
    assert_string_equal(fmt(col(d, "p25"), 0), "3.25");
    assert_string_equal(fmt(col(d, "median"), 0), "5.5");
    assert_string_equal(fmt(col(d, "p75"), 0), "7.75");
    assert_string_equal(fmt(col(d, "max"), 0), "10");
    assert_false(cv_column_is_valid(col(d, "n_distinct"), 0));
    cv_table_free(d);
    cv_table_free(t);
}

static void test_table_describe_strings_and_dates(void **state)
{
    (void)state;
    cv_table *t = tbl(scol("s", (const char *[]){"pear", "apple", NULL, "pear"}, 4),
                      dcol("d", (int64_t[]){9862, 9921, 9863, NA}, 4), NULL);
    cv_table *d = cv_table_describe(t, NULL);
    assert_int_equal(d->nrows, 2);
    assert_strs(col(d, "type"), (const char *[]){"string", "date"}, 2);
    assert_ints(col(d, "count"), (int64_t[]){3, 3}, 2);
    assert_ints(col(d, "missing"), (int64_t[]){1, 1}, 2);
    assert_floats(col(d, "mean"), (double[]){NAN, NAN}, 2);
    assert_strs(col(d, "min"), (const char *[]){"apple", "1997-01-01"}, 2);
    assert_strs(col(d, "max"), (const char *[]){"pear", "1997-03-01"}, 2);
    assert_strs(col(d, "median"), (const char *[]){NULL, "1997-01-02"}, 2);
    assert_ints(col(d, "n_distinct"), (int64_t[]){2, NA}, 2);
    cv_table_free(d);
    cv_table_free(t);
}

/* ---- Edge cases: empty table, one row ---------------------------------------------------------
 */

static void test_table_empty_table_operations(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("a", NULL, 0), scol("s", NULL, 0), NULL);
    cv_sort_key k = {"a", 1};
    cv_table *r = cv_table_sort(t, &k, 1, NULL);
    assert_non_null(r);
    assert_int_equal(r->nrows, 0);
    cv_table_free(r);
    cv_agg agg = {"n", CV_AGG_COUNT, NULL, 0};
    r = group(t, (const char *[]){"s"}, 1, &agg, 1);
    assert_int_equal(r->nrows, 0);
    assert_int_equal(r->ncols, 2);
    cv_table_free(r);
    r = filter_num(t, "a", ">", 0);
    assert_int_equal(r->nrows, 0);
    cv_table_free(r);
    cv_agg sums[] = {{"n", CV_AGG_COUNT, NULL, 0}, {"s", CV_AGG_SUM, "a", 0}};
    r = group(t, NULL, 0, sums, 2); /* no keys: one row for the whole (empty) table */
    assert_int_equal(r->nrows, 1);
    assert_ints(col(r, "n"), (int64_t[]){0}, 1);
    assert_ints(col(r, "s"), (int64_t[]){NA}, 1);
    cv_table_free(r);
    r = join(t, t, "a", "a", CV_JOIN_LEFT);
    assert_int_equal(r->nrows, 0);
    cv_table_free(r);
    r = cv_table_describe(t, NULL);
    assert_int_equal(r->nrows, 2);
    assert_ints(col(r, "count"), (int64_t[]){0, 0}, 2);
    assert_strs(col(r, "min"), (const char *[]){NULL, NULL}, 2);
    cv_table_free(r);
    char *s = cv_table_format(t, 10, 20);
    assert_string_equal(s, "    a  s\n"
                           "<int>  <string>\n"
                           "-----  --------\n");
    free(s);
    cv_table_free(t);
}

static void test_table_one_row_operations(void **state)
{
    (void)state;
    cv_table *t = tbl(fcol("x", (double[]){4.5}, 1), NULL);
    cv_agg aggs[] = {{"sd", CV_AGG_SD, "x", 0}, {"med", CV_AGG_MEDIAN, "x", 0}};
    cv_table *r = group(t, (const char *[]){"x"}, 1, aggs, 2);
    assert_floats(col(r, "sd"), (double[]){NAN}, 1);
    assert_floats(col(r, "med"), (double[]){4.5}, 1);
    cv_table_free(r);
    cv_table *d = cv_table_describe(t, NULL);
    assert_floats(col(d, "sd"), (double[]){NAN}, 1);
    assert_string_equal(fmt(col(d, "p25"), 0), "4.5");
    cv_table_free(d);
    cv_table_free(t);
}

/* ---- Cast
 * ---------------------------------------------------------------------------------------- */

static void test_table_cast_between_types(void **state)
{
    (void)state;
    cv_error err = {0};
    cv_column *i = icol("a", (int64_t[]){1, NA, -3}, 3);
    cv_column *f = cv_column_cast(i, CV_FLOAT64, &err);
    assert_floats(f, (double[]){1, NAN, -3}, 3);
    cv_column *s = cv_column_cast(f, CV_STRING, &err);
    assert_strs(s, (const char *[]){"1", NULL, "-3"}, 3);
    cv_column *back = cv_column_cast(s, CV_INT64, &err);
    assert_ints(back, (int64_t[]){1, NA, -3}, 3);
    cv_column *d = dcol("d", (int64_t[]){9862}, 1);
    cv_column *dt = cv_column_cast(d, CV_DATETIME, &err);
    assert_int_equal(cv_column_int(dt, 0), 9862LL * 86400);
    assert_string_equal(fmt(dt, 0), "1997-01-01 00:00:00");
    cv_column *txt = scol("t", (const char *[]){"1997-03-01", "oops"}, 2);
    assert_null(cv_column_cast(txt, CV_DATE, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, "cannot cast 'oops' in row 2 of column 't' to date");
    cv_column *half = fcol("h", (double[]){2.5}, 1);
    assert_null(cv_column_cast(half, CV_INT64, &err));
    assert_string_equal(err.msg, "cannot cast '2.5' in row 1 of column 'h' to int");
    assert_null(cv_column_cast(d, CV_BOOL, &err));
    assert_string_equal(err.msg, "cannot cast column 'd' from date to bool");
    cv_column *list[] = {i, f, s, back, d, dt, txt, half};
    for (size_t k = 0; k < sizeof list / sizeof *list; k++)
        cv_column_unref(list[k]);
}

static void test_table_datetime_and_bool_columns(void **state)
{
    (void)state;
    /* 1997-01-01 00:00:00 is 9862 * 86400 = 852076800 s. */
    cv_table *t = tbl(
        scol("when", (const char *[]){"1997-01-01 12:30", "1997-01-01T08:00:00", "1997-01-02"}, 3),
        scol("flag", (const char *[]){"true", "no", "TRUE"}, 3), NULL);
    cv_error err = {0};
    cv_column *dt = cv_column_cast(col(t, "when"), CV_DATETIME, &err);
    cv_column *b = cv_column_cast(col(t, "flag"), CV_BOOL, &err);
    assert_non_null(dt);
    assert_non_null(b);
    assert_int_equal(cv_column_int(dt, 0), 852076800LL + 12 * 3600 + 30 * 60);
    assert_int_equal(cv_column_int(dt, 1), 852076800LL + 8 * 3600);
    assert_ints(b, (int64_t[]){1, 0, 1}, 3);
    assert_int_equal(cv_table_set(t, dt, NULL), 0);
    assert_int_equal(cv_table_set(t, b, NULL), 0);
    cv_value v = {.kind = CV_VAL_STRING, .str = "1997-01-01 10:00", .len = 16};
    cv_table *r = cv_table_filter(t, "when", CV_GT, &v, &err);
    assert_non_null(r);
    assert_int_equal(r->nrows, 2); /* 12:30 that day, and the next day */
    cv_table_free(r);
    cv_value yes = {.kind = CV_VAL_BOOL, .b = 1};
    r = cv_table_filter(t, "flag", CV_EQ, &yes, &err);
    assert_int_equal(r->nrows, 2);
    cv_table_free(r);
    cv_agg agg = {"latest", CV_AGG_MAX, "when", 0};
    r = group(t, (const char *[]){"flag"}, 1, &agg, 1);
    assert_ints(col(r, "flag"), (int64_t[]){1, 0}, 2);
    assert_int_equal(col(r, "latest")->type, CV_DATETIME);
    assert_string_equal(fmt(col(r, "latest"), 0), "1997-01-02 00:00:00");
    assert_string_equal(fmt(col(r, "latest"), 1), "1997-01-01 08:00:00");
    cv_table_free(r);
    cv_table *d = cv_table_describe(t, NULL);
    assert_floats(col(d, "mean"), (double[]){NAN, 2.0 / 3}, 2); /* a bool's mean: share true */
    assert_strs(col(d, "min"), (const char *[]){"1997-01-01 08:00:00", "false"}, 2);
    assert_strs(col(d, "median"), (const char *[]){"1997-01-01 12:30:00", NULL}, 2);
    assert_ints(col(d, "n_distinct"), (int64_t[]){NA, 2}, 2);
    cv_table_free(d);
    cv_column_unref(dt);
    cv_column_unref(b);
    cv_table_free(t);
}

/* ---- Text
 * ------------------------------------------------------------------------------------------ */

static void test_table_value_format_shortest_floats(void **state)
{
    (void)state;
    cv_column *f = fcol("x", (double[]){0.1, 1.0 / 3, 0.1 + 0.2, 1e21, -2.5, 100, NAN}, 7);
    assert_string_equal(fmt(f, 0), "0.1");
    assert_string_equal(fmt(f, 1), "0.3333333333333333");
    assert_string_equal(fmt(f, 2), "0.30000000000000004");
    assert_string_equal(fmt(f, 3), "1e+21");
    assert_string_equal(fmt(f, 4), "-2.5");
    assert_string_equal(fmt(f, 5), "100");
    assert_string_equal(fmt(f, 6), "na");
    char buf[8];
    assert_int_equal(cv_value_format(f, 1, 3, "na", buf, sizeof buf), 5);
    assert_string_equal(buf, "0.333");
    assert_int_equal(cv_value_format(f, 2, 0, "na", buf, sizeof buf), 19); /* truncated */
    assert_string_equal(buf, "0.30000");
    cv_column_unref(f);
    /* With digits: plain notation, large numbers keep their integer digits (as R prints) */
    f = fcol("y", (double[]){12345678.9, 1234.5678, 0.000123456789, 2.5, 1e20, -0.5, 100}, 7);
    char b2[32];
    const char *want[] = {"12345679", "1234.568", "0.0001234568", "2.5", "1e+20", "-0.5", "100"};
    for (int i = 0; i < 7; i++) {
        cv_value_format(f, i, 7, "na", b2, sizeof b2);
        assert_string_equal(b2, want[i]);
    }
    cv_column_unref(f);
}

static void test_table_value_format_dates_bools_ints(void **state)
{
    (void)state;
    cv_column *d = dcol("d", (int64_t[]){0, 10957, -1, 11016, NA}, 5);
    assert_string_equal(fmt(d, 0), "1970-01-01");
    assert_string_equal(fmt(d, 1), "2000-01-01");
    assert_string_equal(fmt(d, 2), "1969-12-31");
    assert_string_equal(fmt(d, 3), "2000-02-29"); /* 2000 is a leap year: Jan 31 + Feb 28 */
    assert_string_equal(fmt(d, 4), "na");
    cv_column *dt = cv_column_new("t", CV_DATETIME, 2);
    cv_column_push_int(dt, 86400 + 3600 + 61);
    cv_column_push_int(dt, -1);
    assert_string_equal(fmt(dt, 0), "1970-01-02 01:01:01");
    assert_string_equal(fmt(dt, 1), "1969-12-31 23:59:59");
    cv_column *b = cv_column_new("b", CV_BOOL, 2);
    cv_column_push_bool(b, 1);
    cv_column_push_bool(b, 0);
    assert_string_equal(fmt(b, 0), "true");
    assert_string_equal(fmt(b, 1), "false");
    cv_column *i = icol("i", (int64_t[]){INT64_MIN + 1}, 1);
    assert_string_equal(fmt(i, 0), "-9223372036854775807");
    cv_column_unref(d);
    cv_column_unref(dt);
    cv_column_unref(b);
    cv_column_unref(i);
}

static void test_table_utf8_width_counts_wide_and_combining(void **state)
{
    (void)state;
    const char *s = "重要价值客户";
    assert_int_equal(cv_utf8_width(s, strlen(s)), 12);
    s = "VIP客户 A";
    assert_int_equal(cv_utf8_width(s, strlen(s)), 9);
    s = "e\xcc\x81"; /* e + combining acute */
    assert_int_equal(cv_utf8_width(s, strlen(s)), 1);
    s = "ＡＢ"; /* fullwidth forms */
    assert_int_equal(cv_utf8_width(s, strlen(s)), 4);
    s = "\xf0\x9f\x98\x80"; /* grinning face emoji */
    assert_int_equal(cv_utf8_width(s, strlen(s)), 2);
    s = "한국어 かな、。";
    assert_int_equal(cv_utf8_width(s, strlen(s)), 15);
    s = "a\xff\xc3"; /* invalid bytes count one each */
    assert_int_equal(cv_utf8_width(s, strlen(s)), 3);
    assert_int_equal(cv_utf8_width("", 0), 0);
}

static void test_table_format_aligns_by_display_width(void **state)
{
    (void)state;
    cv_table *t = tbl(icol("id", (int64_t[]){1, 22}, 2),
                      scol("name", (const char *[]){"重要价值客户", "ab"}, 2),
                      fcol("amount", (double[]){1.5, NAN}, 2), NULL);
    char *s = cv_table_format(t, -1, 40);
    assert_non_null(s);
    assert_string_equal(s, "   id  name           amount\n"
                           "<int>  <string>      <float>\n"
                           "-----  ------------  -------\n"
                           "    1  重要价值客户      1.5\n"
                           "   22  ab                 na\n");
    free(s);
    cv_table_free(t);
}

static void test_table_format_aligns_decimal_points_in_float_columns(void **state)
{
    (void)state;
    /* One count of decimals per column, as R prints: the most any value needs at 7 digits */
    cv_table *t = tbl(fcol("spend", (double[]){13990.93, 6552.7, 93.845, NAN}, 4), NULL);
    char *s = cv_table_format(t, -1, 0);
    assert_string_equal(s, "    spend\n"
                           "  <float>\n"
                           "---------\n"
                           "13990.930\n"
                           " 6552.700\n"
                           "   93.845\n"
                           "       na\n");
    free(s);
    cv_table_free(t);
}

static void test_table_format_cuts_cells_and_counts_rows_left(void **state)
{
    (void)state;
    cv_table *t = tbl(scol("s", (const char *[]){"abcdefgh", "重要价值客户", "x"}, 3), NULL);
    char *s = cv_table_format(t, 2, 5);
    assert_string_equal(s, "s\n"
                           "<str…\n"
                           "-----\n"
                           "abcd…\n"
                           "重要…\n"
                           "… 1 more row\n");
    free(s);
    s = cv_table_format(t, 0, 0);
    assert_string_equal(s, "s\n<string>\n--------\n… 3 more rows\n");
    free(s);
    cv_table_free(t);
}

/* ---- Real data: CDNOW (shared/data, see its README) -------------------------------------- */

/* CDNOW's ids are written 00001 and its dates 19970101: given as int and date. */
static cv_table *read_shared(const char *path)
{
    static const cv_csv_coltype types[] = {
        {"V2", CV_INT64}, {"V3", CV_DATE}, {"customer_id", CV_INT64}};
    cv_csv_options o;
    cv_csv_options_init(&o);
    if (strstr(path, "CDNOW_sample")) {
        o.types = types;
        o.ntypes = 2;
    } else if (strstr(path, "CDNOW_master")) {
        o.types = types + 2;
        o.ntypes = 1;
    }
    cv_error err = {0};
    cv_table *t = cv_csv_read(path, &o, NULL, &err);
    if (!t)
        fail_msg("%s", err.msg);
    return t;
}

static void test_table_cdnow_repeat_days_match_published_frequency(void **state)
{
    (void)state;
    /* The published summary's frequency x is the number of distinct purchase days in the
       calibration period (to 1997-09-30) less one: filter, n_distinct per customer and a
       join to the published file must reproduce it for all 2,357 customers. */
    cv_table *tx = read_shared(data_path("CDNOW_sample.txt"));
    cv_table *pub = read_shared(data_path("cdnow_customers_summary.csv"));
    assert_int_equal(col(tx, "V3")->type, CV_DATE);
    cv_value end = {.kind = CV_VAL_STRING, .str = "1997-09-30", .len = 10};
    cv_error err = {0};
    cv_table *cal = cv_table_filter(tx, "V3", CV_LE, &end, &err);
    assert_non_null(cal);
    cv_agg agg = {"days", CV_AGG_NDISTINCT, "V3", 0};
    cv_table *per = group(cal, (const char *[]){"V2"}, 1, &agg, 1);
    assert_int_equal(per->nrows, 2357);
    cv_table *j = cv_table_join(pub, per, (const char *[]){"ID"}, (const char *[]){"V2"}, 1,
                                CV_JOIN_INNER, &err);
    assert_non_null(j);
    assert_int_equal(j->nrows, 2357);
    cv_column *x = col(j, "frequency"), *days = col(j, "days");
    for (int64_t i = 0; i < j->nrows; i++)
        assert_int_equal(cv_column_int(x, i), cv_column_int(days, i) - 1);
    cv_table *list[] = {tx, pub, cal, per, j};
    for (size_t k = 0; k < sizeof list / sizeof *list; k++)
        cv_table_free(list[k]);
}

static void test_table_cdnow_master_customers_and_first_purchases(void **state)
{
    (void)state;
    /* 23,570 customers and 69,659 lines (README); every first purchase in 1997's first
       quarter: 1997-01-01 (day 9862) to 1997-03-31 (9862 + 31 + 28 + 30 = 9951). */
    cv_table *tx = read_shared(data_path("CDNOW_master.txt"));
    cv_agg aggs[] = {{"lines", CV_AGG_COUNT, NULL, 0},
                     {"first", CV_AGG_MIN, "date", 0},
                     {"spend", CV_AGG_SUM, "dollar_value", 0}};
    cv_table *per = group(tx, (const char *[]){"customer_id"}, 1, aggs, 3);
    assert_int_equal(per->nrows, 23570);
    cv_sort_key k = {"first", 1};
    cv_table *s = cv_table_sort(per, &k, 1, NULL);
    assert_int_equal(col(s, "first")->type, CV_DATE);
    assert_true(cv_column_i32(col(s, "first"), 0) <= 9951);
    assert_int_equal(cv_column_i32(col(s, "first"), s->nrows - 1), 9862);
    cv_agg total[] = {{"lines", CV_AGG_SUM, "lines", 0},
                      {"spend", CV_AGG_SUM, "spend", 0},
                      {"all", CV_AGG_SUM, "dollar_value", 0}};
    cv_table *one = cv_table_group_by(per, NULL, 0, total, 2, NULL);
    assert_non_null(one);
    assert_ints(col(one, "lines"), (int64_t[]){69659}, 1);
    cv_table *whole = cv_table_group_by(tx, NULL, 0, total + 2, 1, NULL);
    assert_float_equal(cv_column_float(col(one, "spend"), 0), cv_column_float(col(whole, "all"), 0),
                       1e-6);
    cv_table *list[] = {tx, per, s, one, whole};
    for (size_t q = 0; q < sizeof list / sizeof *list; q++)
        cv_table_free(list[q]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_columns_store_values_and_missing),
        cmocka_unit_test(test_table_missing_column_error_lists_columns),
        cmocka_unit_test(test_table_select_shares_columns),
        cmocka_unit_test(test_table_rename_shares_data),
        cmocka_unit_test(test_table_set_replaces_by_reference),
        cmocka_unit_test(test_table_take_rows_and_missing_index),
        cmocka_unit_test(test_table_head_first_and_last_rows),
        cmocka_unit_test(test_table_filter_mask_keeps_marked_rows),
        cmocka_unit_test(test_table_op_and_agg_names_parse),
        cmocka_unit_test(test_table_filter_ints_skip_missing),
        cmocka_unit_test(test_table_filter_int64_exact_beyond_doubles),
        cmocka_unit_test(test_table_filter_floats_treat_nan_as_missing),
        cmocka_unit_test(test_table_filter_strings_by_text),
        cmocka_unit_test(test_table_filter_dates_by_text),
        cmocka_unit_test(test_table_filter_type_mismatch_says_what),
        cmocka_unit_test(test_table_sort_ints_missing_last_both_ways),
        cmocka_unit_test(test_table_sort_is_stable_on_ties),
        cmocka_unit_test(test_table_sort_two_keys_mixed_directions),
        cmocka_unit_test(test_table_sort_floats_with_signs_and_infinities),
        cmocka_unit_test(test_table_sort_strings_by_bytes),
        cmocka_unit_test(test_table_sort_dates_and_bools),
        cmocka_unit_test(test_table_group_by_counts_sums_means_in_first_appearance_order),
        cmocka_unit_test(test_table_group_by_two_keys),
        cmocka_unit_test(test_table_group_by_missing_key_is_its_own_group),
        cmocka_unit_test(test_table_group_by_float_keys_by_value),
        cmocka_unit_test(test_table_group_by_quantiles_type7),
        cmocka_unit_test(test_table_group_by_sd_and_var_are_sample),
        cmocka_unit_test(test_table_group_by_min_max_first_last_keep_types),
        cmocka_unit_test(test_table_group_by_n_distinct),
        cmocka_unit_test(test_table_group_by_all_missing_column),
        cmocka_unit_test(test_table_group_by_errors),
        cmocka_unit_test(test_table_group_by_wide_int_range_and_float_pair_keys),
        cmocka_unit_test(test_table_join_two_keys_with_a_float_key),
        cmocka_unit_test(test_table_quantile_of_a_large_group),
        cmocka_unit_test(test_table_join_inner_repeats_matches_in_left_order),
        cmocka_unit_test(test_table_join_left_without_match_gives_missing),
        cmocka_unit_test(test_table_join_clashing_names_get_suffix),
        cmocka_unit_test(test_table_join_strings_across_dictionaries),
        cmocka_unit_test(test_table_join_int_and_float_keys_as_numbers),
        cmocka_unit_test(test_table_join_two_keys),
        cmocka_unit_test(test_table_join_type_mismatch_says_what),
        cmocka_unit_test(test_table_describe_numbers),
        cmocka_unit_test(test_table_describe_strings_and_dates),
        cmocka_unit_test(test_table_empty_table_operations),
        cmocka_unit_test(test_table_one_row_operations),
        cmocka_unit_test(test_table_cast_between_types),
        cmocka_unit_test(test_table_datetime_and_bool_columns),
        cmocka_unit_test(test_table_value_format_shortest_floats),
        cmocka_unit_test(test_table_value_format_dates_bools_ints),
        cmocka_unit_test(test_table_utf8_width_counts_wide_and_combining),
        cmocka_unit_test(test_table_format_aligns_by_display_width),
        cmocka_unit_test(test_table_format_aligns_decimal_points_in_float_columns),
        cmocka_unit_test(test_table_format_cuts_cells_and_counts_rows_left),
        cmocka_unit_test(test_table_cdnow_repeat_days_match_published_frequency),
        cmocka_unit_test(test_table_cdnow_master_customers_and_first_purchases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
