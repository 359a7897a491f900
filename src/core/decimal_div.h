/* Private to the core's number readers (parse.c, csv_typed.c): a decimal with up to 19
   significant digits and up to 19 after the point, m / 10^k, correctly rounded to a double
   with one 64-by-64-bit multiplication by 10^-k (Eisel-Lemire's idea), or one 128-by-64-bit
   integer division when the product cannot decide the rounding, where Clinger's fast path
   (m <= 2^53) does not apply: the shortest round-trip forms of doubles have 16-17 digits.
   Not a public header. */
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
static inline int cv_decimal_div_exact(uint64_t m, int k, double *out)
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
    int e = 63 - s;   /* the value is mant 2^(11 - s), mant in [2^52, 2^53] */
    if (mant >> 53) { /* rounded up to 2^53 */
        mant >>= 1;
        e++;
    }
    uint64_t bits = (uint64_t)(e + 1023) << 52 | (mant & ((UINT64_C(1) << 52) - 1));
    memcpy(out, &bits, sizeof bits); /* a normal double: e lies within -65..64 */
    return 0;
}

/* 10^-k as p 2^-(63 + b): p = floor(2^(63 + b) / 10^k), the 64 high bits of 10^-k
   truncated, b = ceil(log2 10^k) so that p lies in [2^63, 2^64). Checked against that
   formula by tests/unit/test_decimal_div.c. */
static const struct {
    uint64_t p;
    int b;
} cv_pow10_neg64[20] = {
    {UINT64_C(0x8000000000000000), 0},  /* 10^-0 */
    {UINT64_C(0xcccccccccccccccc), 4},  /* 10^-1 */
    {UINT64_C(0xa3d70a3d70a3d70a), 7},  /* 10^-2 */
    {UINT64_C(0x83126e978d4fdf3b), 10}, /* 10^-3 */
    {UINT64_C(0xd1b71758e219652b), 14}, /* 10^-4 */
    {UINT64_C(0xa7c5ac471b478423), 17}, /* 10^-5 */
    {UINT64_C(0x8637bd05af6c69b5), 20}, /* 10^-6 */
    {UINT64_C(0xd6bf94d5e57a42bc), 24}, /* 10^-7 */
    {UINT64_C(0xabcc77118461cefc), 27}, /* 10^-8 */
    {UINT64_C(0x89705f4136b4a597), 30}, /* 10^-9 */
    {UINT64_C(0xdbe6fecebdedd5be), 34}, /* 10^-10 */
    {UINT64_C(0xafebff0bcb24aafe), 37}, /* 10^-11 */
    {UINT64_C(0x8cbccc096f5088cb), 40}, /* 10^-12 */
    {UINT64_C(0xe12e13424bb40e13), 44}, /* 10^-13 */
    {UINT64_C(0xb424dc35095cd80f), 47}, /* 10^-14 */
    {UINT64_C(0x901d7cf73ab0acd9), 50}, /* 10^-15 */
    {UINT64_C(0xe69594bec44de15b), 54}, /* 10^-16 */
    {UINT64_C(0xb877aa3236a4b449), 57}, /* 10^-17 */
    {UINT64_C(0x9392ee8e921d5d07), 60}, /* 10^-18 */
    {UINT64_C(0xec1e4a7db69561a5), 64}, /* 10^-19 */
};

/* m / 10^k (m > 0, k <= 19) correctly rounded (to nearest, ties to even) into *out, as
   strtod reads the decimal; 0, or -1 when k is out of range. With w = m shifted left until
   its top bit is set, the 128-bit product w p = h 2^64 + l is at most w < 2^64 below the
   exact w 10^-k 2^(127 + b) (p is truncated by less than 1), so the exact value in units
   of h's last bit lies in [h + l 2^-64, h + l 2^-64 + 1): its integer part is h or h + 1.
   The bits of h below the 53 kept (11, or 10 when h < 2^63) give the rounding unless they
   are one below half or exactly half, where h + 1 or an exact half (a tie) could round
   otherwise: there (about 1 value in 500) the exact division decides. */
static inline int cv_decimal_div(uint64_t m, int k, double *out)
{
    if (m == 0 || k < 0 || k > 19)
        return -1;
    int lz = __builtin_clzll(m);
    cv_u128 pr = (cv_u128)(m << lz) * cv_pow10_neg64[k].p;
    uint64_t h = (uint64_t)(pr >> 64);
    int top = (int)(h >> 63), sh = 10 + top; /* the value is h 2^(1 - lz - b) */
    uint64_t low = h & ((UINT64_C(1) << sh) - 1), half = UINT64_C(1) << (sh - 1);
    if (low == half || low == half - 1)
        return cv_decimal_div_exact(m, k, out);
    uint64_t mant = (h >> sh) + (low > half);
    int e = 63 + top - lz - cv_pow10_neg64[k].b; /* mant in [2^52, 2^53]: mant 2^(e - 52) */
    if (mant >> 53) {                            /* rounded up to 2^53 */
        mant >>= 1;
        e++;
    }
    uint64_t bits = (uint64_t)(e + 1023) << 52 | (mant & ((UINT64_C(1) << 52) - 1));
    memcpy(out, &bits, sizeof bits); /* a normal double: 1e-19 <= m / 10^k < 2^64 */
    return 0;
}

#endif
