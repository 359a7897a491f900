/* Summary benchmark: times cv_summary_csv streaming a transactions file (the columns of
   gen.c: customer_id, date, amount), weeks, calibration end 2022-12-31, observation end
   2023-12-31. Prints one line:
     summary <seconds> <bytes> rows=<n> customers=<n> passes=<p> unsorted=<n> maxrss_kb=<k>
   Usage: bench_summary FILE */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cvkit/parse.h"
#include "cvkit/summary.h"

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

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: bench_summary FILE\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 3;
    }
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
    double t0 = now();
    cv_table *s = cv_summary_csv(argv[1], &co, &o, &rep, &err);
    double dt = now() - t0;
    if (!s) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code;
    }
    printf("summary %.3f %lld rows=%lld customers=%lld passes=%d unsorted=%lld maxrss_kb=%ld\n", dt,
           (long long)st.st_size, (long long)rep.rows, (long long)rep.customers, rep.passes,
           (long long)rep.unsorted_customers, maxrss_kb());
    cv_table_free(s);
    return 0;
}
