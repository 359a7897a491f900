/* memcheck: skip (MPFR arithmetic at thousands of points: many minutes under memcheck, no
   memory paths the other tests miss) */
/* Precision of the Pareto/NBD, BG/BB and sBG log-likelihoods and gradients, row by row,
   against a second high-precision reference written from the papers' closed forms (not the
   integral of tests/unit/test_precision.c, and not the C):
     Pareto/NBD  Fader & Hardie (2005), "A note on deriving the Pareto/NBD model and related
                 expressions", eq. (22) and its two 2F1 expressions:
                 L = Gamma(r+x) alpha^r beta^s / Gamma(r) [(alpha+T)^-(r+x) (beta+T)^-s
                     + s/(r+s+x) (A(t_x) - A(T))],
                 A(t) = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t)) / (alpha+t)^(r+s+x)
                        (alpha >= beta), or with r+x in place of s+1, (beta-alpha)/(beta+t)
                        and beta+t (alpha < beta).
                 The 2F1(a, b; a+1; z) is summed in MPFR after Euler's transformation
                 (1-z)^(1-b) 2F1(1, a+1-b; a+1; z), whose terms are positive and fall at
                 least like z^k, to below 2^-200 of the sum (the tail bounded); rows whose
                 series would take more than 20,000 terms (z within about 7e-3 of 1) are
                 left to test_precision.c's integral reference and counted.
     BG/BB       Fader, Hardie & Shang (2010), eq. (5), the beta functions by mpfr_lngamma;
     sBG         Fader & Hardie (2007), eqs. (2) and (3), likewise.
   Gradients: central differences of the reference in the log-parameters (step 2^-60).
   Criterion, row by row (stricter than test_precision.c's, which allows each row its share
   of the sum over rows): |ll - ref| <= 1e-10 |ref| + 1e-14 and, by log-parameter,
   |g_k - ref_k| <= 1e-10 |ref_k| + 1e-13 |ref| + 1e-14: a row whose log-likelihood is near 0
   (a likelihood near 1: e.g. no purchases expected and none made) is held to a few ulps of
   1, the scale every log-likelihood sum is computed at; a derivative that cancels to near
   0 within a row, to 1e-13 of the row's log-likelihood. PRECISION_VERBOSE=1 prints the
   worst point of each model. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/models.h"

#define PREC 192
#define TOL 1e-10
#define GTOL 1e-13
#define ATOL 1e-14

typedef struct {
    double x, tx, T;
} row;

typedef void (*ref_fn)(mpfr_t *p, const row *c, mpfr_t out);

/* ---- Pareto/NBD ----------------------------------------------------------------------- */

/* out = sum_k (b)_k / (c)_k y^k (y >= 0) at the precision of out, summed until the tail
   bound t rho / (1 - rho) (rho >= every later term ratio) is below 2^-(prec+8) of the sum;
   *maxe = the binary exponent of the largest term. Returns the number of terms, or -1 past
   limit terms. */
static long series_1bc(const mpfr_t b, const mpfr_t c, const mpfr_t y, mpfr_t out, long limit,
                       long *maxe)
{
    const mpfr_prec_t pr = mpfr_get_prec(out);
    const double bd = mpfr_get_d(b, MPFR_RNDN), cd = mpfr_get_d(c, MPFR_RNDN);
    const double yd = mpfr_get_d(y, MPFR_RNDN);
    mpfr_t t, u;
    long k;
    mpfr_inits2(pr, t, u, (mpfr_ptr)0);
    mpfr_set_ui(t, 1, MPFR_RNDN);
    mpfr_set_ui(out, 1, MPFR_RNDN);
    *maxe = 1;
    for (k = 0; k < limit; k++) {
        double rho;
        mpfr_add_ui(u, b, (unsigned long)k, MPFR_RNDN);
        mpfr_mul(t, t, u, MPFR_RNDN);
        mpfr_add_ui(u, c, (unsigned long)k, MPFR_RNDN);
        mpfr_div(t, t, u, MPFR_RNDN);
        mpfr_mul(t, t, y, MPFR_RNDN);
        mpfr_add(out, out, t, MPFR_RNDN);
        if (mpfr_zero_p(t))
            break;
        if (mpfr_get_exp(t) > *maxe)
            *maxe = mpfr_get_exp(t);
        if (cd + k + 1.0 <= 0.0) /* denominators still to change sign */
            continue;
        rho = yd * fmax(1.0, (bd + k + 1.0) / (cd + k + 1.0)) * (1.0 + 1e-12);
        if (rho < 1.0 && mpfr_get_exp(t) - mpfr_get_exp(out) < -(long)pr - 8 + log2(1.0 - rho))
            break;
    }
    mpfr_clears(t, u, (mpfr_ptr)0);
    return k >= limit ? -1 : k;
}

static long n_skipped; /* rows whose series would take more than 20,000 terms */

/* out = log 2F1(1, b; c; z), 0 <= z < 1, c > b > 0, by its series (positive terms falling
   at least like z^k); returns -1 when that would take more than 20,000 terms */
static int log_f1(const mpfr_t b, const mpfr_t c, const mpfr_t z, mpfr_t out)
{
    mpfr_t s;
    long maxe;
    int rc = -1;
    /* the 20,000th term, estimated in doubles: too large, and the series is not summed */
    const double bd = mpfr_get_d(b, MPFR_RNDN), cd = mpfr_get_d(c, MPFR_RNDN);
    const double zd = mpfr_get_d(z, MPFR_RNDN), nt = 20000.0;
    if (lgamma(bd + nt) - lgamma(bd) - lgamma(cd + nt) + lgamma(cd) + nt * log(zd) - log1p(-zd) >
        -120.0)
        return -1;
    mpfr_init2(s, PREC);
    if (series_1bc(b, c, z, s, 20000, &maxe) >= 0)
        mpfr_log(out, s, MPFR_RNDN), rc = 0;
    mpfr_clear(s);
    return rc;
}

/* out = log A(t) + log(s/(r+s+x)), the dropout term's part at t (Fader & Hardie 2005):
   alpha >= beta: 2F1(a, s+1; a+1; z) (alpha+t)^-a, z = (alpha-beta)/(alpha+t);
   alpha < beta:  2F1(a, r+x; a+1; z) (beta+t)^-a,  z = (beta-alpha)/(beta+t); a = r+s+x;
   2F1(a, b; a+1; z) = (1-z)^(1-b) 2F1(1, a+1-b; a+1; z) (Euler). */
static int log_a(mpfr_t *p, double x, double t, mpfr_t out)
{
    mpfr_t a, m, o, z, y, b, c, u;
    const int ab = mpfr_cmp(p[1], p[3]) >= 0;
    mpfr_inits2(PREC, a, m, o, z, y, b, c, u, (mpfr_ptr)0);
    mpfr_add(a, p[0], p[2], MPFR_RNDN);
    mpfr_add_d(a, a, x, MPFR_RNDN);
    mpfr_add_d(m, ab ? p[1] : p[3], t, MPFR_RNDN); /* the larger + t */
    mpfr_add_d(o, ab ? p[3] : p[1], t, MPFR_RNDN); /* the smaller + t */
    mpfr_div(y, o, m, MPFR_RNDN);                  /* 1 - z */
    mpfr_sub(z, m, o, MPFR_RNDN);
    mpfr_div(z, z, m, MPFR_RNDN);
    mpfr_add_ui(c, a, 1, MPFR_RNDN);
    if (ab) { /* b = s + 1: 1 - b = -s, a + 1 - b = r + x */
        mpfr_add_d(b, p[0], x, MPFR_RNDN);
        mpfr_neg(u, p[2], MPFR_RNDN);
    } else { /* b = r + x: a + 1 - b = s + 1 */
        mpfr_add_ui(b, p[2], 1, MPFR_RNDN);
        mpfr_add_d(u, p[0], x, MPFR_RNDN);
        mpfr_ui_sub(u, 1, u, MPFR_RNDN);
    }
    if (log_f1(b, c, z, out) != 0) {
        mpfr_clears(a, m, o, z, y, b, c, u, (mpfr_ptr)0);
        return -1;
    }
    mpfr_log(y, y, MPFR_RNDN);
    mpfr_mul(y, y, u, MPFR_RNDN);
    mpfr_add(out, out, y, MPFR_RNDN);
    mpfr_log(m, m, MPFR_RNDN);
    mpfr_mul(m, m, a, MPFR_RNDN);
    mpfr_sub(out, out, m, MPFR_RNDN);
    mpfr_div(u, p[2], a, MPFR_RNDN);
    mpfr_log(u, u, MPFR_RNDN);
    mpfr_add(out, out, u, MPFR_RNDN);
    mpfr_clears(a, m, o, z, y, b, c, u, (mpfr_ptr)0);
    return 0;
}

/* log L = log Gamma(r+x) - log Gamma(r) + r log alpha + s log beta
           + log[(alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) (A(t_x) - A(T))]; NaN when a series
   is too long */
static void ref_pnbd(mpfr_t *p, const row *c, mpfr_t out)
{
    mpfr_t lead, u, v, w;
    mpfr_inits2(PREC, lead, u, v, w, (mpfr_ptr)0);
    mpfr_add_d(u, p[0], c->x, MPFR_RNDN);
    mpfr_lngamma(lead, u, MPFR_RNDN);
    mpfr_lngamma(v, p[0], MPFR_RNDN);
    mpfr_sub(lead, lead, v, MPFR_RNDN);
    mpfr_log(v, p[1], MPFR_RNDN);
    mpfr_mul(v, v, p[0], MPFR_RNDN);
    mpfr_add(lead, lead, v, MPFR_RNDN);
    mpfr_log(v, p[3], MPFR_RNDN);
    mpfr_mul(v, v, p[2], MPFR_RNDN);
    mpfr_add(lead, lead, v, MPFR_RNDN);
    /* the first term */
    mpfr_add_d(v, p[1], c->T, MPFR_RNDN);
    mpfr_log(v, v, MPFR_RNDN);
    mpfr_mul(u, u, v, MPFR_RNDN);
    mpfr_add_d(v, p[3], c->T, MPFR_RNDN);
    mpfr_log(v, v, MPFR_RNDN);
    mpfr_mul(v, v, p[2], MPFR_RNDN);
    mpfr_add(u, u, v, MPFR_RNDN);
    mpfr_neg(u, u, MPFR_RNDN);
    mpfr_exp(u, u, MPFR_RNDN);
    if (c->tx < c->T) {
        if (log_a(p, c->x, c->tx, v) != 0 || log_a(p, c->x, c->T, w) != 0) {
            mpfr_set_nan(out);
            mpfr_clears(lead, u, v, w, (mpfr_ptr)0);
            return;
        }
        mpfr_exp(v, v, MPFR_RNDN);
        mpfr_exp(w, w, MPFR_RNDN);
        mpfr_sub(v, v, w, MPFR_RNDN);
        assert_true(mpfr_sgn(v) > 0);
        mpfr_add(u, u, v, MPFR_RNDN);
    }
    mpfr_log(u, u, MPFR_RNDN);
    mpfr_add(out, lead, u, MPFR_RNDN);
    mpfr_clears(lead, u, v, w, (mpfr_ptr)0);
}

/* ---- BG/BB and sBG -------------------------------------------------------------------- */

/* out = log B(a + da, b + db) - log B(a, b) */
static void lbeta_ratio(const mpfr_t a, double da, const mpfr_t b, double db, mpfr_t out)
{
    mpfr_t u, v, w;
    mpfr_inits2(PREC, u, v, w, (mpfr_ptr)0);
    mpfr_add_d(u, a, da, MPFR_RNDN);
    mpfr_add_d(v, b, db, MPFR_RNDN);
    mpfr_add(w, u, v, MPFR_RNDN);
    mpfr_lngamma(u, u, MPFR_RNDN);
    mpfr_lngamma(v, v, MPFR_RNDN);
    mpfr_lngamma(w, w, MPFR_RNDN);
    mpfr_add(out, u, v, MPFR_RNDN);
    mpfr_sub(out, out, w, MPFR_RNDN);
    mpfr_add(u, a, b, MPFR_RNDN);
    mpfr_lngamma(u, u, MPFR_RNDN);
    mpfr_lngamma(v, a, MPFR_RNDN);
    mpfr_lngamma(w, b, MPFR_RNDN);
    mpfr_add(out, out, u, MPFR_RNDN);
    mpfr_sub(out, out, v, MPFR_RNDN);
    mpfr_sub(out, out, w, MPFR_RNDN);
    mpfr_clears(u, v, w, (mpfr_ptr)0);
}

/* BG/BB (alpha, beta, gamma, delta), row (x, t_x, n):
   L = B(al+x, be+n-x)/B(al,be) B(ga, de+n)/B(ga,de)
       + sum_{i=0}^{n-t_x-1} B(al+x, be+t_x-x+i)/B(al,be) B(ga+1, de+t_x+i)/B(ga,de) */
static void ref_bgbb(mpfr_t *p, const row *c, mpfr_t out)
{
    const double x = c->x, tx = c->tx, n = c->T;
    mpfr_t sum, v, w;
    double i;
    mpfr_inits2(PREC, sum, v, w, (mpfr_ptr)0);
    lbeta_ratio(p[0], x, p[1], n - x, v);
    lbeta_ratio(p[2], 0, p[3], n, w);
    mpfr_add(v, v, w, MPFR_RNDN);
    mpfr_exp(sum, v, MPFR_RNDN);
    if (n > tx) { /* the first term of the sum, then each from the last: B(a, b+1)/B(a, b)
                     = b/(a+b) */
        mpfr_t t;
        mpfr_init2(t, PREC);
        lbeta_ratio(p[0], x, p[1], tx - x, v);
        lbeta_ratio(p[2], 1, p[3], tx, w);
        mpfr_add(v, v, w, MPFR_RNDN);
        mpfr_exp(v, v, MPFR_RNDN);
        for (i = 0; i < n - tx; i++) {
            mpfr_add(sum, sum, v, MPFR_RNDN);
            mpfr_add_d(t, p[1], tx - x + i, MPFR_RNDN); /* be + t_x - x + i */
            mpfr_mul(v, v, t, MPFR_RNDN);
            mpfr_add(t, t, p[0], MPFR_RNDN);
            mpfr_add_d(t, t, x, MPFR_RNDN); /* al + be + t_x + i */
            mpfr_div(v, v, t, MPFR_RNDN);
            mpfr_add_d(t, p[3], tx + i, MPFR_RNDN); /* de + t_x + i */
            mpfr_mul(v, v, t, MPFR_RNDN);
            mpfr_add(t, t, p[2], MPFR_RNDN);
            mpfr_add_ui(t, t, 1, MPFR_RNDN); /* ga + 1 + de + t_x + i */
            mpfr_div(v, v, t, MPFR_RNDN);
        }
        mpfr_clear(t);
    }
    mpfr_log(out, sum, MPFR_RNDN);
    mpfr_clears(sum, v, w, (mpfr_ptr)0);
}

/* sBG (alpha, beta), row (x renewals, T periods): churned in period x + 1 (x < T),
   B(al+1, be+x)/B(al,be); active after T periods (x = T), B(al, be+T)/B(al,be) */
static void ref_sbg(mpfr_t *p, const row *c, mpfr_t out)
{
    if (c->x < c->T)
        lbeta_ratio(p[0], 1, p[1], c->x, out);
    else
        lbeta_ratio(p[0], 0, p[1], c->T, out);
}

/* ---- the comparison ------------------------------------------------------------------- */

/* the reference log-likelihood of one row and its derivatives by the log-parameters */
static void ref_row(ref_fn f, int np, const double *pd, const row *c, double *ll, double *g)
{
    mpfr_t p[CV_MODEL_MAXP], out, lp, lm, h, keep;
    int k;
    mpfr_inits2(PREC, out, lp, lm, h, keep, (mpfr_ptr)0);
    for (k = 0; k < np; k++)
        mpfr_init2(p[k], PREC), mpfr_set_d(p[k], pd[k], MPFR_RNDN);
    f(p, c, out);
    *ll = mpfr_get_d(out, MPFR_RNDN);
    mpfr_set_ui_2exp(h, 1, -60, MPFR_RNDN);
    mpfr_exp(h, h, MPFR_RNDN);
    for (k = 0; k < np; k++) {
        mpfr_set(keep, p[k], MPFR_RNDN);
        mpfr_mul(p[k], keep, h, MPFR_RNDN);
        f(p, c, lp);
        mpfr_div(p[k], keep, h, MPFR_RNDN);
        f(p, c, lm);
        mpfr_set(p[k], keep, MPFR_RNDN);
        mpfr_sub(lp, lp, lm, MPFR_RNDN);
        mpfr_mul_2ui(lp, lp, 59, MPFR_RNDN); /* / (2 * 2^-60) */
        g[k] = mpfr_get_d(lp, MPFR_RNDN);
    }
    for (k = 0; k < np; k++)
        mpfr_clear(p[k]);
    mpfr_clears(out, lp, lm, h, keep, (mpfr_ptr)0);
}

typedef struct {
    const char *name;
    const cv_model *model;
    ref_fn ref;
    const row *rows;
    size_t n;
} mcase;

typedef struct {
    double worst_ll, worst_g; /* relative error / tolerance */
    double p_ll[CV_MODEL_MAXP], p_g[CV_MODEL_MAXP];
    row r_ll, r_g;
    int k_g, npoints, nfail;
} tally;

/* every row of the case at p, one by one; returns the number of failures */
static int check_point(const mcase *mc, const double *p, tally *t)
{
    const cv_model *m = mc->model;
    const int np = m->nparams;
    size_t i;
    int k, bad = 0;
    t->npoints++;
    for (i = 0; i < mc->n; i++) {
        const row *c = &mc->rows[i];
        double rl, rg[CV_MODEL_MAXP], ll, g[CV_MODEL_MAXP], err;
        cv_model_data d = {1, &c->x, &c->tx, &c->T, NULL, NULL};
        ref_row(mc->ref, np, p, c, &rl, rg);
        if (isnan(rl) || isnan(rg[0]) || isnan(rg[np - 1]) || (np > 2 && isnan(rg[1] + rg[2]))) {
            n_skipped++;
            continue;
        }
        if (m->loglik(p, &d, &ll, g) != 0) {
            print_message("%s at (%.17g, %.17g, %.17g, %.17g), row (%g, %g, %g): not computed "
                          "(reference %.17g)\n",
                          mc->name, p[0], p[1], np > 2 ? p[2] : 0, np > 3 ? p[3] : 0, c->x, c->tx,
                          c->T, rl);
            bad++;
            continue;
        }
        err = fabs(ll - rl) / (TOL * fabs(rl) + ATOL);
        if (!(err <= t->worst_ll))
            t->worst_ll = err, t->r_ll = *c, memcpy(t->p_ll, p, sizeof(double) * (size_t)np);
        if (!(err <= 1.0)) {
            print_message("%s at (%.17g, %.17g, %.17g, %.17g), row (%g, %g, %g): LL %.17g, "
                          "reference %.17g\n",
                          mc->name, p[0], p[1], np > 2 ? p[2] : 0, np > 3 ? p[3] : 0, c->x, c->tx,
                          c->T, ll, rl);
            bad++;
        }
        for (k = 0; k < np; k++) {
            const double gk = g[k] * p[k]; /* by log p_k */
            err = fabs(gk - rg[k]) / (TOL * fabs(rg[k]) + GTOL * fabs(rl) + ATOL);
            if (gk == rg[k])
                err = 0.0;
            if (!(err <= t->worst_g)) {
                t->worst_g = err, t->k_g = k, t->r_g = *c;
                memcpy(t->p_g, p, sizeof(double) * (size_t)np);
            }
            if (!(err <= 1.0)) {
                print_message("%s at (%.17g, %.17g, %.17g, %.17g), row (%g, %g, %g): dLL/dlog %s "
                              "%.17g, reference %.17g\n",
                              mc->name, p[0], p[1], np > 2 ? p[2] : 0, np > 3 ? p[3] : 0, c->x,
                              c->tx, c->T, m->param_names[k], gk, rg[k]);
                bad++;
            }
        }
    }
    t->nfail += bad;
    return bad;
}

static const double grid[7] = {-20, -10, -3, 0, 3, 10, 20};

/* 2 parameters: the 7 x 7 grid of log-parameters; 4: the corners and centre {-20, 0, 20}^4
   and 24 more drawn from the grid with a fixed LCG; then the named points. Under valgrind
   (VALGRIND=1) every 8th grid point. */
static void run_case(const mcase *mc, const double (*extra)[CV_MODEL_MAXP], size_t n_extra)
{
    tally t;
    const int np = mc->model->nparams;
    const char *vg = getenv("VALGRIND"), *v = getenv("PRECISION_VERBOSE");
    const size_t stride = vg && strcmp(vg, "1") == 0 ? 8 : 1;
    uint64_t s = 0x9E3779B97F4A7C15ULL;
    double p[CV_MODEL_MAXP];
    size_t i;
    int k;
    memset(&t, 0, sizeof t);
    n_skipped = 0;
    if (np == 2) {
        for (i = 0; i < 49; i++)
            if (i % stride == 0)
                p[0] = exp(grid[i % 7]), p[1] = exp(grid[i / 7]), check_point(mc, p, &t);
    } else {
        for (i = 0; i < 81; i++) {
            size_t j = i;
            for (k = 0; k < np; k++, j /= 3)
                p[k] = exp(grid[3 * (j % 3)]);
            if (i % stride == 0)
                check_point(mc, p, &t);
        }
        for (i = 0; i < 24; i++) {
            for (k = 0; k < np; k++) {
                s = s * 6364136223846793005ULL + 1442695040888963407ULL;
                p[k] = exp(grid[(s >> 33) % 7]);
            }
            if (i % stride == 0)
                check_point(mc, p, &t);
        }
    }
    for (i = 0; i < n_extra; i++)
        check_point(mc, extra[i], &t);
    if (v && *v == '1')
        print_message("%-10s %3d points x %zu rows, %d failures (%ld rows skipped: 2F1 series too "
                      "long); "
                      "worst LL error %.3g x 1e-10 at (%g, %g, %g, %g) row (%g, %g, %g); worst "
                      "gradient %.3g x 1e-10 (d/dlog %s) at (%g, %g, %g, %g) row (%g, %g, %g)\n",
                      mc->name, t.npoints, mc->n, t.nfail, n_skipped, t.worst_ll, t.p_ll[0],
                      t.p_ll[1], t.p_ll[2], t.p_ll[3], t.r_ll.x, t.r_ll.tx, t.r_ll.T, t.worst_g,
                      mc->model->param_names[t.k_g], t.p_g[0], t.p_g[1], t.p_g[2], t.p_g[3],
                      t.r_g.x, t.r_g.tx, t.r_g.T);
    assert_int_equal(t.nfail, 0);
}

/* ---- the data and the points ---------------------------------------------------------- */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* weeks: x = 0; t_x = 0 with purchases; t_x = T; a day before T; large x; a young row */
static const row pnbd_rows[] = {
    {0, 0, 38.86},     {0, 0, 0.5},   {1, 1.71, 38.86}, {2, 0, 30},        {4, 20, 20},
    {30, 35.5, 38.86}, {400, 70, 77}, {3, 0.01, 77},    {6, 38.71, 38.86},
};
/* named points beyond the grid: beta at 1e15, r and s near 0 (1e-8), alpha and beta equal,
   within 1e-9 of each other either way, and far apart either way */
static const double pnbd_extra[][CV_MODEL_MAXP] = {
    {0.64, 5.53, 0.46, 1e15},      {0.64, 1e15, 0.46, 34.5},      {1e-8, 5.53, 0.46, 34.5},
    {0.64, 5.53, 1e-8, 34.5},      {1e-8, 5.53, 1e-8, 34.5},      {1e-8, 1e15, 1e-8, 1e15},
    {0.64, 5.53, 1e-8, 1e15},      {1e-8, 40, 0.46, 5.53},        {0.64, 10, 0.46, 10},
    {0.64, 10, 0.46, 10.00000001}, {0.64, 10.00000001, 0.46, 10}, {2.5, 1e-4, 3, 1e6},
    {2.5, 1e6, 3, 1e-4},           {0.64, 5.53, 0.46, 34.5},      {3e3, 20, 1e-8, 2e-9},
    {1e-8, 2e-9, 3e3, 4.8e8},      {0.3, 4.8e8, 1e-8, 1},         {1, 2, 1, 1},
};

/* BG/BB: (x, t_x, n), n = 6, a longer n = 40, and n = 300 */
static const row bgbb_rows[] = {
    {0, 0, 6},    {1, 1, 6},    {3, 5, 6},   {6, 6, 6},       {0, 0, 40},
    {10, 30, 40}, {40, 40, 40}, {1, 3, 300}, {120, 290, 300},
};
static const double bgbb_extra[][CV_MODEL_MAXP] = {
    {1e-8, 1.2, 0.7, 1e15},   {1.2, 1e15, 1e-8, 2.5},  {1e15, 1e15, 1e15, 1e15},
    {1e-8, 1e-8, 1e-8, 1e-8}, {1.2, 0.75, 0.66, 2.78},
};
/* sBG: churned after x renewals, or still active (x = T); a long T */
static const row sbg_rows[] = {
    {0, 0, 8}, {1, 0, 8}, {7, 0, 8}, {8, 0, 8}, {150, 0, 400}, {400, 0, 400},
};
static const double sbg_extra[][CV_MODEL_MAXP] = {
    {1e-8, 1e15}, {1e15, 1e-8}, {1e15, 1e15}, {1e-8, 1e-8}, {0.668, 3.806},
};

static void setup_once(void)
{
    mpfr_set_emin(mpfr_get_emin_min());
    mpfr_set_emax(mpfr_get_emax_max());
}

static void test_pnbd(void **state)
{
    const mcase mc = {"pareto_nbd", &cv_model_pareto_nbd, ref_pnbd, pnbd_rows, N(pnbd_rows)};
    (void)state;
    setup_once();
    run_case(&mc, pnbd_extra, N(pnbd_extra));
}

static void test_bgbb(void **state)
{
    const mcase mc = {"bgbb", &cv_model_bgbb, ref_bgbb, bgbb_rows, N(bgbb_rows)};
    (void)state;
    setup_once();
    run_case(&mc, bgbb_extra, N(bgbb_extra));
}

static void test_sbg(void **state)
{
    const mcase mc = {"sbg", &cv_model_sbg, ref_sbg, sbg_rows, N(sbg_rows)};
    (void)state;
    setup_once();
    run_case(&mc, sbg_extra, N(sbg_extra));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pnbd),
        cmocka_unit_test(test_bgbb),
        cmocka_unit_test(test_sbg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
