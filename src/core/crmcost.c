/* cvkit CRM decisions, costed: the formulas of the CRM system's cost, loyalty programmes and
   satisfaction to value (catalogue entries served by src/core/formulas.c), and the CRM
   system's life-cycle cost per option (cv_lcc). Sources: docs/formulas.md. */
#include "cvkit/crmcost.h"
#include "cvkit/mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double cv_crmcost_annuity(double discount, double years)
{
    if (discount == 0)
        return years;
    return -expm1(-years * log1p(discount)) / discount;
}

/* ---- Compute and check functions, one per formula -------------------------------------- */

/* crm.eac: x[0] present_cost, x[1] discount, x[2] years. */
static void eac(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = cv_crmcost_annuity(x[1], x[2]);
    s[1] = x[0] / s[0];
}

/* The annuity factor written out; at a zero rate it is the number of years. */
static int render_eac(const cv_formula *f, int k, const double *x, const double *list, int nlist,
                      const double *steps, char *buf, size_t size)
{
    (void)f, (void)list, (void)nlist, (void)steps;
    if (k != 0 || x[1] != 0)
        return 0;
    snprintf(buf, size, "%.0f", x[2]);
    return 1;
}

/* loyalty.liability: x[0] outstanding_points, x[1] redemption_rate, x[2] cost_per_point. */
static void liability(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] * (1 - x[1]);
    s[1] = x[0] * x[1];
    s[2] = s[1] * x[2];
}

/* loyalty.allocation: x[0] sales, x[1] points_issued, x[2] value_per_point,
   x[3] redemption_rate. */
static int check_allocation(const double *x, const double *l, int n, cv_error *err)
{
    (void)l, (void)n;
    if (!(x[0] + x[1] * x[2] * x[3] > 0))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "sales and the points' stand-alone selling price are both 0: "
                            "nothing to allocate");
    return 0;
}

static void allocation(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[1] * x[2] * x[3];
    s[1] = x[0] * s[0] / (x[0] + s[0]);
}

/* loyalty.revenue: x[0] points_allocated, x[1] points_redeemed, x[2] points_expected,
   x[3] recognised_before. */
static int check_revenue(const double *x, const double *l, int n, cv_error *err)
{
    (void)l, (void)n;
    if (x[1] > x[2])
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "points_redeemed must be <= points_expected, got %g and %g", x[1],
                            x[2]);
    return 0;
}

static void revenue(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] * x[1] / x[2];
    s[1] = x[0] - s[0];
    s[2] = s[0] - x[3];
}

/* loyalty.profit: x[0] members, x[1] spend, x[2] margin_rate, x[3] frequency_lift,
   x[4] retention_lift, x[5] points_per_spend, x[6] redemption_rate, x[7] cost_per_point,
   x[8] running_cost. */
static void loyalty_profit(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] * x[1] * x[2] * (x[3] + x[4]);
    s[1] = x[0] * x[1] * (1 + x[3]) * x[5];
    s[2] = s[1] * x[6] * x[7];
    s[3] = s[2] + x[8];
    s[4] = s[0] - s[3];
}

/* loyalty.breakeven_lift: x[0] members, x[1] spend, x[2] margin_rate, x[3] retention_lift,
   x[4] points_per_spend, x[5] redemption_rate, x[6] cost_per_point, x[7] running_cost.
   The profit above is linear in the frequency lift f:
   M s (g − k) f + M s (g Δr − k) − R, k = points_per_spend × redemption_rate × cost_per_point. */
static int check_breakeven(const double *x, const double *l, int n, cv_error *err)
{
    double k = x[4] * x[5] * x[6];
    (void)l, (void)n;
    if (!(x[2] > k))
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "margin_rate must be > the reward cost per unit of spend "
                            "(points_per_spend × redemption_rate × cost_per_point = %g) for more "
                            "purchases to pay, got %g",
                            k, x[2]);
    return 0;
}

static void breakeven(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    double ms = x[0] * x[1];
    s[0] = x[4] * x[5] * x[6];
    s[1] = (x[7] + ms * (s[0] - x[2] * x[3])) / (ms * (x[2] - s[0]));
}

/* satisfaction.nps: x[0] promoters, x[1] passives, x[2] detractors. */
static int check_nps(const double *x, const double *l, int n, cv_error *err)
{
    (void)l, (void)n;
    if (!(x[0] + x[1] + x[2] > 0))
        return cv_error_set(err, CV_ERR_DOMAIN, "there are no respondents (all counts are 0)");
    return 0;
}

static void nps(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] + x[1] + x[2];
    s[1] = (x[0] - x[2]) / s[0] * 100;
}

/* satisfaction.word_of_mouth: x[0] customers, x[1] promoter_rate, x[2] detractor_rate,
   x[3] referrals_per_promoter, x[4] lost_per_detractor, x[5] customer_value. */
static int check_shares(const double *x, const double *l, int n, cv_error *err)
{
    (void)l, (void)n;
    if (x[1] + x[2] > 1)
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "promoter_rate + detractor_rate must be <= 1, got %g + %g", x[1], x[2]);
    return 0;
}

static void word_of_mouth(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] * x[1];
    s[1] = x[0] * x[2];
    s[2] = s[0] * x[3] * x[5];
    s[3] = s[1] * x[4] * x[5];
    s[4] = s[2] - s[3];
}

/* satisfaction.complaint_cost: x[0] complaints, x[1] handling_cost, x[2] resolved_rate,
   x[3] stay_resolved, x[4] stay_unresolved, x[5] tell, x[6] not_buy, x[7] customer_value. */
static void complaint(const double *x, const double *l, int n, double *s)
{
    (void)l, (void)n;
    s[0] = x[0] * x[1];
    s[1] = x[0] * (x[2] * (1 - x[3]) + (1 - x[2]) * (1 - x[4]));
    s[2] = x[0] * (1 - x[2]) * x[5] * x[6];
    s[3] = (s[1] + s[2]) * x[7];
    s[4] = s[0] + s[3];
}

/* ---- The chapter's catalogue ----------------------------------------------------------- */

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

static const cv_formula formulas[] = {
    {"crm.eac",
     3,
     {IN("present_cost", CV_DOM_ANY, K_MON), IN("discount", CV_DOM_RATE, K_RATE),
      SPAN("years", "year")},
     2,
     {{"annuity_factor", "(1 − (1 + {discount})^−{years}) ÷ {discount}", K_NUM},
      {"eac", "{present_cost} ÷ {annuity_factor}", K_MON}},
     eac, NULL, render_eac, NULL},
    {"loyalty.liability",
     3,
     {IN("outstanding_points", CV_DOM_NONNEG, K_CNT), IN("redemption_rate", CV_DOM_UNIT, K_RATE),
      IN("cost_per_point", CV_DOM_NONNEG, K_MON)},
     3,
     {{"breakage_points", "{outstanding_points} × (1 − {redemption_rate})", K_CNT},
      {"points_to_redeem", "{outstanding_points} × {redemption_rate}", K_CNT},
      {"points_liability", "{points_to_redeem} × {cost_per_point}", K_MON}},
     liability, NULL, NULL, NULL},
    {"loyalty.allocation",
     4,
     {IN("sales", CV_DOM_NONNEG, K_MON), IN("points_issued", CV_DOM_NONNEG, K_CNT),
      IN("value_per_point", CV_DOM_NONNEG, K_MON), IN("redemption_rate", CV_DOM_UNIT, K_RATE)},
     2,
     {{"points_ssp", "{points_issued} × {value_per_point} × {redemption_rate}", K_MON},
      {"points_allocated", "{sales} × {points_ssp} ÷ ({sales} + {points_ssp})", K_MON}},
     allocation, check_allocation, NULL, NULL},
    {"loyalty.revenue",
     4,
     {IN("points_allocated", CV_DOM_NONNEG, K_MON), IN("points_redeemed", CV_DOM_NONNEG, K_CNT),
      IN("points_expected", CV_DOM_POSITIVE, K_CNT),
      OPT("recognised_before", CV_DOM_NONNEG, 0, K_MON)},
     3,
     {{"cumulative_revenue", "{points_allocated} × {points_redeemed} ÷ {points_expected}", K_MON},
      {"contract_liability", "{points_allocated} − {cumulative_revenue}", K_MON},
      {"points_revenue", "{cumulative_revenue} − {recognised_before}", K_MON}},
     revenue, check_revenue, NULL, NULL},
    {"loyalty.profit",
     9,
     {IN("members", CV_DOM_NONNEG, K_CNT), IN("spend", CV_DOM_NONNEG, K_MON),
      IN("margin_rate", CV_DOM_UNIT, K_RATE),
      IN("frequency_lift", CV_DOM_NONNEG, K_RATE), IN("retention_lift", CV_DOM_UNIT, K_RATE),
      IN("points_per_spend", CV_DOM_NONNEG, K_NUM), IN("redemption_rate", CV_DOM_UNIT, K_RATE),
      IN("cost_per_point", CV_DOM_NONNEG, K_MON), IN("running_cost", CV_DOM_NONNEG, K_MON)},
     5,
     {{"incremental_margin",
       "{members} × {spend} × {margin_rate} × ({frequency_lift} + {retention_lift})", K_MON},
      {"points_issued", "{members} × {spend} × (1 + {frequency_lift}) × {points_per_spend}", K_CNT},
      {"reward_cost", "{points_issued} × {redemption_rate} × {cost_per_point}", K_MON},
      {"programme_cost", "{reward_cost} + {running_cost}", K_MON},
      {"programme_profit", "{incremental_margin} − {programme_cost}", K_MON}},
     loyalty_profit, NULL, NULL, NULL},
    {"loyalty.breakeven_lift",
     8,
     {IN("members", CV_DOM_POSITIVE, K_CNT), IN("spend", CV_DOM_POSITIVE, K_MON),
      IN("margin_rate", CV_DOM_UNIT, K_RATE), IN("retention_lift", CV_DOM_UNIT, K_RATE),
      IN("points_per_spend", CV_DOM_NONNEG, K_NUM), IN("redemption_rate", CV_DOM_UNIT, K_RATE),
      IN("cost_per_point", CV_DOM_NONNEG, K_MON), IN("running_cost", CV_DOM_NONNEG, K_MON)},
     2,
     {{"reward_rate", "{points_per_spend} × {redemption_rate} × {cost_per_point}", K_RATE},
      {"breakeven_lift", "({running_cost} + {members} × {spend} × ({reward_rate} − "
       "{margin_rate} × {retention_lift})) ÷ ({members} × {spend} × ({margin_rate} − "
       "{reward_rate}))", K_SHARE}},
     breakeven, check_breakeven, NULL, NULL},
    {"satisfaction.nps",
     3,
     {IN("promoters", CV_DOM_NONNEG, K_CNT), IN("passives", CV_DOM_NONNEG, K_CNT),
      IN("detractors", CV_DOM_NONNEG, K_CNT)},
     2,
     {{"respondents", "{promoters} + {passives} + {detractors}", K_CNT},
      {"nps", "({promoters} − {detractors}) ÷ {respondents} × 100", K_NUM}},
     nps, check_nps, NULL, NULL},
    {"satisfaction.word_of_mouth",
     6,
     {IN("customers", CV_DOM_NONNEG, K_CNT), IN("promoter_rate", CV_DOM_UNIT, K_RATE),
      IN("detractor_rate", CV_DOM_UNIT, K_RATE), IN("referrals_per_promoter", CV_DOM_NONNEG, K_NUM),
      IN("lost_per_detractor", CV_DOM_NONNEG, K_NUM), IN("customer_value", CV_DOM_ANY, K_MON)},
     5,
     {{"promoter_count", "{customers} × {promoter_rate}", K_CNT},
      {"detractor_count", "{customers} × {detractor_rate}", K_CNT},
      {"referral_value", "{promoter_count} × {referrals_per_promoter} × {customer_value}", K_MON},
      {"negative_value", "{detractor_count} × {lost_per_detractor} × {customer_value}", K_MON},
      {"word_of_mouth_value", "{referral_value} − {negative_value}", K_MON}},
     word_of_mouth, check_shares, NULL, NULL},
    {"satisfaction.complaint_cost",
     8,
     {IN("complaints", CV_DOM_NONNEG, K_CNT), IN("handling_cost", CV_DOM_NONNEG, K_MON),
      IN("resolved_rate", CV_DOM_UNIT, K_RATE), IN("stay_resolved", CV_DOM_UNIT, K_RATE),
      IN("stay_unresolved", CV_DOM_UNIT, K_RATE), IN("tell", CV_DOM_NONNEG, K_NUM),
      IN("not_buy", CV_DOM_UNIT, K_RATE),
      IN("customer_value", CV_DOM_ANY, K_MON)},
     5,
     {{"handling_total", "{complaints} × {handling_cost}", K_MON},
      {"lost_customers", "{complaints} × ({resolved_rate} × (1 − {stay_resolved}) + "
       "(1 − {resolved_rate}) × (1 − {stay_unresolved}))", K_CNT},
      {"lost_prospects", "{complaints} × (1 − {resolved_rate}) × {tell} × {not_buy}", K_CNT},
      {"lost_value", "({lost_customers} + {lost_prospects}) × {customer_value}", K_MON},
      {"complaint_cost", "{handling_total} + {lost_value}", K_MON}},
     complaint, NULL, NULL, NULL},
};
/* clang-format on */

const cv_formula *cv_crmcost_formulas(int *n)
{
    *n = (int)(sizeof formulas / sizeof formulas[0]);
    return formulas;
}

/* ---- Life-cycle cost ------------------------------------------------------------------- */

/* Checks one line (i: its index) against nopts, years and the users. */
static int check_line(const cv_lcc_line *ln, int i, int nopts, int years, cv_error *err)
{
    if (ln->option < 0 || ln->option >= nopts)
        return cv_error_set(err, CV_ERR_DOMAIN, "line %d: option must be between 1 and %d, got %d",
                            i + 1, nopts, ln->option + 1);
    if (ln->kind != CV_LCC_COST && ln->kind != CV_LCC_BENEFIT)
        return cv_error_set(err, CV_ERR_DOMAIN, "line %d: unknown kind %d", i + 1, (int)ln->kind);
    if (!isfinite(ln->amount))
        return cv_error_set(err, CV_ERR_DOMAIN, "line %d: amount must be a finite number, got %g",
                            i + 1, ln->amount);
    if (ln->from < 0 || ln->from > years)
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "line %d: from must be between 0 and years (%d), got %d", i + 1, years,
                            ln->from);
    if (ln->to < ln->from || ln->to > years)
        return cv_error_set(err, CV_ERR_DOMAIN,
                            "line %d: to must be between from (%d) and years (%d), got %d", i + 1,
                            ln->from, years, ln->to);
    return 0;
}

int cv_lcc(const cv_lcc_line *lines, int nlines, const double *users, int nopts, double discount,
           int years, double *line_pv, cv_lcc_result *res, cv_error *err)
{
    if (nopts < 1)
        return cv_error_set(err, CV_ERR_DOMAIN, "there must be at least one option");
    if (!(discount > -1) || !isfinite(discount))
        return cv_error_set(err, CV_ERR_DOMAIN, "discount must be > -1, got %g", discount);
    if (years < 1 || years > 1000)
        return cv_error_set(err, CV_ERR_DOMAIN, "years must be between 1 and 1000, got %d", years);
    for (int o = 0; o < nopts; o++)
        if (!(users[o] > 0) || !isfinite(users[o]))
            return cv_error_set(err, CV_ERR_DOMAIN, "option %d: users must be > 0, got %g", o + 1,
                                users[o]);
    for (int i = 0; i < nlines; i++) {
        int rc = check_line(&lines[i], i, nopts, years, err);
        if (rc)
            return rc;
    }
    /* net[o * (years + 1) + t]: the discounted benefits less costs of option o in year t */
    size_t ny = (size_t)years + 1;
    double *net = cv_calloc((size_t)nopts * ny, sizeof *net);
    if (!net)
        return cv_error_set(err, CV_ERR_NOMEM, "out of memory");
    double annuity = cv_crmcost_annuity(discount, years);
    memset(res, 0, (size_t)nopts * sizeof *res);
    for (int i = 0; i < nlines; i++) {
        const cv_lcc_line *ln = &lines[i];
        cv_lcc_result *r = &res[ln->option];
        double a = ln->amount * (ln->per_user ? users[ln->option] : 1), pv = 0;
        for (int t = ln->from; t <= ln->to; t++) {
            double v = a * pow(1 + discount, -(double)t);
            pv += v;
            net[(size_t)ln->option * ny + (size_t)t] += ln->kind == CV_LCC_COST ? -v : v;
        }
        if (ln->kind == CV_LCC_COST) {
            r->cost_nominal += a * (ln->to - ln->from + 1);
            r->cost_pv += pv;
        } else {
            r->benefit_pv += pv;
        }
        if (line_pv)
            line_pv[i] = pv;
    }
    int rc = 0;
    for (int o = 0; o < nopts; o++) {
        cv_lcc_result *r = &res[o];
        const double *nt = net + (size_t)o * ny;
        double cum = 0;
        int last = -1; /* the last year the cumulative net value is below 0 */
        r->npv = r->benefit_pv - r->cost_pv;
        r->annuity = annuity;
        r->eac = r->cost_pv / annuity;
        r->eac_per_user = r->eac / users[o];
        for (int t = 0; t <= years; t++) {
            cum += nt[t];
            if (cum < 0)
                last = t;
        }
        r->payback = NAN;
        if (r->benefit_pv > 0 && last < years) {
            double below = 0; /* the cumulative net value at the end of year last */
            for (int t = 0; t <= last; t++)
                below += nt[t];
            r->payback = last < 0 ? 0 : last + -below / nt[last + 1];
        }
        if (!isfinite(r->cost_pv) || !isfinite(r->benefit_pv) || !isfinite(r->eac_per_user)) {
            rc = cv_error_set(err, CV_ERR_DOMAIN,
                              "option %d: the result is too large to represent (overflow)", o + 1);
            break;
        }
    }
    cv_free(net);
    return rc;
}
