/* Tests of the decimal reading of up to 19 significant digits (decimal_div.h: the product
   by 10^-k with the exact division where the product cannot decide; quick_parse.h: the
   typed reader's digits and Clinger's case; parse.c's cv_parse_float). Every double must
   be bit-identical to glibc's strtod (correctly rounded, the independent reference) on
   seeded random decimals of many shapes: short, long, 16-19 digits, halfway cases between
   two doubles and next to them, exponents, subnormals, negative zero. CVKIT_DECIMAL_N sets
   the random draws per shape (default 20000, half a second; 500000 take about half a
   minute); CVKIT_DECIMAL_FILE=path also checks every number-like field of a CSV file.
   memcheck: skip (integer arithmetic with no allocation, 16 s of CPU under memcheck;
   test_csv_typed's 200,000 decimals take the same paths there). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/parse.h"
#include "decimal_div.h"
#include "quick_parse.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next(void) /* xorshift64* */
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * UINT64_C(2685821657736338717);
}

static long draws(void)
{
    const char *s = getenv("CVKIT_DECIMAL_N");
    long n = s ? atol(s) : 0;
    return n > 0 ? n : 20000;
}

/* m / 10^k as text ("123.45", "0.0012", "5"), into buf; its length. */
static int decimal_text(uint64_t m, int k, char *buf)
{
    char dg[24];
    int nd = snprintf(dg, sizeof dg, "%llu", (unsigned long long)m), n = 0;
    if (k == 0)
        return snprintf(buf, 48, "%s", dg);
    if (nd <= k) {
        n = snprintf(buf, 48, "0.");
        for (int i = 0; i < k - nd; i++)
            buf[n++] = '0';
        memcpy(buf + n, dg, (size_t)nd + 1);
        return n + nd;
    }
    memcpy(buf, dg, (size_t)(nd - k));
    buf[nd - k] = '.';
    memcpy(buf + nd - k + 1, dg + nd - k, (size_t)k + 1);
    return nd + 1;
}

/* cv_decimal_div(m, k) and the quick path's reading of the same text against strtod. */
static void check_mk(uint64_t m, int k)
{
    char buf[48];
    int n = decimal_text(m, k, buf);
    double want = strtod(buf, NULL), got = 0, exact = 0;
    if (m > 0) {
        assert_int_equal(cv_decimal_div(m, k, &got), 0);
        if (memcmp(&got, &want, sizeof got) != 0)
            fail_msg("cv_decimal_div(%llu, %d) = %.17g, strtod %.17g", (unsigned long long)m, k,
                     got, want);
        assert_int_equal(cv_decimal_div_exact(m, k, &exact), 0);
        assert_memory_equal(&exact, &want, sizeof got);
    }
    uint64_t qm;
    int nd, frac;
    const char *e = cv_quick_digits(buf, &qm, &nd, &frac);
    if (e && nd <= 19) { /* text with leading zeros ("0.05") is not the quick form */
        assert_ptr_equal(e, buf + n);
        assert_int_equal(cv_quick_decimal(qm, frac, &got), 0);
        if (memcmp(&got, &want, sizeof got) != 0)
            fail_msg("quick %s = %.17g, strtod %.17g", buf, got, want);
    }
    assert_int_equal(cv_parse_float(buf, (size_t)n, 0, &got), 0);
    if (memcmp(&got, &want, sizeof got) != 0)
        fail_msg("cv_parse_float %s = %.17g, strtod %.17g", buf, got, want);
}

/* The table: p = floor(2^(63 + b) / 10^k) with p in [2^63, 2^64). */
static void test_decimal_table(void **state)
{
    (void)state;
    for (int k = 0; k < 20; k++) {
        int b = cv_pow10_neg64[k].b;
        cv_u128 p = ((cv_u128)1 << (63 + b)) / cv_pow10_u64[k];
        assert_true(p == cv_pow10_neg64[k].p);
        assert_true(cv_pow10_neg64[k].p >> 63);
        assert_true(k == 0 || ((cv_u128)1 << b) >= cv_pow10_u64[k]);
        assert_true(k == 0 || ((cv_u128)1 << (b - 1)) < cv_pow10_u64[k]);
    }
    double v;
    assert_int_equal(cv_decimal_div(0, 3, &v), -1);
    assert_int_equal(cv_decimal_div(5, 20, &v), -1);
    assert_int_equal(cv_decimal_div(5, -1, &v), -1);
}

/* Known values, the largest and smallest, and round-trip forms of doubles. */
static void test_decimal_known(void **state)
{
    (void)state;
    check_mk(UINT64_MAX, 0);
    check_mk(UINT64_MAX, 19);
    check_mk(1, 19);
    check_mk(1, 0);
    check_mk(9999999999999999999u, 19);
    check_mk(9007199254740993u, 0); /* 2^53 + 1: a tie, to even */
    check_mk(9007199254740995u, 0);
    check_mk(30732499999999998u, 15);
    check_mk(47142857142857146u, 15);
    check_mk(45035996273704965u, 1);     /* 4503599627370496.5: a tie */
    for (long i = 0; i < draws(); i++) { /* the shortest text of a random double */
        double x;
        uint64_t bits = next() & UINT64_C(0x7fffffffffffffff);
        memcpy(&x, &bits, sizeof x);
        char buf[48];
        snprintf(buf, sizeof buf, "%.17g", x);
        double back = strtod(buf, NULL), got;
        if (cv_parse_float(buf, strlen(buf), 0, &got) != 0) /* inf, nan */
            continue;
        assert_memory_equal(&got, &back, sizeof got);
    }
}

/* Random m of 1 to 20 digits, k of 0 to 19. */
static void test_decimal_random(void **state)
{
    (void)state;
    for (int nd = 1; nd <= 20; nd++)
        for (long i = 0; i < draws(); i++) {
            uint64_t lo = nd == 1 ? 0 : cv_pow10_u64[nd - 1];
            uint64_t span = nd == 20 ? UINT64_MAX - lo : cv_pow10_u64[nd] - lo;
            uint64_t m = lo + next() % span;
            check_mk(m, (int)(next() % 20));
        }
}

/* Exactly halfway between two doubles, and one unit on either side: m / 10^k = d + ulp/2
   for d of 53 bits, written out in full (only k <= 4 keeps 54 bits times 5^k in 64 bits;
   larger k: the nearest 19-digit decimals to the halfway point). */
static void test_decimal_halfway(void **state)
{
    (void)state;
    for (long i = 0; i < draws(); i++) {
        uint64_t odd = (UINT64_C(1) << 53) | next() >> 11 | 1; /* 54 bits, odd: a half */
        for (int k = 0; k <= 19; k++) {
            int sh = (int)(next() % 11);
            /* m = odd 2^sh 5^k: m / 10^k = odd 2^(sh - k), the half itself */
            cv_u128 v = ((cv_u128)odd << sh) * (cv_pow10_u64[k] >> k);
            if ((v >> 64) == 0) {
                check_mk((uint64_t)v, k);
                check_mk((uint64_t)v - 1, k);
                check_mk((uint64_t)v + 1, k);
            }
            /* m = floor(odd 10^k 2^-e): m / 10^k just below the half odd 2^-e, and above */
            int e = (int)(next() % 60);
            cv_u128 num = (cv_u128)odd * cv_pow10_u64[k];
            cv_u128 m = num >> e;
            if (m > 0 && (m >> 64) == 0) {
                check_mk((uint64_t)m, k);
                if (m < UINT64_MAX)
                    check_mk((uint64_t)m + 1, k);
                check_mk((uint64_t)m - 1 > 0 ? (uint64_t)m - 1 : 1, k);
            }
        }
    }
}

/* The general reader on other shapes: signs, exponents, subnormals, negative zero. */
static void test_decimal_shapes(void **state)
{
    (void)state;
    static const char *const fixed[] = {"-0",
                                        "-0.0",
                                        "0.000",
                                        "4.9e-324",
                                        "2.4703282292062327e-324",
                                        "2.2250738585072011e-308",
                                        "1.7976931348623157e308",
                                        "1e22",
                                        "1e23",
                                        "-1.5e-7",
                                        "123456789012345678901234567890",
                                        "0.1e1",
                                        "9007199254740993e-5"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
        double got, want = strtod(fixed[i], NULL);
        assert_int_equal(cv_parse_float(fixed[i], strlen(fixed[i]), 0, &got), 0);
        assert_memory_equal(&got, &want, sizeof got);
    }
    char buf[64];
    for (long i = 0; i < draws(); i++) {
        uint64_t m = next() >> (next() % 64);
        int ex = (int)(next() % 700) - 350, n;
        n = snprintf(buf, sizeof buf, "%s%llue%d", next() & 1 ? "-" : "", (unsigned long long)m,
                     ex);
        double got, want = strtod(buf, NULL);
        if (isfinite(want)) {
            assert_int_equal(cv_parse_float(buf, (size_t)n, 0, &got), 0);
            assert_memory_equal(&got, &want, sizeof got);
        }
    }
}

/* CVKIT_DECIMAL_FILE: every field of a CSV file that is the quick form of a decimal. */
static void test_decimal_file(void **state)
{
    (void)state;
    const char *path = getenv("CVKIT_DECIMAL_FILE");
    if (!path)
        skip();
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char line[4096];
    long fields = 0;
    while (fgets(line, sizeof line, f)) {
        for (char *p = line; *p && *p != '\n';) {
            char *q = p;
            while (*q && *q != ',' && *q != '\n' && *q != '\r')
                q++;
            uint64_t m;
            int nd, frac;
            const char *e = cv_quick_digits(p + (*p == '-'), &m, &nd, &frac);
            if (e == q && nd <= 19) {
                char save = *q;
                *q = '\0';
                double got, want = strtod(p, NULL);
                *q = save;
                assert_int_equal(cv_quick_decimal(m, frac, &got), 0);
                if (*p == '-')
                    got = -got;
                assert_memory_equal(&got, &want, sizeof got);
                fields++;
            }
            p = *q == ',' ? q + 1 : q;
        }
    }
    fclose(f);
    print_message("%ld decimal fields bit-identical to strtod\n", fields);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_table),  cmocka_unit_test(test_decimal_known),
        cmocka_unit_test(test_decimal_random), cmocka_unit_test(test_decimal_halfway),
        cmocka_unit_test(test_decimal_shapes), cmocka_unit_test(test_decimal_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
