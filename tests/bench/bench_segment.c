/* Segmentation benchmark on N synthetic customers (seeded): a summary-like table with
   days_since_last (0..546), orders (1 + geometric) and revenue (orders x lognormal spend).
   Times, best of R runs each, only the work measured (not the data generation):
     rfm_segments  cv_rfm_score (5 quantile bins) + cv_rules_apply of the 10-segment rules
     kmeans        cv_kmeans, k = 5, 5 restarts, on the 3 columns standardized
   Prints "rfm_segments <seconds> ...", "kmeans <seconds> ..." with cpu=<seconds> (the
   best CPU time: the cost when the machine is shared) and maxrss_kb=<k>.
   Usage: bench_segment [N = 1000000] [R = 3] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cvkit/models.h"
#include "cvkit/segment.h"

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

/* CPU time of this process (one thread does the work): shows the cost when the machine
   is shared and wall time is not this program's alone. */
static double cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The 10-segment rules of lua/cv/segment.lua (R, F, M score ranges). */
static cv_rules *rfm10(void)
{
    static const struct {
        const char *name;
        int r[2], f[2], m[2];
    } s[] = {
        {"Champions", {4, 5}, {4, 5}, {4, 5}},          {"Loyal Customers", {2, 5}, {3, 5}, {3, 5}},
        {"Potential Loyalist", {3, 5}, {1, 3}, {1, 3}}, {"New Customers", {4, 5}, {1, 1}, {1, 1}},
        {"Promising", {3, 4}, {1, 1}, {1, 1}},          {"Need Attention", {2, 3}, {2, 3}, {2, 3}},
        {"About To Sleep", {2, 3}, {1, 2}, {1, 2}},     {"At Risk", {1, 2}, {2, 5}, {2, 5}},
        {"Can't Lose Them", {1, 1}, {4, 5}, {4, 5}},    {"Lost", {1, 2}, {1, 2}, {1, 2}}};
    cv_rules *r = cv_rules_new("Others");
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        cv_rules_add(r, s[i].name, NULL);
        cv_rules_cond(r, "r_score", s[i].r[0], 0, CV_BOUND_VALUE, s[i].r[1], 0, CV_BOUND_VALUE,
                      NULL);
        cv_rules_cond(r, "f_score", s[i].f[0], 0, CV_BOUND_VALUE, s[i].f[1], 0, CV_BOUND_VALUE,
                      NULL);
        cv_rules_cond(r, "m_score", s[i].m[0], 0, CV_BOUND_VALUE, s[i].m[1], 0, CV_BOUND_VALUE,
                      NULL);
    }
    return r;
}

int main(int argc, char **argv)
{
    int64_t n = argc > 1 ? atoll(argv[1]) : 1000000;
    int reps = argc > 2 ? atoi(argv[2]) : 3;
    cv_rng rng;
    cv_error err;
    cv_table *t = cv_table_new();
    cv_column *a = cv_column_new("days_since_last", CV_INT64, n);
    cv_column *b = cv_column_new("orders", CV_INT64, n);
    cv_column *c = cv_column_new("revenue", CV_FLOAT64, n);
    double best_rfm = INFINITY, best_km = INFINITY, cpu_rfm = INFINITY, cpu_km = INFINITY;
    int64_t champions = 0;

    cv_rng_seed(&rng, 2024);
    for (int64_t i = 0; i < n; i++) {
        int64_t orders = 1 + (int64_t)floor(log(cv_rng_uniform(&rng)) / log(0.7));
        cv_column_push_int(a, (int64_t)(cv_rng_uniform(&rng) * 547));
        cv_column_push_int(b, orders);
        cv_column_push_float(c, (double)orders * exp(3 + 0.8 * cv_rng_normal(&rng)));
    }
    cv_table_add(t, a, &err);
    cv_table_add(t, b, &err);
    cv_table_add(t, c, &err);
    cv_column_unref(a);
    cv_column_unref(b);
    cv_column_unref(c);

    cv_rules *rules = rfm10();
    for (int r = 0; r < reps; r++) {
        cv_rfm_options o;
        cv_table *cuts, *counts, *s, *seg;
        memset(&o, 0, sizeof o);
        double t0 = now(), c0 = cpu();
        s = cv_rfm_score(t, &o, &cuts, &err);
        seg = s ? cv_rules_apply(rules, s, "segment", &counts, &err) : NULL;
        double dt = now() - t0, dc = cpu() - c0;
        if (dc < cpu_rfm)
            cpu_rfm = dc;
        if (!seg) {
            fprintf(stderr, "bench_segment: %s\n", err.msg);
            return 1;
        }
        champions = cv_column_int(cv_table_col(counts, "customers", NULL), 0);
        if (dt < best_rfm)
            best_rfm = dt;
        cv_table_free(s);
        cv_table_free(seg);
        cv_table_free(cuts);
        cv_table_free(counts);
    }
    printf("rfm_segments %.3f customers=%lld champions=%lld cpu=%.3f maxrss_kb=%ld\n", best_rfm,
           (long long)n, (long long)champions, cpu_rfm, maxrss_kb());
    for (int r = 0; r < reps; r++) {
        const char *cols[3] = {"days_since_last", "orders", "revenue"};
        cv_kmeans_options o = {5, 5, 100, 1, 1, 0};
        cv_kmeans_result res;
        double t0 = now(), c0 = cpu();
        cv_table *k = cv_kmeans(t, cols, 3, &o, "cluster", &res, &err);
        double dt = now() - t0, dc = cpu() - c0;
        if (dc < cpu_km)
            cpu_km = dc;
        if (!k) {
            fprintf(stderr, "bench_segment: %s\n", err.msg);
            return 1;
        }
        if (dt < best_km)
            best_km = dt;
        if (r == reps - 1)
            printf("kmeans %.3f rows=%lld k=5 restarts=5 iterations=%d wss/tss=%.4f cpu=%.3f "
                   "maxrss_kb=%ld\n",
                   best_km, (long long)n, res.iterations, res.wss / res.tss, cpu_km, maxrss_kb());
        cv_kmeans_result_free(&res);
        cv_table_free(k);
    }
    cv_rules_free(rules);
    cv_table_free(t);
    return 0;
}
