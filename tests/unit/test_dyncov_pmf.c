/* Unit tests of cv_dyncov_pmf_new, cv_dyncov_pmf_conditional and cv_dyncov_profile
   (src/core/model_dyncov_predict.c, the profile model_dyncov_fit.c): with covariates constant in
   time the PMFs are the Pareto/NBD's (model_pnbd.c's closed forms) at alpha exp(-g_t), beta
   exp(-g_l); with a season the PMF sums to 1 and its mean is the expected purchases (new: the
   closed form, conditional: cv_dyncov_expected); one value against a direct integration over mu and
   the dropout time; the profile at the estimate is the fit's LL and at a coefficient 0 the fit
   without it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dyncov.h"
#include "cvkit/models.h"

#include "dyncov_fixture.h"

static const double P[4] = {0.8, 5.0, 0.9, 9.0};

static void test_pmf_new_constant(void **state)
{
    cv_dyncov_data d = data(1); /* fills PS and Z */
    cv_dyncov_spec spec = {2, PROC, COL};
    (void)d;
    cv_error err;
    const double gt = 0.7, gl = -0.4, t = 20.0;
    const double th[6] = {log(P[0]), log(P[1]), log(P[2]), log(P[3]), gt, gl};
    const double pi[4] = {P[0], P[1] * exp(-gt), P[2], P[3] * exp(-gl)};
    double pmf, mean, want;
    (void)state;
    for (unsigned n = 0; n <= 6; n++) {
        /* customer 1's periods from -0.5: a new customer's path from its first purchase */
        assert_int_equal(cv_dyncov_pmf_new(&spec, th, 1, PS, NULL, Z, NP, t, n, &pmf, &mean, &err),
                         0);
        want = cv_model_pareto_nbd.predict(pi, CV_PRED_PMF, 0, 0, 1, 0, t, n);
        assert_true(fabs(pmf - want) <= 1e-10);
    }
    want = cv_model_pareto_nbd.predict(pi, CV_PRED_EXPECTED, 0, 0, 1, 0, t, 0);
    assert_true(fabs(mean - want) <= 1e-12 * want);
    /* a gap: the periods end at 44.5 */
    assert_int_equal(cv_dyncov_pmf_new(&spec, th, 1, PS, NULL, Z, NP, 50.0, 0, &pmf, NULL, &err),
                     CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "do not cover the first purchase to t = 50"));
}

/* P(X(t) = n | mu) with lambda integrated (the NB), then integrated against mu's Gamma
   density, by the midpoint rule on fine grids: the direct form of the mixture */
static double direct(const double *th, const double *a, const double *c, double t, unsigned n)
{
    const double r = exp(th[0]), al = exp(th[1]), s = exp(th[2]), be = exp(th[3]);
    const int nu = 1750, nm = 1500; /* u cells of 0.01: none straddles a period */
    double sum = 0;
    /* u grid: A(u), C(u) at the midpoints, piecewise from the unit periods starting -0.5 */
    static double Au[4000], Cu[4000], cu[4000];
    const double hu = t / nu;
    for (int i = 0; i < nu; i++) {
        const double u = (i + 0.5) * hu;
        double A = 0, C = 0, lo = 0;
        for (int k = 0; lo < u; k++) {
            const double hi = fmin(k + 0.5, u);
            A += a[k] * (hi - lo), C += c[k] * (hi - lo), lo = hi;
            cu[i] = c[k];
        }
        Au[i] = A, Cu[i] = C;
    }
    double At = 0, Ct = 0, lo = 0;
    for (int k = 0; lo < t; k++) {
        const double hi = fmin(k + 0.5, t);
        At += a[k] * (hi - lo), Ct += c[k] * (hi - lo), lo = hi;
    }
#define NB(A)                                                                                      \
    exp(lgamma(r + n) - lgamma(r) - lgamma(n + 1.0) + r * log(al / (al + (A))) +                   \
        (n ? n * log((A) / (al + (A))) : 0.0))
    /* mu = q / (1 - q) be-scaled: the grid on q in (0, 1) */
    for (int j = 0; j < nm; j++) {
        const double q = (j + 0.5) / nm, mu = q / (1 - q), dmu = 1.0 / ((1 - q) * (1 - q)) / nm;
        const double dens = exp(s * log(be) + (s - 1) * log(mu) - be * mu - lgamma(s));
        double pm = NB(At) * exp(-mu * Ct);
        for (int i = 0; i < nu; i++)
            pm += mu * cu[i] * exp(-mu * Cu[i]) * NB(Au[i]) * hu;
        sum += dens * pm * dmu;
    }
#undef NB
    return sum;
}

static void test_pmf_new_season(void **state)
{
    cv_dyncov_data d = data(0);
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_error err;
    const double th[6] = {log(1.3), log(4.0), log(2.5), log(20.0), 0.6, 0.9}, t = 17.5;
    double pmf, mean, tot = 0, m1 = 0, a[NP], c[NP];
    (void)state;
    (void)d;
    for (unsigned n = 0; n <= 150; n++) {
        assert_int_equal(cv_dyncov_pmf_new(&spec, th, 1, PS, NULL, Z, NP, t, n, &pmf, &mean, &err),
                         0);
        tot += pmf, m1 += n * pmf;
    }
    assert_true(fabs(tot - 1.0) <= 1e-9);
    assert_true(fabs(m1 - mean) <= 1e-8 * mean);
    /* one value against the direct integration (midpoint rules on cells that no period boundary
     * splits: 1e-7) */
    for (int k = 0; k < NP; k++)
        a[k] = exp(th[4] * Z[k]), c[k] = exp(th[5] * Z[k]);
    assert_int_equal(cv_dyncov_pmf_new(&spec, th, 1, PS, NULL, Z, NP, t, 2, &pmf, NULL, &err), 0);
    assert_true(fabs(pmf - direct(th, a, c, t, 2)) <= 1e-7);
}

static void test_pmf_conditional(void **state)
{
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_error err;
    const double gt = 0.3, gl = 0.5, t = 6.0;
    double th[6] = {log(P[0]), log(P[1]), log(P[2]), log(P[3]), gt, gl};
    const double pi[4] = {P[0], P[1] * exp(-gt), P[2], P[3] * exp(-gl)};
    double out[N], tot[N] = {0}, m1[N] = {0}, e[N];
    (void)state;
    {
        cv_dyncov_data d = data(1);
        cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
        assert_non_null(pp);
        for (unsigned n = 0; n <= 5; n++) {
            assert_int_equal(cv_dyncov_pmf_conditional(pp, &spec, th, &d, t, n, out, &err), 0);
            for (int i = 0; i < N; i++) {
                const double w = cv_model_pareto_nbd.predict(pi, CV_PRED_PMF_CONDITIONAL, X[i],
                                                             TX[i], T[i], 0, t, n);
                assert_true(fabs(out[i] - w) <= 1e-10);
            }
        }
        cv_dyncov_prep_free(pp);
    }
    {
        cv_dyncov_data d = data(0);
        cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
        assert_non_null(pp);
        for (unsigned n = 0; n <= 120; n++) {
            assert_int_equal(cv_dyncov_pmf_conditional(pp, &spec, th, &d, t, n, out, &err), 0);
            for (int i = 0; i < N; i++)
                tot[i] += out[i], m1[i] += n * out[i];
        }
        assert_int_equal(cv_dyncov_expected(pp, &spec, th, &d, t, e, &err), 0);
        for (int i = 0; i < N; i++) {
            assert_true(fabs(tot[i] - 1.0) <= 1e-9);
            assert_true(fabs(m1[i] - e[i]) <= 1e-8 * e[i]);
        }
        cv_dyncov_prep_free(pp);
    }
}

/* 300 customers drawn from the Pareto/NBD (r 0.6, alpha 4, s 0.8, beta 10; T 30 to 34), the
   repeat purchases but the last uniform in (0, t_x) as a Poisson process's are, weekly
   periods from -0.5 with the fixture's season */
enum { NB_ = 300, MAXT = 60 };
static double bx[NB_], btx[NB_], bT[NB_], btt[NB_ * MAXT], bps[NB_ * NP], bz[NB_ * NP];
static size_t btb[NB_ + 1], bpb[NB_ + 1];

static int dcmp(const void *a, const void *b)
{
    const double u = *(const double *)a, v = *(const double *)b;
    return u < v ? -1 : u > v;
}

static cv_dyncov_data bigger(void)
{
    const double p[4] = {0.6, 4.0, 0.8, 10.0};
    cv_dyncov_data d;
    cv_rng rng;
    size_t m = 0, q = 0;
    cv_rng_seed(&rng, 42);
    for (int i = 0; i < NB_; i++) {
        double mm;
        bT[i] = 30 + i % 5, btb[i] = m, bpb[i] = q;
        do
            cv_model_pareto_nbd.simulate(p, &rng, bT[i], &bx[i], &btx[i], &mm);
        while (bx[i] > MAXT);
        for (int j = 1; j < (int)bx[i]; j++)
            btt[m + (size_t)j - 1] = btx[i] * cv_rng_uniform(&rng);
        if (bx[i] > 0)
            btt[m + (size_t)bx[i] - 1] = btx[i];
        qsort(btt + m, (size_t)bx[i], sizeof(double), dcmp);
        m += (size_t)bx[i];
        for (int k = 0; k < NP; k++, q++)
            bps[q] = k - 0.5, bz[q] = (double)((k / 5) % 2);
    }
    btb[NB_] = m, bpb[NB_] = q;
    memset(&d, 0, sizeof d);
    d.n = NB_, d.ncov = 1, d.x = bx, d.t_x = btx, d.T = bT, d.tbeg = btb, d.ttime = btt;
    d.pbeg = bpb, d.pstart = bps, d.z = bz;
    return d;
}

static void test_profile(void **state)
{
    /* one coefficient (the season on the purchase process) */
    cv_dyncov_data d = bigger();
    static const unsigned proc1[1] = {CV_COV_TRANS};
    static const size_t col1[1] = {0};
    cv_dyncov_spec spec = {1, proc1, col1};
    cv_error err;
    cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
    cv_dyncov_fit fit;
    double vals[3], ll[3];
    (void)state;
    assert_non_null(pp);
    assert_int_equal(cv_dyncov_model_fit(pp, &spec, NULL, &fit, &err), 0);
    vals[0] = fit.est[4], vals[1] = 0.0, vals[2] = fit.est[4] + 0.5;
    assert_int_equal(cv_dyncov_profile(pp, &spec, fit.est, 4, vals, 3, ll, &err), 0);
    assert_true(fabs(ll[0] - fit.loglik) <= 1e-6);  /* at the estimate: the maximum */
    assert_true(fabs(ll[1] - fit.loglik0) <= 1e-6); /* coefficient 0: the plain Pareto/NBD */
    assert_true(ll[2] < fit.loglik);
    /* a parameter: at r's estimate, the maximum again */
    vals[0] = fit.est[0];
    assert_int_equal(cv_dyncov_profile(pp, &spec, fit.est, 0, vals, 1, ll, &err), 0);
    assert_true(fabs(ll[0] - fit.loglik) <= 1e-6);
    assert_int_equal(cv_dyncov_profile(pp, &spec, fit.est, 5, vals, 1, ll, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "profile: no parameter 6 of 5");
    vals[0] = -1;
    assert_int_equal(cv_dyncov_profile(pp, &spec, fit.est, 1, vals, 1, ll, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "profile: value -1 is not a positive number");
    cv_dyncov_prep_free(pp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pmf_new_constant),
        cmocka_unit_test(test_pmf_new_season),
        cmocka_unit_test(test_pmf_conditional),
        cmocka_unit_test(test_profile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
