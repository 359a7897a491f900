/* Tests of src/core/dtoa.c: the shortest round-trip text of a double. Known cases written
   out by hand, then random doubles (bit patterns, money-like values, integers) checked
   against strtod (reads back) and against printf's "%.*e" loop (never longer; when as
   long, the same digits). CVKIT_DTOA_N sets the number of random values per kind
   (default 1,000,000 bit patterns and as many values; 100,000 under sanitizers, 20,000
   under valgrind). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/dtoa.h"

static const char *fmt(double x)
{
    static char buf[CV_DTOA_SIZE];
    size_t n = cv_fmt_double(x, buf);
    assert_int_equal(n, strlen(buf));
    return buf;
}

static void test_dtoa_known(void **state)
{
    (void)state;
    assert_string_equal(fmt(0.1), "0.1");
    assert_string_equal(fmt(911.07), "911.07");
    assert_string_equal(fmt(93607.3), "93607.3");
    assert_string_equal(fmt(911.0699999999999), "911.0699999999999");
    assert_string_equal(fmt(93607.30000000002), "93607.30000000002");
    assert_string_equal(fmt(0.1 + 0.2), "0.30000000000000004");
    assert_string_equal(fmt(5e-324), "5e-324");
    assert_string_equal(fmt(-5e-324), "-5e-324");
    assert_string_equal(fmt(2.2250738585072014e-308), "2.2250738585072014e-308");
    assert_string_equal(fmt(1.7976931348623157e308), "1.7976931348623157e+308");
    assert_string_equal(fmt(-0.0), "-0");
    assert_string_equal(fmt(0.0), "0");
    assert_string_equal(fmt(1.0), "1");
    assert_string_equal(fmt(-42.0), "-42");
    assert_string_equal(fmt(1e15), "1000000000000000");
    assert_string_equal(fmt(9007199254740992.0), "9007199254740992"); /* 2^53 */
    assert_string_equal(fmt(-9007199254740991.0), "-9007199254740991");
    assert_string_equal(fmt(1e16), "1e+16");
    assert_string_equal(fmt(1e21), "1e+21");
    assert_string_equal(fmt(123456789012345678e3), "1.2345678901234568e+20");
    assert_string_equal(fmt(0.0001), "0.0001");
    assert_string_equal(fmt(0.00012345), "0.00012345");
    assert_string_equal(fmt(1e-5), "1e-05");
    assert_string_equal(fmt(1.5e-7), "1.5e-07");
    assert_string_equal(fmt(1e100), "1e+100");
    assert_string_equal(fmt(2.5), "2.5");
    assert_string_equal(fmt(1.0 / 3), "0.3333333333333333");
    assert_string_equal(fmt(2.0 / 3), "0.6666666666666666");
    assert_string_equal(fmt(52.0 / 7), "7.428571428571429");
    assert_string_equal(fmt(INFINITY), "inf");
    assert_string_equal(fmt(-INFINITY), "-inf");
    assert_string_equal(fmt(NAN), "nan");
    assert_string_equal(fmt(9.5e-5), "9.5e-05");
    assert_string_equal(fmt(123456789012345.6), "123456789012345.6");
    assert_string_equal(fmt(5e-310), "5e-310"); /* subnormal */
    assert_string_equal(fmt(4.9406564584124654e-324 * 3), "1.5e-323");
}

static void test_dtoa_decimals(void **state)
{
    (void)state;
    assert_int_equal(cv_double_decimals(911.07), 2);
    assert_int_equal(cv_double_decimals(93607.3), 1);
    assert_int_equal(cv_double_decimals(42.0), 0);
    assert_int_equal(cv_double_decimals(0.0), 0);
    assert_int_equal(cv_double_decimals(-0.125), 3);
    assert_int_equal(cv_double_decimals(911.0699999999999), -1);
    assert_int_equal(cv_double_decimals(1e15), -1);
    assert_int_equal(cv_double_decimals(NAN), -1);
}

/* The significant digits of a number's text (no sign, point, leading zeros or trailing
   zeros) into d; returns how many. */
static int sig_digits(const char *s, char *d)
{
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && (n > 0 || *s != '0'))
            d[n++] = *s;
    while (n > 1 && d[n - 1] == '0')
        n--;
    d[n] = '\0';
    return n;
}

/* Whether printf's correctly rounded p digits of x read back; their digits into d. */
static int rounds_back(double x, int p, char *d)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, x);
    sig_digits(tmp, d);
    return strtod(tmp, NULL) == x;
}

/* The reference: the digits of the first of "%.0e" .. "%.16e" that strtod reads back as x;
   returns how many. hint: where to look first. Where the neighbours are equally far (the
   mantissa not a power of two) p digits read back when p - 1 do, so hint - 1 failing and
   hint reading back settles it; else every p is tried. */
static int reference(double x, int hint, char *d)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    if ((bits & ((1ull << 52) - 1)) != 0 && (hint == 1 || !rounds_back(x, hint - 1, d)) &&
        rounds_back(x, hint, d))
        return hint;
    for (int p = 1; p <= 17; p++)
        if (rounds_back(x, p, d) || p == 17)
            return sig_digits(d, d);
    return 17;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static long count(void)
{
    const char *n = getenv("CVKIT_DTOA_N"), *vg = getenv("VALGRIND");
    if (n && *n)
        return atol(n);
#ifdef __SANITIZE_ADDRESS__
    return 100000;
#endif
    return vg && strcmp(vg, "1") == 0 ? 20000 : 1000000;
}

/* Checks one value: reads back, no longer than the reference; as long: the same digits.
   Shorter only where the neighbour below is closer (a power of two): counted in *shorter. */
static void check(double x, long *shorter)
{
    char buf[CV_DTOA_SIZE], mine[24], ref[24];
    cv_fmt_double(x, buf);
    if (strtod(buf, NULL) != x || signbit(strtod(buf, NULL)) != signbit(x)) {
        char msg[96];
        snprintf(msg, sizeof msg, "%.17g written as %s", x, buf);
        fail_msg("%s", msg);
    }
    if (x == 0)
        return;
    int nm = sig_digits(buf, mine), nr = reference(x, nm, ref);
    if (nm > nr || (nm == nr && strcmp(mine, ref) != 0))
        fail_msg("%.17g written as %s, printf's shortest has digits %s", x, buf, ref);
    if (nm < nr) {
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        if ((bits & ((1ull << 52) - 1)) != 0)
            fail_msg("%.17g written as %s shorter than %s", x, buf, ref);
        (*shorter)++;
    }
}

static void test_dtoa_random_bits(void **state)
{
    (void)state;
    long n = count(), shorter = 0;
    for (long i = 0; i < n; i++) {
        uint64_t b = next64();
        double x;
        memcpy(&x, &b, sizeof x);
        if (isfinite(x))
            check(x, &shorter);
    }
    /* powers of two: the neighbour below is half as far */
    for (int e = -1074; e <= 1023; e++)
        check(ldexp(1.0, e), &shorter);
    assert_true(shorter < 100);
}

static void test_dtoa_random_values(void **state)
{
    (void)state;
    long n = count() / 5, shorter = 0; /* five values each */
    for (long i = 0; i < n; i++) {
        uint64_t r = next64();
        double cents = (double)(r % 100000000) / 100;                  /* money */
        double ratio = (double)(r >> 40) / (double)((r & 0xffff) + 1); /* a computed value */
        double whole = (double)(r >> 11);                              /* integers below 2^53 */
        check(cents, &shorter);
        check(-ratio, &shorter);
        check(whole, &shorter);
        check(ratio * 1e-9, &shorter);
        check(cents + 0.1 * (double)(r & 7), &shorter); /* sums with noise */
    }
    assert_int_equal(shorter, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dtoa_known),
        cmocka_unit_test(test_dtoa_decimals),
        cmocka_unit_test(test_dtoa_random_bits),
        cmocka_unit_test(test_dtoa_random_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
