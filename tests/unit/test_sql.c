/* Unit tests of the database layer on SQLite (temporary files, no mock): identifier
   quoting, result types from declared types and values, bound parameters, error positions,
   writing in one transaction (a failure leaves the table as it was), and the summary
   computed in the database against hand-computed values, the calendar-month rule, and
   cv_summary_table on CDNOW row for row. PostgreSQL is tested by tests/lua/test_sql_pg.lua
   against a real server. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvkit/parse.h"
#include "cvkit/sql.h"
#include "cvkit/summary.h"
#include "data.h"

#define CDNOW_SAMPLE data_path("CDNOW_sample.txt")

static char dbpath[64];

/* A fresh SQLite file for each test. */
static int setup(void **state)
{
    snprintf(dbpath, sizeof dbpath, "/tmp/cvkit-test-sql-XXXXXX");
    int fd = mkstemp(dbpath);
    assert_true(fd >= 0);
    close(fd);
    char url[96];
    snprintf(url, sizeof url, "sqlite:%s", dbpath);
    cv_error err;
    cv_sql *db = cv_sql_connect(url, &err);
    assert_non_null(db);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    cv_sql_close(*state);
    unlink(dbpath);
    return 0;
}

static int32_t D(const char *s)
{
    int y, m, d;
    assert_int_equal(sscanf(s, "%d-%d-%d", &y, &m, &d), 3);
    return cv_days_from_civil(y, m, d);
}

static void run(cv_sql *db, const char *sql)
{
    cv_error err = {0};
    int rc = cv_sql_exec(db, sql, NULL, 0, NULL, &err);
    if (rc)
        fail_msg("%s: %s", sql, err.msg);
}

static cv_table *query(cv_sql *db, const char *sql)
{
    cv_error err = {0};
    cv_table *t = cv_sql_read(db, sql, NULL, 0, NULL, 0, &err);
    if (!t)
        fail_msg("%s: %s", sql, err.msg);
    return t;
}

static const cv_column *col(const cv_table *t, const char *name)
{
    int k = cv_table_find(t, name);
    assert_true(k >= 0);
    return t->cols[k];
}

static void assert_string(const cv_column *c, int64_t i, const char *want)
{
    assert_int_equal(c->type, CV_STRING);
    assert_string_equal(cv_column_string(c, i, NULL), want);
}

static void assert_near(double got, double want)
{
    if (!(fabs(got - want) <= 1e-12 * fmax(1, fabs(want))))
        fail_msg("expected %.17g, got %.17g", want, got);
}

/* ---- quoting, types, parameters, errors ---------------------------------------------------- */

static void test_sql_quote_ident(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(cv_sql_quote_ident("we\"ird", 0, buf, sizeof buf), 9);
    assert_string_equal(buf, "\"we\"\"ird\"");
    cv_sql_quote_ident("sales.tx", 1, buf, sizeof buf);
    assert_string_equal(buf, "\"sales\".\"tx\"");
    cv_sql_quote_ident("sales.tx", 0, buf, sizeof buf);
    assert_string_equal(buf, "\"sales.tx\"");
}

static void test_sql_sqlite_types(void **state)
{
    cv_sql *db = *state;
    run(db, "CREATE TABLE t (id INTEGER, x REAL, name TEXT, d DATE, ts TIMESTAMP, flag BOOLEAN,"
            " notdate DATE, n NUMERIC, v)");
    run(db, "INSERT INTO t VALUES (1, 2, 'a', '1997-01-01', '1997-01-01 10:30:00', 1, "
            "'soon', 3, 1)");
    run(db, "INSERT INTO t VALUES (NULL, 2.5, NULL, NULL, NULL, 0, '1997-02-03', 4.5, 'x')");
    cv_table *t = query(db, "SELECT *, id + 1 AS expr, NULL AS empty FROM t");
    assert_int_equal(t->nrows, 2);
    assert_int_equal(col(t, "id")->type, CV_INT64);
    assert_int_equal(cv_column_int(col(t, "id"), 0), 1);
    assert_false(cv_column_is_valid(col(t, "id"), 1));
    /* REAL stays float even for an integral value */
    assert_int_equal(col(t, "x")->type, CV_FLOAT64);
    assert_near(cv_column_float(col(t, "x"), 0), 2.0);
    assert_string(col(t, "name"), 0, "a");
    assert_false(cv_column_is_valid(col(t, "name"), 1));
    assert_int_equal(col(t, "d")->type, CV_DATE);
    assert_int_equal(cv_column_i32(col(t, "d"), 0), D("1997-01-01"));
    assert_int_equal(col(t, "ts")->type, CV_DATETIME);
    assert_int_equal(cv_column_int(col(t, "ts"), 0), (int64_t)D("1997-01-01") * 86400 + 37800);
    assert_int_equal(col(t, "flag")->type, CV_BOOL);
    assert_int_equal(cv_column_bool(col(t, "flag"), 0), 1);
    /* a DATE column holding something that is not a date stays text */
    assert_string(col(t, "notdate"), 0, "soon");
    assert_string(col(t, "notdate"), 1, "1997-02-03");
    /* NUMERIC holding 3 and 4.5: float */
    assert_int_equal(col(t, "n")->type, CV_FLOAT64);
    assert_near(cv_column_float(col(t, "n"), 1), 4.5);
    /* no declared type, an integer then a text: text */
    assert_string(col(t, "v"), 0, "1");
    assert_string(col(t, "v"), 1, "x");
    assert_int_equal(col(t, "expr")->type, CV_INT64);
    assert_int_equal(col(t, "empty")->type, CV_FLOAT64);
    assert_int_equal(cv_column_count_missing(col(t, "empty")), 2);
    cv_table_free(t);

    /* repeated names get suffixes */
    t = query(db, "SELECT 1 AS a, 2 AS a, 3 AS a");
    assert_string_equal(t->cols[1]->name, "a_2");
    assert_string_equal(t->cols[2]->name, "a_3");
    cv_table_free(t);
}

static void test_sql_sqlite_params(void **state)
{
    cv_sql *db = *state;
    cv_sql_param p[3] = {{.kind = CV_SQLP_INT, .i = 9007199254740993LL},
                         {.kind = CV_SQLP_TEXT, .s = "it's; DROP TABLE x"},
                         {.kind = CV_SQLP_NULL}};
    cv_error err = {0};
    /* $2 before $1: bound by number, not by position */
    cv_table *t = cv_sql_read(db, "SELECT $2 AS s, $1 AS i, $3 AS z", p, 3, NULL, 0, &err);
    assert_non_null(t);
    assert_string(col(t, "s"), 0, "it's; DROP TABLE x");
    assert_int_equal(cv_column_int(col(t, "i"), 0), 9007199254740993LL);
    assert_false(cv_column_is_valid(col(t, "z"), 0));
    cv_table_free(t);
    t = cv_sql_read(db, "SELECT ?, ?", p, 2, NULL, 0, &err);
    assert_non_null(t);
    assert_int_equal(cv_column_int(t->cols[0], 0), 9007199254740993LL);
    cv_table_free(t);
    assert_null(cv_sql_read(db, "SELECT ?1 + ?2", p, 1, NULL, 0, &err));
    assert_string_equal(err.msg, "the query uses parameter ?2 but 1 was given");
    assert_null(cv_sql_read(db, "SELECT ?1", p, 2, NULL, 0, &err));
    assert_string_equal(err.msg, "2 parameters given but the query uses 1");
}

static void test_sql_sqlite_errors(void **state)
{
    cv_sql *db = *state;
    cv_error err = {0};
    assert_null(cv_sql_read(db, "SELECT a,\n  b FORM t", NULL, 0, NULL, 0, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "sql:2:10: near \"t\": syntax error");
    /* columns count characters, not bytes */
    assert_null(cv_sql_read(db, "SELECT '\xC3\xA9t\xC3\xA9' FORM t", NULL, 0, NULL, 0, &err));
    assert_string_equal(err.msg, "sql:1:19: near \"t\": syntax error");
    assert_null(cv_sql_read(db, "SELECT * FROM nowhere", NULL, 0, NULL, 0, &err));
    assert_string_equal(err.msg, "sql: no such table: nowhere");
    assert_null(cv_sql_connect("mysql://localhost/x", &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_null(cv_sql_connect("sqlite:/nonexistent-dir/x.db", &err));
    assert_int_equal(err.code, CV_ERR_IO);
    assert_string_equal(err.msg,
                        "cannot open sqlite database '/nonexistent-dir/x.db': unable to open "
                        "database file");
}

/* ---- writing ----------------------------------------------------------------------------------
 */

/* A small table of every type, with a missing value in each column. */
static cv_table *every_type(void)
{
    cv_table *t = cv_table_new();
    cv_column *i = cv_column_new("i", CV_INT64, 3), *f = cv_column_new("f", CV_FLOAT64, 3),
              *s = cv_column_new("s", CV_STRING, 3), *d = cv_column_new("d", CV_DATE, 3),
              *ts = cv_column_new("ts", CV_DATETIME, 3), *b = cv_column_new("b", CV_BOOL, 3);
    assert_int_equal(cv_column_push_int(i, -5), 0);
    assert_int_equal(cv_column_push_int(i, INT64_MAX), 0);
    assert_int_equal(cv_column_push_missing(i), 0);
    assert_int_equal(cv_column_push_float(f, 0.1), 0);
    assert_int_equal(cv_column_push_missing(f), 0);
    assert_int_equal(cv_column_push_float(f, -1e300), 0);
    assert_int_equal(cv_column_push_string(s, "tab\there \"q\" \xE4\xB8\xAD", 17), 0);
    assert_int_equal(cv_column_push_missing(s), 0);
    assert_int_equal(cv_column_push_string(s, "", 0), 0);
    assert_int_equal(cv_column_push_i32(d, D("2024-02-29")), 0);
    assert_int_equal(cv_column_push_missing(d), 0);
    assert_int_equal(cv_column_push_i32(d, D("1969-12-31")), 0);
    assert_int_equal(cv_column_push_int(ts, (int64_t)D("2024-02-29") * 86400 + 3661), 0);
    assert_int_equal(cv_column_push_missing(ts), 0);
    assert_int_equal(cv_column_push_int(ts, 0), 0);
    assert_int_equal(cv_column_push_bool(b, 1), 0);
    assert_int_equal(cv_column_push_bool(b, 0), 0);
    assert_int_equal(cv_column_push_missing(b), 0);
    cv_column *cols[] = {i, f, s, d, ts, b};
    for (int k = 0; k < 6; k++) {
        assert_int_equal(cv_table_add(t, cols[k], NULL), 0);
        cv_column_unref(cols[k]);
    }
    return t;
}

static void test_sql_sqlite_write_roundtrip(void **state)
{
    cv_sql *db = *state;
    cv_error err = {0};
    cv_table *t = every_type();
    assert_int_equal(cv_sql_write(db, "all \"types\"", t, CV_SQLW_CREATE, &err), 0);
    cv_table *back = query(db, "SELECT * FROM \"all \"\"types\"\"\"");
    assert_int_equal(back->nrows, 3);
    assert_int_equal(back->ncols, 6);
    for (int k = 0; k < 6; k++) {
        assert_string_equal(back->cols[k]->name, t->cols[k]->name);
        assert_int_equal(back->cols[k]->type, t->cols[k]->type);
        for (int64_t i = 0; i < 3; i++) {
            char a[64], b[64];
            cv_value_format(t->cols[k], i, 17, "na", a, sizeof a);
            cv_value_format(back->cols[k], i, 17, "na", b, sizeof b);
            assert_string_equal(b, a);
        }
    }
    cv_table_free(back);
    /* append adds the rows; create again is an error that says so */
    assert_int_equal(cv_sql_write(db, "all \"types\"", t, CV_SQLW_APPEND, &err), 0);
    back = query(db, "SELECT count(*) AS n FROM \"all \"\"types\"\"\"");
    assert_int_equal(cv_column_int(back->cols[0], 0), 6);
    cv_table_free(back);
    assert_int_equal(cv_sql_write(db, "all \"types\"", t, CV_SQLW_CREATE, &err), CV_ERR_IO);
    assert_string_equal(err.msg, "cannot create table 'all \"types\"': table \"all \"\"types\"\"\" "
                                 "already exists (mode append adds rows to it)");
    assert_int_equal(cv_sql_write(db, "missing", t, CV_SQLW_APPEND, &err), CV_ERR_IO);
    assert_string_equal(err.msg, "cannot write to table 'missing': no such table: missing");
    cv_table_free(t);
}

static void test_sql_sqlite_write_atomic(void **state)
{
    cv_sql *db = *state;
    cv_error err = {0};
    run(db, "CREATE TABLE small (v INTEGER CHECK (v < 3))");
    run(db, "INSERT INTO small VALUES (0)");
    cv_table *t = cv_table_new();
    cv_column *v = cv_column_new("v", CV_INT64, 4);
    for (int i = 1; i <= 4; i++)
        assert_int_equal(cv_column_push_int(v, i), 0);
    assert_int_equal(cv_table_add(t, v, NULL), 0);
    cv_column_unref(v);
    /* rows 1 and 2 go in, row 3 breaks the check: the whole write is undone */
    assert_int_equal(cv_sql_write(db, "small", t, CV_SQLW_APPEND, &err), CV_ERR_IO);
    assert_string_equal(err.msg, "cannot write row 3 to table 'small': CHECK constraint "
                                 "failed: v < 3");
    cv_table *back = query(db, "SELECT v FROM small");
    assert_int_equal(back->nrows, 1);
    assert_int_equal(cv_column_int(back->cols[0], 0), 0);
    cv_table_free(back);
    cv_table_free(t);
}

/* ---- the summary in the database ----------------------------------------------------------------
 */

/* Writes (id, date, amount) rows as table tx; dates as text. */
static void load_tx(cv_sql *db, int n, const int64_t *ids, const char *const *dates,
                    const double *amounts)
{
    run(db, "CREATE TABLE tx (id INTEGER, date DATE, amount REAL)");
    for (int i = 0; i < n; i++) {
        cv_sql_param p[3] = {
            {.kind = CV_SQLP_INT, .i = ids[i]},
            {.kind = dates[i] ? CV_SQLP_TEXT : CV_SQLP_NULL, .s = dates[i]},
            {.kind = isnan(amounts[i]) ? CV_SQLP_NULL : CV_SQLP_FLOAT, .f = amounts[i]}};
        cv_error err = {0};
        assert_int_equal(cv_sql_exec(db, "INSERT INTO tx VALUES (?, ?, ?)", p, 3, NULL, &err), 0);
    }
}

static cv_summary_options opts(cv_time_unit u, const char *cal, const char *obs)
{
    cv_summary_options o;
    memset(&o, 0, sizeof o);
    o.customer = "id";
    o.date = "date";
    o.amount = "amount";
    o.unit = u;
    if (cal) {
        o.calibration_end = D(cal);
        o.calibration_end_set = 1;
    }
    if (obs) {
        o.observation_end = D(obs);
        o.observation_end_set = 1;
    }
    return o;
}

/* CDNOW_sample customer 1's purchases, customer 7 twice on 03-01, customer 9 only after
   the calibration end (the hand example of docs/summary.md). */
static void test_sql_summary_hand(void **state)
{
    cv_sql *db = *state;
    const int64_t ids[] = {1, 7, 1, 7, 1, 9, 7, 1};
    const char *dates[] = {"1997-01-01", "1997-03-01", "1997-01-18", "1997-03-01",
                           "1997-08-02", "1997-11-11", "1997-03-15", "1997-12-12"};
    const double amts[] = {29.33, 10, 29.73, 2.5, 14.96, 99, 20, 26.48};
    load_tx(db, 8, ids, dates, amts);
    cv_summary_options o = opts(CV_UNIT_WEEK, "1997-09-30", "1998-06-30");
    cv_summary_report rep;
    cv_error err = {0};
    cv_table *s = cv_sql_summary(db, "tx", &o, &rep, &err);
    if (!s)
        fail_msg("%s", err.msg);
    static const char *const names[] = {"customer",
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
        assert_string_equal(s->cols[k]->name, names[k]);
    assert_int_equal(s->nrows, 2);
    assert_int_equal(cv_column_int(col(s, "customer"), 0), 1);
    assert_int_equal(cv_column_i32(col(s, "first"), 0), D("1997-01-01"));
    assert_int_equal(cv_column_i32(col(s, "last"), 0), D("1997-08-02"));
    assert_int_equal(cv_column_int(col(s, "x"), 0), 2);
    assert_near(cv_column_float(col(s, "t_x"), 0), 213.0 / 7); /* Jan 1 -> Aug 2 */
    assert_near(cv_column_float(col(s, "T"), 0), 272.0 / 7);   /* Jan 1 -> Sep 30 */
    assert_int_equal(cv_column_int(col(s, "days_since_last"), 0), 59);
    assert_near(cv_column_float(col(s, "mean_repeat_spend"), 0), (29.73 + 14.96) / 2);
    assert_near(cv_column_float(col(s, "revenue"), 0), 29.33 + 29.73 + 14.96);
    assert_int_equal(cv_column_int(col(s, "x_holdout"), 0), 1);
    assert_near(cv_column_float(col(s, "spend_holdout"), 0), 26.48);
    /* customer 7: 10 + 2.5 on one day are one transaction */
    assert_int_equal(cv_column_int(col(s, "orders"), 1), 2);
    assert_near(cv_column_float(col(s, "mean_repeat_spend"), 1), 20);
    assert_near(cv_column_float(col(s, "mean_spend"), 1), 16.25);
    assert_int_equal(rep.customers, 2);
    assert_int_equal(rep.excluded_late, 1);
    assert_int_equal(rep.merged_rows, 1);
    assert_int_equal(rep.rows, 8);
    assert_int_equal(rep.transactions, 5);
    assert_int_equal(rep.rows_after_end, 0);
    assert_int_equal(rep.calibration_end, D("1997-09-30"));
    assert_near(rep.holdout_length, 273.0 / 7);
    cv_table_free(s);

    /* without ends: the calibration end is the last purchase, nobody is left out */
    o = opts(CV_UNIT_DAY, NULL, NULL);
    s = cv_sql_summary(db, "tx", &o, &rep, &err);
    assert_non_null(s);
    assert_int_equal(s->nrows, 3);
    assert_int_equal(rep.calibration_end, D("1997-12-12"));
    assert_near(cv_column_float(col(s, "T"), 0), 345); /* Jan 1 -> Dec 12 */
    cv_table_free(s);
}

/* The calendar-month rule of summary.h, case by case (values from docs/summary.md). */
static void test_sql_summary_months(void **state)
{
    cv_sql *db = *state;
    const int64_t ids[] = {1, 1, 2, 2, 3, 3, 4, 4, 5};
    const char *dates[] = {"1997-01-31", "1997-03-01", "2000-01-31", "2000-02-28", "1997-01-15",
                           "1997-02-15", "1997-01-31", "1997-02-28", "1997-01-01"};
    const double amts[] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    load_tx(db, 9, ids, dates, amts);
    cv_summary_options o = opts(CV_UNIT_MONTH, "2000-12-31", NULL);
    cv_error err = {0};
    cv_table *s = cv_sql_summary(db, "tx", &o, NULL, &err);
    if (!s)
        fail_msg("%s", err.msg);
    const cv_column *tx = col(s, "t_x");
    assert_near(cv_column_float(tx, 0), 1 + 1.0 / 31); /* Jan 31 -> Mar 1 */
    assert_near(cv_column_float(tx, 1), 28.0 / 29);    /* Jan 31 -> Feb 28, 2000 */
    assert_near(cv_column_float(tx, 2), 1);            /* Jan 15 -> Feb 15 */
    assert_near(cv_column_float(tx, 3), 1);            /* Jan 31 -> Feb 28, 1997 */
    /* each against the core's cv_time_between, T included */
    for (int64_t i = 0; i < s->nrows; i++) {
        int32_t f = cv_column_i32(col(s, "first"), i), l = cv_column_i32(col(s, "last"), i);
        assert_near(cv_column_float(tx, i), cv_time_between(f, l, CV_UNIT_MONTH));
        assert_near(cv_column_float(col(s, "T"), i),
                    cv_time_between(f, D("2000-12-31"), CV_UNIT_MONTH));
    }
    cv_table_free(s);
    o = opts(CV_UNIT_MONTH, "1997-09-30", NULL);
    s = cv_sql_summary(db, "tx", &o, NULL, &err);
    assert_non_null(s);
    assert_near(cv_column_float(col(s, "T"), 3), 8 + 29.0 / 30); /* Jan 1 -> Sep 30 */
    cv_table_free(s);

    /* years: Feb 29, 2020 -> Feb 28, 2021 is one year */
    run(db, "INSERT INTO tx VALUES (6, '2020-02-29', 1)");
    o = opts(CV_UNIT_YEAR, "2021-02-28", NULL);
    s = cv_sql_summary(db, "tx", &o, NULL, &err);
    assert_non_null(s);
    assert_int_equal(cv_column_int(col(s, "customer"), 5), 6);
    assert_near(cv_column_float(col(s, "T"), 5), 1);
    cv_table_free(s);
}

static void test_sql_summary_errors(void **state)
{
    cv_sql *db = *state;
    const int64_t ids[] = {1, 1, 2, 3};
    const char *dates[] = {"1997-01-01", NULL, "1997-01-02", "1997-01-03"};
    const double amts[] = {1, 2, NAN, -4};
    load_tx(db, 4, ids, dates, amts);
    cv_summary_options o = opts(CV_UNIT_DAY, NULL, NULL);
    cv_summary_report rep;
    cv_error err = {0};
    assert_null(cv_sql_summary(db, "tx", &o, &rep, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "table 'tx': 2 rows with a missing customer, date or amount "
                                 "(skip_missing drops such rows)");
    o.skip_missing = 1;
    assert_null(cv_sql_summary(db, "tx", &o, &rep, &err));
    assert_int_equal(err.code, CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "table 'tx': 1 row with a negative amount in column 'amount' "
                                 "(allow_negative accepts returns)");
    o.allow_negative = 1;
    cv_table *s = cv_sql_summary(db, "tx", &o, &rep, &err);
    assert_non_null(s);
    assert_int_equal(s->nrows, 2);
    assert_int_equal(rep.skipped_missing, 2);
    assert_near(cv_column_float(col(s, "revenue"), 1), -4);
    cv_table_free(s);

    o.split_same_day = 1;
    assert_null(cv_sql_summary(db, "tx", &o, &rep, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    o.split_same_day = 0;
    /* the options are checked as on a file (cv_summary_options_check: one check) */
    o.margin_rate_set = 1;
    o.margin_rate = NAN;
    assert_null(cv_sql_summary(db, "tx", &o, &rep, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_string_equal(err.msg, "margin rate must be a finite number");
    o.margin_rate_set = 0;
    o = opts(CV_UNIT_DAY, "1996-01-01", NULL);
    o.skip_missing = o.allow_negative = 1;
    assert_null(cv_sql_summary(db, "tx", &o, &rep, &err));
    assert_string_equal(err.msg,
                        "table 'tx': calibration end 1996-01-01 is before the first purchase "
                        "1997-01-01");
    assert_null(cv_sql_summary(db, "nowhere", &o, &rep, &err));
    assert_string_equal(err.msg, "sql: no such table: nowhere");

    /* identifiers are quoted, dates are parameters, never pasted */
    o = opts(CV_UNIT_MONTH, "1997-09-30", "1998-06-30");
    o.customer = "we\"ird";
    int np = 0;
    char *text = cv_sql_summary_text(CV_SQL_POSTGRES, "sales.tx", &o, &np, &err);
    assert_non_null(text);
    assert_int_equal(np, 2);
    assert_non_null(strstr(text, "SELECT \"we\"\"ird\" AS c"));
    assert_non_null(strstr(text, "FROM \"sales\".\"tx\""));
    assert_null(strstr(text, "1997-09-30"));
    assert_non_null(strstr(text, "CAST($1 AS date)"));
    free(text);
}

/* Reads CDNOW_sample with sscanf (id = field 2, date, CDs, amount); NULL when missing. */
static cv_table *cdnow(void)
{
    FILE *f = fopen(CDNOW_SAMPLE, "r");
    if (!f)
        return NULL;
    cv_table *t = cv_table_new();
    cv_column *c[4] = {cv_column_new("customer", CV_INT64, 7000),
                       cv_column_new("date", CV_DATE, 7000), cv_column_new("cds", CV_INT64, 7000),
                       cv_column_new("amount", CV_FLOAT64, 7000)};
    char line[256];
    long master, id, ymd, cds;
    double dollars;
    while (fgets(line, sizeof line, f)) {
        assert_int_equal(sscanf(line, "%ld %ld %ld %ld %lf", &master, &id, &ymd, &cds, &dollars),
                         5);
        assert_int_equal(cv_column_push_int(c[0], id), 0);
        assert_int_equal(
            cv_column_push_i32(c[1], cv_days_from_civil((int)(ymd / 10000), (int)(ymd / 100 % 100),
                                                        (int)(ymd % 100))),
            0);
        assert_int_equal(cv_column_push_int(c[2], cds), 0);
        assert_int_equal(cv_column_push_float(c[3], dollars), 0);
    }
    fclose(f);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(cv_table_add(t, c[k], NULL), 0);
        cv_column_unref(c[k]);
    }
    return t;
}

/* Every column and value of a and b equal, floats within 1e-9 relative. */
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
            if (x->type == CV_FLOAT64) {
                double u = cv_column_float(x, i), v = cv_column_float(y, i);
                if (!(fabs(u - v) <= 1e-9 * fmax(1, fabs(u))))
                    fail_msg("%s row %lld: %.17g vs %.17g", x->name, (long long)i, u, v);
            } else {
                assert_int_equal(cv_column_number(x, i), cv_column_number(y, i));
            }
        }
    }
}

static void test_sql_summary_cdnow(void **state)
{
    cv_sql *db = *state;
    cv_table *tx = cdnow();
    if (!tx)
        skip();
    cv_error err = {0};
    assert_int_equal(cv_sql_write(db, "cdnow", tx, CV_SQLW_CREATE, &err), 0);
    for (int u = CV_UNIT_DAY; u <= CV_UNIT_YEAR; u++) {
        for (int margin = 0; margin < 3; margin++) {
            cv_summary_options o = opts((cv_time_unit)u, "1997-09-30", "1998-06-30");
            o.customer = "customer";
            if (margin == 1)
                o.cost = "cds"; /* a cost of $1 a CD, to exercise the cost column */
            if (margin == 2) {
                o.margin_rate = 0.3;
                o.margin_rate_set = 1;
            }
            cv_summary_report r1, r2;
            cv_table *want = cv_summary_table(tx, &o, &r1, &err);
            assert_non_null(want);
            cv_table *got = cv_sql_summary(db, "cdnow", &o, &r2, &err);
            if (!got)
                fail_msg("%s", err.msg);
            assert_same_table(want, got);
            assert_int_equal(r1.rows, r2.rows);
            assert_int_equal(r1.customers, r2.customers);
            assert_int_equal(r1.transactions, r2.transactions);
            assert_int_equal(r1.merged_rows, r2.merged_rows);
            assert_int_equal(r1.excluded_late, r2.excluded_late);
            assert_int_equal(r1.first_date, r2.first_date);
            assert_int_equal(r1.last_date, r2.last_date);
            cv_table_free(want);
            cv_table_free(got);
        }
    }
    /* the published counts: 2,357 customers, 1,411 with x = 0 */
    cv_summary_options o = opts(CV_UNIT_WEEK, "1997-09-30", NULL);
    o.customer = "customer";
    cv_table *s = cv_sql_summary(db, "cdnow", &o, NULL, &err);
    assert_non_null(s);
    assert_int_equal(s->nrows, 2357);
    int64_t zero = 0, sumx = 0;
    for (int64_t i = 0; i < s->nrows; i++) {
        zero += cv_column_int(col(s, "x"), i) == 0;
        sumx += cv_column_int(col(s, "x"), i);
    }
    assert_int_equal(zero, 1411);
    assert_int_equal(sumx, 2457);
    cv_table_free(s);
    cv_table_free(tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_quote_ident),
        cmocka_unit_test_setup_teardown(test_sql_sqlite_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_sqlite_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_sqlite_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_sqlite_write_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_sqlite_write_atomic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_summary_hand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_summary_months, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_summary_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sql_summary_cdnow, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
