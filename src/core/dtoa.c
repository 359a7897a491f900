/* cvkit numbers as text: the shortest round-trip decimal of a double (cv_fmt_double).
   Three steps, each exact or knowingly undecided:
   1. values of at most 15 significant digits between 1e-7 and 1e15 (money, counts, most
      data): x * 10^k rounded, with k the most decimals that stay below 10^15, and the test
      round(x * 10^k) / 10^k == x: that division is what strtod computes for such a
      decimal (both operands exact, one correctly rounded step); then zeros dropped;
   2. every other value: x and the two midpoints to its neighbours scaled by 10^n into
      [1e16, 1e18) as 64.64 fixed point with a 128-bit power of ten (error under 2^-63),
      then the multiple of the largest power of ten strictly between the midpoints, the one
      nearest x; a decision that falls within the error bound is left undecided;
   3. undecided values (rare: a candidate on a midpoint, a tie): printf's correctly rounded
      "%.*e" for 1..17 digits, the first that strtod reads back. */
#include "cvkit/dtoa.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pow10.h"

__extension__ typedef unsigned __int128 u128;

/* ---- Powers of ten: 10^n ~ p * 2^b, p = floor(10^n / 2^b) with its top bit set ------------- */

#define POW_MIN (-292)
#define POW_MAX 340
#define BIG_WORDS 48 /* 1536 bits: 10^340 has 1130, 2^1400 / 10^292 has 431 */
#define BIG_SHIFT 1400

typedef struct pow10 {
    u128 p;
    int b;
} pow10;

static pow10 pow10_tab[POW_MAX - POW_MIN + 1];
static pthread_once_t pow10_once = PTHREAD_ONCE_INIT;
static int pow10_ready; /* set (release) once the table is filled: then no pthread_once call */

static int big_bitlen(const uint32_t *x)
{
    for (int w = BIG_WORDS - 1; w >= 0; w--)
        if (x[w])
            return w * 32 + 32 - __builtin_clz(x[w]);
    return 0;
}

/* The 128 bits of x from bit len - 128 up (bits below 0 are zeros), as p and b = len - 128. */
static pow10 big_top(const uint32_t *x)
{
    pow10 r = {0, 0};
    int len = big_bitlen(x);
    for (int t = 127; t >= 0; t--) {
        int bit = len - 128 + t;
        r.p <<= 1;
        if (bit >= 0 && (x[bit / 32] >> (bit % 32)) & 1u)
            r.p |= 1;
    }
    r.b = len - 128;
    return r;
}

/* Fills pow10_tab: positive powers exactly by repeated * 10 (then truncated to 128 bits);
   negative ones as floor(2^1400 / 10^i) by repeated integer division by 10 (floor of a floor
   is the floor), truncated to 128 bits: each p is below the true value by less than 2 units
   of its last bit. */
static void pow10_init(void)
{
    uint32_t x[BIG_WORDS];
    memset(x, 0, sizeof x);
    x[0] = 1;
    for (int n = 0; n <= POW_MAX; n++) {
        pow10_tab[n - POW_MIN] = big_top(x);
        uint64_t carry = 0;
        for (int w = 0; w < BIG_WORDS; w++) {
            uint64_t v = (uint64_t)x[w] * 10 + carry;
            x[w] = (uint32_t)v;
            carry = v >> 32;
        }
    }
    memset(x, 0, sizeof x);
    x[BIG_SHIFT / 32] = 1u << (BIG_SHIFT % 32);
    for (int i = 1; i <= -POW_MIN; i++) {
        uint64_t rem = 0;
        for (int w = BIG_WORDS - 1; w >= 0; w--) {
            uint64_t v = (rem << 32) | x[w];
            x[w] = (uint32_t)(v / 10);
            rem = v % 10;
        }
        pow10 t = big_top(x);
        t.b -= BIG_SHIFT;
        pow10_tab[-i - POW_MIN] = t;
    }
    __atomic_store_n(&pow10_ready, 1, __ATOMIC_RELEASE);
}

/* floor(e * log10(2)) for |e| <= 1650 (78913 / 2^18 is log10(2) to enough places). */
static int floor_log10_pow2(int e)
{
    return e >= 0 ? (int)(((uint32_t)e * 78913u) >> 18)
                  : -(int)((((uint32_t)-e * 78913u) + (1u << 18) - 1) >> 18);
}

/* ---- Step 2: the general case in fixed point ----------------------------------------------- */

/* (a * p) >> sh as 128 bits, for a product of at most 192 bits whose shifted value fits. */
static u128 mul_shift(uint64_t a, u128 p, int sh)
{
    u128 lo = (u128)a * (uint64_t)p, hi = (u128)a * (uint64_t)(p >> 64);
    u128 mid = (lo >> 64) + (uint64_t)hi;
    uint64_t w0 = (uint64_t)lo;
    u128 top = ((hi >> 64) + (mid >> 64)) << 64 | (uint64_t)mid; /* bits 64..191 */
    if (sh == 0)
        return top << 64 | w0;
    if (sh < 64)
        return top << (64 - sh) | (w0 >> sh);
    return top >> (sh - 64);
}

/* The error of a scaled value in units of 2^-64: v below 1.25 (the power's truncation, at
   most 2^-66 at these magnitudes, plus the shift's), the midpoints v +- d below 2.5 (d's
   own shift adds 1); the margin is more than that. */
#define EPS ((u128)4)

#define pow10_u64_0 1u
#define pow10_u64_1 10u
#define pow10_u64_2 100u
#define pow10_u64_3 1000u
#define pow10_u64_4 10000u
#define pow10_u64_5 100000u
#define pow10_u64_6 1000000u
#define pow10_u64_7 10000000u
#define pow10_u64_8 100000000u
#define pow10_u64_9 1000000000u
#define pow10_u64_10 10000000000u
#define pow10_u64_11 100000000000u
#define pow10_u64_12 1000000000000u
#define pow10_u64_13 10000000000000u
#define pow10_u64_14 100000000000000u
#define pow10_u64_15 1000000000000000u
#define pow10_u64_16 10000000000000000u
#define pow10_u64_17 100000000000000000u
#define pow10_u64_18 1000000000000000000u

/* x / 10^j with a constant divisor for each j (a multiplication, not a division). */
static uint64_t div_pow10(uint64_t x, int j)
{
    switch (j) {
#define D(k)                                                                                       \
    case k:                                                                                        \
        return x / pow10_u64_##k;
        D(0) D(1) D(2) D(3) D(4) D(5) D(6) D(7) D(8) D(9) D(10) D(11) D(12) D(13) D(14) D(15) D(16)
                D(17) D(18)
#undef D
                    default : return x /
                              cv_pow10_u64[j];
    }
}

/* 1 when integer c is certainly above (cmp > 0) or below (cmp < 0) the fixed-point value
   x; 0 when within the error margin (undecided). */
static int side(uint64_t c, u128 x, int *cmp)
{
    u128 cf = (u128)c << 64;
    if (cf >= x + EPS)
        *cmp = 1;
    else if (cf + EPS <= x)
        *cmp = -1;
    else
        return 0;
    return 1;
}

/* The shortest digits of v = f * 2^e (f > 0): v == *digits * 10^*exp10. lower_closer: the
   neighbour below is half as far (f a power of two, not the smallest exponent). 0, or -1
   when a decision fell within the error margin. */
static int shortest_fixed(uint64_t f, int e, int lower_closer, uint64_t *digits, int *exp10)
{
    int e2 = e + 63 - __builtin_clzll(f); /* 2^e2 <= v < 2^(e2 + 1) */
    int k0 = floor_log10_pow2(e2);        /* floor(log10 v) is k0 or k0 + 1 */
    int n = 16 - k0;                      /* v * 10^n in [1e16, 1e18) */
    if (n < POW_MIN || n > POW_MAX)
        return -1;
    const pow10 *pw = &pow10_tab[n - POW_MIN];
    int sh = -(e - 2 + pw->b + 64);
    if (sh < 0 || sh >= 128)
        return -1;
    u128 v = mul_shift(4 * f, pw->p, sh);
    u128 d = mul_shift(2, pw->p, sh); /* half the distance to a neighbour */
    u128 hi = v + d, lo = v - (lower_closer ? d >> 1 : d);
    uint64_t lint = (uint64_t)(lo >> 64), vint = (uint64_t)(v >> 64);
    int best = -1, cmp;
    /* the largest j with a multiple of 10^j strictly between lo and hi (if one of 10^(j+1)
       is, one of 10^j is too) */
    for (int j = 0; j <= 18; j++) {
        uint64_t t = cv_pow10_u64[j], c = (div_pow10(lint, j) + 1) * t;
        if (c - t == lint && !side(lint, lo, &cmp))
            return -1; /* a multiple of 10^j on the lower midpoint (kept when f is even) */
        if (!side(c, hi, &cmp))
            return -1;
        if (cmp > 0)
            break;
        if (!side(c, lo, &cmp) || cmp < 0)
            return -1;
        best = j;
    }
    if (best < 0)
        return -1;
    uint64_t t = cv_pow10_u64[best], q = div_pow10(vint, best);
    u128 rem = (u128)(vint - q * t) << 64 | (uint64_t)v, half = (u128)t << 63;
    if (rem + EPS > half && rem < half + EPS)
        return -1; /* a tie, or too close to one to tell */
    uint64_t r = rem > half ? (q + 1) * t : q * t;
    if (!side(r, lo, &cmp))
        return -1;
    if (cmp < 0)
        r += t; /* the nearest is below the (closer) lower midpoint: the next one up */
    if (!side(r, hi, &cmp))
        return -1;
    if (cmp > 0)
        r -= t;
    if (!side(r, lo, &cmp) || cmp < 0 || !side(r, hi, &cmp) || cmp > 0)
        return -1;
    *digits = div_pow10(r, best);
    *exp10 = best - n;
    return 0;
}

/* ---- Step 3: printf and strtod ------------------------------------------------------------ */

/* The digits of the first of "%.0e" .. "%.16e" that reads back as x (x finite, not 0). */
static void shortest_printf(double x, uint64_t *digits, int *exp10)
{
    char tmp[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
        if (strtod(tmp, NULL) == x || p == 17) {
            uint64_t d = 0;
            int nd = 0;
            char *s = tmp + (tmp[0] == '-'), *end;
            for (; *s && *s != 'e'; s++)
                if (*s >= '0' && *s <= '9') {
                    d = d * 10 + (uint64_t)(*s - '0');
                    nd++;
                }
            long ex = strtol(s + 1, &end, 10);
            *digits = d;
            *exp10 = (int)ex - (nd - 1);
            return;
        }
    }
}

/* ---- Step 1 and the text --------------------------------------------------------------------- */

/* ax (finite, 1e-7 <= ax < 1e15) as digits * 10^-k with digits < 10^15 and k the fewest
   decimals that read back; -1 when there are none (more than 15 significant digits). One
   test at the most decimals kmax that keep ax * 10^kmax below 10^15: a shorter decimal
   that reads back is also one of kmax decimals (with zeros appended), and rounding
   ax * 10^kmax finds it (the product is within 0.23 of it); then the zeros are dropped. */
static int decimals_fast(double ax, uint64_t *digits)
{
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t bits;
    memcpy(&bits, &ax, sizeof bits);
    int e2 = (int)(bits >> 52) - 1023; /* normal: 2^e2 <= ax < 2^(e2 + 1) */
    int k0 = floor_log10_pow2(e2);     /* floor(log10 ax) is k0 or k0 + 1 */
    int k = 14 - k0;
    if (k > 22)
        return -1;
    double y = ax * p10[k];
    if (y >= 1e15) {
        if (--k < 0)
            return -1;
        y = ax * p10[k];
    }
    double m = (double)(int64_t)(y + 0.5);
    if (fabs(y - m) > y * 0x1p-51) /* a short decimal is within y * 2^-52 of y: not one */
        return -1;
    if (m / p10[k] != ax)
        return -1;
    uint64_t d = (uint64_t)m;
    if (k >= 8 && d % 100000000 == 0) { /* the zeros dropped 8, 4, 2, 1 at a time */
        d /= 100000000;
        k -= 8;
    }
    if (k >= 4 && d % 10000 == 0) {
        d /= 10000;
        k -= 4;
    }
    if (k >= 2 && d % 100 == 0) {
        d /= 100;
        k -= 2;
    }
    if (k >= 1 && d % 10 == 0) {
        d /= 10;
        k -= 1;
    }
    *digits = d;
    return k;
}

int cv_double_decimals(double x)
{
    uint64_t d;
    double ax = fabs(x);
    if (ax == 0)
        return 0;
    if (!(ax >= 1e-7 && ax < 1e15))
        return -1;
    return decimals_fast(ax, &d);
}

static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930"
                            "31323334353637383940414243444546474849505152535455565758596061"
                            "6263646566676869707172737475767778798081828384858687888990919293"
                            "949596979899";

/* Writes the 8 digits of v (< 10^8, leading zeros kept) at p. */
static void put8(char *p, uint32_t v)
{
    uint32_t hi = v / 10000, lo = v % 10000;
    memcpy(p, pairs + 2 * (hi / 100), 2);
    memcpy(p + 2, pairs + 2 * (hi % 100), 2);
    memcpy(p + 4, pairs + 2 * (lo / 100), 2);
    memcpy(p + 6, pairs + 2 * (lo % 100), 2);
}

/* Writes the decimal digits of d (> 0) ending before end, in blocks of 8 (32-bit
   arithmetic, the blocks independent); returns where they start. */
static char *put_digits(char *end, uint64_t d)
{
    while (d >= 100000000) {
        end -= 8;
        put8(end, (uint32_t)(d % 100000000));
        d /= 100000000;
    }
    uint32_t v = (uint32_t)d;
    while (v >= 100) {
        end -= 2;
        memcpy(end, pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, pairs + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

size_t cv_fmt_double(double x, char *buf)
{
    char *o = buf;
    uint64_t digits = 0;
    int exp10 = 0;
    if (isnan(x))
        return (size_t)(memcpy(buf, "nan", 4), 3);
    if (signbit(x))
        *o++ = '-';
    double ax = fabs(x);
    if (isinf(ax)) {
        memcpy(o, "inf", 4);
        return (size_t)(o - buf) + 3;
    }
    if (ax == 0) {
        memcpy(o, "0", 2);
        return (size_t)(o - buf) + 1;
    }
    int k = -1;
    if (ax < 9007199254740992.0 && ax >= 1 && (double)(int64_t)ax == ax) {
        digits = (uint64_t)ax; /* a whole number below 2^53: its digits */
        k = 0;
    } else if (ax >= 1e-7 && ax < 1e15) {
        k = decimals_fast(ax, &digits);
    }
    if (k >= 0) {
        exp10 = -k;
    } else {
        uint64_t bits;
        memcpy(&bits, &ax, sizeof bits);
        int be = (int)(bits >> 52);
        uint64_t f = bits & ((1ull << 52) - 1);
        int e = be ? be - 1075 : -1074;
        if (be)
            f |= 1ull << 52;
        if (!__atomic_load_n(&pow10_ready, __ATOMIC_ACQUIRE))
            pthread_once(&pow10_once, pow10_init);
        if (shortest_fixed(f, e, be > 1 && f == 1ull << 52, &digits, &exp10) != 0)
            shortest_printf(ax, &digits, &exp10);
    }
    while (digits % 10 == 0) { /* 1200 * 10^-2 -> 12 */
        digits /= 10;
        exp10++;
    }
    /* fixed-size copies (no memcpy calls): the digits (at most 17) end at tmp + 24, so
       reading 24 bytes from their start stays in tmp; writing lands below buf + 35 */
    char tmp[48], *end = tmp + 24, *d = put_digits(end, digits);
    int nd = (int)(end - d), sci = nd - 1 + exp10; /* the leading digit's power of ten */
    if (sci >= -4 && sci <= 15) {
        if (exp10 >= 0) { /* an integer: digits, then zeros */
            memcpy(o, d, 24);
            memset(o + nd, '0', 16);
            o += nd + exp10;
        } else if (sci >= 0) { /* 911.07 */
            memcpy(o, d, 16);  /* the whole part (at most 16 digits), then the fraction */
            o[sci + 1] = '.';
            memcpy(o + sci + 2, d + sci + 1, 16);
            o += nd + 1;
        } else { /* 0.00123 */
            memcpy(o, "0.00000", 8);
            o += 1 - sci;
            memcpy(o, d, 24);
            o += nd;
        }
    } else { /* d.ddde+XX */
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, 16);
            o += nd - 1;
        }
        *o++ = 'e';
        *o++ = sci < 0 ? '-' : '+';
        int a = sci < 0 ? -sci : sci;
        if (a >= 100)
            *o++ = (char)('0' + a / 100);
        *o++ = (char)('0' + a / 10 % 10);
        *o++ = (char)('0' + a % 10);
    }
    *o = '\0';
    return (size_t)(o - buf);
}

/* ---- Sums of decimals ---------------------------------------------------------------------- */

int cv_decimals_common(const double *x, const uint8_t *valid, int64_t n, double *maxabs)
{
    static const int tries[] = {2, 4};
    static const double scale[] = {1e2, 1e4};
    double top = 0;
    for (int t = 0; t < 2; t++) {
        int ok = 1;
        top = 0;
        for (int64_t i = 0; i < n && ok; i++) {
            if (valid && !((valid[i >> 3] >> (i & 7)) & 1))
                continue;
            double a = fabs(x[i]);
            if (!(a < 1e11)) { /* NaN, inf, or too many digits before the point */
                ok = 0;
                break;
            }
            double y = a * scale[t], m = (double)(int64_t)(y + 0.5);
            ok = m / scale[t] == a;
            top = a > top ? a : top;
        }
        if (ok) {
            if (maxabs)
                *maxabs = top;
            return tries[t];
        }
    }
    return -1;
}

double cv_round_decimals(double s, int d, double err)
{
    double scale = d == 2 ? 1e2 : d == 4 ? 1e4 : 0;
    if (scale == 0 || !(err * scale < 0.25) || !(fabs(s) * scale < 1125899906842624.0))
        return s;
    return nearbyint(s * scale) / scale;
}
