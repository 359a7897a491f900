/* Write benchmark: the per-customer summary of a transactions file (as bench_summary makes
   it: weeks, calibration end 2022-12-31, observation end 2023-12-31) written by
   cv_table_write as CSV, TSV and JSON into OUTDIR, each the best of REPEAT runs; only the
   writing is timed. Prints one line per format:
     write_<fmt> <seconds> <bytes written> rows=<n> maxrss_kb=<k> cpu=<s> user=<s> sys=<s>
       threads=<k> one_thread=<seconds> one_thread_cpu=<s>
   Rows are formatted on cv_threads() threads; the same writes on one thread, run in turn
   with them, give the speed-up as a ratio measured in the same run. CPU time, and its user
   part, the formatting, tell the writer's speed on a loaded machine, where wall time waits;
   sys is the kernel's copy into the page cache and the fsync.
   Usage: bench_write FILE OUTDIR [REPEAT] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cvkit/csv.h"
#include "cvkit/parse.h"
#include "cvkit/summary.h"
#include "cvkit/threads.h"

static long maxrss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

/* User and system CPU seconds of this process so far. */
static void cpu_split(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double clock_of(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_write FILE OUTDIR [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 3 ? atoi(argv[3]) : 3;
    static const cv_csv_coltype types[] = {{"date", CV_DATE}};
    cv_csv_options co;
    memset(&co, 0, sizeof co);
    co.header = 1;
    co.types = types;
    co.ntypes = 1;
    cv_summary_options o;
    memset(&o, 0, sizeof o);
    o.customer = "customer_id";
    o.date = "date";
    o.amount = "amount";
    o.unit = CV_UNIT_WEEK;
    o.calibration_end = cv_days_from_civil(2022, 12, 31);
    o.calibration_end_set = 1;
    o.observation_end = cv_days_from_civil(2023, 12, 31);
    o.observation_end_set = 1;
    cv_summary_report rep;
    cv_error err;
    cv_table *s = cv_summary_csv(argv[1], &co, &o, &rep, &err);
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    static const struct {
        const char *name;
        cv_format fmt;
    } fmts[] = {{"csv", CV_FMT_CSV}, {"tsv", CV_FMT_TSV}, {"json", CV_FMT_JSON}};
    for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++) {
        char path[4096];
        struct stat st;
        /* [0]: on one thread, [1]: on cv_threads() threads; the runs alternate, so that a
           change of the machine's load touches both alike */
        double best[2] = {-1, -1}, best_cpu[2] = {-1, -1}, best_user[2] = {0}, best_sys[2] = {0};
        snprintf(path, sizeof path, "%s/bench_write.%s", argv[2], fmts[k].name);
        for (int r = 0; r < repeat; r++)
            for (int m = 0; m < 2; m++) {
                cv_threads_set(m == 0 ? 1 : 0);
                double t0 = clock_of(CLOCK_MONOTONIC), c0 = clock_of(CLOCK_PROCESS_CPUTIME_ID), u0,
                       s0, u1, s1;
                cpu_split(&u0, &s0);
                if (cv_table_write(s, path, fmts[k].fmt, &err) != 0) {
                    fprintf(stderr, "%s\n", err.msg);
                    return err.code;
                }
                double dt = clock_of(CLOCK_MONOTONIC) - t0;
                double dc = clock_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
                cpu_split(&u1, &s1);
                if (best[m] < 0 || dt < best[m])
                    best[m] = dt;
                if (best_cpu[m] < 0 || dc < best_cpu[m]) {
                    best_cpu[m] = dc;
                    best_user[m] = u1 - u0;
                    best_sys[m] = s1 - s0;
                }
            }
        if (stat(path, &st) != 0) {
            perror(path);
            return 3;
        }
        printf("write_%s %.3f %lld rows=%lld maxrss_kb=%ld cpu=%.3f user=%.3f sys=%.3f "
               "threads=%d one_thread=%.3f one_thread_cpu=%.3f\n",
               fmts[k].name, best[1], (long long)st.st_size, (long long)s->nrows, maxrss_kb(),
               best_cpu[1], best_user[1], best_sys[1], cv_threads(), best[0], best_cpu[0]);
        unlink(path);
    }
    cv_table_free(s);
    return 0;
}
