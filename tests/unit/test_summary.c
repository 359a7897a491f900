/* Unit tests of the customer summary: calendar units (month ends), the per-customer
   columns on hand-made transactions, same-day merging, out-of-order rows, string ids,
   margins, holdout, errors; and the published CDNOW summary, read from the shared data
   both from a loaded table and streamed, compared row by row. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/parse.h"
#include "cvkit/summary.h"
#include "data.h"

#define EPS 1e-9

/* Day number of "YYYY-MM-DD". */
static int32_t D(const char *s)
{
    int y, m, d;
    assert_int_equal(sscanf(s, "%d-%d-%d", &y, &m, &d), 3);
    return cv_days_from_civil(y, m, d);
}

/* A transactions table with int ids; dates "YYYY-MM-DD" (NULL = missing); amounts (NAN =
   missing) and, when costs != NULL, a cost column. */
static cv_table *tx_int(int n, const int64_t *ids, const char *const *dates, const double *amounts,
                        const double *costs)
{
    cv_table *t = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, n);
    cv_column *date = cv_column_new("date", CV_DATE, n);
    cv_column *amt = cv_column_new("amount", CV_FLOAT64, n);
    cv_column *cost = costs ? cv_column_new("cost", CV_FLOAT64, n) : NULL;
    for (int i = 0; i < n; i++) {
        assert_int_equal(cv_column_push_int(id, ids[i]), 0);
        if (dates[i])
            assert_int_equal(cv_column_push_i32(date, D(dates[i])), 0);
        else
            assert_int_equal(cv_column_push_missing(date), 0);
        if (isnan(amounts[i]))
            assert_int_equal(cv_column_push_missing(amt), 0);
        else
            assert_int_equal(cv_column_push_float(amt, amounts[i]), 0);
        if (cost)
            assert_int_equal(cv_column_push_float(cost, costs[i]), 0);
    }
    assert_int_equal(cv_table_add(t, id, NULL), 0);
    assert_int_equal(cv_table_add(t, date, NULL), 0);
    assert_int_equal(cv_table_add(t, amt, NULL), 0);
    if (cost)
        assert_int_equal(cv_table_add(t, cost, NULL), 0);
    cv_column_unref(id);
    cv_column_unref(date);
    cv_column_unref(amt);
    cv_column_unref(cost);
    return t;
}

static cv_summary_options base_opts(void)
{
    cv_summary_options o;
    memset(&o, 0, sizeof o);
    o.customer = "id";
    o.date = "date";
    o.amount = "amount";
    return o;
}

static const cv_column *col(const cv_table *t, const char *name)
{
    cv_error err;
    const cv_column *c = cv_table_col(t, name, &err);
    if (!c)
        fail_msg("%s", err.msg);
    return c;
}

static int64_t ival(const cv_table *t, const char *name, int64_t i)
{
    const cv_column *c = col(t, name);
    assert_true(cv_column_is_valid(c, i));
    return c->type == CV_INT64 ? cv_column_int(c, i) : cv_column_i32(c, i);
}

static double fval(const cv_table *t, const char *name, int64_t i)
{
    const cv_column *c = col(t, name);
    return cv_column_is_valid(c, i) ? cv_column_float(c, i) : NAN;
}

/* ---- Calendar -------------------------------------------------------------------------- */

static void test_summary_time_units(void **state)
{
    (void)state;
    /* 1997-01-01 -> 1997-09-30 is 272 days (31+28+31+30+31+30+31+31+29) */
    assert_float_equal(cv_time_between(D("1997-01-01"), D("1997-09-30"), CV_UNIT_DAY), 272, EPS);
    assert_float_equal(cv_time_between(D("1997-01-01"), D("1997-09-30"), CV_UNIT_WEEK), 272.0 / 7,
                       EPS);
    /* 8 whole months to 09-01, then 29 of September's 30 days */
    assert_float_equal(cv_time_between(D("1997-01-01"), D("1997-09-30"), CV_UNIT_MONTH),
                       8 + 29.0 / 30, EPS);
    assert_float_equal(cv_time_between(D("1997-01-01"), D("1997-09-30"), CV_UNIT_YEAR),
                       (8 + 29.0 / 30) / 12, EPS);
    assert_float_equal(cv_time_between(D("2020-01-01"), D("2020-07-01"), CV_UNIT_YEAR), 0.5, EPS);
    assert_float_equal(cv_time_between(D("2019-03-05"), D("2021-03-05"), CV_UNIT_YEAR), 2, EPS);
    /* reversed order gives the negative */
    assert_float_equal(cv_time_between(D("1997-02-15"), D("1997-01-15"), CV_UNIT_MONTH), -1, EPS);
    assert_float_equal(cv_time_between(D("1997-03-03"), D("1997-03-03"), CV_UNIT_MONTH), 0, EPS);
    cv_time_unit u;
    assert_int_equal(cv_time_unit_parse("week", &u), 0);
    assert_int_equal(u, CV_UNIT_WEEK);
    assert_int_equal(cv_time_unit_parse("weeks", &u), -1); /* singular only, as the options */
    assert_int_equal(cv_time_unit_parse("fortnight", &u), -1);
    assert_string_equal(cv_time_unit_name(CV_UNIT_MONTH), "month");
}

static void test_summary_month_end(void **state)
{
    (void)state;
    /* Jan 31 + 1 month = Feb 28 (clamped): exactly one month */
    assert_float_equal(cv_time_between(D("1997-01-31"), D("1997-02-28"), CV_UNIT_MONTH), 1, EPS);
    /* leap year: Jan 31 + 1 month = Feb 29, so Feb 28 is 28 of the 29 days to it */
    assert_float_equal(cv_time_between(D("2000-01-31"), D("2000-02-29"), CV_UNIT_MONTH), 1, EPS);
    assert_float_equal(cv_time_between(D("2000-01-31"), D("2000-02-28"), CV_UNIT_MONTH), 28.0 / 29,
                       EPS);
    /* Jan 31 -> Mar 1: 1 month to Feb 28, then 1 day of the 31 to Mar 31 */
    assert_float_equal(cv_time_between(D("1997-01-31"), D("1997-03-01"), CV_UNIT_MONTH),
                       1 + 1.0 / 31, EPS);
    /* months count from the anchor, not step by step: Jan 31 + 2 months = Mar 31 */
    assert_float_equal(cv_time_between(D("1997-01-31"), D("1997-03-31"), CV_UNIT_MONTH), 2, EPS);
    assert_float_equal(cv_time_between(D("1997-01-31"), D("1997-03-28"), CV_UNIT_MONTH),
                       1 + 28.0 / 31, EPS);
    /* Jan 15 -> Feb 15 is one month though January has 31 days and February 28 */
    assert_float_equal(cv_time_between(D("1997-01-15"), D("1997-02-15"), CV_UNIT_MONTH), 1, EPS);
    /* half of February 1997 (14 of 28 days) */
    assert_float_equal(cv_time_between(D("1997-02-01"), D("1997-02-15"), CV_UNIT_MONTH), 0.5, EPS);
    /* across a year end: Nov 30 -> Feb 28 = 3 months (Feb clamps 30 to 28) */
    assert_float_equal(cv_time_between(D("1996-11-30"), D("1997-02-28"), CV_UNIT_MONTH), 3, EPS);
    /* Feb 29 -> Feb 28 of the next year is one year */
    assert_float_equal(cv_time_between(D("2020-02-29"), D("2021-02-28"), CV_UNIT_YEAR), 1, EPS);
}

/* ---- Hand-made transactions ------------------------------------------------------------ */

/* CDNOW_sample customer 1's four purchases (from the file), plus customer 7 who bought
   twice on 1997-03-01 and once on 1997-03-15, customer 3 with one purchase on the
   calibration end day, and customer 9 first seen in the holdout. */
static const int64_t h_ids[] = {1, 7, 1, 3, 7, 1, 9, 7, 1};
static const char *const h_dates[] = {"1997-01-01", "1997-03-01", "1997-01-18",
                                      "1997-09-30", "1997-03-01", "1997-08-02",
                                      "1997-11-11", "1997-03-15", "1997-12-12"};
static const double h_amts[] = {29.33, 10, 29.73, 5, 2.5, 14.96, 99, 20, 26.48};
#define H_N 9

static void test_summary_hand_weeks(void **state)
{
    (void)state;
    cv_table *tx = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    cv_summary_options o = base_opts();
    o.unit = CV_UNIT_WEEK;
    o.calibration_end = D("1997-09-30");
    o.calibration_end_set = 1;
    o.observation_end = D("1998-06-30");
    o.observation_end_set = 1;
    cv_summary_report rep;
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, &rep, &err);
    if (!s)
        fail_msg("%s", err.msg);
    assert_int_equal(s->nrows, 3); /* 1, 3, 7; customer 9 is excluded */
    static const char *const want[] = {"customer",
                                       "first",
                                       "last",
                                       "orders",
                                       "x",
                                       "t_x",
                                       "T",
                                       "days_since_last",
                                       "mean_repeat_spend",
                                       "mean_spend",
                                       "revenue",
                                       "x_holdout",
                                       "spend_holdout"};
    assert_int_equal(s->ncols, 13);
    for (int k = 0; k < 13; k++)
        assert_string_equal(s->cols[k]->name, want[k]);
    assert_int_equal(col(s, "customer")->type, CV_INT64);
    assert_int_equal(col(s, "first")->type, CV_DATE);

    /* customer 1: 1997-01-01, 01-18, 08-02 in calibration, 12-12 in the holdout */
    assert_int_equal(ival(s, "customer", 0), 1);
    assert_int_equal(ival(s, "first", 0), D("1997-01-01"));
    assert_int_equal(ival(s, "last", 0), D("1997-08-02"));
    assert_int_equal(ival(s, "orders", 0), 3);
    assert_int_equal(ival(s, "x", 0), 2);
    assert_float_equal(fval(s, "t_x", 0), 213.0 / 7, EPS); /* 30.43 published */
    assert_float_equal(fval(s, "T", 0), 272.0 / 7, EPS);   /* 38.86 published */
    assert_int_equal(ival(s, "days_since_last", 0), 59);   /* Aug 2 -> Sep 30 */
    assert_float_equal(fval(s, "mean_repeat_spend", 0), (29.73 + 14.96) / 2, EPS);
    assert_float_equal(fval(s, "mean_spend", 0), (29.33 + 29.73 + 14.96) / 3, EPS);
    assert_float_equal(fval(s, "revenue", 0), 74.02, EPS);
    assert_int_equal(ival(s, "x_holdout", 0), 1);
    assert_float_equal(fval(s, "spend_holdout", 0), 26.48, EPS);

    /* customer 3: one purchase on the calibration end day (inclusive) */
    assert_int_equal(ival(s, "customer", 1), 3);
    assert_int_equal(ival(s, "x", 1), 0);
    assert_float_equal(fval(s, "t_x", 1), 0, EPS);
    assert_float_equal(fval(s, "T", 1), 0, EPS);
    assert_int_equal(ival(s, "days_since_last", 1), 0);
    assert_true(isnan(fval(s, "mean_repeat_spend", 1))); /* missing when x = 0 */
    assert_float_equal(fval(s, "mean_spend", 1), 5, EPS);
    assert_int_equal(ival(s, "x_holdout", 1), 0);
    assert_float_equal(fval(s, "spend_holdout", 1), 0, EPS);

    /* customer 7: 10 + 2.5 on 03-01 merge into one transaction of 12.5, then 20 on 03-15 */
    assert_int_equal(ival(s, "customer", 2), 7);
    assert_int_equal(ival(s, "orders", 2), 2);
    assert_int_equal(ival(s, "x", 2), 1);
    assert_float_equal(fval(s, "t_x", 2), 2, EPS);
    assert_float_equal(fval(s, "T", 2), 213.0 / 7, EPS); /* Mar 1 -> Sep 30 = 213 days */
    assert_float_equal(fval(s, "mean_repeat_spend", 2), 20, EPS);
    assert_float_equal(fval(s, "mean_spend", 2), 32.5 / 2, EPS);
    assert_float_equal(fval(s, "revenue", 2), 32.5, EPS);

    assert_int_equal(rep.rows, 9);
    assert_int_equal(rep.customers, 3);
    assert_int_equal(rep.excluded_late, 1);
    assert_int_equal(rep.merged_rows, 1);
    assert_int_equal(rep.transactions, 3 + 1 + 2);
    assert_int_equal(rep.calibration_end, D("1997-09-30"));
    assert_float_equal(rep.holdout_length, 39, EPS); /* 273 days */
    assert_int_equal(rep.passes, 1);                 /* every customer's rows are in date order */
    assert_int_equal(rep.unsorted_customers, 0);
    cv_table_free(s);
    cv_table_free(tx);
}

/* Every column of two summaries equal, value for value (missing where missing). */
static void assert_same_table(const cv_table *a, const cv_table *b)
{
    assert_int_equal(a->ncols, b->ncols);
    assert_int_equal(a->nrows, b->nrows);
    for (int k = 0; k < a->ncols; k++) {
        const cv_column *x = a->cols[k], *y = b->cols[k];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->type, y->type);
        for (int64_t i = 0; i < a->nrows; i++) {
            assert_int_equal(cv_column_is_valid(x, i), cv_column_is_valid(y, i));
            if (!cv_column_is_valid(x, i))
                continue;
            if (x->type == CV_STRING) {
                assert_string_equal(cv_column_string(x, i, NULL), cv_column_string(y, i, NULL));
            } else if (x->type == CV_FLOAT64) {
                double u = cv_column_float(x, i), v = cv_column_float(y, i);
                if (fabs(u - v) > 1e-9 * (1 + fabs(u)))
                    fail_msg("column %s row %lld: %.17g != %.17g", x->name, (long long)i, u, v);
            } else {
                assert_true(cv_column_number(x, i) == cv_column_number(y, i));
            }
        }
    }
}

static void test_summary_unsorted_rows(void **state)
{
    (void)state;
    /* the hand rows reversed: every customer with two or more days is out of order */
    int64_t ids[H_N];
    const char *dates[H_N];
    double amts[H_N];
    for (int i = 0; i < H_N; i++) {
        ids[i] = h_ids[H_N - 1 - i];
        dates[i] = h_dates[H_N - 1 - i];
        amts[i] = h_amts[H_N - 1 - i];
    }
    cv_table *fwd = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    cv_table *rev = tx_int(H_N, ids, dates, amts, NULL);
    cv_summary_options o = base_opts();
    o.unit = CV_UNIT_WEEK;
    o.calibration_end = D("1997-09-30");
    o.calibration_end_set = 1;
    o.observation_end = D("1998-06-30");
    o.observation_end_set = 1;
    cv_summary_report r1, r2;
    cv_error err = {0};
    cv_table *a = cv_summary_table(fwd, &o, &r1, &err);
    cv_table *b = cv_summary_table(rev, &o, &r2, &err);
    assert_non_null(a);
    assert_non_null(b);
    assert_same_table(a, b);
    assert_int_equal(r2.unsorted_customers, 2); /* 1 and 7 */
    assert_int_equal(r2.passes, 1);             /* out of order from the start: days were logged */
    assert_int_equal(r2.merged_rows, 1);
    /* customer 7 reversed: 20 on 03-15 first, then 2.5 and 10 on 03-01 (the first day) */
    assert_int_equal(ival(b, "orders", 2), 2);
    assert_float_equal(fval(b, "mean_repeat_spend", 2), 20, EPS);
    cv_table_free(a);
    cv_table_free(b);
    cv_table_free(fwd);
    cv_table_free(rev);
}

static void test_summary_split_same_day(void **state)
{
    (void)state;
    cv_table *tx = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    cv_summary_options o = base_opts();
    o.calibration_end = D("1997-09-30");
    o.calibration_end_set = 1;
    o.split_same_day = 1;
    cv_summary_report rep;
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, &rep, &err);
    assert_non_null(s);
    assert_int_equal(s->ncols, 11); /* no holdout columns without an observation end */
    /* customer 7: three transactions, the first is the first row of 03-01 (10) */
    assert_int_equal(ival(s, "orders", 2), 3);
    assert_int_equal(ival(s, "x", 2), 2);
    assert_float_equal(fval(s, "mean_repeat_spend", 2), (2.5 + 20) / 2, EPS);
    assert_float_equal(fval(s, "t_x", 2), 14, EPS); /* unit day */
    assert_int_equal(rep.merged_rows, 0);
    /* without an observation end, rows after the calibration end are ignored and counted;
       customer 9, seen only then, is left out and counted */
    assert_int_equal(rep.rows_after_end, 2);
    assert_int_equal(rep.excluded_late, 1);
    cv_table_free(s);
    cv_table_free(tx);
}

static void test_summary_units_month_year(void **state)
{
    (void)state;
    cv_table *tx = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    cv_summary_options o = base_opts();
    o.unit = CV_UNIT_MONTH;
    o.calibration_end = D("1997-09-30");
    o.calibration_end_set = 1;
    o.observation_end = D("1998-06-30");
    o.observation_end_set = 1;
    cv_summary_report rep;
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, &rep, &err);
    assert_non_null(s);
    /* customer 1: Jan 1 -> Aug 2 = 7 months + 1 of August's 31 days */
    assert_float_equal(fval(s, "t_x", 0), 7 + 1.0 / 31, EPS);
    assert_float_equal(fval(s, "T", 0), 8 + 29.0 / 30, EPS);
    /* customer 7: Mar 1 -> Mar 15 = 14 of March's 31 days; Mar 1 -> Sep 30 = 6 + 29/30 */
    assert_float_equal(fval(s, "t_x", 2), 14.0 / 31, EPS);
    assert_float_equal(fval(s, "T", 2), 6 + 29.0 / 30, EPS);
    /* Sep 30 -> Jun 30 = 9 months */
    assert_float_equal(rep.holdout_length, 9, EPS);
    cv_table_free(s);
    o.unit = CV_UNIT_YEAR;
    s = cv_summary_table(tx, &o, &rep, &err);
    assert_non_null(s);
    assert_float_equal(fval(s, "T", 0), (8 + 29.0 / 30) / 12, EPS);
    assert_float_equal(rep.holdout_length, 0.75, EPS);
    cv_table_free(s);
    cv_table_free(tx);
}

static void test_summary_default_calibration_end(void **state)
{
    (void)state;
    cv_table *tx = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    cv_summary_options o = base_opts();
    cv_summary_report rep;
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, &rep, &err);
    assert_non_null(s);
    /* calibration end = the last purchase, 1997-12-12; customer 9 (1997-11-11) is in */
    assert_int_equal(rep.calibration_end, D("1997-12-12"));
    assert_int_equal(s->nrows, 4);
    assert_int_equal(ival(s, "orders", 0), 4);
    assert_float_equal(fval(s, "T", 0), 345, EPS); /* Jan 1 -> Dec 12 */
    assert_int_equal(ival(s, "customer", 3), 9);
    assert_int_equal(ival(s, "days_since_last", 3), 31);
    assert_int_equal(rep.excluded_late, 0);
    cv_table_free(s);
    cv_table_free(tx);
}

static void test_summary_margin(void **state)
{
    (void)state;
    static const int64_t ids[] = {5, 5, 5};
    static const char *const dates[] = {"2020-01-01", "2020-01-01", "2020-02-01"};
    static const double amts[] = {100, 50, 80}, costs[] = {60, 20, 100};
    cv_table *tx = tx_int(3, ids, dates, amts, costs);
    cv_summary_options o = base_opts();
    o.cost = "cost";
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, NULL, &err);
    assert_non_null(s);
    assert_float_equal(fval(s, "margin", 0), 40 + 30 - 20, EPS);
    assert_float_equal(fval(s, "revenue", 0), 230, EPS);
    assert_float_equal(fval(s, "mean_repeat_spend", 0), 80, EPS);
    cv_table_free(s);

    o.cost = NULL;
    o.margin_rate = 0.25;
    o.margin_rate_set = 1;
    s = cv_summary_table(tx, &o, NULL, &err);
    assert_non_null(s);
    assert_float_equal(fval(s, "margin", 0), 57.5, EPS);
    cv_table_free(s);

    o.margin = "cost"; /* a column of margins (here the cost column read as margins) */
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_string_equal(err.msg, "give one of cost, margin and margin_rate, not several");
    o.margin_rate_set = 0;
    s = cv_summary_table(tx, &o, NULL, &err);
    assert_non_null(s);
    assert_float_equal(fval(s, "margin", 0), 180, EPS);
    cv_table_free(s);
    cv_table_free(tx);
}

static void test_summary_string_ids(void **state)
{
    (void)state;
    static const char *const ids[] = {"b", "a10", "a9", "b", "a10"};
    static const int32_t days[] = {10, 11, 12, 17, 11};
    cv_table *tx = cv_table_new();
    cv_column *id = cv_column_new("id", CV_STRING, 5);
    cv_column *date = cv_column_new("date", CV_DATE, 5);
    cv_column *amt = cv_column_new("amount", CV_INT64, 5);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(cv_column_push_string(id, ids[i], strlen(ids[i])), 0);
        assert_int_equal(cv_column_push_i32(date, days[i]), 0);
        assert_int_equal(cv_column_push_int(amt, i + 1), 0);
    }
    assert_int_equal(cv_table_add(tx, id, NULL), 0);
    assert_int_equal(cv_table_add(tx, date, NULL), 0);
    assert_int_equal(cv_table_add(tx, amt, NULL), 0);
    cv_column_unref(id);
    cv_column_unref(date);
    cv_column_unref(amt);
    cv_summary_options o = base_opts();
    o.unit = CV_UNIT_WEEK;
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, NULL, &err);
    assert_non_null(s);
    const cv_column *c = col(s, "customer");
    assert_int_equal(c->type, CV_STRING);
    assert_int_equal(s->nrows, 3);
    /* by bytes: "a10" < "a9" < "b" */
    assert_string_equal(cv_column_string(c, 0, NULL), "a10");
    assert_string_equal(cv_column_string(c, 1, NULL), "a9");
    assert_string_equal(cv_column_string(c, 2, NULL), "b");
    assert_int_equal(ival(s, "orders", 0), 1); /* two rows on day 11 */
    assert_float_equal(fval(s, "revenue", 0), 2 + 5, EPS);
    assert_float_equal(fval(s, "t_x", 2), 1, EPS);     /* days 10 -> 17 */
    assert_float_equal(fval(s, "T", 1), 5.0 / 7, EPS); /* day 12 -> 17 */
    cv_table_free(s);
    cv_table_free(tx);
}

static void test_summary_datetime_dates(void **state)
{
    (void)state;
    cv_table *tx = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, 3);
    cv_column *ts = cv_column_new("date", CV_DATETIME, 3);
    cv_column *amt = cv_column_new("amount", CV_FLOAT64, 3);
    /* 1970-01-02 08:00, 1970-01-02 23:59 (same day: merged), 1970-01-09 00:00 */
    static const int64_t secs[] = {86400 + 8 * 3600, 2 * 86400 - 60, 8 * 86400};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(cv_column_push_int(id, 1), 0);
        assert_int_equal(cv_column_push_int(ts, secs[i]), 0);
        assert_int_equal(cv_column_push_float(amt, 1), 0);
    }
    assert_int_equal(cv_table_add(tx, id, NULL), 0);
    assert_int_equal(cv_table_add(tx, ts, NULL), 0);
    assert_int_equal(cv_table_add(tx, amt, NULL), 0);
    cv_column_unref(id);
    cv_column_unref(ts);
    cv_column_unref(amt);
    cv_summary_options o = base_opts();
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, NULL, &err);
    assert_non_null(s);
    assert_int_equal(ival(s, "first", 0), 1);
    assert_int_equal(ival(s, "orders", 0), 2);
    assert_float_equal(fval(s, "t_x", 0), 7, EPS);
    cv_table_free(s);
    cv_table_free(tx);
}

/* Random transactions in random order against a direct count: for every customer, its
   distinct days and per-day amounts found by scanning all rows (quadratic, obviously
   right). 10,000 rows span several internal chunks; customers interleave. */
static void test_summary_random_against_direct(void **state)
{
    (void)state;
    enum { N = 10000, NC = 300 };
    static int64_t ids[N];
    static int32_t days[N];
    static double amts[N];
    uint64_t r = 12345;
    for (int i = 0; i < N; i++) {
        r = r * 6364136223846793005ULL + 1442695040888963407ULL;
        ids[i] = (int64_t)(r >> 33) % NC * 3 - 400; /* negative ids too */
        days[i] = 10000 + (int32_t)((r >> 20) % 120);
        amts[i] = (double)((r >> 45) % 10000) / 100;
    }
    cv_table *tx = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, N), *date = cv_column_new("date", CV_DATE, N),
              *amt = cv_column_new("amount", CV_FLOAT64, N);
    for (int i = 0; i < N; i++) {
        cv_column_push_int(id, ids[i]);
        cv_column_push_i32(date, days[i]);
        cv_column_push_float(amt, amts[i]);
    }
    cv_table_add(tx, id, NULL);
    cv_table_add(tx, date, NULL);
    cv_table_add(tx, amt, NULL);
    cv_column_unref(id);
    cv_column_unref(date);
    cv_column_unref(amt);
    for (int split = 0; split <= 1; split++) {
        cv_summary_options o = base_opts();
        o.calibration_end = 10060;
        o.calibration_end_set = 1;
        o.observation_end = 10100;
        o.observation_end_set = 1;
        o.split_same_day = split;
        cv_summary_report rep;
        cv_error err = {0};
        cv_table *s = cv_summary_table(tx, &o, &rep, &err);
        assert_non_null(s);
        assert_int_equal(rep.passes, 1);
        int64_t row = 0, late = 0;
        for (int64_t c = -400; c < NC * 3 - 400; c += 3) {
            /* the direct way: first day, its amount (merged or the first row), counts */
            int32_t first = INT32_MAX, last = INT32_MIN;
            double first_amt = 0, rev = 0, hold = 0;
            int64_t ncal = 0, nhold = 0, any = 0;
            for (int i = 0; i < N; i++) {
                any += ids[i] == c;
                if (ids[i] != c || days[i] > o.observation_end)
                    continue;
                int seen = 0; /* an earlier row of the same customer and day */
                for (int j = 0; j < i && !split && !seen; j++)
                    seen = ids[j] == c && days[j] == days[i];
                if (days[i] <= o.calibration_end) {
                    ncal += !seen;
                    rev += amts[i];
                    if (days[i] < first) {
                        first = days[i];
                        first_amt = amts[i];
                    } else if (days[i] == first && !split) {
                        first_amt += amts[i];
                    }
                    if (days[i] > last)
                        last = days[i];
                } else {
                    nhold += !seen;
                    hold += amts[i];
                }
            }
            if (ncal == 0) {
                late += any > 0; /* seen, but only after the calibration end */
                continue;
            }
            assert_int_equal(ival(s, "customer", row), c);
            assert_int_equal(ival(s, "first", row), first);
            assert_int_equal(ival(s, "x", row), ncal - 1);
            assert_float_equal(fval(s, "t_x", row), last - first, EPS);
            assert_float_equal(fval(s, "T", row), o.calibration_end - first, EPS);
            assert_float_equal(fval(s, "revenue", row), rev, 1e-9);
            if (ncal > 1)
                assert_float_equal(fval(s, "mean_repeat_spend", row),
                                   (rev - first_amt) / (double)(ncal - 1), 1e-9);
            assert_int_equal(ival(s, "x_holdout", row), nhold);
            assert_float_equal(fval(s, "spend_holdout", row), hold, 1e-9);
            row++;
        }
        assert_int_equal(s->nrows, row);
        assert_int_equal(rep.excluded_late, late);
        cv_table_free(s);
    }
    cv_table_free(tx);
}

/* A long run of rows in order (the summary stops keeping days after 65,536 of them),
   then a customer going back in time: a second pass recounts that customer. The same rows
   reversed are out of order from the start (kept days, one pass). Both agree with the
   counts known by construction. */
static void test_summary_late_disorder_second_pass(void **state)
{
    (void)state;
    enum { NC = 7000, K = 10, N = NC * K + 3 };
    static int64_t ids[N];
    static int32_t days[N];
    for (int c = 0; c < NC; c++)
        for (int k = 0; k < K; k++) {
            ids[c * K + k] = c;
            days[c * K + k] = 20000 + 2 * k; /* days 0, 2, ..., 18 after 20000 */
        }
    ids[N - 3] = 5, days[N - 3] = 19999; /* before customer 5's first day */
    ids[N - 2] = 5, days[N - 2] = 20004; /* again on an existing day: merged */
    ids[N - 1] = 7000, days[N - 1] = 20001;
    for (int rev = 0; rev <= 1; rev++) {
        cv_table *tx = cv_table_new();
        cv_column *id = cv_column_new("id", CV_INT64, N), *date = cv_column_new("date", CV_DATE, N),
                  *amt = cv_column_new("amount", CV_FLOAT64, N);
        for (int i = 0; i < N; i++) {
            int j = rev ? N - 1 - i : i;
            cv_column_push_int(id, ids[j]);
            cv_column_push_i32(date, days[j]);
            cv_column_push_float(amt, 1);
        }
        cv_table_add(tx, id, NULL);
        cv_table_add(tx, date, NULL);
        cv_table_add(tx, amt, NULL);
        cv_column_unref(id);
        cv_column_unref(date);
        cv_column_unref(amt);
        cv_summary_options o = base_opts();
        cv_summary_report rep;
        cv_error err = {0};
        cv_table *s = cv_summary_table(tx, &o, &rep, &err);
        assert_non_null(s);
        assert_int_equal(rep.passes, rev ? 1 : 2);
        assert_int_equal(rep.unsorted_customers, rev ? NC : 1);
        assert_int_equal(s->nrows, NC + 1);
        assert_int_equal(ival(s, "orders", 4), K);
        assert_int_equal(ival(s, "orders", 5), K + 1);
        assert_int_equal(ival(s, "first", 5), 19999);
        assert_float_equal(fval(s, "revenue", 5), K + 2, EPS);
        assert_float_equal(fval(s, "mean_repeat_spend", 5), (K + 1.0) / K, EPS);
        assert_int_equal(ival(s, "orders", NC), 1);
        assert_int_equal(rep.merged_rows, 1);
        assert_int_equal(rep.transactions, NC * K + 2);
        cv_table_free(s);
        cv_table_free(tx);
    }
}

/* ---- Errors ------------------------------------------------------------------------------ */

static void test_summary_error_missing_column(void **state)
{
    (void)state;
    cv_table *tx = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    cv_summary_options o = base_opts();
    o.amount = "dollars";
    cv_error err = {0};
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_string_equal(err.msg, "no column 'dollars' (columns: id, date, amount)");
    cv_table_free(tx);
}

static void test_summary_error_not_a_date(void **state)
{
    (void)state;
    cv_table *tx = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    cv_summary_options o = base_opts();
    o.date = "amount";
    cv_error err = {0};
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, "date column 'amount' is float, expected a date or datetime "
                                 "(read it with the type date)");
    o = base_opts();
    o.customer = "amount";
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_string_equal(err.msg, "customer column 'amount' is float, expected int or string ids");
    cv_table_free(tx);
}

static void test_summary_error_missing_and_negative(void **state)
{
    (void)state;
    static const int64_t ids[] = {1, 2, 2, 3};
    static const char *const dates[] = {"2020-01-01", "2020-01-02", NULL, "2020-01-05"};
    double amts[] = {1, 2, 3, NAN};
    cv_table *tx = tx_int(4, ids, dates, amts, NULL);
    cv_summary_options o = base_opts();
    cv_summary_report rep;
    cv_error err = {0};
    assert_null(cv_summary_table(tx, &o, &rep, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg,
                        "row 3: missing value in column 'date' (skip_missing drops such rows)");
    o.skip_missing = 1;
    cv_table *s = cv_summary_table(tx, &o, &rep, &err);
    assert_non_null(s);
    assert_int_equal(rep.skipped_missing, 2);
    assert_int_equal(s->nrows, 2);
    cv_table_free(s);
    cv_table_free(tx);

    amts[3] = -4.5;
    tx = tx_int(4, ids, dates, amts, NULL);
    assert_null(cv_summary_table(tx, &o, &rep, &err));
    assert_int_equal(err.code, CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "row 4: negative amount -4.5 in column 'amount' "
                                 "(allow_negative accepts returns)");
    o.allow_negative = 1;
    s = cv_summary_table(tx, &o, &rep, &err);
    assert_non_null(s);
    assert_float_equal(fval(s, "revenue", 2), -4.5, EPS);
    cv_table_free(s);
    cv_table_free(tx);
}

static void test_summary_error_empty_and_dates(void **state)
{
    (void)state;
    cv_table *empty = tx_int(0, NULL, NULL, NULL, NULL);
    cv_summary_options o = base_opts();
    cv_error err = {0};
    assert_null(cv_summary_table(empty, &o, NULL, &err));
    assert_string_equal(err.msg, "no transactions to summarize");
    cv_table_free(empty);
    cv_table *none = cv_table_new();
    assert_null(cv_summary_table(none, &o, NULL, &err));
    assert_string_equal(err.msg, "no transactions to summarize");
    cv_table_free(none);

    cv_table *tx = tx_int(H_N, h_ids, h_dates, h_amts, NULL);
    o.calibration_end = D("1996-12-31");
    o.calibration_end_set = 1;
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_string_equal(err.msg,
                        "calibration end 1996-12-31 is before the first purchase 1997-01-01");
    o.calibration_end = D("1997-09-30");
    o.observation_end = D("1997-09-29");
    o.observation_end_set = 1;
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_string_equal(err.msg,
                        "observation end 1997-09-29 is before the calibration end 1997-09-30");
    o.calibration_end_set = 0;
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_string_equal(err.msg, "an observation end needs a calibration end");
    o = base_opts();
    o.customer = NULL;
    assert_null(cv_summary_table(tx, &o, NULL, &err));
    assert_string_equal(err.msg, "the customer, date and amount columns must be given");
    cv_table_free(tx);
}

/* ---- CDNOW ---------------------------------------------------------------------------- */

#define CDNOW_SAMPLE data_path("CDNOW_sample.txt")
#define CDNOW_PUBLISHED data_path("cdnow_customers_summary_with_transactions.csv")

/* Reads CDNOW_sample.txt with sscanf (not with cvkit's reader): id = field 2, date =
   field 3 (YYYYMMDD), amount = field 5. NULL when the shared data is not there. */
static cv_table *cdnow_by_hand(void)
{
    FILE *f = fopen(CDNOW_SAMPLE, "r");
    if (!f)
        return NULL;
    cv_table *t = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, 7000);
    cv_column *date = cv_column_new("date", CV_DATE, 7000);
    cv_column *amt = cv_column_new("amount", CV_FLOAT64, 7000);
    char line[256];
    long master, sample, ymd, cds;
    double dollars;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(
            sscanf(line, "%ld %ld %ld %ld %lf", &master, &sample, &ymd, &cds, &dollars), 5);
        assert_int_equal(cv_column_push_int(id, sample), 0);
        assert_int_equal(
            cv_column_push_i32(date, cv_days_from_civil((int)(ymd / 10000), (int)(ymd / 100 % 100),
                                                        (int)(ymd % 100))),
            0);
        assert_int_equal(cv_column_push_float(amt, dollars), 0);
    }
    fclose(f);
    assert_int_equal(cv_table_add(t, id, NULL), 0);
    assert_int_equal(cv_table_add(t, date, NULL), 0);
    assert_int_equal(cv_table_add(t, amt, NULL), 0);
    cv_column_unref(id);
    cv_column_unref(date);
    cv_column_unref(amt);
    assert_int_equal(t->nrows, 6919);
    return t;
}

static cv_summary_options cdnow_opts(void)
{
    cv_summary_options o = base_opts();
    o.unit = CV_UNIT_WEEK;
    o.calibration_end = cv_days_from_civil(1997, 9, 30);
    o.calibration_end_set = 1;
    o.observation_end = cv_days_from_civil(1998, 6, 30);
    o.observation_end_set = 1;
    return o;
}

/* Checks a CDNOW summary against the published numbers and, row by row, against the
   published file (printed to 2 decimals: agreement within half a unit of the last
   digit). The file's zbar is 0.00 where x = 0; ours is missing there. */
static void check_cdnow(const cv_table *s, const cv_summary_report *rep)
{
    assert_int_equal(s->nrows, 2357);
    assert_int_equal(rep->customers, 2357);
    assert_int_equal(rep->excluded_late, 0);
    int64_t zeros = 0, sumx = 0;
    for (int64_t i = 0; i < s->nrows; i++) {
        zeros += ival(s, "x", i) == 0;
        sumx += ival(s, "x", i);
    }
    assert_int_equal(zeros, 1411);
    assert_int_equal(sumx, 2457);
    assert_int_equal(ival(s, "customer", 0), 1);
    assert_int_equal(ival(s, "x", 0), 2);
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f %.2f", fval(s, "t_x", 0), fval(s, "T", 0));
    assert_string_equal(buf, "30.43 38.86");

    FILE *f = fopen(CDNOW_PUBLISHED, "r");
    assert_non_null(f);
    char line[256];
    assert_non_null(fgets(line, sizeof line, f));
    assert_int_equal(strncmp(line, "ID,x,t_x,T,zbar", 15), 0); /* CRLF line ends */
    int64_t n = 0;
    long id, x;
    double tx, T, zbar;
    const double half = 0.005 + 1e-9;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(sscanf(line, "%ld,%ld,%lf,%lf,%lf", &id, &x, &tx, &T, &zbar), 5);
        assert_true(n < s->nrows);
        assert_int_equal(ival(s, "customer", n), id);
        assert_int_equal(ival(s, "x", n), x);
        if (fabs(fval(s, "t_x", n) - tx) > half || fabs(fval(s, "T", n) - T) > half)
            fail_msg("customer %ld: t_x %.4f T %.4f, published %.2f %.2f", id, fval(s, "t_x", n),
                     fval(s, "T", n), tx, T);
        double z = fval(s, "mean_repeat_spend", n);
        if (x == 0)
            assert_true(isnan(z) && zbar == 0);
        else if (fabs(z - zbar) > half)
            fail_msg("customer %ld: zbar %.4f, published %.2f", id, z, zbar);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 2357);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void test_summary_cdnow_published(void **state)
{
    (void)state;
    cv_table *tx = cdnow_by_hand();
    if (!tx)
        skip();
    cv_summary_options o = cdnow_opts();
    cv_summary_report rep;
    cv_error err = {0};
    cv_table *s = cv_summary_table(tx, &o, &rep, &err);
    if (!s)
        fail_msg("%s", err.msg);
    check_cdnow(s, &rep);
    assert_int_equal(rep.rows, 6919);
    assert_int_equal(rep.passes, 1);
    assert_float_equal(rep.holdout_length, 39, EPS);

    /* holdout, counted another way: the distinct (customer, day) pairs of the rows in
       (1997-09-30, 1998-06-30] as customer * 100000 + day, sorted; and the amounts summed */
    const cv_column *id = col(tx, "id"), *date = col(tx, "date"), *amt = col(tx, "amount");
    int64_t *pairs = malloc((size_t)tx->nrows * sizeof *pairs), np = 0;
    double spend = 0;
    for (int64_t i = 0; i < tx->nrows; i++) {
        int32_t d = cv_column_i32(date, i);
        if (d > o.calibration_end && d <= o.observation_end) {
            pairs[np++] = cv_column_int(id, i) * 100000 + d;
            spend += cv_column_float(amt, i);
        }
    }
    qsort(pairs, (size_t)np, sizeof *pairs, cmp_i64);
    int64_t distinct = 0;
    for (int64_t k = 0; k < np; k++)
        distinct += k == 0 || pairs[k] != pairs[k - 1];
    free(pairs);
    int64_t xh = 0;
    double sh = 0;
    for (int64_t i = 0; i < s->nrows; i++) {
        xh += ival(s, "x_holdout", i);
        sh += fval(s, "spend_holdout", i);
    }
    assert_int_equal(xh, distinct);
    assert_float_equal(sh, spend, 1e-6);
    /* rows merged: 6919 rows minus the distinct (customer, day) pairs */
    assert_int_equal(rep.transactions, 2357 + 2457);
    assert_int_equal(rep.merged_rows, 6919 - (2357 + 2457) - distinct);
    cv_table_free(s);
    cv_table_free(tx);
}

/* CDNOW_sample streamed by cv_summary_csv (the file is never loaded), read whole by
   cv_csv_read then summarized, and read by hand: three routes, one summary. */
static void test_summary_cdnow_streamed(void **state)
{
    (void)state;
    cv_table *hand = cdnow_by_hand();
    if (!hand)
        skip();
    cv_summary_options o = cdnow_opts();
    cv_summary_report r1, r2, r3;
    cv_error err = {0};
    cv_table *a = cv_summary_table(hand, &o, &r1, &err);
    assert_non_null(a);

    cv_csv_options co;
    memset(&co, 0, sizeof co);
    co.header = 0;
    co.delim = CV_DELIM_WHITESPACE;
    /* ids written 0001 are text unless given as int; 8-digit dates need their type */
    static const cv_csv_coltype types[] = {{"V2", CV_INT64}, {"V3", CV_DATE}};
    co.types = types;
    co.ntypes = 2;
    o.customer = "V2"; /* columns without a header are V1, V2, ... */
    o.date = "V3";
    o.amount = "V5";
    cv_table *b = cv_summary_csv(CDNOW_SAMPLE, &co, &o, &r2, &err);
    if (!b)
        fail_msg("%s", err.msg);
    check_cdnow(b, &r2);
    assert_same_table(a, b);
    cv_table *tx = cv_csv_read(CDNOW_SAMPLE, &co, NULL, &err);
    if (!tx)
        fail_msg("%s", err.msg);
    cv_table *c = cv_summary_table(tx, &o, &r3, &err);
    assert_non_null(c);
    assert_same_table(a, c);
    assert_int_equal(r2.rows, 6919);
    assert_int_equal(r2.merged_rows, r1.merged_rows);
    assert_int_equal(r3.transactions, r1.transactions);
    cv_table_free(a);
    cv_table_free(b);
    cv_table_free(c);
    cv_table_free(tx);
    cv_table_free(hand);
}

/* Writes text to a new temporary file; its path in path (at least 32 bytes). */
static void write_temp(char *path, const char *text)
{
    strcpy(path, "/tmp/cvkit_summary_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A file of 70,003 rows: in order for more than a batch, then a customer out of order,
   so the stream is read twice; the streamed summary equals the loaded one. String ids. */
static void test_summary_csv_second_pass(void **state)
{
    (void)state;
    enum { NC = 7000, K = 10 };
    size_t cap = (size_t)(NC * K + 3) * 32 + 64, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "who,day,spent\n");
    for (int c = 0; c < NC; c++)
        for (int k = 0; k < K; k++) {
            char day[16];
            cv_format_date(20000 + 2 * k, day);
            len += (size_t)snprintf(text + len, cap - len, "c%d,%s,%d.5\n", c, day, k);
        }
    /* c5 before its first day (a new transaction), then on its day 20004 (merged) */
    char d1[16], d2[16];
    cv_format_date(19999, d1);
    cv_format_date(20004, d2);
    len += (size_t)snprintf(text + len, cap - len, "c5,%s,1\nc5,%s,1\nnew,%s,2\n", d1, d2, d1);
    char path[64];
    write_temp(path, text);
    free(text);
    cv_summary_options o = base_opts();
    o.customer = "who";
    o.date = "day";
    o.amount = "spent";
    o.unit = CV_UNIT_MONTH;
    cv_csv_options co;
    memset(&co, 0, sizeof co);
    co.header = 1;
    static const cv_csv_coltype types[] = {{"day", CV_DATE}, {"who", CV_STRING}};
    co.types = types;
    co.ntypes = 2;
    cv_summary_report r1, r2;
    cv_error err = {0};
    cv_table *a = cv_summary_csv(path, &co, &o, &r1, &err);
    if (!a)
        fail_msg("%s", err.msg);
    cv_table *tx = cv_csv_read(path, &co, NULL, &err);
    assert_non_null(tx);
    cv_table *b = cv_summary_table(tx, &o, &r2, &err);
    assert_non_null(b);
    assert_same_table(a, b);
    assert_int_equal(r1.passes, 2);
    assert_int_equal(r1.unsorted_customers, 1);
    assert_int_equal(r1.rows, NC * K + 3);
    const cv_column *id = col(a, "customer");
    int64_t row = -1;
    for (int64_t i = 0; i < a->nrows; i++)
        if (strcmp(cv_column_string(id, i, NULL), "c5") == 0)
            row = i;
    assert_true(row >= 0);
    assert_int_equal(ival(a, "orders", row), K + 1);
    assert_int_equal(ival(a, "first", row), 19999);
    assert_int_equal(r1.merged_rows, 1);
    assert_string_equal(cv_column_string(id, a->nrows - 1, NULL), "new");
    assert_string_equal(cv_column_string(id, 0, NULL), "c0");
    cv_table_free(a);
    cv_table_free(b);
    cv_table_free(tx);
    remove(path);
}

/* The same with integer ids, which the stream folds in a second thread while it reads:
   two batches, then the second pass. */
static void test_summary_csv_pipelined(void **state)
{
    (void)state;
    enum { NC = 7000, K = 10 };
    size_t cap = (size_t)(NC * K + 3) * 32 + 64, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "who,day,spent\n");
    for (int k = 0; k < K; k++) /* date order, customers interleaved */
        for (int c = 0; c < NC; c++) {
            char day[16];
            cv_format_date(20000 + 2 * k, day);
            len += (size_t)snprintf(text + len, cap - len, "%d,%s,%d\n", c * 13, day, c % 7);
        }
    len += (size_t)snprintf(text + len, cap - len, "65,2024-01-01,1\n65,2025-01-01,1\n");
    char path[64];
    write_temp(path, text);
    free(text);
    cv_summary_options o = base_opts();
    o.customer = "who";
    o.date = "day";
    o.amount = "spent";
    cv_csv_options co;
    memset(&co, 0, sizeof co);
    co.header = 1;
    static const cv_csv_coltype types[] = {{"day", CV_DATE}};
    co.types = types;
    co.ntypes = 1;
    cv_summary_report r1, r2;
    cv_error err = {0};
    cv_table *a = cv_summary_csv(path, &co, &o, &r1, &err);
    if (!a)
        fail_msg("%s", err.msg);
    cv_table *tx = cv_csv_read(path, &co, NULL, &err);
    assert_non_null(tx);
    cv_table *b = cv_summary_table(tx, &o, &r2, &err);
    assert_non_null(b);
    assert_same_table(a, b);
    assert_int_equal(r1.passes, 2);
    assert_int_equal(r1.unsorted_customers, 1);
    assert_int_equal(a->nrows, NC);
    assert_int_equal(ival(a, "customer", 5), 65);
    assert_int_equal(ival(a, "orders", 5), K + 2); /* 2024-01-01 and 2025-01-01 are new days */
    assert_int_equal(ival(a, "orders", 6), K);
    cv_table_free(a);
    cv_table_free(b);
    cv_table_free(tx);
    remove(path);
}

static void test_summary_csv_errors(void **state)
{
    (void)state;
    char path[64];
    write_temp(path, "id,date,amount\n1,2020-01-01,5\n2,2020-01-02,-1\n");
    cv_summary_options o = base_opts();
    cv_error err = {0};
    assert_null(cv_summary_csv(path, NULL, &o, NULL, &err));
    char want[160];
    snprintf(want, sizeof want,
             "%s: data row 2: negative amount -1 in column 'amount' (allow_negative accepts "
             "returns)",
             path);
    assert_string_equal(err.msg, want);
    o.amount = "spent";
    assert_null(cv_summary_csv(path, NULL, &o, NULL, &err));
    assert_string_equal(err.msg, "no column 'spent' (columns: id, date, amount)");
    remove(path);
    write_temp(path, "id,date,amount\n");
    o = base_opts();
    assert_null(cv_summary_csv(path, NULL, &o, NULL, &err));
    snprintf(want, sizeof want, "%s: no transactions to summarize", path);
    assert_string_equal(err.msg, want);
    remove(path);
    assert_null(cv_summary_csv("/nonexistent/tx.csv", NULL, &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_time_units),
        cmocka_unit_test(test_summary_month_end),
        cmocka_unit_test(test_summary_hand_weeks),
        cmocka_unit_test(test_summary_unsorted_rows),
        cmocka_unit_test(test_summary_split_same_day),
        cmocka_unit_test(test_summary_units_month_year),
        cmocka_unit_test(test_summary_default_calibration_end),
        cmocka_unit_test(test_summary_margin),
        cmocka_unit_test(test_summary_string_ids),
        cmocka_unit_test(test_summary_datetime_dates),
        cmocka_unit_test(test_summary_random_against_direct),
        cmocka_unit_test(test_summary_late_disorder_second_pass),
        cmocka_unit_test(test_summary_error_missing_column),
        cmocka_unit_test(test_summary_error_not_a_date),
        cmocka_unit_test(test_summary_error_missing_and_negative),
        cmocka_unit_test(test_summary_error_empty_and_dates),
        cmocka_unit_test(test_summary_cdnow_published),
        cmocka_unit_test(test_summary_cdnow_streamed),
        cmocka_unit_test(test_summary_csv_second_pass),
        cmocka_unit_test(test_summary_csv_pipelined),
        cmocka_unit_test(test_summary_csv_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
