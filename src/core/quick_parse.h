/* Private to the core's reading fast paths (csv_typed.c's typed rows, summary_fast.c): the
   plain forms of a number and of an ISO date, parsed in line with no callback. A field in
   any other form is left to the general path (parse.c), which gives the same values for
   these forms: the fast paths only skip its generality. Not a public header. */
#ifndef CVKIT_QUICK_PARSE_H
#define CVKIT_QUICK_PARSE_H

#include <stdint.h>

#include "cvkit/parse.h"
#include "decimal_div.h"

#define CV_QUICK_INLINE static inline __attribute__((always_inline))

/* Digits, optionally '.' and more digits, at p (no sign, no blank): *m = all the digits as
   one integer, *ndig how many, *frac how many after the point (0 without one). The character
   after them, or NULL when p starts with no digit, with a 0 followed by a digit (leading
   zeros make text), or ends with a bare point. Past 19 digits *m has wrapped: callers bound
   *ndig first. */
CV_QUICK_INLINE const char *cv_quick_digits(const char *p, uint64_t *m, int *ndig, int *frac)
{
    const unsigned char *q = (const unsigned char *)p;
    uint64_t v = (unsigned)*q - '0';
    if (v > 9 || (v == 0 && (unsigned)q[1] - '0' <= 9))
        return NULL;
    unsigned dg;
    for (q++; (dg = (unsigned)*q - '0') <= 9; q++)
        v = v * 10 + dg;
    int n = (int)(q - (const unsigned char *)p), f = 0;
    if (*q == '.') {
        const unsigned char *f0 = ++q;
        for (; (dg = (unsigned)*q - '0') <= 9; q++)
            v = v * 10 + dg;
        f = (int)(q - f0);
        if (f == 0)
            return NULL;
        n += f;
    }
    *m = v;
    *ndig = n;
    *frac = f;
    return (const char *)q;
}

/* m / 10^frac (m of at most 19 digits, frac <= 19) correctly rounded into *v: an exact
   division where m and 10^frac are exact doubles (Clinger's case), else cv_decimal_div
   (decimal_div.h: a multiplication by 10^-k, rarely an integer division).
   0, or -1 when frac is out of range. */
CV_QUICK_INLINE int cv_quick_decimal(uint64_t m, int frac, double *v)
{
    static const double p10[20] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                   1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};
    if (m <= (UINT64_C(1) << 53)) {
        *v = frac ? (double)m / p10[frac] : (double)m;
        return 0;
    }
    return cv_decimal_div(m, frac, v);
}

/* YYYY-MM-DD at q (q[0..9] readable), a valid day of the years 1901 to 2099: the days since
   1970-01-01 into *days. 0, or -1 for anything else (other years and errors: the general
   path, which reads or reports them). */
CV_QUICK_INLINE int cv_quick_iso_date(const unsigned char *q, int32_t *days)
{
    static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    unsigned d0 = q[0] - '0', d1 = q[1] - '0', d2 = q[2] - '0', d3 = q[3] - '0', d5 = q[5] - '0',
             d6 = q[6] - '0', d8 = q[8] - '0', d9 = q[9] - '0';
    if ((d0 > 9) | (d1 > 9) | (d2 > 9) | (d3 > 9) | (q[4] != '-') | (d5 > 9) | (d6 > 9) |
        (q[7] != '-') | (d8 > 9) | (d9 > 9))
        return -1;
    int y = (int)(d0 * 1000 + d1 * 100 + d2 * 10 + d3), m = (int)(d5 * 10 + d6),
        d = (int)(d8 * 10 + d9);
    if (y <= 1900 || y >= 2100 || m < 1 || m > 12 || d < 1 || (d > 28 && !cv_date_valid(y, m, d)))
        return -1;
    /* 1901-2099: every fourth year is a leap year */
    *days = (y - 1970) * 365 + (y - 1969 + 4000) / 4 - 1000 + before[m - 1] +
            (m > 2 && (y & 3) == 0) + d - 1;
    return 0;
}

#endif
