/* Scaling benchmark: one stage of the pipeline on a transactions file (the columns of gen.c),
   timed alone in its own process, so that `make bench` (tests/bench/run.sh, case scale) can
   tell how each stage's time and memory grow with the rows. What the stage needs is made
   first, untimed (the summary for the fits, predictions and the write; the BG/NBD fit for the
   predictions); then the core's peak memory is reset and the stage runs. Prints one line:
     <stage> wall=<s> cpu=<s> n=<rows or customers> distinct=<d> mem_peak_kb=<k> maxrss_kb=<k>
   wall: CLOCK_MONOTONIC; cpu: this process's CPU time, every thread (user + system), during
   the stage only; n: rows read (read) or customers (the other stages); distinct: the
   distinct rows a fit works on (0 elsewhere); mem_peak_kb: cv_mem_peak during the stage (the
   core's counted allocations, its inputs included); maxrss_kb: the process's peak resident
   memory (getrusage), which includes the untimed preparation.
   Stages (summary in weeks, calibration end 2022-12-31, observation end 2023-12-31, as
   bench_models):
     read     cv_csv_read of the file (date typed, threads chosen by the reader)
     summary  cv_summary_csv streaming the file
     bgnbd    BG/NBD fit on the summary
     pnbd     Pareto/NBD fit on the summary
     gg       Gamma-Gamma fit on the summary (customers with x > 0)
     predict  BG/NBD P(alive) + E[Y(52)] + CLV over 52 weeks at 15% (spend mean_spend)
     write    cv_table_write of the summary as CSV into OUTDIR (the file is removed)
   Usage: bench_scale STAGE FILE [OUTDIR] */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cvkit/clv.h"
#include "cvkit/csv.h"
#include "cvkit/mem.h"
#include "cvkit/parse.h"
#include "cvkit/summary.h"

static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

static double clock_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const cv_csv_coltype date_type[] = {{"date", CV_DATE}};

static void csv_options(cv_csv_options *co)
{
    memset(co, 0, sizeof *co);
    co->header = 1, co->types = date_type, co->ntypes = 1;
}

static cv_table *summary_of(const char *path, cv_error *err)
{
    cv_csv_options co;
    cv_summary_options o;
    cv_summary_report rep;
    csv_options(&co);
    memset(&o, 0, sizeof o);
    o.customer = "customer_id", o.date = "date", o.amount = "amount", o.unit = CV_UNIT_WEEK;
    o.calibration_end = cv_days_from_civil(2022, 12, 31), o.calibration_end_set = 1;
    o.observation_end = cv_days_from_civil(2023, 12, 31), o.observation_end_set = 1;
    return cv_summary_csv(path, &co, &o, &rep, err);
}

/* Fits m on s into fit; *distinct gets the rows after collapsing. 0, or -1 with err. */
static int fit_model(const cv_model *m, const cv_table *s, cv_fit *fit, size_t *distinct,
                     cv_error *err)
{
    cv_model_rows rows;
    if (cv_model_rows_from_table(m, s, NULL, &rows, err) != 0)
        return -1;
    int rc = cv_model_fit(m, &rows.data, NULL, fit, err);
    cv_model_rows_free(&rows);
    if (rc > 1)
        return -1;
    *distinct = fit->n_rows;
    return 0;
}

static const cv_model *model_of(const char *stage)
{
    if (strcmp(stage, "bgnbd") == 0)
        return &cv_model_bgnbd;
    if (strcmp(stage, "pnbd") == 0)
        return &cv_model_pareto_nbd;
    if (strcmp(stage, "gg") == 0)
        return &cv_model_gamma_gamma;
    return NULL;
}

int main(int argc, char **argv)
{
    const char *stage = argc > 2 ? argv[1] : "", *path = argc > 2 ? argv[2] : "";
    const char *outdir = argc > 3 ? argv[3] : ".";
    const cv_model *model = model_of(stage);
    cv_error err;
    cv_table *s = NULL, *made = NULL;
    cv_fit fit;
    double bg[CV_MODEL_MAXP];
    size_t distinct = 0;
    long long n = 0;
    char out[4096];
    int ok = 1;
    if (!model && strcmp(stage, "read") != 0 && strcmp(stage, "summary") != 0 &&
        strcmp(stage, "predict") != 0 && strcmp(stage, "write") != 0) {
        fprintf(stderr, "usage: bench_scale read|summary|bgnbd|pnbd|gg|predict|write FILE "
                        "[OUTDIR]\n");
        return 2;
    }
    if (model || strcmp(stage, "predict") == 0 || strcmp(stage, "write") == 0) {
        if (!(s = summary_of(path, &err))) { /* the stage's input, untimed */
            fprintf(stderr, "bench_scale: %s\n", err.msg);
            return 1;
        }
        n = s->nrows;
    }
    if (strcmp(stage, "predict") == 0) {
        size_t d;
        if (fit_model(&cv_model_bgnbd, s, &fit, &d, &err) != 0) {
            fprintf(stderr, "bench_scale: %s\n", err.msg);
            return 1;
        }
        memcpy(bg, fit.params, sizeof bg);
    }
    snprintf(out, sizeof out, "%s/bench_scale.csv", outdir);
    cv_mem_reset_peak();
    double t0 = clock_of(CLOCK_MONOTONIC), c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID);
    if (strcmp(stage, "read") == 0) {
        cv_csv_options co;
        cv_csv_report rep;
        csv_options(&co);
        ok = (made = cv_csv_read(path, &co, &rep, &err)) != NULL;
        n = ok ? made->nrows : 0;
    } else if (strcmp(stage, "summary") == 0) {
        ok = (made = summary_of(path, &err)) != NULL;
        n = ok ? made->nrows : 0;
    } else if (model) {
        ok = fit_model(model, s, &fit, &distinct, &err) == 0;
    } else if (strcmp(stage, "predict") == 0) {
        cv_clv_options o;
        cv_table *a, *b;
        memset(&o, 0, sizeof o);
        o.unit = CV_UNIT_WEEK, o.horizon = 52, o.discount = 0.15, o.spend = "mean_spend";
        a = cv_model_predict_table(&cv_model_bgnbd, bg, CV_PRED_P_ALIVE, 0, 0, s, NULL, "p_alive",
                                   &err);
        b = a ? cv_model_predict_table(&cv_model_bgnbd, bg, CV_PRED_CONDITIONAL, 52, 0, a, NULL,
                                       "conditional", &err)
              : NULL;
        made = b ? cv_model_clv_table(&cv_model_bgnbd, bg, b, NULL, &o, &err) : NULL;
        ok = made != NULL;
        cv_table_free(a), cv_table_free(b);
    } else {
        ok = cv_table_write(s, out, CV_FMT_CSV, &err) == 0;
    }
    double wall = clock_of(CLOCK_MONOTONIC) - t0, cpu = clock_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
    size_t peak = cv_mem_peak();
    if (strcmp(stage, "write") == 0)
        unlink(out);
    if (!ok) {
        fprintf(stderr, "bench_scale: %s\n", err.msg);
        return 1;
    }
    printf("%s wall=%.4f cpu=%.4f n=%lld distinct=%zu mem_peak_kb=%zu maxrss_kb=%ld\n", stage, wall,
           cpu, n, distinct, peak / 1024, maxrss_kb());
    cv_table_free(made);
    cv_table_free(s);
    return 0;
}
