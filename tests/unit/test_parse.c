/* Tests of src/core/parse.c: calendar arithmetic, dates, integers, floats, booleans.
   Expected values are known independently: day counts from Python's date.toordinal
   (1970-01-01 is ordinal 719163), doubles from C literals (correctly rounded by gcc). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/parse.h"

static void test_parse_days_from_civil(void **state)
{
    (void)state;
    assert_int_equal(cv_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(cv_days_from_civil(1969, 12, 31), -1);
    assert_int_equal(cv_days_from_civil(1997, 1, 1), 9862);   /* 27*365 + 7 leap days */
    assert_int_equal(cv_days_from_civil(1997, 9, 30), 10134); /* + 272 */
    assert_int_equal(cv_days_from_civil(2000, 3, 1), 11017);  /* 2000 is a leap year */
    assert_int_equal(cv_days_from_civil(1, 1, 1), -719162);
    assert_int_equal(cv_days_from_civil(9999, 12, 31), 2932896);
}

static void test_parse_civil_round_trip(void **state)
{
    (void)state;
    for (int32_t z = -719162; z <= 2932896; z += 97) {
        int y, m, d;
        cv_civil_from_days(z, &y, &m, &d);
        assert_true(cv_date_valid(y, m, d));
        assert_int_equal(cv_days_from_civil(y, m, d), z);
    }
    int y, m, d;
    cv_civil_from_days(11016, &y, &m, &d);
    assert_int_equal(y, 2000);
    assert_int_equal(m, 2);
    assert_int_equal(d, 29);
}

static void test_parse_date_valid(void **state)
{
    (void)state;
    assert_false(cv_date_valid(1997, 2, 30));
    assert_false(cv_date_valid(1900, 2, 29)); /* not a leap year */
    assert_true(cv_date_valid(2000, 2, 29));
    assert_false(cv_date_valid(1997, 13, 1));
    assert_false(cv_date_valid(1997, 4, 31));
    assert_true(cv_date_valid(1997, 12, 31));
}

static int32_t date_of(const char *s, cv_date_order o)
{
    int32_t days = -99999;
    if (cv_parse_date(s, strlen(s), o, &days, NULL, NULL) != 0)
        return -99999;
    return days;
}

static void test_parse_date_forms(void **state)
{
    (void)state;
    assert_int_equal(date_of("1997-01-01", CV_DATE_ISO), 9862);
    assert_int_equal(date_of("19970101", CV_DATE_ISO), 9862);
    assert_int_equal(date_of("1997/01/01", CV_DATE_ISO), 9862);
    assert_int_equal(date_of("1997-1-1", CV_DATE_ISO), 9862);
    assert_int_equal(date_of("1997-02-30", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("1997-13-01", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("1997-01/01", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("199701011", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("01/02/1997", CV_DATE_ISO), -99999); /* ambiguous: not read */
    assert_int_equal(date_of("01/02/1997", CV_DATE_DMY), 9862 + 31);
    assert_int_equal(date_of("01/02/1997", CV_DATE_MDY), 9862 + 1);
    assert_int_equal(date_of("30.09.1997", CV_DATE_DMY), 10134);
    assert_int_equal(date_of("02/30/1997", CV_DATE_MDY), -99999);
    assert_int_equal(date_of("", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("1997-01-01x", CV_DATE_ISO), -99999);
}

static void test_parse_date_time(void **state)
{
    (void)state;
    int32_t days = 0, secs = -1;
    int ht = -1;
    assert_int_equal(cv_parse_date("1997-01-01", 10, CV_DATE_ISO, &days, &secs, &ht), 0);
    assert_int_equal(secs, 0);
    assert_int_equal(ht, 0);
    const char *s = "1997-01-01 13:45:30";
    assert_int_equal(cv_parse_date(s, strlen(s), CV_DATE_ISO, &days, &secs, &ht), 0);
    assert_int_equal(days, 9862);
    assert_int_equal(secs, 13 * 3600 + 45 * 60 + 30);
    assert_int_equal(ht, 1);
    s = "1997-01-01T08:05";
    assert_int_equal(cv_parse_date(s, strlen(s), CV_DATE_ISO, &days, &secs, &ht), 0);
    assert_int_equal(secs, 8 * 3600 + 5 * 60);
    s = "1997-01-01T08:05:09.250Z";
    assert_int_equal(cv_parse_date(s, strlen(s), CV_DATE_ISO, &days, &secs, &ht), 0);
    assert_int_equal(secs, 8 * 3600 + 5 * 60 + 9);
    s = "1997-01-01 24:00";
    assert_int_equal(cv_parse_date(s, strlen(s), CV_DATE_ISO, &days, &secs, &ht), -1);
    s = "1997-01-01 12:60";
    assert_int_equal(cv_parse_date(s, strlen(s), CV_DATE_ISO, &days, &secs, &ht), -1);
}

static void test_parse_date_every_day(void **state)
{
    (void)state;
    /* every day of 1890..2110 through the text form and back (the quick YYYY-MM-DD path
       and the general one must agree with days_from_civil) */
    char buf[16];
    for (int32_t z = cv_days_from_civil(1890, 1, 1); z <= cv_days_from_civil(2110, 12, 31); z++) {
        int32_t back = 0;
        cv_format_date(z, buf);
        assert_int_equal(cv_parse_date(buf, 10, CV_DATE_ISO, &back, NULL, NULL), 0);
        assert_int_equal(back, z);
    }
    assert_int_equal(date_of("2100-02-29", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("2096-02-29", CV_DATE_ISO), cv_days_from_civil(2096, 2, 29));
    assert_int_equal(date_of("1997-00-10", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("1997-01-00", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("1997-01-32", CV_DATE_ISO), -99999);
    assert_int_equal(date_of("199a-01-01", CV_DATE_ISO), -99999);
}

static void test_parse_format_date(void **state)
{
    (void)state;
    char buf[16];
    cv_format_date(9862, buf);
    assert_string_equal(buf, "1997-01-01");
    cv_format_date(11016, buf);
    assert_string_equal(buf, "2000-02-29");
    cv_format_date(-1, buf);
    assert_string_equal(buf, "1969-12-31");
}

static int int_ok(const char *s, int64_t *v)
{
    return cv_parse_int(s, strlen(s), v);
}

static void test_parse_int(void **state)
{
    (void)state;
    int64_t v = 0;
    assert_int_equal(int_ok("42", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(int_ok("-00017", &v), 0);
    assert_int_equal(v, -17);
    assert_int_equal(int_ok("+5", &v), 0);
    assert_int_equal(v, 5);
    assert_int_equal(int_ok("9223372036854775807", &v), 0);
    assert_true(v == INT64_MAX);
    assert_int_equal(int_ok("-9223372036854775808", &v), 0);
    assert_true(v == INT64_MIN);
    assert_int_equal(int_ok("9223372036854775808", &v), -1);
    assert_int_equal(int_ok("", &v), -1);
    assert_int_equal(int_ok("-", &v), -1);
    assert_int_equal(int_ok("1.0", &v), -1);
    assert_int_equal(int_ok("1e3", &v), -1);
    assert_int_equal(int_ok(" 1", &v), -1);
    assert_int_equal(int_ok("0x10", &v), -1);
}

static int flt(const char *s, int comma, double *v)
{
    return cv_parse_float(s, strlen(s), comma, v);
}

static void test_parse_float_exact(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(flt("0.1", 0, &v), 0);
    assert_true(v == 0.1);
    assert_int_equal(flt("29.33", 0, &v), 0);
    assert_true(v == 29.33);
    assert_int_equal(flt("-1.5e3", 0, &v), 0);
    assert_true(v == -1500.0);
    assert_int_equal(flt(".5", 0, &v), 0);
    assert_true(v == 0.5);
    assert_int_equal(flt("5.", 0, &v), 0);
    assert_true(v == 5.0);
    assert_int_equal(flt("1e23", 0, &v), 0); /* not on the fast path */
    assert_true(v == 1e23);
    assert_int_equal(flt("9007199254740993", 0, &v), 0); /* 2^53 + 1: ties to even */
    assert_true(v == 9007199254740992.0);
    assert_int_equal(flt("123456789012345678901234567890", 0, &v), 0);
    assert_true(v == 123456789012345678901234567890.0);
    assert_int_equal(flt("2.2250738585072011e-308", 0, &v), 0);
    assert_true(v == 2.2250738585072011e-308);
    assert_int_equal(flt("0.30000000000000000000000000001", 0, &v), 0);
    assert_true(v == 0.30000000000000000000000000001);
    assert_int_equal(flt("4.9e-324", 0, &v), 0);
    assert_true(v == 4.9e-324);
    assert_int_equal(flt("1.7976931348623157e308", 0, &v), 0);
    assert_true(v == 1.7976931348623157e308);
}

static void test_parse_float_zero_and_errors(void **state)
{
    (void)state;
    double v = 1;
    assert_int_equal(flt("-0", 0, &v), 0);
    assert_true(v == 0.0 && signbit(v));
    assert_int_equal(flt("0.000", 0, &v), 0);
    assert_true(v == 0.0 && !signbit(v));
    assert_int_equal(flt("1e999", 0, &v), -1); /* overflow */
    assert_int_equal(flt("-1e999", 0, &v), -1);
    assert_int_equal(flt("0x10", 0, &v), -1);
    assert_int_equal(flt("1,234.50", 0, &v), -1);
    assert_int_equal(flt("inf", 0, &v), -1);
    assert_int_equal(flt("nan", 0, &v), -1);
    assert_int_equal(flt("", 0, &v), -1);
    assert_int_equal(flt(".", 0, &v), -1);
    assert_int_equal(flt("1e", 0, &v), -1);
    assert_int_equal(flt("e5", 0, &v), -1);
    assert_int_equal(flt(" 1", 0, &v), -1);
    assert_int_equal(flt("1 ", 0, &v), -1);
    assert_int_equal(flt("--1", 0, &v), -1);
}

static void test_parse_float_decimal_comma(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(flt("1234,50", 1, &v), 0);
    assert_true(v == 1234.5);
    assert_int_equal(flt("0,1", 1, &v), 0);
    assert_true(v == 0.1);
    assert_int_equal(flt("1,00000000000000000000000000001", 1, &v), 0); /* slow path */
    assert_true(v == 1.0);
    assert_int_equal(flt("1234.50", 1, &v), -1);
    assert_int_equal(flt("1.234,50", 1, &v), -1);
}

static void test_parse_bool(void **state)
{
    (void)state;
    int b = -1;
    assert_int_equal(cv_parse_bool("true", 4, &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(cv_parse_bool("FALSE", 5, &b), 0);
    assert_int_equal(b, 0);
    assert_int_equal(cv_parse_bool("yes", 3, &b), 0);
    assert_int_equal(b, 1);
    assert_int_equal(cv_parse_bool("0", 1, &b), 0);
    assert_int_equal(b, 0);
    assert_int_equal(cv_parse_bool("maybe", 5, &b), -1);
    assert_int_equal(cv_parse_bool("tru", 3, &b), -1);
    assert_int_equal(cv_parse_bool("", 0, &b), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_days_from_civil),
        cmocka_unit_test(test_parse_civil_round_trip),
        cmocka_unit_test(test_parse_date_valid),
        cmocka_unit_test(test_parse_date_forms),
        cmocka_unit_test(test_parse_date_time),
        cmocka_unit_test(test_parse_date_every_day),
        cmocka_unit_test(test_parse_format_date),
        cmocka_unit_test(test_parse_int),
        cmocka_unit_test(test_parse_float_exact),
        cmocka_unit_test(test_parse_float_zero_and_errors),
        cmocka_unit_test(test_parse_float_decimal_comma),
        cmocka_unit_test(test_parse_bool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
