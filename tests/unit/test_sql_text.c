/* Unit tests of the one writer of rows as text that the PostgreSQL and ClickHouse drivers
   share (src/core/sql_common.c sq_text_row, private header src/core/sql_int.h): the exact
   bytes of a row in PostgreSQL's COPY text and in ClickHouse's TabSeparated, for a string
   holding a tab, a newline, a CR, a backslash and a NUL, and for missing values, nan, inf,
   booleans, numbers and dates. The drivers are tested against servers by
   tests/lua/test_sql_pg.lua and test_sql_ch.lua. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/mem.h"
#include "cvkit/table.h"
#include "sql_int.h" /* private to the core: the Makefile gives unit tests -Isrc/core */

/* "a<TAB>b<LF>c<CR>d\e<NUL>f": 11 bytes with the NUL inside. */
static const char RAW[] = "a\tb\nc\rd\\e\0f";

/* A table of one string column holding RAW, then a missing string. */
static cv_table *string_table(void)
{
    cv_table *t = cv_table_new();
    cv_column *c = cv_column_new("s", CV_STRING, 2);
    assert_non_null(t);
    assert_non_null(c);
    assert_int_equal(cv_column_push_string(c, RAW, sizeof RAW - 1), 0);
    assert_int_equal(cv_column_push_missing(c), 0);
    assert_int_equal(cv_table_add(t, c, NULL), 0);
    cv_column_unref(c); /* the table holds its own reference */
    return t;
}

/* Asserts that row i of t in dialect d is exactly want[0..n). */
static void assert_row(const cv_table *t, int64_t i, sq_text_dialect d, const char *want, size_t n)
{
    sq_buf b = {0};
    sq_text_row(&b, t, i, d);
    assert_false(b.oom);
    assert_int_equal(b.n, n);
    assert_memory_equal(b.p, want, n);
    cv_free(b.p);
}

static void test_string_escapes_pg(void **state)
{
    (void)state;
    cv_table *t = string_table();
    /* COPY text: \\ \t \n \r escaped; the NUL byte goes as it is (PostgreSQL refuses NUL
       in text whether raw or as \0, so nothing is gained by rewriting it) */
    static const char want[] = "a\\tb\\nc\\rd\\\\e\0f\n";
    assert_row(t, 0, SQ_TEXT_PG_COPY, want, sizeof want - 1);
    assert_row(t, 1, SQ_TEXT_PG_COPY, "\\N\n", 3);
    cv_table_free(t);
}

static void test_string_escapes_ch(void **state)
{
    (void)state;
    cv_table *t = string_table();
    /* TabSeparated: the same four escapes and the NUL as \0 */
    static const char want[] = "a\\tb\\nc\\rd\\\\e\\0f\n";
    assert_row(t, 0, SQ_TEXT_CH_TSV, want, sizeof want - 1);
    assert_row(t, 1, SQ_TEXT_CH_TSV, "\\N\n", 3);
    cv_table_free(t);
}

/* Numbers, booleans and dates: the two dialects part only on booleans and floats. */
static void test_other_types(void **state)
{
    (void)state;
    cv_table *t = cv_table_new();
    cv_column *i = cv_column_new("i", CV_INT64, 3);
    cv_column *f = cv_column_new("f", CV_FLOAT64, 3);
    cv_column *b = cv_column_new("b", CV_BOOL, 3);
    cv_column *d = cv_column_new("d", CV_DATE, 3);
    assert_non_null(t);
    assert_int_equal(cv_column_push_int(i, -42), 0);
    assert_int_equal(cv_column_push_float(f, 0.1), 0);
    assert_int_equal(cv_column_push_bool(b, 1), 0);
    assert_int_equal(cv_column_push_i32(d, 10227), 0); /* 1998-01-01 */
    assert_int_equal(cv_column_push_missing(i), 0);
    assert_int_equal(cv_column_push_float(f, NAN), 0);
    assert_int_equal(cv_column_push_bool(b, 0), 0);
    assert_int_equal(cv_column_push_missing(d), 0);
    assert_int_equal(cv_column_push_int(i, 7), 0);
    assert_int_equal(cv_column_push_float(f, -INFINITY), 0);
    assert_int_equal(cv_column_push_missing(b), 0);
    assert_int_equal(cv_column_push_i32(d, 0), 0); /* 1970-01-01 */
    cv_column *cols[] = {i, f, b, d};
    for (int k = 0; k < 4; k++) {
        assert_int_equal(cv_table_add(t, cols[k], NULL), 0);
        cv_column_unref(cols[k]); /* the table holds its own reference */
    }

    static const char pg0[] = "-42\t0.1\ttrue\t1998-01-01\n";
    static const char ch0[] = "-42\t0.10000000000000001\t1\t1998-01-01\n";
    assert_row(t, 0, SQ_TEXT_PG_COPY, pg0, sizeof pg0 - 1);
    assert_row(t, 0, SQ_TEXT_CH_TSV, ch0, sizeof ch0 - 1);
    static const char pg1[] = "\\N\t\\N\tfalse\t\\N\n";
    static const char ch1[] = "\\N\t\\N\t0\t\\N\n";
    assert_row(t, 1, SQ_TEXT_PG_COPY, pg1, sizeof pg1 - 1);
    assert_row(t, 1, SQ_TEXT_CH_TSV, ch1, sizeof ch1 - 1);
    static const char both2[] = "7\t-inf\t\\N\t1970-01-01\n";
    assert_row(t, 2, SQ_TEXT_PG_COPY, both2, sizeof both2 - 1);
    assert_row(t, 2, SQ_TEXT_CH_TSV, both2, sizeof both2 - 1);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_string_escapes_pg),
        cmocka_unit_test(test_string_escapes_ch),
        cmocka_unit_test(test_other_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
