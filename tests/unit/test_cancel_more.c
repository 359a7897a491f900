/* Unit tests of the cancellation flag in the core's writers and group-by fast path
   (include/cvkit/cancel.h, docs/safety.md "--timeout"): with the flag set, every writer
   (CSV, TSV, JSON, Markdown: one thread and the pool with its writer thread; XLSX; the
   string form) returns CV_ERR_LIMIT "cancelled", leaves the old file as it was, no
   temporary file, no guard slot and no memory behind; group_by's fast path does too; once
   the flag is cleared each works. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cvkit/cancel.h"
#include "cvkit/clv.h"
#include "cvkit/csv.h"
#include "cvkit/fileio.h"
#include "cvkit/mem.h"
#include "cvkit/models.h"
#include "cvkit/threads.h"
#include "table_build.h"

#define ROWS 40000 /* over two of the writer's 16,384-row blocks: the threaded path */

static int teardown(void **state)
{
    (void)state;
    cv_cancel_clear();
    cv_threads_set(0);
    return 0;
}

/* ROWS rows: an int key of 1,000 groups and a float. */
static cv_table *rows(int64_t n)
{
    cv_error err;
    cv_table *t = cv_table_new();
    cv_column *a = cv_column_new("a", CV_INT64, n), *b = cv_column_new("b", CV_FLOAT64, n);
    assert_non_null(t);
    for (int64_t i = 0; i < n; i++) {
        assert_int_equal(cv_column_push_int(a, (i * 7919) % 1000), 0);
        assert_int_equal(cv_column_push_float(b, (double)i / 4), 0);
    }
    assert_int_equal(cv_table_add(t, a, &err), 0);
    assert_int_equal(cv_table_add(t, b, &err), 0);
    cv_column_unref(a);
    cv_column_unref(b);
    return t;
}

/* The number of entries of dir besides . and .. */
static int entries(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void read_back(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t k = fread(buf, 1, size - 1, f);
    buf[k] = '\0';
    fclose(f);
}

/* Every text writer, on one thread and on four, of 10 rows and of ROWS rows: cancelled,
   the old file intact, nothing else in the folder, no memory kept, no guard slot kept;
   then, cleared, the write works. */
static void test_cancel_text_writers(void **state)
{
    static const cv_format fmts[] = {CV_FMT_CSV, CV_FMT_TSV, CV_FMT_JSON, CV_FMT_MARKDOWN};
    static const int64_t sizes[] = {10, ROWS};
    char dir[] = "/tmp/cvkit_cancel_XXXXXX", path[64], buf[64];
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.txt", dir);
    for (int s = 0; s < 2; s++) {
        cv_table *t = rows(sizes[s]);
        for (int th = 1; th <= 4; th += 3) {
            cv_threads_set(th);
            for (size_t f = 0; f < sizeof fmts / sizeof *fmts; f++) {
                cv_error err;
                FILE *old = fopen(path, "wb");
                assert_non_null(old);
                fputs("old\n", old);
                fclose(old);
                size_t used = cv_mem_used();
                cv_cancel_set();
                assert_int_equal(cv_table_write(t, path, fmts[f], &err), CV_ERR_LIMIT);
                assert_string_equal(err.msg, "cancelled");
                assert_int_equal(cv_mem_used(), used);
                read_back(path, buf, sizeof buf);
                assert_string_equal(buf, "old\n");
                assert_int_equal(entries(dir), 1);
                cv_cancel_clear();
                assert_int_equal(cv_table_write(t, path, fmts[f], &err), 0);
                read_back(path, buf, sizeof buf);
                assert_true(strncmp(buf, "old", 3) != 0);
                assert_int_equal(entries(dir), 1);
            }
        }
        cv_table_free(t);
    }
    /* 40 cancelled writes kept no guard slot: a write still gets one */
    cv_table *t = rows(10);
    for (int i = 0; i < 40; i++) {
        cv_error err;
        cv_cancel_set();
        assert_int_equal(cv_table_write(t, path, CV_FMT_CSV, &err), CV_ERR_LIMIT);
        cv_cancel_clear();
    }
    cv_error err;
    assert_int_equal(cv_table_write(t, path, CV_FMT_CSV, &err), 0);
    cv_table_free(t);
    unlink(path);
    rmdir(dir);
}

/* The string form (print, format): NULL, cancelled, no memory kept. */
static void test_cancel_write_string(void **state)
{
    cv_error err;
    size_t len;
    cv_table *t = rows(ROWS);
    (void)state;
    size_t used = cv_mem_used();
    cv_cancel_set();
    assert_null(cv_table_write_string(t, CV_FMT_CSV, &len, &err));
    assert_int_equal(err.code, CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    assert_int_equal(cv_mem_used(), used);
    cv_cancel_clear();
    char *s = cv_table_write_string(t, CV_FMT_CSV, &len, &err);
    assert_non_null(s);
    assert_int_equal(strncmp(s, "a,b\n0,0\n", 8), 0);
    cv_free(s);
    cv_table_free(t);
}

/* XLSX: cancelled between rows, the workbook not assembled, the old file intact. */
static void test_cancel_xlsx(void **state)
{
    char dir[] = "/tmp/cvkit_cancel_XXXXXX", path[64], buf[64];
    cv_error err;
    cv_table *t = rows(ROWS);
    cv_xlsx_sheet sheet = {"rows", t};
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/out.xlsx", dir);
    FILE *old = fopen(path, "wb");
    assert_non_null(old);
    fputs("old\n", old);
    fclose(old);
    cv_cancel_set();
    assert_int_equal(cv_xlsx_write(path, &sheet, 1, &err), CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    read_back(path, buf, sizeof buf);
    assert_string_equal(buf, "old\n");
    assert_int_equal(entries(dir), 1);
    cv_cancel_clear();
    assert_int_equal(cv_xlsx_write(path, &sheet, 1, &err), 0);
    read_back(path, buf, sizeof buf);
    assert_int_equal(strncmp(buf, "PK", 2), 0); /* a zip */
    assert_int_equal(entries(dir), 1);
    cv_table_free(t);
    unlink(path);
    rmdir(dir);
}

/* group_by on an int key with count and sum (the fast path): NULL, cancelled, no memory
   kept; cleared: 1,000 groups of 40 rows. */
static void test_cancel_group_by_fast(void **state)
{
    const char *keys[1] = {"a"};
    cv_agg aggs[2] = {{"n", CV_AGG_COUNT, NULL, 0}, {"s", CV_AGG_SUM, "b", 0}};
    cv_error err;
    cv_table *t = rows(ROWS);
    (void)state;
    size_t used = cv_mem_used();
    cv_cancel_set();
    assert_null(cv_table_group_by(t, keys, 1, aggs, 2, &err));
    assert_int_equal(err.code, CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    assert_int_equal(cv_mem_used(), used);
    cv_cancel_clear();
    cv_table *g = cv_table_group_by(t, keys, 1, aggs, 2, &err);
    assert_non_null(g);
    assert_int_equal(g->nrows, 1000);
    assert_int_equal(cv_column_int(g->cols[1], 0), ROWS / 1000);
    cv_table_free(g);
    cv_table_free(t);
}

/* The simulations (cv.simulate, cv.simulate_transactions): cancelled before the first
   customer, nothing kept; cleared: the same draws as ever. */
static void test_cancel_simulate(void **state)
{
    static double T[10000], x[10000], tx[10000];
    const double p[4] = {0.5, 6.0, 0.7, 2.5};
    cv_gen_options g = {1, 0, 90, 546, CV_UNIT_WEEK, NULL};
    cv_error err;
    (void)state;
    for (int i = 0; i < 10000; i++)
        T[i] = 52;
    size_t used = cv_mem_used();
    cv_cancel_set();
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, p, 10000, 1, T, x, tx, NULL, &err),
                     CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    assert_null(cv_model_simulate_tx(&cv_model_bgnbd, p, 10000, &g, &err));
    assert_int_equal(err.code, CV_ERR_LIMIT);
    assert_string_equal(err.msg, "cancelled");
    assert_int_equal(cv_mem_used(), used);
    cv_cancel_clear();
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, p, 10000, 1, T, x, tx, NULL, &err), 0);
    cv_table *t = cv_model_simulate_tx(&cv_model_bgnbd, p, 10000, &g, &err);
    assert_non_null(t);
    assert_true(t->nrows >= 10000); /* one first purchase each, and repeats */
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_cancel_text_writers, teardown),
        cmocka_unit_test_teardown(test_cancel_write_string, teardown),
        cmocka_unit_test_teardown(test_cancel_xlsx, teardown),
        cmocka_unit_test_teardown(test_cancel_group_by_fast, teardown),
        cmocka_unit_test_teardown(test_cancel_simulate, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
