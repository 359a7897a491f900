/* cvkit special functions: log-gamma, log-beta, digamma, the Gauss hypergeometric
   function 2F1 (with its partial derivatives) and the upper incomplete gamma function,
   as the customer-base models need them. Pure, reentrant and thread-safe. */
#ifndef CVKIT_SPECIAL_H
#define CVKIT_SPECIAL_H

#include <math.h>
#include <stddef.h>

/* log|Gamma(x)|; reentrant (lgamma_r, never the global signgam). +inf at poles. */
double cv_lgamma(double x);

/* log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a + b), for a, b > 0, to a few ulps of
   the largest of the three (Stirling's series with log1p when both are >= 10, so that
   B(1e15, 1e15) loses nothing to lgamma's size). */
double cv_lbeta(double a, double b);

/* Stirling's remainder lgamma(x) - [(x - 1/2) log x - x + log(2 pi)/2] for x > 0, to an ulp
   of itself for x >= 10 (it is about 1/(12 x)): for densities of huge shape, whose lgamma
   would otherwise cancel against x log x. */
double cv_lgamma_rest(double x);

/* log Gamma(x+d) / Gamma(x) for x > 0, x + d > 0, without the cancellation of two large
   lgammas: log1p steps up to 10, then the difference of Stirling's series written with
   log1p. Accurate to a few ulps of d log(x + d) (of 1 for small arguments). */
double cv_lgamma_ratio(double x, double d);

/* psi(x+d) - psi(x) for x > 0, x + d > 0, to a few ulps of the result: a sum of 1/(x+j)
   for whole d <= 64, else steps up to 12 and the asymptotic series of the difference
   (log1p(d/y) and positive geometric sums; no cancellation for huge x). */
double cv_digamma_diff(double x, double d);

/* log B(a, b+n) / B(a, b) = log (b)_n / (a+b)_n for a, b > 0 and whole n >= 0, to a few
   ulps of the result: -sum_{j<n} log1p(a/(b+j)) for n <= 64 or b > 64 n, else a
   difference of cv_lgamma_ratio that cancels little there. */
double cv_lbeta_shift(double a, double b, double n);

/* d/db of cv_lbeta_shift(a, b, n): [psi(b+n) - psi(b)] - [psi(a+b+n) - psi(a+b)], to a few
   ulps of the result (sum_{j<n} a/((b+j)(a+b+j)), or a difference of cv_digamma_diff). */
double cv_lbeta_shift_db(double a, double b, double n);

/* The digamma function psi(x) = d/dx log Gamma(x); NaN at x = 0, -1, -2, ...
   Accurate to about 1e-14 relative for x > 0. */
double cv_digamma(double x);

/* Gauss hypergeometric 2F1(a, b; c; z) for real z < 1 by its power series (z in [0, 1))
   or after the Pfaff transformation (z < 0). c must not be 0, -1, -2, ...
   Returns 0 and sets *out, or -1 when the series does not converge (z >= 1, or the
   term limit of 2,000,000 reached, which happens only for z very close to 1). */
int cv_hyp2f1(double a, double b, double c, double z, double *out);

/* 2F1 and its partial derivatives, for z in [0, 1) only, by one pass over the series:
   d[0] = F, d[1] = dF/da, d[2] = dF/db, d[3] = dF/dc, d[4] = dF/dz.
   Needs a, b, c > 0. Returns 0, or -1 as cv_hyp2f1 does. */
int cv_hyp2f1_grad(double a, double b, double c, double z, double d[5]);
/* The series' coefficients of cv_hyp2f1_grad for one (a, b, c), kept for many arguments z
   (zero it before the first use; free with cv_hyp2f1_tab_free): the ratios of successive
   terms and the running sums of the derivatives, each computed once instead of once a
   term per argument. */
typedef struct cv_hyp2f1_tab {
    double a, b, c;
    long n, cap; /* terms filled, terms allocated */
    double *v;
} cv_hyp2f1_tab;
/* cv_hyp2f1_grad through t (NULL: cv_hyp2f1_grad itself), the same operations in the same
   order, so the same values to the bit; (a, b, c) other than t's start it over. */
int cv_hyp2f1_grad_tab(cv_hyp2f1_tab *t, double a, double b, double c, double z, double d[5]);
void cv_hyp2f1_tab_free(cv_hyp2f1_tab *t);
/* 2F1(a, b; c; z[j]) into out[j] for n arguments in [0, 1) at once: one pass over the
   series, whose coefficients the arguments share, so a path of horizons costs little more
   than its longest member (a, b, c > 0; otherwise each is summed alone by cv_hyp2f1).
   Returns 0, or -1 when a value is not computable (out then holds NaN there). */
int cv_hyp2f1_many(double a, double b, double c, const double *z, size_t n, double *out);

/* The upper incomplete gamma function Gamma(a, x) = integral_x^inf t^(a-1) e^(-t) dt for
   x > 0 and any real a (negative a through the recurrence from a + k > 0, a = 0 through
   the exponential integral E1). Returns NaN outside that domain. */
double cv_upper_gamma(double a, double x);

/* Tricomi's confluent hypergeometric function U(a, a; z) = e^z Gamma(1 - a, z), z > 0
   (the Psi(s, s; z) of the Pareto/NBD DERT expression). */
double cv_hyperu_aa(double a, double z);

/* log1p(z) for finite z >= 0, faster than libm's log1p (the models' likelihoods call it
   per row) and within a few ulps of it. Below 0.0625, where libm's log itself takes a slower
   path near 1, the series 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...) with s = z/(2+z) <= 1/32
   (seven terms: the next is below 1e-19 of the sum); above, log(u) z / (u - 1) with u = 1 + z
   rounded (Goldberg 1991, "What every computer scientist should know about floating-point
   arithmetic", Theorem 4: the rounding of 1 + z cancels between the two factors). */
static inline double cv_log1p_fast(double z)
{
    if (z < 0.0625) {
        double s = z / (2.0 + z), s2 = s * s;
        return 2.0 * s +
               2.0 * s * s2 *
                   (1.0 / 3 +
                    s2 * (1.0 / 5 + s2 * (1.0 / 7 + s2 * (1.0 / 9 + s2 * (1.0 / 11 + s2 / 13.0)))));
    } else {
        double u = 1.0 + z;
        return log(u) * (z / (u - 1.0));
    }
}

#endif
