/* memcheck: skip (MPFR arithmetic at thousands of points: many minutes under memcheck, no
   memory paths the other tests miss) */
/* Precision of the models' log-likelihoods and gradients over the whole parameter box of the
   fit (log-parameters within +-20) and beyond (b, beta at 1e15; a, s at 1e-12), against a
   reference written here independently from the papers and evaluated with MPFR at 256 bits:
     BG/NBD   Fader, Hardie & Lee (2005), "Counting your customers the easy way", eq. 6
     MBG/NBD  Batislam, Denizel & Filiztekin (2007), the same with b -> b + 1 and the
              dropout term for x = 0 too
     Pareto/NBD  Fader & Hardie (2005), "A note on deriving the Pareto/NBD model", from the
              integral its 2F1 expressions come from:
                L = Gamma(r+x) alpha^r beta^s / Gamma(r) [(alpha+T)^-(r+x) (beta+T)^-s
                    + s int_{t_x}^T (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau]
              (the integral by Gauss-Legendre on panels that double in width from t_x)
     Gamma-Gamma  Fader & Hardie (2013), "The Gamma-Gamma model of monetary value", eq. 3
     BG/BB    Fader, Hardie & Shang (2010), eq. 5
     sBG      Fader & Hardie (2007), "How to project customer retention", eqs. 2 and 3.
   The reference gradient: central differences in the log-parameters at 256 bits (step 2^-60,
   so the truncation error is below 1e-36) for the closed forms; for the Pareto/NBD the
   derivatives of the integrand, integrated on the same nodes.
   Criterion (docs/models.md, "Precision"): with l_i the rows' log-likelihoods and g_ik their
   derivatives by log p_k, |LL - LL_ref| <= 1e-10 sum_i w_i |l_i| and, for every k,
   |G_k - G_ref_k| <= 1e-10 sum_i w_i |g_ik|: each row's value and derivative exact to 1e-10
   of its size (the sum over rows may cancel; no floating-point sum can do better than its
   terms). PRECISION_VERBOSE=1 prints the worst point of each model; PRECISION_ONLY=<model>
   runs one model; PRECISION_ROWS=1 prints a failing point row by row.
   Under `make valgrind` (VALGRIND=1 in the environment) every 16th grid point and the named
   points are checked: memcheck is about memory, and the full grid would take many minutes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <mpfr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/models.h"
#include "cvkit/special.h"

#define PREC 256
#define TOL 1e-10
#define MAXROWS 16

typedef struct {
    double x, tx, T, m, w;
} row;

/* ---- the reference -------------------------------------------------------------------- */

/* out = log(e^u + e^v) (u or v may be -inf) */
static void m_lse(mpfr_t out, const mpfr_t u, const mpfr_t v)
{
    mpfr_t d;
    mpfr_init2(d, PREC);
    if (mpfr_inf_p(v) && mpfr_sgn(v) < 0) {
        mpfr_set(out, u, MPFR_RNDN);
    } else if (mpfr_inf_p(u) && mpfr_sgn(u) < 0) {
        mpfr_set(out, v, MPFR_RNDN);
    } else {
        mpfr_sub(d, u, v, MPFR_RNDN);
        mpfr_abs(d, d, MPFR_RNDN);
        mpfr_neg(d, d, MPFR_RNDN);
        mpfr_exp(d, d, MPFR_RNDN);
        mpfr_log1p(d, d, MPFR_RNDN);
        mpfr_max(out, u, v, MPFR_RNDN);
        mpfr_add(out, out, d, MPFR_RNDN);
    }
    mpfr_clear(d);
}

/* out = v + d (d a double) */
static void m_addd(mpfr_t out, const mpfr_t v, double d)
{
    mpfr_add_d(out, v, d, MPFR_RNDN);
}

/* out *= (y + c)(y + c + 1)...(y + c + n - 1) = Gamma(y+c+n)/Gamma(y+c): the beta and gamma
   function ratios of the count models, with whole-number shifts, as exact products */
static void m_rise(mpfr_t out, const mpfr_t y, double c, double n)
{
    mpfr_t t;
    double j;
    mpfr_init2(t, PREC);
    for (j = 0; j < n; j++) {
        m_addd(t, y, c + j);
        mpfr_mul(out, out, t, MPFR_RNDN);
    }
    mpfr_clear(t);
}

/* out /= (y + c) ... (y + c + n - 1) */
static void m_fall(mpfr_t out, const mpfr_t y, double c, double n)
{
    mpfr_t t;
    double j;
    mpfr_init2(t, PREC);
    for (j = 0; j < n; j++) {
        m_addd(t, y, c + j);
        mpfr_div(out, out, t, MPFR_RNDN);
    }
    mpfr_clear(t);
}

/* log L of one row of the BG/NBD (mbg = 0) or MBG/NBD (mbg = 1):
     L = Gamma(r+x) alpha^r / Gamma(r) [B(a, b+x)/B(a,b) (alpha+T)^-(r+x)
         + [x > 0] B(a+1, b+x-1)/B(a,b) (alpha+t_x)^-(r+x)]
   MBG: B(a, b+x+1) and B(a+1, b+x), the second term for every x. With k = x + mbg,
   B(a, b+k)/B(a,b) = prod_{j<k} (b+j)/(a+b+j) and
   B(a+1, b+k-1)/B(a,b) = a prod_{j<k-1} (b+j) / prod_{j<k} (a+b+j). */
static void ref_bgnbd_any(int mbg, mpfr_t *p, const row *c, mpfr_t out)
{
    const double k = c->x + mbg;
    mpfr_t lead, t, u, v, y, ab;
    mpfr_inits2(PREC, lead, t, u, v, y, ab, (mpfr_ptr)0);
    m_addd(t, p[0], c->x); /* r + x */
    mpfr_set_ui(lead, 1, MPFR_RNDN);
    m_rise(lead, p[0], 0, c->x);
    mpfr_log(lead, lead, MPFR_RNDN);
    mpfr_log(u, p[1], MPFR_RNDN);
    mpfr_mul(u, u, p[0], MPFR_RNDN);
    mpfr_add(lead, lead, u, MPFR_RNDN); /* log Gamma(r+x) alpha^r / Gamma(r) */
    mpfr_add(ab, p[2], p[3], MPFR_RNDN);
    mpfr_set_ui(u, 1, MPFR_RNDN); /* first term */
    m_rise(u, p[3], 0, k);
    m_fall(u, ab, 0, k);
    mpfr_log(u, u, MPFR_RNDN);
    m_addd(y, p[1], c->T);
    mpfr_log(y, y, MPFR_RNDN);
    mpfr_mul(y, y, t, MPFR_RNDN);
    mpfr_sub(u, u, y, MPFR_RNDN);
    mpfr_set_inf(v, -1);
    if (k > 0) {
        mpfr_set(v, p[2], MPFR_RNDN);
        m_rise(v, p[3], 0, k - 1);
        m_fall(v, ab, 0, k);
        mpfr_log(v, v, MPFR_RNDN);
        m_addd(y, p[1], c->tx);
        mpfr_log(y, y, MPFR_RNDN);
        mpfr_mul(y, y, t, MPFR_RNDN);
        mpfr_sub(v, v, y, MPFR_RNDN);
    }
    m_lse(out, u, v);
    mpfr_add(out, out, lead, MPFR_RNDN);
    mpfr_clears(lead, t, u, v, y, ab, (mpfr_ptr)0);
}

static void ref_bgnbd(mpfr_t *p, const row *c, mpfr_t out)
{
    ref_bgnbd_any(0, p, c, out);
}

static void ref_mbgnbd(mpfr_t *p, const row *c, mpfr_t out)
{
    ref_bgnbd_any(1, p, c, out);
}

/* Gamma-Gamma: log of Gamma(px+q)/(Gamma(px) Gamma(q)) gamma^q x^(px) m^(px-1)
   / (gamma + x m)^(px+q); rows with x = 0 have likelihood 1 */
static void ref_gg(mpfr_t *p, const row *c, mpfr_t out)
{
    mpfr_t A, t, u;
    if (!(c->x > 0)) {
        mpfr_set_zero(out, 1);
        return;
    }
    mpfr_inits2(PREC, A, t, u, (mpfr_ptr)0);
    mpfr_mul_d(A, p[0], c->x, MPFR_RNDN);
    mpfr_add(t, A, p[1], MPFR_RNDN);
    mpfr_lngamma(out, t, MPFR_RNDN);
    mpfr_lngamma(u, A, MPFR_RNDN);
    mpfr_sub(out, out, u, MPFR_RNDN);
    mpfr_lngamma(u, p[1], MPFR_RNDN);
    mpfr_sub(out, out, u, MPFR_RNDN);
    mpfr_log(u, p[2], MPFR_RNDN);
    mpfr_mul(u, u, p[1], MPFR_RNDN);
    mpfr_add(out, out, u, MPFR_RNDN);
    mpfr_set_d(u, c->x, MPFR_RNDN);
    mpfr_log(u, u, MPFR_RNDN);
    mpfr_mul(u, u, A, MPFR_RNDN);
    mpfr_add(out, out, u, MPFR_RNDN);
    mpfr_set_d(u, c->m, MPFR_RNDN);
    mpfr_log(u, u, MPFR_RNDN);
    mpfr_sub_ui(A, A, 1, MPFR_RNDN);
    mpfr_mul(u, u, A, MPFR_RNDN);
    mpfr_add(out, out, u, MPFR_RNDN);
    mpfr_set_d(u, c->x, MPFR_RNDN);
    mpfr_mul_d(u, u, c->m, MPFR_RNDN);
    mpfr_add(u, u, p[2], MPFR_RNDN);
    mpfr_log(u, u, MPFR_RNDN);
    mpfr_mul(u, u, t, MPFR_RNDN);
    mpfr_sub(out, out, u, MPFR_RNDN);
    mpfr_clears(A, t, u, (mpfr_ptr)0);
}

/* BG/BB: L = B(al+x, be+n-x)/B(al,be) B(ga, de+n)/B(ga,de)
            + sum_{i=0}^{n-t_x-1} B(al+x, be+t_x-x+i)/B(al,be) B(ga+1, de+t_x+i)/B(ga,de),
   each ratio of beta functions a product (whole-number shifts), the sum in full */
static void ref_bgbb(mpfr_t *p, const row *c, mpfr_t out)
{
    const double x = c->x, tx = c->tx, n = c->T;
    mpfr_t ab, gd, v, sum;
    double i;
    mpfr_inits2(PREC, ab, gd, v, sum, (mpfr_ptr)0);
    mpfr_add(ab, p[0], p[1], MPFR_RNDN);
    mpfr_add(gd, p[2], p[3], MPFR_RNDN);
    mpfr_set_ui(sum, 1, MPFR_RNDN);
    m_rise(sum, p[0], 0, x);
    m_rise(sum, p[1], 0, n - x);
    m_fall(sum, ab, 0, n);
    m_rise(sum, p[3], 0, n);
    m_fall(sum, gd, 0, n);
    for (i = 0; i < n - tx; i++) {
        mpfr_set(v, p[2], MPFR_RNDN); /* B(ga+1, de+t)/B(ga,de) = ga (de)_t / (ga+de)_(t+1) */
        m_rise(v, p[0], 0, x);
        m_rise(v, p[1], 0, tx - x + i);
        m_fall(v, ab, 0, tx + i);
        m_rise(v, p[3], 0, tx + i);
        m_fall(v, gd, 0, tx + i + 1);
        mpfr_add(sum, sum, v, MPFR_RNDN);
    }
    mpfr_log(out, sum, MPFR_RNDN);
    mpfr_clears(ab, gd, v, sum, (mpfr_ptr)0);
}

/* sBG: churned in period t = x + 1 (x < T): B(al+1, be+t-1)/B(al,be)
   = al (be)_x / (al+be)_(x+1); still active after T periods (x = T): B(al, be+T)/B(al,be)
   = (be)_T / (al+be)_T */
static void ref_sbg(mpfr_t *p, const row *c, mpfr_t out)
{
    mpfr_t ab;
    mpfr_init2(ab, PREC);
    mpfr_add(ab, p[0], p[1], MPFR_RNDN);
    if (c->x < c->T) {
        mpfr_set(out, p[0], MPFR_RNDN);
        m_rise(out, p[1], 0, c->x);
        m_fall(out, ab, 0, c->x + 1);
    } else {
        mpfr_set_ui(out, 1, MPFR_RNDN);
        m_rise(out, p[1], 0, c->T);
        m_fall(out, ab, 0, c->T);
    }
    mpfr_log(out, out, MPFR_RNDN);
    mpfr_clear(ab);
}

/* Gauss-Legendre nodes and weights on [-1, 1], by Newton's method at PREC bits */
#define GLN 24
static mpfr_t glx[GLN], glw[GLN];

static void gl_init(void)
{
    mpfr_t x, p0, p1, p2, dp, t;
    int i, k, it;
    mpfr_inits2(PREC, x, p0, p1, p2, dp, t, (mpfr_ptr)0);
    for (i = 0; i < GLN; i++) {
        mpfr_inits2(PREC, glx[i], glw[i], (mpfr_ptr)0);
        mpfr_set_d(x, cos(M_PI * (i + 0.75) / (GLN + 0.5)), MPFR_RNDN);
        for (it = 0; it < 8; it++) {
            mpfr_set_ui(p0, 1, MPFR_RNDN);
            mpfr_set(p1, x, MPFR_RNDN);
            for (k = 2; k <= GLN; k++) { /* k P_k = (2k-1) x P_{k-1} - (k-1) P_{k-2} */
                mpfr_mul(p2, x, p1, MPFR_RNDN);
                mpfr_mul_ui(p2, p2, 2 * k - 1, MPFR_RNDN);
                mpfr_mul_ui(t, p0, k - 1, MPFR_RNDN);
                mpfr_sub(p2, p2, t, MPFR_RNDN);
                mpfr_div_ui(p2, p2, k, MPFR_RNDN);
                mpfr_set(p0, p1, MPFR_RNDN);
                mpfr_set(p1, p2, MPFR_RNDN);
            }
            /* P_n' = n (x P_n - P_{n-1}) / (x^2 - 1) */
            mpfr_mul(dp, x, p1, MPFR_RNDN);
            mpfr_sub(dp, dp, p0, MPFR_RNDN);
            mpfr_mul_ui(dp, dp, GLN, MPFR_RNDN);
            mpfr_sqr(t, x, MPFR_RNDN);
            mpfr_sub_ui(t, t, 1, MPFR_RNDN);
            mpfr_div(dp, dp, t, MPFR_RNDN);
            mpfr_div(t, p1, dp, MPFR_RNDN);
            mpfr_sub(x, x, t, MPFR_RNDN);
        }
        mpfr_set(glx[i], x, MPFR_RNDN);
        /* w = 2 / ((1 - x^2) P_n'(x)^2) */
        mpfr_sqr(t, x, MPFR_RNDN);
        mpfr_ui_sub(t, 1, t, MPFR_RNDN);
        mpfr_sqr(dp, dp, MPFR_RNDN);
        mpfr_mul(t, t, dp, MPFR_RNDN);
        mpfr_ui_div(glw[i], 2, t, MPFR_RNDN);
    }
    mpfr_clears(x, p0, p1, p2, dp, t, (mpfr_ptr)0);
}

/* Pareto/NBD, one row: log L (out) and its derivatives by log r, log alpha, log s,
   log beta (g). J = int_{t_x}^T f(tau)/f(t_x) dtau with f = (alpha+tau)^-P (beta+tau)^-Q,
   P = r+x, Q = s+1, and the integrals of f/f(t_x) times d log f / d(r, alpha, s, beta).
   f is log-convex and decreasing: panels from t_x of width w0, 2 w0, 4 w0, ... with w0 =
   min(1/|d log f/dtau at t_x|, min(alpha, beta) + t_x), so that each panel is no wider than
   its distance to the poles -alpha, -beta (Gauss-Legendre converges geometrically there) and
   the decay within panel k is at most e^-(2^k); stops when f(A) (T - A) is below 2^-140 of
   the sum. */
static void ref_pnbd_grad(mpfr_t *p, const row *c, mpfr_t out, mpfr_t *g)
{
    mpfr_t P, Q, la0, lb0, A, B, mid, hw, tau, la, lb, f, wf, t, J[5], u, v, lead;
    double w0, kap;
    int k, i, done = 0;
    mpfr_inits2(PREC, P, Q, la0, lb0, A, B, mid, hw, tau, la, lb, f, wf, t, u, v, lead,
                (mpfr_ptr)0);
    for (k = 0; k < 5; k++)
        mpfr_init2(J[k], PREC), mpfr_set_zero(J[k], 1);
    m_addd(P, p[0], c->x);
    mpfr_add_ui(Q, p[2], 1, MPFR_RNDN);
    m_addd(la0, p[1], c->tx);
    mpfr_log(la0, la0, MPFR_RNDN);
    m_addd(lb0, p[3], c->tx);
    mpfr_log(lb0, lb0, MPFR_RNDN);
    kap = mpfr_get_d(P, MPFR_RNDN) / (mpfr_get_d(p[1], MPFR_RNDN) + c->tx) +
          mpfr_get_d(Q, MPFR_RNDN) / (mpfr_get_d(p[3], MPFR_RNDN) + c->tx);
    w0 = fmin(1.0 / kap, fmin(mpfr_get_d(p[1], MPFR_RNDN), mpfr_get_d(p[3], MPFR_RNDN)) + c->tx);
    mpfr_set_d(A, c->tx, MPFR_RNDN);
    while (!done && c->tx < c->T) {
        mpfr_add_d(B, A, w0, MPFR_RNDN);
        if (mpfr_cmp_d(B, c->T) >= 0)
            mpfr_set_d(B, c->T, MPFR_RNDN), done = 1;
        mpfr_add(mid, A, B, MPFR_RNDN);
        mpfr_div_2ui(mid, mid, 1, MPFR_RNDN);
        mpfr_sub(hw, B, A, MPFR_RNDN);
        mpfr_div_2ui(hw, hw, 1, MPFR_RNDN);
        for (i = 0; i < GLN; i++) {
            mpfr_mul(tau, hw, glx[i], MPFR_RNDN);
            mpfr_add(tau, mid, tau, MPFR_RNDN);
            mpfr_add(la, p[1], tau, MPFR_RNDN); /* alpha + tau */
            mpfr_add(lb, p[3], tau, MPFR_RNDN);
            mpfr_log(u, la, MPFR_RNDN);
            mpfr_log(v, lb, MPFR_RNDN);
            mpfr_sub(f, u, la0, MPFR_RNDN);
            mpfr_mul(f, f, P, MPFR_RNDN);
            mpfr_sub(t, v, lb0, MPFR_RNDN);
            mpfr_mul(t, t, Q, MPFR_RNDN);
            mpfr_add(f, f, t, MPFR_RNDN);
            mpfr_neg(f, f, MPFR_RNDN);
            mpfr_exp(f, f, MPFR_RNDN);
            mpfr_mul(wf, f, glw[i], MPFR_RNDN);
            mpfr_mul(wf, wf, hw, MPFR_RNDN);
            mpfr_add(J[0], J[0], wf, MPFR_RNDN);
            mpfr_mul(t, wf, u, MPFR_RNDN); /* d/dr: -log(alpha+tau) */
            mpfr_sub(J[1], J[1], t, MPFR_RNDN);
            mpfr_div(t, wf, la, MPFR_RNDN); /* d/dalpha: -P/(alpha+tau) */
            mpfr_mul(t, t, P, MPFR_RNDN);
            mpfr_sub(J[2], J[2], t, MPFR_RNDN);
            mpfr_mul(t, wf, v, MPFR_RNDN); /* d/ds: -log(beta+tau) */
            mpfr_sub(J[3], J[3], t, MPFR_RNDN);
            mpfr_div(t, wf, lb, MPFR_RNDN); /* d/dbeta: -Q/(beta+tau) */
            mpfr_mul(t, t, Q, MPFR_RNDN);
            mpfr_sub(J[4], J[4], t, MPFR_RNDN);
        }
        mpfr_set(A, B, MPFR_RNDN);
        w0 *= 2.0;
        if (!done) { /* tail bound f(A) (T - A) */
            mpfr_add(la, p[1], A, MPFR_RNDN);
            mpfr_log(u, la, MPFR_RNDN);
            mpfr_sub(u, u, la0, MPFR_RNDN);
            mpfr_mul(u, u, P, MPFR_RNDN);
            mpfr_add(lb, p[3], A, MPFR_RNDN);
            mpfr_log(v, lb, MPFR_RNDN);
            mpfr_sub(v, v, lb0, MPFR_RNDN);
            mpfr_mul(v, v, Q, MPFR_RNDN);
            mpfr_add(u, u, v, MPFR_RNDN);
            mpfr_neg(u, u, MPFR_RNDN);
            mpfr_exp(u, u, MPFR_RNDN);
            mpfr_d_sub(t, c->T, A, MPFR_RNDN);
            mpfr_mul(u, u, t, MPFR_RNDN);
            mpfr_mul_2si(t, J[0], -140, MPFR_RNDN);
            if (mpfr_cmp(u, t) < 0)
                done = 1;
        }
    }
    /* lead = log Gamma(r+x) - log Gamma(r) + r log alpha + s log beta */
    mpfr_set_ui(lead, 1, MPFR_RNDN);
    m_rise(lead, p[0], 0, c->x);
    mpfr_log(lead, lead, MPFR_RNDN);
    mpfr_log(t, p[1], MPFR_RNDN);
    mpfr_mul(t, t, p[0], MPFR_RNDN);
    mpfr_add(lead, lead, t, MPFR_RNDN);
    mpfr_log(t, p[3], MPFR_RNDN);
    mpfr_mul(t, t, p[2], MPFR_RNDN);
    mpfr_add(lead, lead, t, MPFR_RNDN);
    /* u = log of the first term: -(r+x) log(alpha+T) - s log(beta+T) */
    m_addd(la, p[1], c->T);
    mpfr_log(la, la, MPFR_RNDN);
    m_addd(lb, p[3], c->T);
    mpfr_log(lb, lb, MPFR_RNDN);
    mpfr_mul(u, la, P, MPFR_RNDN);
    mpfr_mul(t, lb, p[2], MPFR_RNDN);
    mpfr_add(u, u, t, MPFR_RNDN);
    mpfr_neg(u, u, MPFR_RNDN);
    /* v = log s + log f(t_x) + log J */
    if (mpfr_zero_p(J[0])) {
        mpfr_set_inf(v, -1);
    } else {
        mpfr_log(v, p[2], MPFR_RNDN);
        mpfr_mul(t, la0, P, MPFR_RNDN);
        mpfr_sub(v, v, t, MPFR_RNDN);
        mpfr_mul(t, lb0, Q, MPFR_RNDN);
        mpfr_sub(v, v, t, MPFR_RNDN);
        mpfr_log(t, J[0], MPFR_RNDN);
        mpfr_add(v, v, t, MPFR_RNDN);
    }
    m_lse(out, u, v);
    if (g) {
        /* shares of the two terms: wu = e^(u - out), wv = e^(v - out) */
        mpfr_t wu, wv, d;
        mpfr_inits2(PREC, wu, wv, d, (mpfr_ptr)0);
        mpfr_sub(wu, u, out, MPFR_RNDN);
        mpfr_exp(wu, wu, MPFR_RNDN);
        mpfr_sub(wv, v, out, MPFR_RNDN);
        mpfr_exp(wv, wv, MPFR_RNDN);
        for (k = 0; k < 4; k++) {
            /* d lead */
            switch (k) {
            case 0: /* psi(r+x) - psi(r) = sum_{j<x} 1/(r+j); + log alpha */
                mpfr_set_zero(d, 1);
                for (i = 0; i < c->x; i++) {
                    m_addd(t, p[0], i);
                    mpfr_ui_div(t, 1, t, MPFR_RNDN);
                    mpfr_add(d, d, t, MPFR_RNDN);
                }
                mpfr_log(t, p[1], MPFR_RNDN);
                mpfr_add(d, d, t, MPFR_RNDN);
                mpfr_mul(t, wu, la, MPFR_RNDN); /* first term: -log(alpha+T) */
                mpfr_sub(d, d, t, MPFR_RNDN);
                break;
            case 1: /* r/alpha - (r+x)/(alpha+T) wu */
                mpfr_div(d, p[0], p[1], MPFR_RNDN);
                m_addd(t, p[1], c->T);
                mpfr_div(t, P, t, MPFR_RNDN);
                mpfr_mul(t, t, wu, MPFR_RNDN);
                mpfr_sub(d, d, t, MPFR_RNDN);
                break;
            case 2: /* log beta - log(beta+T) wu + wv / s */
                mpfr_log(d, p[3], MPFR_RNDN);
                mpfr_mul(t, wu, lb, MPFR_RNDN);
                mpfr_sub(d, d, t, MPFR_RNDN);
                mpfr_div(t, wv, p[2], MPFR_RNDN);
                mpfr_add(d, d, t, MPFR_RNDN);
                break;
            default: /* s/beta - s/(beta+T) wu */
                mpfr_div(d, p[2], p[3], MPFR_RNDN);
                m_addd(t, p[3], c->T);
                mpfr_div(t, p[2], t, MPFR_RNDN);
                mpfr_mul(t, t, wu, MPFR_RNDN);
                mpfr_sub(d, d, t, MPFR_RNDN);
                break;
            }
            if (!mpfr_zero_p(J[0])) { /* the integral's log-derivative, shared wv */
                mpfr_div(t, J[k + 1], J[0], MPFR_RNDN);
                mpfr_mul(t, t, wv, MPFR_RNDN);
                mpfr_add(d, d, t, MPFR_RNDN);
            }
            mpfr_mul(g[k], d, p[k], MPFR_RNDN); /* by log p_k */
        }
        mpfr_clears(wu, wv, d, (mpfr_ptr)0);
    }
    mpfr_add(out, out, lead, MPFR_RNDN);
    for (k = 0; k < 5; k++)
        mpfr_clear(J[k]);
    mpfr_clears(P, Q, la0, lb0, A, B, mid, hw, tau, la, lb, f, wf, t, u, v, lead, (mpfr_ptr)0);
}

typedef void (*ref_fn)(mpfr_t *p, const row *c, mpfr_t out);

/* One row's reference log-likelihood and gradient by log-parameters (central differences
   with step 2^-60 for the closed forms). */
static void ref_row(const cv_model *m, ref_fn f, const double *pd, const row *c, double *ll,
                    double *g)
{
    mpfr_t p[CV_MODEL_MAXP], out, gg[CV_MODEL_MAXP], lp, lm, h;
    int k, np = m->nparams;
    mpfr_inits2(PREC, out, lp, lm, h, (mpfr_ptr)0);
    for (k = 0; k < np; k++) {
        mpfr_init2(p[k], PREC), mpfr_init2(gg[k], PREC);
        mpfr_set_d(p[k], pd[k], MPFR_RNDN);
    }
    if (!f) {
        ref_pnbd_grad(p, c, out, gg);
    } else {
        f(p, c, out);
        for (k = 0; k < np; k++) {
            mpfr_t keep;
            mpfr_init2(keep, PREC);
            mpfr_set(keep, p[k], MPFR_RNDN);
            mpfr_set_ui_2exp(h, 1, 0, MPFR_RNDN);
            mpfr_div_2ui(h, h, 60, MPFR_RNDN);
            mpfr_exp(h, h, MPFR_RNDN);
            mpfr_mul(p[k], keep, h, MPFR_RNDN);
            f(p, c, lp);
            mpfr_div(p[k], keep, h, MPFR_RNDN);
            f(p, c, lm);
            mpfr_set(p[k], keep, MPFR_RNDN);
            mpfr_sub(gg[k], lp, lm, MPFR_RNDN);
            mpfr_mul_2ui(gg[k], gg[k], 59, MPFR_RNDN); /* / (2 * 2^-60) */
            mpfr_clear(keep);
        }
    }
    *ll = mpfr_get_d(out, MPFR_RNDN);
    for (k = 0; k < np; k++) {
        g[k] = mpfr_get_d(gg[k], MPFR_RNDN);
        mpfr_clear(p[k]), mpfr_clear(gg[k]);
    }
    mpfr_clears(out, lp, lm, h, (mpfr_ptr)0);
}

/* ---- the comparison ------------------------------------------------------------------- */

typedef struct {
    const char *name;
    const cv_model *model;
    ref_fn ref; /* NULL: Pareto/NBD */
    const row *rows;
    size_t n;
} mcase;

typedef struct {
    double worst_ll, worst_g; /* error / allowed, the largest seen */
    double p_ll[CV_MODEL_MAXP], p_g[CV_MODEL_MAXP];
    int k_g, npoints, nfail;
} tally;

static int verbose(void)
{
    const char *v = getenv("PRECISION_VERBOSE");
    return v && *v == '1';
}

/* Compares the model's LL and gradient at p with the reference; returns 0 if within the
   criterion, else 1 (and says why). */
static int check_point(const mcase *mc, const double *p, tally *t)
{
    const cv_model *m = mc->model;
    double x[MAXROWS], tx[MAXROWS], T[MAXROWS], mm[MAXROWS], w[MAXROWS];
    double ll, g[CV_MODEL_MAXP], rll = 0, sll = 0, rg[CV_MODEL_MAXP] = {0};
    double sg[CV_MODEL_MAXP] = {0}, gl[CV_MODEL_MAXP], err;
    cv_model_data d;
    size_t i;
    int k, np = m->nparams, bad = 0;
    for (i = 0; i < mc->n; i++) {
        double li;
        x[i] = mc->rows[i].x, tx[i] = mc->rows[i].tx, T[i] = mc->rows[i].T;
        mm[i] = mc->rows[i].m, w[i] = mc->rows[i].w;
        ref_row(m, mc->ref, p, &mc->rows[i], &li, gl);
        rll += w[i] * li, sll += w[i] * fabs(li);
        for (k = 0; k < np; k++)
            rg[k] += w[i] * gl[k], sg[k] += w[i] * fabs(gl[k]);
    }
    d.n = mc->n, d.x = x, d.t_x = tx, d.T = T, d.m = mm, d.w = w;
    t->npoints++;
    if (m->loglik(p, &d, &ll, g) != 0) {
        print_message("%s at (%g, %g, %g, %g): log-likelihood not computed (reference %.17g)\n",
                      mc->name, p[0], p[1], np > 2 ? p[2] : 0, np > 3 ? p[3] : 0, rll);
        t->nfail++;
        return 1;
    }
    err = fabs(ll - rll) / (TOL * sll);
    if (!(err <= t->worst_ll)) {
        t->worst_ll = err;
        memcpy(t->p_ll, p, sizeof(double) * (size_t)np);
    }
    if (!(err <= 1.0)) {
        print_message("%s at (%.17g, %.17g, %.17g, %.17g): LL %.17g, reference %.17g\n", mc->name,
                      p[0], p[1], np > 2 ? p[2] : 0, np > 3 ? p[3] : 0, ll, rll);
        bad = 1;
    }
    for (k = 0; k < np; k++) {
        double gk = g[k] * p[k]; /* by log p_k */
        err = fabs(gk - rg[k]) / (TOL * sg[k]);
        if (sg[k] == 0.0)
            err = gk == 0.0 ? 0.0 : INFINITY;
        if (!(err <= t->worst_g)) {
            t->worst_g = err, t->k_g = k;
            memcpy(t->p_g, p, sizeof(double) * (size_t)np);
        }
        if (!(err <= 1.0)) {
            print_message("%s at (%.17g, %.17g, %.17g, %.17g): dLL/dlog %s %.17g, reference "
                          "%.17g (row scale %.3g)\n",
                          mc->name, p[0], p[1], np > 2 ? p[2] : 0, np > 3 ? p[3] : 0,
                          m->param_names[k], gk, rg[k], sg[k]);
            bad = 1;
        }
    }
    if (bad && getenv("PRECISION_ROWS")) { /* debugging: row by row */
        for (i = 0; i < mc->n; i++) {
            double li, lr, gi[CV_MODEL_MAXP];
            cv_model_data d1 = {1, &x[i], &tx[i], &T[i], &mm[i], NULL};
            m->loglik(p, &d1, &li, gi);
            ref_row(m, mc->ref, p, &mc->rows[i], &lr, gl);
            print_message("  row %zu: LL %.17g ref %.17g;", i, li, lr);
            for (k = 0; k < np; k++)
                print_message(" g%d %.12g ref %.12g", k, gi[k] * p[k], gl[k]);
            print_message("\n");
        }
    }
    t->nfail += bad;
    return bad;
}

static const double grid[7] = {-20, -10, -3, 0, 3, 10, 20};

/* Every grid combination for up to 3 parameters; for 4, every combination whose
   log-parameters are all in {-20, 0, 20} plus 200 more drawn with a fixed LCG; then the named
   points (extra, n_extra of them). */
static void run_case(const mcase *mc, const double (*extra)[CV_MODEL_MAXP], size_t n_extra)
{
    tally t;
    int np = mc->model->nparams, k;
    size_t i, total = 1;
    uint64_t s = 0x2545F4914F6CDD1DULL;
    double p[CV_MODEL_MAXP];
    const char *only = getenv("PRECISION_ONLY"), *vg = getenv("VALGRIND");
    const size_t stride = vg && strcmp(vg, "1") == 0 ? 16 : 1;
    if (only && *only && strcmp(only, mc->name) != 0)
        return;
    memset(&t, 0, sizeof t);
    for (k = 0; k < np; k++)
        total *= 7;
    if (np <= 3) {
        for (i = 0; i < total; i++) {
            size_t j = i;
            for (k = 0; k < np; k++, j /= 7)
                p[k] = exp(grid[j % 7]);
            if (i % stride == 0)
                check_point(mc, p, &t);
        }
    } else {
        for (i = 0; i < 81; i++) { /* {-20, 0, 20}^4 */
            size_t j = i;
            for (k = 0; k < np; k++, j /= 3)
                p[k] = exp(grid[3 * (j % 3)]);
            if (i % stride == 0)
                check_point(mc, p, &t);
        }
        for (i = 0; i < 200; i++) {
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
    if (verbose())
        print_message("%-11s %4d points, %d outside; worst LL error %.3g of the tolerance at "
                      "(%g, %g, %g, %g); worst gradient %.3g (d/dlog %s) at (%g, %g, %g, %g)\n",
                      mc->name, t.npoints, t.nfail, t.worst_ll, t.p_ll[0], t.p_ll[1], t.p_ll[2],
                      t.p_ll[3], t.worst_g, mc->model->param_names[t.k_g], t.p_g[0], t.p_g[1],
                      t.p_g[2], t.p_g[3]);
    assert_int_equal(t.nfail, 0);
}

/* ---- the data: a few customers each --------------------------------------------------- */

/* continuous time (weeks): x = 0; x = 1 soon after the first purchase; t_x = T; many
   purchases; a long-lived customer with x = 150 */
static const row rft_rows[] = {
    {0, 0, 38.86, 0, 3}, {0, 0, 0.5, 0, 1},       {1, 1.71, 38.86, 0, 2}, {2, 30.43, 38.86, 0, 1},
    {5, 20, 20, 0, 1},   {30, 35.5, 38.86, 0, 1}, {150, 70, 77, 0, 1},    {3, 0.01, 77, 0, 1},
};
/* spend: one, a few and many repeat transactions; x = 0 (likelihood 1) */
static const row gg_rows[] = {
    {1, 0, 0, 11.77, 2}, {2, 0, 0, 22.35, 1}, {5, 0, 0, 3.2, 1},
    {30, 0, 0, 150, 1},  {150, 0, 0, 0.5, 1}, {0, 0, 0, 0, 4},
};
/* BG/BB: (x, t_x, n) with n = 6 and a longer n = 40 */
static const row bgbb_rows[] = {
    {0, 0, 6, 0, 3}, {1, 1, 6, 0, 1},    {3, 5, 6, 0, 2},  {6, 6, 6, 0, 1},
    {2, 2, 6, 0, 1}, {10, 30, 40, 0, 1}, {0, 0, 40, 0, 1},
};
/* sBG: churned after x renewals (x < T), or still active (x = T) */
static const row sbg_rows[] = {
    {0, 0, 8, 0, 369}, {1, 0, 8, 0, 163},   {3, 0, 8, 0, 56},    {7, 0, 8, 0, 10},
    {8, 0, 8, 0, 241}, {150, 0, 200, 0, 1}, {200, 0, 200, 0, 1},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* named points beyond the grid: b and beta at 1e15, a and s at 1e-12 */
static const double rft_extra[][CV_MODEL_MAXP] = {
    {0.25, 4.8, 0.72, 1e15}, {0.25, 4.8, 0.72, 1e13},  {0.25, 4.8, 0.72, 1e10},
    {0.25, 4.8, 1e-12, 2.2}, {0.25, 4.8, 1e-12, 1e15}, {0.25, 4.8, 2e-9, 4.85e8},
    {0.6, 11.6, 0.52, 1e15}, {0.6, 11.6, 1e-12, 8.8},  {0.6, 11.6, 1e-12, 1e15},
    {1e15, 1e15, 0.72, 2.2}, {0.25, 4.8, 1e15, 1e15},
};

static void setup_once(void)
{
    static int done;
    if (!done) {
        mpfr_set_emin(mpfr_get_emin_min());
        mpfr_set_emax(mpfr_get_emax_max());
        gl_init();
        done = 1;
    }
}

static void test_precision_bgnbd(void **state)
{
    mcase mc = {"bgnbd", &cv_model_bgnbd, ref_bgnbd, rft_rows, N(rft_rows)};
    (void)state;
    setup_once();
    run_case(&mc, rft_extra, N(rft_extra));
}

static void test_precision_mbgnbd(void **state)
{
    mcase mc = {"mbgnbd", &cv_model_mbgnbd, ref_mbgnbd, rft_rows, N(rft_rows)};
    (void)state;
    setup_once();
    run_case(&mc, rft_extra, N(rft_extra));
}

static void test_precision_pareto_nbd(void **state)
{
    mcase mc = {"pareto_nbd", &cv_model_pareto_nbd, NULL, rft_rows, N(rft_rows)};
    (void)state;
    setup_once();
    run_case(&mc, rft_extra, N(rft_extra));
}

static void test_precision_gamma_gamma(void **state)
{
    static const double extra[][CV_MODEL_MAXP] = {
        {6.25, 3.74, 15.44, 0}, {1e15, 1e15, 1e15, 0}, {1e-12, 1e15, 1.0, 0}, {1e15, 1e-12, 1, 0}};
    mcase mc = {"gamma_gamma", &cv_model_gamma_gamma, ref_gg, gg_rows, N(gg_rows)};
    (void)state;
    setup_once();
    run_case(&mc, extra, N(extra));
}

static void test_precision_bgbb(void **state)
{
    static const double extra[][CV_MODEL_MAXP] = {{1.2, 0.75, 0.66, 2.78},
                                                  {1.2, 1e15, 0.66, 2.78},
                                                  {1.2, 0.75, 0.66, 1e15},
                                                  {1e-12, 0.75, 1e-12, 2.78},
                                                  {1e15, 1e15, 1e15, 1e15}};
    mcase mc = {"bgbb", &cv_model_bgbb, ref_bgbb, bgbb_rows, N(bgbb_rows)};
    (void)state;
    setup_once();
    run_case(&mc, extra, N(extra));
}

static void test_precision_sbg(void **state)
{
    static const double extra[][CV_MODEL_MAXP] = {
        {0.668, 3.806, 0, 0}, {0.668, 1e15, 0, 0}, {1e-12, 1e15, 0, 0}, {1e15, 1e15, 0, 0}};
    mcase mc = {"sbg", &cv_model_sbg, ref_sbg, sbg_rows, N(sbg_rows)};
    (void)state;
    setup_once();
    run_case(&mc, extra, N(extra));
}

/* cv_log1p_fast (the likelihoods' log1p) against MPFR: within 4e-16 relative from 2^-60 to
   2^60, around its switch at 0.0625 and at 0 */
static void test_precision_log1p_fast(void **state)
{
    mpfr_t v;
    double worst = 0.0, at = 0.0;
    int i;
    (void)state;
    mpfr_init2(v, PREC);
    assert_true(cv_log1p_fast(0.0) == 0.0);
    for (i = 0; i < 24000; i++) {
        double z = i < 20000 ? ldexp(1.0 + (i % 97) / 97.0, i / 167 - 60)
                             : 0.0625 * (1.0 + (i - 22000) * 1e-7);
        double ref, err;
        mpfr_set_d(v, z, MPFR_RNDN);
        mpfr_log1p(v, v, MPFR_RNDN);
        ref = mpfr_get_d(v, MPFR_RNDN);
        err = fabs(cv_log1p_fast(z) - ref) / ref;
        if (err > worst)
            worst = err, at = z;
    }
    mpfr_clear(v);
    if (getenv("PRECISION_VERBOSE"))
        printf("log1p_fast   worst relative error %.3g at %.17g\n", worst, at);
    assert_true(worst < 4e-16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_precision_bgnbd),      cmocka_unit_test(test_precision_mbgnbd),
        cmocka_unit_test(test_precision_pareto_nbd), cmocka_unit_test(test_precision_gamma_gamma),
        cmocka_unit_test(test_precision_bgbb),       cmocka_unit_test(test_precision_sbg),
        cmocka_unit_test(test_precision_log1p_fast),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    mpfr_free_cache();
    return rc;
}
