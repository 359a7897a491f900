/* Tests of the binding module cv.core.date (src/lua/l_date.c), each function called from C in
   a real engine: values worked out by hand, every argument error's exact message, and a Lua
   stack left as it was found with exactly the documented results. */
#include "bindcall.h"

static int setup(void **state)
{
    return bc_setup_module(state, "cv.core.date");
}

/* date.days(date) -> integer days since 1970-01-01 */
static void test_date_days(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.days", "'1970-01-01'", 1);
    bc_is(e, "R[1]", "0");
    bc_is(e, "math.type(R[1])", "integer");
    bc_ok(e, "C.days", "'1970-03-01'", 1); /* 31 + 28 days */
    bc_is(e, "R[1]", "59");
    bc_ok(e, "C.days", "'1969-12-31'", 1);
    bc_is(e, "R[1]", "-1");
    bc_ok(e, "C.days", "'2000-03-01 12:30:00'", 1); /* time of day ignored; 2000 is leap */
    bc_is(e, "R[1]", "11017");
    bc_fails(e, "C.days", "", "t:1: bad argument #1 to 'days' (string expected, got no value)");
    bc_fails(e, "C.days", "{}", "t:1: bad argument #1 to 'days' (string expected, got table)");
    bc_fails(e, "C.days", "'1997-02-30'",
             "t:1: bad argument #1 to 'days' "
             "(a date YYYY-MM-DD expected, got '1997-02-30')");
    bc_fails(e, "C.days", "'31/12/1999'",
             "t:1: bad argument #1 to 'days' "
             "(a date YYYY-MM-DD expected, got '31/12/1999')");
}

/* date.format(days) -> "YYYY-MM-DD" */
static void test_date_format(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.format", "0", 1);
    bc_is(e, "R[1]", "1970-01-01");
    bc_ok(e, "C.format", "59", 1);
    bc_is(e, "R[1]", "1970-03-01");
    bc_ok(e, "C.format", "-1", 1);
    bc_is(e, "R[1]", "1969-12-31");
    bc_ok(e, "C.format", "'11017'", 1); /* a numeric string converts */
    bc_is(e, "R[1]", "2000-03-01");
    bc_fails(e, "C.format", "", "t:1: bad argument #1 to 'format' (number expected, got no value)");
    bc_fails(e, "C.format", "1.5",
             "t:1: bad argument #1 to 'format' (number has no integer representation)");
    bc_fails(e, "C.format", "'x'",
             "t:1: bad argument #1 to 'format' (number expected, got string)");
    bc_fails(e, "C.format", "3000000", "t:1: date out of range (the years 1 to 9999)");
    bc_fails(e, "C.format", "-800000", "t:1: date out of range (the years 1 to 9999)");
}

/* date.valid(s) -> boolean */
static void test_date_valid(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.valid", "'2024-02-29'", 1);
    bc_is(e, "R[1]", "true");
    bc_ok(e, "C.valid", "'2023-02-29'", 1);
    bc_is(e, "R[1]", "false");
    bc_ok(e, "C.valid", "20240229", 1); /* a number is no date string */
    bc_is(e, "R[1]", "false");
    bc_ok(e, "C.valid", "", 1);
    bc_is(e, "R[1]", "false");
}

/* date.add(date, n [, unit]) -> "YYYY-MM-DD" */
static void test_date_add(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.add", "'2024-01-31', 1", 1);
    bc_is(e, "R[1]", "2024-02-01");
    bc_ok(e, "C.add", "'2024-01-31', 1, 'month'", 1);
    bc_is(e, "R[1]", "2024-02-29");
    bc_ok(e, "C.add", "'2023-01-31', 1, 'month'", 1);
    bc_is(e, "R[1]", "2023-02-28");
    bc_ok(e, "C.add", "'2024-02-29', 1, 'year'", 1);
    bc_is(e, "R[1]", "2025-02-28");
    bc_ok(e, "C.add", "'2024-01-01', -2, 'week'", 1);
    bc_is(e, "R[1]", "2023-12-18");
    bc_ok(e, "C.add", "'2024-03-01', -1, 'day'", 1);
    bc_is(e, "R[1]", "2024-02-29");
    bc_fails(e, "C.add", "'2024-01-01'",
             "t:1: bad argument #2 to 'add' (number expected, got no value)");
    bc_fails(e, "C.add", "'2024-01-01', 1, 'fortnight'",
             "t:1: bad argument #3 to 'add' (invalid option 'fortnight')");
    bc_fails(e, "C.add", "'2024-01-01', 1, 2",
             "t:1: bad argument #3 to 'add' (invalid option '2')");
    bc_fails(e, "C.add", "nil, 1", "t:1: bad argument #1 to 'add' (string expected, got nil)");
    bc_fails(e, "C.add", "'2024-13-01', 1",
             "t:1: bad argument #1 to 'add' "
             "(a date YYYY-MM-DD expected, got '2024-13-01')");
    bc_fails(e, "C.add", "'9999-12-31', 1", "t:1: date out of range (the years 1 to 9999)");
    bc_fails(e, "C.add", "'0001-01-01', -1, 'month'",
             "t:1: date out of range (the years 1 to 9999)");
    bc_fails(e, "C.add", "'2024-01-01', 4000001", "t:1: date out of range (the years 1 to 9999)");
    bc_fails(e, "C.add", "'2024-01-01', 9000, 'year'",
             "t:1: date out of range (the years 1 to 9999)");
    bc_fails(e, "C.add", "'2024-01-01', math.mininteger, 'year'",
             "t:1: date out of range (the years 1 to 9999)");
}

/* date.diff(a, b) -> integer a - b in days */
static void test_date_diff(void **state)
{
    cv_engine *e = *state;
    bc_ok(e, "C.diff", "'2024-03-01', '2024-02-01'", 1);
    bc_is(e, "R[1]", "29");
    bc_ok(e, "C.diff", "'2023-01-01', '2024-01-01'", 1);
    bc_is(e, "R[1]", "-365");
    bc_is(e, "math.type(R[1])", "integer");
    bc_fails(e, "C.diff", "'2024-03-01'",
             "t:1: bad argument #2 to 'diff' (string expected, got no value)");
    bc_fails(e, "C.diff", "'2024-03-01', '2024-02-30'",
             "t:1: bad argument #2 to 'diff' "
             "(a date YYYY-MM-DD expected, got '2024-02-30')");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, bc_teardown)
        T(test_date_days), T(test_date_format), T(test_date_valid),
        T(test_date_add),  T(test_date_diff),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
