/* Unit tests of cv_optim_newton_polish: from a point 1e-5 off the minimum of a smooth, non-
   quadratic convex function with a known minimizer, two Newton steps with a finite-
   difference Hessian (central, given; or forward, its own) land on the minimizer to
   rounding; a Hessian that is not positive definite, or one that asks for a long step,
   leaves the point as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/optim.h"

/* f(x) = sum_i (e^x_i - (i+1) x_i) + 1/2 (x_0 - x_1 + log 2)^2: each term's minimum is at
   x_i = log(i+1), where the coupling term is 0 with gradient 0, so that is the minimizer */
static double convex(int n, const double *x, double *g, void *ctx)
{
    double c = x[0] - x[1] + log(2.0), f = 0.5 * c * c;
    int i;
    (void)ctx;
    for (i = 0; i < n; i++) {
        f += exp(x[i]) - (i + 1.0) * x[i];
        if (g)
            g[i] = exp(x[i]) - (i + 1.0);
    }
    if (g)
        g[0] += c, g[1] -= c;
    return f;
}

static void polish_reaches_the_minimizer(void **state)
{
    double x[3] = {log(1.0) + 1e-5, log(2.0) - 2e-5, log(3.0) + 3e-6}, h[9], fx = 0, gmax = 1;
    int i;
    (void)state;
    assert_int_equal(cv_optim_hessian(3, x, convex, NULL, h, NULL), 0);
    assert_int_equal(cv_optim_newton_polish(3, x, convex, NULL, h, 2, &fx, &gmax), 2);
    for (i = 0; i < 3; i++)
        assert_float_equal(x[i], log(i + 1.0), 1e-13);
    /* f at the minimizer: sum (i+1) - (i+1) log(i+1) = 6 - 2 log 2 - 3 log 3 */
    assert_float_equal(fx, 6.0 - 2.0 * log(2.0) - 3.0 * log(3.0), 1e-14);
    assert_true(gmax < 1e-13);
    /* no Hessian given: forward differences of the gradient at the start */
    x[0] = log(1.0) - 1e-5, x[1] = log(2.0) + 2e-5, x[2] = log(3.0) - 3e-6;
    assert_int_equal(cv_optim_newton_polish(3, x, convex, NULL, NULL, 2, &fx, &gmax), 2);
    for (i = 0; i < 3; i++)
        assert_float_equal(x[i], log(i + 1.0), 1e-13);
}

/* convex() counting its calls in *ctx */
static double counted(int n, const double *x, double *g, void *ctx)
{
    ++*(int *)ctx;
    return convex(n, x, g, NULL);
}

/* cv_optim_minimize hands back the gradient at its end point (grad_ok), and
   cv_optim_newton_polish_at from there takes the same steps as cv_optim_newton_polish to
   the same point, bit for bit, with one evaluation fewer; res.evaluations counts every
   call of the objective */
static void polish_at_saves_an_evaluation(void **state)
{
    double x[3] = {0.5, 0.2, 0.4}, y[3], g[3], f1 = 0, f2 = 0, gm1 = 0, gm2 = 0;
    cv_optim_result res;
    int calls = 0, c1, c2, i;
    (void)state;
    assert_int_equal(cv_optim_minimize(3, x, counted, &calls, NULL, &res, NULL), 0);
    assert_int_equal(calls, res.evaluations);
    assert_int_equal(res.grad_ok, 1);
    assert_true(convex(3, x, g, NULL) == res.f);
    assert_memory_equal(g, res.grad, sizeof g);
    memcpy(y, x, sizeof y);
    calls = 0;
    assert_true(cv_optim_newton_polish(3, y, counted, &calls, NULL, 1, &f1, &gm1) >= 0);
    c1 = calls, calls = 0;
    assert_true(
        cv_optim_newton_polish_at(3, x, counted, &calls, NULL, res.f, res.grad, 1, &f2, &gm2) >= 0);
    c2 = calls;
    assert_int_equal(c2, c1 - 1);
    assert_memory_equal(x, y, sizeof x);
    assert_true(f1 == f2 && gm1 == gm2);
    for (i = 0; i < 3; i++)
        assert_float_equal(x[i], log(i + 1.0), 1e-12);
}

static void polish_refuses_bad_hessians(void **state)
{
    const double x0[3] = {1e-4, log(2.0), log(3.0)};
    double x[3], h[9] = {1, 0, 0, 0, -1, 0, 0, 0, 1}, fx = 7, gmax = 7;
    (void)state;
    memcpy(x, x0, sizeof x);
    /* not positive definite */
    assert_int_equal(cv_optim_newton_polish(3, x, convex, NULL, h, 2, &fx, &gmax), -1);
    assert_memory_equal(x, x0, sizeof x);
    assert_float_equal(fx, 7.0, 0.0);
    /* a curvature 1e-4 of the true one: the step (about 1) is not a polish */
    memset(h, 0, sizeof h);
    h[0] = h[4] = h[8] = 1e-4;
    assert_int_equal(cv_optim_newton_polish(3, x, convex, NULL, h, 2, &fx, &gmax), 0);
    assert_memory_equal(x, x0, sizeof x);
    /* the end point's f and gradient: x0 itself, f(x0) and |g_0| = e^1e-4 - 1 + 1e-4 */
    assert_float_equal(fx, convex(3, x0, NULL, NULL), 1e-15);
    assert_float_equal(gmax, expm1(1e-4) + 1e-4, 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(polish_reaches_the_minimizer),
        cmocka_unit_test(polish_refuses_bad_hessians),
        cmocka_unit_test(polish_at_saves_an_evaluation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
