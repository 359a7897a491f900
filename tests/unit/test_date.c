/* Tests of the calendar arithmetic of src/core/parse.c that cv.core.date binds: month
   addition and the range of dates. Expected values are known independently: day counts
   from Python's date.toordinal (1970-01-01 is ordinal 719163), month ends from the
   calendar (2024 is a leap year, 1900 and 2100 are not, 2000 is). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cvkit/parse.h"

/* days + months as "YYYY-MM-DD", or "fail" */
static const char *add_months(int y, int m, int d, long months, char *buf)
{
    int32_t out;
    if (cv_date_add_months(cv_days_from_civil(y, m, d), months, &out) != 0)
        return "fail";
    cv_format_date(out, buf);
    return buf;
}

static void test_date_add_months(void **state)
{
    char b[16];
    (void)state;
    assert_string_equal(add_months(1997, 9, 30, 1, b), "1997-10-30");
    assert_string_equal(add_months(1997, 9, 30, 12, b), "1998-09-30");
    assert_string_equal(add_months(1997, 1, 1, -1, b), "1996-12-01");
    assert_string_equal(add_months(1970, 1, 1, -1, b), "1969-12-01");
    assert_string_equal(add_months(2038, 1, 19, 1, b), "2038-02-19");
    assert_string_equal(add_months(1997, 9, 30, 0, b), "1997-09-30");
}

static void test_date_add_months_clamps_to_month_end(void **state)
{
    char b[16];
    (void)state;
    assert_string_equal(add_months(2024, 1, 31, 1, b), "2024-02-29"); /* leap year */
    assert_string_equal(add_months(2023, 1, 31, 1, b), "2023-02-28");
    assert_string_equal(add_months(1900, 1, 31, 1, b), "1900-02-28"); /* not leap */
    assert_string_equal(add_months(2000, 1, 31, 1, b), "2000-02-29"); /* leap */
    assert_string_equal(add_months(2100, 3, 31, -1, b), "2100-02-28");
    assert_string_equal(add_months(2024, 2, 29, 12, b), "2025-02-28");
    assert_string_equal(add_months(2024, 2, 29, 48, b), "2028-02-29");
    assert_string_equal(add_months(1997, 8, 31, 1, b), "1997-09-30");
}

static void test_date_add_months_range(void **state)
{
    char b[16];
    int32_t out = 12345;
    (void)state;
    assert_string_equal(add_months(9999, 12, 1, 1, b), "fail");
    assert_string_equal(add_months(1, 1, 31, -1, b), "fail");
    assert_string_equal(add_months(1, 1, 31, 0, b), "0001-01-31");
    assert_string_equal(add_months(9999, 11, 30, 1, b), "9999-12-30");
    assert_int_equal(cv_date_add_months(2932897, 0, &out), -1); /* 10000-01-01 */
    assert_int_equal(cv_date_add_months(0, 10000000L, &out), -1);
    assert_int_equal(out, 12345); /* untouched on failure */
}

static void test_date_in_range(void **state)
{
    (void)state;
    assert_true(cv_date_in_range(-719162));  /* 0001-01-01 */
    assert_false(cv_date_in_range(-719163)); /* 0000-12-31 */
    assert_true(cv_date_in_range(2932896));  /* 9999-12-31 */
    assert_false(cv_date_in_range(2932897));
    assert_true(cv_date_in_range(24855)); /* 2038-01-19, past a 32-bit time_t */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_add_months),
        cmocka_unit_test(test_date_add_months_clamps_to_month_end),
        cmocka_unit_test(test_date_add_months_range),
        cmocka_unit_test(test_date_in_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
