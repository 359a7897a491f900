/* Monte Carlo benchmark: N draws of the retention CLV (clv.retention: margin triangular
   80/100/130, retention normal(0.8, 0.05) clamped to [0, 0.99], discount 0.1) run in C by
   cv_mc_formula, then summarized (sort, percentiles). Prints one line:
     montecarlo <seconds> <bytes> draws=<n> draw_s=<s> summary_s=<s> p5=<v> p50=<v> p95=<v>
   maxrss_kb=<k> (bytes = 8 × draws, the results written). Usage: bench_montecarlo [N = 100000] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "cvkit/montecarlo.h"
#include "cvkit/summary.h"

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
    long n = argc > 1 ? atol(argv[1]) : 100000;
    const cv_formula *f = cv_formula_find("clv.retention");
    double x[4] = {100, 0.8, 0.1, CV_UNIT_YEAR};
    double *out = malloc((size_t)(n > 0 ? n : 1) * sizeof *out);
    cv_dist d[4] = {cv_dist_init(CV_DIST_TRIANGULAR, 80, 100, 130),
                    cv_dist_init(CV_DIST_NORMAL, 0.8, 0.05, 0),
                    cv_dist_init(CV_DIST_FIXED, 0.1, 0, 0),
                    cv_dist_init(CV_DIST_FIXED, CV_UNIT_YEAR, 0, 0)};
    cv_mc_summary s;
    cv_error err;
    if (!f || !out || n < 1) {
        fprintf(stderr, "usage: bench_montecarlo [N >= 1]\n");
        return 2;
    }
    d[1].lo = 0;
    d[1].hi = 0.99;
    double t0 = now();
    if (cv_mc_formula(f, x, d, n, 2024, out, NULL, NULL, &err) != 0) {
        fprintf(stderr, "bench_montecarlo: %s\n", err.msg);
        return 1;
    }
    double t1 = now();
    if (cv_mc_summarize(out, n, &s, &err) != 0) {
        fprintf(stderr, "bench_montecarlo: %s\n", err.msg);
        return 1;
    }
    double t2 = now();
    printf("montecarlo %.4f %ld draws=%ld draw_s=%.4f summary_s=%.4f p5=%.2f p50=%.2f p95=%.2f "
           "maxrss_kb=%ld\n",
           t2 - t0, n * 8, n, t1 - t0, t2 - t1, s.p5, s.p50, s.p95, maxrss_kb());
    free(out);
    return 0;
}
