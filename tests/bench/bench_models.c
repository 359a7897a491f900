/* Models benchmark: on the summary of a transactions file (the columns of gen.c; weeks,
   calibration end 2022-12-31, observation end 2023-12-31), times the BG/NBD fit, the
   Pareto/NBD fit, and P(alive) + conditional expectation (52 weeks) + CLV (52 weeks, 15% a
   year, spend = mean_spend) for every customer (one cv_model_clv_table call with
   conditional = 52). Prints one line per phase:
     <phase> <seconds> <customers> rows=<distinct rows> evals=<n> conv=<0|1> maxrss_kb=<k>
   (maxrss: the process's peak so far, the summary's table included).
   Usage: bench_models FILE [PHASE...]   phases: summary bgnbd pnbd gg predict lifetime (default
          all; gg: the Gamma-Gamma fit on the customers with x > 0)
          bench_models --gen MODEL N [PHASE...]: the summary of N customers' transactions
          drawn from MODEL (bgnbd: r 0.5, alpha 6, a 0.7, b 2.5; pnbd: r 0.5, alpha 6, s 0.8,
          beta 10; in weeks, first purchases over 90 days from 1997-01-01, data to 1998-06-30:
          what `cvkit gen` writes, summarized in weeks) instead of a file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cvkit/clv.h"
#include "cvkit/parse.h"
#include "cvkit/summary.h"

static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* CPU time (user + system) of this process so far, in seconds. */
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

static int want(int argc, char **argv, const char *phase)
{
    int i;
    if (argc <= 2)
        return 1;
    for (i = 2; i < argc; i++)
        if (strcmp(argv[i], phase) == 0)
            return 1;
    return 0;
}

static int fit_phase(const char *name, const cv_model *m, const cv_table *s, double *p)
{
    cv_model_rows rows;
    cv_fit fit;
    cv_error err;
    double t0 = now(), c0 = cpu();
    int rc;
    if (cv_model_rows_from_table(m, s, NULL, &rows, &err) != 0) {
        fprintf(stderr, "bench_models: %s\n", err.msg);
        return 1;
    }
    rc = cv_model_fit(m, &rows.data, NULL, &fit, &err);
    if (rc > 1) {
        fprintf(stderr, "bench_models: %s\n", err.msg);
        cv_model_rows_free(&rows);
        return 1;
    }
    printf("%s %.3f %lld cpu=%.3f rows=%zu evals=%d conv=%d maxrss_kb=%ld "
           "params=%.17g,%.17g,%.17g,%.17g ll=%.17g (%s, %s)\n",
           name, now() - t0, (long long)s->nrows, cpu() - c0, fit.n_rows, fit.optim.evaluations,
           rc == 0, maxrss_kb(), fit.params[0], fit.params[1], fit.params[2], fit.params[3],
           fit.loglik, fit.optim.method, fit.optim.message);
    memcpy(p, fit.params, sizeof fit.params);
    cv_model_rows_free(&rows);
    return 0;
}

int main(int argc, char **argv)
{
    static const cv_csv_coltype types[] = {{"date", CV_DATE}};
    cv_csv_options co;
    cv_summary_options o;
    cv_summary_report rep;
    cv_error err;
    double p[CV_MODEL_MAXP] = {0.5, 10, 0.7, 3}, t0;
    cv_table *s;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_models FILE [PHASE...]\n");
        return 2;
    }
    memset(&co, 0, sizeof co);
    co.header = 1, co.types = types, co.ntypes = 1;
    memset(&o, 0, sizeof o);
    o.customer = "customer_id", o.date = "date", o.amount = "amount", o.unit = CV_UNIT_WEEK;
    o.calibration_end = cv_days_from_civil(2022, 12, 31), o.calibration_end_set = 1;
    o.observation_end = cv_days_from_civil(2023, 12, 31), o.observation_end_set = 1;
    t0 = now();
    if (strcmp(argv[1], "--gen") == 0 && argc >= 4) {
        static const double pb[4] = {0.5, 6, 0.7, 2.5}, pp[4] = {0.5, 6, 0.8, 10};
        static const double gg[3] = {6.25, 3.74, 15.44};
        const cv_model *gm = strcmp(argv[2], "pnbd") == 0 ? &cv_model_pareto_nbd : &cv_model_bgnbd;
        cv_gen_options g;
        cv_table *tx;
        memset(&g, 0, sizeof g);
        g.seed = 1, g.start = cv_days_from_civil(1997, 1, 1), g.cohort_days = 90;
        g.end = cv_days_from_civil(1998, 6, 30), g.unit = CV_UNIT_WEEK, g.spend = gg;
        tx = cv_model_simulate_tx(gm, gm == &cv_model_bgnbd ? pb : pp, (size_t)atol(argv[3]), &g,
                                  &err);
        if (!tx) {
            fprintf(stderr, "bench_models: %s\n", err.msg);
            return 1;
        }
        o.customer = "customer", o.calibration_end = g.end, o.observation_end_set = 0;
        s = cv_summary_table(tx, &o, &rep, &err);
        printf("gen %.3f %lld transactions\n", now() - t0, (long long)tx->nrows);
        cv_table_free(tx);
        argv += 2, argc -= 2;
    } else {
        s = cv_summary_csv(argv[1], &co, &o, &rep, &err);
    }
    if (!s) {
        fprintf(stderr, "bench_models: %s\n", err.msg);
        return 1;
    }
    if (want(argc, argv, "summary"))
        printf("summary %.3f %lld maxrss_kb=%ld\n", now() - t0, (long long)s->nrows, maxrss_kb());
    if (want(argc, argv, "bgnbd") && fit_phase("bgnbd", &cv_model_bgnbd, s, p))
        return 1;
    if (want(argc, argv, "pnbd")) {
        double q[CV_MODEL_MAXP];
        if (fit_phase("pnbd", &cv_model_pareto_nbd, s, q))
            return 1;
    }
    if (want(argc, argv, "gg")) {
        double q[CV_MODEL_MAXP];
        if (fit_phase("gg", &cv_model_gamma_gamma, s, q))
            return 1;
    }
    if (want(argc, argv, "predict")) {
        cv_table *c;
        cv_clv_options co2;
        memset(&co2, 0, sizeof co2);
        co2.unit = CV_UNIT_WEEK, co2.horizon = 52, co2.discount = 0.15, co2.spend = "mean_spend";
        double c0 = cpu();
        t0 = now();
#ifdef CV_CLV_CONDITIONAL
        /* P(alive), E[Y(52)] and the CLV columns in one call, P(alive) shared */
        co2.conditional = 52;
        c = cv_model_clv_table(&cv_model_bgnbd, p, s, NULL, &co2, &err);
#else
        /* the same columns from a library without the conditional option (the base of
           tests/bench/speed.sh): three calls */
        {
            cv_table *a = cv_model_predict_table(&cv_model_bgnbd, p, CV_PRED_P_ALIVE, 0, 0, s, NULL,
                                                 "p_alive", &err);
            cv_table *b = a ? cv_model_predict_table(&cv_model_bgnbd, p, CV_PRED_CONDITIONAL, 52, 0,
                                                     a, NULL, "conditional", &err)
                            : NULL;
            c = b ? cv_model_clv_table(&cv_model_bgnbd, p, b, NULL, &co2, &err) : NULL;
            cv_table_free(a), cv_table_free(b);
        }
#endif
        if (!c) {
            fprintf(stderr, "bench_models: %s\n", err.msg);
            return 1;
        }
        printf("predict %.3f %lld cpu=%.3f maxrss_kb=%ld\n", now() - t0, (long long)s->nrows,
               cpu() - c0, maxrss_kb());
        cv_table_free(c);
    }
    if (want(argc, argv, "lifetime")) { /* CLV over the whole lifetime: BG/NBD DERT at 15% */
        cv_clv_options co2;
        cv_table *c;
        double c0 = cpu();
        memset(&co2, 0, sizeof co2);
        co2.unit = CV_UNIT_WEEK, co2.horizon = INFINITY, co2.discount = 0.15;
        co2.spend = "mean_spend";
        t0 = now();
        if (!(c = cv_model_clv_table(&cv_model_bgnbd, p, s, NULL, &co2, &err))) {
            fprintf(stderr, "bench_models: %s\n", err.msg);
            return 1;
        }
        printf("lifetime %.3f %lld cpu=%.3f maxrss_kb=%ld\n", now() - t0, (long long)s->nrows,
               cpu() - c0, maxrss_kb());
        cv_table_free(c);
    }
    cv_table_free(s);
    return 0;
}
