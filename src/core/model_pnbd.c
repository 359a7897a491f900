/* cvkit Pareto/NBD (Schmittlein, Morrison & Colombo 1987) in the form of Fader & Hardie,
   "A note on deriving the Pareto/NBD model and related expressions" (2005): the
   likelihood through 2F1(r+s+x, s+1; r+s+x+1; z) (or with r+x for alpha < beta) with
   z = |alpha - beta| / (max(alpha, beta) + t) in [0, 1); analytic gradient from the
   derivatives of the series; P(alive), expectations, DERT (Fader, Hardie & Lee 2005,
   "RFM and CLV") and simulation. */
#include "cvkit/mem.h"
#include "cvkit/models.h"
#include "cvkit/special.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {"r", "alpha", "s", "beta"};

static int check(const cv_model_data *d, size_t *row, const char **why)
{
    return cv_model_check_rft(d, row, why);
}

static void start(const cv_model_data *d, double *p)
{
    double sw = 0, sx = 0, sT = 0;
    size_t i;
    for (i = 0; i < d->n; i++) {
        double w = d->w ? d->w[i] : 1.0;
        sw += w, sx += w * d->x[i], sT += w * d->T[i];
    }
    p[0] = 1.0;
    p[1] = sw > 0 ? fmax(sT / fmax(sx, 0.1 * sw), 1e-3) : 1.0;
    p[2] = 1.0;
    p[3] = sw > 0 ? fmax(sT / sw, 1e-3) : 1.0;
}

/* u v - w z to 1e-12 of itself however much the products cancel: the plain difference,
   and the products' rounding errors put back (fma) when it is below 1e-4 of u v */
static inline double diff_of_products(double u, double v, double w, double z)
{
    double pq = u * v, q = w * z, d = pq - q;
    if (fabs(d) >= 1e-4 * fabs(pq))
        return d;
    return d + (fma(u, v, -pq) - fma(w, z, -q));
}

/* Gauss-Kronrod 15-point rule (QUADPACK qk15): nodes, Kronrod and Gauss weights */
static const double xgk[8] = {
    0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
    0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
    0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
    0.207784955007898467600689403773245, 0.0};
static const double wgk[8] = {
    0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
    0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
    0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
    0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
static const double wg[4] = {
    0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
    0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

typedef struct {
    double lo, hi, v[5], err; /* integrals of f, f log-derivatives by r, alpha, s, beta */
} qpiece;

/* The integrand of the dropout term, scaled by its value at t_x:
   f(tau) = (alpha+tau)^-(r+x) (beta+tau)^-(s+1) / f(t_x), and f times the derivatives of
   log(f(tau) alpha^r beta^s) by (r, alpha, s, beta), less the constants -log1p(t_x/alpha)
   and -log1p(t_x/beta) of the first and third:
     -log((alpha+tau)/(alpha+t_x)), (r tau - x alpha)/(alpha (alpha+tau)),
     -log((beta+tau)/(beta+t_x)), (s tau - beta)/(beta (beta+tau)),
   each without cancellation, even for huge alpha or beta. */
static void quad_piece(const double *p, double x, double tx, qpiece *q)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double c = 0.5 * (q->lo + q->hi), h = 0.5 * (q->hi - q->lo);
    double k[5] = {0, 0, 0, 0, 0}, gsum = 0.0;
    int i, side, m;
    for (i = 0; i < 8; i++) {
        for (side = 0; side < (i < 7 ? 2 : 1); side++) { /* +-node, the centre once */
            double t = i < 7 ? c + (side ? h : -h) * xgk[i] : c;
            /* log f - log f(t_x) without cancellation, even for huge s or beta */
            double ua = log1p((t - tx) / (al + tx)), ub = log1p((t - tx) / (be + tx));
            double f = exp(-(r + x) * ua - (s + 1.0) * ub), wk = wgk[i] * f;
            k[0] += wk;
            k[1] -= wk * ua;
            k[2] += wk * diff_of_products(r, t, x, al) / (al * (al + t));
            k[3] -= wk * ub;
            k[4] += wk * diff_of_products(s, t, 1.0, be) / (be * (be + t));
            if (i % 2 == 1 || i == 7)
                gsum += wg[i / 2] * f;
        }
    }
    for (m = 0; m < 5; m++)
        q->v[m] = k[m] * h;
    q->err = fabs(k[0] - gsum) * h;
}

/* The five integrals of quad_piece over [t_x, T] by 6-point Gauss-Legendre. */
static void short_piece(const double *p, double x, double tx, double T, double *v)
{
    static const double gx[3] = {0.238619186083196908630501721680712,
                                 0.661209386466264513661399595019906,
                                 0.932469514203152027812301554493995};
    static const double gw[3] = {0.467913934572691047389870343989551,
                                 0.360761573048138607569833513837716,
                                 0.171324492379170345040296142172732};
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double c = 0.5 * (tx + T), h = 0.5 * (T - tx);
    double k[5] = {0, 0, 0, 0, 0};
    int i, side, m;
    for (i = 0; i < 3; i++) {
        for (side = 0; side < 2; side++) {
            const double t = c + (side ? h : -h) * gx[i];
            const double ua = log1p((t - tx) / (al + tx)), ub = log1p((t - tx) / (be + tx));
            const double wk = gw[i] * exp(-(r + x) * ua - (s + 1.0) * ub);
            k[0] += wk;
            k[1] -= wk * ua;
            k[2] += wk * diff_of_products(r, t, x, al) / (al * (al + t));
            k[3] -= wk * ub;
            k[4] += wk * diff_of_products(s, t, 1.0, be) / (be * (be + t));
        }
    }
    for (m = 0; m < 5; m++)
        v[m] = k[m] * h;
}

/* I = s int_{t_x}^{T} (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau, the dropout term of B, by
   globally adaptive Gauss-Kronrod; for the parameters where the 2F1 series converges
   slowly (argument near 1: beta >> alpha + t or the reverse). *li = log(I alpha^r beta^s)
   and, when g != NULL, g = its derivatives by (r, alpha, s, beta). Returns 0 or -1. */
static int pnbd_dropout_quad(const double *p, double x, double tx, double T, double *li, double *g)
{
    enum { MAXP = 200 };
    qpiece pc[MAXP];
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double l1a = log1p(tx / al), l1b = log1p(tx / be);
    /* log(f(t_x) alpha^r beta^s), f decreasing */
    const double phi0 = -r * l1a - x * log(al + tx) - s * l1b - log(be + tx);
    /* decay rate at t_x (the log-integrand is convex: it never falls faster later) */
    const double kappa = (r + x) / (al + tx) + (s + 1.0) / (be + tx);
    /* pieces no wider than their distance to the poles -alpha, -beta of the integrand (and of
       the derivatives' integrands, which the adaptive loop does not watch) */
    double tot[5], err, lo = tx, w = fmin(1.0 / kappa, fmin(al, be) + tx);
    int n = 0, i, m, worst;
    if (kappa * (T - tx) <= 0.1 && T - tx <= 0.05 * (fmin(al, be) + tx)) {
        /* a short interval (a recent last purchase): 6-point Gauss-Legendre is exact to
           below 1e-18 there (the integrand within e^0.1 of its start, the poles 40
           half-widths away), the K15 pieces' answer at a third of the cost */
        err = 0.0;
        short_piece(p, x, tx, T, tot);
        goto done;
    }
    /* start from pieces growing 4-fold from there: sharp peaks at t_x are resolved at
       once, and the adaptive loop refines the rest */
    while (lo < T && n < MAXP / 2) {
        pc[n].lo = lo;
        pc[n].hi = (lo + w < T && n < MAXP / 2 - 1) ? lo + w : T;
        lo = pc[n].hi;
        quad_piece(p, x, tx, &pc[n]);
        n++;
        w *= 4.0;
    }
    for (;;) {
        for (m = 0; m < 5; m++)
            tot[m] = 0.0;
        err = 0.0, worst = 0;
        for (i = 0; i < n; i++) {
            for (m = 0; m < 5; m++)
                tot[m] += pc[i].v[m];
            err += pc[i].err;
            if (pc[i].err > pc[worst].err)
                worst = i;
        }
        if (err <= 1e-13 * tot[0] || n >= MAXP) /* |K15 - G7|: K15 is far better */
            break;
        pc[n].lo = 0.5 * (pc[worst].lo + pc[worst].hi);
        pc[n].hi = pc[worst].hi;
        pc[worst].hi = pc[n].lo;
        quad_piece(p, x, tx, &pc[worst]);
        quad_piece(p, x, tx, &pc[n]);
        n++;
    }
done:
    if (!(tot[0] > 0.0) || err > 1e-8 * tot[0])
        return -1;
    *li = log(s) + phi0 + log(tot[0]);
    if (g) {
        g[0] = tot[1] / tot[0] - l1a;
        g[1] = tot[2] / tot[0];
        g[2] = 1.0 / s + tot[3] / tot[0] - l1b;
        g[3] = tot[4] / tot[0];
    }
    return 0;
}

/* One customer. The likelihood is
     L = Gamma(r+x) alpha^r beta^s / Gamma(r) * B,
     B = (alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) (D(t_x) - D(T)),
     D(t) = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t)) (alpha+t)^-(r+s+x)  (alpha >= beta)
     D(t) = 2F1(r+s+x, r+x; r+s+x+1; (beta-alpha)/(beta+t)) (beta+t)^-(r+s+x)    (alpha < beta)
   (Fader & Hardie 2005). It is computed as log Gamma(r+x)/Gamma(r) + log B', B' = B alpha^r
   beta^s, with the powers folded in so that no large logs cancel (the limits r, alpha -> inf
   and s, beta -> inf are Poisson purchases and exponential lifetimes; docs/models.md,
   "Precision"). With c(t) = -r log1p(t/alpha) - x log(alpha+t) - s log1p(t/beta), Euler's
   transformation 2F1(a, b; a+1; z) = (1-z)^(1-b) 2F1(1, a+1-b; a+1; z) gives
     B' = e^c(T) + s/(r+s+x) (e^V(t_x) - e^V(T)),  V(t) = c(t) + E(t),
     E(t) = log 2F1(1, r+x; r+s+x+1; z)                                   (alpha >= beta)
     E(t) = log((alpha+t)/(beta+t)) + log 2F1(1, s+1; r+s+x+1; z)         (alpha < beta)
   whose series have positive terms falling at least as fast as z^k (no cancellation for
   customers with many purchases either). Computes log B' (*lb), the share of the first term
   in B (*alive, = P(alive)), and when g != NULL the derivatives of log B' by (r, alpha, s,
   beta). Returns 0 or -1. */
/* A direct-mapped cache of V(t) and its derivatives for one parameter point, keyed by
   (x, t): V depends on the customer only through x and t, and t_x and T values repeat across
   customers (whole days), so a fit evaluates far fewer 2F1 series than rows. */
#define DCACHE_SLOTS 8192
typedef struct {
    double x, t, ld, dd[4];
    int state; /* 0 empty, 1 value, 2 value and derivatives */
} dcache_entry;

static uint64_t dc_bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

/* The logs of alpha + t a customer's B' needs at t (the age T, or t_x):
   log(alpha+t), log1p(t/alpha), log1p(t/beta). */
typedef struct {
    double lat, l1a, l1b;
    double ia, db; /* 1/(alpha (alpha+t)) and s t/(beta (beta+t)), for c's derivatives */
    double lsa;    /* log(s/(r+s+x)), the caller's for its x */
} tlogs;

/* lp = {log alpha, log beta}. log1p(t/alpha) is log(alpha+t) - log(alpha) where that
   difference keeps 13 digits (it is at least 2e-3 of the logs' size; t = 0 gives 0
   exactly), which saves a log1p for most ages of a fit; else log1p. Likewise for beta. */
static void tlogs_at(const double *p, const double *lp, double t, tlogs *lg)
{
    const double lbt = log(p[3] + t);
    lg->lat = log(p[1] + t), lg->lsa = 0.0;
    lg->ia = 1.0 / (p[1] * (p[1] + t)), lg->db = p[2] * t / (p[3] * (p[3] + t));
    lg->l1a = lg->lat - lp[0], lg->l1b = lbt - lp[1];
    if (!(lg->l1a >= 2e-3 * (fabs(lg->lat) + fabs(lp[0])) || t == 0.0))
        lg->l1a = log1p(t / p[1]);
    if (!(lg->l1b >= 2e-3 * (fabs(lbt) + fabs(lp[1])) || t == 0.0))
        lg->l1b = log1p(t / p[3]);
}

/* c(t) = -r log1p(t/alpha) - x log(alpha+t) - s log1p(t/beta) and, when dc != NULL, its
   derivatives by (r, alpha, s, beta) */
static inline double pnbd_c(const double *p, double x, double t, const tlogs *lg, double *dc)
{
    const double r = p[0], al = p[1], s = p[2];
    if (dc) {
        dc[0] = -lg->l1a;
        dc[1] = diff_of_products(r, t, x, al) * lg->ia; /* r/alpha - (r+x)/(alpha+t) */
        dc[2] = -lg->l1b;
        dc[3] = lg->db;
    }
    return -r * lg->l1a - x * lg->lat - s * lg->l1b;
}

/* V(t) (*ld) and, when dd != NULL, its derivatives by (r, alpha, s, beta); lg: the logs at
   t (tlogs_at), or NULL to compute them from lp = {log alpha, log beta}. Returns 0 or -1. */
static int pnbd_logd_tab(cv_hyp2f1_tab *tab, const double *p, double x, double t, const double *lp,
                         const tlogs *lg, double *ld, double *dd);

static int pnbd_logd(const double *p, double x, double t, const double *lp, const tlogs *lg,
                     double *ld, double *dd)
{
    return pnbd_logd_tab(NULL, p, x, t, lp, lg, ld, dd);
}

/* pnbd_logd with the 2F1 series' coefficients kept in tab (NULL: none) for the next t of
   the same x: the same values to the bit (cv_hyp2f1_grad_tab) */
static int pnbd_logd_tab(cv_hyp2f1_tab *tab, const double *p, double x, double t, const double *lp,
                         const tlogs *lg, double *ld, double *dd)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const int ab = al >= be;
    const double mx = ab ? al : be, diff = ab ? al - be : be - al;
    const double z = diff / (mx + t), b2 = ab ? r + x : s + 1.0, c2 = r + s + x + 1.0;
    double h[5], dc[4], v;
    tlogs own;
    if (!lg)
        tlogs_at(p, lp, t, &own), lg = &own;
    v = pnbd_c(p, x, t, lg, dd ? dc : NULL);
    if (dd) {
        if (cv_hyp2f1_grad_tab(tab, 1.0, b2, c2, z, h) != 0)
            return -1;
    } else if (cv_hyp2f1(1.0, b2, c2, z, &h[0]) != 0) {
        return -1;
    }
    if (!(h[0] > 0.0))
        return -1;
    *ld = v + log(h[0]) + (ab ? 0.0 : -log1p(diff / (al + t))); /* log((alpha+t)/(beta+t)) */
    if (dd) {
        const double hb = h[2] / h[0], hc = h[3] / h[0], hz = h[4] / h[0], inv = 1.0 / (mx + t);
        if (ab) { /* b2 = r + x, z = (alpha - beta)/(alpha + t) */
            dd[0] = dc[0] + hb + hc;
            dd[2] = dc[2] + hc;
            dd[1] = dc[1] + hz * (be + t) * inv * inv;
            dd[3] = dc[3] - hz * inv;
        } else { /* b2 = s + 1, z = (beta - alpha)/(beta + t) */
            dd[0] = dc[0] + hc;
            dd[2] = dc[2] + hb + hc;
            dd[1] = dc[1] - hz * inv + 1.0 / (al + t);
            dd[3] = dc[3] + hz * (al + t) * inv * inv - inv;
        }
    }
    return 0;
}

/* pnbd_logd through the cache c (NULL: no cache). */
static int pnbd_logd_cached(dcache_entry *c, const double *p, double x, double t, const double *lp,
                            const tlogs *lg, double *ld, double *dd)
{
    dcache_entry *e;
    uint64_t h;
    int k;
    if (!c)
        return pnbd_logd(p, x, t, lp, lg, ld, dd);
    h = (dc_bits(t) ^ (dc_bits(x) * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    e = &c[(h >> 40) & (DCACHE_SLOTS - 1)];
    if (e->state >= (dd ? 2 : 1) && e->x == x && e->t == t) {
        *ld = e->ld;
        for (k = 0; dd && k < 4; k++)
            dd[k] = e->dd[k];
        return 0;
    }
    if (pnbd_logd(p, x, t, lp, lg, ld, dd) != 0)
        return -1;
    e->x = x, e->t = t, e->ld = *ld, e->state = dd ? 2 : 1;
    for (k = 0; dd && k < 4; k++)
        e->dd[k] = dd[k];
    return 0;
}

static int pnbd_logb_c(dcache_entry *cache, const double *p, double x, double tx, double T,
                       const double *lp, const tlogs *lg, double *lb, double *alive, double *g);

static int pnbd_logb(const double *p, double x, double tx, double T, double *lb, double *alive,
                     double *g)
{
    const double lp[2] = {log(p[1]), log(p[3])};
    tlogs lg;
    tlogs_at(p, lp, T, &lg);
    lg.lsa = -log1p((p[0] + x) / p[2]);
    return pnbd_logb_c(NULL, p, x, tx, T, lp, &lg, lb, alive, g);
}

/* B' = e^u + e^v - e^w with u = c(T), v = log(s/(r+s+x)) + V(t_x) and w = log(s/(r+s+x))
   + V(T), scaled by the larger of u and v (one exponential fewer); lg: the logs at T. */
static int pnbd_logb_c(dcache_entry *cache, const double *p, double x, double tx, double T,
                       const double *lp, const tlogs *lg, double *lb, double *alive, double *g)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double a = r + s + x;
    const double mx = al >= be ? al : be, diff = al >= be ? al - be : be - al;
    double ld[2] = {0, 0}, dd[2][4] = {{0}}, du[4], t1, e1, e2, M, bs, u, v, w, lsa;
    int k;
    u = pnbd_c(p, x, T, lg, g ? du : NULL);
    if (!(tx < T)) { /* last purchase at T: no room to drop out unseen, B = the first term */
        *lb = u;
        *alive = 1.0;
        for (k = 0; g && k < 4; k++)
            g[k] = du[k];
        return 0;
    }
    if (diff / (mx + tx) <= 0.9) {
        if (pnbd_logd_cached(cache, p, x, tx, lp, NULL, &ld[0], g ? dd[0] : NULL) != 0 ||
            pnbd_logd_cached(cache, p, x, T, lp, lg, &ld[1], g ? dd[1] : NULL) != 0)
            return -1;
    }
    /* the 2F1 argument near 1, or D(t_x) - D(T) cancelling to below 1e-3 of D(t_x) (the
       difference would keep only ulps / (V(t_x) - V(T)) of its digits): integrate the
       dropout term instead, its integrand positive */
    if (diff / (mx + tx) > 0.9 || ld[0] - ld[1] < 1e-3) {
        double li, gi[4] = {0, 0, 0, 0}, ti;
        if (pnbd_dropout_quad(p, x, tx, T, &li, g ? gi : NULL) != 0)
            return -1;
        M = u > li ? u : li;
        t1 = exp(u - M);
        ti = exp(li - M);
        bs = t1 + ti;
        *lb = M + log(bs);
        *alive = t1 / bs;
        for (k = 0; g && k < 4; k++)
            g[k] = (t1 * du[k] + ti * gi[k]) / bs;
        return 0;
    }
    lsa = lg->lsa;
    v = lsa + ld[0], w = lsa + ld[1];
    if (u >= v)
        M = u, t1 = 1.0, e1 = exp(v - M);
    else
        M = v, t1 = exp(u - M), e1 = 1.0;
    e2 = exp(w - M);
    bs = t1 + e1 - e2;
    if (!(bs > 0.0))
        return -1;
    *lb = M + log(bs);
    *alive = t1 / bs;
    if (g) {
        /* d log(s/(r+s+x)) by (r, alpha, s, beta) */
        const double dls[4] = {-1.0 / a, 0.0, (r + x) / (s * a), 0.0};
        for (k = 0; k < 4; k++)
            g[k] = (t1 * du[k] + dls[k] * (e1 - e2) + e1 * dd[0][k] - e2 * dd[1][k]) / bs;
    }
    return 0;
}

/* A direct-mapped cache of the logs at T, for one parameter point: the rows' ages repeat
   (whole days). */
#define TCACHE_SLOTS 4096
typedef struct {
    double T;
    tlogs lg;
} tcache_entry;

/* What a row needs of its age T, for one x (the rows come sorted by x, then t_x): u = c(T),
   w = log(s/(r+s+x)) + V(T), pu = e^(u - w) and the derivatives of u and w. The current x's
   ages are kept one after another in an array (dense: it stays in the cache) and found through
   an open-addressing table of ACACHE_SLOTS small indices (1 + the entry's, 0: empty), whose
   used slots the next x empties. */
#define ACACHE_SLOTS 8192
typedef struct {
    double T, u, w, pu, du[4], dw[4];
    unsigned slot; /* its slot in the index table */
    int ok;        /* 1: u, w, pu usable; 0: the row takes the general path */
} age_entry;

/* Fills e for (x, T); lg: the logs at T with lsa set; tab: as pnbd_logd_tab's. */
static void age_fill(cv_hyp2f1_tab *tab, const double *p, double x, double T, const double *lp,
                     const tlogs *lg, int grad, age_entry *e)
{
    double v;
    int k;
    e->T = T;
    e->u = pnbd_c(p, x, T, lg, grad ? e->du : NULL);
    e->ok = pnbd_logd_tab(tab, p, x, T, lp, lg, &v, grad ? e->dw : NULL) == 0;
    e->w = lg->lsa + v;
    e->pu = exp(e->u - e->w);
    if (!(e->u - e->w < 600.0) || !isfinite(e->w))
        e->ok = 0;
    for (k = 0; !grad && k < 4; k++)
        e->du[k] = e->dw[k] = 0.0;
}

/* The row through its age's entry e and V(t_x) (*v0, derivatives dv0; ok0 = 0 when not
   computed); dls: the derivatives of log(s/(r+s+x)) by (r, alpha, s, beta), of the row's x: B' /
   e^w = e^(u-w) + e^(v-w) - 1 = pu + expm1(V(t_x) - V(T)), one expm1 a row; log B' = *lb + log *bp
   (*bp above 1e-3: the caller takes the log, or multiplies it into a product). Returns 1 when done,
   0 when the row needs pnbd_logb_c (the dropout term cancels or is to be integrated, or an
   exponential would overflow). */
static int row_fast(const double *dls, const age_entry *e, double v0, const double *dv0, int ok0,
                    double *lb, double *bp, double *g)
{
    const double d = v0 - e->w;
    double em1, b;
    int k;
    if (!ok0 || !e->ok)
        return 0;
    /* d = V(t_x) - V(T): the dropout term's share; below 1e-3 pnbd_logb_c integrates it */
    if (!(d >= 1e-3 && d < 600.0))
        return 0;
    em1 = expm1(d);
    b = e->pu + em1;
    *lb = e->w, *bp = b;
    if (g)
        for (k = 0; k < 4; k++)
            g[k] = (e->pu * e->du[k] + em1 * dls[k] + (em1 + 1.0) * dv0[k] - e->dw[k]) / b;
    return 1;
}

/* *lg = the logs at T (through the cache tc, NULL: none) with lsa, unless *lg_T says it holds
   them already: a row looks them up only when it needs them (a new age of its x, or the
   general path) */
static void logs_at_T(tcache_entry *tc, const double *p, const double *lp, double T, double lsa,
                      tlogs *lg, double *lg_T)
{
    if (*lg_T == T)
        return;
    if (tc) {
        tcache_entry *te = &tc[((dc_bits(T) * 0x9E3779B97F4A7C15ULL) >> 52) & (TCACHE_SLOTS - 1)];
        if (!(te->T == T))
            te->T = T, tlogs_at(p, lp, T, &te->lg);
        *lg = te->lg;
    } else {
        tlogs_at(p, lp, T, lg);
    }
    lg->lsa = lsa, *lg_T = T;
}

static int loglik(const double *p, const cv_model_data *d, double *ll, double *grad)
{
    const double r = p[0], lp[2] = {log(p[1]), log(p[3])};
    const double mx = p[1] >= p[3] ? p[1] : p[3], diff = fabs(p[1] - p[3]);
    double sum = 0, g[4] = {0, 0, 0, 0}, cx = NAN, lgrx = 0, prx = 0, lsa = 0;
    double ctx = NAN, v0 = 0, dv0[4] = {0, 0, 0, 0}, dls[4] = {0, 0, 0, 0};
    double pb = 1.0, csum = 0.0; /* the product of the fast rows' B'/e^w (to their weights) */
    int eb = 0;
    dcache_entry *cache = NULL;
    tcache_entry *tc = NULL;
    age_entry *ac = NULL;
    uint16_t *as = NULL; /* the index table of ac */
    unsigned used = 0;
    tlogs lg;
    cv_hyp2f1_tab tab; /* the 2F1 coefficients of the current x's fast rows */
    size_t i;
    int k, ok0 = 0;
    double lg_T = NAN, ztx = NAN; /* the T whose logs lg holds, the t_x of ztx_ok */
    int ztx_ok = 0;
    memset(&tab, 0, sizeof tab);
    if (d->n >= 64) {
        cache = cv_calloc(DCACHE_SLOTS, sizeof *cache);
        tc = cv_malloc(TCACHE_SLOTS * sizeof *tc);
        ac = cv_malloc(ACACHE_SLOTS / 2 * sizeof *ac);
        as = cv_calloc(ACACHE_SLOTS, sizeof *as);
        if (!as)
            cv_free(ac), ac = NULL;
        for (i = 0; tc && i < TCACHE_SLOTS; i++)
            tc[i].T = NAN; /* never equal: empty */
    }
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0, x = d->x[i], tx = d->t_x[i], T = d->T[i];
        double lb, alive, gb[4] = {0, 0, 0, 0}, bp = 0.0;
        age_entry *e = NULL, own;
        if (w == 0.0)
            continue;
        if (x != cx) { /* kept while x repeats: collapsed rows come sorted by x */
            cx = x;
            lgrx = cv_lgamma_ratio(r, x);
            prx = grad ? cv_digamma_diff(r, x) : 0.0;
            lsa = -log1p((r + x) / p[2]); /* log(s/(r+s+x)) */
            {
                const double a = r + p[2] + x; /* row_fast's, once an x */
                dls[0] = -1.0 / a, dls[2] = (r + x) / (p[2] * a);
            }
            while (used > 0) /* empty the previous x's slots */
                as[ac[--used].slot] = 0;
            ctx = NAN;
        }
        lg_T = NAN; /* the logs at T (lg) are looked up when a row needs them */
        if (!(tx == ztx))
            ztx = tx, ztx_ok = diff / (mx + tx) <= 0.98; /* the 2F1 argument at t_x */
        if (tx < T && ztx_ok) {
            if (!(tx == ctx)) { /* V(t_x) once for each run of equal t_x */
                ctx = tx;
                ok0 = pnbd_logd_tab(&tab, p, x, tx, lp, NULL, &v0, grad ? dv0 : NULL) == 0;
                v0 += lsa;
            }
            if (ac) { /* the age's entry for this x */
                size_t h =
                    (size_t)((dc_bits(T) * 0x9E3779B97F4A7C15ULL) >> 51) & (ACACHE_SLOTS - 1);
                while (as[h] && !(ac[as[h] - 1].T == T))
                    h = (h + 1) & (ACACHE_SLOTS - 1);
                if (as[h]) {
                    e = &ac[as[h] - 1];
                } else if (used < ACACHE_SLOTS / 2) {
                    logs_at_T(tc, p, lp, T, lsa, &lg, &lg_T);
                    e = &ac[used++], e->slot = (unsigned)h, as[h] = (uint16_t)used;
                    age_fill(&tab, p, x, T, lp, &lg, grad != NULL, e);
                }
            }
            if (!e) {
                logs_at_T(tc, p, lp, T, lsa, &lg, &lg_T);
                age_fill(&tab, p, x, T, lp, &lg, grad != NULL, e = &own);
            }
        }
        if (e && row_fast(dls, e, v0, dv0, ok0, &lb, &bp, grad ? gb : NULL)) {
            if (bp <= 0x1p32 && w >= 1.0 && w <= 16.0 && w == (int)w) {
                /* log B'/e^w of a whole weight w up to 16 into the product pb (mantissa and
                   power of two: one log an evaluation, not one a row) */
                double bw = bp;
                int j;
                for (j = 1; j < (int)w; j++)
                    bw *= bp;
                pb *= bw;
                if (pb > 0x1p500 || pb < 0x1p-500) {
                    int ex;
                    pb = frexp(pb, &ex), eb += ex;
                }
            } else {
                lb += log(bp);
            }
        } else {
            logs_at_T(tc, p, lp, T, lsa, &lg, &lg_T);
            if (pnbd_logb_c(cache, p, x, tx, T, lp, &lg, &lb, &alive, grad ? gb : NULL) != 0) {
                cv_free(cache), cv_free(tc), cv_free(ac), cv_free(as), cv_hyp2f1_tab_free(&tab);
                *ll = NAN;
                return -1;
            }
        }
        { /* Neumaier's compensated sum: the total's roundings (about 1e-6 in 1.7e7 over a
             million rows) would otherwise be the noise that ends the fit */
            double t = w * (lgrx + lb), v = sum + t;
            csum += fabs(sum) >= fabs(t) ? (sum - v) + t : (t - v) + sum;
            sum = v;
        }
        if (grad) {
            g[0] += w * (prx + gb[0]);
            for (k = 1; k < 4; k++)
                g[k] += w * gb[k];
        }
    }
    cv_free(cache), cv_free(tc), cv_free(ac), cv_free(as), cv_hyp2f1_tab_free(&tab);
    sum += csum + (log(pb) + eb * 0.69314718055994530942);
    *ll = sum;
    if (grad)
        for (k = 0; k < 4; k++)
            grad[k] = g[k];
    return isfinite(sum) ? 0 : -1;
}

/* (1 - (c/(c+t))^(s-1)) / (s-1), with its limit log((c+t)/c) at s = 1 */
static double decay_integral(double s, double c, double t)
{
    if (fabs(s - 1.0) < 1e-10)
        return log((c + t) / c);
    return -expm1((s - 1.0) * log(c / (c + t))) / (s - 1.0);
}

/* 2F1(a, b2; c; z) / m^a for the P(X(t) = k) expression, in logs (z in [0, 1)). */
static double pmf_logterm(double a, double b2, double c, double z, double mlog)
{
    double f;
    if (cv_hyp2f1(a, b2, c, z, &f) != 0 || !(f > 0.0))
        return NAN;
    return log(f) - a * mlog;
}

/* P(X(t) = k) for a new customer (Fader & Hardie 2006, "Deriving an expression for
   P(X(t) = x) under the Pareto/NBD model"):
     Gamma(r+k)/(Gamma(r) k!) (alpha/(alpha+t))^r (t/(alpha+t))^k (beta/(beta+t))^s
     + alpha^r beta^s B(r+k, s+1)/B(r, s) [B1 - sum_{i=0}^{k} Gamma(r+s+i)/(Gamma(r+s) i!) t^i B2_i]
   with, for alpha >= beta, B1 = 2F1(r+s, s+1; r+s+k+1; (alpha-beta)/alpha) / alpha^(r+s) and
   B2_i = 2F1(r+s+i, s+1; r+s+k+1; (alpha-beta)/(alpha+t)) / (alpha+t)^(r+s+i); for alpha <
   beta the same with (beta-alpha)/beta, (beta-alpha)/(beta+t), beta in place of alpha and
   r+k in place of s+1. The bracket is the probability of dying before t having made k
   purchases; its terms are summed in logs relative to B1 (and a difference below 0 by
   rounding taken as 0). NaN when not computable. */
static double pnbd_pmf(const double *p, double t, double k)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const int ab = al >= be;
    const double mx = ab ? al : be, diff = ab ? al - be : be - al;
    const double b2 = ab ? s + 1.0 : r + k, c = r + s + k + 1.0;
    double first, lb1, br = 0.0, lpre;
    int i;
    if (!(t >= 0.0) || !(k >= 0.0) || k != floor(k))
        return NAN;
    first = exp(cv_lgamma(r + k) - cv_lgamma(r) - cv_lgamma(k + 1.0) + r * log(al / (al + t)) +
                (k > 0 ? k * log(t / (al + t)) : 0.0) + s * log(be / (be + t)));
    if (t == 0.0)
        return first;
    lb1 = pmf_logterm(r + s, b2, c, diff / mx, log(mx));
    if (isnan(lb1))
        return NAN;
    for (i = 0; i <= (int)k; i++) {
        double l2 = pmf_logterm(r + s + i, b2, c, diff / (mx + t), log(mx + t));
        if (isnan(l2))
            return NAN;
        br += exp(cv_lgamma(r + s + i) - cv_lgamma(r + s) - cv_lgamma(i + 1.0) +
                  (i > 0 ? i * log(t) : 0.0) + l2 - lb1);
    }
    lpre = r * log(al) + s * log(be) + cv_lbeta(r + k, s + 1.0) - cv_lbeta(r, s) + lb1;
    /* the bracket is a probability: rounding can leave it a few ulps below 0 in the tail */
    return first + exp(lpre) * fmax(0.0, 1.0 - br);
}

/* The customer's future given alive at T: lambda ~ Gamma(r+x, alpha+T) and mu ~ Gamma(s,
   beta+T) (the posterior of one alive at T), and the process from T on is a new
   customer's, so P(Y(t) = k | x, t_x, T) = P(alive) pnbd_pmf(r+x, alpha+T, s, beta+T; t, k)
   + [k = 0] (1 - P(alive)) (Fader & Hardie, "Deriving the conditional PMF of the
   Pareto/NBD model"); alive = P(alive). */
static double cond_pmf(const double *p, double x, double T, double alive, double t, double k)
{
    const double post[4] = {p[0] + x, p[1] + T, p[2], p[3] + T};
    return alive * pnbd_pmf(post, t, k) + (k == 0.0 ? 1.0 - alive : 0.0);
}

static double predict(const double *p, cv_pred kind, double x, double tx, double T, double m,
                      double arg, double arg2)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    double lb, alive, t = arg;
    (void)m;
    if (kind == CV_PRED_PMF)
        return pnbd_pmf(p, arg, arg2);
    if (kind == CV_PRED_EXPECTED) /* r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] */
        return t >= 0.0 ? r * be / al * decay_integral(s, be, t) : NAN;
    if (kind == CV_PRED_CONDITIONAL_ALIVE) /* the conditional expectation without P(alive) */
        return t >= 0.0 ? (r + x) / (al + T) * (be + T) * decay_integral(s, be + T, t) : NAN;
    if (kind == CV_PRED_DERT_ALIVE) {
        if (!(arg > 0.0))
            return NAN;
        return (r + x) / (al + T) * exp(s * log(be + T) + (s - 1.0) * log(arg)) *
               cv_hyperu_aa(s, arg * (be + T));
    }
    if (pnbd_logb(p, x, tx, T, &lb, &alive, NULL) != 0)
        return NAN;
    switch (kind) {
    case CV_PRED_P_ALIVE:
        return alive;
    case CV_PRED_PMF_CONDITIONAL:
        return cond_pmf(p, x, T, alive, t, arg2);
    case CV_PRED_P_ACTIVE:
        /* 1 - P(Y(t) = 0): P(alive) times the chance of a purchase before dropout and t */
        return t >= 0.0 ? alive * (1.0 - cond_pmf(p, x, T, 1.0, t, 0.0)) : NAN;
    case CV_PRED_CONDITIONAL:
        /* P(alive) (r+x)(beta+T)/((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)] */
        if (!(t >= 0.0))
            return NAN;
        return alive * (r + x) / (al + T) * (be + T) * decay_integral(s, be + T, t);
    case CV_PRED_DERT: {
        /* FHL 2005 (RFM and CLV), rearranged: P(alive) (r+x)/(alpha+T)
           (beta+T)^s delta^(s-1) U(s, s; delta (beta+T)) */
        double dl = arg, u;
        if (!(dl > 0.0))
            return NAN;
        u = cv_hyperu_aa(s, dl * (be + T));
        return alive * (r + x) / (al + T) * exp(s * log(be + T) + (s - 1.0) * log(dl)) * u;
    }
    default:
        return NAN;
    }
}

/* One customer: lambda ~ Gamma(r, alpha), mu ~ Gamma(s, beta), lifetime ~ Exp(mu),
   Poisson purchases at rate lambda until min(lifetime, T). */
static void simulate(const double *p, cv_rng *rng, double T, double *x, double *tx, double *m)
{
    const double lambda = cv_rng_gamma(rng, p[0]) / p[1];
    const double mu = cv_rng_gamma(rng, p[2]) / p[3];
    const double life = cv_rng_exp(rng) / mu, end = life < T ? life : T;
    double now = 0.0, n = 0.0, last = 0.0;
    for (;;) {
        now += cv_rng_exp(rng) / lambda;
        if (now > end)
            break;
        n += 1.0;
        last = now;
    }
    *x = n;
    *tx = last;
    *m = 0.0;
}

const cv_model cv_model_pareto_nbd = {
    "pareto_nbd",
    "Pareto/NBD (Schmittlein, Morrison & Colombo 1987)",
    4,
    names,
    CV_NEED_X | CV_NEED_TX | CV_NEED_T,
    (1u << CV_PRED_P_ALIVE) | (1u << CV_PRED_EXPECTED) | (1u << CV_PRED_CONDITIONAL) |
        (1u << CV_PRED_DERT) | (1u << CV_PRED_CONDITIONAL_ALIVE) | (1u << CV_PRED_DERT_ALIVE) |
        (1u << CV_PRED_PMF) | (1u << CV_PRED_PMF_CONDITIONAL) | (1u << CV_PRED_P_ACTIVE),
    loglik,
    check,
    start,
    predict,
    simulate,
    NULL, /* no conditional_path */
};
