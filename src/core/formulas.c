/* cvkit textbook formulas: the catalogue of formula descriptors and the one generic
   machinery (domain checks, evaluation, explain text, column form) that serves them all.
   Conventions and sources of each formula: docs/formulas.md. */
#include "cvkit/formulas.h"
#include "cvkit/crmcost.h"
#include "cvkit/kind.h"
#include "cvkit/mem.h"
#include "cvkit/suggest.h"
#include "cvkit/timevalue.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Compute and check functions, one per formula -------------------------------------- */

static void clv_simple(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] * x[1] * x[2];
}

static void ratio(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] / x[1];
}

static void minus_two(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] - x[1] - x[2];
}

/* The effective rate per period from the annual discount rate x[d] and the period x[p]
   (a cv_time_unit's number): the core's one conversion, cv_rate_per_period. */
static double period_rate(const double *x, int d, int p)
{
    return cv_rate_per_period(x[d], (cv_time_unit)x[p]);
}

/* NPV of profits list[0..n) at period rate i, the first at time t0 (0 or 1). */
static double npv(const double *list, int n, double i, int t0)
{
    double sum = 0, disc = pow(1 + i, -(double)t0), step = 1 / (1 + i);
    for (int k = 0; k < n; k++) {
        sum += list[k] * disc;
        disc *= step;
    }
    return sum;
}

/* Inputs of the NPV formulas: x[0] discount (annual), x[1] period, the profits list. */
static void npv_end(const double *x, const double *l, int n, double *s)
{
    s[0] = period_rate(x, 0, 1);
    s[1] = npv(l, n, s[0], 1);
}

static void npv_start(const double *x, const double *l, int n, double *s)
{
    s[0] = period_rate(x, 0, 1);
    s[1] = npv(l, n, s[0], 0);
}

/* Hides the period_rate step when the period is a year (the rate is the discount). */
static int hide_year_rate(const cv_formula *f, int k, const double *x)
{
    if (strcmp(f->steps[k].key, "period_rate") != 0)
        return 0;
    for (int i = 0; i < f->ninputs; i++)
        if (f->inputs[i].domain == CV_DOM_PERIOD)
            return x[i] == CV_UNIT_YEAR;
    return 0;
}

/* Inputs of the retention formulas: x[0] margin, x[1] retention, x[2] discount (annual),
   x[3] period; i is the rate per period. */
static int check_converges(const double *x, const double *l, int n, cv_error *err)
{
    double i = period_rate(x, 2, 3);
    (void)l, (void)n;
    if (!(x[1] < 1 + i))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "retention must be < 1 + the discount rate per period for the sum to "
                            "converge, got retention %g and %g a %s",
                            x[1], i, cv_time_unit_name((cv_time_unit)x[3]));
    return 0;
}

static void clv_retention(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = period_rate(x, 2, 3);
    s[1] = x[0] * x[1] / (1 + s[0] - x[1]);
}

static void clv_retention_now(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = period_rate(x, 2, 3);
    s[1] = x[0] * (1 + s[0]) / (1 + s[0] - x[1]);
}

/* Sum over t = 0..T-1 of m q^t with q = r / (1 + d), in closed form:
   m (1 + d) (1 - q^T) / (1 + d - r), or m T when q = 1. */
static double retention_sum_now(double m, double r, double d, double T)
{
    if (r == 0)
        return m;
    if (r == 1 + d)
        return m * T;
    double lq = log(r) - log1p(d);
    return m * (1 + d) * -expm1(T * lq) / (1 + d - r);
}

/* x[4]: the number of periods. */
static void clv_retention_finite(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = period_rate(x, 2, 3);
    s[1] = retention_sum_now(x[0], x[1], s[0], x[4]) * (x[1] / (1 + s[0]));
}

static void clv_retention_finite_now(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = period_rate(x, 2, 3);
    s[1] = retention_sum_now(x[0], x[1], s[0], x[4]);
}

static void delivered(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] + x[1] + x[2] + x[3];
    s[1] = x[4] + x[5] + x[6] + x[7];
    s[2] = s[0] - s[1];
}

static void switching(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] + x[1] + x[2];
    s[1] = x[3] + x[4] + x[5];
    s[2] = x[6] + x[7] + x[8];
    s[3] = s[0] + s[1] + s[2];
}

/* Inputs: x[0] margin, x[1] discount (annual), x[2] period, x[3] retention,
   x[4] new_retention. */
static int check_effect(const double *x, const double *l, int n, cv_error *err)
{
    double i = period_rate(x, 1, 2);
    (void)l, (void)n;
    for (int k = 3; k <= 4; k++)
        if (!(x[k] < 1 + i))
            return cv_error_set(err, CV_ERR_DOMAIN,
                                "%s must be < 1 + the discount rate per period for the sum to "
                                "converge, got %s %g and %g a %s",
                                k == 3 ? "retention" : "new_retention",
                                k == 3 ? "retention" : "new_retention", x[k], i,
                                cv_time_unit_name((cv_time_unit)x[2]));
    if (x[0] == 0 || x[3] == 0)
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "the clv before the change is 0 (margin or retention is 0), "
                            "so its relative change is undefined");
    return 0;
}

static void effect(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = period_rate(x, 1, 2);
    s[1] = x[0] * x[3] / (1 + s[0] - x[3]);
    s[2] = x[0] * x[4] / (1 + s[0] - x[4]);
    s[3] = (s[2] - s[1]) / s[1];
}

/* Inputs: x[0] customers, x[1] dissatisfied_rate, x[2] defect_rate, x[3] customer_value,
   x[4] tell (people each dissatisfied customer tells), x[5] not_buy (share of them who then
   do not buy). */
static void hidden_service(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] * x[1];        /* dissatisfied customers */
    s[1] = s[0] * x[2];        /* of whom leave */
    s[2] = s[1] * x[3];        /* margin lost with them */
    s[3] = s[0] * x[4] * x[5]; /* prospects who hear of it and do not buy */
    s[4] = s[3] * x[3];        /* margin lost with them */
    s[5] = s[2] + s[4];
}

static void service_total(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] + x[1] + x[2];
    s[1] = s[0] + x[3];
}

/* Inputs: x[0] revenue, x[1] variable_costs, x[2] avoidable_fixed (the customer's or
   segment's, for the period). */
static void keep_or_drop(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] - x[1]; /* contribution lost when dropped */
    s[1] = x[2] - s[0]; /* profit change when dropped: > 0 favours dropping */
}

static int render_npv(const cv_formula *f, int k, const double *x, const double *list, int nlist,
                      const double *steps, char *buf, size_t size);

/* ---- The catalogue ---------------------------------------------------------------------- */

/* The table reads best one formula per block: kept out of clang-format. */
/* clang-format off */
/* the kinds that inputs and steps are shown by (cvkit/kind.h) */
#define K_MON CV_KIND_MONEY
#define K_RATE CV_KIND_RATE
#define K_SHARE CV_KIND_SHARE
#define K_CNT CV_KIND_COUNT
#define K_NUM CV_KIND_NUMBER
#define IN(name, dom, kind) {name, dom, 0, 0, 0, kind, NULL}
/* a count of periods in the unit that `unit` names (cv_formula_input.unit) */
#define SPAN(name, unit) {name, CV_DOM_COUNT, 0, 0, 0, CV_KIND_COUNT, unit}
#define OPT(name, dom, def, kind) {name, dom, 1, def, 0, kind, NULL}
#define LIST(name, kind) {name, CV_DOM_ANY, 0, 0, 1, kind, NULL}

#define PERIOD IN("period", CV_DOM_PERIOD, CV_KIND_NONE)
/* {period_years}: the period's length in years, written out ("(1 ÷ 12)") by substitute */
static const char RATE[] = "(1 + {discount})^{period_years} − 1";
static const char RET_EXPR[] = "{margin} × {retention} ÷ (1 + {period_rate} − {retention})";

static const cv_formula formulas[] = {
    {"clv.simple",
     3,
     {IN("avg_purchase", CV_DOM_NONNEG, K_MON), IN("frequency", CV_DOM_NONNEG, K_NUM),
      IN("lifetime", CV_DOM_NONNEG, K_NUM)},
     1,
     {{"clv", "{avg_purchase} × {frequency} × {lifetime}", K_MON}},
     clv_simple, NULL, NULL, NULL},
    {"clv.retention",
     4,
     {IN("margin", CV_DOM_ANY, K_MON), IN("retention", CV_DOM_UNIT, K_RATE),
      IN("discount", CV_DOM_RATE, K_RATE),
      PERIOD},
     2,
     {{"period_rate", RATE, K_RATE}, {"clv", RET_EXPR, K_MON}},
     clv_retention, check_converges, NULL, hide_year_rate},
    {"clv.retention_now",
     4,
     {IN("margin", CV_DOM_ANY, K_MON), IN("retention", CV_DOM_UNIT, K_RATE),
      IN("discount", CV_DOM_RATE, K_RATE),
      PERIOD},
     2,
     {{"period_rate", RATE, K_RATE},
      {"clv", "{margin} × (1 + {period_rate}) ÷ (1 + {period_rate} − {retention})", K_MON}},
     clv_retention_now, check_converges, NULL, hide_year_rate},
    {"clv.retention_finite",
     5,
     {IN("margin", CV_DOM_ANY, K_MON), IN("retention", CV_DOM_UNIT, K_RATE),
      IN("discount", CV_DOM_RATE, K_RATE),
      PERIOD, SPAN("periods", "period")},
     2,
     {{"period_rate", RATE, K_RATE},
      {"clv", "Σ {margin} × {retention}^t ÷ (1 + {period_rate})^t, t = 1..{periods}", K_MON}},
     clv_retention_finite, NULL, NULL, hide_year_rate},
    {"clv.retention_finite_now",
     5,
     {IN("margin", CV_DOM_ANY, K_MON), IN("retention", CV_DOM_UNIT, K_RATE),
      IN("discount", CV_DOM_RATE, K_RATE),
      PERIOD, SPAN("periods", "period")},
     2,
     {{"period_rate", RATE, K_RATE},
      {"clv", "Σ {margin} × {retention}^t ÷ (1 + {period_rate})^t, t = 0..{periods} − 1", K_MON}},
     clv_retention_finite_now, NULL, NULL, hide_year_rate},
    {"cost.retention_per_customer",
     2,
     {IN("retention_spend", CV_DOM_NONNEG, K_MON),
      IN("customers_retained", CV_DOM_POSITIVE, K_CNT)},
     1,
     {{"retention_cost_per_customer", "{retention_spend} ÷ {customers_retained}", K_MON}},
     ratio, NULL, NULL, NULL},
    {"cost.cac",
     2,
     {IN("acquisition_spend", CV_DOM_NONNEG, K_MON), IN("new_customers", CV_DOM_POSITIVE, K_CNT)},
     1,
     {{"cac", "{acquisition_spend} ÷ {new_customers}", K_MON}},
     ratio, NULL, NULL, NULL},
    {"profit.customer",
     3,
     {IN("lifetime_revenue", CV_DOM_NONNEG, K_MON), IN("acquisition_cost", CV_DOM_NONNEG, K_MON),
      IN("retention_cost", CV_DOM_NONNEG, K_MON)},
     1,
     {{"customer_profit", "{lifetime_revenue} − {acquisition_cost} − {retention_cost}", K_MON}},
     minus_two, NULL, NULL, NULL},
    {"profit.crm_gross",
     3,
     {IN("purchases", CV_DOM_NONNEG, K_MON), IN("product_cost", CV_DOM_NONNEG, K_MON),
      IN("marketing_cost", CV_DOM_NONNEG, K_MON)},
     1,
     {{"crm_gross_profit", "{purchases} − {product_cost} − {marketing_cost}", K_MON}},
     minus_two, NULL, NULL, NULL},
    {"profit.lifecycle_npv",
     3,
     {IN("discount", CV_DOM_RATE, K_RATE), PERIOD, LIST("profits", K_MON)},
     2,
     {{"period_rate", RATE, K_RATE},
      {"lifecycle_profit", "Σ {profits}(t) ÷ (1 + {period_rate})^t, t = 1..n", K_MON}},
     npv_end, NULL, render_npv, hide_year_rate},
    {"profit.lifecycle_npv_start",
     3,
     {IN("discount", CV_DOM_RATE, K_RATE), PERIOD, LIST("profits", K_MON)},
     2,
     {{"period_rate", RATE, K_RATE},
      {"lifecycle_profit", "Σ {profits}(t) ÷ (1 + {period_rate})^t, t = 0..n − 1", K_MON}},
     npv_start, NULL, render_npv, hide_year_rate},
    {"value.delivered",
     8,
     {IN("product_value", CV_DOM_NONNEG, K_MON), IN("service_value", CV_DOM_NONNEG, K_MON),
      IN("personnel_value", CV_DOM_NONNEG, K_MON), IN("image_value", CV_DOM_NONNEG, K_MON),
      IN("monetary_cost", CV_DOM_NONNEG, K_MON), IN("time_cost", CV_DOM_NONNEG, K_MON),
      IN("energy_cost", CV_DOM_NONNEG, K_MON), IN("psychic_cost", CV_DOM_NONNEG, K_MON)},
     3,
     {{"total_value", "{product_value} + {service_value} + {personnel_value} + {image_value}",
       K_MON},
      {"total_cost", "{monetary_cost} + {time_cost} + {energy_cost} + {psychic_cost}", K_MON},
      {"delivered_value", "{total_value} − {total_cost}", K_MON}},
     delivered, NULL, NULL, NULL},
    {"cost.switching",
     9,
     {OPT("search_cost", CV_DOM_NONNEG, 0, K_MON), OPT("learning_cost", CV_DOM_NONNEG, 0, K_MON),
      OPT("setup_cost", CV_DOM_NONNEG, 0, K_MON), OPT("exit_fees", CV_DOM_NONNEG, 0, K_MON),
      OPT("lost_benefits", CV_DOM_NONNEG, 0, K_MON),
      OPT("new_purchase_cost", CV_DOM_NONNEG, 0, K_MON),
      OPT("relationship_loss", CV_DOM_NONNEG, 0, K_MON), OPT("brand_loss", CV_DOM_NONNEG, 0, K_MON),
      OPT("uncertainty_cost", CV_DOM_NONNEG, 0, K_MON)},
     4,
     {{"time_effort_cost", "{search_cost} + {learning_cost} + {setup_cost}", K_MON},
      {"economic_cost", "{exit_fees} + {lost_benefits} + {new_purchase_cost}", K_MON},
      {"emotional_cost", "{relationship_loss} + {brand_loss} + {uncertainty_cost}", K_MON},
      {"switching_cost", "{time_effort_cost} + {economic_cost} + {emotional_cost}", K_MON}},
     switching, NULL, NULL, NULL},
    {"retention.effect",
     5,
     {IN("margin", CV_DOM_ANY, K_MON), IN("discount", CV_DOM_RATE, K_RATE), PERIOD,
      IN("retention", CV_DOM_UNIT, K_RATE), IN("new_retention", CV_DOM_UNIT, K_RATE)},
     4,
     {{"period_rate", RATE, K_RATE},
      {"clv_before", RET_EXPR, K_MON},
      {"clv_after", "{margin} × {new_retention} ÷ (1 + {period_rate} − {new_retention})", K_MON},
      {"clv_change", "({clv_after} − {clv_before}) ÷ {clv_before}", K_SHARE}},
     effect, check_effect, NULL, hide_year_rate},
    {"cost.hidden_service",
     6,
     {IN("customers", CV_DOM_NONNEG, K_CNT), IN("dissatisfied_rate", CV_DOM_UNIT, K_RATE),
      IN("defect_rate", CV_DOM_UNIT, K_RATE), IN("customer_value", CV_DOM_ANY, K_MON),
      IN("tell", CV_DOM_NONNEG, K_NUM), IN("not_buy", CV_DOM_UNIT, K_RATE)},
     6,
     {{"dissatisfied", "{customers} × {dissatisfied_rate}", K_CNT},
      {"lost_customers", "{dissatisfied} × {defect_rate}", K_CNT},
      {"lost_margin", "{lost_customers} × {customer_value}", K_MON},
      {"lost_prospects", "{dissatisfied} × {tell} × {not_buy}", K_CNT},
      {"word_of_mouth_cost", "{lost_prospects} × {customer_value}", K_MON},
      {"hidden_cost", "{lost_margin} + {word_of_mouth_cost}", K_MON}},
     hidden_service, NULL, NULL, NULL},
    {"cost.service_total",
     4,
     {IN("service_staff", CV_DOM_NONNEG, K_MON), IN("department_costs", CV_DOM_NONNEG, K_MON),
      OPT("other_explicit", CV_DOM_NONNEG, 0, K_MON), IN("hidden_cost", CV_DOM_ANY, K_MON)},
     2,
     {{"explicit_cost", "{service_staff} + {department_costs} + {other_explicit}", K_MON},
      {"service_cost", "{explicit_cost} + {hidden_cost}", K_MON}},
     service_total, NULL, NULL, NULL},
    /* relevant costs (docs/formulas.md, "Relevant costs and decisions") */
    {"decision.keep_or_drop",
     3,
     {IN("revenue", CV_DOM_ANY, K_MON), IN("variable_costs", CV_DOM_ANY, K_MON),
      IN("avoidable_fixed", CV_DOM_ANY, K_MON)},
     2,
     {{"contribution", "{revenue} − {variable_costs}", K_MON},
      {"drop_effect", "{avoidable_fixed} − {contribution}", K_MON}},
     keep_or_drop, NULL, NULL, NULL},
};
/* clang-format on */

#define NFORMULAS ((int)(sizeof formulas / sizeof formulas[0]))

/* ---- Catalogue parts kept in their own files, listed after the formulas above ---------- */
typedef const cv_formula *(*catalogue_part)(int *n);
static const catalogue_part parts[] = {
    cv_crmcost_formulas, /* crmcost.c: crm.eac, loyalty.*, satisfaction.* */
};
#define NPARTS ((int)(sizeof parts / sizeof parts[0]))

int cv_formula_count(void)
{
    int n = NFORMULAS, k;
    for (int p = 0; p < NPARTS; p++) {
        parts[p](&k);
        n += k;
    }
    return n;
}

const cv_formula *cv_formula_at(int i)
{
    if (i < 0)
        return NULL;
    if (i < NFORMULAS)
        return &formulas[i];
    i -= NFORMULAS;
    for (int p = 0, k; p < NPARTS; p++) {
        const cv_formula *part = parts[p](&k);
        if (i < k)
            return &part[i];
        i -= k;
    }
    return NULL;
}

const cv_formula *cv_formula_find(const char *name)
{
    for (int i = 0, n = cv_formula_count(); i < n; i++)
        if (strcmp(cv_formula_at(i)->name, name) == 0)
            return cv_formula_at(i);
    return NULL;
}

int cv_formula_input_index(const cv_formula *f, const char *name)
{
    for (int i = 0; i < f->ninputs; i++)
        if (strcmp(f->inputs[i].name, name) == 0)
            return i;
    return -1;
}

int cv_formula_list_index(const cv_formula *f)
{
    for (int i = 0; i < f->ninputs; i++)
        if (f->inputs[i].list)
            return i;
    return -1;
}

/* ---- Scalar form ------------------------------------------------------------------------ */

int cv_formula_check_input(const cv_formula_input *in, double v, cv_error *err)
{
    const char *n = in->name;
    if (isnan(v))
        return cv_error_set(err, CV_ERR_DOMAIN, "%s must be a number, got nan", n);
    if (isinf(v))
        return cv_error_set(err, CV_ERR_DOMAIN, "%s must be finite, got %s", n,
                            v > 0 ? "inf" : "-inf");
    switch (in->domain) {
    case CV_DOM_ANY:
        break;
    case CV_DOM_NONNEG:
        if (v < 0)
            return cv_error_set(err, CV_ERR_DOMAIN, "%s must be >= 0, got %g", n, v);
        break;
    case CV_DOM_POSITIVE:
        if (!(v > 0))
            return cv_error_set(err, CV_ERR_DOMAIN, "%s must be > 0, got %g", n, v);
        break;
    case CV_DOM_UNIT:
        if (v < 0 || v > 1)
            return cv_error_set(err, CV_ERR_DOMAIN, "%s must be between 0 and 1, got %g", n, v);
        break;
    case CV_DOM_RATE:
        if (!(v > -1))
            return cv_error_set(err, CV_ERR_DOMAIN, "%s must be > -1, got %g", n, v);
        break;
    case CV_DOM_COUNT:
        if (v < 1 || v != floor(v))
            return cv_error_set(err, CV_ERR_DOMAIN, "%s must be a whole number >= 1, got %g", n, v);
        break;
    case CV_DOM_PERIOD:
        if (v < 0 || v != floor(v) || v > CV_UNIT_YEAR)
            return cv_error_set(err, CV_ERR_DOMAIN, "%s must be a time unit, got %g", n, v);
        break;
    }
    return 0;
}

int cv_formula_period(const cv_formula_input *in, const char *s, double *x, cv_error *err)
{
    const char *names[CV_UNIT_YEAR + 1];
    char close[80], all[80];
    size_t len = 0;
    cv_time_unit u;
    if (cv_time_unit_parse(s, &u) == 0) {
        *x = (double)u;
        return 0;
    }
    for (int k = 0; k <= CV_UNIT_YEAR; k++) {
        names[k] = cv_time_unit_name((cv_time_unit)k);
        len += (size_t)snprintf(all + len, sizeof all - len, "%s%s", k ? ", " : "", names[k]);
    }
    if (cv_suggest_names(s, names, CV_UNIT_YEAR + 1, 3, close, sizeof close) > 0)
        return cv_error_set(err, CV_ERR_USAGE,
                            "%s: unknown unit '%s' (did you mean %s?; units: %s)", in->name, s,
                            close, all);
    return cv_error_set(err, CV_ERR_USAGE, "%s: unknown unit '%s' (units: %s)", in->name, s, all);
}

int cv_formula_eval(const cv_formula *f, const double *x, const double *list, int nlist,
                    double *out, double *steps, cv_error *err)
{
    double s[CV_FORMULA_MAX_STEPS];
    int li = -1;
    for (int i = 0; i < f->ninputs; i++) {
        if (f->inputs[i].list) {
            li = i;
            continue;
        }
        int rc = cv_formula_check_input(&f->inputs[i], x[i], err);
        if (rc)
            return rc;
    }
    if (li >= 0) {
        const char *n = f->inputs[li].name;
        if (nlist < 1 || !list)
            return cv_error_set(err, CV_ERR_DOMAIN, "%s must have at least one value", n);
        if (nlist > CV_FORMULA_MAX_LIST)
            return cv_error_set(err, CV_ERR_DOMAIN, "%s has %d values, at most %d allowed", n,
                                nlist, CV_FORMULA_MAX_LIST);
        for (int k = 0; k < nlist; k++)
            if (!isfinite(list[k]))
                return cv_error_set(err, CV_ERR_DOMAIN, "%s[%d] must be a finite number, got %g", n,
                                    k + 1, list[k]);
    } else {
        list = NULL;
        nlist = 0;
    }
    if (f->check) {
        int rc = f->check(x, list, nlist, err);
        if (rc)
            return rc;
    }
    f->compute(x, list, nlist, s);
    for (int k = 0; k < f->nsteps; k++)
        if (!isfinite(s[k]))
            return cv_error_set(err, CV_ERR_DOMAIN,
                                "%s: the result is too large to represent (overflow)", f->name);
    if (steps)
        memcpy(steps, s, (size_t)f->nsteps * sizeof *s);
    *out = s[f->nsteps - 1];
    return 0;
}

/* ---- Explain form ----------------------------------------------------------------------- */

size_t cv_formula_format_number(double v, char *buf, size_t size)
{
    return cv_format_kind(v, CV_KIND_NUMBER, -1, "nan", buf, size);
}

size_t cv_formula_format_value(double v, cv_kind kind, char *buf, size_t size)
{
    char num[600];
    size_t len;
    switch (kind) {
    case CV_KIND_MONEY:
        if (fabs(v) < 1 && round(v * 100) / 100 != v)
            break;
        return cv_format_kind(v, CV_KIND_MONEY, 2, "nan", buf, size);
    case CV_KIND_RATE:
    case CV_KIND_SHARE:
        if (!isfinite(v * 100))
            break;
        len = cv_formula_format_number(v * 100, num, sizeof num - 1);
        if (len < sizeof num - 1)
            strcat(num, "%");
        return (size_t)snprintf(buf, size, "%s", num);
    case CV_KIND_COUNT:
        if (v == floor(v))
            return cv_format_kind(v, CV_KIND_COUNT, 0, "nan", buf, size);
        break;
    default:
        break;
    }
    return cv_formula_format_number(v, buf, size);
}

/* A text buffer that never overflows (it truncates) and knows its length. */
typedef struct textbuf {
    char *p;
    size_t size, n;
} textbuf;

static void tb_puts(textbuf *b, const char *s, size_t len)
{
    for (size_t k = 0; k < len && b->n + 1 < b->size; k++)
        b->p[b->n++] = s[k];
    b->p[b->n] = '\0';
}

/* Appends a number as it appears inside an expression, by its kind: negative ones in
   parentheses. */
static void tb_number(textbuf *b, double v, cv_kind kind)
{
    char num[600];
    size_t len = cv_formula_format_value(v, kind, num, sizeof num);
    if (len >= sizeof num)
        len = sizeof num - 1;
    if (num[0] == '-')
        tb_puts(b, "(", 1);
    tb_puts(b, num, len);
    if (num[0] == '-')
        tb_puts(b, ")", 1);
}

/* The value that {name} stands for: an input, or a step computed before step k. */
static int lookup(const cv_formula *f, const char *name, size_t len, int k, const double *x,
                  const double *steps, double *v, cv_kind *kind)
{
    for (int i = 0; i < f->ninputs; i++)
        if (!f->inputs[i].list && strlen(f->inputs[i].name) == len &&
            memcmp(f->inputs[i].name, name, len) == 0) {
            *v = x[i];
            *kind = f->inputs[i].kind;
            return 1;
        }
    for (int j = 0; j < k; j++)
        if (strlen(f->steps[j].key) == len && memcmp(f->steps[j].key, name, len) == 0) {
            *v = steps[j];
            *kind = f->steps[j].kind;
            return 1;
        }
    return 0;
}

/* Writes the length in years of the period that x[i] holds, as explain shows it: "1" for
   a year, "(1 ÷ 12)" for a month, "(7 ÷ 365.2425)" for a week. */
static void tb_period_years(textbuf *b, double v)
{
    cv_time_unit u = (cv_time_unit)v;
    double per_year = 1 / cv_unit_years(u);
    char num[64];
    int len;
    if (per_year == 1)
        len = snprintf(num, sizeof num, "1");
    else if (per_year == floor(per_year))
        len = snprintf(num, sizeof num, "(1 ÷ %.0f)", per_year);
    else
        len = snprintf(num, sizeof num, "(%.10g ÷ %.10g)", cv_unit_days(u), CV_DAYS_PER_YEAR);
    tb_puts(b, num, (size_t)len);
}

/* The index of the period input that {<name>_years} names, or -1. */
static int years_of(const cv_formula *f, const char *name, size_t len)
{
    if (len <= 6 || memcmp(name + len - 6, "_years", 6) != 0)
        return -1;
    for (int i = 0; i < f->ninputs; i++)
        if (f->inputs[i].domain == CV_DOM_PERIOD && strlen(f->inputs[i].name) == len - 6 &&
            memcmp(f->inputs[i].name, name, len - 6) == 0)
            return i;
    return -1;
}

/* Writes step k's expression with every {name} replaced by its number ({period_years}:
   the period's length in years). */
static void substitute(const cv_formula *f, int k, const double *x, const double *steps, char *buf,
                       size_t size)
{
    textbuf b = {buf, size, 0};
    const char *e = f->steps[k].expr;
    buf[0] = '\0';
    while (*e) {
        const char *open = strchr(e, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        double v;
        cv_kind kind;
        if (!close) {
            tb_puts(&b, e, strlen(e));
            break;
        }
        tb_puts(&b, e, (size_t)(open - e));
        int yi = years_of(f, open + 1, (size_t)(close - open - 1));
        if (yi >= 0)
            tb_period_years(&b, x[yi]);
        else if (lookup(f, open + 1, (size_t)(close - open - 1), k, x, steps, &v, &kind))
            tb_number(&b, v, kind);
        else
            tb_puts(&b, open, (size_t)(close - open + 1));
        e = close + 1;
    }
}

/* The discount factor's base as shown: "1.1" when 1 + i shows exactly, else "(1 + i)". */
static void npv_base(double i, char *buf, size_t size)
{
    char num[560], plain[560];
    size_t m = 0;
    cv_formula_format_number(1 + i, num, sizeof num);
    for (const char *p = num; *p && m + 1 < sizeof plain; p++)
        if (*p != ',')
            plain[m++] = *p;
    plain[m] = '\0';
    if (strtod(plain, NULL) == 1 + i) {
        snprintf(buf, size, "%s", num);
    } else {
        textbuf b = {buf, size, 0};
        tb_puts(&b, "(1 + ", 5);
        tb_number(&b, i, CV_KIND_RATE);
        tb_puts(&b, ")", 1);
    }
}

/* The NPV sum written out: "100 ÷ 1.1^1 + 100 ÷ 1.1^2 + 100 ÷ 1.1^3"; long lists show
   their first three and last terms around " + … + ". */
static int render_npv(const cv_formula *f, int k, const double *x, const double *list, int nlist,
                      const double *steps, char *buf, size_t size)
{
    char base[600];
    int t0 = f->compute == npv_start ? 0 : 1;
    textbuf b = {buf, size, 0};
    (void)x;
    if (k != 1)
        return 0;
    npv_base(steps[0], base, sizeof base);
    buf[0] = '\0';
    for (int j = 0; j < nlist; j++) {
        if (nlist > 6 && j == 3) {
            tb_puts(&b, " + …", strlen(" + …"));
            j = nlist - 1;
        }
        if (j > 0)
            tb_puts(&b, " + ", 3);
        tb_number(&b, list[j], f->inputs[cv_formula_list_index(f)].kind);
        if (j + t0 > 0) {
            char pw[32];
            int len = snprintf(pw, sizeof pw, "^%d", j + t0);
            tb_puts(&b, " ÷ ", strlen(" ÷ "));
            tb_puts(&b, base, strlen(base));
            tb_puts(&b, pw, (size_t)len);
        }
    }
    return 1;
}

int cv_formula_explain(const cv_formula *f, const double *x, const double *list, int nlist,
                       cv_formula_line *lines, int *nlines, cv_error *err)
{
    double steps[CV_FORMULA_MAX_STEPS], out;
    int rc = cv_formula_eval(f, x, list, nlist, &out, steps, err);
    *nlines = 0;
    if (rc)
        return rc;
    if (cv_formula_list_index(f) < 0) {
        list = NULL;
        nlist = 0;
    }
    for (int k = 0; k < f->nsteps; k++) {
        cv_formula_line *ln = &lines[*nlines];
        if (f->hide && f->hide(f, k, x))
            continue;
        ln->key = f->steps[k].key;
        ln->expr = f->steps[k].expr;
        ln->v = steps[k];
        ln->kind = f->steps[k].kind;
        ln->percent = ln->kind == CV_KIND_RATE || ln->kind == CV_KIND_SHARE;
        if (!f->render || !f->render(f, k, x, list, nlist, steps, ln->numeric, sizeof ln->numeric))
            substitute(f, k, x, steps, ln->numeric, sizeof ln->numeric);
        cv_formula_format_value(steps[k], ln->kind, ln->value, sizeof ln->value);
        (*nlines)++;
    }
    return 0;
}

/* ---- Column form ------------------------------------------------------------------------ */

cv_table *cv_formula_apply(const cv_table *t, const cv_formula *f, const cv_formula_arg *args,
                           int nargs, const char *out, cv_error *err)
{
    int li = cv_formula_list_index(f);
    int nfixed = li >= 0 ? f->ninputs - 1 : f->ninputs;
    int nlist = li >= 0 ? nargs - nfixed : 0;
    if (li >= 0 ? nlist < 1 : nargs != f->ninputs) {
        if (li >= 0) /* one text per case, so that each translates whole */
            cv_error_set(err, CV_ERR_USAGE, "%s takes %d inputs (the last a list), got %d", f->name,
                         f->ninputs, nargs);
        else if (f->ninputs == 1)
            cv_error_set(err, CV_ERR_USAGE, "%s takes 1 input, got %d", f->name, nargs);
        else
            cv_error_set(err, CV_ERR_USAGE, "%s takes %d inputs, got %d", f->name, f->ninputs,
                         nargs);
        return NULL;
    }
    if (nlist > CV_FORMULA_MAX_LIST) {
        cv_error_set(err, CV_ERR_DOMAIN, "%s has %d values, at most %d allowed", f->inputs[li].name,
                     nlist, CV_FORMULA_MAX_LIST);
        return NULL;
    }
    /* arg a feeds input a for a < nfixed, else list element a - nfixed */
    const cv_column **cols = cv_calloc((size_t)nargs, sizeof *cols);
    double *list = cv_malloc((size_t)(nlist > 0 ? nlist : 1) * sizeof *list);
    cv_column *res = cv_column_new(out, CV_FLOAT64, t->nrows);
    cv_table *nt = NULL;
    if (!cols || !list || !res) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int a = 0; a < nargs; a++) {
        const cv_formula_input *in = &f->inputs[a < nfixed ? a : li];
        if (!args[a].col) {
            cv_error e;
            if (!in->list && cv_formula_check_input(in, args[a].value, &e)) {
                cv_error_set(err, e.code, "%s", e.msg);
                goto done;
            }
            continue;
        }
        const cv_column *c = cv_table_col(t, args[a].col, err);
        if (!c)
            goto done;
        if (c->type != CV_INT64 && c->type != CV_FLOAT64) {
            cv_error_set(err, CV_ERR_TYPE, "input %s: column '%s' is %s, not a number", in->name,
                         c->name, cv_type_name(c->type));
            goto done;
        }
        cols[a] = c;
    }
    double x[CV_FORMULA_MAX_INPUTS] = {0};
    for (int64_t r = 0; r < t->nrows; r++) {
        int missing = 0;
        for (int a = 0; a < nargs && !missing; a++) {
            double v = args[a].value;
            if (cols[a]) {
                if (!cv_column_is_valid(cols[a], r))
                    missing = 1;
                v = cv_column_number(cols[a], r);
            }
            if (a < nfixed) /* the list input is always the last one */
                x[a] = v;
            else
                list[a - nfixed] = v;
        }
        double y;
        int rc;
        if (missing) {
            rc = cv_column_push_missing(res);
        } else {
            cv_error e;
            if (cv_formula_eval(f, x, list, nlist, &y, NULL, &e)) {
                cv_error_set(err, e.code, "row %lld: %s", (long long)r + 1, e.msg);
                goto done;
            }
            rc = cv_column_push_float(res, y);
        }
        if (rc) {
            cv_error_set(err, CV_ERR_NOMEM, "out of memory");
            goto done;
        }
    }
    nt = cv_table_new();
    if (!nt) {
        cv_error_set(err, CV_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < t->ncols; i++)
        if (cv_table_add(nt, t->cols[i], err))
            goto fail;
    if (cv_table_set(nt, res, err))
        goto fail;
    goto done;
fail:
    cv_table_free(nt);
    nt = NULL;
done:
    cv_column_unref(res);
    cv_free(list);
    cv_free(cols);
    return nt;
}
