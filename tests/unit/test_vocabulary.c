/* Tests of the one vocabulary in the core: "did you mean" (src/core/suggest.c, used by
   cv_table_col), the period of the per-period formulas read through the one unit parser
   (cv_formula_period) and the rate per period derived from the annual discount. The values
   are textbook ones: 1% a month is 1.01^12 - 1 = 12.682503013% a year, and m r / (1 + i - r)
   with m = 100, r = 0.9, i = 0.01 is 90 / 0.11 = 818.1818... */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/formulas.h"
#include "cvkit/suggest.h"
#include "cvkit/summary.h"
#include "cvkit/table.h"

static void test_suggest_closest(void **state)
{
    (void)state;
    const char *cols[] = {"customer", "date", "amount", "margin"};
    char buf[64];
    assert_int_equal(cv_suggest("amout", cols, 4), 2);
    assert_int_equal(cv_suggest("AMOUNT", cols, 4), 2);   /* case is ignored */
    assert_int_equal(cv_suggest("dtae", cols, 4), 1);     /* a transposition is one edit */
    assert_int_equal(cv_suggest("cust", cols, 4), 0);     /* a prefix of 3 letters or more */
    assert_int_equal(cv_suggest("revenue", cols, 4), -1); /* nothing close */
    assert_int_equal(cv_suggest_score("amout", "amount"), 1);
    assert_int_equal(cv_suggest_score("x", "amount"), -1);
    /* equally close names are all given, in their order */
    const char *near[] = {"t_x", "T", "x"};
    assert_int_equal(cv_suggest_names("tx", near, 3, 3, buf, sizeof buf), 3);
    assert_string_equal(buf, "'t_x' or 'T' or 'x'");
    assert_int_equal(cv_suggest_names("tx", near, 3, 1, buf, sizeof buf), 1); /* at most max */
    assert_string_equal(buf, "'t_x'");
    const char *two[] = {"cost", "coat", "count"};
    assert_int_equal(cv_suggest_names("cot", two, 3, 3, buf, sizeof buf), 2);
    assert_string_equal(buf, "'cost' or 'coat'");
    assert_int_equal(cv_suggest_names("zzzzzz", two, 3, 3, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

static void test_suggest_column(void **state)
{
    (void)state;
    cv_error err;
    cv_table *t = cv_table_new();
    const char *names[] = {"id", "date", "amount"};
    assert_non_null(t);
    for (int i = 0; i < 3; i++) {
        cv_column *c = cv_column_new(names[i], CV_FLOAT64, 0);
        assert_int_equal(cv_table_add(t, c, &err), 0);
        cv_column_unref(c);
    }
    assert_null(cv_table_col(t, "amout", &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_string_equal(err.msg, "no column 'amout' (did you mean 'amount'?)");
    assert_null(cv_table_col(t, "revenue", &err));
    assert_string_equal(err.msg, "no column 'revenue' (columns: id, date, amount)");
    cv_table_free(t);
}

static void test_period_parsed_by_the_unit_parser(void **state)
{
    (void)state;
    const cv_formula *f = cv_formula_find("clv.retention");
    int pi = cv_formula_input_index(f, "period");
    double x = -1;
    cv_error err;
    assert_int_equal(pi, 3);
    assert_int_equal(f->inputs[pi].domain, CV_DOM_PERIOD);
    assert_false(f->inputs[pi].optional); /* no silent year */
    assert_int_equal(cv_formula_period(&f->inputs[pi], "month", &x, &err), 0);
    assert_float_equal(x, CV_UNIT_MONTH, 0);
    assert_int_equal(cv_formula_period(&f->inputs[pi], "week", &x, &err), 0);
    assert_float_equal(x, CV_UNIT_WEEK, 0);
    assert_int_equal(cv_formula_period(&f->inputs[pi], "weeks", &x, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "period: unknown unit 'weeks' (did you mean 'week'?; units: day, "
                                 "week, month, year)");
    assert_int_equal(cv_formula_period(&f->inputs[pi], "mnth", &x, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "period: unknown unit 'mnth' (did you mean 'month'?; units: day, "
                                 "week, month, year)");
    assert_int_equal(cv_formula_period(&f->inputs[pi], "fortnight", &x, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg,
                        "period: unknown unit 'fortnight' (units: day, week, month, year)");
}

static void test_monthly_retention_is_the_textbook_one(void **state)
{
    (void)state;
    const cv_formula *f = cv_formula_find("clv.retention");
    double annual = pow(1.01, 12) - 1; /* 12.682503013% a year */
    double x[] = {100, 0.9, annual, CV_UNIT_MONTH}, steps[CV_FORMULA_MAX_STEPS], y;
    cv_error err;
    assert_float_equal(annual, 0.12682503013196977, 1e-15);
    assert_int_equal(cv_formula_eval(f, x, NULL, 0, &y, steps, &err), 0);
    assert_float_equal(steps[0], 0.01, 1e-15); /* the rate per month */
    assert_float_equal(y, 90.0 / 0.11, 1e-9);  /* 818.1818... */
    /* the same margin and retention yearly at 10%: 90 / 0.2 */
    double yr[] = {100, 0.9, 0.1, CV_UNIT_YEAR};
    assert_int_equal(cv_formula_eval(f, yr, NULL, 0, &y, steps, &err), 0);
    assert_float_equal(steps[0], 0.1, 0); /* exactly the annual rate */
    assert_float_equal(y, 450, 1e-9);
    /* a week: (1 + d)^(7 / 365.2425) - 1 */
    double wk[] = {100, 0.9, 0.1, CV_UNIT_WEEK};
    assert_int_equal(cv_formula_eval(f, wk, NULL, 0, &y, steps, &err), 0);
    assert_true(fabs(steps[0] - (pow(1.1, 7 / 365.2425) - 1)) < 1e-12);
    /* convergence is checked with the rate per period */
    double no[] = {100, 1, 0, CV_UNIT_MONTH};
    assert_int_equal(cv_formula_eval(f, no, NULL, 0, &y, NULL, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "retention must be < 1 + the discount rate per period for the "
                                 "sum to converge, got retention 1 and 0 a month");
}

static void test_explain_shows_the_rate_per_period(void **state)
{
    (void)state;
    const cv_formula *f = cv_formula_find("clv.retention");
    double x[] = {100, 0.9, pow(1.01, 12) - 1, CV_UNIT_MONTH};
    cv_formula_line lines[CV_FORMULA_MAX_STEPS];
    int n = 0;
    cv_error err;
    assert_int_equal(cv_formula_explain(f, x, NULL, 0, lines, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0].key, "period_rate");
    assert_string_equal(lines[0].expr, "(1 + {discount})^{period_years} − 1");
    assert_string_equal(lines[0].numeric, "(1 + 12.68%)^(1 ÷ 12) − 1");
    assert_string_equal(lines[0].value, "1%"); /* 0.01 */
    assert_string_equal(lines[1].numeric, "100.00 × 90% ÷ (1 + 1% − 90%)");
    assert_string_equal(lines[1].value, "818.18");
    x[2] = 0.1;
    x[3] = CV_UNIT_WEEK;
    assert_int_equal(cv_formula_explain(f, x, NULL, 0, lines, &n, &err), 0);
    assert_string_equal(lines[0].numeric, "(1 + 10%)^(7 ÷ 365.2425) − 1");
    x[3] = CV_UNIT_YEAR; /* a year: the rate is the discount, not shown */
    assert_int_equal(cv_formula_explain(f, x, NULL, 0, lines, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0].numeric, "100.00 × 90% ÷ (1 + 10% − 90%)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_suggest_closest),
        cmocka_unit_test(test_suggest_column),
        cmocka_unit_test(test_period_parsed_by_the_unit_parser),
        cmocka_unit_test(test_monthly_retention_is_the_textbook_one),
        cmocka_unit_test(test_explain_shows_the_rate_per_period),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
