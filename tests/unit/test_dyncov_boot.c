/* Unit tests of the bootstrap of the Pareto/NBD with time-varying covariates
   (cv_dyncov_boot_refit, src/core/model_dyncov_boot.c; cv_dyncov_intervals' bootstrap,
   src/core/model_dyncov_interval.c) on customers simulated by cv_dyncov_simulate: a refit
   with every weight 1 is the fit (1e-6), from the estimate and from a start moved away; the
   same seed gives the same bits; the interval holds the estimate; with every covariate 0 (the
   coefficients do nothing) each replicate's refit is the plain Pareto/NBD's weighted refit,
   and the customers are laid out in cv_model_intervals' order of its distinct rows, so the
   engine draws the same weights and the P(alive) intervals equal cv_model_intervals'
   bootstrap with the same seed to the optimizers' tolerance (1e-4 relative). Small n: runs
   under memcheck. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dyncov.h"
#include "cvkit/dyncov_sim.h"
#include "cvkit/intervals.h"
#include "cvkit/mem.h"
#include "cvkit/models.h"

#include "table_build.h"

enum { NC = 120, NW = 40 };
static const unsigned PROC[2] = {CV_COV_TRANS, CV_COV_LIFE};
static const size_t COL[2] = {0, 0};

typedef struct {
    double T[NC], x[NC], tx[NC], ttime[NC * 64], ps[NC * NW], z[NC * NW];
    size_t tbeg[NC + 1], pbeg[NC + 1];
    cv_dyncov_data d;
} sim;

/* NC customers observed for T_i = 30 + 0.05 i weeks (distinct rows), weekly periods from
   -0.5, covariate season (five weeks on, five off) or 0, drawn at theta. */
static void simulate(sim *s, int zero, const double *theta, uint64_t seed)
{
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_dyncov_draws dr;
    cv_error err;
    size_t q = 0;
    memset(s, 0, sizeof *s);
    for (int i = 0; i < NC; i++) {
        s->T[i] = 30.0 + 0.05 * i, s->pbeg[i] = q;
        for (int k = 0; k < NW; k++, q++)
            s->ps[q] = k - 0.5, s->z[q] = zero ? 0.0 : (double)((k / 5) % 2);
    }
    s->pbeg[NC] = q;
    s->d.n = NC, s->d.ncov = 1, s->d.T = s->T, s->d.pbeg = s->pbeg, s->d.pstart = s->ps;
    s->d.z = s->z;
    assert_int_equal(cv_dyncov_simulate(&s->d, &spec, theta, seed, &dr, &err), 0);
    for (int i = 0; i < NC; i++) {
        s->x[i] = dr.x[i], s->tx[i] = dr.t_x[i], s->tbeg[i] = dr.tbeg[i];
        assert_true(dr.tbeg[i + 1] <= NC * 64);
    }
    s->tbeg[NC] = dr.tbeg[NC];
    memcpy(s->ttime, dr.ttime, sizeof(double) * dr.tbeg[NC]);
    s->d.x = s->x, s->d.t_x = s->tx, s->d.tbeg = s->tbeg, s->d.ttime = s->ttime;
    cv_dyncov_draws_free(&dr);
}

static const double THETA[6] = {0.0, 1.0, 0.0, 2.0, 0.4, -0.3}; /* log r, log a, .. */

static void test_refit_is_fit(void **state)
{
    static sim s;
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_dyncov_fit fit;
    cv_dyncov_prep *p;
    cv_error err;
    double w[NC], st[6], e[6];
    (void)state;
    simulate(&s, 0, THETA, 11);
    p = cv_dyncov_prepare(&s.d, &err);
    assert_non_null(p);
    assert_int_equal(cv_dyncov_model_fit(p, &spec, NULL, &fit, &err), 0);
    for (int i = 0; i < NC; i++)
        w[i] = 1.0;
    for (int round = 0; round < 2; round++) {
        for (int j = 0; j < 6; j++) /* the estimate, then 20% (0.2) away */
            st[j] = round == 0 ? fit.est[j] : j < 4 ? fit.est[j] * 1.2 : fit.est[j] + 0.2;
        assert_int_equal(cv_dyncov_boot_refit(p, &spec, NULL, w, st, e, &err), 0);
        for (int j = 0; j < 6; j++)
            assert_true(fabs((j < 4 ? log(e[j] / fit.est[j]) : e[j] - fit.est[j])) <= 1e-6);
    }
    /* weights 2 are weights 1: the objective is per customer */
    for (int i = 0; i < NC; i++)
        w[i] = 2.0;
    assert_int_equal(cv_dyncov_boot_refit(p, &spec, NULL, w, fit.est, e, &err), 0);
    for (int j = 0; j < 6; j++)
        assert_true(fabs((j < 4 ? log(e[j] / fit.est[j]) : e[j] - fit.est[j])) <= 1e-6);
    for (int i = 0; i < NC; i++)
        w[i] = 0.0;
    assert_int_equal(cv_dyncov_boot_refit(p, &spec, NULL, w, fit.est, e, &err), CV_ERR_USAGE);
    cv_dyncov_prep_free(p);
}

static void test_seeded_and_holds(void **state)
{
    static sim s;
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_interval_options o = {CV_INTERVAL_BOOTSTRAP, 0.9, 24, 5};
    cv_dyncov_interval_spec ds;
    cv_interval_result r1, r2;
    cv_dyncov_fit fit;
    cv_dyncov_prep *p;
    cv_error err;
    (void)state;
    simulate(&s, 0, THETA, 12);
    p = cv_dyncov_prepare(&s.d, &err);
    assert_non_null(p);
    assert_true(cv_dyncov_model_fit(p, &spec, NULL, &fit, &err) <= 1);
    memset(&ds, 0, sizeof ds);
    ds.kinds = CV_IV_P_ALIVE | CV_IV_CONDITIONAL, ds.horizon = 8.0, ds.fit = p;
    assert_int_equal(cv_dyncov_intervals(p, &spec, fit.est, NULL, &ds, &o, &r1, &err), 0);
    assert_int_equal(cv_dyncov_intervals(p, &spec, fit.est, NULL, &ds, &o, &r2, &err), 0);
    assert_int_equal(r1.nout, 2 * (NC + 1));
    assert_true(r1.used + 1 >= r1.draws); /* a 90% interval of 24 draws holds 1 failed */
    assert_int_equal(memcmp(r1.lo, r2.lo, sizeof(double) * r1.nout), 0);
    assert_int_equal(memcmp(r1.hi, r2.hi, sizeof(double) * r1.nout), 0);
    assert_int_equal(memcmp(r1.p_lo, r2.p_lo, sizeof r1.p_lo), 0);
    for (size_t j = 0; j < 2; j++) { /* the totals hold the estimate */
        const size_t t = 2 * NC + j;
        assert_true(r1.lo[t] <= r1.est[t] && r1.est[t] <= r1.hi[t] && r1.lo[t] < r1.hi[t]);
    }
    cv_interval_result_free(&r1);
    cv_interval_result_free(&r2);
    cv_dyncov_prep_free(p);
}

static int cmp_row(const double *a, const double *b)
{
    for (int k = 0; k < 3; k++)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return 0;
}

static void test_static_bootstrap(void **state)
{
    static sim s, u;
    cv_dyncov_spec spec = {2, PROC, COL};
    cv_interval_options o = {CV_INTERVAL_BOOTSTRAP, 0.9, 16, 9};
    cv_dyncov_interval_spec ds;
    cv_model_interval_spec sp;
    cv_model_interval_totals tot;
    cv_interval_result r;
    cv_dyncov_fit fit;
    cv_dyncov_prep *p;
    cv_model_data md;
    cv_model_rows rows;
    cv_table *tab, *t;
    cv_error err;
    size_t perm[NC], q = 0, nt = 0;
    (void)state;
    simulate(&s, 1, THETA, 13);
    /* the customers in the order of cv_model_collapse's distinct rows (the static
       bootstrap's rows, whose weights the engine draws in order) */
    memset(&md, 0, sizeof md);
    md.n = NC, md.x = s.x, md.t_x = s.tx, md.T = s.T;
    assert_int_equal(cv_model_collapse(&md, &rows, &err), 0);
    assert_int_equal(rows.data.n, NC);
    for (size_t k = 0; k < NC; k++) {
        const double key[3] = {rows.data.x[k], rows.data.t_x[k], rows.data.T[k]};
        size_t i = 0;
        while (i < NC) {
            const double ki[3] = {s.x[i], s.tx[i], s.T[i]};
            if (cmp_row(key, ki) == 0)
                break;
            i++;
        }
        assert_true(i < NC);
        perm[k] = i;
    }
    cv_model_rows_free(&rows);
    u = s;
    for (size_t k = 0; k < NC; k++) {
        const size_t i = perm[k];
        u.x[k] = s.x[i], u.tx[k] = s.tx[i], u.T[k] = s.T[i], u.tbeg[k] = nt;
        for (size_t j = s.tbeg[i]; j < s.tbeg[i + 1]; j++)
            u.ttime[nt++] = s.ttime[j];
        u.pbeg[k] = q;
        for (size_t j = s.pbeg[i]; j < s.pbeg[i + 1]; j++, q++)
            u.ps[q] = s.ps[j], u.z[q] = s.z[j];
    }
    u.tbeg[NC] = nt, u.pbeg[NC] = q;
    u.d.x = u.x, u.d.t_x = u.tx, u.d.T = u.T, u.d.tbeg = u.tbeg, u.d.ttime = u.ttime;
    u.d.pbeg = u.pbeg, u.d.pstart = u.ps, u.d.z = u.z;
    p = cv_dyncov_prepare(&u.d, &err);
    assert_non_null(p);
    assert_true(cv_dyncov_model_fit(p, &spec, NULL, &fit, &err) <= 1);
    memset(&ds, 0, sizeof ds);
    ds.kinds = CV_IV_P_ALIVE, ds.fit = p;
    assert_int_equal(cv_dyncov_intervals(p, &spec, fit.est, NULL, &ds, &o, &r, &err), 0);
    tab = tbl(fcol("x", u.x, NC), fcol("t_x", u.tx, NC), fcol("T", u.T, NC), NULL);
    memset(&sp, 0, sizeof sp);
    sp.tx.model = &cv_model_pareto_nbd, sp.tx.p = fit.est, sp.tx.data = tab;
    sp.kinds = CV_IV_P_ALIVE;
    t = cv_model_intervals(&sp, tab, NULL, &o, &tot, &err);
    assert_non_null(t);
    assert_int_equal(r.used, tot.used);
    assert_true(fabs(r.est[NC] - tot.est[0]) <= 1e-9 * tot.est[0]);
    assert_true(fabs(r.lo[NC] - tot.lo[0]) <= 1e-4 * tot.lo[0]);
    assert_true(fabs(r.hi[NC] - tot.hi[0]) <= 1e-4 * tot.hi[0]);
    for (int a = 0; a < 4; a++) {
        assert_true(fabs(log(r.p_lo[a] / tot.p_lo[a])) <= 1e-4);
        assert_true(fabs(log(r.p_hi[a] / tot.p_hi[a])) <= 1e-4);
    }
    cv_interval_result_free(&r);
    cv_table_free(t);
    cv_table_free(tab);
    cv_dyncov_prep_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refit_is_fit),
        cmocka_unit_test(test_seeded_and_holds),
        cmocka_unit_test(test_static_bootstrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
