/* Unit tests of the cost of service: ABC on hand-computed pools and on Kaplan & Anderson's
   (HBR 2004) traditional customer-service example, time-driven ABC on a hand-computed case
   and on their time-driven version of it (rates, costs, unused capacity to the cent), the
   P&L identities and waterfall, whale-curve invariants, and the errors that name the
   activity and the field. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvkit/costing.h"

#define EPS 1e-9
#define CENT 0.005

/* A table from a spec: names, and per column either strings or doubles. */
static cv_table *mk(int64_t n, int ncols, const char *const *names, const char *const *const *str,
                    const double *const *num)
{
    cv_table *t = cv_table_new();
    for (int j = 0; j < ncols; j++) {
        cv_column *c = cv_column_new(names[j], str[j] ? CV_STRING : CV_FLOAT64, n);
        for (int64_t i = 0; i < n; i++) {
            if (str[j])
                assert_int_equal(cv_column_push_string(c, str[j][i], strlen(str[j][i])), 0);
            else if (isnan(num[j][i]))
                assert_int_equal(cv_column_push_missing(c), 0);
            else
                assert_int_equal(cv_column_push_float(c, num[j][i]), 0);
        }
        assert_int_equal(cv_table_add(t, c, NULL), 0);
        cv_column_unref(c);
    }
    return t;
}

static double cell(const cv_table *t, const char *col, int64_t i)
{
    cv_column *c = cv_table_col(t, col, NULL);
    assert_non_null(c);
    return cv_column_number(c, i);
}

static const char *scell(const cv_table *t, const char *col, int64_t i)
{
    cv_column *c = cv_table_col(t, col, NULL);
    assert_non_null(c);
    return cv_column_string(c, i, NULL);
}

/* Three customers: orders, lines, returns, visits. */
static cv_table *drivers3(void)
{
    static const char *const ids[] = {"A", "B", "C"};
    static const double orders[] = {10, 5, 5}, lines[] = {30, 50, 20}, returns[] = {0, 2, NAN},
                        visits[] = {2, 3, 0};
    const char *names[] = {"customer", "orders", "lines", "returns", "visits"};
    const char *const *str[] = {ids, NULL, NULL, NULL, NULL};
    const double *num[] = {NULL, orders, lines, returns, visits};
    return mk(3, 5, names, str, num);
}

static void test_costing_abc_hand(void **state)
{
    (void)state;
    cv_table *d = drivers3();
    cv_abc_activity acts[] = {
        {"order_handling", "orders", 2000, 0, 0}, /* 2000 / 20 orders = 100 */
        {"picking", "lines", 500, 0, 0},          /* 500 / 100 lines = 5 */
        {"returns", "returns", 300, 0, 0},        /* 300 / 2 returns = 150 (missing = 0) */
        {"visits", "visits", 1000, 80, 1},        /* given 80 per visit: 5 visits = 400 */
    };
    cv_abc_result r = {0};
    cv_error err;
    assert_int_equal(cv_costing_abc(d, "customer", acts, 4, &r, &err), 0);
    const cv_table *c = r.customers;
    assert_int_equal(c->nrows, 3);
    assert_string_equal(scell(c, "customer", 1), "B");
    /* A: 10×100 + 30×5 + 0 + 2×80 = 1310; B: 500 + 250 + 300 + 240 = 1290; C: 500 + 100 = 600 */
    assert_float_equal(cell(c, "cost_order_handling", 0), 1000, EPS);
    assert_float_equal(cell(c, "cost_picking", 1), 250, EPS);
    assert_float_equal(cell(c, "cost_returns", 1), 300, EPS);
    assert_float_equal(cell(c, "cost_returns", 2), 0, EPS);
    assert_float_equal(cell(c, "cost_visits", 1), 240, EPS);
    assert_float_equal(cell(c, "cost_to_serve", 0), 1310, EPS);
    assert_float_equal(cell(c, "cost_to_serve", 1), 1290, EPS);
    assert_float_equal(cell(c, "cost_to_serve", 2), 600, EPS);
    const cv_table *a = r.activities;
    assert_int_equal(a->nrows, 4);
    assert_string_equal(scell(a, "activity", 2), "returns");
    assert_string_equal(scell(a, "driver", 1), "lines");
    assert_float_equal(cell(a, "rate", 0), 100, EPS);
    assert_float_equal(cell(a, "rate", 1), 5, EPS);
    assert_float_equal(cell(a, "rate", 2), 150, EPS);
    assert_float_equal(cell(a, "volume", 3), 5, EPS);
    assert_float_equal(cell(a, "assigned", 3), 400, EPS);
    assert_float_equal(cell(a, "unassigned", 3), 600, EPS); /* unused capacity */
    assert_float_equal(cell(a, "unassigned", 0), 0, EPS);
    cv_costing_abc_free(&r);
    cv_table_free(d);
}

/* Kaplan & Anderson (HBR, Nov 2004), "Doing ABC the traditional way": $560,000 a quarter,
   70% / 10% / 20% of time on 49,000 orders, 1,400 inquiries, 2,500 credit checks give
   $8 per order, $40 per inquiry, $44.80 per credit check. */
static void test_costing_abc_kaplan_traditional(void **state)
{
    (void)state;
    static const char *const ids[] = {"department"};
    static const double o[] = {49000}, q[] = {1400}, k[] = {2500};
    const char *names[] = {"unit", "orders", "inquiries", "checks"};
    const char *const *str[] = {ids, NULL, NULL, NULL};
    const double *num[] = {NULL, o, q, k};
    cv_table *d = mk(1, 4, names, str, num);
    cv_abc_activity acts[] = {{"process_orders", "orders", 0.7 * 560000, 0, 0},
                              {"handle_inquiries", "inquiries", 0.1 * 560000, 0, 0},
                              {"credit_checks", "checks", 0.2 * 560000, 0, 0}};
    cv_abc_result r = {0};
    assert_int_equal(cv_costing_abc(d, NULL, acts, 3, &r, NULL), 0);
    assert_float_equal(cell(r.activities, "rate", 0), 8.00, CENT);
    assert_float_equal(cell(r.activities, "rate", 1), 40.00, CENT);
    assert_float_equal(cell(r.activities, "rate", 2), 44.80, CENT);
    assert_float_equal(cell(r.customers, "cost_to_serve", 0), 560000, CENT);
    assert_int_equal(r.customers->ncols, 4); /* no key column */
    cv_costing_abc_free(&r);
    cv_table_free(d);
}

static void test_costing_abc_errors(void **state)
{
    (void)state;
    cv_table *d = drivers3();
    cv_abc_result r = {0};
    cv_error err;
    /* a driver with zero volume */
    cv_abc_activity zero[] = {{"rush_orders", "visits", 10, 0, 0}};
    static const double none[] = {0, 0, 0};
    const char *nn[] = {"rush"};
    const char *const *ns[] = {NULL};
    const double *nv[] = {none};
    cv_table *z = mk(3, 1, nn, ns, nv);
    zero[0].driver = "rush";
    assert_int_equal(cv_costing_abc(z, NULL, zero, 1, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "activity 'rush_orders': driver 'rush' has zero total volume, so "
                                 "its rate cost ÷ volume is undefined (give the rate)");
    /* with a given rate, zero volume is fine */
    zero[0].rate_given = 1;
    zero[0].rate = 12;
    assert_int_equal(cv_costing_abc(z, NULL, zero, 1, &r, &err), 0);
    assert_float_equal(cell(r.activities, "unassigned", 0), 10, EPS);
    cv_costing_abc_free(&r);
    /* a missing driver column */
    cv_abc_activity miss[] = {{"order_handling", "orders", 1, 0, 0},
                              {"support", "support_calls", 1, 0, 0}};
    assert_int_equal(cv_costing_abc(d, "customer", miss, 2, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "activity 'support': no driver column 'support_calls' (columns: "
                                 "customer, orders, lines, returns, visits)");
    /* a string driver, a negative cost, a repeated name */
    cv_abc_activity str[] = {{"x", "customer", 1, 0, 0}};
    assert_int_equal(cv_costing_abc(d, NULL, str, 1, &r, &err), CV_ERR_TYPE);
    assert_string_equal(err.msg, "activity 'x': driver column 'customer' is string, a number is "
                                 "expected");
    cv_abc_activity neg[] = {{"x", "orders", -5, 0, 0}};
    assert_int_equal(cv_costing_abc(d, NULL, neg, 1, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "activity 'x': cost must be a finite number >= 0, got -5");
    cv_abc_activity twice[] = {{"x", "orders", 1, 0, 0}, {"x", "lines", 1, 0, 0}};
    assert_int_equal(cv_costing_abc(d, NULL, twice, 2, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "activity 'x' is defined twice");
    assert_null(r.customers);
    cv_table_free(z);
    cv_table_free(d);
}

static void test_costing_drivers_from_transactions(void **state)
{
    (void)state;
    static const char *const ids[] = {"A", "B", "A", "A"};
    static const double lines[] = {3, 10, 1, NAN}, rush[] = {0, 0, 1, 1};
    const char *names[] = {"customer", "lines", "rush"};
    const char *const *str[] = {ids, NULL, NULL};
    const double *num[] = {NULL, lines, rush};
    cv_table *tx = mk(4, 3, names, str, num);
    cv_agg aggs[] = {{"orders", CV_AGG_COUNT, NULL, 0},
                     {"lines", CV_AGG_SUM, "lines", 0},
                     {"rush_orders", CV_AGG_SUM, "rush", 0}};
    cv_error err;
    cv_table *d = cv_costing_drivers(tx, "customer", aggs, 3, &err);
    assert_non_null(d);
    assert_int_equal(d->nrows, 2);
    assert_string_equal(scell(d, "customer", 0), "A");
    assert_int_equal(cv_table_col(d, "orders", NULL)->type, CV_FLOAT64);
    assert_float_equal(cell(d, "orders", 0), 3, EPS);
    assert_float_equal(cell(d, "lines", 0), 4, EPS);
    assert_float_equal(cell(d, "rush_orders", 0), 2, EPS);
    assert_float_equal(cell(d, "rush_orders", 1), 0, EPS);
    cv_table_free(d);
    cv_agg bad[] = {{"x", CV_AGG_SUM, "nope", 0}};
    assert_null(cv_costing_drivers(tx, "customer", bad, 1, &err));
    assert_non_null(strstr(err.msg, "nope"));
    cv_table_free(tx);
}

/* Orders: (customer, lines, rush). Warehouse: $10,000 for 20,000 minutes = $0.50 a minute;
   pick = 5 + 2 × lines + 10 if rush. Office at a given $1.20 a minute; invoice = 3 per
   order. A: 11 + 17 = 28 pick minutes ($14), 6 invoice minutes ($7.20); B: 25 ($12.50), 3
   ($3.60). Unused warehouse: 20,000 − 53 = 19,947 minutes = $9,973.50. */
static void test_costing_tdabc_hand(void **state)
{
    (void)state;
    static const char *const ids[] = {"A", "A", "B"};
    static const double lines[] = {3, 1, 10}, rush[] = {0, 1, 0};
    const char *names[] = {"customer", "lines", "rush"};
    const char *const *str[] = {ids, NULL, NULL};
    const double *num[] = {NULL, lines, rush};
    cv_table *tx = mk(3, 3, names, str, num);
    cv_tdabc_resource res[] = {{"warehouse", 10000, 20000, 0, 0}, {"office", NAN, NAN, 1.2, 1}};
    cv_time_term pick[] = {{"lines", 2, CV_TIME_PER_UNIT}, {"rush", 10, CV_TIME_IF_FLAG}};
    cv_tdabc_activity acts[] = {{"pick", "warehouse", 5, NULL, pick, 2},
                                {"invoice", "office", 3, NULL, NULL, 0}};
    cv_tdabc_result r = {0};
    cv_error err;
    assert_int_equal(cv_costing_tdabc(tx, "customer", res, 2, acts, 2, &r, &err), 0);
    const cv_table *c = r.customers;
    assert_int_equal(c->nrows, 2);
    assert_float_equal(cell(c, "minutes_pick", 0), 28, EPS);
    assert_float_equal(cell(c, "cost_pick", 0), 14, EPS);
    assert_float_equal(cell(c, "minutes_pick", 1), 25, EPS);
    assert_float_equal(cell(c, "cost_invoice", 0), 7.2, EPS);
    assert_float_equal(cell(c, "minutes", 0), 34, EPS);
    assert_float_equal(cell(c, "cost_to_serve", 0), 21.2, EPS);
    assert_float_equal(cell(c, "cost_to_serve", 1), 16.1, EPS);
    const cv_table *a = r.activities;
    assert_float_equal(cell(a, "events", 0), 3, EPS);
    assert_float_equal(cell(a, "minutes", 0), 53, EPS);
    assert_float_equal(cell(a, "minutes_per_event", 0), 53.0 / 3, EPS);
    assert_string_equal(scell(a, "resource", 1), "office");
    const cv_table *rs = r.resources;
    assert_float_equal(cell(rs, "rate", 0), 0.5, EPS);
    assert_float_equal(cell(rs, "used_minutes", 0), 53, EPS);
    assert_float_equal(cell(rs, "unused_minutes", 0), 19947, EPS);
    assert_float_equal(cell(rs, "unused_cost", 0), 9973.5, EPS);
    assert_float_equal(cell(rs, "utilization", 0), 53.0 / 20000, EPS);
    assert_true(isnan(cell(rs, "unused_minutes", 1))); /* no capacity given */
    assert_float_equal(cell(rs, "used_cost", 1), 10.8, EPS);
    cv_costing_tdabc_free(&r);
    /* without a key: one row per order */
    assert_int_equal(cv_costing_tdabc(tx, NULL, res, 2, acts, 2, &r, &err), 0);
    assert_int_equal(r.customers->nrows, 3);
    assert_float_equal(cell(r.customers, "minutes_pick", 1), 17, EPS);
    cv_costing_tdabc_free(&r);
    cv_table_free(tx);
}

/* Kaplan & Anderson (HBR, Nov 2004), the same department time-driven: $567,000 of supplied
   capacity for 700,000 practical minutes = $0.81 a minute; 8, 44 and 50 minutes per order,
   inquiry and credit check cost $6.48, $35.64, $40.50; 49,000 orders, 1,400 inquiries and
   2,500 checks use 578,600 minutes ($468,666) and leave 121,400 minutes ($98,334) unused. */
static void test_costing_tdabc_kaplan_anderson(void **state)
{
    (void)state;
    static const char *const ids[] = {"quarter"};
    static const double o[] = {49000}, q[] = {1400}, k[] = {2500};
    const char *names[] = {"period", "orders", "inquiries", "checks"};
    const char *const *str[] = {ids, NULL, NULL, NULL};
    const double *num[] = {NULL, o, q, k};
    cv_table *t = mk(1, 4, names, str, num);
    cv_tdabc_resource res[] = {{"customer_service", 567000, 700000, 0, 0}};
    cv_tdabc_activity acts[] = {{"handle_orders", NULL, 8, "orders", NULL, 0},
                                {"process_inquiries", NULL, 44, "inquiries", NULL, 0},
                                {"credit_checks", NULL, 50, "checks", NULL, 0}};
    cv_tdabc_result r = {0};
    assert_int_equal(cv_costing_tdabc(t, "period", res, 1, acts, 3, &r, NULL), 0);
    const cv_table *a = r.activities, *rs = r.resources;
    assert_float_equal(cell(rs, "rate", 0), 0.81, 1e-12);
    assert_float_equal(cell(a, "cost_per_event", 0), 6.48, CENT);
    assert_float_equal(cell(a, "cost_per_event", 1), 35.64, CENT);
    assert_float_equal(cell(a, "cost_per_event", 2), 40.50, CENT);
    assert_float_equal(cell(a, "minutes", 0), 392000, EPS);
    assert_float_equal(cell(a, "minutes", 1), 61600, EPS);
    assert_float_equal(cell(a, "minutes", 2), 125000, EPS);
    assert_float_equal(cell(a, "cost", 0), 317520, CENT);
    assert_float_equal(cell(a, "cost", 1), 49896, CENT);
    assert_float_equal(cell(a, "cost", 2), 101250, CENT);
    assert_float_equal(cell(rs, "used_minutes", 0), 578600, EPS);
    assert_float_equal(cell(rs, "used_cost", 0), 468666, CENT);
    assert_float_equal(cell(rs, "unused_minutes", 0), 121400, EPS);
    assert_float_equal(cell(rs, "unused_cost", 0), 98334, CENT);
    assert_float_equal(cell(rs, "used_cost", 0) + cell(rs, "unused_cost", 0), 567000, CENT);
    assert_float_equal(cell(r.customers, "cost_to_serve", 0), 468666, CENT);
    cv_costing_tdabc_free(&r);
    cv_table_free(t);
}

static void test_costing_tdabc_errors(void **state)
{
    (void)state;
    static const char *const ids[] = {"A"};
    static const double lines[] = {3}, neg[] = {-1};
    const char *names[] = {"customer", "lines", "neg"};
    const char *const *str[] = {ids, NULL, NULL};
    const double *num[] = {NULL, lines, neg};
    cv_table *tx = mk(1, 3, names, str, num);
    cv_tdabc_resource res[] = {{"warehouse", 100, 1000, 0, 0}};
    cv_time_term terms[] = {{"lines", 2, CV_TIME_PER_UNIT}, {"rush", 10, CV_TIME_IF_FLAG}};
    cv_tdabc_activity acts[] = {{"ship", NULL, 5, NULL, terms, 2}};
    cv_tdabc_result r = {0};
    cv_error err;
    assert_int_equal(cv_costing_tdabc(tx, "customer", res, 1, acts, 1, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "activity 'ship': time equation names an unknown field 'rush' "
                                 "(columns: customer, lines, neg)");
    terms[1].field = "customer";
    assert_int_equal(cv_costing_tdabc(tx, "customer", res, 1, acts, 1, &r, &err), CV_ERR_TYPE);
    assert_string_equal(err.msg, "activity 'ship': field 'customer' is string, a number is "
                                 "expected");
    terms[1].field = "neg";
    assert_int_equal(cv_costing_tdabc(tx, "customer", res, 1, acts, 1, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "activity 'ship': field 'neg' is negative (-1) in row 1");
    acts[0].nterms = 1;
    acts[0].resource = "office";
    assert_int_equal(cv_costing_tdabc(tx, "customer", res, 1, acts, 1, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "activity 'ship': unknown resource 'office' (resources: "
                                 "warehouse)");
    acts[0].resource = NULL;
    acts[0].events = "orders";
    assert_int_equal(cv_costing_tdabc(tx, "customer", res, 1, acts, 1, &r, &err), CV_ERR_USAGE);
    assert_string_equal(err.msg, "activity 'ship': no events column 'orders' (columns: customer, "
                                 "lines, neg)");
    acts[0].events = NULL;
    res[0].capacity = 0;
    assert_int_equal(cv_costing_tdabc(tx, "customer", res, 1, acts, 1, &r, &err), CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "resource 'warehouse': practical capacity must be > 0 minutes, "
                                 "got 0");
    assert_null(r.customers);
    cv_table_free(tx);
}

/* Two segments, three customers; the third loses money. */
static cv_table *pnl_input(void)
{
    static const char *const ids[] = {"A", "B", "C"}, *const seg[] = {"retail", "retail", "auto"};
    static const double rev[] = {1000, 500, 200}, cogs[] = {600, 300, 150}, disc[] = {50, 0, 20},
                        rebate[] = {10, NAN, 0}, s1[] = {40, 30, 60}, s2[] = {20, 10, 35},
                        acq[] = {30, 30, 30}, ret[] = {5, 5, 5};
    const char *names[] = {"id",     "seg",         "revenue",    "cogs", "discount",
                           "rebate", "cost_orders", "cost_calls", "acq",  "ret"};
    const char *const *str[] = {ids, seg, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};
    const double *num[] = {NULL, NULL, rev, cogs, disc, rebate, s1, s2, acq, ret};
    return mk(3, 10, names, str, num);
}

static const cv_pnl_line pnl_lines[] = {
    {"cost_orders", CV_PNL_SERVICE}, {"cogs", CV_PNL_PRODUCT},
    {"discount", CV_PNL_CONCESSION}, {"rebate", CV_PNL_CONCESSION},
    {"cost_calls", CV_PNL_SERVICE},  {"acq", CV_PNL_ACQUISITION},
    {"ret", CV_PNL_RETENTION}};

static void test_costing_pnl_identities(void **state)
{
    (void)state;
    cv_table *t = pnl_input();
    cv_pnl_spec spec = {"id", "seg", "revenue", pnl_lines, 7};
    cv_pnl_result r = {0};
    cv_error err;
    assert_int_equal(cv_costing_pnl(t, &spec, &r, &err), 0);
    const cv_table *c = r.customers;
    /* columns in P&L order: kinds in order, lines in given order within a kind */
    const char *want[] = {"id",
                          "seg",
                          "revenue",
                          "cogs",
                          "gross_margin",
                          "discount",
                          "rebate",
                          "total_concessions",
                          "pocket_margin",
                          "cost_orders",
                          "cost_calls",
                          "total_cost_to_serve",
                          "service_margin",
                          "acq",
                          "ret",
                          "profit"};
    assert_int_equal(c->ncols, 16);
    for (int j = 0; j < 16; j++)
        assert_string_equal(c->cols[j]->name, want[j]);
    /* A: 1000 − 600 = 400; − 60 = 340; − 60 = 280; − 35 = 245 */
    assert_float_equal(cell(c, "gross_margin", 0), 400, EPS);
    assert_float_equal(cell(c, "pocket_margin", 0), 340, EPS);
    assert_float_equal(cell(c, "service_margin", 0), 280, EPS);
    assert_float_equal(cell(c, "profit", 0), 245, EPS);
    /* B: the missing rebate counts as 0: 500 − 300 − 0 − 40 − 35 = 125 */
    assert_float_equal(cell(c, "rebate", 1), 0, EPS);
    assert_float_equal(cell(c, "profit", 1), 125, EPS);
    /* C loses money and nothing clips it: 200 − 150 − 20 − 95 − 35 = −100 */
    assert_float_equal(cell(c, "profit", 2), -100, EPS);
    /* every row: revenue − every line = profit; the parts add up to revenue */
    for (int64_t i = 0; i < 3; i++) {
        double parts = cell(c, "profit", i);
        for (int l = 0; l < 7; l++)
            parts += cell(c, pnl_lines[l].col, i);
        assert_float_equal(parts, cell(c, "revenue", i), EPS);
        assert_float_equal(cell(c, "total_cost_to_serve", i),
                           cell(c, "cost_orders", i) + cell(c, "cost_calls", i), EPS);
    }
    /* segments: retail (A, B) then auto (C) */
    const cv_table *s = r.segments;
    assert_int_equal(s->nrows, 2);
    assert_string_equal(scell(s, "segment", 0), "retail");
    assert_float_equal(cell(s, "customers", 0), 2, EPS);
    assert_float_equal(cell(s, "revenue", 0), 1500, EPS);
    assert_float_equal(cell(s, "profit", 0), 370, EPS);
    assert_float_equal(cell(s, "profit_per_customer", 0), 185, EPS);
    assert_float_equal(cell(s, "profit", 1), -100, EPS);

    /* the waterfall of all customers: revenue 1700, gross 650, pocket 570, service 375, profit 270
     */
    cv_table *w = cv_costing_waterfall(c, &spec, -1, &err);
    assert_non_null(w);
    const char *steps[] = {"revenue",        "cogs",          "gross_margin", "discount",
                           "rebate",         "pocket_margin", "cost_orders",  "cost_calls",
                           "service_margin", "acq",           "ret",          "profit"};
    assert_int_equal(w->nrows, 12);
    double level = 0;
    for (int64_t i = 0; i < w->nrows; i++) {
        assert_string_equal(scell(w, "step", i), steps[i]);
        const char *k = scell(w, "kind", i);
        if (strcmp(k, "decrease") == 0) {
            assert_float_equal(cell(w, "start", i), level, EPS);
            assert_float_equal(cell(w, "end", i), level + cell(w, "amount", i), EPS);
        } else {
            assert_float_equal(cell(w, "start", i), 0, EPS);
            assert_float_equal(cell(w, "end", i), cell(w, "amount", i), EPS);
        }
        level = cell(w, "end", i);
    }
    assert_string_equal(scell(w, "kind", 11), "total");
    assert_float_equal(cell(w, "end", 11), 270, EPS);
    assert_float_equal(cell(w, "end", 2), 650, EPS);
    assert_float_equal(cell(w, "amount", 1), -1050, EPS);
    cv_table_free(w);
    /* one customer's */
    w = cv_costing_waterfall(c, &spec, 2, &err);
    assert_float_equal(cell(w, "end", 11), -100, EPS);
    cv_table_free(w);
    assert_null(cv_costing_waterfall(c, &spec, 3, &err));
    cv_costing_pnl_free(&r);

    /* no segment column: one segment "all" */
    spec.segment = NULL;
    assert_int_equal(cv_costing_pnl(t, &spec, &r, &err), 0);
    assert_int_equal(r.segments->nrows, 1);
    assert_string_equal(scell(r.segments, "segment", 0), "all");
    assert_float_equal(cell(r.segments, "profit", 0), 270, EPS);
    cv_costing_pnl_free(&r);

    /* errors: an unknown column, a string line */
    cv_pnl_line bad[] = {{"freight", CV_PNL_SERVICE}};
    spec.lines = bad;
    spec.nlines = 1;
    assert_int_equal(cv_costing_pnl(t, &spec, &r, &err), CV_ERR_USAGE);
    assert_non_null(strstr(err.msg, "pnl: no service column 'freight' (columns: id, seg"));
    bad[0].col = "seg";
    assert_int_equal(cv_costing_pnl(t, &spec, &r, &err), CV_ERR_TYPE);
    assert_string_equal(err.msg, "pnl: service column 'seg' is string, a number is expected");
    cv_table_free(t);
}

static void test_costing_pnl_kinds(void **state)
{
    (void)state;
    cv_pnl_kind k;
    assert_int_equal(cv_pnl_kind_parse("concession", &k), 0);
    assert_int_equal(k, CV_PNL_CONCESSION);
    assert_int_equal(cv_pnl_kind_parse("freight", &k), -1);
    assert_string_equal(cv_pnl_kind_name(CV_PNL_RETENTION), "retention");
}

static void test_costing_whale(void **state)
{
    (void)state;
    static const char *const ids[] = {"a", "b", "c", "d", "e"};
    static const double p[] = {50, -20, 100, -10, 30};
    const char *names[] = {"id", "profit"};
    const char *const *str[] = {ids, NULL};
    const double *num[] = {NULL, p};
    cv_table *t = mk(5, 2, names, str, num);
    cv_whale_stats st;
    cv_error err;
    cv_table *w = cv_costing_whale(t, "profit", "id", &st, &err);
    assert_non_null(w);
    /* ranked: c 100, a 50, e 30, d −10, b −20; cumulative 100, 150, 180, 170, 150 */
    const char *order[] = {"c", "a", "e", "d", "b"};
    const double cum[] = {100, 150, 180, 170, 150};
    for (int64_t i = 0; i < 5; i++) {
        assert_string_equal(scell(w, "id", i), order[i]);
        assert_float_equal(cell(w, "rank", i), (double)i + 1, EPS);
        assert_float_equal(cell(w, "cum_profit", i), cum[i], EPS);
        assert_float_equal(cell(w, "cum_share", i), cum[i] / 150, EPS);
        assert_float_equal(cell(w, "customer_share", i), (i + 1) / 5.0, EPS);
        if (i > 0)
            assert_true(cell(w, "profit", i) <= cell(w, "profit", i - 1));
    }
    assert_float_equal(cell(w, "cum_share", 4), 1, EPS); /* the last point is 100% */
    assert_int_equal(st.customers, 5);
    assert_float_equal(st.total, 150, EPS);
    assert_float_equal(st.peak, 180, EPS);
    assert_float_equal(st.peak_share, 1.2, EPS); /* >= 1 when there are losses */
    assert_int_equal(st.peak_rank, 3);
    assert_float_equal(st.top20_share, 100.0 / 150, EPS); /* the top 1 of 5 */
    assert_float_equal(st.bottom30_profit, -30, EPS);     /* the bottom 2 of 5 */
    assert_int_equal(st.loss_makers, 2);
    assert_float_equal(st.losses, -30, EPS);
    cv_table_free(w);
    /* errors: total not positive, missing profit */
    static const double lose[] = {10, -20, 0, 0, 0};
    const double *num2[] = {NULL, lose};
    cv_table *t2 = mk(5, 2, names, str, num2);
    assert_null(cv_costing_whale(t2, "profit", NULL, &st, &err));
    assert_int_equal(err.code, CV_ERR_DOMAIN);
    assert_string_equal(err.msg, "whale: total profit is -10, not > 0, so shares of it are "
                                 "undefined");
    cv_table_free(t2);
    static const double na[] = {10, NAN, 0, 0, 0};
    const double *num3[] = {NULL, na};
    cv_table *t3 = mk(5, 2, names, str, num3);
    assert_null(cv_costing_whale(t3, "profit", NULL, &st, &err));
    assert_string_equal(err.msg, "whale: profit is missing in row 2");
    cv_table_free(t3);
    assert_null(cv_costing_whale(t, "nope", NULL, &st, &err));
    assert_int_equal(err.code, CV_ERR_USAGE);
    cv_table_free(t);
}

/* A table past the size where drivers are grouped in two halves on two threads: the result
   must be the single group-by's, row for row (order of first appearance, values, missing). */
static void test_costing_drivers_parallel_matches(void **state)
{
    (void)state;
    int64_t n = 1000003;
    cv_table *t = cv_table_new();
    cv_column *id = cv_column_new("id", CV_INT64, n), *amt = cv_column_new("amount", CV_FLOAT64, n);
    cv_column *day = cv_column_new("day", CV_DATE, n);
    uint64_t x = 12345;
    for (int64_t i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        assert_int_equal(cv_column_push_int(id, (int64_t)((x >> 33) % 150000)), 0);
        if ((x >> 20) % 97 == 0)
            assert_int_equal(cv_column_push_missing(amt), 0);
        else
            assert_int_equal(cv_column_push_float(amt, (double)((x >> 40) % 10000) / 100), 0);
        assert_int_equal(cv_column_push_i32(day, (int32_t)((x >> 45) % 365)), 0);
    }
    assert_int_equal(cv_table_add(t, id, NULL), 0);
    assert_int_equal(cv_table_add(t, amt, NULL), 0);
    assert_int_equal(cv_table_add(t, day, NULL), 0);
    cv_column_unref(id);
    cv_column_unref(amt);
    cv_column_unref(day);
    cv_agg aggs[] = {{"orders", CV_AGG_COUNT, NULL, 0},
                     {"spend", CV_AGG_SUM, "amount", 0},
                     {"days", CV_AGG_NDISTINCT, "day", 0},
                     {"top", CV_AGG_MAX, "amount", 0}};
    const char *keys[] = {"id"};
    cv_error err;
    cv_table *d = cv_costing_drivers(t, "id", aggs, 4, &err);
    cv_table *g = cv_table_group_by(t, keys, 1, aggs, 4, &err);
    assert_non_null(d);
    assert_non_null(g);
    assert_int_equal(d->nrows, g->nrows);
    assert_int_equal(d->ncols, 5);
    for (int64_t i = 0; i < g->nrows; i++) {
        assert_int_equal(cv_column_int(d->cols[0], i), cv_column_int(g->cols[0], i));
        for (int j = 1; j < 5; j++) {
            double want = cv_column_is_valid(g->cols[j], i) ? cv_column_number(g->cols[j], i) : 0;
            assert_float_equal(cv_column_float(d->cols[j], i), want, 1e-9 * (1 + fabs(want)));
        }
    }
    cv_table_free(d);
    cv_table_free(g);
    cv_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_costing_abc_hand),
        cmocka_unit_test(test_costing_abc_kaplan_traditional),
        cmocka_unit_test(test_costing_abc_errors),
        cmocka_unit_test(test_costing_drivers_from_transactions),
        cmocka_unit_test(test_costing_drivers_parallel_matches),
        cmocka_unit_test(test_costing_tdabc_hand),
        cmocka_unit_test(test_costing_tdabc_kaplan_anderson),
        cmocka_unit_test(test_costing_tdabc_errors),
        cmocka_unit_test(test_costing_pnl_identities),
        cmocka_unit_test(test_costing_pnl_kinds),
        cmocka_unit_test(test_costing_whale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
