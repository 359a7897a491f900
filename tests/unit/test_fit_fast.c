/* The fits' fast log-likelihoods (issue 18) against a straightforward evaluation written here,
   customer by customer, in long double from the papers' formulas:
     Gamma-Gamma  Fader & Hardie (2013), eq. 3: log f = lgamma(px+q) - lgamma(px) - lgamma(q)
                  + q log gamma + (px-1) log m + px log x - (px+q) log(gamma + x m)
     BG/NBD       Fader, Hardie & Lee (2005), eq. 6: L = Gamma(r+x) alpha^r / Gamma(r)
                  [B(a, b+x)/B(a, b) (alpha+T)^-(r+x)
                   + [x > 0] B(a+1, b+x-1)/B(a, b) (alpha+t_x)^-(r+x)]
     Pareto/NBD   Fader & Hardie (2005), "A note on deriving the Pareto/NBD model":
                  L = Gamma(r+x) alpha^r beta^s / Gamma(r) [(alpha+T)^-(r+x) (beta+T)^-s
                      + s int_{t_x}^T (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau]
                  (the integral in log(alpha+tau) by 5-point Gauss-Legendre on 40 panels)
   The gradient of the reference by central differences (relative step 1e-5, in long double:
   truncation about 1e-10 of each row's derivative, rounding about 1e-14). Tolerances: the
   log-likelihood within 1e-12 of sum_i w_i |l_i|, each derivative within 1e-8 of
   sum_i w_i |g_i| (the rows' own terms: the sum itself may cancel). The rows mix the fast
   ones (whole weights 1 and 2, y = x m / gamma in [0.5, 1024]) with the others (weight 0.5,
   small and large y, x = 0 and weight-0 rows), sorted by x as the collapse leaves them and
   shuffled. The BG/NBD's and Pareto/NBD's rows: x = 0..12, ages and recencies in whole days,
   in weeks, weights 1, 2, 3, 20 and 0.5 (the Pareto/NBD's take its product of the rows'
   B'/e^w, whole weights up to 16, and the plain logs, the others). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/models.h"

enum { NR = 3000 };
static double X[NR], M[NR], W[NR], XS[NR], MS[NR], WS[NR];

static uint64_t lcg = 12345;
static double unif(void)
{
    lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
    return ((lcg >> 11) + 0.5) / 9007199254740992.0;
}

/* rows sorted by x = 0..12; m log-uniform over [e^-1, e^7) around the usual spends; every
   7th row weight 2, every 11th 0.5, one weight 0; then a shuffled copy */
static void make_rows(void)
{
    size_t i;
    for (i = 0; i < NR; i++) {
        X[i] = (double)(i * 13 / NR);
        M[i] = X[i] > 0.0 ? exp(-1.0 + 8.0 * unif()) : 0.0;
        W[i] = i % 7 == 3 ? 2.0 : i % 11 == 5 ? 0.5 : 1.0;
    }
    W[NR / 2] = 0.0;
    memcpy(XS, X, sizeof X), memcpy(MS, M, sizeof M), memcpy(WS, W, sizeof W);
    for (i = NR - 1; i > 0; i--) {
        size_t j = (size_t)(unif() * (double)(i + 1));
        double t;
        t = XS[i], XS[i] = XS[j], XS[j] = t;
        t = MS[i], MS[i] = MS[j], MS[j] = t;
        t = WS[i], WS[i] = WS[j], WS[j] = t;
    }
}

static long double gg_row(const double *p, double x, double m)
{
    long double P = p[0], q = p[1], g = p[2], A = P * x;
    return lgammal(A + q) - lgammal(A) - lgammal(q) + q * logl(g) + (A - 1) * logl(m) +
           A * logl(x) - (A + q) * logl(g + (long double)x * m);
}

/* the reference LL, gradient and the tolerances' scales sum w |l_i|, sum w |g_ik| */
static void gg_ref(const double *p, double *ll, double *g, double *sl, double *sg)
{
    long double s = 0, gs[3] = {0, 0, 0};
    size_t i;
    int k;
    *sl = 0, sg[0] = sg[1] = sg[2] = 0;
    for (i = 0; i < NR; i++) {
        long double l;
        if (!(X[i] > 0.0) || W[i] == 0.0)
            continue;
        l = gg_row(p, X[i], M[i]);
        s += W[i] * l, *sl += W[i] * fabsl(l);
        for (k = 0; k < 3; k++) {
            double pp[3], pm[3], h = 1e-5 * p[k];
            long double d;
            memcpy(pp, p, sizeof pp), memcpy(pm, p, sizeof pm);
            pp[k] += h, pm[k] -= h;
            d = (gg_row(pp, X[i], M[i]) - gg_row(pm, X[i], M[i])) / (pp[k] - pm[k]);
            gs[k] += W[i] * d, sg[k] += W[i] * fabsl(d);
        }
    }
    *ll = (double)s;
    for (k = 0; k < 3; k++)
        g[k] = (double)gs[k];
}

static void test_gamma_gamma_fast_vs_rows(void **state)
{
    static const double pts[][3] = {{5.83, 3.99, 52.0}, {6.25, 3.74, 15.44}, {1.0, 2.0, 100.0},
                                    {0.5, 10.0, 3.0},   {20.0, 1.5, 500.0},  {2.0, 0.7, 0.05}};
    cv_model_data d = {NR, X, NULL, NULL, M, W}, ds = {NR, XS, NULL, NULL, MS, WS};
    cv_error err;
    size_t k;
    (void)state;
    make_rows();
    for (k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double ll, g[3], lls, gs[3], rl, rg[3], sl, sg[3];
        int j;
        assert_int_equal(cv_model_loglik(&cv_model_gamma_gamma, pts[k], &d, &ll, g, &err), 0);
        assert_int_equal(cv_model_loglik(&cv_model_gamma_gamma, pts[k], &ds, &lls, gs, &err), 0);
        gg_ref(pts[k], &rl, rg, &sl, sg);
        if (!(fabs(ll - rl) <= 1e-12 * sl) || !(fabs(lls - rl) <= 1e-12 * sl))
            fail_msg("point %zu: LL %.17g, shuffled %.17g, reference %.17g", k, ll, lls, rl);
        for (j = 0; j < 3; j++)
            if (!(fabs(g[j] - rg[j]) <= 1e-8 * sg[j]) || !(fabs(gs[j] - rg[j]) <= 1e-8 * sg[j]))
                fail_msg("point %zu: d/dp%d %.17g, shuffled %.17g, reference %.17g", k, j, g[j],
                         gs[j], rg[j]);
    }
}

enum { NB = 4000 };
static double BX[NB], BTX[NB], BT[NB], BW[NB];

/* customers sorted by (x, t_x, T) as the collapse leaves them (the logs cache by runs) */
static void make_bg_rows(void)
{
    size_t i;
    for (i = 0; i < NB; i++) {
        double T = floor(1.0 + 700.0 * unif()), x = (double)(i * 13 / NB);
        BX[i] = x, BT[i] = T / 7.0;
        BTX[i] = x > 0.0 ? floor(1.0 + (T - 1.0) * unif()) / 7.0 : 0.0;
        BW[i] = i % 9 == 4 ? 2.0 : i % 13 == 6 ? 0.5 : i % 17 == 2 ? 20.0 : i % 5 == 1 ? 3.0 : 1.0;
    }
}

static long double lbetal(long double a, long double b)
{
    return lgammal(a) + lgammal(b) - lgammal(a + b);
}

static long double bg_row(const double *p, double x, double tx, double T)
{
    long double r = p[0], al = p[1], a = p[2], b = p[3], c, l1, l2;
    c = lgammal(r + x) - lgammal(r) + r * logl(al) - lbetal(a, b);
    l1 = lbetal(a, b + x) - (r + x) * logl(al + T);
    if (!(x > 0.0))
        return c + l1;
    l2 = lbetal(a + 1, b + x - 1) - (r + x) * logl(al + tx);
    return c + (l1 > l2 ? l1 + log1pl(expl(l2 - l1)) : l2 + log1pl(expl(l1 - l2)));
}

static void test_bgnbd_fast_vs_rows(void **state)
{
    static const double pts[][4] = {{0.453, 3.70, 0.621, 8.69},
                                    {0.243, 4.41, 0.793, 2.43},
                                    {1.0, 1.0, 1.0, 1.0},
                                    {2.5, 40.0, 0.1, 30.0},
                                    {0.05, 0.3, 3.0, 0.8}};
    cv_model_data d = {NB, BX, BTX, BT, NULL, BW};
    cv_error err;
    size_t k, i;
    (void)state;
    make_bg_rows();
    for (k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double ll, g[4], sl = 0, sg[4] = {0, 0, 0, 0};
        long double rl = 0, rg[4] = {0, 0, 0, 0};
        int j;
        assert_int_equal(cv_model_loglik(&cv_model_bgnbd, pts[k], &d, &ll, g, &err), 0);
        for (i = 0; i < NB; i++) {
            long double l = bg_row(pts[k], BX[i], BTX[i], BT[i]);
            rl += BW[i] * l, sl += BW[i] * fabsl(l);
            for (j = 0; j < 4; j++) {
                double pp[4], pm[4], h = 1e-5 * pts[k][j];
                long double dd;
                memcpy(pp, pts[k], sizeof pp), memcpy(pm, pts[k], sizeof pm);
                pp[j] += h, pm[j] -= h;
                dd = (bg_row(pp, BX[i], BTX[i], BT[i]) - bg_row(pm, BX[i], BTX[i], BT[i])) /
                     (pp[j] - pm[j]);
                rg[j] += BW[i] * dd, sg[j] += BW[i] * fabsl(dd);
            }
        }
        if (!(fabs(ll - (double)rl) <= 1e-12 * sl))
            fail_msg("point %zu: LL %.17g, reference %.17g", k, ll, (double)rl);
        for (j = 0; j < 4; j++)
            if (!(fabs(g[j] - (double)rg[j]) <= 1e-8 * sg[j]))
                fail_msg("point %zu: d/dp%d %.17g, reference %.17g", k, j, g[j], (double)rg[j]);
    }
}

enum { NP = 1500 };
static double PX[NP], PTX[NP], PT[NP], PW[NP];

static int prow_cmp(const void *va, const void *vb)
{
    const size_t a = *(const size_t *)va, b = *(const size_t *)vb;
    if (PX[a] != PX[b])
        return PX[a] < PX[b] ? -1 : 1;
    if (PTX[a] != PTX[b])
        return PTX[a] < PTX[b] ? -1 : 1;
    return PT[a] < PT[b] ? -1 : PT[a] > PT[b];
}

/* customers as make_bg_rows draws them, sorted by (x, t_x, T) */
static void make_pnbd_rows(void)
{
    static size_t ord[NP];
    double x[NP], tx[NP], T[NP], w[NP];
    size_t i;
    for (i = 0; i < NP; i++) {
        double d = floor(1.0 + 700.0 * unif());
        x[i] = (double)(i * 13 / NP), T[i] = d / 7.0, ord[i] = i;
        tx[i] = x[i] > 0.0 ? floor(1.0 + (d - 1.0) * unif()) / 7.0 : 0.0;
        w[i] = i % 9 == 4 ? 2.0 : i % 13 == 6 ? 0.5 : i % 17 == 2 ? 20.0 : i % 5 == 1 ? 3.0 : 1.0;
    }
    memcpy(PX, x, sizeof x), memcpy(PTX, tx, sizeof tx), memcpy(PT, T, sizeof T);
    qsort(ord, NP, sizeof ord[0], prow_cmp);
    for (i = 0; i < NP; i++)
        PX[i] = x[ord[i]], PTX[i] = tx[ord[i]], PT[i] = T[ord[i]], PW[i] = w[ord[i]];
}

static long double pnbd_row(const double *p, double x, double tx, double T)
{
    static const long double gx[5] = {
        -0.906179845938663992797626878299392965L, -0.538469310105683091036314420700208805L, 0.0L,
        0.538469310105683091036314420700208805L, 0.906179845938663992797626878299392965L};
    static const long double gw[5] = {
        0.236926885056189087514264040719917363L, 0.478628670499366468041291514835638192L,
        0.568888888888888888888888888888888889L, 0.478628670499366468041291514835638192L,
        0.236926885056189087514264040719917363L};
    long double r = p[0], al = p[1], s = p[2], be = p[3], u0 = logl(al + tx), u1 = logl(al + T);
    long double h = (u1 - u0) / 40, in = 0, first;
    int k, j;
    for (k = 0; k < 40; k++)
        for (j = 0; j < 5; j++) { /* tau = e^u - alpha, dtau = e^u du */
            long double u = u0 + h * (k + 0.5L + 0.5L * gx[j]), tau = expl(u) - al;
            in += 0.5L * h * gw[j] * expl(u - (r + x) * u - (s + 1) * logl(be + tau));
        }
    first = expl(-(r + x) * u1 - s * logl(be + T));
    return lgammal(r + x) - lgammal(r) + r * logl(al) + s * logl(be) + logl(first + s * in);
}

static void test_pareto_nbd_fast_vs_rows(void **state)
{
    static const double pts[][4] = {{0.64, 5.53, 0.459, 34.5},
                                    {0.55, 10.58, 0.61, 11.67},
                                    {1.5, 2.0, 1.2, 3.0},
                                    {0.3, 20.0, 2.0, 200.0}};
    cv_model_data d = {NP, PX, PTX, PT, NULL, PW};
    cv_error err;
    size_t k, i;
    (void)state;
    make_pnbd_rows();
    for (k = 0; k < sizeof pts / sizeof pts[0]; k++) {
        double ll, g[4], sl = 0, sg[4] = {0, 0, 0, 0};
        long double rl = 0, rg[4] = {0, 0, 0, 0};
        int j;
        assert_int_equal(cv_model_loglik(&cv_model_pareto_nbd, pts[k], &d, &ll, g, &err), 0);
        for (i = 0; i < NP; i++) {
            long double l = pnbd_row(pts[k], PX[i], PTX[i], PT[i]);
            rl += PW[i] * l, sl += PW[i] * fabsl(l);
            for (j = 0; j < 4; j++) {
                double pp[4], pm[4], h = 1e-5 * pts[k][j];
                long double dd;
                memcpy(pp, pts[k], sizeof pp), memcpy(pm, pts[k], sizeof pm);
                pp[j] += h, pm[j] -= h;
                dd = (pnbd_row(pp, PX[i], PTX[i], PT[i]) - pnbd_row(pm, PX[i], PTX[i], PT[i])) /
                     (pp[j] - pm[j]);
                rg[j] += PW[i] * dd, sg[j] += PW[i] * fabsl(dd);
            }
        }
        if (!(fabs(ll - (double)rl) <= 1e-12 * sl))
            fail_msg("point %zu: LL %.17g, reference %.17g", k, ll, (double)rl);
        for (j = 0; j < 4; j++)
            if (!(fabs(g[j] - (double)rg[j]) <= 1e-8 * sg[j]))
                fail_msg("point %zu: d/dp%d %.17g, reference %.17g", k, j, g[j], (double)rg[j]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gamma_gamma_fast_vs_rows),
        cmocka_unit_test(test_bgnbd_fast_vs_rows),
        cmocka_unit_test(test_pareto_nbd_fast_vs_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
