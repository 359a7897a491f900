/* Unit tests of cv_dyncov_dtx (src/core/model_dyncov_predict.c), the discounted transactions of the
   Pareto/NBD with time-varying covariates: with coefficients 0 and with covariates constant
   in time, DERT (each customer's last covariates held) is cv_model_predict's Pareto/NBD DERT
   and the finite horizon by unit periods is the sum of the discounted conditional
   expectations of cv_model_clv_table, at each customer's own alpha_i, beta_i, to 1e-9; with a
   season, the continuous finite horizon against a numeric integral of the expected
   purchases (cv_dyncov_expected's closed form, by parts: int_0^h e^(-du) dE(u) = e^(-dh)
   E(h) + d int_0^h e^(-du) E(u) du, Simpson on each period); DERT against a long finite
   horizon; a future ending at INFINITY is the last-covariates rule; the errors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/dyncov.h"
#include "cvkit/models.h"

#include "dyncov_fixture.h"

/* the reductions: DERT and the finite horizon h by unit periods at rate delta */
static void check(const double *p, double g_t, double g_l, int constant, double h, double delta)
{
    cv_dyncov_data d = data(constant);
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_error err;
    cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
    const double th[6] = {log(p[0]), log(p[1]), log(p[2]), log(p[3]), g_t, g_l};
    /* with z = 1 for all time: alpha_i = alpha exp(-g_t), beta_i = beta exp(-g_l) */
    const double pi[4] = {p[0], p[1] * exp(-g_t), p[2], p[3] * exp(-g_l)};
    cv_model_data md = {N, X, TX, T, NULL, NULL};
    double dert[N], fin[N], wdert[N], wfin[N] = {0}, e0[N], e1[N] = {0};
    assert_non_null(pp);
    assert_int_equal(cv_dyncov_dtx(pp, &spec, th, NULL, INFINITY, delta, 0, dert, &err), 0);
    assert_int_equal(cv_dyncov_dtx(pp, &spec, th, &d, h, delta, 1, fin, &err), 0);
    assert_int_equal(
        cv_model_predict(&cv_model_pareto_nbd, pi, CV_PRED_DERT, &md, delta, 0, wdert, &err), 0);
    /* sum over k = 1..ceil(h) of exp(-delta min(k, h)) (E[Y(t_k)] - E[Y(t_k-1)]) */
    for (double k = 1; k - 1 < h; k++) {
        for (int i = 0; i < N; i++)
            e0[i] = e1[i];
        assert_int_equal(cv_model_predict(&cv_model_pareto_nbd, pi, CV_PRED_CONDITIONAL, &md,
                                          fmin(k, h), 0, e1, &err),
                         0);
        for (int i = 0; i < N; i++)
            wfin[i] += exp(-delta * fmin(k, h)) * (e1[i] - e0[i]);
    }
    for (int i = 0; i < N; i++) {
        assert_true(dert[i] > 0 && fin[i] > 0);
        assert_true(fabs(dert[i] - wdert[i]) <= 1e-9 * wdert[i]);
        assert_true(fabs(fin[i] - wfin[i]) <= 1e-9 * wfin[i]);
    }
    cv_dyncov_prep_free(pp);
}

static void test_reductions(void **state)
{
    const double p[4] = {0.8, 5.0, 0.9, 9.0}, p1[4] = {1.3, 4.0, 1.0, 7.0};
    const double p2[4] = {0.5, 3.0, 2.5, 4.0};
    (void)state;
    check(p, 0.0, 0.0, 0, 10.0, 0.01);  /* coefficients 0: the season does nothing */
    check(p, 0.7, -0.4, 1, 10.0, 0.01); /* covariates constant in time */
    check(p1, 0.0, 0.0, 0, 7.5, 0.003); /* s = 1; a horizon ending within a period */
    check(p1, 0.3, 0.5, 1, 7.5, 0.003);
    check(p2, 0.0, 0.0, 0, 9.0, 0.2); /* s > 1, a high rate */
    check(p2, -0.6, 0.8, 1, 9.0, 0.2);
}

/* E[Y(u) | history] of customer i (cv_dyncov_expected) */
static double expect(const cv_dyncov_prep *pp, const cv_dyncov_spec *spec, const double *th,
                     const cv_dyncov_data *d, double u, int i)
{
    double e[N];
    cv_error err;
    assert_int_equal(cv_dyncov_expected(pp, spec, th, d, u, e, &err), 0);
    return e[i];
}

static void test_numeric(void **state)
{
    cv_dyncov_data d = data(0);
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_error err;
    cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
    const double th[6] = {log(0.8), log(5.0), log(0.6), log(9.0), 0.9, 0.7};
    const double h = 9.0, delta = 0.05;
    double fin[N], dert[N], far[N];
    (void)state;
    assert_non_null(pp);
    assert_int_equal(cv_dyncov_dtx(pp, &spec, th, &d, h, delta, 0, fin, &err), 0);
    for (int i = 0; i < N; i++) {
        /* by parts, Simpson with 64 intervals on each piece between the period boundaries */
        double integral = 0, lo = 0;
        while (lo < h) {
            const double b = floor(T[i] + lo + 0.5) + 0.5 - T[i]; /* next boundary k - 0.5 */
            const double hi = fmin(b > lo + 1e-12 ? b : b + 1.0, h), w = (hi - lo) / 64;
            double s = 0;
            for (int j = 0; j <= 64; j++) {
                const double u = lo + j * w;
                s += (j == 0 || j == 64 ? 1
                      : j % 2           ? 4
                                        : 2) *
                     exp(-delta * u) * expect(pp, &spec, th, &d, u, i);
            }
            integral += s * w / 3, lo = hi;
        }
        integral = exp(-delta * h) * expect(pp, &spec, th, &d, h, i) + delta * integral;
        assert_true(fin[i] > 0);
        assert_true(fabs(fin[i] - integral) <= 1e-9 * integral);
    }
    /* DERT (the last covariates held) against a finite horizon long enough (e^-40) with the
       last period's covariates spelled out as one period to INFINITY */
    {
        size_t b[N + 1] = {0, 1, 2, 3};
        double s[N], e[N], z[N];
        cv_dyncov_data f;
        memset(&f, 0, sizeof f);
        for (int i = 0; i < N; i++) /* the period holding T: k - 0.5 <= T < k + 0.5 */
            s[i] = T[i], e[i] = INFINITY, z[i] = (double)(((int)floor(T[i] + 0.5) / 5) % 2);
        f.n = N, f.ncov = 1, f.pbeg = b, f.pstart = s, f.pend = e, f.z = z;
        assert_int_equal(cv_dyncov_dtx(pp, &spec, th, NULL, INFINITY, delta, 0, dert, &err), 0);
        assert_int_equal(cv_dyncov_dtx(pp, &spec, th, &f, INFINITY, delta, 0, far, &err), 0);
        for (int i = 0; i < N; i++)
            assert_true(fabs(dert[i] - far[i]) <= 1e-12 * dert[i]);
        assert_int_equal(cv_dyncov_dtx(pp, &spec, th, NULL, 800.0, delta, 0, far, &err), 0);
        for (int i = 0; i < N; i++)
            assert_true(fabs(dert[i] - far[i]) <= 1e-9 * dert[i]);
        /* a future that stops is refused for DERT */
        assert_int_equal(cv_dyncov_dtx(pp, &spec, th, &d, INFINITY, delta, 0, far, &err),
                         CV_ERR_USAGE);
        assert_non_null(strstr(err.msg, "customer 1: the future covariate periods do not cover"));
    }
    assert_int_equal(cv_dyncov_dtx(pp, &spec, th, NULL, INFINITY, 0.0, 0, far, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "an unlimited one needs a continuous rate > 0"));
    assert_int_equal(cv_dyncov_dtx(pp, &spec, th, NULL, INFINITY, delta, 1, far, &err),
                     CV_ERR_USAGE);
    assert_int_equal(cv_dyncov_dtx(pp, &spec, th, NULL, 0.0, delta, 0, far, &err), CV_ERR_USAGE);
    /* discount 0 over a finite horizon: the conditional expectation */
    assert_int_equal(cv_dyncov_dtx(pp, &spec, th, &d, h, 0.0, 0, fin, &err), 0);
    for (int i = 0; i < N; i++) {
        const double e = expect(pp, &spec, th, &d, h, i);
        assert_true(fabs(fin[i] - e) <= 1e-12 * e);
    }
    cv_dyncov_prep_free(pp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reductions),
        cmocka_unit_test(test_numeric),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
