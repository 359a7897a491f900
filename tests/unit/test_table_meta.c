/* Unit tests of a summary's time metadata (cv_table_meta, include/cvkit/table.h): set by
   cv_summary_table (unit, calibration end, observation end), kept by select, filter,
   take, head, sort and a join's left side, absent on a new table and on group_by and
   describe results; and the mean unit lengths the conversions of horizons use. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>

#include "cvkit/parse.h"
#include "cvkit/summary.h"
#include "cvkit/timevalue.h"

/* Day number of "YYYY-MM-DD". */
static int32_t D(const char *s)
{
    int y, m, d;
    assert_int_equal(sscanf(s, "%d-%d-%d", &y, &m, &d), 3);
    return cv_days_from_civil(y, m, d);
}

/* Three customers' transactions: 1 buys on Jan 1 and Jan 15, 2 on Jan 8, 3 on Feb 10
   (first seen after the calibration end, Jan 31: left out of the summary). */
static cv_table *transactions(void)
{
    static const int64_t ids[] = {1, 1, 2, 3};
    static const char *const dates[] = {"1997-01-01", "1997-01-15", "1997-01-08", "1997-02-10"};
    cv_table *t = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, 4);
    cv_column *date = cv_column_new("date", CV_DATE, 4);
    cv_column *amt = cv_column_new("amount", CV_FLOAT64, 4);
    cv_error err;
    assert_non_null(t);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(cv_column_push_int(id, ids[i]), 0);
        assert_int_equal(cv_column_push_i32(date, D(dates[i])), 0);
        assert_int_equal(cv_column_push_float(amt, 10.0 * (i + 1)), 0);
    }
    assert_int_equal(cv_table_add(t, id, &err), 0);
    assert_int_equal(cv_table_add(t, date, &err), 0);
    assert_int_equal(cv_table_add(t, amt, &err), 0);
    cv_column_unref(id);
    cv_column_unref(date);
    cv_column_unref(amt);
    return t;
}

static cv_table *summary(cv_time_unit unit, int holdout)
{
    cv_summary_options o = {0};
    cv_error err;
    o.customer = "id";
    o.date = "date";
    o.amount = "amount";
    o.unit = unit;
    o.calibration_end = D("1997-01-31");
    o.calibration_end_set = 1;
    o.observation_end = D("1997-03-31");
    o.observation_end_set = holdout;
    cv_table *tx = transactions();
    cv_table *s = cv_summary_table(tx, &o, NULL, &err);
    cv_table_free(tx);
    assert_non_null(s);
    return s;
}

static void assert_meta(const cv_table *t, int unit, int holdout)
{
    assert_int_equal(t->meta.unit, unit);
    assert_int_equal(t->meta.calibration_end, D("1997-01-31"));
    assert_int_equal(t->meta.has_observation_end, holdout);
    if (holdout)
        assert_int_equal(t->meta.observation_end, D("1997-03-31"));
}

static void test_meta_set_by_summary(void **state)
{
    (void)state;
    cv_table *t = cv_table_new();
    assert_int_equal(t->meta.unit, -1); /* a new table knows no unit */
    cv_table_free(t);
    cv_table *s = summary(CV_UNIT_WEEK, 1);
    assert_meta(s, CV_UNIT_WEEK, 1);
    assert_int_equal(s->nrows, 2);
    cv_table_free(s);
    s = summary(CV_UNIT_MONTH, 0);
    assert_meta(s, CV_UNIT_MONTH, 0);
    cv_table_free(s);
}

static void test_meta_kept_by_row_operations(void **state)
{
    (void)state;
    cv_error err;
    cv_table *s = summary(CV_UNIT_DAY, 1);
    const char *names[] = {"customer", "x"};
    cv_table *sel = cv_table_select(s, names, 2, &err);
    assert_meta(sel, CV_UNIT_DAY, 1);
    cv_value one = {.kind = CV_VAL_NUMBER, .num = 1};
    cv_table *f = cv_table_filter(s, "x", CV_GE, &one, &err);
    assert_int_equal(f->nrows, 1);
    assert_meta(f, CV_UNIT_DAY, 1);
    cv_value zero = {.kind = CV_VAL_NUMBER, .num = 0};
    cv_table *all = cv_table_filter(s, "x", CV_GE, &zero, &err); /* every row: shared */
    assert_int_equal(all->nrows, 2);
    assert_meta(all, CV_UNIT_DAY, 1);
    cv_table *h = cv_table_head(s, 1, &err);
    assert_meta(h, CV_UNIT_DAY, 1);
    int64_t idx[] = {1, 0};
    cv_table *tk = cv_table_take(s, idx, 2, &err);
    assert_meta(tk, CV_UNIT_DAY, 1);
    cv_sort_key key = {"T", 1};
    cv_table *so = cv_table_sort(s, &key, 1, &err);
    assert_meta(so, CV_UNIT_DAY, 1);
    /* a left join onto the summary keeps it; the same join from the other side does not */
    const char *k[] = {"customer"};
    cv_table *lj = cv_table_join(s, sel, k, k, 1, CV_JOIN_LEFT, &err);
    assert_non_null(lj);
    assert_meta(lj, CV_UNIT_DAY, 1);
    cv_table *plain = cv_table_new();
    cv_column *c = cv_column_new("customer", CV_INT64, 1);
    assert_int_equal(cv_column_push_int(c, 1), 0);
    assert_int_equal(cv_table_add(plain, c, &err), 0);
    cv_column_unref(c);
    cv_table *rj = cv_table_join(plain, s, k, k, 1, CV_JOIN_LEFT, &err);
    assert_non_null(rj);
    assert_int_equal(rj->meta.unit, -1);
    cv_table *tables[] = {sel, f, all, h, tk, so, lj, plain, rj};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
        cv_table_free(tables[i]);
    cv_table_free(s);
}

static void test_meta_cleared_by_reshaping(void **state)
{
    (void)state;
    cv_error err;
    cv_table *s = summary(CV_UNIT_WEEK, 0);
    const char *keys[] = {"x"};
    cv_agg agg = {"n", CV_AGG_COUNT, NULL, 0};
    cv_table *g = cv_table_group_by(s, keys, 1, &agg, 1, &err);
    assert_non_null(g);
    assert_int_equal(g->meta.unit, -1); /* rows are groups, not customers */
    cv_table *d = cv_table_describe(s, &err);
    assert_non_null(d);
    assert_int_equal(d->meta.unit, -1);
    cv_table_free(g);
    cv_table_free(d);
    cv_table_free(s);
}

/* The mean unit lengths of horizon conversions: a week is exactly 7 days; a month and a
   year the Gregorian means, the lengths the calendar months of cv_time_between average to
   over 400 years (146,097 days = 4,800 months). */
static void test_unit_days(void **state)
{
    (void)state;
    assert_true(cv_unit_days(CV_UNIT_DAY) == 1.0);
    assert_true(cv_unit_days(CV_UNIT_WEEK) == 7.0);
    assert_true(cv_unit_days(CV_UNIT_YEAR) == 365.2425);
    assert_true(cv_unit_days(CV_UNIT_MONTH) == 365.2425 / 12);
    double months = cv_time_between(D("2000-01-01"), D("2400-01-01"), CV_UNIT_MONTH);
    assert_true(months == 4800.0);
    assert_int_equal(D("2400-01-01") - D("2000-01-01"), 146097);
    assert_true(146097.0 / 4800.0 == cv_unit_days(CV_UNIT_MONTH));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_set_by_summary),
        cmocka_unit_test(test_meta_kept_by_row_operations),
        cmocka_unit_test(test_meta_cleared_by_reshaping),
        cmocka_unit_test(test_unit_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
