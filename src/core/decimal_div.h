/* Private to the core's number readers (parse.c, csv_typed.c): a decimal with up to 19
   significant digits and up to 19 after the point, m / 10^k, correctly rounded to a double
   with one 128-by-64-bit integer division, where Clinger's fast path (m <= 2^53) does not
   apply: the shortest round-trip forms of doubles have 16-17 digits. Not a public header. */
#ifndef CVKIT_DECIMAL_DIV_H
#define CVKIT_DECIMAL_DIV_H

#include <stdint.h>
#include <string.h>

#include "pow10.h"

__extension__ typedef unsigned __int128 cv_u128;

/* m / 10^k (m > 0, k <= 19) correctly rounded (to nearest, ties to even) into *out;
   0, or -1 when k is out of range. The quotient q = floor(m 2^s / 10^k) is taken with 64
   significant bits and the remainder r: the exact value is (q + r / 10^k) 2^-s, so q's 11
   low bits and whether r is 0 decide the rounding to 53 bits exactly. */
static inline int cv_decimal_div(uint64_t m, int k, double *out)
{
    if (m == 0 || k < 0 || k > 19)
        return -1;
    uint64_t p = cv_pow10_u64[k];
    int bm = 64 - __builtin_clzll(m), bp = 64 - __builtin_clzll(p);
    int s = 63 + bp - bm; /* m 2^s / p lies in (2^62, 2^64); s + bm <= 127 */
    cv_u128 n = (cv_u128)m << s;
    uint64_t q = (uint64_t)(n / p);
    if (!(q >> 63)) { /* 63 bits: one more */
        s++;
        n <<= 1;
        q = (uint64_t)(n / p);
    }
    int exact = (cv_u128)q * p == n;
    uint64_t mant = q >> 11, low = q & 0x7ff;
    if (low > 0x400 || (low == 0x400 && (!exact || (mant & 1))))
        mant++;
    int e = 63 - s; /* the value is mant 2^(11 - s), mant in [2^52, 2^53] */
    if (mant >> 53) { /* rounded up to 2^53 */
        mant >>= 1;
        e++;
    }
    uint64_t bits = (uint64_t)(e + 1023) << 52 | (mant & ((UINT64_C(1) << 52) - 1));
    memcpy(out, &bits, sizeof bits); /* a normal double: e lies within -65..64 */
    return 0;
}

#endif
