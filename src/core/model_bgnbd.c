/* cvkit BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way") and
   MBG/NBD (Batislam, Denizel & Filiztekin 2007): likelihood with analytic gradient,
   predictions and simulation. The two differ only in whether a customer may drop out
   right after the first purchase (MBG) or only after repeat purchases (BG). */
#include "cvkit/models.h"
#include "cvkit/special.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const char *const names[] = {"r", "alpha", "a", "b"};

static int check(const cv_model_data *d, size_t *row, const char **why)
{
    return cv_model_check_rft(d, row, why);
}

/* r = 1, alpha = mean T / mean x (the mean purchase rate), a = b = 1. */
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
    p[3] = 1.0;
}

/* A direct-mapped cache of log(alpha + t), log1p(t/alpha) and 1/(alpha + t) for one alpha,
   keyed by t's bits (4096 slots: the ages of a few years in days fit), and for an age T the
   factor E1 = a/(b+k-1) (1 + T/alpha)^(r+x) of the likelihood's second term at the x in
   ex_x (-1 where its exponent passes EXP_PART). */
#define LOGCACHE_SLOTS 4096
typedef struct {
    double t, v, v1, inv, ex, ex_x;
} logcache;

/* The largest exponent (r+x) log1p(t/alpha) taken into the product E1 E2 = e^D: each
   exponent's rounding, |y| ulps of the factor, stays below 1e-13 of the log-likelihood term
   it makes (as for D itself below); larger ones take the path through D. */
#define EXP_PART 200.0

/* fills slot e for t (a miss; apart, so that the lookup itself stays small and inline) */
static void logcache_fill(logcache *e, double al, double lal, double t)
{
    e->t = t;
    e->ex_x = NAN;
    e->v = log(al + t);
    e->inv = 1.0 / (al + t);
    /* log1p(t/alpha) as log(alpha+t) - log(alpha) where that keeps 13 digits (t = 0 gives
       0 exactly) */
    e->v1 = e->v - lal;
    if (!(e->v1 >= 2e-3 * (fabs(e->v) + fabs(lal)) || t == 0.0))
        e->v1 = log1p(t / al);
}

static inline logcache *cached_log(logcache *c, double al, double lal, double t)
{
    uint64_t u;
    logcache *e;
    memcpy(&u, &t, sizeof u);
    e = &c[((u * 0x9E3779B97F4A7C15ULL) >> 52) & (LOGCACHE_SLOTS - 1)];
    if (e->t != t) /* empty slots hold NaN: never equal */
        logcache_fill(e, al, lal, t);
    return e;
}

/* The shared likelihood. mbg = 0: BG/NBD,
     L = Gamma(r+x) alpha^r / Gamma(r) [B(a, b+x)/B(a,b) (alpha+T)^-(r+x)
         + [x > 0] B(a+1, b+x-1)/B(a,b) (alpha+t_x)^-(r+x)]       (FHL 2005, eq. 6)
   mbg = 1: MBG/NBD, b + x -> b + x + 1 in both beta functions and the second term for
   every x. With k = x + mbg and B(a+1, b+k-1) = B(a, b+k) a/(b+k-1), in logs:
     log L = log Gamma(r+x)/Gamma(r) - x log(alpha+T) - r log1p(T/alpha)
             + log B(a, b+k)/B(a, b) + [k > 0] log(1 + e^D),
     D = log(a/(b+k-1)) + (r+x) log1p((T-t_x)/(alpha+t_x)),
   every part computed without the cancellation of large numbers (docs/models.md,
   "Precision"): r log alpha - (r+x) log(alpha+T) and the beta functions' lgammas are
   never formed. The gradient in the same form, by (r, alpha, a, b), with w2 = the share of
   the second term = 1/(1 + e^-D):
     r:     psi(r+x) - psi(r) - log1p(T/alpha) + w2 log1p((T-t_x)/(alpha+t_x))
     alpha: (r T - x alpha)/(alpha (alpha+T)) - w2 (r+x)(T-t_x)/((alpha+t_x)(alpha+T))
     a:     -[psi(a+b+k) - psi(a+b)] + w2/a
     b:     [psi(b+k) - psi(b)] - [psi(a+b+k) - psi(a+b)] - w2/(b+k-1) */
static int loglik_any(int mbg, const double *p, const cv_model_data *d, double *ll, double *grad)
{
    const double r = p[0], al = p[1], a = p[2], b = p[3], la = log(a), ia = 1.0 / a;
    const double lal = log(al), ial = 1.0 / al;
    double sum = 0, csum = 0, gr = 0, gal = 0, ga = 0, gb = 0;
    double pu = 1.0; /* the product of the rows' 1 + e^D (to their weights), times 2^eu */
    int eu = 0;
    /* functions of x alone, cached while x repeats (collapsed rows come sorted by x) */
    double cx = NAN, k = 0, lgrx = 0, lbk = 0, lbkm1 = 0, ibk = 0, grx = 0, gabk = 0, hbk = 0;
    /* log(alpha + t_x), log1p(t_x/alpha), 1/(alpha + t_x) and E2 = (1 + t_x/alpha)^-(r+x),
       kept while t_x repeats (collapsed rows come sorted by t_x within x) */
    double ctx = NAN, ltx = 0, l1tx = 0, itx = 0, xtx = 0, E2 = 0;
    logcache lc[LOGCACHE_SLOTS]; /* logs of alpha + T by T: ages repeat (days) */
    size_t i;
    for (i = 0; i < LOGCACHE_SLOTS; i++)
        lc[i].t = NAN;
    for (i = 0; i < d->n; i++) {
        const double w = d->w ? d->w[i] : 1.0, x = d->x[i], tx = d->t_x[i], T = d->T[i];
        logcache *eT;
        double li, l2 = 0.0, w2 = 0.0, D, lT, l1T, iT, iTx = 0.0;
        if (w == 0.0)
            continue;
        if (x != cx) {
            if (x > cx && x - cx <= 16.0) {
                /* the next x up (rows sorted by x): extend the sums term by term; each
                   term is positive (or negative) throughout, so nothing cancels */
                double j;
                for (j = cx; j < x; j++) {
                    lgrx += log(r + j);
                    lbk -= log1p(a / (b + (j + mbg)));
                    if (grad) {
                        grx += 1.0 / (r + j);
                        gabk += 1.0 / (a + b + (j + mbg));
                        hbk += a / ((b + (j + mbg)) * (a + b + (j + mbg)));
                    }
                }
            } else {
                lgrx = cv_lgamma_ratio(r, x);
                lbk = cv_lbeta_shift(a, b, x + mbg);
                if (grad) {
                    grx = cv_digamma_diff(r, x);
                    gabk = cv_digamma_diff(a + b, x + mbg);
                    hbk = cv_lbeta_shift_db(a, b, x + mbg);
                }
            }
            cx = x, ctx = NAN; /* E2 depends on x */
            k = x + mbg;
            lbkm1 = k > 0 ? log(b + (k - 1.0)) : 0.0;
            ibk = k > 0 ? 1.0 / (b + (k - 1.0)) : 0.0;
        }
        if (k > 0 && tx != ctx) { /* first: the lookup of T must not be taken by t_x's */
            const logcache *etx = cached_log(lc, al, lal, tx);
            ctx = tx, ltx = etx->v, l1tx = etx->v1, itx = etx->inv;
            xtx = (r + x) * l1tx;
            E2 = xtx <= EXP_PART ? exp(-xtx) : 0.0;
        }
        eT = cached_log(lc, al, lal, T);
        lT = eT->v, l1T = eT->v1, iT = eT->inv;
        li = lgrx - x * lT - r * l1T + lbk;
        if (k > 0) {
            iTx = itx;
            if (eT->ex_x != x) { /* E1 for this x */
                double xT = (r + x) * l1T;
                eT->ex_x = x;
                eT->ex = xT <= EXP_PART ? exp(la - lbkm1 + xT) : -1.0;
            }
            if (eT->ex >= 0.0 && E2 > 0.0) {
                /* e^D = E1 E2; log(1 + e^D) = log(u) + d/u with u = 1 + e^D rounded and d
                   its rounding error (exact), so one log and one division serve the value
                   and w2 */
                double E = eT->ex * E2, u = 1.0 + E, iu = 1.0 / u;
                double dl = E > 1.0 ? 1.0 - (u - E) : E - (u - 1.0);
                l2 = l1T - l1tx;
                if (u <= 0x1p32 && w >= 1.0 && w <= 16.0 && w == (int)w) {
                    /* log(u) of a whole weight w up to 16 into the product pu (mantissa
                       and power of two: one log an evaluation, not one a row; u >= 1) */
                    double uw = u;
                    int j;
                    for (j = 1; j < (int)w; j++)
                        uw *= u;
                    pu *= uw;
                    if (pu > 0x1p500) {
                        int ex;
                        pu = frexp(pu, &ex), eu += ex;
                    }
                    li += dl * iu;
                } else {
                    li += log(u) + dl * iu;
                }
                w2 = E * iu;
            } else {
                double e;
                /* log((alpha+T)/(alpha+t_x)) as a difference of cached logs when its error,
                   (r+x) ulps of the logs, stays below 1e-13 in D; else by log1p */
                if ((r + x) * (fabs(lT) + 1.0) < 400.0)
                    l2 = lT - ltx;
                else
                    l2 = log1p((T - tx) * iTx);
                D = la - lbkm1 + (r + x) * l2;
                e = exp(-fabs(D));
                li += (D > 0.0 ? D : 0.0) + cv_log1p_fast(e); /* log(1 + e^D) */
                w2 = (D > 0.0 ? 1.0 : e) / (1.0 + e);
            }
        }
        { /* Neumaier's compensated sum: the total's roundings (about 1e-6 in 1.7e7 over a
             million rows) stay out of the fit */
            double t = w * li, v = sum + t;
            csum += fabs(sum) >= fabs(t) ? (sum - v) + t : (t - v) + sum;
            sum = v;
        }
        if (grad) {
            /* r T - x alpha, with the products' rounding errors put back when they cancel
               to below 1e-4 of r T (elsewhere the plain difference is within 1e-12) */
            double pT = r * T, pa = x * al, num = pT - pa;
            if (fabs(num) < 1e-4 * pT)
                num += fma(r, T, -pT) - fma(x, al, -pa);
            gr += w * (grx - l1T + w2 * l2);
            gal += w * (num * ial * iT - (k > 0 ? w2 * (r + x) * (T - tx) * iT * iTx : 0.0));
            ga += w * (w2 * ia - gabk);
            gb += w * (hbk - w2 * ibk);
        }
    }
    sum += csum + (log(pu) + eu * 0.69314718055994530942);
    *ll = sum;
    if (grad)
        grad[0] = gr, grad[1] = gal, grad[2] = ga, grad[3] = gb;
    return isfinite(sum) ? 0 : -1;
}

static int loglik_bg(const double *p, const cv_model_data *d, double *ll, double *grad)
{
    return loglik_any(0, p, d, ll, grad);
}

static int loglik_mbg(const double *p, const cv_model_data *d, double *ll, double *grad)
{
    return loglik_any(1, p, d, ll, grad);
}

/* log of the factor ((alpha+T)/(alpha+t_x))^(r+x) a/(b+x-1+mbg) in P(alive) */
static double alive_odds(int mbg, const double *p, double x, double tx, double T)
{
    const double r = p[0], al = p[1], a = p[2], b = p[3];
    if (!mbg && x == 0.0)
        return 0.0;
    return exp((r + x) * log1p((T - tx) / (al + tx))) * a / (b + x - 1.0 + mbg);
}

/* log of the negative binomial P(N(t) = j) = Gamma(r+j)/(Gamma(r) j!) (alpha/(alpha+t))^r
   (t/(alpha+t))^j, the purchases of a customer who never drops out (lq = -log1p(t/alpha),
   lz = log(t/(alpha+t))) */
static double nb_log(double r, double j, double lq, double lz)
{
    return cv_lgamma_ratio(r, j) - cv_lgamma(j + 1.0) + r * lq + (j > 0 ? j * lz : 0.0);
}

/* P(X(t) = k) for a new customer. BG/NBD (mbg = 0; FHL 2005, eq. 8):
     B(a, b+k)/B(a,b) NB(k) + [k > 0] B(a+1, b+k-1)/B(a,b) (1 - sum_{j<k} NB(j)),
   NB the negative binomial of nb_log: alive through the k-th purchase with no (k+1)-th
   before t, or dropped out right after the k-th. MBG/NBD (mbg = 1; Batislam, Denizel &
   Filiztekin 2007): b -> b+1 in both beta functions and the second term for every k (a
   dropout at time 0 is the k = 0 case: B(a+1, b)/B(a,b) = a/(a+b)). The beta ratios are
   formed at whole-number shifts (cv_lbeta_shift). NaN for k not a whole number >= 0. */
static double pmf_any(int mbg, const double *p, double t, double k)
{
    const double r = p[0], al = p[1], a = p[2], b = p[3];
    double lq, lz, lbk, v, s = 0.0;
    int j;
    if (!(k >= 0.0) || k != floor(k) || !(t >= 0.0) || k > 1e6)
        return NAN;
    if (t == 0.0) /* no time to buy: X = 0 */
        return k == 0.0 ? 1.0 : 0.0;
    lq = -log1p(t / al), lz = log(t / (al + t));
    lbk = cv_lbeta_shift(a, b, k + mbg); /* log B(a, b+k+mbg)/B(a,b) */
    v = exp(lbk + nb_log(r, k, lq, lz));
    if (k > 0 || mbg) {
        for (j = 0; j < (int)k; j++)
            s += exp(nb_log(r, j, lq, lz));
        /* B(a+1, b+k+mbg-1) = B(a, b+k+mbg) a / (b+k+mbg-1) */
        v += exp(lbk + log(a / (b + k + mbg - 1.0))) * fmax(0.0, 1.0 - s);
    }
    return v;
}

/* 2F1(1, B; a+B; w) for w in [0, 1): the power series, or near w = 1 (w > 0.9, a not within
   1e-6 of a whole number) the connection formula to 1 - w (Abramowitz & Stegun 15.3.6):
     (a+B-1)/(a-1) 2F1(1, B; 2-a; 1-w)
     + (1-w)^(a-1) w^(1-a-B) Gamma(a+B) / (Gamma(B) Gamma(a)) pi / sin(pi a)
   (the second series is 2F1(a+B-1, a; a; 1-w) = w^(1-a-B); Gamma(1-a) by reflection), whose
   series converges fast where the first one needs thousands of terms. Returns 0 or -1. */
/* sum_{j>=0} w^j / (B + j) for B >= 10, by Euler-Maclaurin: the integral of g(t) =
   w^t / (B + t) over (0, inf), e^(kB) E1(kB) with k = -log w, plus g(0)/2 - g'(0)/12 (the
   next term is below 1/(720 B^4) of the sum's scale). */
static double lerch_phi(double w, double B)
{
    double k = -log(w), z = k * B, integral;
    if (z > 50.0) /* e^z E1(z), asymptotic series: relative error below 120 / z^5 */
        integral = (1.0 - 1.0 / z + 2.0 / (z * z) - 6.0 / (z * z * z) + 24.0 / (z * z * z * z)) / z;
    else
        integral = cv_hyperu_aa(1.0, z);
    return integral + 0.5 / B + (k / B + 1.0 / (B * B)) / 12.0;
}

static int hyp_1b(double B, double a, double w, double *out)
{
    double f1;
    if (w > 0.9 && a < 1e-6 && B >= 10.0) {
        /* a near 0: (B)_k / (B+a)_k = 1 - a H_k + O(a^2 H_k^2), H_k = sum_{j<k} 1/(B+j), so
           2F1(1, B; B+a; w) = (1 - a w Phi(w, B)) / (1 - w), Phi = sum_j w^j / (B+j) */
        double phi = lerch_phi(w, B);
        if (isfinite(phi) && a * phi < 1e-5) {
            *out = (1.0 - a * w * phi) / (1.0 - w);
            return isfinite(*out) ? 0 : -1;
        }
    }
    if (w > 0.9 && a < 1e-6) {
        /* a near 0 (no dropout: a BG/NBD fit at the boundary): Euler's transformation
           (1-w)^(a-1) 2F1(B+a-1, a; B+a; w), whose terms after the first are O(a) and fall
           faster than w^k / k; summed until the tail is below 1e-16 of the sum */
        double term = 1.0, sum = 1.0;
        long k;
        for (k = 0; k < 2000000L; k++) {
            term *= (B + a - 1.0 + k) * (a + k) / ((B + a + k) * (k + 1.0)) * w;
            sum += term;
            if (term * w / (1.0 - w) <= 1e-16 * sum)
                break;
        }
        if (k >= 2000000L)
            return -1;
        *out = exp((a - 1.0) * log1p(-w)) * sum;
        return isfinite(*out) ? 0 : -1;
    }
    if (w > 0.9 && fabs(a - floor(a + 0.5)) > 1e-6) {
        if (cv_hyp2f1(1.0, B, 2.0 - a, 1.0 - w, &f1) != 0)
            return -1;
        *out =
            (a + B - 1.0) / (a - 1.0) * f1 + exp((a - 1.0) * log1p(-w) + (1.0 - a - B) * log(w) +
                                                 cv_lgamma(a + B) - cv_lgamma(B) - cv_lgamma(a)) *
                                                 M_PI / sin(M_PI * a);
        return isfinite(*out) ? 0 : -1;
    }
    return cv_hyp2f1(1.0, B, a + B, w, out);
}

/* DERT of a customer alive at T: the posterior expectation of the discounted purchases.
   Given lambda and p, purchase j comes at a Gamma(j, lambda) time and is made with
   probability (1-p)^(j-1), so the sum of e^(-delta t_j) is lambda / (delta + p lambda).
   Over p ~ Beta(a, B) (B = b+x; MBG b+x+1) that is w 2F1(1, B; a+B; w), w =
   lambda/(lambda+delta) (Pfaff's transformation of E[(1 + p lambda/delta)^-1]); over
   lambda ~ Gamma(R = r+x, A = alpha+T) it is integrated by the trapezoid rule in
   u = log(A lambda), which converges geometrically for this smooth, doubly decaying
   integrand (step 0.25, from 40 log-units below the mode of the integrand, which falls as
   e^((R+1)u) on the left since w ~ lambda/delta there, to 40 above). NaN on failure. */
static double dert_alive(double R, double A, double a, double B, double delta)
{
    /* the integrand is a peak of width about 1/sqrt(R) in u: the step resolves it (the
       trapezoid's error falls as exp(-2 pi^2 / (R h^2)), e^-30 here), and for large R the
       range is cut to 12 widths each side, where the log-integrand has fallen by over 60 */
    const double h = fmin(0.25, 0.8 / sqrt(R + 1.0)), lgr = cv_lgamma(R), u0 = log(R);
    double sum = 0.0, u, lo, hi;
    if (!(delta > 0.0))
        return NAN;
    lo = u0 - 40.0 / (R + 1.0) - 2.0;
    hi = log(R + 40.0 + 12.0 * sqrt(R)) + 1.0;
    if (R >= 100.0) {
        lo = fmax(lo, u0 - 12.0 / sqrt(R));
        hi = fmin(hi, u0 + 12.0 / sqrt(R));
    }
    for (u = lo; u <= hi; u += h) {
        double v = exp(u), lam = v / A, w = lam / (lam + delta), f, dens;
        if (R >= 10.0) {
            /* R u - e^u - lgamma(R) without cancelling terms of size R log R (relative
               error 2e-6 at R = 5e8 otherwise): with du = u - log R,
               1/2 log(R / 2 pi) - S(R) - R (e^du - 1 - du) */
            double du = u - u0, g;
            if (fabs(du) < 0.01)
                g = du * du *
                    (0.5 + du * (1.0 / 6 + du * (1.0 / 24 + du * (1.0 / 120 + du / 720.0))));
            else
                g = expm1(du) - du;
            dens = exp(0.5 * u0 - 0.91893853320467274178 - cv_lgamma_rest(R) - R * g);
        } else {
            dens = exp(R * u - v - lgr);
        }
        if (dens < 1e-300)
            continue;
        if (hyp_1b(B, a, w, &f) != 0)
            return NAN;
        sum += dens * w * f;
    }
    return sum * h;
}

/* 1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, B; C; z), z = t/(alpha+T+t), B = b+x+mbg,
   C = a+b+x-1+mbg: the bracket of the expectations (x = T = 0: a new customer's). When
   (r+x) z is large (customers with many purchases) the series' terms grow like
   e^((r+x) z) and the product cancels; Euler's transformation 2F1(r+x, B; C; z) =
   (1-z)^(a-1-r-x) 2F1(C-r-x, a-1; C; z) turns the product into (1-z)^(a-1) times a series
   that converges fast for large x. Returns 0 or -1. */
static int cond_bracket(int mbg, const double *p, double x, double T, double t, double *out)
{
    const double r = p[0], al = p[1], a = p[2], b = p[3];
    const double z = t / (al + T + t), c = a + b + x - 1.0 + mbg;
    /* log((alpha+T)/(alpha+T+t)) by log1p: with r + x in the millions (r, alpha running to
       infinity together) the exponent must be exact to the last bit of t/(alpha+T) */
    const double l1z = -log1p(t / (al + T));
    double f;
    if (!(t >= 0.0))
        return -1;
    if ((r + x) * z > 30.0) {
        if (cv_hyp2f1(c - r - x, a - 1.0, c, z, &f) != 0)
            return -1;
        *out = 1.0 - exp((a - 1.0) * l1z) * f;
    } else {
        if (cv_hyp2f1(r + x, b + x + mbg, c, z, &f) != 0)
            return -1;
        *out = 1.0 - exp((r + x) * l1z) * f;
    }
    return isfinite(*out) ? 0 : -1;
}

/* P(Y(t) = k | x, t_x, T), k purchases in (T, T+t]: a customer alive at T (probability
   P(alive)) has lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x+mbg) and from T on buys
   and drops out as a new BG/NBD customer does, so P(alive) times the new customer's PMF at
   those parameters (pmf_any with mbg = 0: no dropout at T itself), plus 1 - P(alive) at
   k = 0 (Fader, Hardie & Lee, "Deriving the conditional PMF of the BG/NBD model"). */
static double cond_pmf(int mbg, const double *p, double x, double tx, double T, double t, double k)
{
    const double post[4] = {p[0] + x, p[1] + T, p[2], p[3] + x + mbg};
    const double od = alive_odds(mbg, p, x, tx, T), pk = pmf_any(0, post, t, k);
    return pk / (1.0 + od) + (k == 0.0 ? 1.0 / (1.0 + 1.0 / od) : 0.0);
}

/* P(Y(t) > 0 | x, t_x, T), at least one purchase in (T, T+t] (BTYDplus' "P(active)"):
   P(alive) times 1 - ((alpha+T)/(alpha+T+t))^(r+x). Alive at T, a customer can drop out
   only right after a purchase, so some purchase falls in t exactly when the first does. */
static double p_active(int mbg, const double *p, double x, double tx, double T, double t)
{
    if (!(t >= 0.0))
        return NAN;
    return -expm1(-(p[0] + x) * log1p(t / (p[1] + T))) / (1.0 + alive_odds(mbg, p, x, tx, T));
}

static double predict_any(int mbg, const double *p, cv_pred kind, double x, double tx, double T,
                          double arg)
{
    const double r = p[0], al = p[1], a = p[2], b = p[3];
    double f, t = arg;
    switch (kind) {
    case CV_PRED_CONDITIONAL_ALIVE:
        if (cond_bracket(mbg, p, x, T, t, &f) != 0)
            return NAN;
        return (a + b + x - 1.0 + mbg) / (a - 1.0) * f;
    case CV_PRED_DERT_ALIVE:
        return dert_alive(r + x, al + T, a, b + x + mbg, arg);
    case CV_PRED_DERT:
        return dert_alive(r + x, al + T, a, b + x + mbg, arg) /
               (1.0 + alive_odds(mbg, p, x, tx, T));
    case CV_PRED_P_ALIVE:
        return 1.0 / (1.0 + alive_odds(mbg, p, x, tx, T));
    case CV_PRED_EXPECTED:
        /* BG: (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]
           MBG: b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))] */
        if (cond_bracket(mbg, p, 0.0, 0.0, t, &f) != 0)
            return NAN;
        return (mbg ? b : a + b - 1.0) / (a - 1.0) * f;
    case CV_PRED_CONDITIONAL:
        /* FHL 2005 eq. 10 (MBG: b -> b + 1 in the posterior of p) */
        if (cond_bracket(mbg, p, x, T, t, &f) != 0)
            return NAN;
        return (a + b + x - 1.0 + mbg) / (a - 1.0) * f / (1.0 + alive_odds(mbg, p, x, tx, T));
    default:
        return NAN;
    }
}

/* The expectations divide by a - 1 a bracket that vanishes with it at a = 1 (a removable
   singularity: 0/0 at a = 1 exactly, cancellation near it). Within A1_GAP of 1 they are
   interpolated linearly between a = 1 - A1_GAP and 1 + A1_GAP (error O(A1_GAP^2) relative,
   about 1e-10; the cancellation at the two ends costs about 1e-11). */
#define A1_GAP 1e-5

static double predict_a1(int mbg, const double *p, cv_pred kind, double x, double tx, double T,
                         double arg)
{
    if ((kind == CV_PRED_EXPECTED || kind == CV_PRED_CONDITIONAL ||
         kind == CV_PRED_CONDITIONAL_ALIVE) &&
        fabs(p[2] - 1.0) < A1_GAP) {
        double lo[4], hi[4], vlo, vhi;
        memcpy(lo, p, sizeof lo);
        memcpy(hi, p, sizeof hi);
        lo[2] = 1.0 - A1_GAP, hi[2] = 1.0 + A1_GAP;
        vlo = predict_any(mbg, lo, kind, x, tx, T, arg);
        vhi = predict_any(mbg, hi, kind, x, tx, T, arg);
        return vlo + (vhi - vlo) * (p[2] - lo[2]) / (2.0 * A1_GAP);
    }
    return predict_any(mbg, p, kind, x, tx, T, arg);
}

/* CONDITIONAL_ALIVE at n horizons of one customer. The horizons whose bracket takes the
   direct series (cond_bracket's choice) share its coefficients: one pass for all of them
   (cv_hyp2f1_many); the others, and every horizon near a = 1, go one by one. */
static void path_any(int mbg, const double *p, double x, double T, const double *t, size_t n,
                     double *out)
{
    enum { CHUNK = 64 };
    const double r = p[0], al = p[1], a = p[2], b = p[3];
    const double lead = (a + b + x - 1.0 + mbg) / (a - 1.0);
    double z[CHUNK], f[CHUNK], g;
    size_t idx[CHUNK], i, j, k, m;
    if (fabs(a - 1.0) < A1_GAP) {
        for (i = 0; i < n; i++)
            out[i] = predict_a1(mbg, p, CV_PRED_CONDITIONAL_ALIVE, x, T, T, t[i]);
        return;
    }
    for (i = 0; i < n; i += m) {
        m = n - i < CHUNK ? n - i : CHUNK;
        for (j = k = 0; j < m; j++) {
            double tj = t[i + j], zj = tj / (al + T + tj);
            if (tj >= 0.0 && (r + x) * zj <= 30.0)
                idx[k] = i + j, z[k++] = zj;
            else
                out[i + j] = cond_bracket(mbg, p, x, T, tj, &g) == 0 ? lead * g : NAN;
        }
        cv_hyp2f1_many(r + x, b + x + mbg, a + b + x - 1.0 + mbg, z, k, f);
        for (j = 0; j < k; j++) {
            g = 1.0 - exp((r + x) * -log1p(t[idx[j]] / (al + T))) * f[j];
            out[idx[j]] = isfinite(g) ? lead * g : NAN;
        }
    }
}

static void path_bg(const double *p, double x, double T, const double *t, size_t n, double *out)
{
    path_any(0, p, x, T, t, n, out);
}

static void path_mbg(const double *p, double x, double T, const double *t, size_t n, double *out)
{
    path_any(1, p, x, T, t, n, out);
}

static double predict_bg(const double *p, cv_pred kind, double x, double tx, double T, double m,
                         double arg, double arg2)
{
    (void)m;
    if (kind == CV_PRED_PMF)
        return pmf_any(0, p, arg, arg2);
    if (kind == CV_PRED_PMF_CONDITIONAL)
        return cond_pmf(0, p, x, tx, T, arg, arg2);
    if (kind == CV_PRED_P_ACTIVE)
        return p_active(0, p, x, tx, T, arg);
    return predict_a1(0, p, kind, x, tx, T, arg);
}

static double predict_mbg(const double *p, cv_pred kind, double x, double tx, double T, double m,
                          double arg, double arg2)
{
    (void)m;
    if (kind == CV_PRED_PMF)
        return pmf_any(1, p, arg, arg2);
    if (kind == CV_PRED_PMF_CONDITIONAL)
        return cond_pmf(1, p, x, tx, T, arg, arg2);
    if (kind == CV_PRED_P_ACTIVE)
        return p_active(1, p, x, tx, T, arg);
    return predict_a1(1, p, kind, x, tx, T, arg);
}

/* One customer: purchase rate lambda ~ Gamma(r, alpha), dropout probability p ~ Beta(a,b);
   Poisson purchases while alive; after each repeat purchase (MBG: and at time 0) the
   customer drops out with probability p. */
static void simulate_any(int mbg, const double *p, cv_rng *rng, double T, double *x, double *tx)
{
    const double lambda = cv_rng_gamma(rng, p[0]) / p[1];
    const double q = cv_rng_beta(rng, p[2], p[3]);
    double now = 0.0, n = 0.0, last = 0.0;
    if (!(mbg && cv_rng_uniform(rng) < q)) {
        for (;;) {
            now += cv_rng_exp(rng) / lambda;
            if (now > T)
                break;
            n += 1.0;
            last = now;
            if (cv_rng_uniform(rng) < q)
                break;
        }
    }
    *x = n;
    *tx = last;
}

static void simulate_bg(const double *p, cv_rng *rng, double T, double *x, double *tx, double *m)
{
    *m = 0.0;
    simulate_any(0, p, rng, T, x, tx);
}

static void simulate_mbg(const double *p, cv_rng *rng, double T, double *x, double *tx, double *m)
{
    *m = 0.0;
    simulate_any(1, p, rng, T, x, tx);
}

const cv_model cv_model_bgnbd = {
    "bgnbd",
    "BG/NBD (Fader, Hardie & Lee 2005)",
    4,
    names,
    CV_NEED_X | CV_NEED_TX | CV_NEED_T,
    (1u << CV_PRED_P_ALIVE) | (1u << CV_PRED_EXPECTED) | (1u << CV_PRED_CONDITIONAL) |
        (1u << CV_PRED_PMF) | (1u << CV_PRED_DERT) | (1u << CV_PRED_CONDITIONAL_ALIVE) |
        (1u << CV_PRED_DERT_ALIVE) | (1u << CV_PRED_PMF_CONDITIONAL) | (1u << CV_PRED_P_ACTIVE),
    loglik_bg,
    check,
    start,
    predict_bg,
    simulate_bg,
    path_bg,
};

const cv_model cv_model_mbgnbd = {
    "mbgnbd",
    "MBG/NBD (Batislam, Denizel & Filiztekin 2007)",
    4,
    names,
    CV_NEED_X | CV_NEED_TX | CV_NEED_T,
    (1u << CV_PRED_P_ALIVE) | (1u << CV_PRED_EXPECTED) | (1u << CV_PRED_CONDITIONAL) |
        (1u << CV_PRED_DERT) | (1u << CV_PRED_CONDITIONAL_ALIVE) | (1u << CV_PRED_DERT_ALIVE) |
        (1u << CV_PRED_PMF) | (1u << CV_PRED_PMF_CONDITIONAL) | (1u << CV_PRED_P_ACTIVE),
    loglik_mbg,
    check,
    start,
    predict_mbg,
    simulate_mbg,
    path_mbg,
};
