/* Tests of src/core/crmcost.c: the formulas of the CRM system's cost, loyalty programmes and
   satisfaction (by hand and against published worked examples, cited at each test) and the
   life-cycle cost per option (cv_lcc). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/crmcost.h"
#include "cvkit/formulas.h"

/* Evaluates a formula by name; fails the test on an error. */
static double eval(const char *name, const double *x, double *steps)
{
    const cv_formula *f = cv_formula_find(name);
    cv_error err = {0};
    double y = NAN;
    assert_non_null(f);
    if (cv_formula_eval(f, x, NULL, 0, &y, steps, &err))
        fail_msg("%s: %s", name, err.msg);
    return y;
}

/* Evaluates and expects a domain error: returns its message (static storage). */
static const char *eval_error(const char *name, const double *x)
{
    static cv_error err;
    double y;
    memset(&err, 0, sizeof err);
    assert_int_equal(cv_formula_eval(cv_formula_find(name), x, NULL, 0, &y, NULL, &err),
                     CV_ERR_DOMAIN);
    return err.msg;
}

static void test_crmcost_catalogue(void **state)
{
    const char *names[] = {"crm.eac",
                           "loyalty.liability",
                           "loyalty.allocation",
                           "loyalty.revenue",
                           "loyalty.profit",
                           "loyalty.breakeven_lift",
                           "satisfaction.nps",
                           "satisfaction.word_of_mouth",
                           "satisfaction.complaint_cost"};
    int n;
    const cv_formula *part = cv_crmcost_formulas(&n);
    (void)state;
    assert_int_equal(n, (int)(sizeof names / sizeof names[0]));
    for (int i = 0; i < n; i++) {
        assert_string_equal(part[i].name, names[i]);
        assert_ptr_equal(cv_formula_find(names[i]), &part[i]);
        /* listed after the core formulas, in this order */
        assert_ptr_equal(cv_formula_at(cv_formula_count() - n + i), &part[i]);
    }
    assert_null(cv_formula_at(cv_formula_count()));
    assert_null(cv_formula_at(-1));
}

/* Equivalent annual cost, checked against two published worked examples:
   - justaaa.com/finance/304779 ("What is the annual equivalent cost of a machine that costs
     $8,500 and has maintenance fees of $250 in years 1 through 6 ... 5%?"): PV 9,768.92,
     EAC 1,924.65;
   - algebra.com question 1147861 (a 400,000 machine over 10 years at 10%, 100,000 a year to
     operate): capital EAC 65,098.16, total 165,098.16. */
static void test_crmcost_eac_published(void **state)
{
    double s[2];
    (void)state;
    assert_float_equal(eval("crm.eac", (double[]){9768.92302, 0.05, 6}, s), 1924.65, 0.005);
    assert_float_equal(s[0], 5.075692, 1e-6); /* a(6, 5%) = 0.253784603 ÷ 0.05 */
    assert_float_equal(eval("crm.eac", (double[]){400000, 0.10, 10}, NULL), 65098.16, 0.005);
    /* at a zero rate the cost is spread evenly */
    assert_float_equal(eval("crm.eac", (double[]){1000, 0, 4}, NULL), 250, 1e-12);
    assert_float_equal(cv_crmcost_annuity(0.1, 5), 3.790786769, 1e-9);
}

/* The same two examples through cv_lcc: a one-off now plus a yearly cost. */
static void test_crmcost_lcc_published(void **state)
{
    cv_lcc_line a[] = {{0, CV_LCC_COST, 8500, 0, 0, 0}, {0, CV_LCC_COST, 250, 1, 6, 0}};
    cv_lcc_line b[] = {{0, CV_LCC_COST, 400000, 0, 0, 0}, {0, CV_LCC_COST, 100000, 1, 10, 0}};
    double users = 1, pv[2];
    cv_lcc_result r;
    cv_error err = {0};
    (void)state;
    assert_int_equal(cv_lcc(a, 2, &users, 1, 0.05, 6, pv, &r, &err), 0);
    assert_float_equal(r.cost_pv, 9768.92, 0.005);
    /* the page prints the maintenance's PV as 1,628.92, a transposition: 250 × 5.0757 =
       1,268.92, and its own total 8,500 + PV = 9,768.92 needs 1,268.92 */
    assert_float_equal(pv[1], 1268.92302, 1e-4);
    assert_float_equal(r.eac, 1924.65, 0.005);
    assert_float_equal(r.cost_nominal, 8500 + 6 * 250, 1e-9);
    assert_true(isnan(r.payback)); /* no benefits */
    assert_int_equal(cv_lcc(b, 2, &users, 1, 0.10, 10, NULL, &r, &err), 0);
    assert_float_equal(r.eac, 165098.16, 0.005);
}

/* Three options by hand (10% a year, 3 years): per-user lines, benefits, NPV, payback. */
static void test_crmcost_lcc_options(void **state)
{
    cv_lcc_line l[] = {
        {0, CV_LCC_COST, 1000, 0, 0, 0},   /* A: 1,000 now */
        {0, CV_LCC_COST, 10, 1, 3, 1},     /* A: 10 a user a year × 20 users */
        {0, CV_LCC_BENEFIT, 880, 1, 3, 0}, /* A: 880 a year */
        {1, CV_LCC_COST, 121, 2, 2, 0},    /* B: 121 in year 2 = 100 now */
    };
    double users[] = {20, 4}, pv[4];
    cv_lcc_result r[2];
    cv_error err = {0};
    (void)state;
    assert_int_equal(cv_lcc(l, 4, users, 2, 0.10, 3, pv, r, &err), 0);
    double a3 = 1 / 1.1 + 1 / 1.21 + 1 / 1.331;
    assert_float_equal(pv[1], 200 * a3, 1e-9);
    assert_float_equal(r[0].cost_pv, 1000 + 200 * a3, 1e-9);
    assert_float_equal(r[0].benefit_pv, 880 * a3, 1e-9);
    assert_float_equal(r[0].npv, 680 * a3 - 1000, 1e-9);
    assert_float_equal(r[0].eac, (1000 + 200 * a3) / a3, 1e-9);
    assert_float_equal(r[0].eac_per_user, (1000 + 200 * a3) / a3 / 20, 1e-9);
    /* net 680 a year: cumulative −1000, −381.82, +180.17: payback 1 + 381.82 ÷ 561.98 */
    assert_float_equal(r[0].payback, 1 + (1000 - 680 / 1.1) / (680 / 1.21), 1e-9);
    assert_float_equal(r[1].cost_pv, 100, 1e-9);
    assert_float_equal(r[1].eac_per_user, 100 / a3 / 4, 1e-9);
    assert_true(isnan(r[1].payback));
}

static void test_crmcost_lcc_errors(void **state)
{
    cv_lcc_line l[] = {{0, CV_LCC_COST, 1, 0, 7, 0}};
    double users = 1;
    cv_lcc_result r;
    cv_error err = {0};
    (void)state;
    assert_int_equal(cv_lcc(l, 1, &users, 1, 0.1, 5, NULL, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "line 1: to must be between from (0) and years (5), got 7");
    l[0].to = 0, l[0].option = 1;
    assert_int_equal(cv_lcc(l, 1, &users, 1, 0.1, 5, NULL, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "line 1: option must be between 1 and 1, got 2");
    l[0].option = 0, users = 0;
    assert_int_equal(cv_lcc(l, 1, &users, 1, 0.1, 5, NULL, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "option 1: users must be > 0, got 0");
    users = 1;
    assert_int_equal(cv_lcc(l, 1, &users, 1, -1, 5, NULL, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "discount must be > -1, got -1");
}

/* IFRS 15 loyalty points, checked against KPMG, "Revenue – IFRS 15 handbook" (2019),
   Example 10A "Customer loyalty points programme: Increase in estimated redemptions" and
   Example 10B (after IFRS 15.IE267–IE270): 100,000 of sales earn 10,000 points worth 1
   each, 97% expected to be redeemed: points' stand-alone selling price 9,700; the handbook
   allocates 9,000 (its ratio rounded to 9%; unrounded 8,842.3). Year 2: 4,500 redeemed of
   9,700 expected: revenue 4,175. Year 3: 4,000 more, 9,900 expected: 3,552; with 9,200
   expected instead (10B): 4,140. */
static void test_crmcost_ifrs15_kpmg(void **state)
{
    double s[3];
    (void)state;
    assert_float_equal(eval("loyalty.allocation", (double[]){100000, 10000, 1, 0.97}, s),
                       100000 * 9700.0 / 109700, 1e-9);
    assert_float_equal(s[0], 9700, 1e-9);
    double y2 = eval("loyalty.revenue", (double[]){9000, 4500, 9700, 0}, s);
    assert_int_equal((int)lround(y2), 4175);
    assert_float_equal(s[1], 9000 - y2, 1e-9); /* contract liability left */
    assert_int_equal((int)lround(eval("loyalty.revenue", (double[]){9000, 8500, 9900, y2}, s)),
                     3552);
    assert_int_equal((int)lround(eval("loyalty.revenue", (double[]){9000, 8500, 9200, y2}, s)),
                     4140);
}

/* The allocation of "Illustration IFRS 15" (a grocery retailer, scribd.com presentation
   318115841): sales 7,200,000, 10,000 points of which 80% are expected to be redeemed, a
   point's stand-alone selling price 100: points 800,000, allocated 720,000. Then by hand:
   4,000 redeemed of 8,000 expected: 360,000; next year 8,100 of 9,000: 648,000 in all,
   288,000 in the year, liability 72,000. */
static void test_crmcost_ifrs15_grocer(void **state)
{
    double s[3];
    (void)state;
    assert_float_equal(eval("loyalty.allocation", (double[]){7200000, 10000, 100, 0.8}, s), 720000,
                       1e-6);
    assert_float_equal(s[0], 800000, 1e-9);
    assert_float_equal(eval("loyalty.revenue", (double[]){720000, 4000, 8000, 0}, s), 360000, 1e-9);
    assert_float_equal(s[1], 360000, 1e-9);
    assert_float_equal(eval("loyalty.revenue", (double[]){720000, 8100, 9000, 360000}, s), 288000,
                       1e-9);
    assert_float_equal(s[0], 648000, 1e-9);
    assert_float_equal(s[1], 72000, 1e-9);
    assert_string_equal(eval_error("loyalty.revenue", (double[]){1, 10, 9, 0}),
                        "points_redeemed must be <= points_expected, got 10 and 9");
    assert_string_equal(eval_error("loyalty.allocation", (double[]){0, 10, 0, 0.5}),
                        "sales and the points' stand-alone selling price are both 0: nothing to "
                        "allocate");
}

/* Liability, profit and the break-even lift of the models/loyalty_programme.lua case, by
   hand; the break-even lift makes the profit 0. */
static void test_crmcost_loyalty_profit(void **state)
{
    double s[5];
    (void)state;
    assert_float_equal(eval("loyalty.liability", (double[]){6e6, 0.8, 0.01}, s), 48000, 1e-9);
    assert_float_equal(s[0], 1.2e6, 1e-6); /* breakage */
    double x[] = {20000, 1000, 0.3, 0.05, 0.02, 1, 0.8, 0.01, 150000};
    assert_float_equal(eval("loyalty.profit", x, s), 102000, 1e-6);
    assert_float_equal(s[0], 420000, 1e-6);
    assert_float_equal(s[1], 21e6, 1e-6);
    assert_float_equal(s[2], 168000, 1e-6);
    double b[] = {20000, 1000, 0.3, 0.02, 1, 0.8, 0.01, 150000};
    double lift = eval("loyalty.breakeven_lift", b, NULL);
    assert_float_equal(lift, 190000.0 / 5840000, 1e-12);
    x[3] = lift;
    assert_float_equal(eval("loyalty.profit", x, NULL), 0, 1e-6);
    b[2] = 0.008; /* margin no higher than the reward cost per unit of spend */
    assert_string_equal(eval_error("loyalty.breakeven_lift", b),
                        "margin_rate must be > the reward cost per unit of spend (points_per_spend "
                        "× redemption_rate × cost_per_point = 0.008) for more purchases to pay, "
                        "got 0.008");
}

/* NPS of Reichheld's definition: % promoters − % detractors; word of mouth and complaints
   by hand. */
static void test_crmcost_satisfaction(void **state)
{
    double s[5];
    (void)state;
    assert_float_equal(eval("satisfaction.nps", (double[]){50, 30, 20}, s), 30, 1e-12);
    assert_float_equal(s[0], 100, 0);
    assert_float_equal(eval("satisfaction.nps", (double[]){1, 0, 3}, NULL), -50, 1e-12);
    assert_string_equal(eval_error("satisfaction.nps", (double[]){0, 0, 0}),
                        "there are no respondents (all counts are 0)");
    /* 1,000 customers, 40% promoters each bringing 0.5 customers worth 300, 15% detractors
       each losing 2 prospects: 200 × 300 − 300 × 300 = −30,000 */
    assert_float_equal(
        eval("satisfaction.word_of_mouth", (double[]){1000, 0.4, 0.15, 0.5, 2, 300}, s), -30000,
        1e-9);
    assert_float_equal(s[2], 60000, 1e-9);
    assert_string_equal(eval_error("satisfaction.word_of_mouth", (double[]){1, 0.7, 0.4, 0, 0, 0}),
                        "promoter_rate + detractor_rate must be <= 1, got 0.7 + 0.4");
    /* 200 complaints at 50; 60% handled well (90% stay), 40% badly (50% stay); each badly
       handled tells 10, of whom 20% do not buy; a customer is worth 400:
       lost 200 × (0.06 + 0.2) = 52, prospects 200 × 0.4 × 10 × 0.2 = 160,
       cost 10,000 + 212 × 400 = 94,800 */
    assert_float_equal(
        eval("satisfaction.complaint_cost", (double[]){200, 50, 0.6, 0.9, 0.5, 10, 0.2, 400}, s),
        94800, 1e-9);
    assert_float_equal(s[1], 52, 1e-9);
    assert_float_equal(s[2], 160, 1e-9);
}

/* Explain text: substituted numbers; a zero rate's annuity factor is the years. */
static void test_crmcost_explain(void **state)
{
    cv_formula_line lines[CV_FORMULA_MAX_STEPS];
    int n;
    cv_error err = {0};
    (void)state;
    assert_int_equal(cv_formula_explain(cv_formula_find("crm.eac"), (double[]){85815.74, 0.1, 5},
                                        NULL, 0, lines, &n, &err),
                     0);
    assert_int_equal(n, 2);
    assert_string_equal(lines[0].numeric, "(1 − (1 + 10%)^−5) ÷ 10%");
    assert_string_equal(lines[1].numeric, "85,815.74 ÷ 3.79");
    assert_string_equal(lines[1].value, "22,637.98");
    assert_int_equal(cv_formula_explain(cv_formula_find("crm.eac"), (double[]){1000, 0, 4}, NULL, 0,
                                        lines, &n, &err),
                     0);
    assert_string_equal(lines[0].numeric, "4");
    assert_int_equal(cv_formula_explain(cv_formula_find("loyalty.breakeven_lift"),
                                        (double[]){20000, 1000, 0.3, 0.02, 1, 0.8, 0.01, 150000},
                                        NULL, 0, lines, &n, &err),
                     0);
    assert_string_equal(lines[1].value, "3.25%");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crmcost_catalogue),     cmocka_unit_test(test_crmcost_eac_published),
        cmocka_unit_test(test_crmcost_lcc_published), cmocka_unit_test(test_crmcost_lcc_options),
        cmocka_unit_test(test_crmcost_lcc_errors),    cmocka_unit_test(test_crmcost_ifrs15_kpmg),
        cmocka_unit_test(test_crmcost_ifrs15_grocer), cmocka_unit_test(test_crmcost_loyalty_profit),
        cmocka_unit_test(test_crmcost_satisfaction),  cmocka_unit_test(test_crmcost_explain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
