/* Tests of reading what analysts have (src/core/book_*.c, text_utf16.c, csv_read.c,
   parse.c): .xlsx and .xls sheets made by other programs (tests/data/books/README), UTF-16
   text, decimal commas and thousands separators, day-first and CJK dates, Excel serials,
   and errors that name the place and the option that reads the value. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/parse.h"

static cv_csv_options opts(void)
{
    cv_csv_options o;
    cv_csv_options_init(&o);
    return o;
}

/* Cell (col, row) as cv_value_format writes it. */
static const char *cell(const cv_table *t, const char *col, int64_t row)
{
    static char buf[128];
    int j = cv_table_find(t, col);
    assert_true(j >= 0);
    cv_value_format(t->cols[j], row, 0, "NA", buf, sizeof buf);
    return buf;
}

static cv_type type_of(const cv_table *t, const char *col)
{
    int j = cv_table_find(t, col);
    assert_true(j >= 0);
    return t->cols[j]->type;
}

static cv_table *read_ok(const char *path, const cv_csv_options *o, cv_csv_report *rep)
{
    cv_error err;
    cv_table *t = cv_csv_read(path, o, rep, &err);
    if (!t)
        print_message("%s\n", err.msg);
    assert_non_null(t);
    return t;
}

static void read_fails(const char *path, const cv_csv_options *o, const char *msg)
{
    cv_error err;
    cv_table *t = cv_csv_read(path, o, NULL, &err);
    assert_null(t);
    assert_string_equal(err.msg, msg);
}

static cv_table *text_ok(const char *text, const cv_csv_options *o)
{
    cv_error err;
    cv_table *t = cv_csv_read_buffer("t.csv", text, strlen(text), o, NULL, &err);
    if (!t)
        print_message("%s\n", err.msg);
    assert_non_null(t);
    return t;
}

static void text_fails(const char *text, const cv_csv_options *o, const char *msg)
{
    cv_error err;
    cv_table *t = cv_csv_read_buffer("t.csv", text, strlen(text), o, NULL, &err);
    if (t)
        cv_table_free(t);
    assert_null(t);
    assert_string_equal(err.msg, msg);
}

/* ---- parsers ----------------------------------------------------------------------------- */

static void test_parse_number_grouped(void **state)
{
    (void)state;
    double v;
    int is_int, grouped;
    assert_int_equal(cv_parse_number("1.234,56", 8, ',', ".", &v, &is_int, &grouped), 0);
    assert_true(v == 1234.56 && !is_int && grouped);
    assert_int_equal(cv_parse_number("1,234.56", 8, '.', ",", &v, NULL, NULL), 0);
    assert_true(v == 1234.56);
    assert_int_equal(cv_parse_number("1 234,56", 8, ',', " ", &v, NULL, NULL), 0);
    assert_true(v == 1234.56);
    /* U+00A0 and U+202F, the no-break spaces spreadsheets write */
    assert_int_equal(cv_parse_number("1\xc2\xa0"
                                     "234,5",
                                     8, ',', " ", &v, NULL, NULL),
                     0);
    assert_true(v == 1234.5);
    assert_int_equal(cv_parse_number("-12\xe2\x80\xaf"
                                     "345\xe2\x80\xaf"
                                     "678",
                                     15, '.', " ", &v, &is_int, NULL),
                     0);
    assert_true(v == -12345678 && is_int);
    assert_int_equal(cv_parse_number("1'234.5", 7, '.', "'", &v, NULL, NULL), 0);
    assert_true(v == 1234.5);
    /* groups of three only, one kind of separator, none after the mark */
    assert_int_equal(cv_parse_number("12,34,567", 9, '.', ",", &v, NULL, NULL), -1);
    assert_int_equal(cv_parse_number("1,23", 4, '.', ",", &v, NULL, NULL), -1);
    assert_int_equal(cv_parse_number("1.234 567", 9, ',', ". ", &v, NULL, NULL), -1);
    assert_int_equal(cv_parse_number("1,234.567,8", 11, '.', ",", &v, NULL, NULL), -1);
    assert_int_equal(cv_parse_number("1234,5", 6, ',', "", &v, NULL, NULL), 0);
    assert_true(v == 1234.5);
    assert_int_equal(cv_parse_number("1,5e3", 5, ',', ".", &v, NULL, NULL), 0);
    assert_true(v == 1500);
    assert_int_equal(cv_parse_number(",", 1, ',', ".", &v, NULL, NULL), -1);
}

static void test_parse_excel_serial(void **state)
{
    (void)state;
    int32_t d, s;
    char buf[11];
    assert_int_equal(cv_excel_serial(1, 0, &d, &s), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "1900-01-01");
    assert_int_equal(cv_excel_serial(59, 0, &d, &s), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "1900-02-28");
    assert_int_equal(cv_excel_serial(60, 0, &d, &s), -1); /* Excel's 1900-02-29 */
    assert_int_equal(cv_excel_serial(61, 0, &d, &s), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "1900-03-01");
    assert_int_equal(cv_excel_serial(45356.75, 0, &d, &s), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "2024-03-05");
    assert_int_equal(s, 18 * 3600);
    assert_int_equal(cv_excel_serial(0, 1, &d, &s), 0); /* the 1904 system */
    cv_format_date(d, buf);
    assert_string_equal(buf, "1904-01-01");
    assert_int_equal(cv_excel_serial(43895, 1, &d, &s), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "2024-03-06");
    assert_int_equal(cv_excel_serial(-1, 0, &d, &s), -1);
    assert_int_equal(cv_excel_serial(0, 0, &d, &s), -1);
}

static void test_parse_date_dotted_and_cjk(void **state)
{
    (void)state;
    int32_t d;
    char buf[11];
    assert_int_equal(cv_parse_date("05.03.2024", 10, CV_DATE_ISO, &d, NULL, NULL), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "2024-03-05");
    assert_int_equal(cv_parse_date("5.3.2024", 8, CV_DATE_ISO, &d, NULL, NULL), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "2024-03-05");
    assert_int_equal(cv_parse_date("03.05.2024", 10, CV_DATE_MDY, &d, NULL, NULL), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "2024-03-05");
    const char *cjk = "2024\xe5\xb9\xb4"
                      "3\xe6\x9c\x88"
                      "5\xe6\x97\xa5"; /* 2024年3月5日 */
    assert_int_equal(cv_parse_date(cjk, strlen(cjk), CV_DATE_ISO, &d, NULL, NULL), 0);
    cv_format_date(d, buf);
    assert_string_equal(buf, "2024-03-05");
    const char *bad = "2024\xe5\xb9\xb4"
                      "2\xe6\x9c\x88"
                      "30\xe6\x97\xa5";
    assert_int_equal(cv_parse_date(bad, strlen(bad), CV_DATE_ISO, &d, NULL, NULL), -1);
    assert_int_equal(cv_parse_date("05/03/2024", 10, CV_DATE_ISO, &d, NULL, NULL), -1);
    assert_int_equal(cv_parse_date("31.02.2024", 10, CV_DATE_ISO, &d, NULL, NULL), -1);
}

/* ---- workbooks --------------------------------------------------------------------------- */

/* book.xlsx, written by openpyxl: inline strings, a custom dd.mm.yyyy date format,
   booleans, 1900-01-01 (serial 1). */
static void test_xlsx_openpyxl(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_table *t = read_ok("tests/data/books/book.xlsx", &o, NULL);
    assert_int_equal(t->nrows, 4);
    assert_int_equal(type_of(t, "customer_id"), CV_STRING); /* 007 and 7 stay apart */
    assert_string_equal(cell(t, "customer_id", 0), "007");
    assert_string_equal(cell(t, "customer_id", 1), "7");
    assert_int_equal(type_of(t, "order_date"), CV_DATE);
    assert_string_equal(cell(t, "order_date", 0), "2024-03-05");
    assert_string_equal(cell(t, "order_date", 3), "1900-01-01");
    assert_int_equal(type_of(t, "amount"), CV_FLOAT64);
    assert_string_equal(cell(t, "amount", 2), "1234.25");
    assert_string_equal(cell(t, "amount", 3), "99.99"); /* 99.98999999999999 in the file */
    assert_int_equal(type_of(t, "paid"), CV_BOOL);
    assert_string_equal(cell(t, "paid", 0), "true");
    assert_string_equal(cell(t, "note", 1), "says \"hi\", twice");
    assert_string_equal(cell(t, "note", 2), "NA");
    cv_table_free(t);
}

static void test_xlsx_sheet_by_name_and_error_cell(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    o.sheet = "Costs";
    read_fails("tests/data/books/book.xlsx", &o,
               "tests/data/books/book.xlsx:Costs!C4: expected a value, found the error "
               "#DIV/0! (na = {\"#DIV/0!\"} reads it as missing)");
    const char *na[] = {"#DIV/0!"};
    o.na = na;
    o.nna = 1;
    cv_table *t = read_ok("tests/data/books/book.xlsx", &o, NULL);
    assert_int_equal(t->nrows, 3); /* B2:C5, from its first used column */
    assert_string_equal(cell(t, "activity", 1), "packing");
    assert_string_equal(cell(t, "cost", 1), "NA");
    assert_string_equal(cell(t, "cost", 2), "4");
    cv_table_free(t);
    o.na = NULL;
    o.nna = 0;
    o.sheet = "3";
    read_fails("tests/data/books/book.xlsx", &o,
               "tests/data/books/book.xlsx: no sheet '3' (the workbook has Orders, Costs)");
}

/* excel_like.xlsx: shared strings (rich text, phonetic runs), x: prefixes, the 1904
   system, format 14 and a custom yyyy年m月d日, a formula's cached value, a gap row. */
static void test_xlsx_shared_strings_1904(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    o.sheet = "2";
    cv_table *t = read_ok("tests/data/books/excel_like.xlsx", &o, NULL);
    assert_int_equal(t->nrows, 3);
    assert_string_equal(cell(t, "customer", 0), "\xe5\xbc\xa0\xe4\xb8\x89"); /* 张三 */
    assert_string_equal(cell(t, "customer", 2), "a, \"b\"\nc");
    assert_int_equal(type_of(t, "date"), CV_DATETIME);
    assert_string_equal(cell(t, "date", 0), "2024-03-06 00:00:00");
    assert_string_equal(cell(t, "date", 1), "2024-03-07 12:00:00");
    assert_int_equal(type_of(t, "amount"), CV_STRING); /* 3, 0.1 and the text "amount" */
    assert_string_equal(cell(t, "amount", 1), "0.1");
    cv_table_free(t);
}

/* A type that does not fit is placed at its cell, after a quoted cell with a newline. */
static void test_xlsx_bad_value_at_its_cell(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_coltype ty[] = {{"amount", CV_FLOAT64}};
    o.sheet = "\xe9\x94\x80\xe5\x94\xae"; /* 销售 */
    o.types = ty;
    o.ntypes = 1;
    read_fails("tests/data/books/excel_like.xlsx", &o,
               "tests/data/books/excel_like.xlsx:\xe9\x94\x80\xe5\x94\xae!C5: expected a "
               "number in column 'amount', found 'amount' (bad_as_missing = true reads it "
               "as missing)");
}

static void test_xls_freexl(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_table *t = read_ok("tests/data/books/book.xls", &o, NULL);
    assert_int_equal(t->nrows, 4);
    assert_string_equal(cell(t, "customer_id", 0), "007");
    assert_int_equal(type_of(t, "order_date"), CV_DATE);
    assert_string_equal(cell(t, "order_date", 2), "2024-04-01");
    assert_string_equal(cell(t, "amount", 0), "120.5");
    cv_table_free(t);
    o.sheet = "Empty";
    read_fails("tests/data/books/book.xls", &o,
               "tests/data/books/book.xls:Empty: expected a header or data rows, found an "
               "empty file");
}

static void test_xlsx_garbage_is_an_error(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_error err;
    static const char zipish[] = "PK\x03\x04 not really a zip archive";
    cv_table *t = cv_csv_read_buffer("x.xlsx", zipish, sizeof zipish - 1, &o, NULL, &err);
    assert_null(t);
    assert_int_equal(err.code, CV_ERR_PARSE);
    assert_non_null(strstr(err.msg, "x.xlsx: expected an .xlsx workbook (a zip archive)"));
}

/* ---- text -------------------------------------------------------------------------------- */

static void test_utf16_unicode_text(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_report rep;
    memset(&rep, 0, sizeof rep);
    cv_table *t = read_ok("tests/data/books/unicode_text.txt", &o, &rep);
    assert_int_equal(rep.encoding, CV_ENC_UTF16LE);
    assert_int_equal(rep.delim, '\t');
    assert_int_equal(t->nrows, 3);
    assert_int_equal(type_of(t, "date"), CV_DATE);
    assert_string_equal(cell(t, "date", 2), "2024-12-31");
    assert_int_equal(type_of(t, "amount"), CV_FLOAT64);
    assert_string_equal(cell(t, "amount", 2), "12345");
    cv_table_free(t);
    /* big endian, and a lone surrogate placed */
    static const char be[] = "\xFE\xFF\0a\0\n\0"
                             "1\0\n";
    t = NULL;
    cv_error err;
    t = cv_csv_read_buffer("be.txt", be, sizeof be - 1, &o, &rep, &err);
    assert_non_null(t);
    assert_int_equal(rep.encoding, CV_ENC_UTF16BE);
    assert_string_equal(cell(t, "a", 0), "1");
    cv_table_free(t);
    static const char lone[] = "\xFF\xFE"
                               "a\0\n\0"
                               "x\0\x00\xD8";
    t = cv_csv_read_buffer("lone.txt", lone, sizeof lone - 1, &o, NULL, &err);
    assert_null(t);
    assert_string_equal(err.msg, "lone.txt:2:2: expected UTF-16 text, found a lone high "
                                 "surrogate");
}

static void test_european_export(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    /* "1.000" in Menge reads two ways, in a file whose Betrag has decimal commas */
    read_fails("tests/data/books/european.csv", &o,
               "tests/data/books/european.csv:5:20: '1.000' in column 'Menge' reads as 1 or "
               "as 1000: decimal_comma = false reads 1, decimal_comma = true reads 1000");
    o.decimal_comma = 1;
    cv_table *t = read_ok("tests/data/books/european.csv", &o, NULL);
    assert_int_equal(type_of(t, "Kunde"), CV_STRING);
    assert_int_equal(type_of(t, "Datum"), CV_DATE);
    assert_string_equal(cell(t, "Datum", 0), "2024-03-05");
    assert_string_equal(cell(t, "Betrag", 0), "1234.56");
    assert_string_equal(cell(t, "Betrag", 2), "1234");
    assert_int_equal(type_of(t, "Menge"), CV_INT64);
    assert_string_equal(cell(t, "Menge", 3), "1000");
    cv_table_free(t);
    o.decimal_comma = 0;
    o.thousands = '.';
    t = read_ok("tests/data/books/european.csv", &o, NULL);
    assert_string_equal(cell(t, "Menge", 3), "1000");
    cv_table_free(t);
}

static void test_numbers_detected_per_column(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_table *t = text_ok("a;b;c;d\n1.234,5;1,234.5;1 234;1.5\n12,5;2;5;1.234\n", &o);
    assert_string_equal(cell(t, "a", 0), "1234.5"); /* only a decimal comma reads it */
    assert_string_equal(cell(t, "a", 1), "12.5");
    assert_string_equal(cell(t, "b", 0), "1234.5"); /* only a decimal point */
    assert_int_equal(type_of(t, "c"), CV_INT64);
    assert_string_equal(cell(t, "c", 0), "1234");
    assert_string_equal(cell(t, "d", 1), "1.234"); /* "1.5" says decimal point */
    cv_table_free(t);
    text_fails("id;amount\n1;1,234\n2;5,678\n", &o,
               "t.csv:2:3: '1,234' in column 'amount' reads as 1234 or as 1.234: "
               "decimal_comma = false reads 1234, decimal_comma = true reads 1.234");
    o.decimal_comma = -1;
    t = text_ok("id;amount\n1;1,234\n2;5,678\n", &o);
    assert_string_equal(cell(t, "amount", 0), "1234");
    cv_table_free(t);
    o.decimal_comma = 0;
    o.thousands = 'n';
    t = text_ok("id;amount\n1;1,234\n2;5,678\n", &o);
    assert_string_equal(cell(t, "amount", 1), "5.678"); /* no separators: a decimal comma */
    cv_table_free(t);
    /* mixed ways in one column: text, as any mixture */
    o.thousands = 0;
    t = text_ok("x\n\"1,234.5\"\n\"1.234,5\"\n", &o);
    assert_int_equal(type_of(t, "x"), CV_STRING);
    cv_table_free(t);
    /* codes with dots and 007 stay text */
    t = text_ok("x;y\n1.234.567;007\n2.345.678;7\n", &o);
    assert_int_equal(type_of(t, "x"), CV_STRING);
    assert_int_equal(type_of(t, "y"), CV_STRING);
    cv_table_free(t);
}

static void test_failing_values_name_the_option(void **state)
{
    (void)state;
    cv_csv_options o = opts();
    cv_csv_coltype ty[] = {{"d", CV_DATE}, {"n", CV_FLOAT64}};
    o.types = ty;
    o.ntypes = 2;
    text_fails("d,n\n05/03/2024,1\n", &o,
               "t.csv:2:1: expected a date in column 'd', found '05/03/2024' (date_order = "
               "\"dmy\" or \"mdy\" reads it)");
    o.decimal_comma = -1; /* said: a decimal point (else the column says comma) */
    text_fails("d;n\n2024-03-05;1.234,5\n", &o,
               "t.csv:2:12: expected a number in column 'n', found '1.234,5' (decimal_comma = "
               "true reads it)");
    o.decimal_comma = 0;
    text_fails("d;n\n2024-03-05;n/a\n", &o,
               "t.csv:2:12: expected a number in column 'n', found 'n/a' (bad_as_missing = "
               "true reads it as missing)");
    /* Excel serials in a column declared a date; 4-digit numbers are not serials */
    cv_table *t = text_ok("d,n\n45356,1\n45357.5,2\n", &o);
    assert_string_equal(cell(t, "d", 0), "2024-03-05");
    assert_string_equal(cell(t, "d", 1), "2024-03-06");
    cv_table_free(t);
    text_fails("d,n\n2024,1\n", &o,
               "t.csv:2:1: expected a date in column 'd', found '2024' (bad_as_missing = true "
               "reads it as missing)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_number_grouped),
        cmocka_unit_test(test_parse_excel_serial),
        cmocka_unit_test(test_parse_date_dotted_and_cjk),
        cmocka_unit_test(test_xlsx_openpyxl),
        cmocka_unit_test(test_xlsx_sheet_by_name_and_error_cell),
        cmocka_unit_test(test_xlsx_shared_strings_1904),
        cmocka_unit_test(test_xlsx_bad_value_at_its_cell),
        cmocka_unit_test(test_xls_freexl),
        cmocka_unit_test(test_xlsx_garbage_is_an_error),
        cmocka_unit_test(test_utf16_unicode_text),
        cmocka_unit_test(test_european_export),
        cmocka_unit_test(test_numbers_detected_per_column),
        cmocka_unit_test(test_failing_values_name_the_option),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
