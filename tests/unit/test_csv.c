/* Tests of the CSV reader (src/core/csv_read.c): one fixture per quirk in tests/data/,
   type inference, errors with their exact line:col, forgiving modes, threads giving the
   one-thread result exactly, streaming, and the CDNOW files' published counts
   (README of shared/data: 6,919 lines and 2,357 customers; 69,659 lines and 23,570). */
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

#include <csv.h>
#include <iconv.h>

#include "cvkit/csv.h"
#include "cvkit/progress.h"
#include "data.h"

static cv_csv_options opts(void)
{
    cv_csv_options o;
    memset(&o, 0, sizeof o);
    o.header = -1;
    return o;
}

static cv_table *read_file(const char *path, const cv_csv_options *o, cv_error *err)
{
    cv_table *t = cv_csv_read(path, o, NULL, err);
    if (!t)
        print_message("%s\n", err->msg);
    return t;
}

static cv_table *read_text(const char *text, const cv_csv_options *o, cv_error *err)
{
    return cv_csv_read_buffer("t.csv", text, strlen(text), o, NULL, err);
}

static const char *str_at(const cv_table *t, int col, int64_t row)
{
    return cv_column_string(t->cols[col], row, NULL);
}

/* ---- fixtures, one quirk each ------------------------------------------------------------ */

static void test_csv_quoted_comma(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_error err;
    cv_table *t = read_file("tests/data/quoted_comma.csv", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(t->ncols, 2);
    assert_string_equal(t->cols[0]->name, "name");
    assert_string_equal(str_at(t, 0, 0), "Smith, John");
    assert_int_equal(t->cols[1]->type, CV_FLOAT64);
    assert_true(cv_column_float(t->cols[1], 0) == 12.5);
    assert_true(cv_column_float(t->cols[1], 1) == 3.0);
    cv_table_free(t);
}

static void test_csv_quoted_newline(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_error err;
    cv_table *t = read_file("tests/data/quoted_newline.csv", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(str_at(t, 1, 0), "line one\nline two");
    assert_string_equal(str_at(t, 1, 1), "plain");
    assert_int_equal(cv_column_int(t->cols[0], 1), 2);
    cv_table_free(t);
}

static void test_csv_crlf(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_error err;
    cv_table *t = read_file("tests/data/crlf.csv", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->cols[1]->name, "value");
    assert_true(cv_column_float(t->cols[1], 1) == 3.5);
    cv_table_free(t);
}

static void test_csv_bom(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/bom.csv", &o, &rep, &err);
    assert_non_null(t);
    assert_string_equal(t->cols[0]->name, "id"); /* not "\xef\xbb\xbfid" */
    assert_int_equal(t->nrows, 2);
    assert_int_equal(rep.encoding, CV_ENC_UTF8);
    cv_table_free(t);
}

static void test_csv_semicolon(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/semicolon.csv", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.delim, ';');
    assert_int_equal(t->ncols, 3);
    assert_int_equal(t->cols[2]->type, CV_DATE);
    assert_int_equal(cv_column_i32(t->cols[2], 1), 18263); /* 2020-01-02: 50 years on */
    cv_table_free(t);
}

static void test_csv_tab_and_pipe(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/tab.tsv", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.delim, '\t');
    assert_string_equal(str_at(t, 1, 0), "x y");
    cv_table_free(t);
    t = cv_csv_read("tests/data/pipe.txt", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.delim, '|');
    assert_string_equal(str_at(t, 1, 1), "y");
    cv_table_free(t);
}

static void test_csv_spaces(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/spaces.txt", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.delim, CV_DELIM_WHITESPACE);
    assert_int_equal(rep.header, 0);
    assert_int_equal(t->ncols, 5);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->cols[0]->name, "V1"); /* no header: V1, V2, ... */
    assert_string_equal(t->cols[4]->name, "V5");
    /* 00037: a leading zero, so text; 20240315 without a header saying date: an int */
    assert_int_equal(t->cols[0]->type, CV_STRING);
    size_t len;
    assert_string_equal(cv_column_string(t->cols[0], 1, &len), "00037");
    assert_int_equal(t->cols[4]->type, CV_INT64);
    assert_int_equal(cv_column_int(t->cols[4], 0), 20240315);
    assert_true(cv_column_float(t->cols[3], 1) == 17.25);
    cv_table_free(t);
    cv_csv_coltype types[] = {{"V1", CV_INT64}, {"V5", CV_DATE}};
    o.types = types;
    o.ntypes = 2;
    t = cv_csv_read("tests/data/spaces.txt", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(cv_column_int(t->cols[0], 1), 37);
    assert_int_equal(t->cols[4]->type, CV_DATE);
    assert_int_equal(cv_column_i32(t->cols[4], 0), 19797); /* 2024-03-15 */
    cv_table_free(t);
}

static void test_csv_gbk(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/gbk.csv", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.encoding, CV_ENC_GB18030);
    assert_string_equal(t->cols[0]->name, "\xe5\x9f\x8e\xe5\xb8\x82"); /* 城市 */
    assert_string_equal(t->cols[1]->name, "\xe9\x87\x91\xe9\xa2\x9d"); /* 金额 */
    assert_string_equal(str_at(t, 0, 0), "\xe5\x8c\x97\xe4\xba\xac");  /* 北京 */
    assert_string_equal(str_at(t, 0, 1), "\xe4\xb8\x8a\xe6\xb5\xb7");  /* 上海 */
    assert_true(cv_column_float(t->cols[1], 0) == 12.5);
    cv_table_free(t);
    /* the same bytes from memory, and with the encoding given */
    const char *gbk = "\xb3\xc7\xca\xd0,\xbd\xf0\xb6\xee\n\xb1\xb1\xbe\xa9,12.5\n";
    o.encoding = CV_ENC_GB18030;
    t = cv_csv_read_buffer("g.csv", gbk, strlen(gbk), &o, NULL, &err);
    assert_non_null(t);
    assert_string_equal(str_at(t, 0, 0), "\xe5\x8c\x97\xe4\xba\xac");
    cv_table_free(t);
}

static void test_csv_missing_values(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_error err;
    cv_table *t = read_file("tests/data/missing.csv", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->cols[1]->type, CV_FLOAT64);
    assert_false(cv_column_is_valid(t->cols[1], 0)); /* NA */
    assert_false(cv_column_is_valid(t->cols[1], 1)); /* empty */
    assert_true(cv_column_float(t->cols[1], 2) == 4.5);
    assert_int_equal(t->cols[2]->type, CV_STRING);
    assert_string_equal(str_at(t, 2, 0), "x");
    assert_null(str_at(t, 2, 1)); /* NULL */
    assert_null(str_at(t, 2, 2)); /* empty */
    assert_int_equal(cv_column_count_missing(t->cols[1]), 2);
    cv_table_free(t);
    /* configurable: only "-" is missing, so "NA" is a string */
    const char *na[] = {"-"};
    o.na = na;
    o.nna = 1;
    t = read_text("a,b\n1,NA\n-,x\n", &o, &err);
    assert_non_null(t);
    assert_string_equal(str_at(t, 1, 0), "NA");
    assert_false(cv_column_is_valid(t->cols[0], 1));
    cv_table_free(t);
}

/* ---- errors: "path:line:col: what was expected, what was found" ------------------------ */

static void test_csv_error_missing_file(void **state)
{
    (void)state;
    cv_error err;
    assert_null(cv_csv_read("tests/data/no_such_file.csv", NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_IO);
    assert_string_equal(err.msg,
                        "tests/data/no_such_file.csv: cannot open the file: no such file or "
                        "directory");
}

static void test_csv_error_directory(void **state)
{
    (void)state;
    cv_error err;
    assert_null(cv_csv_read("tests/data", NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_IO);
    assert_string_equal(err.msg, "tests/data: expected a file, found a directory");
}

static void test_csv_error_empty(void **state)
{
    (void)state;
    cv_error err;
    assert_null(cv_csv_read("tests/data/empty.csv", NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "tests/data/empty.csv: expected a header or data rows, found an "
                                 "empty file");
    assert_null(read_text("\n\n  \n", NULL, &err)); /* only blank lines */
    assert_int_equal(err.code, CV_ERR_PARSE);
}

static void test_csv_error_ragged(void **state)
{
    (void)state;
    cv_error err;
    assert_null(cv_csv_read("tests/data/ragged.csv", NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    /* "4,5" ends at column 4 of line 3 */
    assert_string_equal(err.msg, "tests/data/ragged.csv:3:4: expected 3 fields, found 2");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 4);
    /* an extra field: where it starts */
    assert_null(read_text("a,b,c\n1,2,3\n4,5,6,7\n", NULL, &err));
    assert_string_equal(err.msg, "t.csv:3:7: expected 3 fields, found 4");
    /* physical lines: a quoted newline and a blank line before the bad row count */
    assert_null(read_text("a,b\n\"x\ny\",1\n\n3\n", NULL, &err));
    assert_string_equal(err.msg, "t.csv:5:2: expected 2 fields, found 1");
    /* CRLF line ends count once; columns count characters, not bytes */
    assert_null(read_text("a,b\r\n\xc3\xa9t\xc3\xa9,1\r\n\xc3\xa9t\xc3\xa9\r\n", NULL, &err));
    assert_string_equal(err.msg, "t.csv:3:4: expected 2 fields, found 1");
    /* blank-separated rows */
    assert_null(read_text(" 1  2 3\n 4 5\n", NULL, &err));
    assert_string_equal(err.msg, "t.csv:2:5: expected 3 fields, found 2");
}

static void test_csv_error_bad_date(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_coltype types[] = {{"d", CV_DATE}};
    o.types = types;
    o.ntypes = 1;
    cv_error err;
    assert_null(cv_csv_read("tests/data/bad_date.csv", &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, "tests/data/bad_date.csv:3:3: expected a date in column 'd', "
                                 "found '1997-13-01' (bad_as_missing = true reads it as missing)");
    /* without a given type the column is text, and no error */
    cv_table *t = read_file("tests/data/bad_date.csv", NULL, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[1]->type, CV_STRING);
    cv_table_free(t);
}

static void test_csv_error_unterminated_quote(void **state)
{
    (void)state;
    cv_error err;
    assert_null(cv_csv_read("tests/data/unterminated.csv", NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "tests/data/unterminated.csv:3:3: unterminated quote: "
                                 "expected a closing '\"' for the field opened here, found "
                                 "the end of the file");
}

static void test_csv_error_invalid_utf8(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    o.encoding = CV_ENC_UTF8;
    cv_error err;
    const char *text = "id,name\n1,ok\n2,caf\xe9\n";
    assert_null(cv_csv_read_buffer("u.csv", text, strlen(text), &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_string_equal(err.msg, "u.csv:3:6: expected UTF-8 text, found the invalid byte 0xe9");
    /* auto: valid in neither UTF-8 nor GB18030 (0xe9 then a line end): the UTF-8 place */
    o.encoding = CV_ENC_AUTO;
    assert_null(cv_csv_read_buffer("u.csv", text, strlen(text), &o, NULL, &err));
    assert_string_equal(err.msg, "u.csv:3:6: expected UTF-8 text, found the invalid byte 0xe9");
}

/* ---- inference and options ----------------------------------------------------------------- */

static void test_csv_infer_widening(void **state)
{
    (void)state;
    cv_error err;
    cv_table *t = read_text("i,f,d,dt,b,s,n,c8\n"
                            "1,1,2020-01-01,2020-01-01,true,007,,19970101\n"
                            "2,2.5,2020-01-02,2020-01-02 10:30,false,12,NA,12345678\n"
                            "3,-0,2020-02-29,2020-01-03T00:00:01,TRUE,abc,,19970102\n",
                            NULL, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_INT64);
    assert_int_equal(t->cols[1]->type, CV_FLOAT64);
    assert_true(cv_column_float(t->cols[1], 0) == 1.0);
    assert_true(signbit(cv_column_float(t->cols[1], 2)));
    assert_int_equal(t->cols[2]->type, CV_DATE);
    assert_int_equal(cv_column_i32(t->cols[2], 2), 18321); /* 2020-02-29 */
    assert_int_equal(t->cols[3]->type, CV_DATETIME);
    assert_int_equal(cv_column_int(t->cols[3], 0), 18262LL * 86400);
    assert_int_equal(cv_column_int(t->cols[3], 1), 18263LL * 86400 + 10 * 3600 + 30 * 60);
    assert_int_equal(t->cols[4]->type, CV_BOOL);
    assert_int_equal(cv_column_bool(t->cols[4], 1), 0);
    assert_int_equal(cv_column_bool(t->cols[4], 2), 1);
    /* int then text: the column is read again as text, keeping "007" as written */
    assert_int_equal(t->cols[5]->type, CV_STRING);
    assert_string_equal(str_at(t, 5, 0), "007");
    assert_string_equal(str_at(t, 5, 2), "abc");
    /* all missing: string */
    assert_int_equal(t->cols[6]->type, CV_STRING);
    assert_int_equal(cv_column_count_missing(t->cols[6]), 3);
    /* 8 digits: dates until one is not a date, then integers */
    assert_int_equal(t->cols[7]->type, CV_INT64);
    assert_int_equal(cv_column_int(t->cols[7], 0), 19970101);
    assert_int_equal(cv_column_int(t->cols[7], 1), 12345678);
    cv_table_free(t);
    /* 0/1 are integers, not booleans; a number and a date together are text */
    t = read_text("a,b\n0,1\n1,2020-01-01\n", NULL, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_INT64);
    assert_int_equal(t->cols[1]->type, CV_STRING);
    cv_table_free(t);
}

static void test_csv_header_detection(void **state)
{
    (void)state;
    cv_csv_report rep;
    cv_error err;
    cv_csv_options o = opts();
    cv_table *t = cv_csv_read_buffer("h", "1,2\n3,4\n", 8, &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.header, 0);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->cols[1]->name, "V2");
    cv_table_free(t);
    o.header = 0; /* given: no header, even when the first row looks like one */
    t = cv_csv_read_buffer("h", "a,b\n3,4\n", 8, &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(t->cols[0]->type, CV_STRING);
    cv_table_free(t);
    o.header = -1; /* all text: a first row whose values do not recur is a header */
    t = read_text("name,city\nann,paris\nbob,rome\n", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    assert_string_equal(t->cols[1]->name, "city");
    cv_table_free(t);
    t = read_text("x,x\n1,2\n", &o, &err); /* duplicate names made unique */
    assert_non_null(t);
    assert_string_equal(t->cols[1]->name, "x_2");
    cv_table_free(t);
}

static void test_csv_given_types_and_names(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_coltype types[] = {{"1", CV_STRING}, {"amount", CV_FLOAT64}};
    o.types = types;
    o.ntypes = 2;
    cv_error err;
    cv_table *t = read_text("id,amount\n007,1\n8,2\n", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_STRING);
    assert_string_equal(str_at(t, 0, 0), "007");
    assert_int_equal(t->cols[1]->type, CV_FLOAT64);
    cv_table_free(t);
    cv_csv_coltype bad[] = {{"nope", CV_INT64}};
    o.types = bad;
    o.ntypes = 1;
    assert_null(read_text("id,amount\n1,2\n", &o, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    o.types = NULL;
    o.ntypes = 0;
    const char *names[] = {"x", "y"};
    o.names = names;
    o.nnames = 2;
    o.header = 0;
    t = read_text("1,2\n", &o, &err);
    assert_non_null(t);
    assert_string_equal(t->cols[1]->name, "y");
    cv_table_free(t);
}

static void test_csv_dates_dmy_and_decimal_comma(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_error err;
    cv_table *t = read_text("d;x\n01/02/1997;1,5\n28/02/1997;2\n", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_STRING);  /* not read as dates unless asked */
    assert_int_equal(t->cols[1]->type, CV_FLOAT64); /* "1,5" reads only with a decimal comma */
    cv_table_free(t);
    o.date_order = CV_DATE_DMY;
    o.decimal_comma = 1;
    t = read_text("d;x\n01/02/1997;1,5\n28/02/1997;2\n", &o, &err);
    assert_non_null(t);
    assert_int_equal(t->cols[0]->type, CV_DATE);
    assert_int_equal(cv_column_i32(t->cols[0], 0), 9862 + 31);
    assert_int_equal(t->cols[1]->type, CV_FLOAT64);
    assert_true(cv_column_float(t->cols[1], 0) == 1.5);
    cv_table_free(t);
}

static void test_csv_forgiving_modes(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    o.skip_bad_rows = 1;
    cv_csv_report rep;
    cv_error err;
    cv_table *t = cv_csv_read("tests/data/ragged.csv", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 2);
    assert_int_equal(rep.rows, 2);
    assert_int_equal(rep.skipped_rows, 1);
    assert_int_equal(rep.nexamples, 1);
    assert_string_equal(rep.examples[0], "tests/data/ragged.csv:3:4: expected 3 fields, found 2");
    assert_int_equal(cv_column_int(t->cols[0], 1), 6);
    cv_table_free(t);
    o = opts();
    o.bad_as_missing = 1;
    cv_csv_coltype types[] = {{"d", CV_DATE}};
    o.types = types;
    o.ntypes = 1;
    t = cv_csv_read("tests/data/bad_date.csv", &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.bad_values, 1);
    assert_false(cv_column_is_valid(t->cols[1], 1));
    assert_string_equal(
        rep.examples[0],
        "tests/data/bad_date.csv:3:3: expected a date in "
        "column 'd', found '1997-13-01' (bad_as_missing = true reads it as missing)");
    cv_table_free(t);
}

/* ---- the fast path for quote-free lines splits exactly as libcsv does ------------------ */

typedef struct ref_rows {
    char **cells; /* row-major, NULL-free copies */
    int *nf;      /* fields per row */
    int nrows, ncells, cur;
} ref_rows;

static void ref_field(void *s, size_t len, void *ud)
{
    ref_rows *r = ud;
    char *c = malloc(len + 1);
    memcpy(c, s, len);
    c[len] = '\0';
    r->cells = realloc(r->cells, (size_t)(r->ncells + 1) * sizeof *r->cells);
    r->cells[r->ncells++] = c;
    r->cur++;
}

static void ref_row(int c, void *ud)
{
    (void)c;
    ref_rows *r = ud;
    r->nf = realloc(r->nf, (size_t)(r->nrows + 1) * sizeof *r->nf);
    r->nf[r->nrows++] = r->cur;
    r->cur = 0;
}

static void test_csv_fast_path_matches_libcsv(void **state)
{
    (void)state;
    static const char alphabet[] = "ab1  \t,,,,\n\n\r\"";
    uint64_t x = 99;
    for (int round = 0; round < 300; round++) {
        size_t n = 3000;
        char *text = malloc(n + 16);
        size_t k = 0;
        memcpy(text, "a,b,c\n", 6); /* three fields: the row width */
        k = 6;
        while (k < n) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned r = (unsigned)(x >> 33);
            /* mostly plain rows of three fields, sometimes noise */
            if (r % 4 != 0) {
                k += (size_t)snprintf(text + k, n + 16 - k, "%s%u,%s , %c\n", r % 3 ? "" : " ",
                                      r % 100, r % 5 ? "x y" : "", "ab\t "[r % 4]);
            } else {
                text[k++] = alphabet[(r >> 8) % (sizeof alphabet - 1)];
            }
        }
        text[k] = '\0';
        /* reference: libcsv on the whole text */
        ref_rows ref;
        memset(&ref, 0, sizeof ref);
        struct csv_parser p;
        csv_init(&p, CSV_STRICT);
        int stray = csv_parse(&p, text, k, ref_field, ref_row, &ref) != k;
        int open_quote = stray || (p.pstate == 2 && p.quoted); /* both: an error */
        csv_fini(&p, ref_field, ref_row, &ref);
        csv_free(&p);
        cv_csv_options o = opts();
        o.header = 0;
        o.delim = ',';
        o.skip_bad_rows = 1;
        const char *na[] = {"\x01"};
        o.na = na;
        o.nna = 1;
        cv_csv_coltype types[] = {{"1", CV_STRING}, {"2", CV_STRING}, {"3", CV_STRING}};
        o.types = types;
        o.ntypes = 3;
        for (int th = 1; th <= 2; th++) {
            o.threads = th;
            cv_error err;
            cv_table *t = cv_csv_read_buffer("f.csv", text, k, &o, NULL, &err);
            if (open_quote) {
                assert_null(t);
                assert_int_equal(err.code, CV_ERR_PARSE);
                continue;
            }
            assert_non_null(t);
            int64_t row = 0;
            int cell = 0;
            for (int i = 0; i < ref.nrows; i++) {
                if (ref.nf[i] == 3) {
                    for (int j = 0; j < 3; j++) {
                        const char *want = ref.cells[cell + j];
                        const char *got = str_at(t, j, row);
                        assert_string_equal(got ? got : "", want);
                    }
                    row++;
                }
                cell += ref.nf[i];
            }
            assert_int_equal(row, t->nrows);
            cv_table_free(t);
        }
        for (int i = 0; i < ref.ncells; i++)
            free(ref.cells[i]);
        free(ref.cells);
        free(ref.nf);
        free(text);
    }
}

/* ---- threads: chunked reading gives exactly the one-thread table ---------------------- */

static void assert_tables_identical(const cv_table *a, const cv_table *b)
{
    assert_int_equal(a->ncols, b->ncols);
    assert_int_equal(a->nrows, b->nrows);
    for (int j = 0; j < a->ncols; j++) {
        const cv_column *x = a->cols[j], *y = b->cols[j];
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->type, y->type);
        for (int64_t i = 0; i < a->nrows; i++) {
            assert_int_equal(cv_column_is_valid(x, i), cv_column_is_valid(y, i));
            if (!cv_column_is_valid(x, i))
                continue;
            assert_memory_equal((const char *)x->data + i * cv_type_size(x->type),
                                (const char *)y->data + i * cv_type_size(y->type),
                                cv_type_size(x->type));
        }
        if (x->type == CV_STRING) { /* same dictionary order: codes equal above */
            assert_int_equal(cv_strdict_size(x->dict), cv_strdict_size(y->dict));
            for (int32_t k = 0; k < cv_strdict_size(x->dict); k++)
                assert_string_equal(cv_strdict_get(x->dict, k, NULL),
                                    cv_strdict_get(y->dict, k, NULL));
        }
    }
}

static char *make_mixed(int rows, int quoted_newlines)
{
    size_t cap = (size_t)rows * 96 + 64, n = 0;
    char *s = malloc(cap);
    n += (size_t)snprintf(s + n, cap - n, "id,when,amount,flag,code,note\n");
    uint64_t x = 12345;
    for (int i = 0; i < rows; i++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        unsigned r = (unsigned)(x >> 33);
        char amount[32], code[32], note[48];
        /* amounts: integers in the first half, some decimals in the second */
        if (i < rows / 2)
            snprintf(amount, sizeof amount, "%u", r % 1000);
        else
            snprintf(amount, sizeof amount, "%u.%02u", r % 1000, r % 100);
        /* code: integers, then text late in the file (forces a re-read as text) */
        if (i == rows - 3)
            snprintf(code, sizeof code, "X%u", r % 7);
        else
            snprintf(code, sizeof code, "%03u", r % 50);
        if (quoted_newlines)
            snprintf(note, sizeof note, "\"n%u\nmore, \"\"q\"\"\"", r % 13);
        else if (r % 5 == 0)
            snprintf(note, sizeof note, "\"n%u, quoted\"", r % 13);
        else
            snprintf(note, sizeof note, "%s", r % 7 == 0 ? "NA" : "plain");
        n += (size_t)snprintf(s + n, cap - n, "%u,2021-%02u-%02u,%s,%s,%s,%s\n", r % 997,
                              r % 12 + 1, r % 28 + 1, r % 11 == 0 ? "" : amount,
                              r % 2 ? "true" : "false", code, note);
    }
    return s;
}

static void test_csv_threads_exact(void **state)
{
    (void)state;
    for (int qn = 0; qn <= 1; qn++) {
        char *text = make_mixed(4000, qn);
        cv_csv_options o = opts();
        cv_error err;
        o.threads = 1;
        cv_table *one = read_text(text, &o, &err);
        assert_non_null(one);
        assert_int_equal(one->nrows, 4000);
        assert_int_equal(one->cols[2]->type, CV_FLOAT64);
        assert_int_equal(one->cols[4]->type, CV_STRING);
        for (int th = 2; th <= 5; th++) {
            o.threads = th;
            cv_table *many = read_text(text, &o, &err);
            assert_non_null(many);
            assert_tables_identical(one, many);
            cv_table_free(many);
        }
        cv_table_free(one);
        free(text);
    }
}

/* ---- streaming ------------------------------------------------------------------------------- */

typedef struct stream_seen {
    int batches;
    int64_t rows;
    int32_t last_code_of_x;
} stream_seen;

static int on_batch(void *ud, const cv_table *b, cv_error *err)
{
    (void)err;
    stream_seen *s = ud;
    s->batches++;
    s->rows += b->nrows;
    assert_int_equal(b->ncols, 2);
    assert_int_equal(b->cols[1]->type, CV_FLOAT64);
    return 0;
}

static void test_csv_stream_batches(void **state)
{
    (void)state;
    stream_seen s = {0, 0, 0};
    cv_csv_report rep;
    cv_error err;
    int rc = cv_csv_stream("tests/data/crlf.csv", NULL, 1, on_batch, &s, &rep, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(s.batches, 2);
    assert_int_equal(s.rows, 2);
    rc = cv_csv_stream(data_path("CDNOW_master.txt"), NULL, 10000, NULL, &s, &rep, &err);
    assert_int_equal(rc, CV_ERR_USAGE);
}

static int count_batch(void *ud, const cv_table *b, cv_error *err)
{
    (void)err;
    int64_t *n = ud;
    *n += b->nrows;
    return b->nrows == 10000 ? 0 : 0;
}

static void test_csv_stream_cdnow(void **state)
{
    (void)state;
    int64_t n = 0;
    cv_error err;
    int rc = cv_csv_stream(data_path("CDNOW_master.txt"), NULL, 10000, count_batch, &n, NULL, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(n, 69659);
}

/* ---- inputs larger than a read block (1 MiB): cuts inside fields and characters ------ */

static char *make_big(size_t *len)
{
    size_t cap = 3u << 20, n = 0;
    char *s = malloc(cap + 256);
    n += (size_t)snprintf(s, cap, "id,city,amount,note\n");
    const char *cities[] = {"\xe5\x8c\x97\xe4\xba\xac", "\xe4\xb8\x8a\xe6\xb5\xb7", "caf\xc3\xa9",
                            "plain"};
    for (int i = 0; n < cap; i++)
        n += (size_t)snprintf(s + n, cap + 256 - n, "%d,%s,%d.%02d,%s\n", i, cities[i % 4], i % 977,
                              i % 100, i % 101 == 0 ? "\"two\nlines, \"\"q\"\"\"" : "x");
    *len = n;
    return s;
}

static char *write_temp(const char *data, size_t len, char *path)
{
    strcpy(path, "/tmp/cvkit_csv_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static void test_csv_big_blocks(void **state)
{
    (void)state;
    size_t len;
    char *text = make_big(&len);
    cv_csv_options o = opts();
    cv_error err;
    o.threads = 1;
    cv_table *ref = cv_csv_read_buffer("big", text, len, &o, NULL, &err);
    assert_non_null(ref);
    int64_t rows = ref->nrows;
    assert_true(rows > 100000);
    assert_int_equal(cv_column_int(ref->cols[0], rows - 1), rows - 1);
    assert_string_equal(str_at(ref, 1, 1), "\xe4\xb8\x8a\xe6\xb5\xb7");
    assert_string_equal(str_at(ref, 3, 0), "two\nlines, \"q\"");
    assert_int_equal(cv_strdict_size(ref->cols[1]->dict), 4);
    char path[64];
    write_temp(text, len, path);
    for (int th = 1; th <= 2; th++) {
        o.threads = th;
        cv_table *t = cv_csv_read(path, &o, NULL, &err);
        assert_non_null(t);
        assert_tables_identical(ref, t);
        cv_table_free(t);
    }
    unlink(path);
    /* the same text in GB18030, converted with iconv (cut at block ends too) */
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char *gb = malloc(len * 2), *in = text, *outp = gb;
    size_t inleft = len, outleft = len * 2;
    assert_true(iconv(cd, &in, &inleft, &outp, &outleft) != (size_t)-1);
    iconv_close(cd);
    write_temp(gb, (size_t)(outp - gb), path);
    cv_csv_report rep;
    o.threads = 0;
    cv_table *t = cv_csv_read(path, &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.encoding, CV_ENC_GB18030);
    assert_tables_identical(ref, t);
    cv_table_free(t);
    unlink(path);
    free(gb);
    /* an invalid byte far past the sample: auto tries GB18030 (0xff is not GB18030
       either), then reports the first bad byte as UTF-8, on its physical line */
    long lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    memcpy(text + len, "7,\xff,2,x\n", 8);
    write_temp(text, len + 8, path);
    o.threads = 0;
    assert_null(cv_csv_read(path, &o, NULL, &err));
    assert_int_equal(err.code, CV_ERR_PARSE);
    char msg[160];
    snprintf(msg, sizeof msg, "%s:%ld:3: expected UTF-8 text, found the invalid byte 0xff", path,
             lines + 1);
    assert_string_equal(err.msg, msg);
    unlink(path);
    cv_table_free(ref);
    free(text);
}

/* The read reports its bytes through the core's progress callback (progress.h). */
static void progress_cb(void *ud, cv_progress_event ev, const cv_progress *p)
{
    uint64_t *last = ud;
    uint64_t done = atomic_load(&p->done);
    assert_string_equal(p->step, "read");
    assert_true(done >= last[0]);
    last[0] = done;
    last[1] = p->total;
    last[2] += ev == CV_PROGRESS_UPDATE;
}

static void test_csv_progress(void **state)
{
    (void)state;
    uint64_t seen[3] = {0, 0, 0};
    cv_csv_options o = opts();
    cv_error err;
    cv_progress_set(progress_cb, seen);
    cv_table *t = cv_csv_read(data_path("CDNOW_master.txt"), &o, NULL, &err);
    cv_progress_set(NULL, NULL);
    assert_non_null(t);
    assert_int_equal(seen[1], 1950500);
    assert_int_equal(seen[0], 1950500);
    assert_true(seen[2] >= 2);
    cv_table_free(t);
}

typedef struct code_seen {
    int32_t first_code_b;
    int batches;
} code_seen;

static int check_codes(void *ud, const cv_table *b, cv_error *err)
{
    (void)err;
    code_seen *cs = ud;
    assert_int_equal(b->cols[0]->type, CV_STRING);
    for (int64_t i = 0; i < b->nrows; i++) {
        const char *s = cv_column_string(b->cols[0], i, NULL);
        if (strcmp(s, "b") == 0) {
            if (cs->first_code_b < 0)
                cs->first_code_b = cv_column_i32(b->cols[0], i);
            assert_int_equal(cv_column_i32(b->cols[0], i), cs->first_code_b);
        }
    }
    cs->batches++;
    return cs->batches == 3 ? 7 : 0; /* stop after the third batch */
}

static void test_csv_stream_codes_and_stop(void **state)
{
    (void)state;
    char path[64];
    const char *text = "k,v\na,1\nb,2\nc,3\nb,4\nb,5\na,6\nb,7\nz,8\n";
    write_temp(text, strlen(text), path);
    code_seen cs = {-1, 0};
    cv_error err;
    int rc = cv_csv_stream(path, NULL, 2, check_codes, &cs, NULL, &err);
    assert_int_equal(rc, 7);
    assert_int_equal(cs.batches, 3);
    assert_int_equal(cs.first_code_b, 1);
    /* a value that does not fit the first batch's type is an error */
    const char *bad = "k,v\na,1\nb,2\nc,x\n";
    write_temp(bad, strlen(bad), path);
    int64_t n = 0;
    rc = cv_csv_stream(path, NULL, 2, count_batch, &n, NULL, &err);
    assert_int_equal(rc, CV_ERR_TYPE);
    char msg[256];
    snprintf(msg, sizeof msg,
             "%s:4:3: expected an integer in column 'v', found 'x' (bad_as_missing = true "
             "reads it as missing)",
             path);
    assert_string_equal(err.msg, msg);
    unlink(path);
}

/* ---- CDNOW: the published counts --------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t distinct_ints(const cv_column *c)
{
    int64_t *v = malloc((size_t)c->n * sizeof *v), d = 0;
    memcpy(v, c->data, (size_t)c->n * sizeof *v);
    qsort(v, (size_t)c->n, sizeof *v, cmp_i64);
    for (int64_t i = 0; i < c->n; i++)
        d += i == 0 || v[i] != v[i - 1];
    free(v);
    return d;
}

static void test_csv_cdnow_sample(void **state)
{
    (void)state;
    cv_error err;
    cv_csv_options o = opts();
    cv_csv_coltype types[] = {{"V2", CV_INT64}, {"V3", CV_DATE}}; /* 0001, 19970101 */
    o.types = types;
    o.ntypes = 2;
    cv_table *t = read_file(data_path("CDNOW_sample.txt"), &o, &err);
    assert_non_null(t);
    assert_int_equal(t->nrows, 6919);
    assert_int_equal(t->ncols, 5);
    assert_int_equal(t->cols[1]->type, CV_INT64);
    assert_int_equal(distinct_ints(t->cols[1]), 2357);
    assert_int_equal(t->cols[2]->type, CV_DATE);
    cv_table_free(t);
}

static void test_csv_cdnow_master(void **state)
{
    (void)state;
    cv_csv_report rep;
    cv_error err;
    cv_csv_options o = opts();
    cv_csv_coltype types[] = {{"customer_id", CV_INT64}}; /* written 00001: text unless given */
    o.types = types;
    o.ntypes = 1;
    cv_table *t = cv_csv_read(data_path("CDNOW_master.txt"), &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.header, 1);
    assert_int_equal(t->nrows, 69659);
    assert_int_equal(t->ncols, 4);
    assert_string_equal(t->cols[0]->name, "customer_id");
    assert_string_equal(t->cols[3]->name, "dollar_value");
    assert_int_equal(distinct_ints(t->cols[0]), 23570);
    assert_int_equal(cv_column_i32(t->cols[1], 0), 9862); /* 1997-01-01 */
    assert_true(cv_column_float(t->cols[3], 0) == 11.77);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoted_comma),
        cmocka_unit_test(test_csv_quoted_newline),
        cmocka_unit_test(test_csv_crlf),
        cmocka_unit_test(test_csv_bom),
        cmocka_unit_test(test_csv_semicolon),
        cmocka_unit_test(test_csv_tab_and_pipe),
        cmocka_unit_test(test_csv_spaces),
        cmocka_unit_test(test_csv_gbk),
        cmocka_unit_test(test_csv_missing_values),
        cmocka_unit_test(test_csv_error_missing_file),
        cmocka_unit_test(test_csv_error_directory),
        cmocka_unit_test(test_csv_error_empty),
        cmocka_unit_test(test_csv_error_ragged),
        cmocka_unit_test(test_csv_error_bad_date),
        cmocka_unit_test(test_csv_error_unterminated_quote),
        cmocka_unit_test(test_csv_error_invalid_utf8),
        cmocka_unit_test(test_csv_infer_widening),
        cmocka_unit_test(test_csv_header_detection),
        cmocka_unit_test(test_csv_given_types_and_names),
        cmocka_unit_test(test_csv_dates_dmy_and_decimal_comma),
        cmocka_unit_test(test_csv_forgiving_modes),
        cmocka_unit_test(test_csv_fast_path_matches_libcsv),
        cmocka_unit_test(test_csv_threads_exact),
        cmocka_unit_test(test_csv_stream_batches),
        cmocka_unit_test(test_csv_stream_cdnow),
        cmocka_unit_test(test_csv_big_blocks),
        cmocka_unit_test(test_csv_progress),
        cmocka_unit_test(test_csv_stream_codes_and_stop),
        cmocka_unit_test(test_csv_cdnow_sample),
        cmocka_unit_test(test_csv_cdnow_master),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
