/* Tests of the CSV reader's typed fast path and in-place columns (src/core/csv_typed.c,
   csv_chunks.c: typed_rows, plan_columns) and of the 16-19 digit number reading (decimal_div.h):
   every value the fast path takes must be the one the general path gives (reading with
   skip_bad_rows, which never takes it), values it leaves must still read as before, the numbers
   must be strtod's, and threaded reads whose plan goes wrong (a quoted line end, a missing
   value, a column widened in a later chunk) must still give the one-thread table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv_int.h" /* private to the core: unit tests build with -Isrc/core */
#include "cvkit/csv.h"
#include "cvkit/parse.h"

static cv_table *read_with(const char *text, int threads, int general, cv_error *err)
{
    cv_csv_options o;
    cv_csv_options_init(&o);
    o.threads = threads;
    o.skip_bad_rows = general; /* buffers each row: the general path only */
    return cv_csv_read_buffer("t.csv", text, strlen(text), &o, NULL, err);
}

/* Every column's type, validity and bits (strings by text) the same. */
static void assert_same(const cv_table *a, const cv_table *b)
{
    assert_int_equal(a->nrows, b->nrows);
    assert_int_equal(a->ncols, b->ncols);
    for (int j = 0; j < a->ncols; j++) {
        const cv_column *c = a->cols[j], *d = b->cols[j];
        assert_string_equal(c->name, d->name);
        assert_int_equal(c->type, d->type);
        size_t w = cv_type_size(c->type);
        for (int64_t i = 0; i < a->nrows; i++) {
            assert_int_equal(cv_column_is_valid(c, i), cv_column_is_valid(d, i));
            if (!cv_column_is_valid(c, i))
                continue;
            if (c->type == CV_STRING)
                assert_string_equal(cv_column_string(c, i, NULL), cv_column_string(d, i, NULL));
            else
                assert_memory_equal((const char *)c->data + i * w, (const char *)d->data + i * w,
                                    w);
        }
    }
}

/* Reads text on 1 and 3 threads and through the general path: all three the same table,
   returned (one thread). */
static cv_table *read_checked(const char *text)
{
    cv_error err;
    cv_table *one = read_with(text, 1, 0, &err), *many = read_with(text, 3, 0, &err);
    cv_table *gen = read_with(text, 1, 1, &err);
    assert_non_null(one);
    assert_non_null(many);
    assert_non_null(gen);
    assert_same(one, gen);
    assert_same(one, many);
    cv_table_free(many);
    cv_table_free(gen);
    return one;
}

static double num(const cv_table *t, int j, int64_t i)
{
    return cv_column_number(t->cols[j], i);
}

/* Values at the edges of what the fast path takes, each with its known value. */
static void test_typed_edges(void **state)
{
    (void)state;
    const char *text = "id,d,amount,name\n"
                       "1,2023-01-31,95.70,ann\n"
                       "-0,1901-01-01,0.5,bob\n"
                       "+5,2099-12-31,-0.0,cy\n" /* '+': general path */
                       "123456789012345678,2024-02-29,30.732499999999998,di\n"
                       "-999999999999999999,1900-03-01,9007199254740993,e f\n" /* 2^53+1 */
                       "7,2100-03-01,1234567890123456789.5,g\n"  /* 20 digits: strtod */
                       " 8 ,2023-06-15, 2.5 ,  h  \n"            /* blanks: general path */
                       "9,2023-06-15,5.,NA\n"                    /* '5.' and NA: general */
                       "10,2023-06-15,0.30000000000000004,i\r\n" /* CRLF */
                       "11,2023-06-15,1e3,\"j\"\n";              /* exponent, quotes */
    cv_table *t = read_checked(text);
    assert_int_equal(t->nrows, 10);
    assert_int_equal(t->cols[0]->type, CV_INT64);
    assert_int_equal(t->cols[1]->type, CV_DATE);
    assert_int_equal(t->cols[2]->type, CV_FLOAT64);
    assert_int_equal(t->cols[3]->type, CV_STRING);
    const int64_t *id = t->cols[0]->data;
    assert_int_equal(id[0], 1);
    assert_int_equal(id[1], 0);
    assert_int_equal(id[2], 5);
    assert_int_equal(id[3], 123456789012345678LL);
    assert_int_equal(id[4], -999999999999999999LL);
    assert_int_equal(id[6], 8);
    const int32_t *d = t->cols[1]->data;
    assert_int_equal(d[0], 19388);  /* 2023-01-31 */
    assert_int_equal(d[1], -25202); /* 1901-01-01 */
    assert_int_equal(d[3], 19782);  /* 2024-02-29 */
    assert_int_equal(d[4], -25508); /* 1900-03-01: other years, general path */
    assert_int_equal(d[5], 47541);  /* 2100-03-01 */
    assert_true(num(t, 2, 0) == 95.7);
    assert_true(num(t, 2, 1) == 0.5);
    assert_true(num(t, 2, 2) == 0.0 && signbit(num(t, 2, 2)));
    assert_true(num(t, 2, 3) == strtod("30.732499999999998", NULL));
    assert_true(num(t, 2, 4) == 9007199254740992.0); /* halfway: to even */
    assert_true(num(t, 2, 5) == strtod("1234567890123456789.5", NULL));
    assert_true(num(t, 2, 6) == 2.5);
    assert_true(num(t, 2, 7) == 5.0);
    assert_true(num(t, 2, 8) == 0.1 + 0.2);
    assert_true(num(t, 2, 9) == 1000.0);
    assert_string_equal(cv_column_string(t->cols[3], 4, NULL), "e f");
    assert_string_equal(cv_column_string(t->cols[3], 6, NULL), "h");
    assert_false(cv_column_is_valid(t->cols[3], 7));
    assert_string_equal(cv_column_string(t->cols[3], 8, NULL), "i");
    assert_string_equal(cv_column_string(t->cols[3], 9, NULL), "j");
    cv_table_free(t);
}

/* Empty fields are missing values, wherever they are in the row; a blank line is no row. */
static void test_typed_missing(void **state)
{
    (void)state;
    cv_table *t = read_checked("id,d,amount,name\n"
                               "1,2023-01-31,95.70,ann\n"
                               "2,,7.5,bob\n"
                               "3,2023-06-15,,cy\n"
                               "4,2023-06-15,8.5,\n"
                               "5,,+9.5,di\n" /* then a value the general path reads */
                               ",2023-06-16,1.25,\n"
                               "\n"
                               "7,2023-06-17,2.5,e\n");
    assert_int_equal(t->nrows, 7);
    static const int present[7][4] = {{1, 1, 1, 1}, {1, 0, 1, 1}, {1, 1, 0, 1}, {1, 1, 1, 0},
                                      {1, 0, 1, 1}, {0, 1, 1, 0}, {1, 1, 1, 1}};
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 4; j++)
            assert_int_equal(cv_column_is_valid(t->cols[j], i), present[i][j]);
    assert_true(num(t, 2, 4) == 9.5);
    assert_int_equal(((int64_t *)t->cols[0]->data)[6], 7);
    cv_table_free(t);
    t = read_checked("v\n1\n\n2\n\r\n3\n"); /* one column: blank lines are skipped */
    assert_int_equal(t->nrows, 3);
    assert_true(num(t, 0, 2) == 3);
    cv_table_free(t);
}

/* Leading zeros still make a column text, after rows the fast path took. */
static void test_typed_leading_zero(void **state)
{
    (void)state;
    cv_table *t = read_checked("code,v\n7,1.5\n8,2.5\n007,00.5\n");
    assert_int_equal(t->cols[0]->type, CV_STRING);
    assert_int_equal(t->cols[1]->type, CV_STRING);
    assert_string_equal(cv_column_string(t->cols[0], 2, NULL), "007");
    assert_string_equal(cv_column_string(t->cols[1], 2, NULL), "00.5");
    cv_table_free(t);
}

/* Reading text with column d given the type date fails with the type error msg. */
static void assert_date_error(const char *text, const char *msg)
{
    cv_csv_options o;
    cv_csv_options_init(&o);
    cv_csv_coltype types[] = {{"d", CV_DATE}};
    o.types = types;
    o.ntypes = 1;
    cv_error err;
    assert_null(cv_csv_read_buffer("t.csv", text, strlen(text), &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, msg);
}

/* An invalid date after dates the fast path took: the same error, at the same place. */
static void test_typed_bad_date(void **state)
{
    (void)state;
    const char *text = "id,d\n1,2023-01-01\n2,2023-02-30\n";
    assert_date_error(text, "t.csv:3:3: expected a date in column 'd', found '2023-02-30' "
                            "(bad_as_missing = true reads it as missing)");
    /* inferred: the column is text */
    cv_table *t = read_checked(text);
    assert_int_equal(t->cols[1]->type, CV_STRING);
    cv_table_free(t);
}

/* A date equal (all 10 bytes) to the column's previous one is not parsed again: dates that
   differ from it in the last byte or in the first eight, the same text in another column,
   a date the fast path leaves (2100) repeated, and an invalid date repeated (its error at
   its first row) all read as a parse of each would. */
static void test_typed_repeated_dates(void **state)
{
    (void)state;
    cv_table *t = read_checked("a,b\n"
                               "2023-01-31,2023-01-30\n"
                               "2023-01-31,2023-01-31\n"
                               "2023-01-30,2023-01-31\n"
                               "2024-01-31,2024-01-31\n"
                               "2024-01-31,2100-03-01\n"
                               "2023-01-31,2100-03-01\n"
                               "2023-01-31,2023-01-30\n");
    static const int32_t want[7][2] = {{19388, 19387}, {19388, 19388}, {19387, 19388},
                                       {19753, 19753}, {19753, 47541}, {19388, 47541},
                                       {19388, 19387}};
    for (int i = 0; i < 7; i++)
        for (int j = 0; j < 2; j++)
            assert_int_equal(((const int32_t *)t->cols[j]->data)[i], want[i][j]);
    cv_table_free(t);
    assert_date_error("id,d\n1,2023-01-01\n2,2023-01-01\n3,2023-02-30\n4,2023-02-30\n",
                      "t.csv:4:3: expected a date in column 'd', found '2023-02-30' "
                      "(bad_as_missing = true reads it as missing)");
}

/* A file of n rows in several chunks, with one row changed by `odd` at row k. */
static char *make_rows(int n, int k, const char *odd)
{
    size_t cap = (size_t)n * 64 + 256;
    char *s = malloc(cap), *p = s;
    assert_non_null(s);
    p += sprintf(p, "id,day,amount,who\n");
    for (int i = 0; i < n; i++) {
        if (i == k)
            p += sprintf(p, "%s\n", odd);
        else
            p += sprintf(p, "%d,2022-%02d-%02d,%d.%02d,c%d\n", 1000 + i, 1 + i % 12, 1 + i % 28,
                         i % 997, i % 100, i % 50);
    }
    return s;
}

/* Threaded reads where the planned in-place columns do not hold (chunks of a 3-thread read
   of about 9 KB): each gives the one-thread table, with its known odd value. */
static void test_typed_plan_broken(void **state)
{
    (void)state;
    static const char *const odd[] = {
        "1300,2022-05-05,\"7.5\nwith a line end\",c1", /* a quoted line end */
        "1300,2022-05-05,NA,c1",                       /* a missing value */
        "1300,2022-05-05,,c1",                         /* an empty one */
        "1300,2022-05-05 10:30,7.5,c1",                /* date widened to datetime */
        "1300,2022-05-05,7,c1",                        /* an integer among decimals */
        "1300,2022-05-05,7.5,\"quoted, text\"",        /* quotes */
        "1300,20220505,7.5,c1",                        /* 8 digits: day becomes text */
        "1300,2022-05-05,7.5,\"c\nd\"",                /* a line end in text */
    };
    for (size_t q = 0; q < sizeof odd / sizeof *odd; q++) {
        char *text = make_rows(300, 250, odd[q]);
        cv_error e1, e2;
        cv_table *one = read_with(text, 1, 0, &e1), *many = read_with(text, 3, 0, &e2);
        assert_non_null(one);
        assert_non_null(many);
        assert_same(one, many);
        cv_table *gen = read_with(text, 1, 1, &e1);
        assert_non_null(gen);
        assert_same(one, gen);
        assert_int_equal(one->nrows, 300);
        switch (q) {
        case 0: /* one more line end than rows: amount is text now */
            assert_int_equal(one->cols[2]->type, CV_STRING);
            assert_string_equal(cv_column_string(one->cols[2], 250, NULL), "7.5\nwith a line end");
            break;
        case 1:
        case 2:
            assert_false(cv_column_is_valid(one->cols[2], 250));
            break;
        case 3:
            assert_int_equal(one->cols[1]->type, CV_DATETIME);
            assert_int_equal(((int64_t *)one->cols[1]->data)[250], 19117LL * 86400 + 37800);
            break;
        case 4:
            assert_true(num(one, 2, 250) == 7.0);
            break;
        case 5:
            assert_string_equal(cv_column_string(one->cols[3], 250, NULL), "quoted, text");
            break;
        case 7:
            assert_int_equal(one->cols[2]->type, CV_FLOAT64);
            assert_string_equal(cv_column_string(one->cols[3], 250, NULL), "c\nd");
            break;
        default:
            assert_int_equal(one->cols[1]->type, CV_STRING);
            assert_string_equal(cv_column_string(one->cols[1], 250, NULL), "20220505");
            break;
        }
        cv_table_free(one);
        cv_table_free(many);
        cv_table_free(gen);
        free(text);
    }
}

/* A last line without its line end, and a header only. */
static void test_typed_ends(void **state)
{
    (void)state;
    char *text = make_rows(200, -1, "");
    text[strlen(text) - 1] = '\0';
    cv_table *t = read_checked(text);
    assert_int_equal(t->nrows, 200);
    assert_int_equal(((int64_t *)t->cols[0]->data)[199], 1199);
    cv_table_free(t);
    free(text);
    t = read_checked("a,b\n");
    assert_int_equal(t->nrows, 0);
    cv_table_free(t);
}

typedef struct seen {
    int64_t rows;
    double sum;
} seen;

static int on_batch(void *ud, const cv_table *b, cv_error *err)
{
    (void)err;
    seen *s = ud;
    for (int64_t i = 0; i < b->nrows; i++)
        s->sum += cv_column_number(b->cols[2], i);
    s->rows += b->nrows;
    return 0;
}

/* Streaming takes the fast path too (types fixed by the first batch): the batches hold
   every row and value. */
static void test_typed_stream(void **state)
{
    (void)state;
    char *text = make_rows(1000, -1, "");
    const char *path = "build/tests/typed_stream.csv";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    seen s = {0, 0};
    cv_error err;
    assert_int_equal(cv_csv_stream(path, NULL, 64, on_batch, &s, NULL, &err), 0);
    double want = 0;
    for (int i = 0; i < 1000; i++)
        want += (i % 997) + (i % 100) / 100.0;
    assert_int_equal(s.rows, 1000);
    assert_true(fabs(s.sum - want) < 1e-6);
    remove(path);
    free(text);
}

/* Numbers of 16 to 19 digits: the integer division gives strtod's double. */
static void test_decimal_div(void **state)
{
    (void)state;
    static const char *const nums[] = {"30.732499999999998",
                                       "0.30000000000000004",
                                       "9007199254740993",
                                       "9007199254740995",
                                       "1.0000000000000002",
                                       "123456789.12345679",
                                       "0.1000000000000000055511151231257827",
                                       "4503599627370496.5",
                                       "4503599627370497.5",
                                       "999999999999999999.9",
                                       "0.0000000000000001",
                                       "18446744073709551615",
                                       "2.2250738585072014",
                                       "7.0000000000000004440892098500626"};
    for (size_t k = 0; k < sizeof nums / sizeof *nums; k++) {
        double got, want = strtod(nums[k], NULL);
        assert_int_equal(cv_parse_float(nums[k], strlen(nums[k]), 0, &got), 0);
        assert_memory_equal(&got, &want, sizeof got);
    }
    /* random 16-19 digit decimals, point anywhere */
    unsigned long long x = 88172645463325252ULL;
    char buf[32];
    for (int it = 0; it < 200000; it++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int nd = 16 + (int)(x % 4), pt = 1 + (int)((x >> 8) % (unsigned)nd), n = 0;
        unsigned long long y = x;
        for (int i = 0; i < nd; i++) {
            if (i == pt)
                buf[n++] = '.';
            buf[n++] = (char)('0' + (i == 0 ? 1 + y % 9 : y % 10));
            y = y / 10 ^ (y << 7);
        }
        buf[n] = '\0';
        double got, want = strtod(buf, NULL);
        assert_int_equal(cv_parse_float(buf, (size_t)n, 0, &got), 0);
        assert_memory_equal(&got, &want, sizeof got);
    }
}

/* The UTF-8 check: whole 32-byte runs of ASCII, and a bad byte just after one. */
static void test_utf8_prefix_blocks(void **state)
{
    (void)state;
    unsigned char buf[96];
    memset(buf, 'a', sizeof buf);
    size_t bad = 0;
    assert_int_equal(cv_utf8_valid_prefix(buf, 64, 1, &bad), 64);
    assert_int_equal(cv_utf8_valid_prefix(buf, 96, 0, &bad), 96);
    buf[33] = 0xff;
    assert_int_equal(cv_utf8_valid_prefix(buf, 96, 1, &bad), -1);
    assert_int_equal(bad, 33);
    buf[33] = 0xc3; /* an incomplete character at the end of a block: stops before it */
    assert_int_equal(cv_utf8_valid_prefix(buf, 34, 0, &bad), 33);
    buf[34] = 0xa9; /* é */
    assert_int_equal(cv_utf8_valid_prefix(buf, 96, 1, &bad), 96);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typed_edges),          cmocka_unit_test(test_typed_missing),
        cmocka_unit_test(test_typed_leading_zero),   cmocka_unit_test(test_typed_bad_date),
        cmocka_unit_test(test_typed_repeated_dates), cmocka_unit_test(test_typed_plan_broken),
        cmocka_unit_test(test_typed_ends),           cmocka_unit_test(test_typed_stream),
        cmocka_unit_test(test_decimal_div),          cmocka_unit_test(test_utf8_prefix_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
