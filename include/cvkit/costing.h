/* cvkit cost of service: activity-based costing (resources -> activity pools -> drivers ->
   customers), time-driven ABC (capacity cost rates, time equations, unused capacity), the
   customer P&L with its waterfall, and the whale curve of cumulative customer profit.
   Concepts, conventions and worked examples: docs/costing.md. */
#ifndef CVKIT_COSTING_H
#define CVKIT_COSTING_H

#include <stdint.h>

#include "cvkit/error.h"
#include "cvkit/table.h"

/* ---- Driver volumes ------------------------------------------------------------------- */

/* The per-customer driver table of transactions tx: one row per value of the key column
   (in order of first appearance) with the key and one float column per aggregate (computed
   by cv_table_group_by: counts, sums, n_distinct, ...; then made float, a group without
   values giving 0). The group-by takes its fast path for an int, date or string key (two
   threads on large tables). Fails as cv_table_group_by does (an unknown column is named). */
cv_table *cv_costing_drivers(const cv_table *tx, const char *key, const cv_agg *aggs, int naggs,
                             cv_error *err);

/* ---- Activity-based costing ----------------------------------------------------------- */

/* An activity cost pool: its period cost and its driver. The rate is cost ÷ the total
   driver volume over all customers, unless rate_given (then cost may be NAN: not known). */
typedef struct cv_abc_activity {
    const char *name;   /* "order handling": the output column is "cost_<name>" */
    const char *driver; /* the column of the driver table holding each customer's volume */
    double cost;        /* the pool's cost for the period, or NAN when rate_given */
    double rate;        /* cost per driver unit, used when rate_given */
    int rate_given;
} cv_abc_activity;

/* What cv_costing_abc makes (free with cv_costing_abc_free). */
typedef struct cv_abc_result {
    /* one row per driver-table row: the key column (when given), "cost_<activity>" per
       activity (rate × the customer's volume), "cost_to_serve" (their sum) */
    cv_table *customers;
    /* one row per activity: activity, driver (string), cost (the pool; missing when not
       given), volume (total), rate, assigned (rate × volume), unassigned (cost − assigned:
       0 when the rate was computed; the cost of unused capacity when a practical-capacity
       rate was given; missing when no cost was given) */
    cv_table *activities;
} cv_abc_result;

/* Assigns the activities' costs to the rows (customers) of the driver table. A driver
   column may be int, float or bool; a missing volume counts as 0 (a customer absent from a
   table joined with a left join). Fails (out untouched, nothing to free) with:
   CV_ERR_USAGE "activity 'returns': no driver column 'n_returns' (columns: ...)", an empty
   or repeated activity name, an unknown key column;
   CV_ERR_TYPE "activity 'x': driver column 'y' is string, a number is expected";
   CV_ERR_DOMAIN "activity 'returns': driver 'n_returns' has zero total volume, so its rate
   cost ÷ volume is undefined (give the rate)", a negative volume (naming the row), a
   cost or rate that is negative or not finite; CV_ERR_NOMEM. */
int cv_costing_abc(const cv_table *drivers, const char *key, const cv_abc_activity *acts, int nacts,
                   cv_abc_result *out, cv_error *err);
void cv_costing_abc_free(cv_abc_result *r);

/* ---- Time-driven ABC ------------------------------------------------------------------ */

/* A resource (a department, a team) supplying time: rate = cost ÷ capacity (practical
   capacity in minutes per period), or given directly (then cost may be NAN, and capacity
   NAN when unused capacity is not wanted). */
typedef struct cv_tdabc_resource {
    const char *name;
    double cost;     /* cost of the capacity supplied in the period */
    double capacity; /* practical capacity, minutes */
    double rate;     /* cost per minute, used when rate_given */
    int rate_given;
} cv_tdabc_resource;

/* A term of a time equation: minutes × the row's value of field (per unit), or minutes
   once when the field is set (non-zero and present: if flag). */
typedef enum cv_time_kind { CV_TIME_PER_UNIT = 0, CV_TIME_IF_FLAG } cv_time_kind;
typedef struct cv_time_term {
    const char *field;
    double minutes;
    cv_time_kind kind;
} cv_time_term;

/* An activity and its time equation, evaluated on every row of the table:
       minutes = base × events + Σ per-unit minutes × value + Σ if-flag minutes × [flag set]
   events is the row's value of the events column (NULL: each row is one event). */
typedef struct cv_tdabc_activity {
    const char *name;     /* output columns "minutes_<name>", "cost_<name>" */
    const char *resource; /* the resource it draws on (NULL: the first resource) */
    double base;          /* minutes per event */
    const char *events;   /* column of events per row, or NULL */
    const cv_time_term *terms;
    int nterms;
} cv_tdabc_activity;

/* What cv_costing_tdabc makes (free with cv_costing_tdabc_free). */
typedef struct cv_tdabc_result {
    /* per customer (rows grouped by the key, summed; one per input row when key is NULL):
       the key, "minutes_<a>" and "cost_<a>" per activity, "minutes" and "cost_to_serve" */
    cv_table *customers;
    /* per activity: activity, resource, events, minutes, rate (per minute), cost,
       minutes_per_event and cost_per_event (missing when there were no events) */
    cv_table *activities;
    /* per resource: resource, cost, capacity, rate, used_minutes, used_cost,
       unused_minutes, unused_cost (negative when used beyond capacity), utilization
       (used ÷ capacity); the capacity columns are missing when capacity was not given */
    cv_table *resources;
} cv_tdabc_result;

/* Evaluates the time equations on t and costs the minutes at their resource's rate.
   A missing value in a field counts as 0 (not set). Fails (out untouched) with:
   CV_ERR_USAGE "activity 'ship': time equation names an unknown field 'rush' (columns:
   ...)", "activity 'x': no events column 'y' (...)", "activity 'x': unknown resource 'y'
   (resources: ...)", repeated names, no resource;
   CV_ERR_TYPE for a string field; CV_ERR_DOMAIN for a capacity that is not > 0 (when the
   rate is not given), negative or non-finite costs, minutes or rates, a negative value
   of a field (naming activity, field and row); CV_ERR_NOMEM. */
int cv_costing_tdabc(const cv_table *t, const char *key, const cv_tdabc_resource *res, int nres,
                     const cv_tdabc_activity *acts, int nacts, cv_tdabc_result *out, cv_error *err);
void cv_costing_tdabc_free(cv_tdabc_result *r);

/* ---- Customer P&L --------------------------------------------------------------------- */

/* The kinds of deductions from revenue, in the order the P&L takes them. */
typedef enum cv_pnl_kind {
    CV_PNL_PRODUCT = 0, /* cost of the goods sold */
    CV_PNL_CONCESSION,  /* price concessions: discounts, rebates, allowances */
    CV_PNL_SERVICE,     /* cost to serve, one line per activity */
    CV_PNL_ACQUISITION, /* acquisition cost allocated to the customer */
    CV_PNL_RETENTION    /* retention spend */
} cv_pnl_kind;
/* Parses "product", "concession", "service", "acquisition", "retention"; 0 or -1. */
int cv_pnl_kind_parse(const char *s, cv_pnl_kind *out);
const char *cv_pnl_kind_name(cv_pnl_kind k);

typedef struct cv_pnl_line {
    const char *col; /* a numeric column of costs (positive = a cost) */
    cv_pnl_kind kind;
} cv_pnl_line;

typedef struct cv_pnl_spec {
    const char *key;     /* customer column (may be NULL) */
    const char *segment; /* segment column (may be NULL: one segment "all") */
    const char *revenue; /* revenue column */
    const cv_pnl_line *lines;
    int nlines;
} cv_pnl_spec;

/* What cv_costing_pnl makes (free with cv_costing_pnl_free). */
typedef struct cv_pnl_result {
    /* per customer: key, segment, revenue, then per kind its lines (in the order given)
       followed by the subtotal after it: gross_margin (after product cost), pocket_margin
       (after concessions), service_margin (after cost to serve), profit (after
       acquisition and retention); also total_concessions and total_cost_to_serve */
    cv_table *customers;
    /* per segment (first-appearance order): segment, customers (int), then the sums of
       every number column of the customer table, and profit_per_customer */
    cv_table *segments;
} cv_pnl_result;

/* Builds the P&L. Missing values count as 0; nothing is clipped: profit may be negative.
   revenue − Σ lines = profit holds for every row, with the subtotals between. Fails with
   CV_ERR_USAGE for an unknown column (named) or an input column whose name is one of the
   output's, CV_ERR_TYPE for a non-numeric line, CV_ERR_NOMEM. */
int cv_costing_pnl(const cv_table *t, const cv_pnl_spec *spec, cv_pnl_result *out, cv_error *err);
void cv_costing_pnl_free(cv_pnl_result *r);

/* Waterfall-chart data for row `row` of a P&L table made by cv_costing_pnl with the same
   spec (row -1: the totals over all rows): one row per step with step (string: the column
   name), kind ("start" for revenue, "decrease" for a cost line, "subtotal", "total" for
   profit), amount (signed: − for a cost), start and end (bars of decreases float from
   start to end; start, subtotal and total bars rise from 0). The last end is the profit;
   each decrease starts where the previous bar ended. */
cv_table *cv_costing_waterfall(const cv_table *pnl, const cv_pnl_spec *spec, int64_t row,
                               cv_error *err);

/* ---- Whale curve ---------------------------------------------------------------------- */

typedef struct cv_whale_stats {
    int64_t customers;
    double total;           /* total profit */
    double peak;            /* the highest cumulative profit */
    double peak_share;      /* peak ÷ total: 2.0 = the profitable customers earn 200% */
    int64_t peak_rank;      /* customers up to the peak (the profitable ones) */
    double top20_share;     /* profit of the top ⌈20%⌉ of customers ÷ total */
    double bottom30_profit; /* profit of the bottom ⌈30%⌉ (negative: what they destroy) */
    int64_t loss_makers;    /* customers with profit < 0 */
    double losses;          /* their profit (≤ 0) */
} cv_whale_stats;

/* The whale curve of the profit column of t: customers ranked by profit, highest first
   (ties keep their order). Returns the curve (rank 1..n, the key when given, profit,
   cum_profit, cum_share = cum_profit ÷ total, customer_share = rank ÷ n) and fills *st.
   Fails with CV_ERR_USAGE for an unknown column or an empty table, CV_ERR_TYPE for a
   non-numeric profit, CV_ERR_DOMAIN for a missing profit (naming the row) or a total
   profit that is not > 0 (shares of it would be meaningless). */
cv_table *cv_costing_whale(const cv_table *t, const char *profit, const char *key,
                           cv_whale_stats *st, cv_error *err);

#endif
