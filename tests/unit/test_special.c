/* Unit tests of the special functions against closed forms and tabulated values
   (Abramowitz & Stegun; DLMF 15.4 for the elementary cases of 2F1). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/special.h"

static void near(double got, double want, double rel)
{
    double tol = rel * fmax(1.0, fabs(want));
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tol %.3g)", got, want, tol);
}

static void test_special_lgamma(void **state)
{
    (void)state;
    near(cv_lgamma(0.5), 0.5 * log(M_PI), 1e-15);
    near(cv_lgamma(1.0), 0.0, 1e-15);
    near(cv_lgamma(10.0), log(362880.0), 1e-15);
    near(cv_lgamma(-0.5), log(2.0 * sqrt(M_PI)), 1e-14); /* |Gamma(-1/2)| = 2 sqrt(pi) */
    near(cv_lbeta(2.0, 3.0), log(1.0 / 12.0), 1e-15);
    assert_true(isinf(cv_lgamma(0.0)));
}

static void test_special_digamma(void **state)
{
    (void)state;
    near(cv_digamma(1.0), -0.57721566490153286, 1e-14);
    near(cv_digamma(0.5), -0.57721566490153286 - 2.0 * log(2.0), 1e-14);
    near(cv_digamma(10.0), 2.2517525890667211, 1e-14);
    near(cv_digamma(0.1), -10.423754940411076, 1e-13);
    near(cv_digamma(-0.5), 0.03648997397857652, 1e-13); /* psi(1/2) + 2 */
    near(cv_digamma(150.5), log(150.5) - 1.0 / 301.0 - 1.0 / (12.0 * 150.5 * 150.5), 1e-9);
    assert_true(isnan(cv_digamma(-2.0)));
}

static void test_special_hyp2f1_elementary(void **state)
{
    double v;
    (void)state;
    /* 2F1(1,1;2;z) = -log(1-z)/z */
    assert_int_equal(cv_hyp2f1(1, 1, 2, 0.5, &v), 0);
    near(v, 2.0 * log(2.0), 1e-14);
    assert_int_equal(cv_hyp2f1(1, 1, 2, 0.99, &v), 0);
    near(v, -log(0.01) / 0.99, 1e-12);
    assert_int_equal(cv_hyp2f1(1, 1, 2, -3.0, &v), 0);
    near(v, log(4.0) / 3.0, 1e-14);
    assert_int_equal(cv_hyp2f1(1, 1, 2, -0.3, &v), 0);
    near(v, log(1.3) / 0.3, 1e-14);
    /* 2F1(a,b;b;z) = (1-z)^-a */
    assert_int_equal(cv_hyp2f1(0.7, 2.3, 2.3, 0.9, &v), 0);
    near(v, pow(0.1, -0.7), 1e-12);
    /* 2F1(1/2,1/2;3/2;z^2) = asin(z)/z */
    assert_int_equal(cv_hyp2f1(0.5, 0.5, 1.5, 0.64, &v), 0);
    near(v, asin(0.8) / 0.8, 1e-13);
    /* a terminating polynomial: 2F1(-2,b;c;z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1)) */
    assert_int_equal(cv_hyp2f1(-2, 3, 4, 0.5, &v), 0);
    near(v, 1.0 - 2.0 * 3 * 0.5 / 4 + 3.0 * 4 * 0.25 / (4.0 * 5), 1e-15);
    assert_int_equal(cv_hyp2f1(1, 1, 2, 1.0, &v), -1);
    assert_int_equal(cv_hyp2f1(1, 1, -1, 0.5, &v), -1);
}

/* Many arguments at once give what the closed forms give, one by one: the elementary cases
   above along a path of z, a long path (more than one stack buffer), the BG/NBD shape with
   a customer of 200 purchases (huge a and b), and the fallback for c < 0 and z outside. */
static void test_special_hyp2f1_many(void **state)
{
    double z[100], v[100], big[3], f;
    size_t j;
    (void)state;
    for (j = 0; j < 100; j++)
        z[j] = 0.0099 * (double)j; /* 0 .. 0.9801 */
    assert_int_equal(cv_hyp2f1_many(1, 1, 2, z, 100, v), 0);
    near(v[0], 1.0, 0);
    for (j = 1; j < 100; j++)
        near(v[j], -log1p(-z[j]) / z[j], 2e-14);
    assert_int_equal(cv_hyp2f1_many(0.7, 2.3, 2.3, z, 100, v), 0);
    for (j = 0; j < 100; j++)
        near(v[j], pow(1.0 - z[j], -0.7), 1e-13);
    /* 2F1(1/2,1/2;3/2;z^2) = asin(z)/z, the arguments not in order */
    big[0] = 0.64, big[1] = 0.01, big[2] = 0.25;
    assert_int_equal(cv_hyp2f1_many(0.5, 0.5, 1.5, big, 3, v), 0);
    near(v[0], asin(0.8) / 0.8, 1e-13);
    near(v[1], asin(0.1) / 0.1, 1e-15);
    near(v[2], asin(0.5) / 0.5, 1e-14);
    /* a = 200.6, b = 208.6, c = 208.2 (x = 200): the same values the series gives alone */
    big[0] = 0.05, big[1] = 0.3, big[2] = 0.6;
    assert_int_equal(cv_hyp2f1_many(200.6, 208.6, 208.2, big, 3, v), 0);
    for (j = 0; j < 3; j++) {
        assert_int_equal(cv_hyp2f1(200.6, 208.6, 208.2, big[j], &f), 0);
        near(v[j], f, 1e-13);
    }
    /* c < 0 and a terminating series: summed one by one, as cv_hyp2f1 does */
    big[0] = 0.5, big[1] = -3.0, big[2] = 0.2;
    assert_int_equal(cv_hyp2f1_many(-2, 3, 4, big, 3, v), 0);
    near(v[0], 1.0 - 2.0 * 3 * 0.5 / 4 + 3.0 * 4 * 0.25 / (4.0 * 5), 1e-15);
    assert_int_equal(cv_hyp2f1_many(1, 1, 2, big + 1, 1, v), 0);
    near(v[0], log(4.0) / 3.0, 1e-14);
    /* z = 1 cannot be summed: NaN there, -1, the others still right */
    big[0] = 0.5, big[1] = 1.0;
    assert_int_equal(cv_hyp2f1_many(1, 1, 2, big, 2, v), -1);
    near(v[0], 2.0 * log(2.0), 1e-14);
    assert_true(isnan(v[1]));
}

static void test_special_hyp2f1_gradient(void **state)
{
    const double a = 2.9, b = 1.6, c = 3.9, z = 0.37, h = 1e-6;
    double d[5], fp, fm, v;
    (void)state;
    assert_int_equal(cv_hyp2f1_grad(a, b, c, z, d), 0);
    assert_int_equal(cv_hyp2f1(a, b, c, z, &v), 0);
    near(d[0], v, 1e-14);
    cv_hyp2f1(a + h, b, c, z, &fp), cv_hyp2f1(a - h, b, c, z, &fm);
    near(d[1], (fp - fm) / (2 * h), 1e-8);
    cv_hyp2f1(a, b + h, c, z, &fp), cv_hyp2f1(a, b - h, c, z, &fm);
    near(d[2], (fp - fm) / (2 * h), 1e-8);
    cv_hyp2f1(a, b, c + h, z, &fp), cv_hyp2f1(a, b, c - h, z, &fm);
    near(d[3], (fp - fm) / (2 * h), 1e-8);
    /* dF/dz = ab/c 2F1(a+1, b+1; c+1; z) exactly */
    cv_hyp2f1(a + 1, b + 1, c + 1, z, &v);
    near(d[4], a * b / c * v, 1e-13);
    /* d/da (1-z)^-a = -log(1-z) (1-z)^-a */
    assert_int_equal(cv_hyp2f1_grad(0.8, 2.0, 2.0, 0.6, d), 0);
    near(d[1], -log(0.4) * pow(0.4, -0.8), 1e-12);
    assert_int_equal(cv_hyp2f1_grad(0.8, 2.0, 2.0, 0.0, d), 0);
    near(d[0], 1.0, 0), near(d[4], 0.8, 1e-15);
}

/* cv_hyp2f1_grad_tab gives cv_hyp2f1_grad's values to the bit (the same operations): many
   arguments of one (a, b, c), a change of parameters (the table starts over), back, z = 0,
   an argument near 1 that needs more terms than the table keeps (summed without it), and
   the closed form (1-z)^-a of 2F1(a, b; b; z) through the table */
static void test_special_hyp2f1_grad_tab(void **state)
{
    static const double zs[] = {0.37, 0.02, 0.9, 0.5, 0.0, 0.999, 0.9995, 0.99999, 0.37};
    static const double abc[][3] = {
        {1.0, 1.459, 2.099}, {1.0, 1.459, 3.099}, {1.0, 1.459, 2.099}, {2.9, 1.6, 3.9}};
    cv_hyp2f1_tab t = {0};
    double d[5], e[5];
    size_t i, j;
    int k;
    (void)state;
    for (i = 0; i < sizeof abc / sizeof abc[0]; i++)
        for (j = 0; j < sizeof zs / sizeof zs[0]; j++) {
            int r1 = cv_hyp2f1_grad(abc[i][0], abc[i][1], abc[i][2], zs[j], d);
            int r2 = cv_hyp2f1_grad_tab(&t, abc[i][0], abc[i][1], abc[i][2], zs[j], e);
            assert_int_equal(r1, r2);
            for (k = 0; r1 == 0 && k < 5; k++)
                if (memcmp(&d[k], &e[k], sizeof d[k]) != 0)
                    fail_msg("abc %zu z %g d[%d]: %.17g vs %.17g", i, zs[j], k, e[k], d[k]);
        }
    assert_int_equal(cv_hyp2f1_grad_tab(&t, 0.8, 2.0, 2.0, 0.6, e), 0);
    near(e[0], pow(0.4, -0.8), 1e-14);
    near(e[1], -log(0.4) * pow(0.4, -0.8), 1e-12);
    near(e[4], 0.8 * pow(0.4, -1.8), 1e-13); /* dF/dz = a (1-z)^-(a+1) */
    assert_int_equal(cv_hyp2f1_grad_tab(NULL, 0.8, 2.0, 2.0, 0.6, d), 0);
    assert_memory_equal(d, e, sizeof d);
    cv_hyp2f1_tab_free(&t);
    assert_null(t.v);
}

static void test_special_upper_gamma(void **state)
{
    (void)state;
    near(cv_upper_gamma(1.0, 2.5), exp(-2.5), 1e-14);
    near(cv_upper_gamma(0.5, 0.3), sqrt(M_PI) * erfc(sqrt(0.3)), 1e-13);
    near(cv_upper_gamma(0.5, 4.0), sqrt(M_PI) * erfc(2.0), 1e-13);
    near(cv_upper_gamma(3.0, 1.5), 2.0 * exp(-1.5) * (1 + 1.5 + 1.125), 1e-14);
    near(cv_upper_gamma(0.0, 1.0), 0.21938393439552029, 1e-13); /* E1(1), A&S table 5.1 */
    near(cv_upper_gamma(0.0, 0.1), 1.8229239584193906, 1e-13);  /* E1(0.1) */
    near(cv_upper_gamma(0.0, 3.0), 0.013048381094197037, 1e-12);
    /* Gamma(-1/2, x) = 2 (e^-x / sqrt(x) - sqrt(pi) erfc(sqrt(x))) */
    near(cv_upper_gamma(-0.5, 0.2), 2.0 * (exp(-0.2) / sqrt(0.2) - sqrt(M_PI) * erfc(sqrt(0.2))),
         1e-12);
    near(cv_upper_gamma(-0.5, 3.0), 2.0 * (exp(-3.0) / sqrt(3.0) - sqrt(M_PI) * erfc(sqrt(3.0))),
         1e-12);
    /* U(1, 1; z) = e^z E1(z) */
    near(cv_hyperu_aa(1.0, 1.0), exp(1.0) * 0.21938393439552029, 1e-13);
    assert_true(isnan(cv_upper_gamma(1.0, 0.0)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_special_lgamma),
        cmocka_unit_test(test_special_digamma),
        cmocka_unit_test(test_special_hyp2f1_elementary),
        cmocka_unit_test(test_special_hyp2f1_many),
        cmocka_unit_test(test_special_hyp2f1_gradient),
        cmocka_unit_test(test_special_hyp2f1_grad_tab),
        cmocka_unit_test(test_special_upper_gamma),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
