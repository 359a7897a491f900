/* Tests of src/core/csv_write.c: format by extension, CSV quoting (RFC 4180), JSON
   escaping, Markdown escaping, float round trips through the reader, and the atomic
   file write (temporary file, rename, nothing left behind on failure). Expected texts
   are written out by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvkit/csv.h"

static void add_col(cv_table *t, cv_column *c)
{
    assert_int_equal(cv_table_add(t, c, NULL), 0);
    cv_column_unref(c);
}

/* name: "plain", "a,b", say "hi", two\nlines, "", missing
   x: 0.1, 2.5, -0, 1e21, NaN (missing), 3
   d: 1997-01-01, ... */
static cv_table *sample_table(void)
{
    cv_table *t = cv_table_new();
    cv_column *s = cv_column_new("name", CV_STRING, 0);
    const char *names[] = {"plain", "a,b", "say \"hi\"", "two\nlines", ""};
    for (int i = 0; i < 5; i++)
        assert_int_equal(cv_column_push_string(s, names[i], strlen(names[i])), 0);
    assert_int_equal(cv_column_push_missing(s), 0);
    add_col(t, s);
    cv_column *x = cv_column_new("x", CV_FLOAT64, 0);
    const double xs[] = {0.1, 2.5, -0.0, 1e21, NAN, 3};
    for (int i = 0; i < 6; i++)
        assert_int_equal(cv_column_push_float(x, xs[i]), 0);
    add_col(t, x);
    cv_column *d = cv_column_new("d", CV_DATE, 0);
    for (int i = 0; i < 6; i++)
        assert_int_equal(i == 2 ? cv_column_push_missing(d) : cv_column_push_i32(d, 9862 + i), 0);
    add_col(t, d);
    return t;
}

static void test_write_format_from_path(void **state)
{
    (void)state;
    assert_int_equal(cv_format_from_path("out/a.csv"), CV_FMT_CSV);
    assert_int_equal(cv_format_from_path("A.JSON"), CV_FMT_JSON);
    assert_int_equal(cv_format_from_path("r.md"), CV_FMT_MARKDOWN);
    assert_int_equal(cv_format_from_path("r.markdown"), CV_FMT_MARKDOWN);
    assert_int_equal(cv_format_from_path("t.tsv"), CV_FMT_TSV);
    assert_int_equal(cv_format_from_path("t.txt"), -1);
    assert_int_equal(cv_format_from_path("dir.csv/noext"), -1);
    assert_int_equal(cv_format_from_path("noext"), -1);
}

static void test_write_csv_quoting(void **state)
{
    (void)state;
    cv_table *t = sample_table();
    size_t len;
    cv_error err;
    char *s = cv_table_write_string(t, CV_FMT_CSV, &len, &err);
    assert_non_null(s);
    assert_string_equal(s, "name,x,d\n"
                           "plain,0.1,1997-01-01\n"
                           "\"a,b\",2.5,1997-01-02\n"
                           "\"say \"\"hi\"\"\",-0,\n"
                           "\"two\nlines\",1e+21,1997-01-04\n"
                           "\"\",,1997-01-05\n"
                           ",3,1997-01-06\n");
    assert_int_equal(len, strlen(s));
    free(s);
    s = cv_table_write_string(t, CV_FMT_TSV, &len, &err);
    assert_non_null(s);
    assert_true(strncmp(s, "name\tx\td\nplain\t0.1\t1997-01-01\na,b\t2.5\t", 36) == 0);
    free(s);
    cv_table_free(t);
}

static void test_write_json_escaping(void **state)
{
    (void)state;
    cv_table *t = cv_table_new();
    cv_column *s = cv_column_new("s", CV_STRING, 0);
    const char *v[] = {"tab\there", "q\"b\\", "\x01\xc3\xa9"};
    for (int i = 0; i < 3; i++)
        assert_int_equal(cv_column_push_string(s, v[i], strlen(v[i])), 0);
    add_col(t, s);
    cv_column *x = cv_column_new("x", CV_FLOAT64, 0);
    assert_int_equal(cv_column_push_float(x, INFINITY), 0);
    assert_int_equal(cv_column_push_missing(x), 0);
    assert_int_equal(cv_column_push_float(x, 1.5), 0);
    add_col(t, x);
    cv_column *b = cv_column_new("ok", CV_BOOL, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(cv_column_push_bool(b, i != 1), 0);
    add_col(t, b);
    cv_error err;
    char *out = cv_table_write_string(t, CV_FMT_JSON, NULL, &err);
    assert_non_null(out);
    assert_string_equal(out, "[\n"
                             "{\"s\":\"tab\\there\",\"x\":null,\"ok\":true},\n"
                             "{\"s\":\"q\\\"b\\\\\",\"x\":null,\"ok\":false},\n"
                             "{\"s\":\"\\u0001\xc3\xa9\",\"x\":1.5,\"ok\":true}\n"
                             "]\n");
    free(out);
    cv_table_free(t);
}

static void test_write_markdown(void **state)
{
    (void)state;
    cv_table *t = cv_table_new();
    cv_column *s = cv_column_new("a|b", CV_STRING, 0);
    assert_int_equal(cv_column_push_string(s, "x|y", 3), 0);
    add_col(t, s);
    cv_column *n = cv_column_new("n", CV_INT64, 0);
    assert_int_equal(cv_column_push_int(n, -42), 0);
    add_col(t, n);
    cv_error err;
    char *out = cv_table_write_string(t, CV_FMT_MARKDOWN, NULL, &err);
    assert_non_null(out);
    assert_string_equal(out, "| a\\|b | n |\n| --- | ---: |\n| x\\|y | -42 |\n");
    free(out);
    cv_table_free(t);
}

static void test_write_float_round_trip(void **state)
{
    (void)state;
    const double xs[] = {0.1,  1.0 / 3.0, 1e-300, 123456789.125, 5e-324, 1.7976931348623157e308,
                         -2.5, 100.0};
    cv_table *t = cv_table_new();
    cv_column *x = cv_column_new("x", CV_FLOAT64, 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(cv_column_push_float(x, xs[i]), 0);
    add_col(t, x);
    cv_error err;
    size_t len;
    char *s = cv_table_write_string(t, CV_FMT_CSV, &len, &err);
    assert_non_null(s);
    assert_non_null(strstr(s, "\n0.1\n0.3333333333333333\n1e-300\n123456789.125\n"));
    cv_csv_options o;
    cv_csv_options_init(&o);
    cv_table *back = cv_csv_read_buffer("rt.csv", s, len, &o, NULL, &err);
    assert_non_null(back);
    assert_int_equal(back->cols[0]->type, CV_FLOAT64);
    for (int i = 0; i < 8; i++)
        assert_true(cv_column_float(back->cols[0], i) == xs[i]);
    cv_table_free(back);
    free(s);
    cv_table_free(t);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_write_file_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/cvkit_write_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], bad[256];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    cv_table *t = sample_table();
    cv_error err;
    assert_int_equal(cv_table_write(t, path, CV_FMT_CSV, &err), 0);
    assert_int_equal(count_entries(dir), 1); /* no temporary left */
    FILE *f = fopen(path, "rb");
    char buf[512];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *want = cv_table_write_string(t, CV_FMT_CSV, NULL, &err);
    assert_string_equal(buf, want);
    free(want);
    /* a file where a folder should be: named in the message */
    snprintf(bad, sizeof bad, "%s/t.csv/x.csv", dir);
    assert_int_equal(cv_table_write(t, bad, CV_FMT_CSV, &err), CV_ERR_IO);
    char msg[512];
    snprintf(msg, sizeof msg, "%s/t.csv: cannot create folder (a file is there)", dir);
    assert_string_equal(err.msg, msg);
    /* the target is a directory: the rename fails, the temporary is removed */
    snprintf(bad, sizeof bad, "%s/sub.csv", dir);
    assert_int_equal(mkdir(bad, 0755), 0);
    assert_int_equal(cv_table_write(t, bad, CV_FMT_CSV, &err), CV_ERR_IO);
    assert_int_equal(count_entries(dir), 2); /* t.csv and sub.csv only */
    struct stat st;
    assert_int_equal(stat(bad, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    rmdir(bad);
    unlink(path);
    rmdir(dir);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_format_from_path), cmocka_unit_test(test_write_csv_quoting),
        cmocka_unit_test(test_write_json_escaping),    cmocka_unit_test(test_write_markdown),
        cmocka_unit_test(test_write_float_round_trip), cmocka_unit_test(test_write_file_atomic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
