/* Costing benchmark: activity-based costing with 10 activities over a transactions file
   (the columns of gen.c: customer_id, date, amount). Loads the file, derives each
   customer's driver volumes with cv_costing_drivers (one group-by: orders, spend,
   distinct days, large orders, largest order), then cv_costing_abc assigns 10 pools.
   Prints one line:
     costing <seconds> <bytes> load=<s> drivers=<s> abc=<s> cpu_load=<s> cpu_drivers=<s>
             cpu_abc=<s> rows=<n> customers=<n> maxrss_kb=<k>
   where <seconds> is the whole run (load + drivers + abc) in wall time, and the cpu_
   fields the CPU time of each phase (what matters on a machine shared with other jobs).
   Usage: bench_costing FILE [THREADS]; THREADS is cv_csv_read's option, 0 (the default)
   letting it choose (every core for a file this size: both on the 2-core build machine).
   The group-by behind the drivers uses two threads by itself on a table this size. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cvkit/costing.h"
#include "cvkit/csv.h"

/* Peak resident memory of this process so far, in KiB. */
static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process so far (all threads): the time an idle machine would take
   for single-threaded work, whatever else is running. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Adds a bool column name = (amount op limit) to t: 1 for >, 0 for <. */
static int add_flag(cv_table *t, const char *name, const cv_column *amount, int greater,
                    double limit, cv_error *err)
{
    cv_column *c = cv_column_new(name, CV_BOOL, t->nrows);
    if (!c)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    uint8_t *d = c->data;
    if (amount->type == CV_FLOAT64 && !amount->valid) { /* the usual case: a plain loop */
        const double *x = amount->data;
        for (int64_t i = 0; i < t->nrows; i++)
            d[i] = greater ? x[i] > limit : x[i] < limit;
    } else {
        for (int64_t i = 0; i < t->nrows; i++) {
            double v = cv_column_number(amount, i);
            d[i] = greater ? v > limit : v < limit;
        }
    }
    c->n = t->nrows;
    int rc = cv_table_add(t, c, err);
    cv_column_unref(c);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_costing FILE [THREADS]\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 3;
    }
    static const cv_csv_coltype types[] = {{"customer_id", CV_INT64}, {"date", CV_DATE},
                                           {"amount", CV_FLOAT64}};
    cv_csv_options co;
    cv_csv_options_init(&co);
    co.header = 1;
    co.types = types;
    co.ntypes = 3;
    co.threads = argc > 2 ? atoi(argv[2]) : 0;
    cv_error err;
    double t0 = now(), c0 = cpu();
    cv_table *tx = cv_csv_read(argv[1], &co, NULL, &err);
    if (!tx) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    double t1 = now(), c1 = cpu();
    const cv_column *amount = cv_table_col(tx, "amount", &err);
    if (!amount || add_flag(tx, "large", amount, 1, 500, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    cv_agg aggs[] = {{"orders", CV_AGG_COUNT, NULL, 0},
                     {"spend", CV_AGG_SUM, "amount", 0},
                     {"days", CV_AGG_NDISTINCT, "date", 0},
                     {"large", CV_AGG_SUM, "large", 0},
                     {"top", CV_AGG_MAX, "amount", 0}};
    cv_table *d = cv_costing_drivers(tx, "customer_id", aggs, 5, &err);
    if (!d) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    double t2 = now(), c2 = cpu();
    cv_abc_activity acts[] = {
        {"order_entry", "orders", 2.5e6, 0, 0},    {"invoicing", "orders", 1.2e6, 0, 0},
        {"picking", "spend", 3.0e6, 0, 0},         {"delivery", "days", 4.0e6, 0, 0},
        {"credit_control", "spend", 0.8e6, 0, 0},  {"large_order_review", "large", 0.9e6, 0, 0},
        {"small_order_handling", "orders", 0.6e6, 0, 0},
        {"account_management", "orders", 0, 1.5, 1}, {"insurance", "top", 0.3e6, 0, 0},
        {"returns", "days", 0.7e6, 0, 0}};
    cv_abc_result r = {0};
    if (cv_costing_abc(d, "customer_id", acts, 10, &r, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    double t3 = now(), c3 = cpu();
    printf("costing %.3f %lld load=%.3f drivers=%.3f abc=%.3f cpu_load=%.3f cpu_drivers=%.3f "
           "cpu_abc=%.3f rows=%lld customers=%lld maxrss_kb=%ld\n",
           t3 - t0, (long long)st.st_size, t1 - t0, t2 - t1, t3 - t2, c1 - c0, c2 - c1, c3 - c2,
           (long long)tx->nrows, (long long)d->nrows, maxrss_kb());
    cv_costing_abc_free(&r);
    cv_table_free(d);
    cv_table_free(tx);
    return 0;
}
