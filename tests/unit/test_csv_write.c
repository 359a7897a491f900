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
#include "cvkit/threads.h"

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

/* A table of 100,003 rows (past the two blocks of 16,384 rows from which rows are formatted
   on several threads): row i is (i, sample row i % 6). The expected text is built line by
   line from the hand-written lines above; the string and the file, on 1, 2 and 3 threads,
   in CSV and JSON, must be exactly it (blocks written in order, none lost or doubled). */
static void test_write_threads_same_bytes(void **state)
{
    (void)state;
    static const char *csv_line[] = {"plain,0.1,1997-01-01",   "\"a,b\",2.5,1997-01-02",
                                     "\"say \"\"hi\"\"\",-0,", "\"two\nlines\",1e+21,1997-01-04",
                                     "\"\",,1997-01-05",       ",3,1997-01-06"};
    static const char *json_rest[] = {"\"name\":\"plain\",\"x\":0.1,\"d\":\"1997-01-01\"}",
                                      "\"name\":\"a,b\",\"x\":2.5,\"d\":\"1997-01-02\"}",
                                      "\"name\":\"say \\\"hi\\\"\",\"x\":-0,\"d\":null}",
                                      "\"name\":\"two\\nlines\",\"x\":1e+21,\"d\":\"1997-01-04\"}",
                                      "\"name\":\"\",\"x\":null,\"d\":\"1997-01-05\"}",
                                      "\"name\":null,\"x\":3,\"d\":\"1997-01-06\"}"};
    const int64_t n = 100003;
    cv_table *small = sample_table(), *t = cv_table_new();
    cv_column *id = cv_column_new("i", CV_INT64, 0), *c[3];
    for (int j = 0; j < 3; j++)
        c[j] = cv_column_new(small->cols[j]->name, small->cols[j]->type, 0);
    for (int64_t i = 0; i < n; i++) {
        int64_t r = i % 6;
        size_t len;
        assert_int_equal(cv_column_push_int(id, i), 0);
        const char *s = cv_column_string(small->cols[0], r, &len);
        assert_int_equal(s ? cv_column_push_string(c[0], s, len) : cv_column_push_missing(c[0]), 0);
        assert_int_equal(cv_column_push_float(c[1], cv_column_float(small->cols[1], r)), 0);
        assert_int_equal(cv_column_is_valid(small->cols[2], r)
                             ? cv_column_push_i32(c[2], cv_column_i32(small->cols[2], r))
                             : cv_column_push_missing(c[2]),
                         0);
    }
    add_col(t, id);
    for (int j = 0; j < 3; j++)
        add_col(t, c[j]);
    cv_table_free(small);
    for (int fmt = 0; fmt < 2; fmt++) {
        size_t cap = (size_t)n * 80 + 64, len = 0;
        char *want = malloc(cap);
        assert_non_null(want);
        len += (size_t)snprintf(want, cap, fmt == 0 ? "i,name,x,d\n" : "[");
        for (int64_t i = 0; i < n; i++)
            len += (size_t)(fmt == 0 ? snprintf(want + len, cap - len, "%lld,%s\n", (long long)i,
                                                csv_line[i % 6])
                                     : snprintf(want + len, cap - len, "%s{\"i\":%lld,%s",
                                                i ? ",\n" : "\n", (long long)i, json_rest[i % 6]));
        if (fmt == 1)
            len += (size_t)snprintf(want + len, cap - len, "\n]\n");
        char dir[] = "/tmp/cvkit_write_XXXXXX", path[256];
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/t.out", dir);
        for (int k = 1; k <= 3; k++) {
            cv_threads_set(k);
            cv_error err;
            size_t got_len = 0;
            char *got =
                cv_table_write_string(t, fmt == 0 ? CV_FMT_CSV : CV_FMT_JSON, &got_len, &err);
            assert_non_null(got);
            assert_int_equal(got_len, len);
            assert_memory_equal(got, want, len);
            free(got);
            assert_int_equal(cv_table_write(t, path, fmt == 0 ? CV_FMT_CSV : CV_FMT_JSON, &err), 0);
            FILE *f = fopen(path, "rb");
            assert_non_null(f);
            char *file = malloc(len + 1);
            size_t nread = fread(file, 1, len + 1, f);
            fclose(f);
            assert_int_equal(nread, len);
            assert_memory_equal(file, want, len);
            free(file);
        }
        cv_threads_set(0);
        unlink(path);
        rmdir(dir);
        free(want);
    }
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_format_from_path),   cmocka_unit_test(test_write_csv_quoting),
        cmocka_unit_test(test_write_json_escaping),      cmocka_unit_test(test_write_markdown),
        cmocka_unit_test(test_write_float_round_trip),   cmocka_unit_test(test_write_file_atomic),
        cmocka_unit_test(test_write_threads_same_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
