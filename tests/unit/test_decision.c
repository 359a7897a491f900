/* Unit tests of relevant costs and decisions: the classification of cost items by their
   properties (verdict, term, precedence, totals, contradictions), the differential
   analysis of options (profits, differences, ties, margins, errors) and the formula
   decision.keep_or_drop, checked against a published textbook case: Wild, Shaw &
   Chiappetta, Fundamental Accounting Principles (McGraw-Hill), chapter "Relevant Costing
   for Managerial Decisions", Quick Study QS 23-13 "Segment elimination": sales 60,000,
   variable costs 20,000 (all avoidable), fixed costs 46,000 of which 36,000 avoidable;
   eliminating the segment decreases income by 4,000, so it is kept. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "cvkit/decision.h"
#include "cvkit/formulas.h"

static void test_decision_term_names(void **state)
{
    (void)state;
    assert_string_equal(cv_cost_term_name(CV_TERM_OPPORTUNITY), "opportunity");
    assert_string_equal(cv_cost_term_name(CV_TERM_OUT_OF_POCKET), "out_of_pocket");
    assert_string_equal(cv_cost_term_name(CV_TERM_SUNK), "sunk");
    assert_string_equal(cv_cost_term_name(CV_TERM_NONDEFERRABLE), "nondeferrable");
    assert_string_equal(cv_cost_term_name(CV_TERM_SAME), "same");
    assert_null(cv_cost_term_name(CV_TERM_COUNT));
}

/* The five irrelevant and eight relevant kinds of the course, one item each. */
static void test_decision_classify_terms(void **state)
{
    (void)state;
    const cv_cost_item items[] = {
        {"rent forgone", 12000, CV_COST_OPPORTUNITY},
        {"overtime wages", 3000, CV_COST_CASH},
        {"materials at today's price", 800, CV_COST_REPLACEMENT},
        {"licence fee difference", 500, CV_COST_DIFFERS},
        {"cost of one more order", 40, CV_COST_MARGINAL},
        {"account manager", 30000, CV_COST_AVOIDABLE},
        {"system upgrade", 7000, CV_COST_DEFERRABLE},
        {"dedicated hotline", 9000, CV_COST_SPECIFIC},
        {"crm software bought last year", 50000, CV_COST_INCURRED},
        {"head office", 20000, CV_COST_COMMON},
        {"shared warehouse before split-off", 6000, CV_COST_JOINT},
        {"lease to 2027", 15000, CV_COST_UNAVOIDABLE},
        {"safety inspection", 2000, CV_COST_NONDEFERRABLE},
        {"same salary either way", 4000, CV_COST_SAME},
    };
    const cv_cost_term want[] = {CV_TERM_OPPORTUNITY,   CV_TERM_OUT_OF_POCKET, CV_TERM_REPLACEMENT,
                                 CV_TERM_DIFFERENTIAL,  CV_TERM_MARGINAL,      CV_TERM_AVOIDABLE,
                                 CV_TERM_DEFERRABLE,    CV_TERM_SPECIFIC,      CV_TERM_SUNK,
                                 CV_TERM_COMMON,        CV_TERM_JOINT,         CV_TERM_UNAVOIDABLE,
                                 CV_TERM_NONDEFERRABLE, CV_TERM_SAME};
    int n = (int)(sizeof items / sizeof items[0]);
    cv_cost_verdict v[14];
    cv_cost_totals tot;
    cv_error err;
    assert_int_equal(cv_decision_classify(items, n, v, &tot, &err), 0);
    for (int i = 0; i < n; i++) {
        assert_int_equal(v[i].term, want[i]);
        assert_int_equal(v[i].relevant, i < 8);
        assert_int_equal(v[i].terms, 1u << want[i]);
    }
    assert_int_equal(tot.nrelevant, 8);
    assert_int_equal(tot.nirrelevant, 6);
    /* 12000 + 3000 + 800 + 500 + 40 + 30000 + 7000 + 9000 */
    assert_float_equal(tot.relevant, 62340, 1e-9);
    /* 50000 + 20000 + 6000 + 15000 + 2000 + 4000 */
    assert_float_equal(tot.irrelevant, 97000, 1e-9);
}

/* Several properties: the verdict names the first term of the precedence, and lists all. */
static void test_decision_classify_precedence(void **state)
{
    (void)state;
    const cv_cost_item items[] = {
        {"picking", 100, CV_COST_DIFFERS | CV_COST_AVOIDABLE | CV_COST_SPECIFIC | CV_COST_CASH},
        {"acquisition", 240, CV_COST_INCURRED | CV_COST_SAME},
        {"head office", 50, CV_COST_COMMON | CV_COST_UNAVOIDABLE},
    };
    cv_cost_verdict v[3];
    cv_error err;
    assert_int_equal(cv_decision_classify(items, 3, v, NULL, &err), 0);
    assert_int_equal(v[0].term, CV_TERM_AVOIDABLE);
    assert_int_equal(v[0].terms, (1u << CV_TERM_AVOIDABLE) | (1u << CV_TERM_SPECIFIC) |
                                     (1u << CV_TERM_OUT_OF_POCKET) | (1u << CV_TERM_DIFFERENTIAL));
    assert_true(v[0].relevant);
    assert_int_equal(v[1].term, CV_TERM_SUNK);
    assert_false(v[1].relevant);
    assert_int_equal(v[2].term, CV_TERM_COMMON);
}

static void test_decision_classify_errors(void **state)
{
    (void)state;
    cv_cost_verdict v[1];
    cv_error err;
    cv_cost_item both = {"rent", 10, CV_COST_AVOIDABLE | CV_COST_COMMON};
    assert_int_equal(cv_decision_classify(&both, 1, v, NULL, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "cost item 'rent' is marked avoidable (relevant) and common "
                                 "(irrelevant): split it into the part that changes with the "
                                 "decision and the part that does not");
    cv_cost_item none = {"misc", 10, 0};
    assert_int_equal(cv_decision_classify(&none, 1, v, NULL, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "cost item 'misc' has no property"));
    cv_cost_item inf = {"x", INFINITY, CV_COST_DIFFERS};
    assert_int_equal(cv_decision_classify(&inf, 1, v, NULL, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "cost item 'x': amount must be finite, got inf");
    cv_cost_totals tot = {9, 9, 9, 9};
    assert_int_equal(cv_decision_classify(NULL, 0, v, &tot, &err), 0);
    assert_int_equal(tot.nrelevant + tot.nirrelevant, 0);
}

/* QS 23-13 (Wild et al.) as a comparison of two options, keep (0) and drop (1). */
static void test_decision_compare_textbook(void **state)
{
    (void)state;
    const double sales[] = {60000, 0}, variable[] = {20000, 0}, avoidable[] = {36000, 0},
                 unavoidable[] = {10000, 10000};
    const cv_decision_line lines[] = {{"sales", 1, sales},
                                      {"variable costs", 0, variable},
                                      {"avoidable fixed costs", 0, avoidable},
                                      {"unavoidable fixed costs", 0, unavoidable}};
    double profit[2], diff[8];
    int differs[4], equal[2];
    cv_decision_result r;
    cv_error err;
    assert_int_equal(cv_decision_compare(lines, 4, 2, 0, profit, diff, differs, equal, &r, &err),
                     0);
    assert_float_equal(profit[0], -6000, 1e-9); /* the segment's reported loss */
    assert_float_equal(profit[1], -10000, 1e-9);
    assert_int_equal(r.best, 0);
    assert_int_equal(r.nbest, 1);
    assert_int_equal(r.second, 1);
    assert_float_equal(r.margin, 4000, 1e-9); /* "income would decrease by $4,000" */
    /* dropping: sales −60,000, variable costs +20,000, avoidable +36,000, unavoidable 0 */
    assert_float_equal(diff[1], -60000, 1e-9);
    assert_float_equal(diff[3], 20000, 1e-9);
    assert_float_equal(diff[5], 36000, 1e-9);
    assert_float_equal(diff[7], 0, 0);
    assert_int_equal(differs[0] + differs[1] + differs[2], 3);
    assert_int_equal(differs[3], 0); /* the unavoidable costs are irrelevant */
    assert_int_equal(equal[0], 1);
    assert_int_equal(equal[1], 0);
}

/* Three options, two of them equal at the top; then all equal; then a tolerance. */
static void test_decision_compare_ties(void **state)
{
    (void)state;
    const double rev[] = {1000, 1200, 1100}, cost[] = {600, 800, 700};
    const cv_decision_line lines[] = {{"revenue", 1, rev}, {"cost", 0, cost}};
    double profit[3];
    int equal[3];
    cv_decision_result r;
    cv_error err;
    assert_int_equal(cv_decision_compare(lines, 2, 3, 0, profit, NULL, NULL, equal, &r, &err), 0);
    assert_int_equal(r.nbest, 3); /* 400 each */
    assert_int_equal(r.best, 0);
    assert_int_equal(r.second, -1);
    assert_float_equal(r.margin, 0, 0);

    const double rev2[] = {1000, 1200, 1200.4}, cost2[] = {700, 800, 800};
    const cv_decision_line l2[] = {{"revenue", 1, rev2}, {"cost", 0, cost2}};
    assert_int_equal(cv_decision_compare(l2, 2, 3, 0, profit, NULL, NULL, equal, &r, &err), 0);
    assert_int_equal(r.best, 2);
    assert_int_equal(r.nbest, 1);
    assert_int_equal(r.second, 1);
    assert_float_equal(r.margin, 0.4, 1e-9);
    /* within a tolerance of 1 the two are equal: the first of them names the decision,
       and the tie wins by 100 over the third option */
    assert_int_equal(cv_decision_compare(l2, 2, 3, 1, profit, NULL, NULL, equal, &r, &err), 0);
    assert_int_equal(r.best, 1);
    assert_int_equal(r.nbest, 2);
    assert_int_equal(r.second, 0);
    assert_float_equal(r.margin, 100, 1e-9);
    assert_int_equal(equal[0], 0);
    assert_int_equal(equal[1] + equal[2], 2);
}

static void test_decision_compare_errors(void **state)
{
    (void)state;
    const double a[] = {1, NAN};
    const cv_decision_line l[] = {{"fee", 0, a}};
    double profit[2];
    cv_decision_result r;
    cv_error err;
    assert_int_equal(cv_decision_compare(l, 1, 1, 0, profit, NULL, NULL, NULL, &r, &err),
                     CV_ERR_USAGE);
    assert_string_equal(err.msg, "a decision needs at least two options, got 1");
    assert_int_equal(cv_decision_compare(l, 0, 2, 0, profit, NULL, NULL, NULL, &r, &err),
                     CV_ERR_USAGE);
    assert_int_equal(cv_decision_compare(l, 1, 2, 0, profit, NULL, NULL, NULL, &r, &err),
                     CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "'fee', option 2: amount must be finite, got nan");
    assert_int_equal(cv_decision_compare(l, 1, 2, -1, profit, NULL, NULL, NULL, &r, &err),
                     CV_ERR_DOMAIN);
}

/* The formula on QS 23-13: contribution 40,000, dropping changes profit by −4,000. */
static void test_decision_formula_keep_or_drop(void **state)
{
    (void)state;
    const cv_formula *f = cv_formula_find("decision.keep_or_drop");
    assert_non_null(f);
    double x[3] = {60000, 20000, 36000}, steps[CV_FORMULA_MAX_STEPS], out;
    cv_error err;
    assert_int_equal(cv_formula_eval(f, x, NULL, 0, &out, steps, &err), 0);
    assert_float_equal(steps[0], 40000, 1e-9);
    assert_float_equal(out, -4000, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision_term_names),
        cmocka_unit_test(test_decision_classify_terms),
        cmocka_unit_test(test_decision_classify_precedence),
        cmocka_unit_test(test_decision_classify_errors),
        cmocka_unit_test(test_decision_compare_textbook),
        cmocka_unit_test(test_decision_compare_ties),
        cmocka_unit_test(test_decision_compare_errors),
        cmocka_unit_test(test_decision_formula_keep_or_drop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
