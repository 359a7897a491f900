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

/* log 2F1(a, b; c; z) and, when dl != NULL, its derivatives by a, b, c and z, through
   Euler's transformation 2F1(a, b; c; z) = (1-z)^(c-a-b) 2F1(c-a, c-b; c; z). With the
   Pareto/NBD's c = a + 1 the new series is 2F1(1, c-b; c; z), whose term ratios stay
   below z: no huge intermediate terms for customers with many purchases, and quick
   convergence. Returns 0 or -1. */
static int log_hyp_euler(double a, double b, double c, double z, double *lf, double *dl)
{
    double h[5], l1z = log1p(-z);
    if (dl) {
        if (cv_hyp2f1_grad(c - a, c - b, c, z, h) != 0)
            return -1;
    } else if (cv_hyp2f1(c - a, c - b, c, z, &h[0]) != 0) {
        return -1;
    }
    if (!(h[0] > 0.0))
        return -1;
    *lf = (c - a - b) * l1z + log(h[0]);
    if (dl) {
        double ga = h[1] / h[0], gb = h[2] / h[0], gc = h[3] / h[0], gz = h[4] / h[0];
        dl[0] = -l1z - ga;
        dl[1] = -l1z - gb;
        dl[2] = l1z + ga + gb + gc;
        dl[3] = -(c - a - b) / (1.0 - z) + gz;
    }
    return 0;
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

/* The integrand of the dropout term and its log-derivatives, scaled by its value at t_x:
   f(tau) = (alpha+tau)^-(r+x) (beta+tau)^-(s+1) / f(t_x). */
static void quad_piece(const double *p, double x, double tx, qpiece *q)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double lat = log(al + tx), lbt = log(be + tx);
    const double c = 0.5 * (q->lo + q->hi), h = 0.5 * (q->hi - q->lo);
    double k[5] = {0, 0, 0, 0, 0}, gsum = 0.0;
    int i, side, m;
    for (i = 0; i < 8; i++) {
        for (side = 0; side < (i < 7 ? 2 : 1); side++) { /* +-node, the centre once */
            double t = i < 7 ? c + (side ? h : -h) * xgk[i] : c;
            /* log f - log f(t_x) without cancellation, even for huge s or beta */
            double ua = log1p((t - tx) / (al + tx)), ub = log1p((t - tx) / (be + tx));
            double la = lat + ua, lb = lbt + ub;
            double f = exp(-(r + x) * ua - (s + 1.0) * ub), wk = wgk[i] * f;
            k[0] += wk;
            k[1] -= wk * la;
            k[2] -= wk * (r + x) / (al + t);
            k[3] -= wk * lb;
            k[4] -= wk * (s + 1.0) / (be + t);
            if (i % 2 == 1 || i == 7)
                gsum += wg[i / 2] * f;
        }
    }
    for (m = 0; m < 5; m++)
        q->v[m] = k[m] * h;
    q->err = fabs(k[0] - gsum) * h;
}

/* I = s int_{t_x}^{T} (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau, the dropout term of B, by
   globally adaptive Gauss-Kronrod; for the parameters where the 2F1 series converges
   slowly (argument near 1: beta >> alpha + t or the reverse). *li = log I and, when
   g != NULL, g = d log I / d(r, alpha, s, beta). Returns 0 or -1. */
static int pnbd_dropout_quad(const double *p, double x, double tx, double T, double *li, double *g)
{
    enum { MAXP = 200 };
    qpiece pc[MAXP];
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double phi0 = -(r + x) * log(al + tx) - (s + 1.0) * log(be + tx); /* f is decreasing */
    /* decay rate at t_x (the log-integrand is convex: it never falls faster later) */
    const double kappa = (r + x) / (al + tx) + (s + 1.0) / (be + tx);
    double tot[5], err, lo = tx, w = 1.0 / kappa;
    int n = 0, i, m, worst;
    /* start from pieces growing 4-fold from 1/kappa: sharp peaks at t_x are resolved at
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
        if (err <= 1e-10 * tot[0] || n >= MAXP) /* |K15 - G7|: K15 is far better */
            break;
        pc[n].lo = 0.5 * (pc[worst].lo + pc[worst].hi);
        pc[n].hi = pc[worst].hi;
        pc[worst].hi = pc[n].lo;
        quad_piece(p, x, tx, &pc[worst]);
        quad_piece(p, x, tx, &pc[n]);
        n++;
    }
    if (!(tot[0] > 0.0) || err > 1e-8 * tot[0])
        return -1;
    *li = log(s) + phi0 + log(tot[0]);
    if (g) {
        g[0] = tot[1] / tot[0];
        g[1] = tot[2] / tot[0];
        g[2] = 1.0 / s + tot[3] / tot[0];
        g[3] = tot[4] / tot[0];
    }
    return 0;
}

/* One customer. The likelihood is
     L = Gamma(r+x) alpha^r beta^s / Gamma(r) * B,
     B = (alpha+T)^-(r+x) (beta+T)^-s + s/(r+s+x) (D(t_x) - D(T)),
     D(t) = 2F1(r+s+x, s+1; r+s+x+1; (alpha-beta)/(alpha+t)) (alpha+t)^-(r+s+x)  (alpha >= beta)
     D(t) = 2F1(r+s+x, r+x; r+s+x+1; (beta-alpha)/(beta+t)) (beta+t)^-(r+s+x)    (alpha < beta)
   Computes log B (*lb), the share of the first term in B (*alive, = P(alive)), and when
   g != NULL the derivatives of log B by (r, alpha, s, beta). Returns 0 or -1. */
/* A direct-mapped cache of log D(t) and its derivatives for one parameter point, keyed by
   (x, t): D depends on the customer only through x and t, and t_x and T values repeat across
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

/* log D(t) (*ld) and, when dd != NULL, its derivatives by (r, alpha, s, beta), through the
   Euler-transformed series. Returns 0 or -1. */
static int pnbd_logd(const double *p, double x, double t, double *ld, double *dd)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double a = r + s + x;
    const int ab = al >= be;
    const double mx = ab ? al : be, diff = ab ? al - be : be - al;
    double h[4], lf, z = diff / (mx + t), lm = log(mx + t);
    double b2 = ab ? s + 1.0 : r + x;
    if (log_hyp_euler(a, b2, a + 1.0, z, &lf, dd ? h : NULL) != 0)
        return -1;
    *ld = lf - a * lm;
    if (dd) {
        double fa = h[0], fb = h[1], fc = h[2], fz = h[3]; /* d log 2F1 */
        double inv = 1.0 / (mx + t);
        /* d log D / d(r, alpha, s, beta); a and c = a + 1 move with r and s */
        if (ab) { /* b2 = s + 1, z = (alpha - beta)/(alpha + t) */
            dd[0] = fa + fc - lm;
            dd[2] = fa + fb + fc - lm;
            dd[1] = fz * (be + t) * inv * inv - a * inv;
            dd[3] = -fz * inv;
        } else { /* b2 = r + x, z = (beta - alpha)/(beta + t) */
            dd[0] = fa + fb + fc - lm;
            dd[2] = fa + fc - lm;
            dd[1] = -fz * inv;
            dd[3] = fz * (al + t) * inv * inv - a * inv;
        }
    }
    return 0;
}

/* pnbd_logd through the cache c (NULL: no cache). */
static int pnbd_logd_cached(dcache_entry *c, const double *p, double x, double t, double *ld,
                            double *dd)
{
    dcache_entry *e;
    uint64_t h;
    int k;
    if (!c)
        return pnbd_logd(p, x, t, ld, dd);
    h = (dc_bits(t) ^ (dc_bits(x) * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    e = &c[(h >> 40) & (DCACHE_SLOTS - 1)];
    if (e->state >= (dd ? 2 : 1) && e->x == x && e->t == t) {
        *ld = e->ld;
        for (k = 0; dd && k < 4; k++)
            dd[k] = e->dd[k];
        return 0;
    }
    if (pnbd_logd(p, x, t, ld, dd) != 0)
        return -1;
    e->x = x, e->t = t, e->ld = *ld, e->state = dd ? 2 : 1;
    for (k = 0; dd && k < 4; k++)
        e->dd[k] = dd[k];
    return 0;
}

/* The logs a customer's B needs that depend on one of its numbers only, so that the
   likelihood can keep them across rows: log(alpha+T), log(beta+T) and log(s/(r+s+x)). */
typedef struct {
    double lat, lbt, lsa;
} logs3;

static int pnbd_logb_c(dcache_entry *cache, const double *p, double x, double tx, double T,
                       const logs3 *lg, double *lb, double *alive, double *g);

static int pnbd_logb(const double *p, double x, double tx, double T, double *lb, double *alive,
                     double *g)
{
    logs3 lg;
    lg.lat = log(p[1] + T), lg.lbt = log(p[3] + T), lg.lsa = log(p[2] / (p[0] + p[2] + x));
    return pnbd_logb_c(NULL, p, x, tx, T, &lg, lb, alive, g);
}

/* B = e^u + e^v - e^w with u = log of the first term, v = log(s/a) + log D(t_x) and
   w = log(s/a) + log D(T), scaled by the larger of u and v (one exponential fewer). */
static int pnbd_logb_c(dcache_entry *cache, const double *p, double x, double tx, double T,
                       const logs3 *lg, double *lb, double *alive, double *g)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double a = r + s + x;
    const int ab = al >= be; /* which form */
    const double mx = ab ? al : be, diff = ab ? al - be : be - al;
    const double u = -(r + x) * lg->lat - s * lg->lbt;
    double ld[2], dd[2][4] = {{0}}, t1, e1, e2, M, bs, v, w; /* dd set for cppcheck */
    int k;
    if (!(tx < T)) { /* last purchase at T: no room to drop out unseen, B = the first term */
        *lb = u;
        *alive = 1.0;
        if (g) {
            g[0] = -lg->lat;
            g[1] = -(r + x) / (al + T);
            g[2] = -lg->lbt;
            g[3] = -s / (be + T);
        }
        return 0;
    }
    if (diff / (mx + tx) > 0.9) {
        /* the 2F1 argument is near 1: integrate the dropout term instead */
        double li, gi[4] = {0, 0, 0, 0}, ti;
        if (pnbd_dropout_quad(p, x, tx, T, &li, g ? gi : NULL) != 0)
            return -1;
        M = u > li ? u : li;
        t1 = exp(u - M);
        ti = exp(li - M);
        bs = t1 + ti;
        *lb = M + log(bs);
        *alive = t1 / bs;
        if (g) {
            g[0] = (t1 * -lg->lat + ti * gi[0]) / bs;
            g[1] = (t1 * -(r + x) / (al + T) + ti * gi[1]) / bs;
            g[2] = (t1 * -lg->lbt + ti * gi[2]) / bs;
            g[3] = (t1 * -s / (be + T) + ti * gi[3]) / bs;
        }
        return 0;
    }
    if (pnbd_logd_cached(cache, p, x, tx, &ld[0], g ? dd[0] : NULL) != 0 ||
        pnbd_logd_cached(cache, p, x, T, &ld[1], g ? dd[1] : NULL) != 0)
        return -1;
    v = lg->lsa + ld[0], w = lg->lsa + ld[1];
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
        /* d log(s/a) by (r, alpha, s, beta) */
        const double dls[4] = {-1.0 / a, 0.0, 1.0 / s - 1.0 / a, 0.0};
        double dt1[4];
        dt1[0] = -lg->lat;
        dt1[1] = -(r + x) / (al + T);
        dt1[2] = -lg->lbt;
        dt1[3] = -s / (be + T);
        for (k = 0; k < 4; k++)
            g[k] = (t1 * dt1[k] + dls[k] * (e1 - e2) + e1 * dd[0][k] - e2 * dd[1][k]) / bs;
    }
    return 0;
}

/* A direct-mapped cache of log(alpha+T) and log(beta+T) by T, for one parameter point:
   the rows' ages repeat (whole days). */
#define TCACHE_SLOTS 4096
typedef struct {
    double T, lat, lbt;
} tcache_entry;

static int loglik(const double *p, const cv_model_data *d, double *ll, double *grad)
{
    const double r = p[0], al = p[1], s = p[2], be = p[3];
    const double lgr = cv_lgamma(r), pr = cv_digamma(r), lal = log(al), lbe = log(be);
    double sum = 0, g[4] = {0, 0, 0, 0}, cx = NAN, lgrx = 0, prx = 0;
    dcache_entry *cache = NULL;
    tcache_entry *tc = NULL;
    logs3 lg = {0, 0, 0};
    size_t i;
    int k;
    if (d->n >= 64) {
        cache = cv_calloc(DCACHE_SLOTS, sizeof *cache);
        tc = cv_malloc(TCACHE_SLOTS * sizeof *tc);
        for (i = 0; tc && i < TCACHE_SLOTS; i++)
            tc[i].T = NAN; /* never equal: empty */
    }
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0, x = d->x[i], T = d->T[i];
        double lb, alive, gb[4] = {0, 0, 0, 0};
        if (w == 0.0)
            continue;
        if (x != cx) { /* kept while x repeats: collapsed rows come sorted by x */
            cx = x;
            lgrx = cv_lgamma(r + x);
            prx = grad ? cv_digamma(r + x) : 0.0;
            lg.lsa = log(s / (r + s + x));
        }
        if (tc) {
            tcache_entry *e = &tc[((dc_bits(T) * 0x9E3779B97F4A7C15ULL) >> 52) & (TCACHE_SLOTS - 1)];
            if (!(e->T == T))
                e->T = T, e->lat = log(al + T), e->lbt = log(be + T);
            lg.lat = e->lat, lg.lbt = e->lbt;
        } else {
            lg.lat = log(al + T), lg.lbt = log(be + T);
        }
        if (pnbd_logb_c(cache, p, x, d->t_x[i], T, &lg, &lb, &alive, grad ? gb : NULL) != 0) {
            cv_free(cache), cv_free(tc);
            *ll = NAN;
            return -1;
        }
        sum += w * (lgrx - lgr + r * lal + s * lbe + lb);
        if (grad) {
            g[0] += w * (prx - pr + lal + gb[0]);
            g[1] += w * (r / al + gb[1]);
            g[2] += w * (lbe + gb[2]);
            g[3] += w * (s / be + gb[3]);
        }
    }
    cv_free(cache), cv_free(tc);
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
   purchases; its terms are summed in logs relative to B1. NaN when not computable. */
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
    return first + exp(lpre) * (1.0 - br);
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
        (1u << CV_PRED_PMF),
    loglik,
    check,
    start,
    predict,
    simulate,
    NULL, /* no conditional_path */
};
