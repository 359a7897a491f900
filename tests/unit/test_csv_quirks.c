/* Tests of the reader's guards against silent damage (src/core/csv_read.c): leading
   zeros keep a column text, 8-digit numbers are dates only where the column's name or
   type says date, and stray quotes are an error with their place unless lenient_quotes
   (then read as written and counted). One fixture per quirk in tests/data/. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/csv.h"

static const char *str(const cv_table *t, int j, int64_t i)
{
    size_t len;
    return cv_column_string(t->cols[j], i, &len);
}

static void test_leading_zeros_are_text(void **state)
{
    (void)state;
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/leading_zero.csv", NULL, &rep, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->cols[0]->type, CV_STRING); /* 007, 7, -01 */
    assert_string_equal(str(t, 0, 0), "007");
    assert_string_equal(str(t, 0, 1), "7");
    assert_string_equal(str(t, 0, 2), "-01");
    assert_int_equal(t->cols[1]->type, CV_INT64);
    assert_int_equal(t->cols[2]->type, CV_STRING); /* 00.5 */
    assert_string_equal(str(t, 2, 0), "00.5");
    assert_int_equal(t->cols[3]->type, CV_INT64); /* 0 alone is a number */
    assert_int_equal(cv_column_int(t->cols[3], 1), 7);
    cv_table_free(t);
    /* given as int, 007 is 7 */
    cv_csv_options o;
    cv_csv_options_init(&o);
    cv_csv_coltype types[] = {{"id", CV_INT64}};
    o.types = types;
    o.ntypes = 1;
    t = cv_csv_read("tests/data/leading_zero.csv", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(cv_column_int(t->cols[0], 0), 7);
    assert_int_equal(cv_column_int(t->cols[0], 2), -1);
    cv_table_free(t);
}

static void test_leading_zero_late_and_threaded(void **state)
{
    (void)state;
    /* the 007 comes after 2 MiB of plain ints (past the sample), read with 1 and 2
       threads: the column must still end up text, with 7 and 007 apart */
    size_t cap = 3u << 20, k = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    k += (size_t)sprintf(text, "id,v\n");
    int n = 0;
    while (k < (2u << 20)) {
        k += (size_t)sprintf(text + k, "%d,%d\n", 7 + n % 5, n);
        n++;
    }
    k += (size_t)sprintf(text + k, "007,1\n");
    for (int th = 1; th <= 2; th++) {
        cv_csv_options o;
        cv_csv_options_init(&o);
        o.threads = th;
        cv_error err;
        cv_table *t = cv_csv_read_buffer("big.csv", text, k, &o, NULL, &err);
        assert_non_null(t);
        assert_int_equal(t->nrows, n + 1);
        assert_int_equal(t->cols[0]->type, CV_STRING);
        assert_string_equal(str(t, 0, 0), "7");
        assert_string_equal(str(t, 0, n), "007");
        cv_table_free(t);
    }
    free(text);
}

static void test_yyyymmdd_only_where_the_name_says_date(void **state)
{
    (void)state;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/yyyymmdd.csv", NULL, NULL, &err);
    assert_non_null(t);
    /* code, order_date, OrderDate, Date, candidate, update, 下单日期 */
    static const cv_type want[] = {CV_INT64, CV_DATE,  CV_DATE, CV_DATE,
                                   CV_INT64, CV_INT64, CV_DATE};
    assert_int_equal(t->ncols, 7);
    for (int j = 0; j < 7; j++)
        assert_int_equal(t->cols[j]->type, want[j]);
    assert_int_equal(cv_column_int(t->cols[0], 0), 20240105);
    assert_int_equal(cv_column_i32(t->cols[1], 0), cv_days_from_civil(2024, 1, 5));
    assert_int_equal(cv_column_i32(t->cols[6], 1), cv_days_from_civil(1999, 12, 31));
    cv_table_free(t);
    /* the type given says date */
    cv_csv_options o;
    cv_csv_options_init(&o);
    cv_csv_coltype types[] = {{"code", CV_DATE}};
    o.types = types;
    o.ntypes = 1;
    t = cv_csv_read("tests/data/yyyymmdd.csv", &o, NULL, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_DATE);
    assert_int_equal(cv_column_i32(t->cols[0], 0), cv_days_from_civil(2024, 1, 5));
    cv_table_free(t);
    /* written back as the number it was */
    t = cv_csv_read_buffer("n.csv", "code\n20240105\n", 14, NULL, NULL, &err);
    assert_non_null(t);
    size_t len;
    char *s = cv_table_write_string(t, CV_FMT_CSV, &len, &err);
    assert_string_equal(s, "code\n20240105\n");
    free(s);
    cv_table_free(t);
}

static void test_text_after_closing_quote(void **state)
{
    (void)state;
    cv_csv_report rep;
    cv_error err;
    for (int th = 1; th <= 2; th++) {
        cv_csv_options o;
        cv_csv_options_init(&o);
        o.threads = th;
        cv_table *t = cv_csv_read("tests/data/quote_after.csv", &o, &rep, &err);
        assert_null(t);
        assert_int_equal(err.code, CV_ERR_PARSE);
        assert_string_equal(err.msg, "tests/data/quote_after.csv:2:3: expected a delimiter after "
                                     "the closing quote, found '\"27\" monitor' "
                                     "(lenient_quotes = true reads it as written)");
        o.lenient_quotes = 1;
        t = cv_csv_read("tests/data/quote_after.csv", &o, &rep, &err);
        assert_non_null(t);
        assert_int_equal(t->nrows, 3); /* not 2: row 3 is not swallowed */
        assert_string_equal(str(t, 1, 0), "\"27\" monitor");
        assert_int_equal(cv_column_int(t->cols[2], 0), 300);
        assert_string_equal(str(t, 1, 2), "desk");
        assert_int_equal(rep.lenient_quotes, 1);
        cv_table_free(t);
    }
}

static void test_quote_inside_unquoted_field(void **state)
{
    (void)state;
    cv_csv_report rep;
    cv_error err;
    cv_csv_options o;
    cv_csv_options_init(&o);
    cv_table *t = cv_csv_read("tests/data/quote_inside.csv", &o, &rep, &err);
    assert_null(t);
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "tests/data/quote_inside.csv:2:3: expected no quote in an "
                                 "unquoted field, found '27\" monitor' (quote the field and "
                                 "double its quotes, or lenient_quotes = true)");
    o.lenient_quotes = 1;
    t = cv_csv_read("tests/data/quote_inside.csv", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(str(t, 1, 0), "27\" monitor");
    assert_int_equal(cv_column_int(t->cols[2], 0), 300);
    assert_int_equal(rep.lenient_quotes, 1);
    cv_table_free(t);
}

static void test_stray_quotes_in_header_and_late(void **state)
{
    (void)state;
    cv_error err;
    cv_csv_report rep;
    const char *h = "a,\"b\"c,d\n1,2,3\n";
    cv_table *t = cv_csv_read_buffer("h.csv", h, strlen(h), NULL, NULL, &err);
    assert_null(t);
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "h.csv:1:3: expected a delimiter after the closing quote, "
                                 "found '\"b\"c' (lenient_quotes = true reads it as written)");
    /* a stray quote after 2 MiB (the main pass), and a lenient field cut by the 1 MiB block
       end: the place is exact and the field whole */
    size_t cap = 3u << 20, k = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    k += (size_t)sprintf(text, "id,name\n");
    int line = 1;
    while (k < (1u << 20) - 26) { /* the field below starts 7 bytes on, its stray 10 */
        k += (size_t)sprintf(text + k, "%d,x\n", line);
        line++;
    }
    k += (size_t)sprintf(text + k, "%d,\"a\" bcdefghijklmnop\n", line); /* across 1 MiB */
    line++;
    int cut_line = line;
    while (k < (2u << 20)) {
        k += (size_t)sprintf(text + k, "%d,x\n", line);
        line++;
    }
    k += (size_t)sprintf(text + k, "%d,y\"z\n", line);
    int last_line = line + 1; /* the header is line 1 */
    for (int th = 1; th <= 2; th++) {
        cv_csv_options o;
        cv_csv_options_init(&o);
        o.threads = th;
        t = cv_csv_read_buffer("big.csv", text, k, &o, NULL, &err);
        assert_null(t);
        char want[64];
        snprintf(want, sizeof want, "big.csv:%d:", cut_line);
        assert_int_equal(strncmp(err.msg, want, strlen(want)), 0);
        o.lenient_quotes = 1;
        t = cv_csv_read_buffer("big.csv", text, k, &o, &rep, &err);
        assert_non_null(t);
        assert_int_equal(t->nrows, last_line - 1);
        assert_int_equal(rep.lenient_quotes, 2);
        assert_string_equal(str(t, 1, cut_line - 2), "\"a\" bcdefghijklmnop");
        assert_string_equal(str(t, 1, last_line - 2), "y\"z");
        cv_table_free(t);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leading_zeros_are_text),
        cmocka_unit_test(test_leading_zero_late_and_threaded),
        cmocka_unit_test(test_yyyymmdd_only_where_the_name_says_date),
        cmocka_unit_test(test_text_after_closing_quote),
        cmocka_unit_test(test_quote_inside_unquoted_field),
        cmocka_unit_test(test_stray_quotes_in_header_and_late),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
