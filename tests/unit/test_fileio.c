/* Tests of src/core/fileio.c, the one file layer of every writer: folders made as needed
   (and removed again when the write fails), and atomicity: a failed write (a file-size
   limit, as a full disk would) leaves no file, no temporary file, and an existing file
   untouched, for bytes, CSV and XLSX alike. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvkit/csv.h"
#include "cvkit/fileio.h"
#include "cvkit/guard.h"

static char root[64];

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/cvkit_fileio_XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd) == 0 ? 0 : -1;
}

/* The names in dir (not . and ..), joined by spaces in sorted order, into out. */
static const char *entries(const char *dir, char *out, size_t size)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    out[0] = '\0';
    for (int k = 0; k < n; k++) {
        if (strcmp(list[k]->d_name, ".") != 0 && strcmp(list[k]->d_name, "..") != 0) {
            if (out[0])
                strncat(out, " ", size - strlen(out) - 1);
            strncat(out, list[k]->d_name, size - strlen(out) - 1);
        }
        free(list[k]);
    }
    if (n >= 0)
        free(list);
    return out;
}

static void slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* A table of n rows: id (int), amount (float with two decimals). */
static cv_table *table_of(int n)
{
    cv_table *t = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, n), *amt = cv_column_new("amount", CV_FLOAT64, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(cv_column_push_int(id, i + 1), 0);
        assert_int_equal(cv_column_push_float(amt, (i + 1) * 1.01), 0);
    }
    assert_int_equal(cv_table_add(t, id, NULL), 0);
    assert_int_equal(cv_table_add(t, amt, NULL), 0);
    cv_column_unref(id);
    cv_column_unref(amt);
    return t;
}

static void test_fileio_makes_folders(void **state)
{
    (void)state;
    char path[256], buf[256], dir[256];
    cv_error err;
    snprintf(path, sizeof path, "%s/a/b/c/report.html", root);
    assert_int_equal(cv_file_write_atomic(path, "<p>hi</p>\n", 10, &err), 0);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "<p>hi</p>\n");
    snprintf(dir, sizeof dir, "%s/a/b/c", root);
    assert_string_equal(entries(dir, buf, sizeof buf), "report.html");
    /* cv_mkdirs: mkdir -p, an existing folder is fine, a trailing slash too */
    snprintf(dir, sizeof dir, "%s/x/y/", root);
    assert_int_equal(cv_mkdirs(dir, &err), 0);
    assert_int_equal(cv_mkdirs(dir, &err), 0);
    assert_string_equal(entries(root, buf, sizeof buf), "a x");
    /* a table into a new folder, by extension */
    cv_table *t = table_of(2);
    snprintf(path, sizeof path, "%s/x/y/z/t.csv", root);
    assert_int_equal(cv_table_write(t, path, cv_format_from_path(path), &err), 0);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "id,amount\n1,1.01\n2,2.02\n");
    cv_table_free(t);
    /* a file in the way */
    snprintf(path, sizeof path, "%s/a/b/c/report.html/x.svg", root);
    assert_int_equal(cv_file_write_atomic(path, "x", 1, &err), CV_ERR_IO);
    snprintf(dir, sizeof dir, "%s/a/b/c/report.html: cannot create folder (a file is there)", root);
    assert_string_equal(err.msg, dir);
}

/* Runs one failing write of each kind under a 4 KiB file-size limit (SIGXFSZ ignored: the
   write returns EFBIG, as a full disk returns ENOSPC). */
static void test_fileio_failure_leaves_nothing(void **state)
{
    (void)state;
    char path[256], buf[4096], dir[256];
    cv_error err;
    struct rlimit old, lim;
    cv_table *big = table_of(2000); /* about 20 KB of CSV */
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*oldsig)(int) = signal(SIGXFSZ, SIG_IGN);
    /* an existing file: untouched by a failed CSV write */
    snprintf(path, sizeof path, "%s/keep.csv", root);
    assert_int_equal(cv_file_write_atomic(path, "old\n", 4, &err), 0);
    lim = old;
    lim.rlim_cur = 4096;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    assert_int_equal(cv_table_write(big, path, CV_FMT_CSV, &err), CV_ERR_IO);
    assert_non_null(strstr(err.msg, "keep.csv: write failed: file too large"));
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "old\n");
    assert_string_equal(entries(root, buf, sizeof buf), "keep.csv");
    /* bytes into new folders: no file, no temporary file, and the folders made are gone */
    char big_text[8192];
    memset(big_text, 'x', sizeof big_text);
    snprintf(path, sizeof path, "%s/new1/new2/r.html", root);
    assert_int_equal(cv_file_write_atomic(path, big_text, sizeof big_text, &err), CV_ERR_IO);
    assert_string_equal(entries(root, buf, sizeof buf), "keep.csv");
    /* JSON and TSV the same */
    snprintf(path, sizeof path, "%s/keep.csv", root);
    assert_int_equal(cv_table_write(big, path, CV_FMT_JSON, &err), CV_ERR_IO);
    assert_int_equal(cv_table_write(big, path, CV_FMT_TSV, &err), CV_ERR_IO);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "old\n");
    assert_string_equal(entries(root, buf, sizeof buf), "keep.csv");
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, oldsig);
    /* a folder made and then a failure in the file itself: the target is a folder */
    snprintf(dir, sizeof dir, "%s/d/sub.csv", root);
    assert_int_equal(cv_mkdirs(dir, &err), 0);
    assert_int_equal(cv_table_write(big, dir, CV_FMT_CSV, &err), CV_ERR_IO);
    snprintf(dir, sizeof dir, "%s/d", root);
    assert_string_equal(entries(dir, buf, sizeof buf), "sub.csv");
    assert_int_equal(cv_guard_temp_count(), 0);
    cv_table_free(big);
}

/* XLSX: a workbook whose folder is made, and one refused (a repeated sheet name) that leaves
   neither file nor folder. */
static void test_fileio_xlsx(void **state)
{
    (void)state;
    char path[256], buf[256];
    cv_error err;
    cv_table *t = table_of(3);
    snprintf(path, sizeof path, "%s/book/t.xlsx", root);
    assert_int_equal(cv_table_write(t, path, cv_format_from_path(path), &err), 0);
    slurp(path, buf, 3);
    assert_string_equal(buf, "PK");
    cv_xlsx_sheet two[2] = {{"s", t}, {"s", t}};
    snprintf(path, sizeof path, "%s/nobook/t.xlsx", root);
    assert_int_equal(cv_xlsx_write(path, two, 2, &err), CV_ERR_USAGE);
    assert_string_equal(entries(root, buf, sizeof buf), "book");
    assert_null(cv_table_write_string(t, CV_FMT_XLSX, NULL, &err));
    assert_string_equal(err.msg, "xlsx is not a text format");
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fileio_makes_folders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fileio_failure_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fileio_xlsx, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
