/* Tests of src/core/formulas.c: the textbook worked examples with exact values, hand sums,
   domain errors, explain text and the column form. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/crmcost.h"
#include "cvkit/formulas.h"
#include "cvkit/summary.h"

#define Y ((double)CV_UNIT_YEAR) /* the period input of a yearly formula */
#define M ((double)CV_UNIT_MONTH)

/* Evaluates a formula by name on the given inputs; fails the test on an error. */
static double eval(const char *name, const double *x)
{
    const cv_formula *f = cv_formula_find(name);
    cv_error err = {0};
    double y = NAN;
    assert_non_null(f);
    if (cv_formula_eval(f, x, NULL, 0, &y, NULL, &err))
        fail_msg("%s: %s", name, err.msg);
    return y;
}

/* Evaluates and expects failure: returns the error message (static storage). */
static const char *eval_error(const char *name, const double *x, const double *list, int n)
{
    static cv_error err;
    const cv_formula *f = cv_formula_find(name);
    double y = 12345;
    assert_non_null(f);
    memset(&err, 0, sizeof err);
    int rc = cv_formula_eval(f, x, list, n, &y, NULL, &err);
    assert_int_equal(rc, CV_ERR_DOMAIN);
    assert_int_equal(err.code, CV_ERR_DOMAIN);
    assert_true(y == 12345); /* no result written on failure */
    return err.msg;
}

static double npv_of(const char *name, double annual, double unit, const double *flows, int n)
{
    const cv_formula *f = cv_formula_find(name);
    double x[3] = {annual, unit, 0}, y = NAN;
    cv_error err = {0};
    assert_non_null(f);
    if (cv_formula_eval(f, x, flows, n, &y, NULL, &err))
        fail_msg("%s: %s", name, err.msg);
    return y;
}

static void test_formulas_clv_simple(void **state)
{
    (void)state;
    assert_float_equal(eval("clv.simple", (double[]){100, 4, 5}), 2000, 1e-12);
    assert_float_equal(eval("clv.simple", (double[]){25.5, 2, 0}), 0, 0);
}

static void test_formulas_costs(void **state)
{
    (void)state;
    assert_float_equal(eval("cost.retention_per_customer", (double[]){20000, 400}), 50, 1e-12);
    assert_float_equal(eval("cost.cac", (double[]){50000, 250}), 200, 1e-12);
}

static void test_formulas_profit(void **state)
{
    (void)state;
    assert_float_equal(eval("profit.customer", (double[]){3000, 500, 200}), 2300, 1e-12);
    /* a customer can be unprofitable */
    assert_float_equal(eval("profit.customer", (double[]){300, 500, 200}), -400, 1e-12);
    assert_float_equal(eval("profit.crm_gross", (double[]){1000, 600, 150}), 250, 1e-12);
}

static void test_formulas_npv_end_and_start(void **state)
{
    (void)state;
    const double flows[] = {100, 100, 100};
    /* end of period: 100/1.1 + 100/1.21 + 100/1.331 = 248.685199... */
    double end = 100 / 1.1 + 100 / 1.21 + 100 / 1.331;
    assert_float_equal(npv_of("profit.lifecycle_npv", 0.10, Y, flows, 3), end, 1e-9);
    assert_float_equal(round(end * 100) / 100, 248.69, 1e-9);
    /* first flow now: 100 + 100/1.1 + 100/1.21 = 273.553719... */
    double start = 100 + 100 / 1.1 + 100 / 1.21;
    assert_float_equal(npv_of("profit.lifecycle_npv_start", 0.10, Y, flows, 3), start, 1e-9);
    /* a negative first flow (acquisition) then profits */
    const double mixed[] = {-50, 80};
    assert_float_equal(npv_of("profit.lifecycle_npv", 0.25, Y, mixed, 2), -40 + 51.2, 1e-9);
}

static void test_formulas_npv_period_rate(void **state)
{
    (void)state;
    /* an annual rate of 1.01^12 - 1 is 1% a month: monthly flows of 100 at period ends */
    const double flows[] = {100, 100, 100};
    double annual =
        1.01 * 1.01 * 1.01 * 1.01 * 1.01 * 1.01 * 1.01 * 1.01 * 1.01 * 1.01 * 1.01 * 1.01 - 1;
    double hand = 100 / 1.01 + 100 / (1.01 * 1.01) + 100 / (1.01 * 1.01 * 1.01);
    assert_float_equal(npv_of("profit.lifecycle_npv", annual, M, flows, 3), hand, 1e-9);

    const cv_formula *f = cv_formula_find("profit.lifecycle_npv");
    double x[3] = {annual, M, 0}, steps[CV_FORMULA_MAX_STEPS], y;
    cv_error err = {0};
    assert_int_equal(cv_formula_eval(f, x, flows, 3, &y, steps, &err), 0);
    assert_float_equal(steps[0], 0.01, 1e-12);
}

static void test_formulas_clv_retention(void **state)
{
    (void)state;
    /* m r / (1 + d - r) = 100 * 0.8 / 0.3 */
    assert_float_equal(eval("clv.retention", (double[]){100, 0.8, 0.10, Y}), 800.0 / 3, 1e-9);
    assert_float_equal(eval("clv.retention", (double[]){100, 0.85, 0.10, Y}), 340, 1e-9);
    /* m (1 + d) / (1 + d - r) = 110 / 0.3; it is the other by exactly one margin m */
    assert_float_equal(eval("clv.retention_now", (double[]){100, 0.8, 0.10, Y}), 1100.0 / 3, 1e-9);
    /* r = 0: nothing after the first period */
    assert_float_equal(eval("clv.retention", (double[]){100, 0, 0.10, Y}), 0, 0);
    assert_float_equal(eval("clv.retention_now", (double[]){100, 0, 0.10, Y}), 100, 1e-12);
}

/* sum over t = t0..t1 of m r^t / (1 + d)^t, by a plain loop */
static double hand_sum(double m, double r, double d, int t0, int t1)
{
    double s = 0;
    for (int t = t0; t <= t1; t++) {
        double term = m;
        for (int k = 0; k < t; k++)
            term *= r / (1 + d);
        s += term;
    }
    return s;
}

static void test_formulas_clv_retention_finite(void **state)
{
    (void)state;
    /* written out: 100 + 100*0.8/1.1 + 100*0.64/1.21 */
    assert_float_equal(eval("clv.retention_finite_now", (double[]){100, 0.8, 0.10, Y, 3}),
                       100 + 80 / 1.1 + 64 / 1.21, 1e-9);
    assert_float_equal(eval("clv.retention_finite", (double[]){100, 0.8, 0.10, Y, 3}),
                       80 / 1.1 + 64 / 1.21 + 51.2 / 1.331, 1e-9);
    assert_float_equal(eval("clv.retention_finite", (double[]){100, 0.8, 0.10, Y, 1}), 80 / 1.1,
                       1e-9);
    assert_float_equal(eval("clv.retention_finite_now", (double[]){100, 0.8, 0.10, Y, 1}), 100,
                       1e-9);
    /* against the hand loop over a grid */
    const double rs[] = {0, 0.3, 0.8, 0.95, 1};
    const double ds[] = {0, 0.05, 0.10, 0.5};
    for (int i = 0; i < 5; i++)
        for (int j = 0; j < 4; j++)
            for (int T = 1; T <= 40; T += 13) {
                double r = rs[i], d = ds[j];
                double now = eval("clv.retention_finite_now", (double[]){250, r, d, Y, T});
                double end = eval("clv.retention_finite", (double[]){250, r, d, Y, T});
                assert_float_equal(now, hand_sum(250, r, d, 0, T - 1), 1e-9 * (1 + now));
                assert_float_equal(end, hand_sum(250, r, d, 1, T), 1e-9 * (1 + end));
            }
    /* r = 1 and d = 0: every period's margin, undiscounted */
    assert_float_equal(eval("clv.retention_finite", (double[]){100, 1, 0, Y, 7}), 700, 1e-9);
}

static void test_formulas_finite_tends_to_infinite(void **state)
{
    (void)state;
    double inf_end = eval("clv.retention", (double[]){100, 0.8, 0.10, Y});
    double inf_now = eval("clv.retention_now", (double[]){100, 0.8, 0.10, Y});
    double f_end = eval("clv.retention_finite", (double[]){100, 0.8, 0.10, Y, 500});
    double f_now = eval("clv.retention_finite_now", (double[]){100, 0.8, 0.10, Y, 500});
    assert_float_equal(f_end, inf_end, 1e-9);
    assert_float_equal(f_now, inf_now, 1e-9);
    /* a short horizon is strictly below the limit */
    assert_true(eval("clv.retention_finite", (double[]){100, 0.8, 0.10, Y, 10}) < inf_end - 1);
}

static void test_formulas_delivered_value(void **state)
{
    (void)state;
    /* values 500 + 200 + 100 + 50 = 850; costs 400 + 60 + 20 + 10 = 490 */
    const cv_formula *f = cv_formula_find("value.delivered");
    double x[] = {500, 200, 100, 50, 400, 60, 20, 10}, s[CV_FORMULA_MAX_STEPS], y;
    cv_error err = {0};
    assert_int_equal(cv_formula_eval(f, x, NULL, 0, &y, s, &err), 0);
    assert_float_equal(s[0], 850, 0);
    assert_float_equal(s[1], 490, 0);
    assert_float_equal(y, 360, 0);
}

static void test_formulas_switching_cost(void **state)
{
    (void)state;
    const cv_formula *f = cv_formula_find("cost.switching");
    double x[] = {10, 20, 5, 50, 30, 0, 15, 5, 10}, s[CV_FORMULA_MAX_STEPS], y;
    cv_error err = {0};
    assert_int_equal(cv_formula_eval(f, x, NULL, 0, &y, s, &err), 0);
    assert_float_equal(s[0], 35, 0);
    assert_float_equal(s[1], 80, 0);
    assert_float_equal(s[2], 30, 0);
    assert_float_equal(y, 145, 0);
    /* every part is optional with a default of 0 */
    for (int i = 0; i < f->ninputs; i++) {
        assert_true(f->inputs[i].optional);
        assert_float_equal(f->inputs[i].def, 0, 0);
    }
}

static void test_formulas_retention_effect(void **state)
{
    (void)state;
    /* 266.67 -> 340: (340 - 800/3) / (800/3) = 0.275 */
    const cv_formula *f = cv_formula_find("retention.effect");
    double x[] = {100, 0.10, Y, 0.80, 0.85}, s[CV_FORMULA_MAX_STEPS], y;
    cv_error err = {0};
    assert_int_equal(cv_formula_eval(f, x, NULL, 0, &y, s, &err), 0);
    assert_float_equal(s[0], 0.10, 0); /* the rate per year is the annual rate, exactly */
    assert_float_equal(s[1], 800.0 / 3, 1e-9);
    assert_float_equal(s[2], 340, 1e-9);
    assert_float_equal(y, 0.275, 1e-12);
}

static void test_formulas_domain_errors(void **state)
{
    (void)state;
    assert_string_equal(eval_error("cost.retention_per_customer", (double[]){20000, 0}, NULL, 0),
                        "customers_retained must be > 0, got 0");
    assert_string_equal(eval_error("cost.cac", (double[]){1000, -3}, NULL, 0),
                        "new_customers must be > 0, got -3");
    assert_string_equal(eval_error("cost.retention_per_customer", (double[]){-1, 4}, NULL, 0),
                        "retention_spend must be >= 0, got -1");
    assert_string_equal(eval_error("clv.simple", (double[]){NAN, 4, 5}, NULL, 0),
                        "avg_purchase must be a number, got nan");
    assert_string_equal(eval_error("clv.simple", (double[]){100, INFINITY, 5}, NULL, 0),
                        "frequency must be finite, got inf");
    assert_string_equal(eval_error("clv.retention", (double[]){100, 1, 0, Y}, NULL, 0),
                        "retention must be < 1 + the discount rate per period for the sum to "
                        "converge, got retention 1 and 0 a year");
    assert_string_equal(eval_error("clv.retention", (double[]){100, 0.8, -0.5, Y}, NULL, 0),
                        "retention must be < 1 + the discount rate per period for the sum to "
                        "converge, got retention 0.8 and -0.5 a year");
    assert_string_equal(eval_error("clv.retention", (double[]){100, 1.2, 0.1, Y}, NULL, 0),
                        "retention must be between 0 and 1, got 1.2");
    assert_string_equal(eval_error("clv.retention", (double[]){100, 0.5, -1, Y}, NULL, 0),
                        "discount must be > -1, got -1");
    assert_string_equal(
        eval_error("clv.retention_finite", (double[]){100, 0.5, 0.1, Y, 2.5}, NULL, 0),
        "periods must be a whole number >= 1, got 2.5");
    assert_string_equal(eval_error("retention.effect", (double[]){0, 0.1, Y, 0.8, 0.85}, NULL, 0),
                        "the clv before the change is 0 (margin or retention is 0), "
                        "so its relative change is undefined");
    /* a result too large for a double is an error, never inf */
    assert_string_equal(eval_error("clv.simple", (double[]){1e200, 1e200, 1}, NULL, 0),
                        "clv.simple: the result is too large to represent (overflow)");
}

static void test_formulas_list_errors(void **state)
{
    (void)state;
    double x[3] = {0.1, Y, 0};
    assert_string_equal(eval_error("profit.lifecycle_npv", x, NULL, 0),
                        "profits must have at least one value");
    assert_string_equal(eval_error("profit.lifecycle_npv", x, (double[]){1, NAN}, 2),
                        "profits[2] must be a finite number, got nan");
    x[1] = 4.5;
    assert_string_equal(eval_error("profit.lifecycle_npv", x, (double[]){1}, 1),
                        "period must be a time unit, got 4.5");
}

static void test_formulas_catalogue(void **state)
{
    (void)state;
    const char *names[] = {"clv.simple",
                           "clv.retention",
                           "clv.retention_now",
                           "clv.retention_finite",
                           "clv.retention_finite_now",
                           "cost.retention_per_customer",
                           "cost.cac",
                           "profit.customer",
                           "profit.crm_gross",
                           "profit.lifecycle_npv",
                           "profit.lifecycle_npv_start",
                           "value.delivered",
                           "cost.switching",
                           "retention.effect",
                           "cost.hidden_service",
                           "cost.service_total",
                           "decision.keep_or_drop"};
    int n = (int)(sizeof names / sizeof names[0]), ncrm;
    cv_crmcost_formulas(&ncrm); /* listed after these (tests/unit/test_crmcost.c) */
    assert_int_equal(cv_formula_count(), n + ncrm);
    for (int i = 0; i < n; i++) {
        const cv_formula *f = cv_formula_at(i);
        assert_string_equal(f->name, names[i]);
        assert_ptr_equal(cv_formula_find(names[i]), f);
        /* a list input, when there is one, is the last and only one */
        int li = cv_formula_list_index(f);
        assert_true(li < 0 || li == f->ninputs - 1);
    }
    assert_null(cv_formula_find("clv.nope"));
    assert_null(cv_formula_at(n + ncrm));
    assert_int_equal(cv_formula_input_index(cv_formula_find("cost.cac"), "new_customers"), 1);
    assert_int_equal(cv_formula_input_index(cv_formula_find("cost.cac"), "x"), -1);
}

static void check_format(double v, const char *want)
{
    char buf[64];
    size_t n = cv_formula_format_number(v, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

static void test_formulas_format_number(void **state)
{
    (void)state;
    check_format(2000, "2,000");
    check_format(800.0 / 3, "266.67");
    check_format(340, "340");
    check_format(0.1, "0.1");
    check_format(0, "0");
    check_format(-2300, "-2,300");
    check_format(1234567.891, "1,234,567.89");
    check_format(999.999, "1,000");
    check_format(100.5, "100.5");
    check_format(0.085, "0.085");
    check_format(0.007974140428903764, "0.007974");
    check_format(0.85, "0.85");
    check_format(-0.5, "-0.5");
    check_format(1e9, "1,000,000,000");
    /* an exact half rounds away from zero (218.125 is exact in binary) */
    check_format(218.125, "218.13");
    check_format(-218.125, "-218.13");
    check_format(0.00012346, "0.0001235");
    /* truncation reports the full length */
    char small[4];
    assert_int_equal(cv_formula_format_number(123456, small, sizeof small), 7);
    assert_string_equal(small, "123");
}

static void test_formulas_format_value(void **state)
{
    char buf[64];
    (void)state;
    cv_formula_format_value(-83223.8, CV_KIND_MONEY, buf, sizeof buf);
    assert_string_equal(buf, "-83,223.80");
    cv_formula_format_value(0.005, CV_KIND_MONEY, buf, sizeof buf); /* 0.01 would change it */
    assert_string_equal(buf, "0.005");
    cv_formula_format_value(0.25, CV_KIND_MONEY, buf, sizeof buf);
    assert_string_equal(buf, "0.25");
    cv_formula_format_value(0.7993, CV_KIND_RATE, buf, sizeof buf);
    assert_string_equal(buf, "79.93%");
    cv_formula_format_value(0.275, CV_KIND_SHARE, buf, sizeof buf);
    assert_string_equal(buf, "27.5%");
    cv_formula_format_value(100000, CV_KIND_COUNT, buf, sizeof buf);
    assert_string_equal(buf, "100,000");
    cv_formula_format_value(12.5, CV_KIND_COUNT, buf, sizeof buf);
    assert_string_equal(buf, "12.5");
    cv_formula_format_value(3.7908, CV_KIND_NUMBER, buf, sizeof buf);
    assert_string_equal(buf, "3.79");
    assert_int_equal(cv_formula_format_value(1234.5, CV_KIND_MONEY, buf, 4), 8); /* "1,234.50" */
    assert_string_equal(buf, "1,2");
}

static void test_formulas_explain_simple(void **state)
{
    (void)state;
    const cv_formula *f = cv_formula_find("clv.simple");
    cv_formula_line lines[CV_FORMULA_MAX_STEPS];
    int n = -1;
    cv_error err = {0};
    assert_int_equal(cv_formula_explain(f, (double[]){100, 4, 5}, NULL, 0, lines, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(lines[0].key, "clv");
    assert_string_equal(lines[0].expr, "{avg_purchase} × {frequency} × {lifetime}");
    assert_string_equal(lines[0].numeric, "100.00 × 4 × 5"); /* money × number × number */
    assert_string_equal(lines[0].value, "2,000.00");
    assert_int_equal(lines[0].kind, CV_KIND_MONEY);
    assert_float_equal(lines[0].v, 2000, 0);
}

static void test_formulas_explain_steps(void **state)
{
    (void)state;
    cv_formula_line lines[CV_FORMULA_MAX_STEPS];
    int n = -1;
    cv_error err = {0};
    const cv_formula *f = cv_formula_find("retention.effect");
    assert_int_equal(
        cv_formula_explain(f, (double[]){100, 0.10, Y, 0.80, 0.85}, NULL, 0, lines, &n, &err), 0);
    assert_int_equal(n, 3); /* the rate per year is the discount: not shown */
    assert_string_equal(lines[0].numeric, "100.00 × 80% ÷ (1 + 10% − 80%)");
    assert_string_equal(lines[0].value, "266.67");
    assert_string_equal(lines[1].numeric, "100.00 × 85% ÷ (1 + 10% − 85%)");
    assert_string_equal(lines[1].value, "340.00");
    assert_string_equal(lines[2].numeric, "(340.00 − 266.67) ÷ 266.67");
    assert_string_equal(lines[2].value, "27.5%");
    assert_true(lines[2].percent);

    /* negative numbers go in parentheses */
    f = cv_formula_find("profit.customer");
    assert_int_equal(cv_formula_explain(f, (double[]){300, 500, 200}, NULL, 0, lines, &n, &err), 0);
    assert_string_equal(lines[0].numeric, "300.00 − 500.00 − 200.00");
    assert_string_equal(lines[0].value, "-400.00");

    /* counts as whole numbers, a fractional count with its decimals */
    f = cv_formula_find("cost.hidden_service");
    assert_int_equal(
        cv_formula_explain(f, (double[]){1000, 0.05, 0.25, 200, 10, 0.3}, NULL, 0, lines, &n, &err),
        0);
    assert_string_equal(lines[0].numeric, "1,000 × 5%");
    assert_string_equal(lines[0].value, "50");
    assert_string_equal(lines[1].value, "12.5");
    assert_string_equal(lines[2].numeric, "12.5 × 200.00");
    assert_string_equal(lines[2].value, "2,500.00");
}

static void test_formulas_explain_npv(void **state)
{
    (void)state;
    cv_formula_line lines[CV_FORMULA_MAX_STEPS];
    int n = -1;
    cv_error err = {0};
    const cv_formula *f = cv_formula_find("profit.lifecycle_npv");
    const double flows[] = {100, 100, 100};
    assert_int_equal(cv_formula_explain(f, (double[]){0.1, Y, 0}, flows, 3, lines, &n, &err), 0);
    assert_int_equal(n, 1); /* the period rate equals the annual one: not shown */
    assert_string_equal(lines[0].numeric, "100.00 ÷ 1.1^1 + 100.00 ÷ 1.1^2 + 100.00 ÷ 1.1^3");
    assert_string_equal(lines[0].value, "248.69");

    f = cv_formula_find("profit.lifecycle_npv_start");
    assert_int_equal(cv_formula_explain(f, (double[]){0.1, M, 0}, flows, 3, lines, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0].key, "period_rate");
    assert_string_equal(lines[0].numeric, "(1 + 10%)^(1 ÷ 12) − 1");
    assert_string_equal(lines[0].value, "0.7974%"); /* 0.007974 */
    assert_string_equal(lines[1].numeric,
                        "100.00 + 100.00 ÷ (1 + 0.7974%)^1 + 100.00 ÷ (1 + 0.7974%)^2");

    /* a long list shows its first three and last terms */
    double many[10];
    for (int i = 0; i < 10; i++)
        many[i] = 10;
    f = cv_formula_find("profit.lifecycle_npv");
    assert_int_equal(cv_formula_explain(f, (double[]){0.1, Y, 0}, many, 10, lines, &n, &err), 0);
    assert_string_equal(lines[0].numeric,
                        "10.00 ÷ 1.1^1 + 10.00 ÷ 1.1^2 + 10.00 ÷ 1.1^3 + … + 10.00 ÷ 1.1^10");
}

static void test_formulas_explain_error(void **state)
{
    (void)state;
    cv_formula_line lines[CV_FORMULA_MAX_STEPS];
    int n = -1;
    cv_error err = {0};
    const cv_formula *f = cv_formula_find("cost.retention_per_customer");
    assert_int_equal(cv_formula_explain(f, (double[]){20000, 0}, NULL, 0, lines, &n, &err),
                     CV_ERR_DOMAIN);
    assert_int_equal(n, 0);
    assert_string_equal(err.msg, "customers_retained must be > 0, got 0");
}

/* A table with a float column and an int column, and a string column. */
static cv_table *make_table(void)
{
    cv_table *t = cv_table_new();
    cv_column *a = cv_column_new("avg", CV_FLOAT64, 4);
    cv_column *f = cv_column_new("freq", CV_INT64, 4);
    cv_column *s = cv_column_new("name", CV_STRING, 4);
    const double av[] = {100, 25.5, 10, 40};
    const int64_t fv[] = {4, 2, 3, 0};
    cv_error err = {0};
    for (int i = 0; i < 4; i++) {
        if (i == 2)
            assert_int_equal(cv_column_push_missing(a), 0);
        else
            assert_int_equal(cv_column_push_float(a, av[i]), 0);
        assert_int_equal(cv_column_push_int(f, fv[i]), 0);
        assert_int_equal(cv_column_push_string(s, "x", 1), 0);
    }
    assert_int_equal(cv_table_add(t, a, &err), 0);
    assert_int_equal(cv_table_add(t, f, &err), 0);
    assert_int_equal(cv_table_add(t, s, &err), 0);
    cv_column_unref(a);
    cv_column_unref(f);
    cv_column_unref(s);
    return t;
}

static void test_formulas_apply_columns(void **state)
{
    (void)state;
    cv_table *t = make_table();
    cv_error err = {0};
    cv_formula_arg args[] = {{"avg", 0}, {"freq", 0}, {NULL, 5}};
    cv_table *r = cv_formula_apply(t, cv_formula_find("clv.simple"), args, 3, "clv", &err);
    if (!r)
        fail_msg("%s", err.msg);
    assert_int_equal(r->ncols, 4);
    assert_int_equal(r->nrows, 4);
    cv_column *c = cv_table_col(r, "clv", &err);
    assert_non_null(c);
    assert_int_equal(c->type, CV_FLOAT64);
    assert_float_equal(cv_column_float(c, 0), 2000, 1e-12);
    assert_float_equal(cv_column_float(c, 1), 255, 1e-12);
    assert_false(cv_column_is_valid(c, 2)); /* a missing input gives a missing result */
    assert_float_equal(cv_column_float(c, 3), 0, 0);
    /* the input table is untouched */
    assert_int_equal(t->ncols, 3);

    /* replacing a column of the same name */
    cv_table *r2 = cv_formula_apply(r, cv_formula_find("clv.simple"), args, 3, "avg", &err);
    assert_non_null(r2);
    assert_int_equal(r2->ncols, 4);
    assert_string_equal(r2->cols[0]->name, "avg");
    assert_float_equal(cv_column_float(r2->cols[0], 1), 255, 1e-12);
    cv_table_free(r2);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_formulas_apply_list(void **state)
{
    (void)state;
    cv_table *t = make_table();
    cv_error err = {0};
    /* NPV at 10% of the flows (avg, freq, 100) row by row, end of period */
    cv_formula_arg args[] = {{NULL, 0.10}, {NULL, Y}, {"avg", 0}, {"freq", 0}, {NULL, 100}};
    cv_table *r =
        cv_formula_apply(t, cv_formula_find("profit.lifecycle_npv"), args, 5, "npv", &err);
    if (!r)
        fail_msg("%s", err.msg);
    cv_column *c = cv_table_col(r, "npv", &err);
    assert_float_equal(cv_column_float(c, 0), 100 / 1.1 + 4 / 1.21 + 100 / 1.331, 1e-9);
    assert_float_equal(cv_column_float(c, 3), 40 / 1.1 + 0 / 1.21 + 100 / 1.331, 1e-9);
    cv_table_free(r);
    cv_table_free(t);
}

static void test_formulas_apply_errors(void **state)
{
    (void)state;
    cv_table *t = make_table();
    cv_error err = {0};
    const cv_formula *rpc = cv_formula_find("cost.retention_per_customer");
    /* row 4 has freq 0 */
    cv_formula_arg a1[] = {{NULL, 1000}, {"freq", 0}};
    assert_null(cv_formula_apply(t, rpc, a1, 2, "rc", &err));
    assert_int_equal(err.code, CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "row 4: customers_retained must be > 0, got 0");

    cv_formula_arg a2[] = {{NULL, 1000}, {"name", 0}};
    assert_null(cv_formula_apply(t, rpc, a2, 2, "rc", &err));
    assert_int_equal(err.code, CV_ERR_TYPE);
    assert_string_equal(err.msg, "input customers_retained: column 'name' is string, not a number");

    cv_formula_arg a3[] = {{NULL, 1000}, {"nope", 0}};
    assert_null(cv_formula_apply(t, rpc, a3, 2, "rc", &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_string_equal(err.msg, "no column 'nope' (columns: avg, freq, name)");

    cv_formula_arg a4[] = {{NULL, -5}, {"freq", 0}};
    assert_null(cv_formula_apply(t, rpc, a4, 2, "rc", &err));
    assert_string_equal(err.msg, "retention_spend must be >= 0, got -5");

    assert_null(cv_formula_apply(t, rpc, a4, 1, "rc", &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    assert_string_equal(err.msg, "cost.retention_per_customer takes 2 inputs, got 1");

    cv_formula_arg a5[] = {{NULL, 0.1}, {NULL, Y}};
    assert_null(cv_formula_apply(t, cv_formula_find("profit.lifecycle_npv"), a5, 2, "n", &err));
    assert_string_equal(err.msg, "profit.lifecycle_npv takes 3 inputs (the last a list), got 2");
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formulas_clv_simple),
        cmocka_unit_test(test_formulas_costs),
        cmocka_unit_test(test_formulas_profit),
        cmocka_unit_test(test_formulas_npv_end_and_start),
        cmocka_unit_test(test_formulas_npv_period_rate),
        cmocka_unit_test(test_formulas_clv_retention),
        cmocka_unit_test(test_formulas_clv_retention_finite),
        cmocka_unit_test(test_formulas_finite_tends_to_infinite),
        cmocka_unit_test(test_formulas_delivered_value),
        cmocka_unit_test(test_formulas_switching_cost),
        cmocka_unit_test(test_formulas_retention_effect),
        cmocka_unit_test(test_formulas_domain_errors),
        cmocka_unit_test(test_formulas_list_errors),
        cmocka_unit_test(test_formulas_catalogue),
        cmocka_unit_test(test_formulas_format_number),
        cmocka_unit_test(test_formulas_format_value),
        cmocka_unit_test(test_formulas_explain_simple),
        cmocka_unit_test(test_formulas_explain_steps),
        cmocka_unit_test(test_formulas_explain_npv),
        cmocka_unit_test(test_formulas_explain_error),
        cmocka_unit_test(test_formulas_apply_columns),
        cmocka_unit_test(test_formulas_apply_list),
        cmocka_unit_test(test_formulas_apply_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
