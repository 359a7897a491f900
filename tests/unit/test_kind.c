/* Unit tests of column kinds (include/cvkit/kind.h): cv_format_kind's exact strings for
   money, shares, counts, rates and plain numbers; kind names; the kind kept by take, rename,
   cast and filter, derived by group_by, set by cv_table_with_kind (without touching the
   table it came from), and shown by cv_table_format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <string.h>

#include "cvkit/kind.h"
#include "cvkit/mem.h"
#include "cvkit/table.h"

/* cv_format_kind(v, kind, decimals) as a string (static buffer). */
static const char *F(double v, cv_kind k, int decimals)
{
    static char buf[128];
    size_t n = cv_format_kind(v, k, decimals, NULL, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    return buf;
}

static void test_kind_money(void **state)
{
    (void)state;
    assert_string_equal(F(1234567.891, CV_KIND_MONEY, -1), "1,234,567.89");
    assert_string_equal(F(-83223.8, CV_KIND_MONEY, -1), "-83,223.80");
    assert_string_equal(F(364.6, CV_KIND_MONEY, -1), "364.60");
    assert_string_equal(F(0, CV_KIND_MONEY, -1), "0.00");
    assert_string_equal(F(999.995, CV_KIND_MONEY, -1), "1,000.00"); /* rounds up a digit */
    assert_string_equal(F(218.125, CV_KIND_MONEY, -1), "218.13");   /* halves away from 0 */
    assert_string_equal(F(-0.001, CV_KIND_MONEY, -1), "0.00");      /* no "-0.00" */
    assert_string_equal(F(1234567.891, CV_KIND_MONEY, 0), "1,234,568");
    assert_string_equal(F(12.5, CV_KIND_MONEY, 3), "12.500");
}

static void test_kind_share_and_rate(void **state)
{
    (void)state;
    assert_string_equal(F(0.21834, CV_KIND_SHARE, -1), "21.83%");
    assert_string_equal(F(1, CV_KIND_SHARE, -1), "100.00%");
    assert_string_equal(F(0.2, CV_KIND_SHARE, 0), "20%");
    assert_string_equal(F(-0.0512, CV_KIND_SHARE, 1), "-5.1%");
    assert_string_equal(F(12.345, CV_KIND_SHARE, -1), "1,234.50%");
    assert_string_equal(F(0.1, CV_KIND_RATE, -1), "10%"); /* the decimals it needs */
    assert_string_equal(F(0.0825, CV_KIND_RATE, -1), "8.25%");
    assert_string_equal(F(0.125, CV_KIND_RATE, -1), "12.5%");
    assert_string_equal(F(0.123456, CV_KIND_RATE, -1), "12.35%");
    assert_string_equal(F(0.15, CV_KIND_RATE, 2), "15.00%");
}

static void test_kind_count_and_number(void **state)
{
    (void)state;
    assert_string_equal(F(100000, CV_KIND_COUNT, -1), "100,000");
    assert_string_equal(F(1309.4, CV_KIND_COUNT, -1), "1,309");
    assert_string_equal(F(-2500, CV_KIND_COUNT, 2), "-2,500"); /* decimals ignored */
    assert_string_equal(F(2000, CV_KIND_NUMBER, -1), "2,000");
    assert_string_equal(F(266.666666, CV_KIND_NUMBER, -1), "266.67");
    assert_string_equal(F(0.085, CV_KIND_NONE, -1), "0.085");
    assert_string_equal(F(3.14159, CV_KIND_NUMBER, 3), "3.142");
}

static void test_kind_missing_and_infinite(void **state)
{
    (void)state;
    char buf[16];
    assert_string_equal(F(NAN, CV_KIND_MONEY, -1), "na"); /* the tables' missing marker */
    assert_string_equal(F(NAN, CV_KIND_SHARE, -1), "na");
    cv_format_kind(NAN, CV_KIND_COUNT, -1, "\xe2\x80\x93", buf, sizeof buf);
    assert_string_equal(buf, "\xe2\x80\x93"); /* the report's "–" when asked */
    assert_string_equal(F(INFINITY, CV_KIND_MONEY, -1), "inf");
    assert_string_equal(F(-INFINITY, CV_KIND_SHARE, -1), "-inf");
    /* the largest doubles: every digit, grouped (309 digits, 102 separators) */
    char big[600];
    assert_int_equal(cv_format_kind(-DBL_MAX, CV_KIND_MONEY, -1, NULL, big, sizeof big), 412);
    assert_memory_equal(big, "-179,769,313", 12);
    assert_int_equal(cv_format_kind(DBL_MAX, CV_KIND_SHARE, -1, NULL, big, sizeof big), 3);
    assert_string_equal(big, "inf"); /* × 100 overflows */
    /* truncated to the buffer, the full length returned */
    assert_int_equal(cv_format_kind(1234567.891, CV_KIND_MONEY, -1, NULL, buf, 5), 12);
    assert_string_equal(buf, "1,23");
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[] = {"number", "money", "share", "count", "rate"};
    for (int k = 0; k < 5; k++) {
        cv_kind out = CV_KIND_NONE;
        assert_int_equal(cv_kind_parse(names[k], &out), 0);
        assert_int_equal(out, k + 1);
        assert_string_equal(cv_kind_name(out), names[k]);
    }
    cv_kind out = CV_KIND_MONEY;
    assert_int_equal(cv_kind_parse("mony", &out), -1);
    assert_int_equal(cv_kind_parse(NULL, &out), -1);
    assert_null(cv_kind_name(CV_KIND_NONE));
}

/* A table: seg (string), amount (float, money), orders (int, count), p (float, share). */
static cv_table *sales(void)
{
    static const char *const seg[] = {"a", "b", "a"};
    static const double amount[] = {1234.5, 20, 0.25}, p[] = {0.5, 0.25, 0.125};
    static const int64_t orders[] = {3, 1, 2};
    cv_table *t = cv_table_new();
    cv_column *c[4] = {cv_column_new("seg", CV_STRING, 3), cv_column_new("amount", CV_FLOAT64, 3),
                       cv_column_new("orders", CV_INT64, 3), cv_column_new("p", CV_FLOAT64, 3)};
    cv_error err;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cv_column_push_string(c[0], seg[i], 1), 0);
        assert_int_equal(cv_column_push_float(c[1], amount[i]), 0);
        assert_int_equal(cv_column_push_int(c[2], orders[i]), 0);
        assert_int_equal(cv_column_push_float(c[3], p[i]), 0);
    }
    c[1]->kind = CV_KIND_MONEY;
    c[2]->kind = CV_KIND_COUNT;
    c[3]->kind = CV_KIND_SHARE;
    for (int j = 0; j < 4; j++) {
        assert_int_equal(cv_table_add(t, c[j], &err), 0);
        cv_column_unref(c[j]);
    }
    return t;
}

static void test_kind_travels(void **state)
{
    (void)state;
    cv_error err;
    cv_table *t = sales();
    int64_t idx[] = {2, 0};
    cv_column *taken = cv_column_take(t->cols[1], idx, 2);
    cv_column *renamed = cv_column_rename(t->cols[3], "q");
    cv_column *cast = cv_column_cast(t->cols[2], CV_FLOAT64, &err);
    cv_column *text = cv_column_cast(t->cols[1], CV_STRING, &err);
    assert_int_equal(taken->kind, CV_KIND_MONEY);
    assert_int_equal(renamed->kind, CV_KIND_SHARE);
    assert_int_equal(cast->kind, CV_KIND_COUNT); /* the same numbers in another storage */
    assert_int_equal(text->kind, CV_KIND_NONE);  /* text has no kind */
    cv_value v = {.kind = CV_VAL_NUMBER, .num = 1};
    cv_table *f = cv_table_filter(t, "orders", CV_GT, &v, &err);
    cv_sort_key key = {"amount", 1};
    cv_table *s = cv_table_sort(f, &key, 1, &err);
    assert_non_null(s);
    assert_int_equal(s->nrows, 2);
    assert_int_equal(s->cols[1]->kind, CV_KIND_MONEY);
    assert_int_equal(s->cols[2]->kind, CV_KIND_COUNT);
    cv_column_unref(taken);
    cv_column_unref(renamed);
    cv_column_unref(cast);
    cv_column_unref(text);
    cv_table_free(f);
    cv_table_free(s);
    cv_table_free(t);
}

static void test_kind_group_by(void **state)
{
    (void)state;
    cv_error err;
    cv_table *t = sales();
    const char *keys[] = {"seg"};
    cv_agg aggs[] = {{"total", CV_AGG_SUM, "amount", 0},
                     {"mean_amount", CV_AGG_MEAN, "amount", 0},
                     {"n", CV_AGG_COUNT, NULL, 0},
                     {"orders", CV_AGG_SUM, "orders", 0},
                     {"mean_orders", CV_AGG_MEAN, "orders", 0},
                     {"p", CV_AGG_MAX, "p", 0},
                     {"var", CV_AGG_VAR, "amount", 0}};
    cv_table *g = cv_table_group_by(t, keys, 1, aggs, 7, &err);
    assert_non_null(g);
    assert_int_equal(g->cols[1]->kind, CV_KIND_MONEY); /* a sum of money is money */
    assert_int_equal(g->cols[2]->kind, CV_KIND_MONEY);
    assert_int_equal(g->cols[3]->kind, CV_KIND_COUNT);  /* a count */
    assert_int_equal(g->cols[4]->kind, CV_KIND_COUNT);  /* a sum of counts */
    assert_int_equal(g->cols[5]->kind, CV_KIND_NUMBER); /* a mean of counts */
    assert_int_equal(g->cols[6]->kind, CV_KIND_SHARE);
    assert_int_equal(g->cols[7]->kind, CV_KIND_NUMBER);           /* money squared */
    cv_table *all = cv_table_group_by(t, NULL, 0, aggs, 1, &err); /* the fast path too */
    assert_int_equal(all->cols[0]->kind, CV_KIND_MONEY);
    assert_float_equal(cv_column_float(all->cols[0], 0), 1254.75, 1e-9);
    cv_table_free(all);
    cv_table_free(g);
    cv_table_free(t);
}

static void test_kind_with_kind(void **state)
{
    (void)state;
    cv_error err;
    cv_table *t = sales();
    cv_table *r = cv_table_with_kind(t, "amount", CV_KIND_RATE, 1, &err);
    assert_non_null(r);
    assert_int_equal(r->cols[1]->kind, CV_KIND_RATE);
    assert_int_equal(r->cols[1]->decimals1, 2);
    assert_ptr_equal(r->cols[1]->data, t->cols[1]->data); /* shared, not copied */
    assert_int_equal(t->cols[1]->kind, CV_KIND_MONEY);    /* the table it came from */
    cv_table *none = cv_table_with_kind(r, "amount", CV_KIND_NONE, -1, &err);
    assert_int_equal(none->cols[1]->kind, CV_KIND_NONE);
    assert_null(cv_table_with_kind(t, "seg", CV_KIND_MONEY, -1, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, "column 'seg' is string: only numbers have a kind");
    assert_null(cv_table_with_kind(t, "amout", CV_KIND_MONEY, -1, &err));
    assert_non_null(strstr(err.msg, "did you mean 'amount'"));
    cv_table_free(none);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_kind_table_format(void **state)
{
    (void)state;
    cv_table *t = sales();
    char *s = cv_table_format(t, -1, 0);
    assert_non_null(s);
    assert_string_equal(s, "seg         amount  orders        p\n"
                           "<string>   <float>   <int>  <float>\n"
                           "--------  --------  ------  -------\n"
                           "a         1,234.50       3   50.00%\n"
                           "b            20.00       1   25.00%\n"
                           "a             0.25       2   12.50%\n");
    cv_free(s);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_money),
        cmocka_unit_test(test_kind_share_and_rate),
        cmocka_unit_test(test_kind_count_and_number),
        cmocka_unit_test(test_kind_missing_and_infinite),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_kind_travels),
        cmocka_unit_test(test_kind_group_by),
        cmocka_unit_test(test_kind_with_kind),
        cmocka_unit_test(test_kind_table_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
