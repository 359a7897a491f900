/* Hostile and odd input for the CSV reader, the writer's guard and the summary: lines of
   megabytes, too many columns, NUL bytes (and a sparse file over 4 GiB that is all NUL),
   invalid UTF-8, truncated GB18030, CRLF and lone CR, odd numbers and dates, repeated
   column names, a customer id column of mixed types, and an output that would replace an
   input. Each gives a clear error (exact text) or a correct result (docs/safety.md). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvkit/csv.h"
#include "cvkit/guard.h"
#include "cvkit/summary.h"

/* Reads len bytes of text with the default options (plus decimal_comma). */
static cv_table *read_n(const char *text, size_t len, int decimal_comma, cv_error *err)
{
    cv_csv_options o;
    cv_csv_options_init(&o);
    o.decimal_comma = decimal_comma;
    return cv_csv_read_buffer("t.csv", text, len, &o, NULL, err);
}

static cv_table *read_s(const char *text, cv_error *err)
{
    return read_n(text, strlen(text), 0, err);
}

/* Reads text with column a given as type ty, expecting a failure; returns its message. */
static const char *typed_error(const char *text, cv_type ty, cv_error *err)
{
    cv_csv_options o;
    cv_csv_coltype types[] = {{"a", ty}};
    cv_table *t;
    cv_csv_options_init(&o);
    o.types = types;
    o.ntypes = 1;
    t = cv_csv_read_buffer("t.csv", text, strlen(text), &o, NULL, err);
    assert_null(t);
    return err->msg;
}

static void test_hostile_long_line(void **state)
{
    size_t big = (size_t)3 << 20, len;
    char *text = malloc(big + 32);
    cv_error err;
    cv_table *t;
    (void)state;
    assert_non_null(text);
    memcpy(text, "id,s\n1,", 7);
    memset(text + 7, 'x', big);
    memcpy(text + 7 + big, "\n2,y\n", 5);
    t = read_n(text, big + 12, 0, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    const char *s = cv_column_string(t->cols[1], 0, &len);
    assert_int_equal(len, big);
    assert_true(s[0] == 'x' && s[big - 1] == 'x');
    cv_table_free(t);
    free(text);
}

/* A million columns: refused from the first row; 16,384 are read. (Both in linear time: a
   quadratic step over a million names would not finish; no clock is asserted, as tests
   also run under valgrind.) */
static void test_hostile_too_many_columns(void **state)
{
    int n = 1000000;
    size_t cap = (size_t)n * 9 + 16, len = 0;
    char *text = malloc(cap);
    cv_error err;
    cv_table *t;
    (void)state;
    assert_non_null(text);
    for (int j = 0; j < n; j++)
        len += (size_t)snprintf(text + len, cap - len, j ? ",c%d" : "c%d", j);
    text[len++] = '\n';
    assert_null(read_n(text, len, 0, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "t.csv: expected at most 16384 columns, found 1000000");
    /* 16,384 columns, all named "a": renamed a, a_2, ..., a_16384 in linear time */
    len = 0;
    for (int j = 0; j < CV_CSV_MAX_COLUMNS; j++)
        len += (size_t)snprintf(text + len, cap - len, j ? ",a" : "a");
    len += (size_t)snprintf(text + len, cap - len, "\n");
    for (int j = 0; j < CV_CSV_MAX_COLUMNS; j++)
        len += (size_t)snprintf(text + len, cap - len, j ? ",%d" : "%d", j);
    text[len++] = '\n';
    t = read_n(text, len, 0, &err);
    assert_non_null(t);
    assert_int_equal(t->ncols, CV_CSV_MAX_COLUMNS);
    assert_string_equal(t->cols[1]->name, "a_2");
    assert_string_equal(t->cols[CV_CSV_MAX_COLUMNS - 1]->name, "a_16384");
    assert_int_equal(cv_column_int(t->cols[CV_CSV_MAX_COLUMNS - 1], 0), CV_CSV_MAX_COLUMNS - 1);
    cv_table_free(t);
    free(text);
}

static void test_hostile_nul_byte(void **state)
{
    cv_error err;
    (void)state;
    assert_null(read_n("a,b\n1,x\0y\n", 10, 0, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg,
                        "t.csv:2:4: expected text, found a NUL byte (a binary or UTF-16 file?)");
    /* UTF-16 (what some spreadsheets save as "Unicode text") is converted */
    cv_table *t = read_n("\xff\xfe"
                         "a\0,\0b\0\n\0"
                         "1\0,\0x\0\n\0",
                         18, 0, &err);
    assert_non_null(t);
    assert_int_equal(t->ncols, 2);
    assert_int_equal(t->nrows, 1);
    cv_table_free(t);
}

/* Bytes this process has read so far (rchar of /proc/self/io), or -1 without it. */
static long long bytes_read(void)
{
    char line[128];
    long long v = -1;
    FILE *f = fopen("/proc/self/io", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "rchar: %lld", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

/* A sparse file of 5 GiB: two rows, then a hole (NUL bytes) to the end. The error comes
   with its line from the first block: the reader stops there (it reads less than 64 MiB
   of the 5 GiB), so offsets past 4 GiB never cost a read. */
static void test_hostile_sparse_file_over_4gib(void **state)
{
    char path[] = "/tmp/cvkit-sparse-XXXXXX";
    int fd = mkstemp(path);
    cv_error err;
    long long r0 = bytes_read(), r1;
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a,b\n1,2\n", 8), 8);
    if (ftruncate(fd, (off_t)5 << 30) != 0) {
        close(fd);
        unlink(path);
        skip(); /* a file system without sparse files or large files */
    }
    close(fd);
    assert_null(cv_csv_read(path, NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_non_null(strstr(err.msg, ":3:1: expected text, found a NUL byte"));
    r1 = bytes_read();
    if (r0 >= 0 && r1 >= 0)
        assert_true(r1 - r0 < (64LL << 20));
    unlink(path);
}

static void test_hostile_encodings(void **state)
{
    cv_csv_options o;
    cv_error err;
    (void)state;
    cv_csv_options_init(&o);
    o.encoding = CV_ENC_UTF8;
    assert_null(cv_csv_read_buffer("t.csv", "a,b\n1,\xff\xfe\n", 9, &o, NULL, &err));
    assert_string_equal(err.msg, "t.csv:2:3: expected UTF-8 text, found the invalid byte 0xff");
    o.encoding = CV_ENC_GB18030; /* the first byte of a two-byte character, then the end */
    assert_null(cv_csv_read_buffer("t.csv", "a,b\n1,x\xd6", 8, &o, NULL, &err));
    assert_string_equal(err.msg, "t.csv:2:4: expected GB18030 text, found the invalid byte 0xd6");
    o.encoding = CV_ENC_AUTO; /* "中文" in GBK: decoded */
    cv_table *t = cv_csv_read_buffer("t.csv", "a,b\n1,\xd6\xd0\xce\xc4\n", 10, &o, NULL, &err);
    assert_non_null(t);
    assert_string_equal(cv_column_string(t->cols[1], 0, NULL), "\xe4\xb8\xad\xe6\x96\x87");
    cv_table_free(t);
}

static void test_hostile_line_ends(void **state)
{
    static const char *const texts[] = {"a,b\r\n1,2\r\n3,4\r\n", "a,b\r1,2\r3,4\r",
                                        "a,b\n1,2\r\n3,4", "a,b\r\n\"1\r\nx\",2\r3,4\n"};
    cv_error err;
    (void)state;
    for (int k = 0; k < 4; k++) {
        cv_table *t = read_s(texts[k], &err);
        assert_non_null(t);
        assert_int_equal(t->nrows, 2);
        assert_int_equal(t->ncols, 2);
        assert_int_equal(cv_column_int(t->cols[1], 1), 4);
        if (k == 3) /* a line end inside quotes is kept */
            assert_string_equal(cv_column_string(t->cols[0], 0, NULL), "1\r\nx");
        else
            assert_int_equal(cv_column_int(t->cols[0], 1), 3);
        cv_table_free(t);
    }
}

static void test_hostile_numbers(void **state)
{
    cv_error err;
    cv_table *t;
    (void)state;
    /* 1e999 overflows a double: not a number (a string column), an error when asked for */
    t = read_s("a\n1e999\n", &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_STRING);
    cv_table_free(t);
    assert_string_equal(typed_error("a\n1e999\n", CV_FLOAT64, &err),
                        "t.csv:2:1: expected a number in column 'a', found '1e999' "
                        "(bad_as_missing = true reads it as missing)");
    /* -0 is the integer 0; -0.0 the float -0 */
    t = read_s("a,b\n-0,-0.0\n", &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_INT64);
    assert_int_equal(cv_column_int(t->cols[0], 0), 0);
    assert_true(cv_column_float(t->cols[1], 0) == 0.0);
    cv_table_free(t);
    /* hexadecimal is text; a thousands separator that reads one way only is a number */
    t = read_s("a,b\n0x10,\"1,234.50\"\n", &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_STRING);
    assert_int_equal(t->cols[1]->type, CV_FLOAT64);
    assert_true(cv_column_float(t->cols[1], 0) == 1234.5);
    cv_table_free(t);
    assert_string_equal(typed_error("a\n0x10\n", CV_INT64, &err),
                        "t.csv:2:1: expected an integer in column 'a', found '0x10' "
                        "(bad_as_missing = true reads it as missing)");
    /* decimal comma: 1234,50 is 1234.5; 1.234,50 (a thousands dot) is 1234.5 too */
    const char *dc = "a;b\n1234,50;1.234,50\n";
    t = read_n(dc, strlen(dc), 1, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_FLOAT64);
    assert_true(cv_column_float(t->cols[0], 0) == 1234.5);
    assert_int_equal(t->cols[1]->type, CV_FLOAT64);
    assert_true(cv_column_float(t->cols[1], 0) == 1234.5);
    cv_table_free(t);
}

static void test_hostile_dates(void **state)
{
    cv_error err;
    cv_table *t = read_s("a\n1997-02-30\n", &err);
    (void)state;
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_STRING); /* not a calendar date */
    cv_table_free(t);
    assert_string_equal(typed_error("a\n1997-02-28\n1997-02-30\n", CV_DATE, &err),
                        "t.csv:3:1: expected a date in column 'a', found '1997-02-30' "
                        "(bad_as_missing = true reads it as missing)");
    t = read_s("a\n1996-02-29\n", &err); /* a leap day */
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_DATE);
    cv_table_free(t);
}

/* Repeated names get _2, _3, ...; an existing a_2 is skipped over. */
static void test_hostile_duplicate_names(void **state)
{
    cv_error err;
    cv_table *t = read_s("a,a_2,a,a,b\n1,2,3,4,5\n", &err);
    (void)state;
    assert_non_null(t);
    assert_string_equal(t->cols[0]->name, "a");
    assert_string_equal(t->cols[1]->name, "a_2");
    assert_string_equal(t->cols[2]->name, "a_3");
    assert_string_equal(t->cols[3]->name, "a_4");
    assert_string_equal(t->cols[4]->name, "b");
    cv_table_free(t);
}

/* Customer ids "1", "A2", "10": a string column; the summary keys on the text. */
static void test_hostile_mixed_customer_ids(void **state)
{
    const char *text = "id,date,amount\n1,1997-01-01,10\nA2,1997-01-02,5\n10,1997-01-03,1\n"
                       "1,1997-01-08,20\n";
    cv_summary_options so;
    cv_error err;
    cv_table *t = read_s(text, &err), *s;
    (void)state;
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_STRING);
    memset(&so, 0, sizeof so);
    so.customer = "id";
    so.date = "date";
    so.amount = "amount";
    s = cv_summary_table(t, &so, NULL, &err);
    assert_non_null(s);
    assert_int_equal(s->nrows, 3);
    assert_string_equal(cv_column_string(s->cols[0], 0, NULL), "1"); /* by bytes */
    assert_string_equal(cv_column_string(s->cols[0], 1, NULL), "10");
    assert_string_equal(cv_column_string(s->cols[0], 2, NULL), "A2");
    assert_int_equal(cv_column_int(cv_table_col(s, "x", NULL), 0), 1);
    cv_table_free(s);
    cv_table_free(t);
}

/* A one-column table with a missing value: written as "" (not a blank line, which a
   reader skips), so the row survives a round trip (found by fuzz_csv). */
static void test_hostile_one_column_missing_round_trip(void **state)
{
    cv_error err;
    size_t len;
    cv_table *t = read_s("a\n1\nNA\n3\n", &err), *u;
    char *s;
    (void)state;
    assert_non_null(t);
    assert_int_equal(t->nrows, 3);
    s = cv_table_write_string(t, CV_FMT_CSV, &len, &err);
    assert_non_null(s);
    assert_string_equal(s, "a\n1\n\"\"\n3\n");
    u = read_n(s, len, 0, &err);
    assert_non_null(u);
    assert_int_equal(u->nrows, 3);
    assert_false(cv_column_is_valid(u->cols[0], 1));
    assert_int_equal(cv_column_int(u->cols[0], 2), 3);
    cv_table_free(u);
    cv_table_free(t);
    free(s);
}

/* An output over a file this run read is refused; the input is intact. */
static void test_hostile_output_over_input(void **state)
{
    char path[] = "/tmp/cvkit-guard-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    cv_error err;
    cv_table *t;
    char buf[64];
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "a,b\n1,2\n", 8), 8);
    close(fd);
    cv_guard_reset_inputs();
    t = cv_csv_read(path, NULL, NULL, &err);
    assert_non_null(t);
    assert_int_equal(cv_table_write(t, path, CV_FMT_JSON, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, ": refusing to replace a file this run read"));
    fd = open(path, O_RDONLY);
    assert_int_equal(read(fd, buf, sizeof buf), 8);
    close(fd);
    assert_memory_equal(buf, "a,b\n1,2\n", 8);
    cv_guard_reset_inputs();
    assert_int_equal(cv_table_write(t, path, CV_FMT_CSV, &err), 0); /* a new run may */
    cv_table_free(t);
    unlink(path);
    cv_guard_reset_inputs();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_long_line),
        cmocka_unit_test(test_hostile_too_many_columns),
        cmocka_unit_test(test_hostile_nul_byte),
        cmocka_unit_test(test_hostile_sparse_file_over_4gib),
        cmocka_unit_test(test_hostile_encodings),
        cmocka_unit_test(test_hostile_line_ends),
        cmocka_unit_test(test_hostile_numbers),
        cmocka_unit_test(test_hostile_dates),
        cmocka_unit_test(test_hostile_duplicate_names),
        cmocka_unit_test(test_hostile_mixed_customer_ids),
        cmocka_unit_test(test_hostile_one_column_missing_round_trip),
        cmocka_unit_test(test_hostile_output_over_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
