/* Unit tests of ClickHouse's text protocol without a server (include/cvkit/sql_ch.h): the
   TabSeparatedWithNamesAndTypes reader fed in every split (escapes, \N, nan and inf, the
   zero date, Float32, wrong rows, an exception in the body, a cut response), the error
   bodies of HTTP 500 replies, and parameters bound as literals against injection. The
   driver itself is tested against the two-shard cluster by tests/lua/test_sql_ch.lua. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/sql_ch.h"

static const char BODY[] = "id\tname\tf\tf32\td\tdt\tu\n"
                           "Int32\tNullable(String)\tFloat64\tFloat32\tDate\tDateTime\tUInt64\n"
                           "1\ta\\tb\\\\c\\nd\\'e\\0f\\x41\t0.1\t0.1\t1997-01-01\t1997-01-01 "
                           "10:30:05\t18446744073709551\n"
                           "-2\t\\N\tnan\t-inf\t0000-00-00\t0000-00-00 00:00:00\t0\n"
                           "3\t\xc3\xa9\tinf\t1e-3\t2105-12-31\t2000-02-29 23:59:59\t7\n";

/* Reads body fed in pieces of `step` bytes. */
static cv_table *read_body(const char *body, size_t n, size_t step, cv_error *err)
{
    cv_ch_reader *r = cv_ch_reader_new();
    assert_non_null(r);
    int rc = 0;
    for (size_t a = 0; a < n && rc == 0; a += step)
        rc = cv_ch_reader_feed(r, body + a, a + step <= n ? step : n - a, err);
    cv_table *t = rc == 0 ? cv_ch_reader_finish(r, err) : NULL;
    cv_ch_reader_free(r);
    return t;
}

static void test_ch_reader_values(void **state)
{
    (void)state;
    size_t n = strlen(BODY);
    for (size_t step = 1; step <= n; step += (step < 8 ? 1 : 37)) {
        cv_error err = {0};
        cv_table *t = read_body(BODY, n, step, &err);
        assert_non_null(t);
        assert_int_equal(t->ncols, 7);
        assert_int_equal(t->nrows, 3);
        assert_int_equal(t->cols[0]->type, CV_INT64);
        assert_int_equal(t->cols[1]->type, CV_STRING);
        assert_int_equal(t->cols[2]->type, CV_FLOAT64);
        assert_int_equal(t->cols[3]->type, CV_FLOAT64);
        assert_int_equal(t->cols[4]->type, CV_DATE);
        assert_int_equal(t->cols[5]->type, CV_DATETIME);
        assert_int_equal(t->cols[6]->type, CV_INT64);
        assert_int_equal(cv_column_int(t->cols[0], 1), -2);
        size_t len;
        const char *s = cv_column_string(t->cols[1], 0, &len);
        assert_int_equal(len, 12);
        assert_memory_equal(s, "a\tb\\c\nd'e\0fA", 12);
        assert_false(cv_column_is_valid(t->cols[1], 1)); /* \N */
        assert_string_equal(cv_column_string(t->cols[1], 2, &len), "\xc3\xa9");
        assert_true(cv_column_float(t->cols[2], 0) == 0.1);
        assert_true(isnan(cv_column_float(t->cols[2], 1)));
        assert_true(isinf(cv_column_float(t->cols[2], 2)));
        assert_true(cv_column_float(t->cols[3], 0) == (double)0.1f); /* a Float32 */
        assert_true(cv_column_float(t->cols[3], 1) == -INFINITY);
        assert_int_equal(cv_column_i32(t->cols[4], 0), 9862); /* days since 1970-01-01 */
        assert_int_equal(cv_column_i32(t->cols[4], 1), 0);    /* ClickHouse's zero date */
        assert_int_equal(cv_column_i32(t->cols[4], 2), 49672);
        assert_int_equal(cv_column_int(t->cols[5], 0), 852114605);
        assert_int_equal(cv_column_int(t->cols[5], 1), 0);
        assert_int_equal(cv_column_int(t->cols[6], 0), 18446744073709551LL);
        cv_table_free(t);
    }
}

static void expect_fail(const char *body, int code, const char *msg)
{
    for (size_t step = 1; step <= strlen(body); step++) {
        cv_error err = {0};
        cv_table *t = read_body(body, strlen(body), step, &err);
        if (t)
            fail_msg("step %zu: no error, expected '%s'", step, msg);
        assert_int_equal(err.code, code);
        if (strcmp(err.msg, msg) != 0)
            fail_msg("step %zu: '%s', expected '%s'", step, err.msg, msg);
    }
}

static void test_ch_reader_errors(void **state)
{
    (void)state;
    expect_fail("a\tb\nInt32\tInt32\n1\t2\n3\n", CV_ERR_IO,
                "clickhouse: unexpected response (row 2 has fewer fields than the 2 columns)");
    expect_fail("a\tb\nInt32\tInt32\n1\t2\t3\n", CV_ERR_IO,
                "clickhouse: unexpected response (row 1 has more fields than the 2 columns)");
    expect_fail("a\nInt32\n1\nCode: 395, e.displayText() = DB::Exception: Value passed to "
                "'throwIf' function is non zero, e.what() = DB::Exception\n",
                CV_ERR_PARSE, "sql: value passed to 'throwIf' function is non zero");
    expect_fail("a\nInt32\n1\n2", CV_ERR_IO,
                "clickhouse: the response ends in the middle of "
                "a row");
    expect_fail("a\n", CV_ERR_IO, "clickhouse: the response has no column names and types");
    expect_fail("a\tb\nInt32\n", CV_ERR_IO,
                "clickhouse: unexpected response (1 types for 2 columns)");
    expect_fail("a\nInt64\n12x\n", CV_ERR_TYPE,
                "clickhouse: row 1, column 'a': '12x' is not an int");
    expect_fail("a\nUInt64\n18446744073709551615\n", CV_ERR_TYPE,
                "clickhouse: row 1, column 'a': '18446744073709551615' is not an int");
    expect_fail("a\nDate\n1997-13-01\n", CV_ERR_TYPE,
                "clickhouse: row 1, column 'a': '1997-13-01' is not a date");
    /* a response of no rows, and repeated names */
    cv_error err = {0};
    const char *empty = "x\tx\tn\nString\tString\tNullable(Nothing)\n";
    cv_table *t = read_body(empty, strlen(empty), 3, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 0);
    assert_string_equal(t->cols[1]->name, "x_2");
    assert_int_equal(t->cols[2]->type, CV_FLOAT64);
    cv_table_free(t);
}

static void test_ch_error_message(void **state)
{
    (void)state;
    char buf[256];
    int code;
    long pos;
    const char *b = "Code: 62, e.displayText() = DB::Exception: Syntax error: failed at position "
                    "8: FRM x. Expected one of: FROM, WHERE, e.what() = DB::Exception\n";
    cv_ch_error_message(b, strlen(b), buf, sizeof buf, &code, &pos);
    assert_string_equal(buf, "syntax error: failed at position 8: FRM x");
    assert_int_equal(code, 62);
    assert_int_equal(pos, 8);
    b = "Code: 193, e.displayText() = DB::Exception: Wrong password for user cvkit, e.what() "
        "= DB::Exception\n";
    cv_ch_error_message(b, strlen(b), buf, sizeof buf, &code, &pos);
    assert_string_equal(buf, "wrong password for user cvkit");
    assert_int_equal(code, 193);
    assert_int_equal(pos, 0);
    cv_ch_error_message("Bad gateway\n", 12, buf, sizeof buf, &code, &pos);
    assert_string_equal(buf, "bad gateway");
    assert_int_equal(code, 0);
    cv_ch_error_message("", 0, buf, sizeof buf, &code, &pos);
    assert_string_equal(buf, "");
}

static void expect_bind(const char *sql, const cv_sql_param *p, int n, const char *want)
{
    cv_error err = {0};
    char *got = cv_ch_bind(sql, p, n, &err);
    assert_non_null(got);
    assert_string_equal(got, want);
    cv_free(got);
}

static void test_ch_bind(void **state)
{
    (void)state;
    cv_sql_param p[6];
    memset(p, 0, sizeof p);
    p[0].kind = CV_SQLP_TEXT;
    p[0].s = "x'); DROP TABLE t; --\\";
    p[1].kind = CV_SQLP_INT;
    p[1].i = -5;
    p[2].kind = CV_SQLP_FLOAT;
    p[2].f = 0.1;
    p[3].kind = CV_SQLP_NULL;
    p[4].kind = CV_SQLP_BOOL;
    p[4].i = 1;
    p[5].kind = CV_SQLP_TEXT;
    p[5].s = "a\nb\tc\x01";
    expect_bind("SELECT $1, -$2, $3, $4, $5, $6", p, 6,
                "SELECT 'x\\'); DROP TABLE t; --\\\\', -(-5), 0.10000000000000001, NULL, 1, "
                "'a\\x0Ab\\x09c\\x01'");
    /* placeholders inside literals, quoted names and comments stay as they are */
    expect_bind("SELECT '$1', \"$1\", `$1`, 'it\\'s $1' -- $1\n/* $1 */ $1", p, 1,
                "SELECT '$1', \"$1\", `$1`, 'it\\'s $1' -- $1\n/* $1 */ 'x\\'); DROP TABLE "
                "t; --\\\\'");
    expect_bind("SELECT $10", (cv_sql_param[10]){[9] = {.kind = CV_SQLP_INT, .i = 7}}, 10,
                "SELECT 7");
    expect_bind("SELECT 1", NULL, 0, "SELECT 1");
    expect_bind("", NULL, 0, "");
    p[2].f = -INFINITY;
    expect_bind("SELECT $3", p, 3, "SELECT (-inf)");
    p[2].f = -0.0;
    expect_bind("SELECT -$3", p, 3, "SELECT -(-0)");
    cv_error err = {0};
    assert_null(cv_ch_bind("SELECT $1, $3", p, 2, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_string_equal(err.msg, "sql: parameter $3 is not given (2 given)");
    assert_null(cv_ch_bind("SELECT $0", p, 2, &err));
    assert_string_equal(err.msg, "sql: parameter $0 is not given (2 given)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ch_reader_values),
        cmocka_unit_test(test_ch_reader_errors),
        cmocka_unit_test(test_ch_error_message),
        cmocka_unit_test(test_ch_bind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
