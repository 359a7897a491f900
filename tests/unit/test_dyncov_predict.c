/* Unit tests of cv_dyncov_p_alive and cv_dyncov_expected (src/core/model_dyncov_predict.c): with
   coefficients 0 and with covariates constant in time they are cv_model_predict's Pareto/NBD
   P_ALIVE and CONDITIONAL (at each customer's own alpha_i, beta_i); s = 1 exactly; a future
   period split in two halves (pend) gives the same expectation; the errors (a gap in the future
   periods names the customer, a negative horizon, another number of customers). */
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

/* the Pareto/NBD's P_ALIVE and CONDITIONAL (horizon t) at (r, alpha, s, beta) */
static void pnbd(const double *p, double t, double *pa, double *e)
{
    cv_model_data md = {N, X, TX, T, NULL, NULL};
    cv_error err;
    assert_int_equal(
        cv_model_predict(&cv_model_pareto_nbd, p, CV_PRED_P_ALIVE, &md, 0, 0, pa, &err), 0);
    assert_int_equal(
        cv_model_predict(&cv_model_pareto_nbd, p, CV_PRED_CONDITIONAL, &md, t, 0, e, &err), 0);
}

static void check(const double *p, double g_t, double g_l, int constant, double t)
{
    cv_dyncov_data d = data(constant);
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_error err;
    cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
    double th[6] = {log(p[0]), log(p[1]), log(p[2]), log(p[3]), g_t, g_l};
    double pa[N], e[N], wpa[N], we[N];
    /* with z = 1 for all time: alpha_i = alpha exp(-g_t), beta_i = beta exp(-g_l) */
    const double pi[4] = {p[0], p[1] * exp(-g_t), p[2], p[3] * exp(-g_l)};
    assert_non_null(pp);
    assert_int_equal(cv_dyncov_p_alive(pp, &spec, th, pa, &err), 0);
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &d, t, e, &err), 0);
    pnbd(pi, t, wpa, we);
    for (int i = 0; i < N; i++) {
        assert_true(fabs(pa[i] - wpa[i]) <= 1e-12);
        assert_true(fabs(e[i] - we[i]) <= 1e-11 * (1 + we[i]));
    }
    cv_dyncov_prep_free(pp);
}

static void test_reductions(void **state)
{
    const double p[4] = {0.8, 5.0, 0.9, 9.0}, p1[4] = {1.3, 4.0, 1.0, 7.0};
    (void)state;
    check(p, 0.0, 0.0, 0, 6.0);  /* coefficients 0: the season does nothing */
    check(p, 0.7, -0.4, 1, 6.0); /* covariates constant in time */
    check(p1, 0.0, 0.0, 0, 4.5); /* s = 1: the log form */
    check(p1, 0.3, 0.5, 1, 4.5);
}

static void test_split(void **state)
{
    /* the future of each customer as one long period, then as two halves (pend) */
    cv_dyncov_data d = data(0), f1, f2;
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_error err;
    cv_dyncov_prep *pp = cv_dyncov_prepare(&d, &err);
    const double th[6] = {log(0.8), log(5.0), log(0.6), log(9.0), 0.5, 0.9}, t = 8.0;
    size_t b1[N + 1] = {0, 1, 2, 3}, b2[N + 1] = {0, 2, 4, 6};
    double s1[N], e1[N], z1[N], s2[2 * N], e2[2 * N], z2[2 * N], o1[N], o2[N];
    (void)state;
    assert_non_null(pp);
    for (int i = 0; i < N; i++) {
        s1[i] = T[i], e1[i] = T[i] + t, z1[i] = 1.0;
        s2[2 * i] = T[i] - 1.0, e2[2 * i] = T[i] + 3.0, z2[2 * i] = 1.0; /* starts before T */
        s2[2 * i + 1] = T[i] + 3.0, e2[2 * i + 1] = T[i] + t, z2[2 * i + 1] = 1.0;
    }
    memset(&f1, 0, sizeof f1), memset(&f2, 0, sizeof f2);
    f1.n = f2.n = N, f1.ncov = f2.ncov = 1;
    f1.pbeg = b1, f1.pstart = s1, f1.pend = e1, f1.z = z1;
    f2.pbeg = b2, f2.pstart = s2, f2.pend = e2, f2.z = z2;
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &f1, t, o1, &err), 0);
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &f2, t, o2, &err), 0);
    for (int i = 0; i < N; i++) {
        assert_true(o1[i] > 0);
        assert_true(fabs(o1[i] - o2[i]) <= 1e-12 * o1[i]);
    }
    /* a gap: customer 2's second half starts late */
    s2[3] = T[1] + 3.5;
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &f2, t, o2, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "customer 2: the future covariate periods do not cover"));
    s2[3] = T[1] + 3.0;
    /* too short a horizon covered is fine, a longer one is not */
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &f2, t + 1, o2, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "customer 1:"));
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &f2, -1.0, o2, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "the horizon must be >= 0"));
    f2.n = 2;
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &f2, t, o2, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "future covariates: 2 customers"));
    /* horizon 0: nothing expected */
    assert_int_equal(cv_dyncov_expected(pp, &spec, th, &f1, 0.0, o1, &err), 0);
    for (int i = 0; i < N; i++)
        assert_true(o1[i] == 0.0);
    cv_dyncov_prep_free(pp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reductions),
        cmocka_unit_test(test_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
