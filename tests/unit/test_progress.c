/* Unit tests of the core's progress reporting (include/cvkit/progress.h): the API with a
   fake callback (order of events, done never decreasing, clamped to total, the last one
   the total), silence without a callback and on other threads, nested steps under the
   outer key; and the core's long steps (writing, reading, the summary from a table and
   streamed from a file, a fit, predictions over two threads) each reporting one step. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvkit/csv.h"
#include "cvkit/models.h"
#include "cvkit/progress.h"
#include "cvkit/summary.h"

#define MAXEV 100000

typedef struct {
    cv_progress_event ev;
    const char *step, *own;
    cv_progress_unit unit;
    uint64_t done, total;
    int depth;
} event;

static event evs[MAXEV];
static int nev;
static int other_thread; /* callbacks seen on a thread other than the test's */
static pthread_t main_thread;

static void record(void *ud, cv_progress_event ev, const cv_progress *p)
{
    (void)ud;
    if (!pthread_equal(pthread_self(), main_thread))
        other_thread++;
    if (nev < MAXEV)
        evs[nev++] =
            (event){ev, p->step, p->own, p->unit, atomic_load(&p->done), p->total, p->depth};
}

static int setup(void **state)
{
    (void)state;
    nev = 0;
    other_thread = 0;
    main_thread = pthread_self();
    cv_progress_set(record, NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cv_progress_set(NULL, NULL);
    return 0;
}

/* Checks the events from evs[from] are exactly one outermost step named step: BEGIN with
   done 0, done never decreasing within each (inner) step, END last with done == total
   when the total is known. Returns the index of its END. */
static int check_step(int from, const char *step, cv_progress_unit unit)
{
    assert_true(nev > from);
    assert_int_equal(evs[from].ev, CV_PROGRESS_BEGIN);
    assert_string_equal(evs[from].step, step);
    assert_int_equal(evs[from].depth, 0);
    assert_int_equal(evs[from].done, 0);
    uint64_t last = 0;
    for (int i = from + 1; i < nev; i++) {
        assert_string_equal(evs[i].step, step); /* inner steps too: the outer key */
        if (evs[i].ev == CV_PROGRESS_BEGIN) {
            assert_true(evs[i].depth > 0);
            last = 0;
            continue;
        }
        if (evs[i].ev == CV_PROGRESS_END && evs[i].depth == 0) {
            assert_int_equal(evs[i].unit, unit);
            if (evs[i].total)
                assert_int_equal(evs[i].done, evs[i].total);
            return i;
        }
        assert_true(evs[i].done >= last);
        if (evs[i].total)
            assert_true(evs[i].done <= evs[i].total);
        last = evs[i].done;
    }
    fail_msg("step %s has no END", step);
    return -1;
}

static int count(cv_progress_event ev, int from, int to)
{
    int n = 0;
    for (int i = from; i <= to; i++)
        n += evs[i].ev == ev;
    return n;
}

/* ---- The API ----------------------------------------------------------------------------- */

static void test_progress_events(void **state)
{
    cv_progress p;
    (void)state;
    cv_progress_begin(&p, "write", CV_PROGRESS_ROWS, 10);
    cv_progress_tick(&p, 3);
    cv_progress_tick(&p, 2); /* lower: not reported */
    cv_progress_tick(&p, 3); /* the same: not reported */
    cv_progress_tick(&p, 7);
    cv_progress_tick(&p, 12); /* past the total: clamped */
    cv_progress_tick(&p, 11);
    cv_progress_end(&p, 1);
    assert_int_equal(nev, 5);
    const uint64_t done[] = {0, 3, 7, 10, 10};
    const cv_progress_event ev[] = {CV_PROGRESS_BEGIN, CV_PROGRESS_UPDATE, CV_PROGRESS_UPDATE,
                                    CV_PROGRESS_UPDATE, CV_PROGRESS_END};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(evs[i].ev, ev[i]);
        assert_int_equal(evs[i].done, done[i]);
        assert_int_equal(evs[i].total, 10);
        assert_string_equal(evs[i].step, "write");
    }
    assert_int_equal(check_step(0, "write", CV_PROGRESS_ROWS), 4);
}

/* A step that fails ends where it was; one of unknown total counts on. */
static void test_progress_failed_and_unknown(void **state)
{
    cv_progress p;
    (void)state;
    cv_progress_begin(&p, "read", CV_PROGRESS_BYTES, 100);
    cv_progress_tick(&p, 40);
    cv_progress_end(&p, 0);
    assert_int_equal(nev, 3);
    assert_int_equal(evs[2].ev, CV_PROGRESS_END);
    assert_int_equal(evs[2].done, 40);
    cv_progress_begin(&p, "fit", CV_PROGRESS_EVALS, 0);
    for (int i = 0; i < 5; i++)
        cv_progress_add(&p, 1);
    cv_progress_end(&p, 1);
    assert_int_equal(nev, 3 + 7);
    assert_int_equal(evs[8].done, 5);
    assert_int_equal(evs[9].done, 5); /* no total: done stays what it was */
}

static void test_progress_silent_without_callback(void **state)
{
    cv_progress p;
    (void)state;
    cv_progress_set(NULL, NULL);
    cv_progress_begin(&p, "read", CV_PROGRESS_BYTES, 100);
    assert_int_equal(p.on, 0);
    cv_progress_tick(&p, 50);
    cv_progress_add(&p, 1);
    cv_progress_end(&p, 1);
    assert_int_equal(nev, 0);
}

/* A step begun inside another reports under the outer key, at depth 1. */
static void test_progress_nested(void **state)
{
    cv_progress outer, inner;
    (void)state;
    cv_progress_begin(&outer, "summary", CV_PROGRESS_BYTES, 0);
    cv_progress_begin(&inner, "read", CV_PROGRESS_BYTES, 8);
    cv_progress_tick(&inner, 4);
    cv_progress_end(&inner, 1);
    cv_progress_end(&outer, 1);
    assert_int_equal(nev, 5);
    assert_string_equal(evs[1].own, "read");
    assert_int_equal(evs[1].depth, 1);
    assert_int_equal(evs[2].done, 4);
    assert_int_equal(check_step(0, "summary", CV_PROGRESS_BYTES), 4);
}

static void *add_from_thread(void *v)
{
    cv_progress *p = v;
    for (int i = 0; i < 1000; i++)
        cv_progress_add(p, 1);
    return NULL;
}

/* Other threads add to done but only the step's own thread is called back. */
static void test_progress_other_threads(void **state)
{
    cv_progress p;
    pthread_t th;
    (void)state;
    cv_progress_begin(&p, "predict", CV_PROGRESS_ROWS, 2000);
    assert_int_equal(pthread_create(&th, NULL, add_from_thread, &p), 0);
    pthread_join(th, NULL);
    assert_int_equal(atomic_load(&p.done), 1000);
    cv_progress_add(&p, 500);
    cv_progress_end(&p, 1);
    assert_int_equal(other_thread, 0);
    assert_int_equal(nev, 3);
    assert_int_equal(evs[1].done, 1500);
    assert_int_equal(check_step(0, "predict", CV_PROGRESS_ROWS), 2);
}

/* ---- The core's steps --------------------------------------------------------------------- */

#define N 200000

/* N transactions of N / 8 customers over a year, in date order; deterministic. */
static cv_table *transactions(void)
{
    cv_table *t = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, N);
    cv_column *date = cv_column_new("date", CV_DATE, N);
    cv_column *amt = cv_column_new("amount", CV_FLOAT64, N);
    uint64_t s = 12345;
    for (int64_t i = 0; i < N; i++) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        ((int64_t *)id->data)[i] = (int64_t)((s >> 33) % (N / 8)) + 1;
        ((int32_t *)date->data)[i] = 10000 + (int32_t)(i * 365 / N);
        ((double *)amt->data)[i] = 1.0 + (double)((s >> 20) % 10000) / 100.0;
    }
    id->n = date->n = amt->n = N;
    assert_int_equal(cv_table_add(t, id, NULL), 0);
    assert_int_equal(cv_table_add(t, date, NULL), 0);
    assert_int_equal(cv_table_add(t, amt, NULL), 0);
    cv_column_unref(id), cv_column_unref(date), cv_column_unref(amt);
    t->nrows = N;
    return t;
}

/* The doubles of column name of t (NaN for missing), malloc'd. */
static double *doubles(const cv_table *t, const char *name)
{
    int j = cv_table_find(t, name);
    assert_true(j >= 0);
    const cv_column *c = t->cols[j];
    double *v = malloc(sizeof(double) * (size_t)t->nrows);
    for (int64_t i = 0; i < t->nrows; i++)
        v[i] = c->type == CV_INT64 ? (double)cv_column_int(c, i) : cv_column_float(c, i);
    return v;
}

static void test_progress_core_steps(void **state)
{
    (void)state;
    char path[] = "/tmp/cvkit_progress_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    cv_error err;
    cv_table *tx = transactions();

    /* writing: rows */
    assert_int_equal(cv_table_write(tx, path, CV_FMT_CSV, &err), 0);
    int end = check_step(0, "write", CV_PROGRESS_ROWS);
    assert_int_equal(evs[end].total, N);
    assert_true(count(CV_PROGRESS_UPDATE, 0, end) >= 10); /* every 4096 rows, or 16,384 (a
                                                            block) on several threads */

    /* reading: bytes of the file */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    int from = nev;
    cv_csv_options co;
    cv_csv_options_init(&co);
    cv_table *back = cv_csv_read(path, &co, NULL, &err);
    assert_non_null(back);
    assert_int_equal(back->nrows, N);
    end = check_step(from, "read", CV_PROGRESS_BYTES);
    assert_int_equal(evs[end].total, (uint64_t)st.st_size);
    cv_table_free(back);

    /* the summary of a table: rows */
    cv_summary_options so;
    memset(&so, 0, sizeof so);
    so.customer = "id", so.date = "date", so.amount = "amount", so.unit = CV_UNIT_WEEK;
    from = nev;
    cv_table *s = cv_summary_table(tx, &so, NULL, &err);
    assert_non_null(s);
    end = check_step(from, "summary", CV_PROGRESS_ROWS);
    assert_int_equal(evs[end].done, N);
    assert_true(count(CV_PROGRESS_UPDATE, from, end) >= 10);

    /* streamed from the file: the read inside reports under "summary" */
    from = nev;
    cv_table *s2 = cv_summary_csv(path, NULL, &so, NULL, &err);
    assert_non_null(s2);
    end = check_step(from, "summary", CV_PROGRESS_BYTES);
    assert_string_equal(evs[from + 1].own, "read");
    assert_int_equal(s2->nrows, s->nrows);
    cv_table_free(s2);

    /* a fit: evaluations, total unknown */
    double *x = doubles(s, "x"), *t_x = doubles(s, "t_x"), *T = doubles(s, "T");
    cv_model_data d = {(size_t)s->nrows, x, t_x, T, NULL, NULL};
    cv_fit fit;
    from = nev;
    int rc = cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err);
    assert_true(rc == 0 || rc == 1);
    end = check_step(from, "fit", CV_PROGRESS_EVALS);
    assert_int_equal(evs[end].total, 0);
    assert_true(evs[end].done >= 5);

    /* predictions over two threads (more than 20000 rows): called back on this one only */
    double *out = malloc(sizeof(double) * (size_t)s->nrows);
    from = nev;
    assert_true(s->nrows > 20000);
    assert_int_equal(
        cv_model_predict(&cv_model_bgnbd, fit.params, CV_PRED_P_ALIVE, &d, 0, 0, out, &err), 0);
    end = check_step(from, "predict", CV_PROGRESS_ROWS);
    assert_int_equal(evs[end].done, (uint64_t)s->nrows);
    assert_int_equal(other_thread, 0);

    free(out), free(x), free(t_x), free(T);
    cv_table_free(s);
    cv_table_free(tx);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_progress_events, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_failed_and_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_silent_without_callback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_nested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_other_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_progress_core_steps, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
