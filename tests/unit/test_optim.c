/* Unit tests of the optimizer: Rosenbrock (minimum at (1, 1), f = 0), a quadratic with a
   known minimizer and Hessian, the Nelder-Mead fallback, and the SPD inverse. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/optim.h"

static double rosenbrock(int n, const double *x, double *g, void *ctx)
{
    double a = 1.0 - x[0], b = x[1] - x[0] * x[0];
    (void)n, (void)ctx;
    if (g) {
        g[0] = -2.0 * a - 400.0 * x[0] * b;
        g[1] = 200.0 * b;
    }
    return a * a + 100.0 * b * b;
}

/* f(x) = 1/2 (x - m)' A (x - m) + 3 with A = [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 2]] */
static const double qa[9] = {4, 1, 0, 1, 3, 0.5, 0, 0.5, 2};
static const double qm[3] = {1.5, -2.0, 0.25};

static double quadratic(int n, const double *x, double *g, void *ctx)
{
    double f = 3.0;
    int i, j;
    (void)ctx;
    for (i = 0; i < n; i++) {
        double r = 0.0;
        for (j = 0; j < n; j++)
            r += qa[i * n + j] * (x[j] - qm[j]);
        if (g)
            g[i] = r;
        f += 0.5 * (x[i] - qm[i]) * r;
    }
    return f;
}

/* defined only for x > 0: exercises the line search's retreat from a domain edge */
static double log_barrier(int n, const double *x, double *g, void *ctx)
{
    (void)n, (void)ctx;
    if (x[0] <= 0.0)
        return NAN;
    if (g)
        g[0] = 1.0 - 1.0 / x[0];
    return x[0] - log(x[0]); /* minimum at 1, f = 1 */
}

static void test_optim_rosenbrock(void **state)
{
    double x[2] = {-1.2, 1.0};
    cv_optim_result res;
    cv_error err;
    (void)state;
    assert_int_equal(cv_optim_minimize(2, x, rosenbrock, NULL, NULL, &res, &err), 0);
    assert_true(res.converged);
    assert_float_equal(x[0], 1.0, 1e-6);
    assert_float_equal(x[1], 1.0, 1e-6);
    assert_true(res.f < 1e-12);
    assert_true(res.iterations > 10 && res.iterations < 200);
    assert_true(res.evaluations >= res.iterations);
    assert_string_equal(res.method, "bfgs");
}

static void test_optim_quadratic_and_hessian(void **state)
{
    double x[3] = {0, 0, 0}, h[9], inv[9];
    cv_optim_result res;
    cv_error err;
    int i, j;
    (void)state;
    assert_int_equal(cv_optim_minimize(3, x, quadratic, NULL, NULL, &res, &err), 0);
    for (i = 0; i < 3; i++)
        assert_float_equal(x[i], qm[i], 1e-8);
    assert_float_equal(res.f, 3.0, 1e-12);
    assert_true(res.iterations <= 10); /* BFGS on a 3-d quadratic: a handful of steps */
    assert_int_equal(cv_optim_hessian(3, x, quadratic, NULL, h, &err), 0);
    for (i = 0; i < 9; i++)
        assert_float_equal(h[i], qa[i], 1e-7);
    assert_int_equal(cv_optim_spd_inverse(3, h, inv), 0);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 3; j++) {
            double s = 0.0;
            int k;
            for (k = 0; k < 3; k++)
                s += qa[i * 3 + k] * inv[k * 3 + j];
            assert_float_equal(s, i == j ? 1.0 : 0.0, 1e-7);
        }
}

static void test_optim_domain_edge(void **state)
{
    double x[1] = {30.0};
    cv_optim_result res;
    cv_error err;
    (void)state;
    assert_int_equal(cv_optim_minimize(1, x, log_barrier, NULL, NULL, &res, &err), 0);
    assert_float_equal(x[0], 1.0, 1e-7);
    x[0] = -1.0;
    assert_int_equal(cv_optim_minimize(1, x, log_barrier, NULL, NULL, &res, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "objective not finite at the starting point");
}

static void test_optim_nelder_mead(void **state)
{
    double x[2] = {-1.2, 1.0};
    cv_optim_result res;
    cv_error err;
    (void)state;
    assert_int_equal(cv_optim_nelder_mead(2, x, rosenbrock, NULL, NULL, &res, &err), 0);
    assert_float_equal(x[0], 1.0, 1e-4);
    assert_float_equal(x[1], 1.0, 1e-4);
    assert_string_equal(res.method, "nelder-mead");
}

static void test_optim_limits(void **state)
{
    double x[2] = {-1.2, 1.0}, y[1] = {0};
    cv_optim_opts o;
    cv_optim_result res;
    cv_error err;
    (void)state;
    cv_optim_defaults(&o);
    o.max_iter = 3;
    o.no_fallback = 1;
    assert_int_equal(cv_optim_minimize(2, x, rosenbrock, NULL, &o, &res, &err), 1);
    assert_false(res.converged);
    assert_string_equal(res.message, "iteration limit reached");
    assert_int_equal(cv_optim_minimize(0, y, rosenbrock, NULL, NULL, &res, &err), CV_ERR_USAGE);
    /* a non positive definite matrix has no Cholesky inverse */
    {
        const double m[4] = {1, 2, 2, 1};
        double inv[4];
        assert_int_equal(cv_optim_spd_inverse(2, m, inv), -1);
    }
}

/* The eigen-decomposition of the fits' weak directions: a matrix with known eigenvalues 1, 3, 5
   and vectors (1, -1, 0)/sqrt 2, (1, 1, 0)/sqrt 2, e3 (up to sign); then a 6 x 6 symmetric
   matrix with A v = lambda v and V'V = I to 1e-12, a left unchanged, values ascending. */
static void test_sym_eigen(void **state)
{
    (void)state;
    const double a[9] = {2, 1, 0, 1, 2, 0, 0, 0, 5}, r = sqrt(0.5);
    double val[CV_OPTIM_MAXN], vec[CV_OPTIM_MAXN * CV_OPTIM_MAXN];
    cv_optim_sym_eigen(3, a, val, vec);
    assert_float_equal(val[0], 1, 1e-14);
    assert_float_equal(val[1], 3, 1e-14);
    assert_float_equal(val[2], 5, 1e-14);
    assert_float_equal(fabs(vec[0 * 3 + 0]), r, 1e-14); /* column 0: (1, -1, 0)/sqrt 2 */
    assert_float_equal(vec[0 * 3 + 0] + vec[1 * 3 + 0], 0, 1e-14);
    assert_float_equal(vec[0 * 3 + 1] - vec[1 * 3 + 1], 0, 1e-14);
    assert_float_equal(fabs(vec[2 * 3 + 2]), 1, 1e-14);
    double b[36], b0[36];
    for (int i = 0; i < 6; i++)
        for (int j = 0; j <= i; j++)
            b[i * 6 + j] = b[j * 6 + i] = i == j ? 4.0 + i : 1.0 / (1.0 + i + j) - 0.3 * (i % 2);
    memcpy(b0, b, sizeof b);
    cv_optim_sym_eigen(6, b, val, vec);
    assert_memory_equal(b, b0, sizeof b);
    for (int k = 0; k < 6; k++) {
        if (k > 0)
            assert_true(val[k - 1] <= val[k]);
        for (int i = 0; i < 6; i++) {
            double av = 0;
            for (int j = 0; j < 6; j++)
                av += b[i * 6 + j] * vec[j * 6 + k];
            assert_float_equal(av, val[k] * vec[i * 6 + k], 1e-12);
        }
        for (int l = 0; l < 6; l++) {
            double d = 0;
            for (int i = 0; i < 6; i++)
                d += vec[i * 6 + k] * vec[i * 6 + l];
            assert_float_equal(d, k == l, 1e-12);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_optim_rosenbrock),
        cmocka_unit_test(test_optim_quadratic_and_hessian),
        cmocka_unit_test(test_optim_domain_edge),
        cmocka_unit_test(test_optim_nelder_mead),
        cmocka_unit_test(test_optim_limits),
        cmocka_unit_test(test_sym_eigen),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
