/* Private to the core's number readers (parse.c, csv_read.c): a decimal with up to 19
   significant digits and up to 19 after the point, m / 10^k, correctly rounded to a double
   with one division in x87 extended precision, where Clinger's fast path (m <= 2^53) does
   not apply: the shortest round-trip forms of doubles have 16-17 digits. Not a public
   header. */
#ifndef CVKIT_DECIMAL_LD_H
#define CVKIT_DECIMAL_LD_H

#include <float.h>
#include <stdint.h>
#include <string.h>

/* Sets *out to m / 10^k (k <= 19) correctly rounded and returns 1, or returns 0 (then the
   caller takes the slow, exact path). The division is exact-then-rounded to a 64-bit
   significand (m and 10^k are exact in it); rounding that to 53 bits gives the correctly
   rounded double unless the extended result lies exactly halfway between two doubles (its
   11 lowest significand bits 10000000000): then a second rounding could go the wrong way,
   and 0 is returned. Where long double is not the x87 format, always 0. */
static inline int cv_decimal_ld(uint64_t m, int k, double *out)
{
#if (defined(__x86_64__) || defined(__i386__)) && LDBL_MANT_DIG == 64
    static const long double p10[20] = {1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,
                                        1e7L,  1e8L,  1e9L,  1e10L, 1e11L, 1e12L, 1e13L,
                                        1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L};
    if (k < 0 || k > 19)
        return 0;
    long double q = (long double)m / p10[k];
    uint64_t sig;
    memcpy(&sig, &q, sizeof sig); /* the x87 significand, integer bit included */
    if ((sig & 0x7ff) == 0x400)
        return 0;
    *out = (double)q;
    return 1;
#else
    (void)m;
    (void)k;
    (void)out;
    return 0;
#endif
}

#endif
