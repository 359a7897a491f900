/* A fit on 131,072 distinct rows or more starts from a fit on every 16th of them
   (model_fit.c, warm_start; issue 18). Drawn here: 200,000 BG/NBD customers from known
   parameters (r 0.5, alpha 6, a 0.7, b 2.5; ages spread over 20-120 weeks, so nearly every
   customer is a distinct row: 190,268 here). The fit must end at the full data's optimum,
   not the subsample's: the objective's gradient there (cv_model_objective, on all rows)
   below 1e-9 on the per-customer scale (it is about 1e-14; BFGS's own tolerance is 1e-9);
   BFGS on all rows must have started near it: at most 12 evaluations on all rows (5 here;
   24 with the warm start switched off); the estimates within 4 standard errors of the
   parameters drawn from. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "cvkit/models.h"

static void test_warm_start_bgnbd(void **state)
{
    const double truth[4] = {0.5, 6.0, 0.7, 2.5};
    size_t n = 200000, i;
    double *x = malloc(sizeof(double) * n), *tx = malloc(sizeof(double) * n);
    double *T = malloc(sizeof(double) * n), theta[4], f, g[4];
    cv_model_data d;
    cv_fit fit;
    cv_error err;
    (void)state;
    assert_true(x && tx && T);
    for (i = 0; i < n; i++)
        T[i] = 20.0 + (double)(i % 100003) / 1000.03;
    assert_int_equal(cv_model_simulate(&cv_model_bgnbd, truth, n, 11, T, x, tx, NULL, &err), 0);
    d.n = n, d.x = x, d.t_x = tx, d.T = T, d.m = NULL, d.w = NULL;
    assert_int_equal(cv_model_fit(&cv_model_bgnbd, &d, NULL, &fit, &err), 0);
    assert_true(fit.n_rows >= 131072); /* the warm start applies */
    assert_true(fit.optim.evaluations <= 12);
    for (i = 0; i < 4; i++)
        theta[i] = log(fit.params[i]);
    assert_int_equal(cv_model_objective(&cv_model_bgnbd, theta, &d, NULL, &f, g, &err), 0);
    for (i = 0; i < 4; i++) {
        assert_true(fabs(g[i]) <= 1e-9);
        assert_true(fit.se_ok && fabs(fit.params[i] - truth[i]) <= 4.0 * fit.se[i]);
    }
    free(x), free(tx), free(T);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_warm_start_bgnbd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
