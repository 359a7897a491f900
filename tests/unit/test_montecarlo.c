/* Tests of src/core/montecarlo.c, fileio.c and xlsx.c: simulated percentiles against the
   closed-form quantiles of simple cases, exact summaries of small arrays, distribution
   checks, reproducible seeds, Brent's root finder on classic roots, atomic files. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvkit/fileio.h"
#include "cvkit/montecarlo.h"
#include "cvkit/summary.h"

#define N 100000

/* The standard error of the sample q-quantile of n draws from a density f at the quantile:
   sqrt(q(1-q)/n)/f; tests allow 5 of them. */
static double qtol(double q, double n, double density)
{
    return 5 * sqrt(q * (1 - q) / n) / density;
}

/* Runs formula name with input `which` uncertain (d) and the others fixed at x; returns the
   summary of N draws. */
static cv_mc_summary run_formula(const char *name, const double *x, int which, cv_dist d,
                                 uint64_t seed, int64_t *rejected)
{
    const cv_formula *f = cv_formula_find(name);
    cv_dist ds[CV_FORMULA_MAX_INPUTS];
    cv_mc_summary s;
    cv_error err = {0};
    double *out = malloc(N * sizeof *out);
    assert_non_null(f);
    assert_non_null(out);
    for (int i = 0; i < f->ninputs; i++)
        ds[i] = cv_dist_init(CV_DIST_FIXED, x[i], 0, 0);
    ds[which] = d;
    if (cv_mc_formula(f, x, ds, N, seed, out, NULL, rejected, &err) != 0)
        fail_msg("%s", err.msg);
    cv_mc_summarize(out, N, &s, &err);
    free(out);
    return s;
}

/* Uniform average purchase U(50, 150) through CLV = 20 × purchase: y is uniform on
   [1000, 3000], so its q-quantile is 1000 + 2000 q exactly. */
static void test_montecarlo_uniform_linear(void **state)
{
    (void)state;
    double x[3] = {100, 4, 5};
    cv_mc_summary s =
        run_formula("clv.simple", x, 0, cv_dist_init(CV_DIST_UNIFORM, 50, 150, 0), 42, NULL);
    double dens = 1.0 / 2000;
    assert_int_equal(s.n, N);
    assert_int_equal(s.missing, 0);
    assert_float_equal(s.p5, 1100, qtol(0.05, N, dens));
    assert_float_equal(s.p25, 1500, qtol(0.25, N, dens));
    assert_float_equal(s.p50, 2000, qtol(0.5, N, dens));
    assert_float_equal(s.p95, 2900, qtol(0.95, N, dens));
    assert_float_equal(s.mean, 2000, 5 * 2000 / sqrt(12.0) / sqrt(N));
    assert_float_equal(s.sd, 2000 / sqrt(12.0), 5.0);
    assert_true(s.min >= 1000 && s.max <= 3000);
}

/* Normal frequency N(4, 0.5) through CLV = 100 × 5 × frequency: y ~ N(2000, 250), whose
   P5/P95 are 2000 ∓ 1.6448536 × 250. */
static void test_montecarlo_normal_linear(void **state)
{
    (void)state;
    double x[3] = {100, 4, 5}, z95 = 1.6448536269514722;
    cv_mc_summary s =
        run_formula("clv.simple", x, 1, cv_dist_init(CV_DIST_NORMAL, 4, 0.5, 0), 7, NULL);
    double d5 = exp(-0.5 * z95 * z95) / sqrt(2 * M_PI) / 250; /* density at P5 and P95 */
    double d50 = 1 / sqrt(2 * M_PI) / 250;
    assert_float_equal(s.p5, 2000 - z95 * 250, qtol(0.05, N, d5));
    assert_float_equal(s.p50, 2000, qtol(0.5, N, d50));
    assert_float_equal(s.p95, 2000 + z95 * 250, qtol(0.95, N, d5));
    assert_float_equal(s.sd, 250, 250 * 5 / sqrt(2.0 * N));
}

/* Retention U(0.6, 0.9) through the retention CLV m r / (1 + d - r), increasing in r: the
   q-quantile of CLV is the CLV at the q-quantile of r, 0.6 + 0.3 q. */
static void test_montecarlo_retention_monotone(void **state)
{
    (void)state;
    double x[4] = {100, 0.8, 0.1, CV_UNIT_YEAR};
    cv_mc_summary s =
        run_formula("clv.retention", x, 1, cv_dist_init(CV_DIST_UNIFORM, 0.6, 0.9, 0), 2024, NULL);
    const double qs[3] = {0.05, 0.5, 0.95};
    const double got[3] = {s.p5, s.p50, s.p95};
    for (int k = 0; k < 3; k++) {
        double r = 0.6 + 0.3 * qs[k];
        double clv = 100 * r / (1.1 - r);
        double slope = 100 * 1.1 / ((1.1 - r) * (1.1 - r)); /* dCLV/dr */
        assert_float_equal(got[k], clv, qtol(qs[k], N, 1 / 0.3 / slope));
    }
    assert_float_equal(s.p50, 100 * 0.75 / 0.35, 0.5); /* 214.2857 */
}

/* Draws outside the formula's domain are rejected: retention N(0.9, 0.1) exceeds 1 with
   probability 1 - Phi(1) = 0.158655. */
static void test_montecarlo_rejected(void **state)
{
    (void)state;
    double x[4] = {100, 0.9, 0.1, CV_UNIT_YEAR};
    int64_t rejected = 0;
    cv_mc_summary s =
        run_formula("clv.retention", x, 1, cv_dist_init(CV_DIST_NORMAL, 0.9, 0.1, 0), 3, &rejected);
    double p = 0.15865525393145707;
    assert_float_equal((double)rejected / N, p, 5 * sqrt(p * (1 - p) / N));
    assert_int_equal(s.missing, rejected);
    assert_int_equal(s.n + s.missing, N);
    /* clamped to [0, 1], nothing is rejected and the top draws sit at 1 */
    cv_dist d = cv_dist_init(CV_DIST_NORMAL, 0.9, 0.1, 0);
    d.lo = 0;
    d.hi = 1;
    s = run_formula("clv.retention", x, 1, d, 3, &rejected);
    assert_int_equal(rejected, 0);
    assert_float_equal(s.max, 100 * 1.0 / 0.1, 1e-9);
}

/* Triangular(0, 2, 10): F(x) = x²/20 up to the mode, so the 5% quantile is sqrt(1) = 1 and
   the median 10 - sqrt(40) (above the mode: 1 - (10-x)²/80 = 0.5). */
static void test_montecarlo_triangular_beta_lognormal(void **state)
{
    (void)state;
    double *v = malloc(N * sizeof *v);
    cv_dist d[3] = {cv_dist_init(CV_DIST_TRIANGULAR, 0, 2, 10), cv_dist_init(CV_DIST_BETA, 2, 6, 0),
                    cv_dist_init(CV_DIST_LOGNORMAL, log(50.0), 0.4, 0)};
    double *all = malloc(3 * N * sizeof *all);
    cv_mc_summary s;
    cv_error err;
    assert_non_null(v);
    assert_non_null(all);
    assert_int_equal(cv_mc_draw(d, 3, N, 99, all, &err), 0);
    for (int i = 0; i < N; i++)
        v[i] = all[i * 3];
    cv_mc_summarize(v, N, &s, &err);
    assert_float_equal(s.p5, 1.0, qtol(0.05, N, 1.0 / 10)); /* f(1) = 2·1/(10·2) = 0.1 */
    assert_float_equal(s.p50, 10 - sqrt(40.0), qtol(0.5, N, 2 * sqrt(40.0) / 80));
    assert_float_equal(s.mean, 4.0, 0.02); /* (0 + 2 + 10) / 3 */
    for (int i = 0; i < N; i++)
        v[i] = all[i * 3 + 1];
    cv_mc_summarize(v, N, &s, &err);
    assert_float_equal(s.mean, 0.25, 0.002); /* a / (a + b) */
    assert_true(s.min > 0 && s.max < 1);
    for (int i = 0; i < N; i++)
        v[i] = all[i * 3 + 2];
    cv_mc_summarize(v, N, &s, &err);
    assert_float_equal(s.p50, 50, qtol(0.5, N, 1 / (50 * 0.4 * sqrt(2 * M_PI))));
    assert_float_equal(s.mean, 50 * exp(0.08), 0.5); /* exp(mu + sigma²/2) */
    free(v);
    free(all);
}

/* Resampling draws only the given values, each about equally often. */
static void test_montecarlo_resample(void **state)
{
    (void)state;
    const double vals[4] = {1, 2, 3, 10};
    cv_dist d = cv_dist_init(CV_DIST_RESAMPLE, 0, 0, 0);
    int64_t count[4] = {0};
    double *out = malloc(N * sizeof *out);
    cv_error err;
    d.values = vals;
    d.nvalues = 4;
    assert_int_equal(cv_mc_draw(&d, 1, N, 5, out, &err), 0);
    for (int i = 0; i < N; i++) {
        int k = out[i] == 1 ? 0 : out[i] == 2 ? 1 : out[i] == 3 ? 2 : out[i] == 10 ? 3 : -1;
        assert_true(k >= 0);
        count[k]++;
    }
    for (int k = 0; k < 4; k++)
        assert_float_equal((double)count[k] / N, 0.25, 5 * sqrt(0.25 * 0.75 / N));
    free(out);
}

/* The same seed gives the same numbers; another seed others. The formula run and the
   plain draws take the uncertain inputs in the same order. */
static void test_montecarlo_seeded(void **state)
{
    (void)state;
    const cv_formula *f = cv_formula_find("clv.retention");
    double x[4] = {100, 0.8, 0.1, CV_UNIT_YEAR}, out1[50], out2[50], draws[100], plain[100];
    cv_dist d[4] = {
        cv_dist_init(CV_DIST_NORMAL, 100, 10, 0), cv_dist_init(CV_DIST_UNIFORM, 0.7, 0.9, 0),
        cv_dist_init(CV_DIST_FIXED, 0.1, 0, 0), cv_dist_init(CV_DIST_FIXED, CV_UNIT_YEAR, 0, 0)};
    cv_error err;
    assert_int_equal(cv_mc_formula(f, x, d, 50, 11, out1, draws, NULL, &err), 0);
    assert_int_equal(cv_mc_formula(f, x, d, 50, 11, out2, NULL, NULL, &err), 0);
    assert_memory_equal(out1, out2, sizeof out1);
    assert_int_equal(cv_mc_draw(d, 2, 50, 11, plain, &err), 0);
    assert_memory_equal(draws, plain, sizeof plain);
    for (int i = 0; i < 50; i++)
        assert_float_equal(out1[i], draws[2 * i] * draws[2 * i + 1] / (1.1 - draws[2 * i + 1]),
                           1e-12 * fabs(out1[i]));
    assert_int_equal(cv_mc_formula(f, x, d, 50, 12, out2, NULL, NULL, &err), 0);
    assert_true(memcmp(out1, out2, sizeof out1) != 0);
}

/* Exact summaries of small arrays (type 7 quantiles as R's quantile()). */
static void test_montecarlo_summary_exact(void **state)
{
    (void)state;
    double v[6] = {5, NAN, 1, 4, 2, 3};
    cv_mc_summary s;
    cv_error err;
    int64_t counts[4];
    assert_int_equal(cv_mc_summarize(v, 6, &s, &err), 0);
    assert_int_equal(s.n, 5);
    assert_int_equal(s.missing, 1);
    assert_float_equal(s.mean, 3, 1e-15);
    assert_float_equal(s.sd, sqrt(2.5), 1e-15);
    assert_float_equal(s.p5, 1.2, 1e-12); /* 1 + 0.05 × 4 × (2 - 1) */
    assert_float_equal(s.p25, 2, 1e-15);
    assert_float_equal(s.p50, 3, 1e-15);
    assert_float_equal(s.p95, 4.8, 1e-12);
    assert_float_equal(cv_mc_prob_below(v, 5, 3), 0.4, 0);
    assert_float_equal(cv_mc_prob_below(v, 5, 3.5), 0.6, 0);
    assert_float_equal(cv_mc_prob_below(v, 5, 0), 0, 0);
    assert_float_equal(cv_mc_prob_below(v, 5, 99), 1, 0);
    assert_int_equal(cv_mc_histogram(v, 5, 4, 1, 5, counts, &err), 0);
    assert_int_equal(counts[0], 1); /* [1, 2) */
    assert_int_equal(counts[1], 1);
    assert_int_equal(counts[2], 1);
    assert_int_equal(counts[3], 2); /* [4, 5] */
    assert_int_equal(cv_mc_histogram(v, 5, 0, 1, 5, counts, &err), CV_ERR_USAGE);
    double none[2] = {NAN, NAN};
    assert_int_equal(cv_mc_summarize(none, 2, &s, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "no finite values to summarize");
}

static void test_montecarlo_bad_distributions(void **state)
{
    (void)state;
    cv_error err;
    cv_dist d = cv_dist_init(CV_DIST_UNIFORM, 5, 1, 0);
    assert_int_equal(cv_dist_check(&d, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "uniform: min 5 must not exceed max 1");
    d = cv_dist_init(CV_DIST_NORMAL, 0, -1, 0);
    assert_int_equal(cv_dist_check(&d, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "normal: sd must be >= 0, got -1");
    d = cv_dist_init(CV_DIST_BETA, 0, 1, 0);
    assert_int_equal(cv_dist_check(&d, &err), CV_ERR_DOMAIN);
    d = cv_dist_init(CV_DIST_RESAMPLE, 0, 0, 0);
    assert_int_equal(cv_dist_check(&d, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "resample: no values");
    assert_int_equal(cv_dist_parse("triangular"), CV_DIST_TRIANGULAR);
    assert_int_equal(cv_dist_parse("gauss"), -1);
    /* a bad distribution in a formula run names the input */
    const cv_formula *f = cv_formula_find("clv.simple");
    double x[3] = {1, 1, 1}, out[1];
    cv_dist ds[3] = {cv_dist_init(CV_DIST_FIXED, 1, 0, 0),
                     cv_dist_init(CV_DIST_TRIANGULAR, 3, 1, 2),
                     cv_dist_init(CV_DIST_FIXED, 1, 0, 0)};
    assert_int_equal(cv_mc_formula(f, x, ds, 1, 1, out, NULL, NULL, &err), CV_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "frequency: triangular: expected min <= mode <= max"));
}

/* ---- Root finding ---------------------------------------------------------------------- */

static int cubic(void *ud, double x, double *fx) /* Newton's own example: x³ - 2x - 5 */
{
    (void)ud;
    *fx = x * x * x - 2 * x - 5;
    return 0;
}
static int cos_x(void *ud, double x, double *fx)
{
    (void)ud;
    *fx = cos(x) - x;
    return 0;
}
static int sin_x(void *ud, double x, double *fx)
{
    (void)ud;
    *fx = sin(x);
    return 0;
}
static int stop_at_3(void *ud, double x, double *fx)
{
    int *calls = ud;
    *fx = x - 10;
    return ++*calls == 3 ? 42 : 0;
}

static void test_montecarlo_brent(void **state)
{
    (void)state;
    cv_root_result r;
    cv_error err;
    assert_int_equal(cv_root_find(cubic, NULL, 0, 4, 1, 1e-14, &r, &err), 0);
    assert_float_equal(r.x, 2.0945514815423265, 1e-13);
    assert_true(r.evals < 20);
    assert_int_equal(cv_root_find(cos_x, NULL, 0, 1, 1, 0, &r, &err), 0);
    assert_float_equal(r.x, 0.7390851332151607, 1e-10);
    /* sin changes sign at pi, 2pi, 3pi: the scan takes the first from the left */
    assert_int_equal(cv_root_find(sin_x, NULL, 0.5, 10, 20, 1e-13, &r, &err), 0);
    assert_float_equal(r.x, M_PI, 1e-12);
    assert_true(r.lo < M_PI && r.hi > M_PI);
    /* without a scan, the same signs at both ends mean no crossing */
    assert_int_equal(cv_root_find(sin_x, NULL, 0.5, 7, 1, 0, &r, &err), CV_ERR_DOMAIN);
    assert_non_null(strstr(err.msg, "no crossing between 0.5 and 7: f goes from 0.479425"));
    assert_float_equal(r.fa, sin(0.5), 1e-15);
    /* an end that is a root */
    assert_int_equal(cv_root_find(sin_x, NULL, 0, 1, 4, 0, &r, &err), 0);
    assert_float_equal(r.x, 0, 0);
    /* the callback stops the search with its own status */
    int calls = 0;
    assert_int_equal(cv_root_find(stop_at_3, &calls, 0, 20, 10, 0, &r, &err), 42);
    assert_int_equal(cv_root_find(cubic, NULL, 4, 0, 1, 0, &r, &err), CV_ERR_USAGE);
}

/* ---- Files ------------------------------------------------------------------------------ */

static void test_montecarlo_atomic_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/cvkit-fileio-XXXXXX", path[128], buf[64];
    cv_error err;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/a.svg", dir);
    assert_int_equal(cv_file_write_atomic(path, "<svg/>\n", 7, &err), 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    assert_int_equal(n, 7);
    assert_memory_equal(buf, "<svg/>\n", 7);
    char bad[160];
    snprintf(bad, sizeof bad, "%s/a.svg/b.svg", dir); /* a file where a folder should be */
    assert_int_equal(cv_file_write_atomic(bad, "x", 1, &err), CV_ERR_IO);
    assert_non_null(strstr(err.msg, "cannot create folder (a file is there)"));
    /* a workbook: a zip file (PK), the bad sheet name refused and nothing left behind */
    cv_table *t = cv_table_new();
    cv_column *c = cv_column_new("x", CV_FLOAT64, 2);
    cv_column_push_float(c, 1.5);
    cv_column_push_float(c, 2.5);
    assert_int_equal(cv_table_add(t, c, &err), 0);
    cv_column_unref(c);
    cv_xlsx_sheet sh[2] = {{"one", t}, {"two", t}};
    snprintf(path, sizeof path, "%s/b.xlsx", dir);
    assert_int_equal(cv_xlsx_write(path, sh, 2, &err), 0);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, 2, f), 2);
    fclose(f);
    assert_memory_equal(buf, "PK", 2);
    unlink(path);
    sh[1].name = "bad/name";
    assert_int_equal(cv_xlsx_write(path, sh, 2, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "bad sheet name 'bad/name'"));
    assert_int_equal(access(path, F_OK), -1);
    sh[1].name = "one";
    assert_int_equal(cv_xlsx_write(path, sh, 2, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "sheet name 'one' is given twice"));
    cv_table_free(t);
    snprintf(path, sizeof path, "%s/a.svg", dir);
    unlink(path);
    assert_int_equal(rmdir(dir), 0); /* empty: no temporary file left */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_montecarlo_uniform_linear),
        cmocka_unit_test(test_montecarlo_normal_linear),
        cmocka_unit_test(test_montecarlo_retention_monotone),
        cmocka_unit_test(test_montecarlo_rejected),
        cmocka_unit_test(test_montecarlo_triangular_beta_lognormal),
        cmocka_unit_test(test_montecarlo_resample),
        cmocka_unit_test(test_montecarlo_seeded),
        cmocka_unit_test(test_montecarlo_summary_exact),
        cmocka_unit_test(test_montecarlo_bad_distributions),
        cmocka_unit_test(test_montecarlo_brent),
        cmocka_unit_test(test_montecarlo_atomic_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
