/* Unit tests of the core's counting allocator (include/cvkit/mem.h): what it counts, the
   limit (refused before malloc, a shrink never refused), a core call under the limit
   failing cleanly, and the count staying exact when threads allocate at once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/csv.h"
#include "cvkit/mem.h"

static int teardown(void **state)
{
    (void)state;
    cv_mem_set_limit(0);
    return 0;
}

static void test_mem_counts(void **state)
{
    size_t base = cv_mem_used();
    char *p, *q, *s;
    unsigned char *z;
    (void)state;
    assert_non_null(p = cv_malloc(1000));
    assert_true(cv_mem_used() >= base + 1000 && cv_mem_used() < base + 1100);
    assert_non_null(q = cv_realloc(p, 100000));
    assert_true(cv_mem_used() >= base + 100000 && cv_mem_used() < base + 110000);
    assert_non_null(p = cv_realloc(q, 10)); /* shrinking gives the bytes back */
    assert_true(cv_mem_used() < base + 100000);
    assert_non_null(z = cv_calloc(1000, 8));
    for (int i = 0; i < 8000; i++)
        assert_int_equal(z[i], 0);
    assert_non_null(s = cv_strdup("tenure"));
    assert_string_equal(s, "tenure");
    assert_true(cv_mem_peak() >= base + 100000);
    cv_free(p);
    cv_free(z);
    cv_free(s);
    cv_free(NULL);
    assert_int_equal(cv_mem_used(), base);
    assert_null(cv_calloc(SIZE_MAX / 2, 4)); /* overflow of count * size */
    assert_int_equal(cv_mem_used(), base);
}

static void test_mem_limit(void **state)
{
    size_t base = cv_mem_used();
    unsigned long refused = cv_mem_refusals();
    char *p, *q;
    (void)state;
    assert_int_equal(cv_mem_set_limit(base + (1u << 20)), 0);
    assert_int_equal(cv_mem_limit(), base + (1u << 20));
    errno = 0;
    assert_null(cv_malloc(2u << 20)); /* past the limit: refused, nothing counted */
    assert_int_equal(errno, ENOMEM);
    assert_int_equal(cv_mem_refusals(), refused + 1);
    assert_int_equal(cv_mem_used(), base);
    assert_null(cv_calloc(1u << 18, 8));
    assert_non_null(p = cv_malloc(512u << 10)); /* within it */
    assert_null(cv_malloc(600u << 10));         /* both together would not fit */
    memset(p, 7, 512u << 10);
    assert_null(cv_realloc(p, 2u << 20)); /* a failed growth keeps the block */
    assert_int_equal(p[(512u << 10) - 1], 7);
    cv_mem_set_limit(base + 1000); /* below what is held: shrinking still works */
    assert_non_null(q = cv_realloc(p, 100));
    assert_int_equal(q[99], 7);
    assert_null(cv_malloc(2000));
    cv_free(q);
    assert_int_equal(cv_mem_used(), base);
    cv_mem_set_limit(0);
    assert_non_null(p = cv_malloc(2u << 20)); /* no limit: fine */
    cv_free(p);
}

/* A core call that needs more than the limit fails with CV_ERR_NOMEM and frees all it
   took; with room it succeeds. */
static void test_mem_core_call_under_limit(void **state)
{
    size_t n = 200000, len = 0, base;
    char *text = malloc(n * 24 + 16);
    cv_error err;
    cv_table *t;
    (void)state;
    assert_non_null(text);
    len += (size_t)sprintf(text, "id,amount,name\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, "%zu,%zu.5,c%zu\n", i, i % 977, i);
    base = cv_mem_used();
    cv_mem_set_limit(base + (1u << 20));
    assert_null(cv_csv_read_buffer("big.csv", text, len, NULL, NULL, &err));
    assert_int_equal(err.code, CV_ERR_NOMEM);
    assert_int_equal(cv_mem_used(), base);
    cv_mem_set_limit(base + (64u << 20));
    assert_non_null(t = cv_csv_read_buffer("big.csv", text, len, NULL, NULL, &err));
    assert_int_equal(t->nrows, (int64_t)n);
    assert_true(cv_mem_used() > base + n * 8); /* the table is counted */
    cv_table_free(t);
    assert_int_equal(cv_mem_used(), base);
    free(text);
}

static void *churn(void *arg)
{
    (void)arg;
    for (int i = 0; i < 20000; i++) {
        char *p = cv_malloc((size_t)(i % 700) + 1), *q;
        if (!p)
            continue;
        if ((q = cv_realloc(p, (size_t)(i % 3000) + 1)) != NULL)
            p = q;
        cv_free(p);
    }
    return NULL;
}

static void test_mem_threads(void **state)
{
    pthread_t th[4];
    size_t base = cv_mem_used();
    (void)state;
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, churn, NULL), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(cv_mem_used(), base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_mem_counts, teardown),
        cmocka_unit_test_teardown(test_mem_limit, teardown),
        cmocka_unit_test_teardown(test_mem_core_call_under_limit, teardown),
        cmocka_unit_test_teardown(test_mem_threads, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
