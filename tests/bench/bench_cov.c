/* Covariates benchmark: a Pareto/NBD with two covariates on both processes (four
   coefficients, include/cvkit/covariates.h). On the summary of a transactions file (the
   columns of gen.c; weeks, calibration end 2022-12-31), which has no covariates, two are
   made deterministically from the customer's row: z1 = a 0/1 dummy (a hash of the row's
   position, 40% ones), z2 = a second 0/1 dummy (30%): four covariate patterns, as gender and
   channel. Prints one line:
     pnbd_cov <seconds> <customers> cpu=<s> rows=<distinct rows> patterns=<n> evals=<n>
       conv=<0|1> maxrss_kb=<k> ll=<LL> ...
   Usage: bench_cov FILE
          bench_cov --sim N: N customers drawn with covariates (r 0.5, alpha 6, s 0.8, beta 10,
          trans 0.4 -0.3, life -0.5 0.3; ages 1..78 weeks in whole days) instead of a file,
          the estimates printed beside the truth. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cvkit/covariates.h"
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/summary.h"

static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

static double cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* a deterministic uniform in [0, 1) from i and a salt (splitmix64) */
static double hash01(uint64_t i, uint64_t salt)
{
    uint64_t z = i * 0x9E3779B97F4A7C15ULL + salt;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
    static const double truth[8] = {0.5, 6, 0.8, 10, 0.4, -0.3, -0.5, 0.3};
    cv_model_rows rows;
    cv_model_data d;
    double *x = NULL, *tx = NULL, *T = NULL, *z1, *z2, t0, c0;
    const double *cols[4];
    unsigned proc[4] = {CV_COV_TRANS, CV_COV_TRANS, CV_COV_LIFE, CV_COV_LIFE};
    cv_cov_spec spec = {4, proc, cols};
    cv_cov_fit fit;
    cv_error err;
    size_t n, i;
    int rc, sim = argc >= 3 && strcmp(argv[1], "--sim") == 0;
    memset(&rows, 0, sizeof rows);
    if (argc < 2) {
        fprintf(stderr, "usage: bench_cov FILE | --sim N\n");
        return 2;
    }
    if (sim) {
        n = (size_t)atol(argv[2]);
        x = cv_malloc(sizeof(double) * 3 * n);
        tx = x + n, T = x + 2 * n;
        for (i = 0; i < n; i++)
            T[i] = (double)(7 + (long)(hash01(i, 3) * 540)) / 7.0; /* 1..78 weeks, whole days */
    } else {
        static const cv_csv_coltype types[] = {{"date", CV_DATE}};
        cv_csv_options co;
        cv_summary_options o;
        cv_summary_report rep;
        cv_table *s;
        memset(&co, 0, sizeof co);
        co.header = 1, co.types = types, co.ntypes = 1;
        memset(&o, 0, sizeof o);
        o.customer = "customer_id", o.date = "date", o.amount = "amount", o.unit = CV_UNIT_WEEK;
        o.calibration_end = cv_days_from_civil(2022, 12, 31), o.calibration_end_set = 1;
        if (!(s = cv_summary_csv(argv[1], &co, &o, &rep, &err)) ||
            cv_model_rows_from_table(&cv_model_pareto_nbd, s, NULL, &rows, &err) != 0) {
            fprintf(stderr, "bench_cov: %s\n", err.msg);
            return 1;
        }
        cv_table_free(s);
        n = rows.data.n;
    }
    z1 = cv_malloc(sizeof(double) * 2 * (n ? n : 1));
    z2 = z1 + n;
    for (i = 0; i < n; i++) {
        z1[i] = hash01(i, 1) < 0.4 ? 1.0 : 0.0;
        z2[i] = hash01(i, 2) < 0.3 ? 1.0 : 0.0;
    }
    cols[0] = z1, cols[1] = z2, cols[2] = z1, cols[3] = z2;
    if (sim) {
        if (cv_cov_simulate(&cv_model_pareto_nbd, truth, &spec, n, 1, T, x, tx, &err) != 0) {
            fprintf(stderr, "bench_cov: %s\n", err.msg);
            return 1;
        }
        d.n = n, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    } else {
        d = rows.data;
    }
    t0 = now(), c0 = cpu();
    rc = cv_cov_model_fit(&cv_model_pareto_nbd, &d, &spec, &fit, &err);
    if (rc > 1) {
        fprintf(stderr, "bench_cov: %s\n", err.msg);
        return 1;
    }
    printf("pnbd_cov %.3f %zu cpu=%.3f rows=%zu patterns=%zu evals=%d conv=%d maxrss_kb=%ld "
           "ll=%.2f est=%g,%g,%g,%g,%g,%g,%g,%g\n",
           now() - t0, n, cpu() - c0, fit.n_rows, fit.n_patterns, fit.optim.evaluations, rc == 0,
           maxrss_kb(), fit.loglik, fit.est[0], fit.est[1], fit.est[2], fit.est[3], fit.est[4],
           fit.est[5], fit.est[6], fit.est[7]);
    if (sim)
        printf("truth %g,%g,%g,%g,%g,%g,%g,%g se %g,%g,%g,%g,%g,%g,%g,%g\n", truth[0], truth[1],
               truth[2], truth[3], truth[4], truth[5], truth[6], truth[7], fit.se[0], fit.se[1],
               fit.se[2], fit.se[3], fit.se[4], fit.se[5], fit.se[6], fit.se[7]);
    cv_cov_fit_free(&fit);
    cv_free(z1), cv_free(x);
    cv_model_rows_free(&rows);
    return 0;
}
