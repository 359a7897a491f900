/* Tests of the signal guard's registry of temporary files (src/core/guard.c) together with
   the one atomic-write protocol (src/core/fileio.c) that every writer uses: no error path
   keeps a slot or leaves its temporary file behind (failed XLSX writes by the dozen, a write
   that fails in the middle under a file-size limit, for each writer), a full registry refuses
   to start a write, and cv_guard_cleanup removes what is registered. */
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

typedef struct fixture {
    char dir[64];
    cv_table *small, *big;
} fixture;

/* The number of temporary files ("*.tmp-*") in dir. */
static int temps_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

/* Writes text into path (plain stdio: the file that a failed write must leave as it was). */
static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* 1 when path holds exactly text. */
static int file_is(const char *path, const char *text)
{
    char buf[256];
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strcmp(buf, text) == 0;
}

/* A table of n rows: id (int), v (float), name (string). */
static cv_table *make_table(int64_t n)
{
    cv_table *t = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, n), *v = cv_column_new("v", CV_FLOAT64, n),
              *s = cv_column_new("name", CV_STRING, n);
    assert_non_null(t);
    for (int64_t i = 0; i < n; i++) {
        char name[32];
        int len = snprintf(name, sizeof name, "customer-%lld", (long long)(i * 7919 % 100003));
        assert_int_equal(cv_column_push_int(id, i), 0);
        assert_int_equal(cv_column_push_float(v, (double)(i * 2654435761u % 1000003) / 7.0), 0);
        assert_int_equal(cv_column_push_string(s, name, (size_t)len), 0);
    }
    assert_int_equal(cv_table_add(t, id, NULL), 0);
    assert_int_equal(cv_table_add(t, v, NULL), 0);
    assert_int_equal(cv_table_add(t, s, NULL), 0);
    cv_column_unref(id);
    cv_column_unref(v);
    cv_column_unref(s);
    return t;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "%s", "/tmp/cvkit-guard-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->small = make_table(3);
    f->big = make_table(200000);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    cv_table_free(f->small);
    cv_table_free(f->big);
    free(f);
    return 0;
}

static void test_guard_failed_xlsx_writes_release_their_slots(void **state)
{
    fixture *f = *state;
    char path[128], nodir[128];
    cv_error err;
    snprintf(path, sizeof path, "%s/t.xlsx", f->dir);
    snprintf(nodir, sizeof nodir, "%s/plain", f->dir); /* a file where a folder should be */
    FILE *plain = fopen(nodir, "w");
    assert_non_null(plain);
    fclose(plain);
    snprintf(nodir, sizeof nodir, "%s/plain/t.xlsx", f->dir);
    cv_xlsx_sheet bad = {"bad[name", f->small}, good = {"sheet", f->small};
    cv_xlsx_sheet twice[2] = {{"a", f->small}, {"a", f->small}};
    assert_int_equal(cv_guard_temp_count(), 0);
    for (int k = 0; k < 40; k++) { /* the registry has 32 slots */
        assert_int_equal(cv_xlsx_write(path, &bad, 1, &err), CV_ERR_USAGE);
        assert_non_null(strstr(err.msg, "bad sheet name 'bad[name'"));
        assert_int_equal(cv_xlsx_write(path, twice, 2, &err), CV_ERR_USAGE);
        assert_int_equal(cv_xlsx_write(nodir, &good, 1, &err), CV_ERR_IO);
        assert_int_equal(cv_guard_temp_count(), 0);
    }
    assert_int_equal(temps_in(f->dir), 0);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(cv_xlsx_write(path, &good, 1, &err), 0);
    assert_int_equal(cv_guard_temp_count(), 0);
    assert_int_equal(temps_in(f->dir), 0);
    char magic[3] = {0};
    FILE *x = fopen(path, "rb");
    assert_non_null(x);
    assert_int_equal(fread(magic, 1, 2, x), 2);
    fclose(x);
    assert_string_equal(magic, "PK"); /* a zip: the workbook */
}

/* Each writer, stopped in the middle by a file-size limit of 64 KiB (as a full disk would):
   an error, the old file as it was, no temporary file, no slot kept. */
static void test_guard_failure_midway_removes_the_temporary(void **state)
{
    fixture *f = *state;
    static const char *const exts[] = {"csv", "tsv", "json", "md", "xlsx", "html"};
    struct rlimit old, lim;
    cv_error err;
    void (*old_xfsz)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = 64 * 1024;
    size_t blen = 1 << 20;
    char *bytes = malloc(blen);
    assert_non_null(bytes);
    memset(bytes, 'x', blen);
    for (size_t k = 0; k < sizeof exts / sizeof *exts; k++) {
        char path[128];
        int rc;
        snprintf(path, sizeof path, "%s/out.%s", f->dir, exts[k]);
        put_file(path, "old\n");
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
        if (strcmp(exts[k], "xlsx") == 0) {
            cv_xlsx_sheet s = {"big", f->big};
            rc = cv_xlsx_write(path, &s, 1, &err);
        } else if (strcmp(exts[k], "html") == 0) {
            rc = cv_file_write_atomic(path, bytes, blen, &err);
        } else {
            rc = cv_table_write(f->big, path, (cv_format)cv_format_from_path(path), &err);
        }
        assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
        if (rc != CV_ERR_IO || !strstr(err.msg, "write failed")) {
            print_error("%s: %d %s\n", exts[k], rc, err.msg);
            fail();
        }
        assert_true(file_is(path, "old\n"));
        assert_int_equal(temps_in(f->dir), 0);
        assert_int_equal(cv_guard_temp_count(), 0);
    }
    free(bytes);
    signal(SIGXFSZ, old_xfsz);
    /* and the same writes without the limit succeed */
    char path[128];
    snprintf(path, sizeof path, "%s/out.csv", f->dir);
    assert_int_equal(cv_table_write(f->small, path, CV_FMT_CSV, &err), 0);
    assert_true(file_is(path, "id,v,name\n0,0,customer-0\n1,61114.142857142855,customer-7919\n"
                              "2,122228.28571428571,customer-15838\n"));
}

static void test_guard_full_registry_refuses_to_start(void **state)
{
    fixture *f = *state;
    int slots[CV_GUARD_SLOTS + 1];
    char path[128], fake[128];
    cv_error err;
    for (int k = 0; k < CV_GUARD_SLOTS; k++) {
        snprintf(fake, sizeof fake, "%s/fake-%d", f->dir, k);
        slots[k] = cv_guard_temp_add(fake);
        assert_true(slots[k] >= 0);
    }
    snprintf(fake, sizeof fake, "%s/fake-x", f->dir);
    assert_int_equal(cv_guard_temp_add(fake), -1);
    assert_int_equal(cv_guard_temp_count(), CV_GUARD_SLOTS);
    snprintf(path, sizeof path, "%s/full.csv", f->dir);
    assert_int_equal(cv_table_write(f->small, path, CV_FMT_CSV, &err), CV_ERR_IO);
    char want[200];
    snprintf(want, sizeof want, "%s: cannot write: too many files being written at once (32)",
             path);
    assert_string_equal(err.msg, want);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(temps_in(f->dir), 0); /* the file it made was removed at once */
    cv_xlsx_sheet s = {"s", f->small};
    snprintf(path, sizeof path, "%s/full.xlsx", f->dir);
    assert_int_equal(cv_xlsx_write(path, &s, 1, &err), CV_ERR_IO);
    assert_int_equal(cv_file_write_atomic(path, "x", 1, &err), CV_ERR_IO);
    assert_int_equal(temps_in(f->dir), 0);
    for (int k = 0; k < CV_GUARD_SLOTS; k++)
        cv_guard_temp_remove(slots[k]);
    assert_int_equal(cv_guard_temp_count(), 0);
    assert_int_equal(cv_xlsx_write(path, &s, 1, &err), 0);
    assert_int_equal(cv_guard_temp_count(), 0);
}

static void test_guard_cleanup_unlinks_registered_files(void **state)
{
    fixture *f = *state;
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/a.tmp-1", f->dir);
    snprintf(b, sizeof b, "%s/b.tmp-2", f->dir);
    put_file(a, "a");
    put_file(b, "b");
    int sa = cv_guard_temp_add(a), sb = cv_guard_temp_add(b);
    assert_true(sa >= 0 && sb >= 0 && sa != sb);
    cv_guard_temp_remove(sb); /* forgotten: cleanup leaves it */
    cv_guard_cleanup();
    assert_int_equal(access(a, F_OK), -1);
    assert_int_equal(access(b, F_OK), 0);
    cv_guard_temp_remove(sa);
    assert_int_equal(cv_guard_temp_count(), 0);
    unlink(b);
    /* a path of 4096 bytes or more is not registered */
    char *longp = malloc(5000);
    assert_non_null(longp);
    memset(longp, 'a', 4999);
    longp[4999] = '\0';
    assert_int_equal(cv_guard_temp_add(longp), -1);
    free(longp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_guard_failed_xlsx_writes_release_their_slots, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_guard_failure_midway_removes_the_temporary, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_guard_full_registry_refuses_to_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_guard_cleanup_unlinks_registered_files, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
